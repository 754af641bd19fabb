"""scikit-learn estimators around skaudio's Keras networks (scikeras).

- :class:`CNN1DClassifier`: clip classification.
- :class:`CRNNEventDetector`: sound event detection (binary or multi-label).
- :class:`CNN1DDenoiser`: waveform-to-waveform denoising (a regressor).
"""

import os

# TensorFlow's C++ start-up chatter (oneDNN, CUDA probing) is noise for
# library users; an explicit setting of the user's wins.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from skaudio.models._classifier import CNN1DClassifier  # noqa: E402
from skaudio.models._denoiser import CNN1DDenoiser  # noqa: E402
from skaudio.models._event_detector import CRNNEventDetector  # noqa: E402

__all__ = ["CNN1DClassifier", "CRNNEventDetector", "CNN1DDenoiser"]
