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


def test_a_tuple_window_survives_the_keras_format_and_a_pickled_classifier(tmp_path):
    import json
    import pickle

    import keras

    from skaudio.models import CNN1DClassifier
    from skaudio.networks import SpectralFeatures

    layer = SpectralFeatures(n_fft=256, hop_length=64, window=("kaiser", 4.0))
    # a JSON config holds the tuple as a list
    assert SpectralFeatures.from_config(json.loads(json.dumps(layer.get_config()))).window == ("kaiser", 4.0)
    x = np.random.default_rng(0).standard_normal((2, 1000)).astype("float32")
    model = keras.Sequential([keras.Input((1000,)), layer])
    model.save(tmp_path / "features.keras")
    restored = keras.saving.load_model(tmp_path / "features.keras")
    np.testing.assert_array_equal(np.asarray(restored(x)), np.asarray(model(x)))

    y = np.array([0, 1] * 2)
    front_end = MFCC(sr=SR, n_fft=256, hop_length=64, n_mels=20, n_mfcc=8, window=("kaiser", 4.0))
    clf = CNN1DClassifier(front_end=front_end, filters=(4,), dense_units=4, epochs=1, random_state=0).fit(
        x[[0, 1] * 2], y
    )
    unpickled = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(unpickled.predict_proba(x), clf.predict_proba(x))


@pytest.mark.parametrize("pad_mode", ["reflect", "symmetric"])
@pytest.mark.parametrize("n_samples", [1, 2, 50, 128, 129, 300])
def test_padding_reflects_clips_shorter_than_half_a_frame_as_the_cpu_transformer(pad_mode, n_samples):
    import tensorflow as tf

    x = np.random.default_rng(n_samples).standard_normal((2, n_samples)).astype("float32")
    spectrogram = Spectrogram(sr=SR, n_fft=256, hop_length=64, n_mels=20, pad_mode=pad_mode)
    cpu = spectrogram.fit_transform(x)
    layer = front_end_layer(spectrogram)
    np.testing.assert_allclose(np.asarray(layer(x)), cpu, atol=1e-4, rtol=1e-5)
    # and where the length is known only when the model runs
    any_length = tf.function(layer.call, input_signature=[tf.TensorSpec((None, None), tf.float32)])
    np.testing.assert_allclose(any_length(x).numpy(), cpu, atol=1e-4, rtol=1e-5)


def test_settings_and_inputs_the_layer_cannot_compute_are_named():
    import keras

    from skaudio.networks import SpectralFeatures

    with pytest.raises(ValueError, match="win_length=512 must be between 1 and n_fft=256"):
        SpectralFeatures(n_fft=256, win_length=512)
    uncentred = SpectralFeatures(n_fft=256, hop_length=64, center=False)
    message = "A clip of 200 samples holds no frame of n_fft=256 samples with center=False"
    with pytest.raises(ValueError, match=message):
        uncentred(np.zeros((2, 200), "float32"))
    with pytest.raises(ValueError, match=message):
        uncentred.compute_output_shape((None, 200))
    with pytest.raises(ValueError, match=message):
        keras.Sequential([keras.Input((200, 1)), SpectralFeatures(n_fft=256, hop_length=64, center=False)])
    assert uncentred.compute_output_shape((None, 256)) == (None, 1, 129)
    with pytest.raises(ValueError, match=r"mono waveforms .* got 2 channels .* Mix them to mono first"):
        SpectralFeatures(n_fft=256, hop_length=64)(np.zeros((2, 1000, 2), "float32"))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(hop_length=0), "hop_length must be an int >= 1, got 0"),
        (dict(n_fft=-4), "n_fft must be an int >= 1, got -4"),
        (dict(n_fft=256.5), "n_fft must be an int >= 1, got 256.5"),
        (dict(power=0), "power must be a number > 0.0, got 0"),
        (dict(sr=8000, n_mels=0), "n_mels must be an int >= 1, got 0"),
        (dict(sr=0, n_mels=40), "sr must be a number > 0.0, got 0"),
        (dict(sr=8000, n_mels=40, n_mfcc=0), "n_mfcc must be an int >= 1, got 0"),
        (dict(sr=8000, n_mels=20, n_mfcc=40), "n_mfcc=40 must be at most n_mels=20"),
        (dict(top_db=-5.0), "top_db must be a number >= 0.0, got -5.0"),
    ],
)
def test_spectral_settings_the_layer_cannot_compute_are_named_when_made(kwargs, match):
    """Not when called (a division by zero, an empty reduction) or never (a negative top_db gave every bin
    the same value)."""
    from skaudio.networks import SpectralFeatures

    with pytest.raises(ValueError, match=match):
        SpectralFeatures(**kwargs)
