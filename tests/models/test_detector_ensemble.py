"""CRNNEventDetector(n_networks=..., member_params=...): networks trained apart, frame probabilities averaged."""

import io

import joblib
import keras
import numpy as np
import pytest

import skaudio
from skaudio.models import CRNNEventDetector
from tests.models.conftest import tiny_detector

FRAME = 0.01  # seconds between input frames
FRAME_LEVEL = dict(temporal_pooling="attention", frame_duration=FRAME, padding="same", filters=8, lstm_units=8)


@pytest.fixture(scope="module")
def scenes():
    """24 clips of 60 frames x 20 bands: label "low" raises bands 0-5, "high" bands 10-20, at annotated times."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(24, 60, 20)).astype("float32")
    events = []
    for i in range(24):
        label, bands = ("low", slice(0, 5)) if i % 2 else ("high", slice(10, 20))
        start = int(rng.integers(5, 30))
        X[i, start : start + 20, bands] += 2.0
        events.append([(start * FRAME, (start + 20) * FRAME, label)])
    return X, events


@pytest.fixture(scope="module")
def log_mel_and_cepstral(scenes):
    members = ({}, {"cepstral_coefficients": 6})
    return tiny_detector(**FRAME_LEVEL, epochs=2, n_networks=2, member_params=members).fit(*scenes)


def test_the_ensemble_averages_networks_trained_apart_from_its_seeds(log_mel_and_cepstral, scenes):
    X, events = scenes
    detector = log_mel_and_cepstral
    networks = [detector.model_.get_layer(f"network{k}") for k in (1, 2, 3, 4)]
    assert [any(layer.name == "cepstrum" for layer in net.layers) for net in networks] == [False, False, True, True]
    # the same four networks, trained one by one as single detectors with the seeds the ensemble draws
    seeds = np.random.RandomState(0).randint(np.iinfo(np.int32).max, size=4)
    alone = [
        tiny_detector(**FRAME_LEVEL, epochs=2, random_state=seed, cepstral_coefficients=6 if k >= 2 else None)
        for k, seed in enumerate(seeds)
    ]
    frames = [single.fit(X, events).predict_frame_proba(X[:5]) for single in alone]
    np.testing.assert_allclose(detector.predict_frame_proba(X[:5]), np.mean(frames, axis=0), atol=1e-6)
    clips = [single.predict_proba(X[:5]) for single in alone]
    np.testing.assert_allclose(detector.predict_proba(X[:5]), np.mean(clips, axis=0), atol=1e-6)
    assert not np.allclose(frames[0], frames[1], atol=1e-3)  # one configuration, two seeds: two networks
    assert detector.labels_ == ["high", "low"] and detector.frame_duration_ == FRAME
    assert set(detector.history_) == set(alone[0].history_) and len(detector.history_["loss"]) == 2


def test_the_ensemble_survives_joblib_and_a_model_file(log_mel_and_cepstral, scenes, tmp_path):
    X, _ = scenes
    frames = log_mel_and_cepstral.predict_frame_proba(X)
    events = log_mel_and_cepstral.predict_events(X)
    buffer = io.BytesIO()
    joblib.dump(log_mel_and_cepstral, buffer)
    buffer.seek(0)
    np.testing.assert_array_equal(joblib.load(buffer).predict_frame_proba(X), frames)
    skaudio.save_model(log_mel_and_cepstral, tmp_path / "ensemble.skaudio")
    loaded = skaudio.load_model(tmp_path / "ensemble.skaudio")
    assert loaded.member_params == ({}, {"cepstral_coefficients": 6}) and loaded.n_networks == 2
    np.testing.assert_allclose(loaded.predict_frame_proba(X), frames, rtol=1e-5, atol=1e-6)
    assert loaded.predict_events(X) == events


def test_clip_labels_train_an_ensemble_of_clip_level_networks(scenes):
    X, events = scenes
    y = np.array([int(clip[0][2] == "low") for clip in events])
    detector = tiny_detector(epochs=2, n_networks=2).fit(X, y)
    assert detector.model_.output_names == ["probabilities"]
    assert detector.predict_proba(X).shape == (24, 2) and set(detector.predict(X)) <= {0, 1}


def test_cepstral_coefficients_compute_cepstra_inside_the_network(scenes):
    detector = tiny_detector(**FRAME_LEVEL, cepstral_coefficients=6).fit(*scenes)
    cepstrum = detector.model_.get_layer("cepstrum")
    assert tuple(cepstrum.output.shape) == (None, None, 6)
    with pytest.raises(ValueError, match="conv2d_filters needs a frequency axis"):
        tiny_detector(**FRAME_LEVEL, cepstral_coefficients=6, conv2d_filters=4).fit(*scenes)
    with pytest.raises(ValueError, match="'cepstral_coefficients' parameter of CRNNEventDetector must be"):
        tiny_detector(**FRAME_LEVEL, cepstral_coefficients=0).fit(*scenes)


@pytest.mark.parametrize(
    ("member_params", "match"),
    [
        (({}, {"pool_size": 4}), r"member_params\[1\] moves the network's output frames \(\{'pool_size': 4\}\)"),
        (({}, {"filters": (8, 8)}), r"member_params\[1\] moves the network's output frames"),
        (({}, {"threshold": 0.3}), r"member_params\[1\] sets \['threshold'\]: every network of the ensemble"),
        (({"frame_duration": 0.02},), r"sets \['frame_duration'\]"),
        (({"lstm": 8},), r"member_params\[0\] sets unknown parameter\(s\) \['lstm'\] of CRNNEventDetector"),
        (({}, {"dropout": 2.0}), r"member_params\[1\]: The 'dropout' parameter of CRNNEventDetector must be"),
    ],
)
def test_bad_member_params_are_refused_by_name_before_any_training(scenes, member_params, match, keras_fit_calls):
    with pytest.raises(ValueError, match=match):
        tiny_detector(**FRAME_LEVEL, member_params=member_params).fit(*scenes)
    assert keras_fit_calls == []


def test_a_member_may_change_what_keeps_the_frames(scenes):
    X, events = scenes
    members = ({}, {"filters": 4, "kernel_size": 5, "lstm_units": 4, "bidirectional": True})
    detector = tiny_detector(**FRAME_LEVEL, member_params=members).fit(X, events)
    second = detector.model_.get_layer("network2")
    assert [layer.kernel_size[0] for layer in second.layers if isinstance(layer, keras.layers.Conv1D)] == [5]
    assert detector.predict_frame_proba(X[:2]).shape == (2, 30, 2)


def test_partial_fit_and_warm_start_refuse_an_ensemble(scenes):
    with pytest.raises(ValueError, match="partial_fit trains one network; it needs n_networks=1, got 2"):
        tiny_detector(**FRAME_LEVEL, n_networks=2).partial_fit(*scenes)
    with pytest.raises(ValueError, match="warm_start=True .* needs n_networks=1 and member_params=None"):
        tiny_detector(**FRAME_LEVEL, member_params=({},), warm_start=True).fit(*scenes)


def test_one_members_parameter_is_set_by_name():
    detector = CRNNEventDetector(member_params=({}, {"cepstral_coefficients": 13}))
    detector.set_params(member_params__1__cepstral_coefficients=20, member_params__0__lstm_units=16)
    assert detector.member_params == ({"lstm_units": 16}, {"cepstral_coefficients": 20})
    with pytest.raises(ValueError, match="member_params has 2 entries"):
        detector.set_params(member_params__2__lstm_units=16)
