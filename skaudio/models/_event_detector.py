"""CRNNEventDetector: the article's Conv1D + LSTM event detector, and frame-level detection."""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable, Hashable, Sequence
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any, Literal

import keras
import numpy as np
from numpy.typing import ArrayLike
from scikeras.utils.transformers import ClassifierLabelEncoder
from scikeras.wrappers import KerasClassifier
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from skaudio.models._annotations import as_annotations, frame_targets, label_indicator
from skaudio.models._base import KerasAudioClassifierMixin, model_input_shape
from skaudio.models._ensemble import ENSEMBLE_CONSTRAINTS, NetworkEnsembleMixin
from skaudio.networks import build_crnn_event_detector, frame_timing, output_frames
from skaudio.utils import is_number

if TYPE_CHECKING:
    from typing_extensions import Self

# Sub-models reading one named layer of a fitted model (clip or frame
# probabilities), cached per model like the compiled predict functions.
_OUTPUT_MODELS = weakref.WeakKeyDictionary()


def _output_model(model, layer_name):
    models = _OUTPUT_MODELS.setdefault(model, {})
    if layer_name not in models:
        models[layer_name] = keras.Model(model.inputs, model.get_layer(layer_name).output)
    return models[layer_name]


class CRNNEventDetector(NetworkEnsembleMixin, KerasAudioClassifierMixin, KerasClassifier):
    """Convolutional-recurrent sound event detector, a scikit-learn classifier.

    Says whether each event class is present in a clip and, in its
    frame-level form, when. The defaults train the source article's network::

        Conv1D(32, 5, relu) > MaxPool1D(2) > LSTM(64) > Dense(1, sigmoid)

    with adam and binary cross-entropy (one sigmoid per label). With a
    frame-level ``temporal_pooling`` ("max", "mean", "linear_softmax",
    "attention") the network outputs a probability per frame and label and
    pools it into clip probabilities (see
    :func:`skaudio.networks.build_crnn_event_detector`).

    Targets ``y`` given to ``fit``, one of:

    - clip labels (weak labels): binary ``(n,)``, or a multi-label indicator
      ``(n, n_labels)`` (e.g. from ``sklearn.preprocessing.MultiLabelBinarizer``);
    - event annotations (strong labels): per clip a list of
      ``(onset_s, offset_s, label)``, as
      :func:`skaudio.datasets.make_event_scenes` returns them. The network is
      then trained on frame targets (an output frame is active for a label
      when its centre lies inside one of the label's events; overlapping
      events of one label are a union) and on the clip labels they imply.
      Needs a frame-level ``temporal_pooling`` and ``frame_duration``.

    Times: input frame ``t`` is taken to be centred at ``t * frame_duration``
    seconds, which is where a centred STFT (librosa's and skaudio's default)
    puts it, with ``frame_duration = hop_length / sr``.

    Parameters
    ----------
    filters : int or tuple of int, default=32
        Filters of each convolutional block.
    kernel_size : int or tuple of int, default=5
        Kernel size of each block.
    pool_size : int or tuple of int, default=2
        Max-pooling after each block (1 disables it).
    n_layers : int or None, default=None
        Number of convolutional blocks; None means ``len(filters)`` for a
        tuple and 1 for an int.
    dilation : int or tuple of int, default=1
        Dilation rate of each block.
    padding : {"valid", "same"}, default="valid"
        Convolution padding.
    batch_norm : bool, default=False
        BatchNormalization after each convolution.
    dropout : float, default=0.0
        Dropout after each block and on the LSTM output.
    conv2d_filters : int, tuple of int or None, default=None
        2D convolution blocks (3 x 3 over frames and features, then max
        pooling over the features by 2) before the 1D blocks, one per entry:
        their kernels are shared across frequency bins, so a pattern learnt
        in one band is found in any other (for log-mel or spectrogram
        features). They keep every frame, so event times are unchanged.
        None or 0: none.
    frequency_pooling : {"flatten", "max"}, default="flatten"
        How the 2D blocks' output reaches the 1D blocks: "flatten" keeps
        every band, "max" each filter's strongest response over the bands.
        Needs ``conv2d_filters``.
    cepstral_coefficients : int or None, default=None
        For log-mel input: the network turns the (augmented) log-mel frames
        into this many cepstral coefficients (the DCT that gives MFCCs),
        each standardised over the clip, before its blocks; in
        ``member_params``, a network that reads the cepstrum of the features
        the others read. Not with ``conv2d_filters``. None: the network
        reads the features as given.
    lstm_units : int, default=64
        Units of the LSTM (per direction when bidirectional).
    bidirectional : bool, default=False
        Bidirectional LSTM.
    temporal_pooling : {"last", "max", "mean", "linear_softmax", "attention"}, default="last"
        "last" is the article's clip-level network; the others are
        frame-level, which ``predict_frame_proba``, ``predict_events`` and
        event annotations as targets need.
    frame_duration : float > 0 or None, default=None
        Seconds between consecutive input frames (the feature step's
        ``hop_length / sr``); needed to train on event annotations and to
        report event times. None takes it from the feature steps when the
        detector is fitted in an :class:`~skaudio.pipelines.AudioPipeline`
        (which passes it to ``fit``), so that it follows their ``hop_length``
        and ``sr``; a number that disagrees with them is an error.
    threshold : float in (0, 1) or dict, default=0.5
        Event post-processing: frame probabilities at or above it are
        active. This and the three below are what ``predict_events`` and
        ``score`` use unless given other options, so that they travel with
        a saved model and can be tuned with ``GridSearchCV``, or per label
        with :func:`~skaudio.models.tune_event_postprocessing`.
    median_filter : float >= 0, None or dict, default=None
        Event post-processing: length in seconds of a median filter over
        each label's activity (fills short gaps, removes short blips); 0 or
        None: no filter.
    min_gap : float >= 0 or dict, default=0.0
        Event post-processing: events of one label at most this many
        seconds apart are joined into one.
    min_duration : float >= 0 or dict, default=0.0
        Event post-processing: events shorter than this (seconds) are
        dropped.

        Each of these four is one value for every label or a dict
        ``{label: value}`` with a value for each label of ``labels_``.
    time_shift : float, default=0.0
        Training-time random shift along time, as a fraction of the length.
    time_stretch : float, default=0.0
        Training-time random stretch of duration by up to this fraction.
    gain_db : float, default=0.0
        Training-time random gain in ±dB (for waveform input).
    noise_std : float, default=0.0
        Training-time additive Gaussian noise.
    feature_shift : int, default=0
        Training-time random shift along the feature axis, in bins.
    time_masks : int, default=0
        Number of SpecAugment masks along time (training only).
    time_mask_width : int, default=8
        Largest width of one time mask, in frames.
    freq_masks : int, default=0
        Number of SpecAugment masks along the features (training only).
    freq_mask_width : int, default=4
        Largest width of one feature mask, in bins.
    epochs : int, default=20
        Training epochs.
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
    average_weights : bool, default=False
        End ``fit`` on the moving average of the weights over about the
        last tenth of the training steps, at most the last 100, as
        :class:`~skaudio.models.CNN1DClassifier` describes (batch
        normalisation keeps the training batches' moving statistics). Not
        with ``partial_fit`` or ``early_stopping``.
    n_networks : int, default=1
        Train this many networks, each from its own seed (drawn from
        ``random_state``), and average their clip and frame probabilities
        (a deep ensemble); ``model_`` is then one Keras model holding them
        all (``network1``, ``network2``, ...). Training takes
        ``n_networks`` times as long.
    member_params : tuple of dict or None, default=None
        A heterogeneous ensemble: train ``n_networks`` networks for each
        entry, each with this detector's parameters updated by the entry
        (``{"cepstral_coefficients": 13}``), and average all their
        probabilities; ``{}`` is this detector as it is. The networks'
        output frames must line up, and events are drawn once from the
        average, so an entry cannot set ``kernel_size``, ``pool_size``,
        ``dilation``, ``padding``, ``n_layers`` or the number of
        ``filters`` in a way that moves the output frames, nor
        ``temporal_pooling``, ``frame_duration``, the four post-processing
        options, ``n_networks``, ``member_params`` or ``random_state``;
        entries are checked before any network trains. One entry's
        parameter is set by name, ``member_params__1__lstm_units``, also in
        a grid. None: one configuration, this one. Not with ``partial_fit``
        or ``warm_start``.
    class_weight : dict, "balanced" or None, default=None
        Class weights, as in scikit-learn; binary targets only.
    random_state : int, RandomState or None, default=None
        Seeds weights, shuffling and augmentation.
    verbose : int, default=0
        Keras' progress output during fit.
    loss : str or keras loss, default="binary_crossentropy"
        Training loss on the sigmoid outputs.
    **kwargs
        Routed scikeras parameters.

    Other Parameters
    ----------------
    model, build_fn, warm_start, metrics, validation_batch_size, callbacks, shuffle, run_eagerly : see scikeras
        scikeras's parameters of :class:`scikeras.wrappers.BaseWrapper`, with
        its defaults; the network is built from the parameters above.

    Attributes
    ----------
    model_ : keras.Model
    classes_ : ndarray
        The two classes (binary) or the label indices (multi-label).
    labels_ : list
        The event label of each output: the labels found in the annotations
        (sorted), the positive class for binary targets, or the column
        indices of a multi-label indicator.
    frame_duration_ : float or None
        Seconds between input frames used for event times: the
        ``frame_duration`` parameter, or what the feature steps gave ``fit``.
    n_features_in_ : int
        Size of the input's last axis: features per frame for
        ``(n_clips, n_frames, n_features)`` input, samples for waveforms.
    history_ : dict

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.models import CRNNEventDetector
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 20, 3)).astype("float32")
    >>> y = np.tile([0, 1], 20)
    >>> X[y == 1, 5:10] += 2.0
    >>> det = CRNNEventDetector(lstm_units=8, filters=8, epochs=3, random_state=0).fit(X, y)
    >>> det.predict_proba(X[:3]).shape
    (3, 2)

    Frame-level detection from event annotations (times in seconds, with
    one input frame every 10 ms):

    >>> events = [[(0.05, 0.10, "beep")] if label else [] for label in y]
    >>> det = CRNNEventDetector(temporal_pooling="max", frame_duration=0.01, padding="same",
    ...                         lstm_units=8, filters=8, epochs=3, random_state=0).fit(X, events)
    >>> det.labels_, det.predict_frame_proba(X[:3]).shape
    (['beep'], (3, 10, 1))
    >>> isinstance(det.predict_events(X[:3])[0], list)
    True
    """

    _multi_label = True
    _multi_class = False

    def __init__(
        self,
        *,
        filters: int | tuple[int, ...] = 32,
        kernel_size: int | tuple[int, ...] = 5,
        pool_size: int | tuple[int, ...] = 2,
        n_layers: int | None = None,
        dilation: int | tuple[int, ...] = 1,
        padding: Literal["valid", "same"] = "valid",
        batch_norm: bool = False,
        dropout: float = 0.0,
        conv2d_filters: int | tuple[int, ...] | None = None,
        frequency_pooling: Literal["flatten", "max"] = "flatten",
        cepstral_coefficients: int | None = None,
        lstm_units: int = 64,
        bidirectional: bool = False,
        temporal_pooling: Literal["last", "max", "mean", "linear_softmax", "attention"] = "last",
        frame_duration: float | None = None,
        threshold: float = 0.5,
        median_filter: float | None = None,
        min_gap: float = 0.0,
        min_duration: float = 0.0,
        time_shift: float = 0.0,
        time_stretch: float = 0.0,
        gain_db: float = 0.0,
        noise_std: float = 0.0,
        feature_shift: int = 0,
        time_masks: int = 0,
        time_mask_width: int = 8,
        freq_masks: int = 0,
        freq_mask_width: int = 4,
        epochs: int = 20,
        batch_size: int = 32,
        predict_batch_size: int = 256,
        optimizer: str | keras.optimizers.Optimizer = "adam",
        learning_rate: float | None = 0.001,
        learning_rate_schedule: Literal["constant", "cosine"] = "constant",
        validation_split: float = 0.0,
        early_stopping: bool = False,
        patience: int = 10,
        average_weights: bool = False,
        n_networks: int = 1,
        member_params: tuple[dict[str, Any], ...] | None = None,
        class_weight: dict[Hashable, float] | Literal["balanced"] | None = None,
        random_state: int | np.random.RandomState | None = None,
        verbose: int = 0,
        loss: str | keras.losses.Loss | Callable[..., Any] = "binary_crossentropy",
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
        self.dropout = dropout
        self.conv2d_filters = conv2d_filters
        self.frequency_pooling = frequency_pooling
        self.cepstral_coefficients = cepstral_coefficients
        self.lstm_units = lstm_units
        self.bidirectional = bidirectional
        self.temporal_pooling = temporal_pooling
        self.frame_duration = frame_duration
        self.threshold = threshold
        self.median_filter = median_filter
        self.min_gap = min_gap
        self.min_duration = min_duration
        self.time_shift = time_shift
        self.time_stretch = time_stretch
        self.gain_db = gain_db
        self.noise_std = noise_std
        self.feature_shift = feature_shift
        self.time_masks = time_masks
        self.time_mask_width = time_mask_width
        self.freq_masks = freq_masks
        self.freq_mask_width = freq_mask_width
        self.predict_batch_size = predict_batch_size
        self.learning_rate = learning_rate
        self.learning_rate_schedule = learning_rate_schedule
        self.early_stopping = early_stopping
        self.patience = patience
        self.average_weights = average_weights
        self.n_networks = n_networks
        self.member_params = member_params

    # a model saved before the post-processing parameters existed loads with what predict_events then used
    threshold = 0.5
    median_filter = None
    min_gap = 0.0
    min_duration = 0.0
    # and a model saved before the 2D blocks existed, without them
    conv2d_filters = None
    frequency_pooling = "flatten"
    # and before the cepstral input existed, without it
    cepstral_coefficients = None

    _parameter_constraints = {
        **KerasAudioClassifierMixin._parameter_constraints,
        "conv2d_filters": [Interval(Integral, 0, None, closed="left"), tuple, list, None],
        "frequency_pooling": [StrOptions({"flatten", "max"})],
        "cepstral_coefficients": [Interval(Integral, 1, None, closed="left"), None],
        "lstm_units": [Interval(Integral, 1, None, closed="left")],
        "bidirectional": ["boolean"],
        "temporal_pooling": [StrOptions({"last", "max", "mean", "linear_softmax", "attention"})],
        "frame_duration": [Interval(Real, 0, None, closed="neither"), None],
        # a dict holds one value per label (checked against the labels when events are drawn)
        "threshold": [Interval(Real, 0, 1, closed="neither"), dict],
        "median_filter": [Interval(Real, 0, None, closed="left"), None, dict],
        "min_gap": [Interval(Real, 0, None, closed="left"), dict],
        "min_duration": [Interval(Real, 0, None, closed="left"), dict],
        **ENSEMBLE_CONSTRAINTS,
    }

    # every network of an ensemble shares these: events are drawn once, from frames that line up
    _SHARED_BY_MEMBERS = (
        "n_networks",
        "temporal_pooling",
        "frame_duration",
        "threshold",
        "median_filter",
        "min_gap",
        "min_duration",
    )

    def _check_member(self, k, configuration, member):
        def grid(detector):
            # where output frames sit, and how many come from the shortest input and two longer ones
            frames = (detector._frames_needed(), 100, 1001)
            return detector._frame_timing(), [output_frames(n, **detector._geometry()) for n in frames]

        if grid(member) != grid(self):
            raise ValueError(
                f"member_params[{k}] moves the network's output frames ({configuration}): every network of the "
                "ensemble must give the same frames to be averaged; set kernel_size, pool_size, dilation, "
                f"padding, n_layers and the number of filters on the {type(self).__name__} itself."
            )

    # -------------------------------------------------------------- fitting
    def fit(
        self,
        X: ArrayLike | Sequence[ArrayLike],
        y: ArrayLike | Sequence[Sequence[Sequence[Any]]],
        sample_weight: ArrayLike | None = None,
        frame_duration: float | None = None,
        **kwargs: Any,
    ) -> Self:
        """Train new networks (``n_networks`` per ``member_params`` entry) on clips ``X`` and labels ``y``.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_frames, n_features) or (n_clips, n_samples)
            Training clips, their frames along the second axis.
        y : array-like of shape (n_clips,) or (n_clips, n_labels), or list of event lists
            Clip labels, or per clip a list of ``(onset_s, offset_s, label)``
            (see the class docstring).
        sample_weight : array-like of shape (n_clips,), default=None
            Weights of the clips in the loss.
        frame_duration : float > 0 or None, default=None
            Seconds between input frames as the feature steps give them (an
            :class:`~skaudio.pipelines.AudioPipeline` passes it); used when
            the ``frame_duration`` parameter is None, checked against it
            otherwise.
        **kwargs
            Passed to ``keras.Model.fit``.

        Returns
        -------
        self : object
        """
        self._check_params()
        configured = self._configured_members()  # every entry checked before any network trains
        if self.n_networks == 1 and configured is None:
            self._given_frame_duration = frame_duration
            return super().fit(X, y, sample_weight=sample_weight, **kwargs)

        def prepare(configuration, template):
            return lambda network: network.fit(X, y, sample_weight, frame_duration=frame_duration, **kwargs)

        self._fit_members(configured, prepare)
        return self

    def partial_fit(
        self,
        X: ArrayLike | Sequence[ArrayLike],
        y: ArrayLike | Sequence[Sequence[Sequence[Any]]],
        sample_weight: ArrayLike | None = None,
        frame_duration: float | None = None,
        **kwargs: Any,
    ) -> Self:
        """Train the network for one more epoch; the first call builds it.

        Clip labels or event annotations go through the same checks and
        preparation as in ``fit``; event labels not seen in the first call
        are an error.

        Parameters
        ----------
        X : array-like
            As in ``fit``.
        y : clip labels or list of event lists
            As in ``fit``.
        sample_weight : array-like of shape (n_clips,), default=None
            Weights of the clips in the loss.
        frame_duration : float > 0 or None, default=None
            As in ``fit``.
        **kwargs
            Passed to ``keras.Model.fit``.

        Returns
        -------
        self : object
        """
        self._given_frame_duration = frame_duration
        return super().partial_fit(X, y, sample_weight=sample_weight, **kwargs)

    def _training_data(self, X, y, *, first):
        self._frame_duration_at_fit = self._resolve_frame_duration(self._given_frame_duration, required=False)
        annotations = as_annotations(y, training=True)
        self._annotations = None
        if annotations is None:
            if not first and getattr(self, "_annotations_fitted", False):
                raise ValueError(
                    "This CRNNEventDetector was trained on event annotations: give partial_fit annotations too."
                )
            return super()._training_data(X, y, first=first)
        if self.temporal_pooling == "last":
            raise ValueError(
                'CRNNEventDetector with temporal_pooling="last" (the article\'s clip-level network) cannot '
                'learn from event annotations: choose a frame-level pooling such as "attention" or "max".'
            )
        if self._frame_duration_at_fit is None:
            self._resolve_frame_duration(self._given_frame_duration, required=True)  # raises, saying why
        if len(annotations) != len(X):
            raise ValueError(f"X has {len(X)} clips but y has annotations for {len(annotations)}.")
        labels = None if first else self.labels_
        if labels is not None and not getattr(self, "_annotations_fitted", False):
            raise ValueError("This CRNNEventDetector was trained on clip labels: give partial_fit clip labels too.")
        clip_targets, labels = label_indicator(annotations, labels)
        self._annotations = annotations, labels
        return X, clip_targets[:, 0] if len(labels) == 1 else clip_targets

    def _training_succeeded(self, X):
        self.frame_duration_ = self._frame_duration_at_fit
        if self._annotations is None:
            self._annotations_fitted = False
            # plain Python values, as event annotations give them (events that JSON can write)
            self.labels_ = (
                self.classes_[-1:].tolist() if self.target_type_ == "binary" else list(range(len(self.classes_)))
            )
        else:
            self._annotations_fitted = True
            self.labels_ = self._annotations[1]

    def _training_ended(self):
        self._annotations = None

    @property
    def target_encoder(self) -> ClassifierLabelEncoder:
        """scikeras' label encoder; for one annotated label, with both classes whatever the clips hold.

        Scenes with one label often all hold an event of it: the clip targets are then all 1, and an encoder
        fitted on them would know one class, leaving ``predict_proba`` without its "no event" column.
        """
        annotations = getattr(self, "_annotations", None)
        if annotations is not None and len(annotations[1]) == 1:
            return ClassifierLabelEncoder(loss=self.loss, categories=[np.array([0, 1])])
        return super().target_encoder

    def _check_model_compatibility(self, y):
        if getattr(self, "_annotations", None) is None:
            super()._check_model_compatibility(y)

    def _fit_keras_model(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        if getattr(self, "_annotations", None) is not None:
            annotations, labels = self._annotations
            stride, offset = self._frame_timing()
            # the frame-level model takes any number of frames: ask it how many come out
            n_out_frames = int(np.shape(self.model_(X[:1], training=False)[1])[1])
            frames = frame_targets(
                annotations,
                labels,
                n_out_frames=n_out_frames,
                n_in_frames=X.shape[1],
                stride=stride,
                offset=offset,
                frame_duration=self._frame_duration_at_fit,
            )
            y = [np.asarray(y, dtype="float32").reshape(len(X), -1), frames]
            if sample_weight is not None:
                # one weight per clip, for its clip output and for each of its frames
                sample_weight = [sample_weight, np.repeat(np.reshape(sample_weight, (-1, 1)), n_out_frames, axis=1)]
        super()._fit_keras_model(X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs)

    def _keras_build_fn(self, meta, compile_kwargs):
        target_type = meta["target_type_"]
        if target_type == "binary":
            n_outputs = 1
        elif target_type == "multilabel-indicator":
            n_outputs = meta["n_classes_"]
        else:
            raise ValueError(
                "Only binary classification is supported, or multi-label detection: "
                f"CRNNEventDetector's y must be binary (n,) or a label-indicator matrix (n, n_labels), "
                f"or per-clip event annotations, got a {target_type!r} target. For one label "
                "per clip among several classes use CNN1DClassifier; to turn label lists into "
                "an indicator matrix use sklearn.preprocessing.MultiLabelBinarizer."
            )
        frame_output = getattr(self, "_annotations", None) is not None
        input_shape = model_input_shape(meta["X_shape_"])
        # clip labels or annotations: Keras' own error says nothing of the network's geometry
        fd = getattr(self, "_frame_duration_at_fit", self.frame_duration)  # not set by scikeras' initialize
        self._check_enough_frames(input_shape[0], "The training clips have", fd)
        if self.temporal_pooling != "last":
            # frame-level output: any number of frames (longer recordings than the training clips)
            input_shape = (None,) + tuple(input_shape[1:])
        model = build_crnn_event_detector(
            input_shape,
            n_outputs,
            filters=self.filters,
            kernel_size=self.kernel_size,
            pool_size=self.pool_size,
            n_layers=self.n_layers,
            dilation=self.dilation,
            padding=self.padding,
            batch_norm=self.batch_norm,
            dropout=self.dropout,
            conv2d_filters=self.conv2d_filters,
            frequency_pooling=self.frequency_pooling,
            cepstral_coefficients=self.cepstral_coefficients,
            lstm_units=self.lstm_units,
            bidirectional=self.bidirectional,
            temporal_pooling=self.temporal_pooling,
            frame_output=frame_output,
            augmentation=self._augmentation(),
        )
        if frame_output:
            # the clip output and the frame output both learn, with the same loss
            compile_kwargs = {**compile_kwargs, "loss": [compile_kwargs["loss"]] * 2}
        return self._compile_model(model, compile_kwargs)

    # ------------------------------------------------------------- predicting
    def _any_length_ok(self, given):
        # a frame-level detector takes clips of any length with the fitted feature count
        return self.temporal_pooling != "last" and tuple(given[1:]) == tuple(self.X_shape_[2:])

    def _network_inputs(self, X):
        X = super()._network_inputs(X)
        # a frame-level network takes any number of frames, but not fewer than give it one output frame
        self._check_enough_frames(X.shape[1], "X has", getattr(self, "frame_duration_", self.frame_duration))
        return X

    def _inference_model(self):
        # A model trained on frame targets has two outputs; clip probabilities are the first.
        return _output_model(self.model_, "probabilities") if len(self.model_.outputs) > 1 else self.model_

    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """Log-odds of each label being present.

        Parameters
        ----------
        X : array-like
            Input batch, shaped as in ``fit``.

        Returns
        -------
        scores : ndarray of shape (n_clips,) for binary targets, (n_clips, n_labels) otherwise
            ``log(p / (1 - p))`` of the sigmoid outputs; 0 is the 0.5 threshold.
        """
        proba = np.clip(self._predict_raw(X).astype(np.float64), 1e-7, 1 - 1e-7)
        scores = np.log(proba) - np.log1p(-proba)
        return scores[:, 0] if self.target_type_ == "binary" else scores

    def predict_frame_proba(self, X: ArrayLike) -> np.ndarray:
        """Probability of each label in each output frame.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_frames, n_features)
            Features as in ``fit``; ``n_frames`` may differ from the training
            clips' (e.g. a long recording), the clips of one call must share it.

        Returns
        -------
        proba : ndarray of shape (n_clips, n_out_frames, n_labels)
            Columns follow ``labels_``. Output frame ``j`` is centred on
            input frame ``stride * j + offset`` of
            :func:`skaudio.networks.frame_timing`.
        """
        check_is_fitted(self, "model_")
        self._check_frame_output()
        return self._predict_raw(X, model=_output_model(self.model_, "frame_probabilities"))

    def predict_events(
        self,
        X: ArrayLike | Sequence[ArrayLike],
        *,
        threshold: float | None = None,
        min_duration: float | None = None,
        median_filter: float | None = None,
        min_gap: float | None = None,
        window: float | None = None,
        overlap: float = 0.5,
        batch_size: int = 32,
    ) -> list[list[tuple[float, float, Hashable]]]:
        """Detected events of each recording, with onsets and offsets in seconds.

        :func:`skaudio.models.predict_events` with this detector: recordings
        longer than ``window`` (by default the training clips' length) are
        processed in overlapping windows whose frame probabilities are
        averaged; frames at or above ``threshold`` are active, and runs of
        active frames become events. The post-processing options default to
        the detector's parameters of the same names.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_frames, n_features) or list of (n_frames, n_features) arrays
            Features as in ``fit``, of any number of frames.
        threshold : float in (0, 1), dict or None, default=None
            Frame probabilities at or above it are active. None: the
            ``threshold`` parameter.
        min_duration : float >= 0, dict or None, default=None
            Events shorter than this (seconds) are dropped. None: the
            ``min_duration`` parameter.
        median_filter : float >= 0, dict or None, default=None
            Length in seconds of a median filter over each label's activity
            (rounded to an odd number of output frames): fills short gaps
            and removes short blips; 0: no filter. None: the
            ``median_filter`` parameter.
        min_gap : float >= 0, dict or None, default=None
            Events of one label at most this many seconds apart are joined.
            None: the ``min_gap`` parameter. A dict gives each label of
            ``labels_`` its own value, for any of these four options.
        window : float > 0 or None, default=None
            Seconds per window; None: the training clips' length;
            ``float("inf")``: each recording whole.
        overlap : float in [0, 1), default=0.5
            Fraction of a window shared with the next.
        batch_size : int >= 1, default=32
            Windows predicted together.

        Returns
        -------
        events : list of list of (float, float, label)
            Per clip, ``(onset_s, offset_s, label)`` sorted by onset; an
            empty list for a clip with no detection.
        """
        from skaudio.models._event_inference import predict_events

        return predict_events(
            self,
            X,
            threshold=threshold,
            min_duration=min_duration,
            median_filter=median_filter,
            min_gap=min_gap,
            window=window,
            overlap=overlap,
            batch_size=batch_size,
        )

    def score(
        self,
        X: ArrayLike | Sequence[ArrayLike],
        y: ArrayLike | Sequence[Sequence[Sequence[Any]]],
        sample_weight: ArrayLike | None = None,
    ) -> float:
        """Subset accuracy on clip labels, or event-based F1 on event annotations.

        Parameters
        ----------
        X : array-like
            Input batch, shaped as in ``fit``.
        y : clip labels or list of event lists
            As in ``fit``.
        sample_weight : array-like of shape (n_clips,), default=None
            Clip labels only: with event annotations, an error.

        Returns
        -------
        score : float
            ``accuracy_score`` for clip labels (as for every classifier);
            for annotations, the micro event-based F-measure of
            ``predict_events(X)`` (:data:`skaudio.metrics.event_f1_scorer`:
            sed_eval's definition, 200 ms collar; 0 when nothing is detected).
            Events of a label the detector was never trained on cannot be
            detected: they count as missed, and a warning names the label.
        """
        annotations = as_annotations(y)
        if annotations is None:
            return super().score(X, y, sample_weight=sample_weight)
        from skaudio.metrics import event_f1_scorer

        if sample_weight is not None:
            raise ValueError(
                "sample_weight applies to clip labels only: the event-based F-measure counts events over all "
                "clips, not clips. Score subsets of the clips to weigh them."
            )
        check_is_fitted(self, "model_")
        return event_f1_scorer(self, X, annotations)  # which warns about labels never trained on

    # ---------------------------------------------------------------- helpers
    def _resolve_frame_duration(self, given, *, required):
        """Seconds between input frames: the parameter, else what the feature steps gave ``fit``.

        A parameter that disagrees with the feature steps is an error: event
        times would be off by their ratio.
        """
        fd = self.frame_duration
        if given is not None and (not is_number(given) or not (np.isfinite(given) and given > 0)):
            raise ValueError(f"fit's frame_duration must be a number of seconds > 0, got {given!r}.")
        if fd is not None and given is not None and not np.isclose(fd, given, rtol=1e-6, atol=0):
            raise ValueError(
                f"frame_duration={fd!r} but the feature steps give {given:g} s between frames (their "
                "hop_length / sr): event times would be wrong. Leave frame_duration=None to take it "
                "from the feature steps."
            )
        fd = given if fd is None else fd
        if fd is None and required:
            raise ValueError(
                "frame_duration is None: set it to the seconds between input frames (the feature "
                "step's hop_length / sr), or fit the detector in a skaudio.pipelines.AudioPipeline "
                "behind the feature steps, to train on event annotations or to report event times."
            )
        return None if fd is None else float(fd)

    def _check_frame_output(self):
        if self.temporal_pooling == "last":
            raise ValueError(
                'temporal_pooling="last" (the article\'s clip-level network) has no frame-level output: '
                'fit with a frame-level pooling such as "attention" or "max".'
            )

    def _fitted_frame_duration(self):
        """The seconds between input frames found at fit (for event times)."""
        check_is_fitted(self, "model_")
        self._check_frame_output()  # before frame_duration, which such a network may well lack
        fd = getattr(self, "frame_duration_", self.frame_duration)  # files saved before frame_duration_
        return self._resolve_frame_duration(None, required=True) if fd is None else fd

    def _frames_needed(self):
        """The fewest input frames from which the network gives one output frame."""
        geometry = self._geometry()
        return next(n for n in itertools.count(1) if output_frames(n, **geometry) >= 1)

    def _check_enough_frames(self, n_frames, what, frame_duration):
        """Refuse input too short for the network to give one output frame, saying how long it must be."""
        if output_frames(n_frames, **self._geometry()) >= 1:  # every prediction passes here: no search
            return
        needed = self._frames_needed()
        seconds = "" if frame_duration is None else f" ({needed * frame_duration:.3f} s)"
        raise ValueError(
            f"{what} {n_frames} frame(s): too short for this network, which needs at least {needed}{seconds} to "
            "give one output frame (its convolutions and poolings take that many). Give longer clips, or fewer "
            "or smaller poolings."
        )

    def _geometry(self):
        """The convolutional blocks' parameters that set where output frames fall and how many there are."""
        names = ("kernel_size", "pool_size", "dilation", "padding", "n_layers", "filters")
        return {name: getattr(self, name) for name in names}

    def _frame_timing(self):
        return frame_timing(**self._geometry())
