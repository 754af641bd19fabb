"""skaudio.models.predict_events at its edges: a "valid"-padded network's windows, too short input, channels."""

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline

from skaudio.models import predict_events
from skaudio.networks import output_frames
from skaudio.preprocessing import Spectrogram
from tests.models.conftest import tiny_detector

FD = 0.01  # seconds per input frame


@pytest.fixture(scope="module")
def valid_detector():
    """A detector whose "valid" convolutions give fewer output frames than their input frames span."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8, 40, 3)).astype("float32")
    events = [[(0.1, 0.2, "burst")] if i % 2 else [] for i in range(8)]
    det = tiny_detector(
        temporal_pooling="max", padding="valid", kernel_size=3, filters=(4, 4), pool_size=(2, 2), frame_duration=FD
    )
    return det.fit(X, events)


def _energy_detector(detector, monkeypatch):
    """Make ``detector`` context-free: output frame j is active where the input frames at its centre are above 0.

    Any window holding an output frame then gives it the same probability,
    so windowed and whole inference must agree exactly.
    """
    geometry = detector._geometry()
    stride, offset = detector._frame_timing()

    def frame_proba(X):
        X = np.asarray(X, dtype=np.float64)
        centres = [int(stride * j + offset) for j in range(output_frames(X.shape[1], **geometry))]
        level = np.stack([X[:, c - 1 : c + 1].mean((1, 2)) for c in centres], axis=1)
        return (1 / (1 + np.exp(-level)))[..., None]

    monkeypatch.setitem(vars(detector), "predict_frame_proba", frame_proba)
    return detector


@pytest.mark.parametrize("overlap", [0.0, 0.1, 0.5])
def test_windows_of_a_valid_padded_network_leave_no_output_frame_unpredicted(valid_detector, monkeypatch, overlap):
    det = _energy_detector(valid_detector, monkeypatch)
    assert det._frame_timing()[0] == 4 and output_frames(40, **det._geometry()) == 8  # 32 of a window's 40 frames
    features = np.full((400, 3), -5.0)
    features[100:300] = 5.0  # one event over several window edges: 1.0 s to 3.0 s
    whole = predict_events(det, [features], window=float("inf"))
    assert [(round(on, 3), round(off, 3)) for on, off, _ in whole[0]] == [(0.985, 3.025)]
    # windows of 0.4 s that do not overlap (or barely) used to leave two output frames unpredicted between them,
    # cutting the event into six
    assert predict_events(det, [features], window=0.4, overlap=overlap) == whole


def test_a_window_too_short_for_a_valid_padded_network_is_an_error_naming_window(valid_detector):
    # 5 frames are more than a stride (4) but too few for the "valid" convolutions: 10 are needed
    message = r"window=0.05 s is shorter than one output frame of the detector \(0.1 s = 10 input frames"
    with pytest.raises(ValueError, match=message):
        predict_events(valid_detector, [np.zeros((400, 3))], window=0.05)


def test_a_recording_too_short_for_the_network_is_named(valid_detector):
    X = [np.zeros((400, 3)), np.zeros((3, 3)), np.zeros((100, 3)), np.zeros((3, 3))]
    with pytest.raises(ValueError, match=r"Recordings X\[1\], X\[3\] give the detector 3 frame\(s\): too short"):
        predict_events(valid_detector, X)
    with pytest.raises(ValueError, match=r"Recording X\[0\] gives the detector 9 frame\(s\): too short"):
        predict_events(valid_detector, [np.zeros((9, 3))])


def test_a_recording_with_channels_last_gets_no_advice_that_would_average_its_samples(valid_detector):
    pipe = make_pipeline(Spectrogram(sr=8000, n_fft=256, hop_length=80), valid_detector)
    with pytest.raises(ValueError, match=r"X\[0\] has shape \(16000, 2\), but the steps .* 1D waveforms\.") as error:
        predict_events(pipe, [np.zeros((16000, 2), dtype=np.float32)])
    assert "mean(axis=0)" not in str(error.value)  # which would give two numbers, not a mono waveform
    with pytest.raises(ValueError, match=r"\(n_channels, n_samples\)\? Mix it to mono \(clip.mean\(axis=0\)\)"):
        predict_events(pipe, [np.zeros((2, 16000), dtype=np.float32)])
