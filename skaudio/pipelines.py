"""Recommended end-to-end pipelines, one factory per task, and the Pipeline they build on.

Each factory returns an :class:`AudioPipeline` (a scikit-learn ``Pipeline``
that keeps linked settings consistent) whose configuration is the best one
``benchmarks/`` measured (see the docstring of each factory for the figures
and the benchmark that produced them), so what a user gets is what was
measured.
"""

import inspect

from sklearn import get_config
from sklearn.pipeline import Pipeline, make_pipeline

from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength, Spectrogram

__all__ = ["AudioPipeline", "make_classifier_pipeline", "make_denoiser_pipeline", "make_event_detector_pipeline"]


class AudioPipeline(Pipeline):
    """A scikit-learn Pipeline whose steps' linked audio settings cannot go stale.

    Two settings live in several steps of an audio pipeline:

    - the sample rate: every step with an ``sr`` parameter (``AudioLoader``,
      ``FixedLength``, the feature steps, also nested in a classifier's
      ``front_end``) must agree, or ``fit`` raises an error naming them;
    - the seconds between feature frames: ``fit`` derives it from the last
      feature step (``hop_length / sr``) and passes it to a final estimator
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
    >>> pipe.fit([[0.0] * 8000])
    Traceback (most recent call last):
    ...
    ValueError: The steps of this pipeline disagree on the sample rate (fixedlength__sr=8000, mfcc__sr=16000): give every step the same sr.
    >>> pipe.set_params(mfcc__sr=8000, mfcc__hop_length=80).frame_duration
    0.01
    """

    def fit(self, X, y=None, **params):
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
        self._check_sample_rates()
        last_name, last = self.steps[-1]
        frame_duration = self.frame_duration if len(self.steps) > 1 else None
        takes_frame_duration = (
            last not in (None, "passthrough") and "frame_duration" in inspect.signature(last.fit).parameters
        )
        if frame_duration is not None and takes_frame_duration and not get_config()["enable_metadata_routing"]:
            params = {f"{last_name}__frame_duration": frame_duration, **params}
        return super().fit(X, y, **params)

    @property
    def frame_duration(self):
        """Seconds between the frames the last feature step gives the final step (None if unknown)."""
        for _, step in reversed(self.steps[:-1]):
            duration = getattr(step, "frame_duration", None)
            if duration is not None:
                return duration
        return None

    def _check_sample_rates(self):
        rates = {
            key: value for key, value in self.get_params(deep=True).items()
            if key.rsplit("__", 1)[-1] == "sr" and value is not None
        }
        if len(set(rates.values())) > 1:
            given = ", ".join(f"{key}={value!r}" for key, value in rates.items())
            raise ValueError(
                f"The steps of this pipeline disagree on the sample rate ({given}): give every step the same sr."
            )


def _frame_settings(sr):
    """32 ms windows (rounded up to a power of two) and a 10 ms hop."""
    n_fft = 1 << int(round(0.032 * sr) - 1).bit_length()
    return n_fft, max(1, sr // 100)


def make_classifier_pipeline(*, sr, duration=1.0, random_state=None, verbose=0):
    """The recommended clip classification pipeline, from waveforms to labels.

    Steps:

    1. ``FixedLength(duration, align="center")``: every clip centred in a
       window of ``duration`` seconds, so a word sits in the same place
       whatever its length.
    2. ``CNN1DClassifier`` on the raw waveforms, with the features computed
       inside the network (``front_end``), so that training can perturb the
       waveform itself:

       - ``speed_perturbation=0.1``: each training clip is resampled by a
         random factor in [0.9, 1.1] at every epoch, which changes its
         duration, pitch and formants together, as between speakers. On
         unseen speakers this is the largest single gain measured
         (leave-one-speaker-out, seed 0: one network 0.896 with it, 0.852
         without; five networks 0.894 with it, 0.874 without).
       - ``noise_snr_db=(10, 40)`` with ``noise_probability=0.5``: half of
         the training clips, drawn anew at every epoch, get white noise 10
         to 40 dB below their own level; the other half stay clean.
         Recordings differ in their noise floor and in what fills the
         silence around a word. One network, leave-one-speaker-out, seeds
         0-3: 0.888 / 0.878 / 0.916 / 0.902 with it, 0.896 / 0.835 / 0.889
         / 0.824 without. Noise on every clip did less (0.870 / 0.874 /
         0.847 / 0.876): it cost accuracy on the cleanest recordings.
         Five networks: 0.912 and 0.916 for seeds 0 and 1, against 0.894
         and 0.903 without.
       - ``front_end=MFCC(n_mfcc=13, n_mels=40)`` with 32 ms windows and a
         10 ms hop, then ``FeatureScaler(per_clip=True)``. Thirteen cepstral
         coefficients keep the spectral envelope (what is said) and drop the
         harmonics (who says it); per-clip normalisation removes recording
         level and channel colouring. It also removes each clip's average
         spectrum: right for words across speakers, wrong for sound classes
         told apart by their average spectrum (tones, noises, engines): for
         those use ``cnn1dclassifier__front_end=MFCC(...)`` alone.
       - four "same"-padded convolution blocks (64, 64, 128, 128 filters)
         with batch normalisation, global average pooling and dropout 0.2,
         trained for 30 epochs with random time shifts and SpecAugment
         masks.
       - ``n_networks=5``: five such networks from different seeds, their
         probabilities averaged. On unseen speakers one network's accuracy
         depends on its seed by several points (0.888 to 0.916 over seeds
         0-3 above); five reach 0.912 and 0.916 for seeds 0 and 1, higher
         and steadier. It trains five times as long (about 170 s on 2,000
         one-second clips on two cores): set
         ``cnn1dclassifier__n_networks=1`` for speed. Measured before the
         training noise: for one network, ending on the moving average of
         its weights (``cnn1dclassifier__optimizer__use_ema=True``,
         ``optimizer__ema_momentum=0.99``) helped on unseen speakers
         (0.900 / 0.864 / 0.899 for seeds 0 / 1 / 2, against 0.883 / 0.835
         for seeds 0 / 1). It is off here: five averaged networks gained
         nothing from it (0.898 with and without, seeds 0 and 1), and on a
         short training (a few hundred steps, as in ``skaudio demo``) the
         average still holds early weights (demo accuracy 0.578 against
         0.667).

    Parameters
    ----------
    sr : int
        Sample rate of the input waveforms.
    duration : float, default=1.0
        Clip window in seconds.
    random_state : int or None, default=None
        Seed of the network's weights, shuffling and augmentation.
    verbose : int, default=0
        Keras progress output during fit.

    Returns
    -------
    pipeline : AudioPipeline
        Steps ``fixedlength`` and ``cnn1dclassifier``; tune them by name,
        e.g. ``{"cnn1dclassifier__kernel_size": [3, 5],
        "cnn1dclassifier__front_end__mfcc__n_mfcc": [13, 20]}``.

    Notes
    -----
    Chosen and measured by ``benchmarks/bench_fsdd.py`` on the Free Spoken
    Digit Dataset; figures in ``benchmarks/results/fsdd.json`` and the
    README.

    Examples
    --------
    >>> from skaudio.pipelines import make_classifier_pipeline
    >>> pipe = make_classifier_pipeline(sr=8000, random_state=0)
    >>> [name for name, _ in pipe.steps]
    ['fixedlength', 'cnn1dclassifier']
    >>> pipe.get_params()["cnn1dclassifier__front_end__mfcc__n_mfcc"]
    13
    """
    from skaudio.models import CNN1DClassifier

    n_fft, hop_length = _frame_settings(sr)
    front_end = make_pipeline(
        MFCC(sr=sr, n_mfcc=13, n_fft=n_fft, hop_length=hop_length, n_mels=40), FeatureScaler(per_clip=True)
    )
    return AudioPipeline(
        [
            ("fixedlength", FixedLength(duration=duration, sr=sr, align="center")),
            (
                "cnn1dclassifier",
                CNN1DClassifier(
                    front_end=front_end,
                    speed_perturbation=0.1,
                    noise_snr_db=(10, 40),
                    noise_probability=0.5,
                    filters=(64, 64, 128, 128),
                    kernel_size=3,
                    pool_size=(2, 2, 2, 1),
                    padding="same",
                    batch_norm=True,
                    global_pooling="avg",
                    dense_units=None,
                    dropout=0.2,
                    time_shift=0.1,
                    time_masks=2,
                    time_mask_width=10,
                    freq_masks=2,
                    freq_mask_width=2,
                    n_networks=5,
                    epochs=30,
                    batch_size=32,
                    random_state=random_state,
                    verbose=verbose,
                ),
            ),
        ]
    )


def make_denoiser_pipeline(*, sr, random_state=None, verbose=0):
    """The recommended denoiser, a Pipeline from noisy waveforms to clean waveforms.

    One step, ``CNN1DDenoiser(domain="stft")``: a 32 ms STFT (hop 8 ms),
    two 2D convolutions over time and frequency (16 channels each, the
    second halving the frequency axis) whose maps are added to the
    projection of the log-magnitude,
    four residual dilated convolution blocks over frames (128 filters,
    dilations 1, 2, 4, 8: a context of about 0.25 s), then a bidirectional LSTM
    (128 units each way) that carries context across the whole input, predicting
    a mask on the noisy spectrum, inverse STFT; trained on level-normalised
    clips with the negative SI-SDR loss, on the mixtures as given
    (``noise_scaling=0``, the configuration the benchmark measured). Inputs
    of any length are processed in chunks of about 8 s at 8 kHz, each with
    1 s of context on either side, cross-faded where they overlap.

    Why: the LSTM follows the loudest voice through others (+0.4 to +0.5 dB
    in babble for the same data). The 2D convolutions see the harmonic
    pattern of a voice across frequency; their maps enter through a
    zero-initialised projection, so training starts from the network
    without them. Against that network, with random_state 0 and 1, they
    gained +0.41 / +0.96 dB in babble at 0 dB, +0.37 / +0.51 at 5 dB and
    +0.18 / +0.10 at 10 dB, and -0.07 to +0.21 in white and pink noise, for
    40 to 60 % more training time. Fed in directly (no zero start) they
    gained as much in babble but trained worse on a few dozen synthetic
    tones (median gain 1.7 and 1.4 dB instead of 5.2 and 2.2); a third,
    dilated 2D layer did not help. A 64 ms window did as well on speech
    (and trains faster) but blurs transients and chirps: on short
    synthetic tones and chirps (48 clips, 20 epochs) it gained 0.7 dB where
    32 ms gained 2.6. Sixteen
    epochs over many varied mixtures (the benchmark draws four noisy
    versions of each clean clip, 9,000 pairs; new mixtures helped more
    than more passes over the same ones) gained 0.07 to 0.67 dB over eight,
    for twice the training time; thirty-two gained only 0.01 to 0.29 dB more
    (+0.09 at white 0 dB) for twice the time again, and a second
    bidirectional LSTM (``lstm_units=(128, 128)``, sixteen epochs, twice the
    time) lost 0.1 to 0.4 dB in white and pink noise and 0.5 to 0.8 in
    babble, so neither is the default. A mask refinement
    (``refinement_filters=16``) gained 0.32 to 0.46 dB in white and pink
    noise but lost up to 0.55 in babble with both seeds, taking babble at
    5 dB below its 3 dB target margin, so it is not the default either.
    Twice the 2D channels (``frequency_filters=(32, 32)``) moved babble at
    0 dB by +0.50 dB with random_state 0 and by -0.55 with 1, and the other
    conditions by -0.04 to +0.23, for 25 to 55 % more training time: no
    gain beyond the spread between seeds, so the default keeps 16.
    With a few hundred pairs, raise ``cnn1ddenoiser__epochs``.

    Parameters
    ----------
    sr : int
        Sample rate of the waveforms.
    random_state : int or None, default=None
    verbose : int, default=0

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

    n_fft, _ = _frame_settings(sr)
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


def make_event_detector_pipeline(*, sr, random_state=None, verbose=0):
    """The recommended sound event detector, a Pipeline from scenes to events.

    Steps:

    1. ``Spectrogram(kind="mel", n_mels=40)``: log-mel, 32 ms windows, 10 ms hop.
    2. ``FeatureScaler(per_clip=True)``: each band standardised over the
       scene, which removes the background's level and colour.
    3. ``CRNNEventDetector``: frame-level, ``temporal_pooling="attention"``;
       the pipeline gives it the seconds between frames (the hop, 10 ms) at
       fit, so that ``predict_events`` reports times in seconds whatever the
       spectrogram's ``hop_length``.

    Fit it on scenes with event annotations (strong labels, as
    :func:`skaudio.datasets.make_event_scenes` returns them) or with clip
    labels (weak labels). Get events with
    :func:`skaudio.metrics.predict_events` (``predict_events(pipe, X)``),
    which runs the feature steps and then the detector's ``predict_events``.

    To tune it on event annotations, give ``GridSearchCV`` an explicit
    ``cv=KFold(n_splits)`` (scikit-learn cannot stratify event lists and
    refuses them in its default classifier split) and
    ``scoring=skaudio.metrics.event_f1_scorer``.

    Parameters
    ----------
    sr : int
        Sample rate of the scenes.
    random_state : int or None, default=None
    verbose : int, default=0

    Returns
    -------
    pipeline : AudioPipeline
        Steps ``spectrogram``, ``featurescaler``, ``crnneventdetector``.

    Notes
    -----
    Measured by ``benchmarks/bench_events.py``: 4 s scenes of 1-3 FSDD
    digits over pink or white noise at 0-20 dB, 10 labels, 4,000 training
    scenes; event-based F1 0.919 and 0.927 (200 ms collar), segment-based
    F1 0.947 and 0.945 (1 s) over seeds 0 and 1, trained in about three
    minutes on two cores. A median filter of 0.1-0.2 s on the frame
    activity (``predict_events(..., median_filter=0.2)``) adds about 0.01.
    Attention pooling and strong labels were chosen over the article's
    clip-level network, which reaches a clip-level F1 of only 0.76-0.82 on
    the same scenes. Figures in ``benchmarks/results/events.json``.

    Examples
    --------
    >>> from skaudio.pipelines import make_event_detector_pipeline
    >>> pipe = make_event_detector_pipeline(sr=8000)
    >>> pipe.frame_duration
    0.01
    """
    from skaudio.models import CRNNEventDetector

    n_fft, hop_length = _frame_settings(sr)
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
                    epochs=30,
                    batch_size=32,
                    random_state=random_state,
                    verbose=verbose,
                ),
            ),
        ]
    )
