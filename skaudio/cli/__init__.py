"""The ``skaudio`` command (``python -m skaudio`` does the same).

Subcommands: ``demo`` (the three tasks on generated sounds, with a report),
``train`` (a whole pipeline from a folder of recordings), ``predict``,
``denoise`` and ``info`` (use a saved model). Errors print one line on stderr
and exit with status 1; set ``SKAUDIO_DEBUG=1`` for the traceback.
"""

import argparse
import os
import sys

from skaudio.cli._common import TASKS, CLIError

__all__ = ["main", "build_parser"]


def build_parser():
    """The argument parser of the ``skaudio`` command."""
    parser = argparse.ArgumentParser(
        prog="skaudio", description="Audio classification, event detection and denoising in scikit-learn.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="train all three tasks on generated sounds and write a report",
                          description="Generate sounds, train the classifier, the event detector and the denoiser "
                                      "briefly, print their scores and write a report folder (plots, WAV examples, "
                                      "fitted pipelines). Nothing is downloaded.")
    demo.add_argument("--out", default="skaudio-demo", help="report folder (default: skaudio-demo)")
    demo.add_argument("--epochs", type=_positive_int, default=30, help="training epochs per task (default: 30)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")

    train = sub.add_parser("train", help="train a pipeline on a folder of recordings",
                           description="Train a whole Pipeline (loading, features, model) built by "
                                       "skaudio.pipelines, print cross-validated and held-out scores, and save it "
                                       "with its training metadata.")
    train.add_argument("--task", required=True, choices=TASKS)
    train.add_argument("--data", required=True, metavar="FOLDER", help="folder of audio files")
    train.add_argument("--labels", default="subfolder", metavar="subfolder|REGEX",
                       help="labels from each file's folder name, or a regular expression with a (?P<label>...) "
                            "group matched against file names (default: subfolder; ignored for denoise)")
    train.add_argument("--sr", type=_positive_int, default=None, help="resample every file to this rate in Hz "
                                                                      "(default: the files' own common rate)")
    train.add_argument("--epochs", type=_positive_int, default=None, help="training epochs (default: the pipeline's)")
    train.add_argument("--grid", nargs="+", default=[], metavar="PARAM=V1,V2",
                       help="GridSearchCV over these pipeline parameters, e.g. cnn1dclassifier__kernel_size=3,5")
    train.add_argument("--cv", type=int, default=3, help="cross-validation folds (default: 3; 0 skips scoring "
                                                          "by cross-validation when there is no grid)")
    train.add_argument("--test-size", type=float, default=0.2, help="held-out fraction (default: 0.2)")
    train.add_argument("--noise", default="white,pink,babble", help="denoise: noises mixed into the clean "
                                                                    "recordings (default: white,pink,babble)")
    train.add_argument("--snr", default="0,10", metavar="LOW,HIGH", help="denoise: SNR range in dB (default: 0,10)")
    train.add_argument("--scenes", type=_positive_int, default=1000,
                       help="detect: training scenes synthesised from the clips (default: 1000)")
    train.add_argument("--scene-duration", type=float, default=4.0, help="detect: scene length in s (default: 4)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--out", required=True, metavar="MODEL.joblib")
    train.add_argument("-v", "--verbose", action="count", default=0, help="progress bars (-v) and epochs (-vv)")

    predict = sub.add_parser("predict", help="classify files, or detect their events",
                             description="One CSV/JSON row per file (classifier: label and class probabilities) "
                                         "or per detected event (detector: file, onset, offset, label).")
    predict.add_argument("model", metavar="MODEL.joblib")
    predict.add_argument("files", nargs="+", metavar="FILE")
    predict.add_argument("--format", choices=("csv", "json"), default="csv")

    denoise = sub.add_parser("denoise", help="denoise a recording of any length",
                             description="Denoise IN.wav with a denoising model; the output has the input's "
                                         "sample rate and length.")
    denoise.add_argument("model", metavar="MODEL.joblib")
    denoise.add_argument("input", metavar="IN.wav")
    denoise.add_argument("-o", "--output", required=True, metavar="OUT.wav")

    info = sub.add_parser("info", help="show a saved model's steps, parameters and training metadata",
                          description="Show a saved model's steps, parameters and training metadata.")
    info.add_argument("model", metavar="MODEL.joblib")
    return parser


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number > 0, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a whole number > 0, got {text!r}")
    return value


def main(argv=None):
    """Run the ``skaudio`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    from skaudio.cli import _apply, _demo, _train

    command = {"demo": _demo.demo, "train": _train.train, "predict": _apply.predict,
               "denoise": _apply.denoise, "info": _apply.info}[args.command]
    try:
        command(args)
    except KeyboardInterrupt:
        print("skaudio: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the command line reports errors in one line
        if os.environ.get("SKAUDIO_DEBUG"):
            raise
        message = str(exc) if isinstance(exc, CLIError) else f"{type(exc).__name__}: {exc}"
        print(f"skaudio {args.command}: error: {message.splitlines()[0] if message else type(exc).__name__}",
              file=sys.stderr)
        return 1
    return 0
