"""``average_weights``: every skaudio network can end its fit on the moving average of its weights."""

import keras
import numpy as np
import pytest

from skaudio.models import CNN1DDenoiser
from skaudio.models._base import _momentum_for_steps, _WeightAverageMomentum

from .conftest import tiny_classifier, tiny_detector


def tiny_denoiser(**params):
    return CNN1DDenoiser(**{**dict(filters=4, n_layers=1, epochs=1, batch_size=4, random_state=0), **params})


def detector_data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(16, 40, 3)).astype("float32"), np.arange(16) % 2


def denoiser_data():
    rng = np.random.default_rng(0)
    clean = rng.normal(scale=0.1, size=(16, 1600)).astype("float32")
    return clean + rng.normal(scale=0.05, size=clean.shape).astype("float32"), clean


def test_the_average_spans_a_tenth_of_a_short_training(features):
    X, y = features  # 120 examples, batches of 16: 8 steps an epoch
    averaged = tiny_classifier(epochs=3, average_weights=True).fit(X, y)
    # 24 steps: the average spans 2.4 of them (a fixed 0.99 would leave the initial weights 0.99**24 = 79 %)
    assert averaged.model_.optimizer.use_ema
    assert averaged.model_.optimizer.ema_momentum == pytest.approx(1 - 1 / 2.4)
    routed = tiny_classifier(epochs=3, optimizer__use_ema=True, optimizer__ema_momentum=1 - 1 / 2.4).fit(X, y)
    np.testing.assert_allclose(averaged.predict_proba(X), routed.predict_proba(X), atol=1e-6)
    # min_steps' extra epochs count: 5 epochs of 8 steps
    longer = tiny_classifier(epochs=2, min_steps=40, average_weights=True).fit(X, y)
    assert longer.model_.optimizer.ema_momentum == pytest.approx(1 - 1 / 4.0)
    # validation_split's examples are no steps: 96 of 120 train, 6 steps an epoch
    validated = tiny_classifier(epochs=3, validation_split=0.2, average_weights=True).fit(X, y)
    assert validated.model_.optimizer.ema_momentum == pytest.approx(1 - 1 / 1.8)
    # from 1,000 steps on, the last 100 (the factory's trainings: 1,500 steps or more)
    assert _momentum_for_steps(1890) == pytest.approx(0.99)
    assert not any(isinstance(callback, _WeightAverageMomentum) for callback in averaged._fit_callbacks)


@pytest.mark.parametrize(("make", "data"), [(tiny_detector, detector_data), (tiny_denoiser, denoiser_data)])
def test_detector_and_denoiser_end_on_the_average(make, data):
    X, y = data()  # 16 examples, batches of 4 (the detector's 32 would make one step an epoch): 12 steps
    params = dict(epochs=3, batch_size=4, learning_rate=0.01)
    last = make(**params).fit(X, y)
    averaged = make(**params, average_weights=True).fit(X, y)
    momentum = 1 - 1 / 1.2
    assert averaged.model_.optimizer.ema_momentum == pytest.approx(momentum)
    routed = make(**params, optimizer__use_ema=True, optimizer__ema_momentum=momentum).fit(X, y)
    np.testing.assert_allclose(averaged.predict(X), routed.predict(X), atol=1e-6)
    # the average, not the last step's weights
    assert not all(
        np.allclose(a, b, atol=1e-5) for a, b in zip(averaged.model_.get_weights(), last.model_.get_weights())
    )


@pytest.mark.parametrize(
    ("make", "data"), [(tiny_classifier, None), (tiny_detector, detector_data), (tiny_denoiser, denoiser_data)]
)
def test_average_weights_refuses_what_would_replace_or_undo_it(features, make, data):
    X, y = features if data is None else data()
    with pytest.raises(ValueError, match="average_weights=True ends .* early_stopping=True .* choose one"):
        make(average_weights=True, early_stopping=True).fit(X, y)
    with pytest.raises(ValueError, match="optimizer__ema_momentum is routed as well"):
        make(average_weights=True, optimizer__ema_momentum=0.9).fit(X, y)
    with pytest.raises(ValueError, match="with partial_fit is every epoch; set average_weights=False"):
        make(average_weights=True).partial_fit(X, y)
    with pytest.raises(ValueError, match="average_weights"):
        make(average_weights="yes").fit(X, y)


class LastStepWeights(keras.callbacks.Callback):
    """Keeps the weights of the last training step, before ``fit`` replaces them by their average."""

    def on_epoch_end(self, epoch, logs=None):
        self.weights = [np.array(weight) for weight in self.model.get_weights()]


def test_a_warm_started_fit_averages_over_its_own_steps(features):
    X, y = features  # 8 steps an epoch
    last_step = LastStepWeights()
    clf = tiny_classifier(epochs=3, average_weights=True, warm_start=True, callbacks=[last_step]).fit(X, y)
    assert not all(np.allclose(a, b) for a, b in zip(clf.model_.get_weights(), last_step.weights))  # averaged
    # one epoch, 8 steps: an average over at most one step (momentum 0) is the last step's weights, which a
    # training function still holding the first fit's momentum would not give
    clf.set_params(epochs=1).fit(X, y)
    assert clf.model_.optimizer.ema_momentum == 0.0
    for averaged, last in zip(clf.model_.get_weights(), last_step.weights):
        np.testing.assert_allclose(averaged, last, atol=1e-6)
