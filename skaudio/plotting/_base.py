"""Shared helpers of the plotting functions: lazy matplotlib, axes, input checks."""

import math

import numpy as np

from skaudio.utils import is_integer, is_number, to_float32

_INSTALL_HINT = "pip install 'skaudio[plot]'"


def pyplot():
    """``matplotlib.pyplot``, imported on first use, or an ImportError that says how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            f"skaudio.plotting needs matplotlib, which is not installed. Install it with: {_INSTALL_HINT} "
            "(or pip install 'matplotlib>=3.5')."
        ) from exc
    return plt


def get_axes(ax, *, n_rows=0):
    """``ax`` itself, or the axes of a new figure when None.

    A new figure is tall enough for ``n_rows`` rows of y tick labels that do not overlap (1.5 lines of
    text each), and has the default size when that is taller.
    """
    plt = pyplot()
    if ax is None:
        from matplotlib.font_manager import FontProperties

        width, height = plt.rcParams["figure.figsize"]
        line = FontProperties(size=plt.rcParams["ytick.labelsize"]).get_size_in_points() / 72  # inches
        axes_fraction = plt.rcParams["figure.subplot.top"] - plt.rcParams["figure.subplot.bottom"]
        _, ax = plt.subplots(figsize=(width, max(height, 1.5 * line * n_rows / axes_fraction)))
        return ax
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise ValueError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}.")
    return ax


def check_sr(sr, *, why):
    """A sample rate as float > 0; ``why`` completes "sr is needed to ..."."""
    if sr is None:
        raise ValueError(f"sr (the sample rate in Hz) is needed to {why}; pass sr=<Hz>.")
    if not is_number(sr) or not math.isfinite(sr) or sr <= 0:
        raise ValueError(f"sr must be a number > 0 (the sample rate in Hz), got {sr!r}.")
    return float(sr)


def check_hop_length(hop_length):
    if hop_length is None:
        return None
    if not is_integer(hop_length) or hop_length < 1:
        raise ValueError(f"hop_length must be an int > 0 (samples between frames) or None, got {hop_length!r}.")
    return int(hop_length)


def check_waveform(y, name):
    """One mono clip as a 1D float32 array (integer PCM scaled to [-1, 1])."""
    arr = np.asarray(y) if not hasattr(y, "ndim") else y
    if arr.ndim != 1:
        hint = ""
        if arr.ndim == 2:
            # which axis holds the channels: the shorter one, as for any recording longer than its channel count
            if arr.shape[0] < arr.shape[1]:
                channels, mix = "(n_channels, n_samples)", "axis=0"
            else:
                channels, mix = "(n_samples, n_channels)", "axis=1"
            hint = f"; a multichannel recording {channels}? Mix it to mono, {name}.mean({mix})"
        raise ValueError(f"{name} must be a 1D waveform (n_samples,), got an array with shape {arr.shape}{hint}.")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty: the waveform needs at least one sample.")
    y = to_float32(arr, name=name)
    finite = np.isfinite(y)
    if not finite.all():
        raise ValueError(f"{name} contains NaN or infinite values (first at sample {int(np.argmin(finite))}).")
    return y


def default_n_fft(sr):
    """A power of two close to 64 ms at ``sr`` (512 at 8 kHz, 1024 at 16-22.05 kHz, 2048 at 44.1-48 kHz)."""
    return max(64, 2 ** int(math.floor(math.log2(0.064 * sr))))


# A plot has a few thousand pixels across: more frames (or samples) than this are pooled (below), which
# bounds the memory a long recording takes (an hour at 16 kHz is 450,000 frames at the default hop).
MAX_PLOTTED_FRAMES = 8192


def cell_extent(n_cells, *, sr, hop_length, frames_per_cell=1):
    """x extent in seconds of an image whose cell ``i`` holds frames ``i * k`` to ``i * k + k - 1``.

    Frame ``j`` is centred on ``j * hop_length / sr`` (skaudio's transformers centre their frames), so
    the image starts half a frame before 0 s; ``k = frames_per_cell`` > 1 for pooled frames.
    """
    step = hop_length / sr
    return -0.5 * step, (n_cells * frames_per_cell - 0.5) * step


def envelope(y, n_runs=MAX_PLOTTED_FRAMES):
    """Start sample, minimum and maximum of each of at most ``n_runs`` runs of consecutive samples of ``y``.

    Drawn as a line through each run's minimum and maximum, it shows every peak of a clip too long to
    draw sample by sample, in memory of the order of ``n_runs``.
    """
    run = -(-len(y) // n_runs)
    whole = len(y) // run * run  # a view of the whole runs; the last, shorter run apart (no padded copy)
    runs = y[:whole].reshape(-1, run)
    low, high = runs.min(axis=1), runs.max(axis=1)
    if whole < len(y):
        low = np.append(low, y[whole:].min())
        high = np.append(high, y[whole:].max())
    return np.arange(len(low)) * run, low, high


def features_from_waveform(y, *, sr, kind, hop_length):
    """Log-mel (64 bands), log-STFT or MFCC of one clip, time first, with the hop and frames per row.

    ``sr`` must be an int here: skaudio's transformers take an integer rate. Without a
    ``hop_length``, a recording of more than ``MAX_PLOTTED_FRAMES`` frames is analysed in blocks of a
    bounded number of frames and each run of ``frames_per_row`` consecutive frames is reduced to its
    maximum (a short loud event stays visible), so memory stays bounded whatever the recording's length.

    Returns
    -------
    features : ndarray of shape (n_rows, n_features)
    hop : int
        Samples between the analysed frames.
    frames_per_row : int
        Frames pooled into each row (1 when nothing is pooled).
    """
    from skaudio.preprocessing import MFCC, Spectrogram

    if float(sr) != int(sr):
        raise ValueError(f"sr must be a whole number of Hz to compute a spectrogram, got {sr!r}.")
    sr = int(sr)
    n_fft = default_n_fft(sr)
    hop = n_fft // 4 if hop_length is None else hop_length
    if kind == "mel":
        transformer = Spectrogram(sr=sr, n_mels=64, n_fft=n_fft, hop_length=hop)
    elif kind == "stft":
        transformer = Spectrogram(sr=sr, kind="stft", n_fft=n_fft, hop_length=hop)
    else:
        transformer = MFCC(sr=sr, n_mfcc=20, n_mels=64, n_fft=n_fft, hop_length=hop)
    n_frames = 1 + len(y) // hop
    factor = -(-n_frames // MAX_PLOTTED_FRAMES)
    if hop_length is not None or factor <= 1:
        return transformer.fit_transform(y[np.newaxis])[0], hop, 1
    # whole groups of pooled frames per block, about MAX_PLOTTED_FRAMES frames whatever the length
    block = factor * max(1, MAX_PLOTTED_FRAMES // factor) * hop
    pooled = []
    for start in range(0, len(y), block):
        frames = transformer.fit_transform(y[np.newaxis, start : start + block])[0]
        frames = frames[: -(-min(block, len(y) - start) // hop)]  # a block's frames, not its padded edge's
        groups = -(-len(frames) // factor)
        padded = np.pad(frames, ((0, groups * factor - len(frames)), (0, 0)), mode="edge")
        pooled.append(padded.reshape(groups, factor, -1).max(axis=1))
    return np.concatenate(pooled), hop, factor
