"""SNR, SI-SDR and the scorer."""

import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.model_selection import GridSearchCV

from skaudio.metrics import si_sdr, si_sdr_improvement, si_sdr_scorer, snr


@pytest.fixture
def signals():
    rng = np.random.default_rng(0)
    return rng.standard_normal((3, 4000)), rng.standard_normal((3, 4000))


def test_snr_matches_definition(signals):
    s, n = signals
    expected = 10 * np.log10(np.sum(s**2, 1) / np.sum((0.3 * n) ** 2, 1))
    np.testing.assert_allclose(snr(s, s + 0.3 * n), expected)


def test_si_sdr_is_scale_invariant_and_matches_hand_computation(signals):
    s, n = signals
    est = s + 0.5 * n
    ref0, est0 = s - s.mean(1, keepdims=True), est - est.mean(1, keepdims=True)
    alpha = np.sum(est0 * ref0, 1, keepdims=True) / np.sum(ref0**2, 1, keepdims=True)
    expected = 10 * np.log10(np.sum((alpha * ref0) ** 2, 1) / np.sum((est0 - alpha * ref0) ** 2, 1))
    np.testing.assert_allclose(si_sdr(s, est), expected)
    np.testing.assert_allclose(si_sdr(s, -7.0 * est), expected)  # scale, even negative, does not matter
    assert not np.allclose(snr(s, 7.0 * est), snr(s, est))  # SNR is not scale invariant


def test_improvement_and_ragged_input(signals):
    s, n = signals
    gain = si_sdr_improvement(s, s + 0.1 * n, s + n)
    np.testing.assert_allclose(gain, 20, atol=0.5)
    ragged = si_sdr([s[0], s[1, :100]], [s[0] + n[0], s[1, :100] + n[1, :100]])
    assert ragged.shape == (2,)


def test_limits_and_errors(signals):
    s, _ = signals
    assert np.all(si_sdr(s, s) > 200)  # exact up to rounding: +inf or hundreds of dB
    assert np.all(np.isneginf(si_sdr(s, np.zeros_like(s))))
    with pytest.raises(ValueError, match=r"reference\[1\] is silent"):
        si_sdr(np.vstack([s[0], np.zeros(4000)]), s[:2])
    with pytest.raises(ValueError, match=r"reference\[0\] has 4000 samples but estimate\[0\] has 10"):
        snr([s[0]], [s[0, :10]])
    with pytest.raises(ValueError, match="3 clips but estimate has 2"):
        si_sdr(s, s[:2])


class _Shrink(RegressorMixin, BaseEstimator):
    """A 'denoiser' that subtracts a fraction of the noise it was told about."""

    def __init__(self, keep=1.0):
        self.keep = keep

    def fit(self, X, y):
        return self

    def predict(self, X):
        return X * self.keep


def test_scorer_in_grid_search(signals):
    s, n = signals
    X = np.vstack([s + 0.5 * n, s + 0.5 * n])
    y = np.vstack([s, s])
    search = GridSearchCV(_Shrink(), {"keep": [0.5, 1.0]}, scoring=si_sdr_scorer, cv=2).fit(X, y)
    # SI-SDR ignores scale: both candidates score the same, and the score is the input SI-SDR
    np.testing.assert_allclose(search.cv_results_["mean_test_score"], np.mean(si_sdr(s, s + 0.5 * n)))


def test_the_mixture_is_named_in_an_improvements_errors():
    rng = np.random.default_rng(0)
    s, n = rng.standard_normal((2, 3, 100))
    mixture = s + n
    broken = mixture.copy()
    broken[1, 3] = np.nan
    for bad, match in (
        (broken, r"^mixture\[1\] contains NaN"),
        (mixture[:, :50], r"^reference\[0\] has 100 samples but mixture\[0\] has 50\.$"),
        (mixture[:1], r"^reference has 3 clips but mixture has 1\.$"),
    ):
        with pytest.raises(ValueError, match=match):
            si_sdr_improvement(s, s + 0.1 * n, bad)


def test_float64_input_is_not_rounded_to_float32():
    # textbook SI-SDR in float64 (Le Roux et al. 2019); a float32 round trip of a float64 clip is not perfect
    rng = np.random.default_rng(0)
    s, n = rng.standard_normal((2, 3, 1000))
    estimate = s + 1e-7 * n
    ref, est = s - s.mean(axis=1, keepdims=True), estimate - estimate.mean(axis=1, keepdims=True)
    target = (np.sum(est * ref, axis=1) / np.sum(ref**2, axis=1))[:, None] * ref
    by_hand = 10 * np.log10(np.sum(target**2, axis=1) / np.sum((est - target) ** 2, axis=1))
    np.testing.assert_allclose(si_sdr(s, estimate), by_hand, atol=1e-3)
    assert np.all(np.isfinite(snr(s, s.astype(np.float32).astype(np.float64))))
    pcm = np.array([[0, 16384, -32768, 5]], dtype=np.int16)  # PCM is still scaled to [-1, 1]
    assert si_sdr(pcm, pcm / 32768.0)[0] == np.inf


def test_an_improvement_between_two_silent_signals_is_nan_without_a_warning():
    s = np.random.default_rng(0).standard_normal((2, 100))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(si_sdr_improvement(s, np.zeros_like(s), np.zeros_like(s))).all()
