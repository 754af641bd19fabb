"""The scikit-learn contract beyond the common checks: global state, partial_fit,
weights, column-vector targets, parameter checks, repr, input forms."""

import inspect
import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import DataConversionWarning
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.utils.class_weight import compute_sample_weight

from skaudio.models import CNN1DClassifier, CNN1DDenoiser, CRNNEventDetector

RNG = np.random.default_rng(0)
FEATURES = RNG.normal(size=(40, 16, 4)).astype("float32")
LABELS = np.repeat([0, 1], 20)
FEATURES[LABELS == 1] += 0.5
EVENTS = [[(0.05, 0.10, "beep")] if label else [] for label in LABELS]
CLEAN = np.sin(np.linspace(0, 80, 320))[None].repeat(12, 0).astype("float32") * RNG.uniform(0.2, 1, (12, 1)).astype(
    "float32"
)
NOISY = CLEAN + 0.1 * RNG.standard_normal(CLEAN.shape).astype("float32")


def _classifier(**params):
    return CNN1DClassifier(**{**dict(filters=(4, 4), dense_units=4, epochs=1, batch_size=16, random_state=0), **params})


def _detector(**params):
    return CRNNEventDetector(**{**dict(filters=4, lstm_units=4, epochs=1, batch_size=16, random_state=0), **params})


def _frame_detector(**params):
    return _detector(temporal_pooling="max", padding="same", frame_duration=0.01, **params)


def _denoiser(**params):
    return CNN1DDenoiser(**{**dict(filters=4, epochs=1, batch_size=4, random_state=0), **params})


# (estimator factory, X, y) for each of the three estimators
CASES = {
    "classifier": (_classifier, FEATURES, LABELS),
    "detector": (_detector, FEATURES, LABELS),
    "denoiser": (_denoiser, NOISY, CLEAN),
}


def _output(estimator, X):
    return estimator.predict_proba(X) if hasattr(estimator, "predict_proba") else estimator.predict(X)


def _determinism_enabled():
    from tensorflow.python.framework import config

    return config.is_op_determinism_enabled()


@pytest.mark.parametrize("case", CASES)
def test_optimizer_variables_exist_before_the_first_training_step(case):
    # made inside the first traced step, they would make TensorFlow trace every fit's step twice
    import keras

    built = []

    class OptimizerBuilt(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            built.append(self.model.optimizer.built and len(self.model.optimizer.variables) > 1)

    make, X, y = CASES[case]
    make(callbacks=[OptimizerBuilt()]).fit(X, y)
    assert built == [True]


@pytest.mark.parametrize("case", CASES)
def test_seeded_then_unseeded_then_seeded_fits(case):
    make, X, y = CASES[case]
    first = make().fit(X, y)
    assert not _determinism_enabled()
    make(random_state=None).fit(X, y)  # crashed while op determinism was left on
    second = make().fit(X, y)
    np.testing.assert_array_equal(_output(first, X), _output(second, X))


def test_global_state_is_restored_after_a_failed_fit():
    import random

    before = random.getstate(), np.random.get_state()[1].copy()
    with pytest.raises(ValueError, match="two classes"):
        _classifier().fit(FEATURES, np.zeros(len(FEATURES)))
    with pytest.raises(ValueError, match="too short for the blocks"):
        _classifier(filters=(4, 4), kernel_size=99).fit(FEATURES, LABELS)  # the build fails, inside the seeding
    assert not _determinism_enabled()
    assert random.getstate() == before[0]
    np.testing.assert_array_equal(np.random.get_state()[1], before[1])


class _Recording:
    """Records what each fit hands Keras (subclassed into each estimator below)."""

    def _fit_keras_model(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        seen = type(self).seen
        seen.append(
            (
                np.array(X),
                [np.array(t) for t in y] if isinstance(y, list) else np.array(y),
                None if sample_weight is None else np.array(sample_weight),
            )
        )
        return super()._fit_keras_model(X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs)


def _recording(cls):
    return type(f"Recording{cls.__name__}", (_Recording, cls), {"seen": []})


@pytest.mark.parametrize("case", CASES)
def test_partial_fit_prepares_data_as_fit_does(case):
    make, X, y = CASES[case]
    params = make().get_params()
    recording = _recording(type(make()))
    recording(**{**params, "epochs": 2}).fit(X, y)
    partial = recording(**params)
    partial.partial_fit(X, y).partial_fit(X, y)
    (fit_X, fit_y, _), first, second = recording.seen
    for X_seen, y_seen, _ in (first, second):
        np.testing.assert_array_equal(X_seen, fit_X)
        np.testing.assert_array_equal(y_seen, fit_y)
    assert len(partial.history_["loss"]) == 2


def test_denoiser_partial_fit_trains_on_level_normalised_segments():
    recording = _recording(CNN1DDenoiser)
    recording(**_denoiser().get_params()).partial_fit(NOISY, CLEAN)
    X_seen, _, _ = recording.seen[0]
    np.testing.assert_allclose(np.sqrt(np.mean(X_seen.astype(np.float64) ** 2, axis=1)), 1.0, rtol=1e-4)
    with pytest.raises(ValueError, match=r"y has 1 dimension\(s\) \(shape \(320,\)\); a waveform batch is 2D"):
        _denoiser().partial_fit(NOISY, CLEAN[0])


def test_detector_partial_fit_on_event_annotations():
    detector = _frame_detector().partial_fit(FEATURES, EVENTS).partial_fit(FEATURES, EVENTS)
    assert detector.labels_ == ["beep"]
    assert isinstance(detector.predict_events(FEATURES[:2])[0], list)
    unknown = [[(0.05, 0.1, "boop")]] + EVENTS[1:]
    with pytest.raises(ValueError, match=r"event labels \['boop'\] that the detector was not trained on"):
        detector.partial_fit(FEATURES, unknown)
    with pytest.raises(ValueError, match="trained on event annotations"):
        detector.partial_fit(FEATURES, LABELS)
    # scoring on them is possible: those events count as missed, and a warning says so
    with pytest.warns(UserWarning, match=r"1 event label\(s\) never seen in training \('boop'\); their 1 event"):
        assert 0.0 <= detector.score(FEATURES, unknown) <= 1.0
    # and so does the scorer a search uses, on the detector or a pipeline ending in it
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    from skaudio.metrics import event_f1_scorer, segment_f1_scorer

    for scorer in (event_f1_scorer, segment_f1_scorer):
        for estimator in (detector, make_pipeline(FunctionTransformer(), detector)):
            with pytest.warns(UserWarning, match=r"CRNNEventDetector: y holds 1 event label\(s\) never seen"):
                scorer(estimator, FEATURES, unknown)


def test_a_detector_of_one_label_that_every_clip_holds_keeps_both_probability_columns():
    everywhere = [[(0.05, 0.10, "beep")] for _ in range(len(FEATURES))]
    detector = _frame_detector().fit(FEATURES, everywhere)
    assert detector.labels_ == ["beep"] and detector.classes_.tolist() == [0, 1]
    proba = detector.predict_proba(FEATURES[:3])
    assert proba.shape == (3, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert detector.predict_proba(FEATURES[:1]).shape == (1, 2)


def test_sample_weight_is_not_modified_and_every_network_sees_the_same():
    recording = _recording(CNN1DClassifier)
    weights = np.ones(len(LABELS))
    weights[:5] = 2.0
    given = weights.copy()
    labels = np.r_[np.zeros(30), np.ones(10)].astype(int)
    recording(**_classifier(class_weight="balanced", n_networks=3).get_params()).fit(
        FEATURES, labels, sample_weight=weights
    )
    np.testing.assert_array_equal(weights, given)
    expected = given * compute_sample_weight("balanced", labels)
    assert len(recording.seen) == 3
    for _, _, seen in recording.seen:
        np.testing.assert_allclose(seen, expected)


@pytest.mark.parametrize("case", ["classifier", "detector"])
def test_column_vector_y_warns_and_predicts_1d(case):
    make, X, y = CASES[case]
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        estimator = make().fit(X, y[:, None])
    assert estimator.predict(X).shape == (len(X),)
    np.testing.assert_array_equal(estimator.predict(X), make().fit(X, y).predict(X))


@pytest.mark.parametrize("case", ["classifier", "detector"])
def test_one_class_is_refused(case):
    make, X, _ = CASES[case]
    with pytest.raises(ValueError, match="at least two classes; y holds only one class: 'dog'"):
        make().fit(X, np.full(len(X), "dog"))


@pytest.mark.parametrize("case", CASES)
def test_unknown_and_invalid_parameters_are_refused_at_fit(case):
    make, X, y = CASES[case]
    with pytest.raises(ValueError, match=r"unknown parameter\(s\) 'kernal_size'\. Valid parameters: .*kernel_size"):
        make(kernal_size=5).fit(X, y)
    with pytest.raises(ValueError, match="'epochs' parameter .* must be an int in the range \\[1, inf\\)"):
        make(epochs=0).fit(X, y)
    with pytest.raises(ValueError, match="'dropout' parameter"):
        make(dropout=1.5).fit(X, y)
    # routed parameters stay valid
    make(optimizer__beta_1=0.8, fit__shuffle=False).fit(X, y)


def test_padding_and_pooling_values_are_checked():
    with pytest.raises(ValueError, match="'padding' parameter of CNN1DClassifier must be a str among"):
        _classifier(padding="foo").fit(FEATURES, LABELS)
    with pytest.raises(ValueError, match="'temporal_pooling' parameter of CRNNEventDetector"):
        _detector(temporal_pooling="median").fit(FEATURES, LABELS)
    with pytest.raises(ValueError, match="'domain' parameter of CNN1DDenoiser must be a str among"):
        _denoiser(domain="wavelet").fit(NOISY, CLEAN)


def test_denoiser_front_end_is_a_deprecated_alias_of_domain():
    with pytest.warns(FutureWarning, match="renamed domain"):
        old = _denoiser(front_end="stft", n_layers=1).fit(NOISY, CLEAN)
    new = _denoiser(domain="stft", n_layers=1).fit(NOISY, CLEAN)
    np.testing.assert_array_equal(old.predict(NOISY), new.predict(NOISY))


def test_n_features_in_is_the_last_axis_and_absent_for_any_length():
    assert _classifier().fit(FEATURES, LABELS).n_features_in_ == 4
    assert _detector().fit(FEATURES, LABELS).n_features_in_ == 4
    assert _classifier(filters=(4,), pool_size=1).fit(FEATURES[:, :, 0], LABELS).n_features_in_ == 16
    assert not hasattr(_denoiser().fit(NOISY, CLEAN), "n_features_in_")


def test_repr_shows_changed_parameters_quoted():
    assert repr(CNN1DClassifier()) == "CNN1DClassifier()"
    assert repr(CNN1DClassifier(padding="same", epochs=3)) == "CNN1DClassifier(epochs=3, padding='same')"
    assert repr(CNN1DDenoiser(domain="stft")) == "CNN1DDenoiser(domain='stft')"
    assert repr(CRNNEventDetector(optimizer__beta_1=0.8)) == "CRNNEventDetector(optimizer__beta_1=0.8)"
    assert repr(CNN1DClassifier(callbacks=[], shuffle=False)) == "CNN1DClassifier(callbacks=[], shuffle=False)"


def test_repr_nested_in_scikit_learn_objects_shows_changed_parameters():
    # scikit-learn prints a nested estimator's parameters that differ from its signature's defaults,
    # scikeras's own (callbacks, shuffle, ...) included
    from sklearn.pipeline import make_pipeline

    assert repr(make_pipeline(CNN1DClassifier(epochs=3))) == (
        "Pipeline(steps=[('cnn1dclassifier', CNN1DClassifier(epochs=3))])"
    )
    search = GridSearchCV(CRNNEventDetector(run_eagerly=True), {"kernel_size": [3, 5]})
    assert " ".join(repr(search).split()) == (
        "GridSearchCV(estimator=CRNNEventDetector(run_eagerly=True), param_grid={'kernel_size': [3, 5]})"
    )
    assert "callbacks" not in repr(make_pipeline(CNN1DDenoiser(filters=8, kernel_size=5, dropout=0.1, epochs=3)))


def test_a_users_subclass_prints_what_it_changed():
    # its __init__ passes the rest on through **kwargs: their defaults are the parent's
    class WithExtra(CNN1DClassifier):
        def __init__(self, *, extra=1, **kwargs):
            super().__init__(**kwargs)
            self.extra = extra

    class Closed(CNN1DClassifier):
        def __init__(self, *, extra=1):
            super().__init__()
            self.extra = extra

    from sklearn.pipeline import make_pipeline

    assert repr(WithExtra(extra=2, epochs=3)) == "WithExtra(epochs=3, extra=2)"
    assert repr(make_pipeline(WithExtra(shuffle=False))) == "Pipeline(steps=[('withextra', WithExtra(shuffle=False))])"
    assert list(inspect.signature(Closed).parameters) == ["extra"]  # it takes nothing more, and says so


def test_pandas_series_of_clips_is_a_ragged_batch():
    import pandas as pd

    from skaudio.preprocessing import MFCC

    clips = [RNG.normal(size=n).astype("float32") for n in (800, 1200, 1000)]
    mfcc = MFCC(sr=8000, n_mfcc=5, n_fft=256, hop_length=128)
    from_series = mfcc.fit_transform(pd.Series(clips, index=[10, 20, 30]))
    for a, b in zip(from_series, mfcc.transform(clips)):
        np.testing.assert_array_equal(a, b)
    denoised = _denoiser().fit(NOISY, CLEAN).predict(pd.Series(list(NOISY[:2, :200])))
    assert [len(c) for c in denoised] == [200, 200]


# ---------------------------------------------------------------- the denoiser's own contract
# scikit-learn's common checks pass a 1D target, which a waveform denoiser
# refuses; these are the same checks with clean waveforms as targets.


@pytest.fixture(scope="module")
def fitted_denoiser():
    return _denoiser().fit(NOISY, CLEAN)


def test_denoiser_refit_with_the_same_seed_is_identical(fitted_denoiser):
    again = clone(fitted_denoiser).fit(NOISY, CLEAN)
    np.testing.assert_array_equal(again.predict(NOISY), fitted_denoiser.predict(NOISY))


def test_denoiser_predict_and_score_do_not_change_its_state(fitted_denoiser):
    before = {k: v for k, v in fitted_denoiser.__dict__.items() if not k.endswith("_") or k == "history_"}
    keys = set(fitted_denoiser.__dict__)
    fitted_denoiser.predict(NOISY)
    fitted_denoiser.score(NOISY, CLEAN)
    assert set(fitted_denoiser.__dict__) == keys
    for key, value in before.items():
        assert repr(fitted_denoiser.__dict__[key]) == repr(value), key


def test_denoiser_clone_keeps_parameters_not_state(fitted_denoiser):
    copy = clone(fitted_denoiser)
    assert copy.get_params() == fitted_denoiser.get_params()
    assert not hasattr(copy, "model_")


def test_denoiser_takes_read_only_and_fortran_ordered_input(fitted_denoiser):
    expected = fitted_denoiser.predict(NOISY)
    read_only = NOISY.copy()
    read_only.flags.writeable = False
    np.testing.assert_allclose(fitted_denoiser.predict(read_only), expected, atol=1e-6)
    np.testing.assert_allclose(fitted_denoiser.predict(np.asfortranarray(NOISY)), expected, atol=1e-6)
    clean = CLEAN.copy()
    clean.flags.writeable = False
    _denoiser().fit(read_only, clean)


def test_denoiser_nan_and_inf_name_the_clip(fitted_denoiser):
    bad = NOISY.copy()
    bad[3, 7] = np.nan
    with pytest.raises(ValueError, match=r"X\[3\] contains NaN or infinite"):
        _denoiser().fit(bad, CLEAN)
    bad[3, 7] = np.inf
    with pytest.raises(ValueError, match=r"X\[3\] contains NaN or infinite"):
        fitted_denoiser.predict(bad)
    target = CLEAN.copy()
    target[5, 0] = np.nan
    with pytest.raises(ValueError, match=r"y\[5\] contains NaN or infinite"):
        _denoiser().fit(NOISY, target)


def test_denoiser_pickles(fitted_denoiser):
    restored = pickle.loads(pickle.dumps(fitted_denoiser))
    np.testing.assert_allclose(restored.predict(NOISY), fitted_denoiser.predict(NOISY), atol=1e-6)


def test_denoiser_grid_search_in_worker_processes():
    grid = {"kernel_size": [3, 5]}
    tiny = _denoiser(run_eagerly=True)  # two steps a fit: quicker run eagerly than traced
    local = GridSearchCV(tiny, grid, cv=KFold(2)).fit(NOISY, CLEAN)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # loky's worker start-up notes
        parallel = GridSearchCV(tiny, grid, cv=KFold(2), n_jobs=2).fit(NOISY, CLEAN)
    np.testing.assert_allclose(parallel.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"], rtol=1e-4)
    assert parallel.best_params_ == local.best_params_


def test_integer_feature_frames_keep_their_values():
    # a 3D batch is feature frames, not PCM: integers are cast, not divided by their type's range
    quantised = np.round(FEATURES * 10)
    for estimator in (_classifier(), _detector()):
        fitted = estimator.fit(quantised.astype(np.int16), LABELS)
        np.testing.assert_allclose(
            fitted.predict_proba(quantised.astype(np.int16)), fitted.predict_proba(quantised.astype(np.float32))
        )
        refitted = clone(estimator).fit(quantised.astype(np.float32), LABELS)
        np.testing.assert_allclose(refitted.predict_proba(quantised), fitted.predict_proba(quantised), atol=1e-6)


def test_a_bad_nested_name_is_named_by_the_object_that_holds_it():
    from sklearn.pipeline import make_pipeline

    from skaudio.preprocessing import MFCC

    classifier = CNN1DClassifier(front_end=make_pipeline(MFCC(sr=8000)))
    with pytest.raises(ValueError, match=r"Invalid parameter 'nonsense' for estimator Pipeline\(steps=\[\('mfcc'"):
        classifier.set_params(front_end__nonsense=3)
    classifier.set_params(front_end__mfcc__n_mfcc=20, optimizer__beta_1=0.8, kernel_size=5)
    assert (classifier.front_end["mfcc"].n_mfcc, classifier.optimizer__beta_1, classifier.kernel_size) == (20, 0.8, 5)
    with pytest.raises(ValueError, match="Invalid parameter kernel for estimator CNN1DClassifier"):
        classifier.set_params(kernel=5)
