"""CNN1DDenoiser and CRNNEventDetector at their edges: the caller's clip named, batches per length, too short input."""

import json
import warnings

import numpy as np
import pytest

from skaudio.models import CNN1DDenoiser
from skaudio.utils import UnusableClipWarning
from tests.models.conftest import tiny_detector


@pytest.fixture(scope="module")
def pairs():
    rng = np.random.default_rng(0)
    t = np.arange(800) / 8000
    clean = (0.5 * np.sin(2 * np.pi * rng.uniform(200, 800, size=(16, 1)) * t)).astype("float32")
    return clean + 0.2 * rng.standard_normal(clean.shape).astype("float32"), clean


@pytest.fixture(scope="module")
def stft_denoiser(pairs):
    noisy, clean = pairs
    return CNN1DDenoiser(domain="stft", filters=4, epochs=1, random_state=0).fit(noisy, clean)


# ------------------------------------------------------------------ denoiser
def test_multichannel_input_is_named_as_the_caller_numbers_it(pairs, stft_denoiser):
    # a recording's channels were flattened among the clips, and messages named their flattened index
    noisy, _ = pairs
    den, stereo = stft_denoiser, noisy[:2]
    nan = noisy[3].copy()
    nan[5] = np.nan
    with pytest.raises(ValueError, match=r"^X\[1\] contains NaN"):  # was X[2]
        den.predict([stereo, nan])
    with pytest.raises(ValueError, match=r"^X\[1\] is a zero-length clip"):
        den.predict([stereo, np.zeros(0, "float32")])
    with pytest.raises(ValueError, match=r"X\[1\]\[0\] contains NaN"):
        den.predict([stereo, np.stack([nan, noisy[4]])])
    with pytest.warns(UnusableClipWarning, match=r"1 clip\(s\) shorter than one STFT frame .*: X\[1\], 100 samples;"):
        den.predict([stereo, noisy[3, :100]])
    with pytest.warns(UnusableClipWarning, match=r": X\[0\]\[0\], 100 samples, X\[0\]\[1\], 100 samples, X\[1\], 90"):
        den.predict([stereo[:, :100], noisy[3, :90]])
    with pytest.warns(UnusableClipWarning, match=r": X\[0\]\[0\], 100 samples, X\[0\]\[1\], 100 samples, X\[1\]\[0\]"):
        den.predict(np.stack([stereo, noisy[3:5]])[:, :, :100])
    # recordings with their channels last: the 3D shape and the transpose that fixes it (X.T would not)
    with pytest.warns(UnusableClipWarning, match=r"X has shape \(1, 800, 2\), .* Give X\.transpose\(0, 2, 1\)"):
        assert den.predict(stereo.T[None]).shape == (1, 800, 2)
    with pytest.raises(ValueError, match=r"X is an empty batch \(shape \(0, 2, 800\)\)"):  # numpy's concatenate error
        den.predict(np.zeros((0, 2, 800), "float32"))


def test_warnings_point_at_the_callers_line(pairs, stft_denoiser):
    noisy, clean = pairs
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        CNN1DDenoiser(domain="stft", filters=2, epochs=1, random_state=0).fit(noisy[:, :100], clean[:, :100])
        CNN1DDenoiser(domain="stft", filters=2, random_state=0).partial_fit(noisy[:, :100], clean[:, :100])
        stft_denoiser.predict(noisy[:2, :100])
        stft_denoiser.predict(noisy[None, :2, :100])  # was skaudio/models/_denoiser.py
        stft_denoiser.predict([noisy[:2, :100], noisy[3]])
    short = [w for w in caught if issubclass(w.category, UnusableClipWarning)]
    assert len(short) == 5 and {w.filename for w in short} == {__file__}  # fit's were skaudio/models/_base.py


def test_ragged_clips_of_one_length_are_denoised_together(pairs, stft_denoiser, monkeypatch):
    # one prediction call a clip, each computing PREDICT_ROW_BLOCK rows: 27 times slower than the array
    noisy, _ = pairs
    den = stft_denoiser
    clips = [noisy[i, : 800 if i % 2 else 600] for i in range(10)]
    alone = [den.predict(clip[None])[0] for clip in clips]
    calls = []
    network = den._predict_raw
    monkeypatch.setattr(den, "_predict_raw", lambda x, **kwargs: calls.append(x.shape) or network(x, **kwargs))
    together = den.predict(clips)
    assert sorted(calls) == [(5, 600), (5, 800)]  # was ten calls of (1, n)
    for a, b in zip(together, alone):
        assert a.dtype == np.float32 and a.shape == b.shape
        np.testing.assert_allclose(a, b, atol=1e-6)
    # a multichannel recording's channels go together too
    calls.clear()
    stereo = den.predict([noisy[:2], noisy[2, :600]])
    assert sorted(calls) == [(1, 600), (2, 800)]
    np.testing.assert_allclose(stereo[0], den.predict(noisy[:2]), atol=1e-6)
    # memory stays bounded: no more samples a batch than PREDICT_ROW_BLOCK full chunks hold
    batches = []
    denoise_batch = den._denoise_batch
    monkeypatch.setattr(den, "_denoise_batch", lambda x: batches.append(x.shape) or denoise_batch(x))
    den.set_params(chunk_length=64, chunk_context=0)  # 32 * 64 samples: two 800-sample clips a batch
    try:
        den.predict([noisy[i, :800] for i in range(5)])
        assert batches == [(2, 800), (2, 800), (1, 800)]
    finally:
        den.set_params(chunk_length=65536, chunk_context=4096)


def test_sample_weight_applies_to_each_pairs_segments(pairs, keras_fit_calls):
    # segments_per_clip=2 made twice as many examples as weights: "sample_weight.shape == (8,), expected (16,)!"
    noisy, clean = pairs
    weights = np.arange(1, 9, dtype=float)
    den = CNN1DDenoiser(filters=2, epochs=1, segment_length=200, segments_per_clip=2, random_state=0)
    den.fit(noisy[:8], clean[:8], sample_weight=weights)
    den.partial_fit(noisy[:8], clean[:8], sample_weight=weights)
    assert len(keras_fit_calls) == 2
    for X, _, sample_weight in keras_fit_calls:
        assert X.shape[:2] == (16, 200)
        np.testing.assert_array_equal(sample_weight, np.repeat(weights, 2))
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(7,\), expected \(16,\)"):
        den.fit(noisy[:8], clean[:8], sample_weight=weights[:7])


# ------------------------------------------------------------------ detector
FD = 0.01


@pytest.fixture(scope="module")
def frames():
    rng = np.random.default_rng(0)
    return (0.3 * rng.normal(size=(24, 40, 3))).astype("float32")


def _detector(**params):
    return tiny_detector(**{**dict(temporal_pooling="max", frame_duration=FD, kernel_size=5, pool_size=2), **params})


def test_input_too_short_for_the_network_is_named_by_every_method(frames):
    # predict, predict_proba and decision_function of a frame-level network raised Keras' "Negative dimension size"
    det = _detector().fit(frames, [[(0.0, 0.08, "a")] if i % 2 else [(0.1, 0.3, "b")] for i in range(24)])
    message = r"X has 3 frame\(s\): too short for this network, which needs at least 6 \(0.060 s\)"
    for method in (det.predict, det.predict_proba, det.decision_function, det.predict_frame_proba):
        with pytest.raises(ValueError, match=message):
            method(frames[:2, :3])
    assert det.predict_proba(frames[:2, :6]).shape == (2, 2)


@pytest.mark.parametrize("temporal_pooling, padding", [("last", "valid"), ("max", "valid"), ("max", "same")])
def test_training_clips_too_short_for_the_network_are_named_with_clip_labels(frames, temporal_pooling, padding):
    # as with annotations; Keras said "Computed output size would be zero or negative" or "Negative dimension size"
    with pytest.raises(ValueError, match=r"The training clips have 1 frame\(s\): too short for this network"):
        _detector(temporal_pooling=temporal_pooling, padding=padding).fit(frames[:, :1], np.arange(24) % 2)


@pytest.mark.parametrize("classes", [[1, 2], ["no", "yes"], [False, True]])
def test_labels_of_clip_labels_are_plain_values(frames, classes):
    # labels_ held numpy scalars (np.int64(2), np.str_('yes')): events that JSON refused
    y = np.array(classes * 12)
    det = _detector().fit(frames, y)
    assert det.labels_ == [classes[1]] and type(det.labels_[0]) is type(classes[1])
    events = det.predict_events(frames[:2], threshold=0.01)
    assert any(events) and all(type(label) is type(classes[1]) for clip in events for *_, label in clip)
    json.dumps(events)
