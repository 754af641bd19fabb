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
        (dict(snr_db="10"), "snr_db must be a number or a \\(low, high\\) pair in dB, got '10'"),
        (dict(snr_db=(10, 0)), "low <= high"),
        (dict(noise=[np.zeros(1000)]), r"noise\[0\] is silent"),
        (dict(noise=[np.ones(1)]), r"noise\[0\] holds 1 samples, fewer than one analysis frame \(256\): looped, it"),
        (dict(noise=[np.ones(1000), np.ones(300)], sr=16000), r"noise\[1\] holds 300 samples, .* \(512 at 16000 Hz\)"),
        (dict(sr=0), "sr must be"),
        (dict(noise_filter_db=-1), "noise_filter_db must be"),
        (dict(noise_filter_db=float("inf")), "noise_filter_db must be"),
        (dict(noise_speed_perturbation=1.0), "noise_speed_perturbation must be"),
        (dict(noise_speed_perturbation="fast"), "noise_speed_perturbation must be"),
    ],
)
def test_parameter_errors(clean, kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_noisy(clean, **kwargs)


def test_an_excerpt_on_a_silent_stretch_is_drawn_again(clean):
    # half of the recording is digital silence: every clip still gets audible noise, at its SNR
    half_silent = np.r_[np.random.default_rng(0).standard_normal(9000), np.zeros(9000)]
    noisy, out = make_noisy(np.tile(clean, (10, 1)), noise=[half_silent], snr_db=3, random_state=0)
    np.testing.assert_allclose(snr(out, noisy), 3, atol=1e-3)
    one_click = np.zeros(1_000_000)
    one_click[0] = 1.0
    with pytest.raises(ValueError, match=r"noise\[0\] is silent over most of its length: no excerpt of 8000"):
        make_noisy(clean[:1], noise=[one_click], random_state=2)


def test_a_mostly_silent_recording_gives_noise_over_most_of_each_clip_whatever_the_seed(clean):
    # half a second of noise, then five seconds of digital silence: an excerpt holding a sliver of the noise,
    # scaled to the SNR, would be a burst far louder than the clip; one with none, an error for some seeds only
    take = np.r_[np.random.default_rng(0).standard_normal(4000) * 0.1, np.zeros(40000)]
    for seed in range(60):
        noisy, out = make_noisy(clean[:1], noise=[take], snr_db=10, sr=8000, random_state=seed)
        added = noisy[0] - out[0]
        assert np.mean(added != 0) >= 0.2, seed
        assert np.max(np.abs(added)) < 2 * np.max(np.abs(out[0])), seed


def test_a_recording_with_its_channels_last_is_not_taken_for_clips(clean):
    stereo = np.random.default_rng(0).standard_normal((8000, 2)).astype(np.float32)
    with pytest.raises(ValueError, match=r"clean has shape \(8000, 2\): 8000 clips of 2 samples.*clean\.T"):
        make_noisy(stereo, random_state=0)
    with pytest.raises(ValueError, match=r"noise has shape \(8000, 2\): 8000 recordings of 2 samples.*noise\.T"):
        make_noisy(clean, noise=stereo, random_state=0)
    noisy, _ = make_noisy(stereo.T, noise=stereo.T, snr_db=5, random_state=0)  # each channel a clip
    assert noisy.shape == (2, 8000)


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


def _dominant_frequency(x, sr=8000):
    return np.fft.rfftfreq(len(x), 1 / sr)[np.abs(np.fft.rfft(x)).argmax()]


@pytest.mark.parametrize("noise", ["recording", "babble"])
def test_speed_perturbation_shifts_the_pitch_of_recordings_and_babble(noise):
    t = np.arange(8000) / 8000
    tones = np.stack([np.sin(2 * np.pi * 1000 * t + phase) for phase in np.linspace(0, 3, 12)])
    # the noise is a 1 kHz tone; its pitch, read from noisy - clean, moves by the speed drawn for each clip
    source = [np.sin(2 * np.pi * 1000 * np.arange(24000) / 8000)] if noise == "recording" else "babble"
    noisy, clean = make_noisy(tones, noise=source, snr_db=0, noise_speed_perturbation=0.3, random_state=0)
    pitches = np.array([_dominant_frequency(n - c) for n, c in zip(noisy, clean)])
    assert np.all((pitches >= 690) & (pitches <= 1310)) and np.ptp(pitches) > 150
    np.testing.assert_allclose(snr(clean, noisy), 0, atol=1e-3)
    unchanged, _ = make_noisy(tones, noise=source, snr_db=0, random_state=0)
    assert np.all(np.array([_dominant_frequency(n - c) for n, c in zip(unchanged, clean)]) == 1000)


def _band_balance_db(noise):
    """Power below an eighth of the Nyquist frequency over power above half of it, in dB."""
    power = np.abs(np.fft.rfft(noise)) ** 2
    n = len(power)
    return 10 * np.log10(power[1 : n // 8].mean() / power[n // 2 :].mean())


def test_filter_reshapes_each_clips_noise_within_its_bounds(clean):
    clips = np.repeat(clean[:1], 16, axis=0)
    filtered, _ = make_noisy(clips, noise="white", snr_db=0, noise_filter_db=12, random_state=0)
    plain, _ = make_noisy(clips, noise="white", snr_db=0, random_state=0)
    balance = np.array([_band_balance_db(n - c) for n, c in zip(filtered, clips)])
    plain_balance = np.array([_band_balance_db(n - c) for n, c in zip(plain, clips)])
    assert np.all(np.abs(plain_balance) < 1) and np.std(balance) > 4 and np.all(np.abs(balance) <= 24)
    np.testing.assert_allclose(snr(clips, filtered), 0, atol=1e-3)


def test_no_augmentation_draws_nothing(clean):
    recordings = [np.random.default_rng(0).standard_normal(20000)]
    a, _ = make_noisy(clean, noise=recordings, snr_db=(0, 10), random_state=4)
    b, _ = make_noisy(
        clean, noise=recordings, snr_db=(0, 10), noise_filter_db=0, noise_speed_perturbation=0, random_state=4
    )
    c, _ = make_noisy(
        clean, noise=recordings, snr_db=(0, 10), noise_filter_db=6, noise_speed_perturbation=0.1, random_state=4
    )
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
