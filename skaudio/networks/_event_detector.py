"""The sound event detector network (Conv1D + LSTM)."""

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
from skaudio.networks._layers import Cepstrum, TemporalPooling
from skaudio.networks._validation import check_int

TEMPORAL_POOLING = ("last",) + TemporalPooling.MODES


def _blocks(kernel_size, pool_size, dilation, padding, n_layers, filters):
    """``(n_layers, per-layer settings)`` of the convolutional blocks, as the builder resolves them."""
    check_padding(padding)
    # frame_timing and output_frames take filters only to resolve n_layers=None
    given = {} if filters is None else {"filters": filters}
    return layer_settings(
        n_layers, default_layers=1, kernel_size=kernel_size, pool_size=pool_size, dilation=dilation, **given
    )


def frame_timing(
    *,
    kernel_size: int | tuple[int, ...] = 5,
    pool_size: int | tuple[int, ...] = 2,
    dilation: int | tuple[int, ...] = 1,
    padding: Literal["valid", "same"] = "valid",
    n_layers: int | None = None,
    filters: int | tuple[int, ...] | None = None,
) -> tuple[int, float]:
    """Where each output frame of the detector sits on the input frames.

    Output frame ``j`` is centred on input frame ``stride * j + offset`` and
    spans ``stride`` input frames: each max-pooling multiplies the stride,
    and "valid" convolutions shift the centre by half their receptive field.

    Parameters
    ----------
    kernel_size : int or tuple of int, default=5
        Kernel size of each convolutional block.
    pool_size : int or tuple of int, default=2
        Max-pooling after each block (1: none).
    dilation : int or tuple of int, default=1
        Dilation rate of each block.
    padding : {"valid", "same"}, default="valid"
        Convolution padding.
    n_layers : int or None, default=None
        Number of blocks; None takes it from the tuples given (or 1).
    filters : int, tuple of int or None, default=None
        Only to resolve ``n_layers=None``, as in
        :func:`build_crnn_event_detector`.

    Returns
    -------
    stride : int
        Input frames per output frame.
    offset : float
        Input frame (fractional) on which output frame 0 is centred.

    Examples
    --------
    >>> from skaudio.networks import frame_timing
    >>> frame_timing(kernel_size=5, pool_size=2, padding="valid")
    (2, 2.5)
    >>> frame_timing(kernel_size=3, pool_size=(2, 2), padding="same", filters=(16, 16))
    (4, 1.5)
    """
    n_layers, layer = _blocks(kernel_size, pool_size, dilation, padding, n_layers, filters)
    stride, offset = 1, 0.0
    # Walk back from the output: out index u sits at input centre c * u + e.
    for i in reversed(range(n_layers)):
        if layer["pool_size"][i] > 1:
            p = layer["pool_size"][i]
            stride, offset = stride * p, offset * p + (p - 1) / 2
        reach = (layer["kernel_size"][i] - 1) * layer["dilation"][i]
        # "same" pads reach // 2 on the left (Keras), "valid" none.
        offset += reach / 2 - (reach // 2 if padding == "same" else 0)
    return stride, offset


def output_frames(
    n_frames: int,
    *,
    kernel_size: int | tuple[int, ...] = 5,
    pool_size: int | tuple[int, ...] = 2,
    dilation: int | tuple[int, ...] = 1,
    padding: Literal["valid", "same"] = "valid",
    n_layers: int | None = None,
    filters: int | tuple[int, ...] | None = None,
) -> int:
    """Output frames of the detector's convolutional blocks for ``n_frames`` input frames.

    A "valid" convolution loses its reach (``(kernel_size - 1) * dilation``
    frames), a max-pooling keeps one frame in ``pool_size`` (the rest
    dropped); 0 means the input is too short for the network.

    Parameters
    ----------
    n_frames : int
        Input frames.
    kernel_size, pool_size, dilation, padding, n_layers, filters : int, tuple of int, str or None
        The blocks' geometry, with the defaults and meaning they have in
        :func:`frame_timing`.

    Returns
    -------
    n_out : int
        Output frames (0 or more).

    Examples
    --------
    >>> from skaudio.networks import output_frames
    >>> output_frames(100, kernel_size=5, pool_size=2, padding="valid")
    48
    >>> output_frames(3, kernel_size=5, pool_size=(2, 2), padding="same", filters=(16, 16))
    0
    """
    n_layers, layer = _blocks(kernel_size, pool_size, dilation, padding, n_layers, filters)
    n = int(n_frames)
    for i in range(n_layers):
        if padding == "valid":
            n -= (layer["kernel_size"][i] - 1) * layer["dilation"][i]
        n = max(n, 0) // max(layer["pool_size"][i], 1)
    return n


def build_crnn_event_detector(
    input_shape: tuple[int | None, ...],
    n_outputs: int,
    *,
    filters: int | tuple[int, ...] = 32,
    kernel_size: int | tuple[int, ...] = 5,
    pool_size: int | tuple[int, ...] = 2,
    n_layers: int | None = None,
    dilation: int | tuple[int, ...] = 1,
    padding: Literal["valid", "same"] = "valid",
    batch_norm: bool = False,
    dropout: float = 0.0,
    lstm_units: int = 64,
    bidirectional: bool = False,
    temporal_pooling: Literal["last", "max", "mean", "linear_softmax", "attention"] = "last",
    frame_output: bool = False,
    augmentation: Sequence[layers.Layer] = (),
    conv2d_filters: int | tuple[int, ...] | None = None,
    frequency_pooling: Literal["flatten", "max"] = "flatten",
    cepstral_coefficients: int | None = None,
) -> keras.Model:
    """Build the convolutional-recurrent event detector.

    The defaults build the source article's network exactly::

        Conv1D(32, 5, relu) > MaxPool1D(2) > LSTM(64) > Dense(1, sigmoid)

    With a frame-level ``temporal_pooling`` the LSTM returns its whole
    sequence, a sigmoid per frame and label gives frame probabilities, and a
    :class:`TemporalPooling` layer turns them into clip probabilities, so the
    network learns from clip labels alone and still says when events occur::

        Conv1D blocks > LSTM(sequences) > Dense(n, sigmoid) per frame > pooling

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
        BatchNormalization after each convolution.
    dropout : float, default=0.0
        Dropout after each block and on the LSTM output.
    lstm_units : int, default=64
        LSTM width.
    bidirectional : bool, default=False
        Wrap the LSTM in ``keras.layers.Bidirectional``.
    temporal_pooling : {"last", "max", "mean", "linear_softmax", "attention"}, default="last"
        "last": the article's clip-level form (the LSTM's last state). The
        others give frame-level output pooled over time (see
        :class:`TemporalPooling`); "attention" learns its weights from the
        LSTM outputs.
    frame_output : bool, default=False
        Also output the frame probabilities (a second output, for training
        on frame targets). Needs a frame-level ``temporal_pooling``.
    augmentation : sequence of keras.layers.Layer, default=()
        Training-only input layers.
    conv2d_filters : int, tuple of int or None, default=None
        2D convolution blocks (3 x 3 kernels over frames and features, each
        followed by max pooling over the features by 2) before the 1D
        blocks, one per entry: kernels shared across frequency bins find a
        pattern in any band (for log-mel or spectrogram input). They keep
        every frame, so the output frames sit where :func:`frame_timing`
        says. None or 0: none.
    frequency_pooling : {"flatten", "max"}, default="flatten"
        How the 2D blocks' output becomes one vector per frame: "flatten"
        keeps every band; "max" keeps each filter's strongest response over
        the bands, so the blocks above see a pattern's course in time
        wherever in frequency it lies (a voice higher or lower than any
        heard in training). Needs ``conv2d_filters``.
    cepstral_coefficients : int or None, default=None
        If set, the input is log-mel and a :class:`Cepstrum` layer (DCT to
        this many coefficients, then per-example normalisation) follows the
        augmentation, as in :func:`build_cnn1d_classifier`; not with
        ``conv2d_filters``, which need the frequency axis.

    Returns
    -------
    model : keras.Model
        Not compiled; output ``(None, n_outputs)`` clip probabilities (layer
        "probabilities"), and with ``frame_output`` a second output
        ``(None, n_out_frames, n_outputs)`` (layer "frame_probabilities").
        :func:`frame_timing` says where the output frames sit in time.

    Examples
    --------
    >>> from skaudio.networks import build_crnn_event_detector
    >>> model = build_crnn_event_detector((100, 40), 1)
    >>> [layer.__class__.__name__ for layer in model.layers][1:]
    ['Conv1D', 'MaxPooling1D', 'LSTM', 'Dense']
    >>> frames = build_crnn_event_detector((100, 40), 3, temporal_pooling="attention", frame_output=True)
    >>> [tuple(output.shape) for output in frames.outputs]
    [(None, 3), (None, 48, 3)]
    """
    if temporal_pooling not in TEMPORAL_POOLING:
        raise ValueError(f"temporal_pooling must be one of {TEMPORAL_POOLING}, got {temporal_pooling!r}.")
    if frame_output and temporal_pooling == "last":
        raise ValueError('frame_output needs frame-level output: temporal_pooling="last" has none.')
    conv2d_stack = time_frequency_stack(conv2d_filters, frequency_pooling)
    check_cepstrum(cepstral_coefficients, conv2d_stack)
    n_layers, layer = layer_settings(
        n_layers, default_layers=1, filters=filters, kernel_size=kernel_size, pool_size=pool_size, dilation=dilation
    )
    filters, kernel_size, pool_size, dilation = (layer[k] for k in ("filters", "kernel_size", "pool_size", "dilation"))
    check_padding(padding)
    check_int(n_outputs, "n_outputs")
    check_int(lstm_units, "lstm_units")
    check_dropout(dropout)
    inputs = keras.Input(shape=tuple(input_shape), name="features")
    x = inputs
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
        dropout=dropout,
    )
    frame_level = temporal_pooling != "last"
    lstm = layers.LSTM(lstm_units, return_sequences=frame_level, name="lstm")
    x = layers.Bidirectional(lstm, name="bilstm")(x) if bidirectional else lstm(x)
    if dropout:
        x = layers.Dropout(dropout, name="lstm_dropout")(x)
    if not frame_level:
        outputs = layers.Dense(n_outputs, activation="sigmoid", name="probabilities")(x)
        return keras.Model(inputs, outputs, name="crnn_event_detector")
    frames = layers.Dense(n_outputs, activation="sigmoid", name="frame_probabilities")(x)
    pooling = TemporalPooling(temporal_pooling, name="probabilities")
    if temporal_pooling == "attention":
        clip = pooling(frames, layers.Dense(n_outputs, name="attention_scores")(x))
    else:
        clip = pooling(frames)
    return keras.Model(inputs, [clip, frames] if frame_output else clip, name="crnn_event_detector")
