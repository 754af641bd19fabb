"""The ``skaudio`` command (``python -m skaudio`` does the same).

Subcommands: ``demo`` (the three tasks on generated sounds, with a report),
``train`` (a whole pipeline from a folder of recordings), ``predict``,
``denoise`` and ``info`` (use a saved model). Errors print one line on stderr
and exit with status 1; set ``SKAUDIO_DEBUG=1`` for the traceback. Warnings
print one line each. TensorFlow's start-up lines are kept off stderr unless
``-v`` is given.
"""

import argparse
import contextlib
import importlib.abc
import importlib.util
import logging
import math
import os
import sys
import tempfile
import warnings

from skaudio.cli._common import TASK_OPTIONS, TASKS
from skaudio.cli._files import error_line

__all__ = ["main", "build_parser"]


def build_parser():
    """The argument parser of the ``skaudio`` command."""
    parser = argparse.ArgumentParser(
        prog="skaudio",
        description="Audio classification, event detection and denoising in scikit-learn.",
        epilog=MODELS_FROM_OTHERS,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        help="train all three tasks on generated sounds and write a report",
        description="Generate sounds, train the classifier, the event detector and the denoiser "
        "briefly, print their scores and write a report folder (plots, WAV examples, "
        "fitted pipelines). Nothing is downloaded.",
    )
    demo.add_argument("--out", default="skaudio-demo", help="report folder (default: skaudio-demo)")
    demo.add_argument(
        "--epochs",
        type=_positive_int,
        default=None,
        help="training epochs per task, exactly (default: 30, and the classifier at least its pipeline's 1,500 "
        "steps, more epochs on the demo's few clips)",
    )
    demo.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    demo.add_argument("--force", action="store_true", help="replace the files of an earlier report in --out")
    demo.add_argument(
        "--noise",
        default="white",
        help="noises the denoiser learns to remove from the generated tones, as train's --noise: named noises "
        "or folders of noise recordings (yours: rain, traffic, fans); a folder needs 2 or more recordings, and "
        "every fourth (at least one) is kept for the test mixtures only (default: white)",
    )
    _add_verbose(demo)

    train = sub.add_parser(
        "train",
        help="train a pipeline on a folder of recordings",
        description="Train a whole Pipeline (loading, features, model) built by "
        "skaudio.pipelines on a share of the files, print its held-out score (and a cross-validated "
        "one with --cv), refit it on all the files and save it with its training metadata. "
        "Time: classify with the defaults trains two networks (MFCC and log-mel) twice (the held-out "
        "fit and the refit): 2,500 one-second files at 8 kHz take about 7 to 14 minutes on 2 cores, by "
        "processor (an estimate from benchmarks/bench_classify.py's fits); --no-refit takes a little under "
        "half of that, --features mfcc a sixth to nine tenths (its one network trains 1.1 to 6 times faster "
        "than the pair). Fewer files take hardly less: the classifier trains at least 1,500 steps, the 30 epochs "
        "of about 1,600 one-second files.",
    )
    train.add_argument("--task", required=True, choices=TASKS)
    train.add_argument("--data", required=True, metavar="FOLDER", help="folder of audio files")
    train.add_argument(
        "--labels",
        default="subfolder",
        metavar="subfolder|REGEX",
        help="labels from each file's folder name, or a regular expression with a (?P<label>...) "
        "group matched against file names (default: subfolder; ignored for denoise)",
    )
    train.add_argument(
        "--sr",
        type=_positive_int,
        default=None,
        help="resample every file to this rate in Hz (default: the files' own common rate)",
    )
    train.add_argument(
        "--epochs",
        type=_positive_int,
        default=None,
        help="training epochs, exactly (default: the pipeline's; the classifier's trains a small set for more epochs, "
        "at least 1,500 steps)",
    )
    train.add_argument(
        "--features",
        default=None,
        metavar="mfcc|log-mel|mfcc+log-mel",
        help="classify: the front end, mfcc for spoken words, log-mel for environmental sounds, tones and "
        "music, mfcc+log-mel for one network of each, averaged, at 1.1 to 6 times mfcc's training time (default: "
        "mfcc+log-mel, the pipeline's; see make_classifier_pipeline)",
    )
    train.add_argument(
        "--grid",
        nargs="+",
        default=[],
        metavar="PARAM=V1,V2",
        help="GridSearchCV over these pipeline parameters, e.g. cnn1dclassifier__kernel_size=3,5",
    )
    train.add_argument(
        "--set",
        nargs="+",
        default=[],
        metavar="PARAM=VALUE",
        help="set pipeline parameters before training, e.g. cnn1dclassifier__n_networks=1 (after --epochs)",
    )
    train.add_argument(
        "--cv",
        type=_non_negative_int,
        default=0,
        help="cross-validation folds for a cross-validated score before the held-out one (default: 0, none; "
        "a --grid is searched with 3 folds, or with --cv folds when 2 or more)",
    )
    train.add_argument(
        "--no-refit",
        dest="refit",
        action="store_false",
        help="save the pipeline the held-out score measured instead of refitting it on all the data "
        "(default: refit, which takes about as long again)",
    )
    train.add_argument(
        "--test-size", type=_fraction, default=0.2, help="held-out fraction, between 0 and 1 (default: 0.2)"
    )
    denoise_defaults, detect_defaults = TASK_OPTIONS["denoise"], TASK_OPTIONS["detect"]
    train.add_argument(
        "--noise",
        help="denoise: noises mixed into the clean recordings, comma-separated: white, pink, brown, blue, violet, "
        "babble (other recordings of --data) or a folder of noise recordings (resampled, mixed in at random "
        f"offsets, looped when short) (default: {denoise_defaults['noise']})",
    )
    train.add_argument(
        "--snr",
        metavar="LOW,HIGH",
        help=f"denoise: SNR range in dB (default: {denoise_defaults['snr']}); a negative LOW is given with '=', "
        "as in --snr=-5,5",
    )
    train.add_argument(
        "--mixtures",
        type=_positive_int,
        help="denoise: noisy versions of each training recording, each with its own noise, excerpt and SNR; "
        f"training takes about this many times as long as with 1 (default: {denoise_defaults['mixtures']}, "
        "which gained 0.2-0.8 dB over 1 on 2,000 recordings)",
    )
    train.add_argument(
        "--noise-filter-db",
        type=_decibels,
        metavar="DB",
        help="denoise: each extra mixture's noise (mixtures 2 to N of a training file) goes through a smooth random "
        "filter with gains within +-DB dB, so that a few noise recordings stand for many; the first mixture of "
        "every file, which the held-out score uses, keeps the noise as recorded (default: 0, off)",
    )
    train.add_argument(
        "--noise-speed-perturbation",
        type=_perturbation,
        metavar="S",
        help="denoise: each extra mixture's noise recording or babble is played at a random speed in [1-S, 1+S] "
        "(pitch and spectrum shift with it), as --noise-filter-db (default: 0, off)",
    )
    train.add_argument(
        "--scenes",
        type=_positive_int,
        help=f"detect: training scenes synthesised from the clips (default: {detect_defaults['scenes']})",
    )
    train.add_argument(
        "--scene-duration",
        type=_seconds,
        metavar="SECONDS",
        help="detect: scene length in s; every file, trimmed to where it is within 40 dB of its peak, must fit in "
        "a scene, and predict detects events in windows "
        f"of this length (default: {detect_defaults['scene_duration']:g})",
    )
    train.add_argument("--seed", type=int, default=0)
    train.add_argument(
        "--out",
        required=True,
        metavar="MODEL.skaudio",
        help="the model file; checked before training: its folder must exist and be writable, and "
        "it may not be one of the training files",
    )
    train.add_argument("--force", action="store_true", help="replace an existing --out file")
    train.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="progress bars and TensorFlow's messages (-v), and epochs (-vv)",
    )

    predict = sub.add_parser(
        "predict",
        help="classify files, or detect their events",
        description="One CSV/JSON row per file (classifier: label and class probabilities) "
        "or per detected event (detector: file, onset, offset, label), printed "
        "as each file is done. A file at another sample rate than the model's is "
        "resampled (said once on stderr); a file shorter than the model's "
        "analysis window is an error, a silent file a warning. A file of any "
        "length is classified from all of it (windows slid over it, their "
        "probabilities pooled), or its events detected in overlapping windows "
        "of the training scenes' length. (A model saved with a FixedLength "
        "step sees only part of a long file: a warning says so.)",
    )
    predict.add_argument("model", metavar="MODEL.skaudio")
    predict.add_argument("files", nargs="+", metavar="FILE")
    predict.add_argument("--format", choices=("csv", "json"), default="csv")
    predict.add_argument(
        "--on-error",
        choices=("raise", "skip"),
        default="raise",
        help="a file that cannot be read or predicted: stop there (raise, the default), or report "
        "it on stderr and go on (skip; the exit status is 1 if any file failed)",
    )
    _add_trust(predict)
    _add_verbose(predict)

    denoise = sub.add_parser(
        "denoise",
        help="denoise a recording of any length",
        description="Denoise IN.wav with a denoising model. The output has the input's "
        "sample rate, length and channels (each channel is denoised on its own); "
        "its format comes from its extension: .wav or .flac (16-bit PCM) or .ogg "
        "(Vorbis), whatever the input's format. The output is written only when "
        "complete, is never the input, and replaces an existing file only with "
        "--force.",
    )
    denoise.add_argument("model", metavar="MODEL.skaudio")
    denoise.add_argument("input", metavar="IN.wav", help="any format libsndfile reads (WAV, FLAC, OGG, MP3, ...)")
    denoise.add_argument("-o", "--output", required=True, metavar="OUT.wav", help="a .wav, .flac or .ogg file")
    denoise.add_argument(
        "--subtype",
        default=None,
        metavar="SUBTYPE",
        help="sample format: PCM_16 (default for .wav and .flac), PCM_24, FLOAT (32-bit float, "
        ".wav) or VORBIS (default for .ogg)",
    )
    denoise.add_argument("--force", action="store_true", help="replace an existing output file")
    _add_trust(denoise)
    _add_verbose(denoise)

    info = sub.add_parser(
        "info",
        help="show a saved model's steps, parameters and training metadata",
        description="Show a saved model's steps, parameters, training metadata and whether it "
        "loads without trust, read without loading the model (nothing is unpickled "
        "or run). An old joblib (pickle) model file can only be shown by loading it, "
        "with --trust.",
        epilog=MODELS_FROM_OTHERS,
    )
    info.add_argument("model", metavar="MODEL.skaudio")
    _add_trust(info)
    _add_verbose(info)
    for command in (predict, denoise):
        command.epilog = MODELS_FROM_OTHERS
    return parser


MODELS_FROM_OTHERS = (
    "A model from someone else: `skaudio info MODEL` shows what it is without loading it; predict and denoise load "
    "it without running code from it (only types on skaudio's trusted list, Keras networks in safe mode) and refuse "
    "a file that needs more. Pass --trust only for files you made or whose source you trust: it loads old joblib "
    "(pickle) files and untrusted types, which can run any code."
)


def _add_trust(parser):
    parser.add_argument(
        "--trust",
        action="store_true",
        help="load MODEL even if that runs code from it: an old joblib (pickle) model file, or one "
        "naming types skaudio does not trust (only for files whose source you trust)",
    )


def _add_verbose(parser):
    parser.add_argument("-v", "--verbose", action="count", default=0, help="show TensorFlow's messages")


def _number(convert, accepts, expected):
    """An argparse ``type``: ``convert`` the text, then check it with ``accepts``; the error says ``expected``."""

    def parse(text):
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or not accepts(value):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value

    return parse


_positive_int = _number(int, lambda value: value > 0, "a whole number > 0")
_non_negative_int = _number(int, lambda value: value >= 0, "a whole number >= 0")
_fraction = _number(float, lambda value: 0 < value < 1, "a fraction between 0 and 1")
_decibels = _number(float, lambda value: 0 <= value < math.inf, "a number of dB >= 0")
_perturbation = _number(float, lambda value: 0 <= value < 1, "a number in [0, 1)")
_seconds = _number(float, lambda value: 0 < value < math.inf, "a number of seconds > 0")


@contextlib.contextmanager
def _stderr_to_file():
    """Send the process's stderr (file descriptor 2, where C++ libraries write) to a temporary file.

    What was captured is replayed if the block fails, so an import error is not hidden.
    """
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no stderr to silence
        yield
        return
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        except BaseException:
            os.dup2(saved, 2)
            captured.seek(0)
            sys.stderr.write(captured.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


class _QuietLoader(importlib.abc.Loader):
    """Runs a module's import with stderr captured, then puts the real loader back in its place."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        try:
            with _stderr_to_file():
                self.loader.exec_module(module)
        finally:
            module.__loader__ = module.__spec__.loader = self.loader


class _QuietTensorFlowImport(importlib.abc.MetaPathFinder):
    """Imports ``tensorflow``, whenever something first imports it, through :class:`_QuietLoader`."""

    def find_spec(self, name, path=None, target=None):
        if name != "tensorflow":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


def _quiet_tensorflow():
    """Keep TensorFlow's start-up lines and log off stderr, so that an error is one line.

    ``TF_CPP_MIN_LOG_LEVEL`` (unless the user set it) silences its C++
    logging; absl's verbosity and the ``tensorflow`` logger's level silence
    its Python logging (such as tf.function retracing notes in a grid
    search). The lines printed while its libraries load (CUDA probing)
    ignore all three, so its import runs with stderr captured. Only the
    command line does this; importing skaudio changes nothing.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with contextlib.suppress(ImportError):
        from absl import logging as absl_logging

        absl_logging.set_verbosity(absl_logging.ERROR)
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    if "tensorflow" not in sys.modules and not any(isinstance(f, _QuietTensorFlowImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuietTensorFlowImport())


def _one_line_warnings(command):
    """A ``warnings.showwarning`` that prints ``skaudio COMMAND: warning: message`` on stderr."""

    def show(message, category, filename, lineno, file=None, line=None):
        print(f"skaudio {command}: warning: {message}", file=sys.stderr, flush=True)

    return show


def main(argv=None):
    """Run the ``skaudio`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    if not args.verbose:
        _quiet_tensorflow()
    # A file name that is not valid UTF-8 (held as surrogates) is printed as its own bytes, not a crash.
    # (stderr already escapes what it cannot encode.)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="surrogateescape")
    from skaudio.cli import _apply, _demo, _train

    command = {
        "demo": _demo.demo,
        "train": _train.train,
        "predict": _apply.predict,
        "denoise": _apply.denoise,
        "info": _apply.info,
    }[args.command]
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _one_line_warnings(args.command)
            command(args)
    except KeyboardInterrupt:
        print("skaudio: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of the output went away (`skaudio predict ... | head`): stop quietly, as Unix tools do,
        # with stdout pointed at devnull so that the interpreter's final flush does not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a command stopped by a closed pipe
    except Exception as exc:  # noqa: BLE001 - the command line reports errors in one line
        if os.environ.get("SKAUDIO_DEBUG"):
            raise
        print(f"skaudio {args.command}: error: {error_line(exc)}", file=sys.stderr)
        return 1
    return 0
