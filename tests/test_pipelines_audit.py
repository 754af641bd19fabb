"""AudioPipeline's linked settings and the factories' checks, where an audit found them wanting."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.pipeline import make_pipeline

from skaudio.datasets import make_event_scenes, make_sounds
from skaudio.pipelines import AudioPipeline, make_classifier_pipeline, make_event_detector_pipeline
from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength, Spectrogram

SR = 8000


class Clusterer(BaseEstimator):
    """A final step with fit_predict, which Pipeline.fit_predict calls without calling fit."""

    def fit(self, X, y=None):
        return self

    def fit_predict(self, X, y=None):
        return np.zeros(len(X), dtype=int)


def _waveforms():
    return np.random.default_rng(0).normal(0, 0.1, (2, SR)).astype(np.float32)


def test_fit_transform_and_fit_predict_check_the_sample_rates_as_fit_does():
    disagreeing = AudioPipeline(
        [("fixedlength", FixedLength(duration=1.0, sr=SR)), ("mfcc", MFCC(sr=16000, n_fft=256, hop_length=160))]
    )
    # Pipeline.fit_transform fits the steps without calling fit: the features were computed at the wrong rate
    with pytest.raises(ValueError, match=r"disagree on the sample rate \(fixedlength__sr=8000, mfcc__sr=16000\)"):
        disagreeing.fit_transform(_waveforms())
    with pytest.raises(ValueError, match=r"disagree on the sample rate \(fixedlength__sr=8000, mfcc__sr=16000\)"):
        AudioPipeline([*disagreeing.steps, ("clusterer", Clusterer())]).fit_predict(_waveforms())
    agreeing = AudioPipeline([("fixedlength", FixedLength(duration=1.0, sr=SR)), ("mfcc", MFCC(sr=SR))])
    assert agreeing.fit_transform(_waveforms()).shape[:2] == (2, 16)


@pytest.fixture(scope="module")
def scenes():
    clips, labels = make_sounds(6, classes=["tone", "click_train"], sr=SR, duration=0.3, random_state=0)
    return make_event_scenes(
        clips, labels, n_scenes=16, sr=SR, duration=1.0, n_events=(1, 1), snr_db=(20, 20), random_state=0
    )


def _nested_detector_pipeline(frame_duration=None):
    """The detector behind its feature steps given as one nested Pipeline, with a 20 ms hop."""
    detector = make_event_detector_pipeline(sr=SR, random_state=0)[-1].set_params(
        filters=(4, 4, 4), lstm_units=4, epochs=1, run_eagerly=True, frame_duration=frame_duration
    )
    features = make_pipeline(
        Spectrogram(sr=SR, kind="mel", n_fft=256, hop_length=160, n_mels=40), FeatureScaler(per_clip=True)
    )
    return AudioPipeline([("features", features), ("crnneventdetector", detector)])


def test_a_nested_feature_pipeline_gives_the_detector_its_frame_duration(scenes):
    X, events = scenes
    pipe = _nested_detector_pipeline()
    assert pipe.frame_duration == pytest.approx(160 / SR)  # was None: the nested Spectrogram was not seen
    pipe.fit(X, events)  # raised: "frame_duration is None"
    assert pipe[-1].frame_duration_ == pytest.approx(160 / SR)
    # a detector told 10 ms while the nested features are 20 ms apart: refused, not events at half their times
    with pytest.raises(ValueError, match="frame_duration=0.01 but the feature steps give 0.02 s between frames"):
        _nested_detector_pipeline(frame_duration=0.01).fit(X, events)


def test_a_member_front_end_nested_below_a_step_is_checked_for_its_sample_rate():
    X, y = make_sounds(2, classes=["tone", "noise_burst"], sr=SR, duration=0.5, random_state=0)
    classifier = make_classifier_pipeline(sr=16000)[-1]  # the log-mel member's front end at 16 kHz
    classifier.set_params(
        front_end=make_classifier_pipeline(sr=SR)[-1].front_end, epochs=1, filters=(4, 4, 4, 4), run_eagerly=True
    )
    pipe = AudioPipeline([("fixedlength", FixedLength(duration=0.5, sr=SR)), ("model", make_pipeline(classifier))])
    with pytest.raises(
        ValueError, match=r"disagree .*model__cnn1dclassifier__member_params\[1\]\['front_end'\]__spectrogram__sr=16000"
    ):
        pipe.fit(X, y)


@pytest.mark.parametrize("sr", [8000, 16000, 44100])
def test_a_classifier_window_too_short_for_its_network_is_refused_naming_duration(sr):
    with pytest.raises(ValueError, match=r"^duration=0\.05 s is too short .* give duration >= 0\.07 s\.$"):
        make_classifier_pipeline(sr=sr, duration=0.05)
    make_classifier_pipeline(sr=sr, duration=0.07)


def test_the_shortest_classifier_window_trains():
    X, y = make_sounds(3, classes=["tone", "noise_burst"], sr=SR, duration=0.3, random_state=0)
    pipe = make_classifier_pipeline(sr=SR, duration=0.07, features="mfcc", random_state=0).set_params(
        cnn1dclassifier__epochs=1,
        cnn1dclassifier__min_steps=None,
        cnn1dclassifier__filters=(4, 4, 4, 4),
        cnn1dclassifier__run_eagerly=True,
    )
    assert pipe.fit(X, y).predict(X).shape == (6,)
