"""Waveforms and spectrograms of one clip."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike

from skaudio.plotting._base import (
    MAX_PLOTTED_FRAMES,
    cell_extent,
    check_hop_length,
    check_sr,
    check_waveform,
    envelope,
    features_from_waveform,
    get_axes,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_KINDS = ("mel", "mfcc", "stft")
_FEATURE_LABELS = {"mel": "Mel band", "mfcc": "MFCC coefficient", "stft": "Frequency bin"}


def plot_waveform(y: ArrayLike, *, sr: float, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Plot one waveform against time in seconds.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        One mono clip. Integer PCM is scaled to [-1, 1].
    sr : float > 0
        Sample rate in Hz: sample ``n`` is drawn at ``n / sr`` seconds.
    ax : matplotlib.axes.Axes or None, default=None
        Where to draw; None creates a new figure.
    title : str or None, default=None
        Title of the axes.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes holding one line: a clip of up to 16,384 samples drawn
        sample by sample; a longer one (a long recording) through the
        minimum and maximum of each of 8,192 runs of consecutive samples, so
        that every peak stays visible and memory stays bounded. The x
        limits are ``[0, n_samples / sr]``, the duration of the clip.

    Raises
    ------
    ValueError
        ``y`` is not 1D, is empty or holds NaN or inf; ``sr`` is missing or
        not > 0.
    ImportError
        matplotlib is not installed (``pip install 'skaudio[plot]'``).

    See Also
    --------
    plot_spectrogram : The same clip as a time-frequency image.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from skaudio.plotting import plot_waveform
    >>> y = np.sin(2 * np.pi * 440 * np.arange(8000) / 8000)
    >>> ax = plot_waveform(y, sr=8000, title="A4")
    >>> ax.get_xlabel(), [float(x) for x in ax.get_xlim()]
    ('Time (s)', [0.0, 1.0])
    >>> plt.close(ax.figure)
    """
    sr = check_sr(sr, why="put the waveform on a time axis in seconds")
    y = check_waveform(y, "y")
    ax = get_axes(ax)
    if y.shape[0] <= 2 * MAX_PLOTTED_FRAMES:
        ax.plot(np.arange(y.shape[0]) / sr, y, linewidth=0.8)
    else:
        starts, low, high = envelope(y)
        ax.plot(np.repeat(starts / sr, 2), np.column_stack([low, high]).ravel(), linewidth=0.8)
    ax.set_xlim(0.0, y.shape[0] / sr)
    ax.set_xlabel("Time (s)")
    ax.set_ylabel("Amplitude")
    if title is not None:
        ax.set_title(title)
    return ax


def _frame_extent(n_rows, sr, hop_length, frames_per_row):
    """x extent of the image and the x label: seconds when possible, else frames."""
    if sr is not None and hop_length is not None:
        return cell_extent(n_rows, sr=sr, hop_length=hop_length, frames_per_cell=frames_per_row), "Time (s)"
    return (-0.5, n_rows - 0.5), "Frame"


def plot_spectrogram(
    features: ArrayLike,
    *,
    sr: float | None = None,
    hop_length: int | None = None,
    kind: Literal["mel", "mfcc", "stft"] = "mel",
    ax: Axes | None = None,
    title: str | None = None,
    colorbar: bool = True,
) -> Axes:
    """Plot a spectrogram, or compute and plot one from a waveform.

    Features are drawn as an image with time on the x axis and the feature
    index (mel band, MFCC coefficient, or frequency) on the y axis, lowest at
    the bottom.

    Parameters
    ----------
    features : array-like of shape (n_frames, n_features) or (n_samples,)
        Either the features of one clip, time first, as skaudio's
        transformers output them (``Spectrogram().fit_transform(X)[i]``), or
        a 1D waveform. A waveform needs ``sr``; its features are computed
        with :class:`~skaudio.preprocessing.Spectrogram` (``kind="mel"``: a
        64-band log-mel; ``kind="stft"``: a log-magnitude STFT) or
        :class:`~skaudio.preprocessing.MFCC` (``kind="mfcc"``: 20
        coefficients), with ``n_fft`` a power of two near 64 ms (512 at
        8 kHz, 1024 at 16 kHz, 2048 at 44.1 kHz) and ``hop_length`` (default
        ``n_fft // 4``). Without a ``hop_length``, a waveform of more than
        8,192 frames (a long recording) is analysed in blocks and each run of
        frames drawn as its maximum, so that memory stays bounded and a
        short loud sound stays visible.
    sr : float > 0 or None, default=None
        Sample rate in Hz. Required for a waveform.
    hop_length : int > 0 or None, default=None
        Samples between frames. With ``sr``, the x axis is in seconds
        (frame ``i`` at ``i * hop_length / sr``); without either, in frames.
    kind : {"mel", "mfcc", "stft"}, default="mel"
        What the features are (labels the y axis; with ``sr``, an STFT's y
        axis is in Hz), or which to compute from a waveform.
    ax : matplotlib.axes.Axes or None, default=None
        Where to draw; None creates a new figure.
    title : str or None, default=None
        Title of the axes.
    colorbar : bool, default=True
        Add a colour bar next to ``ax`` (a second axes in the figure),
        labelled ``"dB"`` for spectrograms computed here.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes holding the image (``ax.images[0]``, of shape
        ``(n_features, n_frames)``).

    Raises
    ------
    ValueError
        ``features`` is neither 1D nor 2D, is empty or not finite; a
        waveform without ``sr``; an unknown ``kind``; a bad ``hop_length``.
    ImportError
        matplotlib is not installed (``pip install 'skaudio[plot]'``).

    See Also
    --------
    skaudio.preprocessing.Spectrogram : STFT and mel spectrograms.
    skaudio.preprocessing.MFCC : Cepstral coefficients.
    plot_events : Event timelines over a scene's spectrogram.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from skaudio.plotting import plot_spectrogram
    >>> from skaudio.preprocessing import MFCC
    >>> y = np.random.default_rng(0).standard_normal(8000).astype(np.float32)
    >>> ax = plot_spectrogram(y, sr=8000)
    >>> ax.images[0].get_array().shape, ax.get_xlabel(), ax.get_ylabel()
    ((64, 63), 'Time (s)', 'Mel band')
    >>> plt.close(ax.figure)

    Features from a transformer, time first:

    >>> mfcc = MFCC(sr=8000, n_mfcc=13, n_fft=256, hop_length=128).fit_transform(y[None])[0]
    >>> ax = plot_spectrogram(mfcc, sr=8000, hop_length=128, kind="mfcc", colorbar=False)
    >>> ax.images[0].get_array().shape, ax.get_ylabel()
    ((13, 63), 'MFCC coefficient')
    >>> plt.close(ax.figure)
    """
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, got {kind!r}.")
    hop_length = check_hop_length(hop_length)
    arr = np.asarray(features)
    computed = False
    frames_per_row = 1
    if arr.ndim == 1:
        sr = check_sr(sr, why="compute a spectrogram from a 1D waveform")
        y = check_waveform(arr, "features")
        arr, hop_length, frames_per_row = features_from_waveform(y, sr=sr, kind=kind, hop_length=hop_length)
        computed = True
    elif arr.ndim == 2:
        if sr is not None:
            sr = check_sr(sr, why="")
        if arr.size == 0:
            raise ValueError(f"features is empty: shape {arr.shape}.")
        if arr.dtype.kind not in "iuf":
            raise ValueError(f"features must be real numbers, got dtype {arr.dtype}.")
        if not np.isfinite(arr).all():
            raise ValueError("features contains NaN or infinite values.")
    else:
        raise ValueError(
            f"features must be 2D (n_frames, n_features) for one clip's features, or 1D for a "
            f"waveform, got ndim={arr.ndim} with shape {arr.shape}"
            + ("; pass one clip of a batch, e.g. features[0]." if arr.ndim == 3 else ".")
        )

    ax = get_axes(ax)
    n_frames, n_features = arr.shape
    (x0, x1), xlabel = _frame_extent(n_frames, sr, hop_length, frames_per_row)
    if kind == "stft" and sr is not None and n_features > 1:
        # n_features = 1 + n_fft // 2 bins from 0 Hz to sr / 2.
        half_bin = sr / (4 * (n_features - 1))
        (y0, y1), ylabel = (-half_bin, sr / 2 + half_bin), "Frequency (Hz)"
    else:
        (y0, y1), ylabel = (-0.5, n_features - 0.5), _FEATURE_LABELS[kind]
    image = ax.imshow(
        arr.T, origin="lower", aspect="auto", interpolation="nearest", extent=(x0, x1, y0, y1), cmap="magma"
    )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    if colorbar:
        bar = ax.figure.colorbar(image, ax=ax)
        if computed and kind != "mfcc":
            bar.set_label("dB")
    return ax
