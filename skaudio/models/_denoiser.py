"""CNN1DDenoiser: the article's waveform denoiser as a scikit-learn regressor."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Sequence
from numbers import Integral
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import ArrayLike
from scikeras.wrappers import KerasRegressor
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import RegressorTags, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from skaudio.models._base import PREDICT_ROW_BLOCK, KerasAudioMixin
from skaudio.networks import augmentation_layers, build_cnn1d_denoiser, build_stft_mask_denoiser, negative_si_sdr
from skaudio.utils import UnusableClipWarning, check_waveforms, is_number, is_ragged, named, unusable_clips

if TYPE_CHECKING:
    import keras
    from typing_extensions import Self

# RMS below this is treated as silence when normalising levels.
_RMS_FLOOR = 1e-5


def _rms(batch):
    return np.maximum(np.sqrt(np.mean(np.square(batch, dtype=np.float64), axis=-1, keepdims=True)), _RMS_FLOOR)


def _chunk_weight(lo, hi, length, context):
    """Cross-fade weights of the chunk ``[lo, hi)`` of an input of ``length`` samples."""
    t = np.arange(lo, hi) + 0.5
    weight = np.ones(hi - lo, dtype=np.float32)
    if context:
        if lo > 0:
            weight = np.minimum(weight, (t - lo - 0.75 * context) / (0.5 * context))
        if hi < length:
            weight = np.minimum(weight, (hi - t - 0.75 * context) / (0.5 * context))
    return np.clip(weight, 0, 1)


def _crossfaded_chunks(denoise, x, step, context):
    """Run ``denoise`` on overlapping chunks of ``x`` and cross-fade them.

    Chunk ``k`` covers ``[k * step - context, (k + 1) * step + context)``.
    Around each boundary, the two chunks' outputs are mixed with linear
    weights over the central ``context / 2`` samples of their overlap, so
    every output sample has at least ``0.75 * context`` samples of context on
    either side.
    Cutting at the boundary instead leaves a step wherever the network sees
    beyond its context (an LSTM sees the whole input).
    """
    length = x.shape[1]
    bounds = [(max(0, start - context), min(length, start + step + context)) for start in range(0, length, step)]
    out = np.zeros_like(x)
    total_weight = np.zeros(length, dtype=np.float32)
    # The full-length chunks of every row go to the network PREDICT_ROW_BLOCK at a time: a
    # prediction call computes that many rows whatever it is given, so one chunk a call would
    # cost as much as a block of them. The shorter chunks at the edges go one call each.
    full = step + 2 * context
    windows = [(row, lo, hi) for row in range(len(x)) for lo, hi in bounds if hi - lo == full]
    for i in range(0, len(windows), PREDICT_ROW_BLOCK):
        group = windows[i : i + PREDICT_ROW_BLOCK]
        denoised = denoise(np.stack([x[row, lo:hi] for row, lo, hi in group]))
        for (row, lo, hi), chunk in zip(group, denoised):
            out[row, lo:hi] += _chunk_weight(lo, hi, length, context) * chunk
    for lo, hi in bounds:
        weight = _chunk_weight(lo, hi, length, context)
        total_weight[lo:hi] += weight
        if hi - lo != full:
            out[:, lo:hi] += weight * denoise(x[:, lo:hi])
    return out / total_weight


def random_segments(noisy, clean, length, per_clip, rng):
    """Aligned random excerpts of ``length`` samples, ``per_clip`` from each pair.

    Shorter pairs are zero-padded at the end. Returns two ``(n, length)`` arrays.
    """
    xs, ys = [], []
    for x, y in zip(noisy, clean):
        if len(x) < length:
            x, y = np.pad(x, (0, length - len(x))), np.pad(y, (0, length - len(y)))
        for start in rng.randint(0, len(x) - length + 1, size=per_clip):
            xs.append(x[start : start + length])
            ys.append(y[start : start + length])
    return np.stack(xs).astype(np.float32), np.stack(ys).astype(np.float32)


class CNN1DDenoiser(KerasAudioMixin, KerasRegressor):
    """Fully convolutional waveform denoiser, a scikit-learn regressor.

    ``X`` holds noisy waveforms and ``y`` the clean ones; ``predict`` returns
    denoised waveforms of the same length as its input, whatever that length.
    The defaults train the source article's network::

        Conv1D(64, 3, same) > BN > ReLU > Conv1D(64, 3, same) > BN > ReLU
        > Conv1D(1, 3, same)

    with adam and mean squared error, on level-normalised segments (see
    ``normalize``). ``domain="stft"`` trains a spectral-mask network
    instead (STFT, a residual 1D CNN over frames predicting a mask, inverse
    STFT, all inside the model), the configuration of
    ``skaudio.pipelines.make_denoiser_pipeline``.

    Read more in the :ref:`design notes <design_notes_denoiser_networks>`.

    Parameters
    ----------
    domain : {"waveform", "stft"}, default="waveform"
        Where the network works: convolutions on samples (the article) or a
        mask on the STFT.
    filters : int or tuple of int, default=64
        Filters of each hidden convolutional block (a tuple: one per block).
    kernel_size : int or tuple of int, default=3
        Kernel size of each block.
    n_layers : int, default=2
        Hidden convolutional blocks.
    dilation : int or tuple of int, default=1
        Dilation rate of each block.
    batch_norm : bool, default=True
        BatchNormalization in each block.
    residual : bool, default=False
        Waveform front end: residual blocks and an input-to-output skip, so the
        network starts from the identity.
    dropout : float, default=0.0
        Dropout rate after each block.
    n_fft, hop_length : int, default=256, 64
        STFT front end: window/FFT length and hop, in samples.
    lstm_units : int or tuple of int, default=0
        STFT front end: units per direction of a bidirectional LSTM over
        frames after the convolutions (0: none); a tuple stacks one per entry.
    frequency_filters : int or tuple of int, default=0
        STFT front end: channels of 2D convolutions over frames and
        frequency bins before the frame convolutions (0: none); a tuple
        stacks one per entry, the second halving the frequency axis (see
        :func:`skaudio.networks.build_stft_mask_denoiser`).
    refinement_filters : int or tuple of int, default=0
        STFT front end, magnitude mask: channels of 2D convolutions that
        refine the mask bin by bin from its logits and the first frequency
        maps, adding a correction that starts at zero (0: none; see
        :func:`skaudio.networks.build_stft_mask_denoiser`).
    mask : {"magnitude", "complex"}, default="magnitude"
        STFT front end: a magnitude mask (noisy phase kept) or a complex
        ratio mask that starts as the identity (phase corrected too).
    loss : {"mse", "si_sdr"} or keras loss, default="mse"
        "si_sdr" trains on the negative scale-invariant SDR.
    normalize : bool, default=True
        Scale every training segment, and every input to ``predict``, to unit
        RMS (the output is scaled back), so the network sees one level
        whatever the recording's. Without it, BatchNormalization statistics
        learned on one level mislead the network at another.
    segment_length : int or None, default=None
        Training excerpt length in samples; None uses whole clips when they
        share one length and the median clip length otherwise. Training pairs
        may be ragged.
    segments_per_clip : int, default=1
        Random excerpts drawn from each training pair.
    chunk_length : int, default=65536
        ``predict`` processes longer inputs in chunks of this many samples
        (plus ``chunk_context`` on each side), bounding memory; the output
        equals whole-input processing where the context covers the network's
        receptive field.
    chunk_context : int, default=4096
        Samples of context on each side of a chunk. Neighbouring chunks
        overlap by twice this, and their outputs are cross-faded over the
        middle quarter of the overlap, so a network that sees beyond the
        context (an LSTM) leaves no step at the chunk boundaries.
    noise_scaling : float in [0, 1], default=1.0
        Training-time augmentation: the noise of each training pair
        (``noisy - clean``) is multiplied by a factor drawn uniformly in
        ``[1 - noise_scaling, 1]``, so the network also sees every recording
        at higher signal-to-noise ratios, down to clean, and learns to leave
        clean speech alone. 0 trains on the pairs as given.
    gain_db : float, default=0.0
        Training-time random gain of the noisy input (the target is not
        scaled; use with ``normalize=False``).
    epochs : int, default=20
        Training epochs.
    batch_size : int, default=32
        Training batch size.
    predict_batch_size : int, default=32
        Waveforms per call of the compiled prediction function.
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
        Fraction of the training pairs held out for validation loss.
    early_stopping : bool, default=False
        Stop when the (validation) loss stops improving and restore the best
        weights.
    patience : int, default=10
        Epochs without improvement before early stopping.
    average_weights : bool, default=False
        End ``fit`` on the weights' moving average over about the last
        tenth of the training steps (at most 100), as
        :class:`~skaudio.models.CNN1DClassifier` describes; batch
        normalisation keeps the moving statistics of the training batches.
        Refused with ``partial_fit`` and with ``early_stopping``.
    random_state : int, RandomState or None, default=None
        Seeds weights, shuffling, training segments and augmentation.
    verbose : int, default=0
        Keras' progress output during fit.
    front_end : {"waveform", "stft"}, default="deprecated"
        Deprecated alias of ``domain`` (``front_end`` means a feature
        transformer in :class:`CNN1DClassifier`); it will be removed in 0.3.
        The default, ``"deprecated"``, means not given: ``domain`` decides.
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
    history_ : dict
    segment_length_ : int
        The training excerpt length used. (There is no ``n_features_in_``:
        a waveform of any length is valid input.)

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
        domain: Literal["waveform", "stft"] = "waveform",
        filters: int | tuple[int, ...] = 64,
        kernel_size: int | tuple[int, ...] = 3,
        n_layers: int = 2,
        dilation: int | tuple[int, ...] = 1,
        batch_norm: bool = True,
        residual: bool = False,
        dropout: float = 0.0,
        n_fft: int = 256,
        hop_length: int = 64,
        lstm_units: int | tuple[int, ...] = 0,
        mask: Literal["magnitude", "complex"] = "magnitude",
        frequency_filters: int | tuple[int, ...] = 0,
        refinement_filters: int | tuple[int, ...] = 0,
        loss: str | keras.losses.Loss | Callable[..., Any] = "mse",
        normalize: bool = True,
        segment_length: int | None = None,
        segments_per_clip: int = 1,
        chunk_length: int = 65536,
        chunk_context: int = 4096,
        noise_scaling: float = 1.0,
        gain_db: float = 0.0,
        epochs: int = 20,
        batch_size: int = 32,
        predict_batch_size: int = 32,
        optimizer: str | keras.optimizers.Optimizer = "adam",
        learning_rate: float | None = 0.001,
        learning_rate_schedule: Literal["constant", "cosine"] = "constant",
        validation_split: float = 0.0,
        early_stopping: bool = False,
        patience: int = 10,
        average_weights: bool = False,
        random_state: int | np.random.RandomState | None = None,
        verbose: int = 0,
        front_end: Literal["waveform", "stft", "deprecated"] = "deprecated",
        **kwargs: Any,
    ) -> None:
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
        self.domain = domain
        self.front_end = front_end
        self.filters = filters
        self.kernel_size = kernel_size
        self.n_layers = n_layers
        self.dilation = dilation
        self.batch_norm = batch_norm
        self.residual = residual
        self.dropout = dropout
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.lstm_units = lstm_units
        self.mask = mask
        self.frequency_filters = frequency_filters
        self.refinement_filters = refinement_filters
        self.normalize = normalize
        self.segment_length = segment_length
        self.segments_per_clip = segments_per_clip
        self.chunk_length = chunk_length
        self.chunk_context = chunk_context
        self.noise_scaling = noise_scaling
        self.gain_db = gain_db
        self.predict_batch_size = predict_batch_size
        self.learning_rate = learning_rate
        self.learning_rate_schedule = learning_rate_schedule
        self.early_stopping = early_stopping
        self.patience = patience
        self.average_weights = average_weights

    _parameter_constraints = {
        **KerasAudioMixin._parameter_constraints,
        "domain": [StrOptions({"waveform", "stft"})],
        "front_end": [StrOptions({"waveform", "stft", "deprecated"})],
        "n_fft": [Interval(Integral, 2, None, closed="left")],
        "hop_length": [Interval(Integral, 1, None, closed="left")],
        "mask": [StrOptions({"magnitude", "complex"})],
        "normalize": ["boolean"],
        "segment_length": [Interval(Integral, 1, None, closed="left"), None],
        "segments_per_clip": [Interval(Integral, 1, None, closed="left")],
    }

    def _augmentation(self):
        # Only gain applies to waveform-to-waveform training: shifting,
        # stretching or masking the input would have to change the target too.
        return augmentation_layers(gain_db=self.gain_db, seed=self._random_state)

    @property
    def target_encoder(self) -> FunctionTransformer:
        """Identity: clean waveforms are the model's targets as they are."""
        return FunctionTransformer()

    def _training_pairs(self, X, y):
        if y is None:
            raise ValueError("CNN1DDenoiser requires y to be passed, but the target y is None (y: clean waveforms).")
        X = check_waveforms(X)
        y = check_waveforms(y, name="y")
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} noisy clips but y has {len(y)} clean clips.")
        self._check_frames()
        self._chunk_grid()  # refused now, not at the first prediction
        if not any(np.any(clean) for clean in y):
            raise ValueError("Every clean clip in y is silent: there is no speech (or sound) to learn to keep.")
        self._warn_short(X, stacklevel=7)  # the caller of fit or partial_fit
        for i, (noisy, clean) in enumerate(zip(X, y)):
            if noisy.shape != clean.shape:
                raise ValueError(
                    f"X[{i}] (noisy) has {noisy.shape[0]} samples but y[{i}] (clean) has {clean.shape[0]}; "
                    "each pair must be aligned and of one length."
                )
        lengths = [len(clip) for clip in X]
        if self.segment_length is not None:
            length = int(self.segment_length)
        elif len(set(lengths)) == 1:
            length = lengths[0]
        else:
            length = int(np.median(lengths))
        if length < 1:
            raise ValueError(f"segment_length must be >= 1, got {self.segment_length}.")
        self.segment_length_ = length
        scaling = self.noise_scaling
        if not is_number(scaling) or not 0 <= scaling <= 1:
            raise ValueError(f"noise_scaling must be a float in [0, 1], got {scaling!r}.")
        rng = check_random_state(self.random_state)
        if is_ragged(X) or length != X.shape[1] or self.segments_per_clip != 1:
            X, y = random_segments(X, y, length, self.segments_per_clip, rng)
        if scaling:
            factor = rng.uniform(1 - scaling, 1, size=(len(X), 1)).astype(np.float32)
            X = y + factor * (X - y)
        return X, y

    def fit(
        self,
        X: ArrayLike | Sequence[ArrayLike],
        y: ArrayLike | Sequence[ArrayLike],
        sample_weight: ArrayLike | None = None,
        **kwargs: Any,
    ) -> Self:
        """Train on pairs of noisy and clean waveforms.

        Parameters
        ----------
        X : ndarray of shape (n_clips, n_samples) or list of 1D ndarray
            Noisy waveforms.
        y : same structure as X
            Clean waveforms, aligned with ``X`` pair by pair.
        sample_weight : array-like of shape (n_clips,), default=None
            Weights of the pairs in the loss; the ``segments_per_clip``
            segments of a pair take its weight.
        **kwargs
            Passed to ``keras.Model.fit``.

        Returns
        -------
        self : CNN1DDenoiser
        """
        return super().fit(X, y, sample_weight=self._segment_weights(X, sample_weight), **kwargs)

    def partial_fit(
        self,
        X: ArrayLike | Sequence[ArrayLike],
        y: ArrayLike | Sequence[ArrayLike],
        sample_weight: ArrayLike | None = None,
        **kwargs: Any,
    ) -> Self:
        """Train for one more epoch on pairs of noisy and clean waveforms; the first call builds.

        The pairs are checked, cut into segments, augmented and
        level-normalised as in ``fit``.

        Parameters
        ----------
        X : ndarray of shape (n_clips, n_samples) or list of 1D ndarray
            Noisy waveforms.
        y : same structure as X
            Clean waveforms.
        sample_weight : array-like of shape (n_clips,), default=None
            Weights of the pairs in the loss; the ``segments_per_clip``
            segments of a pair take its weight.
        **kwargs
            Passed to ``keras.Model.fit``.

        Returns
        -------
        self : CNN1DDenoiser
        """
        return super().partial_fit(X, y, sample_weight=self._segment_weights(X, sample_weight), **kwargs)

    def _segment_weights(self, X, sample_weight):
        """One weight per training segment from one per pair (a pair's segments follow each other).

        Anything else goes on as given, to be checked with the data.
        """
        per_clip = self.segments_per_clip
        if (
            sample_weight is None
            or not isinstance(per_clip, Integral)
            or per_clip < 2
            or not hasattr(X, "__len__")
            or np.shape(sample_weight) != (len(X),)
        ):
            return sample_weight
        return np.repeat(np.asarray(sample_weight, dtype=np.float64), per_clip)

    def _training_data(self, X, y, *, first):
        X, y = self._training_pairs(X, y)
        if self.normalize:
            scale = _rms(X)
            X, y = (X / scale).astype(np.float32), (y / scale).astype(np.float32)
        return X, y

    def _n_features_in_meaningless(self):
        return True  # waveforms of any length

    def _any_length_ok(self, given):
        return len(given) == 1  # a waveform of any length

    def _keras_build_fn(self, meta, compile_kwargs):
        domain = self._domain()
        if domain == "waveform":
            # the STFT network's own settings would otherwise be silently ignored
            if self.lstm_units or self.frequency_filters or self.refinement_filters or self.mask != "magnitude":
                raise ValueError(
                    f"lstm_units={self.lstm_units!r}, frequency_filters={self.frequency_filters!r}, "
                    f"refinement_filters={self.refinement_filters!r} and mask={self.mask!r} apply to "
                    "domain='stft' only; the waveform network has no LSTM, no spectrum and no mask."
                )
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
        elif domain == "stft":
            model = build_stft_mask_denoiser(
                n_fft=self.n_fft,
                hop_length=self.hop_length,
                filters=self.filters,
                kernel_size=self.kernel_size,
                n_layers=self.n_layers,
                dilation=self.dilation,
                batch_norm=self.batch_norm,
                dropout=self.dropout,
                lstm_units=self.lstm_units,
                mask=self.mask,
                frequency_filters=self.frequency_filters,
                refinement_filters=self.refinement_filters,
            )
        else:
            raise ValueError(f"domain must be 'waveform' or 'stft', got {domain!r}.")
        return self._compile_model(model, compile_kwargs)

    def _domain(self, *, warn=True):
        """``domain``, or the deprecated ``front_end`` where that is given (with a warning, unless ``warn=False``)."""
        if isinstance(self.front_end, str) and self.front_end == "deprecated":
            return self.domain
        if warn:
            warnings.warn(
                "CNN1DDenoiser's front_end parameter was renamed domain in skaudio 0.2 and will be removed in 0.3 "
                f"(front_end means a feature transformer in CNN1DClassifier): use domain={self.front_end!r}.",
                FutureWarning,
                stacklevel=3,
            )
        return self.front_end

    def _get_compile_kwargs(self):
        # scikeras resolves string losses through Keras, which does not know
        # "si_sdr": it reads the function from a shallow copy, so the
        # parameter itself never changes
        if not (isinstance(self.loss, str) and self.loss == "si_sdr"):
            return super()._get_compile_kwargs()
        resolved = copy.copy(self)
        resolved.loss = negative_si_sdr
        return super(CNN1DDenoiser, resolved)._get_compile_kwargs()

    def _chunk_grid(self):
        """``(step, context)`` of chunked prediction, checked; for the STFT front end on the hop grid.

        Chunk edges on the hop grid keep STFT frames where whole-input analysis puts them.
        """
        step, context = self.chunk_length, self.chunk_context
        hop = max(self.hop_length if self._domain() == "stft" else 1, 1)
        if not isinstance(step, (int, np.integer)) or step < hop:
            raise ValueError(f"chunk_length must be an int >= {hop} (the hop), got {step!r}.")
        if not isinstance(context, (int, np.integer)) or context < 0:
            raise ValueError(f"chunk_context must be an int >= 0, got {context!r}.")
        return step - step % hop, context - context % hop

    def _check_frames(self):
        if self._domain(warn=False) == "stft" and self.hop_length >= self.n_fft:
            raise ValueError(
                f"hop_length ({self.hop_length}) must be less than n_fft ({self.n_fft}): the overlap-add rebuilds "
                "each sample from overlapping frames, and frames that do not overlap leave samples out."
            )

    def _warn_short(self, clips, *, stacklevel, names=None, given=None):
        """Warn, naming them, about clips shorter than one STFT frame: the network sees mostly padding.

        ``names`` names each clip in the caller's terms (``X[i]`` by default;
        ``X[i][c]`` for a channel of a recording), and ``given`` is the array
        the caller was given (``clips`` by default). A batch of a few samples
        per clip and many clips is most likely recordings with their channels
        last, as soundfile reads them: that is said instead.
        """
        given = clips if given is None else given
        if isinstance(given, np.ndarray) and given.ndim in (2, 3) and given.shape[-1] <= 8 < given.shape[-2]:
            shape = given.shape
            if given.ndim == 2:
                found = f"{shape[0]} clips of {shape[1]} samples each. One recording with its channels last"
                advice = "(n_samples, n_channels) as soundfile reads it? Give X.T"
            else:
                found = f"{shape[0]} recording(s) of {shape[1]} channels of {shape[2]} samples each. Channels last"
                advice = "(n_clips, n_samples, n_channels)? Give X.transpose(0, 2, 1)"
            warnings.warn(
                f"{type(self).__name__}: X has shape {shape}, {found}, {advice}: channels first.",
                UnusableClipWarning,
                stacklevel=stacklevel,
            )
            return
        if self._domain(warn=False) != "stft":
            return
        _, short = unusable_clips(clips, self.n_fft)
        if short:
            names = [f"X[{i}]" for i in range(len(clips))] if names is None else names
            warnings.warn(
                f"{type(self).__name__}: {len(short)} clip(s) shorter than one STFT frame (n_fft={self.n_fft} "
                f"samples): {named([f'{names[i]}, {len(clips[i])} samples' for i in short])}; what comes out for "
                "them is mostly the network's response to padding.",
                UnusableClipWarning,
                stacklevel=stacklevel,
            )

    def chunk_grid(self) -> tuple[int, int]:
        """Where ``predict`` cuts an input longer than one chunk.

        Chunk ``k`` covers samples ``[k * step - context, (k + 1) * step +
        context)``; neighbouring chunks are cross-faded where they overlap.
        For ``domain="stft"`` both are rounded down to a multiple of
        ``hop_length``, so that STFT frames fall where whole-input analysis
        puts them.

        Returns
        -------
        step : int
            ``chunk_length`` on the hop grid: chunk boundaries fall at
            multiples of it.
        context : int
            ``chunk_context`` on the hop grid: samples of context on each
            side of a chunk.
        """
        return self._chunk_grid()

    def _denoise_batch(self, batch):
        """Denoise a ``(n, t)`` batch in time chunks with context, level-normalised."""
        step, context = self._chunk_grid()
        scale = _rms(batch) if self.normalize else np.ones((len(batch), 1))
        x = (batch / scale).astype(np.float32)
        if x.shape[1] <= self.chunk_length + 2 * self.chunk_context:
            out = self._predict_raw(x)
        else:
            out = _crossfaded_chunks(self._predict_raw, x, step, context)
        return (out * scale).astype(np.float32)

    def predict(self, X: ArrayLike | Sequence[ArrayLike], **kwargs: Any) -> np.ndarray | list[np.ndarray]:
        """Denoise waveforms of any length, and recordings of any number of channels.

        Every channel is denoised on its own, as a clip, and keeps its place:
        a stereo recording ``(2, n_samples)``, as a batch of two clips, comes
        back as two denoised channels. Channels go first, as librosa loads
        them (soundfile reads ``(n_samples, n_channels)``: transpose it).

        Parameters
        ----------
        X : ndarray of shape (n_clips, n_samples) or (n_clips, n_channels, n_samples), or list
            Noisy waveforms at the training sample rate; a list may hold 1D
            clips and 2D ``(n_channels, n_samples)`` recordings of any lengths.
        **kwargs
            Not used; accepted for scikeras' signature.

        Returns
        -------
        y_pred : ndarray or list of ndarray
            Denoised waveforms, the same shape as ``X`` (a list for a list
            input, each item shaped as given).

        Warns
        -----
        UnusableClipWarning
            Clips (channels) shorter than one STFT frame, named as ``X[i]``
            (``X[i][c]`` for channel ``c`` of a recording); or a batch of at
            most 8 samples per clip, which looks like recordings with their
            channels last.

        Examples
        --------
        >>> import numpy as np
        >>> from skaudio.models import CNN1DDenoiser
        >>> rng = np.random.default_rng(0)
        >>> clean = np.sin(np.linspace(0, 400, 2000))[None].repeat(8, 0).astype("float32")
        >>> noisy = (clean + 0.3 * rng.standard_normal(clean.shape)).astype("float32")
        >>> denoiser = CNN1DDenoiser(domain="stft", filters=4, epochs=1, random_state=0).fit(noisy, clean)
        >>> stereo = noisy[:2]  # two channels of one recording
        >>> denoiser.predict(stereo).shape, denoiser.predict(stereo[None]).shape
        ((2, 2000), (1, 2, 2000))
        >>> [y.shape for y in denoiser.predict([stereo, noisy[0, :1500]])]
        [(2, 2000), (1500,)]
        """
        if isinstance(X, np.ndarray) and X.dtype != object and X.ndim == 3:
            n_clips, n_channels, n_samples = X.shape
            if not n_clips:
                raise ValueError(f"X is an empty batch (shape {X.shape}): at least one recording is required.")
            flat = np.concatenate([check_waveforms(recording, name=f"X[{i}]") for i, recording in enumerate(X)])
            names = [f"X[{i}][{c}]" for i in range(n_clips) for c in range(n_channels)]
            return self._denoise(flat, names=names, given=X).reshape(X.shape)
        if isinstance(X, (list, tuple)) and any(np.ndim(item) == 2 for item in X):
            # messages name X[i] for a clip and X[i][c] for a channel of a recording, as the caller numbers them:
            # the clips are checked in their places (a recording's place holding a one-sample stand-in)
            clips = check_waveforms([np.zeros(1, np.float32) if np.ndim(item) == 2 else item for item in X])
            recordings = [
                check_waveforms(item, name=f"X[{i}]") if np.ndim(item) == 2 else clip
                for i, (item, clip) in enumerate(zip(X, clips))
            ]
            channels, names = [], []
            for i, item in enumerate(recordings):
                channels.extend(item if item.ndim == 2 else [item])
                names.extend([f"X[{i}][{c}]" for c in range(len(item))] if item.ndim == 2 else [f"X[{i}]"])
            cleaned = iter(self._denoise(channels, names=names))
            return [np.stack([next(cleaned) for _ in item]) if item.ndim == 2 else next(cleaned) for item in recordings]
        return self._denoise(check_waveforms(X))

    def _denoise(self, X, *, names=None, given=None):
        """Denoise checked clips (a 2D batch, or a list of 1D clips: those of one length together), short ones named.

        ``names`` and ``given`` are those of :meth:`_warn_short`; called by ``predict`` only (for its stack level).
        """
        self._check_frames()
        self._warn_short(X, names=names, given=given, stacklevel=4)
        if not is_ragged(X):
            return self._denoise_batch(X)
        # Clips of one length go together, not one call each (a call computes PREDICT_ROW_BLOCK rows whatever
        # it is given), up to as many samples as one call of full chunks holds: memory stays bounded.
        step, context = self._chunk_grid()
        out = [None] * len(X)
        for length in {len(clip) for clip in X}:
            rows = [i for i, clip in enumerate(X) if len(clip) == length]
            per_call = max(1, PREDICT_ROW_BLOCK * (step + 2 * context) // length)
            for k in range(0, len(rows), per_call):
                group = rows[k : k + per_call]
                for i, clip in zip(group, self._denoise_batch(np.stack([X[i] for i in group]))):
                    out[i] = clip
        return out

    def score(
        self,
        X: ArrayLike | Sequence[ArrayLike],
        y: ArrayLike | Sequence[ArrayLike],
        sample_weight: ArrayLike | None = None,
    ) -> float:
        """Mean SI-SDR (dB) of the denoised ``X`` against the clean ``y``.

        Replaces scikeras' R^2 over time indices, which means nothing for
        waveforms; this is what ``GridSearchCV`` maximises by default.

        Parameters
        ----------
        X : ndarray of shape (n_clips, n_samples) or list of 1D ndarray
            Noisy waveforms.
        y : same structure as X
            Clean waveforms.
        sample_weight : array-like of shape (n_clips,), default=None
            Weights of the clips in the mean.

        Returns
        -------
        score : float
        """
        from skaudio.metrics import si_sdr

        return float(np.average(si_sdr(y, self.predict(X)), weights=sample_weight))

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
