"""FeatureStack: several feature transformers joined frame by frame."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import TransformerMixin, clone
from sklearn.utils.metaestimators import _BaseComposition
from sklearn.utils.validation import check_is_fitted

from skaudio.utils import ArrayOutputMixin, is_ragged

if TYPE_CHECKING:
    from typing_extensions import Self


class FeatureStack(ArrayOutputMixin, TransformerMixin, _BaseComposition):
    """Join the features of several transformers along the feature axis.

    Each transformer turns the same clips into ``(n_clips, n_frames,
    n_features_k)``; the output is ``(n_clips, n_frames, sum(n_features_k))``,
    frame by frame, so that for example MFCCs and a log-mel spectrogram can
    feed one network. scikit-learn's ``FeatureUnion`` joins 2D tables only.

    The transformers must give the same frames: the same ``hop_length``,
    ``center`` and ``n_fft`` padding, so the same number of frames per clip.
    A mismatch is an error naming the transformers and their frame counts.

    Parameters
    ----------
    transformer_list : list of (str, transformer)
        Named feature transformers, as in ``FeatureUnion``; their parameters
        are tuned as ``<name>__<parameter>``.

    Attributes
    ----------
    transformers_ : list of (str, transformer)
        Fitted clones of the transformers (the parameters stay unfitted).
    n_features_out_ : int
        Features per frame of the output.

    See Also
    --------
    sklearn.pipeline.FeatureUnion : the same for 2D tables.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.preprocessing import MFCC, FeatureStack, Spectrogram
    >>> clips = np.random.default_rng(0).normal(size=(3, 8000)).astype("float32")
    >>> stack = FeatureStack([
    ...     ("mfcc", MFCC(sr=8000, n_mfcc=13, n_fft=256, hop_length=80)),
    ...     ("mel", Spectrogram(sr=8000, kind="mel", n_mels=20, n_fft=256, hop_length=80)),
    ... ])
    >>> stack.fit_transform(clips).shape
    (3, 101, 33)
    >>> stack.set_params(mfcc__n_mfcc=20).fit_transform(clips).shape
    (3, 101, 40)
    """

    _parameter_constraints = {"transformer_list": [list]}

    def __init__(self, transformer_list: Sequence[tuple[str, Any]]) -> None:
        self.transformer_list = transformer_list

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters of the stack and, with ``deep``, of its transformers (``<name>__<param>``).

        Parameters
        ----------
        deep : bool, default=True
            Also return the transformers and their parameters.

        Returns
        -------
        params : dict
        """
        return self._get_params("transformer_list", deep=deep)

    def set_params(self, **params: Any) -> Self:
        """Set parameters of the stack or of its transformers (``<name>__<param>``).

        Parameters
        ----------
        **params : dict
            Parameters.

        Returns
        -------
        self : FeatureStack
        """
        self._set_params("transformer_list", **params)
        return self

    def _check_transformers(self):
        self._validate_params()
        if not self.transformer_list:
            raise ValueError("FeatureStack needs at least one (name, transformer) in transformer_list.")
        for item in self.transformer_list:
            if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)):
                raise ValueError(f"transformer_list must hold (name, transformer) pairs, got {item!r}.")
            if not hasattr(item[1], "transform"):
                raise TypeError(f"FeatureStack's {item[0]!r} ({type(item[1]).__name__}) has no transform method.")
        self._validate_names([name for name, _ in self.transformer_list])

    def fit(self, X: ArrayLike | Sequence[ArrayLike], y: object = None) -> Self:
        """Fit a clone of every transformer on the clips.

        Parameters
        ----------
        X : ndarray of shape (n_clips, n_samples) or list of 1D ndarray
            Clips, as the transformers take them.
        y : None
            Ignored.

        Returns
        -------
        self : FeatureStack
        """
        self._check_transformers()
        self.transformers_ = [(name, clone(t).fit(X, y)) for name, t in self.transformer_list]
        first_clip = self._stack([t.transform(X[:1]) for _, t in self.transformers_])[0]
        self.n_features_out_ = int(np.shape(first_clip)[-1])
        return self

    def transform(self, X: ArrayLike | Sequence[ArrayLike]) -> np.ndarray | list[np.ndarray]:
        """Features of every transformer, joined frame by frame.

        Parameters
        ----------
        X : ndarray of shape (n_clips, n_samples) or list of 1D ndarray
            Clips.

        Returns
        -------
        features : ndarray of shape (n_clips, n_frames, n_features) or list of ndarray
            ``n_features`` is ``n_features_out_``. A list input gives a list of
            ``(n_frames_i, n_features_out_)`` arrays.
        """
        check_is_fitted(self, "transformers_")
        return self._stack([t.transform(X) for _, t in self.transformers_])

    def _stack(self, outputs):
        names = [name for name, _ in self.transformers_]
        if is_ragged(outputs[0]):
            return [self._join(clips, names, f" for clip {i}") for i, clips in enumerate(zip(*outputs))]
        return self._join(outputs, names, "")

    @staticmethod
    def _join(parts, names, where):
        frames = [np.shape(part)[-2] for part in parts]
        if len(set(frames)) > 1:
            given = ", ".join(f"{name!r} {n}" for name, n in zip(names, frames))
            raise ValueError(
                f"FeatureStack joins features frame by frame, but the transformers give different numbers of "
                f"frames{where} ({given}): give them the same hop_length, center and sample rate."
            )
        return np.concatenate([np.asarray(part, dtype=np.float32) for part in parts], axis=-1)

    @property
    def frame_duration(self) -> float | None:
        """Seconds between output frames, where the transformers agree on it (else None)."""
        durations = {getattr(t, "frame_duration", None) for _, t in self.transformer_list}
        return durations.pop() if len(durations) == 1 else None

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = True
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags
