"""Sound event scenes: labelled clips placed over a background, with annotations."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from skaudio.datasets._mixtures import _audible_excerpt, _snr_values, shortest_noise
from skaudio.datasets._noise import (
    NOISE_COLORS,
    _check_positive_int,
    _check_random_state,
    _played_faster,
    _randint,
    make_colored_noise,
)
from skaudio.utils import check_sample_rate, check_waveforms, is_integer, is_number, missing_labels, named

# The background's RMS level; events are scaled relative to it. Low enough
# that a 20 dB event rarely clips; a scene that would clip is scaled down whole.
BACKGROUND_RMS = 0.01


def _n_events_range(n_events):
    if is_integer(n_events):
        low = high = int(n_events)
    else:
        try:
            low, high = n_events
        except (TypeError, ValueError):
            raise ValueError(f"n_events must be an int or a (low, high) pair of ints, got {n_events!r}.") from None
        if not all(is_integer(v) for v in (low, high)):
            raise ValueError(f"n_events must be an int or a (low, high) pair of ints, got {n_events!r}.")
        low, high = int(low), int(high)
    if low < 0 or low > high:
        raise ValueError(f"n_events must satisfy 0 <= low <= high, got {n_events!r}.")
    return low, high


def trimmed_events(clips, trim_db, sr):
    """Each clip cut to its non-silent span (within ``trim_db`` of its peak), so that annotations span the sound.

    A silent clip is an error naming it (``clips[i]``); ``trim_db=None`` keeps the clips whole.
    """
    out = []
    for i, clip in enumerate(clips):
        clip = np.asarray(clip, dtype=np.float64)
        if not np.any(clip):
            raise ValueError(f"clips[{i}] is silent: it cannot be an event.")
        if trim_db is not None:
            import librosa  # the field's trimming; imported here to keep `skaudio.datasets` light

            # 16 ms frames: the annotation is off by at most about one frame
            frame = max(4, min(int(0.016 * sr), len(clip)))
            clip, _ = librosa.effects.trim(clip, top_db=trim_db, frame_length=frame, hop_length=max(1, frame // 4))
        out.append(clip)
    return out


def _played_at(clip, factor, n_samples):
    """``clip`` played ``factor`` times faster (shorter and higher), slowed no further than ``n_samples`` long."""
    factor = max(factor, len(clip) / n_samples)
    played = _played_faster(clip, factor)[:n_samples]
    # a clip of a sample or two can resample to nothing audible: it is then placed as it is
    return played if np.any(played) else clip


def _backgrounds(backgrounds, n_scenes, n_samples, rng, sr):
    """``n_scenes`` background excerpts, each scaled to ``BACKGROUND_RMS``."""
    if isinstance(backgrounds, str):
        if backgrounds not in NOISE_COLORS:
            raise ValueError(
                f"backgrounds must be one of {sorted(NOISE_COLORS)} or a list of recordings, got {backgrounds!r}."
            )
        noise = make_colored_noise(n_samples, n_clips=n_scenes, color=backgrounds, random_state=rng)
        noise = np.atleast_2d(noise).astype(np.float64)
    else:
        if isinstance(backgrounds, np.ndarray) and backgrounds.ndim == 1 and backgrounds.dtype != object:
            backgrounds = [backgrounds]
        recordings = check_waveforms(list(backgrounds), name="backgrounds")
        shortest = shortest_noise(sr)
        for k, rec in enumerate(recordings):
            if len(rec) < shortest:
                raise ValueError(
                    f"backgrounds[{k}] holds {len(rec)} samples, fewer than one analysis frame ({shortest} at {sr} "
                    "Hz): looped, it would be a buzz at its own period, not an ambience."
                )
            if not np.any(rec):
                raise ValueError(f"backgrounds[{k}] is silent: it cannot set the scene's SNR.")
        excerpts = []
        for _ in range(n_scenes):  # a recording, then its excerpt: the order of the draws is the seed's contract
            k = _randint(rng, 0, len(recordings))
            excerpts.append(_audible_excerpt(recordings[k].astype(np.float64), n_samples, rng, f"backgrounds[{k}]"))
        noise = np.stack(excerpts)
    rms = np.sqrt(np.mean(noise**2, axis=1, keepdims=True))
    if np.any(rms == 0):
        raise ValueError("a background excerpt is silent: it cannot set the scene's SNR.")
    return noise * (BACKGROUND_RMS / rms)


def _non_overlapping_onsets(lengths, n_samples, rng):
    """Onsets (samples) of events of ``lengths`` in a random order with random gaps between them.

    The free time is cut at uniformly drawn points into ``len(lengths) + 1``
    gaps, so every arrangement is possible and placement never fails when
    the events fit end to end.
    """
    slack = n_samples - int(np.sum(lengths))
    cuts = np.sort(_randint(rng, 0, slack + 1, size=len(lengths)))
    gaps = np.diff(np.concatenate([[0], cuts]))
    order = rng.permutation(len(lengths))
    onsets = np.empty(len(lengths), dtype=int)
    position = 0
    for gap, k in zip(gaps, order):
        position += gap
        onsets[k] = position
        position += lengths[k]
    return onsets


def make_event_scenes(
    clips: ArrayLike | Sequence[ArrayLike],
    labels: ArrayLike,
    *,
    n_scenes: int = 100,
    sr: int,
    duration: float = 4.0,
    n_events: int | tuple[int, int] = (1, 3),
    backgrounds: Literal["white", "pink", "brown"] | Sequence[ArrayLike] = "pink",
    snr_db: float | tuple[float, float] = (0.0, 20.0),
    allow_overlap: bool = False,
    trim_db: float | None = 40.0,
    speed_perturbation: float = 0.0,
    random_state: int | np.random.RandomState | np.random.Generator | None = None,
) -> tuple[np.ndarray, list[list[tuple[float, float, Hashable]]]]:
    """Synthesise sound event scenes from labelled clips, with their annotations.

    Each scene is a background (coloured noise or excerpts of recordings)
    with a random number of events placed at random times. Each event is a
    randomly drawn clip at a randomly drawn event-to-background ratio. Like
    Scaper, but on clips already in memory and with no other dependency.

    Parameters
    ----------
    clips : ndarray of shape (n_clips, n_samples) or list of 1D ndarray
        Event recordings at ``sr``.
    labels : array-like of shape (n_clips,)
        The label of each clip (str or int); it becomes the event's label.
    n_scenes : int > 0, default=100
        Number of scenes to synthesise.
    sr : int > 0
        Sample rate of the clips and of the scenes.
    duration : float > 0, default=4.0
        Length of every scene in seconds.
    n_events : int or (int, int), default=(1, 3)
        Events per scene, or a range drawn uniformly (both ends included).
    backgrounds : {"white", "pink", "brown"} or list of 1D ndarray, default="pink"
        Coloured noise, or recordings at ``sr`` from which each scene gets a
        random excerpt (tiled when shorter than the scene; drawn again where
        it falls on a silent stretch, as :func:`~skaudio.datasets.make_noisy`
        draws noise excerpts). A recording must hold one analysis frame
        (:func:`~skaudio.datasets.make_noisy`'s shortest noise).
    snr_db : float or (float, float), default=(0.0, 20.0)
        Event-to-background ratio in dB (the event's power over its own
        samples against the background's), or a range drawn per event.
    allow_overlap : bool, default=False
        Whether events may overlap in time. When False, each scene's events
        are drawn first and placed in random order with random gaps between
        them.
    trim_db : float or None, default=40.0
        Clips are first trimmed to where they are within ``trim_db`` of
        their peak (``librosa.effects.trim``), so that each annotation spans
        the sound, not the silence recorded around it. None keeps clips whole.
    speed_perturbation : float in [0, 1), default=0.0
        Each event is played faster or slower by a random factor in
        ``[1 - s, 1 + s]`` (resampled with soxr; its annotation spans the
        new length, capped so that it still fits the scene): duration,
        pitch and formants change together, as between speakers, so that
        training scenes from a few voices cover more. 0 draws nothing, so
        the same ``random_state`` gives the same scenes as without it.
    random_state : int, RandomState, Generator or None, default=None
        Seed of the choice and placement of the events and of the
        backgrounds.

    Returns
    -------
    scenes : ndarray of shape (n_scenes, round(duration * sr)), float32
        Scaled down as a whole where the sum would exceed [-1, 1].
    events : list of list of (float, float, label)
        Per scene, its events as ``(onset_s, offset_s, label)``, sorted by
        onset. Offsets never pass the scene's end.

    Raises
    ------
    ValueError
        An event that cannot be placed (a clip longer than the scene, or no
        room left without overlap): the scene is never silently short of
        events. Also: mismatched clips and labels, a silent clip or
        background, bad ranges.

    See Also
    --------
    make_noisy : noise mixed into whole clips, for denoising.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.datasets import make_event_scenes
    >>> t = np.arange(2000) / 8000
    >>> clips = [np.sin(2 * np.pi * 440 * t), np.sin(2 * np.pi * 880 * t)]
    >>> scenes, events = make_event_scenes(clips, ["low", "high"], n_scenes=2, sr=8000,
    ...                                    duration=2.0, n_events=2, random_state=0)
    >>> scenes.shape
    (2, 16000)
    >>> [len(e) for e in events], events[0][0][2] in {"low", "high"}
    ([2, 2], True)
    """
    sr = check_sample_rate(sr)
    n_scenes = _check_positive_int(n_scenes, "n_scenes")
    if not is_number(duration) or not np.isfinite(duration) or duration <= 0:
        raise ValueError(f"duration must be a number of seconds > 0, got {duration!r}.")
    if trim_db is not None and not (is_number(trim_db) and 0 < trim_db < np.inf):
        raise ValueError(f"trim_db must be a finite number of dB > 0, or None, got {trim_db!r}.")
    if not isinstance(allow_overlap, (bool, np.bool_)):
        raise ValueError(f"allow_overlap must be True or False, got {allow_overlap!r}.")
    if not is_number(speed_perturbation) or not 0 <= speed_perturbation < 1:
        raise ValueError(f"speed_perturbation must be a number in [0, 1), got {speed_perturbation!r}.")
    clips = check_waveforms(clips, name="clips")
    shape = np.shape(labels)
    if len(shape) != 1 or shape[0] != len(clips):
        raise ValueError(f"labels must be 1D with one label per clip: got shape {shape} for {len(clips)} clips.")
    missing = missing_labels(labels)
    if missing:
        raise ValueError(
            f"{len(missing)} clip(s) have no label (None, NaN or NA): {named([f'labels[{i}]' for i in missing])}."
        )
    # plain Python values, whatever held them (a list, an array, a pandas column)
    labels = [label.item() if isinstance(label, np.generic) else label for label in labels]
    low, high = _n_events_range(n_events)
    rng = _check_random_state(random_state)
    clips = trimmed_events(clips, trim_db, sr)
    n_samples = int(round(duration * sr))
    for i, clip in enumerate(clips):
        if len(clip) > n_samples:
            raise ValueError(
                f"clips[{i}] lasts {len(clip) / sr:.3f} s (after trimming), longer than the {duration} s scene: "
                "it cannot be placed. Raise duration or shorten the clips."
            )
    scenes = _backgrounds(backgrounds, n_scenes, n_samples, rng, sr)
    all_events = []
    for s in range(n_scenes):
        count = int(_randint(rng, low, high + 1))
        snrs = _snr_values(snr_db, count, rng)
        picks = _randint(rng, 0, len(clips), size=count).astype(int)
        chosen = [clips[k] for k in picks]
        if speed_perturbation:
            factors = rng.uniform(1 - speed_perturbation, 1 + speed_perturbation, size=count)
            chosen = [_played_at(clip, factor, n_samples) for clip, factor in zip(chosen, factors)]
        lengths = np.array([len(clip) for clip in chosen], dtype=int)
        if allow_overlap:
            onsets = [int(_randint(rng, 0, n_samples - length + 1)) for length in lengths]
        elif lengths.sum() > n_samples:
            raise ValueError(
                f"the {count} events drawn for scene {s} (clips {picks.tolist()}) last {lengths.sum() / sr:.3f} s "
                f"in all{' as played' if speed_perturbation else ''}, longer than the {duration} s scene: they cannot "
                "be placed without overlap. Lower n_events, raise duration, or set allow_overlap=True."
            )
        else:
            onsets = _non_overlapping_onsets(lengths, n_samples, rng)
        events = []
        for k, clip, onset, snr in zip(picks, chosen, onsets, snrs):
            gain = BACKGROUND_RMS * 10 ** (snr / 20) / np.sqrt(np.mean(clip**2))
            scenes[s, onset : onset + len(clip)] += gain * clip
            events.append((float(onset / sr), float((onset + len(clip)) / sr), labels[k]))
        all_events.append(sorted(events, key=lambda event: event[:2]))
    peak = np.max(np.abs(scenes), axis=1, keepdims=True)
    scenes /= np.maximum(peak / 0.99, 1.0)
    return scenes.astype(np.float32), all_events
