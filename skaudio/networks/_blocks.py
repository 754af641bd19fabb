"""Convolutional blocks shared by the builders."""

from keras import layers

from skaudio.networks._validation import check_int, check_real, is_int

PADDINGS = ("valid", "same")


def per_layer(value, n_layers, name):
    """Expand an int >= 1 (or a sequence of n_layers of them) to a tuple of n_layers."""
    if isinstance(value, (list, tuple)):
        if len(value) != n_layers:
            raise ValueError(f"{name} has {len(value)} values but n_layers={n_layers}.")
        values = tuple(value)
    else:
        values = (value,) * n_layers
    if not all(is_int(v, 1) for v in values):
        raise ValueError(f"{name} must be an int >= 1 or a tuple of them (one per block), got {value!r}.")
    return values


def check_padding(padding):
    """``padding`` itself, or a ValueError: the timing of the blocks is known for these two only."""
    if padding not in PADDINGS:
        raise ValueError(f"padding must be one of {PADDINGS}, got {padding!r}.")
    return padding


def check_dropout(dropout):
    """``dropout`` as a float in [0, 1): a rate of 1 drops everything (and Keras divides by 1 - rate)."""
    return check_real(dropout, "dropout", low=0.0, high=1.0, high_open=True)


def layer_stack(value, name, layer):
    """The size of each layer of a stack: ``0`` none, an int one layer, a tuple one per entry."""
    stack = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    smallest = 1 if len(stack) > 1 else 0  # in a stack, every entry is a layer
    for size in stack:
        if not is_int(size, smallest):
            raise ValueError(
                f"{name} must be an int >= 0 (0: no {layer}) or a tuple of ints >= 1 (one {layer} per entry), "
                f"got {value!r}."
            )
    return tuple(size for size in stack if size)


def layer_settings(n_layers, *, default_layers=1, **values):
    """Resolve the number of blocks and expand each per-block setting to a tuple.

    ``n_layers=None`` means ``len(filters)`` when ``filters`` is a sequence,
    else ``default_layers``.

    Returns
    -------
    n_layers : int
    settings : dict of str to tuple
        One value per block for each keyword given.
    """
    if n_layers is None:
        filters = values.get("filters")
        n_layers = len(filters) if isinstance(filters, (list, tuple)) else default_layers
        if n_layers == 0:
            raise ValueError(f"filters={filters!r} gives no block: give at least one filter count.")
    check_int(n_layers, "n_layers")
    return n_layers, {name: per_layer(value, n_layers, name) for name, value in values.items()}


def conv_block(
    x, filters, *, kernel_size, dilation=1, padding="valid", batch_norm=False, residual=False, dropout=0.0, name
):
    """Conv1D > [BatchNorm] > ReLU > [Dropout], with an optional residual path.

    With ``batch_norm`` the convolution has no bias (BatchNorm's shift
    replaces it) and the ReLU comes after the normalisation. With
    ``residual`` the block's input, projected by a 1x1 convolution when the
    channel count changes, is added before the activation; this needs
    ``padding="same"`` so both paths keep the same length.
    """
    shortcut = x
    y = layers.Conv1D(
        filters,
        kernel_size,
        padding=padding,
        dilation_rate=dilation,
        use_bias=not batch_norm,
        activation=None if (batch_norm or residual) else "relu",
        name=f"{name}_conv",
    )(x)
    if batch_norm:
        y = layers.BatchNormalization(name=f"{name}_bn")(y)
    if residual:
        if shortcut.shape[-1] != filters:
            shortcut = layers.Conv1D(filters, 1, name=f"{name}_proj")(shortcut)
        y = layers.Add(name=f"{name}_add")([y, shortcut])
    if batch_norm or residual:
        y = layers.ReLU(name=f"{name}_relu")(y)
    if dropout:
        y = layers.Dropout(dropout, name=f"{name}_dropout")(y)
    return y


def pooled_blocks(x, *, filters, kernel_size, pool_size, dilation, padding, batch_norm, dropout, residual=False):
    """``conv_block`` i, then max pooling over time by ``pool_size[i]`` (1: none), for each block.

    The per-block settings are tuples (``layer_settings``). An input of a
    known number of frames too short for them is refused with the settings
    named: Keras would say only that an output size is zero or negative.
    """
    n_input_frames = x.shape[1]
    for i in range(len(filters)):
        # a "valid" convolution loses its reach; then at least one window of the pooling must remain
        needed = ((kernel_size[i] - 1) * dilation[i] if padding == "valid" else 0) + pool_size[i]
        if x.shape[1] is not None and x.shape[1] < needed:
            raise ValueError(
                f"The input of {n_input_frames} frames is too short for the blocks of kernel_size={kernel_size}, "
                f"dilation={dilation} and pool_size={pool_size} with padding={padding!r}: block {i + 1} gets "
                f"{x.shape[1]} frames and needs {needed}. Use fewer layers, smaller kernels or pools, or longer clips."
            )
        x = conv_block(
            x,
            filters[i],
            kernel_size=kernel_size[i],
            dilation=dilation[i],
            padding=padding,
            batch_norm=batch_norm,
            residual=residual,
            dropout=dropout,
            name=f"block{i + 1}",
        )
        if pool_size[i] > 1:
            x = layers.MaxPooling1D(pool_size[i], name=f"block{i + 1}_pool")(x)
    return x


def time_frequency_stack(conv2d_filters, frequency_pooling):
    """Check ``conv2d_filters`` and ``frequency_pooling``; the 2D blocks' sizes (empty: none)."""
    if frequency_pooling not in ("flatten", "max"):
        raise ValueError(f"frequency_pooling must be 'flatten' or 'max', got {frequency_pooling!r}.")
    conv2d_stack = () if conv2d_filters is None else layer_stack(conv2d_filters, "conv2d_filters", "2D block")
    if frequency_pooling != "flatten" and not conv2d_stack:
        raise ValueError(f"frequency_pooling={frequency_pooling!r} pools the 2D blocks' output: set conv2d_filters.")
    return conv2d_stack


def check_cepstrum(cepstral_coefficients, conv2d_stack):
    """Check ``cepstral_coefficients``; refuse 2D blocks after a ``Cepstrum`` layer (no frequency axis left)."""
    if cepstral_coefficients is not None:
        check_int(cepstral_coefficients, "cepstral_coefficients")
    if conv2d_stack and cepstral_coefficients:
        raise ValueError(
            "conv2d_filters needs a frequency axis (log-mel or spectrogram features); "
            "cepstral_coefficients turns it into cepstral coefficients first. Set one of them."
        )


def time_frequency_blocks(x, filters, *, batch_norm=False, frequency_pooling="flatten", name="conv2d"):
    """2D convolution blocks over ``(frames, features)``, turned back into one vector per frame.

    Each block is Conv2D(3 x 3, "same") > MaxPool over the feature axis by
    2 > [BatchNorm] > ReLU (without BatchNorm the ReLU is the convolution's
    activation, which max pooling commutes with). The kernels are shared
    across feature bins, so a pattern learnt in one band (a harmonic stack,
    a narrow band of noise) is recognised in any other, which a 1D
    convolution over time, with the bins as channels, cannot do.
    ``frequency_pooling="flatten"`` returns
    ``(frames, bins' * filters[-1])`` (where in frequency stays known);
    ``"max"`` returns ``(frames, filters[-1])``, each filter's strongest
    response over the bins, so what follows sees a pattern's course in
    time wherever in frequency it lies.
    """
    bins = x.shape[-1]
    if bins is None or bins < 2 ** len(filters):
        raise ValueError(
            f"{len(filters)} 2D blocks halve the feature axis {len(filters)} times; "
            f"the input has {bins} features per frame, fewer than {2 ** len(filters)}."
        )
    x = layers.Reshape((-1, bins, 1), name=f"{name}_channels")(x)
    for i, channels in enumerate(filters):
        x = layers.Conv2D(
            channels,
            3,
            padding="same",
            use_bias=not batch_norm,
            activation=None if batch_norm else "relu",
            name=f"{name}{i + 1}_conv",
        )(x)
        # Pooling first, so the normalisation and activation work on half the
        # values (faster at the same accuracy: design notes, classifier).
        x = layers.MaxPooling2D((1, 2), name=f"{name}{i + 1}_pool")(x)
        if batch_norm:
            x = layers.BatchNormalization(name=f"{name}{i + 1}_bn")(x)
            x = layers.ReLU(name=f"{name}{i + 1}_relu")(x)
        bins //= 2
    if frequency_pooling == "max":
        x = layers.MaxPooling2D((1, bins), name=f"{name}_frequency_max")(x)
        bins = 1
    return layers.Reshape((-1, bins * filters[-1]), name=f"{name}_frames")(x)
