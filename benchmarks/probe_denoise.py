"""Probe a variant of the recommended denoiser on bench_denoise.py's data.

Trains make_denoiser_pipeline(sr=8000) with the given CNN1DDenoiser
parameters changed, on bench_denoise.py's training pairs, and reports the
SI-SDR improvement in its nine test conditions, plus white and babble noise
at 0 dB on 250 training clips (equal figures mean the model underfits;
higher ones, that it overfits), and whether the variant meets the
pipeline's targets. Without --params it retrains the pipeline as it is, the
baseline a variant is compared with (same --seed).
Writes benchmarks/results/denoise_probe_<name>.json.

Run: python benchmarks/probe_denoise.py --name refine16 --params '{"refinement_filters": 16}' [--seed 0] [--check]
Check a committed probe: python benchmarks/probe_denoise.py --name freq32_seed0 --from-results --check
"""

import argparse
import json
import sys
import time

import numpy as np
from _common import (
    DENOISE_SR as SR,
)
from _common import (
    DENOISER_PIPELINE_TARGETS,
    RESULTS_DIR,
    add_check_arguments,
    denoiser_pipeline_values,
    finish,
    fsdd_recordings,
    read_results,
    results_or_measure,
    split_clips,
    target_strings,
    test_conditions,
    training_pairs,
)

from skaudio.datasets import make_noisy
from skaudio.io import FSDD_PATTERN, load_folder
from skaudio.metrics import si_sdr_improvement
from skaudio.pipelines import make_denoiser_pipeline

# Targets, checked by --check: a variant of the recommended denoiser must meet the
# pipeline's own targets (bench_denoise.py), the margin over noisereduce taken from
# noisereduce's figures in benchmarks/results/denoise.json.
TARGETS = dict(DENOISER_PIPELINE_TARGETS)


def checked_values(results):
    """The figures TARGETS constrains, read from a results dict (and denoise.json's noisereduce figures)."""
    gains = {k: v for k, v in results["si_sdr_improvement_db"].items() if not k.startswith("training_clips_")}
    noisereduce = None
    if (RESULTS_DIR / "denoise.json").exists():
        improvement = read_results("denoise")["si_sdr_improvement_db"]
        noisereduce = {
            name: {condition: entry["si_sdr_improvement"] for condition, entry in improvement[name].items()}
            for name in ("noisereduce_stationary", "noisereduce_nonstationary")
            if name in improvement
        }
    return denoiser_pipeline_values(gains, noisereduce)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True, help="names the results file")
    parser.add_argument("--params", default="{}", help="CNN1DDenoiser parameters to change, as JSON")
    parser.add_argument("--seed", type=int, default=0, help="random_state of the pipeline")
    parser.add_argument("--mixtures", type=int, default=4, help="noisy versions of each training clip")
    return add_check_arguments(parser).parse_args(argv)


def measure(args):
    """Train the variant on bench_denoise.py's pairs and score it; the results dict."""
    params = json.loads(args.params)
    bunch = load_folder(fsdd_recordings(), labels=FSDD_PATTERN)
    clean_train, clean_test = split_clips(bunch)
    noisy_pairs, clean_pairs = training_pairs(clean_train, seed=0, mixtures=args.mixtures)
    pipeline = make_denoiser_pipeline(sr=SR, random_state=args.seed)
    pipeline.set_params(**{f"cnn1ddenoiser__{key}": value for key, value in params.items()})
    start = time.perf_counter()
    pipeline.fit(noisy_pairs, clean_pairs)
    train_seconds = time.perf_counter() - start

    gains = {
        f"{noise}_{snr}dB": float(np.mean(si_sdr_improvement(clean_test, pipeline.predict(noisy), noisy)))
        for (noise, snr), noisy in test_conditions(clean_test).items()
    }
    seen = clean_train[::9][:250]
    for noise in ("white", "babble"):
        noisy = make_noisy(seen, noise=noise, snr_db=0, random_state=7)[0]
        gains[f"training_clips_{noise}_0dB"] = float(np.mean(si_sdr_improvement(seen, pipeline.predict(noisy), noisy)))
    return {
        "name": args.name,
        "params": params,
        "seed": args.seed,
        "training_pairs": len(noisy_pairs),
        "si_sdr_improvement_db": gains,
        "train_seconds": train_seconds,
        "loss": [float(value) for value in pipeline[-1].history_["loss"]],
        "targets": target_strings(TARGETS),
    }


def report(results):
    """Print a results dict."""
    print(
        f"{results.get('name', '')}: {results['params']} seed {results['seed']}, {results['training_pairs']} pairs, "
        f"trained in {results['train_seconds']:.0f} s, final loss {results['loss'][-1]:.2f}"
    )
    for key, value in results["si_sdr_improvement_db"].items():
        print(f"{key:28s} {value:+.2f}")


def main(argv=None):
    args = parse_args(argv)
    results = results_or_measure(args, f"denoise_probe_{args.name}", measure, report)
    return finish(args, TARGETS, checked_values(results))


if __name__ == "__main__":
    sys.exit(main())
