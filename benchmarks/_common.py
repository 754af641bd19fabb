"""Helpers shared by the benchmark scripts: data location, result files, targets, denoising data."""

import json
import operator
import os
import platform
import time
from pathlib import Path

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"


def fsdd_recordings():
    """Folder of FSDD wav files: ``$SKAUDIO_FSDD/recordings``, else ``../shared/data/fsdd``."""
    root = Path(os.environ.get("SKAUDIO_FSDD", BENCH_DIR.parent.parent / "shared" / "data" / "fsdd"))
    recordings = root / "recordings"
    if not recordings.is_dir():
        raise SystemExit(f"FSDD not found at {recordings}; set SKAUDIO_FSDD to the folder holding recordings/.")
    return recordings


def esc10_folder():
    """ESC-10's folder of class folders: ``$SKAUDIO_ESC10``, else ``../shared/data/esc10``."""
    root = Path(os.environ.get("SKAUDIO_ESC10", BENCH_DIR.parent.parent / "shared" / "data" / "esc10"))
    if not root.is_dir():
        raise SystemExit(f"ESC-10 not found at {root}; set SKAUDIO_ESC10 to the folder holding the class folders.")
    return root


def esc10_folds(bunch):
    """The fold of each ESC-10 clip of a ``load_folder`` bunch: the first field of ``{fold}-{id}-{take}.ogg``."""
    return np.array([int(Path(name).name.split("-")[0]) for name in bunch.filenames])


ESC10_AMBIENCES = ("Rain", "Sea waves", "Fire crackling", "Helicopter", "Chainsaw")
ESC10_EVENTS = ("Dog bark", "Baby cry", "Clock tick", "Person sneeze", "Rooster")


def esc10_recordings_by_fold(sr, classes):
    """ESC-10's recordings of ``classes`` (names without the folder number) at ``sr``, per fold.

    ``{fold: [(waveform, class name), ...]}``, each waveform's digital-silence padding trimmed
    (ESC-10 pads recordings shorter than 5 s with zeros).
    """
    from skaudio.io import load_folder

    bunch = load_folder(esc10_folder(), sr=sr)
    names = [name.split(" - ", 1)[-1] for name in bunch.target_names[bunch.target]]
    recordings = {}
    for wave, fold, name in zip(bunch.data, esc10_folds(bunch), names):
        if name in classes:
            loud = np.flatnonzero(np.abs(wave) > 1e-4)
            recordings.setdefault(int(fold), []).append((wave[loud[0] : loud[-1] + 1], name))
    return recordings


def _cpu_model():
    """The processor's name: floating-point results, and so trained networks, differ between processors."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            names = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    except OSError:
        names = []
    return names[0] if names else platform.processor()


def machine():
    """What the numbers were measured on."""
    import keras
    import numpy as np
    import sklearn

    import skaudio

    return {
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "sklearn": sklearn.__version__,
        "keras": keras.__version__,
        "skaudio": skaudio.__version__,
        "date": time.strftime("%Y-%m-%d"),
    }


def write_results(name, results):
    """Write ``results`` (with machine info) to ``benchmarks/results/<name>.json`` and print the path.

    An absolute ``name`` (a development run's ``--out /tmp/run``) writes
    ``<name>.json`` there instead. The file is replaced only once complete.
    """
    path = RESULTS_DIR / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps({"machine": machine(), **results}, indent=2, default=str) + "\n")
    os.replace(partial, path)
    print(f"wrote {path.relative_to(BENCH_DIR.parent) if path.is_relative_to(BENCH_DIR.parent) else path}")
    return path


# --------------------------------------------------------------------------- targets
#
# Each script states its targets as data at its top, ``TARGETS = {name: (op, threshold)}``,
# and reads the figures they constrain from its results with ``checked_values(results)``:
# ``{name: value}``, where a value is a number (or bool), or a dict of them (per seed,
# per condition, ...) that must all meet the target. ``--check`` makes a miss an error;
# ``--from-results`` evaluates a results file (by default the committed one) without
# measuring anything.

OPERATORS = {">=": operator.ge, "<=": operator.le, "==": operator.eq}


def add_check_arguments(parser):
    """Add ``--check`` and ``--from-results`` to a benchmark's argument parser."""
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when a stated target is missed (or was not measured)"
    )
    parser.add_argument(
        "--from-results",
        nargs="?",
        const=True,
        default=None,
        metavar="PATH",
        help="measure nothing: evaluate the targets on a results file "
        "(default: this script's file in benchmarks/results/)",
    )
    return parser


def _writes_default_file(args, default_out):
    """Whether a run would write ``default_out``, the file that holds the factory's full protocol."""
    return (args.out or default_out) == default_out and not args.from_results


def refuse_partial_run_into(parser, args, default_out, *, partial, option):
    """Refuse a run over part of a protocol's held-out sets (``partial``) that would write ``default_out``.

    That file holds the full protocol, whose means ``--check`` and the design notes read; a partial run
    goes to a name of its own (``--out``).
    """
    if partial and _writes_default_file(args, default_out):
        parser.error(
            f"{option} measures part of the protocol: give --out NAME, so that {default_out}.json keeps the "
            "full run that --check reads"
        )
    return args


def add_set_argument(parser, example, on="the recommended pipeline"):
    """Add ``--set NAME=VALUE ...``, ``set_params`` on what a benchmark measures (``example``: one assignment)."""
    parser.add_argument(
        "--set",
        nargs="+",
        default=[],
        metavar="NAME=VALUE",
        help=f"set_params on {on}, e.g. {example} (exploration; give --out, named in the results)",
    )
    return parser


def parse_overrides(parser, args, make_pipeline, default_out):
    """``args.set`` as ``set_params`` arguments, read and checked as ``skaudio train --set`` reads them.

    ``make_pipeline()`` builds the pipeline whose parameter names are checked (only when ``--set`` is
    given). A variant goes to a results file of its own: refused when it would write ``default_out``,
    which keeps the recommended pipeline's run.
    """
    if not args.set:  # the usual run: no pipeline to build for checking names
        return {}
    from skaudio.cli._common import CLIError
    from skaudio.cli._train import parse_settings

    if _writes_default_file(args, default_out):
        parser.error(f"--set measures a variant: give --out NAME, so that {default_out}.json keeps the factory")
    try:
        return parse_settings(args.set, make_pipeline())
    except CLIError as error:
        parser.error(str(error))


def read_results(path):
    """A results file as a dict; ``path`` is a path or a name in ``benchmarks/results/``."""
    path = Path(path)
    if not path.suffix:
        path = RESULTS_DIR / f"{path}.json"
    return json.loads(path.read_text())


def target_strings(targets):
    """The targets as the strings results files record, e.g. ``{"ratio": ">= 8"}``."""
    return {name: f"{op} {threshold}" for name, (op, threshold) in targets.items()}


def evaluate_targets(targets, values):
    """Each target's verdict, in the order of ``targets``.

    Returns a list of dicts with ``target``, ``requirement``, ``measured`` (the
    figure, or for a dict of figures the one furthest from passing, with its
    key; None when not measured) and ``passed`` (False when not measured).
    """
    verdicts = []
    for name, (op, threshold) in targets.items():
        if op not in OPERATORS:
            raise ValueError(f"target {name!r}: unknown operator {op!r}; use one of {sorted(OPERATORS)}.")
        value = values.get(name)
        items = value if isinstance(value, dict) else ({} if value is None else {"": value})
        items = {key: figure for key, figure in items.items() if figure is not None}
        if not items:
            verdicts.append({"target": name, "requirement": f"{op} {threshold}", "measured": None, "passed": False})
            continue
        misses = {key: figure for key, figure in items.items() if not OPERATORS[op](figure, threshold)}
        pool = misses or items
        if op == ">=":
            key = min(pool, key=lambda k: pool[k])
        elif op == "<=":
            key = max(pool, key=lambda k: pool[k])
        else:
            key = next(iter(pool))
        verdicts.append(
            {
                "target": name,
                "requirement": f"{op} {threshold}",
                "measured": (pool[key], key),
                "passed": not misses,
            }
        )
    return verdicts


def report_targets(verdicts):
    """Print one line per target, PASS or FAIL; return whether all passed."""
    print("targets:")
    for verdict in verdicts:
        if verdict["measured"] is None:
            shown = "not measured"
        else:
            figure, key = verdict["measured"]
            shown = (f"{figure:.4g}" if isinstance(figure, float) else str(figure)) + (f" ({key})" if key else "")
        status = "PASS" if verdict["passed"] else "FAIL"
        print(f"  {status}  {verdict['target']:34s} {verdict['requirement']:>10s}   measured {shown}")
    return all(verdict["passed"] for verdict in verdicts)


def finish(args, targets, values):
    """Report the targets; the exit status: 1 with ``--check`` when one is missed, else 0."""
    passed = report_targets(evaluate_targets(targets, values))
    if args.check and not passed:
        print("--check: a target was missed")
        return 1
    return 0


def results_or_measure(args, name, measure, report):
    """The results: read (``--from-results``) or measured (``measure(args)``, then written); reported."""
    if args.from_results:
        results = read_results(name if args.from_results is True else args.from_results)
        report(results)
        return results
    results = measure(args)
    report(results)
    write_results(name, results)
    return results


# --------------------------------------------------------------------------- denoising data
# bench_denoise.py and probe_denoise.py train and test on the same clips and mixtures.

DENOISE_SR = 8000
TEST_NOISES = ("white", "pink", "babble")
TEST_SNRS = (0, 5, 10)
TARGET_RMS = 0.1

# make_denoiser_pipeline's targets (issue 5), which a probed variant must meet too:
# the SI-SDR improvement at 0 dB white noise, and the margin over noisereduce's
# better mode (stationary or not) in every condition, both in dB.
DENOISER_PIPELINE_TARGETS = {
    "white_0dB": (">=", 13.0),
    "margin_over_noisereduce": (">=", 3.0),
}


def fixed_clips(bunch, mask):
    """The clips of ``bunch`` where ``mask`` holds, centred in (or cropped to) 1 s and RMS-normalised."""
    from skaudio.preprocessing import FixedLength

    fixed = FixedLength(duration=1.0, sr=DENOISE_SR, align="center").fit_transform(
        [c for c, m in zip(bunch.data, mask) if m]
    )
    return (TARGET_RMS * fixed / np.sqrt(np.mean(fixed**2, axis=1, keepdims=True))).astype(np.float32)


def split_clips(bunch):
    """The training split (index 5-49) and the test split (index 0-4) as 1 s RMS-normalised clips."""
    test = bunch.index.astype(int) < 5
    return fixed_clips(bunch, ~test), fixed_clips(bunch, test)


TRAINING_NOISES = ("white", "pink", "brown", "babble")


def test_conditions(clean_test, noises=None, snrs=TEST_SNRS):
    """The noisy test clips per (noise, snr): every noise at every SNR.

    ``noises``: ``{name: what make_noisy takes as noise}``; None for TEST_NOISES.
    """
    from skaudio.datasets import make_noisy

    noises = noises or {name: name for name in TEST_NOISES}
    return {
        (name, snr): make_noisy(clean_test, noise=noises[name], snr_db=snr, random_state=100 + k)[0]
        for k, (name, snr) in enumerate((n, s) for n in noises for s in snrs)
    }


def training_pairs(clean, seed, mixtures, noises=TRAINING_NOISES, recordings=None, **augmentation):
    """``mixtures`` noisy versions of every clean clip, stacked version by version, at SNRs in [-5, 15] dB.

    ``noises``: names drawn per clip with equal chances (a name listed twice has twice the share), each
    a named noise of make_noisy or a key of ``recordings`` (``{name: list of noise recordings}``);
    ``augmentation``: make_noisy's noise_filter_db and noise_speed_perturbation.
    """
    from skaudio.datasets import make_noisy

    recordings = recordings or {}
    rng = np.random.default_rng(seed)
    versions = []
    for _ in range(mixtures):
        kinds = rng.choice(list(noises), size=len(clean))
        noisy = np.empty_like(clean)
        for kind in np.unique(kinds):
            idx = np.flatnonzero(kinds == kind)
            noisy[idx], _ = make_noisy(
                clean[idx], noise=recordings.get(kind, kind), snr_db=(-5, 15), random_state=rng, **augmentation
            )
        versions.append(noisy)
    return np.concatenate(versions), np.tile(clean, (mixtures, 1))


def noisereduce_denoiser(stationary, sr=DENOISE_SR):
    """noisereduce's spectral gating (stationary or not) as a batch function ``noisy -> denoised``."""
    import noisereduce

    def denoise(noisy):
        return np.stack([noisereduce.reduce_noise(y=x, sr=sr, stationary=stationary) for x in noisy])

    return denoise


def denoiser_pipeline_values(gains, noisereduce):
    """The figures of DENOISER_PIPELINE_TARGETS.

    ``gains``: SI-SDR improvement per condition (``"white_0dB"``, ...);
    ``noisereduce``: ``{mode: {condition: improvement}}`` (None if unknown).
    """
    margins = None
    if noisereduce:
        margins = {
            condition: gain - max(mode[condition] for mode in noisereduce.values())
            for condition, gain in gains.items()
            if all(condition in mode for mode in noisereduce.values())
        }
    return {"white_0dB": gains.get("white_0dB"), "margin_over_noisereduce": margins}
