"""The README's main command, ``skaudio demo``, as a user runs it: its scores and its time.

Runs ``python -m skaudio demo`` with its defaults (30 epochs a task, the
classifier at least 1,500 steps) in a temporary folder, once per seed, and reads the scores the demo writes to its
report's ``scores.json``. The test suite runs the same command with 3 epochs
as a plumbing check; the quality and the time it takes are measured here.

Run: python benchmarks/bench_demo.py [--seeds 0] [--check]
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import add_check_arguments, finish, results_or_measure, target_strings

# Targets, checked by --check: the classification score the classifier issue (18) asks of the
# factory's defaults, scores the detector and denoiser reach, and a demo of at most 2 minutes.
TARGETS = {
    "classify: accuracy": (">=", 0.90),
    "detect: event-based F1": (">=", 0.6),
    "denoise: SI-SDR improvement (dB)": (">=", 6.0),
    "total_seconds": ("<=", 120.0),
}


def checked_values(results):
    """The figures TARGETS constrains, per seed, read from a results dict."""
    runs = results.get("runs", [])
    return {name: {f"seed {run['seed']}": run.get(name) for run in runs} or None for name in TARGETS}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    return add_check_arguments(parser).parse_args(argv)


def measure(args):
    """Run the demo once per seed; the results dict."""
    runs = []
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "report"
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "skaudio", "demo", "--out", str(out), "--seed", str(seed)],
                check=True,
                capture_output=True,
                text=True,
            )
            seconds = time.perf_counter() - start
            report = json.loads((out / "scores.json").read_text())
        runs.append(
            {"seed": seed, **report["scores"], "train_seconds": report["train_seconds"], "total_seconds": seconds}
        )
    return {"command": "python -m skaudio demo --seed SEED", "runs": runs, "targets": target_strings(TARGETS)}


def report(results):
    """Print a results dict."""
    for run in results["runs"]:
        scores = ", ".join(f"{name} {run[name]:.3f}" for name in TARGETS if name != "total_seconds")
        print(f"seed {run['seed']}: {scores}; {run['total_seconds']:.0f} s in all")


def main(argv=None):
    args = parse_args(argv)
    results = results_or_measure(args, "demo", measure, report)
    return finish(args, TARGETS, checked_values(results))


if __name__ == "__main__":
    sys.exit(main())
