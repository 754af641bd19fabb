"""Repeated fits in one process: skaudio keeps no Keras model or compiled function of an earlier fit alive.

(TensorFlow itself keeps every traced training graph: see benchmarks/bench_memory.py.)
"""

import gc
import weakref

import numpy as np
from sklearn.base import clone

from skaudio.models import CRNNEventDetector, _base, _event_detector
from tests.models.conftest import tiny_classifier


def _fit_and_predict_repeatedly(estimator, X, y, use):
    """Weak references to the networks, inference models and compiled functions of three fits."""
    refs = []
    for _ in range(3):
        fitted = use(clone(estimator).fit(X, y), X)
        models = [
            fitted.model_,
            fitted._inference_model(),
            *_event_detector._OUTPUT_MODELS.get(fitted.model_, {}).values(),
        ]
        functions = [_base._PREDICT_FUNCTIONS[m] for m in models if m in _base._PREDICT_FUNCTIONS]
        assert functions, "predict went through no cached compiled function"
        refs.append([weakref.ref(obj) for obj in models + functions])
        del fitted, models, functions
    gc.collect()
    return refs


def _assert_only_last_fit_alive(refs):
    for earlier in refs[:-1]:
        assert [ref() for ref in earlier] == [None] * len(earlier)
    assert len(_base._PREDICT_FUNCTIONS) <= len(refs[-1])


def test_classifier_fits_release_models_and_predict_functions(features):
    X, y = features

    def use(clf, X):
        clf.predict(X)
        clf.predict_proba(X[:1])
        return clf

    _assert_only_last_fit_alive(_fit_and_predict_repeatedly(tiny_classifier(epochs=1), X[:48], y[:48], use))


def test_event_detector_with_frame_outputs_releases_its_output_models():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((32, 24, 6)).astype("float32")
    events = [[(0.02, 0.1, "a")] if i % 2 else [(0.05, 0.15, "b")] for i in range(len(X))]
    detector = CRNNEventDetector(
        filters=4,
        lstm_units=4,
        epochs=1,
        batch_size=16,
        temporal_pooling="attention",
        frame_duration=0.01,
        padding="same",
        kernel_size=3,
        random_state=0,
    )

    def use(det, X):
        assert len(det.model_.outputs) == 2  # frame targets: clip and frame outputs
        det.predict(X)
        det.predict_frame_proba(X[:2])
        return det

    _assert_only_last_fit_alive(_fit_and_predict_repeatedly(detector, X, events, use))
