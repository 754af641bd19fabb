"""make_noisy: mixtures at the requested SNR."""

import numpy as np
import pytest

from skaudio.datasets import make_noisy
from skaudio.metrics import snr


@pytest.fixture
def clean():
    t = np.arange(8000) / 8000
    return np.stack([np.sin(2 * np.pi * f * t) * np.hanning(8000) for f in (200, 300, 440, 600)]).astype(np.float32)


@pytest.mark.parametrize("noise", ["white", "pink", "brown", "babble"])
@pytest.mark.parametrize("snr_db", [-5.0, 0.0, 10.0])
def test_requested_snr_is_met(clean, noise, snr_db):
    noisy, out = make_noisy(clean, noise=noise, snr_db=snr_db, random_state=0)
    assert noisy.shape == clean.shape and noisy.dtype == np.float32
    np.testing.assert_array_equal(out, clean)
    np.testing.assert_allclose(snr(clean, noisy), snr_db, atol=1e-3)


def test_snr_range_is_drawn_per_clip_and_reproducible(clean):
    a, _ = make_noisy(clean, snr_db=(0, 20), random_state=3)
    b, _ = make_noisy(clean, snr_db=(0, 20), random_state=3)
    np.testing.assert_array_equal(a, b)
    values = snr(clean, a)
    assert np.all((values >= 0) & (values <= 20)) and np.ptp(values) > 1


def test_babble_is_made_of_the_other_clips(clean):
    noisy, _ = make_noisy(clean, noise="babble", snr_db=0, random_state=0)
    residual = noisy[0] - clean[0]
    spectrum = np.abs(np.fft.rfft(residual))
    freqs = np.fft.rfftfreq(8000, 1 / 8000)
    assert freqs[spectrum.argmax()] in (300, 440, 600)  # another clip's tone, not its own 200 Hz


def test_noise_recordings_and_ragged_clips(clean):
    recordings = [np.random.default_rng(0).standard_normal(500)]  # shorter than the clips: tiled
    noisy, out = make_noisy([clean[0], clean[1, :3000]], noise=recordings, snr_db=5, random_state=0)
    assert isinstance(noisy, list) and [len(x) for x in noisy] == [8000, 3000]
    np.testing.assert_allclose(snr(out, noisy), 5, atol=1e-3)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(noise="purple"), "noise must be one of"),
        (dict(snr_db="loud"), "snr_db must be a number"),
        (dict(snr_db=(10, 0)), "low <= high"),
        (dict(noise=[np.zeros(10)]), r"noise\[0\] is silent"),
        (dict(sr=0), "sr must be"),
    ],
)
def test_parameter_errors(clean, kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_noisy(clean, **kwargs)


def test_silent_clip_and_babble_of_one(clean):
    with pytest.raises(ValueError, match=r"clean\[1\] is silent"):
        make_noisy(np.vstack([clean[0], np.zeros(8000)]))
    with pytest.raises(ValueError, match="at least 2 clips"):
        make_noisy(clean[:1], noise="babble")


def test_non_finite_snr_and_single_recording(clean):
    with pytest.raises(ValueError, match="finite"):
        make_noisy(clean, snr_db=float("nan"))
    with pytest.raises(ValueError, match="finite"):
        make_noisy(clean, snr_db=(0, float("inf")))
    noisy, _ = make_noisy(clean, noise=np.random.default_rng(1).standard_normal(9000), snr_db=3, random_state=0)
    np.testing.assert_allclose(snr(clean, noisy), 3, atol=1e-3)
