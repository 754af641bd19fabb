"""Mixup: training batches of weighted sums of two examples and of their targets."""

from __future__ import annotations

import keras
import numpy as np

# the losses that read soft targets as the probabilities the mixed example belongs to each class
MIXUP_LOSSES = ("sparse_categorical_crossentropy", "categorical_crossentropy")


def mixup_loss(loss):
    """The loss to compile a mixup-trained classifier with: categorical cross-entropy on soft targets.

    Parameters
    ----------
    loss : str or keras loss
        The classifier's ``loss``: a name in ``MIXUP_LOSSES``, or the Keras
        loss object or function of that name.

    Returns
    -------
    keras.losses.CategoricalCrossentropy

    Raises
    ------
    ValueError
        For any other loss: what mixing targets means for it is unknown.
    """
    # a name, a Keras loss object (its name) or a Keras loss function (its __name__)
    name = loss if isinstance(loss, str) else getattr(loss, "name", getattr(loss, "__name__", None))
    if name not in MIXUP_LOSSES:
        raise ValueError(
            f"mixup mixes the targets of two examples and needs a cross-entropy loss ({' or '.join(MIXUP_LOSSES)}); "
            f"got loss={loss!r}."
        )
    return keras.losses.CategoricalCrossentropy()


def one_hot_targets(y, n_classes):
    """Targets as float32 rows of class probabilities: class indices one-hot, rows (one-hot or soft) as given."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:  # scikeras' column of class indices (binary problems)
        y = y[:, 0]
    if y.ndim == 1:
        return np.eye(n_classes, dtype="float32")[y.astype(int)]
    return y.astype("float32")


class MixupBatches(keras.utils.PyDataset):
    """Shuffled training batches in which every example is mixed with another one of its batch.

    Example ``i`` becomes ``lam_i * x_i + (1 - lam_i) * x_j``, with ``j`` a
    random permutation of the batch and ``lam_i`` drawn from
    ``Beta(alpha, alpha)``; its one-hot target and its weight are mixed with
    the same ``lam_i`` (Zhang et al., "mixup: Beyond empirical risk
    minimization", ICLR 2018). The order, the partners and the weights are
    drawn anew every epoch from ``seed``, so two fits with one seed see the
    same batches.

    Parameters
    ----------
    X : ndarray of shape (n, ...)
        Training inputs.
    y : ndarray of shape (n,) or (n, n_classes)
        Class indices, or one-hot (or soft) targets.
    sample_weight : ndarray of shape (n,) or None
        Weights of the examples; None weighs them alike.
    batch_size : int
        Examples per batch (the last batch may be smaller).
    alpha : float > 0
        Parameter of the Beta distribution of the mixing weights: small
        values keep most examples close to one of the two.
    n_classes : int
        Number of classes (the length of the targets).
    seed : int
        Seed of the order, the partners and the mixing weights.
    first_epoch : int, default=0
        Number of the first epoch (a continued training draws new batches).
    """

    def __init__(self, X, y, sample_weight, *, batch_size, alpha, n_classes, seed, first_epoch=0):
        super().__init__()
        self.X = np.asarray(X)
        self.targets = one_hot_targets(y, n_classes)
        self.sample_weight = (
            np.ones(len(self.X), dtype="float32") if sample_weight is None else np.asarray(sample_weight, "float32")
        )
        self.batch_size = batch_size
        self.alpha = alpha
        self.seed = seed
        self.epoch = first_epoch
        self._order = self._epoch_order()

    def _epoch_order(self):
        return np.random.default_rng([self.seed, self.epoch]).permutation(len(self.X))

    def __len__(self):
        return -(-len(self.X) // self.batch_size)

    def __getitem__(self, index):
        rows = self._order[index * self.batch_size : (index + 1) * self.batch_size]
        rng = np.random.default_rng([self.seed, self.epoch, index])
        partners = rows[rng.permutation(len(rows))]
        lam = rng.beta(self.alpha, self.alpha, size=len(rows)).astype("float32")

        def mixed(values):
            weight = lam.reshape((-1,) + (1,) * (values.ndim - 1))
            return weight * values[rows] + (1 - weight) * values[partners]

        return mixed(self.X), mixed(self.targets), mixed(self.sample_weight)

    def on_epoch_end(self):
        self.epoch += 1
        self._order = self._epoch_order()
