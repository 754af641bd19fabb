"""Spoken digits (FSDD): accuracy and training time of skaudio's classifiers.

Two protocols:

- ``official``: the dataset's own split (index 0-4 test, 5-49 train);
- ``loso``: leave-one-speaker-out (GroupKFold by speaker), the
  speaker-independent accuracy.

Models: ``default`` (load > FixedLength > MFCC > FeatureScaler > the article's
CNN1DClassifier) and ``best`` (``make_classifier_pipeline(sr=8000)``: FixedLength >
CNN1DClassifier computing MFCCs inside, with speed perturbation and training
noise), plus
ablations of ``best`` (``--models``, e.g. ``no_speed_perturbation``). Every step's parameters are recorded in
benchmarks/results/fsdd.json.

Run: python benchmarks/bench_fsdd.py [--protocol official loso] [--models default best] [--seeds 0]
"""

import argparse
import json
import time

import numpy as np
from sklearn.metrics import accuracy_score
from sklearn.model_selection import LeaveOneGroupOut
from sklearn.pipeline import Pipeline

from _common import RESULTS_DIR, fsdd_recordings, write_results
from skaudio.io import FSDD_PATTERN, load_folder
from skaudio.models import CNN1DClassifier
from skaudio.pipelines import make_classifier_pipeline
from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength

SR = 8000


def make_default_pipeline(random_state):
    """The article's network on MFCCs, every estimator at its defaults."""
    return Pipeline(
        [
            ("fixedlength", FixedLength(duration=1.0, sr=SR)),
            ("mfcc", MFCC(sr=SR, n_mfcc=20, n_fft=512, hop_length=128)),
            ("featurescaler", FeatureScaler()),
            ("cnn1dclassifier", CNN1DClassifier(random_state=random_state)),
        ]
    )


# Ablations of the recommended pipeline: what each choice is worth.
VARIANTS = {
    "best": {},
    "no_speed_perturbation": dict(cnn1dclassifier__speed_perturbation=0.0),
    "no_noise": dict(cnn1dclassifier__noise_snr_db=None),
    "weight_averaging": dict(cnn1dclassifier__optimizer__use_ema=True, cnn1dclassifier__optimizer__ema_momentum=0.99),
    "no_augmentation": dict(cnn1dclassifier__speed_perturbation=0.0, cnn1dclassifier__time_shift=0.0,
                            cnn1dclassifier__time_masks=0, cnn1dclassifier__freq_masks=0),
    "left_aligned": dict(fixedlength__align="left"),
    "mfcc20": dict(cnn1dclassifier__front_end__mfcc__n_mfcc=20, cnn1dclassifier__freq_mask_width=3),
}


def make_model(name, random_state):
    if name == "default":
        return make_default_pipeline(random_state)
    pipe = make_classifier_pipeline(sr=SR, random_state=random_state)
    return pipe.set_params(**VARIANTS[name])


def step_params(pipe):
    return {name: {k: v for k, v in step.get_params().items() if not hasattr(v, "fit")}
            for name, step in pipe.steps}


def evaluate(name, X, y, train, test, seed):
    pipe = make_model(name, seed)
    start = time.perf_counter()
    pipe.fit([X[i] for i in train], y[train])
    fit_s = time.perf_counter() - start
    acc = accuracy_score(y[test], pipe.predict([X[i] for i in test]))
    return pipe, acc, fit_s


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--protocol", nargs="+", default=["official", "loso"], choices=["official", "loso"])
    parser.add_argument("--models", nargs="+", default=["default", "best"], choices=["default", *VARIANTS])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    parser.add_argument("--speakers", nargs="+", default=None, help="LOSO: only hold out these speakers")
    parser.add_argument("--out", default="fsdd", help="results file name (without .json)")
    args = parser.parse_args()

    bunch = load_folder(fsdd_recordings(), labels=FSDD_PATTERN)
    X, y, speakers = bunch.data, bunch.target, bunch.speaker
    official_test = bunch.index.astype(int) < 5
    path = RESULTS_DIR / f"{args.out}.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    results.pop("machine", None)

    for model in args.models:
        entry = results.setdefault(model, {})
        for protocol in args.protocol:
            runs = []
            for seed in args.seeds:
                if protocol == "official":
                    pipe, acc, fit_s = evaluate(model, X, y, np.flatnonzero(~official_test),
                                                np.flatnonzero(official_test), seed)
                    runs.append({"seed": seed, "accuracy": acc, "fit_seconds": fit_s})
                    print(f"{model:16s} official  seed {seed}: accuracy {acc:.4f}  fit {fit_s:6.1f} s", flush=True)
                else:
                    for train, test in LeaveOneGroupOut().split(X, y, speakers):
                        held_out = speakers[test[0]]
                        if args.speakers and held_out not in args.speakers:
                            continue
                        pipe, acc, fit_s = evaluate(model, X, y, train, test, seed)
                        runs.append({"seed": seed, "speaker": held_out, "accuracy": acc, "fit_seconds": fit_s})
                        print(f"{model:16s} loso {held_out:9s} seed {seed}: accuracy {acc:.4f}  fit {fit_s:6.1f} s",
                              flush=True)
            accs = [r["accuracy"] for r in runs]
            entry[protocol] = {
                "mean_accuracy": float(np.mean(accs)),
                "min_accuracy": float(np.min(accs)),
                "mean_fit_seconds": float(np.mean([r["fit_seconds"] for r in runs])),
                "runs": runs,
            }
            print(f"{model:16s} {protocol:8s} mean accuracy {np.mean(accs):.4f} (min {np.min(accs):.4f})", flush=True)
        entry["params"] = step_params(pipe)
    results["targets"] = {"default_official": ">= 0.97", "best_official": ">= 0.995", "best_loso_mean": ">= 0.90"}
    write_results(args.out, results)


if __name__ == "__main__":
    main()
