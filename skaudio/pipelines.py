"""Recommended end-to-end pipelines, one factory per task.

Each factory returns an ordinary :class:`sklearn.pipeline.Pipeline` whose
configuration is the best one ``benchmarks/`` measured (see the docstring of
each factory for the figures and the benchmark that produced them), so what a
user gets is what was measured.
"""

from sklearn.pipeline import Pipeline

from skaudio.preprocessing import FeatureScaler, FixedLength, Spectrogram


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
    2. ``Spectrogram(kind="mel", n_mels=40)``: log-mel energies, 32 ms
       windows, 10 ms hop, top_db=80 per clip.
    3. ``FeatureScaler(per_clip=True)``: each clip standardised over its own
       frames, which removes recording level and channel colouring.
    4. ``CNN1DClassifier``: four "same"-padded convolution blocks with batch
       normalisation, global average pooling and dropout, trained with
       augmentation that imitates unseen speakers and recordings: random time
       shift, random mel-band shift (vocal tract length) and SpecAugment
       masks.

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
    pipeline : sklearn.pipeline.Pipeline
        Steps ``fixedlength``, ``spectrogram``, ``featurescaler``,
        ``cnn1dclassifier``; tune them by name, e.g.
        ``{"cnn1dclassifier__kernel_size": [3, 5]}``.

    Notes
    -----
    Measured by ``benchmarks/bench_fsdd.py`` on the Free Spoken Digit
    Dataset (see ``benchmarks/results/fsdd.json``).

    Examples
    --------
    >>> from skaudio.pipelines import make_classifier_pipeline
    >>> pipe = make_classifier_pipeline(sr=8000, random_state=0)
    >>> [name for name, _ in pipe.steps]
    ['fixedlength', 'spectrogram', 'featurescaler', 'cnn1dclassifier']
    """
    from skaudio.models import CNN1DClassifier

    n_fft, hop_length = _frame_settings(sr)
    return Pipeline(
        [
            ("fixedlength", FixedLength(duration=duration, sr=sr, align="center")),
            ("spectrogram", Spectrogram(sr=sr, kind="mel", n_fft=n_fft, hop_length=hop_length, n_mels=40)),
            ("featurescaler", FeatureScaler(per_clip=True)),
            (
                "cnn1dclassifier",
                CNN1DClassifier(
                    filters=(64, 64, 128, 128),
                    kernel_size=3,
                    pool_size=(2, 2, 2, 1),
                    padding="same",
                    batch_norm=True,
                    global_pooling="avg",
                    dense_units=None,
                    dropout=0.2,
                    time_shift=0.1,
                    feature_shift=2,
                    time_masks=2,
                    time_mask_width=10,
                    freq_masks=2,
                    freq_mask_width=5,
                    epochs=30,
                    batch_size=32,
                    random_state=random_state,
                    verbose=verbose,
                ),
            ),
        ]
    )
