"""Event timelines of one scene: reference and estimated events, one row per label."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from skaudio.plotting._base import (
    cell_extent,
    check_hop_length,
    check_sr,
    check_waveform,
    features_from_waveform,
    get_axes,
)
from skaudio.utils import check_event_lists, event_labels, looks_like_event_lists

if TYPE_CHECKING:
    from matplotlib.axes import Axes

REFERENCE_COLOR = "tab:blue"
ESTIMATED_COLOR = "tab:orange"


def _check_events(events, name):
    if events is None:
        return None
    if looks_like_event_lists(events) and any(events):  # one list per scene, where one scene's events go
        raise ValueError(
            f"{name} holds {len(events)} lists of events, one per scene: plot_events draws one scene; pass "
            f"{name}[i], the events of scene i."
        )
    return check_event_lists([events], name=name)[0]


def plot_events(
    reference: Sequence[Sequence[Any]] | None = None,
    estimated: Sequence[Sequence[Any]] | None = None,
    *,
    waveform: ArrayLike | None = None,
    sr: float | None = None,
    hop_length: int | None = None,
    ax: Axes | None = None,
    labels: Sequence[Hashable] | None = None,
    title: str | None = None,
) -> Axes:
    """Plot the reference and estimated sound events of one scene as timelines.

    Everything is drawn on one axes. The y axis has one row per label (the
    first label at the top, tick labels naming them); the x axis is time in
    seconds. Each event is a horizontal bar from its onset to its offset in
    its label's row: reference events in blue in the upper half of the row,
    estimated events in orange in the lower half, so that hits, misses and
    false alarms show as bars with or without a partner. When only one of
    ``reference`` and ``estimated`` is given, its bars fill the row. A
    legend above the axes names the two colours.

    With ``waveform`` and ``sr``, the scene's log-mel spectrogram is drawn
    behind the rows as a grey backdrop spanning the whole height of the axes
    (low frequencies at the bottom); its frequency axis has no ticks, the
    rows keep theirs.

    Parameters
    ----------
    reference : list of (float, float, label) or None, default=None
        The true events of the scene, ``(onset_s, offset_s, label)``. An
        empty list is a scene without events.
    estimated : list of (float, float, label) or None, default=None
        The predicted events of the same scene, e.g. one entry of
        :meth:`CRNNEventDetector.predict_events
        <skaudio.models.CRNNEventDetector.predict_events>`.
    waveform : array-like of shape (n_samples,) or None, default=None
        The scene's audio, drawn as a log-mel backdrop; needs ``sr``.
    sr : float > 0 or None, default=None
        Sample rate of ``waveform`` in Hz.
    hop_length : int > 0 or None, default=None
        Hop of the backdrop's spectrogram; None uses ``n_fft // 4``, pooled
        over runs of frames for a long recording (see
        :func:`plot_spectrogram`). Only used with ``waveform``.
    ax : matplotlib.axes.Axes or None, default=None
        Where to draw; None creates a new figure, taller than the default
        where the labels need it so that their rows stay legible.
    labels : sequence of labels or None, default=None
        The rows, top to bottom. None uses the sorted labels of all the
        events given. Every event's label must be in it; labels without
        events get an empty row.
    title : str or None, default=None
        Title of the axes.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes. Its bars are in ``ax.containers`` (one
        :class:`~matplotlib.container.BarContainer` for the reference events
        and one for the estimated events, when they are not empty; one
        rectangle per event). The x limits run from 0 to the end of the last
        event or of the waveform, whichever is later.

    Raises
    ------
    ValueError
        Neither ``reference`` nor ``estimated`` given; a malformed event
        (message as :func:`skaudio.utils.check_event_lists`); an event whose
        label is not in ``labels``; ``waveform`` without ``sr`` or not 1D.
    ImportError
        matplotlib is not installed (``pip install 'skaudio[plot]'``).

    See Also
    --------
    plot_spectrogram : A spectrogram on its own axes, with frequency ticks.
    skaudio.metrics.event_based_scores : Score estimated events against reference.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from skaudio.plotting import plot_events
    >>> reference = [(0.5, 1.5, "dog"), (2.0, 2.4, "bird"), (3.0, 4.0, "dog")]
    >>> estimated = [(0.6, 1.4, "dog"), (3.2, 3.5, "bird")]
    >>> ax = plot_events(reference, estimated)
    >>> [len(bars) for bars in ax.containers]
    [3, 2]
    >>> [tick.get_text() for tick in ax.get_yticklabels()], [float(x) for x in ax.get_xlim()]
    (['bird', 'dog'], [0.0, 4.0])
    >>> plt.close(ax.figure)
    """
    if reference is None and estimated is None:
        raise ValueError("plot_events needs events: pass reference=, estimated= or both.")
    reference = _check_events(reference, "reference")
    estimated = _check_events(estimated, "estimated")
    given = [events for events in (reference, estimated) if events is not None]
    if labels is None:
        labels = event_labels(given)
    else:
        if isinstance(labels, str):
            raise ValueError(f"labels must be a sequence of labels, got the str {labels!r}; wrap it in a list.")
        labels = list(labels)
        if len(set(labels)) != len(labels):
            raise ValueError(f"labels has duplicates: {labels!r}.")
        for name, events in (("reference", reference), ("estimated", estimated)):
            for k, (_, _, label) in enumerate(events or []):
                if label not in labels:
                    raise ValueError(f"{name}[{k}] has label {label!r}, which is not in labels={labels!r}.")
    hop_length = check_hop_length(hop_length)
    y = None
    if waveform is not None:
        sr = check_sr(sr, why="draw the waveform's spectrogram on a time axis in seconds")
        y = check_waveform(waveform, "waveform")

    n_rows = len(labels)
    ax = get_axes(ax, n_rows=n_rows)  # one legible row per label
    row_of = {label: n_rows - 1 - i for i, label in enumerate(labels)}  # first label on top
    bottom, top = -0.5, max(n_rows, 1) - 0.5

    end = max((offset for events in given for _, offset, _ in events), default=0.0)
    if y is not None:
        duration = y.shape[0] / sr
        end = max(end, duration)
        mel, hop, frames_per_row = features_from_waveform(y, sr=sr, kind="mel", hop_length=hop_length)
        ax.imshow(
            mel.T,
            origin="lower",
            aspect="auto",
            interpolation="nearest",
            cmap="Greys",
            extent=(*cell_extent(len(mel), sr=sr, hop_length=hop, frames_per_cell=frames_per_row), bottom, top),
            zorder=0,
        )
    if end <= 0:
        end = 1.0

    both = reference is not None and estimated is not None
    from matplotlib.patches import Patch

    handles = []
    for name, events, color, shift in (
        ("reference", reference, REFERENCE_COLOR, 0.2),
        ("estimated", estimated, ESTIMATED_COLOR, -0.2),
    ):
        if events is None:
            continue
        height = 0.4 if both else 0.8
        offset_y = shift if both else 0.0
        if events:
            onsets = np.array([e[0] for e in events])
            widths = np.array([e[1] - e[0] for e in events])
            rows = np.array([row_of[e[2]] + offset_y for e in events])
            ax.barh(
                rows,
                widths,
                left=onsets,
                height=height,
                color=color,
                alpha=0.85,
                edgecolor="black",
                # outlines help a few bars stand apart; over hundreds (a long recording) they hide the fills
                linewidth=0.5 if len(events) <= 100 else 0.0,
                label=name,
                zorder=2,
            )
        handles.append(Patch(facecolor=color, edgecolor="black", linewidth=0.5, alpha=0.85, label=name))

    ax.set_xlim(0.0, float(end))
    ax.set_ylim(bottom, top)
    ax.set_yticks([row_of[label] for label in labels])
    ax.set_yticklabels([str(label) for label in labels])
    for row in range(1, n_rows):
        ax.axhline(row - 0.5, color="0.7", linewidth=0.5, zorder=1)
    ax.set_xlabel("Time (s)")
    # Above the axes, so that it never hides a bar; a legend the caller's axes held stays beside it.
    own_legend = ax.get_legend()
    ax.legend(
        handles=handles,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncol=2,
        fontsize="small",
        frameon=False,
        borderaxespad=0.2,
    )
    if own_legend is not None:
        ax.add_artist(own_legend)
    if title is not None:
        ax.set_title(title)
    return ax
