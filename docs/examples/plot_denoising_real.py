"""
Denoising speech in recorded noise: rain, sea, fire, a helicopter, a chainsaw
=============================================================================

Users record speech over rain, traffic and engines, not over white noise.
``benchmarks/bench_denoise_real.py`` measures
:func:`skaudio.pipelines.make_denoiser_pipeline` on noise and voices it has
never heard: each ESC-10 fold is left out in turn, its ambience recordings
(rain, sea waves, crackling fire, helicopter, chainsaw) are the test noise,
and one FSDD speaker is left out of training too. The denoiser trains on the
other speakers' clips mixed with white, pink, brown and babble noise and, in
half of the mixtures, the other folds' ambiences. noisereduce and the
pretrained RNNoise and DeepFilterNet3 denoise the same mixtures.

This example plots those figures (``benchmarks/results/denoise_real.json``),
then trains a smaller denoiser on one fold's split, as the benchmark does,
and shows what it does to the left-out speaker in each left-out ambience.
It reads FSDD (``$SKAUDIO_FSDD``) and ESC-10 (``$SKAUDIO_ESC10``). To hear
the same on your own noise recordings, ``skaudio demo --noise FOLDER``
writes WAV files of noisy, denoised and clean examples, tested on
recordings of the folder that training never used. To measure again::

    python benchmarks/bench_denoise_real.py
"""

# %%
# The benchmark: SI-SDR improvement on unseen noise and an unseen speaker
# -----------------------------------------------------------------------
# Mean over the four folds, at 0 and 5 dB SNR. On white and pink noise a
# clean mixture is easy for any method; on recorded ambiences and on babble
# (other voices) every method gains less.

import json
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import skaudio
from skaudio.datasets import make_noisy
from skaudio.io import FSDD_PATTERN, load_folder
from skaudio.metrics import si_sdr_improvement
from skaudio.pipelines import make_denoiser_pipeline
from skaudio.plotting import plot_spectrogram

# in a source checkout of skaudio (pip install -e .), beside the package
repository = Path(skaudio.__file__).resolve().parents[1]
sys.path.insert(0, str(repository / "benchmarks"))
from _common import (  # noqa: E402
    ESC10_AMBIENCES,
    TRAINING_NOISES,
    esc10_recordings_by_fold,
    fixed_clips,
    fsdd_recordings,
    training_pairs,
)
from bench_denoise_real import FOLD_SPEAKERS, SR  # noqa: E402

results = json.loads((repository / "benchmarks" / "results" / "denoise_real.json").read_text())
gains = results["si_sdr_improvement_db"]
names = {
    "with_real": "make_denoiser_pipeline",
    "noisereduce_stationary": "noisereduce, stationary",
    "noisereduce_nonstationary": "noisereduce, non-stationary",
    "rnnoise": "RNNoise",
    "deepfilternet3": "DeepFilterNet3",
}
conditions = list(gains["with_real"])
fig, ax = plt.subplots(figsize=(9, 3.6), layout="constrained")
width = 0.8 / len(gains)
for k, (method, by_condition) in enumerate(gains.items()):
    ax.bar(
        np.arange(len(conditions)) + (k - (len(gains) - 1) / 2) * width,
        [by_condition[c] for c in conditions],
        width,
        label=names.get(method, method),
    )
ax.axhline(0, color="black", linewidth=0.8)
ax.set(
    xticks=np.arange(len(conditions)),
    xticklabels=[c.replace("_", " ") for c in conditions],
    ylabel="SI-SDR improvement (dB)",
    title=f"{len(results['folds'])} folds left out in turn, {results['settings']['train_clips']} training clips each",
)
ax.legend(fontsize=8, ncols=3)
for method, margins in results["margin_over_best_peer_db"].items():
    print(f"{names[method]} - best peer (dB): " + ", ".join(f"{c} {m:+.1f}" for c, m in margins.items()))

# %%
# One fold, trained here
# ----------------------
# Fold 4 is left out: its ambience recordings and the speaker theo are only
# in the test mixtures. The denoiser trains on 400 clips of the other four
# speakers (one second each, level-normalised) mixed at SNRs between -5 and
# 15 dB as the benchmark mixes them. To run in about a minute it has fewer
# filters, blocks and LSTM units, and trains for 6 epochs, so it gains less
# than the benchmark's denoiser above.

FOLD = 4
speech = load_folder(fsdd_recordings(), labels=FSDD_PATTERN)
speakers = np.asarray(speech.speaker)
clean_train = fixed_clips(speech, speakers != FOLD_SPEAKERS[FOLD])
clean_train = clean_train[np.linspace(0, len(clean_train) - 1, 400).astype(int)]
ambiences = esc10_recordings_by_fold(SR, ESC10_AMBIENCES)  # {fold: [(waveform, class name), ...]}
noisy_train, clean_train = training_pairs(
    clean_train,
    seed=FOLD,
    mixtures=1,
    noises=TRAINING_NOISES + ("real",) * len(TRAINING_NOISES),
    recordings={"real": [wave for fold, found in ambiences.items() if fold != FOLD for wave, _ in found]},
)
denoiser = make_denoiser_pipeline(sr=SR, random_state=0).set_params(
    cnn1ddenoiser__filters=64,
    cnn1ddenoiser__n_layers=2,
    cnn1ddenoiser__dilation=(1, 4),
    cnn1ddenoiser__lstm_units=32,
    cnn1ddenoiser__epochs=6,
)
denoiser.fit(noisy_train, clean_train)

# %%
# Each left-out ambience at 0 dB
# ------------------------------
# Ten clips of the left-out speaker in each kind of ambience of the
# left-out fold, every clip over another of its recordings at a random
# offset.

clean_test = fixed_clips(speech, speakers == FOLD_SPEAKERS[FOLD])
clean_test = clean_test[np.linspace(0, len(clean_test) - 1, 10).astype(int)]
by_class = {}
for wave, name in ambiences[FOLD]:
    by_class.setdefault(name, []).append(wave)
examples = {}
for k, (name, recordings) in enumerate(by_class.items()):
    noisy, _ = make_noisy(clean_test, noise=recordings, snr_db=0.0, random_state=k)
    denoised = denoiser.predict(noisy)
    gain = si_sdr_improvement(clean_test, denoised, noisy)
    print(f"{name:15s} SI-SDR improvement {gain.mean():+.1f} dB (clips {gain.min():+.1f} to {gain.max():+.1f})")
    examples[name] = (noisy[0], denoised[0])

# %%
# Log-magnitude spectrograms of the first clip: the ambience as recorded under the
# speech, and what the denoiser kept. The clean clip is the same in every
# row.

fig, axes = plt.subplots(len(examples), 3, figsize=(9, 2 * len(examples)), sharex=True, sharey=True)
for row, (name, (noisy, denoised)) in enumerate(examples.items()):
    for ax, wave, title in zip(axes[row], (noisy, denoised, clean_test[0]), ("noisy", "denoised", "clean")):
        plot_spectrogram(wave, sr=SR, kind="stft", ax=ax, title=f"{name}: {title}", colorbar=False)
fig.tight_layout()
plt.show()
