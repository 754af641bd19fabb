"""In-model features from skaudio's feature transformers (``front_end=`` of the estimators)."""

from sklearn.pipeline import Pipeline

from skaudio.networks import SpectralFeatures
from skaudio.preprocessing import MFCC, FeatureScaler, Spectrogram


def front_end_layer(front_end):
    """The Keras layer computing, inside the model, what ``front_end`` computes on the CPU.

    Parameters
    ----------
    front_end : MFCC, Spectrogram, or Pipeline
        A feature transformer, or a Pipeline of one followed by
        ``FeatureScaler(per_clip=True)``. Its parameters configure the layer.

    Returns
    -------
    layer : skaudio.networks.SpectralFeatures
    """
    steps = [step for _, step in front_end.steps] if isinstance(front_end, Pipeline) else [front_end]
    features, scaling = steps[0], steps[1:]
    per_clip_norm = False
    if scaling:
        if len(scaling) > 1 or not isinstance(scaling[0], FeatureScaler) or not scaling[0].per_clip:
            raise ValueError(
                "front_end can be an MFCC or Spectrogram, optionally followed by FeatureScaler(per_clip=True) "
                f"in a Pipeline; got steps {[type(step).__name__ for step in steps]}."
            )
        per_clip_norm = True
    if not isinstance(features, (MFCC, Spectrogram)):
        raise ValueError(f"front_end must start with skaudio's MFCC or Spectrogram, got {type(features).__name__}.")
    features._check_params()
    if isinstance(features, MFCC) and features.delta_order:
        raise ValueError("front_end: MFCC deltas (delta_order > 0) are not computed inside the model.")
    stft = features._stft_kwargs()
    if stft["pad_mode"] not in ("constant", "reflect", "symmetric"):
        raise ValueError(f"front_end: pad_mode={stft['pad_mode']!r} is not available inside the model.")
    mel = isinstance(features, MFCC) or features.kind == "mel"
    return SpectralFeatures(
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
        name="front_end",
    )
