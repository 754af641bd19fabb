"""Spectral features inside a Keras model: STFT, mel, dB, MFCC, per-clip normalisation.

With features computed by the network, raw waveforms go straight in and a
GPU computes them with the rest of the model, instead of waiting for CPU
features. The constants (window, mel filterbank, DCT) are the very arrays
:mod:`skaudio.preprocessing` uses, so both paths compute the same features.
"""

from __future__ import annotations

from typing import Any, Literal

import keras
import numpy as np
from keras import layers, ops

from skaudio.networks._layers import PACKAGE
from skaudio.networks._validation import check_int, check_real
from skaudio.utils import dct_matrix, mel_matrix, stft_window

# librosa.power_to_db's floor, as in skaudio.preprocessing
_AMIN = 1e-10
# a clip's feature with a smaller spread is only centred (FeatureScaler's guard)
_TINY_STD = 1e-8
PAD_MODES = ("constant", "reflect", "symmetric")


@keras.saving.register_keras_serializable(package=PACKAGE)
class SpectralFeatures(layers.Layer):
    """Waveforms ``(batch, samples)`` or ``(batch, samples, 1)`` to features ``(batch, frames, n_features)``.

    Computes, in order: centred frames (``center``, ``pad_mode``), a windowed
    real FFT, ``|X| ** power``; the mel filterbank (when ``sr`` and
    ``n_mels`` are given); dB with a per-clip ``top_db`` floor (``to_db``);
    an orthonormal DCT-II to ``n_mfcc`` coefficients with ``lifter`` (when
    ``n_mfcc`` is given); standardisation of each feature over the clip's
    frames (``per_clip_norm``), as ``FeatureScaler(per_clip=True)``.

    The waveforms are float samples in [-1, 1], mono: integer PCM is not
    scaled here (the estimators scale it before the network), and several
    channels are refused. The layer computes in float32 whatever its dtype
    policy (a power spectrum overflows float16), so a mixed-precision model
    gets the same features; its output is float32.

    Parameters
    ----------
    n_fft : int, default=2048
        FFT length in samples.
    hop_length : int, default=512
        Samples between the starts of consecutive frames.
    win_length : int or None, default=None
        Window length in samples, at most ``n_fft`` (zero-padded to
        ``n_fft``); None means ``n_fft``.
    window : str or tuple, default="hann"
        A window scipy/librosa knows, such as ``"hann"`` or
        ``("kaiser", 4.0)``.
    center : bool, default=True
        Pad the waveform by ``n_fft // 2`` on both sides so that frame ``t``
        is centred on sample ``t * hop_length``.
    pad_mode : {"constant", "reflect", "symmetric"}, default="constant"
        How ``center`` pads, as ``numpy.pad``: a clip shorter than the
        padding is reflected as often as it takes.
    power : float, default=2.0
        Exponent of the magnitude spectrum (2: power, 1: magnitude).
    sr : int or None, default=None
        Sample rate; needed for mel bands.
    n_mels : int or None, default=None
        Mel bands; None keeps the linear-frequency bins.
    fmin : float, default=0.0
        Lowest frequency of the mel filterbank, in Hz.
    fmax : float or None, default=None
        Highest frequency of the mel filterbank, in Hz (None: ``sr / 2``).
    to_db : bool, default=True
        Convert to decibels re 1.0: ``10 * log10(max(power, 1e-10))`` of the
        (mel) power spectrum, as ``librosa.power_to_db(ref=1.0)`` (whatever
        ``power``: magnitudes are squared first).
    top_db : float or None, default=80.0
        Per clip, raise the dB values to at least ``top_db`` below the
        clip's own maximum (None: no floor). The values stay in dB re 1.0;
        the clip's maximum is not subtracted.
    n_mfcc : int or None, default=None
        Cepstral coefficients to keep (needs ``n_mels`` and ``to_db``); None
        keeps the (mel) spectrum.
    lifter : float, default=0.0
        Cepstral liftering coefficient, as in librosa (0: none).
    per_clip_norm : bool, default=False
        Standardise each feature over the clip's frames.
    **kwargs
        Arguments of ``keras.layers.Layer`` (``name``, ...); ``dtype``
        defaults to ``"float32"`` whatever the global policy.

    Raises
    ------
    ValueError
        At construction, for settings the layer cannot compute
        (``win_length > n_fft``, ...); when built or called, for input of
        several channels or, with ``center=False``, clips shorter than
        ``n_fft``.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.networks import SpectralFeatures
    >>> layer = SpectralFeatures(n_fft=256, hop_length=80, win_length=256, sr=8000, n_mels=40, n_mfcc=13)
    >>> tuple(layer(np.zeros((2, 8000), dtype="float32")).shape)
    (2, 101, 13)
    """

    def __init__(
        self,
        n_fft: int = 2048,
        hop_length: int = 512,
        win_length: int | None = None,
        window: str | tuple[Any, ...] = "hann",
        center: bool = True,
        pad_mode: Literal["constant", "reflect", "symmetric"] = "constant",
        power: float = 2.0,
        sr: int | None = None,
        n_mels: int | None = None,
        fmin: float = 0.0,
        fmax: float | None = None,
        to_db: bool = True,
        top_db: float | None = 80.0,
        n_mfcc: int | None = None,
        lifter: float = 0.0,
        per_clip_norm: bool = False,
        **kwargs: Any,
    ) -> None:
        # float16 would overflow the power spectrum: float32 unless asked otherwise, and the input is
        # cast to float32 in call, not to the policy's compute dtype first (which would round it)
        kwargs.setdefault("dtype", "float32")
        kwargs.setdefault("autocast", False)
        super().__init__(**kwargs)
        self.n_fft = check_int(n_fft, "n_fft")
        self.hop_length = check_int(hop_length, "hop_length")
        self.power = check_real(power, "power", low_open=True)
        if n_mels is not None:
            check_int(n_mels, "n_mels")
        if sr is not None:
            check_real(sr, "sr", low_open=True)
        if pad_mode not in PAD_MODES:
            raise ValueError(f"pad_mode must be one of {PAD_MODES} inside a model, got {pad_mode!r}.")
        if n_mels is not None and sr is None:
            raise ValueError("mel features need the sample rate sr.")
        if n_mfcc is not None and (n_mels is None or not to_db):
            raise ValueError("MFCC need mel bands (n_mels) in dB (to_db=True).")
        if n_mfcc is not None and check_int(n_mfcc, "n_mfcc") > n_mels:
            raise ValueError(f"n_mfcc={n_mfcc!r} must be at most n_mels={n_mels!r}: the DCT of n_mels bands.")
        if top_db is not None:
            check_real(top_db, "top_db")
        self.win_length = int(win_length or n_fft)
        if not 0 < self.win_length <= self.n_fft:
            raise ValueError(
                f"win_length={win_length!r} must be between 1 and n_fft={n_fft!r}: the window is zero-padded "
                "to n_fft samples. Give a smaller win_length, or a larger n_fft."
            )
        # a JSON config (.keras files, pickled models) turns a tuple window into a list, which is unhashable
        self.window = tuple(window) if isinstance(window, list) else window
        self.center, self.pad_mode = bool(center), pad_mode
        self.sr, self.n_mels, self.fmin, self.fmax = sr, n_mels, float(fmin), fmax
        self.to_db, self.top_db = bool(to_db), top_db
        self.n_mfcc, self.lifter, self.per_clip_norm = n_mfcc, float(lifter), bool(per_clip_norm)
        self._window = np.asarray(stft_window(self.window, self.win_length, self.n_fft))
        self._mel = None if n_mels is None else np.asarray(mel_matrix(sr, self.n_fft, n_mels, self.fmin, fmax))
        self._dct = None if n_mfcc is None else np.asarray(dct_matrix(n_mels, n_mfcc, self.lifter), dtype="float32")

    def n_frames(self, n_samples: int) -> int:
        """Frames produced for ``n_samples`` (librosa's count).

        Parameters
        ----------
        n_samples : int
            Length of a waveform in samples.

        Returns
        -------
        n_frames : int
            Number of feature frames.
        """
        padded = n_samples + 2 * (self.n_fft // 2) if self.center else n_samples
        return max(0, 1 + (padded - self.n_fft) // self.hop_length)

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        if len(input_shape) == 3 and input_shape[-1] not in (1, None):
            raise ValueError(
                f"SpectralFeatures takes mono waveforms (batch, samples) or (batch, samples, 1), got "
                f"{input_shape[-1]} channels (input shape {tuple(input_shape)}). Mix them to mono first, "
                "e.g. x.mean(axis=-1), or compute features of each channel separately."
            )
        self._check_length(input_shape[1])

    def _check_length(self, n_samples: int | None) -> None:
        """Raise for a known clip length that gives no frame (clips shorter than ``n_fft`` with ``center=False``)."""
        if n_samples is not None and self.n_frames(n_samples) < 1:
            raise ValueError(
                f"A clip of {n_samples} samples holds no frame of n_fft={self.n_fft} samples with "
                f"center={self.center}. Pad the clips to at least n_fft samples"
                + (", or use center=True." if not self.center else ".")
            )

    def call(self, wave: Any) -> Any:
        # float32 whatever the policy: float16 overflows the power spectrum (a no-op on float32 input)
        wave = ops.cast(wave, "float32")
        if len(wave.shape) == 3:
            wave = wave[..., 0]
        self._check_length(wave.shape[1])
        if self.center:
            wave = self._centred(wave)
        n_frames = 1 + (ops.shape(wave)[1] - self.n_fft) // self.hop_length
        starts = ops.arange(n_frames) * self.hop_length
        index = ops.expand_dims(starts, 1) + ops.expand_dims(ops.arange(self.n_fft), 0)
        frames = ops.take(wave, index, axis=1) * ops.convert_to_tensor(self._window)
        real, imag = ops.rfft(frames, fft_length=self.n_fft)
        S = ops.square(real) + ops.square(imag)
        if self.power != 2.0:
            S = ops.power(S, self.power / 2.0)
        if self._mel is not None:
            S = ops.matmul(S, ops.convert_to_tensor(self._mel))
        if self.to_db:
            # dB of power whatever `power` is, as librosa's amplitude_to_db for power=1
            power_S = S if self.power == 2.0 else ops.power(S, 2.0 / self.power)
            S = 10.0 * ops.log(ops.maximum(power_S, _AMIN)) / np.log(10.0)
            if self.top_db is not None:
                S = ops.maximum(S, ops.max(S, axis=(1, 2), keepdims=True) - self.top_db)
        if self._dct is not None:
            S = ops.matmul(S, ops.convert_to_tensor(self._dct))
        if self.per_clip_norm:
            mean = ops.mean(S, axis=1, keepdims=True)
            std = ops.std(S, axis=1, keepdims=True)
            S = (S - mean) / ops.where(std < _TINY_STD, ops.ones_like(std), std)
        return S

    def _centred(self, wave: Any) -> Any:
        """``wave`` padded by ``n_fft // 2`` on both sides, as ``numpy.pad(mode=pad_mode)``."""
        half = self.n_fft // 2
        if self.pad_mode == "constant":
            return ops.pad(wave, [[0, 0], [half, half]])
        # a gather, not ops.pad, which refuses to reflect a clip shorter than the padding where numpy
        # reflects again: numpy's padding is the clip's periodic mirror image
        n = ops.shape(wave)[1]
        position = ops.arange(-half, n + half)
        if self.pad_mode == "reflect":  # the edge sample is not repeated: period 2 (n - 1)
            period = ops.maximum(2 * (n - 1), 1)
            phase = ops.mod(position, period)
            index = ops.where(phase < n, phase, period - phase)
        else:  # symmetric: the edge sample is repeated, period 2 n
            period = 2 * n
            phase = ops.mod(position, period)
            index = ops.where(phase < n, phase, period - 1 - phase)
        return ops.take(wave, index, axis=1)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        n = input_shape[1]
        self._check_length(n)
        features = self.n_mfcc or self.n_mels or 1 + self.n_fft // 2
        return (input_shape[0], None if n is None else self.n_frames(n), features)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            **{
                key: getattr(self, key)
                for key in (
                    "n_fft",
                    "hop_length",
                    "win_length",
                    "window",
                    "center",
                    "pad_mode",
                    "power",
                    "sr",
                    "n_mels",
                    "fmin",
                    "fmax",
                    "to_db",
                    "top_db",
                    "n_mfcc",
                    "lifter",
                    "per_clip_norm",
                )
            },
        }
