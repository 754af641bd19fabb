"""CNN1DDenoiser: the article's waveform denoiser as a scikit-learn regressor."""

import numpy as np
from scikeras.wrappers import KerasRegressor
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import RegressorTags

from skaudio.models._base import KerasAudioMixin
from skaudio.networks import build_cnn1d_denoiser
from skaudio.utils import check_waveforms, is_ragged


class CNN1DDenoiser(KerasAudioMixin, KerasRegressor):
    """Fully convolutional waveform denoiser, a scikit-learn regressor.

    ``X`` holds noisy waveforms ``(n_clips, n_samples)`` and ``y`` the clean
    ones (same shape); ``predict`` returns denoised waveforms of the same
    shape. The network is fully convolutional, so ``predict`` takes clips of
    any length (a 2D batch or a ragged list, which comes back as a list).
    The defaults train the source article's network::

        Conv1D(64, 3, same) > BN > ReLU > Conv1D(64, 3, same) > BN > ReLU
        > Conv1D(1, 3, same)

    with adam and mean squared error.

    Parameters
    ----------
    filters : int or tuple of int, default=64
    kernel_size : int or tuple of int, default=3
    n_layers : int, default=2
        Hidden convolutional blocks.
    dilation : int or tuple of int, default=1
    batch_norm : bool, default=True
    residual : bool, default=False
        Residual blocks and an input-to-output skip, so that the network
        starts from the identity and learns the noise to remove.
    dropout : float, default=0.0
    gain_db : float, default=0.0
        Training-time random gain (applied to the noisy input only).
    epochs : int, default=20
    batch_size : int, default=32
    predict_batch_size : int, default=32
    optimizer : str or keras.optimizers.Optimizer, default="adam"
    learning_rate : float or None, default=0.001
    validation_split : float, default=0.0
    early_stopping : bool, default=False
    patience : int, default=10
    random_state : int, RandomState or None, default=None
    verbose : int, default=0
    **kwargs
        Routed scikeras parameters.

    Attributes
    ----------
    model_ : keras.Model
    history_ : dict

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.models import CNN1DDenoiser
    >>> rng = np.random.default_rng(0)
    >>> clean = np.sin(np.linspace(0, 60, 400))[None].repeat(8, 0).astype("float32")
    >>> noisy = clean + 0.1 * rng.standard_normal(clean.shape).astype("float32")
    >>> den = CNN1DDenoiser(filters=8, epochs=2, random_state=0).fit(noisy, clean)
    >>> den.predict(noisy[:, :250]).shape
    (8, 250)
    """

    def __init__(
        self,
        *,
        filters=64,
        kernel_size=3,
        n_layers=2,
        dilation=1,
        batch_norm=True,
        residual=False,
        dropout=0.0,
        gain_db=0.0,
        epochs=20,
        batch_size=32,
        predict_batch_size=32,
        optimizer="adam",
        learning_rate=0.001,
        validation_split=0.0,
        early_stopping=False,
        patience=10,
        random_state=None,
        verbose=0,
        loss="mse",
        **kwargs,
    ):
        super().__init__(
            optimizer=optimizer,
            loss=loss,
            batch_size=batch_size,
            epochs=epochs,
            validation_split=validation_split,
            random_state=random_state,
            verbose=verbose,
            **kwargs,
        )
        self.filters = filters
        self.kernel_size = kernel_size
        self.n_layers = n_layers
        self.dilation = dilation
        self.batch_norm = batch_norm
        self.residual = residual
        self.dropout = dropout
        self.gain_db = gain_db
        self.predict_batch_size = predict_batch_size
        self.learning_rate = learning_rate
        self.early_stopping = early_stopping
        self.patience = patience

    # Only gain applies to waveform-to-waveform training; the other
    # augmentations would change the target too.
    time_shift = time_stretch = noise_std = feature_shift = time_masks = freq_masks = 0
    time_mask_width = freq_mask_width = 1

    @property
    def target_encoder(self):
        """Identity: clean waveforms are the model's targets as they are."""
        return FunctionTransformer()

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Train on pairs of noisy and clean waveforms.

        Parameters
        ----------
        X : ndarray of shape (n_clips, n_samples)
            Noisy waveforms.
        y : ndarray of shape (n_clips, n_samples)
            Clean waveforms, aligned with ``X``.
        sample_weight : array-like of shape (n_clips,), default=None

        Returns
        -------
        self : CNN1DDenoiser
        """
        if y is None:
            raise ValueError("CNN1DDenoiser requires y to be passed, but the target y is None (y: clean waveforms).")
        X = check_waveforms(X)
        y = check_waveforms(y, name="y")
        if is_ragged(X) or is_ragged(y):
            raise ValueError("CNN1DDenoiser.fit needs equal-length clips: pass 2D arrays (use FixedLength).")
        if X.shape != y.shape:
            raise ValueError(f"X (noisy) has shape {X.shape} but y (clean) has shape {y.shape}; they must match.")
        return super().fit(X, y, sample_weight=sample_weight, **kwargs)

    def _any_length_ok(self, given):
        return len(given) == 1  # a waveform of any length

    def _keras_build_fn(self, meta, compile_kwargs):
        model = build_cnn1d_denoiser(
            filters=self.filters,
            kernel_size=self.kernel_size,
            n_layers=self.n_layers,
            dilation=self.dilation,
            batch_norm=self.batch_norm,
            residual=self.residual,
            dropout=self.dropout,
            augmentation=self._augmentation(),
        )
        return self._compile_model(model, compile_kwargs)

    def predict(self, X, **kwargs):
        """Denoise waveforms of any length.

        Parameters
        ----------
        X : ndarray of shape (n_clips, n_samples) or list of 1D ndarray
            Noisy waveforms at the training sample rate.

        Returns
        -------
        y_pred : ndarray of shape (n_clips, n_samples) or list of ndarray
            Denoised waveforms, the same shape (a list for a list input).
        """
        X = check_waveforms(X)
        if is_ragged(X):
            return [self._predict_raw(clip[None])[0] for clip in X]
        return self._predict_raw(X)

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        if reset or X is None:
            return super()._validate_data(X, y, reset=reset, y_numeric=y_numeric)
        return check_waveforms(X), y  # any length after fit

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        tags.regressor_tags = RegressorTags()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        return tags
