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
  layers, is deserialised).

In the payload each estimator's ``model_`` is a placeholder string naming its
network's member; :func:`load_model` puts the loaded networks back.
Format 1 was the command line's single joblib (pickle) file; it can only be
loaded with ``trusted=True``. Read more in the :ref:`User Guide <persistence>`.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import json
import os
import re
import sys
import tempfile
import warnings
import zipfile
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
_NETWORK = re.compile(r"networks/[0-9]+\.keras")
_PLACEHOLDER = "skaudio-network:"
# Keys save_model writes itself; the caller's metadata must not set them.
_RESERVED = ("format", "date", "versions", "model", "networks", "untrusted_types")
_MAX_METADATA_BYTES = 10 * 2**20
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
# Keras' safe mode before 3.11 could be talked into importing and calling functions (CVE-2025-1550, fixed
# in 3.9; CVE-2025-8747, fixed in 3.11).
_SAFE_KERAS = (3, 11)


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
def save_model(model: Any, path: str | os.PathLike[str], *, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
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
        skaudio.

    Returns
    -------
    metadata : dict
        What ``metadata.json`` holds.

    Raises
    ------
    ValueError
        The metadata is not JSON-serialisable, uses a reserved key or names
        another task than the model's; or the model holds a Keras object
        outside an estimator's ``model_`` (an optimizer or callback
        instance as a parameter: pass its name or class instead).

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
    metadata = {
        "format": FORMAT,
        "task": claimed if claimed is not None else task,
        **metadata,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "versions": {key: _installed_version(key) for key in _RECORDED},
        "model": {"class": _type_name(type(model)), "steps": _describe_steps(model)},
        "networks": names,
        "untrusted_types": untrusted_types(payload),
    }
    with (
        tempfile.TemporaryDirectory() as scratch,
        atomic_path(path) as tmp,
        zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        # metadata first: a reader finds it without scanning the networks
        archive.writestr(_METADATA, json.dumps(metadata, indent=2))
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
    from scikeras.wrappers import BaseWrapper
    from sklearn.base import BaseEstimator

    found, seen = [], set()

    def visit(value, where):
        if id(value) in seen:
            return
        if isinstance(value, BaseEstimator):
            seen.add(id(value))
            state = vars(value)
            if isinstance(value, BaseWrapper) and "model_" in state:
                found.append(value)
                state = {k: v for k, v in state.items() if k not in ("model_", "_fit_callbacks", "_predict_callbacks")}
            children = state.items()
        elif isinstance(value, dict):
            seen.add(id(value))
            children = value.items()
        elif isinstance(value, (list, tuple, set, frozenset)):
            seen.add(id(value))
            children = enumerate(value)
        elif not isinstance(value, type) and type(value).__module__.split(".")[0] in _KERAS_PACKAGES:
            raise ValueError(
                f"cannot save {type(value).__name__} at {where}: a model file holds Keras networks "
                "only as a fitted estimator's model_. Give Keras parameters by name or class "
                "(optimizer='adam', callbacks=keras.callbacks.EarlyStopping)."
            )
        else:
            return
        for key, child in children:
            visit(child, f"{where}.{key}" if isinstance(key, str) else f"{where}[{key}]")

    visit(model, type(model).__name__)
    return found


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
        with open(path, "rb") as f:
            if f.read(4) != b"PK\x03\x04":
                return False
        with zipfile.ZipFile(path) as archive:
            return {_METADATA, _PAYLOAD} <= set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


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
    ValueError
        The file is not a model file of this format: an old joblib (pickle)
        file, whose metadata cannot be read without loading it, a foreign
        or corrupt file, or a newer format.

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
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(2, "no such model file", path)
    if not is_model_file(path):
        raise ValueError(f"{_not_a_model_file(path)}.")
    with zipfile.ZipFile(path) as archive:
        return _metadata_of(archive, path)


def _not_a_model_file(path):
    return (
        f"{path} is not a skaudio model file (a zip with metadata.json); if it is an old joblib (pickle) model, "
        "it cannot be inspected or loaded without running any code it holds"
    )


def _metadata_of(archive, path):
    try:
        member = archive.getinfo(_METADATA)
    except KeyError:
        raise ValueError(f"{path} is a zip file but not a skaudio model file (no metadata.json).") from None
    if member.file_size > _MAX_METADATA_BYTES:
        raise ValueError(f"{path}: metadata.json is {member.file_size} bytes, more than a model's metadata holds.")
    try:
        metadata = json.loads(archive.read(member).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        raise ValueError(f"{path}: metadata.json is not valid JSON ({exc}).") from None
    if not isinstance(metadata, dict) or not isinstance(metadata.get("format"), int):
        raise ValueError(  # noqa: TRY004 - a foreign file, not a caller's wrong argument
            f"{path}: metadata.json holds no model format number; not a skaudio model file."
        )
    if metadata["format"] != FORMAT:
        saved = (metadata.get("versions") or {}).get("skaudio", "?")
        raise ValueError(
            f"{path} has model format {metadata['format']}, this skaudio "
            f"({_installed_version('skaudio')}) reads format {FORMAT}: install skaudio {saved}, which "
            "saved it."
        )
    return metadata


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

    Examples
    --------
    >>> import skops.io as sio
    >>> from sklearn.preprocessing import FunctionTransformer
    >>> from skaudio.persistence import untrusted_types
    >>> untrusted_types(sio.dumps(FunctionTransformer(func=print)))
    ['builtins.print']
    """
    import skops.io as sio

    if isinstance(model_file, bytes):
        payload = model_file
    else:
        with zipfile.ZipFile(model_file) as archive:
            payload = _payload(archive, model_file)
    return sorted(set(sio.get_untrusted_types(data=payload)) - set(TRUSTED_TYPES))


def _payload(archive, path):
    try:
        return archive.read(_PAYLOAD)
    except KeyError:
        raise ValueError(f"{path}: the model file has no {_PAYLOAD}.") from None


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
    network is loaded with ``keras.saving.load_model(..., safe_mode=True)``.
    A file that needs anything else is refused before anything is built,
    with an error naming what it needs.

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
        estimators; still no pickle and no unsafe Keras. True: trust the
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
    UntrustedModelError
        The file needs untrusted types (named in the message), or it is an
        old joblib (pickle) file and ``trusted`` is not True.
    ValueError
        Not a model file, a newer format, a task that is not the model's,
        or a file that does not load (saved by other versions, corrupt).

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
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(2, "no such model file", path)
    if not is_model_file(path):
        if trusted is True:
            import joblib

            return joblib.load(path)
        raise UntrustedModelError(_not_a_model_file(path))
    if trusted is None or isinstance(trusted, bool):
        extra = []
    else:
        extra = [_type_path(kind) for kind in ([trusted] if isinstance(trusted, (str, type)) else trusted)]
    with zipfile.ZipFile(path) as archive:
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
        try:
            model = _load_payload(archive, path, trusted is True, extra)
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


def _type_path(kind):
    return kind if isinstance(kind, str) else f"{kind.__module__}.{kind.__qualname__}"


def _load_payload(archive, path, trust_all, extra):
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    payload = _payload(archive, path)
    needed = untrusted_types(payload)
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
            network = os.path.join(scratch, "network.keras")
            with open(network, "wb") as f:
                f.write(archive.read(name))
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
    from sklearn.base import BaseEstimator

    found, seen = [], set()
    stack = [model]
    while stack:
        value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, BaseEstimator):
            network = vars(value).get("model_")
            if isinstance(network, str) and network.startswith(_PLACEHOLDER):
                found.append(value)
            stack.extend(vars(value).values())
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, (list, tuple, set, frozenset)):
            stack.extend(value)
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
