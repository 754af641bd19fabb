"""Standardisation of feature batches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import _check_feature_names, check_is_fitted

from skaudio.utils import ArrayOutputMixin, check_feature_batch, is_ragged

if TYPE_CHECKING:
    from typing_extensions import Self

# Below this standard deviation a feature (or a clip's feature) is treated as
# constant and only centred, as sklearn.preprocessing.StandardScaler does.
_TINY_STD = 1e-8


def _std_guard(std):
    return np.where(std < _TINY_STD, 1.0, std)


class FeatureScaler(ArrayOutputMixin, OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Standardise features over clips and frames, or within each clip.

    Parameters
    ----------
    per_clip : bool, default=False
        If False, each feature is standardised with a mean and standard
        deviation learned in ``fit`` over all frames of all training clips.
        If True, each clip is standardised over its own frames (cepstral mean
        and variance normalisation, CMVN); nothing is learned and the clip's
        level and channel colouring are removed.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
        Per-feature mean over all training frames (``per_clip=False``).
    scale_ : ndarray of shape (n_features,)
        Per-feature standard deviation (1 where a feature is constant).
    n_features_in_ : int
        Number of features (last axis). ``get_feature_names_out`` gives one
        name per feature, unchanged (as in a ``ColumnTransformer``).
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Column names of a DataFrame given to ``fit``, where they are all
        str; ``transform`` then checks that its columns come in the same
        order.

    See Also
    --------
    sklearn.preprocessing.StandardScaler : the same for 2D tables.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.preprocessing import FeatureScaler
    >>> X = np.random.default_rng(0).normal(5.0, 2.0, size=(4, 10, 3))
    >>> Xs = FeatureScaler().fit_transform(X)
    >>> bool(np.allclose(Xs.reshape(-1, 3).mean(axis=0), 0, atol=1e-5))
    True
    >>> Xc = FeatureScaler(per_clip=True).fit_transform(X)
    >>> bool(np.allclose(Xc.mean(axis=1), 0, atol=1e-5))
    True
    """

    _parameter_constraints = {"per_clip": ["boolean"]}

    def __init__(self, *, per_clip: bool = False) -> None:
        self.per_clip = per_clip

    def _check(self, X):
        X = check_feature_batch(X, allow_2d=not self.per_clip)
        if not is_ragged(X) and X.ndim == 2:
            X = X[:, None, :]  # a table: each row is a one-frame clip
            return X, True
        return X, False

    def fit(self, X: ArrayLike | Sequence[ArrayLike], y: object = None) -> Self:
        """Learn per-feature statistics (nothing for ``per_clip=True``).

        Parameters
        ----------
        X : ndarray of shape (n_clips, n_frames, n_features) or list of 2D ndarray
            Feature batch. A 2D table ``(n_samples, n_features)`` is accepted
            when ``per_clip=False``.
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        self._validate_params()
        _check_feature_names(self, X, reset=True)  # a DataFrame's columns name the features out
        X, _ = self._check(X)
        frames = np.concatenate(X) if is_ragged(X) else X.reshape(-1, X.shape[-1])
        self.n_features_in_ = frames.shape[-1]
        if not self.per_clip:
            frames = frames.astype(np.float64)
            self.mean_ = frames.mean(axis=0)
            self.scale_ = _std_guard(frames.std(axis=0))
        return self

    def _check_n_features(self, X):
        n = X[0].shape[-1] if is_ragged(X) else X.shape[-1]
        if n != self.n_features_in_:
            raise ValueError(
                f"X has {n} features, but FeatureScaler is expecting {self.n_features_in_} features as input."
            )

    def transform(self, X: ArrayLike | Sequence[ArrayLike]) -> np.ndarray | list[np.ndarray]:
        """Standardise ``X``.

        Parameters
        ----------
        X : ndarray or list of 2D ndarray
            Feature batch, as in ``fit``.

        Returns
        -------
        X_scaled : ndarray or list of ndarray
            Same shape and structure as ``X``, float32.
        """
        check_is_fitted(self, "n_features_in_")
        _check_feature_names(self, X, reset=False)
        X, was_table = self._check(X)
        self._check_n_features(X)
        if self.per_clip:

            def scale(clip):
                return (clip - clip.mean(axis=-2, keepdims=True)) / _std_guard(clip.std(axis=-2, keepdims=True))
        else:

            def scale(clip):
                return (clip - self.mean_) / self.scale_

        if is_ragged(X):
            return [scale(clip).astype(np.float32) for clip in X]
        out = scale(X).astype(np.float32)
        return out[:, 0, :] if was_table else out

    def inverse_transform(self, X: ArrayLike | Sequence[ArrayLike]) -> np.ndarray | list[np.ndarray]:
        """Undo the global standardisation (``per_clip=False`` only).

        Parameters
        ----------
        X : ndarray or list of 2D ndarray
            Scaled features.

        Returns
        -------
        X_original : ndarray or list of ndarray
        """
        check_is_fitted(self, "n_features_in_")
        if self.per_clip:
            raise ValueError("per_clip=True discards each clip's statistics; it cannot be inverted.")
        X, was_table = self._check(X)
        self._check_n_features(X)
        if is_ragged(X):
            return [(clip * self.scale_ + self.mean_).astype(np.float32) for clip in X]
        out = (X * self.scale_ + self.mean_).astype(np.float32)
        return out[:, 0, :] if was_table else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float32"]  # always float32, the networks' dtype
        return tags
