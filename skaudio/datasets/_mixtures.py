"""Noisy mixtures of clean clips, at a controlled signal-to-noise ratio."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from skaudio.datasets._noise import (
    NOISE_COLORS,
    _check_random_state,
    _played_faster,
    _randint,
    make_colored_noise,
)
from skaudio.utils import check_sample_rate, check_waveforms, is_number, is_ragged


def shortest_noise(sr: int | None) -> int:
    """The fewest samples a noise recording may hold: one analysis frame of the factories at ``sr`` (8 kHz if None).

    Looped, a recording shorter than that is a buzz at its own period, not noise.

    Examples
    --------
    >>> shortest_noise(None), shortest_noise(16000)
    (256, 512)
    """
    from skaudio.pipelines import frame_settings  # the factories' 32 ms frame

    return frame_settings(8000 if sr is None else sr)[0]


# A batch (n_clips, n_samples) with at most this many samples per clip and more clips is taken for a
# recording with its channels last (n_samples, n_channels), as soundfile reads it.
MAX_CHANNELS = 8

# Babble: this many other clips of the batch are summed into each noise.
BABBLE_TALKERS = 4

# Random filtering of noise excerpts: gains drawn at this many frequencies, spaced evenly in log frequency
# from 1/64 of the Nyquist frequency (62.5 Hz at 8 kHz) up to it, interpolated in between.
FILTER_POINTS = 6
FILTER_LOWEST = 1 / 64


def _snr_values(snr_db, n, rng):
    if is_number(snr_db):
        if not np.isfinite(snr_db):
            raise ValueError(f"snr_db must be finite, got {snr_db!r}.")
        return np.full(n, float(snr_db))
    try:
        if isinstance(snr_db, (str, bytes)):  # "10" would unpack as ("1", "0")
            raise TypeError
        low, high = (float(v) for v in snr_db)
    except (TypeError, ValueError):
        raise ValueError(f"snr_db must be a number or a (low, high) pair in dB, got {snr_db!r}.") from None
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError(f"snr_db range must be finite, got ({low}, {high}).")
    if low > high:
        raise ValueError(f"snr_db range must have low <= high, got ({low}, {high}).")
    return rng.uniform(low, high, size=n)


def _refuse_channels_last(batch, name, items="clips"):
    """Refuse a 2D array that looks like one recording with its channels last rather than a batch of ``items``."""
    shape = getattr(batch, "shape", ())
    if len(shape) == 2 and shape[1] <= MAX_CHANNELS < shape[0]:
        raise ValueError(
            f"{name} has shape {shape}: {shape[0]} {items} of {shape[1]} samples each? A recording with its "
            f"channels last (n_samples, n_channels), as soundfile reads it, is {name}.T (one row per channel) or "
            f"{name}.mean(axis=1)[None] (mixed to mono)."
        )


def _looped(noise, length):
    """``noise`` itself, or tiled until an excerpt of ``length`` samples can start anywhere in one period."""
    return noise if len(noise) >= length else np.tile(noise, int(np.ceil(length / len(noise))) + 1)


def _fit_to(noise, length, rng):
    """A random excerpt of ``noise`` of ``length`` samples (tiled if too short)."""
    noise = _looped(noise, length)
    start = _randint(rng, 0, len(noise) - length + 1)
    return noise[start : start + length]


# A noise or background excerpt must be audible over at least this share of its frames (of AUDIBLE_FRAME
# samples, within QUIET_DB of the recording's loudest frame): scaled to an SNR, an excerpt that is mostly
# digital silence becomes a burst far louder than the SNR says.
AUDIBLE_SHARE = 0.25
AUDIBLE_FRAME = 256
QUIET_DB = 60.0


def _frame_energies(x):
    """Energy of each whole frame of ``AUDIBLE_FRAME`` samples of ``x`` (a shorter last frame left out)."""
    n_frames = len(x) // AUDIBLE_FRAME
    return np.sum(x[: n_frames * AUDIBLE_FRAME].reshape(n_frames, AUDIBLE_FRAME) ** 2, axis=1)


def _audible_excerpt(recording, length, rng, name):
    """A random excerpt as :func:`_fit_to` draws it, or, where that one is mostly silent, one of the audible ones.

    The first draw is :func:`_fit_to`'s, so that a recording audible throughout gives the excerpts it always
    gave. Where it falls on a silent stretch, the excerpt is drawn among the frame-aligned starts whose
    excerpt is audible over ``AUDIBLE_SHARE`` of its frames; a recording with none is refused whatever the
    seed.
    """
    energies = _frame_energies(recording)
    floor = (energies.max() if len(energies) else np.sum(recording**2)) * 10 ** (-QUIET_DB / 10)
    excerpt = _fit_to(recording, length, rng)
    excerpt_energies = _frame_energies(excerpt)
    if not len(excerpt_energies):  # shorter than a frame: audible anywhere will do
        if np.any(excerpt):
            return excerpt
    elif np.mean(excerpt_energies > floor) >= AUDIBLE_SHARE:
        return excerpt
    looped = _looped(recording, length)
    # the share of audible frames of the excerpt starting at each frame boundary, from a running count
    audible = np.concatenate([[0], np.cumsum(_frame_energies(looped) > floor)])
    span = max(1, length // AUDIBLE_FRAME)
    n_starts = (len(looped) - length) // AUDIBLE_FRAME + 1
    shares = (audible[span : span + n_starts] - audible[:n_starts]) / span
    candidates = np.flatnonzero(shares >= AUDIBLE_SHARE)
    if not len(candidates):
        raise ValueError(
            f"{name} is silent over most of its length: no excerpt of {length} samples is audible (within "
            f"{QUIET_DB:g} dB of its loudest {AUDIBLE_FRAME}-sample frame) over {AUDIBLE_SHARE:.0%} of its frames, "
            "and scaled to an SNR a mostly silent excerpt is a burst far louder than that SNR. Trim the "
            "recording's silences or leave it out."
        )
    start = int(candidates[_randint(rng, 0, len(candidates))]) * AUDIBLE_FRAME
    return looped[start : start + length]


def _check_augmentation(noise_filter_db, noise_speed_perturbation):
    if not is_number(noise_filter_db) or not 0 <= noise_filter_db < np.inf:
        raise ValueError(f"noise_filter_db must be a number of dB >= 0, got {noise_filter_db!r}.")
    if not is_number(noise_speed_perturbation) or not 0 <= noise_speed_perturbation < 1:
        raise ValueError(f"noise_speed_perturbation must be a number in [0, 1), got {noise_speed_perturbation!r}.")


def _random_filter(noise, filter_db, rng):
    """``noise`` through a smooth random filter: gains in [-filter_db, filter_db] dB over log frequency."""
    spectrum = np.fft.rfft(noise)
    frequency = np.maximum(np.fft.rfftfreq(len(noise)) * 2, FILTER_LOWEST)  # 1 = Nyquist
    points = np.geomspace(FILTER_LOWEST, 1.0, FILTER_POINTS)
    gains_db = np.interp(np.log(frequency), np.log(points), rng.uniform(-filter_db, filter_db, FILTER_POINTS))
    return np.fft.irfft(spectrum * 10 ** (gains_db / 20), n=len(noise))


def _speed_factor(speed_perturbation, rng):
    """A random speed in ``[1 - s, 1 + s]``; 1 without drawing when s is 0."""
    return rng.uniform(1 - speed_perturbation, 1 + speed_perturbation) if speed_perturbation else 1.0


def _drawn_length(length, factor):
    """Samples to draw so that, played ``factor`` times faster, they last ``length`` samples."""
    # a few samples more than needed: the resampler's output length rounds
    return length if factor == 1.0 else int(np.ceil(length * factor)) + 8


def _at_speed(noise, factor, length):
    """``noise`` played ``factor`` times faster, ``length`` samples of it."""
    return noise if factor == 1.0 else np.resize(_played_faster(noise, factor), length)


def _babble(clips, i, length, rng):
    others = [j for j in range(len(clips)) if j != i]
    if not others:
        raise ValueError("noise='babble' mixes other clips of the batch: it needs at least 2 clips.")
    picks = rng.permutation(others)[:BABBLE_TALKERS]
    mix = np.zeros(length)
    for j in picks:
        talker = clips[j] / (np.sqrt(np.mean(clips[j] ** 2)) + 1e-12)
        mix += _fit_to(talker, length, rng)
    return mix


def make_noisy(
    clean: ArrayLike | Sequence[ArrayLike],
    *,
    noise: Literal["white", "pink", "brown", "babble"] | Sequence[ArrayLike] = "white",
    snr_db: float | tuple[float, float] = 0.0,
    sr: int | None = None,
    noise_filter_db: float = 0.0,
    noise_speed_perturbation: float = 0.0,
    random_state: int | np.random.RandomState | np.random.Generator | None = None,
) -> tuple[np.ndarray | list[np.ndarray], np.ndarray | list[np.ndarray]]:
    """Mix noise into clean clips at a given signal-to-noise ratio.

    Parameters
    ----------
    clean : ndarray of shape (n_clips, n_samples) or list of 1D ndarray
        Clean clips. A silent clip raises an error (its SNR is undefined).
    noise : {"white", "pink", "brown", "babble"} or list of 1D ndarray, default="white"
        Coloured Gaussian noise; "babble", a sum of other clips of the batch
        (each at equal level, random excerpts); or noise recordings, from
        which each clip gets a random excerpt of a random recording (tiled
        when shorter than the clip). Recordings must be at the clips' rate,
        and hold at least one analysis frame of the factories (32 ms rounded
        up to a power of two at ``sr``, :func:`skaudio.pipelines.frame_settings`;
        256 samples when ``sr`` is None): a shorter one, looped, would be a
        buzz at its own period, not noise. An excerpt must be audible over a
        quarter of its 256-sample frames (within 60 dB of the recording's
        loudest frame): one that falls on a silent stretch is drawn again
        among those that are, and a recording with none is refused (scaled
        to the SNR, a sliver of noise would be a loud burst).
    snr_db : float or (float, float), default=0.0
        Signal-to-noise ratio in dB (signal power over the clip's length), or
        a (low, high) range drawn uniformly per clip.
    sr : int or None, default=None
        Sample rate of the clips: it sets the shortest noise recording
        accepted, and is not used to resample (pass noise recordings at the
        same rate).
    noise_filter_db : float >= 0, default=0.0
        Random filtering, so that a few noise recordings stand for many: each
        clip's noise passes through a smooth random filter whose gains, drawn
        uniformly in ``[-noise_filter_db, noise_filter_db]`` dB at six
        frequencies evenly spaced in log frequency from 1/64 of the Nyquist
        frequency to it, are interpolated in between (before the noise is
        scaled to the SNR). 0 draws nothing.
    noise_speed_perturbation : float in [0, 1), default=0.0
        Each excerpt of a noise recording or of babble is played faster or
        slower by a random factor in ``[1 - s, 1 + s]`` (resampled with
        soxr): pitch, tempo and spectrum shift together, as between engines,
        fans or voices. Coloured noise is left as drawn. 0 draws nothing.
    random_state : int, RandomState, Generator or None, default=None
        Seed of the noise, of the excerpt drawn from each noise recording
        and of the augmentations.

    Returns
    -------
    noisy : same structure as clean, float32
    clean : same structure, float32
        The input, validated and aligned with ``noisy``.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.datasets import make_noisy
    >>> from skaudio.metrics import snr
    >>> clean = np.sin(np.linspace(0, 300, 8000))[None].repeat(3, 0)
    >>> noisy, clean = make_noisy(clean, noise="pink", snr_db=5.0, random_state=0)
    >>> snr(clean, noisy).round(3)
    array([5., 5., 5.])
    """
    _refuse_channels_last(clean, "clean")
    clips = check_waveforms(clean, name="clean")
    sr = check_sample_rate(sr, allow_none=True)
    _check_augmentation(noise_filter_db, noise_speed_perturbation)
    rng = _check_random_state(random_state)
    snrs = _snr_values(snr_db, len(clips), rng)
    recordings = None
    if isinstance(noise, str):
        if noise != "babble" and noise not in NOISE_COLORS:
            raise ValueError(
                f"noise must be one of {sorted(NOISE_COLORS) + ['babble']} or a list of recordings, got {noise!r}."
            )
    else:
        if isinstance(noise, np.ndarray) and noise.ndim == 1 and noise.dtype != object:
            noise = [noise]  # one recording
        _refuse_channels_last(noise, "noise", items="recordings")
        recordings = check_waveforms(list(noise), name="noise")
        shortest = shortest_noise(sr)
        for k, rec in enumerate(recordings):
            if len(rec) < shortest:
                at = "" if sr is None else f" at {sr} Hz"
                raise ValueError(
                    f"noise[{k}] holds {len(rec)} samples, fewer than one analysis frame ({shortest}{at}): looped, "
                    "it would be a buzz at its own period, not noise."
                )
            if not np.any(rec):
                raise ValueError(f"noise[{k}] is silent: it cannot be scaled to an SNR.")
    clips64 = [np.asarray(c, dtype=np.float64) for c in clips]
    noisy = []
    for i, clip in enumerate(clips64):
        power = np.mean(clip**2)
        if power == 0:
            raise ValueError(f"clean[{i}] is silent: its SNR is undefined.")
        n = len(clip)
        if recordings is not None or noise == "babble":
            factor = _speed_factor(noise_speed_perturbation, rng)
            drawn = _drawn_length(n, factor)
            if recordings is not None:
                source = _randint(rng, 0, len(recordings))
                noise_i = _audible_excerpt(recordings[source].astype(np.float64), drawn, rng, f"noise[{source}]")
            else:
                noise_i = _babble(clips64, i, drawn, rng)
            noise_i = _at_speed(noise_i, factor, n)
        else:
            noise_i = make_colored_noise(n, color=noise, random_state=rng).astype(np.float64)
        if noise_filter_db:
            noise_i = _random_filter(noise_i, noise_filter_db, rng)
        noise_power = np.mean(noise_i**2)
        if noise_power == 0:  # babble of other clips' silent stretches
            raise ValueError(f"the babble drawn for clean[{i}] is silent: the other clips' excerpts are silent.")
        gain = np.sqrt(power / (noise_power * 10 ** (snrs[i] / 10)))
        noisy.append((clip + gain * noise_i).astype(np.float32))
    if is_ragged(clips):
        return noisy, [np.asarray(c, dtype=np.float32) for c in clips]
    return np.stack(noisy), np.asarray(clips, dtype=np.float32)
