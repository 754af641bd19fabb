"""What the three estimators share on top of scikeras.

- Tags: scikeras 0.13 reports no estimator type on scikit-learn >= 1.6
  (``BaseEstimator`` precedes ``ClassifierMixin`` in its MRO, so the mixin's
  tags are never applied). Each estimator declares its tags itself.
- Input: a 2D batch ``(n, n_samples)`` gets a channel axis; a 3D feature
  batch goes in as is; the per-example shape is checked at predict time.
- Fast predict: Keras' ``Model.predict`` sets up a data pipeline on every
  call (~50 ms). Predictions here go through one compiled function, called
  per batch of ``predict_batch_size`` examples.
- Memory: every fresh fit clears the Keras session first, and nothing here
  keeps an earlier fit's network or compiled predict function alive (the
  caches below hold models weakly). TensorFlow itself still keeps each
  fit's traced training graph for the life of the process (a gradient it
  registers globally for the all-reduce in Keras' train step), so memory
  grows by a few MiB per fit in one process, as with plain Keras and
  ``clear_session``: ``benchmarks/bench_memory.py`` measures it. Long
  searches run their fits in worker processes (``n_jobs``), whose memory
  goes back to the system when they end; see the model selection guide.
- Seeds: a seeded network is built from seeds no other thread can draw
  (``_seeding``), so ``random_state`` holds while other threads draw from
  Python's ``random``, as a Dask worker's event loop does.
- Early stopping, the learning rate and its schedule are explicit parameters.
"""

from __future__ import annotations

import inspect
import warnings
import weakref
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import keras
import numpy as np
from numpy.typing import ArrayLike
from scikeras.wrappers import BaseWrapper
from sklearn.base import BaseEstimator
from sklearn.exceptions import DataConversionWarning, NotFittedError
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import ClassifierTags, check_array
from sklearn.utils._param_validation import Interval, StrOptions, validate_parameter_constraints

from skaudio.models._seeding import private_keras_seeds, restored_global_random_state
from skaudio.networks import augmentation_layers
from skaudio.utils import is_ragged, size_tensorflow_threads, to_float32

if TYPE_CHECKING:
    from typing_extensions import Self


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


# Parameter prefixes scikeras routes to Keras (``optimizer__learning_rate``, ...).
_ROUTING_PREFIXES = set(BaseWrapper._routing_prefixes)


# Prediction batches are padded to a multiple of this many examples: float32
# CPU kernels compute the last, partial block of rows of a batch differently,
# so without it a clip's prediction changed in its last bits with its
# position in the batch (sample order). It also bounds retracing.
PREDICT_ROW_BLOCK = 32


def _padded_call(predict, batch):
    """``predict(batch)`` on the batch padded with zeros to PREDICT_ROW_BLOCK times a power of two rows.

    Powers of two keep the number of traced batch shapes logarithmic in the batch size.
    """
    n = len(batch)
    padding = PREDICT_ROW_BLOCK * (1 << (max(1, -(-n // PREDICT_ROW_BLOCK)) - 1).bit_length()) - n
    if padding:
        batch = np.concatenate([batch, np.zeros((padding,) + batch.shape[1:], dtype=batch.dtype)])
    return np.asarray(predict(batch))[:n]


class _EarlyStopping(keras.callbacks.EarlyStopping):
    """EarlyStopping added by ``early_stopping=True`` (told apart from the user's)."""


class _CosineLearningRate(keras.callbacks.Callback):
    """``learning_rate_schedule="cosine"``: the learning rate falls from its value to 0 over one fit's epochs.

    Epoch ``k`` of ``n`` trains at ``0.5 * (1 + cos(pi * k / n))`` times the
    optimizer's learning rate, which ``restore`` puts back when training ends,
    also when it is interrupted (a later ``fit`` with ``warm_start=True`` runs
    the schedule again; a ``partial_fit`` epoch is the first of one and trains
    at the full rate).
    """

    def on_train_begin(self, logs=None):
        rate = self.model.optimizer.learning_rate
        if not isinstance(rate, keras.Variable):
            raise ValueError(
                "learning_rate_schedule='cosine' sets the optimizer's learning rate at every epoch, but the "
                "optimizer's learning rate is a schedule of its own; use one or the other."
            )
        self._full_rate = float(rate.numpy())
        self._first_epoch = None

    def on_epoch_begin(self, epoch, logs=None):
        if self._first_epoch is None:  # a warm-started fit counts from its own first epoch
            self._first_epoch = epoch
        n_epochs = max(1, self.params["epochs"] - self._first_epoch)
        self.model.optimizer.learning_rate.assign(
            self._full_rate * 0.5 * (1.0 + np.cos(np.pi * (epoch - self._first_epoch) / n_epochs))
        )

    def restore(self):
        """Put the full rate back (Keras calls ``on_train_end`` only when training ends normally)."""
        if hasattr(self, "_full_rate"):
            self.model.optimizer.learning_rate.assign(self._full_rate)


def _momentum_for_steps(n_steps):
    """``ema_momentum`` averaging about the last tenth of ``n_steps`` training steps, at most the last 100."""
    horizon = min(100.0, max(1.0, n_steps / 10))
    return 1.0 - 1.0 / horizon


class _WeightAverageMomentum(keras.callbacks.Callback):
    """``average_weights=True``: the optimizer's ``ema_momentum`` for the steps of this training run.

    Set before the first step, which traces the training function and with it the momentum, from the steps Keras
    plans (every epoch's batches, after ``validation_split`` and whatever the data are: arrays or batches).
    Keras' fixed 0.99 starts its average from the initial weights and, after 90 steps, still holds 40 % of them.
    """

    def on_train_begin(self, logs=None):
        epochs, steps = self.params.get("epochs"), self.params.get("steps")
        if epochs and steps:  # a generator of unknown length keeps the momentum it had (0.99)
            self.model.optimizer.ema_momentum = _momentum_for_steps(epochs * steps)


# Callbacks that set the learning rate themselves: with learning_rate_schedule="cosine" one of the two would
# overwrite the other at every epoch.
_RATE_CALLBACKS = (keras.callbacks.LearningRateScheduler, keras.callbacks.ReduceLROnPlateau)


def _with_inherited_parameters(init, parent_init):
    """``init``'s signature, naming before its ``**kwargs`` the parent's parameters that reach the parent through them.

    scikit-learn's repr, HTML display and pretty printer show a parameter as
    changed unless the signature gives its default; without these, every
    pipeline holding a skaudio estimator printed scikeras's eight defaults
    (``callbacks``, ``shuffle``, ...). An ``__init__`` without ``**kwargs``
    takes nothing more and keeps its signature.
    """
    signature = inspect.signature(init)
    own = list(signature.parameters.values())
    if not own or own[-1].kind is not inspect.Parameter.VAR_KEYWORD:
        return signature
    named = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    added = [
        parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        for name, parameter in list(inspect.signature(parent_init).parameters.items())[1:]  # after self
        if parameter.kind in named and name not in signature.parameters
    ]
    return signature.replace(parameters=own[:-1] + added + own[-1:])


class KerasAudioMixin:
    """Behaviour shared by skaudio's scikeras estimators (see module docstring)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "__init__" in vars(cls):
            cls.__init__.__signature__ = _with_inherited_parameters(cls.__init__, super(cls, cls).__init__)

    # scikit-learn's repr (scikeras prints every parameter, one per line); with the
    # signature above it shows what differs from the defaults, nested or not
    __repr__ = BaseEstimator.__repr__

    # A model saved before this parameter existed is loaded without it (skops does not call __init__): it then
    # trains as it did, at a constant rate.
    learning_rate_schedule = "constant"
    # and trains to its last step's weights
    average_weights = False

    def set_params(self, **params: Any) -> Self:
        """Set parameters, nested ones (``front_end__mfcc__n_mfcc``) on the object that holds them.

        As scikit-learn's ``set_params`` (a nested parameter is set after the
        object that holds it, so ``set_params(front_end=Spectrogram(sr=8000),
        front_end__n_fft=512)`` sets it on the new front end), except that a
        bad nested name is reported by the nested object (a front end's
        Pipeline names its own steps), where scikeras would name this
        estimator.

        Parameters
        ----------
        **params : dict
            Parameter names and values.

        Returns
        -------
        self : object
            This estimator, its parameters set.
        """
        own, nested = {}, {}
        for key, value in params.items():
            head, _, rest = key.partition("__")
            (nested if rest and head not in self._routing_prefixes else own)[key] = value
        super().set_params(**own)
        by_holder = {}  # one call per holder, as scikit-learn makes: a Pipeline sets its steps before their params
        for key, value in nested.items():
            head, _, rest = key.partition("__")
            by_holder.setdefault(head, {})[rest] = value
        for head, group in by_holder.items():  # on the objects that hold them, as now set
            holder = getattr(self, head, None)
            if hasattr(holder, "set_params") and not isinstance(holder, type):
                holder.set_params(**group)  # in place, as scikit-learn does
            else:
                super().set_params(**{f"{head}__{rest}": value for rest, value in group.items()})
        return self

    # ------------------------------------------------------------ model build
    def _compile_model(self, model, compile_kwargs):
        """Compile ``model`` with the routed optimizer and our learning rate."""
        optimizer = compile_kwargs["optimizer"]
        # an explicitly routed optimizer__learning_rate wins over our default
        if self.learning_rate is not None and not hasattr(self, "optimizer__learning_rate"):
            optimizer.learning_rate = self.learning_rate
        if self.average_weights:
            # before the optimizer is built, which makes the average's variables; the momentum is set when
            # training begins (_WeightAverageMomentum)
            optimizer.use_ema = True
        model.compile(**{**compile_kwargs, "optimizer": optimizer})
        # Keras (TensorFlow backend) otherwise creates the optimizer's variables in the first
        # traced training step, and a tf.function that creates variables is traced twice:
        # building them here halves the tracing that dominates a small fit (design notes).
        model.optimizer.build(model.trainable_variables)
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
        # a NumPy integer is a valid random_state (a grid over np.arange), but Python's random takes only int
        self._random_state = int(self._random_state)
        # scikeras seeds Python's global generator for the build, which other
        # threads may draw from meanwhile (see skaudio.models._seeding)
        with private_keras_seeds(self._random_state):
            return super()._build_keras_model()

    def _fit_keras_model(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        # Our callbacks are made for each training run and dropped after it: they hold the model (early
        # stopping also its best weights), which a pickled estimator would carry twice, and a warm-started
        # fit, which keeps the user's callbacks (scikeras' list), gets its own.
        users = self._fit_callbacks
        own = []
        if self.learning_rate_schedule == "cosine":
            clashing = [type(callback).__name__ for callback in users if isinstance(callback, _RATE_CALLBACKS)]
            if clashing:
                raise ValueError(
                    f"learning_rate_schedule='cosine' sets the learning rate at every epoch, and so does the "
                    f"callback {clashing[0]} given in callbacks; use one or the other."
                )
            own.append(_CosineLearningRate())
        if self.early_stopping:
            monitor = "val_loss" if self.validation_split else "loss"
            own.append(_EarlyStopping(monitor=monitor, patience=self.patience, restore_best_weights=True))
        if self.average_weights:
            own.append(_WeightAverageMomentum())
            # the momentum is traced into the training function: a warm-started fit traces one of its own
            self.model_.train_function = None
        self._fit_callbacks = users + own
        try:
            super()._fit_keras_model(X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs)
        finally:
            self._fit_callbacks = users
            for callback in own:
                if isinstance(callback, _CosineLearningRate):
                    callback.restore()

    # ---------------------------------------------------------------- fitting
    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None, **kwargs: Any) -> Self:
        """Build a new network and train it on ``(X, y)``.

        Parameters
        ----------
        X : array-like
            Training inputs, as the estimator's docstring describes.
        y : array-like
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the training examples (never modified).
        **kwargs
            Passed to ``keras.Model.fit`` (prefer routed ``fit__`` parameters).

        Returns
        -------
        self : object
        """
        return self._train(super().fit, X, y, sample_weight, kwargs, first=True)

    def partial_fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None, **kwargs: Any) -> Self:
        """Train the network for one more epoch on ``(X, y)``; the first call builds it.

        The data go through the same checks and preparation as in ``fit``.

        Parameters
        ----------
        X : array-like
            Training inputs, as in ``fit``.
        y : array-like
            Targets, as in ``fit``.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the training examples (never modified).
        **kwargs
            Passed to ``keras.Model.fit``.

        Returns
        -------
        self : object
        """
        self._check_partial_fit()
        first = not getattr(self, "initialized_", False)
        return self._train(super().partial_fit, X, y, sample_weight, kwargs, first=first)

    def _train(self, method, X, y, sample_weight, kwargs, *, first):
        """Check parameters, prepare the data, run scikeras' ``method`` and restore global state."""
        self._check_params()
        size_tensorflow_threads()
        if sample_weight is not None:
            # scikeras multiplies class weights into it in place: work on a copy
            sample_weight = np.array(sample_weight, dtype=np.float64)
        with restored_global_random_state():
            X, y = self._training_data(X, y, first=first)
            try:
                method(X, y, sample_weight=sample_weight, **kwargs)
                self._training_succeeded(X)
            finally:
                self._training_ended()
        if self._n_features_in_meaningless():
            self.__dict__.pop("n_features_in_", None)
        else:
            self.n_features_in_ = int(self.X_shape_[-1])
        return self

    def _check_partial_fit(self):
        """Refuse, before any work, parameters that ``partial_fit`` cannot train with (ValueError)."""
        if self.average_weights:
            raise ValueError(
                "average_weights=True replaces the weights by their average at the end of every training call, "
                "which with partial_fit is every epoch; set average_weights=False, or train with fit."
            )

    def _training_data(self, X, y, *, first):
        """``(X, y)`` as scikeras' fit takes them (subclasses prepare their targets here)."""
        return X, y

    def _training_succeeded(self, X):
        """Called with the training inputs after a successful fit or partial_fit (subclasses store what it learned)."""

    def _training_ended(self):
        """Called after every fit or partial_fit, also a failed one (subclasses drop temporaries)."""

    def _n_features_in_meaningless(self):
        """Whether the input has no fixed last axis (a waveform of any length)."""
        return False

    # ------------------------------------------------------- parameter checks
    _parameter_constraints = {
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "predict_batch_size": [Interval(Integral, 1, None, closed="left")],
        "optimizer": [str, keras.optimizers.Optimizer, type],
        "learning_rate": [Interval(Real, 0, None, closed="left"), None],
        "learning_rate_schedule": [StrOptions({"constant", "cosine"})],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "average_weights": ["boolean"],
        "patience": [Interval(Integral, 0, None, closed="left")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "shuffle": ["boolean"],
        "run_eagerly": ["boolean"],
        "loss": [str, callable, None],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "time_shift": [Interval(Real, 0, 1, closed="left")],
        "time_stretch": [Interval(Real, 0, 1, closed="left")],
        "gain_db": [Interval(Real, 0, None, closed="left")],
        "noise_std": [Interval(Real, 0, None, closed="left")],
        "feature_shift": [Interval(Integral, 0, None, closed="left")],
        "time_masks": [Interval(Integral, 0, None, closed="left")],
        "freq_masks": [Interval(Integral, 0, None, closed="left")],
        "time_mask_width": [Interval(Integral, 1, None, closed="left")],
        "freq_mask_width": [Interval(Integral, 1, None, closed="left")],
        "filters": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "kernel_size": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "pool_size": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "n_layers": [Interval(Integral, 1, None, closed="left"), None],
        "dilation": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "padding": [StrOptions({"valid", "same"})],
        "batch_norm": ["boolean"],
        "residual": ["boolean"],
        "dropout": [Interval(Real, 0, 1, closed="left")],
    }

    @classmethod
    def _valid_parameter_names(cls):
        """Constructor parameters of the estimator and of scikeras' wrapper."""
        names = set()
        for init in (cls.__init__, BaseWrapper.__init__):
            names.update(
                name
                for name, p in inspect.signature(init).parameters.items()
                if name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
            )
        return names

    def _check_params(self):
        """Refuse unknown parameter names and invalid values, naming them (ValueError)."""
        name = type(self).__name__
        params = self.get_params(deep=False)
        valid = self._valid_parameter_names()
        unknown = sorted(
            key for key in params if key not in valid and key.split("__")[0] not in _ROUTING_PREFIXES | {"callbacks"}
        )
        if unknown:
            raise ValueError(
                f"{name} got unknown parameter(s) {', '.join(map(repr, unknown))}. Valid parameters: "
                f"{', '.join(sorted(valid))}; or a routed parameter starting with one of "
                f"{', '.join(p + '__' for p in sorted(_ROUTING_PREFIXES | {'callbacks'}))}."
            )
        validate_parameter_constraints(
            self._parameter_constraints, {k: v for k, v in params.items() if k in valid}, caller_name=name
        )
        if self.average_weights:
            if self.early_stopping:
                raise ValueError(
                    "average_weights=True ends training on the average of the last steps' weights, "
                    "early_stopping=True on its best epoch's weights: choose one."
                )
            routed = sorted(key for key in ("optimizer__use_ema", "optimizer__ema_momentum") if hasattr(self, key))
            if routed:
                raise ValueError(
                    f"average_weights=True sets the optimizer's use_ema and ema_momentum itself; {routed[0]} is routed "
                    "as well: use one or the other."
                )

    # ------------------------------------------------------------------ input
    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        name = type(self).__name__
        if X is not None:
            X = check_array(_dense_batch(X, name), allow_nd=True, dtype="numeric", input_name="X")
            # the network's dtype; integer PCM scaled to [-1, 1], integer feature frames (3D) kept as they are
            X = to_float32(X, name="X", pcm=X.ndim < 3)
            if not reset and hasattr(self, "X_shape_"):
                given, expected = X.shape[1:], tuple(self.X_shape_[1:])
                if given != expected and self._any_length_ok(given) and y is None:
                    return X, y  # another length the network accepts (scikeras would refuse it)
                if given != expected:
                    sklearn_words = (
                        f" (X has {given[0]} features, but {name} is expecting {expected[0]} features as input)"
                        if len(given) == len(expected) == 1
                        else ""
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
    def feature_encoder(self) -> FunctionTransformer:
        """Adds the channel axis to 2D waveform batches (picklable)."""
        return FunctionTransformer(add_channel_axis)

    # ---------------------------------------------------------------- predict
    def _inference_model(self):
        """The Keras model whose output ``predict`` and ``predict_proba`` read."""
        return self.model_

    def _network_inputs(self, X):
        """``X`` checked and encoded as the Keras model takes it."""
        X, _ = self._validate_data(X=X, y=None)
        return self.feature_encoder_.transform(X)

    def _predict_raw(self, X, model=None, **kwargs):
        if not self.initialized_:
            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet. Call 'fit' first.")
        X = self._network_inputs(X)
        predict = compiled_predict_function(self._inference_model() if model is None else model)
        step = self.predict_batch_size
        if not isinstance(step, Integral) or step < 1:  # NumPy integers too (a grid over np.arange)
            raise ValueError(f"predict_batch_size must be an int >= 1, got {step!r}.")
        step = int(step)
        outputs = [_padded_call(predict, X[i : i + step]) for i in range(0, len(X), step)]
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

    def _training_data(self, X, y, *, first):
        X, y = super()._training_data(X, y, first=first)
        if getattr(y, "ndim", None) == 2 and y.shape[1] == 1:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected. Please change the shape of y "
                "to (n_samples,), for example using ravel().",
                DataConversionWarning,
                stacklevel=5,
            )
            y = np.asarray(y).ravel()
        y_array = np.asarray(y) if first else None
        if first and y_array.ndim == 1:
            classes = np.unique(y_array)
            if len(classes) < 2:
                found = f"one class: {classes.tolist()[0]!r}" if len(classes) else "no class"
                raise ValueError(f"{type(self).__name__} needs examples of at least two classes; y holds only {found}.")
        return X, y

    def _augmentation(self):
        """Training-only input layers from the feature augmentation parameters both classifiers take."""
        spec = None
        if self.time_masks or self.freq_masks:
            spec = dict(
                time_masks=self.time_masks,
                time_width=self.time_mask_width,
                freq_masks=self.freq_masks,
                freq_width=self.freq_mask_width,
            )
        return augmentation_layers(
            time_shift=self.time_shift,
            time_stretch=self.time_stretch,
            gain_db=self.gain_db,
            noise_std=self.noise_std,
            feature_shift=self.feature_shift,
            spec_augment=spec,
            seed=self._random_state,
        )

    def predict_proba(self, X: ArrayLike, **kwargs: Any) -> np.ndarray:
        """Class (or label) probabilities.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_samples) or (n_clips, n_frames, n_features)
            Input batch, shaped as in ``fit``.
        **kwargs
            Passed to scikeras' ``predict_proba``.

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
        # a few epochs on scikit-learn's toy tables do not reach its accuracy bars (as Keras' own
        # SKLearnClassifier declares)
        tags.classifier_tags = ClassifierTags(
            poor_score=True, multi_class=self._multi_class, multi_label=self._multi_label
        )
        return tags
