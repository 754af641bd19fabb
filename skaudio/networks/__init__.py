"""Keras builders of skaudio's three 1D CNNs (Keras only, no scikit-learn).

Each builder takes hyperparameters and shapes and returns an uncompiled
``keras.Model``; the defaults build the source article's architectures
exactly. The estimators in :mod:`skaudio.models` add compilation and training.
"""

import os

# TensorFlow's C++ start-up chatter (oneDNN, CUDA probing) is noise for
# library users; an explicit setting of the user's wins.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _limit_tensorflow_threads():
    """Size TensorFlow's thread pools to skaudio's thread budget, when one is set.

    In a joblib or Dask worker (``OMP_NUM_THREADS`` set by the parent), each
    fit would otherwise start one thread per core and parallel fits would
    oversubscribe the machine. Only possible before TensorFlow's runtime
    starts; later it is left as it is.
    """
    if not (os.environ.get("SKAUDIO_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS")):
        return  # TensorFlow's own default: one thread per core
    import tensorflow as tf

    from skaudio.utils._threads import thread_budget

    try:
        tf.config.threading.set_intra_op_parallelism_threads(thread_budget())
        tf.config.threading.set_inter_op_parallelism_threads(thread_budget())
    except RuntimeError:  # the runtime is already initialised
        pass


_limit_tensorflow_threads()

from skaudio.networks._classifier import build_cnn1d_classifier
from skaudio.networks._denoiser import build_cnn1d_denoiser, build_stft_mask_denoiser
from skaudio.networks._feature_layers import SpectralFeatures
from skaudio.networks._event_detector import build_crnn_event_detector, frame_timing
from skaudio.networks._layers import (
    Cepstrum,
    RandomFeatureShift,
    RandomGain,
    RandomNoise,
    RandomTimeShift,
    RandomTimeStretch,
    SpecAugment,
    SqueezeChannels,
    TemporalPooling,
    augmentation_layers,
)

__all__ = [
    "build_cnn1d_classifier",
    "build_crnn_event_detector",
    "build_cnn1d_denoiser",
    "build_stft_mask_denoiser",
    "augmentation_layers",
    "Cepstrum",
    "RandomTimeShift",
    "RandomTimeStretch",
    "RandomGain",
    "RandomNoise",
    "RandomFeatureShift",
    "SpecAugment",
    "SqueezeChannels",
    "TemporalPooling",
    "SpectralFeatures",
    "frame_timing",
]
