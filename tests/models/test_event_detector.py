"""CRNNEventDetector: binary and multi-label event presence."""

import numpy as np
import pytest
from sklearn.base import is_classifier

from skaudio.models import CRNNEventDetector

SR = 8000


def _scenes(n, rng):
    """Noise scenes, some containing a 1 kHz tone burst and/or a click train."""
    t = np.arange(SR // 2) / SR
    X = 0.05 * rng.standard_normal((n, len(t)))
    labels = rng.integers(0, 2, size=(n, 2))
    for i in range(n):
        start = rng.integers(0, len(t) // 2)
        if labels[i, 0]:
            X[i, start : start + 1200] += 0.5 * np.sin(2 * np.pi * 1000 * t[:1200])
        if labels[i, 1]:
            X[i, start : start + 2000 : 200] += 1.0
    return X.astype("float32"), labels


@pytest.fixture(scope="module")
def scenes():
    from sklearn.pipeline import make_pipeline

    from skaudio.preprocessing import FeatureScaler, Spectrogram

    X, labels = _scenes(160, np.random.default_rng(0))
    features = make_pipeline(Spectrogram(sr=SR, n_fft=256, hop_length=128, n_mels=24), FeatureScaler()).fit_transform(X)
    return features, labels


def _detector(**params):
    return CRNNEventDetector(
        **{**dict(filters=8, lstm_units=8, epochs=15, batch_size=16, learning_rate=0.01, random_state=0), **params}
    )


def test_is_a_multilabel_classifier():
    det = CRNNEventDetector()
    assert is_classifier(det)
    tags = det.__sklearn_tags__()
    assert tags.classifier_tags.multi_label and not tags.classifier_tags.multi_class


def test_binary_detection(scenes):
    X, labels = scenes
    det = _detector().fit(X[:120], labels[:120, 0])
    assert det.model_.output_shape == (None, 1)
    proba = det.predict_proba(X[120:])
    assert proba.shape == (40, 2)
    np.testing.assert_allclose(proba.sum(1), 1, atol=1e-5)
    assert det.score(X[120:], labels[120:, 0]) > 0.8


def test_multilabel_detection(scenes):
    X, labels = scenes
    det = _detector().fit(X[:120], labels[:120])
    assert det.model_.output_shape == (None, 2)
    proba = det.predict_proba(X[120:])
    assert proba.shape == (40, 2) and np.all((proba >= 0) & (proba <= 1))
    predicted = det.predict(X[120:])
    assert predicted.shape == (40, 2)
    assert (predicted == labels[120:]).mean() > 0.8


def test_single_label_multiclass_targets_are_refused_with_advice(scenes):
    X, _ = scenes
    with pytest.raises(ValueError, match="Only binary classification is supported.*MultiLabelBinarizer"):
        _detector(epochs=1).fit(X[:30], np.arange(30) % 3)


def test_decision_function_is_the_log_odds(scenes):
    X, labels = scenes
    det = _detector(epochs=2).fit(X[:60], labels[:60, 0])
    scores = det.decision_function(X[60:70])
    proba = det.predict_proba(X[60:70])[:, 1]
    assert scores.shape == (10,)
    np.testing.assert_allclose(1 / (1 + np.exp(-scores)), proba, atol=1e-5)
    np.testing.assert_array_equal(scores > 0, det.predict(X[60:70]) == 1)


# ---------------------------------------------------------------- frame level
HOP = 80  # 10 ms at 8 kHz


def _tone_scenes(n_scenes, seed):
    """2 s scenes over pink noise with 1-2 tone events: "low" (500 Hz) and "high" (2 kHz)."""
    from skaudio.datasets import make_event_scenes

    t = np.arange(int(0.3 * SR)) / SR
    clips = [np.sin(2 * np.pi * f * t) for f in (500, 2000)]
    return make_event_scenes(
        clips,
        ["low", "high"],
        n_scenes=n_scenes,
        sr=SR,
        duration=2.0,
        n_events=(1, 2),
        snr_db=(10, 20),
        random_state=seed,
    )


def _features(scenes):
    from skaudio.preprocessing import FeatureScaler, Spectrogram

    spec = Spectrogram(sr=SR, n_fft=256, hop_length=HOP, n_mels=24)
    return FeatureScaler(per_clip=True).fit_transform(spec.fit_transform(scenes))


@pytest.fixture(scope="module")
def tone_scenes():
    train, test = _tone_scenes(160, seed=0), _tone_scenes(40, seed=1)
    return (_features(train[0]), train[1]), (_features(test[0]), test[1])


def _frame_detector(**params):
    return _detector(
        **{
            **dict(
                temporal_pooling="attention",
                frame_duration=HOP / SR,
                padding="same",
                kernel_size=3,
                filters=(16, 16),
                pool_size=(2, 2),
                bidirectional=True,
                epochs=25,
            ),
            **params,
        }
    )


@pytest.fixture(scope="module")
def strong_detector(tone_scenes):
    (X, events), _ = tone_scenes
    return _frame_detector().fit(X, events)


def test_learns_event_times_from_annotations(tone_scenes, strong_detector):
    from skaudio.metrics import event_based_scores

    _, (X_test, events_test) = tone_scenes
    det = strong_detector
    assert det.labels_ == ["high", "low"]
    assert det.predict_frame_proba(X_test).shape == (40, 50, 2)  # 201 frames pooled by 4
    estimated = det.predict_events(X_test, median_filter=0.05)
    scores = event_based_scores(events_test, estimated)
    assert scores["f_measure"] > 0.85
    assert det.score(X_test, events_test) == pytest.approx(
        event_based_scores(events_test, det.predict_events(X_test))["f_measure"]
    )
    # matched events start and end where the tones do, within one output frame (40 ms) and change
    errors = [
        (abs(e_on - r_on), abs(e_off - r_off))
        for ref, est in zip(events_test, estimated)
        for r_on, r_off, r_label in ref
        for e_on, e_off, e_label in est
        if e_label == r_label and abs(e_on - r_on) < 0.2
    ]
    assert len(errors) >= 0.8 * sum(map(len, events_test))
    assert np.median(np.array(errors)) < 0.03


def test_2d_blocks_are_checked_and_learn_event_times(tone_scenes):
    from skaudio.metrics import event_based_scores

    (X, events), (X_test, events_test) = tone_scenes
    with pytest.raises(ValueError, match="frequency_pooling='max' pools the 2D blocks' output: set conv2d_filters"):
        _frame_detector(frequency_pooling="max").fit(X, events)
    with pytest.raises(ValueError, match=r"'frequency_pooling' parameter .* Got 'mean'"):
        _frame_detector(conv2d_filters=4, frequency_pooling="mean").fit(X, events)
    det = _frame_detector(conv2d_filters=(4,)).fit(X, events)
    assert det.model_.get_layer("conv2d_frames").output.shape[-1] == 12 * 4  # 24 bands pooled by 2, 4 filters
    assert det.predict_frame_proba(X_test).shape == (40, 50, 2)  # the frames and their times are unchanged
    assert event_based_scores(events_test, det.predict_events(X_test, median_filter=0.05))["f_measure"] > 0.85


def test_clip_probabilities_follow_the_annotations(tone_scenes, strong_detector):
    _, (X_test, events_test) = tone_scenes
    present = np.array([[any(label == name for *_, label in clip) for name in ("high", "low")] for clip in events_test])
    assert (strong_detector.predict(X_test) == present).mean() > 0.9


def test_annotations_take_clip_weights_and_a_pandas_column(tone_scenes, keras_fit_calls):
    # each clip's weight weighs its clip output and its frames; a DataFrame column of event lists is event lists
    import pandas as pd

    (X, events), _ = tone_scenes
    X, events = X[:32], events[:32]

    def frame_proba(y, sample_weight=None):
        detector = _frame_detector(epochs=2, filters=(4, 4), lstm_units=4, random_state=0)
        return detector.fit(X, y, sample_weight=sample_weight).predict_frame_proba(X)

    unweighted = frame_proba(events)
    np.testing.assert_array_equal(frame_proba(events, sample_weight=np.ones(32)), unweighted)
    # the second fit's weights of the frame output: each clip's, on each of its 50 frames
    clip_weights, frame_weights = keras_fit_calls[1][2]
    assert clip_weights.shape == (32,) and frame_weights.shape == (32, 50) and np.all(frame_weights == 1.0)
    assert np.abs(frame_proba(events, sample_weight=np.linspace(0.1, 3.0, 32)) - unweighted).max() > 1e-4
    np.testing.assert_array_equal(frame_proba(pd.Series(events, index=np.arange(100, 132))), unweighted)


def test_learns_frames_from_clip_labels_alone(tone_scenes):
    (X, events), (X_test, events_test) = tone_scenes
    clip_labels = np.array([[any(label == name for *_, label in clip) for name in ("high", "low")] for clip in events])
    det = _frame_detector(temporal_pooling="linear_softmax").fit(X, clip_labels.astype(int))
    assert det.labels_ == [0, 1]
    proba = det.predict_frame_proba(X_test)
    # frames inside an event of a label score higher for it than frames outside
    inside = np.zeros(proba.shape, dtype=bool)
    centres = (4 * np.arange(proba.shape[1]) + 1.5) * HOP / SR
    for i, clip in enumerate(events_test):
        for onset, offset, label in clip:
            inside[i, (centres >= onset) & (centres < offset), ("high", "low").index(label)] = True
    assert proba[inside].mean() > proba[~inside].mean() + 0.3


def test_frame_targets_and_events_round_trip():
    from skaudio.models import frame_proba_to_events
    from skaudio.models._annotations import frame_targets

    annotations = [[(0.10, 0.52, "a"), (0.30, 0.61, "b")], [], [(1.2, 2.0, "a")]]
    targets = frame_targets(
        annotations, ["a", "b"], n_out_frames=50, n_in_frames=201, stride=4, offset=1.5, frame_duration=0.01
    )
    events = [
        frame_proba_to_events(clip, ["a", "b"], frame_duration=0.04, first_frame_centre=0.015, end=2.01)
        for clip in targets
    ]
    assert [[label for *_, label in clip] for clip in events] == [["a", "b"], [], ["a"]]
    for ref, est in zip(annotations, events):
        for (r_on, r_off, _), (e_on, e_off, _) in zip(ref, est):
            assert abs(r_on - e_on) <= 0.04 and abs(r_off - e_off) <= 0.04


def test_frame_targets_keep_an_event_shorter_than_a_frame():
    from skaudio.models._annotations import frame_targets

    # Output centres every 0.04 s from 0.015 s to 1.975 s; none of these events holds one.
    clicks = [(0.50, 0.51, "click"), (0.0, 0.005, "click"), (2.0, 2.005, "click")]
    targets = frame_targets(
        [[event] for event in clicks],
        ["click"],
        n_out_frames=50,
        n_in_frames=201,
        stride=4,
        offset=1.5,
        frame_duration=0.01,
    )
    # 0.505 s is nearest 0.495 s (frame 12); the first and last frames take the clicks at the clip's edges
    assert [np.flatnonzero(clip[:, 0]).tolist() for clip in targets] == [[12], [0], [49]]


@pytest.mark.parametrize(
    "kernel_size, pool_size, dilation, padding",
    [(5, 2, 1, "valid"), (3, (2, 2), 1, "same"), (4, (2, 3), (1, 2), "valid"), (4, (3, 1), 2, "same")],
)
def test_frame_timing_matches_keras_geometry(kernel_size, pool_size, dilation, padding):
    """An impulse at input frame t lights output frames centred on t, as frame_timing says."""
    import keras

    from skaudio.networks import frame_timing

    n_layers = len(pool_size) if isinstance(pool_size, tuple) else 1
    per = lambda v: v if isinstance(v, tuple) else (v,) * n_layers  # noqa: E731
    stack = []
    for k, p, d in zip(per(kernel_size), per(pool_size), per(dilation)):
        stack.append(
            keras.layers.Conv1D(1, k, padding=padding, dilation_rate=d, kernel_initializer="ones", use_bias=False)
        )
        if p > 1:
            stack.append(keras.layers.MaxPooling1D(p))
    model = keras.Sequential([keras.Input((120, 1))] + stack)
    stride, offset = frame_timing(
        kernel_size=kernel_size, pool_size=pool_size, dilation=dilation, padding=padding, n_layers=n_layers
    )
    from skaudio.networks import output_frames

    geometry = dict(kernel_size=kernel_size, pool_size=pool_size, dilation=dilation, padding=padding)
    assert output_frames(120, n_layers=n_layers, **geometry) == model.output_shape[1]
    for n in range(1, 30):  # down to inputs too short for any output frame, which Keras refuses to build
        try:
            expected = max(keras.Sequential([keras.Input((n, 1))] + stack).output_shape[1], 0)
        except ValueError:
            expected = 0
        assert output_frames(n, n_layers=n_layers, **geometry) == expected, n
    for t in (40, 57, 71):
        impulse = np.zeros((1, 120, 1), dtype="float32")
        impulse[0, t] = 1.0
        lit = np.flatnonzero(np.asarray(model(impulse))[0, :, 0] > 0)
        assert abs(stride * lit.mean() + offset - t) <= stride / 2


def test_no_detection_is_an_empty_list(tone_scenes, strong_detector):
    (X, _), _ = tone_scenes
    silence = np.zeros_like(X[:3])
    events = strong_detector.predict_events(silence, threshold=0.999)
    assert events == [[], [], []]


def test_frame_level_input_errors(tone_scenes, strong_detector):
    (X, events), _ = tone_scenes
    with pytest.raises(ValueError, match='temporal_pooling="last".*cannot learn from event annotations'):
        _detector(epochs=1).fit(X[:20], events[:20])
    with pytest.raises(ValueError, match="frame_duration is None"):
        _frame_detector(frame_duration=None, epochs=1).fit(X[:20], events[:20])
    with pytest.raises(ValueError, match=r"y\[0\]\[0\] ends at 9.000 s, after the end of clip 0"):
        _frame_detector(epochs=1).fit(X[:20], [[(8.0, 9.0, "low")]] + events[1:20])
    with pytest.raises(
        ValueError, match=r"The training clips have 2 frame\(s\): too short for this network, which needs"
    ):
        _frame_detector(epochs=1).fit(X[:2, :2], [[(0.0, 0.01, "low")], []])
    with pytest.raises(ValueError, match=r"X has 2 frame\(s\): too short for this network, which needs at least"):
        strong_detector.predict_frame_proba(X[:1, :2])
    with pytest.raises(ValueError, match="no clip has any event"):
        _frame_detector(epochs=1).fit(X[:2], [[], []])
    with pytest.raises(ValueError, match="offset 0.2 s before its onset 0.5 s"):
        _frame_detector(epochs=1).fit(X[:2], [[(0.5, 0.2, "low")], []])
    with pytest.raises(ValueError, match=r"y\[1\]\[0\] lasts 0 s \(onset and offset both 0.5 s\)"):
        _frame_detector(epochs=1).fit(X[:2], [[(0.1, 0.2, "low")], [(0.5, 0.5, "low")]])
    with pytest.raises(ValueError, match="sample_weight applies to clip labels only"):
        strong_detector.score(X[:2], events[:2], sample_weight=[1, 0])
    # a reference to score against may hold one, as sed_eval's metrics take it
    assert 0 <= strong_detector.score(X[:2], [[(0.1, 0.2, "low")], [(0.5, 0.5, "low")]]) <= 1
    # a slip in the annotations is named, not taken for clip labels
    import pandas as pd

    for slip, message in [
        ([[(0.5, 0.6)], []], r"y\[0\]\[0\] is not an \(onset, offset, label\) triple: \(0.5, 0.6\)"),
        ([[], [{"onset": 0.5}]], r"y\[1\]\[0\] is not an \(onset, offset, label\) triple"),
        ([(0.1, 0.2, "low"), (0.5, 0.6, "high")], "one list of events per clip: wrap each clip's events in a list"),
        (pd.Series([[], [(0.5, "low")]]), r"y\[1\]\[0\] is not an \(onset, offset, label\) triple"),  # a column
    ]:
        with pytest.raises(ValueError, match=message):
            _frame_detector(epochs=1).fit(X[:2], slip)
    with pytest.raises(ValueError, match="X has 20 clips but y has annotations for 19"):
        _frame_detector(epochs=1).fit(X[:20], events[:19])
    with pytest.raises(ValueError, match="threshold must be in"):
        strong_detector.predict_events(X[:2], threshold=1.5)
    with pytest.raises(ValueError, match="median_filter"):
        strong_detector.predict_events(X[:2], median_filter=-1)
    from skaudio.models import predict_events

    article = _detector(epochs=1).fit(X[:20], np.arange(20) % 2)
    with pytest.raises(ValueError, match="no frame-level output"):
        article.predict_frame_proba(X[:2])
    with pytest.raises(ValueError, match="no frame-level output"):  # not "frame_duration is None", which it also is
        predict_events(article.set_params(frame_duration=None), X[:2])


def test_frame_level_detector_takes_recordings_longer_than_its_training_clips(strong_detector):
    from skaudio.metrics import event_based_scores

    scenes, events = _tone_scenes(4, seed=7)  # four 2 s scenes, end to end: one 8 s recording
    recording = scenes.reshape(1, -1)
    reference = [
        [(onset + 2.0 * k, offset + 2.0 * k, label) for k, clip in enumerate(events) for onset, offset, label in clip]
    ]
    features = _features(recording)
    assert features.shape[1] == 801 and strong_detector.X_shape_[1] == 201
    estimated = strong_detector.predict_events(features, median_filter=0.05)
    assert max(offset for _, offset, _ in estimated[0]) <= 8.01
    assert event_based_scores(reference, estimated)["f_measure"] > 0.8
    # the article's clip-level network still insists on the fitted shape
    article = _detector(epochs=1).fit(_features(_tone_scenes(8, seed=3)[0]), np.arange(8) % 2)
    with pytest.raises(ValueError, match="was fitted on examples of shape"):
        article.predict_proba(features)
