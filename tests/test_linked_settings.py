"""AudioPipeline keeps settings that live in several steps consistent; pandas output passes through."""

import numpy as np
import pytest
import sklearn
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import Pipeline, make_pipeline

from skaudio.datasets import make_event_scenes, make_sounds
from skaudio.pipelines import AudioPipeline, make_classifier_pipeline, make_event_detector_pipeline
from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength

SR = 8000


@pytest.fixture(scope="module")
def scenes():
    clips, labels = make_sounds(6, classes=["tone", "click_train"], sr=SR, duration=0.3, random_state=0)
    return make_event_scenes(
        clips, labels, n_scenes=24, sr=SR, duration=1.0, n_events=(1, 1), snr_db=(20, 20), random_state=0
    )


def _tiny_detector_pipeline():
    return make_event_detector_pipeline(sr=SR, random_state=0).set_params(
        crnneventdetector__filters=(4, 4, 4),
        crnneventdetector__lstm_units=4,
        crnneventdetector__epochs=1,
        # one training step per fit: running it eagerly is quicker than tracing it
        crnneventdetector__run_eagerly=True,
    )


def test_event_times_follow_the_spectrogram_hop(scenes):
    X, events = scenes
    pipe = _tiny_detector_pipeline().fit(X, events)
    assert pipe[-1].frame_duration_ == pytest.approx(80 / SR)
    pipe.set_params(spectrogram__hop_length=160).fit(X, events)
    assert pipe[-1].frame_duration_ == pytest.approx(160 / SR)  # was stale at 80 / SR
    assert pipe[-1].frame_duration is None  # the parameter is unchanged
    # every detected event lies inside the 1 s scene, whatever the hop
    assert all(
        0 <= onset <= offset <= 1.0 + 1e-9
        for clip in pipe[-1].predict_events(pipe[:-1].transform(X))
        for onset, offset, _ in clip
    )


def test_a_grid_over_the_hop_fits_each_candidate_with_its_own_frame_duration(scenes):
    X, events = scenes
    from skaudio.metrics import event_f1_scorer

    search = GridSearchCV(
        _tiny_detector_pipeline(),
        {"spectrogram__hop_length": [80, 160]},
        scoring=event_f1_scorer,
        cv=KFold(2),
        refit=True,
    ).fit(X, events)
    hop = search.best_params_["spectrogram__hop_length"]
    assert search.best_estimator_[-1].frame_duration_ == pytest.approx(hop / SR)


def test_an_explicit_frame_duration_that_disagrees_with_the_features_is_an_error(scenes):
    X, events = scenes
    pipe = _tiny_detector_pipeline().set_params(crnneventdetector__frame_duration=0.01, spectrogram__hop_length=160)
    with pytest.raises(ValueError, match="frame_duration=0.01 but the feature steps give 0.02 s between frames"):
        pipe.fit(X, events)


def test_steps_that_disagree_on_the_sample_rate_are_an_error():
    X, y = make_sounds(4, classes=["tone", "noise_burst"], sr=SR, duration=0.5, random_state=0)
    pipe = AudioPipeline([("fixedlength", FixedLength(duration=1.0, sr=16000)), *make_classifier_pipeline(sr=SR).steps])
    with pytest.raises(
        ValueError,
        match=r"disagree on the sample rate \(fixedlength__sr=16000, "
        r"cnn1dclassifier__front_end__mfcc__sr=8000, "
        r"cnn1dclassifier__member_params\[1\]\['front_end'\]__spectrogram__sr=8000\)",
    ):
        pipe.fit(X, y)


def test_audio_pipeline_is_a_pipeline_that_slices_and_clones():
    from sklearn.base import clone

    pipe = make_event_detector_pipeline(sr=SR)
    assert isinstance(pipe, Pipeline) and isinstance(pipe[:-1], AudioPipeline)
    assert isinstance(clone(pipe), AudioPipeline)


def _feature_pipeline():
    return make_pipeline(
        FixedLength(duration=0.5, sr=SR), MFCC(sr=SR, n_mfcc=5, n_fft=256, hop_length=128), FeatureScaler()
    )


def test_pandas_output_set_globally_passes_through_as_numpy():
    from skaudio.models import CNN1DClassifier

    X, y = make_sounds(6, classes=["tone", "noise_burst"], sr=SR, duration=(0.3, 0.5), random_state=0)
    pipe = make_pipeline(*_feature_pipeline(), CNN1DClassifier(filters=(4,), dense_units=4, epochs=1, random_state=0))
    expected = _feature_pipeline().fit_transform(X)
    with sklearn.config_context(transform_output="pandas"):
        features = _feature_pipeline().fit_transform(X)
        assert pipe.fit(X, y).predict(X).shape == (12,)
    assert isinstance(features, np.ndarray)
    np.testing.assert_array_equal(features, expected)


def test_set_output_exists_on_every_transformer_and_keeps_numpy():
    from skaudio.io import AudioLoader
    from skaudio.preprocessing import FeatureStack, Spectrogram

    X, _ = make_sounds(2, classes=["tone"], sr=SR, duration=0.5, random_state=0)
    pipe = _feature_pipeline().set_output(transform="pandas")  # raised on FixedLength
    assert isinstance(pipe.fit_transform(X), np.ndarray)
    for transformer in (
        AudioLoader(),
        FixedLength(),
        MFCC(),
        Spectrogram(),
        FeatureScaler(),
        FeatureStack([("mfcc", MFCC())]),
    ):
        assert transformer.set_output(transform="pandas") is transformer
    with pytest.raises(ValueError, match="transform must be"):
        MFCC().set_output(transform="arrow")
