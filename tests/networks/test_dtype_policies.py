"""Mixed precision and other dtype policies: the features stay float32, the augmentations follow their input."""

from contextlib import contextmanager

import numpy as np
import pytest

from skaudio.networks import RandomGain, RandomMix, RandomNoise, RandomTimeStretch, SpectralFeatures

POLICIES = ["mixed_bfloat16", "mixed_float16", "float64"]


@contextmanager
def global_dtype_policy(name):
    """Keras' global dtype policy set to ``name`` inside the block, and restored after it."""
    import keras

    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(name)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)


def _waves():
    return (0.3 * np.random.default_rng(0).standard_normal((2, 2000))).astype("float32")


def _features(**kwargs):
    return SpectralFeatures(n_fft=256, hop_length=64, sr=8000, n_mels=40, n_mfcc=13, **kwargs)


@pytest.mark.parametrize("policy", POLICIES)
def test_spectral_features_compute_in_float32_whatever_the_policy(policy):
    x = _waves()
    expected = np.asarray(_features()(x))
    with global_dtype_policy(policy):
        out = _features()(x)
    assert out.dtype == "float32"
    np.testing.assert_array_equal(np.asarray(out), expected)
    # a policy given to the layer itself neither rounds the input nor overflows
    out = _features(dtype=policy)(x.astype("float64"))
    assert out.dtype == "float32"
    np.testing.assert_array_equal(np.asarray(out), expected)


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize(
    "make",
    [
        lambda dtype: RandomGain(6.0, seed=1, dtype=dtype),
        lambda dtype: RandomTimeStretch(0.1, seed=1, dtype=dtype),
        lambda dtype: RandomNoise((5.0, 10.0), seed=1, dtype=dtype),
        lambda dtype: RandomMix((5.0, 10.0), seed=1, dtype=dtype),
    ],
    ids=["gain", "time-stretch", "noise", "mix"],
)
def test_augmentation_follows_the_dtype_of_its_input(policy, make):
    x = _waves()[..., None]
    expected = np.asarray(make(None)(x, training=True))  # float32
    out = make(policy)(x, training=True)
    compute_dtype = {"mixed_bfloat16": "bfloat16", "mixed_float16": "float16"}.get(policy, policy)
    assert out.dtype == compute_dtype
    # the same random draws, rounded to the input's precision
    np.testing.assert_allclose(np.asarray(out, "float32"), expected, atol=0.05 if compute_dtype != "float64" else 1e-6)


def test_classifier_with_a_front_end_fits_under_mixed_bfloat16():
    from skaudio.models import CNN1DClassifier
    from skaudio.preprocessing import MFCC

    x = _waves()[[0, 1, 0, 1]]
    y = np.array([0, 1, 0, 1])
    with global_dtype_policy("mixed_bfloat16"):
        clf = CNN1DClassifier(
            front_end=MFCC(sr=8000, n_fft=256, hop_length=64, n_mels=40, n_mfcc=13),
            speed_perturbation=0.1,
            noise_snr_db=(5, 20),
            gain_db=3.0,
            filters=(4,),
            dense_units=4,
            epochs=1,
            random_state=0,
        ).fit(x, y)
        probabilities = clf.predict_proba(x)
    assert probabilities.shape == (4, 2) and np.all(np.isfinite(probabilities))


@pytest.mark.parametrize("policy", ["mixed_bfloat16", "mixed_float16"])
@pytest.mark.parametrize("mask", ["magnitude", "complex"])
def test_stft_mask_denoiser_computes_its_spectra_in_float32_under_mixed_precision(policy, mask):
    """keras.ops.stft takes no half-precision input: the STFT layers stay float32, the rest follows the policy."""
    from skaudio.networks import build_stft_mask_denoiser

    settings = dict(filters=8, n_layers=2, dilation=1, mask=mask)
    x = _waves()[..., None]
    reference = build_stft_mask_denoiser(**settings)
    with global_dtype_policy(policy):
        model = build_stft_mask_denoiser(**settings)
    assert model.get_layer("input_projection").compute_dtype != "float32"
    model.set_weights(reference.get_weights())
    out = model(x)
    assert out.dtype == "float32" and tuple(out.shape) == (2, 2000)
    # the same output, up to the convolutions' rounding (a complex mask starts as the identity: exact)
    np.testing.assert_allclose(np.asarray(out), np.asarray(reference(x)), atol=5e-3 if mask == "magnitude" else 1e-5)
