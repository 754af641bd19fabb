"""Tests for skaudio.datasets: make_sounds and make_colored_noise."""

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from scipy.signal import welch
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import Bunch

from skaudio.datasets import make_colored_noise, make_sounds

ALL_CLASSES = ["tone", "chirp", "noise_burst", "click_train", "harmonic", "am_tone"]


# ---------------------------------------------------------------------------
# make_sounds: shapes, dtypes, lengths, labels
# ---------------------------------------------------------------------------


def test_default_output_contract():
    X, y = make_sounds(n_per_class=5, random_state=0)
    assert isinstance(X, list) and len(X) == 30
    assert isinstance(y, np.ndarray) and y.shape == (30,) and y.dtype.kind == "U"
    for x in X:
        assert isinstance(x, np.ndarray) and x.ndim == 1 and x.dtype == np.float32
        assert np.all(np.isfinite(x))
        peak = np.max(np.abs(x))
        assert 0.1 - 1e-6 <= peak <= 0.9 + 1e-6
    assert set(y) == set(ALL_CLASSES)


def test_lengths_within_duration_range():
    sr = 8000
    X, _ = make_sounds(n_per_class=10, sr=sr, duration=(0.2, 0.6), random_state=1)
    lengths = np.array([len(x) for x in X])
    assert lengths.min() >= round(0.2 * sr) and lengths.max() <= round(0.6 * sr)
    assert len(np.unique(lengths)) > 30  # really drawn, not one length


@pytest.mark.parametrize("duration, sr", [(0.75, 16000), (1, 8000), (0.05, 22050)])
def test_scalar_duration_gives_fixed_length_list(duration, sr):
    X, _ = make_sounds(n_per_class=3, sr=sr, duration=duration, random_state=0)
    assert isinstance(X, list)
    assert {len(x) for x in X} == {int(round(sr * duration))}


def test_labels_balanced_and_shuffled():
    _, y = make_sounds(n_per_class=7, random_state=0)
    names, counts = np.unique(y, return_counts=True)
    assert sorted(names) == sorted(ALL_CLASSES)
    assert np.all(counts == 7)
    # Shuffled: not grouped in blocks of one class.
    assert np.sum(y[1:] != y[:-1]) > 20


def test_classes_subset_and_order():
    data = make_sounds(4, classes=["click_train", "tone"], return_bunch=True, random_state=0)
    assert list(data.target_names) == ["click_train", "tone"]
    assert set(data.target) == {"click_train", "tone"}
    assert len(data.data) == 8
    _, y = make_sounds(3, classes="chirp", random_state=0)
    assert list(y) == ["chirp"] * 3


def test_return_bunch():
    data = make_sounds(2, sr=8000, return_bunch=True, random_state=0)
    assert isinstance(data, Bunch)
    assert list(data.target_names) == ALL_CLASSES
    assert data.sr == 8000
    X, y = make_sounds(2, sr=8000, random_state=0)
    assert np.array_equal(data.target, y)
    assert all(np.array_equal(a, b) for a, b in zip(data.data, X))
    # onset/offset locate the event: the clean padding around it is silent.
    for x, on, off in zip(data.data, data.onset, data.offset):
        i0, i1 = int(round(on * 8000)), int(round(off * 8000))
        assert 0 <= i0 < i1 <= len(x)
        assert not np.any(x[:i0]) and not np.any(x[i1:])
        assert 0.3 - 0.01 <= (i1 - i0) / len(x) <= 0.9 + 0.01


def test_onset_and_offset_are_the_first_and_last_sound_of_the_event():
    # a click train's stretch starts up to a period before its first click: the annotation starts at the click
    data = make_sounds(40, classes=["click_train", "tone"], sr=16000, return_bunch=True, random_state=0)
    for x, on, off in zip(data.data, data.onset, data.offset):
        i0, i1 = int(round(on * 16000)), int(round(off * 16000))
        assert x[i0] != 0 and x[i1 - 1] != 0
        assert not np.any(x[:i0]) and not np.any(x[i1:])


def test_onsets_vary():
    data = make_sounds(10, return_bunch=True, random_state=0)
    assert np.std(data.onset) > 0.05
    assert np.std(data.offset - data.onset) > 0.05


# ---------------------------------------------------------------------------
# Reproducibility
# ---------------------------------------------------------------------------


def _same(a, b):
    (Xa, ya), (Xb, yb) = a, b
    return np.array_equal(ya, yb) and all(x1.shape == x2.shape and np.array_equal(x1, x2) for x1, x2 in zip(Xa, Xb))


@pytest.mark.parametrize("snr_db", [None, (0, 20)])
def test_reproducible(snr_db):
    a = make_sounds(4, snr_db=snr_db, random_state=42)
    b = make_sounds(4, snr_db=snr_db, random_state=42)
    c = make_sounds(4, snr_db=snr_db, random_state=43)
    assert _same(a, b)
    assert not _same(a, c)


def test_random_state_objects_accepted():
    a = make_sounds(2, random_state=np.random.RandomState(3))
    b = make_sounds(2, random_state=np.random.RandomState(3))
    assert _same(a, b)
    g1 = make_sounds(2, random_state=np.random.default_rng(3))
    g2 = make_sounds(2, random_state=np.random.default_rng(3))
    assert _same(g1, g2)
    n1 = make_colored_noise(64, random_state=np.random.default_rng(0))
    n2 = make_colored_noise(64, random_state=np.random.default_rng(0))
    assert np.array_equal(n1, n2)


# ---------------------------------------------------------------------------
# Background noise at the requested SNR
# ---------------------------------------------------------------------------


def _measured_snr(clean, noisy, onset, offset, sr):
    """SNR of noisy = a * clean + noise, the signal power taken over the event."""
    c = clean.astype(np.float64)
    z = noisy.astype(np.float64)
    a = np.dot(z, c) / np.dot(c, c)
    residual = z - a * c
    i0, i1 = int(round(onset * sr)), int(round(offset * sr))
    return 10 * np.log10(np.mean((a * c[i0:i1]) ** 2) / np.mean(residual**2))


def test_snr_fixed_value_is_respected():
    sr = 16000
    clean = make_sounds(5, sr=sr, return_bunch=True, random_state=0)
    noisy = make_sounds(5, sr=sr, snr_db=10, return_bunch=True, random_state=0)
    # The noise has its own random stream: events, onsets and labels match.
    assert np.array_equal(clean.target, noisy.target)
    assert np.array_equal(clean.onset, noisy.onset)
    snrs = np.array(
        [_measured_snr(c, z, on, off, sr) for c, z, on, off in zip(clean.data, noisy.data, clean.onset, clean.offset)]
    )
    # a click train's SNR counts the pauses around its clicks, which its annotation leaves out: higher there
    clicks = clean.target == "click_train"
    assert abs(np.median(snrs[~clicks]) - 10) < 0.3
    assert np.all(np.abs(snrs[~clicks] - 10) < 1.0)
    assert np.all((snrs[clicks] > 9.0) & (snrs[clicks] < 14.0))
    # The padding is no longer silent.
    for z, on in zip(noisy.data, noisy.onset):
        head = z[: int(on * sr)]
        if head.size > 100:
            assert np.std(head) > 0


def test_snr_range_is_drawn_per_clip():
    sr = 8000
    clean = make_sounds(5, sr=sr, return_bunch=True, random_state=1)
    noisy = make_sounds(5, sr=sr, snr_db=(-5, 15), return_bunch=True, random_state=1)
    snrs = np.array(
        [_measured_snr(c, z, on, off, sr) for c, z, on, off in zip(clean.data, noisy.data, clean.onset, clean.offset)]
    )
    assert np.all(snrs > -6) and np.all(snrs < 16)
    assert np.ptp(snrs) > 8  # really varies across clips
    for z in noisy.data:
        assert z.dtype == np.float32 and np.all(np.isfinite(z))
        assert 0.1 - 1e-6 <= np.max(np.abs(z)) <= 0.9 + 1e-6


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_per_class": 0}, "n_per_class"),
        ({"n_per_class": 2.5}, "n_per_class"),
        ({"n_per_class": True}, "n_per_class"),
        ({"sr": 0}, "sr"),
        ({"sr": 16000.0}, "sr"),
        ({"sr": 500}, "sr"),
        ({"duration": 0}, "duration"),
        ({"duration": 0.01}, "duration"),
        ({"duration": (0.02, 1.0)}, "duration"),
        ({"duration": (1.0, 0.5)}, r"duration.*low <= high, got \(1.0, 0.5\)"),
        ({"duration": "long"}, "duration"),
        ({"duration": (0.5, 1.0, 2.0)}, "duration"),
        ({"duration": float("nan")}, "duration"),
        ({"snr_db": "loud"}, "snr_db"),
        ({"snr_db": (20, 0)}, "snr_db"),
        ({"snr_db": float("inf")}, "snr_db"),
        ({"classes": ["tone", "whistle"]}, "whistle"),
        ({"classes": []}, "classes"),
        ({"classes": ["tone", "tone"]}, "classes"),
        ({"classes": 3}, "classes"),
        ({"return_bunch": "yes"}, "return_bunch"),
        ({"random_state": "seed"}, "random_state"),
    ],
)
def test_make_sounds_invalid_inputs(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_sounds(**{"n_per_class": 2, **kwargs})


def test_unknown_class_message_lists_valid_names():
    with pytest.raises(ValueError) as excinfo:
        make_sounds(2, classes=["bark"])
    for name in ALL_CLASSES:
        assert name in str(excinfo.value)


# ---------------------------------------------------------------------------
# make_colored_noise
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("color", ["white", "pink", "brown", "blue", "violet"])
def test_colored_noise_shape_dtype_rms(color):
    one = make_colored_noise(1000, color=color, random_state=0)
    assert one.shape == (1000,) and one.dtype == np.float32
    batch = make_colored_noise(1001, color=color, n_clips=4, random_state=0)
    assert batch.shape == (4, 1001) and batch.dtype == np.float32
    rms = np.sqrt(np.mean(batch.astype(np.float64) ** 2, axis=-1))
    np.testing.assert_allclose(rms, 1.0, rtol=1e-5)
    assert np.all(np.isfinite(batch))
    # Independent clips.
    assert not np.allclose(batch[0], batch[1])


def _psd_slope(noise, fs=16000, fmin=50.0, fmax=5000.0):
    """Slope of the Welch PSD in dB per decade, fitted on a log-frequency axis."""
    f, p = welch(noise.astype(np.float64), fs=fs, nperseg=4096, axis=-1)
    p = p.mean(axis=0)
    keep = (f >= fmin) & (f <= fmax)
    return np.polyfit(np.log10(f[keep]), 10 * np.log10(p[keep]), 1)[0]


@pytest.mark.parametrize("color, slope", [("white", 0.0), ("pink", -10.0), ("brown", -20.0), ("blue", 10.0)])
def test_colored_noise_spectral_slope(color, slope):
    noise = make_colored_noise(2**16, color=color, n_clips=8, random_state=0)
    assert abs(_psd_slope(noise) - slope) < 1.5


def test_colored_noise_reproducible():
    a = make_colored_noise(500, color="pink", n_clips=2, random_state=7)
    b = make_colored_noise(500, color="pink", n_clips=2, random_state=7)
    c = make_colored_noise(500, color="pink", n_clips=2, random_state=8)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"color": "purple"}, "white.*pink|pink.*white"),
        ({"color": None}, "color"),
        ({"n_clips": 0}, "n_clips"),
        ({"n_clips": 1.5}, "n_clips"),
    ],
)
def test_colored_noise_invalid(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_colored_noise(100, **kwargs)


@pytest.mark.parametrize("n_samples", [0, -3, 2.0, None])
def test_colored_noise_invalid_n_samples(n_samples):
    with pytest.raises(ValueError, match="n_samples"):
        make_colored_noise(n_samples)


# ---------------------------------------------------------------------------
# The task is learnable, but not from loudness
# ---------------------------------------------------------------------------


def _summary_features(X, n_fft=512, n_bands=32):
    """Hand-made clip features: pooled log-spectrum plus three temporal cues."""
    window = np.hanning(n_fft)
    feats = []
    for x in X:
        frames = np.lib.stride_tricks.sliding_window_view(x.astype(np.float64), n_fft)[:: n_fft // 2]
        power = np.abs(np.fft.rfft(frames * window, axis=-1)) ** 2 + 1e-12
        energy = power.sum(axis=1)
        active = power[energy > 0.1 * energy.max()]  # frames of the event
        bands = np.stack([b.mean(axis=1) for b in np.array_split(active, n_bands, axis=1)], axis=1)
        spectrum = np.log(bands.mean(axis=0))
        flatness = np.exp(np.log(active).mean(axis=1)) / active.mean(axis=1)
        centroid = active @ np.arange(active.shape[1]) / active.sum(axis=1)
        envelope = np.sqrt(active.sum(axis=1))
        feats.append(
            np.r_[
                spectrum - spectrum.max(),
                np.log(flatness.mean()),
                np.std(np.log(centroid)),
                np.std(envelope) / np.mean(envelope),
            ]
        )
    return np.array(feats)


def test_learnable_but_not_by_level():
    X, y = make_sounds(n_per_class=40, random_state=0)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    accuracy = cross_val_score(model, _summary_features(X), y, cv=4).mean()
    assert accuracy > 0.6, accuracy

    log_rms = np.log([[np.sqrt(np.mean(x.astype(np.float64) ** 2))] for x in X])
    rms_accuracy = cross_val_score(LogisticRegression(), log_rms, y, cv=4).mean()
    assert rms_accuracy < 0.4, rms_accuracy
    # Not perfectly separable either: some confusion remains.
    assert accuracy < 0.99, accuracy


# ---------------------------------------------------------------------------
# Cost and import hygiene
# ---------------------------------------------------------------------------


def test_default_generation_is_fast():
    make_sounds(1, random_state=0)  # warm-up
    start = time.perf_counter()
    X, _ = make_sounds(random_state=0)
    elapsed = time.perf_counter() - start
    assert len(X) == 300
    assert elapsed < 3.0, f"make_sounds() took {elapsed:.2f} s"  # about 0.15 s unloaded


def test_import_does_not_pull_heavy_dependencies():
    code = (
        "import sys, skaudio.datasets; "
        "heavy = [m for m in ('tensorflow', 'keras', 'scikeras', 'librosa') if m in sys.modules]; "
        "print(heavy); sys.exit(bool(heavy))"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
