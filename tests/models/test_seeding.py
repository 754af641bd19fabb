"""A seeded fit trains the same network while other threads draw from Python's ``random``."""

import random
import threading
import time

import numpy as np
import pytest
from keras.src.random.seed_generator import make_default_seed

from skaudio.models import CNN1DDenoiser, CRNNEventDetector
from tests.models.conftest import tiny_classifier


class _RandomDrawingThread(threading.Thread):
    """Draws from Python's global generator every half millisecond, as a Dask worker's event loop may."""

    def __init__(self):
        super().__init__(daemon=True)
        self.draws = 0
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            random.random()
            self.draws += 1
            time.sleep(0.0005)


def _estimators(features):
    X, y = features
    rng = np.random.default_rng(0)
    clean = np.sin(2 * np.pi * rng.uniform(200, 800, size=(32, 1)) * np.arange(800) / 8000).astype("float32")
    noisy = clean + 0.2 * rng.standard_normal(clean.shape).astype("float32")
    labels = (np.asarray(y) == "tone").astype(int)
    return {
        "classifier": (lambda: tiny_classifier(epochs=2), X, y),
        "event_detector": (lambda: CRNNEventDetector(filters=4, lstm_units=4, epochs=2, random_state=0), X, labels),
        "denoiser": (lambda: CNN1DDenoiser(filters=4, epochs=2, random_state=0), noisy, clean),
    }


def _fitted_output(estimator, X, y):
    """What the fitted network computes: probabilities for the classifiers, waveforms for the denoiser."""
    estimator.fit(X, y)
    return estimator.predict_proba(X) if hasattr(estimator, "predict_proba") else estimator.predict(X)


@pytest.mark.parametrize("name", ["classifier", "event_detector", "denoiser"])
def test_seeded_fit_is_repeatable_while_another_thread_draws_random_numbers(features, name):
    make, X, y = _estimators(features)[name]
    quiet = _fitted_output(make(), X, y)
    drawing = _RandomDrawingThread()
    drawing.start()
    try:
        busy = _fitted_output(make(), X, y)
        assert drawing.draws > 10  # the other thread did draw while the network was built and trained
    finally:
        drawing.stopped.set()
        drawing.join()
    np.testing.assert_array_equal(busy, quiet)


def test_keras_draws_from_the_global_generator_again_after_a_fit(features):
    X, y = features
    tiny_classifier(epochs=1).fit(X, y)
    random.seed(5)
    keras_seed = make_default_seed()
    random.seed(5)
    assert keras_seed == random.randint(1, int(1e9))
