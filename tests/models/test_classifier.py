"""CNN1DClassifier as a scikit-learn classifier."""

import gc

import keras
import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import VotingClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold, check_cv, cross_val_predict

from skaudio.models import CNN1DClassifier
from tests.models.conftest import tiny_classifier


def test_declares_itself_a_classifier():
    clf = CNN1DClassifier()
    assert is_classifier(clf)
    assert clf.__sklearn_tags__().input_tags.three_d_array
    assert isinstance(check_cv(5, np.repeat([0, 1], 10), classifier=is_classifier(clf)), StratifiedKFold)


def test_learns_synthetic_sounds(features):
    X, y = features
    clf = tiny_classifier(epochs=15).fit(X, y)
    assert set(clf.classes_) == {"tone", "click_train", "noise_burst"}
    assert clf.score(X, y) > 0.8
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1, atol=1e-5)
    assert clf.predict_proba(X[:1]).shape == (1, 3)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(1)])


def test_grid_search_is_stratified_on_label_sorted_data(features):
    X, y = features
    order = np.argsort(y, kind="stable")  # label-sorted: plain KFold would hold out whole classes
    X, y = X[order], y[order]
    grid = [{"kernel_size": [3], "filters": [(4, 8)]}, {"kernel_size": [5], "filters": [(8, 8)]}]
    search = GridSearchCV(tiny_classifier(), grid, cv=3).fit(X, y)
    assert len(search.cv_results_["params"]) == 2
    assert search.best_score_ > 0.6  # unshuffled KFold scores ~0 here: each test fold is an unseen class
    # the refitted network is built with the chosen parameters
    convolutions = [layer for layer in search.best_estimator_.model_.layers if isinstance(layer, keras.layers.Conv1D)]
    assert [layer.kernel_size for layer in convolutions] == [(search.best_params_["kernel_size"],)] * 2
    assert [layer.filters for layer in convolutions] == list(search.best_params_["filters"])


def test_calibration_voting_and_cross_val_predict(features):
    X, y = features
    calibrated = CalibratedClassifierCV(tiny_classifier(), cv=2).fit(X, y)
    np.testing.assert_allclose(calibrated.predict_proba(X).sum(axis=1), 1, atol=1e-5)
    voting = VotingClassifier(
        [("k3", tiny_classifier(kernel_size=3)), ("k5", tiny_classifier(kernel_size=5))], voting="soft"
    ).fit(X, y)
    assert voting.predict_proba(X).shape == (len(X), 3)
    proba = cross_val_predict(tiny_classifier(), X, y, cv=3, method="predict_proba")
    assert proba.shape == (len(X), 3)
    assert (proba.argmax(1) == np.searchsorted(np.unique(y), y)).mean() > 0.5


def test_same_seed_same_predictions(features):
    X, y = features
    a = tiny_classifier(random_state=3, time_shift=0.1, time_masks=1).fit(X, y).predict_proba(X)
    b = tiny_classifier(random_state=3, time_shift=0.1, time_masks=1).fit(X, y).predict_proba(X)
    c = tiny_classifier(random_state=4, time_shift=0.1, time_masks=1).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_fast_predict_matches_keras_predict_and_ignores_augmentation(features):
    X, y = features
    clf = tiny_classifier(noise_std=0.5, feature_shift=2, time_masks=2).fit(X, y)
    ours = clf.predict_proba(X)
    np.testing.assert_allclose(ours, clf.model_.predict(X, verbose=0), atol=1e-5)
    np.testing.assert_array_equal(ours, clf.predict_proba(X))  # augmentation is off at inference


def test_predict_shape_errors_name_both_shapes(features):
    X, y = features
    clf = tiny_classifier(epochs=1).fit(X, y)
    with pytest.raises(ValueError, match=r"fitted on examples of shape \(32, 13\) but got shape \(20, 13\)"):
        clf.predict(X[:, :20])
    with pytest.raises(ValueError, match="FixedLength"):
        clf.fit([X[0], X[1, :10]], y[:2])


def test_waveform_input_gets_a_channel_axis():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(24, 200)).astype("float32")
    y = np.repeat([0, 1], 12)
    X[y == 1] *= 3.0
    clf = tiny_classifier(kernel_size=9, pool_size=4).fit(X, y)
    assert clf.model_.input_shape == (None, 200, 1)
    assert clf.predict(X).shape == (24,)


def test_training_options_take_effect(features):
    X, y = features
    clf = tiny_classifier(learning_rate=0.0, epochs=30, early_stopping=True, patience=2, validation_split=0.25).fit(
        X, y
    )
    assert float(clf.model_.optimizer.learning_rate) == 0.0
    assert len(clf.history_["loss"]) == 3  # no improvement with lr=0: stops after patience + 1 epochs
    assert "val_loss" in clf.history_
    weighted = tiny_classifier(class_weight="balanced", epochs=2).fit(X[:50], y[:50])
    assert weighted.predict(X).shape == (len(X),)


def test_repeated_fits_release_keras_models(features):
    X, y = features
    clf = tiny_classifier(epochs=1)
    for _ in range(6):
        clone(clf).fit(X, y)
    gc.collect()
    live = [obj for obj in gc.get_objects() if type(obj).__name__ == "Functional" and isinstance(obj, keras.Model)]
    assert len(live) <= 3


def test_integer_pcm_and_dtype_changes_between_fit_and_predict():
    rng = np.random.default_rng(0)
    X = (rng.normal(size=(24, 200)) * 3000).astype(np.int16)
    y = np.repeat([0, 1], 12)
    clf = tiny_classifier(kernel_size=9, pool_size=4, epochs=1).fit(X, y)
    as_float = X.astype(np.float64) / 32768
    np.testing.assert_allclose(clf.predict_proba(X), clf.predict_proba(as_float), atol=1e-6)  # PCM scaled


def test_routed_optimizer_learning_rate_wins_and_dtype_policy_survives(features):
    X, y = features
    keras.config.set_dtype_policy("float32")
    clf = tiny_classifier(epochs=1, optimizer__learning_rate=0.0123).fit(X, y)
    assert np.isclose(float(clf.model_.optimizer.learning_rate), 0.0123)
    keras.config.set_dtype_policy("mixed_bfloat16")
    try:
        tiny_classifier(epochs=1).fit(X, y)
        assert keras.config.dtype_policy().name == "mixed_bfloat16"
    finally:
        keras.config.set_dtype_policy("float32")


def test_early_stopping_callback_is_not_pickled_with_the_model(features):
    import pickle

    X, y = features
    clf = tiny_classifier(epochs=3, early_stopping=True, patience=1).fit(X, y)
    assert not any(isinstance(cb, keras.callbacks.EarlyStopping) for cb in clf._fit_callbacks)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))


def test_waveform_augmentation_resamples_and_adds_noise_in_training_only():
    from skaudio.preprocessing import MFCC

    sr, n = 8000, 8000
    t = np.arange(n) / sr
    X = np.stack([np.sin(2 * np.pi * f * t) for f in np.repeat([500.0, 1000.0], 8)]).astype("float32")
    y = np.repeat(["low", "high"], 8)
    clf = tiny_classifier(
        front_end=MFCC(sr=sr, n_mfcc=13, n_fft=256, hop_length=80, n_mels=40),
        speed_perturbation=0.2,
        noise_snr_db=(15, 25),
        mix_snr_db=(6, 20),
        epochs=1,
    ).fit(X, y)
    names = [layer.name for layer in clf.model_.layers]
    # on the waveform, before the features; the background is resampled with its example, noise comes last
    assert (
        names.index("augment_mix")
        < names.index("augment_speed")
        < names.index("augment_snr_noise")
        < names.index("front_end")
    )
    mix = clf.model_.get_layer("augment_mix")
    assert mix.snr_db == (6.0, 20.0) and mix.probability == 1.0

    noise = clf.model_.get_layer("augment_snr_noise")
    loud_and_quiet = np.concatenate([X[:4], 0.01 * X[:4]])[:, :, None]
    np.testing.assert_array_equal(np.asarray(noise(loud_and_quiet, training=False)), loud_and_quiet)
    added = np.asarray(noise(loud_and_quiet, training=True)) - loud_and_quiet
    snr_db = 10 * np.log10(np.mean(loud_and_quiet**2, axis=(1, 2)) / np.mean(added**2, axis=(1, 2)))
    assert np.all((snr_db > 14.8) & (snr_db < 25.2))  # relative to each clip's level, quiet ones too
    assert np.ptp(snr_db) > 2  # a different SNR per example

    half = clf.set_params(noise_probability=0.5)._waveform_augmentation()[-1]
    batch = np.repeat(X[:1, :, None], 400, axis=0)
    untouched = np.all(np.asarray(half(batch, training=True)) == batch, axis=(1, 2))
    assert 0.4 < untouched.mean() < 0.6  # noise on about half the examples, the rest exactly clean

    speed = clf.model_.get_layer("augment_speed")
    tones = np.repeat(X[8:9, :, None], 32, axis=0)  # 1000 Hz
    np.testing.assert_array_equal(np.asarray(speed(tones, training=False)), tones)
    resampled = np.asarray(speed(tones, training=True))[:, 2000:6000, 0]  # the centre, never padded
    peak_hz = np.abs(np.fft.rfft(resampled * np.hanning(4000), n=4 * 4000)).argmax(axis=1) * sr / (4 * 4000)
    assert np.all((peak_hz > 1000 / 1.2 - 5) & (peak_hz < 1000 / 0.8 + 5))  # factor in [0.8, 1.2]
    assert peak_hz.max() - peak_hz.min() > 100  # a different factor per example


def test_waveform_augmentation_needs_a_waveform_front_end(features):
    X, y = features
    with pytest.raises(ValueError, match="speed_perturbation=0.1: augmenting the raw waveform needs front_end"):
        tiny_classifier(speed_perturbation=0.1).fit(X, y)
    with pytest.raises(ValueError, match=r"noise_snr_db=\(10, 30\): augmenting the raw waveform needs front_end"):
        tiny_classifier(noise_snr_db=(10, 30)).fit(X, y)
    with pytest.raises(
        ValueError,
        match=r"'speed_perturbation' parameter .* in the range \[0.0, 1.0\)\. Got 1.5",
    ):
        tiny_classifier(speed_perturbation=1.5).fit(X, y)
    with pytest.raises(
        ValueError,
        match=r"'noise_probability' parameter .* in the range \[0.0, 1.0\]\. Got 2",
    ):
        tiny_classifier(noise_snr_db=(10, 30), noise_probability=2).fit(X, y)
    for bad in (20, (30, 10), (10, 20, 30), ("low", "high")):
        with pytest.raises(ValueError, match=r"noise_snr_db must be None or \(low, high\) in dB"):
            tiny_classifier(noise_snr_db=bad).fit(X, y)
        with pytest.raises(ValueError, match=r"mix_snr_db must be None or \(low, high\) in dB"):
            tiny_classifier(mix_snr_db=bad).fit(X, y)
    with pytest.raises(ValueError, match=r"mix_snr_db=\(6, 20\): augmenting the raw waveform needs front_end"):
        tiny_classifier(mix_snr_db=(6, 20)).fit(X, y)
    with pytest.raises(ValueError, match=r"'mix_probability' parameter .* in the range \[0.0, 1.0\]\. Got -1"):
        tiny_classifier(mix_snr_db=(6, 20), mix_probability=-1).fit(X, y)


def test_frequency_pooling_is_checked_and_needs_2d_blocks(features):
    X, y = features
    with pytest.raises(ValueError, match="frequency_pooling='max' pools the 2D blocks' output: set conv2d_filters"):
        tiny_classifier(frequency_pooling="max").fit(X, y)
    with pytest.raises(ValueError, match=r"'frequency_pooling' parameter .* Got 'mean'"):
        tiny_classifier(frequency_pooling="mean").fit(X, y)
    clf = tiny_classifier(conv2d_filters=2, frequency_pooling="max", epochs=1).fit(X, y)
    assert clf.model_.get_layer("conv2d_frames").output.shape[-1] == 2  # one channel per 2D filter


def test_n_networks_averages_networks_trained_from_different_seeds(features):
    import io

    import joblib

    X, y = features
    ensemble = tiny_classifier(n_networks=3, epochs=3).fit(X, y)
    networks = [ensemble.model_.get_layer(f"network{k}") for k in (1, 2, 3)]
    outputs = [np.asarray(net(X, training=False)) for net in networks]
    assert not np.allclose(outputs[0], outputs[1])  # different seeds, different networks
    proba = ensemble.predict_proba(X)
    np.testing.assert_allclose(proba, np.mean(outputs, axis=0), atol=1e-6)
    assert len(ensemble.history_["loss"]) == 3 and ensemble.n_networks == 3 and ensemble.random_state == 0
    np.testing.assert_array_equal(tiny_classifier(n_networks=3, epochs=3).fit(X, y).predict_proba(X), proba)
    buffer = io.BytesIO()
    joblib.dump(ensemble, buffer)
    buffer.seek(0)
    np.testing.assert_array_equal(joblib.load(buffer).predict_proba(X), proba)


def test_weight_averaging_routes_to_the_optimizer_and_replaces_the_last_weights(features):
    # Keras' own weight averaging, routed as optimizer__use_ema with a fixed momentum
    X, y = features
    last = tiny_classifier(epochs=3).fit(X, y).predict_proba(X)
    averaged = tiny_classifier(epochs=3, optimizer__use_ema=True, optimizer__ema_momentum=0.9).fit(X, y)
    assert averaged.model_.optimizer.use_ema
    assert not np.allclose(averaged.predict_proba(X), last, atol=1e-4)  # the average, not the last step
    # an average with no memory is the last step's weights: same training, same model
    no_memory = tiny_classifier(epochs=3, optimizer__use_ema=True, optimizer__ema_momentum=0.0).fit(X, y)
    np.testing.assert_allclose(no_memory.predict_proba(X), last, atol=1e-6)


def test_min_steps_gives_a_small_training_set_more_epochs(features):
    X, y = features  # 120 examples: 8 batches of 16 an epoch
    assert len(tiny_classifier(epochs=2, min_steps=40).fit(X, y).history_["loss"]) == 5
    assert len(tiny_classifier(epochs=2, min_steps=8).fit(X, y).history_["loss"]) == 2  # 16 steps already
    # Keras validates on the last half: 60 examples, 4 batches an epoch
    held_out = tiny_classifier(epochs=2, min_steps=40, validation_split=0.5).fit(X, y)
    assert len(held_out.history_["loss"]) == 10
    # epochs asked of fit are trained as asked
    assert len(tiny_classifier(epochs=2, min_steps=40).fit(X, y, epochs=3).history_["loss"]) == 3
    assert len(tiny_classifier(epochs=2, min_steps=40, fit__epochs=3).fit(X, y).history_["loss"]) == 3
    # a member counts its own batches: 2 of 60 an epoch
    member = tiny_classifier(epochs=2, min_steps=10, member_params=({"batch_size": 60},)).fit(X, y)
    assert len(member.history_["loss"]) == 5
    with pytest.raises(ValueError, match=r"'min_steps' parameter .* an int in the range \[1, inf\) or None\. Got 0"):
        tiny_classifier(min_steps=0).fit(X, y)


def test_n_networks_is_checked(features):
    X, y = features
    with pytest.raises(ValueError, match=r"'n_networks' parameter .* an int in the range \[1, inf\)\. Got 0"):
        tiny_classifier(n_networks=0).fit(X, y)
    with pytest.raises(ValueError, match="partial_fit trains one network; it needs n_networks=1"):
        tiny_classifier(n_networks=2).partial_fit(X, y)
    with pytest.raises(ValueError, match="warm_start=True continues one network's training"):
        tiny_classifier(n_networks=2, warm_start=True).fit(X, y)
