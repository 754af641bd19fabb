"""CNN1DClassifier: the article's clip classifier as a scikit-learn classifier."""

from __future__ import annotations

import contextlib
import functools
import math
import warnings
from collections.abc import Callable, Hashable
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any, Literal

import keras
import numpy as np
from numpy.typing import ArrayLike
from scikeras.utils.transformers import _is_categorical_crossentropy
from scikeras.wrappers import KerasClassifier
from sklearn.exceptions import NotFittedError
from sklearn.utils import column_or_1d
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.validation import _num_samples

from skaudio.models._base import KerasAudioClassifierMixin, model_input_shape
from skaudio.models._ensemble import ENSEMBLE_CONSTRAINTS, NetworkEnsembleMixin
from skaudio.models._front_end import (
    analysis_frame,
    front_end_layer,
    needs_training_statistics,
    training_statistics,
)
from skaudio.models._mixup import MixupBatches, mixup_loss, one_hot_targets
from skaudio.models._windows import WINDOW_POOLINGS, as_clips, pool_over_windows, window_blocks
from skaudio.networks import RandomMix, RandomNoise, RandomTimeStretch, augmentation_seed, build_cnn1d_classifier
from skaudio.networks._batch_norm import recalibrate_batch_norm
from skaudio.utils import UnusableClipWarning, is_number, missing_labels, named, unusable_clips, warn_unseen_labels
from skaudio.utils._validation import multichannel_hint

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline
    from typing_extensions import Self

    from skaudio.preprocessing import MFCC, Spectrogram


def _check_labels_present(y):
    """Refuse missing training labels (None, NaN, pandas' NA), naming their positions: each clip needs its class."""
    if y is None:
        raise ValueError("CNN1DClassifier requires y to be passed, but the target y is None (y: class labels).")
    missing = missing_labels(y)
    if missing:
        raise ValueError(
            f"{len(missing)} clip(s) have no label (None, NaN or NA), at position(s) "
            f"{named([str(i) for i in missing])} of y (counted from 0); every training clip needs one."
        )


# Losses that take one-hot targets, which scikeras gives only for categorical cross-entropy by name, function or
# instance; a class (how a loss takes settings and stays savable) and the focal form got a column of indices.
_ONE_HOT_LOSSES = (keras.losses.CategoricalCrossentropy, keras.losses.CategoricalFocalCrossentropy)
_ONE_HOT_LOSS_NAMES = ("categorical_focal_crossentropy", "CategoricalFocalCrossentropy")


def _is_categorical_loss(loss):
    """Whether ``loss`` (a name, function, instance or class) takes one-hot targets."""
    if isinstance(loss, type):
        return issubclass(loss, _ONE_HOT_LOSSES)
    return (
        _is_categorical_crossentropy(loss)
        or isinstance(loss, _ONE_HOT_LOSSES)
        or (isinstance(loss, str) and loss in _ONE_HOT_LOSS_NAMES)
        or getattr(loss, "__name__", None) == _ONE_HOT_LOSS_NAMES[0]
    )


class CNN1DClassifier(NetworkEnsembleMixin, KerasAudioClassifierMixin, KerasClassifier):
    """1D convolutional clip classifier (Keras), a scikit-learn classifier.

    The defaults train the source article's network::

        Conv1D(32, 3, relu) > MaxPool1D(2) > Conv1D(64, 3, relu) > MaxPool1D(2)
        > Flatten > Dense(128, relu) > Dense(n_classes, softmax)

    with adam and sparse categorical cross-entropy. Every architectural choice
    is a parameter, so ``GridSearchCV`` can tune it
    (``{"cnn1dclassifier__kernel_size": [3, 5]}`` in a Pipeline).

    Parameters
    ----------
    filters : int or tuple of int, default=(32, 64)
        Filters of each convolutional block.
    kernel_size : int or tuple of int, default=3
        Kernel size of each block.
    pool_size : int or tuple of int, default=2
        Max-pooling after each block (1 disables it).
    n_layers : int or None, default=None
        Number of blocks; None means ``len(filters)`` for a tuple and 2 for
        an int.
    dilation : int or tuple of int, default=1
        Dilation rate of each block.
    padding : {"valid", "same"}, default="valid"
        Convolution padding.
    batch_norm : bool, default=False
        BatchNormalization after each convolution.
    residual : bool, default=False
        Skip connection around each block (needs ``padding="same"``).
    dropout : float, default=0.0
        Dropout after each block and each hidden dense layer.
    global_pooling : {None, "avg", "max", "avgmax"}, default=None
        Pool over time instead of flattening (None, the article): the
        mean, the maximum, or both concatenated.
    dense_units : int, tuple of int or None, default=128
        Hidden dense layer(s) before the softmax.
    cepstral_coefficients : int or None, default=None
        For log-mel input: turn the (augmented) log-mel frames into this many
        cepstral coefficients with per-clip normalisation inside the network,
        so that mel-band augmentation (``feature_shift``) reaches an MFCC-like
        representation.
    conv2d_filters : int, tuple of int or None, default=None
        2D convolution blocks (3 x 3 over frames and features, then max
        pooling over the features by 2) before the 1D blocks, one per entry:
        their kernels are shared across frequency bins, so a pattern learnt
        in one band is found in any other (for log-mel or spectrogram
        features). None or 0: none.
    frequency_pooling : {"flatten", "max"}, default="flatten"
        How the 2D blocks' output reaches the 1D blocks: "flatten" keeps
        every band, "max" each filter's strongest response over the bands,
        so a pattern's course in time (a tremolo, a rhythm) is learnt once
        for every band rather than per band. Needs ``conv2d_filters``.
    front_end : MFCC, Spectrogram, Pipeline or None, default=None
        Compute the features inside the network (on the GPU when training
        there) from raw waveforms ``(n, n_samples)``: an unfitted
        :class:`~skaudio.preprocessing.MFCC` or
        :class:`~skaudio.preprocessing.Spectrogram`, optionally followed by
        a ``FeatureScaler`` in a Pipeline (``per_clip=False`` takes its
        statistics from the training set's features, computed on the CPU at
        fit). The same parameters give the same features as the CPU
        transformers (see :class:`skaudio.networks.SpectralFeatures`); tune
        them as ``front_end__n_mfcc``.
    speed_perturbation : float in [0, 1), default=0.0
        Training-time resampling of the raw waveform, before ``front_end``
        (which it needs), by a random factor in ``[1 - s, 1 + s]`` per
        example: duration, pitch and formants change together, as between
        speakers with longer or shorter vocal tracts (Ko et al., "Audio
        augmentation for speech recognition", Interspeech 2015). It
        interpolates linearly, so it suits speech-band audio better than
        energy near the Nyquist frequency, which it can alias.
    noise_snr_db : tuple of float (low, high) or None, default=None
        Training-time white noise added to the raw waveform, before
        ``front_end`` (which it needs), at a signal-to-noise ratio drawn
        uniformly in ``[low, high]`` dB per example (see
        :class:`skaudio.networks.RandomNoise`): recordings differ in their
        noise floor, and noise also fills the silence around a word.
    noise_probability : float in [0, 1], default=1.0
        With ``noise_snr_db``: the chance that a training example gets noise
        (drawn per example and epoch); the others stay clean.
    mix_snr_db : tuple of float (low, high) or None, default=None
        Training-time background mixing: another training example of the
        batch is added to each raw waveform, before speed perturbation and
        noise (and ``front_end``, which it needs), at a signal-to-background
        ratio drawn uniformly in ``[low, high]`` dB; the label stays the
        example's own (see :class:`skaudio.networks.RandomMix`). Real
        recordings hold other sounds behind the one that names them.
    mix_probability : float in [0, 1], default=1.0
        With ``mix_snr_db``: the chance that a training example gets a
        background (drawn per example and epoch).
    mixup : float >= 0, default=0.0
        Training-time mixup (Zhang et al., ICLR 2018): every training
        example (window) is replaced by a weighted sum of itself and another
        example of its batch, and its target by the same weighted sum of the
        two one-hot targets, the weight drawn from ``Beta(mixup, mixup)``
        per example and epoch; sample weights are mixed alike. Unlike
        ``mix_snr_db`` the network is told how much of each class it hears.
        Needs a cross-entropy ``loss`` (trained as categorical cross-entropy
        on the soft targets); validation examples are not mixed. 0: off.
    time_shift : float, default=0.0
        Training-time random shift along time, as a fraction of the length.
    time_stretch : float, default=0.0
        Training-time random stretch of duration by up to this fraction
        (imitates other speaking rates).
    gain_db : float, default=0.0
        Training-time random gain in ±dB (for waveform input).
    noise_std : float, default=0.0
        Training-time additive Gaussian noise.
    feature_shift : int, default=0
        Training-time random shift along the feature axis, in bins (on mel
        features this imitates other vocal tract lengths).
    time_masks, freq_masks : int, default=0
        Number of SpecAugment masks along time and features (training only).
    time_mask_width, freq_mask_width : int, default=8, 4
        Largest width of one SpecAugment mask.
    window : int or None, default=None
        Classify clips of any length by windows of this many samples (for
        waveforms) or frames (for frame sequences); ``X`` can then be a
        list of clips of different lengths. ``fit`` cuts every clip into
        windows end to end (the last one ending with the clip; a shorter
        clip is centred in one zero-padded window) and trains on all of
        them, each weighted so that every clip counts as much as any other
        (``time_shift`` moves them at random). ``predict_proba`` averages
        the class probabilities of a clip's windows, which start every
        ``window_hop``; memory is bounded by ``predict_batch_size`` windows,
        however long a clip. Silent clips and, with ``front_end``, clips
        shorter than one analysis frame are named in a warning at ``fit``
        and ``predict``. None (default): every clip has one shape and is
        one example.
    window_hop : int or None, default=None
        Step between the starts of the windows ``predict_proba`` pools, at
        most ``window``; None means ``window // 2`` (half overlap).
    window_pooling : {"mean", "max", "confidence"}, default="mean"
        With ``window``: how ``predict_proba`` combines a clip's window
        probabilities. "mean" averages them; "max" takes each class's
        highest probability over the windows, divided by their sum so that
        a clip's probabilities sum to 1: a clip whose sound fills one
        window of many (an event in a long recording) is judged on that
        window instead of being outvoted by its background; "confidence"
        averages them weighted by each window's confidence (one minus the
        entropy of its probabilities over that of a uniform guess), so
        that windows of background, which the network is unsure of, count
        less without a single window deciding.
    window_top_db : float > 0 or None, default=None
        With ``window`` on waveforms (an error otherwise): leave out of
        training, and out of a clip's pooling, the windows whose RMS level is
        more than this many dB below the clip's loudest window (a clip's
        silent padding or pauses would otherwise be learnt as its class and
        vote at prediction). The loudest window always counts. None keeps
        every window.
    recalibrate_batch_norm : bool, default=False
        With ``batch_norm`` (no effect without): after ``fit``, and after
        each ``partial_fit`` on that call's data, set every
        BatchNormalization layer's moving mean and variance to the
        statistics of the training examples (windows; the
        ``validation_split`` part included, every window counting once),
        unaugmented, under the final weights. The moving averages kept
        during training lag behind the weights and describe augmented
        batches, which after a short training on a small set can make
        predictions on the training clips themselves far worse than the
        training loss says.
    average_weights : bool, default=False
        End ``fit`` on an exponential moving average of the weights along
        training instead of the last step's weights: the average over
        about the last tenth of the training steps, at most the last 100
        (Keras' optimizer ``use_ema``, with ``ema_momentum`` one minus one
        over that many steps, so that the weights the training started
        from weigh nothing after a short training either). Batch
        normalisation statistics are not averaged: with
        ``recalibrate_batch_norm=True`` they are recomputed under the
        averaged weights. Not with ``partial_fit`` (the average would
        replace the weights after every call) nor with ``early_stopping``
        (which ends on its best epoch's weights instead); route
        ``optimizer__use_ema`` for Keras' own fixed momentum.
    n_networks : int, default=1
        Train this many networks, each from its own seed (drawn from
        ``random_state``), and average their class probabilities (a deep
        ensemble). Networks trained from different seeds err on different
        examples, most of all on unseen speakers; ``model_`` is then one
        Keras model holding them all (``network1``, ``network2``, ...).
        Training takes ``n_networks`` times as long.
    member_params : tuple of dict or None, default=None
        A heterogeneous ensemble: train ``n_networks`` networks for each
        entry, each with this classifier's parameters updated by the entry
        (``{"front_end": ..., "conv2d_filters": (16, 32)}``), and average all
        their class probabilities; ``{}`` is this classifier as it is.
        Networks that see the clips through different front ends err on
        different clips (MFCCs keep what is said and drop who says it;
        log-mel bands keep the spectral detail that tells many sounds
        apart). A parameter set on the classifier (``set_params``, a grid)
        reaches every member whose entry does not set it. Every member
        shares the windows and the input, so an entry cannot set
        ``window``, ``window_hop``, ``window_pooling``, ``window_top_db``,
        ``n_networks``, ``member_params`` or ``random_state``, nor give a
        front end where the classifier has none (or the reverse); entries
        are checked before any network trains. One entry's parameter is set
        by name, ``member_params__1__conv2d_filters``, also in a grid
        (:meth:`set_params`). None: one configuration, this one.
    epochs : int, default=20
        Training epochs.
    min_steps : int or None, default=None
        Fewest training steps (batches) of a ``fit``: a training set too
        small to make ``min_steps`` batches in ``epochs`` epochs is trained
        for more epochs, ``ceil(min_steps / batches per epoch)``, so that a
        few hundred clips get as many updates as a few thousand. Counted
        from the training windows (with ``window``) less the
        ``validation_split``; ``fit(..., epochs=n)``, a routed
        ``fit__epochs`` and ``partial_fit`` train the epochs they ask for.
        None: ``epochs`` epochs.
    batch_size : int, default=32
        Training batch size.
    predict_batch_size : int, default=256
        Examples per call of the compiled prediction function.
    optimizer : str or keras.optimizers.Optimizer, default="adam"
        Optimizer; its other settings route with the ``optimizer__`` prefix.
    learning_rate : float or None, default=0.001
        Learning rate (None keeps the optimizer's own).
    learning_rate_schedule : {"constant", "cosine"}, default="constant"
        ``"cosine"`` lowers the optimizer's learning rate (``learning_rate``,
        or a routed ``optimizer__learning_rate``) at every epoch of a ``fit``
        along half a cosine towards 0, and puts it back afterwards; each
        ``fit`` runs the schedule anew and ``partial_fit`` trains at the full
        rate. An optimizer with a schedule of its own, or a learning-rate
        callback (``LearningRateScheduler``, ``ReduceLROnPlateau``), is
        refused with it. ``"constant"`` keeps the rate.
    validation_split : float, default=0.0
        Fraction of the training data held out for validation loss.
    early_stopping : bool, default=False
        Stop when the (validation) loss stops improving and restore the best
        weights.
    patience : int, default=10
        Epochs without improvement before early stopping.
    class_weight : dict, "balanced" or None, default=None
        Class weights, as in scikit-learn; with ``window``, "balanced"
        counts each class's clips, not its windows.
    random_state : int, RandomState or None, default=None
        Seeds weights, shuffling and augmentation: two fits with the same
        seed give identical predictions on CPU.
    verbose : int, default=0
        Keras' progress output during fit (1 shows a progress bar per epoch).
    loss : str or keras loss, default="sparse_categorical_crossentropy"
        Training loss on the softmax outputs: a name, a Keras loss function,
        or a loss class with its settings routed
        (``loss=keras.losses.CategoricalCrossentropy,
        loss__label_smoothing=0.1``); categorical and categorical focal
        cross-entropy get one-hot targets. A class keeps the model savable
        (an instance is refused by :func:`~skaudio.persistence.save_model`);
        loading the file then needs the class's name, as the error gives
        it, in ``trusted``.
    **kwargs
        Routed scikeras parameters (``fit__``, ``callbacks__``, ...).

    Other Parameters
    ----------------
    model, build_fn, warm_start, metrics, validation_batch_size, callbacks, shuffle, run_eagerly : see scikeras
        scikeras's parameters of :class:`scikeras.wrappers.BaseWrapper`, with
        its defaults; the network is built from the parameters above.

    Attributes
    ----------
    model_ : keras.Model
        The fitted network (save it with ``model_.save("clf.keras")``).
    classes_ : ndarray
        Class labels.
    history_ : dict
        Training loss (and validation loss) per epoch; with ``n_networks > 1``
        or ``member_params`` the networks' mean, over the epochs and the
        keys all of them have.
    X_shape_ : tuple
        Shape of the training batch (with ``window``: of its windows);
        predict needs the same per-example shape (with ``window``: clips of
        any length).
    n_features_in_ : int
        Size of the input's last axis: features per frame for
        ``(n_clips, n_frames, n_features)`` input, samples for waveforms
        (absent with ``window`` on waveforms, which take any length).
    front_end_statistics_ : tuple of ndarray
        Per-feature mean and standard deviation of the training features,
        when ``front_end`` ends with ``FeatureScaler(per_clip=False)``: of
        the classifier's own ``front_end`` (absent when every entry of
        ``member_params`` replaces it).

    See Also
    --------
    skaudio.pipelines.make_classifier_pipeline : the benchmarked configuration.

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.models import CNN1DClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 16, 4)).astype("float32")
    >>> y = np.repeat(["low", "high"], 20)
    >>> X[y == "high"] += 1.0
    >>> clf = CNN1DClassifier(filters=(8, 8), dense_units=16, epochs=5, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    >>> clf.classes_.tolist()
    ['high', 'low']
    """

    def __init__(
        self,
        *,
        filters: int | tuple[int, ...] = (32, 64),
        kernel_size: int | tuple[int, ...] = 3,
        pool_size: int | tuple[int, ...] = 2,
        n_layers: int | None = None,
        dilation: int | tuple[int, ...] = 1,
        padding: Literal["valid", "same"] = "valid",
        batch_norm: bool = False,
        residual: bool = False,
        dropout: float = 0.0,
        global_pooling: Literal["avg", "max", "avgmax"] | None = None,
        dense_units: int | tuple[int, ...] | None = 128,
        cepstral_coefficients: int | None = None,
        conv2d_filters: int | tuple[int, ...] | None = None,
        frequency_pooling: Literal["flatten", "max"] = "flatten",
        front_end: MFCC | Spectrogram | Pipeline | None = None,
        speed_perturbation: float = 0.0,
        noise_snr_db: tuple[float, float] | None = None,
        noise_probability: float = 1.0,
        mix_snr_db: tuple[float, float] | None = None,
        mix_probability: float = 1.0,
        mixup: float = 0.0,
        time_shift: float = 0.0,
        time_stretch: float = 0.0,
        gain_db: float = 0.0,
        noise_std: float = 0.0,
        feature_shift: int = 0,
        time_masks: int = 0,
        time_mask_width: int = 8,
        freq_masks: int = 0,
        freq_mask_width: int = 4,
        window: int | None = None,
        window_hop: int | None = None,
        window_pooling: Literal["mean", "max", "confidence"] = "mean",
        window_top_db: float | None = None,
        recalibrate_batch_norm: bool = False,
        average_weights: bool = False,
        n_networks: int = 1,
        member_params: tuple[dict[str, Any], ...] | None = None,
        epochs: int = 20,
        min_steps: int | None = None,
        batch_size: int = 32,
        predict_batch_size: int = 256,
        optimizer: str | keras.optimizers.Optimizer = "adam",
        learning_rate: float | None = 0.001,
        learning_rate_schedule: Literal["constant", "cosine"] = "constant",
        validation_split: float = 0.0,
        early_stopping: bool = False,
        patience: int = 10,
        class_weight: dict[Hashable, float] | Literal["balanced"] | None = None,
        random_state: int | np.random.RandomState | None = None,
        verbose: int = 0,
        loss: str | keras.losses.Loss | Callable[..., Any] = "sparse_categorical_crossentropy",
        **kwargs: Any,
    ) -> None:
        super().__init__(
            optimizer=optimizer,
            loss=loss,
            batch_size=batch_size,
            epochs=epochs,
            validation_split=validation_split,
            class_weight=class_weight,
            random_state=random_state,
            verbose=verbose,
            **kwargs,
        )
        self.filters = filters
        self.kernel_size = kernel_size
        self.pool_size = pool_size
        self.n_layers = n_layers
        self.dilation = dilation
        self.padding = padding
        self.batch_norm = batch_norm
        self.residual = residual
        self.dropout = dropout
        self.global_pooling = global_pooling
        self.dense_units = dense_units
        self.cepstral_coefficients = cepstral_coefficients
        self.conv2d_filters = conv2d_filters
        self.frequency_pooling = frequency_pooling
        self.front_end = front_end
        self.speed_perturbation = speed_perturbation
        self.noise_snr_db = noise_snr_db
        self.noise_probability = noise_probability
        self.mix_snr_db = mix_snr_db
        self.mix_probability = mix_probability
        self.mixup = mixup
        self.time_shift = time_shift
        self.time_stretch = time_stretch
        self.gain_db = gain_db
        self.noise_std = noise_std
        self.feature_shift = feature_shift
        self.time_masks = time_masks
        self.time_mask_width = time_mask_width
        self.freq_masks = freq_masks
        self.freq_mask_width = freq_mask_width
        self.window = window
        self.window_hop = window_hop
        self.window_pooling = window_pooling
        self.window_top_db = window_top_db
        self.recalibrate_batch_norm = recalibrate_batch_norm
        self.average_weights = average_weights
        self.n_networks = n_networks
        self.member_params = member_params
        self.min_steps = min_steps
        self.predict_batch_size = predict_batch_size
        self.learning_rate = learning_rate
        self.learning_rate_schedule = learning_rate_schedule
        self.early_stopping = early_stopping
        self.patience = patience

    # A model saved before these parameters existed is loaded without them: it then behaves
    # as it did (every window counts; the moving-average statistics are kept).
    window_top_db = None
    recalibrate_batch_norm = False
    conv2d_filters = None
    frequency_pooling = "flatten"
    window_pooling = "mean"
    mix_snr_db = None
    mix_probability = 1.0
    mixup = 0.0
    min_steps = None

    _parameter_constraints = {
        **KerasAudioClassifierMixin._parameter_constraints,
        "global_pooling": [StrOptions({"avg", "max", "avgmax"}), None],
        "dense_units": [Interval(Integral, 1, None, closed="left"), tuple, list, None],
        "cepstral_coefficients": [Interval(Integral, 1, None, closed="left"), None],
        "conv2d_filters": [Interval(Integral, 0, None, closed="left"), tuple, list, None],
        "frequency_pooling": [StrOptions({"flatten", "max"})],
        "front_end": [HasMethods(["fit", "transform"]), None],
        "speed_perturbation": [Interval(Real, 0, 1, closed="left")],
        "noise_snr_db": "no_validation",  # checked where the noise layer is built
        "noise_probability": [Interval(Real, 0, 1, closed="both")],
        "mix_snr_db": "no_validation",  # checked where the mixing layer is built
        "mix_probability": [Interval(Real, 0, 1, closed="both")],
        "mixup": [Interval(Real, 0, None, closed="left")],
        "window": [Interval(Integral, 1, None, closed="left"), None],
        "window_hop": [Interval(Integral, 1, None, closed="left"), None],
        "window_pooling": [StrOptions(set(WINDOW_POOLINGS))],
        "window_top_db": [Interval(Real, 0, None, closed="neither"), None],
        "recalibrate_batch_norm": ["boolean"],
        **ENSEMBLE_CONSTRAINTS,
        "min_steps": [Interval(Integral, 1, None, closed="left"), None],
    }

    def _keras_build_fn(self, meta, compile_kwargs):
        model = build_cnn1d_classifier(
            model_input_shape(meta["X_shape_"]),
            meta["n_classes_"],
            filters=self.filters,
            kernel_size=self.kernel_size,
            pool_size=self.pool_size,
            n_layers=self.n_layers,
            dilation=self.dilation,
            padding=self.padding,
            batch_norm=self.batch_norm,
            residual=self.residual,
            dropout=self.dropout,
            global_pooling=self.global_pooling,
            dense_units=self.dense_units,
            cepstral_coefficients=self.cepstral_coefficients,
            conv2d_filters=self.conv2d_filters,
            frequency_pooling=self.frequency_pooling,
            front_end=None
            if self.front_end is None
            else front_end_layer(self.front_end, getattr(self, "front_end_statistics_", None)),
            augmentation=self._augmentation(),
            waveform_augmentation=self._waveform_augmentation(),
        )
        if self.mixup:
            compile_kwargs = {**compile_kwargs, "loss": mixup_loss(self.loss)}
        return self._compile_model(model, compile_kwargs)

    def _fit_keras_model(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        if self.mixup:
            X, y, sample_weight, kwargs = self._mixup_training_data(X, y, sample_weight, initial_epoch, kwargs)
        elif _is_categorical_loss(self.loss) and np.ndim(y) == 2 and y.shape[1] == 1:
            # scikeras encodes two classes (or any number, for a loss class) as one column of class indices; the
            # softmax gives one probability per class
            y = one_hot_targets(y, self.n_classes_)
        super()._fit_keras_model(X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs)

    def _mixup_training_data(self, X, y, sample_weight, initial_epoch, kwargs):
        """``model_.fit``'s data with ``mixup``: mixed training batches, the unmixed validation part as arrays."""
        n_classes = self.n_classes_
        validation = {}
        if self.validation_split and "validation_data" not in kwargs:
            # the last fraction, as Keras splits arrays (it cannot split a PyDataset)
            split_at = int(np.floor(len(X) * (1.0 - self.validation_split)))
            weight = None if sample_weight is None else sample_weight[split_at:]
            validation = {"validation_data": (X[split_at:], one_hot_targets(y[split_at:], n_classes), weight)}
            X, y = X[:split_at], y[:split_at]
            sample_weight = None if sample_weight is None else sample_weight[:split_at]
        seed = self._random_state
        batches = MixupBatches(
            X,
            y,
            sample_weight,
            batch_size=self.batch_size,
            alpha=float(self.mixup),
            n_classes=n_classes,
            # its own stream beside the augmentation layers' (augmentation_seed's numbering)
            seed=np.random.randint(np.iinfo(np.int32).max) if seed is None else augmentation_seed(seed, 10),
            first_epoch=initial_epoch,
        )
        return batches, None, None, {**kwargs, **validation, "validation_split": 0.0, "shuffle": False}

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None, **kwargs: Any) -> Self:
        """Train ``n_networks`` networks (for each of ``member_params``) on ``(X, y)``.

        Parameters
        ----------
        X : array-like or list of array-like
            Features ``(n, frames, features)``, or waveforms ``(n, samples)``;
            with ``window``, also a list of clips of any lengths.
        y : array-like of shape (n,)
            Class labels.
        sample_weight : array-like of shape (n,), default=None
            Weights of the examples (clips) in the loss.
        **kwargs
            Passed to ``keras.Model.fit``.

        Returns
        -------
        self : CNN1DClassifier
        """
        self._check_params()
        configured = self._configured_members()
        clip_labels = y
        X, y, sample_weight = self._windowed_training_data(X, y, sample_weight)
        if self.n_networks == 1 and configured is None:
            # a warm start goes on training the network, whose front end keeps the statistics it was built with
            statistics = None if self.warm_start and self.initialized_ else self._front_end_statistics(X)
            return self._fit_network(X, y, statistics, sample_weight, clip_labels, **kwargs)
        own = {}  # the front-end statistics of the classifier's own front_end, if a member has it

        def prepare(configuration, template):
            statistics = template._front_end_statistics(X)  # once per configuration, shared by its networks
            if "front_end" not in configuration:
                own["statistics"] = statistics
            return lambda network: network._fit_network(X, y, statistics, sample_weight, clip_labels, **kwargs)

        self._fit_members(configured, prepare)
        self.__dict__.pop("front_end_statistics_", None)  # the first member's, which may be another front end's
        self._set_front_end_statistics(own.get("statistics"))
        return self

    def partial_fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None, **kwargs: Any) -> Self:
        """Train the network for one more epoch (``n_networks=1`` only); the first call builds it.

        The data go through the same checks and preparation as in ``fit``.

        Parameters
        ----------
        X : array-like
            As in ``fit``.
        y : array-like of shape (n,)
            Class labels; the first call must show every class.
        sample_weight : array-like of shape (n,), default=None
            Weights of the examples in the loss.
        **kwargs
            Passed to ``keras.Model.fit``.

        Returns
        -------
        self : CNN1DClassifier
        """
        self._check_partial_fit()
        self._check_params()
        clip_labels = y
        X, y, sample_weight = self._windowed_training_data(X, y, sample_weight)
        if not self.initialized_:
            self._set_front_end_statistics(self._front_end_statistics(X))
        elif unseen := sorted(set(np.ravel(y).tolist()) - set(self.classes_.tolist()), key=repr):
            raise ValueError(
                f"{type(self).__name__}.partial_fit got label(s) {named([repr(label) for label in unseen])} that "
                f"its first call did not show; the first call fixes the classes ({self.classes_.tolist()})."
            )
        with self._classes_balanced_by_clips(clip_labels):
            return super().partial_fit(X, y, sample_weight=sample_weight, **kwargs)

    def predict_proba(self, X: ArrayLike, **kwargs: Any) -> np.ndarray:
        """Class probabilities of each clip (with ``window``: pooled over its windows, ``window_pooling``).

        Parameters
        ----------
        X : array-like or list of array-like
            Clips shaped as in ``fit``; with ``window``, a list of clips of
            any lengths.
        **kwargs
            Passed to scikeras' ``predict_proba``.

        Returns
        -------
        proba : ndarray of shape (n_clips, n_classes)
        """
        if self.window is None:
            return super().predict_proba(X, **kwargs)
        if not getattr(self, "initialized_", False):
            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet. Call 'fit' first.")
        self._check_params()
        clips = self._clips_for_windows(X)
        self._warn_unusable(clips, stacklevel=3)
        window_proba = functools.partial(super().predict_proba, **kwargs)
        proba = pool_over_windows(
            window_proba,
            clips,
            self.window,
            self._hop(),
            self.predict_batch_size,
            self.window_top_db,
            pooling=self.window_pooling,
        )
        if self.window_pooling == "max":
            proba /= proba.sum(axis=1, keepdims=True)
        return proba.astype(np.float32)

    def predict(self, X: ArrayLike, **kwargs: Any) -> np.ndarray:
        """Class label of each clip (with ``window``: of its windows' pooled probabilities, ``window_pooling``).

        Parameters
        ----------
        X : array-like or list of array-like
            Clips shaped as in ``fit``; with ``window``, a list of clips of
            any lengths.
        **kwargs
            Passed to scikeras' ``predict``.

        Returns
        -------
        y_pred : ndarray of shape (n_clips,)
        """
        if self.window is None:
            return super().predict(X, **kwargs)
        proba = self.predict_proba(X, **kwargs)  # first: it says when the estimator is not fitted
        return self.target_encoder_.inverse_transform(proba)

    def score(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
        """Mean accuracy of ``predict(X)`` against ``y``.

        A label of ``y`` that the classifier never saw in training cannot be
        predicted: its clips count as wrong, and a warning names the label.

        Parameters
        ----------
        X : array-like or list of array-like
            Clips shaped as in ``fit``.
        y : array-like of shape (n_clips,)
            True labels.
        sample_weight : array-like of shape (n_clips,), default=None
            Weights of the clips.

        Returns
        -------
        score : float
        """
        predicted = self.predict(X)  # first: it says when the estimator is not fitted
        y = column_or_1d(y, warn=True)
        if len(y) != len(predicted):
            raise ValueError(f"y has {len(y)} labels, but X holds {len(predicted)} clips.")
        warn_unseen_labels(type(self).__name__, y.tolist(), self.classes_.tolist(), "label", "clip(s) count as wrong")
        return float(self.scorer(y, predicted, sample_weight=sample_weight))

    # parameters every member of member_params shares: the windows are cut once, the seeds drawn once
    _SHARED_BY_MEMBERS = ("window", "window_hop", "window_pooling", "window_top_db", "n_networks")

    def _check_member(self, k, configuration, member):
        if (member.front_end is None) != (self.front_end is None):
            raise ValueError(
                f"member_params[{k}] sets front_end={member.front_end!r} but the classifier's is "
                f"{self.front_end!r}: every network takes the same input, waveforms (a front end computes the "
                "features inside each network) or feature frames (no front end in any)."
            )

    def _front_ends(self):
        """Every front end a network of this classifier uses, by where it is set: ``{"front_end": ..., ...}``."""
        front_ends = {"front_end": self.front_end}
        for k, member in enumerate(self.member_params or ()):
            if isinstance(member, dict) and "front_end" in member:
                front_ends[f"member_params[{k}]['front_end']"] = member["front_end"]
        return {where: front_end for where, front_end in front_ends.items() if front_end is not None}

    def _analysis_frame(self):
        """Samples in the longest analysis frame of this classifier's front ends; None without a front end."""
        return max(map(analysis_frame, self._front_ends().values()), default=None)

    def _hop(self):
        """Samples (frames) between the starts of the windows predict_proba pools; refused beyond ``window``."""
        hop, window = self.window_hop, self.window
        if hop is not None and hop > window:
            # windows further apart than their length would leave part of every long clip unheard
            raise ValueError(
                f"{type(self).__name__}: window_hop={hop} is longer than window={window}: the {hop - window} "
                "samples (frames) between two windows would never be classified; give window_hop <= window."
            )
        return hop or max(1, window // 2)

    def _check_params(self):
        super()._check_params()
        if self.window is not None:
            self._hop()  # at fit already, not at the first prediction

    def _clips_for_windows(self, X):
        clips = as_clips(X, type(self).__name__)
        if clips[0].ndim == 2 and self._front_ends():
            raise ValueError(
                f"{type(self).__name__} computes its features from waveforms (it has a front_end), so every clip "
                f"must be 1D; X[0] has shape {clips[0].shape}.{multichannel_hint(clips[0].shape)}"
            )
        kind = "waveforms" if clips[0].ndim == 1 else "frame sequences"
        fitted = getattr(self, "X_shape_", None)
        if fitted is not None and (len(fitted) == 2) != (kind == "waveforms"):
            raise ValueError(
                f"{type(self).__name__} was fitted on {'waveforms' if len(fitted) == 2 else 'frame sequences'}"
                f" but got {kind}."
            )
        return clips

    def _warn_unusable(self, clips, y=None, *, stacklevel):
        """Warn, naming them, about silent clips and clips shorter than one analysis frame (``y``: in training).

        ``stacklevel`` points the warning at the caller of the public method.
        """
        frame = self._analysis_frame() if clips[0].ndim == 1 else None
        silent, short = unusable_clips(clips, frame)
        name = type(self).__name__
        labels = None if y is None else y.tolist()  # plain values, whatever y's dtype
        label = (lambda i: f"X[{i}] ({labels[i]!r})") if y is not None else (lambda i: f"X[{i}]")
        if silent:
            consequence = (
                "each is trained on as its label all the same; remove the clips whose files are broken"
                if y is not None
                else "their probabilities are what the network makes of silence, not of a sound"
            )
            warnings.warn(
                f"{name}: {len(silent)} silent clip(s), no sample above -120 dBFS: {named([label(i) for i in silent])};"
                f" {consequence}.",
                UnusableClipWarning,
                stacklevel=stacklevel,
            )
        if short:
            lengths = named([f"{label(i)}, {clips[i].shape[0]} samples" for i in short])
            warnings.warn(
                f"{name}: {len(short)} clip(s) shorter than one analysis frame of the front end ({frame} samples): "
                f"{lengths}; their features are mostly padding.",
                UnusableClipWarning,
                stacklevel=stacklevel,
            )

    def _windowed_training_data(self, X, y, sample_weight):
        """With ``window``: every clip's windows (end to end), their clip's label, weights giving clips one share."""
        _check_labels_present(y)
        if self.window is None:
            if self.window_top_db is not None:
                raise ValueError("window_top_db leaves out quiet windows: it needs window (None here).")
            return X, y, sample_weight
        clips = self._clips_for_windows(X)
        y = np.asarray(y)
        if len(y) != len(clips):
            raise ValueError(f"X has {len(clips)} clips but y has {len(y)} labels.")
        self._warn_unusable(clips, y, stacklevel=4)
        # end to end: overlapping windows would cost more epochs' time than they add
        blocks = list(window_blocks(clips, self.window, self.window, 4096, self.window_top_db))
        windows = np.concatenate([block for block, _ in blocks])
        clip_index = np.concatenate([index for _, index in blocks])
        n_windows = np.bincount(clip_index, minlength=len(clips))
        clip_weight = np.ones(len(clips)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        if clip_weight.shape != (len(clips),):
            raise ValueError(
                f"sample_weight has shape {clip_weight.shape}; expected one weight per clip ({len(clips)},)."
            )
        # mean window weight 1, so the learning rate means what it means without windows
        weight = clip_weight[clip_index] / n_windows[clip_index] * (len(windows) / len(clips))
        return windows, y[clip_index], weight

    def _training_succeeded(self, X):
        if self.batch_norm and self.recalibrate_batch_norm:
            recalibrate_batch_norm(self.model_, self._network_inputs(X), batch_size=self.predict_batch_size)

    def _n_features_in_meaningless(self):
        # windows of waveforms of any length: no fixed input size
        return self.window is not None and len(self.X_shape_) == 2

    def _fit_network(self, X, y, statistics, sample_weight=None, clip_labels=None, **kwargs):
        """Train one network (``fit`` of the scikeras base) with the given front-end statistics.

        ``clip_labels``: the labels of the clips whose windows ``(X, y)`` are (see ``_classes_balanced_by_clips``).
        """
        self._set_front_end_statistics(statistics)
        # epochs asked of fit, or routed as fit__epochs, are trained as asked (scikeras' order of precedence)
        n_examples = _num_samples(X)
        if self.min_steps is not None and "epochs" not in kwargs and not hasattr(self, "fit__epochs"):
            kwargs = {**kwargs, "epochs": self._epochs_for_min_steps(n_examples)}
        with self._classes_balanced_by_clips(clip_labels):
            return super().fit(X, y, sample_weight=sample_weight, **kwargs)

    def _batches_per_epoch(self, n_examples):
        """Training steps an epoch over ``n_examples`` (Keras splits off the last ``validation_split`` first)."""
        n_training = math.floor(n_examples * (1.0 - self.validation_split))
        return max(1, math.ceil(n_training / (self.batch_size or 32)))  # Keras' default batch: 32

    def _epochs_for_min_steps(self, n_examples):
        """``epochs``, or more where ``n_examples`` make fewer than ``min_steps`` batches in that many epochs."""
        return max(self.epochs, math.ceil(self.min_steps / self._batches_per_epoch(n_examples)))

    @contextlib.contextmanager
    def _classes_balanced_by_clips(self, clip_labels):
        """Within the block, ``class_weight="balanced"`` with ``window`` balances the classes' clips, not their windows.

        scikeras computes the weights from the labels it trains on, one per window, but the windows of a clip already
        share its weight: a class of long clips (many windows each) would be weighted down twice.
        """
        if (
            self.window is None
            or clip_labels is None
            or not (isinstance(self.class_weight, str) and self.class_weight == "balanced")
        ):
            yield
            return
        labels = np.ravel(clip_labels)
        classes = np.unique(labels)
        self.class_weight = dict(zip(classes, compute_class_weight("balanced", classes=classes, y=labels)))
        try:
            yield
        finally:
            self.class_weight = "balanced"

    def _front_end_statistics(self, X):
        """The training features' statistics, when ``front_end`` ends with ``FeatureScaler(per_clip=False)``."""
        if self.front_end is not None and needs_training_statistics(self.front_end):
            return training_statistics(self.front_end, X)
        return None

    def _set_front_end_statistics(self, statistics):
        if statistics is not None:
            self.front_end_statistics_ = statistics

    def _waveform_augmentation(self):
        """Training-only layers on the raw waveform: background mixing, speed perturbation, then noise."""
        speed = self.speed_perturbation
        ranges = {"mix_snr_db": self.mix_snr_db, "noise_snr_db": self.noise_snr_db}
        for name, snr_db in ranges.items():
            if snr_db is not None and not (
                len(np.shape(snr_db)) == 1
                and len(snr_db) == 2
                and all(is_number(v) for v in snr_db)
                and snr_db[0] <= snr_db[1]
            ):
                raise ValueError(f"{name} must be None or (low, high) in dB with low <= high, got {snr_db!r}.")
        seed = self._random_state
        layers = []
        if self.mix_snr_db is not None:
            layers.append(
                RandomMix(self.mix_snr_db, self.mix_probability, seed=augmentation_seed(seed, 9), name="augment_mix")
            )
        if speed:
            layers.append(RandomTimeStretch(speed, seed=augmentation_seed(seed, 7), name="augment_speed"))
        if self.noise_snr_db is not None:
            layers.append(
                RandomNoise(
                    self.noise_snr_db,
                    self.noise_probability,
                    seed=augmentation_seed(seed, 8),
                    name="augment_snr_noise",
                )
            )
        if layers and self.front_end is None:
            given = [f"speed_perturbation={speed!r}"] if speed else []
            given += [f"{name}={snr_db!r}" for name, snr_db in ranges.items() if snr_db is not None]
            raise ValueError(
                f"{' and '.join(given)}: augmenting the raw waveform needs front_end (the features computed inside "
                "the network from waveforms); got front_end=None."
            )
        return layers
