"""Mixup in CNN1DClassifier: mixed batches, soft targets, seeds and errors."""

import keras
import numpy as np
import pytest

from skaudio.models._mixup import MixupBatches, mixup_loss, one_hot_targets
from skaudio.persistence import load_model, save_model
from tests.models.conftest import tiny_classifier


def _epoch(batches):
    return [batches[i] for i in range(len(batches))]


def test_every_example_is_mixed_with_one_partner_of_its_batch_and_targets_and_weights_alike():
    n, n_classes = 10, 3
    X = np.eye(n, dtype="float32")  # each example on its own axis: a mix shows which examples it holds, and how much
    y = np.arange(n) % n_classes
    weight = np.arange(1, n + 1, dtype="float32")
    batches = MixupBatches(X, y, weight, batch_size=4, alpha=0.5, n_classes=n_classes, seed=0)
    assert len(batches) == 3
    first = _epoch(batches)
    assert [len(x) for x, _, _ in first] == [4, 4, 2]  # the last batch smaller
    examples_of_batches = []
    for x, targets, mixed_weight in first:
        assert np.all(x >= 0) and np.all((x > 0).sum(axis=1) <= 2)  # at most two examples in a mix
        np.testing.assert_allclose(x.sum(axis=1), 1, rtol=1e-6)  # a weighted mean
        # the targets and weights are the same weighted means of the examples' one-hot targets and weights
        np.testing.assert_allclose(targets, x @ np.eye(n_classes)[y], atol=1e-6)
        np.testing.assert_allclose(mixed_weight, x @ weight, rtol=1e-6)
        examples_of_batches.append(set(np.flatnonzero(x.sum(axis=0))))
    # partners come from the same batch, and every example is in one batch
    assert sum(map(len, examples_of_batches)) == n and set().union(*examples_of_batches) == set(range(n))
    assert any(np.any((x > 0).sum(axis=1) == 2) for x, _, _ in first)  # mixed indeed
    # the same seed and epoch give the same batches; the next epoch others
    again = _epoch(MixupBatches(X, y, weight, batch_size=4, alpha=0.5, n_classes=n_classes, seed=0))
    for (a, _, _), (b, _, _) in zip(first, again):
        np.testing.assert_array_equal(a, b)
    batches.on_epoch_end()
    assert not all(np.array_equal(a, b) for (a, _, _), (b, _, _) in zip(first, _epoch(batches)))
    # a continued training (partial_fit) starts at its own epoch, not at the first epoch's batches
    continued = MixupBatches(X, y, weight, batch_size=4, alpha=0.5, n_classes=n_classes, seed=0, first_epoch=1)
    np.testing.assert_array_equal(continued[0][0], batches[0][0])


def test_alpha_sets_how_far_the_mixes_go():
    X = np.eye(400, dtype="float32")
    y = np.arange(400) % 2

    def larger_shares(alpha):
        x, _, weights = MixupBatches(X, y, None, batch_size=400, alpha=alpha, n_classes=2, seed=1)[0]
        np.testing.assert_array_equal(weights, 1)  # no sample weights: every mix weighs 1
        return x.max(axis=1)

    assert np.median(larger_shares(0.1)) > 0.95  # most examples nearly themselves
    assert np.median(larger_shares(4.0)) < 0.75  # most near an even mix


def test_cross_entropy_losses_are_read_by_name_object_or_function():
    for loss in (
        "sparse_categorical_crossentropy",
        keras.losses.SparseCategoricalCrossentropy(),
        keras.losses.categorical_crossentropy,
    ):
        assert isinstance(mixup_loss(loss), keras.losses.CategoricalCrossentropy)
    for loss in ("mse", keras.losses.Huber(), keras.losses.binary_crossentropy):
        with pytest.raises(ValueError, match="mixup mixes the targets"):
            mixup_loss(loss)


def test_targets_accept_indices_columns_and_rows():
    np.testing.assert_array_equal(one_hot_targets([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    np.testing.assert_array_equal(one_hot_targets([[1], [0]], 2), [[0, 1], [1, 0]])
    np.testing.assert_allclose(one_hot_targets([[0.2, 0.8]], 2), [[0.2, 0.8]], rtol=1e-6)


def test_classifier_learns_with_mixup_repeatably(features, tmp_path):
    X, y = features
    clf = tiny_classifier(mixup=0.2, epochs=15).fit(X, y)
    assert clf.model_.loss.name == "categorical_crossentropy"  # soft targets
    assert clf.score(X, y) > 0.8
    same = tiny_classifier(mixup=0.2, epochs=15).fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), same.predict_proba(X))
    unmixed = tiny_classifier(epochs=15).fit(X, y)
    assert not np.allclose(clf.predict_proba(X), unmixed.predict_proba(X))
    # the targets from scikeras' one-hot encoding (categorical loss) mix the same way
    assert tiny_classifier(mixup=0.2, epochs=15, loss="categorical_crossentropy").fit(X, y).score(X, y) > 0.8
    # a saved classifier loads without running code and predicts the same
    save_model(clf, tmp_path / "mixup.skaudio")
    np.testing.assert_array_equal(load_model(tmp_path / "mixup.skaudio").predict_proba(X), clf.predict_proba(X))


def test_mixup_keeps_validation_unmixed_and_continues_with_partial_fit(features):
    X, y = features
    order = np.random.default_rng(0).permutation(len(X))
    X, y = X[order], y[order]
    clf = tiny_classifier(mixup=0.4, epochs=4, validation_split=0.25).fit(X, y)
    assert len(clf.history_["val_loss"]) == 4
    # the validation loss is measured on the held-out quarter as given: evaluate it the same way
    held_out = X[int(np.floor(len(X) * 0.75)) :], y[int(np.floor(len(X) * 0.75)) :]
    proba = clf.predict_proba(held_out[0])
    targets = np.searchsorted(clf.classes_, held_out[1])
    expected = -np.mean(np.log(np.clip(proba[np.arange(len(targets)), targets], 1e-7, 1)))
    assert clf.history_["val_loss"][-1] == pytest.approx(expected, rel=1e-3)

    stepwise = tiny_classifier(mixup=0.4)
    for _ in range(3):
        stepwise.partial_fit(X, y)
    assert len(stepwise.history_["loss"]) == 3


def test_mixup_needs_a_cross_entropy_loss_and_a_non_negative_alpha(features):
    X, y = features
    with pytest.raises(ValueError, match=r"mixup mixes the targets .* needs a cross-entropy loss .* got loss='mse'"):
        tiny_classifier(mixup=0.2, loss="mse").fit(X, y)
    with pytest.raises(ValueError, match=r"'mixup' parameter .* in the range \[0.0, inf\)\. Got -0.1"):
        tiny_classifier(mixup=-0.1).fit(X, y)
