"""CNN1DClassifier: class weights over windows, binary one-hot losses, NumPy integer parameters, nested set_params."""

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline

from skaudio.models import CNN1DClassifier
from skaudio.preprocessing import MFCC, FeatureScaler, Spectrogram
from tests.models.conftest import tiny_classifier

SR = 8000
WINDOW = 200


@pytest.fixture(scope="module")
def short_and_long():
    """Six one-window clips of class "a" and six four-window clips of class "b"."""
    rng = np.random.default_rng(0)
    X = [rng.normal(size=WINDOW).astype(np.float32) for _ in range(6)]
    X += [rng.normal(size=4 * WINDOW).astype(np.float32) for _ in range(6)]
    return X, np.repeat(["a", "b"], 6)


def _trained_weights(monkeypatch):
    """A list that receives the ``(y, sample_weight)`` every Keras training of CNN1DClassifier gets."""
    seen = []
    original = CNN1DClassifier._fit_keras_model

    def spy(self, X, y, sample_weight, *args, **kwargs):
        seen.append((np.ravel(y), np.asarray(sample_weight)))
        return original(self, X, y, sample_weight, *args, **kwargs)

    monkeypatch.setattr(CNN1DClassifier, "_fit_keras_model", spy)
    return seen


def test_balanced_class_weight_with_windows_balances_the_clips_classes(short_and_long, monkeypatch):
    X, y = short_and_long
    seen = _trained_weights(monkeypatch)
    clf = tiny_classifier(filters=(4, 4), window=WINDOW, class_weight="balanced", epochs=1)
    clf.fit(X, y)
    clf.partial_fit(X, y)
    uneven = tiny_classifier(filters=(4, 4), window=WINDOW, class_weight="balanced", epochs=1)
    uneven.fit(X[:8], y[:8])  # six clips of "a", two of "b": each "b" clip weighs three "a" clips
    for window_y, weight in seen[:2]:
        totals = np.bincount(window_y.astype(int), weights=weight)
        np.testing.assert_allclose(totals[0], totals[1], rtol=1e-6)  # was 4 to 1: balanced by windows twice
    window_y, weight = seen[2]
    per_window = [weight[window_y == k] for k in (0, 1)]
    np.testing.assert_allclose(per_window[0].sum(), per_window[1].sum(), rtol=1e-6)
    np.testing.assert_allclose(per_window[1].sum() / 2, 3 * per_window[0].sum() / 6, rtol=1e-6)
    assert clf.class_weight == "balanced" and clf.get_params()["class_weight"] == "balanced"  # the parameter kept


def test_balanced_class_weight_reaches_every_member(short_and_long, monkeypatch):
    X, y = short_and_long
    seen = _trained_weights(monkeypatch)
    tiny_classifier(filters=(4, 4), window=WINDOW, epochs=1, member_params=({}, {"class_weight": "balanced"})).fit(X, y)
    (y0, plain), (y1, balanced) = seen
    totals = [np.bincount(window_y.astype(int), weights=w) for window_y, w in ((y0, plain), (y1, balanced))]
    np.testing.assert_allclose(totals[0][0], totals[0][1], rtol=1e-6)  # equal clip counts: equal shares
    np.testing.assert_allclose(totals[1][0], totals[1][1], rtol=1e-6)


def test_two_classes_train_with_categorical_crossentropy(features):
    X, y = features
    keep = y != "tone"
    X, y = X[keep], y[keep]
    one_hot = tiny_classifier(filters=(4, 4), epochs=3, loss="categorical_crossentropy").fit(X, y)
    sparse = tiny_classifier(filters=(4, 4), epochs=3).fit(X, y)
    proba = one_hot.predict_proba(X)
    assert proba.shape == (len(X), 2)
    np.testing.assert_allclose(proba, sparse.predict_proba(X), atol=1e-4)  # the same training, other target form
    np.testing.assert_array_equal(one_hot.predict(X), one_hot.classes_[proba.argmax(1)])


def test_a_loss_class_with_routed_settings_trains_and_saves(features, tmp_path):
    # loss=CategoricalCrossentropy (a class, so the model stays savable) got scikeras' column of class indices:
    # Keras refused "target.shape=(None, 1), output.shape=(None, 3)"
    import keras

    from skaudio.persistence import load_model, save_model

    X, y = features
    smoothed = tiny_classifier(
        filters=(4, 4), epochs=3, loss=keras.losses.CategoricalCrossentropy, loss__label_smoothing=0.1
    ).fit(X, y)
    assert smoothed.model_.loss.label_smoothing == pytest.approx(0.1)
    plain = tiny_classifier(filters=(4, 4), epochs=3, loss=keras.losses.CategoricalCrossentropy).fit(X, y)
    sparse = tiny_classifier(filters=(4, 4), epochs=3).fit(X, y)
    np.testing.assert_allclose(plain.predict_proba(X), sparse.predict_proba(X), atol=1e-4)  # same training
    for focal in (keras.losses.CategoricalFocalCrossentropy, "categorical_focal_crossentropy"):
        assert tiny_classifier(filters=(4, 4), epochs=1, loss=focal).fit(X, y).predict_proba(X).shape == (len(X), 3)
    save_model(smoothed, tmp_path / "smoothed.skaudio")
    # a class as a parameter is a type the file names: trusted by name, as for a user's own transformer
    restored = load_model(tmp_path / "smoothed.skaudio", trusted=["keras.src.losses.losses.CategoricalCrossentropy"])
    np.testing.assert_allclose(restored.predict_proba(X), smoothed.predict_proba(X), atol=1e-6)


def test_numpy_integers_are_valid_seeds_and_batch_sizes(features):
    # as a grid over np.arange or scipy.stats.randint gives them
    X, y = features
    expected = tiny_classifier(filters=(4, 4), epochs=2, random_state=3, time_shift=0.1).fit(X, y).predict_proba(X)
    clf = tiny_classifier(filters=(4, 4), epochs=2, random_state=np.int64(3), time_shift=0.1).fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), expected)
    assert clf.random_state == 3 and isinstance(clf.random_state, np.int64)  # the parameter as given
    np.testing.assert_array_equal(clf.set_params(predict_batch_size=np.int64(7)).predict_proba(X), expected)


def test_a_nested_parameter_set_with_its_holder_lands_on_the_new_holder():
    clf = CNN1DClassifier(front_end=MFCC(sr=SR)).set_params(front_end=Spectrogram(sr=SR), front_end__n_fft=256)
    assert isinstance(clf.front_end, Spectrogram) and clf.front_end.n_fft == 256
    # as GridSearchCV sets {"cnn1dclassifier__front_end": [...], "cnn1dclassifier__front_end__n_fft": [...]}
    pipe = make_pipeline(CNN1DClassifier(front_end=MFCC(sr=SR)))
    pipe.set_params(cnn1dclassifier__front_end=Spectrogram(sr=SR), cnn1dclassifier__front_end__n_fft=256)
    assert pipe[-1].front_end.n_fft == 256
    with pytest.raises(ValueError, match="Invalid parameter 'n_ftt' for estimator Spectrogram"):
        CNN1DClassifier().set_params(front_end=Spectrogram(sr=SR), front_end__n_ftt=256)
    # a holder's parameters go to it in one call, as scikit-learn makes them: a Pipeline replaces its steps before
    # setting their parameters, whatever the order the keys come in (ParameterGrid sorts them)
    clf = CNN1DClassifier(front_end=make_pipeline(MFCC(sr=SR), FeatureScaler()))
    new_mfcc = MFCC(sr=SR)
    steps = [("mfcc", new_mfcc), ("featurescaler", FeatureScaler())]
    clf.set_params(front_end__mfcc__n_mfcc=17, front_end__steps=steps)
    assert clf.front_end.named_steps["mfcc"] is new_mfcc and new_mfcc.n_mfcc == 17


def test_warm_start_keeps_the_statistics_its_network_scales_with():
    rng = np.random.default_rng(0)
    t = np.arange(1600) / SR
    y = np.repeat(["low", "high"], 6)
    X = np.stack([np.sin(2 * np.pi * (500 if label == "low" else 2000) * t) for label in y])
    X = (X + 0.1 * rng.normal(size=X.shape)).astype(np.float32)
    front_end = make_pipeline(MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=80, n_mels=40), FeatureScaler())
    clf = tiny_classifier(filters=(4, 4), front_end=front_end, warm_start=True, epochs=1).fit(X, y)
    scaling = clf.model_.get_layer("front_end").get_layer("global_scaling")
    built_with = np.asarray(scaling.mean).ravel()
    clf.fit(0.01 * X, y)  # 40 dB quieter: other statistics, the same network
    assert clf.model_.get_layer("front_end").get_layer("global_scaling") is scaling
    np.testing.assert_allclose(clf.front_end_statistics_[0], built_with, rtol=1e-6)


def test_partial_fit_names_labels_its_first_call_did_not_show(features):
    X, y = features
    clf = tiny_classifier(filters=(4, 4)).partial_fit(X[y != "tone"], y[y != "tone"])
    with pytest.raises(ValueError, match=r"partial_fit got label\(s\) 'tone' that its first call did not show; .*"):
        clf.partial_fit(X, y)
    assert len(clf.history_["loss"]) == 1
