"""The clip classifier network."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import keras
from keras import layers

from skaudio.networks._blocks import (
    check_cepstrum,
    check_dropout,
    check_padding,
    layer_settings,
    pooled_blocks,
    time_frequency_blocks,
    time_frequency_stack,
)
from skaudio.networks._layers import Cepstrum
from skaudio.networks._validation import check_int, is_int


def build_cnn1d_classifier(
    input_shape: tuple[int | None, ...],
    n_classes: int,
    *,
    filters: int | tuple[int, ...] = (32, 64),
    kernel_size: int | tuple[int, ...] = 3,
    pool_size: int | tuple[int, ...] = 2,
    n_layers: int | None = None,
    dilation: int | tuple[int, ...] = 1,
    padding: Literal["valid", "same"] = "valid",
    batch_norm: bool = False,
    residual: bool = False,
    dropout: float = 0.0,
    global_pooling: Literal["avg", "max", "avgmax"] | None = None,
    dense_units: int | tuple[int, ...] | None = 128,
    augmentation: Sequence[layers.Layer] = (),
    cepstral_coefficients: int | None = None,
    front_end: layers.Layer | None = None,
    waveform_augmentation: Sequence[layers.Layer] = (),
    conv2d_filters: int | tuple[int, ...] | None = None,
    frequency_pooling: Literal["flatten", "max"] = "flatten",
) -> keras.Model:
    """Build the 1D CNN clip classifier.

    The defaults build the source article's network exactly::

        Conv1D(32, 3, relu) > MaxPool1D(2) > Conv1D(64, 3, relu) > MaxPool1D(2)
        > Flatten > Dense(128, relu) > Dense(n_classes, softmax)

    Parameters
    ----------
    input_shape : tuple of int
        ``(n_frames, n_features)`` of one example (``(n_samples, 1)`` for
        raw waveforms).
    n_classes : int >= 2
        Size of the softmax output.
    filters : int or tuple of int, default=(32, 64)
        Filters per convolutional block.
    kernel_size : int or tuple of int, default=3
        Kernel size per block.
    pool_size : int or tuple of int, default=2
        Max-pooling size after each block (1 disables pooling).
    n_layers : int or None, default=None
        Number of blocks; ``None`` means ``len(filters)`` (2 for an int).
    dilation : int or tuple of int, default=1
        Dilation rate per block.
    padding : {"valid", "same"}, default="valid"
        Convolution padding (residual blocks need "same").
    batch_norm : bool, default=False
        BatchNormalization after each convolution.
    residual : bool, default=False
        Residual (skip) connection around each convolution.
    dropout : float in [0, 1), default=0.0
        Dropout after each block and before the output.
    global_pooling : {None, "avg", "max", "avgmax"}, default=None
        ``None`` flattens the last feature map (the article); "avg"/"max" pool
        over time, which makes the head independent of the clip length;
        "avgmax" concatenates both (twice the features: how much of the
        window holds a pattern, and its strongest occurrence).
    dense_units : int, tuple of int or None, default=128
        Hidden dense layer(s) before the output; None for none.
    augmentation : sequence of keras.layers.Layer, default=()
        Training-only layers applied to the input (see ``augmentation_layers``).
    cepstral_coefficients : int or None, default=None
        If set, the input is log-mel and a ``Cepstrum`` layer (DCT to this
        many coefficients, then per-example normalisation) follows the
        augmentation, so mel-domain augmentation feeds a cepstral network.
    front_end : keras.layers.Layer or None, default=None
        A layer applied first, e.g. :class:`SpectralFeatures` to compute
        features from raw waveforms ``(n_samples, 1)`` inside the model.
    waveform_augmentation : sequence of keras.layers.Layer, default=()
        Training-only layers applied to the raw waveform before
        ``front_end`` (which they need), e.g. ``RandomTimeStretch`` as speed
        perturbation.
    conv2d_filters : int, tuple of int or None, default=None
        2D convolution blocks (3 x 3 kernels over frames and features, each
        followed by max pooling over the features by 2) before the 1D
        blocks, one per entry: kernels shared across frequency bins find a
        pattern in any band (for log-mel or spectrogram input; cepstral
        coefficients have no such axis). None or 0: none.
    frequency_pooling : {"flatten", "max"}, default="flatten"
        How the 2D blocks' output becomes one vector per frame for the 1D
        blocks: "flatten" keeps every band (the 1D blocks know where in
        frequency a pattern is); "max" keeps each filter's strongest
        response over the bands, so the 1D blocks learn a pattern's course
        in time once for every band (a tremolo on any carrier). Needs
        ``conv2d_filters``.

    Returns
    -------
    model : keras.Model
        Not compiled.

    Examples
    --------
    >>> from skaudio.networks import build_cnn1d_classifier
    >>> model = build_cnn1d_classifier((63, 20), 10)
    >>> [layer.__class__.__name__ for layer in model.layers][1:]
    ['Conv1D', 'MaxPooling1D', 'Conv1D', 'MaxPooling1D', 'Flatten', 'Dense', 'Dense']
    >>> model.output_shape
    (None, 10)
    """
    n_layers, layer = layer_settings(
        n_layers, default_layers=2, filters=filters, kernel_size=kernel_size, pool_size=pool_size, dilation=dilation
    )
    filters, kernel_size, pool_size, dilation = (layer[k] for k in ("filters", "kernel_size", "pool_size", "dilation"))
    check_int(n_classes, "n_classes", minimum=2)
    check_padding(padding)
    check_dropout(dropout)
    hidden = dense_units if isinstance(dense_units, (list, tuple)) else () if dense_units is None else (dense_units,)
    if not all(is_int(units, 1) for units in hidden):
        raise ValueError(
            f"dense_units must be None, an int >= 1 or a tuple of them (one hidden layer each), got {dense_units!r}."
        )
    if front_end is None and len(input_shape) != 2:
        raise ValueError(
            f"input_shape must be (n_frames, n_features) for features, got {tuple(input_shape)!r}; "
            "a waveform is (n_samples, 1)."
        )
    if residual and padding != "same":
        raise ValueError("residual=True needs padding='same' so the skip path keeps the length.")
    if global_pooling not in (None, "avg", "max", "avgmax"):
        raise ValueError(f"global_pooling must be None, 'avg', 'max' or 'avgmax', got {global_pooling!r}.")
    conv2d_stack = time_frequency_stack(conv2d_filters, frequency_pooling)
    check_cepstrum(cepstral_coefficients, conv2d_stack)
    if waveform_augmentation and front_end is None:
        raise ValueError("waveform_augmentation needs a front_end: without one the input is features, not a waveform.")
    inputs = keras.Input(shape=tuple(input_shape), name="features" if front_end is None else "waveform")
    x = inputs
    for layer in waveform_augmentation:
        x = layer(x)
    x = x if front_end is None else front_end(x)
    for layer in augmentation:
        x = layer(x)
    if cepstral_coefficients:
        x = Cepstrum(cepstral_coefficients, name="cepstrum")(x)
    if conv2d_stack:
        x = time_frequency_blocks(x, conv2d_stack, batch_norm=batch_norm, frequency_pooling=frequency_pooling)
    x = pooled_blocks(
        x,
        filters=filters,
        kernel_size=kernel_size,
        pool_size=pool_size,
        dilation=dilation,
        padding=padding,
        batch_norm=batch_norm,
        residual=residual,
        dropout=dropout,
    )
    if global_pooling == "avg":
        x = layers.GlobalAveragePooling1D(name="global_avg_pool")(x)
    elif global_pooling == "max":
        x = layers.GlobalMaxPooling1D(name="global_max_pool")(x)
    elif global_pooling == "avgmax":
        x = layers.Concatenate(name="global_avg_max_pool")(
            [
                layers.GlobalAveragePooling1D(name="global_avg_pool")(x),
                layers.GlobalMaxPooling1D(name="global_max_pool")(x),
            ]
        )
    else:
        if x.shape[1] is None:
            raise ValueError(
                f"global_pooling=None flattens the last feature map, which needs a known number of frames; "
                f"input_shape={tuple(input_shape)!r} leaves it unknown. Give the number of frames, or pool over "
                "time with global_pooling='avg', 'max' or 'avgmax'."
            )
        x = layers.Flatten(name="flatten")(x)
    for j, units in enumerate(hidden):
        x = layers.Dense(units, activation="relu", name=f"dense{j + 1}")(x)
        if dropout:
            x = layers.Dropout(dropout, name=f"dense{j + 1}_dropout")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="probabilities")(x)
    return keras.Model(inputs, outputs, name="cnn1d_classifier")
