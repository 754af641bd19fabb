"""Sound event detection scores (event-based and segment-based), as sed_eval computes them.

The definitions are those of Mesaros, Heittola and Virtanen (2016), "Metrics for
polyphonic sound event detection", Applied Sciences 6(6):162, in the form that
their reference implementation ``sed_eval`` (0.2.1) computes them, down to its
order of operations, so that the numbers agree with sed_eval's to rounding.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from skaudio.utils import check_scene_events, is_number, is_sequence, warn_unseen_labels

# sed_eval divides every error rate by ``N_ref + eps`` (``metric.py``): an error rate
# is then never NaN, and with no reference at all it is 0 without errors and
# ``count / eps`` (about 4.5e15 per error) with them. Kept so the numbers agree.
_EPS = float(np.spacing(1))


# ---------------------------------------------------------------- validation


def _check_scenes(reference, estimated):
    """Validated scene pairs with integer label codes, and the labels those codes index.

    Returns ``(pairs, labels)``: ``pairs[i] = (ref, est)``, each a tuple of
    ``(onsets, offsets, codes)`` float/float/int arrays; ``labels`` is every
    label of either side, sorted when the labels are comparable.
    """
    for name, scenes in (("reference", reference), ("estimated", estimated)):
        if not is_sequence(scenes):
            raise ValueError(f"{name} must be a list with one list of events per scene, got {scenes!r}.")
    if len(reference) != len(estimated):
        raise ValueError(f"reference has {len(reference)} scenes but estimated has {len(estimated)}.")
    checked = [
        [check_scene_events(scene, f"{name}[{i}]") for i, scene in enumerate(scenes)]
        for name, scenes in (("reference", reference), ("estimated", estimated))
    ]
    seen = dict.fromkeys(label for side in checked for _, _, labels in side for label in labels)
    try:
        labels = sorted(seen)
    except TypeError:  # mixed label types (e.g. str and int): keep first-seen order
        labels = list(seen)
    code = {label: c for c, label in enumerate(labels)}

    def arrays(onsets, offsets, scene_labels):
        return (
            np.asarray(onsets, dtype=np.float64),
            np.asarray(offsets, dtype=np.float64),
            np.asarray([code[label] for label in scene_labels], dtype=np.intp),
        )

    pairs = [(arrays(*ref), arrays(*est)) for ref, est in zip(*checked)]
    return pairs, labels


def _check_param(value, name, *, low, high=math.inf, low_open=False):
    in_range = is_number(value) and math.isfinite(value) and low <= value <= high and not (low_open and value == low)
    if not in_range:
        interval = f"{'(' if low_open else '['}{low}, {high}{']' if math.isfinite(high) else ')'}"
        raise ValueError(f"{name} must be a finite number in {interval}, got {value!r}.")
    return float(value)


# ---------------------------------------------------------------- counting


def _bipartite_matching(graph):
    """A maximum matching of a bipartite graph ``{u: [v, ...]}``, returned as ``{v: u}``.

    Hopcroft-Karp, visiting vertices in the same order as sed_eval's
    ``util.bipartite_match`` (itself mir_eval's ``_bipartite_match``, after
    D. Eppstein's PADS). All maximum matchings have the same size (the
    true-positive count), but *which* one comes out decides the events left
    over for the substitution count, so the order must be sed_eval's.
    """
    matching = {}
    for u, neighbours in graph.items():  # greedy start
        for v in neighbours:
            if v not in matching:
                matching[v] = u
                break
    free = object()  # pred[u] for a free u, which starts an augmenting path
    while True:
        # Layer the residual graph: BFS from the free u's along alternating paths.
        preds = {}  # v -> its u's in the previous layer
        unmatched = []  # free v's reached in the last layer
        pred = {u: free for u in graph}
        for v in matching:
            del pred[matching[v]]
        layer = list(pred)
        while layer and not unmatched:
            new_layer = {}
            for u in layer:
                for v in graph[u]:
                    if v not in preds:
                        new_layer.setdefault(v, []).append(u)
            layer = []
            for v, us in new_layer.items():
                preds[v] = us
                if v in matching:
                    layer.append(matching[v])
                    pred[matching[v]] = v
                else:
                    unmatched.append(v)
        if not unmatched:  # no augmenting path left: the matching is maximum
            return matching

        def augment(root):
            """Flip an alternating path ending at ``root``, searching backward through the layers.

            The depth-first search of sed_eval's recursive ``augment``, with a stack of its frames (``[v, its
            remaining u's, the u tried]``) so that a chain of a thousand matches does not exhaust Python's
            recursion; the frames are matched deepest first, as the recursion returns.
            """
            if root not in preds:
                return False
            frames = [[root, iter(preds.pop(root)), None]]
            while frames:
                frame = frames[-1]
                for u in frame[1]:
                    if u in pred:
                        pu = pred.pop(u)
                        frame[2] = u
                        if pu is free:
                            for v, _, tried in reversed(frames):
                                matching[v] = tried
                            return True
                        if pu in preds:  # else its search fails at once: try the next u
                            frames.append([pu, iter(preds.pop(pu)), None])
                            break
                else:  # every u of this frame failed
                    frames.pop()
            return False

        for v in unmatched:
            augment(v)


def _count_events(ref, est, n_labels, *, t_collar, percentage_of_length):
    """One scene's event-based counts (sed_eval ``EventBasedMetrics``, optimal matching).

    Returns ``(overall, per_class)``: ``overall = (n_ref, n_sys, n_tp, S, D, I)``
    and ``per_class`` of shape (n_labels, 3) holding ``(n_ref, n_sys, n_tp)``.
    """
    r_on, r_off, r_lab = ref
    e_on, e_off, e_lab = est
    # Same float expressions as sed_eval's validate_onset/validate_offset, so that
    # boundary cases (a difference of exactly t_collar) fall the same way.
    onset_ok = np.abs(r_on[:, None] - e_on[None, :]) <= t_collar
    offset_tolerance = np.maximum(t_collar, percentage_of_length * (r_off - r_on))
    offset_ok = np.abs(r_off[:, None] - e_off[None, :]) <= offset_tolerance[:, None]
    in_time = onset_ok & offset_ok
    hit = in_time & (r_lab[:, None] == e_lab[None, :])

    # sed_eval's graph: estimated event -> reference events it may match, in row-major order of the hit matrix.
    graph = {}
    for j, i in zip(*np.nonzero(hit)):
        graph.setdefault(int(i), []).append(int(j))
    matching = _bipartite_matching(graph)  # reference index -> estimated index
    n_tp = len(matching)

    # Substitutions: the leftover pairs that are in time but differ in label
    # (a same-label pair in time cannot be left over: the matching is maximum),
    # each reference taking the first leftover estimate, as sed_eval does.
    ref_left = np.ones(len(r_on), dtype=bool)
    est_left = np.ones(len(e_on), dtype=bool)
    ref_left[list(matching)] = False
    est_left[list(matching.values())] = False
    n_sub = 0
    for j in np.flatnonzero(ref_left):
        candidates = np.flatnonzero(in_time[j] & est_left)
        if candidates.size:
            est_left[candidates[0]] = False
            n_sub += 1

    n_ref, n_sys = len(r_on), len(e_on)
    overall = (n_ref, n_sys, n_tp, n_sub, n_ref - n_tp - n_sub, n_sys - n_tp - n_sub)
    # Matched pairs share a label, so the per-class true positives are the matched
    # pairs of that class: a maximum matching per class, as sed_eval counts it.
    per_class = np.stack(
        [
            np.bincount(r_lab, minlength=n_labels),
            np.bincount(e_lab, minlength=n_labels),
            np.bincount(r_lab[list(matching)], minlength=n_labels),
        ],
        axis=1,
    )
    return overall, per_class


# More than a day of 10 ms segments means times in samples (or ms) where seconds were meant, and an
# activity matrix too large to build.
MAX_SEGMENTS = 10_000_000


def _activity(events, n_segments, n_labels, time_resolution):
    """Segment x class activity (sed_eval's event roll): an event is active in every segment it touches."""
    roll = np.zeros((n_segments, n_labels), dtype=bool)
    for onset, offset, label in zip(*events):
        # Overlapping events of a class simply OR into the same cells.
        roll[int(math.floor(onset / time_resolution)) : int(math.ceil(offset / time_resolution)), label] = True
    return roll


def _count_segments(ref, est, n_labels, *, time_resolution):
    """One scene's segment-based counts (sed_eval ``SegmentBasedMetrics``); same layout as ``_count_events``."""
    # sed_eval evaluates up to the last offset of either side (0 for an empty list).
    # Only active cells enter the reported scores, so trailing empty segments change nothing.
    end = max(float(ref[1].max(initial=0.0)), float(est[1].max(initial=0.0)))
    n_segments = int(math.ceil(end / time_resolution))
    if n_segments > MAX_SEGMENTS:
        raise ValueError(
            f"The events reach {end:g} s, which is {n_segments} segments of {time_resolution:g} s (at most "
            f"{MAX_SEGMENTS} are counted): are the times in seconds, not samples?"
        )
    ref_roll = _activity(ref, n_segments, n_labels, time_resolution)
    est_roll = _activity(est, n_segments, n_labels, time_resolution)
    tp_roll = ref_roll & est_roll

    n_ref, n_sys, n_tp = ref_roll.sum(1), est_roll.sum(1), tp_roll.sum(1)
    # Per segment: a missed class and a false class pair up as one substitution.
    overall = (
        n_ref.sum(),
        n_sys.sum(),
        n_tp.sum(),
        (np.minimum(n_ref, n_sys) - n_tp).sum(),
        np.maximum(0, n_ref - n_sys).sum(),
        np.maximum(0, n_sys - n_ref).sum(),
    )
    per_class = np.stack([ref_roll.sum(0), est_roll.sum(0), tp_roll.sum(0)], axis=1)
    return overall, per_class


# ---------------------------------------------------------------- ratios


def _ratios(n_ref, n_sys, n_tp, n_deletions, n_insertions, n_substitutions=None):
    """F-measure, precision, recall and error rates exactly as sed_eval's ``metric`` module computes them."""
    precision = n_tp / n_sys if n_sys else math.nan
    recall = n_tp / n_ref if n_ref else math.nan
    if precision == 0 and recall == 0:
        f_measure = 0.0
    else:  # NaN when either is NaN
        f_measure = 2.0 * precision * recall / (precision + recall)
    deletion_rate = n_deletions / (n_ref + _EPS)
    insertion_rate = n_insertions / (n_ref + _EPS)
    out = {"f_measure": f_measure, "precision": precision, "recall": recall}
    if n_substitutions is None:  # class-wise: a substitution is a deletion plus an insertion
        out["error_rate"] = deletion_rate + insertion_rate
    else:
        substitution_rate = n_substitutions / (n_ref + _EPS)
        out["error_rate"] = substitution_rate + deletion_rate + insertion_rate
        out["substitution_rate"] = substitution_rate
    out["deletion_rate"] = deletion_rate
    out["insertion_rate"] = insertion_rate
    return out


def _nanmean(values):
    """Mean of the non-NaN values (sed_eval's nanmean), NaN without a warning when there are none."""
    values = np.asarray(values, dtype=np.float64)
    return float(np.nanmean(values)) if np.any(~np.isnan(values)) else math.nan


def _scores(reference, estimated, count_scene, **params):
    """Accumulate a counting function over paired scenes, then turn the counts into sed_eval's metrics."""
    pairs, labels = _check_scenes(reference, estimated)
    overall = np.zeros(6, dtype=np.int64)
    per_class = np.zeros((len(labels), 3), dtype=np.int64)
    for ref, est in pairs:
        scene_overall, scene_per_class = count_scene(ref, est, len(labels), **params)
        overall += np.asarray(scene_overall, dtype=np.int64)
        per_class += scene_per_class
    n_ref, n_sys, n_tp, n_sub, n_del, n_ins = (int(n) for n in overall)

    result = _ratios(n_ref, n_sys, n_tp, n_del, n_ins, n_sub)
    result.update(n_ref=n_ref, n_sys=n_sys, n_tp=n_tp, n_substitutions=n_sub, n_deletions=n_del, n_insertions=n_ins)
    class_wise = {}
    for label, (c_ref, c_sys, c_tp) in zip(labels, per_class.tolist()):
        class_wise[label] = _ratios(c_ref, c_sys, c_tp, c_ref - c_tp, c_sys - c_tp)
        class_wise[label].update(n_ref=c_ref, n_sys=c_sys, n_tp=c_tp)
    result["class_wise"] = class_wise
    result["class_wise_f_measure"] = _nanmean([c["f_measure"] for c in class_wise.values()])
    result["class_wise_error_rate"] = _nanmean([c["error_rate"] for c in class_wise.values()])
    return result


_SCENES = """reference : list of list of (float, float, label)
        One entry per scene (clip): its annotated events ``(onset_s, offset_s,
        label)`` as tuples or lists. The label may be any hashable (str, int).
        A scene may be empty.
    estimated : list of list of (float, float, label)
        The detected events, one entry per scene, paired with ``reference`` by position."""

_RETURNS = """Returns
    -------
    scores : dict
        Overall (micro-averaged over all events and scenes):

        - ``f_measure``, ``precision``, ``recall``: ``P = n_tp / n_sys``,
          ``R = n_tp / n_ref``, ``F = 2PR / (P + R)`` (``F = 0`` when ``P = R = 0``).
        - ``error_rate`` = ``substitution_rate + deletion_rate + insertion_rate``,
          each ``count / (n_ref + eps)`` with ``eps = np.spacing(1)`` as in sed_eval.
        - Counts (int): ``n_ref``, ``n_sys``, ``n_tp``, ``n_substitutions``,
          ``n_deletions``, ``n_insertions``{units}.

        Per class and macro averages:

        - ``class_wise``: ``{{label: {{f_measure, precision, recall, error_rate,
          deletion_rate, insertion_rate, n_ref, n_sys, n_tp}}}}`` for every label
          found in ``reference`` or ``estimated`` (sorted when the labels are
          comparable). Within one class there are no substitutions: a missed
          event is a deletion (``n_ref - n_tp``), a false one an insertion
          (``n_sys - n_tp``).
        - ``class_wise_f_measure``, ``class_wise_error_rate``: mean over those
          classes, ignoring NaN values (sed_eval's ``nanmean``).

        **Undefined values** follow sed_eval (default ``empty_system_output_handling``):

        - ``precision`` is NaN when ``n_sys == 0``, ``recall`` is NaN when
          ``n_ref == 0``, and ``f_measure`` is NaN when either is NaN. So a class
          that the system never outputs has NaN F (not 0) and is left out of
          ``class_wise_f_measure``; with no events at all every F is NaN.
        - Error rates are never NaN: with ``n_ref == 0`` they are 0.0 when there
          are no errors, and about 4.5e15 per error otherwise (``count / eps``).
        - With no labels at all, ``class_wise`` is empty and both macro averages are NaN.
"""


def event_based_scores(
    reference: Sequence[Sequence[Sequence[Any]]],
    estimated: Sequence[Sequence[Sequence[Any]]],
    *,
    t_collar: float = 0.2,
    percentage_of_length: float = 0.2,
) -> dict[str, Any]:
    """Event-based F-measure and error rate of detected sound events (onset and offset).

    Mesaros, Heittola and Virtanen (2016), "Metrics for polyphonic sound event
    detection"; the numbers are sed_eval's ``EventBasedMetrics`` with
    ``evaluate_onset=True, evaluate_offset=True`` and its default (optimal)
    event matching, evaluated scene by scene and accumulated.

    An estimated event *matches* a reference event of the same label when
    ``|onset_est - onset_ref| <= t_collar`` and ``|offset_est - offset_ref| <=
    max(t_collar, percentage_of_length * (offset_ref - onset_ref))``. In each
    scene, the true positives are a maximum one-to-one matching (bipartite,
    Hopcroft-Karp; not greedy). Of the events left over, a reference event and
    an estimated event that meet both time conditions but differ in label make
    one *substitution* (each reference event in turn takes the first such
    estimated event, in input order). Then deletions ``D = n_ref - n_tp - S``
    and insertions ``I = n_sys - n_tp - S``.

    Parameters
    ----------
    {scenes}
    t_collar : float, default=0.2
        Onset (and minimum offset) tolerance, in seconds (DCASE uses 0.2).
    percentage_of_length : float in [0, 1], default=0.2
        Offset tolerance as a fraction of the reference event's length (DCASE
        uses 0.2; sed_eval's own default is 0.5).

    {returns}
    Raises
    ------
    ValueError
        ``reference`` and ``estimated`` of different lengths; an event that is
        not a 3-sequence, has a non-numeric, non-finite or negative time, or an
        offset before its onset (the message names ``reference[i][k]``); a bad
        ``t_collar`` or ``percentage_of_length``.

    See Also
    --------
    segment_based_scores : Activity scored per fixed-length segment.

    Notes
    -----
    Events are taken as they are: overlapping events of one label within a
    scene are separate events, each to be matched (two identical reference
    events need two estimated events). Zero-length events are allowed. The
    substitution count (not the true positives) can depend on the order of
    events, as in sed_eval.

    Examples
    --------
    >>> from skaudio.metrics import event_based_scores
    >>> reference = [[(0.0, 1.0, "dog"), (2.0, 3.0, "cat")], []]
    >>> estimated = [[(0.1, 1.1, "dog"), (2.0, 3.0, "dog")], [(0.0, 0.5, "cat")]]
    >>> scores = event_based_scores(reference, estimated)

    One true positive (dog), one substitution (cat detected as dog), one
    insertion (the cat in the empty scene):

    >>> scores["n_tp"], scores["n_substitutions"], scores["n_deletions"], scores["n_insertions"]
    (1, 1, 0, 1)
    >>> round(scores["f_measure"], 3), round(scores["error_rate"], 3)
    (0.4, 1.0)
    >>> round(scores["class_wise"]["dog"]["f_measure"], 3), scores["class_wise"]["cat"]["f_measure"]
    (0.667, 0.0)
    """
    t_collar = _check_param(t_collar, "t_collar", low=0.0)
    percentage_of_length = _check_param(percentage_of_length, "percentage_of_length", low=0.0, high=1.0)
    return _scores(reference, estimated, _count_events, t_collar=t_collar, percentage_of_length=percentage_of_length)


def segment_based_scores(
    reference: Sequence[Sequence[Sequence[Any]]],
    estimated: Sequence[Sequence[Sequence[Any]]],
    *,
    time_resolution: float = 1.0,
) -> dict[str, Any]:
    """Segment-based F-measure and error rate of detected sound events.

    Mesaros, Heittola and Virtanen (2016); the numbers are sed_eval's
    ``SegmentBasedMetrics``, evaluated scene by scene and accumulated.

    Each scene is cut into segments of ``time_resolution`` seconds, from 0 to
    the last offset of either side (``ceil(max_offset / time_resolution)``
    segments). A class is *active* in a segment when one of its events
    touches it: an event covers segments ``floor(onset / time_resolution)`` up
    to, not including, ``ceil(offset / time_resolution)``. The unit counted is
    an active (segment, class) pair. In each segment, with ``FN`` active
    reference classes the system misses and ``FP`` classes it adds,
    substitutions ``S = min(FN, FP)``, deletions ``D = max(0, FN - FP)`` and
    insertions ``I = max(0, FP - FN)``; they are summed over segments and
    scenes before dividing by ``n_ref``.

    Parameters
    ----------
    {scenes}
    time_resolution : float > 0, default=1.0
        Segment length in seconds.

    {returns}
    Raises
    ------
    ValueError
        ``reference`` and ``estimated`` of different lengths; an event that is
        not a 3-sequence, has a non-numeric, non-finite or negative time, or an
        offset before its onset (the message names ``reference[i][k]``); a bad
        ``time_resolution``.

    See Also
    --------
    event_based_scores : Events matched one to one, with onset/offset collars.

    Notes
    -----
    Overlapping events of one label within a scene are merged: activity is
    their union. A zero-length event is active only in a segment that strictly
    contains its time (in none when ``time / time_resolution`` is a whole number).

    Examples
    --------
    >>> from skaudio.metrics import segment_based_scores
    >>> reference = [[(0.0, 2.5, "dog")]]
    >>> estimated = [[(0.5, 1.5, "dog"), (2.0, 2.5, "cat")]]
    >>> scores = segment_based_scores(reference, estimated, time_resolution=1.0)

    Three segments: dog found in the first two; in the third, dog is missed and
    cat is added, one substitution:

    >>> scores["n_ref"], scores["n_tp"], scores["n_substitutions"]
    (3, 2, 1)
    >>> round(scores["f_measure"], 3), round(scores["error_rate"], 3)
    (0.667, 0.333)
    """
    time_resolution = _check_param(time_resolution, "time_resolution", low=0.0, low_open=True)
    return _scores(reference, estimated, _count_segments, time_resolution=time_resolution)


# The two functions take the same scenes and return the same dict: described once.
if event_based_scores.__doc__:  # None under python -OO
    event_based_scores.__doc__ = event_based_scores.__doc__.format(scenes=_SCENES, returns=_RETURNS.format(units=""))
    segment_based_scores.__doc__ = segment_based_scores.__doc__.format(
        scenes=_SCENES, returns=_RETURNS.format(units=" (in active (segment, class) pairs)")
    )


# ---------------------------------------------------------------- scorers


def predict_events(
    estimator: Any, X: ArrayLike | Sequence[ArrayLike], **kwargs: Any
) -> list[list[tuple[float, float, Hashable]]]:
    """Deprecated alias of :func:`skaudio.models.predict_events` (event inference left the metrics).

    .. deprecated:: 0.2.0
        Use :func:`skaudio.models.predict_events`; this alias will be removed
        in 0.3.0.

    Parameters
    ----------
    estimator : object
        A fitted event detector, or a fitted Pipeline ending in one.
    X : array-like
        Its input.
    **kwargs
        Options of :func:`skaudio.models.predict_events`.

    Returns
    -------
    events : list of list of (float, float, label)
        One event list per recording.
    """
    warnings.warn(
        "skaudio.metrics.predict_events is deprecated since 0.2.0 and will be removed in 0.3.0: use "
        "skaudio.models.predict_events.",
        FutureWarning,
        stacklevel=2,
    )
    return _predict_events(estimator, X, **kwargs)


def _predict_events(estimator, X, **kwargs):
    # imported when called: skaudio.metrics itself never imports TensorFlow
    from skaudio.models import predict_events

    return predict_events(estimator, X, **kwargs)


_SCORE_FUNCTIONS = {"event": event_based_scores, "segment": segment_based_scores}
_GREATER_IS_BETTER = {
    "f_measure": True,
    "precision": True,
    "recall": True,
    "class_wise_f_measure": True,
    "error_rate": False,
    "substitution_rate": False,
    "deletion_rate": False,
    "insertion_rate": False,
    "class_wise_error_rate": False,
}


class _EventScorer:
    """``scorer(estimator, X, y)`` for model selection; built by :func:`make_event_scorer`."""

    def __init__(self, kind, metric, score_kwargs):
        self.kind = kind
        self.metric = metric
        self.score_kwargs = dict(score_kwargs)

    def __call__(self, estimator, X, y):
        estimated = _predict_events(estimator, X)
        score = _SCORE_FUNCTIONS[self.kind](y, estimated, **self.score_kwargs)[self.metric]
        detector = estimator.steps[-1][1] if hasattr(estimator, "steps") else estimator
        trained = getattr(detector, "labels_", None)
        if trained is not None:  # y is valid: the score function checked it
            labels = [event[2] for clip in y for event in clip]
            warn_unseen_labels(type(detector).__name__, labels, trained, "event label", "event(s) count as missed")
        if np.isnan(score) and _GREATER_IS_BETTER[self.metric]:
            # nothing detected (or nothing to detect): score the candidate 0 so that a
            # search ranks it instead of warning about NaN
            return 0.0
        return score if _GREATER_IS_BETTER[self.metric] else -score

    def __repr__(self):
        kwargs = "".join(f", {key}={value!r}" for key, value in self.score_kwargs.items())
        return f"make_event_scorer(kind={self.kind!r}, metric={self.metric!r}{kwargs})"


def make_event_scorer(
    kind: Literal["event", "segment"] = "event", metric: str = "f_measure", **score_kwargs: float
) -> Callable[[Any, Any, Any], float]:
    """Scorer of detected sound events, for ``GridSearchCV(..., scoring=...)``.

    The scorer is a plain callable ``scorer(estimator, X, y)``: it gets the
    detected events with :func:`skaudio.models.predict_events` (so a Pipeline
    ending in an event detector works) and scores them against ``y``, the list of reference
    event lists (one per clip), with :func:`event_based_scores` or
    :func:`segment_based_scores`.

    Parameters
    ----------
    kind : {"event", "segment"}, default="event"
        Event-based or segment-based scores.
    metric : str, default="f_measure"
        A key of the scores: ``"f_measure"``, ``"precision"``, ``"recall"``,
        ``"class_wise_f_measure"``, or (lower is better, so the scorer returns
        it **negated**, like scikit-learn's ``neg_*`` scorers) ``"error_rate"``,
        ``"substitution_rate"``, ``"deletion_rate"``, ``"insertion_rate"``,
        ``"class_wise_error_rate"``. An error rate divides by the reference
        events (plus sed_eval's epsilon): a validation fold with no reference
        event of a label the detector reports scores about -1e15 on
        ``"class_wise_error_rate"`` (and on ``"error_rate"`` when the fold
        has no reference event at all), so give error-rate scorers folds
        that hold every label, or score by F-measure.
    **score_kwargs
        Passed to the score function: ``t_collar``, ``percentage_of_length``
        (event) or ``time_resolution`` (segment).

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y) -> float``, greater is better. Where the
        score functions return NaN (an F-measure, precision or recall with
        nothing detected or nothing to detect, see
        :func:`event_based_scores`), the scorer returns 0.0, so that a
        search ranks such a candidate last without NaN warnings.

    Raises
    ------
    ValueError
        Unknown ``kind`` or ``metric``, or a bad value in ``score_kwargs``.
    TypeError
        A keyword in ``score_kwargs`` that the score function does not take.

    Warns
    -----
    UserWarning
        From the scorer, when ``y`` holds labels that the detector (its
        ``labels_``) was never trained on: it cannot find those events, which
        count as missed; the warning names the labels.

    Examples
    --------
    >>> from skaudio.metrics import make_event_scorer
    >>> class Fixed:
    ...     def predict_events(self, X):
    ...         return [[(0.0, 1.0, "dog")] for _ in X]
    >>> y = [[(0.0, 1.0, "dog")], [(0.0, 1.0, "cat")]]
    >>> make_event_scorer("event")(Fixed(), [None, None], y)
    0.5
    >>> make_event_scorer("segment", "error_rate", time_resolution=0.5)(Fixed(), [None, None], y)
    -0.5
    """
    if kind not in _SCORE_FUNCTIONS:
        raise ValueError(f"kind must be one of {sorted(_SCORE_FUNCTIONS)}, got {kind!r}.")
    if metric not in _GREATER_IS_BETTER:
        raise ValueError(f"metric must be one of {sorted(_GREATER_IS_BETTER)}, got {metric!r}.")
    _SCORE_FUNCTIONS[kind]([], [], **score_kwargs)  # reject bad keywords now, not in the middle of a search
    return _EventScorer(kind, metric, score_kwargs)


event_f1_scorer = make_event_scorer("event")
event_f1_scorer.__doc__ = """Scorer: event-based F-measure of ``predict_events(estimator, X)`` against ``y``.

``make_event_scorer("event")``: collar 0.2 s, offset within 20 % of the event's
length. For ``GridSearchCV(detector, ..., scoring=event_f1_scorer)`` (higher is better).

Parameters
----------
estimator : estimator
    A fitted detector, or a pipeline ending in one.
X : array-like
    Scenes (or their features) as the estimator's ``fit`` takes them.
y : list of list of (float, float, label)
    Reference events of each scene.

Returns
-------
score : float
    The F-measure, in [0, 1].
"""

segment_f1_scorer = make_event_scorer("segment")
segment_f1_scorer.__doc__ = """Scorer: segment-based F-measure of ``predict_events(estimator, X)`` against ``y``.

``make_event_scorer("segment")``: 1 s segments. For
``GridSearchCV(detector, ..., scoring=segment_f1_scorer)`` (higher is better).

Parameters
----------
estimator : estimator
    A fitted detector, or a pipeline ending in one.
X : array-like
    Scenes (or their features) as the estimator's ``fit`` takes them.
y : list of list of (float, float, label)
    Reference events of each scene.

Returns
-------
score : float
    The F-measure, in [0, 1].
"""
