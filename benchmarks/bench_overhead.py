"""What the scikit-learn wrapper costs: fit time, predict latency, memory over many fits.

- Fit: CNN1DClassifier (the article's network) against the same network
  built by skaudio.networks and fitted with raw Keras, same data, epochs,
  batch size and optimizer (target ratio <= 1.05), like for like: unseeded
  (random_state=None against plain Keras) and seeded (random_state=0, which
  makes scikeras enable TensorFlow's deterministic ops, against Keras in the
  same seeding context).
- Predict latency for one clip: CNN1DClassifier.predict against plain
  scikeras KerasClassifier.predict on the same network (target <= 2 ms).
- Memory: resident memory over 30 consecutive fits (a GridSearchCV's worth),
  for CNN1DClassifier and for plain scikeras.

Data: MFCCs of the FSDD training split (n_mfcc=20, n_fft=512, hop 128, 1 s).

Run: python benchmarks/bench_overhead.py [--epochs 5] [--fits 30] [--check]
"""

import argparse
import gc
import os
import statistics
import sys
import time

import numpy as np
from _common import add_check_arguments, finish, fsdd_recordings, results_or_measure, target_strings

from skaudio.io import FSDD_PATTERN, load_folder
from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength

# Targets (issue 3), checked by --check: fitting through skaudio costs at most 5 % more
# than raw Keras (median of --repeats fits, seeded and unseeded), and predicting one
# clip takes at most 2 ms.
TARGETS = {"fit_ratio": ("<=", 1.05), "predict_one_clip_ms": ("<=", 2.0)}


def checked_values(results):
    """The figures TARGETS constrains, read from a results dict."""
    return {
        "fit_ratio": results.get("fit_seconds", {}).get("ratio"),
        "predict_one_clip_ms": results.get("predict_one_clip_ms", {}).get("skaudio"),
    }


def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def features():
    bunch = load_folder(fsdd_recordings(), labels=FSDD_PATTERN)
    train = bunch.index.astype(int) >= 5
    X = FixedLength(duration=1.0, sr=8000).fit_transform([c for c, t in zip(bunch.data, train) if t])
    X = FeatureScaler().fit_transform(MFCC(sr=8000, n_mfcc=20, n_fft=512, hop_length=128).fit_transform(X))
    return X, bunch.target[train]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--fits", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    return add_check_arguments(parser).parse_args(argv)


def measure(args):
    """Time the fits and predictions, trace memory over fits; the results dict."""
    import keras
    from scikeras.wrappers import KerasClassifier

    from skaudio.models import CNN1DClassifier
    from skaudio.networks import build_cnn1d_classifier

    X, y = features()
    n_classes = len(np.unique(y))

    import contextlib

    from scikeras.utils.random_state import tensorflow_random_state

    def raw_keras_fit(seeded):
        keras.backend.clear_session()
        # the same seeding scikeras applies for random_state (seeds + deterministic ops)
        with tensorflow_random_state(0) if seeded else contextlib.nullcontext():
            model = build_cnn1d_classifier(X.shape[1:], n_classes)
            model.compile(optimizer=keras.optimizers.Adam(0.001), loss="sparse_categorical_crossentropy")
            model.fit(X, y, epochs=args.epochs, batch_size=32, verbose=0)

    def skaudio_fit(seeded):
        return CNN1DClassifier(epochs=args.epochs, random_state=0 if seeded else None).fit(X, y)

    runs = {
        "raw_keras_unseeded": lambda: raw_keras_fit(False),
        "skaudio_unseeded": lambda: skaudio_fit(False),
        "raw_keras_seeded": lambda: raw_keras_fit(True),
        "skaudio_seeded": lambda: skaudio_fit(True),
    }
    fit_times = {name: [] for name in runs}
    for _ in range(args.repeats):  # interleaved, so drift hits all alike
        for name, func in runs.items():
            start = time.perf_counter()
            func()
            fit_times[name].append(time.perf_counter() - start)
    median = {name: statistics.median(times) for name, times in fit_times.items()}
    ratio = {kind: median[f"skaudio_{kind}"] / median[f"raw_keras_{kind}"] for kind in ("unseeded", "seeded")}

    clf = skaudio_fit(True)

    def plain_model(meta):
        model = build_cnn1d_classifier(meta["X_shape_"][1:], meta["n_classes_"])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return model

    plain = KerasClassifier(model=plain_model, epochs=1, verbose=0, random_state=0).fit(X, y)

    def latency_ms(predict, n=200):
        one = X[:1]
        for _ in range(10):
            predict(one)
        times = []
        for _ in range(n):
            start = time.perf_counter()
            predict(one)
            times.append(time.perf_counter() - start)
        return 1000 * statistics.median(times)

    lat_ours = latency_ms(clf.predict)
    lat_plain = latency_ms(plain.predict, n=50)
    start = time.perf_counter()
    clf.predict(X)
    batch_ms = 1000 * (time.perf_counter() - start)

    def memory_over_fits(make):
        gc.collect()
        rss = []
        for _ in range(args.fits):
            make().fit(X[:256], y[:256])
            gc.collect()
            rss.append(rss_mib())
        return rss

    rss_ours = memory_over_fits(lambda: CNN1DClassifier(epochs=1, random_state=0))
    rss_plain = memory_over_fits(lambda: KerasClassifier(model=plain_model, epochs=1, verbose=0, random_state=0))

    return {
        "data": {"n_clips": len(X), "shape": list(X.shape[1:]), "epochs": args.epochs},
        "fit_seconds": {"median": median, "ratio": ratio, "all": fit_times},
        "predict_one_clip_ms": {"skaudio": lat_ours, "scikeras": lat_plain},
        "predict_all_training_clips_ms": batch_ms,
        "rss_mib_over_fits": {
            "skaudio": {
                "after_first": rss_ours[0],
                "after_last": rss_ours[-1],
                "growth_after_first_5": rss_ours[-1] - rss_ours[4],
                "trace": rss_ours,
            },
            "scikeras": {
                "after_first": rss_plain[0],
                "after_last": rss_plain[-1],
                "growth_after_first_5": rss_plain[-1] - rss_plain[4],
                "trace": rss_plain,
            },
        },
        "targets": target_strings(TARGETS),
    }


def report(results):
    """Print a results dict."""
    epochs, n_clips = results["data"]["epochs"], results["data"]["n_clips"]
    median, ratio = results["fit_seconds"]["median"], results["fit_seconds"]["ratio"]
    for kind in ("unseeded", "seeded"):
        print(
            f"fit {kind} ({epochs} epochs, {n_clips} clips): raw Keras {median[f'raw_keras_{kind}']:.2f} s, "
            f"skaudio {median[f'skaudio_{kind}']:.2f} s, ratio {ratio[kind]:.3f}"
        )
    latency = results["predict_one_clip_ms"]
    print(f"predict one clip (median): skaudio {latency['skaudio']:.2f} ms, scikeras {latency['scikeras']:.2f} ms")
    print(f"predict {n_clips} clips: {results['predict_all_training_clips_ms']:.0f} ms")
    ours, plain = results["rss_mib_over_fits"]["skaudio"], results["rss_mib_over_fits"]["scikeras"]
    print(
        f"memory over {len(ours['trace'])} fits: skaudio {ours['after_first']:.0f} -> {ours['after_last']:.0f} MiB "
        f"(+{ours['growth_after_first_5']:.0f} after fit 5); scikeras {plain['after_first']:.0f} -> "
        f"{plain['after_last']:.0f} MiB (+{plain['growth_after_first_5']:.0f} after fit 5)"
    )


def main(argv=None):
    args = parse_args(argv)
    results = results_or_measure(args, "overhead", measure, report)
    return finish(args, TARGETS, checked_values(results))


if __name__ == "__main__":
    sys.exit(main())
