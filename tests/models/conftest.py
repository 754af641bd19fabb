"""Small real-computation data sets for the estimator tests."""

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline

from skaudio.datasets import make_sounds
from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength

SR = 8000


@pytest.fixture(scope="session")
def sounds():
    """Three classes of synthetic sounds, ragged waveforms and string labels."""
    return make_sounds(40, classes=["tone", "noise_burst", "click_train"], sr=SR, duration=(0.3, 0.5), random_state=0)


@pytest.fixture(scope="session")
def features(sounds):
    """(120, 32, 13) MFCC features of ``sounds`` and their labels."""
    X, y = sounds
    pipe = make_pipeline(
        FixedLength(duration=0.5, sr=SR, align="center"),
        MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=128, n_mels=40),
        FeatureScaler(),
    )
    return pipe.fit_transform(X), np.asarray(y)


def tiny_classifier(**params):
    """A CNN1DClassifier small enough to fit in about a second."""
    from skaudio.models import CNN1DClassifier

    defaults = dict(
        filters=(8, 8),
        global_pooling="avg",
        dense_units=16,
        epochs=10,
        batch_size=16,
        learning_rate=0.005,
        random_state=0,
    )
    return CNN1DClassifier(**{**defaults, **params})


def tiny_detector(**params):
    """A CRNNEventDetector small enough to fit in about a second (one epoch, four filters and LSTM units)."""
    from skaudio.models import CRNNEventDetector

    return CRNNEventDetector(**{**dict(filters=4, lstm_units=4, epochs=1, random_state=0), **params})


@pytest.fixture
def keras_fit_calls(monkeypatch):
    """``(X, y, sample_weight)`` of every network fit (scikeras' ``_fit_keras_model``, which still runs)."""
    from scikeras.wrappers import BaseWrapper

    calls = []
    fit_network = BaseWrapper._fit_keras_model

    def recorded(self, X, y, sample_weight, *args, **kwargs):
        calls.append((X, y, sample_weight))
        return fit_network(self, X, y, sample_weight, *args, **kwargs)

    monkeypatch.setattr(BaseWrapper, "_fit_keras_model", recorded)
    return calls
