"""Memory over a long search: resident memory per fit of a GridSearchCV, in one process and in loky workers.

Every Keras fit in a process leaves its traced training graph behind:
TensorFlow registers the gradient of the all-reduce in Keras' distributed
train step in a process-wide registry (``tf.custom_gradient`` in graph mode)
and never removes it, and that entry holds the whole graph. ``clear_session``
does not reach it, so memory grows with every fit for the life of the process,
with skaudio or with plain Keras alike. This measures:

- (a) ``n_jobs=1``: a 60-fit GridSearchCV of a small classifier pipeline in
  this process, resident memory after each fit;
- (b) ``n_jobs=2``: the same search in joblib's loky worker processes, each
  worker's memory after each of its fits, and this process';
- (c) plain Keras: the same network built, compiled and fitted in a loop with
  ``keras.backend.clear_session()`` before each fit, seeded as scikeras seeds.

Each fit's memory is read by a scorer in the process that fitted it (after a
garbage collection), so the figures come back through ``cv_results_``.

Data: 200 synthetic sounds (skaudio.datasets.make_sounds, 4 classes, 0.5 s at
8 kHz), FixedLength > MFCC > FeatureScaler > a tiny CNN1DClassifier, 1 epoch.

Run: python benchmarks/bench_memory.py [--baseline-fits 30] [--check]
"""

import argparse
import gc
import os
import sys
import time

import numpy as np
from _common import add_check_arguments, finish, results_or_measure, target_strings

SR = 8000

# Targets (issue 20 item 14), checked by --check: skaudio adds no per-fit growth of its own
# beyond what plain Keras with clear_session shows (MiB per fit, within 1 MiB), and a search
# with n_jobs=2 leaves the calling process within 32 MiB of where it was.
TARGETS = {"growth_over_plain_keras_mib_per_fit": ("<=", 1.0), "parent_growth_n_jobs2_mib": ("<=", 32.0)}


def checked_values(results):
    """The figures TARGETS constrains, read from a results dict."""
    one = results.get("n_jobs=1", {}).get("processes", {})
    plain = results.get("plain_keras_clear_session", {}).get("growth_mib_per_fit")
    two = results.get("n_jobs=2", {})
    return {
        "growth_over_plain_keras_mib_per_fit": (
            {pid: w["growth_mib_per_fit"] - plain for pid, w in one.items()} if plain is not None and one else None
        ),
        "parent_growth_n_jobs2_mib": (
            two["parent_rss_after_mib"] - two["parent_rss_before_mib"] if "parent_rss_after_mib" in two else None
        ),
    }


def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# Scorers read the fitting process' state; GridSearchCV returns them per fit.
def _rss_scorer(estimator, X, y):
    gc.collect()
    return rss_mib()


def _pid_scorer(estimator, X, y):
    return float(os.getpid())


def _clock_scorer(estimator, X, y):
    return time.time()


SCORING = {"accuracy": "accuracy", "rss": _rss_scorer, "pid": _pid_scorer, "clock": _clock_scorer}


def growth_per_fit(trace, skip=10):
    """MiB per fit between fit ``skip`` and the last (the first fits load libraries and warm caches)."""
    skip = min(skip, len(trace) // 2)
    return (trace[-1] - trace[skip - 1]) / (len(trace) - skip) if len(trace) > skip else float("nan")


def per_fit_records(search):
    """(pid, clock, rss) of every fit, in the order they ended."""
    res, n_splits = search.cv_results_, search.n_splits_
    rows = [
        tuple(res[f"split{k}_test_{name}"][i] for name in ("pid", "clock", "rss"))
        for i in range(len(res["params"]))
        for k in range(n_splits)
    ]
    return sorted(rows, key=lambda row: row[1])


def search_figures(search, seconds):
    rows = per_fit_records(search)
    workers = {}
    for pid, _, rss in rows:
        workers.setdefault(int(pid), []).append(rss)
    return {
        "fits": len(rows),
        "seconds": seconds,
        "processes": {
            str(pid): {
                # the largest resident memory after a fit (getrusage's ru_maxrss would not do: a loky
                # worker inherits its parent's through fork and exec)
                "fits": len(w),
                "rss_after_first_mib": w[0],
                "rss_after_last_mib": w[-1],
                "growth_mib_per_fit": growth_per_fit(w, skip=5),
                "peak_mib": max(w),
                "trace": w,
            }
            for pid, w in workers.items()
        },
    }


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-fits", type=int, default=30)
    return add_check_arguments(parser).parse_args(argv)


def measure(args):
    """Run the three measurements; the results dict."""
    import keras
    from joblib.externals.loky import get_reusable_executor
    from scikeras.utils.random_state import tensorflow_random_state
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    from skaudio.datasets import make_sounds
    from skaudio.models import CNN1DClassifier
    from skaudio.networks import build_cnn1d_classifier
    from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength

    X, y = make_sounds(50, classes=["tone", "noise_burst", "click_train", "chirp"], sr=SR, duration=0.5, random_state=0)
    pipe = make_pipeline(
        FixedLength(duration=0.5, sr=SR),
        MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=128, n_mels=40),
        FeatureScaler(),
        CNN1DClassifier(filters=(4, 4), global_pooling="avg", dense_units=8, epochs=1, batch_size=32, random_state=0),
    )
    grid = {  # 20 candidates x 3 folds = 60 fits
        "cnn1dclassifier__kernel_size": [3, 5],
        "cnn1dclassifier__filters": [(4, 4), (8, 8)],
        "cnn1dclassifier__learning_rate": [0.001, 0.003, 0.01, 0.02, 0.05],
    }

    results = {"data": {"n_clips": len(X), "duration_s": 0.5, "sr": SR, "epochs": 1, "cv": 3}}
    parent_before = parent_rss = rss_mib()
    for n_jobs in (1, 2):
        start = time.perf_counter()
        search = GridSearchCV(pipe, grid, cv=3, scoring=SCORING, refit=False, n_jobs=n_jobs).fit(X, y)
        seconds = time.perf_counter() - start
        figures = search_figures(search, seconds)
        if n_jobs > 1:
            figures["parent_rss_before_mib"], figures["parent_rss_after_mib"] = parent_rss, rss_mib()
            # the workers' memory goes back to the system when they end (idle timeout or shutdown)
            get_reusable_executor().shutdown(wait=True)
        else:
            parent_rss = rss_mib()
        results[f"n_jobs={n_jobs}"] = figures
    results["n_jobs=1"]["rss_before_mib"] = parent_before

    # (c) plain Keras, the same network as the first candidate, seeded as scikeras seeds random_state=0
    Xf = FeatureScaler().fit_transform(
        MFCC(sr=SR, n_mfcc=13, n_fft=256, hop_length=128, n_mels=40).fit_transform(
            FixedLength(duration=0.5, sr=SR).fit_transform(X)
        )
    )
    labels = np.unique(y, return_inverse=True)[1]
    trace = []
    for _ in range(args.baseline_fits):
        keras.backend.clear_session()
        with tensorflow_random_state(0):
            model = build_cnn1d_classifier(
                Xf.shape[1:], 4, filters=(4, 4), kernel_size=3, global_pooling="avg", dense_units=8
            )
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            model.fit(Xf[:133], labels[:133], epochs=1, batch_size=32, verbose=0)
            model.predict(Xf[133:], verbose=0)
        del model
        gc.collect()
        trace.append(rss_mib())
    results["plain_keras_clear_session"] = {
        "fits": len(trace),
        "rss_after_first_mib": trace[0],
        "rss_after_last_mib": trace[-1],
        "growth_mib_per_fit": growth_per_fit(trace),
        "trace": trace,
    }
    results["targets"] = target_strings(TARGETS)
    return results


def report(results):
    """Print a results dict."""
    for n_jobs in (1, 2):
        figures = results[f"n_jobs={n_jobs}"]
        for pid, w in figures["processes"].items():
            print(
                f"n_jobs={n_jobs} process {pid}: {w['fits']} fits, {w['rss_after_first_mib']:.0f} -> "
                f"{w['rss_after_last_mib']:.0f} MiB, {w['growth_mib_per_fit']:.2f} MiB/fit, "
                f"peak {w['peak_mib']:.0f} MiB ({figures['seconds']:.0f} s)"
            )
    two = results["n_jobs=2"]
    print(
        f"this process: {results['n_jobs=1']['rss_before_mib']:.0f} MiB before, {two['parent_rss_before_mib']:.0f} "
        f"after the n_jobs=1 search, {two['parent_rss_after_mib']:.0f} after the n_jobs=2 search"
    )
    plain = results["plain_keras_clear_session"]
    print(
        f"plain Keras + clear_session: {plain['fits']} fits, {plain['rss_after_first_mib']:.0f} -> "
        f"{plain['rss_after_last_mib']:.0f} MiB, {plain['growth_mib_per_fit']:.2f} MiB/fit"
    )


def main(argv=None):
    args = parse_args(argv)
    results = results_or_measure(args, "memory", measure, report)
    return finish(args, TARGETS, checked_values(results))


if __name__ == "__main__":
    sys.exit(main())
