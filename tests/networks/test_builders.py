"""The Keras builders: the article's architectures by default, options that build."""

import numpy as np
import pytest

from skaudio.networks import (
    Cepstrum,
    RandomFeatureShift,
    RandomGain,
    RandomMix,
    RandomNoise,
    RandomTimeShift,
    RandomTimeStretch,
    SpecAugment,
    augmentation_layers,
    build_cnn1d_classifier,
    build_cnn1d_denoiser,
    build_crnn_event_detector,
    build_stft_mask_denoiser,
)


def _summary(model):
    return [(type(layer).__name__, layer.output.shape[1:]) for layer in model.layers[1:]]


def test_classifier_default_is_the_article_network():
    model = build_cnn1d_classifier((63, 20), 10)
    assert _summary(model) == [
        ("Conv1D", (61, 32)),
        ("MaxPooling1D", (30, 32)),
        ("Conv1D", (28, 64)),
        ("MaxPooling1D", (14, 64)),
        ("Flatten", (896,)),
        ("Dense", (128,)),
        ("Dense", (10,)),
    ]
    conv1 = 3 * 20 * 32 + 32
    conv2 = 3 * 32 * 64 + 64
    dense = 896 * 128 + 128
    out = 128 * 10 + 10
    assert model.count_params() == conv1 + conv2 + dense + out
    assert model.layers[1].activation.__name__ == "relu"
    assert model.layers[-1].activation.__name__ == "softmax"


def test_event_detector_default_is_the_article_network():
    model = build_crnn_event_detector((100, 40), 1)
    assert _summary(model) == [
        ("Conv1D", (96, 32)),
        ("MaxPooling1D", (48, 32)),
        ("LSTM", (64,)),
        ("Dense", (1,)),
    ]
    conv = 5 * 40 * 32 + 32
    lstm = 4 * (64 * (32 + 64) + 64)
    assert model.count_params() == conv + lstm + 64 + 1
    assert model.layers[-1].activation.__name__ == "sigmoid"


def test_denoiser_default_is_the_article_network():
    model = build_cnn1d_denoiser()
    kinds = [type(layer).__name__ for layer in model.layers[1:]]
    assert kinds == [
        "Conv1D",
        "BatchNormalization",
        "ReLU",
        "Conv1D",
        "BatchNormalization",
        "ReLU",
        "Conv1D",
        "SqueezeChannels",
    ]
    conv1 = 3 * 1 * 64  # no bias: BatchNormalization's shift replaces it
    conv2 = 3 * 64 * 64
    bn = 4 * 64
    out = 3 * 64 + 1
    assert model.count_params() == conv1 + conv2 + 2 * bn + out
    for n in (100, 1234):
        assert model(np.zeros((2, n, 1), "float32")).shape == (2, n)


def test_classifier_options_build():
    model = build_cnn1d_classifier(
        (101, 40),
        5,
        filters=(16, 16, 32),
        kernel_size=(5, 3, 3),
        pool_size=(2, 2, 1),
        padding="same",
        batch_norm=True,
        residual=True,
        dilation=(1, 2, 4),
        dropout=0.3,
        global_pooling="avg",
        dense_units=None,
        augmentation=augmentation_layers(
            time_shift=0.1, feature_shift=2, spec_augment={"time_masks": 1}, noise_std=0.1, seed=0
        ),
    )
    names = [layer.name for layer in model.layers]
    assert "global_avg_pool" in names and "flatten" not in names
    assert any("add" in name for name in names) and any("bn" in name for name in names)
    assert model.output_shape == (None, 5)
    assert {"augment_time_shift", "augment_feature_shift", "augment_spec", "augment_noise"} <= set(names)


def test_classifier_avgmax_pooling_concatenates_the_mean_and_the_maximum_over_time():
    import keras

    model = build_cnn1d_classifier(
        (30, 4), 3, filters=(6, 5), padding="same", global_pooling="avgmax", dense_units=None
    )
    x = np.random.default_rng(0).normal(size=(2, 30, 4)).astype("float32")
    features = np.asarray(keras.Model(model.input, model.get_layer("global_avg_max_pool").output)(x))
    last_map = np.asarray(keras.Model(model.input, model.get_layer("block2_pool").output)(x))
    np.testing.assert_allclose(
        features, np.concatenate([last_map.mean(axis=1), last_map.max(axis=1)], axis=1), rtol=1e-5
    )


def test_classifier_conv2d_blocks_find_a_pattern_in_any_band():
    """The 2D kernels are shared across bins: a patch moved up by 4 bins moves their output up by 2 pooled bins."""
    import keras

    model = build_cnn1d_classifier((20, 16), 3, conv2d_filters=(4,), filters=(6,), padding="same", global_pooling="avg")
    assert model.get_layer("conv2d_frames").output.shape[1:] == (20, 8 * 4)
    rng = np.random.default_rng(0)
    patch = rng.normal(size=(6, 4)).astype("float32")
    low, high = np.zeros((2, 1, 20, 16), "float32")
    low[0, 7:13, 4:8] = patch
    high[0, 7:13, 8:12] = patch
    maps = keras.Model(model.input, model.get_layer("conv2d_frames").output)
    low_maps, high_maps = (np.asarray(maps(x)).reshape(20, 8, 4) for x in (low, high))
    np.testing.assert_allclose(high_maps[:, 3:7], low_maps[:, 1:5], rtol=1e-5, atol=1e-6)
    assert not np.allclose(high_maps, low_maps)


def test_classifier_frequency_max_sees_a_pattern_in_any_band_alike():
    """With frequency_pooling="max" the 1D blocks get each filter's maximum over the bands:
    a patch moved up by 4 bins (2 pooled bins) gives them the same input."""
    import keras

    model = build_cnn1d_classifier(
        (20, 16), 3, conv2d_filters=(4,), frequency_pooling="max", filters=(6,), padding="same", global_pooling="avg"
    )
    frames = keras.Model(model.input, model.get_layer("conv2d_frames").output)
    pooled = keras.Model(model.input, model.get_layer("conv2d1_pool").output)
    assert frames.output.shape[1:] == (20, 4)  # one value per filter and frame, whatever the number of bands
    rng = np.random.default_rng(0)
    patch = rng.normal(size=(6, 4)).astype("float32")
    low, high = np.zeros((2, 1, 20, 16), "float32")
    low[0, 7:13, 4:8] = patch
    high[0, 7:13, 8:12] = patch
    np.testing.assert_allclose(np.asarray(frames(low))[0], np.asarray(pooled(low))[0].max(axis=1), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(frames(high)), np.asarray(frames(low)), rtol=1e-5, atol=1e-6)
    # the flattened default keeps where the patch was
    flat = build_cnn1d_classifier((20, 16), 3, conv2d_filters=(4,), filters=(6,), padding="same")
    flat_frames = keras.Model(flat.input, flat.get_layer("conv2d_frames").output)
    assert not np.allclose(np.asarray(flat_frames(high)), np.asarray(flat_frames(low)))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(filters=(8, 8), n_layers=3), "filters has 2 values but n_layers=3"),
        (dict(frequency_pooling="max"), "frequency_pooling='max' pools the 2D blocks' output: set conv2d_filters"),
        (dict(frequency_pooling="mean"), "frequency_pooling must be 'flatten' or 'max', got 'mean'"),
        (dict(residual=True), "residual=True needs padding='same'"),
        (dict(global_pooling="mean"), "global_pooling"),
        (dict(filters=(8, 8, 8, 8, 8)), "too short"),
        (dict(conv2d_filters=(4, 4, 4)), "the input has 4 features per frame, fewer than 8"),
        (dict(conv2d_filters=4, cepstral_coefficients=3), "conv2d_filters needs a frequency axis"),
        (dict(conv2d_filters=(4, 0)), "conv2d_filters must be an int >= 0 \\(0: no 2D block\\) or a tuple"),
        (dict(filters=(8, 0)), r"filters must be an int >= 1 or a tuple of them \(one per block\), got \(8, 0\)"),
        (dict(filters=2.5), "filters must be an int >= 1 .* got 2.5"),
        (dict(filters=()), r"filters=\(\) gives no block"),
        (dict(kernel_size=0), "kernel_size must be an int >= 1 .* got 0"),
        (dict(pool_size=(2, 0)), r"pool_size must be an int >= 1 .* got \(2, 0\)"),
        (dict(dilation=-1), "dilation must be an int >= 1 .* got -1"),
        (dict(n_layers=0, filters=8), "n_layers must be an int >= 1, got 0"),
        (dict(kernel_size=30), "The input of 20 frames is too short .* block 1 gets 20 frames and needs 31"),
        (dict(dropout=1.0), r"dropout must be a number in \[0.0, 1.0\), got 1.0"),
        (dict(dropout=-0.1), r"dropout must be a number in \[0.0, 1.0\), got -0.1"),
        (dict(padding="causal"), "padding must be one of \\('valid', 'same'\\), got 'causal'"),
        (dict(dense_units=0), "dense_units must be None, an int >= 1 or a tuple of them"),
        (dict(dense_units=(16, -1)), r"dense_units .* got \(16, -1\)"),
        (dict(cepstral_coefficients=-1), "cepstral_coefficients must be an int >= 1, got -1"),
    ],
)
def test_classifier_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        build_cnn1d_classifier((20, 4), 3, **kwargs)


@pytest.mark.parametrize(
    "input_shape, n_classes, kwargs, match",
    [
        ((20, 4), 1, {}, "n_classes must be an int >= 2, got 1"),
        ((20,), 3, {}, r"input_shape must be \(n_frames, n_features\) for features, got \(20,\)"),
        ((None, 4), 3, {}, "global_pooling=None flattens .* input_shape=\\(None, 4\\) leaves it unknown"),
    ],
)
def test_classifier_bad_shapes(input_shape, n_classes, kwargs, match):
    with pytest.raises(ValueError, match=match):
        build_cnn1d_classifier(input_shape, n_classes, **kwargs)
    # any length is fine once the head pools over time
    if input_shape == (None, 4):
        assert build_cnn1d_classifier(input_shape, n_classes, global_pooling="avg").output_shape == (None, 3)


def test_event_detector_conv2d_blocks_keep_every_frame_and_pool_over_the_bands():
    """The 2D blocks pool only frequency, so frame timing is unchanged at any length; with "max",
    a pattern moved up by 4 bins gives the same frame probabilities."""
    from skaudio.networks import frame_timing

    timing = dict(filters=(6, 6), kernel_size=3, pool_size=(2, 1), padding="same")
    model = build_crnn_event_detector(
        (None, 16),
        2,
        **timing,
        conv2d_filters=(4, 4),
        frequency_pooling="max",
        lstm_units=5,
        temporal_pooling="attention",
        frame_output=True,
    )
    stride, offset = frame_timing(**timing)
    assert (stride, offset) == (2, 0.5)
    rng = np.random.default_rng(0)
    patch = rng.normal(size=(6, 4)).astype("float32")
    low, high = np.zeros((2, 1, 40, 16), "float32")
    low[0, 17:23, 4:8] = patch
    high[0, 17:23, 8:12] = patch
    low_frames, high_frames = (np.asarray(model(x)[1]) for x in (low, high))
    assert low_frames.shape == (1, 40 // stride, 2)
    np.testing.assert_allclose(high_frames, low_frames, rtol=1e-5, atol=1e-6)
    assert np.asarray(model(np.zeros((1, 37, 16), "float32"))[1]).shape == (1, 18, 2)
    flat = build_crnn_event_detector((40, 16), 2, **timing, conv2d_filters=(4, 4), temporal_pooling="attention")
    assert not np.allclose(np.asarray(flat(high)), np.asarray(flat(low)))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(frequency_pooling="max"), "frequency_pooling='max' pools the 2D blocks' output: set conv2d_filters"),
        (dict(conv2d_filters=(4, 4, 4)), "the input has 4 features per frame, fewer than 8"),
        (dict(conv2d_filters=(4, 0)), "conv2d_filters must be an int >= 0 \\(0: no 2D block\\) or a tuple"),
    ],
)
def test_event_detector_bad_2d_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        build_crnn_event_detector((20, 4), 3, temporal_pooling="attention", **kwargs)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(kernel_size=21), "The input of 20 frames is too short .* block 1 gets 20 frames and needs 22"),
        (dict(pool_size=30), "The input of 20 frames is too short .* block 1 gets 20 frames and needs 34"),
        (dict(filters=(4, 4), padding="same", pool_size=(8, 4)), "block 2 gets 2 frames and needs 4"),
        (dict(filters=0), "filters must be an int >= 1 .* got 0"),
        (dict(dropout=1.0), r"dropout must be a number in \[0.0, 1.0\), got 1.0"),
        (dict(padding="causal"), "padding must be one of \\('valid', 'same'\\), got 'causal'"),
        (dict(lstm_units=0), "lstm_units must be an int >= 1, got 0"),
    ],
)
def test_event_detector_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        build_crnn_event_detector((20, 4), 2, **kwargs)


def test_event_detector_bad_outputs_and_timing_settings():
    from skaudio.networks import frame_timing, output_frames

    with pytest.raises(ValueError, match="n_outputs must be an int >= 1, got 0"):
        build_crnn_event_detector((20, 4), 0)
    # the timing of the blocks is known for "valid" and "same" only
    with pytest.raises(ValueError, match="padding must be one of"):
        frame_timing(padding="causal")
    with pytest.raises(ValueError, match="pool_size must be an int >= 1 .* got 0"):
        output_frames(100, pool_size=0)
    assert output_frames(100, filters=(4, 4), pool_size=(2, 2), padding="same") == 25


@pytest.mark.parametrize(
    "build, kwargs, match",
    [
        (build_cnn1d_denoiser, dict(n_layers=0), "n_layers must be an int >= 1, got 0"),
        (build_cnn1d_denoiser, dict(filters=(8, 0)), r"filters must be an int >= 1 .* got \(8, 0\)"),
        (build_cnn1d_denoiser, dict(dropout=1.0), r"dropout must be a number in \[0.0, 1.0\), got 1.0"),
        (build_stft_mask_denoiser, dict(n_layers=0, dilation=1), "n_layers must be an int >= 1, got 0"),
        (build_stft_mask_denoiser, dict(dropout=2.0), r"dropout must be a number in \[0.0, 1.0\), got 2.0"),
        (build_stft_mask_denoiser, dict(n_fft=256, hop_length=64.5), "hop_length must be an int >= 1, got 64.5"),
        (build_stft_mask_denoiser, dict(n_fft=256, hop_length=0), "hop_length must be an int >= 1, got 0"),
    ],
)
def test_denoiser_bad_options(build, kwargs, match):
    with pytest.raises(ValueError, match=match):
        build(**kwargs)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: RandomTimeShift(1.5), r"max_shift must be a number in \[0.0, 1.0\), got 1.5"),
        (lambda: RandomTimeShift(-0.1), r"max_shift must be a number in \[0.0, 1.0\), got -0.1"),
        (lambda: RandomTimeStretch(1.0), r"max_stretch must be a number in \[0.0, 1.0\), got 1.0"),
        (lambda: RandomGain(-3.0), "max_db must be a number >= 0.0, got -3.0"),
        (lambda: RandomNoise((10,)), r"snr_db must be \(low, high\) in dB, got \(10,\)"),
        (lambda: RandomFeatureShift(-1), "max_shift must be an int >= 0, got -1"),
        (lambda: SpecAugment(time_width=0), "time_width must be an int >= 1, got 0"),
        (lambda: SpecAugment(freq_masks=-1), "freq_masks must be an int >= 0, got -1"),
        (lambda: Cepstrum(0), "n_coefficients must be an int >= 1, got 0"),
    ],
)
def test_layer_settings_that_cannot_work_are_named(make, match):
    """Refused when made, not when first called in training: a stretch factor <= 0 divides by zero or plays
    the example backwards, a shift of the whole example zeroes it, a negative gain or shift would do nothing."""
    with pytest.raises(ValueError, match=match):
        make()


def test_augmentation_is_identity_at_inference_and_random_in_training():
    x = np.random.default_rng(0).normal(size=(8, 50, 12)).astype("float32")
    for layer in (
        RandomTimeShift(0.2, seed=1),
        RandomTimeStretch(0.2, seed=1),
        RandomFeatureShift(3, seed=1),
        SpecAugment(seed=1),
    ):
        np.testing.assert_array_equal(np.asarray(layer(x, training=False)), x)
        out = np.asarray(layer(x, training=True))
        assert out.shape == x.shape and not np.allclose(out, x)


def test_random_mix_adds_the_previous_example_of_the_batch_at_the_drawn_level():
    t = np.arange(4000) / 8000
    frequencies = np.linspace(200, 3000, 64)
    levels = np.geomspace(0.01, 1.0, 64)  # loud and quiet examples alike
    x = (levels[:, None] * np.sin(2 * np.pi * frequencies[:, None] * t))[:, :, None].astype("float32")
    x[5] = 0.0  # a silent example: the one after it gets nothing, it gets nothing audible
    mix = RandomMix((6, 20), seed=0)
    np.testing.assert_array_equal(np.asarray(mix(x, training=False)), x)
    added = (np.asarray(mix(x, training=True)) - x)[..., 0]
    partner = np.roll(x, 1, axis=0)[..., 0]
    scale = (added * partner).sum(axis=1) / np.maximum((partner**2).sum(axis=1), 1e-30)
    np.testing.assert_allclose(added, scale[:, None] * partner, atol=1e-6)  # the partner, nothing else
    loud = np.flatnonzero((np.arange(64) != 5) & (np.arange(64) != 6))
    snr_db = 10 * np.log10(np.mean(x[loud, :, 0] ** 2, axis=1) / np.mean(added[loud] ** 2, axis=1))
    assert np.all((snr_db > 5.9) & (snr_db < 20.1)) and np.ptp(snr_db) > 5
    assert np.all(added[5] == 0) and np.all(added[6] == 0)  # silent example, silent partner
    # the probability: about half of a batch untouched
    batch = np.repeat(x[10:12], 200, axis=0)
    untouched = np.all(np.asarray(RandomMix((10, 10), 0.5, seed=1)(batch, training=True)) == batch, axis=(1, 2))
    assert 0.4 < untouched.mean() < 0.6
    for kwargs, match in [
        (dict(snr_db=(20, 6)), "low <= high"),
        (dict(snr_db=(6, 20), probability=1.5), r"probability must be in \[0, 1\]"),
    ]:
        with pytest.raises(ValueError, match=match):
            RandomMix(**kwargs)


def test_time_shift_moves_content_and_fills_zeros():
    x = np.zeros((64, 20, 1), "float32")
    x[:, 10] = 1.0
    out = np.asarray(RandomTimeShift(0.25, seed=0)(x, training=True))[..., 0]
    peaks = out.argmax(axis=1)
    assert set(np.unique(out)) <= {0.0, 1.0} and np.all(out.sum(axis=1) == 1)
    assert peaks.min() >= 5 and peaks.max() <= 15 and len(set(peaks)) > 3


def test_spec_augment_masks_whole_frames_and_bands():
    x = np.ones((16, 40, 20), "float32")
    out = np.asarray(SpecAugment(time_masks=1, time_width=5, freq_masks=1, freq_width=3, seed=0)(x, training=True))
    zero_frames = (out == 0).all(axis=2).sum(axis=1)
    zero_bands = (out == 0).all(axis=1).sum(axis=1)
    assert zero_frames.max() <= 5 and zero_bands.max() <= 3 and zero_frames.sum() + zero_bands.sum() > 0


def test_time_stretch_changes_duration_about_the_centre():
    x = np.zeros((64, 41, 1), "float32")
    x[:, 15:26] = 1.0  # an 11-frame event centred in the window
    out = np.asarray(RandomTimeStretch(0.3, seed=0)(x, training=True))[..., 0]
    durations = out.sum(axis=1)
    assert durations.min() < 10 and durations.max() > 12  # both compressed and stretched
    assert np.all(np.abs(durations - 11) <= 11 * 0.3 + 1.5)
    centres = (out * np.arange(41)).sum(axis=1) / durations
    np.testing.assert_allclose(centres, 20, atol=0.5)


def test_stft_layers_invert_exactly_at_any_length():
    from skaudio.networks._spectral_layers import STFT, MaskedISTFT

    for n in (77, 1000, 1001):
        x = np.random.default_rng(n).standard_normal((2, n)).astype("float32")
        spectrum = STFT(256, 64)(x)
        ones = np.ones(spectrum.shape[:-1], "float32")
        np.testing.assert_allclose(np.asarray(MaskedISTFT(256, 64)([spectrum, ones, x])), x, atol=1e-5)
        zero_correction = np.zeros(spectrum.shape, "float32")  # complex mask: identity
        np.testing.assert_allclose(np.asarray(MaskedISTFT(256, 64)([spectrum, zero_correction, x])), x, atol=1e-5)


@pytest.mark.parametrize("hop_length", [256, 300])
def test_stft_mask_denoiser_needs_overlapping_frames(hop_length):
    from skaudio.models import CNN1DDenoiser

    message = f"hop_length={hop_length} must be less than n_fft=256"
    with pytest.raises(ValueError, match=message):
        build_stft_mask_denoiser(n_fft=256, hop_length=hop_length, filters=4)
    if hop_length == 256:  # the estimator refuses it before building
        x = np.random.default_rng(0).standard_normal((2, 1000)).astype("float32")
        with pytest.raises(ValueError, match=r"hop_length \(256\) must be less than n_fft \(256\)"):
            CNN1DDenoiser(domain="stft", n_fft=256, hop_length=256, filters=4, n_layers=1, epochs=1).fit(x, x)
    build_stft_mask_denoiser(n_fft=256, hop_length=255, filters=4)


def test_complex_mask_denoiser_starts_as_identity():
    x = np.random.default_rng(0).standard_normal((2, 900, 1)).astype("float32")
    model = build_stft_mask_denoiser(filters=8, n_layers=2, dilation=1, mask="complex")
    np.testing.assert_allclose(np.asarray(model(x)), x[..., 0], atol=1e-5)


def test_stft_mask_denoiser_lstm_follows_the_convolutions_and_keeps_any_length():
    plain = build_stft_mask_denoiser(filters=16, n_layers=2, dilation=1)
    with_lstm = build_stft_mask_denoiser(filters=16, n_layers=2, dilation=1, lstm_units=8)
    bilstm = with_lstm.get_layer("bilstm")
    assert bilstm.output.shape[-1] == 16  # 8 units each way, one vector per frame
    assert bilstm.count_params() == 2 * 4 * (8 * (16 + 8) + 8)  # two LSTMs, four gates each
    # 2 x 8 outputs feed the mask as the 16 filters did: the LSTM is the only addition
    assert with_lstm.count_params() - plain.count_params() == bilstm.count_params()
    for n in (500, 1733):
        x = np.random.default_rng(n).standard_normal((2, n, 1)).astype("float32")
        assert tuple(with_lstm(x).shape) == (2, n)


def test_stft_mask_denoiser_stacks_one_bidirectional_lstm_per_entry_of_a_tuple():
    stacked = build_stft_mask_denoiser(filters=16, n_layers=2, dilation=1, lstm_units=(8, 4))
    first, second = stacked.get_layer("bilstm"), stacked.get_layer("bilstm2")
    assert first.output.shape[-1] == 16 and second.output.shape[-1] == 8
    assert second.count_params() == 2 * 4 * (4 * (16 + 4) + 4)  # fed by the first's 2 x 8 outputs
    assert tuple(stacked(np.zeros((1, 700, 1), "float32")).shape) == (1, 700)
    for bad in ((8, 0), (8, -2), (8, 2.5), True):
        with pytest.raises(ValueError, match="lstm_units must be"):
            build_stft_mask_denoiser(filters=16, n_layers=2, dilation=1, lstm_units=bad)


def test_stft_mask_denoiser_frequency_convolutions_halve_then_dilate_the_frequency_axis():
    plain = build_stft_mask_denoiser(filters=16, n_layers=2, dilation=1)
    model = build_stft_mask_denoiser(filters=16, n_layers=2, dilation=1, frequency_filters=(4, 6, 5))
    first, second, third = (model.get_layer(f"frequency_conv{i}") for i in (1, 2, 3))
    assert first.output.shape[2:] == (129, 4)  # every bin of n_fft=256
    assert second.output.shape[2:] == (65, 6) and second.strides == (1, 2)
    assert third.output.shape[2:] == (65, 5) and third.dilation_rate == (1, 2)
    assert model.get_layer("frequency_features").output.shape[-1] == 65 * 5
    # a projection of the 65 x 5 maps onto the 16 filters is added; nothing else changed
    convolutions = sum(layer.count_params() for layer in (first, second, third))
    assert convolutions == (15 * 1 + 1) * 4 + (15 * 4 + 1) * 6 + (15 * 6 + 1) * 5
    assert model.count_params() - plain.count_params() == convolutions + 65 * 5 * 16
    # that projection starts at zero: with the plain network's weights, the output is the plain network's
    for layer in plain.layers:
        model.get_layer(layer.name).set_weights(layer.get_weights())
    x = np.random.default_rng(1).standard_normal((2, 900, 1)).astype("float32")
    np.testing.assert_allclose(np.asarray(model(x)), np.asarray(plain(x)), atol=1e-6)
    for n in (500, 1733):
        x = np.random.default_rng(n).standard_normal((2, n, 1)).astype("float32")
        assert tuple(model(x).shape) == (2, n)
    one = build_stft_mask_denoiser(filters=16, n_layers=2, dilation=1, frequency_filters=3)
    assert one.get_layer("frequency_features").output.shape[-1] == 129 * 3  # a single layer keeps every bin
    for bad in ((8, 0), -1, 2.5, False, "16"):
        with pytest.raises(ValueError, match="frequency_filters must be"):
            build_stft_mask_denoiser(filters=16, n_layers=2, dilation=1, frequency_filters=bad)


@pytest.mark.parametrize("frequency_filters, local_channels", [((4, 6), 4), (0, 1)])
def test_stft_mask_refinement_sees_logits_and_local_maps_bin_by_bin_and_starts_at_zero(
    frequency_filters, local_channels
):
    settings = dict(filters=16, n_layers=2, dilation=1, frequency_filters=frequency_filters)
    plain = build_stft_mask_denoiser(**settings)
    model = build_stft_mask_denoiser(**settings, refinement_filters=(5, 3))
    # the logits (1 channel) beside the first 2D maps, or the log-magnitude without them, at every bin
    assert model.get_layer("refinement_input").output.shape[2:] == (129, 1 + local_channels)
    first, second = model.get_layer("refinement_conv1"), model.get_layer("refinement_conv2")
    output = model.get_layer("refinement_output")
    assert first.output.shape[2:] == (129, 5) and second.output.shape[2:] == (129, 3)
    assert output.output.shape[2:] == (129, 1) and not np.any(output.get_weights()[0])
    added = sum(layer.count_params() for layer in (first, second, output))
    assert added == (15 * (1 + local_channels) + 1) * 5 + (15 * 5 + 1) * 3 + (15 * 3 + 1)
    assert model.count_params() - plain.count_params() == added
    # the zero start: with the plain network's weights (its mask layer is now mask_logits), the same output
    for layer in plain.layers:
        model.get_layer("mask_logits" if layer.name == "mask" else layer.name).set_weights(layer.get_weights())
    x = np.random.default_rng(2).standard_normal((2, 900, 1)).astype("float32")
    np.testing.assert_allclose(np.asarray(model(x)), np.asarray(plain(x)), atol=1e-6)
    # once the correction is not zero, the output moves: the path is connected
    weights = output.get_weights()
    output.set_weights([np.full_like(weights[0], 0.05), weights[1]])
    assert np.max(np.abs(np.asarray(model(x)) - np.asarray(plain(x)))) > 1e-3
    assert tuple(model(np.zeros((1, 1733, 1), "float32")).shape) == (1, 1733)
    for bad in ((8, 0), -1, 2.5, True):
        with pytest.raises(ValueError, match="refinement_filters must be"):
            build_stft_mask_denoiser(filters=16, n_layers=2, dilation=1, refinement_filters=bad)
    with pytest.raises(ValueError, match="refinement_filters=4 refines a magnitude mask; mask='complex' is not one"):
        build_stft_mask_denoiser(filters=16, n_layers=2, dilation=1, mask="complex", refinement_filters=4)
