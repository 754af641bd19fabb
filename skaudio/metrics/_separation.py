"""Signal-level quality of estimated waveforms: SNR, SI-SDR and its improvement."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike
from sklearn.metrics import make_scorer

from skaudio.utils import check_waveforms, is_ragged


def _float64_clips(X, name):
    """The clips of ``X``, validated, as float64: float samples as given (not rounded to float32), PCM scaled."""
    validated = check_waveforms(X, name=name)
    given = [np.asarray(clip) for clip in (list(X) if is_ragged(X) else np.asarray(X))]
    return [
        (clip if clip.dtype.kind == "f" else checked).astype(np.float64) for clip, checked in zip(given, validated)
    ], is_ragged(validated)


def _pairs(reference, estimate, estimate_name="estimate"):
    """Validated (reference, estimate) as lists of equal-length float64 clips; ``estimate_name`` in messages."""
    reference, ragged_reference = _float64_clips(reference, "reference")
    estimate, ragged_estimate = _float64_clips(estimate, estimate_name)
    if len(reference) != len(estimate):
        raise ValueError(f"reference has {len(reference)} clips but {estimate_name} has {len(estimate)}.")
    pairs = []
    for i, (ref, est) in enumerate(zip(reference, estimate)):
        if ref.shape != est.shape:
            raise ValueError(f"reference[{i}] has {ref.shape[0]} samples but {estimate_name}[{i}] has {est.shape[0]}.")
        if not np.any(ref):
            raise ValueError(f"reference[{i}] is silent (all zeros): SNR and SI-SDR are undefined without a signal.")
        pairs.append((ref, est))
    return pairs, not (ragged_reference or ragged_estimate)


def _db(numerator, denominator):
    """10 log10(num / den) with the limits spelled out: +inf for den=0, -inf for num=0."""
    with np.errstate(divide="ignore"):
        return 10 * np.log10(numerator) - 10 * np.log10(denominator)


def snr(reference: ArrayLike | Sequence[ArrayLike], estimate: ArrayLike | Sequence[ArrayLike]) -> np.ndarray:
    """Signal-to-noise ratio of each estimated clip, in dB.

    ``10 log10(||s||^2 / ||s - s_hat||^2)``.

    Parameters
    ----------
    reference : ndarray of shape (n_clips, n_samples) or list of 1D ndarray
        Clean signals.
    estimate : same shape as reference
        Estimated (or noisy) signals.

    Returns
    -------
    snr : ndarray of shape (n_clips,)
        +inf where the estimate is exact.

    Raises
    ------
    ValueError
        A silent reference clip (SNR is undefined), or mismatched shapes.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.metrics import snr
    >>> s = np.sin(np.linspace(0, 100, 1000))[None]
    >>> snr(s, s + 0.1 * s).round(1)
    array([20.])
    """
    pairs, _ = _pairs(reference, estimate)
    return np.array([_db(np.sum(ref**2), np.sum((ref - est) ** 2)) for ref, est in pairs])


def si_sdr(
    reference: ArrayLike | Sequence[ArrayLike], estimate: ArrayLike | Sequence[ArrayLike], *, zero_mean: bool = True
) -> np.ndarray:
    """Scale-invariant signal-to-distortion ratio of each clip, in dB.

    Le Roux et al. (2019), "SDR - half-baked or well done?": the estimate is
    projected on the reference, ``target = (<s_hat, s> / ||s||^2) s``, and
    ``SI-SDR = 10 log10(||target||^2 / ||s_hat - target||^2)``. Rescaling the
    estimate does not change it.

    Parameters
    ----------
    reference : ndarray of shape (n_clips, n_samples) or list of 1D ndarray
        Clean signals.
    estimate : same shape as reference
        Estimated signals.
    zero_mean : bool, default=True
        Remove each clip's mean first (the usual definition).

    Returns
    -------
    si_sdr : ndarray of shape (n_clips,)
        Very large (up to +inf) for an exact (rescaled) estimate; -inf for a silent estimate or
        one orthogonal to the reference.

    Raises
    ------
    ValueError
        A silent reference clip (SI-SDR is undefined), or mismatched shapes.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.metrics import si_sdr
    >>> rng = np.random.default_rng(0)
    >>> s = rng.standard_normal((2, 8000))
    >>> noise = rng.standard_normal((2, 8000))
    >>> si_sdr(s, 3.0 * (s + 0.1 * noise)).round(0)
    array([20., 20.])
    """
    return _si_sdr(reference, estimate, zero_mean=zero_mean)


def _si_sdr(reference, estimate, *, zero_mean, estimate_name="estimate"):
    pairs, _ = _pairs(reference, estimate, estimate_name)
    out = np.empty(len(pairs))
    for i, (ref, est) in enumerate(pairs):
        if zero_mean:
            ref, est = ref - ref.mean(), est - est.mean()
        energy = np.sum(ref**2)
        if energy == 0:
            raise ValueError(f"reference[{i}] is constant: SI-SDR is undefined without a signal.")
        if not np.any(est):
            out[i] = -np.inf  # a silent estimate recovers nothing (0/0 in the formula)
            continue
        target = (np.dot(est, ref) / energy) * ref
        out[i] = _db(np.sum(target**2), np.sum((est - target) ** 2))
    return out


def si_sdr_improvement(
    reference: ArrayLike | Sequence[ArrayLike],
    estimate: ArrayLike | Sequence[ArrayLike],
    mixture: ArrayLike | Sequence[ArrayLike],
    *,
    zero_mean: bool = True,
) -> np.ndarray:
    """SI-SDR of the estimate minus SI-SDR of the unprocessed mixture, per clip (dB).

    Parameters
    ----------
    reference : ndarray of shape (n_clips, n_samples) or list of 1D ndarray
        Clean signals.
    estimate : same shape
        Processed (denoised) signals.
    mixture : same shape
        The noisy input the estimate was computed from.
    zero_mean : bool, default=True
        Remove each clip's mean first (the usual definition).

    Returns
    -------
    improvement : ndarray of shape (n_clips,)
        NaN for a clip whose estimate and mixture are both silent (-inf
        minus -inf): nothing to compare.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.metrics import si_sdr_improvement
    >>> rng = np.random.default_rng(0)
    >>> s, n = rng.standard_normal((2, 1, 8000))
    >>> float(si_sdr_improvement(s, s + 0.1 * n, s + n)[0].round(0))
    20.0
    """
    processed = _si_sdr(reference, estimate, zero_mean=zero_mean)
    unprocessed = _si_sdr(reference, mixture, zero_mean=zero_mean, estimate_name="mixture")
    with np.errstate(invalid="ignore"):  # -inf - -inf: both silent, NaN as documented
        return processed - unprocessed


def _mean_si_sdr(y_true, y_pred):
    return float(np.mean(si_sdr(y_true, y_pred)))


si_sdr_scorer = make_scorer(_mean_si_sdr)
si_sdr_scorer.__doc__ = """Scorer: mean SI-SDR (dB) of ``estimator.predict(X)`` against ``y``.

For ``GridSearchCV(denoiser, ..., scoring=si_sdr_scorer)`` (higher is better).

Parameters
----------
estimator : estimator
    A fitted denoiser (or pipeline) whose ``predict`` returns waveforms.
X : array-like of shape (n_clips, n_samples) or list of 1D arrays
    Noisy waveforms.
y_true : same structure as X
    Clean waveforms.
sample_weight : array-like of shape (n_clips,), default=None
    Not supported by this scorer; leave it None.
**kwargs
    Routed metadata, as for any scikit-learn scorer.

Returns
-------
score : float
    Mean SI-SDR in dB.
"""
