"""Load one audio file into a float32 waveform."""

from __future__ import annotations

import errno
import os
import stat
import struct
import warnings

import numpy as np
import soundfile as sf
import soxr

from skaudio.utils import check_sample_rate, is_number

__all__ = ["load_audio"]


def _check_sr(sr, name="sr"):
    """Validate a target sample rate: int > 0 or None."""
    return check_sample_rate(sr, name, allow_none=True)


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


def _check_readable(path):
    """Raise a clear error for a path that is missing, a broken link, a folder or not a regular file.

    A FIFO or a device would block or never end when read as audio: refused
    before it is opened.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if os.path.islink(path):
            why = "it points to itself" if exc.errno == errno.ELOOP else "its target does not exist"
            raise FileNotFoundError(errno.ENOENT, f"Broken symbolic link: {why}", path) from None
        if exc.errno == errno.ENOENT:
            raise FileNotFoundError(errno.ENOENT, "No such audio file", path) from None
        raise
    if stat.S_ISDIR(mode):
        raise ValueError(f"Could not read audio file {path!r}: it is a directory.")
    if not stat.S_ISREG(mode):
        raise ValueError(f"Could not read audio file {path!r}: it is not a regular file (a FIFO, socket or device).")


def _wav_data_end(path):
    """Where a RIFF/WAVE file's header says its audio data ends, in bytes; None for other files.

    libsndfile trusts the file size over a ``data`` chunk that runs past the
    end, so a truncated WAV reads as a shorter, complete one; this is how it
    is noticed.
    """
    try:
        with open(path, "rb") as f:
            if f.read(4) != b"RIFF" or len(f.read(4)) != 4 or f.read(4) != b"WAVE":
                return None
            while True:
                chunk = f.read(8)
                if len(chunk) < 8:
                    return None
                chunk_id, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
                if chunk_id == b"data":
                    # 0 and 0xFFFFFFFF are what streaming writers leave when the size is not known yet
                    return None if size in (0, 0xFFFFFFFF) else f.tell() + size
                f.seek(size + (size & 1), os.SEEK_CUR)  # chunks are padded to an even size
    except OSError:
        return None


def _warn_if_truncated(path, n_header, n_read, native_sr):
    """Warn when ``path`` holds fewer frames than its header announces."""
    end = _wav_data_end(path)
    size = os.path.getsize(path)
    if end is not None and size < end:
        missing = f"its header announces {end - size} more bytes of audio than the file holds"
    elif n_read is not None and n_read < n_header:
        missing = f"its header announces {n_header} frames but only {n_read} could be read"
    else:
        return
    warnings.warn(
        f"Audio file {path!r} is truncated ({missing}); it was read up to where it ends "
        f"({(n_read if n_read is not None else n_header) / native_sr:.3f} s).",
        UserWarning,
        stacklevel=3,
    )


def load_audio(
    path: str | os.PathLike[str],
    *,
    sr: int | None = None,
    mono: bool = True,
    offset: float = 0.0,
    duration: float | None = None,
) -> tuple[np.ndarray, int]:
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
        ``path`` does not exist, or is a broken symbolic link (the message
        says so).
    ValueError
        The file cannot be decoded (corrupt or unsupported), holds no frames,
        holds no frames after ``offset``, holds NaN or infinite samples, or is
        not a regular file (a FIFO or a device, which would never end); the
        message names the file. Also raised for invalid ``sr``, ``offset``,
        ``duration`` or ``mono``, naming the parameter.
    TypeError
        ``path`` is neither a str nor an os.PathLike.

    Warns
    -----
    UserWarning
        A WAV file is truncated: its header announces more audio than it
        holds (a copy or download cut short). What it holds is returned. A
        truncated FLAC or OGG file is an error (ValueError): their decoders
        stop at the damage.

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

    _check_readable(path)
    # soundfile encodes a str path strictly, which fails for a name that is not valid UTF-8 (held by Python as
    # surrogates); the file system's own bytes open any name.
    try:
        with sf.SoundFile(os.fsencode(path) if os.name == "posix" else path) as f:
            native_sr = int(f.samplerate)
            n_total = int(f.frames)
            if n_total <= 0:
                damaged = ", or cut short where OGG keeps its length" if f.format == "OGG" else ""
                raise ValueError(f"Audio file {path!r} is empty (it holds zero frames){damaged}.")
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
        # libsndfile's own words, without its "Error opening b'...'" repeating the path as bytes
        reason = getattr(exc, "error_string", None) or str(exc)
        raise ValueError(f"Could not read audio file {path!r}: {reason}") from exc

    if data.shape[0] == 0:
        raise ValueError(f"Audio file {path!r} returned zero frames (offset={offset} s).")
    _warn_if_truncated(path, n_total, start + data.shape[0] if data.shape[0] < n_read else None, native_sr)
    finite = np.isfinite(data)
    if not finite.all():
        first = int(np.argmin(finite.all(axis=1)))
        raise ValueError(
            f"Audio file {path!r} holds {int(data.size - finite.sum())} NaN or infinite samples (the first at "
            f"{(start + first) / native_sr:.3f} s): it is corrupt or was written from invalid data."
        )

    # data has shape (n_frames, n_channels); mixing before resampling is cheaper.
    if mono:
        data = data.mean(axis=1, dtype=np.float32, keepdims=True)
    if sr is not None and sr != native_sr:
        data = soxr.resample(data, native_sr, sr, quality="HQ")
        if data.shape[0] == 0:
            raise ValueError(f"Audio file {path!r} is too short to resample from {native_sr} Hz to {sr} Hz.")
    out_sr = native_sr if sr is None else sr
    if mono:
        y = np.ascontiguousarray(data[:, 0], dtype=np.float32)
    else:
        y = np.ascontiguousarray(data.T, dtype=np.float32)
    return y, out_sr
