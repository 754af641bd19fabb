"""Recommended end-to-end pipelines, one factory per task, and the Pipeline they build on.

Each factory returns an :class:`AudioPipeline` (a scikit-learn ``Pipeline``
that keeps linked settings consistent) whose configuration is the best one
``benchmarks/`` measured, so what a user gets is what was measured. What each factory
holds is in its docstring; what was tried, on which benchmark, and what it
gave is in the design notes (``docs/design_notes.rst``).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sklearn import get_config
from sklearn.base import BaseEstimator
from sklearn.pipeline import Pipeline, make_pipeline

from skaudio.preprocessing import MFCC, FeatureScaler, Spectrogram
from skaudio.utils import check_sample_rate, is_number

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "AudioPipeline",
    "classifier_batch_size",
    "frame_settings",
    "make_classifier_pipeline",
    "make_denoiser_pipeline",
    "make_event_detector_pipeline",
]


class AudioPipeline(Pipeline):
    """A scikit-learn Pipeline whose steps' linked audio settings cannot go stale.

    Two settings live in several steps of an audio pipeline:

    - the sample rate: every step with an ``sr`` parameter (``AudioLoader``,
      ``FixedLength``, the feature steps, also nested in a classifier's
      ``front_end``) must agree, or ``fit`` (and ``fit_transform``,
      ``fit_predict``) raises an error naming them;
    - the seconds between feature frames: ``fit`` derives it from the last
      feature step (``hop_length / sr``; a nested feature ``Pipeline`` is
      looked into) and passes it to a final estimator
      whose ``fit`` takes ``frame_duration`` (:class:`~skaudio.models.CRNNEventDetector`),
      so event times stay right after ``set_params(spectrogram__hop_length=...)``
      or in a grid search over it.

    Everything else is :class:`sklearn.pipeline.Pipeline`: slicing, caching
    with ``memory``, ``GridSearchCV``, ``joblib``. (With metadata routing
    enabled, scikit-learn routes fit parameters itself: the frame duration is
    not passed, so set the detector's ``frame_duration``.)

    Parameters
    ----------
    steps : list of (str, estimator)
        As in :class:`sklearn.pipeline.Pipeline`.
    transform_input : list of str or None, default=None
        As in :class:`sklearn.pipeline.Pipeline`.
    memory : str, joblib.Memory or None, default=None
        As in :class:`sklearn.pipeline.Pipeline`.
    verbose : bool, default=False
        As in :class:`sklearn.pipeline.Pipeline`.

    See Also
    --------
    sklearn.pipeline.Pipeline : what it extends.

    Examples
    --------
    >>> from skaudio.pipelines import AudioPipeline
    >>> from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength
    >>> pipe = AudioPipeline([
    ...     ("fixedlength", FixedLength(duration=1.0, sr=8000)),
    ...     ("mfcc", MFCC(sr=16000, n_fft=256, hop_length=160)),
    ...     ("featurescaler", FeatureScaler()),
    ... ])
    >>> pipe.fit([[0.0] * 8000])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: The steps of this pipeline disagree on the sample rate (fixedlength__sr=8000, mfcc__sr=16000): ...
    >>> pipe.set_params(mfcc__sr=8000, mfcc__hop_length=80).frame_duration
    0.01
    """

    def fit(self, X: Iterable[Any], y: Iterable[Any] | None = None, **params: Any) -> Self:
        """Check the linked settings, then fit every step as ``Pipeline.fit`` does.

        Parameters
        ----------
        X : iterable
            Training data for the first step.
        y : iterable, default=None
            Training targets.
        **params : dict
            Fit parameters of the steps (``<step>__<parameter>``).

        Returns
        -------
        self : AudioPipeline
        """
        last_name, last = self.steps[-1]  # the sample rates are checked by _fit, before any step is fitted
        frame_duration = self.frame_duration if len(self.steps) > 1 else None
        takes_frame_duration = (
            last not in (None, "passthrough") and "frame_duration" in inspect.signature(last.fit).parameters
        )
        if frame_duration is not None and takes_frame_duration and not get_config()["enable_metadata_routing"]:
            params = {f"{last_name}__frame_duration": frame_duration, **params}
        return super().fit(X, y, **params)

    def _fit(self, *args, **kwargs):
        # fit, and Pipeline's fit_transform and fit_predict (which do not call fit), fit the steps here
        self._check_sample_rates()
        return super()._fit(*args, **kwargs)

    @property
    def frame_duration(self) -> float | None:
        """Seconds between the frames the last feature step gives the final step (None if unknown)."""
        return _frame_duration(self.steps[:-1])

    def _check_sample_rates(self):
        params = self.get_params(deep=True)
        # front ends inside a classifier's member_params, which get_params does not reach (the classifier
        # may be a step, or nested deeper: in a feature pipeline, a meta-estimator)
        for key, value in list(params.items()):
            front_ends = getattr(value, "_front_ends", None) if isinstance(value, BaseEstimator) else None
            for where, front_end in (front_ends() if callable(front_ends) else {}).items():
                if where != "front_end" and hasattr(front_end, "get_params"):
                    nested = front_end.get_params().items()
                    params.update({f"{key}__{where}__{name}": setting for name, setting in nested})
        rates = {key: value for key, value in params.items() if key.rsplit("__", 1)[-1] == "sr" and value is not None}
        if len(set(rates.values())) > 1:
            given = ", ".join(f"{key}={value!r}" for key, value in rates.items())
            raise ValueError(
                f"The steps of this pipeline disagree on the sample rate ({given}): give every step the same sr."
            )


def _frame_duration(steps):
    """Seconds between the frames of the last of ``steps`` that tells them, looking into nested Pipelines."""
    for _, step in reversed(steps):
        duration = getattr(step, "frame_duration", None)
        if duration is None and isinstance(step, Pipeline):  # a feature pipeline as one step: all its steps count
            duration = _frame_duration(step.steps)
        if duration is not None:
            return duration
    return None


def frame_settings(sr: int) -> tuple[int, int]:
    """The analysis frame the factories use at a sample rate: 32 ms windows, a 10 ms hop.

    Parameters
    ----------
    sr : int
        Sample rate in Hz.

    Returns
    -------
    n_fft : int
        Samples per analysis window: 32 ms rounded up to a power of two.
    hop_length : int
        Samples between frames: 10 ms (at least 1).

    Examples
    --------
    >>> from skaudio.pipelines import frame_settings
    >>> frame_settings(8000), frame_settings(16000), frame_settings(44100)
    ((256, 80), (512, 160), (2048, 441))
    """
    sr = check_sample_rate(sr)
    n_fft = 1 << int(round(0.032 * sr) - 1).bit_length()
    return n_fft, max(1, sr // 100)


#: The front ends ``make_classifier_pipeline(features=...)`` offers.
CLASSIFIER_FEATURES = ("mfcc", "log-mel", "mfcc+log-mel")


def _classifier_network(kind: str, sr: int) -> dict[str, Any]:
    """The ``CNN1DClassifier`` parameters that differ between the "mfcc" and the "log-mel" network at ``sr``."""
    n_fft, hop_length = frame_settings(sr)
    if kind == "mfcc":
        spectral = MFCC(sr=sr, n_mfcc=13, n_fft=n_fft, hop_length=hop_length, n_mels=40)
        # another word behind a word cost 0.04 on unseen speakers (design notes): no background mixing
        network = {"conv2d_filters": None, "frequency_pooling": "flatten", "freq_mask_width": 2, "mix_snr_db": None}
    else:
        spectral = Spectrogram(sr=sr, kind="mel", n_fft=n_fft, hop_length=hop_length, n_mels=40)
        network = {
            "conv2d_filters": (16, 32),
            "frequency_pooling": "max",
            "freq_mask_width": 5,
            "mix_snr_db": (6.0, 20.0),
        }
    return {"front_end": make_pipeline(spectral, FeatureScaler(per_clip=False)), **network, "mix_probability": 0.5}


def _check_duration(duration):
    if not (is_number(duration) and 0 < duration < math.inf):
        raise ValueError(f"duration must be a finite number of seconds > 0, got {duration!r}.")


def _check_window_frames(duration, window, sr, pool_size):
    """Refuse a ``duration`` whose window holds too few frames for the network's time pooling, naming it."""
    _, hop_length = frame_settings(sr)
    frames = 1 + window // hop_length  # centred frames, as the front ends compute them
    needed = math.prod(pool_size)  # each pooling divides the frames; every pooling needs at least its size
    if frames < needed:
        raise ValueError(
            f"duration={duration!r} s is too short for the classifier: its window of {window} samples holds "
            f"{frames} frames (a {1000 * hop_length / sr:g} ms hop) and its convolution blocks pool time "
            f"{needed}-fold, so they need {needed}: give duration >= {(needed - 1) * hop_length / sr:g} s."
        )


def classifier_batch_size(duration: float) -> int:
    """Windows per training batch of :func:`make_classifier_pipeline` for windows of ``duration`` seconds.

    32 windows of up to one second; for longer windows, about 32 seconds of
    audio a batch, and at least 8 windows, so that a few hundred clips of a
    few seconds, each one window, still make enough training steps. Read
    more in the :ref:`design notes <design_notes_classifier>`.

    Parameters
    ----------
    duration : float > 0
        The window in seconds.

    Returns
    -------
    batch_size : int

    Raises
    ------
    ValueError
        ``duration`` is not a finite number of seconds > 0.

    Examples
    --------
    >>> [classifier_batch_size(d) for d in (0.5, 1.0, 2.0, 3.0, 5.0, 10.0)]
    [32, 32, 16, 11, 8, 8]
    """
    _check_duration(duration)
    return 32 if duration <= 1 else max(8, round(32 / duration))


def make_classifier_pipeline(
    *,
    sr: int,
    duration: float = 1.0,
    features: str = "mfcc+log-mel",
    random_state: int | None = None,
    verbose: int = 0,
) -> AudioPipeline:
    """The recommended clip classification pipeline, from waveforms of any length to labels.

    One step, ``CNN1DClassifier``, on the raw waveforms (a list of clips of
    any lengths, or an array), with the features computed inside the network
    (``front_end``) so that training can perturb the waveform itself:

    - ``window``: ``duration`` seconds. Training takes every clip's windows
      end to end (a shorter clip centred in zero padding), each clip
      weighing as much as any other; a clip's prediction pools the class
      probabilities of its windows at half-window steps, so nothing is
      cropped away, and a long recording costs memory for one batch of
      windows only.
    - ``window_pooling="confidence"``: the windows' probabilities are
      averaged, each weighted by how sure it is (one minus its entropy
      over that of a uniform guess), so that the background around a short
      sound in a long recording does not outvote it.
    - ``window_top_db=30``: windows more than 30 dB below their clip's
      loudest window (silent padding, pauses) are neither trained on nor
      averaged.
    - ``speed_perturbation=0.1``: each training window is resampled by a
      random factor in [0.9, 1.1] at every epoch (duration, pitch and
      formants change together, as between speakers).
    - ``noise_snr_db=(10, 40)`` with ``noise_probability=0.5``: half of the
      training windows, drawn anew at every epoch, get white noise 10 to
      40 dB below their own level; the other half stay clean.
    - two networks, their class probabilities averaged
      (``features="mfcc+log-mel"``, ``member_params``): they see the
      windows through two front ends and err on different clips.

      - ``front_end``: ``MFCC(n_mfcc=13, n_mels=40)`` with 32 ms frames and
        a 10 ms hop, then ``FeatureScaler(per_clip=False)``: each
        coefficient standardised with the training windows' mean and
        standard deviation (computed once at fit), which keeps each
        window's average spectrum; SpecAugment masks up to 2 coefficients
        wide. This network alone is ``features="mfcc"``.
      - ``member_params[1]``: a 40-band log-mel spectrogram, standardised
        per band the same way, into two 2D convolution blocks (16 and 32
        filters, ``conv2d_filters``) whose kernels are shared across
        bands, each filter then keeping its strongest response over the
        bands (``frequency_pooling="max"``), so the blocks below learn a
        pattern's course in time (a tremolo, a rhythm) once for every band;
        SpecAugment band masks up to 5 bands wide. Half of its
        training windows, drawn anew at every epoch, get another window
        of the batch mixed in 6 to 20 dB below them (``mix_snr_db=(6,
        20)``, ``mix_probability=0.5``), a real sound as background. This
        network alone is ``features="log-mel"``.

      Both networks share everything below.
    - four "same"-padded convolution blocks (64, 64, 128, 128 filters)
      with batch normalisation, global average pooling and dropout 0.2,
      trained with random time shifts and SpecAugment masks for 30 epochs
      or 1,500 steps, whichever is more (``min_steps=1500``: fewer than
      about 1,600 training windows get more epochs, 167 for 270 clips;
      ``cnn1dclassifier__min_steps=None`` trains exactly ``epochs``), in
      batches of 32 windows, or of about 32 s of audio for windows
      longer than a second (:func:`classifier_batch_size`: 8 five-second
      windows). Each network ends on the exponential moving average of
      its weights over about its last 100 training steps (a tenth of them
      when it trains fewer than 1,000: ``average_weights=True``); then the
      batch normalisation statistics are recomputed on the unaugmented
      training windows under those weights (``recalibrate_batch_norm=True``).
    - one network of each front end (``n_networks=1``);
      ``cnn1dclassifier__n_networks=5`` trains five of each from different
      seeds, steadier on unseen speakers, for five times the training time.

    Read more in the :ref:`design notes <design_notes_classifier>`.

    Parameters
    ----------
    sr : int
        Sample rate of the input waveforms.
    duration : float, default=1.0
        Window in seconds: about the length of one sound of interest (a
        word, a bark), not of the clips, which may be of any length and are
        classified by their windows (windows as long as the clips: see the
        design notes). At least 8 frames of the 10 ms hop (about 0.07 s),
        which the convolution blocks pool 8-fold in time.
    features : {"mfcc", "log-mel", "mfcc+log-mel"}, default="mfcc+log-mel"
        The front end. "mfcc" suits spoken words: thirteen cepstral
        coefficients keep what is said and drop who says it. "log-mel"
        suits environmental sounds, tones and music: 2D kernels find a
        pattern (a rumble, a harmonic stack, a narrow band of noise, a
        tremolo) in any band, and keep the fine spectral detail that tells
        such sounds apart but also tells speakers apart. "mfcc+log-mel" trains one
        network of each and averages their class probabilities
        (``member_params``), for 1.1 to 6 times the "mfcc" network's training
        time, by processor (the log-mel network's 2D blocks). Each is measured
        on both kinds of sound in the design notes.
    random_state : int or None, default=None
        Seed of the network's weights, shuffling and augmentation.
    verbose : int, default=0
        Keras progress output during fit.

    Returns
    -------
    pipeline : AudioPipeline
        One step, ``cnn1dclassifier``; tune it by name,
        e.g. ``{"cnn1dclassifier__kernel_size": [3, 5],
        "cnn1dclassifier__front_end__mfcc__n_mfcc": [13, 20]}``. A name
        reaches both networks, except ``front_end``, ``conv2d_filters``,
        ``frequency_pooling``, ``freq_mask_width``, ``mix_snr_db`` and
        ``mix_probability``, which reach the MFCC network only: the
        log-mel network's are in
        ``cnn1dclassifier__member_params``: tune one of them by name, e.g.
        ``{"cnn1dclassifier__member_params__1__conv2d_filters": [(16, 32),
        (32, 64)]}`` (see :meth:`CNN1DClassifier.set_params
        <skaudio.models.CNN1DClassifier.set_params>`).

    Notes
    -----
    Measured by ``benchmarks/bench_classify.py`` on spoken digits (FSDD,
    speaker left out), environmental recordings (ESC-10, fold left out)
    and synthetic sounds, beside an MFCC-statistics random forest; figures
    in ``benchmarks/results/classify.json``.

    Examples
    --------
    >>> from skaudio.pipelines import make_classifier_pipeline
    >>> pipe = make_classifier_pipeline(sr=8000, random_state=0)
    >>> [name for name, _ in pipe.steps]
    ['cnn1dclassifier']
    >>> pipe.get_params()["cnn1dclassifier__window"]  # one second at 8 kHz
    8000
    >>> pipe.get_params()["cnn1dclassifier__front_end__mfcc__n_mfcc"]
    13
    >>> pipe.get_params()["cnn1dclassifier__min_steps"]  # small training sets train for more epochs
    1500
    >>> pipe.get_params()["cnn1dclassifier__window_pooling"]  # windows weighed by their confidence
    'confidence'
    >>> pipe.get_params()["cnn1dclassifier__average_weights"]  # ends on the weights' moving average
    True
    >>> pipe.get_params()["cnn1dclassifier__member_params"][1]["conv2d_filters"]  # the log-mel network
    (16, 32)
    >>> sounds = make_classifier_pipeline(sr=16000, duration=5.0, features="log-mel")
    >>> sounds.get_params()["cnn1dclassifier__conv2d_filters"]
    (16, 32)
    >>> sounds.get_params()["cnn1dclassifier__frequency_pooling"]
    'max'
    """
    from skaudio.models import CNN1DClassifier

    _check_duration(duration)
    if features not in CLASSIFIER_FEATURES:
        raise ValueError(f"features must be one of {', '.join(map(repr, CLASSIFIER_FEATURES))}, got {features!r}.")
    kinds = features.split("+")
    network = _classifier_network(kinds[0], sr)
    member_params = None if len(kinds) == 1 else ({}, *(_classifier_network(kind, sr) for kind in kinds[1:]))
    window, pool_size = max(1, round(duration * sr)), (2, 2, 2, 1)
    _check_window_frames(duration, window, sr, pool_size)
    return AudioPipeline(
        [
            (
                "cnn1dclassifier",
                CNN1DClassifier(
                    window=window,
                    window_top_db=30.0,
                    window_pooling="confidence",
                    recalibrate_batch_norm=True,
                    **network,
                    member_params=member_params,
                    speed_perturbation=0.1,
                    noise_snr_db=(10, 40),
                    noise_probability=0.5,
                    filters=(64, 64, 128, 128),
                    kernel_size=3,
                    pool_size=pool_size,
                    padding="same",
                    batch_norm=True,
                    global_pooling="avg",
                    dense_units=None,
                    dropout=0.2,
                    time_shift=0.1,
                    time_masks=2,
                    time_mask_width=10,
                    freq_masks=2,
                    n_networks=1,
                    epochs=30,
                    min_steps=1500,
                    batch_size=classifier_batch_size(duration),
                    average_weights=True,
                    random_state=random_state,
                    verbose=verbose,
                ),
            ),
        ]
    )


def make_denoiser_pipeline(*, sr: int, random_state: int | None = None, verbose: int = 0) -> AudioPipeline:
    """The recommended denoiser, a Pipeline from noisy waveforms to clean waveforms.

    One step, ``CNN1DDenoiser(domain="stft")``: an STFT of 32 ms rounded
    up to a power of two samples (:func:`frame_settings`: 32 ms at 8 and
    16 kHz, 46 ms at 22.05 and 44.1 kHz) with a hop of a quarter of it,
    two 2D convolutions over time and frequency (16 channels each, the
    second halving the frequency axis) whose maps are added, through a
    zero-initialised projection, to the projection of the log-magnitude;
    four residual dilated convolution blocks over frames (128 filters,
    dilations 1, 2, 4, 8: a context of about 0.25 s at 8 and 16 kHz); then
    a bidirectional LSTM (128 units each way) that carries context across
    the whole input, predicting a mask on the noisy spectrum; inverse STFT.
    Trained for 16 epochs on level-normalised clips with the negative SI-SDR
    loss, on the mixtures as given (``noise_scaling=0``). Inputs of any
    length are processed in chunks of about 8 s at 8 kHz, each with 1 s of
    context on either side, cross-faded where they overlap. With a few
    hundred training pairs, raise ``cnn1ddenoiser__epochs``.

    Read more in the :ref:`design notes <design_notes_denoiser>`.

    Parameters
    ----------
    sr : int
        Sample rate of the waveforms.
    random_state : int or None, default=None
        Seed of the network's weights, shuffling and training segments.
    verbose : int, default=0
        Keras progress output during fit.

    Returns
    -------
    pipeline : AudioPipeline
        One step named ``cnn1ddenoiser``.

    Notes
    -----
    Chosen and measured by ``benchmarks/bench_denoise.py`` (FSDD with white,
    pink and babble noise); figures in ``benchmarks/results/denoise.json``.

    Examples
    --------
    >>> from skaudio.pipelines import make_denoiser_pipeline
    >>> make_denoiser_pipeline(sr=16000)[-1].n_fft
    512
    """
    from skaudio.models import CNN1DDenoiser

    n_fft, _ = frame_settings(sr)
    return AudioPipeline(
        [
            (
                "cnn1ddenoiser",
                CNN1DDenoiser(
                    domain="stft",
                    n_fft=n_fft,
                    hop_length=n_fft // 4,
                    filters=128,
                    kernel_size=3,
                    n_layers=4,
                    dilation=(1, 2, 4, 8),
                    batch_norm=False,
                    lstm_units=128,
                    frequency_filters=(16, 16),
                    loss="si_sdr",
                    chunk_context=int(sr),
                    noise_scaling=0.0,
                    epochs=16,
                    batch_size=16,
                    learning_rate=0.001,
                    random_state=random_state,
                    verbose=verbose,
                ),
            )
        ]
    )


def make_event_detector_pipeline(*, sr: int, random_state: int | None = None, verbose: int = 0) -> AudioPipeline:
    """The recommended sound event detector, a Pipeline from scenes to events.

    Steps:

    1. ``Spectrogram(kind="mel", n_mels=40)``: log-mel, 32 ms windows, 10 ms hop.
    2. ``FeatureScaler(per_clip=True)``: each band standardised over the
       scene, which removes the background's level and colour.
    3. ``CRNNEventDetector``: frame-level, ``temporal_pooling="attention"``;
       the pipeline gives it the seconds between frames (the hop, 10 ms) at
       fit, so that ``predict_events`` reports times in seconds whatever the
       spectrogram's ``hop_length``. Post-processing: frames at or above
       ``threshold=0.5`` are active, a ``median_filter`` of 0.1 s smooths each
       label's activity (a blip shorter than about 50 ms disappears), and a
       label's events at most ``min_gap=0.25`` s apart are joined.

    Fit it on scenes with event annotations (strong labels, as
    :func:`skaudio.datasets.make_event_scenes` returns them) or with clip
    labels (weak labels). Get events with
    :func:`skaudio.models.predict_events` (``predict_events(pipe, X)``),
    which runs the feature steps and then the detector on each recording,
    in overlapping windows of the training scenes' length.

    To tune it on event annotations, give ``GridSearchCV`` an explicit
    ``cv=KFold(n_splits)`` (scikit-learn cannot stratify event lists and
    refuses them in its default classifier split) and
    ``scoring=skaudio.metrics.event_f1_scorer``.

    Parameters
    ----------
    sr : int
        Sample rate of the scenes.
    random_state : int or None, default=None
        Seed of the network's weights and shuffling.
    verbose : int, default=0
        Keras progress output during fit.

    Returns
    -------
    pipeline : AudioPipeline
        Steps ``spectrogram``, ``featurescaler``, ``crnneventdetector``.

    Notes
    -----
    Chosen and measured by ``benchmarks/bench_events.py`` (scenes of spoken
    digits over noise); figures in ``benchmarks/results/events.json``;
    measured on real recordings by ``benchmarks/bench_events_real.py``
    (``events_real.json``). The post-processing options are those of a
    grid (threshold, median filter, ``min_gap``) that raised event F1 on
    every held-out speaker of FSDD and every held-out fold of ESC-10
    (``events_speaker_out.json``, ``events_real.json``). Read more in the
    :ref:`design notes <design_notes_event_detector>`.

    Examples
    --------
    >>> from skaudio.pipelines import make_event_detector_pipeline
    >>> pipe = make_event_detector_pipeline(sr=8000)
    >>> pipe.frame_duration
    0.01
    """
    from skaudio.models import CRNNEventDetector

    n_fft, hop_length = frame_settings(sr)
    return AudioPipeline(
        [
            ("spectrogram", Spectrogram(sr=sr, kind="mel", n_fft=n_fft, hop_length=hop_length, n_mels=40)),
            ("featurescaler", FeatureScaler(per_clip=True)),
            (
                "crnneventdetector",
                CRNNEventDetector(
                    filters=(64, 64, 64),
                    kernel_size=3,
                    pool_size=(2, 2, 1),
                    padding="same",
                    batch_norm=True,
                    dropout=0.2,
                    lstm_units=64,
                    bidirectional=True,
                    temporal_pooling="attention",
                    threshold=0.5,
                    median_filter=0.1,
                    min_gap=0.25,
                    epochs=30,
                    batch_size=32,
                    random_state=random_state,
                    verbose=verbose,
                ),
            ),
        ]
    )
