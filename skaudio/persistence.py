"""Model files that can be inspected without loading them and loaded without running their code.

A model file is a zip archive:

- ``metadata.json``: what the model is (task, labels, sample rate, scores,
  steps and their parameters, ...), when and with which library versions it
  was saved. :func:`read_model_metadata` reads it and nothing else.
- ``model.skops``: the scikit-learn object (a Pipeline, a search, an
  estimator) in the :mod:`skops.io` format, with each Keras network taken
  out. skops rebuilds only the types it is told to trust: skaudio's loaders,
  transformers and estimators (:data:`TRUSTED_TYPES`) and the scikit-learn
  estimators skops trusts by default; it calls no function and imports no
  class the file names otherwise.
- ``networks/0.keras``, ``networks/1.keras``, ...: the fitted network of each
  skaudio estimator (its ``model_``), in Keras' native format, loaded with
  ``safe_mode=True`` (no Python code from the file, such as ``Lambda``
  layers, is deserialised) once its configuration, read as JSON, names
  nothing but Keras' and skaudio's classes and functions.

In the payload each estimator's ``model_`` is a placeholder string naming its
network's member; :func:`load_model` puts the loaded networks back.
Format 1 was the command line's single joblib (pickle) file; it can only be
loaded with ``trusted=True``. Read more in the :ref:`User Guide <persistence>`.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime
import errno
import importlib.metadata
import io
import json
import os
import re
import shutil
import sys
import tempfile
import types
import warnings
import zipfile
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "TRUSTED_TYPES",
    "ModelVersionWarning",
    "UntrustedModelError",
    "is_model_file",
    "load_model",
    "read_model_metadata",
    "save_model",
    "untrusted_network_objects",
    "untrusted_types",
    "version_differences",
]

FORMAT = 2
TASKS = ("classify", "detect", "denoise")

# The types skops may rebuild beyond its defaults (scikit-learn's estimators, numpy arrays, builtin
# containers): what skaudio's pipelines hold. Written out, not collected at import, so that checking a file
# (``skaudio info``) does not import TensorFlow; tests/test_persistence_safe.py checks it against the
# packages' ``__all__``. Each is rebuilt from its attributes (``__setstate__``), which runs no code of the file.
TRUSTED_TYPES = (
    "skaudio.io._loader.AudioLoader",
    "skaudio.preprocessing._fixed_length.FixedLength",
    "skaudio.preprocessing._mfcc.MFCC",
    "skaudio.preprocessing._spectrogram.Spectrogram",
    "skaudio.preprocessing._scaler.FeatureScaler",
    "skaudio.preprocessing._stack.FeatureStack",
    "skaudio.models._classifier.CNN1DClassifier",
    "skaudio.models._event_detector.CRNNEventDetector",
    "skaudio.models._denoiser.CNN1DDenoiser",
    "skaudio.pipelines.AudioPipeline",  # what the factories of skaudio.pipelines return
    "skaudio.models._base.add_channel_axis",  # the estimators' feature encoder: adds the channel axis
    "scikeras.utils.transformers.ClassifierLabelEncoder",
    "scikeras.utils.transformers.TargetReshaper",
    "numpy.dtype",
    # what a fitted CalibratedClassifierCV holds besides its estimators: each fold's calibrated classifier and
    # its sigmoid calibrator (isotonic regression is a public estimator, trusted by skops)
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    # what a fitted search (GridSearchCV, ...) holds besides its estimators: the splitters it was given or
    # chose, the scorer of scoring=None (the estimator's own score method) and skaudio's scorers. A scorer
    # built by make_scorer holds its metric function, which is a type of its own: skaudio's is trusted,
    # another (scoring="...") needs trusting explicitly.
    "sklearn.metrics._scorer._PassthroughScorer",
    "sklearn.metrics._scorer._Scorer",
    "skaudio.metrics._separation._mean_si_sdr",  # si_sdr_scorer's metric
    "skaudio.metrics._events._EventScorer",  # event_f1_scorer, segment_f1_scorer, make_event_scorer's
    *(
        f"sklearn.model_selection._split.{name}"
        for name in (
            "KFold",
            "StratifiedKFold",
            "GroupKFold",
            "StratifiedGroupKFold",
            "RepeatedKFold",
            "RepeatedStratifiedKFold",
            "ShuffleSplit",
            "StratifiedShuffleSplit",
            "GroupShuffleSplit",
            "LeaveOneGroupOut",
            "PredefinedSplit",
            "TimeSeriesSplit",
        )
    ),
)

_METADATA = "metadata.json"
_PAYLOAD = "model.skops"
_SKOPS_SCHEMA = "schema.json"  # the payload is a zip of its own: this and the array files its nodes name
_NETWORK = re.compile(r"networks/[0-9]+\.keras")
_PLACEHOLDER = "skaudio-network:"
_KERAS_CONFIG = "config.json"  # what a .keras network holds beside its own metadata.json
# Keys save_model writes itself; the caller's metadata must not set them.
_RESERVED = ("format", "date", "versions", "model", "networks", "untrusted_types")
_MAX_METADATA_BYTES = 10 * 2**20
# What a member may unpack to (its declared size is checked before reading, and the read is capped, in case the
# size is a lie): a model's scikit-learn part is kilobytes to megabytes (its networks are members of their own),
# so these only stop a small file that unpacks to gigabytes. The payload's limit is documented (load_model).
_MAX_PAYLOAD_BYTES = 512 * 2**20
_MAX_NETWORK_CONFIG_BYTES = 64 * 2**20
# A network is copied to disk whole before Keras opens it, so its declared size is checked first: one that unpacks
# to more than the floor and to more than _MAX_EXPANSION times what it takes in the file is a decompression bomb
# (Keras' own guard for the members of a .keras archive: weights deflate little, deflate cannot pass ~1032:1).
_NETWORK_BOMB_FLOOR_BYTES = 256 * 2**20
_MAX_EXPANSION = 100
# How a zip archive starts (a local file header, or the end record of an empty archive). A file that starts
# otherwise is no model file, whatever zip it may embed (an old joblib pickle holds its networks as .keras zips).
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
# Keras layers that run Python code of the file (a Lambda's function, a TFSMLayer's SavedModel), and the entry
# of a serialised lambda: refused by safe mode, so a network holding one needs trust.
_CODE_CLASSES = {"Lambda": "a Lambda layer", "TFSMLayer": "a TFSMLayer", "__lambda__": "a Python function"}
# Packages whose classes a network may name and still load in safe mode (skaudio's layers are registered with
# Keras). "builtins" with class "function" is Keras' way of naming its own functions (losses, activations), which
# it looks up among its own; before 3.9 it then took the name from Python's builtins (exec, eval, open), so those
# names are refused: no Keras function is named after one.
_NETWORK_PACKAGES = ("keras", "skaudio")
_KERAS_PACKAGES = ("keras", "tensorflow", "tf_keras")
# Versions recorded at save (file key -> module, distribution names, what users call it) ...
_RECORDED = {
    "skaudio": ("skaudio", ("skaudio",), "skaudio"),
    "keras": ("keras", ("keras",), "Keras"),
    "sklearn": ("sklearn", ("scikit-learn",), "scikit-learn"),
    "tensorflow": ("tensorflow", ("tensorflow", "tensorflow-cpu", "tf-nightly"), "TensorFlow"),
    "numpy": ("numpy", ("numpy",), "NumPy"),
    "skops": ("skops", ("skops",), "skops"),
}
# ... and those compared at load (major.minor).
_CHECKED = {key: _RECORDED[key] for key in ("skaudio", "sklearn", "keras", "tensorflow")}
# Keras' safe mode had known holes: importing and calling functions (CVE-2025-1550, fixed in 3.9;
# CVE-2025-8747, fixed in 3.11) and a TFSMLayer loading a SavedModel (CVE-2026-1462, fixed in 3.14, and
# backported to 3.12.1 and 3.13.2, which this major.minor floor warns about too).
_SAFE_KERAS = (3, 14)


class ModelVersionWarning(UserWarning):
    """A model file was saved with other versions of skaudio or its libraries than the installed ones."""


class UntrustedModelError(ValueError):
    """Loading a model file would need types, functions or code that skaudio does not trust.

    ``reason`` says what the file needs, without advice on ``trusted`` (the
    command line gives its own, ``--trust``).

    Parameters
    ----------
    reason : str
        What the file needs that skaudio does not trust.
    advice : str, default="Load it with trusted=True only if you trust its source."
        What to do about it, appended to the message.
    """

    def __init__(self, reason: str, advice: str = "Load it with trusted=True only if you trust its source.") -> None:
        self.reason = reason
        super().__init__(f"{reason}; nothing was loaded. {advice}")


# --------------------------------------------------------------------------------------------------- saving
def save_model(
    model: Any, path: str | os.PathLike[str], *, metadata: dict[str, Any] | None = None, replace: bool = True
) -> dict[str, Any]:
    """Save a fitted scikit-learn object holding skaudio estimators to a model file.

    The file is a zip archive: ``metadata.json`` (``metadata`` plus the
    format, date, library versions, the model's steps and parameters),
    the scikit-learn part in the :mod:`skops.io` format and each Keras
    network in the ``.keras`` format. Nothing in it needs pickle, so
    :func:`load_model` loads it without running code from the file, and
    :func:`read_model_metadata` reads the metadata without loading the
    model. The file is written beside ``path`` and moved into place only
    when complete (:func:`skaudio.utils.atomic_path`): a failure (a full
    disk, Ctrl+C) leaves an existing ``path`` untouched. While the
    scikit-learn part is serialised, each estimator's ``model_`` is a
    placeholder (put back afterwards, also on failure): do not predict with
    the model in another thread meanwhile.

    Parameters
    ----------
    model : estimator
        A fitted Pipeline, search (``GridSearchCV``, ...) or estimator. Every
        scikeras estimator inside it, found through pipelines, feature
        unions, searches and other meta-estimators, has its network saved.
    path : str or os.PathLike
        The file to write (``.skaudio`` is the usual extension). Its folder
        must exist.
    metadata : dict, default=None
        JSON-serialisable facts to store (numpy scalars and arrays are
        converted), for example ``{"task": "classify", "sr": 8000,
        "labels": [...], "scores": {...}}``. ``task``, when given, must be
        one of ``"classify"``, ``"detect"``, ``"denoise"`` and match the
        model's final estimator. The keys ``format``, ``date``, ``versions``,
        ``model``, ``networks`` and ``untrusted_types`` are written by
        skaudio. NaN and infinity are refused: JSON cannot hold them.
    replace : bool, default=True
        Whether an existing ``path`` may be replaced. With False, a file at
        ``path`` is never replaced, not even one that appears while the model
        is being saved (checked when the complete file is moved into place).

    Returns
    -------
    metadata : dict
        What ``metadata.json`` holds.

    Raises
    ------
    TypeError
        ``model`` is not a scikit-learn estimator (a class, not an instance,
        included), or ``metadata`` is not a dict with string keys.
    ValueError
        The metadata is not JSON-serialisable (NaN and infinity included),
        uses a reserved key or names another task than the model's; or the
        model holds a Keras object outside an estimator's ``model_`` (an
        optimizer or callback instance as a parameter: pass its name or
        class instead); or its scikit-learn part unpacks to more than the
        512 MiB :func:`load_model` accepts. Nothing was written.
    FileExistsError
        ``replace=False`` and ``path`` exists; nothing was written.

    See Also
    --------
    load_model, read_model_metadata

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from skaudio import load_model, read_model_metadata, save_model
    >>> from skaudio.models import CNN1DClassifier
    >>> from skaudio.preprocessing import FeatureScaler
    >>> X = np.random.default_rng(0).normal(size=(20, 16, 3)).astype("float32")
    >>> y = np.repeat(["a", "b"], 10)
    >>> pipe = make_pipeline(FeatureScaler(), CNN1DClassifier(filters=(4, 4), dense_units=4, epochs=1,
    ...                                                       random_state=0)).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "model.skaudio")
    >>> _ = save_model(pipe, path, metadata={"task": "classify", "note": "a doctest"})
    >>> read_model_metadata(path)["note"]
    'a doctest'
    >>> loaded = load_model(path)  # no code from the file runs
    >>> bool((loaded.predict_proba(X) == pipe.predict_proba(X)).all())
    True
    """
    import skops.io as sio

    from skaudio.utils import atomic_path

    if isinstance(model, type):
        raise TypeError(
            f"save_model saves a fitted estimator, got the class {model.__name__} itself: pass an instance "
            f"fitted to data, e.g. {model.__name__}(...).fit(X, y)."
        )
    if not hasattr(model, "get_params"):
        raise TypeError(f"save_model saves scikit-learn estimators, got {type(model).__name__}.")
    metadata = _checked_metadata(metadata)
    task = _model_task(model)
    claimed = metadata.get("task")
    if claimed is not None and claimed != task:
        raise ValueError(_task_mismatch("metadata", claimed, model, task))
    wrappers = _keras_wrappers(model)
    names = [f"networks/{i}.keras" for i in range(len(wrappers))]
    detached = []
    try:
        for wrapper, name in zip(wrappers, names):
            state = vars(wrapper)
            detached.append(
                (
                    wrapper,
                    {key: state[key] for key in ("model_", "_fit_callbacks", "_predict_callbacks") if key in state},
                )
            )
            # the callbacks hold the network; scikeras makes them anew at the next fresh fit
            state.update(model_=_PLACEHOLDER + name, _fit_callbacks=[], _predict_callbacks=[])
        payload = sio.dumps(model)
    finally:
        for wrapper, state in detached:
            vars(wrapper).update(state)
    # a file load_model refuses (even trusted) would be a model lost: said now, with the model still in hand
    unpacked = max(len(payload), _unpacked_payload_size(payload, _PAYLOAD))
    if unpacked > _MAX_PAYLOAD_BYTES:
        raise ValueError(
            f"cannot save {type(model).__name__}: its scikit-learn part ({_PAYLOAD}) unpacks to {unpacked} bytes, "
            f"more than the {_MAX_PAYLOAD_BYTES // 2**20} MiB load_model accepts; nothing was written."
        )
    metadata = {
        "format": FORMAT,
        "task": claimed if claimed is not None else task,
        **metadata,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "versions": {key: _installed_version(key) for key in _RECORDED},
        "model": {"class": _type_name(type(model)), "steps": _describe_steps(model)},
        "networks": names,
        "untrusted_types": _untrusted_in(payload, _PAYLOAD),  # its size checked above
    }
    with (
        tempfile.TemporaryDirectory() as scratch,
        atomic_path(path, replace=replace) as tmp,
        zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        # metadata first: a reader finds it without scanning the networks
        archive.writestr(_METADATA, json.dumps(metadata, indent=2, allow_nan=False))
        archive.writestr(_PAYLOAD, payload)
        for (_, state), name in zip(detached, names):
            network = os.path.join(scratch, "network.keras")
            state["model_"].save(network)
            archive.write(network, name)
    return metadata


def _checked_metadata(metadata):
    """``metadata`` as plain JSON types, or a one-line error naming the key that is not."""
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise TypeError(f"metadata must be a dict, got {type(metadata).__name__}.")
    reserved = sorted(set(metadata) & set(_RESERVED))
    if reserved:
        raise ValueError(f"metadata keys {reserved} are written by save_model; choose other names.")
    task = metadata.get("task")
    if task is not None and task not in TASKS:
        raise ValueError(f"metadata task must be one of {TASKS} or None, got {task!r}.")
    checked = {}
    for key, value in metadata.items():
        if not isinstance(key, str):
            raise TypeError(f"metadata keys must be strings, got {key!r}.")
        try:
            checked[key] = json.loads(json.dumps(value, default=_plain_json))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"metadata[{key!r}] is not JSON-serialisable: {exc}") from None
        try:
            json.dumps(checked[key], allow_nan=False)
        except ValueError:
            raise ValueError(
                f"metadata[{key!r}] holds NaN or infinity, which JSON cannot hold: store None, or the value as "
                "a string, instead."
            ) from None
    return checked


def _plain_json(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} {value!r:.60}")


def _describe_steps(model):
    """Each step's name, class and parameters (as repr), for ``skaudio info`` to show without loading."""
    from sklearn.pipeline import Pipeline

    steps = model.steps if isinstance(model, Pipeline) else [(type(model).__name__.lower(), model)]
    described = []
    for name, step in steps:
        params = step.get_params(deep=False) if hasattr(step, "get_params") else {}
        described.append(
            {
                "name": name,
                "class": _type_name(type(step)) if hasattr(step, "get_params") else repr(step),
                "params": {key: repr(value) for key, value in sorted(params.items())},
            }
        )
    return described


def _keras_wrappers(model):
    """Every fitted scikeras estimator inside ``model``, each once; refuses Keras objects held elsewhere."""
    found = []
    for where, value in _reachable(model):
        if _is_keras_object(value):
            raise ValueError(
                f"cannot save {type(value).__name__} at {where}: a model file holds Keras networks "
                "only as a fitted estimator's model_. Give Keras parameters by name or class "
                "(optimizer='adam', callbacks=keras.callbacks.EarlyStopping)."
            )
        if _network_state(value) and "model_" in vars(value):
            found.append(value)
    return found


def _reachable(model):
    """``(where, value)`` of every object reachable from ``model``, each once, in the order of its attributes.

    Walks containers and the attributes (``vars``) of every object but classes, modules and Keras objects,
    not only of estimators: meta-estimators keep fitted estimators in plain objects
    (``CalibratedClassifierCV.calibrated_classifiers_``). A scikeras estimator's network is not walked into.
    """
    seen, stack = set(), [(type(model).__name__, model)]
    while stack:
        where, value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        yield where, value
        children = [
            (f"{where}.{key}" if isinstance(key, str) else f"{where}[{key!r}]", child)
            for key, child in _children(value)
        ]
        stack.extend(reversed(children))


def _children(value):
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(enumerate(value))
    if isinstance(value, (type, types.ModuleType)) or _is_keras_object(value):
        return []
    state = getattr(value, "__dict__", None)
    if not isinstance(state, dict):
        return []  # numbers, strings, arrays: nothing inside holds an estimator
    skipped = _network_state(value)
    return [(key, child) for key, child in state.items() if key not in skipped]


def _network_state(value):
    """The attributes that hold a scikeras estimator's network (none for other objects), which are not walked."""
    wrappers = sys.modules.get("scikeras.wrappers")  # not imported: no scikeras estimator exists
    if wrappers is not None and isinstance(value, wrappers.BaseWrapper):
        return ("model_", "_fit_callbacks", "_predict_callbacks")
    return ()


def _is_keras_object(value):
    return not isinstance(value, type) and type(value).__module__.split(".")[0] in _KERAS_PACKAGES


# -------------------------------------------------------------------------------------------------- reading
def is_model_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a model file of :func:`save_model` (a zip holding ``metadata.json`` and ``model.skops``).

    Reads the file's first bytes and the zip directory only, never the
    model. False for an old joblib (pickle) model file, which only
    ``load_model(path, trusted=True)`` opens (such a pickle holds its
    networks as embedded ``.keras`` zips, so being readable as a zip is
    not enough: the file must start as one).

    Parameters
    ----------
    path : str or os.PathLike
        The file to look at.

    Returns
    -------
    bool
        True for a model file; False for anything else, a missing file included.

    Examples
    --------
    >>> import os, tempfile
    >>> from skaudio.persistence import is_model_file
    >>> path = os.path.join(tempfile.mkdtemp(), "notes.txt")
    >>> _ = open(path, "w").write("not a model")
    >>> is_model_file(path)
    False
    """
    try:
        if not _starts_as_zip(path):
            return False
        with zipfile.ZipFile(path) as archive:
            return {_METADATA, _PAYLOAD} <= set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def _starts_as_zip(path):
    with open(path, "rb") as f:
        return f.read(4) in _ZIP_SIGNATURES


def read_model_metadata(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The metadata of a model file, read without loading the model.

    Only ``metadata.json`` is read (JSON): nothing is unpickled, imported or
    built, and TensorFlow is not imported. The metadata is what the file
    says about itself; :func:`load_model` checks its task against the model.

    Parameters
    ----------
    path : str or os.PathLike
        A file written by :func:`save_model` (``skaudio train``, ``skaudio demo``).

    Returns
    -------
    metadata : dict
        ``format``, ``task``, ``date``, ``versions`` (skaudio, sklearn,
        keras, tensorflow, numpy, skops), ``model`` (class, steps and their
        parameters), ``networks``, ``untrusted_types`` (types outside
        :data:`TRUSTED_TYPES` and skops' defaults when it was saved) and
        whatever the caller of :func:`save_model` stored.

    Raises
    ------
    FileNotFoundError
        No such file.
    IsADirectoryError
        ``path`` is a folder.
    ValueError
        The file is not a model file of this format: an old joblib (pickle)
        file, whose metadata cannot be read without loading it, a corrupt or
        truncated file, a zip that is no model file (a Keras ``.keras``
        network), a newer format, or metadata of the wrong types.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from skaudio import read_model_metadata, save_model
    >>> from skaudio.preprocessing import FeatureScaler
    >>> path = os.path.join(tempfile.mkdtemp(), "scaler.skaudio")
    >>> _ = save_model(FeatureScaler().fit(np.ones((2, 3, 4))), path, metadata={"sr": 8000})
    >>> metadata = read_model_metadata(path)
    >>> metadata["format"], metadata["sr"], metadata["model"]["class"]
    (2, 8000, 'skaudio.preprocessing._scaler.FeatureScaler')
    """
    path = _existing_file(path)
    if not _starts_as_zip(path):
        raise ValueError(f"{_not_a_model_file(path)}.")
    with _open_archive(path) as archive:
        return _metadata_of(archive, path)


def _existing_file(path):
    """``path`` as a str, or the OSError that says it is no file."""
    path = os.fspath(path)
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a model file", path)
    if not os.path.isfile(path):
        raise FileNotFoundError(errno.ENOENT, "no such model file", path)
    return path


def _not_a_model_file(path):
    return (
        f"{path} is not a skaudio model file (not a zip archive); if it is an old joblib (pickle) model, "
        "it cannot be inspected or loaded without running any code it holds"
    )


def _open_archive(path):
    """The zip archive of a file that starts as one, open; a ValueError when it is corrupt or no model file.

    Said before anything else: advice to trust such a file would only lead to unpickling a broken download.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(
            f"{path} is a corrupt or truncated zip file ({exc}): it cannot be a complete model file. Save "
            "or download it again."
        ) from None
    names = set(archive.namelist())
    if _KERAS_CONFIG in names and _PAYLOAD not in names:
        archive.close()
        raise ValueError(
            f"{path} is a Keras network (.keras), not a skaudio model file: load it with "
            "keras.saving.load_model (import skaudio.networks first)."
        )
    if _METADATA not in names:
        archive.close()
        raise ValueError(f"{path} is a zip file but not a skaudio model file (no {_METADATA}).")
    return archive


def _read_member(archive, name, limit, path):
    """The bytes of member ``name``, refused when it declares or unpacks to more than ``limit`` bytes."""
    info = archive.getinfo(name)
    too_large = (
        f"{path}: its member {name} unpacks to more than {limit // 2**20} MiB, more than a model file's "
        f"{name} holds; the file is corrupt or hostile"
    )
    if info.file_size > limit:
        raise ValueError(f"{too_large} ({info.file_size} bytes declared).")
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)  # the declared size can be a lie
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError) as exc:
        # RuntimeError (NotImplementedError among them): zipfile's, for an encrypted member or a method it lacks
        raise ValueError(f"{path}: its member {name} is corrupt or cannot be read ({exc}).") from None
    if len(data) > limit:
        raise ValueError(f"{too_large}.")
    return data


def _metadata_of(archive, path):
    try:
        metadata = json.loads(_read_member(archive, _METADATA, _MAX_METADATA_BYTES, path).decode("utf-8"))
    except (UnicodeDecodeError, zipfile.BadZipFile, RecursionError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: {_METADATA} is not valid JSON ({exc}).") from None
    if not isinstance(metadata, dict) or not isinstance(metadata.get("format"), int):
        raise ValueError(  # noqa: TRY004 - a foreign file, not a caller's wrong argument
            f"{path}: metadata.json holds no model format number; not a skaudio model file."
        )
    if metadata["format"] != FORMAT:
        saved = metadata.get("versions")
        saved = saved.get("skaudio", "?") if isinstance(saved, dict) else "?"
        raise ValueError(
            f"{path} has model format {metadata['format']}, this skaudio "
            f"({_installed_version('skaudio')}) reads format {FORMAT}: install skaudio {saved}, which "
            "saved it."
        )
    _check_metadata_types(metadata, _METADATA_TYPES, path)
    return metadata


def _is_list_of_str(value):
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_model_description(value):
    steps = value.get("steps", []) if isinstance(value, dict) else None
    return isinstance(steps, list) and isinstance(value.get("class", ""), str) and all(_is_step(step) for step in steps)


def _is_step(value):
    return (
        isinstance(value, dict)
        and isinstance(value.get("name"), str)
        and isinstance(value.get("class"), str)
        and isinstance(value.get("params"), dict)
        and all(isinstance(param, str) for param in value["params"].values())
    )


# The keys skaudio reads from metadata.json: what each must be (checked when present), as a test and in words.
_METADATA_TYPES = {
    "task": (lambda value: value is None or isinstance(value, str), "a string or null"),
    "date": (lambda value: isinstance(value, str), "a string"),
    "versions": (
        lambda value: isinstance(value, dict) and all(v is None or isinstance(v, str) for v in value.values()),
        "an object of version strings",
    ),
    "model": (
        _is_model_description,
        "an object of the model's class and steps (each a name, a class and params as strings)",
    ),
    "networks": (_is_list_of_str, "a list of strings"),
    "untrusted_types": (_is_list_of_str, "a list of strings"),
}


def _check_metadata_types(metadata, expected, path):
    """Refuse a value of ``metadata`` that fails its test in ``expected`` (key: (test, in words)), naming the key.

    The file's author chose the values: a wrong type is said here, not met later as an AttributeError. The
    command line checks the keys it writes with it too.
    """
    for key, (is_right, what) in expected.items():
        if key in metadata and not is_right(metadata[key]):
            raise ValueError(
                f"{path}: {_METADATA}'s {key!r} must be {what}, got {_json_type(metadata[key])} "
                f"{json.dumps(metadata[key])[:60]}; the file was edited or not written by skaudio.save_model: "
                "save the model again."
            )


def _json_type(value):
    kinds = ((bool, "a boolean"), (str, "a string"), ((int, float), "a number"), (list, "a list"), (dict, "an object"))
    return next((word for kind, word in kinds if isinstance(value, kind)), "null")


def untrusted_types(model_file: str | os.PathLike[str] | bytes) -> list[str]:
    """Types and functions a model file needs that neither skops nor skaudio trusts (sorted names).

    Reads the file's skops payload as data: nothing is imported or built.
    What :func:`load_model` refuses unless given ``trusted``.

    Parameters
    ----------
    model_file : str, os.PathLike or bytes
        A model file, or its ``model.skops`` member's bytes.

    Returns
    -------
    list of str

    Raises
    ------
    FileNotFoundError
        No such file.
    IsADirectoryError
        ``model_file`` is a folder.
    ValueError
        Not a model file, a payload that is no skops archive, or one that
        unpacks to more than 512 MiB (each array counted as often as the
        payload names it).

    Examples
    --------
    >>> import skops.io as sio
    >>> from sklearn.preprocessing import FunctionTransformer
    >>> from skaudio.persistence import untrusted_types
    >>> untrusted_types(sio.dumps(FunctionTransformer(func=print)))
    ['builtins.print']
    """
    if isinstance(model_file, bytes):
        return _untrusted_in(_checked_payload(model_file, _PAYLOAD), _PAYLOAD)
    with _open_model_file(model_file) as (archive, path):
        return _untrusted_in(_payload(archive, path), f"{path}: its member {_PAYLOAD}")


def _untrusted_in(payload, where):
    """The types a payload already checked by ``_checked_payload`` names beyond TRUSTED_TYPES; ``where`` names it."""
    import skops.io as sio

    try:
        found = sio.get_untrusted_types(data=payload)
    except (KeyError, TypeError, AttributeError, ValueError, RecursionError) as exc:  # a schema skops cannot read
        raise ValueError(f"{where} is not a skops archive ({type(exc).__name__}: {exc}).") from None
    return sorted(set(found) - set(TRUSTED_TYPES))


@contextlib.contextmanager
def _open_model_file(model_file):
    """``(archive, path)`` of a model file given by path, or the error that says what the file is instead."""
    path = _existing_file(model_file)
    if not _starts_as_zip(path):
        raise ValueError(f"{_not_a_model_file(path)}.")
    with _open_archive(path) as archive:
        yield archive, path


def _payload(archive, path):
    """The ``model.skops`` member's bytes, checked by ``_checked_payload`` before skops reads any of them."""
    try:
        payload = _read_member(archive, _PAYLOAD, _MAX_PAYLOAD_BYTES, path)
    except KeyError:
        raise ValueError(f"{path}: the model file has no {_PAYLOAD}.") from None
    return _checked_payload(payload, f"{path}: its member {_PAYLOAD}")


def _checked_payload(payload, where):
    """``payload``, or a ValueError when skops would unpack more than ``_MAX_PAYLOAD_BYTES`` from it."""
    unpacked = _unpacked_payload_size(payload, where)
    if unpacked > _MAX_PAYLOAD_BYTES:
        raise ValueError(
            f"{where} unpacks to more than {_MAX_PAYLOAD_BYTES // 2**20} MiB ({unpacked} bytes, each array counted "
            "as often as the payload names it), more than a model file's payload holds; the file is corrupt or "
            "hostile."
        )
    return payload


def _unpacked_payload_size(payload, where):
    """How many bytes skops unpacks from a payload: its ``schema.json``, and each file once per node naming it.

    A payload is a zip of its own, read from memory: a member deflated inside it takes kilobytes and can unpack
    to gigabytes, and skops reads a file once for every node that names it (nodes sharing an ``__id__`` are built
    once), so one array named by many nodes is as bad. zipfile unpacks no more than a member's declared size, so
    the sum of declared sizes is known before skops reads anything. ``where`` names the payload in errors.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as inner:
            sizes = {info.filename: info.file_size for info in inner.infolist()}
            if sizes.get(_SKOPS_SCHEMA, 0) > _MAX_PAYLOAD_BYTES:
                return sizes[_SKOPS_SCHEMA]  # too large to read, to count the rest
            schema = json.loads(_read_member(inner, _SKOPS_SCHEMA, _MAX_PAYLOAD_BYTES, where).decode("utf-8"))
    except (KeyError, zipfile.BadZipFile, UnicodeDecodeError, RecursionError, json.JSONDecodeError) as exc:
        raise ValueError(f"{where} is not a skops archive ({exc}).") from None
    total, shared, stack = sizes[_SKOPS_SCHEMA], {}, [schema]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
            file, node_id = value.get("file"), value.get("__id__")
            if not (isinstance(file, str) and file in sizes):
                continue
            if isinstance(node_id, (int, float, str)) and node_id:  # JSON's hashable values; skops memoizes truthy ones
                shared[node_id] = max(shared.get(node_id, 0), sizes[file])  # whichever node skops meets first
            else:
                total += sizes[file]
    return total + sum(shared.values())


def untrusted_network_objects(model_file: str | os.PathLike[str]) -> list[str]:
    """What a model file's networks hold that Keras' safe mode refuses: code, or classes of other packages.

    Reads each ``networks/N.keras`` member's ``config.json`` as JSON:
    nothing is imported or built, and Keras is not imported. Found are
    ``Lambda`` and ``TFSMLayer`` layers and serialised Python functions
    (code of the file), and classes or functions of packages other than
    Keras and skaudio (Python's builtins included). :func:`load_model`
    refuses such a network, before Keras reads it, unless ``trusted=True``
    (or, for a class or function, its name in ``trusted``).

    Parameters
    ----------
    model_file : str or os.PathLike
        A model file.

    Returns
    -------
    list of str
        One entry per finding, ``"networks/0.keras: a Lambda layer"``, sorted.

    Raises
    ------
    FileNotFoundError
        No such file.
    IsADirectoryError
        ``model_file`` is a folder.
    ValueError
        Not a model file, a network member that is not a ``.keras`` archive,
        or one that unpacks to far more than it takes in the file (a
        decompression bomb).

    See Also
    --------
    untrusted_types : what the scikit-learn part needs.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from skaudio import save_model
    >>> from skaudio.persistence import untrusted_network_objects
    >>> from skaudio.preprocessing import FeatureScaler
    >>> path = os.path.join(tempfile.mkdtemp(), "scaler.skaudio")
    >>> _ = save_model(FeatureScaler().fit(np.ones((2, 3, 4))), path)
    >>> untrusted_network_objects(path)
    []
    """
    with _open_model_file(model_file) as (archive, path):
        return [f"{name}: {what}" for name, what in _network_findings(archive, path)]


def _network_findings(archive, path):
    """``(member, what)`` for each thing in the archive's networks' configs that safe mode refuses, sorted."""
    names = sorted({name for name in archive.namelist() if _NETWORK.fullmatch(name)})
    return [(name, what) for name in names for what in sorted(_code_in_config(_network_config(archive, name, path)))]


def _network_config(archive, name, path):
    """The ``config.json`` of network member ``name``, read as JSON from the archive (streamed, size-capped)."""
    _check_network_size(archive, name, path)
    try:
        with archive.open(name) as member, zipfile.ZipFile(member) as network:
            text = _read_member(network, _KERAS_CONFIG, _MAX_NETWORK_CONFIG_BYTES, f"{path}: {name}")
        return json.loads(text.decode("utf-8"))
    except (KeyError, zipfile.BadZipFile, UnicodeDecodeError, RecursionError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: its network {name} is not a Keras .keras archive ({exc}).") from None
    except RuntimeError as exc:  # zipfile's: an encrypted member, or a compression method it lacks
        raise ValueError(f"{path}: its network {name} cannot be read ({exc}).") from None


def _check_network_size(archive, name, path):
    """Refuse network member ``name`` when it is a decompression bomb (``_NETWORK_BOMB_FLOOR_BYTES``), unread."""
    info = archive.getinfo(name)
    if info.file_size > _NETWORK_BOMB_FLOOR_BYTES and info.file_size > _MAX_EXPANSION * info.compress_size:
        raise ValueError(
            f"{path}: its network {name} unpacks to {info.file_size} bytes from {info.compress_size} in the file, "
            f"more than {_MAX_EXPANSION} times what a network's weights take; the file is corrupt or hostile (a "
            "decompression bomb)."
        )


def _code_in_config(config):
    """Descriptions of what in a Keras config safe mode refuses (see ``_CODE_CLASSES``, ``_NETWORK_PACKAGES``)."""
    found, stack = set(), [config]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
            module, class_name, config = value.get("module"), value.get("class_name"), value.get("config")
            name = config if class_name == "function" and isinstance(config, str) else class_name  # a function's name
            keras_function = (module, class_name) == ("builtins", "function") and not hasattr(builtins, str(name))
            if isinstance(class_name, str) and class_name in _CODE_CLASSES:
                found.add(_CODE_CLASSES[class_name])
            elif isinstance(module, str) and module.split(".")[0] not in _NETWORK_PACKAGES and not keras_function:
                found.add(f"{module}.{name}")
    return found


def version_differences(metadata: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The library versions of a model file's metadata that differ from the installed ones in major.minor.

    Compares skaudio, scikit-learn, Keras and TensorFlow, without importing
    them (TensorFlow is not imported unless it already is).

    Parameters
    ----------
    metadata : dict
        As :func:`read_model_metadata` returns it.

    Returns
    -------
    differences : list of (name, saved, installed)

    Examples
    --------
    >>> from skaudio.persistence import version_differences
    >>> version_differences({"versions": {"sklearn": "0.24.2"}})[0][:2]
    ('scikit-learn', '0.24.2')
    """
    saved_versions = metadata.get("versions") or {}
    differences = []
    for key, (_, _, name) in _CHECKED.items():
        saved, installed = saved_versions.get(key), _installed_version(key)
        if saved and installed and _major_minor(saved) != _major_minor(installed):
            differences.append((name, str(saved), installed))
    return differences


def _major_minor(version):
    return tuple(re.findall(r"\d+", str(version))[:2])


def _installed_version(key):
    """The installed version, from the module when it is imported, else from the package metadata (no import)."""
    module, distributions, _ = _RECORDED[key]
    if module in sys.modules:
        version = getattr(sys.modules[module], "__version__", None)
        if version:
            return str(version)
    for distribution in distributions:
        try:
            return importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


# -------------------------------------------------------------------------------------------------- loading
def load_model(path: str | os.PathLike[str], *, trusted: bool | Sequence[str | type] = False) -> Any:
    """Load a model file without running code from it.

    The scikit-learn part is rebuilt by :func:`skops.io.load`, which only
    builds trusted types (:data:`TRUSTED_TYPES` and the scikit-learn
    estimators skops trusts) and imports or calls nothing else; each Keras
    network's configuration is first read as data (as
    :func:`untrusted_network_objects` does), then the network is loaded with
    ``keras.saving.load_model(..., safe_mode=True)``. A file that needs
    anything else is refused before anything is built, with an error naming
    what it needs.

    The library versions the file was saved with are compared with the
    installed ones (major.minor of skaudio, scikit-learn, Keras and
    TensorFlow): a difference is a :class:`ModelVersionWarning` (predictions
    may differ), and a load that then fails says which versions saved the
    file. A task in the metadata that is not the model's is an error.

    Parameters
    ----------
    path : str or os.PathLike
        A file written by :func:`save_model`.
    trusted : bool or list of str or type, default=False
        False: only skaudio's trusted types. A list: these types or functions
        as well (names as the error message gives them, e.g.
        ``["mypackage.MyTransformer"]``), for a file holding your own
        estimators or Keras objects; still no pickle and no unsafe Keras
        (Keras' safe mode stays on). True: trust the
        file entirely, only for files you made or whose source you trust:
        any type it names is built, Keras' safe mode is off, and an old
        joblib (pickle) model file is loaded with :func:`joblib.load`, which
        runs any code it holds.

    Returns
    -------
    model : estimator
        The saved object, with its networks back in place.

    Raises
    ------
    FileNotFoundError
        No such file.
    IsADirectoryError
        ``path`` is a folder.
    TypeError
        ``trusted`` is neither a bool nor a list of names or types.
    UntrustedModelError
        The file needs untrusted types (named in the message), a network's
        configuration holds Python code or names classes or functions of
        other packages than Keras and skaudio, or it is an old joblib
        (pickle) file (it does not start as a zip archive) and ``trusted``
        is not True.
    ValueError
        A corrupt or truncated file, a zip that is no model file (a Keras
        ``.keras`` network), a newer format, metadata of the wrong types, a
        task that is not the model's, a ``model.skops`` member larger than
        512 MiB unpacked (each array counted as often as it is named), a
        network that unpacks to more than 100 times its size in the file
        (above 256 MiB), or a file that does not
        load (saved by other versions, corrupt). None of these is helped by
        ``trusted``.

    Warns
    -----
    ModelVersionWarning
        The file was saved with another major.minor version of skaudio,
        scikit-learn, Keras or TensorFlow.

    See Also
    --------
    save_model, read_model_metadata

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from skaudio import load_model, save_model
    >>> from skaudio.preprocessing import FeatureScaler
    >>> path = os.path.join(tempfile.mkdtemp(), "scaler.skaudio")
    >>> X = np.arange(24, dtype="float32").reshape(2, 3, 4)
    >>> _ = save_model(FeatureScaler().fit(X), path)
    >>> load_model(path).transform(X).shape
    (2, 3, 4)
    """
    extra = _trusted_names(trusted)
    path = _existing_file(path)
    if not _starts_as_zip(path):
        if trusted is True:
            import joblib

            return joblib.load(path)
        raise UntrustedModelError(_not_a_model_file(path))
    with _open_archive(path) as archive:
        metadata = _metadata_of(archive, path)
        differences = version_differences(metadata)
        if differences:
            warnings.warn(
                f"{path} was saved with {_versions_text(differences, 1)}; this is "
                f"{_versions_text(differences, 2)}: predictions may differ. Retrain the model, or install "
                "the versions that saved it.",
                ModelVersionWarning,
                stacklevel=2,
            )
        payload = _payload(archive, path)  # its own errors name the member: not "cannot load" below
        try:
            if trusted is not True:
                _refuse_untrusted_networks(archive, path, extra)
            model = _load_payload(payload, path, trusted is True, extra)
            _attach_networks(model, archive, path, safe_mode=trusted is not True)
        except UntrustedModelError:
            raise
        except Exception as exc:
            cause = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            if differences:
                raise ValueError(
                    f"cannot load {path}: it was saved with {_versions_text(differences, 1)}, this is "
                    f"{_versions_text(differences, 2)}; install the versions that saved it "
                    f"({cause})"
                ) from exc
            raise ValueError(f"cannot load {path}: corrupt or not saved by skaudio.save_model ({cause})") from exc
    task, claimed = _model_task(model), metadata.get("task")
    if claimed is not None and claimed != task:
        raise ValueError(_task_mismatch(f"{path}: its metadata", claimed, model, task))
    return model


def _task_mismatch(whose, claimed, model, task):
    final = type(_final_estimator(model)).__name__
    return (
        f"{whose} says task {claimed!r}, but the model's final estimator {final} is "
        f"{'not a skaudio estimator' if task is None else f'a {task!r} model'}."
    )


def _versions_text(differences, column):
    return ", ".join(f"{row[0]} {row[column]}" for row in differences)


def _trusted_names(trusted):
    """The type and function names ``trusted`` adds to the trusted ones (none for a bool), or a TypeError."""
    if trusted is None or isinstance(trusted, bool):  # exactly a bool: 1 or np.True_ could be a slip
        return []
    kinds = [trusted] if isinstance(trusted, (str, type)) else trusted
    if isinstance(kinds, (list, tuple)) and all(_is_nameable(kind) for kind in kinds):
        return [kind if isinstance(kind, str) else f"{kind.__module__}.{kind.__qualname__}" for kind in kinds]
    raise TypeError(
        f"trusted must be True, False, or a list of type or function names (str), types and functions, got "
        f"{type(trusted).__name__} {trusted!r:.80}."
    )


def _is_nameable(kind):
    return isinstance(kind, (str, type, types.FunctionType, types.BuiltinFunctionType))


def _refuse_untrusted_networks(archive, path, extra):
    """Refuse networks whose configs name code or other packages' objects (``_code_in_config``), before Keras reads any.

    Keras' safe mode refuses code too, but it had holes (``_SAFE_KERAS``) and ``keras>=3`` is all skaudio asks
    for: read as JSON here, nothing a config names is imported. Names in ``extra`` were trusted by the caller.
    """
    refused = [f"{name}: {what}" for name, what in _network_findings(archive, path) if what not in extra]
    if refused:
        raise UntrustedModelError(
            f"{path}: its networks hold what skaudio does not load without trust (Python code, or classes and "
            f"functions of other packages than Keras and skaudio): {', '.join(refused)}; nothing was loaded.",
            "If you trust its source, pass the classes and functions to load_model(..., trusted=[...]) (code "
            "needs trusted=True).",
        )


def _load_payload(payload, path, trust_all, extra):
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    needed = _untrusted_in(payload, f"{path}: its member {_PAYLOAD}")  # _payload checked its size
    refused = [name for name in needed if name not in extra]
    if refused and not trust_all:
        raise UntrustedModelError(
            f"{path} needs types or functions that skaudio does not trust: {', '.join(refused)}",
            "If you trust its source, pass them to load_model(..., trusted=[...]), or trusted=True.",
        )
    try:
        return sio.loads(payload, trusted=list(TRUSTED_TYPES) + needed)
    except UntrustedTypesFoundException as exc:  # skops' own check, should ours ever miss a type
        raise UntrustedModelError(f"{path} needs types that skaudio does not trust: {exc}") from None


def _attach_networks(model, archive, path, *, safe_mode):
    """Put each network back into the estimator whose ``model_`` names it."""
    wrappers = _placeholders(model)
    if not wrappers:
        return
    import keras

    import skaudio.networks  # noqa: F401 - registers skaudio's layers, which the networks are made of

    if safe_mode and tuple(int(n) for n in _major_minor(keras.__version__)) < _SAFE_KERAS:
        warnings.warn(
            f"Keras {keras.__version__}'s safe mode has known ways around it (fixed in Keras "
            f"{'.'.join(map(str, _SAFE_KERAS))}): upgrade Keras before loading files from others.",
            UserWarning,
            stacklevel=3,
        )
    members = set(archive.namelist())
    with tempfile.TemporaryDirectory() as scratch:
        for wrapper in wrappers:
            name = wrapper.model_[len(_PLACEHOLDER) :]
            if not _NETWORK.fullmatch(name) or name not in members:
                raise ValueError(f"{path}: an estimator's network {name!r} is not in the file.")
            _check_network_size(archive, name, path)
            network = os.path.join(scratch, "network.keras")
            with archive.open(name) as member, open(network, "wb") as f:
                shutil.copyfileobj(member, f)  # streamed: a network is not held in memory twice
            try:
                wrapper.model_ = keras.saving.load_model(network, safe_mode=safe_mode)
            except (ValueError, TypeError) as exc:  # Keras wraps the refusal in a TypeError inside a Functional
                if safe_mode and "safe_mode=False" in str(exc):
                    raise UntrustedModelError(
                        f"{path}: network {name} holds Python code (a Lambda layer or function), which Keras' safe "
                        "mode does not load"
                    ) from None
                raise


def _placeholders(model):
    """Estimators inside ``model`` (as loaded) whose ``model_`` is a network placeholder."""
    found = []
    for _, value in _reachable(model):
        network = vars(value).get("model_") if _network_state(value) else None
        if isinstance(network, str) and network.startswith(_PLACEHOLDER):
            found.append(value)
    return found


# ----------------------------------------------------------------------------------------------------- tasks
def _final_estimator(model):
    """The estimator that makes a model's predictions: the last step of pipelines, a search's best estimator."""
    from sklearn.pipeline import Pipeline

    while True:
        if isinstance(model, Pipeline):
            model = model.steps[-1][1]
        elif hasattr(model, "best_estimator_"):
            model = model.best_estimator_
        else:
            return model


def _model_task(model):
    """ "classify", "detect" or "denoise" for skaudio's estimators; None for anything else."""
    final = _final_estimator(model)
    if not type(final).__module__.startswith("skaudio.models"):
        return None  # without importing TensorFlow
    from skaudio.models import CNN1DClassifier, CNN1DDenoiser, CRNNEventDetector

    for kind, task in ((CNN1DClassifier, "classify"), (CRNNEventDetector, "detect"), (CNN1DDenoiser, "denoise")):
        if isinstance(final, kind):
            return task
    return None


def _type_name(kind):
    return f"{kind.__module__}.{kind.__qualname__}"
