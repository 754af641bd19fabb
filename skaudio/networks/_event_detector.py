"""The sound event detector network (Conv1D + LSTM)."""

import keras
from keras import layers

from skaudio.networks._blocks import conv_block, layer_settings


def build_crnn_event_detector(
    input_shape,
    n_outputs,
    *,
    filters=32,
    kernel_size=5,
    pool_size=2,
    n_layers=None,
    dilation=1,
    padding="valid",
    batch_norm=False,
    dropout=0.0,
    lstm_units=64,
    bidirectional=False,
    augmentation=(),
):
    """Build the convolutional-recurrent event detector.

    The defaults build the source article's network exactly::

        Conv1D(32, 5, relu) > MaxPool1D(2) > LSTM(64) > Dense(1, sigmoid)

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_frames, n_features)`` of one example.
    n_outputs : int >= 1
        Number of labels; each gets an independent sigmoid (binary or
        multi-label detection).
    filters, kernel_size, pool_size, dilation : int or tuple of int
        Per convolutional block, as in ``build_cnn1d_classifier``.
    n_layers : int or None, default=None
        Number of convolutional blocks; None means ``len(filters)`` for a
        tuple and 1 for an int.
    padding : {"valid", "same"}, default="valid"
    batch_norm : bool, default=False
    dropout : float, default=0.0
        Dropout after each block and on the LSTM output.
    lstm_units : int, default=64
        LSTM width.
    bidirectional : bool, default=False
        Wrap the LSTM in ``keras.layers.Bidirectional``.
    augmentation : sequence of keras.layers.Layer, default=()
        Training-only input layers.

    Returns
    -------
    model : keras.Model
        Not compiled; output ``(None, n_outputs)`` probabilities.

    Examples
    --------
    >>> from skaudio.networks import build_crnn_event_detector
    >>> model = build_crnn_event_detector((100, 40), 1)
    >>> [layer.__class__.__name__ for layer in model.layers][1:]
    ['Conv1D', 'MaxPooling1D', 'LSTM', 'Dense']
    """
    n_layers, layer = layer_settings(
        n_layers, default_layers=1, filters=filters, kernel_size=kernel_size, pool_size=pool_size, dilation=dilation
    )
    filters, kernel_size, pool_size, dilation = (layer[k] for k in ("filters", "kernel_size", "pool_size", "dilation"))
    inputs = keras.Input(shape=tuple(input_shape), name="features")
    x = inputs
    for layer in augmentation:
        x = layer(x)
    for i in range(n_layers):
        x = conv_block(
            x, filters[i], kernel_size=kernel_size[i], dilation=dilation[i], padding=padding,
            batch_norm=batch_norm, dropout=dropout, name=f"block{i + 1}",
        )
        if pool_size[i] > 1:
            x = layers.MaxPooling1D(pool_size[i], name=f"block{i + 1}_pool")(x)
    lstm = layers.LSTM(lstm_units, name="lstm")
    x = layers.Bidirectional(lstm, name="bilstm")(x) if bidirectional else lstm(x)
    if dropout:
        x = layers.Dropout(dropout, name="lstm_dropout")(x)
    outputs = layers.Dense(n_outputs, activation="sigmoid", name="probabilities")(x)
    return keras.Model(inputs, outputs, name="crnn_event_detector")
