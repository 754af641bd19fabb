"""
Classifying synthetic sounds
============================

A scikit-learn :class:`~sklearn.pipeline.Pipeline` from raw waveforms to
labels: :class:`~skaudio.preprocessing.FixedLength` centres every clip in a
1.5 s window, :class:`~skaudio.preprocessing.Spectrogram` computes log-mel
spectrograms, :class:`~skaudio.preprocessing.FeatureScaler` standardises
each mel band per clip and :class:`~skaudio.models.CNN1DClassifier` learns
the classes. The data come from :func:`skaudio.datasets.make_sounds`: six
classes of synthetic sounds (tones, chirps, noise bursts, click trains,
harmonic stacks and amplitude-modulated tones) of random length, pitch,
onset and level.
"""

# %%
# The data
# --------
# ``make_sounds`` returns a list of 1D float32 clips of different lengths
# (0.5 to 1.5 s) and their class names.

import matplotlib.pyplot as plt
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from skaudio.datasets import make_sounds
from skaudio.models import CNN1DClassifier
from skaudio.preprocessing import FeatureScaler, FixedLength, Spectrogram

SR = 8000
X, y = make_sounds(n_per_class=100, sr=SR, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
print(f"{len(X_train)} training clips, {len(X_test)} test clips, {min(map(len, X))}-{max(map(len, X))} samples long")

# %%
# The pipeline
# ------------
# Every step is an ordinary scikit-learn estimator, so the pipeline takes
# the ragged list of clips as it is. The network is small (three
# "same"-padded convolution blocks with batch normalisation, then global
# average pooling) and trains for 30 short epochs, so that this example
# runs in seconds on a CPU; ``random_state`` makes the fit repeatable.

pipe = make_pipeline(
    FixedLength(duration=1.5, sr=SR, align="center"),
    Spectrogram(sr=SR, kind="mel", n_fft=256, hop_length=80, n_mels=40),
    FeatureScaler(per_clip=True),
    CNN1DClassifier(
        filters=(32, 32, 64),
        padding="same",
        batch_norm=True,
        global_pooling="avg",
        dense_units=None,
        dropout=0.2,
        epochs=30,
        learning_rate=0.005,
        random_state=0,
    ),
)
pipe.fit(X_train, y_train)
print(f"test accuracy: {pipe.score(X_test, y_test):.3f}")

# %%
# The confusion matrix
# --------------------
# Rows are the true classes, columns the predicted ones. Most errors are
# between sounds that are alike: a tone and an amplitude-modulated tone
# (a slow, shallow modulation is hard to tell from a tone's own envelope),
# and a narrow-band noise burst, which sounds almost tonal, and a tone.

fig, ax = plt.subplots(figsize=(6, 5), layout="constrained")
ConfusionMatrixDisplay.from_estimator(pipe, X_test, y_test, ax=ax, colorbar=False, xticks_rotation=45)
ax.set_title("CNN1DClassifier on make_sounds (test split)")
plt.show()
