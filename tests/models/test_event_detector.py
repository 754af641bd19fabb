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
    from skaudio.preprocessing import FeatureScaler, Spectrogram
    from sklearn.pipeline import make_pipeline

    X, labels = _scenes(160, np.random.default_rng(0))
    features = make_pipeline(Spectrogram(sr=SR, n_fft=256, hop_length=128, n_mels=24), FeatureScaler()).fit_transform(X)
    return features, labels


def _detector(**params):
    return CRNNEventDetector(**{**dict(filters=8, lstm_units=8, epochs=15, batch_size=16, learning_rate=0.01,
                                       random_state=0), **params})


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
