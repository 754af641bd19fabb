"""``learning_rate_schedule``: the rate each epoch trains at, and the callbacks skaudio adds per training run."""

import pickle

import keras
import numpy as np
import pytest

from skaudio.models import CNN1DDenoiser
from skaudio.models._base import _CosineLearningRate, _EarlyStopping

from .conftest import tiny_classifier, tiny_detector


class EpochRates(keras.callbacks.Callback):
    """Records the optimizer's learning rate during each epoch (a user's callback)."""

    def __init__(self):
        super().__init__()
        self.rates = []

    def on_epoch_end(self, epoch, logs=None):
        self.rates.append(float(self.model.optimizer.learning_rate.numpy()))


def cosine_rates(full_rate, n_epochs):
    return [full_rate * 0.5 * (1 + np.cos(np.pi * k / n_epochs)) for k in range(n_epochs)]


def test_cosine_schedule_lowers_the_rate_each_epoch_and_restores_it(features):
    X, y = features
    recorder = EpochRates()
    clf = tiny_classifier(epochs=4, learning_rate=0.01, learning_rate_schedule="cosine", callbacks=[recorder])
    clf.fit(X, y)
    np.testing.assert_allclose(recorder.rates, cosine_rates(0.01, 4), rtol=1e-5)
    assert np.isclose(float(clf.model_.optimizer.learning_rate.numpy()), 0.01)  # restored for what follows
    recorder.rates.clear()
    clf.partial_fit(X, y)  # one epoch is the first of its own schedule: the full rate
    np.testing.assert_allclose(recorder.rates, [0.01], rtol=1e-5)


def test_constant_schedule_keeps_the_rate(features):
    X, y = features
    recorder = EpochRates()
    tiny_classifier(epochs=3, learning_rate=0.01, callbacks=[recorder]).fit(X, y)
    np.testing.assert_allclose(recorder.rates, [0.01] * 3, rtol=1e-5)


def test_routed_optimizer_rate_is_the_schedules_start_and_warm_start_runs_it_again(features):
    X, y = features
    recorder = EpochRates()
    clf = tiny_classifier(
        epochs=2, optimizer__learning_rate=0.02, learning_rate_schedule="cosine", warm_start=True, callbacks=[recorder]
    )
    clf.fit(X, y).fit(X, y)
    np.testing.assert_allclose(recorder.rates, cosine_rates(0.02, 2) * 2, rtol=1e-5)


def test_warm_started_fit_keeps_early_stopping(features):
    X, y = features
    # unshuffled, every epoch at rate 0 gives the same loss to the last bit: patience + 1 epochs
    clf = tiny_classifier(learning_rate=0.0, epochs=30, early_stopping=True, patience=2, warm_start=True, shuffle=False)
    clf.fit(X, y)
    assert len(clf.history_["loss"]) == 3
    clf.fit(X, y)  # a warm-started run (its own history) gets early stopping of its own
    assert len(clf.history_["loss"]) == 3


class Interrupt(keras.callbacks.Callback):
    """Stops training with an error in the second epoch, as Ctrl+C would."""

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == 1:
            raise KeyboardInterrupt


def test_an_interrupted_fit_leaves_the_full_rate(features):
    X, y = features
    clf = tiny_classifier(epochs=4, learning_rate=0.01, learning_rate_schedule="cosine", callbacks=[Interrupt()])
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y)
    assert np.isclose(float(clf.model_.optimizer.learning_rate.numpy()), 0.01)  # not the lowered rate


@pytest.mark.parametrize(
    "callback",
    [keras.callbacks.LearningRateScheduler(lambda epoch, rate: rate), keras.callbacks.ReduceLROnPlateau()],
)
def test_cosine_schedule_refuses_a_learning_rate_callback(features, callback):
    X, y = features
    clf = tiny_classifier(epochs=1, learning_rate_schedule="cosine", callbacks=[callback])
    with pytest.raises(ValueError, match=f"and so does the callback {type(callback).__name__}"):
        clf.fit(X, y)


def test_a_model_saved_before_the_schedule_existed_trains_at_a_constant_rate(features):
    X, y = features
    clf = tiny_classifier(epochs=1).fit(X, y)
    del clf.__dict__["learning_rate_schedule"]  # as skops rebuilds an older file: no __init__, no attribute
    recorder = EpochRates()
    clf.set_params(callbacks=[recorder], epochs=2).fit(X, y)
    np.testing.assert_allclose(recorder.rates, [0.005, 0.005], rtol=1e-5)


def test_fitted_estimator_keeps_only_the_users_callbacks(features):
    X, y = features
    recorder = EpochRates()
    clf = tiny_classifier(epochs=2, learning_rate_schedule="cosine", early_stopping=True, callbacks=[recorder])
    clf.fit(X, y)
    assert not any(isinstance(callback, (_CosineLearningRate, _EarlyStopping)) for callback in clf._fit_callbacks)
    assert recorder in clf._fit_callbacks
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_allclose(restored.predict_proba(X), clf.predict_proba(X), atol=1e-6)


def test_cosine_schedule_refuses_an_optimizer_with_its_own_schedule(features):
    X, y = features
    decay = keras.optimizers.schedules.ExponentialDecay(0.01, decay_steps=10, decay_rate=0.9)
    clf = tiny_classifier(
        epochs=1, learning_rate=None, optimizer=keras.optimizers.Adam(decay), learning_rate_schedule="cosine"
    )
    with pytest.raises(ValueError, match="schedule of its own"):
        clf.fit(X, y)


def test_unknown_schedule_is_refused_by_name(features):
    X, y = features
    with pytest.raises(ValueError, match="learning_rate_schedule"):
        tiny_classifier(learning_rate_schedule="linear").fit(X, y)


def test_detector_and_denoiser_follow_the_schedule():
    rng = np.random.default_rng(0)
    waveforms = rng.normal(scale=0.1, size=(8, 1600)).astype("float32")
    detector_rates, denoiser_rates = EpochRates(), EpochRates()
    tiny_detector(epochs=3, learning_rate=0.01, learning_rate_schedule="cosine", callbacks=[detector_rates]).fit(
        rng.normal(size=(8, 40, 3)).astype("float32"), np.arange(8) % 2
    )
    CNN1DDenoiser(
        filters=4,
        n_layers=1,
        epochs=3,
        learning_rate=0.01,
        learning_rate_schedule="cosine",
        random_state=0,
        callbacks=[denoiser_rates],
    ).fit(waveforms, waveforms)
    np.testing.assert_allclose(detector_rates.rates, cosine_rates(0.01, 3), rtol=1e-5)
    np.testing.assert_allclose(denoiser_rates.rates, cosine_rates(0.01, 3), rtol=1e-5)
