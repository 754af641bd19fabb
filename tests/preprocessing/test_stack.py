"""FeatureStack: feature transformers joined frame by frame."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from skaudio.preprocessing import MFCC, FeatureScaler, FeatureStack, Spectrogram

SR = 8000
RNG = np.random.default_rng(0)
CLIPS = RNG.normal(size=(3, 4000)).astype("float32")


def _stack(hop=80):
    return FeatureStack(
        [
            ("mfcc", MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=80)),
            ("mel", Spectrogram(sr=SR, kind="mel", n_mels=20, n_fft=256, hop_length=hop)),
        ]
    )


def test_joins_each_transformers_features_along_the_last_axis():
    out = _stack().fit_transform(CLIPS)
    mfcc = MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=80).fit_transform(CLIPS)
    mel = Spectrogram(sr=SR, kind="mel", n_mels=20, n_fft=256, hop_length=80).fit_transform(CLIPS)
    np.testing.assert_array_equal(out, np.concatenate([mfcc, mel], axis=-1))
    assert out.dtype == np.float32 and _stack().fit(CLIPS).n_features_out_ == 33


def test_ragged_clips_give_a_list_of_joined_clips():
    clips = [CLIPS[0], CLIPS[1, :2500]]
    out = _stack().fit_transform(clips)
    dense = _stack().fit_transform(CLIPS[:1])
    assert [o.shape for o in out] == [(51, 33), (32, 33)]
    np.testing.assert_allclose(out[0], dense[0], atol=1e-5)


def test_different_frames_are_an_error_naming_the_transformers():
    with pytest.raises(ValueError, match=r"different numbers of frames \('mfcc' 51, 'mel' 26\)"):
        _stack(hop=160).fit(CLIPS)


def test_parameters_are_tuned_by_name_and_fits_use_clones():
    stack = _stack()
    assert stack.get_params()["mfcc__n_mfcc"] == 13
    stack.set_params(mfcc__n_mfcc=20)
    assert stack.fit_transform(CLIPS).shape[-1] == 40
    assert stack.transformer_list[0][1] is not stack.transformers_[0][1]
    assert clone(stack).get_params()["mfcc__n_mfcc"] == 20
    assert stack.frame_duration == pytest.approx(0.01)
    assert make_pipeline(stack, FeatureScaler()).fit_transform(CLIPS).shape == (3, 51, 40)


def test_bad_transformer_lists_are_refused():
    with pytest.raises(ValueError, match="at least one"):
        FeatureStack([]).fit(CLIPS)
    with pytest.raises(ValueError, match="pairs"):
        FeatureStack([MFCC(sr=SR)]).fit(CLIPS)
    with pytest.raises(ValueError, match="unique"):
        FeatureStack([("a", MFCC(sr=SR)), ("a", MFCC(sr=SR))]).fit(CLIPS)
