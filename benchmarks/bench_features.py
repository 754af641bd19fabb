"""MFCC throughput: skaudio's batched MFCC against a per-clip librosa loop.

All 2,500 FSDD clips, fixed to 1 s at 8 kHz, n_mfcc=20, n_fft=512,
hop_length=128. Prints clips per second for both, their ratio and the largest
absolute difference; writes benchmarks/results/features.json.

Run: python benchmarks/bench_features.py [--repeats 5] [--check]
"""

import argparse
import sys
import time

import librosa
import numpy as np
from _common import add_check_arguments, finish, fsdd_recordings, results_or_measure, target_strings

from skaudio.io import FSDD_PATTERN, load_folder
from skaudio.preprocessing import MFCC, FixedLength

PARAMS = dict(sr=8000, n_mfcc=20, n_fft=512, hop_length=128)

# Targets (issue 2), checked by --check: at least 8x the per-clip librosa loop, and
# the same coefficients to 1e-3.
TARGETS = {"ratio": (">=", 8.0), "max_abs_diff": ("<=", 1e-3)}


def checked_values(results):
    """The figures TARGETS constrains, read from a results dict."""
    return {name: results.get(name) for name in TARGETS}


def best_time(func, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
    return min(times), out


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    return add_check_arguments(parser).parse_args(argv)


def measure(args):
    """Time both MFCC paths on all FSDD clips; the results dict."""
    bunch = load_folder(fsdd_recordings(), labels=FSDD_PATTERN)
    X = FixedLength(duration=1.0, sr=8000).fit_transform(bunch.data)
    mfcc = MFCC(**PARAMS).fit(X[:1])

    t_ours, ours = best_time(lambda: mfcc.transform(X), args.repeats)
    t_ref, ref = best_time(
        lambda: np.stack([librosa.feature.mfcc(y=clip, **PARAMS).T for clip in X]), max(1, args.repeats // 2)
    )
    return {
        "n_clips": len(X),
        "params": PARAMS,
        "skaudio_clips_per_s": len(X) / t_ours,
        "librosa_loop_clips_per_s": len(X) / t_ref,
        "ratio": t_ref / t_ours,
        "max_abs_diff": float(np.abs(ours - ref).max()),
        "targets": target_strings(TARGETS),
    }


def report(results):
    """Print a results dict."""
    print(f"skaudio MFCC      {results['skaudio_clips_per_s']:10.0f} clips/s")
    print(f"librosa per clip  {results['librosa_loop_clips_per_s']:10.0f} clips/s")
    print(f"ratio             {results['ratio']:10.2f}x")
    print(f"max |difference|  {results['max_abs_diff']:10.2e}")


def main(argv=None):
    args = parse_args(argv)
    results = results_or_measure(args, "features", measure, report)
    return finish(args, TARGETS, checked_values(results))


if __name__ == "__main__":
    sys.exit(main())
