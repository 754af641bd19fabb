"""Synthetic labelled sound events, in the spirit of ``make_classification``.

Six classes of short sounds are synthesised with numpy, one vectorised
expression per clip. Every clip varies in pitch (or band, or rate), event
duration, onset inside the clip and peak level, so that neither the clip
length nor its loudness gives the class away, while its spectrum and
temporal structure do.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.utils import Bunch

from skaudio.datasets._noise import _check_random_state, _randint, make_colored_noise
from skaudio.utils import is_integer, is_number

__all__ = ["make_sounds", "SOUND_CLASSES"]

#: The classes :func:`make_sounds` can synthesise, in their default order.
SOUND_CLASSES = ("tone", "chirp", "noise_burst", "click_train", "harmonic", "am_tone")

_MIN_DURATION = 0.05  # seconds
_MIN_SR = 1000  # Hz: the sounds live between about 100 Hz and a few kHz
_LEVEL_RANGE = (0.1, 0.9)  # peak amplitude of a clip
_EVENT_FRACTION = (0.3, 0.9)  # event duration as a fraction of the clip


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def _loguniform(rng, low, high):
    """A draw whose logarithm is uniform in ``[log(low), log(high)]``."""
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


def _band(low, high, sr):
    """Clamp a frequency range (Hz) below 0.45 * sr, keeping low < high."""
    high = min(high, 0.45 * sr)
    low = min(low, 0.5 * high)
    return low, high


def _breakpoint_envelope(n, times, values):
    """Piecewise-linear envelope of length ``n`` through (sample, value) points."""
    return np.interp(np.arange(n, dtype=np.float64), times, values)


def _adsr(rng, n, sr):
    """Attack-decay-sustain-release envelope with random segment lengths."""
    attack = rng.uniform(0.005, 0.06) * sr
    decay = rng.uniform(0.02, 0.2) * sr
    sustain = rng.uniform(0.3, 1.0)
    release = rng.uniform(0.1, 0.4) * n
    total = attack + decay + release
    if total > 0.95 * n:  # short events: shrink every segment alike
        scale = 0.95 * n / total
        attack, decay, release = attack * scale, decay * scale, release * scale
    return _breakpoint_envelope(
        n,
        [0.0, attack, attack + decay, n - 1 - release, n - 1],
        [0.0, 1.0, sustain, sustain, 0.0],
    )


def _fade(rng, n, sr, attack_s=(0.005, 0.05), release_s=(0.01, 0.1)):
    """Trapezoid envelope: linear fade in, flat top, linear fade out."""
    attack = rng.uniform(*attack_s) * sr
    release = rng.uniform(*release_s) * sr
    total = attack + release
    if total > 0.8 * n:
        scale = 0.8 * n / total
        attack, release = attack * scale, release * scale
    return _breakpoint_envelope(n, [0.0, attack, n - 1 - release, n - 1], [0.0, 1.0, 1.0, 0.0])


# --------------------------------------------------------------------------
# One synthesiser per class: (rng, n_samples, sr) -> float64 event of length n
# --------------------------------------------------------------------------


def _tone(rng, n, sr):
    f = _loguniform(rng, *_band(200.0, 2000.0, sr))
    t = np.arange(n) / sr
    phase = rng.uniform(0, 2 * np.pi)
    return np.sin(2 * np.pi * f * t + phase) * _adsr(rng, n, sr)


def _chirp(rng, n, sr):
    low, high = _band(150.0, 4000.0, sr)
    f_a = _loguniform(rng, low, high / 1.5)
    f_b = min(f_a * _loguniform(rng, 1.5, 8.0), high)
    f0, f1 = (f_a, f_b) if rng.uniform() < 0.5 else (f_b, f_a)  # up or down
    t = np.arange(n) / sr
    T = max(n - 1, 1) / sr
    if rng.uniform() < 0.5:  # linear sweep
        phase = 2 * np.pi * (f0 * t + 0.5 * (f1 - f0) / T * t**2)
    else:  # exponential sweep: constant octaves per second
        k = f1 / f0
        phase = 2 * np.pi * f0 * T / np.log(k) * (k ** (t / T) - 1.0)
    phase += rng.uniform(0, 2 * np.pi)
    return np.sin(phase) * _fade(rng, n, sr)


def _noise_burst(rng, n, sr):
    fc = _loguniform(rng, *_band(300.0, 6000.0, sr))
    bandwidth = fc * _loguniform(rng, 0.03, 1.0)  # narrow bands sound tonal
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, d=1.0 / sr)
    spectrum *= np.exp(-0.5 * ((freqs - fc) / (0.5 * bandwidth)) ** 2)
    burst = np.fft.irfft(spectrum, n=n)
    # Short attack, exponential decay, short taper so the burst ends at zero.
    attack = min(rng.uniform(0.001, 0.01) * sr, 0.2 * n)
    tau = rng.uniform(0.25, 1.5) * n
    taper = min(0.005 * sr, 0.2 * n)
    idx = np.arange(n, dtype=np.float64)
    env = np.minimum(idx / max(attack, 1.0), 1.0) * np.exp(-np.maximum(idx - attack, 0.0) / tau)
    env *= np.minimum((n - 1 - idx) / max(taper, 1.0), 1.0)
    return burst * env


def _click_train(rng, n, sr):
    rate = rng.uniform(5.0, 40.0)
    period = sr / rate
    first = rng.uniform(0.0, min(period, n - 1))
    positions = np.round(first + period * np.arange(int((n - 1 - first) // period) + 1)).astype(int)
    impulses = np.zeros(n)
    impulses[positions] = rng.uniform(0.8, 1.0, size=positions.size)
    # Each click is a damped resonance (a "tick" with a random colour).
    f_click = _loguniform(rng, *_band(500.0, 5000.0, sr))
    tau = rng.uniform(0.0005, 0.005) * sr
    k = np.arange(max(int(np.ceil(6 * tau)), 2))
    kernel = np.sin(2 * np.pi * f_click / sr * k + rng.uniform(0, 2 * np.pi)) * np.exp(-k / tau)
    return np.convolve(impulses, kernel)[:n]


def _harmonic(rng, n, sr):
    f0 = _loguniform(rng, *_band(100.0, 400.0, sr))
    top = min(f0 * rng.uniform(4.0, 16.0), 0.45 * sr)
    harmonics = np.arange(1, max(int(top // f0), 1) + 1, dtype=np.float64)
    # Steep roll-offs make a stack that is almost a pure tone at f0.
    amps = harmonics ** (-rng.uniform(0.5, 2.5)) * np.exp(rng.normal(0.0, 0.3, size=harmonics.size))
    phases = rng.uniform(0, 2 * np.pi, size=harmonics.size)
    t = np.arange(n) / sr
    wave = amps @ np.sin(2 * np.pi * f0 * harmonics[:, None] * t + phases[:, None])
    return wave * _adsr(rng, n, sr)


def _am_tone(rng, n, sr):
    fc = _loguniform(rng, *_band(200.0, 2000.0, sr))
    fm = rng.uniform(3.0, 20.0)
    depth = rng.uniform(0.3, 1.0)
    t = np.arange(n) / sr
    carrier = np.sin(2 * np.pi * fc * t + rng.uniform(0, 2 * np.pi))
    modulator = 1.0 + depth * np.sin(2 * np.pi * fm * t + rng.uniform(0, 2 * np.pi))
    return carrier * modulator * _fade(rng, n, sr)


_SYNTHS = {
    "tone": _tone,
    "chirp": _chirp,
    "noise_burst": _noise_burst,
    "click_train": _click_train,
    "harmonic": _harmonic,
    "am_tone": _am_tone,
}


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


def _is_real(x):
    return is_number(x) and np.isfinite(x)


def _check_range(value, name):
    """A number or a (low, high) pair -> (low, high) floats."""
    if _is_real(value):
        low = high = float(value)
    elif isinstance(value, (tuple, list, np.ndarray)) and len(value) == 2 and all(_is_real(v) for v in value):
        low, high = float(value[0]), float(value[1])
        if low > high:
            raise ValueError(f"{name}=({low}, {high}) must satisfy low <= high.")
    else:
        raise ValueError(f"{name} must be a finite number or a (low, high) pair, got {value!r}.")
    return low, high


def _check_classes(classes):
    if classes is None:
        return list(SOUND_CLASSES)
    if isinstance(classes, str):
        classes = [classes]
    try:
        classes = list(classes)
    except TypeError:
        raise ValueError(
            f"classes must be None or a list of names from {list(SOUND_CLASSES)}, got {classes!r}."
        ) from None
    if not classes:
        raise ValueError(f"classes must name at least one of {list(SOUND_CLASSES)}; got an empty list.")
    unknown = [c for c in classes if not isinstance(c, str) or c not in _SYNTHS]
    if unknown:
        raise ValueError(f"classes contains unknown names {unknown}; valid names are {list(SOUND_CLASSES)}.")
    duplicates = sorted({c for c in classes if classes.count(c) > 1})
    if duplicates:
        raise ValueError(f"classes contains duplicates {duplicates}; name each class once.")
    return classes


# --------------------------------------------------------------------------
# Public generator
# --------------------------------------------------------------------------


def make_sounds(
    n_per_class: int = 50,
    *,
    classes: Sequence[str] | None = None,
    sr: int = 16000,
    duration: float | tuple[float, float] = (0.5, 1.5),
    snr_db: float | tuple[float, float] | None = None,
    return_bunch: bool = False,
    random_state: int | np.random.RandomState | np.random.Generator | None = None,
) -> tuple[list[np.ndarray], np.ndarray] | Bunch:
    """Generate a labelled dataset of synthetic sound events.

    An audio analogue of :func:`sklearn.datasets.make_classification`: each
    clip holds one event of one class, placed at a random onset between
    silent (or noisy) padding. Clips vary in length, event duration, onset,
    pitch (or band, or rate) and peak level, so neither length nor loudness
    reveals the class; the spectrum and temporal structure do.

    The classes are:

    ``"tone"``
        Pure sine, 200-2000 Hz (log-uniform), random ADSR envelope.
    ``"chirp"``
        Linear or exponential sweep, up or down, over a random range of
        1.5x to 8x between 150 and 4000 Hz, with fades.
    ``"noise_burst"``
        Gaussian-band-passed noise, centre 300-6000 Hz, bandwidth 3-100 %
        of the centre (narrow bands sound almost tonal); attack of 1-10 ms
        and exponential decay.
    ``"click_train"``
        Periodic clicks at 5-40 Hz; each click is a damped 500-5000 Hz
        resonance lasting a few milliseconds.
    ``"harmonic"``
        Harmonic stack on f0 = 100-400 Hz (overlapping the tones) with
        randomly decaying harmonic amplitudes, random ADSR envelope.
    ``"am_tone"``
        Sine carrier, 200-2000 Hz, amplitude-modulated at 3-20 Hz with a
        depth of 30-100 %, with fades.

    Frequencies are capped at 0.45 * ``sr``.

    Parameters
    ----------
    n_per_class : int > 0, default=50
        Number of clips of each class.
    classes : list of str or None, default=None
        Names of the classes to generate, a subset of the six above, in the
        order of ``target_names``. None generates all six.
    sr : int >= 1000, default=16000
        Sample rate in Hz.
    duration : float or (float, float), default=(0.5, 1.5)
        Clip duration in seconds, >= 0.05. A pair ``(low, high)`` draws each
        clip's length uniformly in that range; a single number gives every
        clip ``round(sr * duration)`` samples. The event itself lasts 30-90 %
        of its clip.
    snr_db : float, (float, float) or None, default=None
        Background noise. None leaves the padding silent and the events
        clean. A number, or a range ``(low, high)`` to draw from uniformly per
        clip, adds white Gaussian noise over the whole clip at that
        signal-to-noise ratio in dB, the signal power being the event's mean
        power over the stretch it was synthesised in (the 30-90 % of its
        clip above; for a click train, the pauses before its first click
        and after its last click's ring count). The noise comes from its
        own random stream, so the same ``random_state`` gives the same events
        with and without noise.
    return_bunch : bool, default=False
        If True, return a :class:`~sklearn.utils.Bunch` instead of
        ``(X, y)``.
    random_state : int, RandomState, Generator or None, default=None
        Seed or random number generator, for reproducible datasets. The
        clips are shuffled with it too.

    Returns
    -------
    X : list of ndarray of shape (n_samples_i,)
        ``n_per_class * len(classes)`` float32 mono clips (a list even when
        all have the same length), finite, with peak amplitude between 0.1
        and 0.9.
    y : ndarray of shape (n_clips,) of str
        The class name of each clip.
    data : Bunch
        Returned instead of ``(X, y)`` when ``return_bunch=True``, with keys
        ``data`` (X), ``target`` (y), ``target_names`` (ndarray of the class
        names), ``sr`` (int), and ``onset`` and ``offset`` (float ndarrays,
        the event's start and end within each clip in seconds: its first and
        last non-zero sample, so a click train runs from its first click to
        the end of its last click's ring).

    Raises
    ------
    ValueError
        On an unknown class name (the message lists the valid ones) or an
        invalid ``n_per_class``, ``sr``, ``duration`` or ``snr_db``; the
        message names the parameter.

    See Also
    --------
    make_colored_noise : Unit-RMS white, pink or brown noise.
    sklearn.datasets.make_classification : The tabular counterpart.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.datasets import make_sounds
    >>> X, y = make_sounds(n_per_class=4, random_state=0)
    >>> len(X), X[0].dtype, y.shape
    (24, dtype('float32'), (24,))
    >>> np.unique(y, return_counts=True)[1].tolist()  # balanced
    [4, 4, 4, 4, 4, 4]
    >>> np.unique(y).tolist()
    ['am_tone', 'chirp', 'click_train', 'harmonic', 'noise_burst', 'tone']
    >>> all(8000 <= len(x) <= 24000 for x in X)
    True

    Fixed-length clips of two classes in noise, as a Bunch:

    >>> data = make_sounds(3, classes=["tone", "chirp"], sr=8000, duration=1.0,
    ...                    snr_db=(0, 20), return_bunch=True, random_state=0)
    >>> {len(x) for x in data.data}, data.target_names.tolist(), data.sr
    ({8000}, ['tone', 'chirp'], 8000)
    """
    if not is_integer(n_per_class) or n_per_class <= 0:
        raise ValueError(f"n_per_class must be an int > 0, got {n_per_class!r}.")
    if not is_integer(sr) or sr < _MIN_SR:
        raise ValueError(f"sr must be an int >= {_MIN_SR} (Hz; the sounds span about 100 Hz to 4 kHz), got {sr!r}.")
    sr = int(sr)
    classes = _check_classes(classes)
    try:
        dur_low, dur_high = _check_range(duration, "duration")
    except ValueError as exc:
        raise ValueError(
            f"duration must be a number of seconds >= {_MIN_DURATION} or a (low, high) pair of them with low <= "
            f"high, got {duration!r}: {exc}"
        ) from None
    if dur_low < _MIN_DURATION:
        raise ValueError(f"duration must be >= {_MIN_DURATION} s (at least one short event), got {duration!r}.")
    snr_range = None if snr_db is None else _check_range(snr_db, "snr_db")
    if not isinstance(return_bunch, (bool, np.bool_)):
        raise ValueError(f"return_bunch must be a bool, got {return_bunch!r}.")
    rng = _check_random_state(random_state)

    # The background noise has its own stream, drawn from the main one first,
    # so that toggling snr_db changes the noise and nothing else.
    noise_rng = np.random.RandomState(_randint(rng, 0, 2**31 - 1))
    y = np.repeat(np.array(classes), n_per_class)
    y = y[rng.permutation(y.size)]

    X = []
    onsets = np.empty(y.size)
    offsets = np.empty(y.size)
    for i, label in enumerate(y):
        n = int(round(rng.uniform(dur_low, dur_high) * sr))
        n_event = max(int(round(rng.uniform(*_EVENT_FRACTION) * n)), 2)
        onset = int(_randint(rng, 0, n - n_event + 1))
        level = _loguniform(rng, *_LEVEL_RANGE)
        event = _SYNTHS[label](rng, n_event, sr)
        peak = np.max(np.abs(event))
        if peak > 0:
            event /= peak

        clip = np.zeros(n)
        clip[onset : onset + n_event] = event
        if snr_range is not None:
            snr = noise_rng.uniform(*snr_range)
            event_rms = np.sqrt(np.mean(event**2))
            noise = make_colored_noise(n, color="white", random_state=noise_rng)
            clip += noise * (event_rms * 10.0 ** (-snr / 20.0))
        # Scaling the whole mix keeps the SNR and sets the peak to `level`.
        peak = np.max(np.abs(clip))
        if peak > 0:
            clip *= level / peak
        X.append(clip.astype(np.float32))
        # annotated from its first to its last sound: a click train's stretch starts and ends between clicks
        sounding = np.flatnonzero(event)
        first, last = (sounding[0], sounding[-1] + 1) if sounding.size else (0, n_event)
        onsets[i], offsets[i] = (onset + first) / sr, (onset + last) / sr

    if return_bunch:
        return Bunch(
            data=X,
            target=y,
            target_names=np.array(classes),
            sr=sr,
            onset=onsets,
            offset=offsets,
        )
    return X, y
