"""CNN1DDenoiser: waveform in, waveform out, any length."""

import numpy as np
import pytest
from sklearn.base import is_regressor

from skaudio.models import CNN1DDenoiser


@pytest.fixture(scope="module")
def pairs():
    rng = np.random.default_rng(0)
    t = np.arange(800) / 8000
    freqs = rng.uniform(200, 800, size=(64, 1))
    clean = (0.5 * np.sin(2 * np.pi * freqs * t)).astype("float32")
    noisy = clean + 0.2 * rng.standard_normal(clean.shape).astype("float32")
    return noisy, clean


def test_is_a_regressor():
    assert is_regressor(CNN1DDenoiser())


def test_denoises_and_keeps_any_length(pairs):
    noisy, clean = pairs
    den = CNN1DDenoiser(filters=16, kernel_size=9, batch_norm=False, residual=True, epochs=20, batch_size=16,
                        learning_rate=0.003, random_state=0)
    den.fit(noisy[:48], clean[:48])
    out = den.predict(noisy[48:])
    assert out.shape == noisy[48:].shape
    before = np.mean((noisy[48:] - clean[48:]) ** 2)
    after = np.mean((out - clean[48:]) ** 2)
    assert after < 0.5 * before  # it removes noise, not just copies
    assert den.predict(noisy[48:, :333]).shape == (16, 333)
    ragged = den.predict([noisy[50], noisy[51, :100]])
    assert isinstance(ragged, list) and [len(c) for c in ragged] == [800, 100]
    np.testing.assert_allclose(ragged[0], out[2], atol=1e-4)


def test_fit_errors(pairs):
    noisy, clean = pairs
    with pytest.raises(ValueError, match=r"X \(noisy\) has shape \(4, 800\) but y \(clean\) has shape \(4, 700\)"):
        CNN1DDenoiser(epochs=1).fit(noisy[:4], clean[:4, :700])
    with pytest.raises(ValueError, match="requires y"):
        CNN1DDenoiser(epochs=1).fit(noisy[:4], None)
    with pytest.raises(ValueError, match="equal-length"):
        CNN1DDenoiser(epochs=1).fit([noisy[0], noisy[1, :5]], [clean[0], clean[1, :5]])
