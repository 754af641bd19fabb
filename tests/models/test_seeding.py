"""A seeded fit trains the same network while other threads draw from Python's ``random``."""

import random
import threading
from contextlib import contextmanager

import numpy as np
import pytest
import scikeras.wrappers
from keras.src.random import seed_generator

from skaudio.models import CNN1DDenoiser, CRNNEventDetector
from skaudio.models._seeding import install_keras_seed_source, private_keras_seeds
from tests.models.conftest import tiny_classifier


def _draw_in_another_thread():
    """One draw from Python's global generator, made by a new thread."""
    draws = []
    thread = threading.Thread(target=lambda: draws.append(random.random()))
    thread.start()
    thread.join()
    return draws[0]


@pytest.fixture
def draw_in_another_thread_after_seeding(monkeypatch):
    """scikeras's seeding, followed by one draw from Python's generator in another thread.

    The draw lands between the seeding and Keras's own draws, as the draws of
    a Dask worker's event loop can.
    """
    seeded = scikeras.wrappers.tensorflow_random_state

    @contextmanager
    def seeded_then_disturbed(seed):
        with seeded(seed):
            _draw_in_another_thread()
            yield

    monkeypatch.setattr(scikeras.wrappers, "tensorflow_random_state", seeded_then_disturbed)


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


@pytest.fixture(scope="module")
def quiet_outputs(features):
    return {name: _fitted_output(make(), X, y) for name, (make, X, y) in _estimators(features).items()}


@pytest.mark.parametrize("name", ["classifier", "event_detector", "denoiser"])
def test_seeded_fit_is_unchanged_by_another_threads_draw(
    features, quiet_outputs, name, draw_in_another_thread_after_seeding
):
    make, X, y = _estimators(features)[name]
    np.testing.assert_array_equal(_fitted_output(make(), X, y), quiet_outputs[name])


def test_private_seeds_are_the_undisturbed_global_draws_and_only_in_this_thread():
    assert install_keras_seed_source()
    assert seed_generator.python_random is not random  # Keras's seeds go through skaudio's stand-in
    state = random.getstate()
    try:
        random.seed(3)
        expected_global = random.Random(3).random()
        with private_keras_seeds(7):
            keras_seeds = [seed_generator.make_default_seed() for _ in range(3)]
            other_thread = _draw_in_another_thread()
        reference = random.Random(7)
        assert keras_seeds == [reference.randint(1, int(1e9)) for _ in range(3)]
        assert other_thread == expected_global  # the other thread drew from the global generator
        random.seed(5)
        assert seed_generator.make_default_seed() == random.Random(5).randint(1, int(1e9))  # and so does Keras after
    finally:
        random.setstate(state)


def test_private_seeds_are_restored_after_nesting_and_errors():
    with private_keras_seeds(1):
        with pytest.raises(RuntimeError):
            with private_keras_seeds(2):
                raise RuntimeError("in the build")
        after_inner = seed_generator.make_default_seed()
    assert after_inner == random.Random(1).randint(1, int(1e9))
