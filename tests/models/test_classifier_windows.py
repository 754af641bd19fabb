"""CNN1DClassifier(window=...): clips of any length, trained and predicted by windows."""

import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import DataConversionWarning, NotFittedError

from skaudio.models._windows import loud_window_starts, pool_over_windows, window_blocks, window_starts
from skaudio.preprocessing import MFCC
from skaudio.utils import SILENT_PEAK, UnusableClipWarning, unusable_clips
from tests.models.conftest import tiny_classifier

SR = 8000
WINDOW = 2000  # 0.25 s


def _event_in_long_clip(label, length, rng):
    """A tone of up to 0.2 s (500 Hz for "low", 2000 Hz for "high") at a random place in ``length`` samples of noise."""
    clip = 0.05 * rng.normal(size=length).astype(np.float32)
    tone = min(length, 1600)
    start = int(rng.integers(0, length - tone + 1))
    clip[start : start + tone] += np.sin(2 * np.pi * (500 if label == "low" else 2000) * np.arange(tone) / SR)
    return clip


@pytest.fixture(scope="module")
def ragged():
    """40 clips, two classes: every fifth is 0.1 s of the tone alone (shorter than a window), the others 0.2-4 s."""
    rng = np.random.default_rng(0)
    y = np.repeat(["low", "high"], 20)
    X = [
        _event_in_long_clip(label, 800 if i % 5 == 0 else int(rng.integers(1600, 4 * SR)), rng)
        for i, label in enumerate(y)
    ]
    return X, y


@pytest.fixture(scope="module")
def fitted(ragged):
    X, y = ragged
    front_end = MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=80, n_mels=40)
    return tiny_classifier(front_end=front_end, window=WINDOW, epochs=6).fit(X, y)


def test_window_starts_cover_every_sample():
    for length in (1, 2000, 2001, 4999, 10_000):
        starts = window_starts(length, WINDOW, WINDOW // 2)
        covered = np.zeros(length, bool)
        for start in starts:
            covered[start : start + WINDOW] = True
        assert covered.all(), length
        assert starts[-1] + WINDOW == max(length, WINDOW)
        assert np.all(np.diff(starts) <= WINDOW // 2)


def test_window_blocks_are_bounded_and_say_where_each_window_comes_from():
    clips = [np.arange(n, dtype=np.float32) for n in (500, 7000, 30_000)]
    blocks = list(window_blocks(clips, WINDOW, 1000, max_windows=8))
    assert all(len(windows) <= 8 for windows, _ in blocks)
    windows = np.concatenate([w for w, _ in blocks])
    index = np.concatenate([i for _, i in blocks])
    assert windows.shape[1:] == (WINDOW,)
    assert np.bincount(index).tolist() == [1, 6, 29]
    # a short clip sits centred in zero padding; a long clip's windows are its own samples
    np.testing.assert_array_equal(windows[0][750:1250], clips[0])
    assert windows[0][:750].sum() == 0
    np.testing.assert_array_equal(windows[index == 2][-1], clips[2][-WINDOW:])


def test_pool_over_windows_averages_within_each_clip_only():
    clips = [np.full(5000, 1.0, np.float32), np.full(100, 3.0, np.float32)]
    means = pool_over_windows(lambda w: w.mean(axis=1, keepdims=True), clips, WINDOW, 1000, max_windows=2)
    np.testing.assert_allclose(means[:, 0], [1.0, 3.0 * 100 / WINDOW])


def test_quiet_windows_are_left_out_relative_to_each_clips_loudest():
    rng = np.random.default_rng(0)
    loud, quiet = rng.normal(size=WINDOW), rng.normal(size=WINDOW)
    # a loud window, then one 20 dB down, then digital silence; the second clip is all 40 dB down
    clip = np.concatenate([loud, 0.1 * quiet, np.zeros(WINDOW)]).astype(np.float32)
    starts = window_starts(len(clip), WINDOW, WINDOW)
    assert loud_window_starts(clip, starts, WINDOW, top_db=30.0).tolist() == [0, WINDOW]
    assert loud_window_starts(clip, starts, WINDOW, top_db=10.0).tolist() == [0]
    assert loud_window_starts(0.01 * clip, starts, WINDOW, top_db=10.0).tolist() == [0]  # relative, not absolute
    silent = np.zeros(3 * WINDOW, np.float32)
    assert loud_window_starts(silent, starts, WINDOW, top_db=10.0).tolist() == starts.tolist()
    # in prediction: the silent window no longer votes
    clips = [clip, np.full(100, 3.0, np.float32)]
    mean_level = lambda w: np.sqrt(np.mean(w**2, axis=1, keepdims=True))  # noqa: E731
    means = pool_over_windows(mean_level, clips, WINDOW, WINDOW, max_windows=2, top_db=30.0)
    np.testing.assert_allclose(means[0, 0], np.mean([mean_level(loud[None]), mean_level(0.1 * quiet[None])]), rtol=1e-5)
    np.testing.assert_allclose(means[1, 0], 3.0 * np.sqrt(100 / WINDOW), rtol=1e-5)


def test_quiet_windows_are_left_out_of_training_and_the_clips_keep_equal_weight(ragged):
    X, y = ragged
    padded = [np.concatenate([clip, np.zeros(3 * WINDOW, np.float32)]) for clip in X]  # silence after every clip
    clf = tiny_classifier(window=WINDOW, window_top_db=30.0)
    windows, _, weight = clf._windowed_training_data(padded, y, None)
    _, _, weight_all = tiny_classifier(window=WINDOW)._windowed_training_data(padded, y, None)
    assert len(windows) <= len(weight_all) - 2 * len(X)  # at least two silent windows each
    assert np.sqrt(np.mean(windows**2, axis=1)).min() > 0.01  # none of them kept
    assert weight.mean() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="window_top_db.*needs waveforms"):
        tiny_classifier(window=40, window_top_db=30.0).fit([np.ones((100, 4))] * 2, ["a", "b"])
    with pytest.raises(ValueError, match="window_top_db leaves out quiet windows: it needs window"):
        tiny_classifier(window_top_db=30.0).fit(np.ones((2, 100, 4)), ["a", "b"])


def test_windowed_classifier_learns_events_anywhere_in_clips_of_any_length(fitted, ragged):
    X, y = ragged
    assert fitted.X_shape_[1:] == (WINDOW,)
    assert not hasattr(fitted, "n_features_in_")  # any length goes in
    assert fitted.score(X, y) >= 0.8
    proba = fitted.predict_proba(X)
    assert proba.shape == (40, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)


def _window_probabilities(fitted, clip):
    """The fitted network's probabilities for each of ``clip``'s half-overlapping windows."""
    starts = window_starts(len(clip), WINDOW, WINDOW // 2)
    windows = np.stack([clip[s : s + WINDOW] for s in starts])
    return np.asarray(fitted.model_(windows[..., None], training=False), dtype=np.float64)


def _pooled_by(fitted, clip, pooling):
    """``fitted``'s probabilities for ``clip`` under ``window_pooling=pooling`` (then back to the mean)."""
    fitted.set_params(window_pooling=pooling)
    try:
        return fitted.predict_proba([clip])[0]
    finally:
        fitted.set_params(window_pooling="mean")


def _event_in_background():
    """Eight windows of a steady background, the second holding a short loud event."""
    clip = np.ones(8 * WINDOW)
    clip[WINDOW : WINDOW + 10] = 9.0
    return clip


def test_a_clip_gets_the_mean_of_its_windows_probabilities(fitted, ragged):
    clip = ragged[0][3]
    by_window = _window_probabilities(fitted, clip)
    np.testing.assert_allclose(fitted.predict_proba([clip])[0], by_window.mean(axis=0), atol=1e-5)


def test_max_pooling_judges_a_clip_by_each_class_best_window(fitted, ragged):
    clip = ragged[0][3]
    best = _window_probabilities(fitted, clip).max(axis=0)
    np.testing.assert_allclose(_pooled_by(fitted, clip, "max"), best / best.sum(), atol=1e-5)
    # a loud background outvotes one short event under the mean, not under the maximum
    votes = lambda w: np.where(w.max(axis=1, keepdims=True) > 5, [[0.9, 0.1]], [[0.3, 0.7]])  # noqa: E731
    event_in_background = _event_in_background()
    mean = pool_over_windows(votes, [event_in_background], WINDOW, WINDOW, max_windows=4)
    peak = pool_over_windows(votes, [event_in_background], WINDOW, WINDOW, max_windows=4, pooling="max")
    assert mean[0].argmax() == 1 and peak[0].argmax() == 0
    with pytest.raises(ValueError, match="pooling must be 'mean', 'max' or 'confidence', got 'median'"):
        pool_over_windows(votes, [event_in_background], WINDOW, WINDOW, max_windows=4, pooling="median")


def test_confidence_pooling_weighs_each_window_by_its_certainty(fitted, ragged):
    clip = ragged[0][3]
    by_window = _window_probabilities(fitted, clip)
    proba = _pooled_by(fitted, clip, "confidence")
    entropy = -(by_window * np.log(np.clip(by_window, 1e-12, 1))).sum(axis=1)
    weights = 1 - entropy / np.log(by_window.shape[1])
    np.testing.assert_allclose(proba, weights @ by_window / weights.sum(), atol=1e-5)
    np.testing.assert_allclose(proba.sum(), 1.0, atol=1e-5)
    # many unsure background windows outvote one sure event under the mean, not under confidence
    votes = lambda w: np.where(w.max(axis=1, keepdims=True) > 5, [[0.95, 0.05]], [[0.4, 0.6]])  # noqa: E731
    event_in_background = _event_in_background()
    mean = pool_over_windows(votes, [event_in_background], WINDOW, WINDOW, max_windows=3)
    confident = pool_over_windows(votes, [event_in_background], WINDOW, WINDOW, max_windows=3, pooling="confidence")
    assert mean[0].argmax() == 1 and confident[0].argmax() == 0
    # a clip whose every window is a uniform guess gets their mean, not a division by zero
    unsure = pool_over_windows(
        lambda w: np.full((len(w), 2), 0.5), [event_in_background], WINDOW, WINDOW, 3, pooling="confidence"
    )
    np.testing.assert_allclose(unsure, [[0.5, 0.5]])
    with pytest.raises(ValueError, match=r"needs class probabilities \(n_windows, n_classes >= 2\)"):
        pool_over_windows(lambda w: w[:, :1], [event_in_background], WINDOW, WINDOW, 3, pooling="confidence")


def test_a_long_recording_is_predicted_in_bounded_memory(fitted):
    recording = np.random.default_rng(1).normal(scale=0.1, size=6 * 60 * SR).astype(np.float32)  # 6 minutes
    clf = fitted.set_params(predict_batch_size=64)
    tracemalloc.start()
    try:
        proba = clf.predict_proba([recording])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        clf.set_params(predict_batch_size=256)
    assert proba.shape == (1, 2)
    all_windows = (len(recording) // (WINDOW // 2)) * WINDOW * 4
    assert peak < all_windows / 4, (peak, all_windows)


def test_every_clip_weighs_the_same_in_training_whatever_its_length(ragged):
    X, y = ragged
    clf = tiny_classifier(window=WINDOW)
    windows, window_y, weight = clf._windowed_training_data(X, y, None)
    n_windows = [len(window_starts(len(clip), WINDOW, WINDOW)) for clip in X]  # end to end
    ids = np.repeat(np.arange(len(X)), n_windows)
    np.testing.assert_array_equal(window_y, y[ids])
    totals = np.bincount(ids, weights=weight)
    np.testing.assert_allclose(totals, totals[0])
    assert weight.mean() == pytest.approx(1.0)
    assert len(windows) == len(weight) == sum(n_windows)


@pytest.mark.parametrize(
    "X, y, match",
    [
        ([np.zeros(3000), np.zeros(0)], ["a", "b"], r"clip X\[1\] is empty"),
        ([np.zeros(3000), np.array([0.0, np.nan])], ["a", "b"], r"clip X\[1\] contains NaN"),
        ([np.zeros(3000), np.zeros((30, 4))], ["a", "b"], "every clip to be a 1D waveform or every clip a 2D"),
        ([np.zeros(3000), np.zeros(3000)], ["a", "b", "c"], "X has 2 clips but y has 3 labels"),
        ([np.zeros(3000)] * 3, ["a", None, "b"], r"1 clip\(s\) have no label \(None, NaN or NA\), at position\(s\) 1 "),
        ([np.zeros(3000)] * 3, [0.0, 1.0, np.nan], r"at position\(s\) 2 of y \(counted from 0\); every training clip"),
        ([np.zeros(3000)] * 3, ["a", pd.NA, np.float32("nan")], r"2 clip\(s\) have no label .* position\(s\) 1, 2 of"),
        ([np.zeros(3000)] * 3, pd.Series(["a", "b", None], index=[7, 8, 9]), r"position\(s\) 2 of y"),
        ([], [], "got no clips"),
        ([np.zeros(3000)] * 2, None, r"CNN1DClassifier requires y to be passed, but the target y is None"),
    ],
)
def test_bad_clips_are_refused_by_name(X, y, match):
    with pytest.raises(ValueError, match=match):
        tiny_classifier(window=WINDOW).fit(X, y)


def test_sparse_clips_get_scikit_learns_refusal(fitted):
    import scipy.sparse as sp

    X = sp.csr_matrix(np.ones((2, 3000)))
    with pytest.raises(TypeError, match="Sparse data was passed for X, but dense data is required"):
        tiny_classifier(window=WINDOW).fit(X, ["a", "b"])
    with pytest.raises(TypeError, match="Sparse data was passed for X, but dense data is required"):
        fitted.predict(X)


def test_silent_and_too_short_clips_are_named_in_warnings_at_fit_and_predict(fitted, ragged):
    X, y = ragged
    X = list(X)
    X[3] = np.zeros_like(X[3])  # digital silence
    X[7] = X[7][:255]  # one sample shorter than a 256-sample analysis frame
    X[8] = X[8][:256]  # one frame: usable
    y = y.astype(object)  # labels as a pandas column holds them
    front_end = MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=80, n_mels=40)
    with pytest.warns(UnusableClipWarning) as caught:
        tiny_classifier(front_end=front_end, window=WINDOW, epochs=1).fit(X, y)
    messages = [str(w.message) for w in caught]
    assert any("1 silent clip(s)" in m and "X[3] ('low')" in m and "trained on as its label" in m for m in messages)
    short = "1 clip(s) shorter than one analysis frame of the front end (256 samples): X[7] ('low'), 255 samples;"
    assert any(short in m for m in messages)
    assert all(w.filename == __file__ for w in caught)  # pointed at the caller of fit
    with pytest.warns(UserWarning, match=r"silent clip\(s\), no sample above -120 dBFS: X\[1\]; their probabilities"):
        fitted.predict([X[0], np.zeros(5000)])


def test_a_front_end_that_is_not_skaudios_features_is_refused_by_name(ragged):
    from sklearn.preprocessing import StandardScaler

    with pytest.raises(ValueError, match="front_end must start with skaudio's MFCC or Spectrogram, got StandardScaler"):
        tiny_classifier(front_end=StandardScaler(), window=WINDOW).fit(*ragged)


def test_silence_is_no_sample_above_the_threshold():
    quiet = np.zeros(1000)
    quiet[500] = SILENT_PEAK
    barely = quiet.copy()
    barely[500] = -2 * SILENT_PEAK
    assert unusable_clips([quiet, barely, np.zeros((3, 2))]) == ([0], [])


def test_sound_clips_raise_no_warning(fitted, ragged):
    X, _ = ragged
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fitted.predict(X[:5])
    assert [w for w in caught if issubclass(w.category, UnusableClipWarning)] == []


def test_labels_never_seen_in_training_are_named_and_count_as_wrong(fitted, ragged):
    X, y = ragged
    relabelled = y[:10].astype(object)
    relabelled[:3] = "siren"  # pandas-like object labels, three of them unseen
    expected = np.mean(fitted.predict(X[:10]) == relabelled)
    with pytest.warns(UserWarning, match=r"1 label\(s\) never seen in training \('siren'\); their 3 clip\(s\) count"):
        assert fitted.score(X[:10], relabelled) == pytest.approx(expected)
    # a column of labels is taken as scikit-learn takes it, with its usual warning
    with pytest.warns(DataConversionWarning):
        assert fitted.score(X[:10], y[:10, None]) == pytest.approx(np.mean(fitted.predict(X[:10]) == y[:10]))


def test_predict_before_fit_and_other_input_kinds_are_refused(fitted):
    with pytest.raises(NotFittedError):
        tiny_classifier(window=WINDOW).predict([np.zeros(3000)])
    with pytest.raises(ValueError, match=r"computes its features from waveforms .* X\[0\] has shape \(40, 13\)\.$"):
        fitted.predict([np.zeros((40, 13))])
    stereo = np.zeros((2, 3000))
    with pytest.raises(ValueError, match=r"X\[0\] has shape \(2, 3000\)\. A multichannel recording .* mono"):
        fitted.predict([stereo])
    with pytest.raises(ValueError, match=r"X\[0\] has shape \(2, 3000\)\. A multichannel"):
        tiny_classifier(front_end=fitted.front_end, window=WINDOW).fit([stereo, stereo], ["a", "b"])
    with pytest.raises(ValueError, match=r"X\[0\] has shape \(3000,\) and X\[1\] \(2, 3000\)\."):
        fitted.predict([np.zeros(3000), stereo])


def test_batch_norm_statistics_are_recomputed_on_the_training_windows_after_fit(ragged):
    import keras

    X, y = ragged
    clf = tiny_classifier(window=WINDOW, batch_norm=True, recalibrate_batch_norm=True, epochs=2, time_shift=0.2)
    clf.fit(X, y)
    windows, _, _ = clf._windowed_training_data(X, y, None)
    model = clf.model_
    norms = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    assert len(norms) == 2
    for norm in norms:  # each layer's statistics are those of its inputs over the unaugmented windows
        inputs = np.asarray(keras.Model(model.input, norm.input)(windows[..., None], training=False))
        inputs = inputs.reshape(-1, inputs.shape[-1])
        np.testing.assert_allclose(norm.moving_mean.numpy(), inputs.mean(axis=0), rtol=1e-3, atol=1e-4)
        np.testing.assert_allclose(norm.moving_variance.numpy(), inputs.var(axis=0), rtol=1e-3, atol=1e-4)
    # without recalibration the moving averages after two short epochs are not those statistics
    plain = tiny_classifier(window=WINDOW, batch_norm=True, epochs=2, time_shift=0.2).fit(X, y)
    first = [layer for layer in plain.model_.layers if isinstance(layer, keras.layers.BatchNormalization)][0]
    inputs = np.asarray(keras.Model(plain.model_.input, first.input)(windows[..., None], training=False))
    assert not np.allclose(first.moving_variance.numpy(), inputs.reshape(-1, inputs.shape[-1]).var(axis=0), rtol=0.1)


def test_a_model_saved_before_window_top_db_and_recalibration_existed_still_predicts(fitted, ragged):
    X, _ = ragged
    expected = fitted.predict_proba(X[:3])
    saved = {key: fitted.__dict__.pop(key) for key in ("window_top_db", "recalibrate_batch_norm", "window_pooling")}
    try:  # as skops rebuilds an older file: the instance has no such attributes
        assert fitted.window_top_db is None and fitted.recalibrate_batch_norm is False
        assert fitted.window_pooling == "mean"
        np.testing.assert_allclose(fitted.predict_proba(X[:3]), expected, rtol=1e-6)
    finally:
        fitted.__dict__.update(saved)


def test_mean_and_max_pooling_take_outputs_of_any_shape():
    clips = [np.arange(12.0), np.arange(3.0)]
    per_frame = lambda w: np.stack([w[:, :2], -w[:, :2]], axis=-1)  # noqa: E731  (n, 2, 2), as frame outputs
    mean = pool_over_windows(per_frame, clips, 4, 4, max_windows=2)
    peak = pool_over_windows(per_frame, clips, 4, 4, max_windows=2, pooling="max")
    assert mean.shape == peak.shape == (2, 2, 2)
    np.testing.assert_allclose(mean[0, :, 0], [4.0, 5.0])  # windows starting at 0, 4, 8
    np.testing.assert_allclose(peak[0, :, 0], [8.0, 9.0])
    np.testing.assert_allclose(pool_over_windows(lambda w: w[:, 0], clips, 4, 4, 2), [4.0, 0.0])  # (n,) outputs


def test_windows_further_apart_than_their_length_are_refused_at_fit_and_predict(fitted, ragged):
    X, y = ragged
    message = r"window_hop=2500 is longer than window=2000: the 500 samples \(frames\) between two windows would never"
    with pytest.raises(ValueError, match=message):
        tiny_classifier(window=WINDOW, window_hop=WINDOW + 500).fit(X, y)
    model = fitted.set_params(window_hop=WINDOW + 500)  # set after fit: refused before anything is predicted
    try:
        with pytest.raises(ValueError, match=message):
            model.predict_proba(X[:2])
    finally:
        model.set_params(window_hop=None)
    assert tiny_classifier(window=WINDOW, window_hop=WINDOW)._hop() == WINDOW  # abutting windows hear everything


def test_min_steps_counts_the_training_windows_not_the_clips(ragged):
    X, y = ragged
    n_windows = sum(len(index) for _, index in window_blocks(X, WINDOW, WINDOW, 4096, None))
    batches = -(-n_windows // 16)  # tiny_classifier's batches of 16
    assert batches > -(-len(X) // 16)  # counting clips would ask for more epochs
    front_end = MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=80, n_mels=40)
    clf = tiny_classifier(front_end=front_end, window=WINDOW, epochs=1, min_steps=2 * batches).fit(X, y)
    assert len(clf.history_["loss"]) == 2
