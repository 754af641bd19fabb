"""In-model features from skaudio's feature transformers (``front_end=`` of the estimators)."""

import keras
import numpy as np
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from skaudio.networks import SpectralFeatures
from skaudio.preprocessing import MFCC, FeatureScaler, Spectrogram


def _split(front_end):
    """``(features, scaler or None)`` of a front end, checked."""
    steps = [step for _, step in front_end.steps] if isinstance(front_end, Pipeline) else [front_end]
    features, scaling = steps[0], steps[1:]
    if not isinstance(features, (MFCC, Spectrogram)):
        raise ValueError(f"front_end must start with skaudio's MFCC or Spectrogram, got {type(features).__name__}.")
    if scaling and (len(scaling) > 1 or not isinstance(scaling[0], FeatureScaler)):
        raise ValueError(
            "front_end can be an MFCC or Spectrogram, optionally followed by a FeatureScaler "
            f"in a Pipeline; got steps {[type(step).__name__ for step in steps]}."
        )
    return features, (scaling[0] if scaling else None)


def analysis_frame(front_end):
    """Samples in one analysis frame of ``front_end`` (its ``n_fft``)."""
    features, _ = _split(front_end)
    return int(features.n_fft)


def needs_training_statistics(front_end):
    """Whether ``front_end`` scales with training-set statistics (``FeatureScaler(per_clip=False)``)."""
    _, scaler = _split(front_end)
    return scaler is not None and not scaler.per_clip


def training_statistics(front_end, X):
    """Per-feature mean and standard deviation of ``front_end``'s features of ``X``, on the CPU."""
    features, scaler = _split(front_end)
    fitted = clone(scaler).fit(clone(features).fit_transform(X))
    return fitted.mean_.astype("float32"), fitted.scale_.astype("float32")


def front_end_layer(front_end, statistics=None):
    """The Keras layer computing, inside the model, what ``front_end`` computes on the CPU.

    Parameters
    ----------
    front_end : MFCC, Spectrogram, or Pipeline
        A feature transformer, or a Pipeline of one followed by a
        ``FeatureScaler``. Its parameters configure the layer.
    statistics : tuple of ndarray or None, default=None
        ``(mean, scale)`` from ``training_statistics``, needed by
        ``FeatureScaler(per_clip=False)``.

    Returns
    -------
    layer : skaudio.networks.SpectralFeatures or keras.Sequential
        The features, followed by a ``Normalization`` layer with the
        training set's statistics for ``FeatureScaler(per_clip=False)``.
    """
    features, scaler = _split(front_end)
    per_clip_norm = scaler is not None and scaler.per_clip
    global_scaling = needs_training_statistics(front_end)
    features._check_params()
    if isinstance(features, MFCC) and features.delta_order:
        raise ValueError("front_end: MFCC deltas (delta_order > 0) are not computed inside the model.")
    stft = features._stft_kwargs()
    if stft["pad_mode"] not in ("constant", "reflect", "symmetric"):
        raise ValueError(f"front_end: pad_mode={stft['pad_mode']!r} is not available inside the model.")
    mel = isinstance(features, MFCC) or features.kind == "mel"
    layer = SpectralFeatures(
        **stft,
        power=2.0 if isinstance(features, MFCC) else float(features.power),
        sr=features.sr,
        n_mels=features.n_mels if mel else None,
        fmin=features.fmin,
        fmax=features.fmax,
        to_db=True if isinstance(features, MFCC) else features.to_db,
        top_db=features.top_db,
        n_mfcc=features.n_mfcc if isinstance(features, MFCC) else None,
        lifter=features.lifter if isinstance(features, MFCC) else 0.0,
        per_clip_norm=per_clip_norm,
        name="spectral_features" if global_scaling else "front_end",
    )
    if not global_scaling:
        return layer
    if statistics is None:
        raise ValueError("front_end with FeatureScaler(per_clip=False) needs the training set's statistics.")
    mean, scale = statistics
    scaling = keras.layers.Normalization(axis=-1, mean=mean, variance=np.square(scale), name="global_scaling")
    return keras.Sequential([layer, scaling], name="front_end")
