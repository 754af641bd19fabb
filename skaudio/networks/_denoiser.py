"""The waveform denoiser network (fully convolutional)."""

import keras
from keras import layers

from skaudio.networks._blocks import conv_block, per_layer
from skaudio.networks._layers import SqueezeChannels


def build_cnn1d_denoiser(
    *,
    filters=64,
    kernel_size=3,
    n_layers=2,
    dilation=1,
    batch_norm=True,
    residual=False,
    dropout=0.0,
    augmentation=(),
):
    """Build the fully convolutional waveform denoiser.

    The defaults build the source article's network exactly::

        Conv1D(64, 3, same) > BN > ReLU > Conv1D(64, 3, same) > BN > ReLU
        > Conv1D(1, 3, same)

    Every convolution uses "same" padding and the time axis is left unknown,
    so the model maps a waveform of any length to one of the same length.

    Parameters
    ----------
    filters, kernel_size, dilation : int or tuple of int
        Per hidden block.
    n_layers : int, default=2
        Number of hidden blocks.
    batch_norm : bool, default=True
        BatchNormalization in each hidden block.
    residual : bool, default=False
        Residual connection around each hidden block, and the network's
        output added to its input, so that it starts from the identity and
        learns the correction (the noise to remove).
    dropout : float, default=0.0
    augmentation : sequence of keras.layers.Layer, default=()
        Training-only input layers.

    Returns
    -------
    model : keras.Model
        Input ``(None, None, 1)``, output ``(None, None)``; not compiled.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.networks import build_cnn1d_denoiser
    >>> model = build_cnn1d_denoiser()
    >>> model(np.zeros((2, 1000, 1), dtype="float32")).shape
    TensorShape([2, 1000])
    """
    filters = per_layer(filters, n_layers, "filters")
    kernel_size = per_layer(kernel_size, n_layers, "kernel_size")
    dilation = per_layer(dilation, n_layers, "dilation")
    inputs = keras.Input(shape=(None, 1), name="noisy")
    x = inputs
    for layer in augmentation:
        x = layer(x)
    noisy = x
    for i in range(n_layers):
        x = conv_block(
            x, filters[i], kernel_size=kernel_size[i], dilation=dilation[i], padding="same",
            batch_norm=batch_norm, residual=residual and i > 0, dropout=dropout, name=f"block{i + 1}",
        )
    x = layers.Conv1D(1, kernel_size[-1], padding="same", name="output_conv")(x)
    if residual:
        x = layers.Add(name="input_skip")([x, noisy])
    outputs = SqueezeChannels(name="clean")(x)
    return keras.Model(inputs, outputs, name="cnn1d_denoiser")
