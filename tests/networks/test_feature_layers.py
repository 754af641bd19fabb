"""SpectralFeatures and the estimators' front_end: in-model features equal the CPU path."""

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline

from skaudio.models._front_end import front_end_layer
from skaudio.preprocessing import MFCC, FeatureScaler, Spectrogram

SR = 8000


@pytest.fixture(scope="module")
def waves():
    from skaudio.datasets import make_sounds
    from skaudio.preprocessing import FixedLength

    X, _ = make_sounds(4, sr=SR, duration=(0.5, 1.0), random_state=0)
    return FixedLength(duration=1.0, sr=SR).fit_transform(X)


@pytest.mark.parametrize(
    "transformer, atol",
    [
        (MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=80, n_mels=40), 1e-3),
        (
            make_pipeline(
                MFCC(sr=SR, n_mfcc=20, n_fft=256, hop_length=80, n_mels=40, lifter=22), FeatureScaler(per_clip=True)
            ),
            1e-3,
        ),
        (Spectrogram(sr=SR, n_fft=256, hop_length=80, n_mels=40), 1e-3),
        (Spectrogram(kind="stft", n_fft=256, hop_length=64, power=1.0, to_db=False), 1e-4),
        (
            Spectrogram(
                sr=SR,
                n_fft=512,
                hop_length=128,
                win_length=400,
                n_mels=64,
                pad_mode="reflect",
                fmin=100.0,
                fmax=3500.0,
                top_db=60.0,
            ),
            1e-3,
        ),
        (Spectrogram(kind="stft", n_fft=256, hop_length=100, center=False), 1e-3),
    ],
    ids=["mfcc", "mfcc-lifter-cmvn", "logmel", "stft-magnitude", "logmel-reflect-band", "stft-db-uncentered"],
)
def test_in_model_features_equal_the_cpu_transformers(waves, transformer, atol):
    cpu = transformer.fit_transform(waves)
    layer = front_end_layer(transformer)
    inside = np.asarray(layer(waves))
    assert inside.shape == cpu.shape
    np.testing.assert_allclose(inside, cpu, atol=atol, rtol=1e-4)
    assert layer.n_frames(waves.shape[1]) == cpu.shape[1]


@pytest.mark.parametrize(
    "front_end, message",
    [
        (MFCC(sr=SR, delta_order=1), "deltas"),
        (Spectrogram(sr=SR, pad_mode="edge"), "pad_mode='edge'"),
        (make_pipeline(MFCC(sr=SR), FeatureScaler()), "needs the training set's statistics"),
        (make_pipeline(MFCC(sr=SR), FeatureScaler(), FeatureScaler()), "optionally followed by a FeatureScaler"),
        (FeatureScaler(), "must start with skaudio's MFCC or Spectrogram"),
        (MFCC(), "needs the sample rate"),
    ],
)
def test_unsupported_front_ends_are_refused(front_end, message):
    with pytest.raises(ValueError, match=message):
        front_end_layer(front_end)


def test_classifier_learns_from_raw_waveforms_with_an_in_model_front_end(fsdd_path):
    import io

    import joblib

    from skaudio.io import FSDD_PATTERN, load_folder
    from skaudio.models import CNN1DClassifier
    from skaudio.preprocessing import FixedLength

    digits = load_folder(fsdd_path / "recordings", labels=FSDD_PATTERN)
    index = digits.index.astype(int)
    train, test = [np.isin(digits.target, [0, 1, 2]) & part for part in ((index >= 10) & (index < 30), index < 10)]
    fixed = FixedLength(duration=1.0, sr=SR, align="center")
    X_train, X_test = (fixed.fit_transform([c for c, k in zip(digits.data, mask) if k]) for mask in (train, test))
    y_train, y_test = digits.target[train], digits.target[test]
    front_end = make_pipeline(MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=80, n_mels=40), FeatureScaler(per_clip=True))
    params = dict(
        filters=(16, 16),
        padding="same",
        global_pooling="avg",
        dense_units=None,
        epochs=10,
        learning_rate=0.01,
        random_state=0,
    )
    clf = CNN1DClassifier(front_end=front_end, **params).fit(X_train, y_train)
    assert clf.model_.get_layer("front_end").output.shape[1:] == (101, 13)
    assert clf.score(X_test, y_test) > 0.8  # chance: 0.33
    # the same network trained on the CPU features learns the same function
    on_features = CNN1DClassifier(**params).fit(front_end.fit_transform(X_train), y_train)
    np.testing.assert_allclose(
        clf.predict_proba(X_test), on_features.predict_proba(front_end.transform(X_test)), atol=0.02
    )
    # tunable by name, and persisted with the model
    assert clf.get_params()["front_end__mfcc__n_mfcc"] == 13
    buffer = io.BytesIO()
    joblib.dump(clf, buffer)
    buffer.seek(0)
    restored = joblib.load(buffer)
    np.testing.assert_array_equal(restored.predict_proba(X_test), clf.predict_proba(X_test))


def test_global_feature_scaling_inside_the_model_uses_training_statistics(waves):
    from skaudio.models._front_end import training_statistics

    front_end = make_pipeline(MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=80, n_mels=40), FeatureScaler())
    statistics = training_statistics(front_end, waves)
    layer = front_end_layer(front_end, statistics)
    on_cpu = front_end.fit_transform(waves)  # scaled with these same clips' statistics
    np.testing.assert_allclose(np.asarray(layer(waves)), on_cpu, atol=1e-3)
    np.testing.assert_allclose(on_cpu.reshape(-1, 13).mean(axis=0), 0, atol=1e-4)
