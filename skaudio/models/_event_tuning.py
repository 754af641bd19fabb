"""Event post-processing chosen on validation recordings: a threshold, median filter and gap per label.

The detector's frame probabilities are computed once; every combination of
options is applied to them (as predict_events would) and scored with sed_eval's
event-based and segment-based F1, class by class, so each label gets the
combination that serves it best.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from skaudio.metrics import event_based_scores, segment_based_scores
from skaudio.metrics._events import _check_param
from skaudio.models._event_detector import CRNNEventDetector
from skaudio.models._event_inference import (
    _check_event_option,
    _check_window_options,
    _final_estimator,
    _recordings,
    frame_proba_to_events,
    joined_frame_proba,
    per_label_options,
)
from skaudio.utils import check_event_lists, warn_unseen_labels

POSTPROCESSING_OPTIONS = ("threshold", "median_filter", "min_gap", "min_duration")

DEFAULT_PARAM_GRID = {
    "threshold": (0.3, 0.4, 0.5, 0.6, 0.7),
    "median_filter": (None, 0.1, 0.2, 0.4),
    "min_gap": (0.0, 0.1, 0.25, 0.5, 1.0),
}


def tune_event_postprocessing(
    estimator: CRNNEventDetector | Pipeline,
    X: ArrayLike | Sequence[ArrayLike],
    y: Sequence[Sequence[tuple[float, float, Hashable]]],
    *,
    param_grid: Mapping[str, Sequence[Any]] | None = None,
    per_label: bool = True,
    t_collar: float = 0.2,
    percentage_of_length: float = 0.2,
    time_resolution: float = 1.0,
    window: float | None = None,
    overlap: float = 0.5,
    batch_size: int = 32,
) -> dict[str, Any]:
    """Post-processing options that score best on validation recordings, for each label or shared by all.

    The fitted detector's frame probabilities on ``X`` are computed once (as
    :func:`predict_events` joins them over windows); every combination of
    ``param_grid`` is applied to them and the events scored against ``y``
    with event-based F1 (``t_collar``, ``percentage_of_length``) and
    segment-based F1 (``time_resolution``). With ``per_label=True`` each label
    gets the combination with the best mean of its own two F1 scores; a
    label's events do not depend on another label's options, so the choices
    add up. With ``per_label=False`` one combination is chosen by the mean
    of the overall (micro) event-based and segment-based F1. Give the result
    to the detector with ``set_params`` (it travels with a saved model).

    Validation recordings should come from speakers, sound sources and
    backgrounds the detector was not fitted on: on its training recordings
    its probabilities are more confident than on new ones, and the options
    chosen there are too lenient.

    Read more in the :ref:`User Guide <event-detection>`.

    Parameters
    ----------
    estimator : CRNNEventDetector or Pipeline
        Fitted, with a frame-level ``temporal_pooling``, or a fitted
        Pipeline ending in one (``X`` is then what the Pipeline takes).
    X : array-like or list of array-like
        Validation recordings (or features for a bare detector), of any
        lengths, as :func:`predict_events` takes them.
    y : list of list of (onset, offset, label)
        Each recording's reference events, in seconds.
    param_grid : dict or None, default=None
        Values to try for some of ``"threshold"``, ``"median_filter"``,
        ``"min_gap"`` and ``"min_duration"``; an option not in it keeps the
        detector's value. None: thresholds 0.3-0.7, median filters of none,
        0.1, 0.2 and 0.4 s, gaps of 0-1 s joined (100 combinations).
    per_label : bool, default=True
        Choose the options of each label on its own scores (True) or one
        set for all labels on the overall scores (False).
    t_collar : float, default=0.2
        Onset collar of the event-based F1, in seconds.
    percentage_of_length : float, default=0.2
        Offset tolerance of the event-based F1, as a fraction of the
        reference event's length (at least ``t_collar``).
    time_resolution : float, default=1.0
        Segment length of the segment-based F1, in seconds.
    window : float > 0 or None, default=None
        Seconds per window, as in :func:`predict_events`; None: the
        training clips' length.
    overlap : float in [0, 1), default=0.5
        Fraction of a window shared with the next.
    batch_size : int >= 1, default=32
        Windows predicted together.

    Returns
    -------
    params : dict
        For each option of ``param_grid``, the value chosen (``per_label=False``)
        or a dict ``{label: value}`` over the detector's labels
        (``per_label=True``). Ties go to the fewest false events, then to
        the most values equal to the detector's own. A label with no
        reference event in ``y`` and no detection under any option (no
        evidence either way) keeps the detector's values; an undefined F1
        (references never detected, detections without references) counts
        as 0.

    Raises
    ------
    TypeError
        ``estimator`` is not a CRNNEventDetector or a Pipeline ending in one.
    ValueError
        ``param_grid`` names an unknown option or holds an empty or invalid
        list; ``y`` does not have one list of events per recording; a bad
        ``window``, ``overlap`` or ``batch_size``.

    See Also
    --------
    predict_events : Applies the options to recordings of any length.
    skaudio.metrics.event_based_scores : The event-based scores.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.models import CRNNEventDetector, tune_event_postprocessing
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 20, 3)).astype("float32")
    >>> X[::2, 5:10] += 3.0
    >>> events = [[(0.05, 0.10, "beep")] if i % 2 == 0 else [] for i in range(40)]
    >>> det = CRNNEventDetector(temporal_pooling="max", padding="same", frame_duration=0.01,
    ...                         lstm_units=8, filters=8, epochs=3, random_state=0).fit(X[:30], events[:30])
    >>> params = tune_event_postprocessing(det, X[30:], events[30:], param_grid={"threshold": [0.3, 0.5, 0.7]})
    >>> sorted(params), sorted(params["threshold"])
    (['threshold'], ['beep'])
    >>> det = det.set_params(**params)
    """
    grid = _checked_grid(param_grid)
    if not isinstance(per_label, (bool, np.bool_)):
        raise ValueError(f"per_label must be True or False, got {per_label!r}.")
    steps, detector = _final_estimator(estimator)
    if not isinstance(detector, CRNNEventDetector):
        raise TypeError(
            f"estimator must be a CRNNEventDetector or a Pipeline ending in one, got {type(detector).__name__}."
        )
    check_is_fitted(detector, "model_")
    # everything checked before the network runs over the recordings
    current = {name: getattr(detector, name) for name in POSTPROCESSING_OPTIONS}
    per_label_options(detector.labels_, **current)
    _check_window_options(overlap=overlap, batch_size=batch_size)
    scoring = {
        "t_collar": _check_param(t_collar, "t_collar", low=0.0),
        "percentage_of_length": _check_param(percentage_of_length, "percentage_of_length", low=0.0, high=1.0),
        "time_resolution": _check_param(time_resolution, "time_resolution", low=0.0, low_open=True),
    }
    y = check_event_lists(list(y), name="y")
    n_recordings = len(_recordings(X))
    if len(y) != n_recordings:
        raise ValueError(f"y has {len(y)} lists of reference events for {n_recordings} recordings in X.")
    warn_unseen_labels(
        type(detector).__name__,
        [label for events in y for *_, label in events],
        detector.labels_,
        "event label",
        "event(s) count as missed under every option",
    )
    tracks = joined_frame_proba(steps, detector, X, window=window, overlap=overlap, batch_size=batch_size)
    return select_postprocessing(tracks, y, grid, current=current, per_label=per_label, **scoring)


def select_postprocessing(
    tracks, y, param_grid, *, current, per_label, t_collar=0.2, percentage_of_length=0.2, time_resolution=1.0
):
    """The options of ``param_grid`` that score best on frame ``tracks`` (as joined_frame_proba gives them).

    ``current`` holds the detector's four options: those not in the grid
    are applied as they are, and the grid's values equal to them win
    ties. ``tracks`` may come from several detectors with the same labels
    (each scored on recordings it was not fitted on): the choice is then
    what cross-validation picks.
    """
    labels = [label.item() if isinstance(label, np.generic) else label for label in tracks[0]["labels"]]
    names = list(param_grid)
    fixed = {name: value for name, value in current.items() if name not in param_grid}
    results = []
    for combination in itertools.product(*param_grid.values()):
        options = {**fixed, **dict(zip(names, combination))}
        estimated = [frame_proba_to_events(**track, **options) for track in tracks]
        event = event_based_scores(y, estimated, t_collar=t_collar, percentage_of_length=percentage_of_length)
        segment = segment_based_scores(y, estimated, time_resolution=time_resolution)
        results.append((combination, event, segment))
    if not per_label:
        own = tuple(current[name] for name in names)
        best = _best(results, own)
        return dict(zip(names, own if best is None else best))
    chosen = {name: {} for name in names}
    for label, label_options in zip(labels, per_label_options(labels, **current)):
        own = tuple(label_options[name] for name in names)
        of_label = (
            (c, event["class_wise"].get(label), segment["class_wise"].get(label)) for c, event, segment in results
        )
        best = _best(of_label, own)
        for name, value in zip(names, own if best is None else best):
            chosen[name][label] = value
    return chosen


def _best(results, own):
    """The combination with the best mean F1, then the fewest false events, then the most values equal to ``own``.

    ``results`` holds ``(combination, event scores, segment scores)``, overall
    or of one label (None where the label has no event at all). None when
    there is no reference event and no detection under any combination:
    nothing to choose by. Otherwise a combination under which there is
    neither (a label without references that it keeps silent) scores as
    one with an undefined F1, 0, and has no false event.
    """
    results = list(results)
    if all(event is None or event["n_ref"] + event["n_sys"] == 0 for _, event, _ in results):
        return None
    best, best_key = None, None
    for combination, event, segment in results:
        # an undefined F1 (references never detected, or detections with no reference) is a failure: 0
        f1 = np.mean([0.0 if s is None or math.isnan(s["f_measure"]) else s["f_measure"] for s in (event, segment)])
        n_false = 0 if event is None else event["n_sys"] - event["n_tp"]
        key = (f1, -n_false, sum(v == o for v, o in zip(combination, own)))
        if best_key is None or key > best_key:
            best, best_key = combination, key
    return best


def _checked_grid(param_grid):
    """``{option: tuple of values}``: the default grid, or ``param_grid`` checked."""
    if param_grid is None:
        return dict(DEFAULT_PARAM_GRID)
    if not isinstance(param_grid, Mapping) or not param_grid:
        raise ValueError(f"param_grid must be a non-empty dict of option: values, got {param_grid!r}.")
    grid = {}
    for name, values in param_grid.items():
        if name not in POSTPROCESSING_OPTIONS:
            raise ValueError(
                f"param_grid names {name!r}, which is not one of the options {list(POSTPROCESSING_OPTIONS)}."
            )
        if (
            isinstance(values, (str, bytes, Mapping))
            or not hasattr(values, "__iter__")
            or getattr(values, "ndim", 1) == 0
        ):
            raise ValueError(f"param_grid[{name!r}] must be a non-empty list of values, got {values!r}.")
        values = [value.item() if isinstance(value, np.generic) else value for value in values]
        if not values:
            raise ValueError(f"param_grid[{name!r}] must be a non-empty list of values, got an empty one.")
        for value in values:
            _check_event_option(name, value)
        grid[name] = tuple(values)
    return grid
