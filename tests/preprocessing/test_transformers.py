"""Behaviour of FixedLength, FeatureScaler and parameter validation."""

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline

from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength, Spectrogram


# ---------------------------------------------------------------- FixedLength
@pytest.mark.parametrize(
    "align, expected",
    [("left", [1, 2, 3, 0, 0]), ("center", [0, 1, 2, 3, 0]), ("right", [0, 0, 1, 2, 3])],
)
def test_fixed_length_pads_short_clips_by_alignment(align, expected):
    out = FixedLength(length=5, align=align).fit_transform([np.array([1.0, 2.0, 3.0])])
    np.testing.assert_array_equal(out[0], expected)


@pytest.mark.parametrize("align, expected", [("left", [0, 1, 2]), ("center", [1, 2, 3]), ("right", [2, 3, 4])])
def test_fixed_length_trims_long_clips_by_alignment(align, expected):
    out = FixedLength(length=3, align=align).fit_transform(np.arange(5.0)[None])
    np.testing.assert_array_equal(out[0], expected)


def test_fixed_length_pad_modes():
    out = FixedLength(length=5, pad_mode="wrap").fit_transform([np.array([1.0, 2.0])])
    np.testing.assert_array_equal(out[0], [1, 2, 1, 2, 1])
    out = FixedLength(length=4, pad_mode="edge").fit_transform([np.array([1.0, 2.0])])
    np.testing.assert_array_equal(out[0], [1, 2, 2, 2])


def test_fixed_length_duration_and_learned_length():
    clips = [np.ones(300), np.ones(1000), np.ones(50)]
    assert FixedLength(duration=0.1, sr=8000).fit_transform(clips).shape == (3, 800)
    fl = FixedLength().fit(clips)
    assert fl.length_ == 1000
    assert fl.transform([np.ones(2000)]).shape == (1, 1000)


def test_fixed_length_on_feature_sequences():
    seqs = [np.ones((3, 4)), np.full((7, 4), 2.0)]
    out = FixedLength(length=5).fit_transform(seqs)
    assert out.shape == (2, 5, 4)
    np.testing.assert_array_equal(out[0, 3:], 0)
    np.testing.assert_array_equal(out[1], 2.0)
    assert FixedLength(length=5, align="center").fit_transform(np.ones((2, 9, 4))).shape == (2, 5, 4)


def test_fixed_length_then_mfcc_equals_mfcc_then_fixed_length_on_frames():
    rng = np.random.default_rng(0)
    clips = [rng.standard_normal(n).astype(np.float32) for n in (4096, 4096)]
    a = make_pipeline(FixedLength(length=4096), MFCC(sr=8000, n_fft=256, hop_length=128)).fit_transform(clips)
    b = make_pipeline(MFCC(sr=8000, n_fft=256, hop_length=128), FixedLength()).fit_transform(clips)
    np.testing.assert_allclose(a, b, atol=1e-4)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(length=-1), r"length must be an int > 0, got -1"),  # a slice to -1 would drop one sample
        (dict(length=0), r"length must be an int > 0, got 0"),  # an empty clip
        (dict(length=2.5), r"length must be an int > 0, got 2\.5"),
        (dict(length=3, align="middle"), r"align must be 'left', 'center' or 'right', got 'middle'"),
    ],
)
def test_fit_length_names_a_bad_parameter(kwargs, match):
    from skaudio.preprocessing import fit_length

    with pytest.raises(ValueError, match=match):
        fit_length(np.arange(5.0), **kwargs)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(length=10, duration=1.0, sr=10), "either length"),
        (dict(duration=1.0), "needs sr"),
        (dict(length=0), "length"),
        (dict(length=5, align="middle"), "align"),
        (dict(length=5, pad_mode="bogus"), "pad_mode"),
    ],
)
def test_fixed_length_parameter_errors(params, match):
    with pytest.raises(ValueError, match=match):
        FixedLength(**params).fit([np.ones(3)])


# -------------------------------------------------------------- FeatureScaler
def test_feature_scaler_global_statistics_over_clips_and_frames():
    rng = np.random.default_rng(0)
    X = rng.normal([1.0, -5.0, 100.0], [1.0, 3.0, 10.0], size=(20, 30, 3))
    sc = FeatureScaler().fit(X)
    np.testing.assert_allclose(sc.mean_, X.reshape(-1, 3).mean(0), rtol=1e-6)
    out = sc.transform(X)
    np.testing.assert_allclose(out.reshape(-1, 3).std(0), 1, atol=1e-4)
    np.testing.assert_allclose(sc.inverse_transform(out), X, rtol=1e-4, atol=1e-3)


def test_feature_scaler_ragged_uses_every_frame_once():
    seqs = [np.zeros((1, 2)), np.full((3, 2), 4.0)]
    sc = FeatureScaler().fit(seqs)
    np.testing.assert_allclose(sc.mean_, [3.0, 3.0])
    out = sc.transform(seqs)
    assert isinstance(out, list) and out[1].shape == (3, 2)


def test_feature_scaler_per_clip_is_cmvn():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(3, 40, 5)) * np.array([1, 10, 100])[:, None, None] + 7
    out = FeatureScaler(per_clip=True).fit_transform(X)
    np.testing.assert_allclose(out.mean(axis=1), 0, atol=1e-5)
    np.testing.assert_allclose(out.std(axis=1), 1, atol=1e-4)
    with pytest.raises(ValueError, match="cannot be inverted"):
        FeatureScaler(per_clip=True).fit(X).inverse_transform(X)


def test_feature_scaler_constant_feature_is_centred_not_divided_by_zero():
    X = np.ones((2, 5, 2))
    X[..., 1] = np.arange(5)
    out = FeatureScaler().fit_transform(X)
    assert np.all(np.isfinite(out)) and np.all(out[..., 0] == 0)


def test_feature_scaler_wrong_feature_count():
    sc = FeatureScaler().fit(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="expecting 4 features"):
        sc.transform(np.zeros((2, 3, 5)))


# ------------------------------------------------------- spectral parameters
@pytest.mark.parametrize(
    "est, match",
    [
        (MFCC(), "sample rate: pass sr"),
        (MFCC(sr=8000, n_fft=0), "n_fft"),
        (MFCC(sr=8000, hop_length=0), "hop_length"),
        (MFCC(sr=8000, n_mfcc=40, n_mels=20), "n_mfcc=40 must be <= n_mels=20"),
        (MFCC(sr=8000, fmax=5000), "fmax=5000 must be <= sr / 2 = 4000"),
        (MFCC(sr=8000, fmin=3000, fmax=2000), "fmin=3000 must be < fmax"),
        (MFCC(sr=8000, n_fft=256, win_length=512), "win_length=512 must be <= n_fft=256"),
        (MFCC(sr=8000, delta_order=3), "delta_order"),
        (Spectrogram(kind="mel"), "sample rate"),
        (Spectrogram(kind="cqt"), "kind"),
        (Spectrogram(sr=8000, power=0), "power"),
        (Spectrogram(sr=8000, top_db=-1), "top_db"),
    ],
)
def test_spectral_parameter_errors_name_the_parameter(est, match):
    with pytest.raises(ValueError, match=match):
        est.fit_transform(np.zeros((1, 1000), dtype=np.float32))


def test_stft_spectrogram_needs_no_sample_rate():
    out = Spectrogram(kind="stft", n_fft=64, hop_length=32).fit_transform(np.ones((2, 320)))
    assert out.shape == (2, 11, 33)


# ---------------------------------------------------------------- bad input
BAD_INPUTS = [
    (np.zeros((0, 100)), ValueError, "0 sample"),
    ([], ValueError, "empty batch"),
    ([np.ones(100), np.ones(0)], ValueError, r"X\[1\] is a zero-length clip"),
    (np.zeros((3, 0)), ValueError, "0 feature"),
    ([np.ones(100), np.array([0.0, np.nan, 1.0])], ValueError, r"X\[1\] contains NaN"),
    (np.vstack([np.ones(50), np.r_[np.ones(49), np.inf]]), ValueError, r"X\[1\] contains NaN or infinite"),
    ([np.ones(100), np.ones(100, dtype=complex)], TypeError, r"X\[1\] is complex"),
    (np.ones((2, 100), dtype=complex), ValueError, "[Cc]omplex"),
    ([np.ones(100), np.array(["a", "b"])], TypeError, r"X\[1\] has dtype <U1"),
    (np.ones(100), ValueError, "Reshape your data"),
    (
        [0.0, 0.5, -0.5] * 30,
        ValueError,
        r"X\[0\] has 0 dimensions .* One clip as a list of numbers\? Put it in a list: \[X\]",
    ),
    ("clip.wav", TypeError, "array-like"),
]
# Valid feature batches for FixedLength, but not waveforms for the spectral steps.
NOT_WAVEFORMS = [
    (np.ones((2, 3, 100)), ValueError, r"3 dimension.* Multichannel recordings .* X\.mean\(axis=1\)"),
    ([np.ones((2, 50))], ValueError, r"X\[0\] has 2 dimensions"),
]


@pytest.mark.parametrize("est", [MFCC(sr=8000, n_fft=64), Spectrogram(sr=8000, n_fft=64)])
@pytest.mark.parametrize("X, error, match", BAD_INPUTS + NOT_WAVEFORMS)
def test_bad_waveforms_raise_clear_errors(est, X, error, match):
    with pytest.raises(error, match=match):
        est.fit_transform(X)


@pytest.mark.parametrize("X, error, match", BAD_INPUTS)
def test_fixed_length_bad_input(X, error, match):
    with pytest.raises(error, match=match):
        FixedLength(length=10).fit_transform(X)


@pytest.mark.parametrize(
    "X, match",
    [
        ([np.ones((3, 4)), np.ones((3, 5))], r"X\[1\] has 5 features but X\[0\] has 4"),
        ([np.ones((3, 4)), np.full((2, 4), np.nan)], r"X\[1\] contains NaN"),
        (np.ones((2, 3)), "3 dimension|2 dimension"),
    ],
)
def test_feature_batch_errors(X, match):
    with pytest.raises(ValueError, match=match):
        FeatureScaler(per_clip=True).fit_transform(X)


def test_int_pcm_scaled_to_unit_range():
    pcm = np.array([[-32768, 0, 16384, 32767]], dtype=np.int16)
    out = FixedLength(length=4).fit_transform(pcm)
    np.testing.assert_allclose(out[0], [-1.0, 0.0, 0.5, 32767 / 32768])
    out32 = FixedLength(length=2).fit_transform([np.array([-(2**31), 2**30], dtype=np.int32)])
    np.testing.assert_allclose(out32[0], [-1.0, 0.5])
    assert out.dtype == np.float32


# ------------------------------------------------------------ review fixes
def test_concurrent_transforms_leave_blas_threads_as_they_were():
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_info

    before = [pool["num_threads"] for pool in threadpool_info()]
    X = np.random.default_rng(0).standard_normal((200, 2000)).astype(np.float32)
    mfcc = MFCC(sr=8000, n_fft=256, hop_length=128)
    with ThreadPoolExecutor(3) as pool:
        outs = list(pool.map(mfcc.transform, [X, X, X]))
    assert [pool["num_threads"] for pool in threadpool_info()] == before
    np.testing.assert_array_equal(outs[0], outs[2])


def test_uncentred_frames_need_a_full_window():
    with pytest.raises(ValueError, match=r"X\[1\] has 100 samples, fewer than n_fft=256.*center=False"):
        Spectrogram(sr=8000, n_fft=256, center=False).fit_transform([np.ones(500), np.ones(100)])


def test_object_array_of_clips_is_a_ragged_batch():
    clips = np.empty(2, dtype=object)
    clips[0], clips[1] = np.ones(300), np.ones(500)
    out = MFCC(sr=8000, n_fft=128, hop_length=64).fit_transform(clips)
    assert [o.shape[0] for o in out] == [5, 8]


def test_fixed_length_refuses_seconds_for_frames_and_mixed_kinds():
    with pytest.raises(ValueError, match="give length in frames"):
        FixedLength(duration=1.0, sr=8000).fit(np.zeros((2, 30, 4)))
    fl = FixedLength(length=10).fit(np.zeros((2, 30)))
    with pytest.raises(ValueError, match="fitted on waveforms but transform got features"):
        fl.transform(np.zeros((2, 30, 4)))


def test_feature_batch_without_frames_or_features_is_refused():
    with pytest.raises(ValueError, match="zero frames"):
        FeatureScaler().fit(np.zeros((3, 0, 4)))
    with pytest.raises(ValueError, match=r"X has zero features per frame \(shape \(2, 3, 0\)\)"):
        FeatureScaler().fit(np.ones((2, 3, 0)))
    with pytest.raises(ValueError, match=r"X has zero features per frame \(X\[0\] has shape \(3, 0\)\)"):
        FeatureScaler().fit([np.ones((3, 0)), np.ones((4, 0))])


def test_integer_features_keep_their_values():
    # features are not PCM samples: counts or quantised values are scaled by their own statistics only
    X = np.stack([np.full((3, 4), 50), np.full((3, 4), 100)]).astype(np.int16)
    scaler = FeatureScaler().fit(X)
    np.testing.assert_allclose(scaler.mean_, 75.0)
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(X)), X, rtol=1e-6)
    padded = FixedLength(length=5).fit_transform(X)
    assert padded.dtype == np.float32 and padded[1, 0, 0] == 100.0


def test_empty_pad_mode_is_not_offered():
    with pytest.raises(ValueError, match="pad_mode"):
        Spectrogram(sr=8000, pad_mode="empty").fit_transform(np.ones((1, 1000)))


def test_feature_scaler_names_its_features_one_to_one():
    import pandas as pd
    from sklearn.compose import ColumnTransformer

    assert FeatureScaler().fit(np.ones((2, 5, 3))).get_feature_names_out().tolist() == ["x0", "x1", "x2"]
    table = pd.DataFrame({"rms": [1.0, 2.0, 4.0], "centroid": [3.0, 4.0, 6.0], "label": ["a", "b", "a"]})
    columns = ColumnTransformer([("scaled", FeatureScaler(), ["rms", "centroid"])]).fit(table)
    assert columns.get_feature_names_out().tolist() == ["scaled__rms", "scaled__centroid"]


def test_multichannel_clips_taken_for_frames_get_a_hint():
    # AudioLoader(mono=False) gives (n_channels, n_samples): as frame sequences they fail, and the message says why
    for clips in ([np.ones((2, 700)), np.ones((2, 900))], [np.ones((2, 700)), np.ones((2, 700))]):
        with pytest.raises(ValueError, match=r"A multichannel recording \(n_channels, n_samples\)\? Mix it to mono"):
            FixedLength(duration=0.1, sr=8000).fit(clips)
    with pytest.raises(ValueError, match=r"give length in frames instead .*step\)\.$"):
        FixedLength(duration=0.1, sr=8000).fit(np.zeros((2, 30, 4)))  # frames by features: no hint


def test_fixed_length_takes_a_pandas_series_of_clips_whatever_its_index():
    # a Series of clips (as sktime and DataFrame columns hold audio) is a ragged batch; its labels are not positions
    import pandas as pd

    waveforms = pd.Series([np.ones(3), np.ones(6)], index=["dog_1", "cat_7"])
    assert FixedLength().fit_transform(waveforms).shape == (2, 6)
    frames = pd.Series([np.ones((3, 4)), np.ones((5, 4))], index=[10, 20])
    assert FixedLength(length=4).fit_transform(frames).shape == (2, 4, 4)


def test_feature_scaler_fitted_on_a_dataframe_keeps_its_column_names():
    import pandas as pd

    table = pd.DataFrame({"rms": [1.0, 2.0, 4.0], "centroid": [3.0, 4.0, 6.0]})
    scaler = FeatureScaler().fit(table)
    assert scaler.feature_names_in_.tolist() == ["rms", "centroid"]
    assert scaler.get_feature_names_out().tolist() == ["rms", "centroid"]
    with pytest.raises(ValueError, match="same order as they were in fit"):
        scaler.transform(table[["centroid", "rms"]])  # columns swapped: scaled with each other's statistics
