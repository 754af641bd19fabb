"""recalibrate_batch_norm: exact statistics in the model's order, and clear refusals."""

import keras
import numpy as np
import pytest

from skaudio.networks._batch_norm import recalibrate_batch_norm


def test_each_layer_gets_the_statistics_of_its_inputs_after_the_earlier_layers_are_recalibrated():
    inputs = keras.Input((12, 3))
    first = keras.layers.BatchNormalization(name="first")(inputs)
    outputs = keras.layers.BatchNormalization(name="second")(keras.layers.Dense(4, name="dense")(first))
    model = keras.Model(inputs, outputs)
    X = np.random.default_rng(0).normal(3.0, 2.0, (50, 12, 3)).astype("float32")
    assert recalibrate_batch_norm(model, X, batch_size=7) == 2
    np.testing.assert_allclose(model.get_layer("first").moving_mean.numpy(), X.mean(axis=(0, 1)), rtol=1e-4)
    np.testing.assert_allclose(model.get_layer("first").moving_variance.numpy(), X.var(axis=(0, 1)), rtol=1e-3)
    # the second layer sees the first one's output under its new statistics
    dense_in = keras.Model(inputs, model.get_layer("dense").output)(X, training=False).numpy()
    np.testing.assert_allclose(model.get_layer("second").moving_mean.numpy(), dense_in.mean(axis=(0, 1)), atol=1e-4)


def test_other_axes_and_empty_data_are_refused_before_anything_changes():
    inputs = keras.Input((12, 3))
    last = keras.layers.BatchNormalization(name="last")(inputs)
    model = keras.Model(inputs, keras.layers.BatchNormalization(axis=1, name="over_time")(last))
    X = np.ones((4, 12, 3), "float32")
    with pytest.raises(ValueError, match="over_time normalises axis 1"):
        recalibrate_batch_norm(model, X)
    np.testing.assert_array_equal(model.get_layer("last").moving_mean.numpy(), 0.0)  # untouched
    with pytest.raises(ValueError, match="X is empty"):
        recalibrate_batch_norm(model, X[:0])
