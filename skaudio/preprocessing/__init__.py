"""scikit-learn transformers on waveforms and features.

Waveforms in: ``(n_clips, n_samples)`` or a ragged list of 1D clips.
Features out: ``(n_clips, n_frames, n_features)``, time first, as
``keras.layers.Conv1D`` expects. No TensorFlow is imported here.
"""

from skaudio.preprocessing._fixed_length import FixedLength, fit_length
from skaudio.preprocessing._mfcc import MFCC
from skaudio.preprocessing._scaler import FeatureScaler
from skaudio.preprocessing._spectrogram import Spectrogram
from skaudio.preprocessing._stack import FeatureStack

__all__ = ["FixedLength", "MFCC", "Spectrogram", "FeatureScaler", "FeatureStack", "fit_length"]
