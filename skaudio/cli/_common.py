"""What the subcommands share: one-line errors, model files and their metadata."""

import datetime
import os
import warnings

import numpy as np

import skaudio

# Bumped when a model file's layout changes; files of another format are refused.
MODEL_FORMAT = 1
TASKS = ("classify", "detect", "denoise")


class CLIError(Exception):
    """An error the command reports as one line on stderr (exit status 1)."""


def check_file(path, what="file"):
    if not os.path.exists(path):
        raise CLIError(f"{what} not found: {path}")
    if os.path.isdir(path):
        raise CLIError(f"{what} is a folder, not a file: {path}")
    return path


def versions():
    import keras
    import sklearn
    import tensorflow

    return {"skaudio": skaudio.__version__, "keras": keras.__version__, "sklearn": sklearn.__version__,
            "tensorflow": tensorflow.__version__, "numpy": np.__version__}


def save_model(pipeline, path, *, task, sr, labels, extra=None):
    """Save a fitted pipeline, behind an AudioLoader at ``sr``, with its training metadata.

    The saved pipeline takes file paths; its metadata is ``skaudio_metadata_``.
    Returns the metadata.
    """
    import joblib
    from sklearn.pipeline import Pipeline

    from skaudio.io import AudioLoader

    pipeline = Pipeline([("audioloader", AudioLoader(sr=sr)), *pipeline.steps])

    pipeline.skaudio_metadata_ = {
        "format": MODEL_FORMAT,
        "task": task,
        "sr": int(sr),
        "labels": None if labels is None else [label.item() if isinstance(label, np.generic) else label
                                                for label in labels],
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "versions": versions(),
        **(extra or {}),
    }
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise CLIError(f"cannot write {path}: folder {directory} does not exist")
    joblib.dump(pipeline, path)
    return pipeline.skaudio_metadata_


def load_model(path, *, task=None):
    """A pipeline saved by ``skaudio train`` or ``skaudio demo``, checked for format and task."""
    import joblib
    from sklearn.exceptions import InconsistentVersionWarning

    check_file(path, "model file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", InconsistentVersionWarning)
            model = joblib.load(path)
    except InconsistentVersionWarning as exc:
        raise CLIError(f"{path} was saved with scikit-learn {exc.original_sklearn_version}, this is "
                       f"{exc.current_sklearn_version}: retrain the model or install the version it was saved with")
    except (ModuleNotFoundError, AttributeError, ImportError) as exc:
        raise CLIError(f"cannot load {path}: it was saved by an incompatible version of skaudio or its "
                       f"libraries ({type(exc).__name__}: {exc})")
    except Exception as exc:  # noqa: BLE001 - a corrupt or foreign file: say so in one line
        raise CLIError(f"cannot load {path}: not a skaudio model file ({type(exc).__name__}: {exc})")
    metadata = getattr(model, "skaudio_metadata_", None)
    if not isinstance(metadata, dict):
        raise CLIError(f"{path} is not a model saved by `skaudio train` (no skaudio metadata)")
    if metadata.get("format") != MODEL_FORMAT:
        raise CLIError(f"{path} has model format {metadata.get('format')!r}, this skaudio reads format "
                       f"{MODEL_FORMAT}: it was saved by an incompatible version "
                       f"(skaudio {metadata.get('versions', {}).get('skaudio', '?')})")
    saved = metadata.get("versions", {}).get("skaudio", "?")
    if saved.split(".")[:2] != skaudio.__version__.split(".")[:2]:
        raise CLIError(f"{path} was saved by skaudio {saved}, this is {skaudio.__version__}: retrain it or "
                       f"install skaudio=={saved}")
    if task is not None and metadata["task"] != task:
        raise CLIError(f"{path} is a {metadata['task']!r} model; this command needs a {task!r} model")
    return model, metadata
