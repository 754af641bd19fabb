"""Event inference: detected events of recordings of any length, from a detector or a Pipeline ending in one.

The one place where frame probabilities become events. A recording longer
than the window is cut into overlapping windows; each window goes through
the feature steps and the detector on its own (as the training clips did),
the frame probabilities are averaged where windows overlap, and the joined
track is thresholded once, so that an event crossing a window edge comes out
whole.
"""

from __future__ import annotations

import inspect
import math
import numbers
import os
from collections.abc import Hashable, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike
from scipy.ndimage import median_filter as _median_filter
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from skaudio.models._event_detector import CRNNEventDetector
from skaudio.networks import output_frames
from skaudio.utils import is_number, is_ragged
from skaudio.utils._validation import multichannel_hint


def predict_events(
    estimator: CRNNEventDetector | Pipeline,
    X: ArrayLike | Sequence[ArrayLike],
    *,
    threshold: float | None = None,
    min_duration: float | None = None,
    median_filter: float | None = None,
    min_gap: float | None = None,
    window: float | None = None,
    overlap: float = 0.5,
    batch_size: int = 32,
) -> list[list[tuple[float, float, Hashable]]]:
    """Detected sound events of each recording, in seconds, whatever its length.

    ``estimator`` is a fitted :class:`~skaudio.models.CRNNEventDetector` (``X``
    holds features) or a fitted :class:`~sklearn.pipeline.Pipeline` ending in
    one (``X`` holds what the pipeline takes, usually waveforms: the steps
    before the detector run on each window, as they ran on each training
    clip). A recording longer than ``window`` is cut into windows that
    overlap by ``overlap``; the detector's frame probabilities are averaged
    where windows overlap and the joined track is thresholded once, so an
    event that crosses a window edge is one event. Windows go through the
    steps ``batch_size`` at a time, so memory does not grow with a
    recording's length beyond the recording itself.

    Read more in the :ref:`User Guide <event-detection>`.

    Parameters
    ----------
    estimator : CRNNEventDetector or Pipeline
        Fitted, with a frame-level ``temporal_pooling``. Another estimator
        with a ``predict_events`` method (an event detector of your own, or
        a Pipeline ending in one) is called with ``X`` transformed by the
        steps before it and with the options below that differ from their
        defaults.
    X : array-like or list of array-like
        Recordings: an array ``(n_recordings, n_samples)`` or a list of 1D
        waveforms of any lengths for a Pipeline whose steps take an ``sr``;
        features ``(n_recordings, n_frames, n_features)`` or a list of
        ``(n_frames, n_features)`` arrays for a detector (or a Pipeline of
        feature steps without ``sr``).
    threshold : float in (0, 1), dict or None, default=None
        Frame probabilities at or above it are active.
    min_duration : float >= 0, dict or None, default=None
        Events shorter than this (seconds) are dropped.
    median_filter : float >= 0, dict or None, default=None
        Length in seconds of a median filter over each label's activity
        (rounded to an odd number of output frames): fills short gaps and
        removes short blips; 0 filters nothing.
    min_gap : float >= 0, dict or None, default=None
        Events of one label separated by at most this many seconds are
        joined into one (after the median filter, before ``min_duration``).

        For these four post-processing options, None means the detector's
        parameter of the same name (see :class:`~skaudio.models.CRNNEventDetector`);
        a dict ``{label: value}`` gives each of the detector's labels its
        own value (as :func:`tune_event_postprocessing` chooses them).
    window : float > 0 or None, default=None
        Seconds of recording per window (a whole number of input frames,
        at least one output frame of the detector). None: the length of the
        clips the detector was fitted on. ``float("inf")`` processes each
        recording whole.
    overlap : float in [0, 1), default=0.5
        Fraction of a window shared with the next one (rounded so that
        windows start on the detector's output frames; more where a
        "valid"-padded network's output frames would not reach the next
        window's).
    batch_size : int >= 1, default=32
        Windows transformed and predicted together.

    Returns
    -------
    events : list of list of (float, float, label)
        Per recording, ``(onset_s, offset_s, label)`` sorted by onset, in
        seconds from the recording's start; an empty list where nothing is
        detected.

    Raises
    ------
    TypeError
        ``estimator`` is neither a detector nor a Pipeline ending in one;
        ``X`` holds file paths instead of waveforms.
    ValueError
        A bad option (the message names it), a detector with the clip-level
        ``temporal_pooling="last"``, a recording too short for the network
        (the message names it), or input the steps refuse.
    sklearn.exceptions.NotFittedError
        The detector is not fitted.

    See Also
    --------
    CRNNEventDetector.predict_frame_proba : The probabilities that are joined.
    skaudio.metrics.event_based_scores : Scores the events against references.

    Notes
    -----
    Times: input frame ``t`` of a window starting ``a`` frames into the
    recording is centred at ``(a + t) * frame_duration_`` seconds (the
    seconds between frames the detector was fitted with), and output frame
    ``j`` on input frame ``stride * j + offset``
    (:func:`skaudio.networks.frame_timing`); windows start on multiples of
    ``stride`` so that every window's output frames fall on one grid. For
    waveforms, a window of ``n`` frames is ``(n - 1) * hop`` samples (the
    clip that a centred STFT turns into ``n`` frames), with ``hop =
    frame_duration_ * sr``. Where windows overlap, each output frame's
    probability is a weighted mean, a window's frames weighing more towards
    its centre, where the network sees context on both sides.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.models import CRNNEventDetector, predict_events
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 20, 3)).astype("float32")
    >>> X[::2, 5:10] += 3.0
    >>> events = [[(0.05, 0.10, "beep")] if i % 2 == 0 else [] for i in range(40)]
    >>> det = CRNNEventDetector(temporal_pooling="max", padding="same", frame_duration=0.01,
    ...                         lstm_units=8, filters=8, epochs=3, random_state=0).fit(X, events)

    A recording five clips long, processed in overlapping windows of the
    training clips' length (0.2 s):

    >>> long = np.concatenate(list(X[:5]))[None]
    >>> detected = predict_events(det, long, threshold=0.5)
    >>> len(detected), all(0 <= onset < offset <= 1.0 for onset, offset, _ in detected[0])
    (1, True)
    """
    options = {
        "threshold": threshold,
        "min_duration": min_duration,
        "median_filter": median_filter,
        "min_gap": min_gap,
        "window": window,
        "overlap": overlap,
        "batch_size": batch_size,
    }
    steps, detector = _final_estimator(estimator)
    if not isinstance(detector, CRNNEventDetector):
        return _predict_events_of_other_detector(detector, steps, X, options)
    check_is_fitted(detector, "model_")
    postprocessing = {
        name: getattr(detector, name) if value is None else value
        for name, value in [
            ("threshold", threshold),
            ("median_filter", median_filter),
            ("min_gap", min_gap),
            ("min_duration", min_duration),
        ]
    }
    # checked before the network runs: a dict of values per label must name each of the detector's labels
    per_label_options(detector.labels_, **postprocessing)
    _check_window_options(overlap=overlap, batch_size=batch_size)
    return [
        frame_proba_to_events(**track, **postprocessing)
        for track in joined_frame_proba(steps, detector, X, window=window, overlap=overlap, batch_size=batch_size)
    ]


def joined_frame_proba(steps, detector, X, *, window, overlap, batch_size):
    """Each recording's frame probabilities, joined over overlapping windows: the arguments of frame_proba_to_events.

    ``steps`` and ``detector`` as :func:`_final_estimator` returns them (the
    detector fitted); options checked by the caller. A list of dicts with
    ``proba``, ``labels``, ``frame_duration``, ``first_frame_centre`` and
    ``end``, one per recording, so that events can be drawn from one
    network pass with several post-processing options.
    """
    fd = detector._fitted_frame_duration()
    _check_frame_duration_unchanged(steps, fd)
    stride, offset = detector._frame_timing()
    recordings = _recordings(X)
    sr = _sample_rate(steps)
    _check_recording_kind(recordings, waveforms=sr is not None, detector=detector)
    # samples per input frame for waveforms; 1 when the recordings are already frames
    hop = fd * sr if sr is not None else 1.0
    n_window = _window_frames(window, detector, fd, stride, waveforms=sr is not None)
    step = None
    if n_window < math.inf:
        # windows start on the output grid: a multiple of stride frames apart, and no further apart than a
        # window's output frames reach (fewer than its input frames for a "valid"-padded network), so that
        # every output frame between the first and the last is predicted by some window
        step = int(round(n_window * (1 - overlap))) // stride * stride
        step = max(stride, min(step, output_frames(n_window, **detector._geometry()) * stride))

    tracks = [_Track(_n_frames(len(rec), hop, sr is not None), stride) for rec in recordings]
    by_length = {}  # windows of one length share a batch: (recording, first frame, first unit, last unit)
    for i, (rec, track) in enumerate(zip(recordings, tracks)):
        for first, n_frames in _window_starts(track.n_in, n_window, step, stride):
            start = int(round(first * hop))
            stop = len(rec) if first + n_frames >= track.n_in else start + _units(n_frames, hop, sr is not None)
            by_length.setdefault(stop - start, []).append((i, first, start, stop))
    for windows in by_length.values():
        for b in range(0, len(windows), batch_size):
            batch = windows[b : b + batch_size]
            features = np.stack([recordings[i][start:stop] for i, _, start, stop in batch])
            for transform in steps:
                features = transform.transform(features)
            if output_frames(np.shape(features)[1], **detector._geometry()) < 1:
                # only a recording shorter than a window can be too short for the network: say which
                names = [f"X[{i}]" for i in sorted({i for i, *_ in batch})]
                what = f"Recording {names[0]} gives" if len(names) == 1 else f"Recordings {', '.join(names)} give"
                detector._check_enough_frames(np.shape(features)[1], f"{what} the detector", fd)
            proba = detector.predict_frame_proba(features)
            for (i, first, _, _), window_proba in zip(batch, proba):
                tracks[i].add(first // stride, window_proba)

    return [
        {
            "proba": track.probabilities(),
            "labels": detector.labels_,
            "frame_duration": stride * fd,
            "first_frame_centre": offset * fd,
            "end": len(rec) / sr if sr is not None else len(rec) * fd,
        }
        for rec, track in zip(recordings, tracks)
    ]


def frame_proba_to_events(
    proba: ArrayLike,
    labels: Sequence[Hashable],
    *,
    frame_duration: float,
    first_frame_centre: float = 0.0,
    threshold: float = 0.5,
    median_filter: float | None = None,
    min_gap: float = 0.0,
    min_duration: float = 0.0,
    end: float | None = None,
) -> list[tuple[float, float, Hashable]]:
    """Events of one recording from its frame probabilities: threshold, smooth, join active runs.

    Each label's probabilities are thresholded, optionally median-filtered,
    and every run of active frames becomes one event from the start of its
    first frame to the end of its last. Events of one label at most
    ``min_gap`` apart are then joined, and those shorter than
    ``min_duration`` dropped. Frame ``j`` is centred at
    ``first_frame_centre + j * frame_duration`` seconds and spans
    ``frame_duration``. It is the last step of :func:`predict_events`, and
    turns the frame probabilities of any other frame classifier into events
    in the same way.

    Read more in the :ref:`User Guide <event-detection>`.

    Parameters
    ----------
    proba : array-like of shape (n_frames, n_labels)
        Probability of each label in each frame.
    labels : sequence of hashable
        The label of each column of ``proba``.
    frame_duration : float > 0
        Seconds between frames.
    first_frame_centre : float, default=0.0
        Time in seconds of the centre of frame 0 (0 for frames of a centred
        STFT).
    threshold : float in (0, 1) or dict, default=0.5
        Frame probabilities at or above it are active.
    median_filter : float >= 0, None or dict, default=None
        Length in seconds of a median filter over each label's activity
        (rounded to an odd number of frames): fills short gaps and removes
        short blips. 0 or None: no filter.
    min_gap : float >= 0 or dict, default=0.0
        Events of one label separated by at most this many seconds are
        joined into one: a dog's barks, a clock's ticks, a word's syllables
        become one event, as annotators mark them.
    min_duration : float >= 0 or dict, default=0.0
        Events shorter than this (seconds), after joining, are dropped.

        Each of these four options is one value for every label, or a dict
        ``{label: value}`` with a value for each label (such as
        :func:`tune_event_postprocessing` chooses).
    end : float or None, default=None
        The recording's length in seconds; event times are clipped to
        ``[0, end]``. None: the end of the last frame.

    Returns
    -------
    events : list of (float, float, label)
        ``(onset_s, offset_s, label)`` sorted by onset.

    Raises
    ------
    ValueError
        ``proba`` is not 2D with one column per label, a bad option, or a
        dict of values per label that misses a label or names one not in
        ``labels`` (the message names the option and the label).

    See Also
    --------
    predict_events : Events of recordings of any length, from a detector.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.models import frame_proba_to_events
    >>> proba = np.array([[0.1, 0.0], [0.9, 0.0], [0.8, 0.7], [0.2, 0.6]])
    >>> frame_proba_to_events(proba, ["dog", "rain"], frame_duration=0.5)
    [(0.25, 1.25, 'dog'), (0.75, 1.75, 'rain')]

    Two barks 0.25 s apart are one event with ``min_gap=0.25``:

    >>> barks = np.array([[0.9], [0.9], [0.1], [0.9]])
    >>> frame_proba_to_events(barks, ["dog"], frame_duration=0.25)
    [(0.0, 0.375, 'dog'), (0.625, 0.875, 'dog')]
    >>> frame_proba_to_events(barks, ["dog"], frame_duration=0.25, min_gap=0.25)
    [(0.0, 0.875, 'dog')]

    A threshold per label:

    >>> frame_proba_to_events(proba, ["dog", "rain"], frame_duration=0.5, threshold={"dog": 0.85, "rain": 0.5})
    [(0.25, 0.75, 'dog'), (0.75, 1.75, 'rain')]
    """
    if not is_number(frame_duration) or not frame_duration > 0:
        raise ValueError(f"frame_duration must be a number of seconds > 0, got {frame_duration!r}.")
    proba = np.asarray(proba)
    labels = list(labels)
    if proba.ndim != 2 or proba.shape[1] != len(labels):
        raise ValueError(
            f"proba must have shape (n_frames, n_labels) with one column per label ({len(labels)}), "
            f"got shape {proba.shape}."
        )
    options = per_label_options(
        labels, threshold=threshold, median_filter=median_filter, min_gap=min_gap, min_duration=min_duration
    )
    start = first_frame_centre - frame_duration / 2  # where frame 0 begins
    if end is None:
        end = start + len(proba) * frame_duration
    events = []
    for k, label in enumerate(labels):
        label_options = options[k]
        runs = _active_runs(
            proba[:, k],
            frame_duration,
            threshold=label_options["threshold"],
            median_filter=label_options["median_filter"],
            min_gap=label_options["min_gap"],
        )
        for first, stop in runs:
            onset = max(0.0, start + first * frame_duration)
            offset = min(end, start + stop * frame_duration)
            if offset - onset >= label_options["min_duration"]:
                events.append((float(onset), float(offset), label))
    return sorted(events, key=lambda event: event[:2])


def _active_runs(proba, frame_duration, *, threshold, median_filter, min_gap):
    """``(first, stop)`` frame indices of one label's active runs: thresholded, median-filtered, gaps joined."""
    active = proba >= threshold
    if median_filter and len(active):
        width = max(1, int(round(median_filter / frame_duration))) // 2 * 2 + 1
        active = _median_filter(active.astype(np.uint8), size=width, mode="nearest").astype(bool)
    # runs of active frames: +1 where one starts, -1 after one ends
    edges = np.diff(np.concatenate([[0], active.astype(np.int8), [0]]))
    firsts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    # gaps of at most this many frames are joined (the tolerance absorbs a frame_duration like 0.1 + 1e-17)
    max_gap_frames = int(math.floor(min_gap / frame_duration + 1e-9))
    if len(firsts) > 1 and max_gap_frames > 0:
        keep = firsts[1:] - stops[:-1] > max_gap_frames  # the gap before run i + 1 stays open
        firsts, stops = firsts[np.r_[True, keep]], stops[np.r_[keep, True]]
    return zip(firsts, stops)


def per_label_options(labels, **options):
    """Each label's post-processing options: ``[{name: value}, ...]`` in the order of ``labels``.

    An option is one value for every label or a dict ``{label: value}`` that
    names every label and no other; each value is checked, and an error names
    the option (and the label, for a dict).
    """
    labels = list(labels)
    resolved = [{} for _ in labels]
    for name, value in options.items():
        if isinstance(value, Mapping):
            missing = [label for label in labels if label not in value]
            unknown = [key for key in value if key not in labels]
            if missing or unknown:
                problems = [f"no value for {missing}"] if missing else []
                problems += [f"values for labels not among them: {unknown}"] if unknown else []
                raise ValueError(
                    f"{name} given per label must have a value for each label {labels} and for no other; it has "
                    f"{' and '.join(problems)}."
                )
            for label, label_options in zip(labels, resolved):
                _check_event_option(name, value[label], where=f" for label {label!r}")
                label_options[name] = value[label]
        else:
            _check_event_option(name, value)
            for label_options in resolved:
                label_options[name] = value
    return resolved


class _Track:
    """One recording's frame probabilities, summed over windows with weights, then averaged."""

    def __init__(self, n_in, stride):
        self.n_in = n_in
        # an upper bound on the output frames; trimmed to those a window reached
        self.sums = None
        self.weights = np.zeros(n_in // stride + 2, dtype=np.float64)
        self.end = 0

    def add(self, first, proba):
        n = len(proba)
        if self.sums is None:
            self.sums = np.zeros((len(self.weights), proba.shape[1]), dtype=np.float64)
        if first + n > len(self.weights):  # a feature step gave more frames than a centred STFT would
            grow = first + n - len(self.weights)
            self.weights = np.concatenate([self.weights, np.zeros(grow)])
            self.sums = np.concatenate([self.sums, np.zeros((grow, self.sums.shape[1]))])
        weight = _position_weights(n)
        self.sums[first : first + n] += weight[:, None] * proba
        self.weights[first : first + n] += weight
        self.end = max(self.end, first + n)

    def probabilities(self):
        weights = self.weights[: self.end, None]
        # a frame no window reached (a feature step that gave fewer frames than a centred STFT) is inactive
        return np.divide(self.sums[: self.end], weights, out=np.zeros_like(self.sums[: self.end]), where=weights > 0)


def _position_weights(n):
    """Weight of each output frame of a window: a triangle peaking at the centre, never 0 at the edges."""
    # A frame near a window's edge has context on one side only. On six 40 s recordings (one background
    # each, 14-20 events) and a small recommended pipeline at 8 kHz, 50 % overlap: event F1 0.550 with
    # these weights, 0.539 with a plain mean; segment F1 0.654 and 0.631.
    position = np.arange(n)
    return np.minimum(position + 1, n - position).astype(np.float64)


def _window_starts(n_in, n_window, step, stride):
    """``(first frame, n_frames)`` of each window of a recording of ``n_in`` input frames.

    Windows start on multiples of ``stride``; the last one is moved back to
    end with the recording (so it is up to ``stride - 1`` frames longer than
    the others) instead of running past it on padding.
    """
    if n_in <= n_window:
        return [(0, n_in)]
    last = (n_in - n_window) // stride * stride
    return [(first, n_window) for first in range(0, last, step)] + [(last, n_in - last)]


def _n_frames(length, hop, waveforms):
    """Input frames of a recording: a centred STFT gives ``1 + n_samples // hop``."""
    return 1 + int(math.floor(length / hop + 1e-9)) if waveforms else length


def _units(n_frames, hop, waveforms):
    """Samples (waveforms) or frames of a window of ``n_frames`` input frames."""
    return int(round((n_frames - 1) * hop)) if waveforms else n_frames


def _window_frames(window, detector, fd, stride, *, waveforms):
    """Input frames per window: from ``window`` seconds, or the clips the detector was fitted on."""
    if window is None:
        return max(stride, int(detector.X_shape_[1]))
    if not is_number(window) or not window > 0 or math.isnan(window):
        raise ValueError(f"window must be a duration in seconds > 0 or None, got {window!r}.")
    if math.isinf(window):
        return math.inf
    # a window of w seconds of waveform is w / fd hops, which a centred STFT turns into one frame more
    n_window = int(round(window / fd)) + (1 if waveforms else 0)
    needed = detector._frames_needed()  # stride, or more for a "valid"-padded network
    if n_window < needed:
        shortest = f"{(needed - 1) * fd:g} s of waveform, {needed}" if waveforms else f"{needed * fd:g} s = {needed}"
        raise ValueError(
            f"window={window!r} s is shorter than one output frame of the detector ({shortest} input frames of "
            f"{fd:g} s)."
        )
    return n_window


def _check_event_option(name, value, where=""):
    """One value of a post-processing option of frame_proba_to_events; ``where`` ends the error message."""
    if name == "threshold":
        if not is_number(value) or not 0 < value < 1:
            raise ValueError(f"threshold must be in (0, 1){where}, got {value!r}.")
    elif name == "min_duration":
        if not is_number(value) or not value >= 0:
            raise ValueError(f"min_duration must be a number >= 0{where}, got {value!r}.")
    elif name == "median_filter":
        if value is not None and (not is_number(value) or not 0 <= value < math.inf):
            raise ValueError(f"median_filter must be a duration in seconds >= 0 or None{where}, got {value!r}.")
    elif name == "min_gap":
        if not is_number(value) or not value >= 0 or math.isinf(value):
            raise ValueError(f"min_gap must be a finite number of seconds >= 0{where}, got {value!r}.")
    else:  # pragma: no cover - a programming error
        raise AssertionError(name)


def _check_window_options(overlap, batch_size):
    """The windowing options of predict_events."""
    if not is_number(overlap) or not 0 <= overlap < 1:
        raise ValueError(f"overlap must be a fraction in [0, 1), got {overlap!r}.")
    if not isinstance(batch_size, numbers.Integral) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"batch_size must be an int >= 1, got {batch_size!r}.")


def _final_estimator(estimator):
    """The transforming Pipeline slices before the final estimator (nested pipelines unrolled), and that estimator."""
    steps = []
    while isinstance(estimator, Pipeline) and not hasattr(estimator, "predict_events"):
        if len(estimator) > 1:  # an empty Pipeline cannot transform
            steps.append(estimator[:-1])
        estimator = estimator[-1]
    return steps, estimator


def _predict_events_of_other_detector(detector, steps, X, options):
    """An event detector that is not skaudio's: its own ``predict_events`` on the transformed X."""
    if not hasattr(detector, "predict_events"):
        name = repr(detector) if isinstance(detector, str) or detector is None else type(detector).__name__
        raise TypeError(
            f"{name} has no predict_events method and is not a Pipeline ending in an estimator that has one "
            "(such as a fitted CRNNEventDetector)."
        )
    defaults = {
        name: p.default
        for name, p in inspect.signature(predict_events).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }
    # only what was asked for: the detector's own defaults (or parameters) decide the rest
    given = {
        name: value
        for name, value in options.items()
        if not (value is defaults[name] or (value is not None and value == defaults[name]))
    }
    for transform in steps:
        X = transform.transform(X)
    return detector.predict_events(X, **given)


def _check_recording_kind(recordings, *, waveforms, detector):
    """Waveforms for a pipeline that computes features, feature frames for a bare detector: else say which."""
    for i, rec in enumerate(recordings):
        if waveforms and rec.ndim != 1:
            raise ValueError(
                f"X[{i}] has shape {rec.shape}, but the steps before the detector take 1D waveforms."
                + multichannel_hint(rec.shape)
            )
        if not waveforms and rec.ndim == 1:
            raise ValueError(
                f"X[{i}] has shape {rec.shape}, a waveform, but {type(detector).__name__} takes feature frames "
                "(n_frames, n_features): give the whole pipeline (its feature steps and the detector), or features."
            )


def _recordings(X):
    """The recordings of X as arrays (views, never copies: a recording may be an hour long)."""
    if is_ragged(X):
        recordings = [np.asarray(rec) for rec in X]
    else:
        if isinstance(X, (str, bytes, os.PathLike)):
            raise TypeError(f"X must be a batch of recordings (arrays), got {type(X).__name__}.")
        X = np.asarray(X)
        if X.ndim < 2:
            raise ValueError(
                f"X has {X.ndim} dimension(s) (shape {X.shape}); give a batch of recordings, e.g. X[None] "
                "for one recording."
            )
        recordings = list(X)
    if not recordings:
        raise ValueError("X is an empty batch: at least one recording is required.")
    for i, rec in enumerate(recordings):
        if rec.dtype.kind in "USO":
            raise TypeError(
                f"X[{i}] is {rec.dtype} ({rec!r:.60}), not samples or features: load the audio first (e.g. run "
                "the pipeline's AudioLoader step and give the rest of the pipeline its waveforms)."
            )
        if rec.ndim == 0 or len(rec) == 0:
            raise ValueError(f"X[{i}] is an empty recording (shape {rec.shape}).")
    return recordings


def _check_frame_duration_unchanged(steps, fitted):
    """Refuse feature steps whose frames are no longer ``fitted`` seconds apart (a hop or rate set after fit)."""
    from skaudio.pipelines import _frame_duration

    now = _frame_duration([(None, transform) for transform in steps])
    if now is not None and not math.isclose(now, fitted, rel_tol=1e-6):
        raise ValueError(
            f"The feature steps give frames {now:g} s apart, but the detector was fitted on frames {fitted:g} s "
            "apart: a setting (hop_length, sr) changed after fit. Fit the pipeline again, or set it back; "
            "event times would be wrong and the network sees other frames than it learnt."
        )


def _sample_rate(steps):
    """The sample rate of the steps before the detector (they agree in an AudioPipeline), or None."""
    for transform in steps:
        for name, value in transform.get_params(deep=True).items():
            if name.rsplit("__", 1)[-1] == "sr" and is_number(value):
                return value
    return None
