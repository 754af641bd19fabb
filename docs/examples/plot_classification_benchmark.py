"""
Spoken words and environmental sounds: where the classifier errs
=================================================================

:func:`skaudio.pipelines.make_classifier_pipeline` is measured by
``benchmarks/bench_classify.py`` on real recordings, each split by what a
user's own data would not share with training:

- spoken digits (the Free Spoken Digit Dataset, 8 kHz), each of the five
  speakers left out in turn;
- environmental sounds (ESC-10 folds 1-4, loaded at 16 kHz), each fold
  left out in turn: clips cut from one source recording share a fold.

Every clip is predicted once, by the networks that did not train on it. The
confusion matrices below are those predictions, read from the committed
results (``benchmarks/results/classify.json``); training them takes more
than an hour and a half on two cores (that file's fits of the four models
on the two corpora add up to 96 minutes), so this example only draws them.
To measure them again, with the data in ``$SKAUDIO_FSDD`` and
``$SKAUDIO_ESC10``::

    python benchmarks/bench_classify.py --corpora fsdd esc10
"""

# %%
# The measured predictions
# ------------------------
# Each corpus holds the figures of the factory's default (an MFCC network
# and a log-mel network, their probabilities averaged, as ``recommended``),
# of each of the two networks alone (``features="mfcc"`` as ``mfcc``,
# ``features="log-mel"`` as ``log_mel``) and of a random forest on MFCC
# statistics (40 MFCCs' means and standard deviations over frames),
# trained and tested on the same folds.

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import ConfusionMatrixDisplay

import skaudio

# in a source checkout of skaudio (pip install -e .), beside the package
repository = Path(skaudio.__file__).resolve().parents[1]
results = json.loads((repository / "benchmarks" / "results" / "classify.json").read_text())
for corpus in ("fsdd", "esc10"):
    for model in ("recommended", "mfcc", "log_mel", "baseline"):
        entry = results[corpus][model]
        folds = ", ".join(f"{run['fold']} {run['accuracy']:.2f}" for run in entry["runs"])
        print(f"{corpus:6s} {model:12s} mean accuracy {entry['mean_accuracy']:.3f}  (held out: {folds})")

# %%
# Confusion matrices
# ------------------
# The default on both corpora, the same recipe for both kinds of sound. Rows
# are the true classes, columns the predicted ones; each row sums to the
# class's clips. Among the digits, more than a third of the errors are one
# word: "six", whose voiceless fricatives and short vowel an unseen voice
# can make sound like "eight" or "seven" (the random forest's figures,
# printed above, are far lower on every unseen speaker). Among the
# environmental sounds, most errors fall between textures (rain, sea waves,
# helicopter, chainsaw: broadband noise that changes slowly) rather than
# between the short events.

fig, axes = plt.subplots(1, 2, figsize=(13, 6), layout="constrained")
for ax, corpus, title in zip(
    axes, ("fsdd", "esc10"), ("spoken digits, speaker left out", "ESC-10, fold left out"), strict=True
):
    confusion = results[corpus]["recommended"]["confusion"]
    labels = [label.split(" - ")[-1] for label in confusion["labels"]]  # "001 - Dog bark" -> "Dog bark"
    matrix = np.asarray(confusion["matrix"])
    ConfusionMatrixDisplay(matrix, display_labels=labels).plot(ax=ax, colorbar=False, xticks_rotation=60)
    ax.set_title(f"{title}: accuracy {np.trace(matrix) / matrix.sum():.3f}")
plt.show()
