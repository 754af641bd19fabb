"""joblib round-trips (loaded in a fresh process) and the native .keras format."""

import subprocess
import sys
import textwrap

import joblib
import keras
import numpy as np
import soundfile as sf
from sklearn.pipeline import make_pipeline

from skaudio.io import AudioLoader
from skaudio.models import CNN1DClassifier, CNN1DDenoiser, CRNNEventDetector
from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength

SR = 8000


def _predict_in_fresh_process(*jobs):
    """Outputs of ``(model_path, data_path, method)`` jobs, all run in one fresh Python process."""
    code = textwrap.dedent(
        f"""
        import joblib, numpy as np
        for model_path, data_path, method in {[(str(m), str(d), method) for m, d, method in jobs]!r}:
            model = joblib.load(model_path)
            X = np.load(data_path, allow_pickle=True)
            X = list(X) if X.dtype == object else X
            np.save(data_path + "." + method + ".out.npy", np.asarray(getattr(model, method)(X)))
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return [np.load(f"{data_path}.{method}.out.npy", allow_pickle=True) for _, data_path, method in jobs]


def test_classifier_pipeline_from_files_round_trips(tmp_path, sounds):
    X, y = sounds
    paths = []
    for i, clip in enumerate(X[:60]):
        path = tmp_path / f"clip{i}.wav"
        sf.write(path, clip, SR, subtype="PCM_16")
        paths.append(str(path))
    pipe = make_pipeline(
        AudioLoader(sr=SR),
        FixedLength(duration=0.5, sr=SR, align="center"),
        MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=128, n_mels=40),
        FeatureScaler(),
        CNN1DClassifier(filters=(8, 8), dense_units=16, epochs=3, time_shift=0.1, random_state=0),
    ).fit(paths, y[:60])
    expected = pipe.predict_proba(paths)
    joblib.dump(pipe, tmp_path / "pipe.joblib")
    np.save(tmp_path / "paths.npy", np.array(paths))
    (restored,) = _predict_in_fresh_process((tmp_path / "pipe.joblib", tmp_path / "paths.npy", "predict_proba"))
    np.testing.assert_array_equal(restored, expected)


def test_event_detector_and_denoiser_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 20, 6)).astype("float32")
    y = rng.integers(0, 2, size=(32, 3))
    det = CRNNEventDetector(filters=4, lstm_units=4, epochs=2, random_state=0).fit(X, y)
    joblib.dump(det, tmp_path / "det.joblib")
    np.save(tmp_path / "X.npy", X)

    noisy = rng.normal(size=(8, 300)).astype("float32")
    den = CNN1DDenoiser(filters=4, residual=True, epochs=2, random_state=0).fit(noisy, noisy * 0.5)
    joblib.dump(den, tmp_path / "den.joblib")
    np.save(tmp_path / "noisy.npy", noisy[:, :123])

    # the spectral front end: custom STFT layers, 2D convolutions, reshapes over any number of frames, an LSTM,
    # the mask refinement
    spectral = CNN1DDenoiser(
        domain="stft",
        filters=4,
        n_layers=1,
        lstm_units=4,
        frequency_filters=(2, 2),
        refinement_filters=2,
        epochs=1,
        random_state=0,
    ).fit(noisy, noisy * 0.5)
    joblib.dump(spectral, tmp_path / "spectral.joblib")
    np.save(tmp_path / "noisy_spectral.npy", noisy[:, :123])

    restored = _predict_in_fresh_process(
        (tmp_path / "det.joblib", tmp_path / "X.npy", "predict_proba"),
        (tmp_path / "den.joblib", tmp_path / "noisy.npy", "predict"),
        (tmp_path / "spectral.joblib", tmp_path / "noisy_spectral.npy", "predict"),
    )
    expected = [det.predict_proba(X), den.predict(noisy[:, :123]), spectral.predict(noisy[:, :123])]
    for got, want in zip(restored, expected, strict=True):
        np.testing.assert_array_equal(got, want)


def test_fitted_network_saves_in_keras_format(tmp_path, features):
    X, y = features
    clf = CNN1DClassifier(filters=(8, 8), dense_units=16, epochs=2, feature_shift=2, time_masks=1, random_state=0).fit(
        X, y
    )
    clf.model_.save(tmp_path / "clf.keras")
    restored = keras.models.load_model(tmp_path / "clf.keras")
    np.testing.assert_allclose(restored.predict(X, verbose=0), clf.predict_proba(X), atol=1e-6)


def test_frame_level_detector_trained_on_annotations_round_trips(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(32, 40, 6)).astype("float32")
    events = [[(0.05, 0.2, "dog")] if i % 2 else [(0.1, 0.3, "cat"), (0.25, 0.35, "dog")] for i in range(32)]
    det = CRNNEventDetector(
        filters=4,
        lstm_units=4,
        padding="same",
        temporal_pooling="attention",
        frame_duration=0.01,
        epochs=2,
        random_state=0,
    ).fit(X, events)
    joblib.dump(det, tmp_path / "det.joblib")
    np.save(tmp_path / "X.npy", X)
    (restored,) = _predict_in_fresh_process((tmp_path / "det.joblib", tmp_path / "X.npy", "predict_frame_proba"))
    np.testing.assert_array_equal(restored, det.predict_frame_proba(X))
    assert joblib.load(tmp_path / "det.joblib").labels_ == ["cat", "dog"]
