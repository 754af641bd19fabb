"""CRNNEventDetector: the article's Conv1D + LSTM event detector."""

import numpy as np
from scikeras.wrappers import KerasClassifier

from skaudio.models._base import KerasAudioClassifierMixin, model_input_shape
from skaudio.networks import build_crnn_event_detector


class CRNNEventDetector(KerasAudioClassifierMixin, KerasClassifier):
    """Convolutional-recurrent sound event detector, a scikit-learn classifier.

    Says whether each event class is present in a clip: binary targets
    (``y`` of shape ``(n,)`` with two values) or multi-label targets (an
    indicator matrix ``(n, n_labels)``, e.g. from
    ``sklearn.preprocessing.MultiLabelBinarizer``). The defaults train the
    source article's network::

        Conv1D(32, 5, relu) > MaxPool1D(2) > LSTM(64) > Dense(1, sigmoid)

    with adam and binary cross-entropy (one sigmoid per label).

    Parameters
    ----------
    filters : int or tuple of int, default=32
        Filters of each convolutional block.
    kernel_size : int or tuple of int, default=5
    pool_size : int or tuple of int, default=2
    n_layers : int or None, default=None
        Number of convolutional blocks; None means ``len(filters)`` for a
        tuple and 1 for an int.
    dilation : int or tuple of int, default=1
    padding : {"valid", "same"}, default="valid"
    batch_norm : bool, default=False
    dropout : float, default=0.0
    lstm_units : int, default=64
    bidirectional : bool, default=False
        Bidirectional LSTM.
    time_shift, time_stretch, gain_db, noise_std, feature_shift, time_masks, time_mask_width, freq_masks, freq_mask_width
        Training-time augmentation, as in ``CNN1DClassifier`` (all off).
    epochs : int, default=20
    batch_size : int, default=32
    predict_batch_size : int, default=256
    optimizer : str or keras.optimizers.Optimizer, default="adam"
    learning_rate : float or None, default=0.001
    validation_split : float, default=0.0
    early_stopping : bool, default=False
    patience : int, default=10
    class_weight : dict, "balanced" or None, default=None
        Binary targets only.
    random_state : int, RandomState or None, default=None
    verbose : int, default=0
    **kwargs
        Routed scikeras parameters.

    Attributes
    ----------
    model_ : keras.Model
    classes_ : ndarray
        The two classes (binary) or the label indices (multi-label).
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
    """

    _multi_label = True
    _multi_class = False

    def __init__(
        self,
        *,
        filters=32,
        kernel_size=5,
        pool_size=2,
        n_layers=None,
        dilation=1,
        padding="valid",
        batch_norm=False,
        dropout=0.0,
        lstm_units=64,
        bidirectional=False,
        time_shift=0.0,
        time_stretch=0.0,
        gain_db=0.0,
        noise_std=0.0,
        feature_shift=0,
        time_masks=0,
        time_mask_width=8,
        freq_masks=0,
        freq_mask_width=4,
        epochs=20,
        batch_size=32,
        predict_batch_size=256,
        optimizer="adam",
        learning_rate=0.001,
        validation_split=0.0,
        early_stopping=False,
        patience=10,
        class_weight=None,
        random_state=None,
        verbose=0,
        loss="binary_crossentropy",
        **kwargs,
    ):
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
        self.lstm_units = lstm_units
        self.bidirectional = bidirectional
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
        self.early_stopping = early_stopping
        self.patience = patience

    def decision_function(self, X):
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
                f"got a {target_type!r} target. For one label "
                "per clip among several classes use CNN1DClassifier; to turn label lists into "
                "an indicator matrix use sklearn.preprocessing.MultiLabelBinarizer."
            )
        model = build_crnn_event_detector(
            model_input_shape(meta["X_shape_"]),
            n_outputs,
            filters=self.filters,
            kernel_size=self.kernel_size,
            pool_size=self.pool_size,
            n_layers=self.n_layers,
            dilation=self.dilation,
            padding=self.padding,
            batch_norm=self.batch_norm,
            dropout=self.dropout,
            lstm_units=self.lstm_units,
            bidirectional=self.bidirectional,
            augmentation=self._augmentation(),
        )
        return self._compile_model(model, compile_kwargs)
