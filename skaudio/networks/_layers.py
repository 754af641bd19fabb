"""Keras layers skaudio's networks use: training-time augmentation, temporal pooling.

Every augmentation layer is the identity at inference (``training=False``),
so a fitted model predicts on clean input. Randomness comes from a
``keras.random.SeedGenerator`` so that a seeded fit is repeatable. The layers
are registered with Keras, so models that hold them round-trip through the
``.keras`` format and through pickle/joblib.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import keras
from keras import layers, ops

from skaudio.networks._validation import check_int, check_real

PACKAGE = "skaudio"


class _SeededAugmentation(layers.Layer):
    """Base: a training-only layer with its own seed generator."""

    def __init__(self, *, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.supports_masking = True

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "seed": self.seed}


@keras.saving.register_keras_serializable(package=PACKAGE)
class RandomTimeShift(_SeededAugmentation):
    """Shift each example along time by up to ``max_shift`` of its length.

    Takes ``(batch, time, channels)`` input: a waveform as ``(batch,
    samples, 1)``, features as ``(batch, frames, n_features)``. Samples
    shifted past one end are dropped and the other end is filled with zeros
    (silence in a waveform, the mean in standardised features).

    Parameters
    ----------
    max_shift : float in [0, 1)
        Largest shift as a fraction of the time axis.
    **kwargs
        ``seed`` (int or None, default=None: the seed of the layer's random
        generator) and the arguments of ``keras.layers.Layer`` (``name``,
        ``dtype``, ...).
    """

    def __init__(self, max_shift: float = 0.1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_shift = check_real(max_shift, "max_shift", high=1.0, high_open=True)

    def call(self, inputs: Any, training: bool = False) -> Any:
        if not training or self.max_shift <= 0:
            return inputs
        batch = ops.shape(inputs)[0]
        length = ops.shape(inputs)[1]
        limit = ops.cast(ops.cast(length, "float32") * self.max_shift, "int32")
        shift = keras.random.randint((batch, 1), -limit, limit + 1, seed=self.seed_generator)
        source = ops.expand_dims(ops.arange(length), 0) - shift  # (batch, length)
        valid = ops.logical_and(source >= 0, source < length)
        gathered = ops.take_along_axis(inputs, ops.expand_dims(ops.clip(source, 0, length - 1), -1), axis=1)
        return ops.where(ops.expand_dims(valid, -1), gathered, ops.zeros_like(gathered))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "max_shift": self.max_shift}


@keras.saving.register_keras_serializable(package=PACKAGE)
class RandomTimeStretch(_SeededAugmentation):
    """Stretch or compress each example in time about its centre.

    Takes ``(batch, time, channels)`` input: a waveform as ``(batch,
    samples, 1)``, features as ``(batch, frames, n_features)``. Every
    example is resampled along time (linear interpolation between
    frames) by a factor drawn uniformly in ``[1 - max_stretch, 1 + max_stretch]``
    and keeps its length: a stretched example is cropped at both ends, a
    compressed one padded with zeros. Speakers differ in speaking rate; this
    shows the network the same word said faster and slower.

    Parameters
    ----------
    max_stretch : float in [0, 1)
        Largest relative change of duration.
    **kwargs
        ``seed`` (int or None, default=None: the seed of the layer's random
        generator) and the arguments of ``keras.layers.Layer`` (``name``,
        ``dtype``, ...).
    """

    def __init__(self, max_stretch: float = 0.15, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # a factor of 1 - max_stretch <= 0 would divide by zero or play the example backwards
        self.max_stretch = check_real(max_stretch, "max_stretch", high=1.0, high_open=True)

    def call(self, inputs: Any, training: bool = False) -> Any:
        if not training or self.max_stretch <= 0:
            return inputs
        batch = ops.shape(inputs)[0]
        length = ops.shape(inputs)[1]
        factor = keras.random.uniform(
            (batch, 1), 1.0 - self.max_stretch, 1.0 + self.max_stretch, seed=self.seed_generator
        )
        centre = (ops.cast(length, "float32") - 1.0) / 2.0
        positions = ops.expand_dims(ops.cast(ops.arange(length), "float32"), 0)
        source = centre + (positions - centre) / factor  # (batch, length), fractional
        lower = ops.floor(source)
        # positions stay float32 (the draws of seeded fits), the weights take the inputs' dtype
        weight = ops.cast(ops.expand_dims(source - lower, -1), inputs.dtype)
        lower = ops.cast(lower, "int32")

        def frames_at(index):
            clipped = ops.expand_dims(ops.clip(index, 0, length - 1), -1)
            return ops.take_along_axis(inputs, clipped, axis=1)

        out = frames_at(lower) * (1.0 - weight) + frames_at(lower + 1) * weight
        valid = ops.logical_and(source >= 0.0, source <= ops.cast(length - 1, "float32"))
        return ops.where(ops.expand_dims(valid, -1), out, ops.zeros_like(out))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "max_stretch": self.max_stretch}


@keras.saving.register_keras_serializable(package=PACKAGE)
class RandomGain(_SeededAugmentation):
    """Scale each example by a random gain drawn uniformly in decibels.

    Parameters
    ----------
    max_db : float >= 0
        Gains are drawn in ``[-max_db, +max_db]`` dB (waveform input).
    **kwargs
        ``seed`` (int or None, default=None: the seed of the layer's random
        generator) and the arguments of ``keras.layers.Layer`` (``name``,
        ``dtype``, ...).
    """

    def __init__(self, max_db: float = 6.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_db = check_real(max_db, "max_db")

    def call(self, inputs: Any, training: bool = False) -> Any:
        if not training or self.max_db <= 0:
            return inputs
        shape = (ops.shape(inputs)[0],) + (1,) * (len(inputs.shape) - 1)
        gain_db = keras.random.uniform(shape, -self.max_db, self.max_db, seed=self.seed_generator)
        return inputs * ops.cast(ops.power(10.0, gain_db / 20.0), inputs.dtype)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "max_db": self.max_db}


class _AddedBelowLevel(_SeededAugmentation):
    """Base: something added to each example at a random level below the example's own RMS.

    Subclasses give ``_unit_addition``: what is added, at unit RMS per example,
    computed from float32 input. The addition is computed in float32 and cast
    to the inputs' dtype: float16 squares overflow, and its smallest numbers
    are zero.
    """

    def __init__(self, snr_db: Sequence[float], probability: float = 1.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        try:
            low, high = (float(v) for v in snr_db)
        except (TypeError, ValueError):
            raise ValueError(f"snr_db must be (low, high) in dB, got {snr_db!r}.") from None
        if not low <= high:
            raise ValueError(f"snr_db must be (low, high) with low <= high, got {snr_db!r}.")
        if not 0 <= probability <= 1:
            raise ValueError(f"probability must be in [0, 1], got {probability!r}.")
        self.snr_db = (low, high)
        self.probability = float(probability)

    def call(self, inputs: Any, training: bool = False) -> Any:
        if not training:
            return inputs
        # float32 whatever the policy (the draws are float32); casts are no-ops on float32 input
        examples = ops.cast(inputs, "float32")
        # per example, the RMS the addition gets (0 where not applied), drawn before the addition itself
        shape = (ops.shape(inputs)[0],) + (1,) * (len(inputs.shape) - 1)
        snr_db = keras.random.uniform(shape, self.snr_db[0], self.snr_db[1], seed=self.seed_generator)
        applied = ops.cast(keras.random.uniform(shape, seed=self.seed_generator) < self.probability, "float32")
        level = applied * _rms(examples) * ops.power(10.0, -snr_db / 20.0)
        return inputs + ops.cast(level * self._unit_addition(examples), inputs.dtype)

    def _unit_addition(self, inputs: Any) -> Any:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "snr_db": list(self.snr_db), "probability": self.probability}


def _rms(inputs: Any) -> Any:
    """The RMS of each example of a batch, shape (batch, 1, ...)."""
    return ops.sqrt(ops.mean(ops.square(inputs), axis=tuple(range(1, len(inputs.shape))), keepdims=True))


@keras.saving.register_keras_serializable(package=PACKAGE)
class RandomNoise(_AddedBelowLevel):
    """Add white noise at a random signal-to-noise ratio to each example.

    The SNR is drawn uniformly in ``[low, high]`` dB per example, relative
    to the example's own RMS, so loud and quiet recordings get the same
    range of SNRs (a fixed noise level, as ``keras.layers.GaussianNoise``
    adds, would drown quiet speakers and spare loud ones).

    Parameters
    ----------
    snr_db : tuple of float (low, high)
        SNR range in dB (waveform input).
    probability : float in [0, 1], default=1.0
        Chance that an example gets noise at all; the others pass unchanged.
    **kwargs
        ``seed`` (int or None, default=None: the seed of the layer's random
        generator) and the arguments of ``keras.layers.Layer`` (``name``,
        ``dtype``, ...).

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.networks import RandomNoise
    >>> x = np.sin(np.linspace(0, 300, 8000, dtype="float32"))[None, :, None]
    >>> noisy = np.asarray(RandomNoise((20, 20), seed=0)(x, training=True))
    >>> snr = 10 * np.log10(np.mean(x**2) / np.mean((noisy - x) ** 2))
    >>> bool(abs(snr - 20) < 0.5), bool(np.array_equal(RandomNoise((20, 20))(x), x))
    (True, True)
    """

    def __init__(self, snr_db: Sequence[float] = (10.0, 40.0), probability: float = 1.0, **kwargs: Any) -> None:
        super().__init__(snr_db, probability, **kwargs)

    def _unit_addition(self, inputs: Any) -> Any:
        return keras.random.normal(ops.shape(inputs), seed=self.seed_generator)


@keras.saving.register_keras_serializable(package=PACKAGE)
class RandomMix(_AddedBelowLevel):
    """Mix another example of the batch into each example, as a quieter background.

    Each example gets the previous example of its batch (the batch rolled
    by one: example ``i`` gets example ``i - 1``, the first gets the last)
    added at a signal-to-background ratio drawn uniformly in ``[low,
    high]`` dB, relative to the two examples' own RMS; the label stays the
    example's own. Real recordings hold other sounds behind the one that
    names them, and the other examples of a training set are the real
    sounds closest to hand. A silent partner adds nothing; a batch of one
    mixes the example with itself, a gain change.

    Parameters
    ----------
    snr_db : tuple of float (low, high)
        Range of the example's level above the mixed-in one, in dB.
    probability : float in [0, 1], default=1.0
        Chance that an example gets a background at all; the others pass
        unchanged.
    **kwargs
        ``seed`` (int or None, default=None: the seed of the layer's random
        generator) and the arguments of ``keras.layers.Layer`` (``name``,
        ``dtype``, ...).

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.networks import RandomMix
    >>> t = np.linspace(0, 1, 8000, dtype="float32")
    >>> x = np.stack([np.sin(2 * np.pi * 440 * t), 0.1 * np.sin(2 * np.pi * 1000 * t)])[:, :, None]
    >>> mixed = np.asarray(RandomMix((10, 10), seed=0)(x, training=True))
    >>> background = mixed[0] - x[0]  # the second example, 10 dB below the first
    >>> snr = 10 * np.log10(np.mean(x[0] ** 2) / np.mean(background**2))
    >>> bool(abs(snr - 10) < 0.1), bool(np.array_equal(RandomMix((10, 10))(x), x))
    (True, True)
    """

    def __init__(self, snr_db: Sequence[float] = (6.0, 20.0), probability: float = 1.0, **kwargs: Any) -> None:
        super().__init__(snr_db, probability, **kwargs)

    def _unit_addition(self, inputs: Any) -> Any:
        background = ops.roll(inputs, 1, axis=0)
        # a silent background (rms 0) adds nothing instead of dividing by zero
        return background / ops.maximum(_rms(background), 1e-12)


@keras.saving.register_keras_serializable(package=PACKAGE)
class RandomFeatureShift(_SeededAugmentation):
    """Shift each example along the feature axis by up to ``max_shift`` bins.

    Takes features ``(batch, frames, n_features)``. On (log-)mel features
    a shift of a few bands moves formants up or down, which imitates
    another vocal tract length (VTLP) or pitch; the vacated bands repeat
    the edge band.

    Parameters
    ----------
    max_shift : int >= 0
        Largest shift in feature bins.
    **kwargs
        ``seed`` (int or None, default=None: the seed of the layer's random
        generator) and the arguments of ``keras.layers.Layer`` (``name``,
        ``dtype``, ...).
    """

    def __init__(self, max_shift: int = 2, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_shift = check_int(max_shift, "max_shift", minimum=0)

    def call(self, inputs: Any, training: bool = False) -> Any:
        if not training or self.max_shift <= 0:
            return inputs
        batch = ops.shape(inputs)[0]
        n_features = ops.shape(inputs)[-1]
        shift = keras.random.randint((batch, 1, 1), -self.max_shift, self.max_shift + 1, seed=self.seed_generator)
        source = ops.clip(ops.reshape(ops.arange(n_features), (1, 1, -1)) - shift, 0, n_features - 1)
        source = ops.broadcast_to(source, ops.shape(inputs))
        return ops.take_along_axis(inputs, source, axis=-1)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "max_shift": self.max_shift}


@keras.saving.register_keras_serializable(package=PACKAGE)
class SpecAugment(_SeededAugmentation):
    """SpecAugment-style masking: zero random time spans and feature bands.

    Park et al. (2019). Takes features ``(batch, frames, n_features)``.
    Each example gets ``time_masks`` spans of up to
    ``time_width`` frames and ``freq_masks`` bands of up to ``freq_width``
    features set to zero (the mean of standardised features).

    Parameters
    ----------
    time_masks, freq_masks : int >= 0
        Number of masks along time and along features.
    time_width, freq_width : int >= 1
        Largest width of one mask.
    **kwargs
        ``seed`` (int or None, default=None: the seed of the layer's random
        generator) and the arguments of ``keras.layers.Layer`` (``name``,
        ``dtype``, ...).
    """

    def __init__(
        self, time_masks: int = 2, time_width: int = 8, freq_masks: int = 2, freq_width: int = 4, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.time_masks = check_int(time_masks, "time_masks", minimum=0)
        self.time_width = check_int(time_width, "time_width")
        self.freq_masks = check_int(freq_masks, "freq_masks", minimum=0)
        self.freq_width = check_int(freq_width, "freq_width")

    def _mask(self, batch, length, n_masks, max_width, dtype):
        """(batch, length) multiplicative mask with n_masks random zero spans."""
        positions = ops.reshape(ops.arange(length), (1, 1, -1))
        width = keras.random.randint((batch, n_masks, 1), 0, max_width + 1, seed=self.seed_generator)
        start = ops.cast(
            keras.random.uniform((batch, n_masks, 1), seed=self.seed_generator)
            * ops.cast(ops.maximum(length - width, 1), "float32"),
            "int32",
        )
        inside = ops.logical_and(positions >= start, positions < start + width)
        return 1.0 - ops.cast(ops.any(inside, axis=1), dtype)

    def call(self, inputs: Any, training: bool = False) -> Any:
        if not training:
            return inputs
        batch = ops.shape(inputs)[0]
        out = inputs
        if self.time_masks > 0:
            out = out * ops.expand_dims(
                self._mask(batch, ops.shape(inputs)[1], self.time_masks, self.time_width, inputs.dtype), -1
            )
        if self.freq_masks > 0:
            out = out * ops.expand_dims(
                self._mask(batch, ops.shape(inputs)[-1], self.freq_masks, self.freq_width, inputs.dtype), 1
            )
        return out

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "time_masks": self.time_masks,
            "time_width": self.time_width,
            "freq_masks": self.freq_masks,
            "freq_width": self.freq_width,
        }


@keras.saving.register_keras_serializable(package=PACKAGE)
class Cepstrum(layers.Layer):
    """Log-mel frames to cepstral coefficients, normalised per example.

    An orthonormal DCT-II over the feature axis keeps the first
    ``n_coefficients`` (MFCCs from log-mel input, as librosa computes them),
    then each example is standardised over its own frames (CMVN). Placed
    after the augmentation layers, it lets mel-domain augmentation (a band
    shift imitates another vocal tract length) feed a cepstral network.

    Parameters
    ----------
    n_coefficients : int > 0
        Coefficients kept.
    normalize : bool, default=True
        Per-example cepstral mean and variance normalisation.
    **kwargs
        Arguments of ``keras.layers.Layer`` (``name``, ``dtype``, ...).
    """

    def __init__(self, n_coefficients: int = 20, normalize: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.n_coefficients = check_int(n_coefficients, "n_coefficients")
        self.normalize = bool(normalize)

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        import numpy as np
        import scipy.fft

        n_in = int(input_shape[-1])
        if self.n_coefficients > n_in:
            raise ValueError(f"Cepstrum: n_coefficients={self.n_coefficients} > {n_in} input features.")
        basis = scipy.fft.dct(np.eye(n_in), type=2, norm="ortho", axis=0)[: self.n_coefficients].T
        self.basis = self.add_weight(
            shape=(n_in, self.n_coefficients),
            initializer=keras.initializers.Constant(basis),
            trainable=False,
            name="dct_basis",
        )

    def call(self, inputs: Any) -> Any:
        out = ops.matmul(inputs, self.basis)
        if self.normalize:
            mean = ops.mean(out, axis=1, keepdims=True)
            std = ops.std(out, axis=1, keepdims=True)
            out = (out - mean) / ops.maximum(std, 1e-6)
        return out

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return tuple(input_shape[:-1]) + (self.n_coefficients,)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "n_coefficients": self.n_coefficients, "normalize": self.normalize}


@keras.saving.register_keras_serializable(package=PACKAGE)
class SqueezeChannels(layers.Layer):
    """Drop a trailing channel axis of size 1: ``(n, t, 1) -> (n, t)``.

    Parameters
    ----------
    *args, **kwargs
        Arguments of ``keras.layers.Layer`` (``name``, ``dtype``, ...).
    """

    def call(self, inputs: Any) -> Any:
        return ops.squeeze(inputs, axis=-1)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return tuple(input_shape[:-1])


@keras.saving.register_keras_serializable(package=PACKAGE)
class TemporalPooling(layers.Layer):
    """Pool frame-level label probabilities into clip-level probabilities.

    Lets a frame-level detector learn from clip labels alone (weak labels).

    Parameters
    ----------
    mode : {"max", "mean", "linear_softmax", "attention"}
        ``max``: the most confident frame; ``mean``: the average;
        ``linear_softmax``: ``sum(p**2) / sum(p)``, each frame weighted by
        its own probability (Wang, Li and Metze, ICASSP 2019);
        ``attention``: a softmax over time of learned per-label scores,
        given as a second input ``(batch, frames, labels)``.
    **kwargs
        Arguments of ``keras.layers.Layer`` (``name``, ``dtype``, ...).

    Examples
    --------
    >>> import numpy as np
    >>> from skaudio.networks import TemporalPooling
    >>> p = np.array([[[0.1], [0.9], [0.5]]], dtype="float32")
    >>> np.asarray(TemporalPooling("linear_softmax")(p)).round(3)
    array([[0.713]], dtype=float32)
    """

    MODES = ("max", "mean", "linear_softmax", "attention")

    def __init__(self, mode: Literal["max", "mean", "linear_softmax", "attention"] = "max", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if mode not in self.MODES:
            raise ValueError(f"temporal pooling mode must be one of {self.MODES}, got {mode!r}.")
        self.mode = mode

    def call(self, frame_probabilities: Any, attention_scores: Any = None) -> Any:
        p = frame_probabilities
        if self.mode == "max":
            return ops.max(p, axis=1)
        if self.mode == "mean":
            return ops.mean(p, axis=1)
        if self.mode == "linear_softmax":
            return ops.sum(p * p, axis=1) / ops.maximum(ops.sum(p, axis=1), keras.config.epsilon())
        if attention_scores is None:
            raise ValueError("attention pooling needs the attention scores as its second input.")
        weights = ops.softmax(attention_scores, axis=1)
        return ops.sum(weights * p, axis=1)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return (input_shape[0], input_shape[2])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mode": self.mode}


def augmentation_seed(seed: int | None, k: int) -> int | None:
    """The seed of the ``k``-th augmentation layer of a network seeded with ``seed`` (None stays None).

    Each layer gets its own stream, so adding or removing one layer leaves
    the others' random draws unchanged.

    Parameters
    ----------
    seed : int or None
        The network's seed; None leaves every layer unseeded.
    k : int
        The layer's number: 1-6 are those of :func:`augmentation_layers`
        (gain, time shift, feature shift, SpecAugment, noise, time
        stretch); estimators number their own streams from 7
        (:class:`~skaudio.models.CNN1DClassifier`: speed 7, noise 8,
        background mixing 9, mixup's batches 10).

    Returns
    -------
    seed : int or None
        The layer's seed.

    Examples
    --------
    >>> from skaudio.networks import augmentation_seed
    >>> augmentation_seed(0, 1), augmentation_seed(0, 2), augmentation_seed(None, 1)
    (1, 2, None)
    """
    return None if seed is None else int(seed) * 7919 + k


def augmentation_layers(
    *,
    time_shift: float = 0.0,
    time_stretch: float = 0.0,
    gain_db: float = 0.0,
    noise_std: float = 0.0,
    feature_shift: int = 0,
    spec_augment: dict[str, int] | None = None,
    seed: int | None = None,
) -> list[layers.Layer]:
    """The augmentation layers a configuration asks for, in application order.

    Parameters
    ----------
    time_shift : float, default=0.0
        ``RandomTimeShift`` fraction (0 = off).
    time_stretch : float, default=0.0
        ``RandomTimeStretch`` largest relative change of duration (0 = off).
    gain_db : float, default=0.0
        ``RandomGain`` range in dB (0 = off).
    noise_std : float, default=0.0
        ``keras.layers.GaussianNoise`` standard deviation (0 = off).
    feature_shift : int, default=0
        ``RandomFeatureShift`` bins (0 = off).
    spec_augment : dict or None, default=None
        Keyword arguments of ``SpecAugment`` (None = off).
    seed : int or None
        Base seed; each layer gets its own derived seed.

    Returns
    -------
    layers : list of keras.layers.Layer
    """

    out = []
    if gain_db:
        out.append(RandomGain(gain_db, seed=augmentation_seed(seed, 1), name="augment_gain"))
    if time_stretch:
        out.append(RandomTimeStretch(time_stretch, seed=augmentation_seed(seed, 6), name="augment_time_stretch"))
    if time_shift:
        out.append(RandomTimeShift(time_shift, seed=augmentation_seed(seed, 2), name="augment_time_shift"))
    if feature_shift:
        out.append(RandomFeatureShift(feature_shift, seed=augmentation_seed(seed, 3), name="augment_feature_shift"))
    if spec_augment:
        out.append(SpecAugment(**spec_augment, seed=augmentation_seed(seed, 4), name="augment_spec"))
    if noise_std:
        out.append(layers.GaussianNoise(noise_std, seed=augmentation_seed(seed, 5), name="augment_noise"))
    return out
