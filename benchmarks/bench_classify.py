"""Clip classification on several corpora: the recommended pipeline against an MFCC-statistics random forest.

Corpora, each split by what a new user's data would not share with training:

- ``fsdd``: spoken digits, 8 kHz, leave-one-speaker-out (5 folds);
- ``esc10``: environmental recordings (ESC-10 folds 1-4), loaded at 16 kHz,
  leave-one-fold-out (4 folds);
- ``sounds``: the demo's six synthetic classes (``make_sounds(60)`` at 8 kHz,
  0.4-1 s, 20 dB SNR), stratified 4-fold;
- ``long``: the same classes, one event placed anywhere in a 2-10 s clip of
  pink noise at 0-20 dB SNR (8 kHz), stratified 4-fold: most of a clip is
  background, and lengths vary fivefold.

Models, on identical folds:

- ``recommended``: ``make_classifier_pipeline(sr=sr)`` with its defaults
  (an MFCC network and a log-mel network, probabilities averaged);
- ``mfcc`` and ``log_mel``: each of its two networks alone
  (``features="mfcc"``, ``features="log-mel"``);
- ``baseline``: mean and standard deviation over frames of 40 MFCCs,
  ``StandardScaler``, ``RandomForestClassifier(500)``;
- variants of the MFCC pipeline (``--models``) for the design notes.

Run: python benchmarks/bench_classify.py [--corpora fsdd esc10 sounds long]
     [--models recommended mfcc log_mel baseline] [--n-networks N] [--folds K ...]
     [--duration SECONDS] [--set NAME=VALUE ...] [--check]
"""

import argparse
import json
import sys
import time

import librosa
import numpy as np
from _common import (
    RESULTS_DIR,
    add_check_arguments,
    add_set_argument,
    esc10_folder,
    esc10_folds,
    finish,
    fsdd_recordings,
    parse_overrides,
    refuse_partial_run_into,
    results_or_measure,
    target_strings,
)
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import LeaveOneGroupOut, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from skaudio.datasets import make_colored_noise, make_sounds
from skaudio.io import FSDD_PATTERN, load_folder
from skaudio.pipelines import frame_settings, make_classifier_pipeline
from skaudio.preprocessing import MFCC, FeatureScaler, Spectrogram

CORPORA = ("fsdd", "esc10", "sounds", "long")

# Targets (issue 18), checked by --check.
TARGETS = {
    "esc10_recommended_mean": (">=", 0.90),
    "fsdd_recommended_mean": (">=", 0.93),
    "margin_over_baseline": (">=", 0.10),
    "esc10_fit_seconds": ("<=", 360),
    "fsdd_fit_seconds": ("<=", 240),
}


def checked_values(results):
    """The figures TARGETS constrains, read from a results dict."""

    def figure(corpus, model, key):
        return results.get(corpus, {}).get(model, {}).get(key)

    margins = {
        corpus: figure(corpus, "recommended", "mean_accuracy") - figure(corpus, "baseline", "mean_accuracy")
        for corpus in CORPORA
        if figure(corpus, "recommended", "mean_accuracy") is not None
        and figure(corpus, "baseline", "mean_accuracy") is not None
    }
    return {
        "esc10_recommended_mean": figure("esc10", "recommended", "mean_accuracy"),
        "fsdd_recommended_mean": figure("fsdd", "recommended", "mean_accuracy"),
        "margin_over_baseline": margins or None,
        "esc10_fit_seconds": figure("esc10", "recommended", "max_fit_seconds"),
        "fsdd_fit_seconds": figure("fsdd", "recommended", "max_fit_seconds"),
    }


# ------------------------------------------------------------------ corpora
def load_corpus(name, seed):
    """``(clips, labels, fold of each clip, sr)``."""
    if name == "fsdd":
        bunch = load_folder(fsdd_recordings(), labels=FSDD_PATTERN)
        return bunch.data, bunch.target_names[bunch.target], bunch.speaker, bunch.sr
    if name == "esc10":
        bunch = load_folder(esc10_folder(), sr=16000)
        return bunch.data, bunch.target_names[bunch.target], esc10_folds(bunch), bunch.sr
    sr = 8000
    clips, labels = make_sounds(60, sr=sr, duration=(0.4, 1.0), snr_db=20.0, random_state=seed)
    if name == "long":
        clips = [_in_long_background(clip, sr, np.random.default_rng([seed, i])) for i, clip in enumerate(clips)]
    folds = np.empty(len(labels), dtype=int)
    for k, (_, test) in enumerate(StratifiedKFold(4, shuffle=True, random_state=seed).split(clips, labels)):
        folds[test] = k
    return clips, labels, folds, sr


def _in_long_background(clip, sr, rng):
    """``clip`` at a random place in 2-10 s of pink noise, 0-20 dB below the clip's level."""
    length = int(rng.uniform(2.0, 10.0) * sr)
    seed = int(rng.integers(2**31))
    background = make_colored_noise(length, color="pink", random_state=seed).astype(np.float32)
    snr_db = rng.uniform(0.0, 20.0)
    clip_power = np.mean(clip**2)
    background *= np.sqrt(clip_power / np.mean(background**2) / 10 ** (snr_db / 10))
    start = int(rng.integers(0, length - len(clip) + 1))
    background[start : start + len(clip)] += clip
    return background


# ------------------------------------------------------------------- models
def baseline(sr, seed):
    """40 MFCCs' mean and standard deviation over frames, scaled, into a 500-tree random forest."""
    n_fft, hop_length = frame_settings(sr)

    def statistics(clips):
        rows = []
        for clip in clips:
            mfcc = librosa.feature.mfcc(
                y=np.asarray(clip, dtype=np.float32), sr=sr, n_mfcc=40, n_fft=n_fft, hop_length=hop_length
            )
            rows.append(np.concatenate([mfcc.mean(axis=1), mfcc.std(axis=1)]))
        return np.array(rows)

    return make_pipeline(
        FunctionTransformer(statistics),
        StandardScaler(),
        RandomForestClassifier(500, n_jobs=2, random_state=seed),
    )


def _log_mel_front_end(sr):
    n_fft, hop_length = frame_settings(sr)
    return make_pipeline(
        Spectrogram(sr=sr, kind="mel", n_fft=n_fft, hop_length=hop_length, n_mels=40), FeatureScaler(per_clip=False)
    )


def _mfcc_front_end(sr, per_clip, n_mfcc=13, n_mels=40):
    n_fft, hop_length = frame_settings(sr)
    return make_pipeline(
        MFCC(sr=sr, n_mfcc=n_mfcc, n_fft=n_fft, hop_length=hop_length, n_mels=n_mels), FeatureScaler(per_clip=per_clip)
    )


# Variants of the recommended pipeline: name -> function of sr giving set_params arguments.
VARIANTS = {
    "mfcc_per_clip": lambda sr: {"cnn1dclassifier__front_end": _mfcc_front_end(sr, per_clip=True)},
    "mfcc_global": lambda sr: {"cnn1dclassifier__front_end": _mfcc_front_end(sr, per_clip=False)},
    "logmel_global": lambda sr: {
        "cnn1dclassifier__front_end": _log_mel_front_end(sr),
        "cnn1dclassifier__freq_mask_width": 5,
    },
    "window_2s": lambda sr: {"cnn1dclassifier__window": 2 * sr},
    "avgmax": lambda sr: {"cnn1dclassifier__global_pooling": "avgmax"},
    "window_max": lambda sr: {"cnn1dclassifier__window_pooling": "max"},
    "epochs100": lambda sr: {"cnn1dclassifier__epochs": 100},
    # the recommended pipeline without one of its two latest changes (design notes)
    "every_window": lambda sr: {"cnn1dclassifier__window_top_db": None},
    "moving_statistics": lambda sr: {"cnn1dclassifier__recalibrate_batch_norm": False},
    "no_masks": lambda sr: {"cnn1dclassifier__time_masks": 0, "cnn1dclassifier__freq_masks": 0},
    "mfcc40": lambda sr: {
        "cnn1dclassifier__front_end": _mfcc_front_end(sr, per_clip=False, n_mfcc=40, n_mels=64),
        "cnn1dclassifier__freq_mask_width": 6,
    },
}


# The factory with one front end, as the `features` argument names it.
ONE_FRONT_END = {"mfcc": "mfcc", "log_mel": "log-mel"}


def make_model(name, sr, seed, n_networks, duration=None, overrides=None):
    if name == "baseline":
        return baseline(sr, seed)
    # the factory's own window unless --duration names one
    window = {} if duration is None else {"duration": duration}
    if name == "recommended":
        pipe = make_classifier_pipeline(sr=sr, random_state=seed, **window)
    elif name in ONE_FRONT_END:
        pipe = make_classifier_pipeline(sr=sr, features=ONE_FRONT_END[name], random_state=seed, **window)
    else:  # the variants were measured on the MFCC pipeline (the default until 2026-12-03)
        pipe = make_classifier_pipeline(sr=sr, features="mfcc", random_state=seed, **window).set_params(
            **VARIANTS[name](sr)
        )
    if n_networks is not None:
        pipe.set_params(cnn1dclassifier__n_networks=n_networks)
    return pipe.set_params(**(overrides or {}))


# ------------------------------------------------------------------ measure
def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", default=list(CORPORA), choices=CORPORA)
    parser.add_argument(
        "--models",
        nargs="+",
        default=["recommended", "mfcc", "log_mel", "baseline"],
        choices=["recommended", "baseline", *ONE_FRONT_END, *VARIANTS],
    )
    parser.add_argument("--n-networks", type=int, default=None, help="override the ensemble size (exploration)")
    parser.add_argument("--folds", nargs="+", default=None, help="only hold out these folds (exploration)")
    parser.add_argument(
        "--duration",
        type=float,
        default=None,
        help="the factory's window in seconds for every network model (exploration; default: the factory's)",
    )
    add_set_argument(parser, "cnn1dclassifier__epochs=60", on="every network model")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="classify", help="results file name (without .json)")
    args = add_check_arguments(parser).parse_args(argv)
    args.overrides = parse_overrides(parser, args, lambda: make_classifier_pipeline(sr=8000), "classify")
    return refuse_partial_run_into(parser, args, "classify", partial=args.folds is not None, option="--folds")


def measure(args):
    """Fit and score every model on every fold of every corpus; merged into the existing results file."""
    path = RESULTS_DIR / f"{args.out}.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    results.pop("machine", None)
    for corpus in args.corpora:
        clips, labels, folds, sr = load_corpus(corpus, args.seed)
        print(f"{corpus}: {len(clips)} clips at {sr} Hz, {len(set(labels))} classes", flush=True)
        class_names = sorted(str(label) for label in set(labels))
        for model in args.models:
            runs, pooled_true, pooled_predicted = [], [], []
            for train, test in LeaveOneGroupOut().split(clips, labels, folds):
                fold = str(folds[test[0]])
                if args.folds and fold not in args.folds:
                    continue
                pipe = make_model(model, sr, args.seed, args.n_networks, args.duration, args.overrides)
                start = time.perf_counter()
                pipe.fit([clips[i] for i in train], labels[train])
                fit_s = time.perf_counter() - start
                predicted = pipe.predict([clips[i] for i in test])
                accuracy = float(np.mean(predicted == labels[test]))
                pooled_true.extend(labels[test])
                pooled_predicted.extend(predicted)
                runs.append({"fold": fold, "accuracy": accuracy, "fit_seconds": fit_s, "n_train": len(train)})
                print(f"  {model:16s} fold {fold:9s} accuracy {accuracy:.3f}  fit {fit_s:6.1f} s", flush=True)
            name = model if args.n_networks is None or model == "baseline" else f"{model}_n{args.n_networks}"
            if args.duration is not None and model != "baseline":
                name = f"{name}_{args.duration:g}s"
            if args.set and model != "baseline":
                name = "_".join([name, *args.set])
            results.setdefault(corpus, {})[name] = {
                "mean_accuracy": float(np.mean([run["accuracy"] for run in runs])),
                "min_accuracy": float(np.min([run["accuracy"] for run in runs])),
                "max_fit_seconds": float(np.max([run["fit_seconds"] for run in runs])),
                "seed": args.seed,
                "window_seconds": None if model == "baseline" else pipe.get_params()["cnn1dclassifier__window"] / sr,
                "runs": runs,
                # every held-out clip once: rows are the true classes, columns the predicted ones
                "confusion": {
                    "labels": class_names,
                    "matrix": confusion_matrix(pooled_true, pooled_predicted, labels=class_names).tolist(),
                },
            }
    results["targets"] = target_strings(TARGETS)
    return results


def report(results):
    """Print each model's mean accuracy per corpus."""
    for corpus in CORPORA:
        for model, entry in results.get(corpus, {}).items():
            print(
                f"{corpus:7s} {model:22s} mean accuracy {entry['mean_accuracy']:.3f} (min {entry['min_accuracy']:.3f}, "
                f"{len(entry['runs'])} folds, fit <= {entry['max_fit_seconds']:.0f} s)"
            )


def main(argv=None):
    args = parse_args(argv)
    results = results_or_measure(args, args.out, measure, report)
    return finish(args, TARGETS, checked_values(results))


if __name__ == "__main__":
    sys.exit(main())
