"""Keras builders of skaudio's three 1D CNNs (Keras only, no scikit-learn).

Each builder takes hyperparameters and shapes and returns an uncompiled
``keras.Model``; the defaults build the source article's architectures
exactly. The estimators in :mod:`skaudio.models` add compilation and training.
"""

from skaudio.networks._classifier import build_cnn1d_classifier
from skaudio.networks._denoiser import build_cnn1d_denoiser, build_stft_mask_denoiser
from skaudio.networks._event_detector import build_crnn_event_detector, frame_timing, output_frames
from skaudio.networks._feature_layers import SpectralFeatures
from skaudio.networks._layers import (
    Cepstrum,
    RandomFeatureShift,
    RandomGain,
    RandomMix,
    RandomNoise,
    RandomTimeShift,
    RandomTimeStretch,
    SpecAugment,
    SqueezeChannels,
    TemporalPooling,
    augmentation_layers,
    augmentation_seed,
)
from skaudio.networks._losses import negative_si_sdr

__all__ = [
    "build_cnn1d_classifier",
    "build_crnn_event_detector",
    "build_cnn1d_denoiser",
    "build_stft_mask_denoiser",
    "augmentation_layers",
    "augmentation_seed",
    "negative_si_sdr",
    "Cepstrum",
    "RandomTimeShift",
    "RandomTimeStretch",
    "RandomGain",
    "RandomNoise",
    "RandomMix",
    "RandomFeatureShift",
    "SpecAugment",
    "SqueezeChannels",
    "TemporalPooling",
    "SpectralFeatures",
    "frame_timing",
    "output_frames",
]
