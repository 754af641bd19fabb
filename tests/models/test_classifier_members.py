"""CNN1DClassifier(member_params=...): networks with different front ends, their probabilities averaged."""

import io

import joblib
import keras
import numpy as np
import pytest
from sklearn.pipeline import make_pipeline

import skaudio
from skaudio.models._front_end import training_statistics
from skaudio.preprocessing import MFCC, FeatureScaler, Spectrogram
from tests.models.conftest import tiny_classifier

SR = 8000
WINDOW = 2000  # 0.25 s


def _tones(n, rng):
    """``n`` clips of 0.25-0.5 s: a 500 Hz ("low") or 2000 Hz ("high") tone in noise."""
    y = np.repeat(["low", "high"], n // 2)
    X = []
    for label in y:
        t = np.arange(int(rng.integers(WINDOW, 2 * WINDOW))) / SR
        tone = np.sin(2 * np.pi * (500 if label == "low" else 2000) * t)
        X.append((tone + 0.1 * rng.normal(size=t.size)).astype(np.float32))
    return X, y


def _mfcc():
    return make_pipeline(MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=80, n_mels=40), FeatureScaler(per_clip=False))


def _log_mel():
    return make_pipeline(
        Spectrogram(sr=SR, kind="mel", n_fft=256, hop_length=80, n_mels=20), FeatureScaler(per_clip=False)
    )


@pytest.fixture(scope="module")
def tones():
    return _tones(24, np.random.default_rng(0))


@pytest.fixture(scope="module")
def two_front_ends(tones):
    X, y = tones
    members = ({}, {"front_end": _log_mel(), "conv2d_filters": 4})
    return tiny_classifier(front_end=_mfcc(), window=WINDOW, epochs=3, member_params=members).fit(X, y)


def _layers(network, kind):
    return [layer for layer in network.layers if isinstance(layer, kind)]


def test_each_member_network_has_its_own_front_end_and_the_clip_gets_their_mean(two_front_ends, tones):
    X, y = tones
    clf = two_front_ends
    mfcc_net, log_mel_net = (clf.model_.get_layer(f"network{k}") for k in (1, 2))
    assert mfcc_net.get_layer("front_end").output.shape[-1] == 13  # cepstral coefficients
    assert log_mel_net.get_layer("front_end").output.shape[-1] == 20  # mel bands
    # the entry's conv2d_filters apply to its network only
    assert not _layers(mfcc_net, keras.layers.Conv2D) and len(_layers(log_mel_net, keras.layers.Conv2D)) == 1
    one_window = X[0][None, :WINDOW]  # a clip of exactly one window: its probabilities are the window's
    outputs = [np.asarray(net(one_window, training=False)) for net in (mfcc_net, log_mel_net)]
    assert not np.allclose(outputs[0], outputs[1])
    np.testing.assert_allclose(clf.predict_proba(one_window), np.mean(outputs, axis=0), atol=1e-6)
    # the classifier's own statistics are those of its own front end, not of the last member's
    mean, scale = training_statistics(_mfcc(), clf._windowed_training_data(X, y, None)[0])
    np.testing.assert_allclose(clf.front_end_statistics_[0], mean, rtol=1e-5)
    assert clf.front_end_statistics_[1].shape == scale.shape == (13,)
    assert clf.member_params[1]["conv2d_filters"] == 4 and clf.n_networks == 1  # parameters untouched by fit


def test_members_are_seeded_and_survive_joblib_and_a_model_file(two_front_ends, tones, tmp_path):
    X, y = tones
    proba = two_front_ends.predict_proba(X)
    again = tiny_classifier(
        front_end=_mfcc(),
        window=WINDOW,
        epochs=3,
        member_params=({}, {"front_end": _log_mel(), "conv2d_filters": 4}),
    ).fit(X, y)
    np.testing.assert_array_equal(again.predict_proba(X), proba)
    buffer = io.BytesIO()
    joblib.dump(two_front_ends, buffer)
    buffer.seek(0)
    np.testing.assert_array_equal(joblib.load(buffer).predict_proba(X), proba)
    skaudio.save_model(two_front_ends, tmp_path / "members.skaudio")
    loaded = skaudio.load_model(tmp_path / "members.skaudio")
    assert isinstance(loaded.member_params[1]["front_end"][0], Spectrogram)
    np.testing.assert_allclose(loaded.predict_proba(X), proba, rtol=1e-5, atol=1e-6)


def test_n_networks_trains_that_many_networks_for_each_member(features):
    X, y = features
    clf = tiny_classifier(epochs=1, n_networks=2, member_params=({}, {"kernel_size": 5})).fit(X, y)
    networks = [clf.model_.get_layer(f"network{k}") for k in (1, 2, 3, 4)]
    kernels = [[layer.kernel_size[0] for layer in _layers(net, keras.layers.Conv1D)] for net in networks]
    assert kernels == [[3, 3], [3, 3], [5, 5], [5, 5]]
    outputs = [np.asarray(net(X[:4], training=False)) for net in networks[:2]]
    assert not np.allclose(*outputs)  # the same configuration from two seeds


def test_a_single_entry_replaces_the_classifiers_configuration(features):
    X, y = features
    clf = tiny_classifier(epochs=1, member_params=({"kernel_size": 5},)).fit(X, y)
    kernels = [layer.kernel_size[0] for layer in _layers(clf.model_.get_layer("network1"), keras.layers.Conv1D)]
    assert kernels == [5, 5] and clf.kernel_size == 3  # the entry's network; the classifier's parameter kept


def test_history_keeps_the_keys_every_member_has(features):
    X, y = features
    clf = tiny_classifier(epochs=2, member_params=({}, {"validation_split": 0.25})).fit(X, y)
    assert set(clf.history_) == {"loss"} and len(clf.history_["loss"]) == 2


@pytest.mark.parametrize(
    ("member_params", "match"),
    [
        ((), r"member_params must hold at least one dict"),
        (({}, "log-mel"), r"member_params\[1\] must be a dict of parameters, got str"),
        (({"kernel": 5},), r"member_params\[0\] sets unknown parameter\(s\) \['kernel'\] of CNN1DClassifier"),
        (
            ({}, {"window": 400, "epochs": 2}),
            r"member_params\[1\] sets \['window'\]: every network of the ensemble shares these",
        ),
        (({"random_state": 1},), r"sets \['random_state'\]"),
        (({}, {"dropout": 2.0}), r"member_params\[1\]: The 'dropout' parameter of CNN1DClassifier must be"),
        (({}, {"front_end": MFCC(sr=SR)}), r"member_params\[1\] sets front_end=MFCC\(.*\) but the classifier's is"),
    ],
)
def test_bad_member_params_are_refused_by_name(features, member_params, match):
    X, y = features
    with pytest.raises(ValueError, match=match):
        tiny_classifier(member_params=member_params).fit(X, y)


def test_partial_fit_and_warm_start_refuse_members(features):
    with pytest.raises(ValueError, match="partial_fit trains one network; it needs member_params=None"):
        tiny_classifier(member_params=({}, {"kernel_size": 5})).partial_fit(*features)
    with pytest.raises(ValueError, match="warm_start=True .* needs n_networks=1 and member_params=None"):
        tiny_classifier(member_params=({"kernel_size": 5},), warm_start=True).fit(*features)


def test_routed_parameters_can_be_set_per_member(features):
    X, y = features
    plain = tiny_classifier(epochs=2, member_params=({}, {})).fit(X, y)
    averaged = tiny_classifier(epochs=2, member_params=({}, {"optimizer__use_ema": True})).fit(X, y)
    outputs = {
        name: [np.asarray(clf.model_.get_layer(f"network{k}")(X[:8], training=False)) for k in (1, 2)]
        for name, clf in (("plain", plain), ("averaged", averaged))
    }
    np.testing.assert_allclose(outputs["averaged"][0], outputs["plain"][0], atol=1e-6)  # same seed, same settings
    assert not np.allclose(outputs["averaged"][1], outputs["plain"][1], atol=1e-4)  # weight averaging in network 2


def test_one_members_parameter_is_tuned_by_name_in_a_grid_search(tones):
    # member_params__<i>__<name>, also through a pipeline and into an entry's front end, as GridSearchCV sets it
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV, KFold

    X, y = tones
    base = make_pipeline(
        tiny_classifier(
            front_end=_mfcc(),
            window=WINDOW,
            epochs=1,
            member_params=({}, {"front_end": _log_mel(), "conv2d_filters": 4}),
        )
    )
    tuned = clone(base).set_params(
        cnn1dclassifier__member_params__1__conv2d_filters=(2, 3),
        cnn1dclassifier__member_params__1__front_end__spectrogram__n_mels=24,
        cnn1dclassifier__member_params__0__front_end__mfcc__n_mfcc=10,
    )
    entries = tuned[-1].member_params
    assert entries[1]["conv2d_filters"] == (2, 3) and entries[1]["front_end"]["spectrogram"].n_mels == 24
    assert entries[0]["front_end"]["mfcc"].n_mfcc == 10 and tuned[-1].front_end["mfcc"].n_mfcc == 13
    # the original and its other clones keep their entries
    assert base[-1].member_params[1]["conv2d_filters"] == 4
    assert base[-1].member_params[1]["front_end"]["spectrogram"].n_mels == 20
    for bad in ("member_params__2__kernel_size", "member_params__x__kernel_size", "member_params__1"):
        with pytest.raises(ValueError, match=rf"'{bad}' names no member setting: member_params has 2 entries"):
            clone(base[-1]).set_params(**{bad: 3})
    with pytest.raises(ValueError, match=r"member_params\[1\] sets unknown parameter\(s\) \['conv2d_filtrs'\]"):
        clone(base[-1]).set_params(member_params__1__conv2d_filtrs=3)  # at once, not at the grid's fits
    with pytest.raises(ValueError, match=r"'member_params__0__kernel_size' sets a member's parameter, but member_"):
        tiny_classifier().set_params(member_params__0__kernel_size=5)
    # set in the same call: the classifier's own parameters first, so entry 0 takes the new front end
    same_call = clone(base[-1]).set_params(
        front_end__mfcc__n_mfcc=20, member_params__0__front_end__mfcc__n_fft=512, member_params=({}, {})
    )
    assert same_call.member_params[1] == {} and same_call.front_end["mfcc"].n_fft == 256
    assert (
        same_call.member_params[0]["front_end"]["mfcc"].n_mfcc,
        same_call.member_params[0]["front_end"]["mfcc"].n_fft,
    ) == (20, 512)

    grid = {"cnn1dclassifier__member_params__1__conv2d_filters": [2, (2, 3)]}
    search = GridSearchCV(base, grid, cv=KFold(2, shuffle=True, random_state=0), refit=True).fit(X, y)
    network = search.best_estimator_[-1].model_.get_layer("network2")
    n_blocks = len(_layers(network, keras.layers.Conv2D))
    assert n_blocks == (1 if search.best_params_[next(iter(grid))] == 2 else 2)
    assert len(search.cv_results_["params"]) == 2
