"""skaudio.models.predict_events: events of recordings of any length, in overlapping windows."""

import copy

import numpy as np
import pytest
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skaudio.models import CRNNEventDetector, predict_events
from skaudio.pipelines import AudioPipeline
from skaudio.preprocessing import Spectrogram

SR = 8000
HOP = 80
STRIDE = 4  # two poolings of 2: four input frames per output frame
NOISE, LOUD = 0.003, 0.3


def _recording(duration, bursts, seed=0):
    """Quiet noise with loud noise bursts at ``bursts`` (onset_s, offset_s)."""
    rng = np.random.default_rng(seed)
    wave = NOISE * rng.standard_normal(int(round(duration * SR)))
    for onset, offset in bursts:
        span = slice(int(round(onset * SR)), int(round(offset * SR)))
        wave[span] = LOUD * rng.standard_normal(span.stop - span.start)
    return wave.astype(np.float32)


def _pipeline():
    return AudioPipeline(
        [
            ("spectrogram", Spectrogram(sr=SR, n_fft=256, hop_length=HOP, n_mels=16, top_db=None)),
            (
                "crnneventdetector",
                CRNNEventDetector(
                    temporal_pooling="max",
                    padding="same",
                    kernel_size=3,
                    filters=(4, 4),
                    pool_size=(2, 2),
                    lstm_units=4,
                    epochs=1,
                    random_state=0,
                ),
            ),
        ]
    )


def _scenes():
    bursts = [[(0.2 + 0.05 * i, 0.6 + 0.03 * i)] for i in range(8)]
    return [_recording(1.0, b, seed=i) for i, b in enumerate(bursts)], [[(*b[0], "burst")] for b in bursts]


@pytest.fixture(scope="module")
def pipe():
    return _pipeline().fit(*_scenes())


@pytest.fixture(scope="module")
def level(pipe):
    """The mean log-mel level half way between quiet and loud frames."""
    quiet, loud = pipe[:-1].transform([_recording(0.5, []), _recording(0.5, [(0.0, 0.5)])])
    return (quiet.mean() + loud.mean()) / 2


def _energy_detector(detector, level, monkeypatch):
    """Make ``detector`` a context-free energy detector: output frame j is active where its 4 input frames are loud.

    Its output frames depend on nothing outside their own input frames, so any
    window that holds a frame gives it the same probability: windowed and
    whole inference must then agree exactly.
    """

    def frame_proba(X):
        X = np.asarray(X, dtype=np.float64)
        n_out = X.shape[1] // STRIDE
        mean = X[:, : n_out * STRIDE].mean(-1).reshape(len(X), n_out, STRIDE).mean(-1)
        return (1 / (1 + np.exp(level - mean)))[..., None]

    # in the instance's __dict__, from which monkeypatch removes it afterwards (setattr would leave the method there)
    monkeypatch.setitem(vars(detector), "predict_frame_proba", frame_proba)
    return detector


def _features(level, n_frames, events):
    """One recording's features: ``level + 5`` inside the frame ranges ``events``, ``level - 5`` elsewhere."""
    X = np.full((n_frames, 3), level - 5.0)
    for first, stop in events:
        X[first:stop] = level + 5.0
    return X


@pytest.mark.parametrize("overlap", [0.0, 0.3, 0.5, 0.75])
@pytest.mark.parametrize("window", [0.4, 1.0, 2.2])
def test_windows_give_the_events_of_the_whole_recording(pipe, level, monkeypatch, window, overlap):
    det = _energy_detector(pipe[-1], level, monkeypatch)
    X = [_features(level, 1000, [(32, 92), (201, 202), (396, 640), (990, 1000)]), _features(level, 57, [(8, 20)])]
    whole = predict_events(det, X, window=float("inf"))
    assert predict_events(det, X, window=window, overlap=overlap) == whole
    assert predict_events(det, X, window=window, overlap=overlap, batch_size=1) == whole
    assert len(whole[0]) == 3  # one loud frame of four (201) leaves its output frame (200-203) inactive
    assert det.predict_events(X, window=window, overlap=overlap) == whole  # the method is the same code


@pytest.mark.parametrize("overlap", [0.0, 0.5])
def test_an_event_across_window_edges_is_one_event(pipe, level, monkeypatch, overlap):
    det = _energy_detector(pipe[-1], level, monkeypatch)
    # input frames 32-91 are output frames 8-22: 0.315 s to 0.915 s, over the edges at 0.4 and 0.8 s
    (events,) = predict_events(det, [_features(level, 300, [(32, 92)])], window=0.4, overlap=overlap)
    assert events == [(pytest.approx(0.315), pytest.approx(0.915), "burst")]


@pytest.mark.parametrize("hop", [HOP, 2 * HOP])
def test_times_of_a_long_waveform_are_right_whatever_the_hop(pipe, level, monkeypatch, hop):
    pipe = clone(pipe).set_params(spectrogram__hop_length=hop).fit(*_scenes())
    assert pipe[-1].frame_duration_ == pytest.approx(hop / SR)
    _energy_detector(pipe[-1], level, monkeypatch)
    bursts = [(1.0, 1.6), (2.95, 4.4), (6.2, 7.0)]  # the second crosses several window edges
    (events,) = predict_events(pipe, [_recording(7.3, bursts)], overlap=0.5)
    assert [label for *_, label in events] == ["burst"] * 3
    tolerance = STRIDE * hop / SR  # one output frame
    for (onset, offset, _), (true_onset, true_offset) in zip(events, bursts):
        assert abs(onset - true_onset) <= tolerance and abs(offset - true_offset) <= tolerance
    # the events of a burst that lasts to the end stop at the end of the waveform
    (events,) = predict_events(pipe, [_recording(7.3, [(6.9, 7.3)])])
    assert events[-1][0] == pytest.approx(6.9, abs=tolerance) and 7.3 - tolerance <= events[-1][1] <= 7.3


def test_a_hop_changed_after_fit_is_refused_before_events_come_out_at_wrong_times(pipe, level, monkeypatch):
    changed = copy.deepcopy(pipe).set_params(spectrogram__hop_length=2 * HOP)  # fitted, then a setting changed
    with pytest.raises(ValueError, match=r"frames 0.02 s apart, but the detector was fitted on frames 0.01 s apart"):
        predict_events(changed, [_recording(2.0, [(0.5, 1.0)])])
    _energy_detector(pipe[-1], level, monkeypatch)  # the pipeline as fitted finds the burst where it is
    ((onset, offset, label),) = predict_events(pipe, [_recording(2.0, [(0.5, 1.0)])])[0]
    tolerance = STRIDE * HOP / SR  # one output frame
    assert label == "burst" and abs(onset - 0.5) <= tolerance and abs(offset - 1.0) <= tolerance


def test_a_pipeline_and_its_detector_agree_on_clips_as_long_as_the_training_scenes(pipe):
    X, _ = _scenes()
    features = pipe[:-1].transform(X)
    threshold = float(np.median(pipe[-1].predict_frame_proba(features)))  # something is detected, whatever it learnt
    expected = predict_events(pipe[-1], features, threshold=threshold)
    assert any(expected)
    assert pipe[-1].predict_events(features, threshold=threshold) == expected

    def until_1s(events):  # waveforms end at their last sample (1 s), features a frame later (101 frames of 10 ms)
        return [[(onset, min(offset, 1.0), label) for onset, offset, label in clip] for clip in events]

    assert predict_events(pipe, X, threshold=threshold) == until_1s(expected)
    assert predict_events(make_pipeline(pipe), X, threshold=threshold) == until_1s(expected)  # nested


def test_a_long_recording_goes_through_the_steps_in_bounded_batches_of_windows(pipe, level, monkeypatch):
    _energy_detector(pipe[-1], level, monkeypatch)
    shapes = []
    transform = pipe[0].transform
    monkeypatch.setitem(vars(pipe[0]), "transform", lambda X: shapes.append(np.shape(X)) or transform(X))
    wave = np.zeros(600 * SR, dtype=np.float32)  # ten minutes of silence and one burst
    wave[SR * 300 : SR * 301] = LOUD * np.random.default_rng(0).standard_normal(SR)
    (events,) = predict_events(pipe, [wave], window=20.0, batch_size=4)
    assert max(shape[0] for shape in shapes) <= 4
    assert max(shape[1] for shape in shapes) < 20 * SR + STRIDE * HOP  # a window, not the recording
    assert [(round(on, 1), round(off, 1)) for on, off, _ in events] == [(300.0, 301.0)]


class _Loud(BaseEstimator):
    def fit(self, X, y=None):
        return self

    def predict_events(self, X, threshold=0.5):
        return [[(0.0, 1.0, "loud")] if x > threshold else [] for x in np.ravel(X)]


def test_another_detector_gets_x_transformed_and_the_options_given():
    pipe = make_pipeline(FunctionTransformer(lambda X: 2 * np.asarray(X)), _Loud()).fit([[0.1]])
    assert predict_events(pipe, [[0.1], [0.3]]) == [[], [(0.0, 1.0, "loud")]]
    assert predict_events(pipe, [[0.1], [0.3]], threshold=0.1) == [[(0.0, 1.0, "loud")]] * 2
    with pytest.raises(TypeError, match="unexpected keyword argument 'window'"):
        predict_events(pipe, [[0.1]], window=1.0)


def test_bad_input_is_an_error_naming_it(pipe):
    X = [_recording(2.0, [(0.5, 1.0)])]
    message = r"window=0.001 s is shorter than one output frame of the detector \(0.03 s of waveform, 4 input frames"
    with pytest.raises(ValueError, match=message):
        predict_events(pipe, X, window=0.001)
    assert len(predict_events(pipe, X, window=0.03)) == 1  # the shortest window said is taken
    for bad in (0, -1.0, float("nan"), "1s"):
        with pytest.raises(ValueError, match="window must be a duration in seconds > 0 or None"):
            predict_events(pipe, X, window=bad)
    for bad in (-0.1, 1.0, 1.5, None):
        with pytest.raises(ValueError, match=r"overlap must be a fraction in \[0, 1\)"):
            predict_events(pipe, X, overlap=bad)
    for name, bad, message in [
        ("threshold", 1.5, r"threshold must be in \(0, 1\)"),
        ("min_duration", -1, "min_duration must be a number >= 0"),
        ("median_filter", -0.1, "median_filter must be a duration in seconds >= 0 or None"),
        ("min_gap", -0.5, "min_gap must be a finite number of seconds >= 0"),
        ("min_gap", float("inf"), "min_gap must be a finite number of seconds >= 0"),
        ("batch_size", 0, "batch_size must be an int >= 1"),
    ]:
        with pytest.raises(ValueError, match=message):
            predict_events(pipe, X, **{name: bad})
    with pytest.raises(NotFittedError, match="CRNNEventDetector instance is not fitted"):
        predict_events(_pipeline(), X)
    with pytest.raises(NotFittedError):
        predict_events(CRNNEventDetector(), np.zeros((1, 10, 3)))
    with pytest.raises(TypeError, match="Spectrogram has no predict_events method and is not a Pipeline"):
        predict_events(pipe[:-1], X)
    with pytest.raises(TypeError, match="'passthrough' has no predict_events method"):
        predict_events(make_pipeline(pipe[0], "passthrough"), X)
    with pytest.raises(TypeError, match="load the audio first"):
        predict_events(pipe, ["recording.wav"])
    with pytest.raises(ValueError, match=r"X\[1\] is an empty recording"):
        predict_events(pipe, [X[0], np.zeros(0)])
    with pytest.raises(ValueError, match="X has 1 dimension"):
        predict_events(pipe, X[0])
    with pytest.raises(
        ValueError, match=r"X\[1\] has shape \(2, 16000\), but the steps .* 1D waveforms\. A multichannel"
    ):
        predict_events(pipe, [X[0], np.stack([X[0], X[0]])])
    with pytest.raises(
        ValueError, match=r"X\[0\] has shape \(16000,\), a waveform, but CRNNEventDetector takes feature"
    ):
        predict_events(pipe[-1], X)


def test_frame_probabilities_become_smoothed_events_in_seconds():
    from skaudio.models import frame_proba_to_events

    proba = np.zeros((20, 2))
    proba[2:9, 0] = 0.9
    proba[5, 0] = 0.2  # a one-frame gap inside the dog's run
    proba[15, 0] = 0.8  # a one-frame blip
    proba[12:20, 1] = 0.7  # runs to the end of the recording
    # frames 10 ms apart, centred on 5 ms, 10 ms, ...: frame j spans [j, j + 1) * 10 ms
    kwargs = {"frame_duration": 0.01, "first_frame_centre": 0.005}
    raw = frame_proba_to_events(proba, ["dog", "rain"], **kwargs)
    assert [label for *_, label in raw] == ["dog", "dog", "rain", "dog"]
    smoothed = frame_proba_to_events(proba, ["dog", "rain"], median_filter=0.03, end=0.195, **kwargs)
    assert smoothed == [(0.02, 0.09, "dog"), (0.12, 0.195, "rain")]
    long_enough = frame_proba_to_events(proba, ["dog", "rain"], min_duration=0.05, **kwargs)
    assert long_enough == [(0.12, 0.2, "rain")]
    with pytest.raises(ValueError, match=r"one column per label \(3\), got shape \(20, 2\)"):
        frame_proba_to_events(proba, ["dog", "rain", "bird"], **kwargs)
    with pytest.raises(ValueError, match="frame_duration must be a number of seconds > 0"):
        frame_proba_to_events(proba, ["dog", "rain"], frame_duration=0)
    with pytest.raises(ValueError, match="median_filter must be"):
        frame_proba_to_events(proba, ["dog", "rain"], median_filter=-1, **kwargs)


def test_events_of_one_label_closer_than_min_gap_are_joined_before_min_duration():
    from skaudio.models import frame_proba_to_events

    proba = np.zeros((30, 2))
    proba[[2, 3, 6, 7, 20], 0] = 0.9  # two barks 20 ms apart, and a third 120 ms later
    proba[4:6, 1] = 0.9  # another label inside the dog's gap is not bridged into it
    kwargs = {"frame_duration": 0.01, "first_frame_centre": 0.005}
    barks = [(0.02, 0.04, "dog"), (0.06, 0.08, "dog"), (0.2, 0.21, "dog")]
    assert [e for e in frame_proba_to_events(proba, ["dog", "rain"], **kwargs) if e[2] == "dog"] == barks
    joined = frame_proba_to_events(proba, ["dog", "rain"], min_gap=0.02, **kwargs)
    assert joined == [(0.02, 0.08, "dog"), (0.04, 0.06, "rain"), (0.2, 0.21, "dog")]
    # a gap one frame longer than min_gap stays open
    assert frame_proba_to_events(proba, ["dog", "rain"], min_gap=0.015, **kwargs)[0] == barks[0]
    # joining comes first: the joined 60 ms event survives min_duration=0.05, the lone 10 ms one does not
    assert frame_proba_to_events(proba, ["dog", "rain"], min_gap=0.02, min_duration=0.05, **kwargs) == [
        (0.02, 0.08, "dog")
    ]
    assert frame_proba_to_events(proba, ["dog", "rain"], min_gap=0.2, **kwargs)[0] == (0.02, 0.21, "dog")


def test_min_gap_joins_the_events_of_a_long_recording_across_window_edges(pipe, level, monkeypatch):
    det = _energy_detector(pipe[-1], level, monkeypatch)
    # output frames 8-22 and 25-39 (40 ms each): two events 80 ms apart, across the window edges at 0.4 and 0.8 s
    X = [_features(level, 300, [(32, 92), (100, 160)])]
    (apart,) = predict_events(det, X, window=0.4)
    assert [(round(a, 3), round(b, 3)) for a, b, _ in apart] == [(0.315, 0.915), (0.995, 1.595)]
    assert predict_events(det, X, window=0.4, min_gap=0.06) == [apart]
    (joined,) = predict_events(det, X, window=0.4, min_gap=0.08)
    assert joined == [(apart[0][0], apart[1][1], "burst")]
    assert det.predict_events(X, window=0.4, min_gap=0.08) == [joined]


def test_the_detectors_post_processing_parameters_are_the_default_options(pipe, level, monkeypatch):
    det = _energy_detector(pipe[-1], level, monkeypatch)
    X = [_features(level, 300, [(32, 92), (100, 160)])]
    apart = predict_events(det, X, window=0.4)
    assert len(apart[0]) == 2
    monkeypatch.setattr(det, "min_gap", 0.08)
    (joined,) = predict_events(det, X, window=0.4)
    assert joined == [(apart[0][0][0], apart[0][1][1], "burst")]
    assert det.predict_events(X, window=0.4) == [joined]
    assert predict_events(det, X, window=0.4, min_gap=0.0) == apart  # an option given overrides the parameter
    monkeypatch.setattr(det, "min_duration", 1.0)
    assert predict_events(det, X, window=0.4) == [joined]  # the joined 1.28 s event is long enough
    monkeypatch.setattr(det, "min_gap", 0.0)
    assert predict_events(det, X, window=0.4) == [[]]  # the two 0.6 s events are not
    monkeypatch.setattr(det, "min_duration", 0.0)
    monkeypatch.setattr(det, "threshold", 0.9999)  # the loud frames' probability is sigmoid(5) = 0.993
    assert predict_events(det, X, window=0.4) == [[]]
    assert predict_events(det, X, window=0.4, threshold=0.5) == apart
    monkeypatch.setattr(det, "median_filter", -1.0)
    with pytest.raises(ValueError, match="median_filter must be a duration in seconds >= 0 or None, got -1.0"):
        predict_events(det, X)
    assert predict_events(det, X, window=0.4, threshold=0.5, median_filter=0) == apart  # 0: no filter


def test_post_processing_parameters_are_validated_at_fit_and_cloned():
    det = CRNNEventDetector(threshold=0.3, median_filter=0.2, min_gap=0.5, min_duration=0.1)
    params = clone(det).get_params()
    assert (params["threshold"], params["median_filter"], params["min_gap"], params["min_duration"]) == (
        0.3,
        0.2,
        0.5,
        0.1,
    )
    X, events = np.zeros((2, 20, 3), dtype="float32"), [[(0.0, 0.1, "a")], []]
    for name, bad in [("threshold", 1.0), ("min_gap", -1.0), ("median_filter", -0.2), ("min_duration", -1)]:
        with pytest.raises(ValueError, match=f"'{name}' parameter of CRNNEventDetector must be"):
            CRNNEventDetector(temporal_pooling="max", frame_duration=0.01, **{name: bad}).fit(X, events)


def test_a_detector_saved_before_the_post_processing_parameters_existed_predicts_as_before(pipe, level, monkeypatch):
    det = _energy_detector(pipe[-1], level, monkeypatch)
    X = [_features(level, 300, [(32, 92), (100, 160)])]
    before = predict_events(det, X, window=0.4)
    for name in ("threshold", "median_filter", "min_gap", "min_duration"):
        monkeypatch.delitem(vars(det), name)  # as unpickled from a file written before they existed
    assert "min_gap" not in vars(det) and det.min_gap == 0.0
    assert predict_events(det, X, window=0.4) == before
