"""Common machinery of the spectral feature transformers (MFCC, Spectrogram)."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions

from skaudio.preprocessing import _spectral
from skaudio.utils import ArrayOutputMixin, check_waveforms, stft_window

if TYPE_CHECKING:
    from typing_extensions import Self


class SpectralTransformer(ArrayOutputMixin, TransformerMixin, BaseEstimator):
    """Base of stateless STFT-based transformers: waveforms in, frames out.

    Subclasses implement ``_transform_equal_length(y)`` for a float32 batch
    ``(n, n_samples)`` returning ``(n, n_frames, n_features)``.
    """

    _parameter_constraints = {
        "sr": [Interval(Integral, 1, None, closed="left"), None],
        "n_fft": [Interval(Integral, 1, None, closed="left")],
        "hop_length": [Interval(Integral, 1, None, closed="left"), None],
        "win_length": [Interval(Integral, 1, None, closed="left"), None],
        "window": [str, tuple],
        "center": ["boolean"],
        "pad_mode": [StrOptions(set(_spectral.STFT_PAD_MODES))],
        "top_db": [Interval(Real, 0, None, closed="left"), None],
    }

    def _check_params(self):
        """Validate parameters; errors name the parameter (ValueError)."""
        self._validate_params()
        if self.win_length is not None and self.win_length > self.n_fft:
            raise ValueError(f"win_length={self.win_length} must be <= n_fft={self.n_fft}.")
        stft_window(self.window, self.win_length or self.n_fft, self.n_fft)  # names a window librosa cannot make

    def _check_mel_params(self):
        """Checks shared by the transformers that use a mel filterbank."""
        if self.sr is None:
            raise ValueError(
                f"{type(self).__name__} needs the sample rate: pass sr=<Hz> (the rate your clips were loaded at)."
            )
        nyquist = self.sr / 2
        fmax = nyquist if self.fmax is None else self.fmax
        if fmax > nyquist:
            raise ValueError(f"fmax={self.fmax} must be <= sr / 2 = {nyquist:g}.")
        if self.fmin >= fmax:
            raise ValueError(f"fmin={self.fmin} must be < fmax={fmax:g}.")

    @property
    def _hop(self):
        # librosa's default hop: a quarter of the window.
        if self.hop_length is not None:
            return self.hop_length
        return (self.win_length or self.n_fft) // 4 or 1

    @property
    def frame_duration(self) -> float | None:
        """Seconds between consecutive output frames (``hop_length / sr``); None without ``sr``."""
        return None if self.sr is None else self._hop / self.sr

    def _stft_kwargs(self):
        return dict(
            n_fft=self.n_fft,
            hop_length=self._hop,
            win_length=self.win_length or self.n_fft,
            window=self.window,
            center=self.center,
            pad_mode=self.pad_mode,
        )

    def fit(self, X: ArrayLike | Sequence[ArrayLike], y: object = None) -> Self:
        """Validate the parameters; nothing is learned.

        Parameters
        ----------
        X : ndarray of shape (n_clips, n_samples) or list of 1D ndarray
            Waveforms; only validated.
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        self._check_params()
        check_waveforms(X)
        return self

    def transform(self, X: ArrayLike | Sequence[ArrayLike]) -> np.ndarray | list[np.ndarray]:
        """Compute the features of every clip.

        Parameters
        ----------
        X : ndarray of shape (n_clips, n_samples) or list of 1D ndarray
            Waveforms at sample rate ``sr``; integer PCM is scaled to [-1, 1].

        Returns
        -------
        features : ndarray of shape (n_clips, n_frames, n_features) or list of ndarray
            Time first, as ``keras.layers.Conv1D`` expects. A list input gives a
            list of ``(n_frames_i, n_features)`` arrays (see ``FixedLength``).
        """
        self._check_params()
        X = check_waveforms(X)
        if not self.center:
            lengths = [len(clip) for clip in X]
            short = int(np.argmin(lengths))
            if lengths[short] < self.n_fft:
                raise ValueError(
                    f"X[{short}] has {lengths[short]} samples, fewer than n_fft={self.n_fft}: with "
                    "center=False a clip must hold at least one full frame (use center=True, a "
                    "smaller n_fft, or FixedLength)."
                )
        return _spectral.map_equal_length_groups(self._transform_equal_length, X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.allow_nan = False
        tags.transformer_tags.preserves_dtype = ["float32"]  # always float32, the networks' dtype
        return tags
