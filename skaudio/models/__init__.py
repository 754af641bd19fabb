"""scikit-learn estimators around skaudio's Keras networks (scikeras).

- :class:`CNN1DClassifier`: clip classification.
- :class:`CRNNEventDetector`: sound event detection (binary or multi-label).
- :class:`CNN1DDenoiser`: waveform-to-waveform denoising (a regressor).
- :func:`predict_events`: events of recordings of any length, from a
  detector or a Pipeline ending in one.
- :func:`frame_proba_to_events`: events from frame probabilities.
- :func:`tune_event_postprocessing`: a detector's post-processing options
  (per label) chosen on validation recordings.
"""

from skaudio.models._classifier import CNN1DClassifier
from skaudio.models._denoiser import CNN1DDenoiser
from skaudio.models._event_detector import CRNNEventDetector
from skaudio.models._event_inference import frame_proba_to_events, predict_events
from skaudio.models._event_tuning import tune_event_postprocessing

__all__ = [
    "CNN1DClassifier",
    "CRNNEventDetector",
    "CNN1DDenoiser",
    "predict_events",
    "frame_proba_to_events",
    "tune_event_postprocessing",
]
