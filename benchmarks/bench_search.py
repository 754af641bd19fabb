"""GridSearchCV on FSDD: feature caching with Pipeline(memory=...), and n_jobs=2.

The pipeline loads the files (AudioLoader), fixes their length, computes MFCC,
scales them and trains a small CNN1DClassifier (few epochs, so that the
feature steps are a visible share of each fit), with two feature settings:
"fast" (the recommended classifier's MFCC at 8 kHz) and "costly" (resampled
to 22.05 kHz, 128 mel bands, 40 MFCC with two orders of deltas). The grid is over the model's
kernel_size and filters: every candidate shares the feature steps, which the
cache computes once per split. Times four searches: without and with the
cache, with n_jobs=1 and n_jobs=2 (joblib's process workers, each given
cpu_count // n_jobs threads), and checks that they pick the same parameters.
The process workers are started (and import TensorFlow) before the timing;
each search is timed --repeats times and the fastest is kept. Also times the
feature steps alone, to show what caching can save at most.
Writes benchmarks/results/search.json.

Run: python benchmarks/bench_search.py [--clips 1000] [--epochs 3] [--repeats 2] [--check]
"""

import argparse
import sys
import tempfile
import time

import numpy as np
from _common import add_check_arguments, finish, fsdd_recordings, results_or_measure, target_strings
from joblib import Memory, Parallel, delayed
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from skaudio.io import AudioLoader
from skaudio.models import CNN1DClassifier
from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength

SR = 8000
GRID = {"cnn1dclassifier__kernel_size": [3, 5], "cnn1dclassifier__filters": [(16, 16), (32, 32)]}

# Targets (issue 7), checked by --check for each feature setting: with or without the
# cache, with n_jobs=1 or 2, the searches pick the same parameters with the same scores;
# and two workers are not slower than one.
TARGETS = {
    "same_best_params": ("==", True),
    "max_score_difference": ("<=", 1e-9),
    "n_jobs_2_speedup": (">=", 1.0),
}


def checked_values(results):
    """The figures TARGETS constrains, per feature setting, read from a results dict."""
    kinds = [kind for kind in FEATURES if kind in results]
    return {name: {kind: results[kind][name] for kind in kinds} or None for name in TARGETS}


FEATURES = {
    # the recommended classifier's features, at the files' own rate
    "fast": dict(sr=SR, mfcc=dict(n_mfcc=13, n_fft=256, hop_length=80, n_mels=40)),
    # resampled on load to 22.05 kHz, 128 mel bands, 40 MFCC with deltas and delta-deltas
    "costly": dict(sr=22050, mfcc=dict(n_mfcc=40, n_fft=1024, hop_length=220, n_mels=128, delta_order=2)),
}


def features(kind="fast"):
    sr, mfcc = FEATURES[kind]["sr"], FEATURES[kind]["mfcc"]
    return Pipeline(
        [
            ("audioloader", AudioLoader(sr=sr)),
            ("fixedlength", FixedLength(duration=1.0, sr=sr, align="center")),
            ("mfcc", MFCC(sr=sr, **mfcc)),
            ("featurescaler", FeatureScaler(per_clip=True)),
        ]
    )


def pipeline(memory, epochs, kind="fast"):
    # The feature steps form one step, so the cache stores only their final output
    # (small MFCC arrays) and not every intermediate (waveform lists, padded arrays):
    # with skaudio's fast features, writing and reading those costs about what
    # computing them does.
    model = CNN1DClassifier(padding="same", global_pooling="avg", dense_units=None, epochs=epochs, random_state=0)
    return Pipeline([("features", features(kind)), ("cnn1dclassifier", model)], memory=memory)


def search(paths, y, *, cache, n_jobs, epochs, kind):
    with tempfile.TemporaryDirectory() as folder:
        memory = Memory(folder, verbose=0) if cache else None
        grid = GridSearchCV(
            pipeline(memory, epochs, kind), GRID, cv=StratifiedKFold(3, shuffle=True, random_state=0), n_jobs=n_jobs
        )
        start = time.perf_counter()
        grid.fit(paths, y)
        seconds = time.perf_counter() - start
    return {
        "cache": cache,
        "n_jobs": n_jobs,
        "seconds": seconds,
        "best_params": {k: str(v) for k, v in grid.best_params_.items()},
        "mean_test_scores": grid.cv_results_["mean_test_score"].tolist(),
    }


def _import_models():
    import skaudio.models  # noqa: F401  (TensorFlow's start-up, paid once per worker)

    return True


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=1000, help="FSDD files in the search")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--features", choices=sorted(FEATURES), nargs="+", default=["fast", "costly"])
    return add_check_arguments(parser).parse_args(argv)


def measure(args):
    """Time the four searches for each feature setting; the results dict."""

    files = sorted(fsdd_recordings().glob("*.wav"))
    picked = [files[i] for i in np.random.default_rng(0).permutation(len(files))[: args.clips]]
    paths = [str(p) for p in picked]
    y = np.array([int(p.name.split("_")[0]) for p in picked])
    Parallel(n_jobs=2)(delayed(_import_models)() for _ in range(4))  # start the workers
    features("fast").fit_transform(paths)  # the files into the page cache: every search reads them warm
    results = {
        "protocol": __doc__.split("\n\n")[1],
        "clips": args.clips,
        "epochs": args.epochs,
        "repeats": args.repeats,
        "grid": {k: [str(v) for v in vs] for k, vs in GRID.items()},
        "targets": target_strings(TARGETS),
    }
    for kind in args.features:
        start = time.perf_counter()
        features(kind).fit_transform(paths)
        feature_seconds = time.perf_counter() - start
        print(f"[{kind} features: {FEATURES[kind]}] feature steps on all {len(paths)} files: {feature_seconds:.2f} s")
        runs = []
        for cache, n_jobs in ((False, 1), (True, 1), (False, 2), (True, 2)):
            repeats = [
                search(paths, y, cache=cache, n_jobs=n_jobs, epochs=args.epochs, kind=kind) for _ in range(args.repeats)
            ]
            run = min(repeats, key=lambda r: r["seconds"])
            run["all_seconds"] = [r["seconds"] for r in repeats]
            runs.append(run)
            print(
                f"  cache {str(cache):5s} n_jobs {n_jobs}: {run['seconds']:6.1f} s  best {run['best_params']}",
                flush=True,
            )
        by = {(r["cache"], r["n_jobs"]): r for r in runs}
        summary = {
            "feature_seconds_all_files": feature_seconds,
            "cache_speedup_n_jobs_1": by[False, 1]["seconds"] / by[True, 1]["seconds"],
            "cache_speedup_n_jobs_2": by[False, 2]["seconds"] / by[True, 2]["seconds"],
            "n_jobs_2_speedup": by[False, 1]["seconds"] / by[False, 2]["seconds"],
            "n_jobs_2_speedup_cached": by[True, 1]["seconds"] / by[True, 2]["seconds"],
            "same_best_params": len({str(r["best_params"]) for r in runs}) == 1,
            "max_score_difference": float(np.ptp([r["mean_test_scores"] for r in runs], axis=0).max()),
        }
        results[kind] = {"features": FEATURES[kind], "runs": runs, **summary}
    return results


def report(results):
    """Print each feature setting's summary."""
    for kind in FEATURES:
        if kind not in results:
            continue
        print(f"[{kind} features]")
        for key, value in results[kind].items():
            if key in ("features", "runs"):
                continue
            print(f"  {key}: {value:.3f}" if isinstance(value, float) else f"  {key}: {value}")


def main(argv=None):
    args = parse_args(argv)
    results = results_or_measure(args, "search", measure, report)
    return finish(args, TARGETS, checked_values(results))


if __name__ == "__main__":
    sys.exit(main())
