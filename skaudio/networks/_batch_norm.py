"""Batch-normalisation statistics recomputed after training."""

from __future__ import annotations

import keras
import numpy as np


def recalibrate_batch_norm(model: keras.Model, X: np.ndarray, *, batch_size: int = 256) -> int:
    """Set each BatchNormalization layer's moving statistics to those of ``X`` under the final weights.

    During training a BatchNormalization layer normalises with each batch's
    statistics and keeps a moving average of them for inference. That
    average lags behind weights that are still changing, and it describes
    augmented batches; after a short training on a small set it can
    normalise inference inputs very differently from what the following
    layers learnt on. This pass replaces it, layer by layer in the model's
    order, with the exact mean and variance of the layer's inputs over
    ``X`` in inference mode (the earlier layers already recalibrated).

    Parameters
    ----------
    model : keras.Model
        A functional model; BatchNormalization layers nested in sub-models
        are left as they are.
    X : ndarray
        Inputs of the model, e.g. the training examples without augmentation.
    batch_size : int, default=256
        Examples per forward pass: what bounds memory.

    Returns
    -------
    n_layers : int
        Number of layers recalibrated.

    Examples
    --------
    >>> import keras, numpy as np
    >>> from skaudio.networks._batch_norm import recalibrate_batch_norm
    >>> inputs = keras.Input((10, 3))
    >>> model = keras.Model(inputs, keras.layers.BatchNormalization()(inputs))
    >>> X = np.random.default_rng(0).normal(5.0, 2.0, (64, 10, 3)).astype("float32")
    >>> recalibrate_batch_norm(model, X)
    1
    >>> np.allclose(model.layers[-1].moving_mean.numpy(), X.mean(axis=(0, 1)), atol=1e-5)
    True
    """
    if len(X) == 0:
        raise ValueError("recalibrate_batch_norm needs at least one example; X is empty.")
    norms = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    for norm in norms:  # all checked before any is changed
        if norm.axis not in (-1, len(norm.input.shape) - 1):
            raise ValueError(
                f"recalibrate_batch_norm handles BatchNormalization over the last axis only; "
                f"{norm.name} normalises axis {norm.axis}."
            )
    for norm in norms:
        inputs_of = keras.Model(model.input, norm.input)
        total = total_squares = 0.0
        count = 0
        for start in range(0, len(X), batch_size):
            values = keras.ops.convert_to_numpy(inputs_of(X[start : start + batch_size], training=False))
            values = values.reshape(-1, values.shape[-1]).astype(np.float64)
            total = total + values.sum(axis=0)
            total_squares = total_squares + np.square(values).sum(axis=0)
            count += len(values)
        mean = total / count
        norm.moving_mean.assign(mean.astype("float32"))
        norm.moving_variance.assign(np.maximum(total_squares / count - mean**2, 0.0).astype("float32"))
    return len(norms)
