"""AudioLoader: a scikit-learn transformer from file paths to waveforms."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from skaudio.io._load import _check_mono, _check_real, _check_sr, load_audio
from skaudio.utils import ArrayOutputMixin, check_verbose, progress

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["AudioLoader"]


def _check_paths(X):
    """Return ``X`` as a list of str paths, or raise a TypeError/ValueError."""
    if isinstance(X, (str, bytes, os.PathLike)):
        raise TypeError(
            f"X must be a sequence of paths, got a single {type(X).__name__} ({X!r}). "
            "Pass a list, even for one file: transform([path])."
        )
    if hasattr(X, "columns") and hasattr(X, "to_numpy"):  # a DataFrame (a ColumnTransformer passes df[["path"]])
        if len(X.columns) != 1:
            raise ValueError(f"X must be one column of paths, got a table of {len(X.columns)} columns.")
        X = X.to_numpy()
    if isinstance(X, np.ndarray):
        if X.ndim == 2 and X.shape[1] == 1:
            X = X[:, 0]
        if X.ndim != 1:
            raise ValueError(f"X must be a 1D sequence of paths, got an array of shape {X.shape}.")
        items = X.tolist()
    else:
        try:
            items = list(X)
        except TypeError:
            raise TypeError(
                f"X must be a sequence of paths (list, tuple or 1D array of str or "
                f"os.PathLike), got {type(X).__name__}."
            ) from None
    if len(items) == 0:
        raise ValueError("X is empty: pass at least one path.")
    paths = []
    for i, item in enumerate(items):
        if not isinstance(item, (str, os.PathLike)):
            raise TypeError(f"X[{i}] must be a str or os.PathLike path, got {type(item).__name__} ({item!r}).")
        paths.append(os.fspath(item))
    return paths


class AudioLoader(ArrayOutputMixin, TransformerMixin, BaseEstimator):
    """Load audio files from their paths.

    A stateless transformer: ``transform`` takes a sequence of file paths and
    returns a list of float32 waveforms, one per file, of their own lengths
    (a ragged waveform batch). Put it first in a
    :class:`~sklearn.pipeline.Pipeline` so that the pipeline can be fitted
    and applied on paths. Files are read one at a time with
    :func:`load_audio`.

    Parameters
    ----------
    sr : int > 0 or None, default=None
        Target sample rate in Hz; files at another rate are resampled with
        soxr. None keeps each file's native rate (then the rates may differ
        from file to file).
    mono : bool, default=True
        Mix channels down to one 1D signal. If False, each waveform has shape
        ``(n_channels, n_samples)``.
    duration : float > 0 or None, default=None
        Read at most this many seconds from the start of each file. None
        reads whole files.
    verbose : bool or int >= 0, default=0
        If truthy, ``transform`` shows a progress bar over the files (with
        tqdm, on stderr), but only when stderr is a terminal: piped or
        redirected output gets no bar.

    See Also
    --------
    load_audio : Load one file.
    load_folder : Load a folder of files with their labels.

    Notes
    -----
    ``fit`` only validates the parameters, and ``transform`` works without
    it (the ``requires_fit`` tag is False).

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> import soundfile as sf
    >>> from skaudio.io import AudioLoader
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = [os.path.join(tmp, "a.wav"), os.path.join(tmp, "b.wav")]
    ...     for path, n_samples in zip(paths, [800, 1200]):
    ...         sf.write(path, np.zeros(n_samples), 8000)
    ...     clips = AudioLoader(sr=16000).fit_transform(paths)
    >>> [(c.dtype, c.shape) for c in clips]
    [(dtype('float32'), (1600,)), (dtype('float32'), (2400,))]
    """

    def __init__(
        self, *, sr: int | None = None, mono: bool = True, duration: float | None = None, verbose: bool | int = 0
    ) -> None:
        self.sr = sr
        self.mono = mono
        self.duration = duration
        self.verbose = verbose

    def _check_params(self):
        _check_sr(self.sr)
        _check_mono(self.mono)
        _check_real(self.duration, "duration", allow_none=True, allow_zero=False)
        check_verbose(self.verbose)

    def fit(self, X: Sequence[str | os.PathLike[str]] | np.ndarray, y: object = None) -> Self:
        """Validate the parameters; nothing is learned.

        Parameters
        ----------
        X : sequence of str or os.PathLike
            Paths of audio files (not read).
        y : None
            Ignored.

        Returns
        -------
        self : AudioLoader
            The estimator itself.
        """
        self._check_params()
        _check_paths(X)
        return self

    def transform(self, X: Sequence[str | os.PathLike[str]] | np.ndarray) -> list[np.ndarray]:
        """Load every file in ``X``.

        Parameters
        ----------
        X : sequence of str or os.PathLike
            Paths of audio files: a list, tuple, 1D array or pandas Series (a
            one-column 2D array or DataFrame, as a ``ColumnTransformer``
            passes ``df[["path"]]``, is accepted too). A single path must be
            wrapped in a list.

        Returns
        -------
        waveforms : list of ndarray
            One float32 array per path, shape ``(n_samples_i,)`` (or
            ``(n_channels, n_samples_i)`` when ``mono=False``).

        Raises
        ------
        FileNotFoundError, OSError, ValueError
            A file is missing (or a broken link), unreadable or empty; the
            message names the file and its index in ``X``.
        TypeError
            ``X`` is a single path or holds something that is not a path.
        """
        self._check_params()
        paths = _check_paths(X)
        duration = None if self.duration is None else float(self.duration)
        waveforms = []
        files = progress(enumerate(paths), total=len(paths), desc="Loading audio", unit="file", verbose=self.verbose)
        for i, path in files:
            try:
                y, _ = load_audio(path, sr=self.sr, mono=self.mono, duration=duration)
            except OSError as exc:
                # OSError(errno, ...) is the errno's own subclass (FileNotFoundError, NotADirectoryError, ...);
                # strerror keeps load_audio's reason (a broken link is not a missing file)
                raise OSError(exc.errno, f"X[{i}]: {exc.strerror or exc}", exc.filename or path) from exc
            except ValueError as exc:
                raise ValueError(f"X[{i}]: {exc}") from exc
            waveforms.append(y)
        return waveforms

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.string = True
        tags.input_tags.one_d_array = True
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []
        return tags
