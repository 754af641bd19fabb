"""What the three estimators share on top of scikeras.

- Tags: scikeras 0.13 reports no estimator type on scikit-learn >= 1.6
  (``BaseEstimator`` precedes ``ClassifierMixin`` in its MRO, so the mixin's
  tags are never applied). Each estimator declares its tags itself.
- Input: a 2D batch ``(n, n_samples)`` gets a channel axis; a 3D feature
  batch goes in as is; the per-example shape is checked at predict time.
- Fast predict: Keras' ``Model.predict`` sets up a data pipeline on every
  call (~50 ms). Predictions here go through one compiled function, called
  per batch of ``predict_batch_size`` examples.
- Memory: every fresh fit clears the Keras session first, so a search over
  many candidates does not accumulate graphs.
- Seeds: a seeded network is built from seeds no other thread can draw
  (``_seeding``), so ``random_state`` holds while other threads draw from
  Python's ``random``, as a Dask worker's event loop does.
- Early stopping and the learning rate are explicit parameters.
"""

import weakref

import keras
import numpy as np
from sklearn.exceptions import NotFittedError
from sklearn.utils import ClassifierTags, check_array
from sklearn.preprocessing import FunctionTransformer

from skaudio.models._seeding import private_keras_seeds
from skaudio.networks import augmentation_layers
from skaudio.utils import is_ragged
from skaudio.utils._validation import _to_float32


def add_channel_axis(X):
    """``(n, t)`` waveforms become ``(n, t, 1)``; 3D features pass through."""
    X = np.asarray(X, dtype=np.float32)
    return X[..., None] if X.ndim == 2 else X


def model_input_shape(X_shape):
    """Per-example model input shape from a batch shape (2D gets a channel)."""
    shape = tuple(X_shape[1:])
    return shape + (1,) if len(shape) == 1 else shape


def _dense_batch(X, estimator_name):
    """Stack a list of equal-shape clips; refuse ragged input with advice."""
    if not is_ragged(X):
        return X
    shapes = {np.shape(clip) for clip in X}
    if len(shapes) > 1:
        raise ValueError(
            f"{estimator_name} needs clips of one shape, got {len(shapes)} different shapes "
            f"(e.g. {sorted(shapes)[:2]}). Put skaudio.preprocessing.FixedLength before it."
        )
    return np.stack([np.asarray(clip) for clip in X])


# Compiled inference functions, one per fitted Keras model. Kept outside the
# estimator so that predict does not change its state and pickling is
# untouched; the function holds only a weak reference to its model.
_PREDICT_FUNCTIONS = weakref.WeakKeyDictionary()


def compiled_predict_function(model):
    """A ``tf.function`` running ``model`` in inference mode, cached per model."""
    function = _PREDICT_FUNCTIONS.get(model)
    if function is None:
        import tensorflow as tf

        model_ref = weakref.ref(model)
        function = tf.function(lambda x: model_ref()(x, training=False), reduce_retracing=True, autograph=False)
        _PREDICT_FUNCTIONS[model] = function
    return function


class _EarlyStopping(keras.callbacks.EarlyStopping):
    """EarlyStopping added by ``early_stopping=True`` (told apart from the user's)."""


class KerasAudioMixin:
    """Behaviour shared by skaudio's scikeras estimators (see module docstring)."""

    # ------------------------------------------------------------ model build
    def _compile_model(self, model, compile_kwargs):
        """Compile ``model`` with the routed optimizer and our learning rate."""
        optimizer = compile_kwargs["optimizer"]
        # an explicitly routed optimizer__learning_rate wins over our default
        if self.learning_rate is not None and not hasattr(self, "optimizer__learning_rate"):
            optimizer.learning_rate = self.learning_rate
        model.compile(**{**compile_kwargs, "optimizer": optimizer})
        return model

    def _build_keras_model(self):
        # A new model: drop graphs and layer-name counters of earlier fits
        # (clear_session also runs the garbage collector). It also resets
        # global settings; keep the user's dtype policy (mixed precision).
        policy = keras.config.dtype_policy()
        keras.backend.clear_session()
        keras.config.set_dtype_policy(policy)
        if self._random_state is None:
            return super()._build_keras_model()
        # scikeras seeds Python's global generator for the build, which other
        # threads may draw from meanwhile (see skaudio.models._seeding)
        with private_keras_seeds(self._random_state):
            return super()._build_keras_model()

    def _initialize_callbacks(self):
        super()._initialize_callbacks()
        if self.early_stopping:
            monitor = "val_loss" if self.validation_split else "loss"
            self._fit_callbacks = self._fit_callbacks + [
                _EarlyStopping(monitor=monitor, patience=self.patience, restore_best_weights=True)
            ]

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Build a new network and train it on ``(X, y)``.

        Parameters
        ----------
        X : array-like
            Training inputs, as the estimator's docstring describes.
        y : array-like
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
        **kwargs
            Passed to ``keras.Model.fit`` (prefer routed ``fit__`` parameters).

        Returns
        -------
        self : object
        """
        super().fit(X, y, sample_weight=sample_weight, **kwargs)
        # The early-stopping callback holds the model and its best weights:
        # drop it so that a pickled estimator does not carry a second copy.
        self._fit_callbacks = [cb for cb in self._fit_callbacks if not isinstance(cb, _EarlyStopping)]
        return self

    def _augmentation(self):
        """Training-only input layers from the augmentation parameters."""
        spec = None
        if self.time_masks or self.freq_masks:
            spec = dict(
                time_masks=self.time_masks, time_width=self.time_mask_width,
                freq_masks=self.freq_masks, freq_width=self.freq_mask_width,
            )
        return augmentation_layers(
            time_shift=self.time_shift, time_stretch=self.time_stretch, gain_db=self.gain_db, noise_std=self.noise_std,
            feature_shift=self.feature_shift, spec_augment=spec, seed=self._random_state,
        )

    # ------------------------------------------------------------------ input
    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        name = type(self).__name__
        if X is not None:
            X = check_array(_dense_batch(X, name), allow_nd=True, dtype="numeric", input_name="X")
            X = _to_float32(X, None, "X")  # the network's dtype; integer PCM scaled to [-1, 1]
            if not reset and hasattr(self, "X_shape_"):
                given, expected = X.shape[1:], tuple(self.X_shape_[1:])
                if given != expected and self._any_length_ok(given) and y is None:
                    return X, y  # another length the network accepts (scikeras would refuse it)
                if given != expected:
                    sklearn_words = (
                        f" (X has {given[0]} features, but {name} is expecting {expected[0]} "
                        "features as input)" if len(given) == len(expected) == 1 else ""
                    )
                    raise ValueError(
                        f"{name} was fitted on examples of shape {expected} but got shape "
                        f"{given}{sklearn_words}. Give predict the same features as fit (the same "
                        "FixedLength, feature and scaling steps)."
                    )
        return super()._validate_data(X, y, reset=reset, y_numeric=y_numeric)

    def _any_length_ok(self, given):
        """Whether a per-example shape that differs from fit is acceptable."""
        return False

    @property
    def feature_encoder(self):
        """Adds the channel axis to 2D waveform batches (picklable)."""
        return FunctionTransformer(add_channel_axis)

    # ---------------------------------------------------------------- predict
    def _inference_model(self):
        """The Keras model whose output ``predict`` and ``predict_proba`` read."""
        return self.model_

    def _predict_raw(self, X, model=None, **kwargs):
        if not self.initialized_:
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' first."
            )
        X, _ = self._validate_data(X=X, y=None)
        X = self.feature_encoder_.transform(X)
        predict = compiled_predict_function(self._inference_model() if model is None else model)
        step = self.predict_batch_size
        if not isinstance(step, int) or step < 1:
            raise ValueError(f"predict_batch_size must be an int >= 1, got {step!r}.")
        outputs = [np.asarray(predict(X[i : i + step])) for i in range(0, len(X), step)]
        return np.concatenate(outputs)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        # Given a random_state, fits are repeatable on CPU (scikeras seeds
        # everything and enables TensorFlow's deterministic ops).
        tags.non_deterministic = False
        tags.target_tags.required = True
        return tags


class KerasAudioClassifierMixin(KerasAudioMixin):
    """KerasAudioMixin plus what both classifiers need."""

    _multi_label = False
    _multi_class = True

    def predict_proba(self, X, **kwargs):
        """Class (or label) probabilities.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or (n_clips, n_frames, n_features)
            Input batch, shaped as in ``fit``.

        Returns
        -------
        proba : ndarray of shape (n_clips, n_classes) or (n_clips, n_labels)
        """
        proba = super().predict_proba(X, **kwargs)
        # scikeras squeezes the output, so one clip came back 1D.
        return proba.reshape(-1, proba.shape[-1]) if proba.ndim == 1 else proba

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags(multi_class=self._multi_class, multi_label=self._multi_label)
        return tags
