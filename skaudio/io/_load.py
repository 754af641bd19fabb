"""Load one audio file into a float32 waveform."""

import errno
import numbers
import os

import numpy as np
import soundfile as sf
import soxr

from skaudio.utils import is_number

__all__ = ["load_audio"]


def _check_sr(sr, name="sr"):
    """Validate a target sample rate: int > 0 or None."""
    if sr is None:
        return None
    if isinstance(sr, (bool, np.bool_)) or not isinstance(sr, numbers.Integral):
        raise ValueError(f"{name} must be an int > 0 or None, got {sr!r} ({type(sr).__name__}).")
    if sr <= 0:
        raise ValueError(f"{name} must be an int > 0 or None, got {sr!r}.")
    return int(sr)


def _check_real(value, name, *, allow_none, allow_zero):
    """Validate a finite real number that is >= 0 (or > 0), optionally None."""
    bound = ">= 0" if allow_zero else "> 0"
    kind = f"a finite number {bound}" + (" or None" if allow_none else "")
    if value is None:
        if allow_none:
            return None
        raise ValueError(f"{name} must be {kind}, got None.")
    if not is_number(value):
        raise ValueError(f"{name} must be {kind}, got {value!r} ({type(value).__name__}).")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be {kind}, got {value!r}.")
    return value


def _check_mono(mono):
    if not isinstance(mono, (bool, np.bool_)):
        raise ValueError(f"mono must be a bool, got {mono!r} ({type(mono).__name__}).")
    return bool(mono)


def _check_path(path, name="path"):
    """Return ``path`` as a str; accept str and os.PathLike only."""
    if isinstance(path, (bytes, bytearray)):
        raise TypeError(f"{name} must be a str or os.PathLike, got bytes; decode it first.")
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or os.PathLike, got {type(path).__name__}.")
    path = os.fspath(path)
    if isinstance(path, bytes):
        raise TypeError(f"{name} must be a str or os.PathLike, got a bytes path; decode it first.")
    return path


def load_audio(path, *, sr=None, mono=True, offset=0.0, duration=None):
    """Load an audio file as a float32 waveform.

    WAV, FLAC and OGG (and every other format libsndfile reads) are decoded
    with :mod:`soundfile`. Only the frames covered by ``offset`` and
    ``duration`` are read from disk. Integer PCM is scaled to [-1, 1].

    Parameters
    ----------
    path : str or os.PathLike
        The audio file.
    sr : int > 0 or None, default=None
        Target sample rate in Hz. When given and different from the file's
        native rate, the waveform is resampled with :func:`soxr.resample`
        (quality ``"HQ"``). None keeps the native rate.
    mono : bool, default=True
        If True, average the channels into one 1D signal. If False, return
        every channel, shape ``(n_channels, n_samples)`` (also for a mono
        file, where ``n_channels`` is 1).
    offset : float >= 0, default=0.0
        Start reading this many seconds into the file (at the native rate,
        rounded to the nearest frame).
    duration : float > 0 or None, default=None
        Read at most this many seconds. None reads to the end of the file. A
        duration that runs past the end is truncated to what the file holds.

    Returns
    -------
    y : ndarray of shape (n_samples,) or (n_channels, n_samples)
        The waveform, float32.
    sr : int
        The sample rate of ``y``: ``sr`` if given, else the file's native
        rate.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    ValueError
        The file cannot be decoded (corrupt or unsupported), holds no frames,
        or holds no frames after ``offset``; the message names the file. Also
        raised for invalid ``sr``, ``offset``, ``duration`` or ``mono``,
        naming the parameter.
    TypeError
        ``path`` is neither a str nor an os.PathLike.

    See Also
    --------
    AudioLoader : The same loading as a scikit-learn transformer over paths.
    load_folder : Load a folder of audio files with their labels.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> import soundfile as sf
    >>> from skaudio.io import load_audio
    >>> t = np.arange(16000) / 16000
    >>> tone = 0.5 * np.sin(2 * np.pi * 440 * t)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "tone.wav")
    ...     sf.write(path, tone, 16000, subtype="PCM_16")
    ...     y, sr = load_audio(path, sr=8000, offset=0.25, duration=0.5)
    >>> y.dtype, y.shape, sr
    (dtype('float32'), (4000,), 8000)
    """
    path = _check_path(path)
    sr = _check_sr(sr)
    mono = _check_mono(mono)
    offset = _check_real(offset, "offset", allow_none=False, allow_zero=True)
    duration = _check_real(duration, "duration", allow_none=True, allow_zero=False)

    if not os.path.exists(path):
        raise FileNotFoundError(errno.ENOENT, "No such audio file", path)
    if os.path.isdir(path):
        raise ValueError(f"Could not read audio file {path!r}: it is a directory.")

    try:
        with sf.SoundFile(path) as f:
            native_sr = int(f.samplerate)
            n_total = int(f.frames)
            if n_total <= 0:
                raise ValueError(f"Audio file {path!r} is empty (it holds zero frames).")
            start = int(round(offset * native_sr))
            if start >= n_total:
                raise ValueError(
                    f"Audio file {path!r} holds no frames after offset={offset} s: it is "
                    f"{n_total / native_sr:.3f} s long ({n_total} frames at {native_sr} Hz)."
                )
            n_read = n_total - start
            if duration is not None:
                n_read = min(n_read, max(1, int(round(duration * native_sr))))
            if start:
                f.seek(start)
            data = f.read(n_read, dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise ValueError(f"Could not read audio file {path!r}: {exc}") from exc

    if data.shape[0] == 0:
        raise ValueError(f"Audio file {path!r} returned zero frames (offset={offset} s).")

    # data has shape (n_frames, n_channels); mixing before resampling is cheaper.
    if mono:
        data = data.mean(axis=1, dtype=np.float32, keepdims=True)
    if sr is not None and sr != native_sr:
        data = soxr.resample(data, native_sr, sr, quality="HQ")
        if data.shape[0] == 0:
            raise ValueError(
                f"Audio file {path!r} is too short to resample from {native_sr} Hz to {sr} Hz."
            )
    out_sr = native_sr if sr is None else sr
    if mono:
        y = np.ascontiguousarray(data[:, 0], dtype=np.float32)
    else:
        y = np.ascontiguousarray(data.T, dtype=np.float32)
    return y, out_sr
