"""Convolutional blocks shared by the builders."""

from keras import layers


def per_layer(value, n_layers, name):
    """Expand an int (or a sequence of n_layers values) to a tuple of n_layers."""
    if isinstance(value, (list, tuple)):
        if len(value) != n_layers:
            raise ValueError(f"{name} has {len(value)} values but n_layers={n_layers}.")
        return tuple(value)
    return (value,) * n_layers


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
