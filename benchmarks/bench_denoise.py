"""Denoising FSDD digits: SI-SDR improvement against noisereduce, speed.

Test: the FSDD test split (index 0-4, 250 clips), each fixed to 1 s and
RMS-normalised, mixed with white, pink and babble noise at 0, 5 and 10 dB SNR.
Training: the training split (index 5-49), mixed with white, pink, brown and
babble noise at SNRs drawn in [-5, 15] dB, --mixtures noisy versions of each
clip (new mixtures teach more than more passes over the same ones); the
default CNN1DDenoiser, whose cost per sample is 4x the pipeline's, trains on
the first version only. Methods: noisereduce stationary and
non-stationary spectral gating (a benchmark-only dependency), the default
CNN1DDenoiser (the article's network) and make_denoiser_pipeline(sr=8000);
for scale, the ceilings of masking the noisy spectrum (oracle ratio and
phase-sensitive masks, which read the clean reference).
Writes benchmarks/results/denoise.json.

Run: python benchmarks/bench_denoise.py [--mixtures 4] [--epochs-default 20] [--check]
Check the committed results against the targets: python benchmarks/bench_denoise.py --from-results --check
"""

import argparse
import sys
import time

import numpy as np
from _common import (
    DENOISE_SR as SR,
)
from _common import (
    DENOISER_PIPELINE_TARGETS,
    add_check_arguments,
    denoiser_pipeline_values,
    finish,
    fsdd_recordings,
    noisereduce_denoiser,
    results_or_measure,
    split_clips,
    target_strings,
    test_conditions,
    training_pairs,
)

from skaudio.io import FSDD_PATTERN, load_folder
from skaudio.metrics import si_sdr, si_sdr_improvement
from skaudio.pipelines import make_denoiser_pipeline

# Targets (issue 5), checked by --check: make_denoiser_pipeline ("best") gains at least
# +13 dB at 0 dB white noise and beats noisereduce's better mode by 3 dB in every
# condition; the article's network ("default") gains at least +3 dB at 0 dB white and is
# never below its input; the pipeline denoises at least 200x faster than real time.
TARGETS = {
    **{f"best_{name}": target for name, target in DENOISER_PIPELINE_TARGETS.items()},
    "default_white_0dB": (">=", 3.0),
    "default_never_below_input": (">=", 0.0),
    "best_realtime_factor": (">=", 200.0),
}


def checked_values(results):
    """The figures TARGETS constrains, read from a results dict."""
    improvement = results.get("si_sdr_improvement_db", {})
    gains = {
        name: {condition: entry["si_sdr_improvement"] for condition, entry in method.items()}
        for name, method in improvement.items()
    }
    noisereduce = {
        name: gains[name] for name in ("noisereduce_stationary", "noisereduce_nonstationary") if name in gains
    }
    best = denoiser_pipeline_values(gains.get("best", {}), noisereduce)
    default = gains.get("default", {})
    return {
        **{f"best_{name}": value for name, value in best.items()},
        "default_white_0dB": default.get("white_0dB"),
        "default_never_below_input": default or None,
        "best_realtime_factor": results.get("realtime_factor", {}).get("best"),
    }


def oracle_masks(clean, noisy, n_fft, hop_length):
    """Ceilings of masking the noisy spectrum: ideal ratio and phase-sensitive masks.

    Oracles: they read the clean reference. The STFT is the given one (the
    benchmark passes the recommended pipeline's: a 32 ms Hann window, hop
    8 ms). The ideal ratio mask ``|S| / sqrt(|S|^2 + |N|^2)`` is the usual
    target of a mask that ignores phase; the phase-sensitive mask
    ``Re(S conj(Y)) / |Y|^2``, truncated to [0, 1], is the real mask in
    [0, 1] closest to the clean spectrum bin by bin (least squares), what a
    mask trained end to end on the waveform can learn towards.
    """
    import librosa

    speech = librosa.stft(clean, n_fft=n_fft, hop_length=hop_length)
    mixture = librosa.stft(noisy, n_fft=n_fft, hop_length=hop_length)
    noise = mixture - speech
    masks = {
        "oracle_ratio_mask": np.abs(speech) / np.sqrt(np.abs(speech) ** 2 + np.abs(noise) ** 2 + 1e-12),
        "oracle_phase_sensitive_mask": np.clip(
            np.real(speech * np.conj(mixture)) / (np.abs(mixture) ** 2 + 1e-12), 0, 1
        ),
    }
    return {
        name: librosa.istft(mask * mixture, n_fft=n_fft, hop_length=hop_length, length=noisy.shape[-1])
        for name, mask in masks.items()
    }


def seam_check(pipeline, noisy):
    """Denoise a long recording (the clips end to end) in chunks and whole: how far apart?"""
    recording = noisy.reshape(1, -1)
    denoiser = pipeline[-1]
    chunked = pipeline.predict(recording)
    chunk_length = denoiser.chunk_length
    try:
        whole = denoiser.set_params(chunk_length=recording.shape[1]).predict(recording)
    finally:
        denoiser.set_params(chunk_length=chunk_length)
    difference = (chunked - whole)[0]
    step, _ = denoiser.chunk_grid()
    jumps = np.abs(np.diff(difference))
    return {
        "seconds": recording.shape[1] / SR,
        # a cut between chunks shows as a jump of the difference at a boundary
        "max_jump_at_chunk_boundaries": float(jumps[step - 1 :: step].max()),
        "max_jump_between_other_samples": float(np.delete(jumps, np.s_[step - 1 :: step]).max()),
        "max_abs_difference": float(np.max(np.abs(difference))),
        "peak": float(np.max(np.abs(whole))),
        "si_sdr_db": float(si_sdr(whole, chunked)[0]),
    }


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs-default", type=int, default=20, help="epochs of the default CNN1DDenoiser")
    parser.add_argument("--mixtures", type=int, default=4, help="noisy versions of each training clip")
    parser.add_argument("--skip-default", action="store_true")
    return add_check_arguments(parser).parse_args(argv)


def measure(args):
    """Train the denoisers, denoise every test condition, time it; the results dict."""
    from skaudio.models import CNN1DDenoiser

    bunch = load_folder(fsdd_recordings(), labels=FSDD_PATTERN)
    clean_train, clean_test = split_clips(bunch)
    n_clean = len(clean_train)
    noisy_train, clean_train = training_pairs(clean_train, seed=0, mixtures=args.mixtures)
    conditions = test_conditions(clean_test)

    methods, train_seconds = (
        {
            "noisereduce_stationary": noisereduce_denoiser(True),
            "noisereduce_nonstationary": noisereduce_denoiser(False),
        },
        {},
    )
    models = {"best": (make_denoiser_pipeline(sr=SR, random_state=0), len(noisy_train))}
    if not args.skip_default:
        models["default"] = (CNN1DDenoiser(epochs=args.epochs_default, random_state=0), n_clean)
    for name, (model, n_pairs) in models.items():
        start = time.perf_counter()
        model.fit(noisy_train[:n_pairs], clean_train[:n_pairs])
        train_seconds[name] = time.perf_counter() - start
        print(f"trained {name} on {n_pairs} pairs in {train_seconds[name]:.0f} s", flush=True)
        methods[name] = model.predict

    results, speed = {}, {}
    for name, denoise in methods.items():
        results[name] = {}
        elapsed = 0.0
        for (noise, snr), noisy in conditions.items():
            start = time.perf_counter()
            estimate = denoise(noisy)
            elapsed += time.perf_counter() - start
            gain = si_sdr_improvement(clean_test, estimate, noisy)
            results[name][f"{noise}_{snr}dB"] = {
                "input_si_sdr": float(np.mean(si_sdr(clean_test, noisy))),
                "si_sdr_improvement": float(np.mean(gain)),
            }
        audio_seconds = len(conditions) * clean_test.shape[0] * clean_test.shape[1] / SR
        speed[name] = audio_seconds / elapsed
    oracles, best = {}, models["best"][0][-1]
    for (noise, snr), noisy in conditions.items():
        for name, estimate in oracle_masks(clean_test, noisy, best.n_fft, best.hop_length).items():
            oracles.setdefault(name, {})[f"{noise}_{snr}dB"] = float(
                np.mean(si_sdr_improvement(clean_test, estimate, noisy))
            )
    return {
        "si_sdr_improvement_db": results,
        "oracle_si_sdr_improvement_db": oracles,
        "realtime_factor": speed,
        "train_seconds": train_seconds,
        "training_pairs": {name: n_pairs for name, (_, n_pairs) in models.items()},
        "chunked_vs_whole": seam_check(models["best"][0], conditions[("white", 0)]),
        "best_params": {k: v for k, v in best.get_params().items() if not callable(v)},
        "targets": target_strings(TARGETS),
    }


def report(results):
    """Print the tables of a results dict."""
    improvement, oracles = results["si_sdr_improvement_db"], results["oracle_si_sdr_improvement_db"]
    methods = list(improvement)
    print(f"{'condition':12s} {'input':>7s} " + " ".join(f"{m:>26s}" for m in methods))
    for key in improvement["noisereduce_stationary"]:
        row = f"{key:12s} {improvement['noisereduce_stationary'][key]['input_si_sdr']:7.2f} "
        row += " ".join(f"{improvement[m][key]['si_sdr_improvement']:+26.2f}" for m in methods)
        print(row)
    print("ceilings of masking the noisy spectrum (oracles, computed from the clean reference):")
    for key in oracles["oracle_ratio_mask"]:
        print(f"{key:12s} " + " ".join(f"{name} {values[key]:+.2f}" for name, values in oracles.items()))
    speed = results["realtime_factor"]
    print("real-time factor (x real time, 2 cores): " + ", ".join(f"{m} {speed[m]:.0f}x" for m in methods))
    print("training seconds: " + ", ".join(f"{m} {s:.0f}" for m, s in results["train_seconds"].items()))
    seams = results["chunked_vs_whole"]
    print(
        f"chunked against whole-input denoising of {seams['seconds']:.0f} s: "
        f"max |difference| {seams['max_abs_difference']:.2e} (peak {seams['peak']:.2f}), "
        f"SI-SDR of chunked against whole {seams['si_sdr_db']:.1f} dB; largest jump of the difference "
        f"at a chunk boundary {seams['max_jump_at_chunk_boundaries']:.2e}, "
        f"between other samples {seams['max_jump_between_other_samples']:.2e}"
    )


def main(argv=None):
    args = parse_args(argv)
    results = results_or_measure(args, "denoise", measure, report)
    return finish(args, TARGETS, checked_values(results))


if __name__ == "__main__":
    sys.exit(main())
