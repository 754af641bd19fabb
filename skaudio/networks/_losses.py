"""Losses for waveform outputs."""

import math
from typing import Any

import keras
from keras import ops
from numpy.typing import ArrayLike

from skaudio.networks._layers import PACKAGE


@keras.saving.register_keras_serializable(package=PACKAGE)
def negative_si_sdr(y_true: ArrayLike, y_pred: ArrayLike) -> Any:
    """Negative scale-invariant SDR per example (dB), a Keras loss for waveform outputs ``(batch, t)``.

    Le Roux et al. (2019). Means are removed first; a small constant
    (``1e-8``) keeps silent examples finite. It computes in the inputs'
    dtype; in float16, where ``1e-8`` rounds to zero, a silent example gives
    NaN (Keras computes a compiled loss in float32, even under a
    mixed-precision policy). Registered with Keras
    (``"skaudio>negative_si_sdr"``), so a saved model that uses it loads
    without custom objects.

    Silence, in either waveform, is a degenerate case:

    - a silent (or constant) estimate gives 0 dB and a zero gradient, a
      stationary point that this loss alone cannot lead training out of;
    - a silent (or constant) target gives ``10 * log10((sum(e ** 2) + 1e-8)
      / 1e-8)`` dB, ``e`` the estimate less its mean: a large loss for any
      audible estimate (about 106 dB for a unit sine of 800 samples), whose
      gradient pushes the estimate towards silence.

    Parameters
    ----------
    y_true : tensor of shape (batch, n_samples)
        Reference waveforms.
    y_pred : tensor of shape (batch, n_samples)
        Estimated waveforms.

    Returns
    -------
    loss : tensor of shape (batch,)
        ``-SI-SDR`` of each example, in dB (lower is better).

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.networks import negative_si_sdr
    >>> clean = np.sin(np.linspace(0, 60, 800, dtype="float32"))[None]
    >>> noisy = clean + np.float32(0.1) * np.cos(np.linspace(0, 700, 800, dtype="float32"))[None]
    >>> print(np.round(np.asarray(negative_si_sdr(clean, 2 * noisy)), 1))
    [-20.]
    """
    y_true = y_true - ops.mean(y_true, axis=-1, keepdims=True)
    y_pred = y_pred - ops.mean(y_pred, axis=-1, keepdims=True)
    eps = 1e-8
    scale = ops.sum(y_true * y_pred, axis=-1, keepdims=True) / (ops.sum(y_true**2, axis=-1, keepdims=True) + eps)
    target = scale * y_true
    noise = y_pred - target
    ratio = (ops.sum(target**2, axis=-1) + eps) / (ops.sum(noise**2, axis=-1) + eps)
    # a Python constant takes the inputs' dtype (ops.log(10.0) is float32, which float64 input refuses)
    return -10.0 * ops.log(ratio) / math.log(10.0)
