"""Coloured Gaussian noise, shaped in the frequency domain.

The generators here are building blocks for the synthetic datasets (clean
sound classes, noisy mixtures, event backgrounds): they depend on numpy only
and produce a whole batch of clips with one FFT call.
"""

from __future__ import annotations

import numbers
from typing import Literal

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["make_colored_noise", "NOISE_COLORS"]

#: The named noise colours of ``make_colored_noise``, ``make_noisy`` and ``make_event_scenes``:
#: name -> exponent of the power spectral density ``1 / f**exponent``.
NOISE_COLORS = {
    "white": 0.0,
    "pink": 1.0,
    "brown": 2.0,
    "blue": -1.0,
    "violet": -2.0,
}


def _check_random_state(random_state):
    """Return a RandomState or Generator usable by the generators.

    ``sklearn.utils.check_random_state`` handles None, int and
    ``np.random.RandomState``; a ``np.random.Generator`` is passed through
    unchanged. Callers only use methods both classes share (``uniform``,
    ``standard_normal``, ``permutation``) plus :func:`_randint`.
    """
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, bool):
        raise ValueError(f"random_state must be None, an int, a RandomState or a Generator, got {random_state!r}.")
    try:
        return check_random_state(random_state)
    except ValueError as exc:
        raise ValueError(
            f"random_state must be None, an int, a numpy RandomState or a numpy Generator, got {random_state!r}."
        ) from exc


def _randint(rng, low, high, size=None):
    """Integers in ``[low, high)`` from a RandomState or a Generator."""
    if isinstance(rng, np.random.Generator):
        return rng.integers(low, high, size=size)
    return rng.randint(low, high, size=size)


def _played_faster(wave, factor):
    """``wave`` played ``factor`` times faster: shorter and higher (resampled with soxr) when factor > 1."""
    import soxr  # the resampler librosa uses; imported here to keep `skaudio.datasets` light

    return soxr.resample(wave, factor, 1.0)


def _check_positive_int(value, name):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{name} must be an int > 0, got {value!r}.")
    return int(value)


def make_colored_noise(
    n_samples: int,
    *,
    color: Literal["white", "pink", "brown", "blue", "violet"] = "white",
    n_clips: int | None = None,
    random_state: int | np.random.RandomState | np.random.Generator | None = None,
) -> np.ndarray:
    """Generate coloured Gaussian noise with unit RMS.

    White Gaussian noise is drawn in the time domain, shaped in the
    frequency domain so that its power spectral density falls as
    ``1 / f**beta`` (white: 0, pink: 1, brown: 2; blue: -1 and violet: -2
    rise instead), transformed back and normalised per clip.

    Parameters
    ----------
    n_samples : int > 0
        Length of each clip in samples.
    color : {"white", "pink", "brown", "blue", "violet"}, default="white"
        Spectral colour. Pink noise loses about 10 dB of power per decade
        (3 dB per octave), brown noise about 20 dB per decade.
    n_clips : int > 0 or None, default=None
        Number of independent clips. None returns a single 1D clip.
    random_state : int, RandomState, Generator or None, default=None
        Seed or random number generator, for reproducible output.

    Returns
    -------
    noise : ndarray of shape (n_samples,) or (n_clips, n_samples)
        Float32 noise; each clip has zero mean (coloured noise) and
        exactly unit root-mean-square amplitude (up to float32 rounding).

    Raises
    ------
    ValueError
        If ``color`` is not one of the names above, or ``n_samples`` or
        ``n_clips`` is not a positive int.

    See Also
    --------
    make_sounds : Labelled synthetic sound events, optionally in white noise.

    Notes
    -----
    The DC bin of coloured noise is set to zero (its ``1 / f**beta`` weight is
    undefined), so coloured clips of two or more samples have zero mean. White noise is left
    untouched apart from the RMS normalisation. The shaping is circular, so a
    clip of coloured noise loops without a discontinuity in its statistics.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.datasets import make_colored_noise
    >>> noise = make_colored_noise(16000, color="pink", n_clips=3, random_state=0)
    >>> noise.shape, noise.dtype
    ((3, 16000), dtype('float32'))
    >>> np.sqrt(np.mean(noise.astype(np.float64) ** 2, axis=-1)).round(4)
    array([1., 1., 1.])
    >>> make_colored_noise(8, random_state=0).shape
    (8,)
    """
    n_samples = _check_positive_int(n_samples, "n_samples")
    if n_clips is not None:
        n_clips = _check_positive_int(n_clips, "n_clips")
    if not isinstance(color, str) or color not in NOISE_COLORS:
        raise ValueError(f"color must be one of {sorted(NOISE_COLORS)}, got {color!r}.")
    rng = _check_random_state(random_state)

    shape = (1 if n_clips is None else n_clips, n_samples)
    noise = rng.standard_normal(size=shape)
    beta = NOISE_COLORS[color]
    # A one-sample clip is left white: it has no frequency but DC to shape.
    if beta != 0.0 and n_samples > 1:
        spectrum = np.fft.rfft(noise, axis=-1)
        freqs = np.fft.rfftfreq(n_samples)
        gain = np.zeros_like(freqs)
        # Amplitude goes as f**(-beta / 2) so that power goes as f**(-beta).
        gain[1:] = freqs[1:] ** (-beta / 2.0)
        noise = np.fft.irfft(spectrum * gain, n=n_samples, axis=-1)
    rms = np.sqrt(np.mean(noise**2, axis=-1, keepdims=True))
    noise = np.divide(noise, rms, out=np.zeros_like(noise), where=rms > 0)
    noise = noise.astype(np.float32)
    return noise[0] if n_clips is None else noise
