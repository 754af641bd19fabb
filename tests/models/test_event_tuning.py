"""Post-processing per label: dicts of options, and skaudio.models.tune_event_postprocessing."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from skaudio.metrics import event_based_scores
from skaudio.models import CRNNEventDetector, frame_proba_to_events, predict_events, tune_event_postprocessing

FD = 0.01  # seconds per input frame
N_FRAMES = 400  # input frames per validation recording: 4 s
A_EVENT, B_EVENT, A_BLIP = (0.4, 0.8), (1.6, 2.0), (2.8, 3.2)  # seconds


@pytest.fixture(scope="module")
def detector():
    """A two-label detector (labels "a" and "b") fitted on 20-frame clips of 3 features."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(16, 20, 3)).astype("float32")
    events = [[(0.05, 0.1, "a")] if i % 2 else [(0.05, 0.1, "b")] for i in range(16)]
    det = CRNNEventDetector(
        temporal_pooling="max", padding="same", frame_duration=FD, filters=4, lstm_units=4, epochs=1, random_state=0
    )
    return det.fit(X, events)


def _probability_detector(detector, monkeypatch):
    """Make ``detector``'s frame probabilities the mean of features 0 and 1 over each output frame's input frames.

    A recording's features then say what probabilities the detector gives,
    whatever window they fall in.
    """
    stride, _ = detector._frame_timing()

    def frame_proba(X):
        X = np.asarray(X, dtype=np.float64)[..., :2]
        n_out = X.shape[1] // stride
        return X[:, : n_out * stride].reshape(len(X), n_out, stride, 2).mean(2)

    monkeypatch.setitem(vars(detector), "predict_frame_proba", frame_proba)
    return detector


def _validation_set(n=6):
    """Features whose probabilities need a high threshold for "a" (a 0.55 blip) and a low one for "b" (0.35)."""
    X, y = [], []
    for _ in range(n):
        features = np.full((N_FRAMES, 3), 0.05)
        for (onset, offset), column, level in [(A_EVENT, 0, 0.9), (A_BLIP, 0, 0.55), (B_EVENT, 1, 0.35)]:
            features[int(onset / FD) : int(offset / FD), column] = level
        X.append(features)
        y.append([(*A_EVENT, "a"), (*B_EVENT, "b")])
    return X, y


def _f1(reference, estimated):
    return event_based_scores(reference, estimated, t_collar=0.2, percentage_of_length=0.2)["f_measure"]


def test_each_label_gets_the_threshold_its_probabilities_need(detector, monkeypatch):
    det = _probability_detector(detector, monkeypatch)
    X, y = _validation_set()
    params = tune_event_postprocessing(det, X, y, param_grid={"threshold": [0.3, 0.5, 0.7]})
    assert params == {"threshold": {"a": 0.7, "b": 0.3}}
    assert _f1(y, predict_events(det, X, **params)) == 1.0
    # one threshold for both labels: 0.3 finds both events and keeps the blip of "a" (F1 0.8); 0.7 misses "b"
    shared = tune_event_postprocessing(det, X, y, param_grid={"threshold": [0.3, 0.5, 0.7]}, per_label=False)
    assert shared == {"threshold": 0.3}
    assert _f1(y, predict_events(det, X, **shared)) == pytest.approx(0.8)


def test_options_that_detect_nothing_do_not_win(detector, monkeypatch):
    det = _probability_detector(detector, monkeypatch)
    X, y = _validation_set()
    for features in X:
        features[:, :2] = np.where(features[:, :2] > 0.3, 0.4, 0.05)  # every event at 0.4, the blip too
    monkeypatch.setattr(det, "threshold", 0.5)  # the detector's own threshold finds nothing: F1 undefined
    grid = {"threshold": [0.5, 0.3, 0.7]}
    assert tune_event_postprocessing(det, X, y, param_grid=grid, per_label=False) == {"threshold": 0.3}
    assert tune_event_postprocessing(det, X, y, param_grid=grid) == {"threshold": {"a": 0.3, "b": 0.3}}


def test_ties_go_to_the_detectors_values_and_options_outside_the_grid_apply(detector, monkeypatch):
    det = _probability_detector(detector, monkeypatch)
    X, y = _validation_set()
    monkeypatch.setattr(det, "threshold", 0.7)
    # 0.6 and 0.7 both score 1.0 for "a": the detector's own value wins the tie though 0.6 comes first
    assert tune_event_postprocessing(det, X, y, param_grid={"threshold": [0.3, 0.6, 0.7]}) == {
        "threshold": {"a": 0.7, "b": 0.3}
    }
    # the same with values per label; and min_duration, outside the grid, drops the 0.4 s events of "b"
    # whatever its threshold, so that all thresholds tie for "b" and its own (0.5) stays
    monkeypatch.setattr(det, "threshold", {"a": 0.6, "b": 0.5})
    monkeypatch.setattr(det, "min_duration", {"a": 0.0, "b": 0.5})
    assert tune_event_postprocessing(det, X, y, param_grid={"threshold": [0.3, 0.7, 0.6, 0.5]}) == {
        "threshold": {"a": 0.6, "b": 0.5}
    }


def test_a_label_with_no_evidence_keeps_the_detectors_value(detector, monkeypatch):
    det = _probability_detector(detector, monkeypatch)
    X, _ = _validation_set()
    for features in X:
        features[:, 1] = 0.05  # "b" is never above any threshold ...
    y = [[(*A_EVENT, "a")] for _ in X]  # ... and never in the references
    params = tune_event_postprocessing(det, X, y, param_grid={"threshold": [0.3, 0.7]})
    assert params == {"threshold": {"a": 0.7, "b": det.threshold}}


def test_tuned_options_travel_with_the_detector(detector, monkeypatch):
    det = _probability_detector(detector, monkeypatch)
    X, y = _validation_set(2)
    params = tune_event_postprocessing(det, X, y, param_grid={"threshold": [0.3, 0.7], "median_filter": [None, 0.2]})
    assert set(params) == {"threshold", "median_filter"} and all(set(v) == {"a", "b"} for v in params.values())
    tuned = clone(det).set_params(**params)
    assert tuned.get_params()["threshold"] == params["threshold"]
    monkeypatch.setattr(det, "threshold", params["threshold"])
    monkeypatch.setattr(det, "median_filter", params["median_filter"])
    assert predict_events(det, X) == predict_events(det, X, **params)
    assert _f1(y, det.predict_events(X)) == 1.0


def test_a_dict_of_options_per_label_is_checked_against_the_labels_before_the_network_runs(detector, monkeypatch):
    def no_network(X):
        raise AssertionError("the network ran before the options were checked")

    monkeypatch.setitem(vars(detector), "predict_frame_proba", no_network)
    X, _ = _validation_set(1)
    with pytest.raises(ValueError, match=r"threshold given per label .* it has no value for \['b'\]"):
        predict_events(detector, X, threshold={"a": 0.5})
    with pytest.raises(ValueError, match=r"min_gap given per label .* labels not among them: \['c'\]"):
        predict_events(detector, X, min_gap={"a": 0.1, "b": 0.1, "c": 0.1})
    with pytest.raises(ValueError, match="threshold must be in \\(0, 1\\) for label 'b', got 1.5"):
        predict_events(detector, X, threshold={"a": 0.5, "b": 1.5})
    monkeypatch.setattr(detector, "median_filter", {"a": 0.1})
    with pytest.raises(ValueError, match=r"median_filter given per label .* no value for \['b'\]"):
        detector.predict_events(X)


def test_frame_probabilities_take_options_per_label():
    proba = np.array([[0.9, 0.35], [0.9, 0.35], [0.55, 0.05], [0.05, 0.35]])
    frames = {"frame_duration": 0.1, "first_frame_centre": 0.05}  # frame j spans [0.1 j, 0.1 (j + 1)]

    def events(**options):
        return [
            (round(a, 6), round(b, 6), label)
            for a, b, label in frame_proba_to_events(proba, ["a", "b"], **frames, **options)
        ]

    assert events(threshold={"a": 0.7, "b": 0.3}) == [(0.0, 0.2, "a"), (0.0, 0.2, "b"), (0.3, 0.4, "b")]
    assert events(threshold=0.3, min_gap={"a": 0.0, "b": 0.1}) == [(0.0, 0.3, "a"), (0.0, 0.4, "b")]
    assert events(threshold=0.3, min_duration={"a": 0.35, "b": 0}) == [(0.0, 0.2, "b"), (0.3, 0.4, "b")]
    assert events(threshold=0.3, median_filter={"a": None, "b": 0.3}) == [(0.0, 0.3, "a"), (0.0, 0.4, "b")]
    with pytest.raises(ValueError, match=r"no value for \['b'\]"):
        events(threshold={"a": 0.5})


def test_dict_parameters_are_accepted_at_fit_and_others_refused():
    X, events = np.zeros((2, 20, 3), dtype="float32"), [[(0.0, 0.1, "a")], []]
    det = CRNNEventDetector(temporal_pooling="max", frame_duration=0.01, filters=4, lstm_units=4, epochs=1)
    det.set_params(threshold={"a": 0.3}, median_filter={"a": None}, min_gap={"a": 0.2}, min_duration={"a": 0.0}).fit(
        X, events
    )
    assert det.predict_events(X[:1]) == det.predict_events(X[:1], threshold=0.3, min_gap=0.2)
    with pytest.raises(InvalidParameterError, match="'threshold' parameter of CRNNEventDetector must be"):
        clone(det).set_params(threshold="high").fit(X, events)


def test_bad_tuning_input_is_an_error_naming_it(detector):
    X, y = _validation_set(2)
    for grid, message in [
        ({"thresh": [0.5]}, "param_grid names 'thresh', which is not one of the options"),
        ({"threshold": []}, r"param_grid\['threshold'\] must be a non-empty list"),
        ({"threshold": 0.5}, r"param_grid\['threshold'\] must be a non-empty list"),
        ({"threshold": [0.5, 1.5]}, r"threshold must be in \(0, 1\), got 1.5"),
        ({}, "param_grid must be a non-empty dict"),
    ]:
        with pytest.raises(ValueError, match=message):
            tune_event_postprocessing(detector, X, y, param_grid=grid)
    with pytest.raises(ValueError, match=r"param_grid\['threshold'\] must be a non-empty list"):
        tune_event_postprocessing(detector, X, y, param_grid={"threshold": np.array(0.5)})
    with pytest.raises(ValueError, match="t_collar must be a finite number"):
        tune_event_postprocessing(detector, X, y, t_collar=-0.1)


def test_tuning_input_is_checked_before_the_network_runs(detector, monkeypatch):
    def no_network(X):
        raise AssertionError("the network ran before the input was checked")

    monkeypatch.setitem(vars(detector), "predict_frame_proba", no_network)
    X, y = _validation_set(2)
    with pytest.raises(ValueError, match="y has 1 lists of reference events for 2 recordings"):
        tune_event_postprocessing(detector, X, y[:1], param_grid={"threshold": [0.5]})
    with pytest.raises(ValueError, match=r"y\[1\]\[0\] has its offset 0.1 s before its onset 0.5 s"):
        tune_event_postprocessing(detector, X, [y[0], [(0.5, 0.1, "a")]], param_grid={"threshold": [0.5]})
    monkeypatch.setattr(detector, "min_gap", {"a": 0.1})  # set before a refit that added "b"
    with pytest.raises(ValueError, match=r"min_gap given per label .* no value for \['b'\]"):
        tune_event_postprocessing(detector, X, y, param_grid={"threshold": [0.5]})
    with pytest.raises(ValueError, match="per_label must be True or False"):
        tune_event_postprocessing(detector, X, y, per_label="yes")
    with pytest.raises(TypeError, match="must be a CRNNEventDetector or a Pipeline ending in one"):
        tune_event_postprocessing(object(), X, y)
    with pytest.raises(NotFittedError):
        tune_event_postprocessing(clone(detector), X, y)


def test_reference_labels_the_detector_never_learnt_are_named(detector, monkeypatch):
    det = _probability_detector(detector, monkeypatch)
    X, y = _validation_set(2)
    y[1] = [*y[1], (3.5, 3.8, "siren")]
    with pytest.warns(UserWarning, match=r"never seen in training \('siren'\); their 1 event\(s\) count as missed"):
        tune_event_postprocessing(det, X, y, param_grid={"threshold": [0.5]})


def test_options_per_label_are_saved_with_the_model_and_load_without_trust(detector, monkeypatch, tmp_path):
    from skaudio.persistence import load_model, save_model

    monkeypatch.setattr(detector, "threshold", {"a": 0.7, "b": 0.3})
    monkeypatch.setattr(detector, "median_filter", {"a": None, "b": 0.2})
    monkeypatch.setattr(detector, "min_gap", {"a": 0.0, "b": 0.5})
    save_model(detector, tmp_path / "detector.skaudio")
    loaded = load_model(tmp_path / "detector.skaudio")  # untrusted: builtin dicts load
    assert (loaded.threshold, loaded.median_filter) == ({"a": 0.7, "b": 0.3}, {"a": None, "b": 0.2})
    # thresholds low enough that the barely trained network detects something, with the loaded gaps
    loaded.set_params(threshold={"a": 0.01, "b": 0.02})
    X, _ = _validation_set(1)
    (events,) = loaded.predict_events(X)
    assert events and [events] == loaded.predict_events(
        X, threshold={"a": 0.01, "b": 0.02}, median_filter={"a": None, "b": 0.2}, min_gap={"a": 0.0, "b": 0.5}
    )


def test_a_label_without_references_gets_the_options_that_keep_it_silent(detector, monkeypatch):
    det = _probability_detector(detector, monkeypatch)
    X, _ = _validation_set()
    for features in X:
        features[:, 1] = np.where(features[:, 1] > 0.3, 0.55, 0.05)  # "b" rises to 0.55 ...
    y = [[(*A_EVENT, "a")] for _ in X]  # ... and is never in the references: any detection of it is false
    # 0.3 and 0.5 detect a false "b" in every recording, 0.7 none (the combination that used to be skipped)
    grid = {"threshold": [0.3, 0.5, 0.7]}
    assert tune_event_postprocessing(det, X, y, param_grid=grid)["threshold"]["b"] == 0.7
    assert tune_event_postprocessing(det, X, y, param_grid=grid, per_label=False) == {"threshold": 0.7}
