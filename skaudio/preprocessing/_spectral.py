"""Batched short-time Fourier analysis with librosa's definitions.

librosa is the definition of every number here (window, centring, mel
filters, dB conversion, DCT); this module only changes how the work is laid
out. librosa processes a batch as nested Python loops over frames and an
einsum; here a whole chunk of equal-length clips becomes one strided frame
view, one real FFT and one matrix product, and the dB floor (``top_db``) is
taken per clip. librosa's ``power_to_db`` on a batch clips at the maximum of
the whole batch, so batched output would depend on the batch's other clips.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.fft
from threadpoolctl import threadpool_limits

from skaudio.utils import stft_window, thread_budget

# Clips per FFT call: large enough to amortise per-call overhead, small enough
# that the (chunk, frames, n_fft) frame buffer stays in cache-friendly sizes.
CHUNK_SIZE = 32

# threadpool_limits changes a process-wide setting: one batch at a time may
# hold it, and a call that finds it taken (another thread is featurising)
# runs its chunks serially with the libraries' own threading instead.
_PARALLEL_LOCK = threading.Lock()

# librosa.power_to_db defaults (amin=1e-10, ref=1.0).
AMIN = 1e-10

STFT_PAD_MODES = ("constant", "edge", "linear_ramp", "reflect", "symmetric")


def n_frames(n_samples, *, n_fft, hop_length, center=True):
    """Number of STFT frames librosa produces for a clip of ``n_samples``.

    Parameters
    ----------
    n_samples : int
        Clip length in samples.
    n_fft : int > 0
        FFT size.
    hop_length : int > 0
        Hop between frames.
    center : bool, default=True
        Whether the clip is padded by ``n_fft // 2`` on both sides.

    Returns
    -------
    n_frames : int

    Examples
    --------
    >>> n_frames(8000, n_fft=512, hop_length=128)
    63
    """
    padded = n_samples + 2 * (n_fft // 2) if center else n_samples
    return max(0, 1 + (padded - n_fft) // hop_length)


def power_spectrogram(y, *, n_fft, hop_length, win_length, window, center, pad_mode, power):
    """``|STFT|**power`` of equal-length clips, time first.

    Parameters
    ----------
    y : ndarray of shape (n_clips, n_samples), float32
    n_fft, hop_length, win_length : int > 0
    window : str or tuple
        Any window librosa.filters.get_window understands.
    center : bool
    pad_mode : str
    power : float > 0

    Returns
    -------
    S : ndarray of shape (n_clips, n_frames, 1 + n_fft // 2), float32
    """
    if center:
        y = np.pad(y, [(0, 0), (n_fft // 2, n_fft // 2)], mode=pad_mode)
    frames = np.lib.stride_tricks.sliding_window_view(y, n_fft, axis=-1)[:, ::hop_length]
    frames = frames * stft_window(window, win_length, n_fft)
    spec = scipy.fft.rfft(frames, axis=-1, overwrite_x=True)
    if power == 2.0:
        out = spec.real**2
        out += spec.imag**2
        return out.astype(np.float32, copy=False)
    mag = np.abs(spec)
    return (mag if power == 1.0 else mag**power).astype(np.float32, copy=False)


def to_db_per_clip(S, *, power, top_db):
    """librosa's ``power_to_db`` (``amplitude_to_db`` for ``power=1``), floored per clip.

    Parameters
    ----------
    S : ndarray of shape (n_clips, ...), float
        Spectrogram with magnitude raised to ``power``.
    power : float > 0
        Exponent of the magnitude in ``S``; dB values are always ``10 log10``
        of power, so ``power=1`` matches ``librosa.amplitude_to_db``.
    top_db : float >= 0 or None
        Dynamic range kept below each clip's own maximum.

    Returns
    -------
    S_db : ndarray, same shape and dtype as S
    """
    if power != 2.0:
        S = S ** (2.0 / power)
    log_spec = 10.0 * np.log10(np.maximum(AMIN, S))
    if top_db is not None:
        floor = log_spec.max(axis=tuple(range(1, log_spec.ndim)), keepdims=True) - top_db
        np.maximum(log_spec, floor, out=log_spec)
    return log_spec


def map_equal_length_groups(func, clips):
    """Apply a batched ``func`` to a ragged list, one call per length bucket.

    Clips of equal length are stacked and processed together in chunks of
    :data:`CHUNK_SIZE`; the results come back in input order.

    Parameters
    ----------
    func : callable
        Maps ``(n, n_samples)`` float32 to an array whose first axis is ``n``.
    clips : ndarray of shape (n_clips, n_samples) or list of 1D ndarray

    Returns
    -------
    out : ndarray or list of ndarray
        An ndarray for an ndarray input, a list for a list input.
    """
    if isinstance(clips, np.ndarray):
        chunks = [clips[i : i + CHUNK_SIZE] for i in range(0, len(clips), CHUNK_SIZE)]
        # Chunks run in parallel threads (numpy, scipy.fft and BLAS release the GIL),
        # each single-threaded: that also parallelises the elementwise steps (window,
        # power, log), which a multi-threaded FFT or BLAS call alone leaves serial.
        n_threads = thread_budget() if len(chunks) > 1 else 1
        if n_threads == 1 or not _PARALLEL_LOCK.acquire(blocking=False):
            return np.concatenate([func(chunk) for chunk in chunks])
        try:
            with threadpool_limits(1), ThreadPoolExecutor(min(n_threads, len(chunks))) as pool:
                return np.concatenate(list(pool.map(func, chunks)))
        finally:
            _PARALLEL_LOCK.release()
    out = [None] * len(clips)
    lengths = np.array([len(c) for c in clips])
    for length in np.unique(lengths):
        idx = np.flatnonzero(lengths == length)
        batch = np.stack([clips[i] for i in idx])
        result = map_equal_length_groups(func, batch)
        for j, i in enumerate(idx):
            out[i] = result[j]
    return out
