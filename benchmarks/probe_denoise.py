"""Probe a variant of the recommended denoiser on bench_denoise.py's data.

Trains make_denoiser_pipeline(sr=8000) with the given CNN1DDenoiser
parameters changed, on bench_denoise.py's training pairs, and reports the
SI-SDR improvement in its nine test conditions, plus white and babble noise
at 0 dB on 250 training clips (equal figures mean the model underfits;
higher ones, that it overfits). Without --params it retrains the pipeline
as it is, the baseline a variant is compared with (same --seed).
Writes benchmarks/results/denoise_probe_<name>.json.

Run: python benchmarks/probe_denoise.py --name refine16 --params '{"refinement_filters": 16}' [--seed 0]
"""

import argparse
import json
import time

import numpy as np

from _common import fsdd_recordings, write_results
from bench_denoise import SR, split_clips, test_conditions, training_pairs
from skaudio.datasets import make_noisy
from skaudio.io import FSDD_PATTERN, load_folder
from skaudio.metrics import si_sdr_improvement
from skaudio.pipelines import make_denoiser_pipeline


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True, help="names the results file")
    parser.add_argument("--params", default="{}", help="CNN1DDenoiser parameters to change, as JSON")
    parser.add_argument("--seed", type=int, default=0, help="random_state of the pipeline")
    parser.add_argument("--mixtures", type=int, default=4, help="noisy versions of each training clip")
    args = parser.parse_args()
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
    loss = [float(value) for value in pipeline[-1].history_["loss"]]
    print(f"{args.name}: {params} seed {args.seed}, {len(noisy_pairs)} pairs, trained in {train_seconds:.0f} s, "
          f"final loss {loss[-1]:.2f}")
    for key, value in gains.items():
        print(f"{key:28s} {value:+.2f}")
    write_results(f"denoise_probe_{args.name}", {
        "params": params, "seed": args.seed, "training_pairs": len(noisy_pairs),
        "si_sdr_improvement_db": gains, "train_seconds": train_seconds, "loss": loss,
    })


if __name__ == "__main__":
    main()
