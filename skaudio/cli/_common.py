"""What the subcommands share: one-line errors, model files and their metadata."""

import os
import warnings

import skaudio

# The single joblib (pickle) file skaudio saved before skaudio.save_model's zip format (2): opened only with --trust.
PICKLE_FORMAT = 1
TASKS = ("classify", "detect", "denoise")
# ``skaudio train``'s options that one task uses, with their defaults; given for another task, they are refused
# (they would be ignored). The parser leaves them None, so that what the user gave is known.
TASK_OPTIONS = {
    "classify": {"features": None},  # None: make_classifier_pipeline's default
    "detect": {"scenes": 1000, "scene_duration": 4.0},
    "denoise": {
        "noise": "white,pink,babble",
        "snr": "0,10",
        "mixtures": 3,
        "noise_filter_db": 0.0,
        "noise_speed_perturbation": 0.0,
    },
}


def _are_scores(value):
    return value is None or (
        isinstance(value, dict)
        and all(isinstance(value.get(key), (int, float, type(None))) for key in ("cross_validated", "held_out"))
    )


# The keys of a model file's metadata that the subcommands read, beside those skaudio.persistence checks:
# what each must be (when present), as a test and in words. The file's author chose them.
METADATA_TYPES = {
    "labels": (lambda value: value is None or isinstance(value, list), "a list or null"),
    "scores": (_are_scores, "an object whose cross_validated and held_out are numbers"),
    "best_params": (lambda value: value is None or isinstance(value, dict), "an object or null"),
    "scene_duration": (
        lambda value: value is None or (isinstance(value, (int, float)) and value > 0),
        "a number of seconds > 0 or null",
    ),
}


class CLIError(Exception):
    """An error the command reports as one line on stderr (exit status 1)."""


def save_model(pipeline, path, *, task, sr, labels, extra=None, force=False):
    """Save a fitted pipeline, behind an AudioLoader at ``sr``, with its training metadata (:func:`skaudio.save_model`).

    The saved pipeline takes file paths. Returns the metadata. Without ``force`` an existing file at ``path``
    is never replaced, even one that appeared while the model trained (:func:`~skaudio.cli._files.write_output`).
    """
    from sklearn.pipeline import Pipeline

    from skaudio.cli._files import write_output
    from skaudio.io import AudioLoader
    from skaudio.persistence import save_model as save

    pipeline = Pipeline([("audioloader", AudioLoader(sr=sr)), *pipeline.steps])
    metadata = {"task": task, "sr": int(sr), "labels": None if labels is None else list(labels), **(extra or {})}
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise CLIError(f"cannot write {path}: folder {directory} does not exist")

    def write(target, replace):
        try:
            return save(pipeline, target, metadata=metadata, replace=replace)
        except FileExistsError:
            raise  # write_output's to handle: the model is saved under another name
        except OSError as exc:  # written beside path and moved into place when complete: path is untouched
            raise CLIError(f"cannot write {target}: {exc.strerror or exc}") from None

    return write_output(path, write, force=force)


def read_metadata(path):
    """A model file's metadata, read without loading it (nothing is unpickled); None for a file that is no zip.

    Only a file that is no zip can be an old joblib (pickle) model; a corrupt zip, or one that is no model
    file, is an error here (trusting it would not help).
    """
    from skaudio.cli._files import check_input
    from skaudio.persistence import _check_metadata_types, _starts_as_zip, read_model_metadata

    check_input(path, "model file")
    if not _starts_as_zip(path):
        return None
    try:
        metadata = read_model_metadata(path)
        _check_metadata_types(metadata, METADATA_TYPES, path)
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    return metadata


def load_model(path, *, task=None, trusted=False):
    """A pipeline saved by ``skaudio train`` or ``skaudio demo``, checked for format and task.

    Model files load without running code from them; anything that needs
    trust (an old joblib file, types skaudio does not trust) is refused
    unless ``trusted`` (``--trust``).
    """
    from skaudio.persistence import UntrustedModelError
    from skaudio.persistence import load_model as load

    metadata = read_metadata(path)
    if metadata is None:
        if not trusted:
            raise CLIError(
                f"{path} is not a skaudio model file (not a zip archive); if it is an old joblib (pickle) model, "
                "loading it runs any code it holds: pass --trust only if you made it or trust its source"
            )
        model, metadata = _load_pickle(path)
    else:
        if metadata.get("task") not in TASKS or not isinstance(metadata.get("sr"), int) or metadata["sr"] <= 0:
            raise CLIError(
                f"{path} is a skaudio model file but not one saved by `skaudio train` (its metadata has "
                "no task or sample rate)"
            )
        _check_task(path, metadata, task)  # before loading: a wrong model is said at once
        try:
            model = load(path, trusted=trusted)
        except UntrustedModelError as exc:
            raise CLIError(f"{exc.reason}; nothing was loaded. Pass --trust only if you trust its source") from None
        except ValueError as exc:
            raise CLIError(str(exc)) from None
    _check_task(path, metadata, task)
    return model, metadata


def _check_task(path, metadata, task):
    if task is not None and metadata["task"] != task:
        raise CLIError(f"{path} is a {metadata['task']!r} model; this command needs a {task!r} model")


def _load_pickle(path):
    """An old single-file joblib model (format 1): unpickled, which runs any code the file holds."""
    import joblib
    from sklearn.exceptions import InconsistentVersionWarning

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", InconsistentVersionWarning)
            model = joblib.load(path)
    except InconsistentVersionWarning as exc:
        raise CLIError(
            f"{path} was saved with scikit-learn {exc.original_sklearn_version}, this is "
            f"{exc.current_sklearn_version}: retrain the model or install the version it was saved with"
        ) from None
    except (ModuleNotFoundError, AttributeError, ImportError) as exc:
        raise CLIError(
            f"cannot load {path}: it was saved by an incompatible version of skaudio or its "
            f"libraries ({type(exc).__name__}: {exc})"
        ) from None
    except Exception as exc:  # noqa: BLE001 - a corrupt or foreign file: say so in one line
        raise CLIError(f"cannot load {path}: not a skaudio model file ({type(exc).__name__}: {exc})") from None
    metadata = getattr(model, "skaudio_metadata_", None)
    if not isinstance(metadata, dict):
        raise CLIError(f"{path} is not a model saved by `skaudio train` (no skaudio metadata)")
    if metadata.get("format") != PICKLE_FORMAT:
        raise CLIError(
            f"{path} has model format {metadata.get('format')!r}, this skaudio reads format "
            f"{PICKLE_FORMAT} with --trust: it was saved by an incompatible version "
            f"(skaudio {metadata.get('versions', {}).get('skaudio', '?')})"
        )
    saved = metadata.get("versions", {}).get("skaudio", "?")
    if saved.split(".")[:2] != skaudio.__version__.split(".")[:2]:
        raise CLIError(
            f"{path} was saved by skaudio {saved}, this is {skaudio.__version__}: retrain it or "
            f"install skaudio=={saved}"
        )
    return model, metadata
