"""Event annotations: per clip, a list of ``(onset_s, offset_s, label)``."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np

from skaudio.utils._validation import is_number, is_ragged


def is_sequence(obj: object) -> bool:
    """Whether ``obj`` is a list, tuple, ndarray...: indexable and sized, but neither a string nor a mapping.

    Parameters
    ----------
    obj : object
        Anything.

    Returns
    -------
    sequence : bool

    Examples
    --------
    >>> is_sequence([1, 2]), is_sequence("ab"), is_sequence({"a": 1})
    (True, False, False)
    """
    return not isinstance(obj, (str, bytes, Mapping)) and hasattr(obj, "__len__") and hasattr(obj, "__getitem__")


def check_scene_events(
    scene: Sequence[Sequence[Any]], where: str, *, allow_zero_duration: bool = True
) -> tuple[list[float], list[float], list[Hashable]]:
    """The events of one scene as three lists (onsets, offsets, labels), validated.

    Parameters
    ----------
    scene : list of (onset, offset, label)
        One scene's events: onsets and offsets in seconds (finite, onset >= 0,
        offset >= onset), hashable labels.
    where : str
        The scene's name in error messages, e.g. ``"y[3]"``.
    allow_zero_duration : bool, default=True
        Whether an event may have its offset at its onset. Training
        annotations may not: such an event covers no audio.

    Returns
    -------
    onsets : list of float
    offsets : list of float
    labels : list of hashable
        The events' fields, in the scene's order; numpy scalar labels as
        plain Python values.

    Raises
    ------
    ValueError
        If an event is not a triple, or one of its fields is invalid; the
        message names the event (``where[k]``).

    Examples
    --------
    >>> from skaudio.utils import check_scene_events
    >>> check_scene_events([(0.5, 1.0, "dog"), (2, 2.5, "bird")], "y[0]")
    ([0.5, 2.0], [1.0, 2.5], ['dog', 'bird'])
    >>> check_scene_events([(1.0, 0.5, "dog")], "y[0]")
    Traceback (most recent call last):
    ...
    ValueError: y[0][0] has its offset 0.5 s before its onset 1.0 s.
    """
    if hasattr(scene, "columns"):  # iterating a DataFrame gives its column names, not its rows
        raise ValueError(
            f"{where} is a table; give its rows as events, e.g. list(df[['onset', 'offset', 'label']]"
            ".itertuples(index=False))."
        )
    if not is_sequence(scene):
        raise ValueError(f"{where} must be a list of (onset, offset, label) events, got {scene!r}.")
    onsets, offsets, labels = [], [], []
    for k, event in enumerate(scene):
        at = f"{where}[{k}]"
        if not is_sequence(event) or len(event) != 3:
            hint = ""
            if k == 0 and len(scene) == 3 and is_number(event):
                # The usual slip: one scene's events passed where a list of scenes is expected.
                hint = " (did you pass one scene's events? Wrap them in a list: one entry per scene)"
            raise ValueError(f"{at} is not an (onset, offset, label) triple: {event!r}{hint}.")
        onset, offset, label = event
        if not (is_number(onset) and is_number(offset)):
            raise ValueError(f"{at} needs numeric onset and offset (seconds), got {onset!r} and {offset!r}.")
        onset, offset = float(onset), float(offset)
        if not (math.isfinite(onset) and math.isfinite(offset)):
            raise ValueError(f"{at} has a non-finite onset or offset: ({onset}, {offset}).")
        if onset < 0:
            raise ValueError(f"{at} has a negative onset: {onset} s.")
        if offset < onset:
            raise ValueError(f"{at} has its offset {offset} s before its onset {onset} s.")
        if offset == onset and not allow_zero_duration:
            raise ValueError(
                f"{at} lasts 0 s (onset and offset both {onset} s): an event needs its offset after its onset."
            )
        try:
            hash(label)
        except TypeError:
            raise ValueError(f"{at} has an unhashable label: {label!r}.") from None
        onsets.append(onset)
        offsets.append(offset)
        labels.append(label.item() if isinstance(label, np.generic) else label)  # np.int64(3) is the label 3
    return onsets, offsets, labels


def looks_like_event_lists(y: object) -> bool:
    """Whether ``y`` is per-clip event lists rather than a label array.

    Event lists are a list (or a 1D object array, or a pandas Series) whose
    items are lists of 3-sequences; a clip with no event is an empty list. A
    label indicator such as ``[[0, 1], [1, 0]]`` has numbers, not events, in
    its rows.

    Parameters
    ----------
    y : object
        Targets as given to ``fit``.

    Returns
    -------
    bool
    """
    if not is_ragged(y) or len(y) == 0:  # a list, tuple, 1D object array or pandas column
        return False
    rows = list(y)
    return all(isinstance(row, (list, tuple)) for row in rows) and all(
        is_sequence(event) and len(event) == 3 and not is_sequence(event[0]) for row in rows for event in row
    )


def check_event_lists(
    events: Sequence[Sequence[Sequence[Any]]], *, name: str = "events", allow_zero_duration: bool = True
) -> list[list[tuple[float, float, Hashable]]]:
    """Validate per-clip event lists and return them as lists of ``(float, float, label)``.

    Parameters
    ----------
    events : list of list of (float, float, label)
        Per clip, its events; an empty list for a clip without events.
    name : str, default="events"
        Name used in error messages.
    allow_zero_duration : bool, default=True
        Whether an event may have its offset at its onset (see
        :func:`check_scene_events`).

    Returns
    -------
    events : list of list of (float, float, label)
        In the given order, times as Python floats, numpy scalar labels
        unwrapped to Python scalars.

    Raises
    ------
    ValueError
        Not a list of event lists, an event that is not ``(onset, offset,
        label)``, a negative or non-finite time, an offset before its onset
        (or at it, unless ``allow_zero_duration``), an unhashable label. The message names the clip and the event.

    Examples
    --------
    >>> from skaudio.utils import check_event_lists
    >>> check_event_lists([[(0.5, 1, "dog"), (0.1, 0.2, "cat")], []])
    [[(0.5, 1.0, 'dog'), (0.1, 0.2, 'cat')], []]
    """
    if not is_sequence(events) or (isinstance(events, np.ndarray) and events.dtype != object):
        raise ValueError(f"{name} must be a list of event lists (one per clip), got {type(events).__name__}.")
    checked = []
    for i, clip_events in enumerate(events):
        onsets, offsets, labels = check_scene_events(
            clip_events, f"{name}[{i}]", allow_zero_duration=allow_zero_duration
        )
        checked.append(list(zip(onsets, offsets, labels)))
    return checked


def event_labels(events: Sequence[Sequence[Sequence[Any]]]) -> list[Hashable]:
    """Sorted distinct labels of validated event lists.

    Parameters
    ----------
    events : list of list of (float, float, label)
        Per clip, its events as ``(onset_s, offset_s, label)``.

    Returns
    -------
    labels : list
        The distinct labels, sorted.

    Raises
    ------
    ValueError
        The labels are not of one comparable type.
    """
    labels = {label for clip in events for _, _, label in clip}
    try:
        return sorted(labels)
    except TypeError:
        raise ValueError(f"event labels must be of one comparable type (all str or all int), got {labels!r}.") from None
