"""Metrics for skaudio's tasks (numpy and scikit-learn only, no TensorFlow).

- :func:`snr`, :func:`si_sdr`, :func:`si_sdr_improvement` and the scorer
  :data:`si_sdr_scorer`: quality of denoised waveforms.
- :func:`event_based_scores` and :func:`segment_based_scores`: sound event
  detection F-measure and error rate, as sed_eval computes them;
  :func:`make_event_scorer` and the scorers :data:`event_f1_scorer` and
  :data:`segment_f1_scorer` for model selection on the output of
  :func:`skaudio.models.predict_events` (``predict_events`` here is its
  deprecated alias).
"""

from skaudio.metrics._events import (
    event_based_scores,
    event_f1_scorer,
    make_event_scorer,
    predict_events,
    segment_based_scores,
    segment_f1_scorer,
)
from skaudio.metrics._separation import si_sdr, si_sdr_improvement, si_sdr_scorer, snr

__all__ = [
    "snr",
    "si_sdr",
    "si_sdr_improvement",
    "si_sdr_scorer",
    "event_based_scores",
    "segment_based_scores",
    "predict_events",
    "make_event_scorer",
    "event_f1_scorer",
    "segment_f1_scorer",
]
