"""GridSearchCV on FSDD: feature caching with Pipeline(memory=...), and n_jobs=2.

The pipeline loads the files (AudioLoader), fixes their length, computes MFCC,
scales them and trains a small CNN1DClassifier (few epochs, so that the
feature steps are a visible share of each fit). The grid is over the model's
kernel_size and filters: every candidate shares the feature steps, which the
cache computes once per split. Times four searches: without and with the
cache, with n_jobs=1 and n_jobs=2 (joblib's process workers, each given
cpu_count // n_jobs threads), and checks that they pick the same parameters.
Writes benchmarks/results/search.json.

Run: python benchmarks/bench_search.py [--clips 1000] [--epochs 3]
"""

import argparse
import tempfile
import time

import numpy as np
from joblib import Memory
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from _common import fsdd_recordings, write_results
from skaudio.io import AudioLoader
from skaudio.models import CNN1DClassifier
from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength

SR = 8000
GRID = {"cnn1dclassifier__kernel_size": [3, 5], "cnn1dclassifier__filters": [(16, 16), (32, 32)]}


def pipeline(memory, epochs):
    return Pipeline(
        [
            ("audioloader", AudioLoader(sr=SR)),
            ("fixedlength", FixedLength(duration=1.0, sr=SR, align="center")),
            ("mfcc", MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=80, n_mels=40)),
            ("featurescaler", FeatureScaler(per_clip=True)),
            ("cnn1dclassifier", CNN1DClassifier(padding="same", global_pooling="avg", dense_units=None,
                                                epochs=epochs, random_state=0)),
        ],
        memory=memory,
    )


def search(paths, y, *, cache, n_jobs, epochs):
    with tempfile.TemporaryDirectory() as folder:
        memory = Memory(folder, verbose=0) if cache else None
        grid = GridSearchCV(pipeline(memory, epochs), GRID, cv=StratifiedKFold(3, shuffle=True, random_state=0),
                            n_jobs=n_jobs)
        start = time.perf_counter()
        grid.fit(paths, y)
        seconds = time.perf_counter() - start
    return {
        "cache": cache, "n_jobs": n_jobs, "seconds": seconds,
        "best_params": {k: str(v) for k, v in grid.best_params_.items()},
        "mean_test_scores": grid.cv_results_["mean_test_score"].tolist(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=1000, help="FSDD files in the search")
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()

    files = sorted(fsdd_recordings().glob("*.wav"))
    picked = [files[i] for i in np.random.default_rng(0).permutation(len(files))[: args.clips]]
    paths = [str(p) for p in picked]
    y = np.array([int(p.name.split("_")[0]) for p in picked])
    runs = []
    for cache, n_jobs in ((False, 1), (True, 1), (False, 2), (True, 2)):
        run = search(paths, y, cache=cache, n_jobs=n_jobs, epochs=args.epochs)
        runs.append(run)
        print(f"cache {str(cache):5s} n_jobs {n_jobs}: {run['seconds']:6.1f} s  best {run['best_params']}  "
              f"scores {np.round(run['mean_test_scores'], 4).tolist()}", flush=True)
    by = {(r["cache"], r["n_jobs"]): r for r in runs}
    summary = {
        "cache_speedup_n_jobs_1": by[False, 1]["seconds"] / by[True, 1]["seconds"],
        "cache_speedup_n_jobs_2": by[False, 2]["seconds"] / by[True, 2]["seconds"],
        "n_jobs_2_speedup": by[False, 1]["seconds"] / by[False, 2]["seconds"],
        "n_jobs_2_speedup_cached": by[True, 1]["seconds"] / by[True, 2]["seconds"],
        "same_best_params": len({str(r["best_params"]) for r in runs}) == 1,
        "max_score_difference": float(np.ptp([r["mean_test_scores"] for r in runs], axis=0).max()),
    }
    for key, value in summary.items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    write_results("search", {"protocol": __doc__.split("\n\n")[1], "clips": args.clips, "epochs": args.epochs,
                             "grid": {k: [str(v) for v in vs] for k, vs in GRID.items()}, "runs": runs, **summary})


if __name__ == "__main__":
    main()
