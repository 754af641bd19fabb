"""librosa's analysis constants (window, mel filterbank, DCT) as cached, read-only matrices.

One definition for the CPU transformers (``skaudio.preprocessing``) and the
in-model feature layers (``skaudio.networks``), so both compute the same numbers.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import scipy.fft

__all__ = ["stft_window", "mel_matrix", "dct_matrix"]


@lru_cache(maxsize=32)
def stft_window(window: str | tuple[Any, ...], win_length: int, n_fft: int) -> np.ndarray:
    """librosa's analysis window, zero-padded to ``n_fft`` (float32, read-only).

    Parameters
    ----------
    window : str or tuple
        Any window ``librosa.filters.get_window`` understands, such as
        ``"hann"`` or ``("kaiser", 4.0)``.
    win_length : int > 0
        Window length in samples, at most ``n_fft``.
    n_fft : int > 0
        FFT size; the window is centred in ``n_fft`` samples.

    Returns
    -------
    window : ndarray of shape (n_fft,)
        Float32, read-only; calls with the same arguments share one array.

    Raises
    ------
    ValueError
        ``window`` is not a window librosa knows, or ``win_length`` is not
        between 1 and ``n_fft``.

    Examples
    --------
    >>> from skaudio.utils import stft_window
    >>> stft_window("hann", 4, 8).tolist()
    [0.0, 0.0, 0.0, 0.5, 1.0, 0.5, 0.0, 0.0]
    """
    import librosa

    if not 0 < win_length <= n_fft:  # librosa's pad_center would raise its ParameterError, not a ValueError
        raise ValueError(f"win_length={win_length!r} must be between 1 and n_fft={n_fft!r}.")
    try:
        win = librosa.filters.get_window(window, win_length, fftbins=True)
    except (librosa.util.exceptions.ParameterError, TypeError, IndexError, ValueError) as exc:
        # librosa's ParameterError is not a ValueError, and scipy's errors for a malformed tuple do not name it
        raise ValueError(f"window={window!r} is not a window librosa.filters.get_window understands: {exc}") from None
    win = librosa.util.pad_center(win, size=n_fft).astype(np.float32)
    win.flags.writeable = False
    return win


@lru_cache(maxsize=32)
def mel_matrix(sr: float, n_fft: int, n_mels: int, fmin: float, fmax: float | None) -> np.ndarray:
    """Transposed librosa mel filterbank: multiplies a power spectrogram, time first, into mel bands.

    Parameters
    ----------
    sr : float > 0
        Sample rate in Hz.
    n_fft : int > 0
        FFT size of the spectrogram.
    n_mels : int > 0
        Number of mel bands.
    fmin : float >= 0
        Lowest frequency in Hz.
    fmax : float > 0 or None
        Highest frequency in Hz; None for ``sr / 2``.

    Returns
    -------
    basis : ndarray of shape (1 + n_fft // 2, n_mels)
        Float32, read-only (``librosa.filters.mel(...).T``); calls with the
        same arguments share one array.

    Raises
    ------
    ValueError
        ``fmax`` is above ``sr / 2``, or ``fmin`` is not below ``fmax``
        (``sr / 2`` for None), where librosa would return empty filters.

    Examples
    --------
    >>> from skaudio.utils import mel_matrix
    >>> mel_matrix(8000, 512, 40, 0.0, None).shape
    (257, 40)
    """
    import librosa

    if fmax is not None and fmax > sr / 2:
        raise ValueError(f"fmax={fmax} must be <= sr / 2 = {sr / 2:g}.")
    if fmin >= (sr / 2 if fmax is None else fmax):
        raise ValueError(f"fmin={fmin} must be < fmax={sr / 2 if fmax is None else fmax:g}.")
    basis = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax)
    out = np.ascontiguousarray(basis.T, dtype=np.float32)
    out.flags.writeable = False
    return out


@lru_cache(maxsize=32)
def dct_matrix(n_in: int, n_out: int, lifter: float) -> np.ndarray:
    """Orthonormal DCT-II as a matrix, with librosa's MFCC liftering folded in.

    Parameters
    ----------
    n_in : int > 0
        Input size (mel bands).
    n_out : int in [1, n_in]
        Coefficients kept (``n_mfcc``).
    lifter : float >= 0
        Cepstral liftering coefficient as in ``librosa.feature.mfcc``; 0 for none.

    Returns
    -------
    basis : ndarray of shape (n_in, n_out)
        Float64, read-only; ``log_mel @ basis`` gives the coefficients. Calls
        with the same arguments share one array.

    Examples
    --------
    >>> from skaudio.utils import dct_matrix
    >>> dct_matrix(40, 13, 0.0).shape
    (40, 13)
    """
    if not 1 <= n_out <= n_in:
        raise ValueError(f"n_out={n_out} coefficients must be between 1 and n_in={n_in} (the mel bands).")
    basis = scipy.fft.dct(np.eye(n_in), type=2, norm="ortho", axis=0)[:n_out].T
    if lifter > 0:
        # librosa.feature.mfcc: M *= 1 + (lifter / 2) * sin(pi * k / lifter), k = 1..n_mfcc
        basis = basis * (1 + (lifter / 2) * np.sin(np.pi * np.arange(1, n_out + 1) / lifter))
    out = np.ascontiguousarray(basis)
    out.flags.writeable = False
    return out
