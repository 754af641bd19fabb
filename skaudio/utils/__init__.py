"""Shared input validation for waveform and feature batches and event annotations; safe file writes; progress bars."""

from skaudio.utils._events import (
    check_event_lists,
    check_scene_events,
    event_labels,
    is_sequence,
    looks_like_event_lists,
)
from skaudio.utils._io import atomic_path
from skaudio.utils._output import ArrayOutputMixin
from skaudio.utils._progress import check_verbose, progress
from skaudio.utils._spectral import dct_matrix, mel_matrix, stft_window
from skaudio.utils._threads import size_tensorflow_threads, thread_budget
from skaudio.utils._validation import (
    SILENT_PEAK,
    UnusableClipWarning,
    check_feature_batch,
    check_sample_rate,
    check_waveforms,
    is_integer,
    is_number,
    is_ragged,
    missing_labels,
    named,
    to_float32,
    unusable_clips,
    warn_unseen_labels,
)

__all__ = [
    "check_waveforms",
    "check_feature_batch",
    "check_sample_rate",
    "is_integer",
    "is_number",
    "is_ragged",
    "check_event_lists",
    "check_scene_events",
    "event_labels",
    "looks_like_event_lists",
    "atomic_path",
    "ArrayOutputMixin",
    "thread_budget",
    "size_tensorflow_threads",
    "is_sequence",
    "to_float32",
    "stft_window",
    "mel_matrix",
    "dct_matrix",
    "check_verbose",
    "progress",
    "SILENT_PEAK",
    "UnusableClipWarning",
    "missing_labels",
    "named",
    "unusable_clips",
    "warn_unseen_labels",
]
