"""SNR, SI-SDR and the scorer."""

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
