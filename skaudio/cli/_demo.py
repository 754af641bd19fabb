"""``skaudio demo``: the three tasks on generated sounds, with a report folder.

Nothing is downloaded: the sounds come from :func:`skaudio.datasets.make_sounds`,
and the denoiser's noise is white unless ``--noise`` names others or folders of
noise recordings (some of each folder's recordings held out for the test).
Each task uses its recommended pipeline from :mod:`skaudio.pipelines`, trained
for 30 epochs, the classifier for at least its pipeline's ``min_steps`` (more
epochs on the demo's 270 training clips); ``--epochs N`` trains every task for
exactly N.
"""

import os
import time

import numpy as np

from skaudio.cli._common import CLIError, save_model
from skaudio.cli._files import savefig, write_audio, write_json
from skaudio.cli._noise import held_out_recordings, mix_noises, noise_sources, overlapping_noise_folder
from skaudio.utils import named

SR = 8000
DEFAULT_EPOCHS = 30  # every task's, without --epochs
# The tasks seed with --seed, --seed + 1 and --seed + 2, and numpy takes seeds below 2**32.
MAX_SEED = 2**32 - 3
# Every file the report holds, so that an earlier report is found before anything is trained.
MODEL_FILES = {"classify": "classifier.skaudio", "detect": "event_detector.skaudio", "denoise": "denoiser.skaudio"}
EXAMPLE_FILES = [f"example{i}_{kind}.wav" for i in range(3) for kind in ("noisy", "denoised", "clean")]
FIGURE_FILES = (
    "classify_example.png",
    "classify_confusion_matrix.png",
    "classify_history.png",
    "detect_events.png",
    "denoise_spectrograms.png",
)
REPORT_FILES = (*MODEL_FILES.values(), *EXAMPLE_FILES, *FIGURE_FILES, "scores.json")


def _print_table(rows):
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for k, row in enumerate(rows):
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
        if k == 0:
            print("  ".join("-" * width for width in widths))


def _length(task, epochs, exact_epochs):
    """How long a task trains, as the demo says it (the classifier's ``min_steps`` adds epochs unless ``--epochs``)."""
    if task != "classify" or exact_epochs:
        return f"{epochs} epochs"
    from skaudio.pipelines import make_classifier_pipeline

    min_steps = make_classifier_pipeline(sr=SR).get_params()["cnn1dclassifier__min_steps"]
    return f"{epochs} epochs or {min_steps} steps, whichever is more"


def _classify(seed, epochs, exact_epochs=False):
    from sklearn.model_selection import train_test_split

    from skaudio.datasets import make_sounds
    from skaudio.pipelines import make_classifier_pipeline

    X, y = make_sounds(60, sr=SR, duration=(0.4, 1.0), snr_db=20.0, random_state=seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=seed)
    pipe = make_classifier_pipeline(sr=SR, random_state=seed).set_params(cnn1dclassifier__epochs=epochs)
    if exact_epochs:
        pipe.set_params(cnn1dclassifier__min_steps=None)
    pipe.fit(X_train, y_train)
    return pipe, X_test, y_test, {"accuracy": float(pipe.score(X_test, y_test))}


def _detect(seed, epochs):
    from skaudio.datasets import make_event_scenes, make_sounds
    from skaudio.metrics import event_based_scores, segment_based_scores
    from skaudio.models import predict_events
    from skaudio.pipelines import make_event_detector_pipeline

    clips, labels = make_sounds(
        30, classes=["chirp", "click_train", "harmonic"], sr=SR, duration=(0.3, 0.8), random_state=seed + 1
    )
    scenes, events = make_event_scenes(
        clips,
        labels,
        n_scenes=600,
        sr=SR,
        duration=4.0,
        n_events=(1, 3),
        backgrounds="pink",
        snr_db=(0.0, 20.0),
        random_state=seed,
    )
    pipe = make_event_detector_pipeline(sr=SR, random_state=seed).set_params(crnneventdetector__epochs=epochs)
    pipe.fit(scenes[:500], events[:500])
    estimated = predict_events(pipe, scenes[500:])
    scores = {
        "event-based F1": event_based_scores(events[500:], estimated)["f_measure"],
        "segment-based F1": segment_based_scores(events[500:], estimated)["f_measure"],
    }
    return pipe, scenes[500:], events[500:], estimated, scores


def _denoise(seed, epochs, training_noises=("white",), test_noises=("white",)):
    """Train on tones mixed with ``training_noises``, test on other tones mixed with ``test_noises``.

    Both are lists of what :func:`~skaudio.cli._noise.mix_noises` takes (names or lists of recordings).
    """
    from skaudio.datasets import make_sounds
    from skaudio.metrics import si_sdr_improvement
    from skaudio.pipelines import make_denoiser_pipeline
    from skaudio.preprocessing import FixedLength

    clips, _ = make_sounds(
        30, classes=["tone", "chirp", "harmonic", "am_tone"], sr=SR, duration=(0.5, 1.0), random_state=seed + 2
    )
    clean = FixedLength(duration=1.0, sr=SR).fit_transform(clips)
    rng = np.random.default_rng(seed)
    noisy_train, clean_train = mix_noises(clean[:100], training_noises, (0.0, 10.0), rng)
    noisy, clean = (np.stack(waves) for waves in mix_noises(clean[100:], test_noises, (0.0, 10.0), rng))
    pipe = make_denoiser_pipeline(sr=SR, random_state=seed).set_params(cnn1ddenoiser__epochs=epochs)
    pipe.fit(np.stack(noisy_train), np.stack(clean_train))
    denoised = pipe.predict(noisy)
    gain = float(np.mean(si_sdr_improvement(clean, denoised, noisy)))
    return pipe, noisy, clean, denoised, {"SI-SDR improvement (dB)": gain}


def task_pipeline_name(task):
    return {
        "classify": "make_classifier_pipeline",
        "detect": "make_event_detector_pipeline",
        "denoise": "make_denoiser_pipeline",
    }[task]


def _plots(out, classify, detect, denoise, *, force):
    """PNG figures of each task; returns their file names."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    from skaudio.plotting import plot_events, plot_history, plot_spectrogram, plot_waveform

    written = []

    def save(fig, name):
        assert name in FIGURE_FILES  # an earlier report's figures are checked for before training
        fig.tight_layout()
        savefig(fig, os.path.join(out, name), dpi=100, force=force)
        plt.close(fig)
        written.append(name)

    pipe, X_test, y_test, _ = classify
    fig, axes = plt.subplots(2, 1, figsize=(8, 6))
    plot_waveform(X_test[0], sr=SR, ax=axes[0], title=f"a test clip: {y_test[0]}")
    plot_spectrogram(X_test[0], sr=SR, ax=axes[1])
    save(fig, "classify_example.png")
    fig, ax = plt.subplots(figsize=(7, 6))
    ConfusionMatrixDisplay.from_estimator(pipe, X_test, y_test, ax=ax, xticks_rotation=45, colorbar=False)
    save(fig, "classify_confusion_matrix.png")
    fig, ax = plt.subplots(figsize=(7, 4))
    plot_history(pipe, ax=ax)
    save(fig, "classify_history.png")

    _, scenes, events, estimated, _ = detect
    fig, ax = plt.subplots(figsize=(10, 4))
    plot_events(events[0], estimated[0], waveform=scenes[0], sr=SR, ax=ax)
    save(fig, "detect_events.png")

    _, noisy, clean, denoised, _ = denoise
    fig, axes = plt.subplots(3, 1, figsize=(8, 8))
    for ax, (title, wave) in zip(axes, (("noisy", noisy[0]), ("denoised", denoised[0]), ("clean", clean[0]))):
        plot_spectrogram(wave, sr=SR, ax=ax, title=title)
    save(fig, "denoise_spectrograms.png")
    return written


def _check_report_folder(out, force):
    """Create ``out`` (before any training) and refuse to replace an earlier report's files without ``force``."""
    if os.path.lexists(out) and not os.path.isdir(out):
        raise CLIError(f"--out {out} is a file, not a folder")
    earlier = [name for name in REPORT_FILES if os.path.lexists(os.path.join(out, name))]
    if earlier and not force:
        raise CLIError(
            f"{out} already holds a report ({named(earlier, limit=3)})"
            f": pass --force to replace its files, or choose another --out"
        )
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as exc:
        raise CLIError(f"cannot create the report folder {out}: {exc.strerror}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise CLIError(f"cannot write the report: folder {out} is not writable")


def _refuse_overlap(out, noise):
    """Refuse a ``--noise`` folder that holds the report folder, lies in it or is it, before anything is read.

    The noise folders are read with their subfolders: an earlier report's WAV files would be taken for noise
    recordings, and then, with ``--force``, written over. Inputs and outputs are kept apart whichever holds
    the other.
    """
    entry = overlapping_noise_folder(out, noise)
    if entry is not None:
        raise CLIError(
            f"--out {out} and the --noise folder {entry} overlap (one holds the other): the demo does not "
            "write where it reads noise recordings (an earlier report's audio would be read as noise and "
            "written over); choose an --out that neither holds nor lies in a noise folder"
        )


def demo(args):
    """Run ``skaudio demo``; returns the scores."""
    start = time.perf_counter()
    out = args.out
    if not 0 <= args.seed <= MAX_SEED:  # else numpy refuses it as a random_state, after a task has trained
        raise CLIError(f"--seed must be between 0 and {MAX_SEED}, got {args.seed}")
    # the noise recordings are read (and refused) before anything is written or trained
    _refuse_overlap(out, args.noise)
    noises, sources = noise_sources(args.noise, SR)
    training_noises, test_noises = held_out_recordings(noises, sources)
    _check_report_folder(out, args.force)
    seed, epochs, exact_epochs = args.seed, args.epochs or DEFAULT_EPOCHS, args.epochs is not None
    timings = {}

    results = {}
    runs = {
        "classify": lambda seed, epochs: _classify(seed, epochs, exact_epochs),
        "detect": _detect,
        "denoise": lambda seed, epochs: _denoise(seed, epochs, training_noises, test_noises),
    }
    for task, run in runs.items():
        what = f" on tones in {', '.join(noises)}" if task == "denoise" else ""
        length = _length(task, epochs, exact_epochs)
        print(f"{task}: training {task_pipeline_name(task)}(sr={SR}){what} for {length} ...", flush=True)
        t = time.perf_counter()
        results[task] = run(seed, epochs)
        timings[task] = time.perf_counter() - t
    classify, detect, denoise = results["classify"], results["detect"], results["denoise"]

    rows = [("task", "pipeline", "metric", "score", "train s")]
    scores = {}
    for task, result in results.items():
        for metric, value in result[-1].items():
            rows.append((task, task_pipeline_name(task), metric, f"{value:.3f}", f"{timings[task]:.0f}"))
            scores[f"{task}: {metric}"] = value
    print()
    _print_table(rows)

    save_model(
        classify[0],
        os.path.join(out, MODEL_FILES["classify"]),
        task="classify",
        sr=SR,
        labels=list(classify[0][-1].classes_),
        extra={"data": "skaudio.datasets.make_sounds"},
        force=args.force,
    )
    save_model(
        detect[0],
        os.path.join(out, MODEL_FILES["detect"]),
        task="detect",
        sr=SR,
        labels=list(detect[0][-1].labels_),
        extra={"data": "make_event_scenes", "scene_duration": 4.0},
        force=args.force,
    )
    save_model(
        denoise[0],
        os.path.join(out, MODEL_FILES["denoise"]),
        task="denoise",
        sr=SR,
        labels=None,
        extra={"data": "make_noisy(make_sounds)", "noise": noises},
        force=args.force,
    )
    _, noisy, clean, denoised, _ = denoise
    examples = iter(EXAMPLE_FILES)
    for i in range(3):
        for wave in (noisy[i], denoised[i], clean[i]):
            write_audio(os.path.join(out, next(examples)), wave, SR, "WAV", "PCM_16", force=args.force)
    try:
        figures = _plots(out, classify, detect, denoise, force=args.force)
    except ImportError as exc:
        figures = []
        print(f"plots skipped: {exc} (pip install 'skaudio[plot]')")
    elapsed = time.perf_counter() - start
    write_json(
        os.path.join(out, "scores.json"),
        {"scores": scores, "noise": noises, "train_seconds": timings, "total_seconds": elapsed, "figures": figures},
        force=args.force,
    )
    print(
        f"\nreport in {out}/: {len(figures)} figures, 9 WAV examples, 3 fitted pipelines "
        f"(try `skaudio info {os.path.join(out, MODEL_FILES['classify'])}`); total {elapsed:.0f} s"
    )
    if all(isinstance(source, str) for source in sources):
        print("to hear the denoiser on recorded noise, give it a folder of your recordings: --noise FOLDER")
    return scores
