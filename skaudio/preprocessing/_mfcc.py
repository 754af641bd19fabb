"""MFCC transformer."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from sklearn.utils._param_validation import Interval

from skaudio.preprocessing import _spectral
from skaudio.preprocessing._base import SpectralTransformer
from skaudio.utils import dct_matrix, mel_matrix

if TYPE_CHECKING:
    from typing_extensions import Self

# librosa.feature.delta's default window.
DELTA_WIDTH = 9


def append_deltas(features, order):
    """Append delta features up to ``order`` along the last axis.

    Uses ``librosa.feature.delta`` (Savitzky-Golay, ``mode="interp"``) along
    the time axis. Clips shorter than librosa's 9-frame window use the largest
    odd window that fits; clips of fewer than 3 frames get zero deltas.

    Parameters
    ----------
    features : ndarray of shape (n_clips, n_frames, n_features)
    order : {0, 1, 2}

    Returns
    -------
    out : ndarray of shape (n_clips, n_frames, n_features * (order + 1))
    """
    if order == 0:
        return features
    import librosa

    n_frames = features.shape[1]
    width = min(DELTA_WIDTH, n_frames if n_frames % 2 else n_frames - 1)
    parts = [features]
    for k in range(1, order + 1):
        if width < 3:
            parts.append(np.zeros_like(features))
        else:
            parts.append(librosa.feature.delta(features, width=width, order=k, axis=1))
    return np.concatenate(parts, axis=-1).astype(np.float32, copy=False)


class MFCC(SpectralTransformer):
    """Mel-frequency cepstral coefficients of a batch of clips.

    For every clip the output equals ``librosa.feature.mfcc`` run on that clip
    alone with the same ``n_fft`` and ``hop_length`` (transposed to time
    first; librosa.feature's own default hop is 512 samples, this one's a
    quarter of the window), including the ``top_db`` floor, which is
    taken per clip. The computation is batched: one FFT call and one matrix
    product per chunk of equal-length clips.

    Parameters
    ----------
    sr : int > 0
        Sample rate of the clips. Required.
    n_mfcc : int > 0, default=20
        Number of coefficients; at most ``n_mels``.
    n_fft : int > 0, default=2048
        FFT size. Clips shorter than ``n_fft`` still give frames (zero padded),
        with librosa's frame count ``1 + n_samples // hop_length``.
    hop_length : int > 0 or None, default=None
        Hop between frames; ``None`` means ``win_length // 4``.
    win_length : int > 0 or None, default=None
        Window length, at most ``n_fft``; ``None`` means ``n_fft``.
    n_mels : int > 0, default=128
        Number of mel bands.
    fmin : float >= 0, default=0.0
        Lowest mel band edge in Hz.
    fmax : float > fmin or None, default=None
        Highest band edge in Hz, at most ``sr / 2``; ``None`` means ``sr / 2``.
    lifter : float >= 0, default=0
        Cepstral liftering coefficient (0 disables), as in librosa.
    top_db : float >= 0 or None, default=80.0
        Dynamic range of the log-mel spectrogram below each clip's maximum.
    delta_order : {0, 1, 2}, default=0
        Append first (and second) order deltas as extra features.
    window : str or tuple, default="hann"
        Analysis window, as ``librosa.filters.get_window`` takes it.
    center : bool, default=True
        Pad clips by ``n_fft // 2`` on both sides so frames are centred.
    pad_mode : str, default="constant"
        Padding mode used when ``center=True``.

    Attributes
    ----------
    n_features_out_ : int
        ``n_mfcc * (delta_order + 1)``, set by ``fit``.

    See Also
    --------
    Spectrogram : STFT and mel spectrograms.
    FixedLength : make clips (or frame sequences) equal length.
    FeatureScaler : standardise the coefficients.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.preprocessing import MFCC
    >>> t = np.arange(8000) / 8000
    >>> X = np.stack([np.sin(2 * np.pi * 440 * t), np.sin(2 * np.pi * 880 * t)])
    >>> MFCC(sr=8000, n_fft=512, hop_length=128).fit_transform(X).shape
    (2, 63, 20)
    """

    _parameter_constraints = {
        **SpectralTransformer._parameter_constraints,
        "n_mfcc": [Interval(Integral, 1, None, closed="left")],
        "n_mels": [Interval(Integral, 1, None, closed="left")],
        "fmin": [Interval(Real, 0, None, closed="left")],
        "fmax": [Interval(Real, 0, None, closed="neither"), None],
        "lifter": [Interval(Real, 0, None, closed="left")],
        "delta_order": [Interval(Integral, 0, 2, closed="both")],
    }

    def __init__(
        self,
        *,
        sr: int | None = None,
        n_mfcc: int = 20,
        n_fft: int = 2048,
        hop_length: int | None = None,
        win_length: int | None = None,
        n_mels: int = 128,
        fmin: float = 0.0,
        fmax: float | None = None,
        lifter: float = 0,
        top_db: float | None = 80.0,
        delta_order: Literal[0, 1, 2] = 0,
        window: str | tuple[Any, ...] = "hann",
        center: bool = True,
        pad_mode: str = "constant",
    ) -> None:
        self.sr = sr
        self.n_mfcc = n_mfcc
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.n_mels = n_mels
        self.fmin = fmin
        self.fmax = fmax
        self.lifter = lifter
        self.top_db = top_db
        self.delta_order = delta_order
        self.window = window
        self.center = center
        self.pad_mode = pad_mode

    def _check_params(self):
        super()._check_params()
        self._check_mel_params()
        if self.n_mfcc > self.n_mels:
            raise ValueError(f"n_mfcc={self.n_mfcc} must be <= n_mels={self.n_mels}.")

    def fit(self, X: ArrayLike | Sequence[ArrayLike], y: object = None) -> Self:
        super().fit(X, y)
        self.n_features_out_ = self.n_mfcc * (self.delta_order + 1)
        return self

    fit.__doc__ = SpectralTransformer.fit.__doc__

    def _transform_equal_length(self, y):
        power = _spectral.power_spectrogram(y, power=2.0, **self._stft_kwargs())
        mel = power @ mel_matrix(self.sr, self.n_fft, self.n_mels, self.fmin, self.fmax)
        log_mel = _spectral.to_db_per_clip(mel, power=2.0, top_db=self.top_db)
        # DCT in float64: a float32 sum of ~-100 dB values over 128 bands
        # rounds to ~1e-4, which eats into the 1e-3 equivalence budget.
        mfcc = log_mel.astype(np.float64) @ dct_matrix(self.n_mels, self.n_mfcc, float(self.lifter))
        return append_deltas(mfcc.astype(np.float32), self.delta_order)
