"""Event-based and segment-based sound event scores, predict_events and the event scorers."""

import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skaudio.metrics import (
    event_based_scores,
    event_f1_scorer,
    make_event_scorer,
    segment_based_scores,
    segment_f1_scorer,
)

EPS = np.spacing(1)  # sed_eval's guard in every error rate denominator: rate = count / (n_ref + EPS)
OVERALL = ("f_measure", "precision", "recall", "error_rate", "substitution_rate", "deletion_rate", "insertion_rate")
CLASS_WISE = ("f_measure", "precision", "recall", "error_rate", "deletion_rate", "insertion_rate")


def test_metrics_import_neither_tensorflow_nor_librosa():
    heavy = ("tensorflow", "keras", "scikeras", "librosa", "sed_eval")
    code = f"import sys, skaudio.metrics; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing skaudio.metrics imported {out.stdout.strip()}"


def _counts(scores):
    return tuple(scores[k] for k in ("n_ref", "n_sys", "n_tp", "n_substitutions", "n_deletions", "n_insertions"))


# ---------------------------------------------------------------- event-based, by hand


def test_event_based_hand_computed():
    reference = [
        [(0.0, 1.0, "dog"), (2.0, 3.0, "cat"), (5.0, 6.0, "dog")],
        [(0.0, 10.0, "cat")],
    ]
    estimated = [
        [(0.15, 1.1, "dog"), (2.1, 2.9, "dog"), (5.3, 6.0, "dog"), (8.0, 9.0, "bird")],
        [(0.1, 8.5, "cat")],
    ]
    # Scene 0: dog(0,1)~dog(.15,1.1): onset off by .15, offset by .1 (tolerance max(.2, .2*1)) -> TP.
    #   cat(2,3) vs dog(2.1,2.9): in time, other label -> substitution.
    #   dog(5,6) vs dog(5.3,6): onset off by .3 > .2 -> deletion; that estimate and the bird -> insertions.
    # Scene 1: cat(0,10)~cat(.1,8.5): offset off by 1.5 <= max(.2, .2*10)=2 -> TP.
    # n_ref=4, n_sys=5, n_tp=2, S=1, D=4-2-1=1, I=5-2-1=2.
    # P=2/5, R=2/4, F=2*.4*.5/.9=4/9; ER=(1+1+2)/4=1.
    s = event_based_scores(reference, estimated)
    assert _counts(s) == (4, 5, 2, 1, 1, 2)
    assert s["precision"] == pytest.approx(0.4)
    assert s["recall"] == pytest.approx(0.5)
    assert s["f_measure"] == pytest.approx(4 / 9)
    assert s["error_rate"] == pytest.approx(1.0)
    assert (s["substitution_rate"], s["deletion_rate"], s["insertion_rate"]) == pytest.approx((0.25, 0.25, 0.5))

    # Class-wise (no substitutions within a class; sorted labels):
    # bird: ref 0, sys 1, tp 0 -> P=0, R=NaN, F=NaN, ER = 1/eps.
    # cat: ref 2, sys 1, tp 1 -> P=1, R=.5, F=2/3, D=1/2, I=0, ER=.5.
    # dog: ref 2, sys 3, tp 1 -> P=1/3, R=1/2, F=.4, D=1/2, I=2/2, ER=1.5.
    cw = s["class_wise"]
    assert list(cw) == ["bird", "cat", "dog"]
    assert (cw["bird"]["n_ref"], cw["bird"]["n_sys"], cw["bird"]["n_tp"]) == (0, 1, 0)
    assert cw["bird"]["precision"] == 0.0 and np.isnan(cw["bird"]["recall"]) and np.isnan(cw["bird"]["f_measure"])
    assert cw["bird"]["error_rate"] == pytest.approx(1 / EPS)
    assert [cw["cat"][k] for k in CLASS_WISE] == pytest.approx([2 / 3, 1.0, 0.5, 0.5, 0.5, 0.0])
    assert [cw["dog"][k] for k in CLASS_WISE] == pytest.approx([0.4, 1 / 3, 0.5, 1.5, 0.5, 1.0])
    # Macro: the NaN F of bird is left out; its enormous ER is not.
    assert s["class_wise_f_measure"] == pytest.approx((2 / 3 + 0.4) / 2)
    assert s["class_wise_error_rate"] == pytest.approx((1 / EPS + 0.5 + 1.5) / 3)

    # percentage_of_length=0.1: scene 1's offset tolerance is max(.2, 1.0) < 1.5, so its TP turns into
    # a deletion and an insertion: n_tp=1, S=1, D=2, I=3, ER=6/4.
    s = event_based_scores(reference, estimated, percentage_of_length=0.1)
    assert _counts(s) == (4, 5, 1, 1, 2, 3)
    assert s["error_rate"] == pytest.approx(1.5)


def test_collar_is_inclusive_and_configurable():
    ref = [[(0.0, 1.0, "a")]]
    assert event_based_scores(ref, [[(0.2, 1.0, "a")]])["n_tp"] == 1  # |0 - 0.2| <= 0.2
    assert event_based_scores(ref, [[(0.25, 1.0, "a")]])["n_tp"] == 0
    assert event_based_scores(ref, [[(0.25, 1.0, "a")]], t_collar=0.3)["n_tp"] == 1
    # The offset tolerance is at least the collar, even for a short event: max(0.2, 0.2 * 0.1) = 0.2.
    assert event_based_scores([[(1.0, 1.1, "a")]], [[(1.0, 1.25, "a")]])["n_tp"] == 1
    assert event_based_scores([[(1.0, 1.1, "a")]], [[(1.0, 1.35, "a")]])["n_tp"] == 0


def test_matching_is_optimal_not_greedy():
    # e0 is in time with both r0 and r1, e1 only with r0. Greedy matching in input
    # order pairs r0-e0 and leaves r1 without a partner (1 TP); the maximum
    # bipartite matching is r0-e1, r1-e0 (2 TPs).
    reference = [[(0.0, 1.0, "a"), (0.3, 1.3, "a")]]
    estimated = [[(0.15, 1.15, "a"), (0.0, 1.0, "a")]]
    s = event_based_scores(reference, estimated)
    assert _counts(s) == (2, 2, 2, 0, 0, 0)
    assert s["f_measure"] == 1.0 and s["error_rate"] == 0.0


def test_substitutions_follow_sed_eval_order():
    # r0=a(0,1) and r1=a(.15,1.15) are both in time with e0=a(.1,1.1); e1=b(.3,1.3) is
    # in time with r1 only. Either r0 or r1 can take e0 (1 TP either way). sed_eval's
    # matching takes the first reference: with [r0, r1], r1 and e1 are left over, in
    # time, different labels -> 1 substitution, ER=(1+0+0)/2. With [r1, r0], r0 and
    # e1 are left over but not in time -> 1 deletion + 1 insertion, ER=(0+1+1)/2.
    r0, r1 = (0.0, 1.0, "a"), (0.15, 1.15, "a")
    estimated = [[(0.1, 1.1, "a"), (0.3, 1.3, "b")]]
    forward = event_based_scores([[r0, r1]], estimated)
    backward = event_based_scores([[r1, r0]], estimated)
    assert _counts(forward) == (2, 2, 1, 1, 0, 0)
    assert _counts(backward) == (2, 2, 1, 0, 1, 1)
    assert forward["error_rate"] == pytest.approx(0.5)
    assert backward["error_rate"] == pytest.approx(1.0)
    assert forward["f_measure"] == backward["f_measure"] == pytest.approx(0.5)

    # Substitutions are then counted greedily, not optimally: no a is detected; e0=b(.15,1.15)
    # is in time with both r0=a(0,1) and r2=a(.3,1.3), e1=b(0,1) with r0 only. r0 takes the
    # first candidate, e0, and leaves r2 nothing: S=1, D=1, I=1 (pairing r0-e1, r2-e0 would give S=2).
    s = event_based_scores([[r0, (0.3, 1.3, "a")]], [[(0.15, 1.15, "b"), (0.0, 1.0, "b")]])
    assert _counts(s) == (2, 2, 0, 1, 1, 1)


def test_overlapping_events_of_one_label():
    reference = [[(0.0, 2.0, "a"), (1.0, 3.0, "a"), (1.0, 3.0, "a")]]
    estimated = [[(0.0, 3.0, "a"), (1.0, 3.0, "a")]]
    # Event-based: three reference events, each to be matched on its own. est (1,3) takes one
    # of the identical (1,3)'s; est (0,3) is out of time with all (offset off by 1 > max(.2,.4),
    # onset off by 1). n_tp=1, D=2, I=1: P=1/2, R=1/3, F=.4, ER=1.
    s = event_based_scores(reference, estimated)
    assert _counts(s) == (3, 2, 1, 0, 2, 1)
    assert s["f_measure"] == pytest.approx(0.4)
    # Segment-based: activity is the union, a in segments 0-2 on both sides -> perfect.
    s = segment_based_scores(reference, estimated)
    assert _counts(s) == (3, 3, 3, 0, 0, 0)
    assert s["f_measure"] == 1.0 and s["error_rate"] == 0.0


# ---------------------------------------------------------------- segment-based, by hand


def test_segment_based_hand_computed():
    reference = [[(0.0, 2.5, "dog"), (1.2, 1.8, "cat")]]
    estimated = [[(0.5, 1.5, "dog"), (2.0, 3.4, "cat")]]
    # 1 s segments, ceil(3.4) = 4 of them. An event covers floor(onset) .. ceil(offset)-1.
    #   ref: dog 0,1,2; cat 1.       est: dog 0,1; cat 2,3.
    #   seg0: ref{dog} sys{dog}      tp=1
    #   seg1: ref{dog,cat} sys{dog}  tp=1, FN=1, FP=0 -> D=1
    #   seg2: ref{dog} sys{cat}      FN=1, FP=1 -> S=1
    #   seg3: ref{} sys{cat}         FP=1 -> I=1
    # n_ref=4, n_sys=4, n_tp=2, S=D=I=1: P=R=F=.5, ER=3/4.
    s = segment_based_scores(reference, estimated)
    assert _counts(s) == (4, 4, 2, 1, 1, 1)
    assert [s[k] for k in OVERALL] == pytest.approx([0.5, 0.5, 0.5, 0.75, 0.25, 0.25, 0.25])
    # cat: ref 1, sys 2, tp 0 -> P=R=F=0, D=1, I=2, ER=3.  dog: ref 3, sys 2, tp 2 -> P=1, R=2/3, F=.8, ER=1/3.
    cw = s["class_wise"]
    assert [cw["cat"][k] for k in CLASS_WISE] == pytest.approx([0.0, 0.0, 0.0, 3.0, 1.0, 2.0])
    assert [cw["dog"][k] for k in CLASS_WISE] == pytest.approx([0.8, 1.0, 2 / 3, 1 / 3, 1 / 3, 0.0])
    assert s["class_wise_f_measure"] == pytest.approx(0.4)
    assert s["class_wise_error_rate"] == pytest.approx(5 / 3)

    # 0.5 s segments: ref dog covers 0..4 (5), cat floor(2.4)=2 .. ceil(3.6)-1=3 (2): n_ref = 7.
    assert segment_based_scores(reference, estimated, time_resolution=0.5)["n_ref"] == 7


def test_segment_boundaries_and_scene_accumulation():
    # (0.9, 1.1) touches segments 0 and 1; (1.0, 2.0) exactly segment 1; a zero-length
    # event on a boundary touches none, inside a segment it touches that one.
    reference = [[(0.9, 1.1, "a")], [(1.0, 2.0, "a")], [(3.0, 3.0, "a"), (3.5, 3.5, "b")], []]
    estimated = [[(1.0, 2.0, "a")], [(1.0, 2.0, "a")], [], [(0.0, 1.0, "b")]]
    # Scene 0: ref a in 0,1; est a in 1 -> tp 1, D 1.  Scene 1: tp 1.
    # Scene 2: ref b in seg 3 only -> D 1.  Scene 3 (no reference): b in seg 0 -> I 1.
    # n_ref = 2+1+1 = 4, n_sys = 1+1+0+1 = 3, n_tp = 2, S=0, D=2, I=1.
    s = segment_based_scores(reference, estimated)
    assert _counts(s) == (4, 3, 2, 0, 2, 1)
    assert s["error_rate"] == pytest.approx(0.75)


# ---------------------------------------------------------------- undefined values, labels, input forms


@pytest.mark.parametrize("score", [event_based_scores, segment_based_scores])
def test_empty_inputs_follow_sed_eval_nan_policy(score):
    for nothing in ([], [[]], [[], []]):
        s = score(nothing, nothing)
        assert _counts(s) == (0,) * 6
        assert np.isnan([s["f_measure"], s["precision"], s["recall"]]).all()
        assert s["error_rate"] == 0.0  # 0 / (0 + eps)
        assert s["class_wise"] == {}
        assert np.isnan(s["class_wise_f_measure"]) and np.isnan(s["class_wise_error_rate"])

    # Nothing detected: precision NaN, recall 0, F NaN (not 0: sed_eval's default); ER = D / (n_ref + eps).
    s = score([[(0.0, 1.0, "a")], [(0.0, 1.0, "a")]], [[], []])
    assert np.isnan(s["precision"]) and s["recall"] == 0.0 and np.isnan(s["f_measure"])
    assert s["error_rate"] == pytest.approx(1.0)
    assert score([[(0.0, 1.0, "a")]], [[]])["error_rate"] == 1 / (1 + EPS)  # 0.9999999999999998, as sed_eval
    assert np.isnan(s["class_wise_f_measure"])  # the only class has NaN F

    # Nothing to detect: recall NaN, precision 0, ER = I / eps (finite, enormous).
    s = score([[], []], [[(0.0, 1.0, "a")], []])
    assert s["precision"] == 0.0 and np.isnan(s["recall"]) and np.isnan(s["f_measure"])
    assert s["error_rate"] == pytest.approx(1 / EPS) and np.isfinite(s["error_rate"])


def test_labels_of_any_hashable_type():
    s = event_based_scores([[(0.0, 1.0, 2), (2.0, 3.0, 10)]], [[(0.0, 1.0, 2), (2.0, 3.0, 7)]])
    assert list(s["class_wise"]) == [2, 7, 10]  # sorted numerically
    assert _counts(s) == (2, 2, 1, 1, 0, 0)
    # Mixed str/int labels cannot be sorted: first-seen order (reference first, then estimate).
    s = segment_based_scores([[(0.0, 1.0, "b"), (0.0, 1.0, 1)]], [[(0.0, 1.0, "a")]])
    assert list(s["class_wise"]) == ["b", 1, "a"]
    assert _counts(s) == (2, 1, 0, 1, 1, 0)


@pytest.mark.parametrize("score", [event_based_scores, segment_based_scores])
def test_tuples_lists_and_arrays_give_the_same_scores(score):
    as_tuples = [[(0.0, 1.0, "a"), (1.5, 2.7, "b")], []]
    estimated = [[(0.1, 1.1, "a"), (1.5, 2.0, "a")], [(0.0, 0.5, "b")]]
    as_lists = [[list(e) for e in scene] for scene in as_tuples]
    as_arrays = [np.array(scene, dtype=object) for scene in as_tuples]
    expected = score(as_tuples, estimated)
    assert expected["n_tp"] > 0 and expected["n_insertions"] > 0  # not a trivial case
    for reference in (as_lists, as_arrays, tuple(as_tuples)):
        got = score(reference, estimated)
        np.testing.assert_equal({k: got[k] for k in OVERALL}, {k: expected[k] for k in OVERALL})
        assert _counts(got) == _counts(expected)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ((0.0, 1.0), r"reference\[1\]\[0\] is not an \(onset, offset, label\) triple"),
        ((0.0, 1.0, "a", "b"), r"reference\[1\]\[0\] is not an \(onset, offset, label\) triple"),
        ("abc", r"reference\[1\]\[0\] is not an \(onset, offset, label\) triple"),
        (("0", 1.0, "a"), r"reference\[1\]\[0\] needs numeric onset and offset"),
        ((2.0, 1.0, "a"), r"reference\[1\]\[0\] has its offset 1.0 s before its onset 2.0 s"),
        ((-0.5, 1.0, "a"), r"reference\[1\]\[0\] has a negative onset: -0.5 s"),
        ((0.0, np.inf, "a"), r"reference\[1\]\[0\] has a non-finite onset or offset"),
        ((np.nan, 1.0, "a"), r"reference\[1\]\[0\] has a non-finite onset or offset"),
        ((0.0, 1.0, ["a"]), r"reference\[1\]\[0\] has an unhashable label"),
    ],
)
@pytest.mark.parametrize("score", [event_based_scores, segment_based_scores])
def test_bad_events_name_scene_and_event(score, event, message):
    good = [[(0.0, 1.0, "a")], []]
    with pytest.raises(ValueError, match=message):
        score([good[0], [event]], good)
    # The estimate side is checked the same way and named as such.
    with pytest.raises(ValueError, match=message.replace("reference", "estimated")):
        score(good, [good[0], [event]])


@pytest.mark.parametrize("score", [event_based_scores, segment_based_scores])
def test_bad_structure(score):
    with pytest.raises(ValueError, match="reference has 2 scenes but estimated has 3"):
        score([[], []], [[], [], []])
    with pytest.raises(ValueError, match=r"did you pass one scene's events\?"):
        score([(0.0, 1.0, "a")], [[]])  # one scene's events, not wrapped in a list of scenes
    with pytest.raises(ValueError, match=r"estimated\[0\] must be a list of \(onset, offset, label\) events"):
        score([[]], [None])
    with pytest.raises(ValueError, match="reference must be a list with one list of events per scene"):
        score(None, [])


def test_bad_parameters():
    with pytest.raises(ValueError, match="t_collar must be a finite number"):
        event_based_scores([], [], t_collar=-0.1)
    with pytest.raises(ValueError, match="percentage_of_length must be a finite number in"):
        event_based_scores([], [], percentage_of_length=1.5)
    for bad in (0.0, -1.0, np.nan, "1"):
        with pytest.raises(ValueError, match="time_resolution must be a finite number"):
            segment_based_scores([], [], time_resolution=bad)
    assert segment_based_scores([[(0.0, 2.0, "a")]], [[]], time_resolution=1)["n_ref"] == 2  # an int is fine
    # times in samples where seconds were meant: refused before a matrix of 10^12 segments is built
    with pytest.raises(ValueError, match=r"reach 8e\+06 s, which is 80000000 segments of 0.1 s .* not samples\?"):
        segment_based_scores([[(16000.0, 8e6, "a")]], [[]], time_resolution=0.1)


# ---------------------------------------------------------------- predict_events and scorers


class _Detector(BaseEstimator):
    """Detects one 'dog' event (0-1 s) in each clip whose single feature exceeds the threshold."""

    def __init__(self, threshold=0.5):
        self.threshold = threshold

    def fit(self, X, y=None):
        return self

    def predict_events(self, X, threshold=None):
        threshold = self.threshold if threshold is None else threshold
        return [[(0.0, 1.0, "dog")] if x > threshold else [] for x in np.asarray(X).ravel()]


class _NoEvents(BaseEstimator):
    def fit(self, X, y=None):
        return self


def _halve(X):
    return np.asarray(X) / 2


def predict_events(estimator, X, **kwargs):
    # moved to skaudio.models (which imports TensorFlow): imported when a test calls it
    from skaudio.models import predict_events

    return predict_events(estimator, X, **kwargs)


def test_the_deprecated_alias_warns_and_calls_skaudio_models_predict_events():
    from skaudio.metrics import predict_events as alias

    with pytest.warns(FutureWarning, match="use skaudio.models.predict_events"):
        assert alias(_Detector(), np.array([[0.4], [0.8]]), threshold=0.5) == [[], [(0.0, 1.0, "dog")]]


def test_predict_events_dispatch():
    X = np.array([[0.4], [0.8]])
    assert predict_events(_Detector(), X) == [[], [(0.0, 1.0, "dog")]]
    assert predict_events(_Detector(), X, threshold=0.1) == [[(0.0, 1.0, "dog")]] * 2  # kwargs reach the method
    # A Pipeline has no predict_events: the last step gets the transformed X (0.2, 0.4).
    pipe = make_pipeline(FunctionTransformer(_halve), _Detector(threshold=0.3)).fit(X)
    assert not hasattr(pipe, "predict_events")
    assert predict_events(pipe, X) == [[], [(0.0, 1.0, "dog")]]
    inner = make_pipeline(FunctionTransformer(_halve), _Detector(0.15))
    nested = make_pipeline(FunctionTransformer(_halve), inner)
    assert predict_events(nested.fit(X), X) == [[], [(0.0, 1.0, "dog")]]  # (0.1, 0.2) against 0.15
    assert predict_events(make_pipeline(_Detector(0.5)), X) == [[], [(0.0, 1.0, "dog")]]  # one step: X as is
    with pytest.raises(TypeError, match="_NoEvents has no predict_events method"):
        predict_events(_NoEvents(), X)
    with pytest.raises(TypeError, match="_NoEvents has no predict_events method"):
        predict_events(make_pipeline(FunctionTransformer(_halve), _NoEvents()).fit(X), X)


def test_scorers_match_the_score_functions():
    X = np.array([[0.2], [0.6], [0.8]])
    y = [[], [(0.0, 1.0, "dog")], [(0.0, 1.0, "cat")]]
    detector = _Detector(threshold=0.1)
    estimated = predict_events(detector, X)  # a dog in every clip
    # Event-based: tp 1 (clip 1), S 1 (clip 2: cat as dog), I 1 (clip 0). P=1/3, R=1/2, F=.4, ER=(1+0+1)/2=1.
    assert event_f1_scorer(detector, X, y) == pytest.approx(0.4)
    assert event_f1_scorer(detector, X, y) == event_based_scores(y, estimated)["f_measure"]
    assert segment_f1_scorer(detector, X, y) == segment_based_scores(y, estimated)["f_measure"]
    # Error rates come negated so that greater is better.
    assert make_event_scorer("event", "error_rate")(detector, X, y) == pytest.approx(-1.0)
    assert make_event_scorer("event", "insertion_rate")(detector, X, y) == pytest.approx(-0.5)
    # score_kwargs reach the score function (checked against a direct call with the same keywords).
    scorer = make_event_scorer("segment", "class_wise_f_measure", time_resolution=0.5)
    expected = segment_based_scores(y, estimated, time_resolution=0.5)["class_wise_f_measure"]
    assert scorer(detector, X, y) == expected
    assert repr(scorer) == "make_event_scorer(kind='segment', metric='class_wise_f_measure', time_resolution=0.5)"


def test_make_event_scorer_rejects_bad_arguments_early():
    with pytest.raises(ValueError, match="kind must be one of"):
        make_event_scorer("frame")
    with pytest.raises(ValueError, match="metric must be one of"):
        make_event_scorer("event", "n_tp")
    with pytest.raises(TypeError, match="time_resolution"):
        make_event_scorer("event", time_resolution=1.0)  # a segment-based keyword
    with pytest.raises(ValueError, match="t_collar must be"):
        make_event_scorer("event", t_collar=-1.0)


@pytest.mark.parametrize("through_pipeline", [False, True])
def test_scorer_in_grid_search(through_pipeline):
    X = np.array([[0.2], [0.6], [0.8], [0.4], [0.7], [0.9]])
    y = [[], [(0.0, 1.0, "dog")], [(0.0, 1.0, "dog")], [], [(0.0, 1.0, "dog")], [(0.0, 1.0, "dog")]]
    # Each fold of 3 clips holds 2 dogs (values > 0.5) and one clip without:
    #   threshold .1: 3 detections, 2 right -> P=2/3, R=1, F=.8
    #   threshold .5: perfect -> F=1
    #   threshold .75: 1 detection, right -> P=1, R=1/2, F=2/3
    if through_pipeline:  # the pipeline doubles X, so the thresholds double too
        estimator = make_pipeline(FunctionTransformer(lambda X: 2 * np.asarray(X)), _Detector())
        grid = {"_detector__threshold": [0.2, 1.0, 1.5]}
    else:
        estimator, grid = _Detector(), {"threshold": [0.1, 0.5, 0.75]}
    search = GridSearchCV(estimator, grid, scoring=event_f1_scorer, cv=KFold(2)).fit(X, y)
    np.testing.assert_allclose(search.cv_results_["mean_test_score"], [0.8, 1.0, 2 / 3])
    assert search.best_index_ == 1


# ---------------------------------------------------------------- agreement with sed_eval


def _random_scenes(rng, n_scenes=6, labels="abcd"):
    """Reference events and jittered, relabelled, thinned and padded estimates.

    Times on a 0.1 s grid with jitters of exactly 0.2 s now and then, so that the
    collar boundaries are hit; zero-length events, overlaps and empty scenes included.
    """
    reference, estimated = [], []
    for _ in range(n_scenes):
        ref = []
        for _ in range(rng.integers(0, 8)):
            onset = round(float(rng.uniform(0, 10)), 1)
            length = 0.0 if rng.random() < 0.1 else round(float(rng.uniform(0, 3)), 2)
            ref.append((onset, onset + length, str(rng.choice(list(labels)))))
        est = []
        for onset, offset, label in ref:
            if rng.random() < 0.2:
                continue
            if rng.random() < 0.2:
                label = str(rng.choice(list(labels)))
            onset = max(0.0, onset + rng.choice([0.0, 0.1, 0.2, -0.2, 0.25, rng.uniform(-0.4, 0.4)]))
            offset = max(onset, offset + rng.choice([0.0, 0.2, -0.2, rng.uniform(-0.6, 0.6)]))
            est.append((onset, offset, label))
        for _ in range(rng.integers(0, 3)):
            onset = round(float(rng.uniform(0, 10)), 1)
            est.append((onset, onset + round(float(rng.uniform(0, 2)), 1), str(rng.choice(list(labels)))))
        rng.shuffle(est)
        reference.append([] if rng.random() < 0.15 else ref)
        estimated.append([] if rng.random() < 0.15 else est)
    return reference, estimated


def _sed_eval_results(sed_eval, kind, reference, estimated, **params):
    labels = sorted({label for scene in reference + estimated for _, _, label in scene})
    if kind == "event":
        metrics = sed_eval.sound_event.EventBasedMetrics(event_label_list=labels, **params)
    else:
        metrics = sed_eval.sound_event.SegmentBasedMetrics(event_label_list=labels, **params)
    for i, (ref, est) in enumerate(zip(reference, estimated)):

        def as_dicts(scene):
            return [
                {"event_label": lab, "onset": on, "offset": off, "filename": f"scene{i}.wav"} for on, off, lab in scene
            ]

        metrics.evaluate(as_dicts(ref), as_dicts(est))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # sed_eval's nanmean of all-NaN classes
        return metrics.results()


def _assert_same_as_sed_eval(ours, theirs):
    got, expected = [], []
    overall = theirs["overall"]
    for key in ("f_measure", "precision", "recall"):
        got.append(ours[key]), expected.append(overall["f_measure"][key])
    for key in ("error_rate", "substitution_rate", "deletion_rate", "insertion_rate"):
        got.append(ours[key]), expected.append(overall["error_rate"][key])
    assert sorted(ours["class_wise"], key=str) == sorted(theirs["class_wise"], key=str)
    for label, cls in theirs["class_wise"].items():
        mine = ours["class_wise"][label]
        for key in ("f_measure", "precision", "recall"):
            got.append(mine[key]), expected.append(cls["f_measure"][key])
        for key in ("error_rate", "deletion_rate", "insertion_rate"):
            got.append(mine[key]), expected.append(cls["error_rate"][key])
        got += [mine["n_ref"], mine["n_sys"]]
        expected += [cls["count"]["Nref"], cls["count"]["Nsys"]]
    average = theirs["class_wise_average"]
    if average["f_measure"]:  # sed_eval gives {} without labels; ours is NaN there (tested above)
        got += [ours["class_wise_f_measure"], ours["class_wise_error_rate"]]
        expected += [average["f_measure"]["f_measure"], average["error_rate"]["error_rate"]]
    np.testing.assert_allclose(np.array(got, float), np.array(expected, float), rtol=1e-9, atol=1e-9)


_EDGE_CASES = [
    ([[], []], [[], []]),
    ([[(0.0, 1.0, "a")], []], [[], []]),
    ([[], []], [[(0.0, 1.0, "a")], []]),
    ([[(0.0, 1.0, "a")]], [[(0.0, 1.0, "a"), (2.0, 3.0, "b")]]),
    ([[(0.0, 2.0, "a"), (1.0, 3.0, "a"), (1.0, 3.0, "a")]], [[(0.0, 3.0, "a"), (1.0, 3.0, "a")]]),
    ([[(1.0, 1.0, "a"), (1.5, 1.5, "b")]], [[(1.0, 1.0, "a"), (1.5, 1.5, "b")]]),
    # the two orders of test_substitutions_follow_sed_eval_order
    ([[(0.0, 1.0, "a"), (0.15, 1.15, "a")]], [[(0.1, 1.1, "a"), (0.3, 1.3, "b")]]),
    ([[(0.15, 1.15, "a"), (0.0, 1.0, "a")]], [[(0.1, 1.1, "a"), (0.3, 1.3, "b")]]),
    ([[(0.0, 1.0, "a"), (0.3, 1.3, "a")]], [[(0.15, 1.15, "b"), (0.0, 1.0, "b")]]),  # greedy substitutions
    ([[(0.0, 1.0, "a"), (0.3, 1.3, "a")]], [[(0.15, 1.15, "a"), (0.0, 1.0, "a")]]),  # optimal matching
]


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("event", {"t_collar": 0.2, "percentage_of_length": 0.2}),
        ("event", {"t_collar": 0.25, "percentage_of_length": 0.5}),
        ("segment", {"time_resolution": 1.0}),
        ("segment", {"time_resolution": 0.1}),
    ],
)
def test_agrees_with_sed_eval(kind, params):
    import sed_eval

    score = event_based_scores if kind == "event" else segment_based_scores
    rng = np.random.default_rng(0)
    cases = _EDGE_CASES + [_random_scenes(rng) for _ in range(40)]
    totals = np.zeros(3)
    for reference, estimated in cases:
        ours = score(reference, estimated, **params)
        _assert_same_as_sed_eval(ours, _sed_eval_results(sed_eval, kind, reference, estimated, **params))
        totals += [ours["n_substitutions"], ours["n_deletions"], ours["n_insertions"]]
    assert np.all(totals > 0)  # the cases exercise every kind of error


def test_a_long_chain_of_matches_needs_no_deep_recursion():
    # each estimate overlaps two references: matching them all follows a chain of 1,000 alternations (sed_eval's
    # recursive search, and this one before, ran out of Python's recursion limit)
    n = 1000
    reference = [(1 + 0.3 * j, 1.5 + 0.3 * j, "a") for j in range(n + 1)]
    estimated = [(1.15 + 0.3 * i, 1.65 + 0.3 * i, "a") for i in range(n)] + [(0.85, 1.35, "a")]
    scores = event_based_scores([reference], [estimated])
    assert scores["f_measure"] == 1.0 and scores["error_rate"] == 0.0


def test_numpy_labels_are_plain_values_and_a_table_is_named():
    import json

    import pandas as pd

    scores = event_based_scores([[(0, 1, np.int64(3))]], [[(0, 1, 3)]])
    assert list(scores["class_wise"]) == [3] and type(next(iter(scores["class_wise"]))) is int
    json.dumps(scores)  # the keys are JSON's
    table = pd.DataFrame({"onset": [0.0], "offset": [1.0], "label": ["a"]})
    with pytest.raises(ValueError, match=r"reference\[0\] is a table; give its rows as events"):
        event_based_scores([table], [table])
    rows = list(table.itertuples(index=False))
    assert event_based_scores([rows], [rows])["f_measure"] == 1.0
