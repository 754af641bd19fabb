"""Spectrogram transformer (STFT or mel, linear or dB)."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from sklearn.utils._param_validation import Interval, StrOptions

from skaudio.preprocessing import _spectral
from skaudio.preprocessing._base import SpectralTransformer
from skaudio.utils import mel_matrix

if TYPE_CHECKING:
    from typing_extensions import Self


class Spectrogram(SpectralTransformer):
    """STFT or mel spectrogram of a batch of clips, time first.

    For every clip the output equals librosa run on that clip alone with the
    same ``n_fft`` and ``hop_length`` (librosa.feature's own default hop is
    512 samples, this one's a quarter of the window), transposed to
    ``(n_frames, n_features)``:

    - ``kind="stft"``: ``np.abs(librosa.stft(y, ...)) ** power``;
    - ``kind="mel"``: ``librosa.feature.melspectrogram(y=y, ..., power=power)``;
    - with ``to_db=True``, then ``librosa.power_to_db(S, top_db=top_db)`` for
      ``power=2`` (``librosa.amplitude_to_db`` for ``power=1``), the floor
      taken per clip.

    Parameters
    ----------
    sr : int > 0 or None, default=None
        Sample rate; required for ``kind="mel"``.
    kind : {"mel", "stft"}, default="mel"
        Mel filterbank energies or the linear-frequency STFT.
    n_fft : int > 0, default=2048
        FFT size.
    hop_length : int > 0 or None, default=None
        Hop between frames; ``None`` means ``win_length // 4``.
    win_length : int > 0 or None, default=None
        Window length, at most ``n_fft``; ``None`` means ``n_fft``.
    n_mels : int > 0, default=128
        Number of mel bands (``kind="mel"``).
    fmin : float >= 0, default=0.0
        Lowest mel band edge in Hz.
    fmax : float or None, default=None
        Highest mel band edge in Hz, at most ``sr / 2``.
    power : float > 0, default=2.0
        Exponent of the magnitude (2 for power, 1 for magnitude).
    to_db : bool, default=True
        Convert to decibels (``10 log10`` of power).
    top_db : float >= 0 or None, default=80.0
        Dynamic range kept below each clip's maximum when ``to_db``.
    window : str or tuple, default="hann"
        Analysis window.
    center : bool, default=True
        Centre frames by padding ``n_fft // 2`` on both sides.
    pad_mode : str, default="constant"
        Padding mode used when ``center=True``.

    Attributes
    ----------
    n_features_out_ : int
        ``n_mels`` for mel, ``1 + n_fft // 2`` for stft.

    See Also
    --------
    MFCC : cepstral coefficients of the log-mel spectrogram.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.preprocessing import Spectrogram
    >>> X = np.random.default_rng(0).standard_normal((3, 4000))
    >>> Spectrogram(sr=8000, n_fft=256, hop_length=64, n_mels=40).fit_transform(X).shape
    (3, 63, 40)
    >>> Spectrogram(kind="stft", n_fft=256, hop_length=64).fit_transform(X).shape
    (3, 63, 129)
    """

    _parameter_constraints = {
        **SpectralTransformer._parameter_constraints,
        "kind": [StrOptions({"mel", "stft"})],
        "n_mels": [Interval(Integral, 1, None, closed="left")],
        "fmin": [Interval(Real, 0, None, closed="left")],
        "fmax": [Interval(Real, 0, None, closed="neither"), None],
        "power": [Interval(Real, 0, None, closed="neither")],
        "to_db": ["boolean"],
    }

    def __init__(
        self,
        *,
        sr: int | None = None,
        kind: Literal["mel", "stft"] = "mel",
        n_fft: int = 2048,
        hop_length: int | None = None,
        win_length: int | None = None,
        n_mels: int = 128,
        fmin: float = 0.0,
        fmax: float | None = None,
        power: float = 2.0,
        to_db: bool = True,
        top_db: float | None = 80.0,
        window: str | tuple[Any, ...] = "hann",
        center: bool = True,
        pad_mode: str = "constant",
    ) -> None:
        self.sr = sr
        self.kind = kind
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.win_length = win_length
        self.n_mels = n_mels
        self.fmin = fmin
        self.fmax = fmax
        self.power = power
        self.to_db = to_db
        self.top_db = top_db
        self.window = window
        self.center = center
        self.pad_mode = pad_mode

    def _check_params(self):
        super()._check_params()
        if self.kind == "mel":
            self._check_mel_params()

    def fit(self, X: ArrayLike | Sequence[ArrayLike], y: object = None) -> Self:
        super().fit(X, y)
        self.n_features_out_ = self.n_mels if self.kind == "mel" else 1 + self.n_fft // 2
        return self

    fit.__doc__ = SpectralTransformer.fit.__doc__

    def _transform_equal_length(self, y):
        S = _spectral.power_spectrogram(y, power=float(self.power), **self._stft_kwargs())
        if self.kind == "mel":
            S = S @ mel_matrix(self.sr, self.n_fft, self.n_mels, self.fmin, self.fmax)
        if self.to_db:
            S = _spectral.to_db_per_clip(S, power=float(self.power), top_db=self.top_db)
        return S.astype(np.float32, copy=False)
