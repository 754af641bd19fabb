"""Pad or trim clips (or frame sequences) to one length."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real
from typing import TYPE_CHECKING, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from skaudio.utils import ArrayOutputMixin, check_feature_batch, check_waveforms, is_integer, is_ragged
from skaudio.utils._validation import multichannel_hint

if TYPE_CHECKING:
    from typing_extensions import Self

PAD_MODES = ("constant", "edge", "reflect", "symmetric", "wrap")
ALIGNS = ("left", "center", "right")


def _is_feature_batch(X):
    """True for 3D arrays and lists of 2D arrays (frame sequences)."""
    if is_ragged(X):
        # the first clip by position: a pandas Series' X[0] is a label
        return len(X) > 0 and np.ndim(next(iter(X))) == 2
    return not sp.issparse(X) and np.asarray(X).ndim == 3


def fit_length(
    clip: np.ndarray, length: int, *, align: Literal["left", "center", "right"] = "left", pad_mode: str = "constant"
) -> np.ndarray:
    """Pad or trim one clip along its first axis to ``length``.

    Parameters
    ----------
    clip : ndarray of shape (n, ...)
        A waveform (1D) or a frame sequence (2D, time first).
    length : int > 0
        Target length along the first axis.
    align : {"left", "center", "right"}, default="left"
        Where the clip sits in the output: padding goes after it (left),
        around it (center) or before it (right); trimming keeps its start,
        middle or end respectively.
    pad_mode : str, default="constant"
        ``numpy.pad`` mode; "constant" pads with zeros.

    Returns
    -------
    out : ndarray of shape (length, ...)

    Raises
    ------
    ValueError
        ``length`` is not an int > 0 or ``align`` is not one of the three,
        naming the parameter.

    Examples
    --------
    >>> import numpy as np
    >>> fit_length(np.array([1.0, 2.0]), 4, align="center")
    array([0., 1., 2., 0.])
    >>> fit_length(np.arange(5.0), 3, align="right")
    array([2., 3., 4.])
    """
    # a negative length would slice silently (5 samples to -1 gives 4)
    if not is_integer(length) or length < 1:
        raise ValueError(f"length must be an int > 0, got {length!r}.")
    if align not in ALIGNS:
        raise ValueError(f"align must be 'left', 'center' or 'right', got {align!r}.")
    n = clip.shape[0]
    if n >= length:
        start = {"left": 0, "center": (n - length) // 2, "right": n - length}[align]
        return clip[start : start + length]
    missing = length - n
    before = {"left": 0, "center": missing // 2, "right": missing}[align]
    widths = [(before, missing - before)] + [(0, 0)] * (clip.ndim - 1)
    return np.pad(clip, widths, mode=pad_mode)


class FixedLength(ArrayOutputMixin, TransformerMixin, BaseEstimator):
    """Pad or trim every clip to the same length and return a dense batch.

    Works on waveforms (a 2D batch or a ragged list of 1D clips, length in
    samples) and on feature sequences (a 3D batch or a ragged list of
    ``(n_frames, n_features)`` arrays, length in frames). Use it before the
    feature step (every clip then gives the same number of frames) or after
    it (a ragged list of frame sequences becomes one array).

    Parameters
    ----------
    length : int > 0 or None, default=None
        Target length in samples (or frames). If both ``length`` and
        ``duration`` are None, the longest clip seen in ``fit`` sets it.
    duration : float > 0 or None, default=None
        Target length in seconds; needs ``sr``. Exclusive with ``length``.
    sr : int > 0 or None, default=None
        Sample rate used to turn ``duration`` into samples.
    align : {"left", "center", "right"}, default="left"
        Where a clip sits in its window. "center" centres short clips (and
        keeps the middle of long ones), which makes the position of a sound
        consistent across clips of different lengths.
    pad_mode : {"constant", "edge", "reflect", "symmetric", "wrap"}, default="constant"
        ``numpy.pad`` mode for short clips; "constant" pads with zeros.

    Attributes
    ----------
    length_ : int
        The length every clip is given, in samples or frames.
    input_kind_ : {"waveforms", "features"}
        What ``fit`` saw; ``transform`` refuses the other kind.

    See Also
    --------
    MFCC, Spectrogram : feature steps that accept ragged input.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.preprocessing import FixedLength
    >>> clips = [np.ones(3), np.ones(6)]
    >>> FixedLength(length=5, align="center").fit_transform(clips)
    array([[0., 1., 1., 1., 0.],
           [1., 1., 1., 1., 1.]], dtype=float32)
    >>> FixedLength(duration=0.5, sr=8).fit_transform(clips).shape
    (2, 4)
    """

    _parameter_constraints = {
        "length": [Interval(Integral, 1, None, closed="left"), None],
        "duration": [Interval(Real, 0, None, closed="neither"), None],
        "sr": [Interval(Integral, 1, None, closed="left"), None],
        "align": [StrOptions(set(ALIGNS))],
        "pad_mode": [StrOptions(set(PAD_MODES))],
    }

    def __init__(
        self,
        length: int | None = None,
        *,
        duration: float | None = None,
        sr: int | None = None,
        align: Literal["left", "center", "right"] = "left",
        pad_mode: Literal["constant", "edge", "reflect", "symmetric", "wrap"] = "constant",
    ) -> None:
        self.length = length
        self.duration = duration
        self.sr = sr
        self.align = align
        self.pad_mode = pad_mode

    @staticmethod
    def _check_input(X):
        if _is_feature_batch(X):
            return check_feature_batch(X)
        return check_waveforms(X)

    def fit(self, X: ArrayLike | Sequence[ArrayLike], y: object = None) -> Self:
        """Resolve the target length.

        Parameters
        ----------
        X : array-like or list of ndarray
            Waveforms or feature sequences.
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        self._validate_params()
        if self.length is not None and self.duration is not None:
            raise ValueError(
                f"Give either length (samples) or duration (seconds), not both "
                f"(got length={self.length}, duration={self.duration})."
            )
        features = _is_feature_batch(X)
        X = self._check_input(X)
        if features and self.duration is not None:
            raise ValueError(
                f"duration={self.duration} is in seconds of audio, but X holds frame sequences: "
                "give length in frames instead (or fix the waveform length before the feature step)."
                + multichannel_hint(np.shape(X[0]))
            )
        self.input_kind_ = "features" if features else "waveforms"
        if self.length is not None:
            self.length_ = int(self.length)
        elif self.duration is not None:
            if self.sr is None:
                raise ValueError(
                    f"duration={self.duration} needs sr (the sample rate) to become a "
                    "number of samples; pass sr=<Hz> or give length in samples."
                )
            self.length_ = max(1, int(round(self.duration * self.sr)))
        else:
            self.length_ = int(max(len(clip) for clip in X))
        return self

    def transform(self, X: ArrayLike | Sequence[ArrayLike]) -> np.ndarray:
        """Pad or trim every clip to ``length_``.

        Parameters
        ----------
        X : array-like or list of ndarray
            Waveforms ``(n_clips, n_samples)`` / list of 1D, or feature
            sequences ``(n_clips, n_frames, n_features)`` / list of 2D.

        Returns
        -------
        X_fixed : ndarray of shape (n_clips, ``length_``) or (n_clips, ``length_``, n_features)
            Float32.
        """
        check_is_fitted(self)
        kind = "features" if _is_feature_batch(X) else "waveforms"
        if kind != self.input_kind_:
            raise ValueError(
                f"FixedLength was fitted on {self.input_kind_} but transform got {kind}: its length_ "
                f"({self.length_}) is in {'frames' if self.input_kind_ == 'features' else 'samples'}."
            )
        X = self._check_input(X)
        if not is_ragged(X):
            # One slice or one pad call for the whole batch.
            return np.ascontiguousarray(
                np.moveaxis(
                    fit_length(np.moveaxis(X, 1, 0), self.length_, align=self.align, pad_mode=self.pad_mode), 0, 1
                )
            )
        return np.stack([fit_length(clip, self.length_, align=self.align, pad_mode=self.pad_mode) for clip in X])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float32"]  # always float32, the networks' dtype
        return tags
