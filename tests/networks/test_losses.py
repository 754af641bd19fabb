"""negative_si_sdr: any float dtype, and what silence gives."""

import numpy as np
import pytest

from skaudio.networks import negative_si_sdr

N = 800


def _clean():
    return np.sin(np.linspace(0, 60, N))[None]


@pytest.mark.parametrize("dtype, rtol", [("float64", 1e-6), ("float16", 1e-2)])
def test_the_loss_computes_in_the_inputs_dtype(dtype, rtol):
    clean = _clean()
    noisy = clean + 0.1 * np.cos(np.linspace(0, 700, N))[None]
    loss = negative_si_sdr(clean.astype(dtype), noisy.astype(dtype))
    assert loss.dtype == dtype
    reference = negative_si_sdr(clean.astype("float32"), noisy.astype("float32"))
    np.testing.assert_allclose(np.asarray(loss, "float64"), np.asarray(reference), rtol=rtol)


def _loss_and_gradient(target, estimate):
    import tensorflow as tf

    estimate = tf.Variable(estimate.astype("float32"))
    with tf.GradientTape() as tape:
        loss = negative_si_sdr(tf.constant(target.astype("float32")), estimate)
    return loss.numpy()[0], tape.gradient(loss, estimate).numpy()


def test_a_silent_estimate_gives_0_db_without_gradient_and_a_silent_target_pushes_towards_silence():
    clean = _clean()
    loss, gradient = _loss_and_gradient(clean, np.zeros_like(clean))
    assert loss == 0 and np.all(gradient == 0)
    estimate = clean - clean.mean()
    loss, gradient = _loss_and_gradient(np.zeros_like(clean), estimate)
    np.testing.assert_allclose(loss, 10 * np.log10((np.sum(estimate**2) + 1e-8) / 1e-8), rtol=1e-5)
    assert loss > 100
    # a small step down the gradient makes the estimate quieter
    assert np.sum((estimate - 1e-3 * gradient) ** 2) < np.sum(estimate**2)
