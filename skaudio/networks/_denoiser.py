"""The denoiser networks: the article's fully convolutional waveform network and a spectral-mask network."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import keras
from keras import layers

from skaudio.networks._blocks import check_dropout, conv_block, layer_settings, layer_stack
from skaudio.networks._layers import SqueezeChannels
from skaudio.networks._spectral_layers import STFT, LogMagnitude, MaskedISTFT
from skaudio.networks._validation import check_int


def build_cnn1d_denoiser(
    *,
    filters: int | tuple[int, ...] = 64,
    kernel_size: int | tuple[int, ...] = 3,
    n_layers: int = 2,
    dilation: int | tuple[int, ...] = 1,
    batch_norm: bool = True,
    residual: bool = False,
    dropout: float = 0.0,
    augmentation: Sequence[layers.Layer] = (),
) -> keras.Model:
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
        Dropout rate after each hidden block.
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
    n_layers, layer = layer_settings(n_layers, filters=filters, kernel_size=kernel_size, dilation=dilation)
    filters, kernel_size, dilation = (layer[k] for k in ("filters", "kernel_size", "dilation"))
    check_dropout(dropout)
    inputs = keras.Input(shape=(None, 1), name="noisy")
    x = inputs
    for layer in augmentation:
        x = layer(x)
    noisy = x
    for i in range(n_layers):
        x = conv_block(
            x,
            filters[i],
            kernel_size=kernel_size[i],
            dilation=dilation[i],
            padding="same",
            batch_norm=batch_norm,
            residual=residual and i > 0,
            dropout=dropout,
            name=f"block{i + 1}",
        )
    x = layers.Conv1D(1, kernel_size[-1], padding="same", name="output_conv")(x)
    if residual:
        x = layers.Add(name="input_skip")([x, noisy])
    outputs = SqueezeChannels(name="clean")(x)
    return keras.Model(inputs, outputs, name="cnn1d_denoiser")


# 3 frames by 5 bins: with a 32 ms window (bins 31 Hz apart), 156 Hz, so two
# neighbouring harmonics of a voice fall within one kernel
FREQUENCY_KERNEL = (3, 5)


def _frequency_convolutions(z, stack):
    """2D convolutions over (frames, bins, 1).

    The second layer halves the frequency axis; later ones dilate it by 2, 4, ...
    so that their kernels span several harmonics. Returns the first layer's
    maps (every bin) and the last layer's, flattened to one feature vector
    per frame.
    """
    bins = z.shape[2]
    maps = []
    for i, channels in enumerate(stack):
        stride = 2 if i == 1 else 1
        z = layers.Conv2D(
            channels,
            FREQUENCY_KERNEL,
            strides=(1, stride),
            dilation_rate=(1, 2 ** max(i - 1, 0)),
            padding="same",
            activation="relu",
            name=f"frequency_conv{i + 1}",
        )(z)
        maps.append(z)
        bins = -(-bins // stride)
    return maps[0], layers.Reshape((-1, bins * stack[-1]), name="frequency_features")(z)


def _mask_refinement(logits, local_maps, stack):
    """A correction of the mask logits, bin by bin, from 2D convolutions over them and the local maps.

    The last convolution starts at zero, so the correction starts at zero.
    """
    n_bins = logits.shape[-1]
    z = layers.Concatenate(name="refinement_input")(
        [layers.Reshape((-1, n_bins, 1), name="logit_map")(logits), local_maps]
    )
    for i, channels in enumerate(stack):
        z = layers.Conv2D(
            channels, FREQUENCY_KERNEL, padding="same", activation="relu", name=f"refinement_conv{i + 1}"
        )(z)
    z = layers.Conv2D(1, FREQUENCY_KERNEL, padding="same", kernel_initializer="zeros", name="refinement_output")(z)
    return layers.Reshape((-1, n_bins), name="refinement")(z)


def build_stft_mask_denoiser(
    *,
    n_fft: int = 256,
    hop_length: int = 64,
    filters: int | tuple[int, ...] = 128,
    kernel_size: int | tuple[int, ...] = 3,
    n_layers: int = 4,
    dilation: int | tuple[int, ...] = (1, 2, 4, 8),
    batch_norm: bool = False,
    dropout: float = 0.0,
    lstm_units: int | tuple[int, ...] = 0,
    mask: Literal["magnitude", "complex"] = "magnitude",
    frequency_filters: int | tuple[int, ...] = 0,
    refinement_filters: int | tuple[int, ...] = 0,
) -> keras.Model:
    """Build a spectral-mask denoiser: STFT, a 1D CNN over frames, masked inverse STFT.

    The network sees log-magnitude frames (frequency bins as channels, and
    optionally maps of 2D convolutions over time and frequency),
    predicts a mask in [0, 1] per time-frequency bin, applies it to the
    noisy complex spectrum and resynthesises the waveform, all inside the
    model: waveform in, waveform of the same length out.

    Read more in the :ref:`design notes <design_notes_denoiser_networks>`.

    Parameters
    ----------
    n_fft : int, default=256
        STFT window and FFT length (Hann window).
    hop_length : int, default=64
        STFT hop, ``0 < hop_length < n_fft``: the inverse STFT rebuilds
        samples from overlapping frames.
    filters, kernel_size, dilation : int or tuple of int
        Per residual convolution block over frames.
    n_layers : int, default=4
        Number of residual convolution blocks over frames.
    batch_norm : bool, default=False
        BatchNormalization in each block.
    dropout : float, default=0.0
        Dropout rate after each block.
    lstm_units : int or tuple of int, default=0
        Units per direction of a bidirectional LSTM over frames after the
        convolutions (0: none); a tuple stacks one bidirectional LSTM per
        entry. It carries context across the whole input, which helps
        follow one voice through others (babble).
    mask : {"magnitude", "complex"}, default="magnitude"
        A mask in [0, 1] on magnitudes (the noisy phase is kept), or a
        complex ratio mask, which can also correct the phase. The complex
        mask starts as the identity.
    frequency_filters : int or tuple of int, default=0
        Channels of 2D convolutions over frames and frequency bins (kernel 3
        frames by 5 bins, ReLU) applied to the log-magnitude; their maps,
        flattened per frame, are projected (from zero weights, so that
        training starts from the network without them) and added to the
        projection of the log-magnitude that feeds the frame convolutions
        (0: none). A tuple stacks one per entry: the second
        halves the frequency axis, later ones dilate it by 2, 4, ... They
        see the harmonic pattern of a voice, shifted with its pitch, which
        helps most in babble.
    refinement_filters : int or tuple of int, default=0
        Channels of 2D convolutions (kernel 3 frames by 5 bins, ReLU) that
        refine the mask bin by bin (0: none; a tuple stacks one per entry):
        they see the mask's logits beside the first frequency convolution's
        maps (the log-magnitude without ``frequency_filters``), and a last,
        zero-initialised 2D convolution adds its correction to the logits,
        so training starts from the network without them. The mask's 1x1
        projection from the frame features cannot place gains between the
        harmonics of a voice as finely as the spectrum shows them; this path
        can. Magnitude mask only.

    Returns
    -------
    model : keras.Model
        Input ``(None, None, 1)``, output ``(None, None)``; not compiled.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.networks import build_stft_mask_denoiser
    >>> model = build_stft_mask_denoiser(filters=16)
    >>> tuple(model(np.zeros((2, 1001, 1), dtype="float32")).shape)
    (2, 1001)
    """
    check_int(n_fft, "n_fft", minimum=2)
    check_int(hop_length, "hop_length")
    if not hop_length < n_fft:
        raise ValueError(
            f"hop_length={hop_length!r} must be less than n_fft={n_fft!r}: the masked inverse "
            "STFT rebuilds each sample from overlapping frames, and frames hop_length >= n_fft apart do not "
            "overlap, so samples are lost. Give a smaller hop_length (n_fft // 4 is usual)."
        )
    if mask not in ("magnitude", "complex"):
        raise ValueError(f"mask must be 'magnitude' or 'complex', got {mask!r}.")
    lstm_stack = layer_stack(lstm_units, "lstm_units", "bidirectional LSTM")
    frequency_stack = layer_stack(frequency_filters, "frequency_filters", "2D convolution")
    refinement_stack = layer_stack(refinement_filters, "refinement_filters", "mask refinement")
    if refinement_stack and mask != "magnitude":
        raise ValueError(
            f"refinement_filters={refinement_filters!r} refines a magnitude mask; mask={mask!r} is not one."
        )
    n_layers, layer = layer_settings(n_layers, filters=filters, kernel_size=kernel_size, dilation=dilation)
    filters, kernel_size, dilation = (layer[k] for k in ("filters", "kernel_size", "dilation"))
    check_dropout(dropout)
    inputs = keras.Input(shape=(None, 1), name="noisy")
    # float32 under mixed precision too: the spectrum is computed from the waveform as given, not rounded
    wave = SqueezeChannels(name="waveform", dtype="float32")(inputs)
    spectrum = STFT(n_fft, hop_length, name="stft")(wave)
    log_magnitude = LogMagnitude(name="log_magnitude")(spectrum)
    n_bins = 1 + n_fft // 2
    x = layers.Conv1D(filters[0], 1, name="input_projection")(log_magnitude)
    # what the mask refinement sees bin by bin: the first 2D maps, or the log-magnitude itself
    local_maps = layers.Reshape((-1, n_bins, 1), name="frequency_input")(log_magnitude)
    if frequency_stack:
        # added through a zero-initialised projection: the network starts as
        # the one without these maps, and they grow in only as far as they help
        local_maps, maps = _frequency_convolutions(local_maps, frequency_stack)
        maps = layers.Conv1D(filters[0], 1, use_bias=False, kernel_initializer="zeros", name="frequency_projection")(
            maps
        )
        x = layers.Add(name="spectral_features")([x, maps])
    for i in range(n_layers):
        x = conv_block(
            x,
            filters[i],
            kernel_size=kernel_size[i],
            dilation=dilation[i],
            padding="same",
            batch_norm=batch_norm,
            residual=True,
            dropout=dropout,
            name=f"block{i + 1}",
        )
    for i, units in enumerate(lstm_stack):
        name = "bilstm" if i == 0 else f"bilstm{i + 1}"
        x = layers.Bidirectional(layers.LSTM(units, return_sequences=True), name=name)(x)
    if mask == "magnitude" and refinement_stack:
        logits = layers.Conv1D(n_bins, 1, name="mask_logits")(x)
        logits = layers.Add(name="refined_logits")([logits, _mask_refinement(logits, local_maps, refinement_stack)])
        gains = layers.Activation("sigmoid", name="mask")(logits)
    elif mask == "magnitude":
        gains = layers.Conv1D(n_bins, 1, activation="sigmoid", name="mask")(x)
    else:
        # zero-initialised correction: the network starts as the identity
        gains = layers.Conv1D(2 * n_bins, 1, activation="tanh", kernel_initializer="zeros", name="mask")(x)
        gains = layers.Reshape((-1, n_bins, 2), name="complex_mask")(gains)
    outputs = MaskedISTFT(n_fft, hop_length, name="clean")([spectrum, gains, wave])
    return keras.Model(inputs, outputs, name="stft_mask_denoiser")
