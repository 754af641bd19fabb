"""Denoising real recorded noise: ambience recordings and a speaker never heard in training.

Leave-one-fold-out over ESC-10 folds 1-4. For fold k, the test noises are
fold k's ambience recordings (rain, sea waves, crackling fire, helicopter,
chainsaw: 40 five-second field recordings, resampled to 8 kHz, silent ends
trimmed) and the test speech is one FSDD speaker left out of training (folds
1-4 leave out jackson, lucas, nicolas and theo; --test-clips of their 500
clips, spread over digits and takes). Test conditions: those recordings, white, pink and babble noise (the
speaker's other clips) at 0 and 5 dB SNR, identical mixtures for every
method. Training: --train-clips of the other four speakers' clips (1 s,
RMS-normalised as in bench_denoise.py; spread over speakers, digits and
takes), --mixtures noisy versions of each at SNRs in [-5, 15] dB, for
make_denoiser_pipeline(sr=8000) trained on the mixtures of --trained:

- ``with_real`` (default): white, pink, brown and babble noise, and the other
  three folds' ambience recordings in half of the mixtures;
- ``synthetic``: white, pink, brown and babble noise only (bench_denoise.py's mixtures).

Peers on the same mixtures: noisereduce (stationary and non-stationary
spectral gating), and the pretrained RNNoise and DeepFilterNet3 where their
packages are installed (benchmarks/_peers.py; a missing peer is reported with
the reason). Reported: SI-SDR improvement per condition (mean over folds and
per fold), margins over the best peer, training seconds, real-time factor.
Writes benchmarks/results/denoise_real.json.

Run: python benchmarks/bench_denoise_real.py [--trained with_real synthetic] [--train-clips 2000] [--test-clips 20]
     [--folds 1 2 3 4] [--mixtures 3] [--noise-filter-db 0] [--noise-speed-perturbation 0]
     [--set NAME=VALUE ...] [--out denoise_real] [--keep-folds] [--check]
"""

import argparse
import sys
import time

import numpy as np
from _common import (
    DENOISE_SR as SR,
)
from _common import (
    ESC10_AMBIENCES,
    RESULTS_DIR,
    TRAINING_NOISES,
    add_check_arguments,
    add_set_argument,
    esc10_recordings_by_fold,
    finish,
    fixed_clips,
    fsdd_recordings,
    noisereduce_denoiser,
    parse_overrides,
    read_results,
    refuse_partial_run_into,
    results_or_measure,
    target_strings,
    test_conditions,
    training_pairs,
)
from _peers import peer_denoisers

from skaudio.io import FSDD_PATTERN, load_folder
from skaudio.metrics import si_sdr_improvement
from skaudio.pipelines import make_denoiser_pipeline

FOLD_SPEAKERS = {1: "jackson", 2: "lucas", 3: "nicolas", 4: "theo"}
TEST_NOISES = ("real", "white", "pink", "babble")
SNRS = (0, 5)
TRAINED = ("synthetic", "with_real")

# Targets (issue 23), checked by --check: the denoiser trained with real noise beats the best
# peer by 3 dB in every condition (mean over the folds), denoises at least 200x faster than
# real time and trains in at most 20 minutes.
TARGETS = {
    "with_real_margin_over_best_peer": (">=", 3.0),
    "with_real_realtime_factor": (">=", 200.0),
    "with_real_train_seconds": ("<=", 1200.0),
}


def checked_values(results):
    """The figures TARGETS constrains, read from a results dict."""
    margins = results.get("margin_over_best_peer_db", {}).get("with_real")
    return {
        "with_real_margin_over_best_peer": margins or None,
        "with_real_realtime_factor": results.get("realtime_factor", {}).get("with_real"),
        "with_real_train_seconds": max(results.get("train_seconds", {}).get("with_real", []), default=None),
    }


def ambiences_by_fold():
    """ESC-10's ambience recordings at SR, their silent ends trimmed, per fold."""
    by_fold = esc10_recordings_by_fold(SR, ESC10_AMBIENCES)
    return {fold: [wave for wave, _ in recordings] for fold, recordings in by_fold.items()}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, nargs="+", default=sorted(FOLD_SPEAKERS), choices=sorted(FOLD_SPEAKERS))
    parser.add_argument("--trained", nargs="+", default=["with_real"], choices=TRAINED, help="training mixtures")
    parser.add_argument("--train-clips", type=int, default=2000, help="clean training clips per fold (at most 2000)")
    parser.add_argument("--mixtures", type=int, default=3, help="noisy versions of each training clip")
    parser.add_argument("--test-clips", type=int, default=20, help="clips of the left-out speaker per fold")
    parser.add_argument(
        "--noise-filter-db", type=float, default=0.0, help="training noise: make_noisy's noise_filter_db"
    )
    parser.add_argument(
        "--noise-speed-perturbation",
        type=float,
        default=0.0,
        help="training noise: make_noisy's noise_speed_perturbation",
    )
    add_set_argument(parser, "cnn1ddenoiser__average_weights=True")
    parser.add_argument("--out", default="denoise_real", help="results file name (without .json)")
    parser.add_argument(
        "--keep-folds",
        action="store_true",
        help="keep the folds that --out's results file holds, measured with the same settings; measure the others",
    )
    args = add_check_arguments(parser).parse_args(argv)
    args.overrides = parse_overrides(parser, args, lambda: make_denoiser_pipeline(sr=SR), "denoise_real")
    partial = sorted(set(args.folds)) != sorted(FOLD_SPEAKERS) and not args.keep_folds
    return refuse_partial_run_into(parser, args, "denoise_real", partial=partial, option="--folds")


def measure_fold(fold, speech, ambiences, peers, args):
    """SI-SDR improvements per method and condition, training and denoising seconds, for one fold."""
    speakers = np.asarray(speech.speaker)
    test_speaker = FOLD_SPEAKERS[fold]
    clean_train = fixed_clips(speech, speakers != test_speaker)
    clean_train = clean_train[np.linspace(0, len(clean_train) - 1, min(args.train_clips, len(clean_train))).astype(int)]
    clean_test = fixed_clips(speech, speakers == test_speaker)
    clean_test = clean_test[np.linspace(0, len(clean_test) - 1, args.test_clips).astype(int)]
    test_noises = {name: ambiences[fold] if name == "real" else name for name in TEST_NOISES}
    conditions = test_conditions(clean_test, noises=test_noises, snrs=SNRS)
    training_real = [rec for other, recs in ambiences.items() if other != fold for rec in recs]
    mixes = {
        "synthetic": {"noises": TRAINING_NOISES},
        "with_real": {
            "noises": TRAINING_NOISES + ("real",) * len(TRAINING_NOISES),
            "recordings": {"real": training_real},
        },
    }
    methods = {
        "noisereduce_stationary": noisereduce_denoiser(True),
        "noisereduce_nonstationary": noisereduce_denoiser(False),
    }
    for name, peer in peers.items():
        if not isinstance(peer, str):  # a string says why that peer is unavailable
            methods[name] = lambda noisy, peer=peer: peer(noisy, SR)
    train_seconds = {}
    for name in args.trained:
        noisy, clean = training_pairs(
            clean_train,
            seed=fold,
            mixtures=args.mixtures,
            noise_filter_db=args.noise_filter_db,
            noise_speed_perturbation=args.noise_speed_perturbation,
            **mixes[name],
        )
        pipe = make_denoiser_pipeline(sr=SR, random_state=fold).set_params(**args.overrides)
        start = time.perf_counter()
        pipe.fit(noisy, clean)
        train_seconds[name] = time.perf_counter() - start
        print(f"fold {fold}: trained {name} on {len(noisy)} pairs in {train_seconds[name]:.0f} s", flush=True)
        methods[name] = pipe.predict
    gains, seconds = {}, {}
    for name, denoise in methods.items():
        gains[name], seconds[name] = {}, 0.0
        denoise(next(iter(conditions.values()))[:2])  # untimed: the first call builds (traces) what it runs
        for (noise, snr), noisy in conditions.items():
            start = time.perf_counter()
            estimate = denoise(noisy)
            seconds[name] += time.perf_counter() - start
            gains[name][f"{noise}_{snr}dB"] = float(np.mean(si_sdr_improvement(clean_test, estimate, noisy)))
        print(f"fold {fold}: {name:26s} " + " ".join(f"{k} {v:+.1f}" for k, v in gains[name].items()), flush=True)
    audio_seconds = len(conditions) * clean_test.size / SR
    return {
        "fold": fold,
        "test_speaker": test_speaker,
        "n_test_clips": len(clean_test),
        "n_training_pairs": len(clean_train) * args.mixtures,
        "trained": list(args.trained),
        "si_sdr_improvement_db": gains,
        "realtime_factor": {name: audio_seconds / s for name, s in seconds.items()},
        "train_seconds": train_seconds,
    }


def settings(args):
    """What a fold's figures depend on besides the fold and the methods: a kept fold must share them."""
    return {
        "train_clips": args.train_clips,
        "mixtures": args.mixtures,
        "noise_filter_db": args.noise_filter_db,
        "noise_speed_perturbation": args.noise_speed_perturbation,
        "test_clips": args.test_clips,
        "snrs_db": list(SNRS),
        **({"set": list(args.set)} if args.set else {}),  # absent from the factory's runs, as before --set
    }


def kept_runs(args):
    """The runs of --folds already in --out's results file (``--keep-folds``), by fold; checks their settings."""
    if not (args.keep_folds and (RESULTS_DIR / f"{args.out}.json").exists()):
        return {}
    previous = read_results(args.out)
    trained = {tuple(run["trained"]) for run in previous["folds"]}
    if previous["settings"] != settings(args) or trained != {tuple(args.trained)}:
        sys.exit(
            f"--keep-folds: {args.out}.json was measured with {previous['settings']} and --trained "
            f"{[list(t) for t in sorted(trained)]}, not {settings(args)} and --trained {list(args.trained)}"
        )
    return {run["fold"]: run for run in previous["folds"] if run["fold"] in args.folds}


def measure(args):
    """Every fold of --folds (those kept from the results file with --keep-folds aside); the means over folds."""
    kept = kept_runs(args)
    if kept:
        print(f"kept from {args.out}.json: folds {sorted(kept)}", flush=True)
    speech = load_folder(fsdd_recordings(), labels=FSDD_PATTERN)
    ambiences = ambiences_by_fold()
    peer_functions = peer_denoisers()  # set up once: DeepFilterNet3 loads its model to check the install
    runs = [kept.get(fold) or measure_fold(fold, speech, ambiences, peer_functions, args) for fold in args.folds]
    methods = list(runs[0]["si_sdr_improvement_db"])
    conditions = list(runs[0]["si_sdr_improvement_db"][methods[0]])
    mean = {
        name: {c: float(np.mean([run["si_sdr_improvement_db"][name][c] for run in runs])) for c in conditions}
        for name in methods
    }
    peers = [name for name in methods if name not in TRAINED]
    margins = {
        name: {c: mean[name][c] - max(mean[peer][c] for peer in peers) for c in conditions} for name in args.trained
    }
    return {
        "si_sdr_improvement_db": mean,
        "margin_over_best_peer_db": margins,
        "realtime_factor": {name: float(np.min([run["realtime_factor"][name] for run in runs])) for name in methods},
        "train_seconds": {name: [run["train_seconds"][name] for run in runs] for name in args.trained},
        "unavailable_peers": {name: why for name, why in peer_functions.items() if isinstance(why, str)},
        "folds": runs,
        "settings": settings(args),
        "targets": target_strings(TARGETS),
    }


def report(results):
    """Print the table of mean improvements, the margins and the costs."""
    mean = results["si_sdr_improvement_db"]
    conditions = list(next(iter(mean.values())))
    print(f"SI-SDR improvement (dB), mean over {len(results['folds'])} folds (unseen speaker, unseen recordings):")
    print(f"{'method':26s} " + " ".join(f"{c:>10s}" for c in conditions))
    for name, gains in mean.items():
        print(f"{name:26s} " + " ".join(f"{gains[c]:+10.2f}" for c in conditions))
    for name, margins in results["margin_over_best_peer_db"].items():
        print(f"{name + ' - best peer':26s} " + " ".join(f"{margins[c]:+10.2f}" for c in conditions))
    for name, reason in results["unavailable_peers"].items():
        print(f"{name}: not measured ({reason})")
    speed = results["realtime_factor"]
    print("real-time factor (x real time, slowest fold): " + ", ".join(f"{m} {s:.0f}x" for m, s in speed.items()))
    print(
        "training seconds per fold: "
        + "; ".join(f"{m} {[round(s) for s in v]}" for m, v in results["train_seconds"].items())
    )


def main(argv=None):
    args = parse_args(argv)
    results = results_or_measure(args, args.out, measure, report)
    return finish(args, TARGETS, checked_values(results))


if __name__ == "__main__":
    sys.exit(main())
