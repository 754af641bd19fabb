"""Event annotations as training targets: clip labels and frame targets."""

import numpy as np

from skaudio.utils import check_event_lists, event_labels, is_number, is_ragged, is_sequence, looks_like_event_lists


def as_annotations(y, *, training=False):
    """Validated event lists if ``y`` holds event annotations, else None (clip labels).

    Training annotations may not have an event lasting 0 s: it would cover no frame to learn from. A
    reference to score against may (sed_eval's metrics take it).
    """
    if not looks_like_event_lists(y):
        _refuse_malformed_events(y)
        return None
    annotations = check_event_lists(y, name="y", allow_zero_duration=not training)
    if not any(annotations):
        raise ValueError("y holds event annotations but no clip has any event: there is nothing to learn.")
    return annotations


def _refuse_malformed_events(y):
    """Event annotations with a slip in them would otherwise be taken for clip labels and fail deep in numpy."""
    if not is_ragged(y) or not all(isinstance(row, (list, tuple)) for row in y):  # a list, or a pandas column
        return
    if any(is_sequence(item) or isinstance(item, dict) for row in y for item in row):  # events, one malformed
        check_event_lists(y, name="y")  # raises, naming the event
    elif any(len(row) == 3 and is_number(row[0]) and is_number(row[1]) and not is_number(row[2]) for row in y):
        raise ValueError(
            "y looks like one list of (onset, offset, label) events, not one list of events per clip: wrap each "
            "clip's events in a list, e.g. [[(0.1, 0.5, 'dog')], []] for two clips."
        )


def label_indicator(annotations, labels=None):
    """Clip-level targets implied by the annotations: ``(n_clips, n_labels)`` 0/1, and the labels.

    ``labels`` fixes the columns (a detector's fitted labels); a label outside them is an error.
    """
    if labels is None:
        labels = event_labels(annotations)
    else:
        unknown = sorted(set(event_labels(annotations)) - set(labels), key=str)
        if unknown:
            raise ValueError(
                f"y has event labels {unknown} that the detector was not trained on (its labels: {labels})."
            )
    column = {label: k for k, label in enumerate(labels)}
    indicator = np.zeros((len(annotations), len(labels)), dtype=np.int64)
    for i, clip in enumerate(annotations):
        for _, _, label in clip:
            indicator[i, column[label]] = 1
    return indicator, labels


def frame_targets(annotations, labels, *, n_out_frames, n_in_frames, stride, offset, frame_duration):
    """Frame targets ``(n_clips, n_out_frames, n_labels)``: 1 where a frame's centre is inside an event.

    Output frame ``j`` is centred at ``(stride * j + offset) * frame_duration``
    seconds. An event holding no centre (one shorter than their spacing)
    marks the frame centred nearest to its middle, if that centre is within
    one spacing of it, so that no event is lost. An event ending after the
    clip (more than one frame past its last input frame) is an error: the
    annotation does not fit the audio.
    """
    clip_end = n_in_frames * frame_duration
    centres = (stride * np.arange(n_out_frames) + offset) * frame_duration
    column = {label: k for k, label in enumerate(labels)}
    targets = np.zeros((len(annotations), n_out_frames, len(labels)), dtype=np.float32)
    for i, clip in enumerate(annotations):
        for j, (onset, offset_s, label) in enumerate(clip):
            if offset_s > clip_end + frame_duration:
                raise ValueError(
                    f"y[{i}][{j}] ends at {offset_s:.3f} s, after the end of clip {i} "
                    f"({clip_end:.3f} s = {n_in_frames} frames of {frame_duration} s): check the "
                    "annotations and frame_duration (the feature step's hop_length / sr)."
                )
            inside = (centres >= onset) & (centres < offset_s)
            if not inside.any():
                distance = np.abs(centres - (onset + offset_s) / 2)
                inside = distance <= min(distance.min(), stride * frame_duration)
            targets[i, inside, column[label]] = 1.0
    return targets
