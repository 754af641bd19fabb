"""Model files (skaudio.save_model / load_model): safe loading, metadata without loading, version and task
checks, atomic saves. Evil files are real files in a temporary folder, run through the API and the command."""

import importlib
import io
import json
import os
import pickle
import re
import struct
import subprocess
import sys
import textwrap
import warnings
import zipfile

import joblib
import keras
import numpy as np
import pytest
import soundfile as sf
from sklearn.base import BaseEstimator
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

import skaudio
from skaudio.datasets import make_sounds
from skaudio.io import AudioLoader
from skaudio.models import CNN1DClassifier, CNN1DDenoiser
from skaudio.persistence import TRUSTED_TYPES, ModelVersionWarning, UntrustedModelError
from skaudio.preprocessing import MFCC, FeatureScaler, FixedLength
from tests.models.conftest import tiny_detector

SR = 8000
RNG = np.random.default_rng(0)
FEATURES = RNG.normal(size=(24, 20, 6)).astype("float32")
NOISY = RNG.normal(size=(8, 300)).astype("float32")


def run_python(code, **env):
    """Run ``code`` in a fresh interpreter; returns the completed process."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **{k: str(v) for k, v in env.items()}},
    )


def rewrite_member(path, name, content, compression=zipfile.ZIP_STORED):
    """Replace one member of a model file, as someone editing it by hand would."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[name] = content
    with zipfile.ZipFile(path, "w", compression) as archive:
        for member, data in members.items():
            archive.writestr(member, data)


def rewrite_network_config(path, change):
    """Edit the ``config.json`` of a model file's ``networks/0.keras`` with ``change(config)``, in place."""
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(archive.open("networks/0.keras")) as network:
        members = {name: network.read(name) for name in network.namelist()}
    config = json.loads(members["config.json"])
    change(config)
    members["config.json"] = json.dumps(config).encode()
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w") as network:
        for name, data in members.items():
            network.writestr(name, data)
    rewrite_member(path, "networks/0.keras", rebuilt.getvalue())


def edit_metadata(path, **changes):
    with zipfile.ZipFile(path) as archive:
        metadata = json.loads(archive.read("metadata.json"))
    metadata.update(changes)
    rewrite_member(path, "metadata.json", json.dumps(metadata))


@pytest.fixture(scope="module")
def wav_paths(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clips")
    X, y = make_sounds(8, classes=["tone", "noise_burst"], sr=SR, duration=(0.3, 0.5), random_state=0)
    paths = []
    for i, clip in enumerate(X):
        sf.write(folder / f"clip{i}.wav", clip, SR, subtype="PCM_16")
        paths.append(str(folder / f"clip{i}.wav"))
    return paths, np.asarray(y)


@pytest.fixture(scope="module")
def pipelines(wav_paths):
    """Tiny fitted pipelines of the three estimators: (name, pipeline, input, prediction method)."""
    paths, y = wav_paths
    # files in, the features computed inside two averaged networks (custom layers, nested models)
    classifier = make_pipeline(
        AudioLoader(sr=SR),
        FixedLength(duration=0.5, sr=SR),
        CNN1DClassifier(
            front_end=MFCC(sr=SR, n_mfcc=8, n_fft=256, hop_length=128, n_mels=20),
            filters=(4, 4),
            dense_units=4,
            n_networks=2,
            epochs=1,
            random_state=0,
        ),
    ).fit(paths, y)
    detector = make_pipeline(FeatureScaler(), tiny_detector())
    detector.fit(FEATURES, RNG.integers(0, 2, size=(len(FEATURES), 3)))
    denoiser = make_pipeline(CNN1DDenoiser(filters=4, residual=True, epochs=1, random_state=0)).fit(NOISY, NOISY / 2)
    return [
        ("classify", classifier, paths, "predict_proba"),
        ("detect", detector, FEATURES, "predict_proba"),
        ("denoise", denoiser, NOISY[:, :123], "predict"),
    ]


@pytest.fixture(scope="module")
def saved(pipelines, tmp_path_factory):
    """Each pipeline saved with CLI-like metadata: {task: path}."""
    folder = tmp_path_factory.mktemp("models")
    paths = {}
    for task, pipe, _, _ in pipelines:
        paths[task] = folder / f"{task}.skaudio"
        skaudio.save_model(pipe, paths[task], metadata={"task": task, "sr": SR, "scores": {"held_out": 0.5}})
    return paths


def test_trusted_types_are_exactly_skaudios_estimators_and_exist():
    # every name resolves (a renamed module would make files fail to load) ...
    for name in TRUSTED_TYPES:
        module, _, attribute = name.rpartition(".")
        assert hasattr(importlib.import_module(module), attribute), name
    # ... and every public loader, transformer, estimator and pipeline of skaudio is trusted
    import skaudio.io
    import skaudio.models
    import skaudio.pipelines
    import skaudio.preprocessing

    objects = [
        getattr(package, name)
        for package in (skaudio.io, skaudio.preprocessing, skaudio.models, skaudio.pipelines)
        for name in package.__all__
    ]
    public = {
        f"{obj.__module__}.{obj.__qualname__}"
        for obj in objects
        if isinstance(obj, type) and issubclass(obj, BaseEstimator)
    }
    assert public <= set(TRUSTED_TYPES), public - set(TRUSTED_TYPES)


def test_a_search_scored_by_skaudios_scorers_loads_without_trust(tmp_path):
    from sklearn.model_selection import GridSearchCV, KFold

    from skaudio.metrics import event_f1_scorer, si_sdr_scorer

    events = [[(0.05, 0.1, "beep")] if i % 2 else [] for i in range(len(FEATURES))]
    detector = tiny_detector(batch_size=8, temporal_pooling="max", padding="same", frame_duration=0.01)
    denoiser = CNN1DDenoiser(filters=4, epochs=1, batch_size=4, random_state=0)
    clean = RNG.normal(size=NOISY.shape).astype("float32")
    for name, estimator, X, y, scoring, grid in [
        ("events", detector, FEATURES, events, event_f1_scorer, {"kernel_size": [3]}),
        ("denoise", denoiser, NOISY, clean, si_sdr_scorer, {"kernel_size": [3]}),
    ]:
        search = GridSearchCV(estimator, grid, cv=KFold(2), scoring=scoring).fit(X, y)  # event lists: no strata
        skaudio.save_model(search, tmp_path / f"{name}.skaudio")
        loaded = skaudio.load_model(tmp_path / f"{name}.skaudio")  # no trust asked for
        assert repr(loaded.scorer_) == repr(search.scorer_)
        assert loaded.score(X, y) == pytest.approx(search.score(X, y), abs=1e-5)


def test_three_estimators_round_trip_safely_in_a_fresh_process(pipelines, saved, tmp_path):
    networks = {task: pipe[-1].model_ for task, pipe, _, _ in pipelines}
    for task, pipe, X, method in pipelines:
        np.save(tmp_path / f"{task}.npy", np.asarray(X))
        np.save(tmp_path / f"{task}.expected.npy", getattr(pipe, method)(X))
        assert pipe[-1].model_ is networks[task]  # saving put the network back
    result = run_python(f"""
        import warnings
        import numpy as np
        import skaudio
        for task, path in { ({k: str(v) for k, v in saved.items()})!r}.items():
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                model = skaudio.load_model(path)
            # no version warning, nothing skops or Keras object to
            print([str(w.message) for w in caught if not issubclass(w.category, DeprecationWarning)])
            X = np.load({str(tmp_path)!r} + f"/{{task}}.npy")
            method = "predict" if task == "denoise" else "predict_proba"
            X = list(X) if X.dtype.kind == "U" else X  # file paths
            np.save({str(tmp_path)!r} + f"/{{task}}.out.npy", getattr(model, method)(X))
    """)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["[]"] * 3
    for task, _, _, _ in pipelines:
        np.testing.assert_array_equal(np.load(tmp_path / f"{task}.out.npy"), np.load(tmp_path / f"{task}.expected.npy"))


def test_metadata_is_read_without_loading_or_importing_tensorflow(saved):
    result = run_python(f"""
        import json, sys
        import skaudio
        metadata = skaudio.read_model_metadata({str(saved["classify"])!r})
        heavy = [m for m in ("tensorflow", "keras", "skaudio.models", "joblib") if m in sys.modules]
        print(json.dumps({{"metadata": metadata, "heavy": heavy}}))
    """)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout)
    assert out["heavy"] == []
    metadata = out["metadata"]
    assert metadata["format"] == 2 and metadata["task"] == "classify" and metadata["sr"] == SR
    assert metadata["scores"] == {"held_out": 0.5} and metadata["date"]
    assert set(metadata["versions"]) >= {"skaudio", "sklearn", "keras", "tensorflow", "numpy", "skops"}
    assert metadata["networks"] == ["networks/0.keras"] and metadata["untrusted_types"] == []
    assert [step["name"] for step in metadata["model"]["steps"]] == ["audioloader", "fixedlength", "cnn1dclassifier"]
    assert metadata["model"]["steps"][2]["params"]["n_networks"] == "2"


class _EvilPickle:
    """Unpickling this writes a marker file: what a hostile joblib model file does."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return exec, (f"open({self.marker!r}, 'w').close()",)


def test_an_evil_pickle_never_runs_unless_trusted(refused, tmp_path):
    evil, marker = tmp_path / "evil.joblib", tmp_path / "ran"
    with open(evil, "wb") as f:
        pickle.dump(_EvilPickle(marker), f)
    with pytest.raises(UntrustedModelError, match="not a skaudio model file.*old joblib.*trusted=True"):
        skaudio.load_model(evil)
    with pytest.raises(ValueError, match="cannot be inspected"):
        skaudio.read_model_metadata(evil)
    refused("--trust", "info", evil)
    refused("--trust", "predict", evil, evil)
    assert not marker.exists()
    skaudio.load_model(evil, trusted=True)  # the file is as evil as it claims: trusting it runs it
    assert marker.exists()


def test_an_old_joblib_model_file_needs_trust(pipelines, tmp_path):
    # a pickled pipeline holds each network as an embedded .keras zip, with a metadata.json of Keras' own
    _, pipe, X, method = pipelines[1]
    joblib.dump(pipe, tmp_path / "old.joblib")
    with pytest.raises(UntrustedModelError, match="old joblib"):
        skaudio.load_model(tmp_path / "old.joblib")
    with pytest.raises(ValueError, match="old joblib .* cannot be inspected"):
        skaudio.read_model_metadata(tmp_path / "old.joblib")
    np.testing.assert_array_equal(
        getattr(skaudio.load_model(tmp_path / "old.joblib", trusted=True), method)(X), getattr(pipe, method)(X)
    )


EVIL_MODULE = '''
from sklearn.base import BaseEstimator, TransformerMixin

MARKER = {marker!r}


def touch(X):
    open(MARKER, "w").close()
    return X


class Evil(BaseEstimator, TransformerMixin):
    """Rebuilding it writes the marker (as any class the file names could do)."""

    def __setstate__(self, state):
        open(MARKER, "w").close()
        super().__setstate__(state)

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X
'''


@pytest.fixture
def evil_zip(tmp_path, monkeypatch):
    """A model file whose skops payload names an untrusted class and an untrusted function."""
    marker = tmp_path / "ran"
    (tmp_path / "skaudio_evil_payload.py").write_text(EVIL_MODULE.format(marker=str(marker)))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))  # the command could import it too
    evil_module = importlib.import_module("skaudio_evil_payload")
    pipe = make_pipeline(FeatureScaler(), evil_module.Evil(), FunctionTransformer(evil_module.touch)).fit(FEATURES)
    path = tmp_path / "evil.skaudio"
    metadata = skaudio.save_model(pipe, path)
    assert metadata["untrusted_types"] == ["skaudio_evil_payload.Evil", "skaudio_evil_payload.touch"]
    edit_metadata(path, task="classify", sr=SR, untrusted_types=[])  # the file lies about itself
    yield path, marker
    sys.modules.pop("skaudio_evil_payload", None)


def test_an_evil_model_file_never_runs_unless_trusted(succeeds, refused, evil_zip, tmp_path):
    path, marker = evil_zip
    with pytest.raises(UntrustedModelError, match=r"skaudio_evil_payload\.Evil, skaudio_evil_payload\.touch"):
        skaudio.load_model(path)
    with pytest.raises(UntrustedModelError, match=r"skaudio_evil_payload\.touch; nothing was loaded"):
        skaudio.load_model(path, trusted=["skaudio_evil_payload.Evil"])
    info = succeeds("info", path)
    assert "skaudio_evil_payload.Evil" in info and "--trust" in info  # the payload, not the metadata
    sf.write(tmp_path / "a.wav", np.zeros(800), SR)
    refused("skaudio_evil_payload.Evil", "predict", path, tmp_path / "a.wav")
    assert not marker.exists()
    with pytest.raises(ValueError, match="says task 'classify'"):  # checked once loaded, too late here:
        skaudio.load_model(path, trusted=True)
    assert marker.exists()  # rebuilding the class the file names ran its code


def test_a_network_with_python_code_is_refused_unless_trusted(tmp_path):
    marker = tmp_path / "ran"
    den = CNN1DDenoiser(filters=4, epochs=1, random_state=0).fit(NOISY, NOISY)
    inputs = keras.Input((None, 1))
    touch = eval(f"lambda x: (open({str(marker)!r}, 'w').close(), x)[1]")  # the path inside the function's code
    den.model_ = keras.Model(inputs, keras.layers.Lambda(touch)(inputs))
    skaudio.save_model(den, tmp_path / "lambda.skaudio")
    marker.unlink()  # building the network above ran the function once
    with pytest.raises(UntrustedModelError, match="does not load without trust .*networks/0.keras: a Lambda layer"):
        skaudio.load_model(tmp_path / "lambda.skaudio")
    assert not marker.exists()
    skaudio.load_model(tmp_path / "lambda.skaudio", trusted=True)
    assert marker.exists()


def test_other_versions_warn_and_say_so_when_loading_fails(saved, tmp_path):
    path = tmp_path / "old.skaudio"
    path.write_bytes(saved["denoise"].read_bytes())
    edit_metadata(path, versions={"skaudio": "0.0.9", "sklearn": "1.0.2", "keras": keras.__version__})
    with pytest.warns(ModelVersionWarning, match=r"saved with skaudio 0\.0\.9, scikit-learn 1\.0\.2; this is skaudio"):
        skaudio.load_model(path)
    rewrite_member(path, "networks/0.keras", b"not a network")
    with pytest.warns(ModelVersionWarning), pytest.raises(ValueError, match="install the versions that saved it"):
        skaudio.load_model(path)


@pytest.mark.parametrize("version, warns", [("3.13.1", True), ("3.14.0", False), ("3.15.1", False)])
def test_a_keras_whose_safe_mode_has_known_holes_is_warned_about(saved, monkeypatch, version, warns):
    monkeypatch.setattr(keras, "__version__", version)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        skaudio.load_model(saved["classify"])
    holes = [w for w in caught if "safe mode has known ways around it" in str(w.message)]
    assert len(holes) == (1 if warns else 0)
    if warns:
        assert f"Keras {version}'s safe mode" in str(holes[0].message) and "3.14" in str(holes[0].message)


def test_a_task_that_is_not_the_models_is_an_error(refused, pipelines, saved, tmp_path):
    denoiser = pipelines[2][1]
    with pytest.raises(ValueError, match="says task 'classify', but the model's final estimator CNN1DDenoiser is a "):
        skaudio.save_model(denoiser, tmp_path / "x.skaudio", metadata={"task": "classify"})
    assert not (tmp_path / "x.skaudio").exists()
    path = tmp_path / "lying.skaudio"
    path.write_bytes(saved["denoise"].read_bytes())
    edit_metadata(path, task="classify")
    with pytest.raises(ValueError, match="its metadata says task 'classify', but .* CNN1DDenoiser is a 'denoise'"):
        skaudio.load_model(path)
    refused("says task 'classify'", "predict", path, path)


def test_bad_metadata_and_keras_objects_are_refused_before_writing(pipelines, tmp_path):
    pipe = pipelines[1][1]
    with pytest.raises(ValueError, match="keys \\['versions'\\] are written by save_model"):
        skaudio.save_model(pipe, tmp_path / "m.skaudio", metadata={"versions": {}})
    with pytest.raises(ValueError, match="metadata\\['when'\\] is not JSON-serialisable"):
        skaudio.save_model(pipe, tmp_path / "m.skaudio", metadata={"when": object()})
    clf = CNN1DClassifier(
        filters=(4, 4), dense_units=4, epochs=1, optimizer=keras.optimizers.Adam(), random_state=0
    ).fit(FEATURES, np.repeat([0, 1], 12))
    with pytest.raises(ValueError, match="cannot save Adam at CNN1DClassifier.optimizer"):
        skaudio.save_model(clf, tmp_path / "m.skaudio")
    assert os.listdir(tmp_path) == []


def test_a_full_disk_during_save_leaves_the_old_model_byte_identical(saved, tmp_path):
    path = tmp_path / "model.skaudio"
    path.write_bytes(saved["detect"].read_bytes())
    before = path.read_bytes()
    result = run_python(f"""
        import resource, signal
        import skaudio
        model = skaudio.load_model({str(path)!r})
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, ({len(before) // 2}, resource.RLIM_INFINITY))
        try:
            skaudio.save_model(model, {str(path)!r}, metadata={{"note": "the new model"}})
        except OSError as exc:
            print("failed:", exc)
    """)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "failed: [Errno 27] File too large" in result.stdout
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.skaudio"]  # no temporary file left behind


def remove_metadata_key(path, key):
    with zipfile.ZipFile(path) as archive:
        metadata = json.loads(archive.read("metadata.json"))
    del metadata[key]
    rewrite_member(path, "metadata.json", json.dumps(metadata))


@pytest.fixture(scope="module")
def lambda_model(tmp_path_factory):
    """A denoiser whose network holds a Lambda layer (harmless code): (path, metadata)."""
    den = CNN1DDenoiser(filters=4, epochs=1, random_state=0).fit(NOISY, NOISY)
    inputs = keras.Input((None, 1))
    den.model_ = keras.Model(inputs, keras.layers.Lambda(lambda x: x * 2)(inputs))
    path = tmp_path_factory.mktemp("lambda") / "lambda.skaudio"
    return path, skaudio.save_model(den, path, metadata={"sr": SR})


def test_info_says_a_network_with_python_code_needs_trust(succeeds, lambda_model, tmp_path):
    from skaudio.persistence import untrusted_network_objects

    path, metadata = lambda_model
    assert metadata["untrusted_types"] == []  # the payload alone loads without trust ...
    # ... the network does not: found in its config, read as JSON
    assert untrusted_network_objects(path) == [
        "networks/0.keras: a Lambda layer",
        "networks/0.keras: a Python function",
    ]
    info = succeeds("info", path)
    assert "loading: needs --trust" in info and "networks/0.keras: a Lambda layer" in info
    assert "without trust" not in info
    with pytest.raises(UntrustedModelError):  # what info says is what load_model does
        skaudio.load_model(path)


def test_info_checks_trust_even_when_the_metadata_leaves_out_the_model(succeeds, evil_zip, lambda_model, tmp_path):
    for source in (evil_zip[0], lambda_model[0]):
        path = tmp_path / f"no-model-{source.name}"
        path.write_bytes(source.read_bytes())
        remove_metadata_key(path, "model")  # the file's author decides what its metadata holds
        info = succeeds("info", path)
        assert "loading: needs --trust" in info, info
        assert "steps, as the file's metadata states them:" in info


def test_a_network_config_outside_keras_and_skaudio_needs_trust(saved, tmp_path):
    from skaudio.persistence import untrusted_network_objects

    path = tmp_path / "custom.skaudio"
    path.write_bytes(saved["denoise"].read_bytes())
    assert untrusted_network_objects(path) == []  # Keras' own layers, losses ("builtins" functions), skaudio's
    rewrite_network_config(path, lambda config: config["config"]["layers"][-1].update(module="mypackage.layers"))
    (found,) = untrusted_network_objects(path)
    assert found.startswith("networks/0.keras: mypackage.layers.")


@pytest.mark.parametrize("kind", ["truncated", "keras network"])
def test_a_corrupt_or_foreign_zip_is_said_so_and_no_trust_is_advised(refused, saved, lambda_model, tmp_path, kind):
    path = tmp_path / "model.skaudio"
    if kind == "truncated":  # an interrupted download
        path.write_bytes(saved["detect"].read_bytes()[:100])
        expected = r"is a corrupt or truncated zip file \(.+\)"
    else:
        with zipfile.ZipFile(lambda_model[0]) as archive:
            path.write_bytes(archive.read("networks/0.keras"))
        expected = r"is a Keras network \(\.keras\), not a skaudio model file: load it with keras\.saving\.load_model"
    for trusted in (False, True):  # trusting it would not help: never unpickled
        with pytest.raises(ValueError, match=expected) as raised:
            skaudio.load_model(path, trusted=trusted)
        assert not isinstance(raised.value, UntrustedModelError) and "trust" not in str(raised.value)
    with pytest.raises(ValueError, match=expected):
        skaudio.read_model_metadata(path)
    for command in (["info", path], ["predict", path, path], ["predict", "--trust", path, path]):
        assert "trust" not in refused(expected, *command)


def test_a_calibrated_classifier_round_trips(tmp_path):
    from sklearn.calibration import CalibratedClassifierCV

    y = np.repeat(["a", "b"], 12)
    calibrated = CalibratedClassifierCV(
        CNN1DClassifier(filters=(4,), dense_units=4, epochs=1, random_state=0), cv=2
    ).fit(FEATURES, y)
    metadata = skaudio.save_model(calibrated, tmp_path / "calibrated.skaudio")  # was a RecursionError
    assert metadata["networks"] == ["networks/0.keras", "networks/1.keras"]  # one per fold
    loaded = skaudio.load_model(tmp_path / "calibrated.skaudio")
    np.testing.assert_array_equal(loaded.predict_proba(FEATURES), calibrated.predict_proba(FEATURES))


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("versions", ["1.0"], "'versions' must be an object of version strings, got a list"),
        ("model", {"steps": 3}, "'model' must be an object of the model's class and steps"),
        ("task", 5, "'task' must be a string or null, got a number"),
        ("networks", "networks/0.keras", "'networks' must be a list of strings"),
    ],
)
def test_metadata_of_the_wrong_type_is_named(refused, saved, tmp_path, key, value, expected):
    path = tmp_path / "odd.skaudio"
    path.write_bytes(saved["denoise"].read_bytes())
    edit_metadata(path, **{key: value})
    pattern = f"{path}: metadata.json's {expected}"
    for read in (skaudio.read_model_metadata, skaudio.load_model):
        with pytest.raises(ValueError, match=re.escape(pattern)):
            read(path)
    refused(re.escape(pattern), "info", path)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("labels", 5, "'labels' must be a list or null, got a number"),
        ("scores", {"held_out": "high"}, "'scores' must be an object whose cross_validated and held_out"),
        ("best_params", [1], "'best_params' must be an object or null"),
    ],
)
def test_metadata_the_command_line_reads_is_checked_too(refused, saved, tmp_path, key, value, expected):
    path = tmp_path / "odd.skaudio"
    path.write_bytes(saved["detect"].read_bytes())
    edit_metadata(path, **{key: value})
    for command in (("info", path), ("predict", path, path)):
        error = refused(re.escape(f"metadata.json's {expected}"), *command)
        assert str(path) in error  # the file is named


def test_a_payload_larger_than_the_limit_is_refused_before_it_is_read(saved, tmp_path, monkeypatch):
    import skaudio.persistence as persistence

    path = tmp_path / "big.skaudio"
    path.write_bytes(saved["detect"].read_bytes())
    rewrite_member(path, "model.skops", bytes(3 * 2**20))  # 3 MiB of zeros, a few kB in the file
    monkeypatch.setattr(persistence, "_MAX_PAYLOAD_BYTES", 2**20)
    for check in (persistence.untrusted_types, skaudio.load_model):
        with pytest.raises(ValueError, match=r"its member model\.skops unpacks to more than 1 MiB.*3145728 bytes"):
            check(path)


def test_a_large_payload_is_refused_at_its_documented_limit_without_reading_it(saved, tmp_path):
    path = tmp_path / "bomb.skaudio"
    with zipfile.ZipFile(saved["detect"]) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("metadata.json", source.read("metadata.json"))
        with bomb.open("model.skops", "w", force_zip64=True) as member:
            for _ in range(513):  # 513 MiB unpacked, 0.5 MB in the file
                member.write(bytes(2**20))
    result = run_python(f"""
        from skaudio.persistence import untrusted_types
        try:
            untrusted_types({str(path)!r})
        except ValueError as exc:
            print(exc)
        # this process's peak (ru_maxrss would keep the peak of the process that started it)
        with open("/proc/self/status") as status:
            print(next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmHWM:")))
    """)
    assert result.returncode == 0, result.stderr[-3000:]
    message, peak_mb = result.stdout.splitlines()
    assert "its member model.skops unpacks to more than 512 MiB" in message
    assert int(peak_mb) < 400  # (reading it took 785 MB)


def test_networks_are_copied_to_disk_by_streaming(saved, monkeypatch):
    read = zipfile.ZipFile.read

    def read_small_members_only(archive, name, *args):
        assert not str(getattr(name, "filename", name)).startswith("networks/"), "a network was read into memory"
        return read(archive, name, *args)

    monkeypatch.setattr(zipfile.ZipFile, "read", read_small_members_only)
    skaudio.load_model(saved["denoise"])


@pytest.mark.parametrize("trusted", [1, np.True_, ["builtins.print", 3], {"builtins.print"}])
def test_trusted_of_a_wrong_type_is_a_type_error(saved, trusted):
    with pytest.raises(TypeError, match=r"trusted must be True, False, or a list of type or function names"):
        skaudio.load_model(saved["denoise"], trusted=trusted)


def test_a_folder_a_class_and_nan_metadata_are_named(pipelines, tmp_path):
    for read in (skaudio.load_model, skaudio.read_model_metadata):
        with pytest.raises(IsADirectoryError, match="is a folder"):
            read(tmp_path)
    with pytest.raises(TypeError, match="got the class FeatureScaler itself: pass an instance"):
        skaudio.save_model(FeatureScaler, tmp_path / "m.skaudio")
    for value in (float("nan"), np.float32("inf"), {"held_out": [1.0, float("-inf")]}):
        with pytest.raises(ValueError, match=r"metadata\['score'\] holds NaN or infinity"):
            skaudio.save_model(pipelines[2][1], tmp_path / "m.skaudio", metadata={"score": value})
    assert os.listdir(tmp_path) == []


def test_info_escapes_what_the_file_says(succeeds, saved, tmp_path):
    path = tmp_path / "escape.skaudio"
    path.write_bytes(saved["detect"].read_bytes())
    edit_metadata(path, labels=["\x1b]0;pwned\x07", "ok"], data="a\nb")
    info = succeeds("info", path)
    assert "\x1b" not in info and "\x07" not in info
    assert "labels: \\x1b]0;pwned\\x07, ok" in info and "data: a\\nb" in info


def test_save_model_can_refuse_to_replace(pipelines, tmp_path):
    path = tmp_path / "m.skaudio"
    path.write_bytes(b"another model")
    with pytest.raises(FileExistsError):
        skaudio.save_model(pipelines[2][1], path, replace=False)
    assert path.read_bytes() == b"another model" and os.listdir(tmp_path) == ["m.skaudio"]


def skops_payload(schema, members=()):
    """A ``model.skops`` payload as its author chooses to zip it: ``schema.json`` and files, deflated inside."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as payload:
        payload.writestr("schema.json", schema if isinstance(schema, str) else json.dumps(schema))
        for name, data in dict(members).items():
            payload.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("bomb", ["deflated schema", "one array named by many nodes"])
def test_a_payload_that_unpacks_past_the_limit_inside_is_refused_before_skops_reads_it(
    saved, tmp_path, monkeypatch, bomb
):
    import skops.io as sio

    import skaudio.persistence as persistence

    monkeypatch.setattr(persistence, "_MAX_PAYLOAD_BYTES", 2**20)
    assert persistence.untrusted_types(saved["detect"]) == []  # a real payload unpacks to kilobytes
    if bomb == "deflated schema":  # the payload is a zip itself: 3 MiB of JSON take 3 kB inside it
        payload = skops_payload(" " * 3 * 2**20 + "{}")
    else:  # skops reads a file once per node naming it: 8 nodes, one 0.5 MiB array of zeros
        schema = json.loads(zipfile.ZipFile(io.BytesIO(sio.dumps([np.zeros(1) for _ in range(8)]))).read("schema.json"))
        for node in schema["content"]:
            node["file"] = "big.npy"
        array = io.BytesIO()
        np.save(array, np.zeros(2**16))
        payload = skops_payload(schema, {"big.npy": array.getvalue()})
    path = tmp_path / "bomb.skaudio"
    path.write_bytes(saved["detect"].read_bytes())
    rewrite_member(path, "model.skops", payload)
    assert len(payload) < 20_000

    def never(*args, **kwargs):
        raise AssertionError("skops read the payload")

    monkeypatch.setattr(sio, "get_untrusted_types", never)
    monkeypatch.setattr(sio, "loads", never)
    for check in (persistence.untrusted_types, skaudio.load_model):
        with pytest.raises(ValueError, match=r"its member model\.skops unpacks to more than 1 MiB"):
            check(path)


@pytest.mark.parametrize(
    "payload",
    [b"", b"not a zip", skops_payload("[1]"), skops_payload("{}"), skops_payload("[" * 10**5 + "]" * 10**5)],
    ids=["empty", "no zip", "a list", "no node", "deep"],
)
def test_a_payload_that_is_no_skops_archive_is_a_value_error(saved, tmp_path, payload):
    from skaudio.persistence import untrusted_types

    with pytest.raises(ValueError, match=r"model\.skops is not a skops archive"):
        untrusted_types(payload)
    path = tmp_path / "odd.skaudio"
    path.write_bytes(saved["denoise"].read_bytes())
    rewrite_member(path, "model.skops", payload)
    with pytest.raises(ValueError, match=rf"{re.escape(str(path))}: its member model\.skops is not a skops archive"):
        untrusted_types(path)


def test_save_refuses_a_payload_that_load_would_refuse(tmp_path, monkeypatch):
    from sklearn.neighbors import KNeighborsClassifier

    import skaudio.persistence as persistence

    monkeypatch.setattr(persistence, "_MAX_PAYLOAD_BYTES", 2**20)
    knn = KNeighborsClassifier().fit(RNG.normal(size=(2**15, 8)), np.arange(2**15) % 2)  # keeps 2 MiB of data
    with pytest.raises(ValueError, match=r"unpacks to \d+ bytes, more than the 1 MiB load_model accepts; nothing was"):
        skaudio.save_model(knn, tmp_path / "big.skaudio")
    assert os.listdir(tmp_path) == []


def test_a_network_that_unpacks_far_beyond_its_size_is_refused_before_it_is_copied(saved, tmp_path, monkeypatch):
    import skaudio.persistence as persistence

    monkeypatch.setattr(persistence, "_NETWORK_BOMB_FLOOR_BYTES", 2**10)
    for model in saved.values():  # real networks deflate little: far from the ratio, whatever their size
        skaudio.load_model(model)
    path = tmp_path / "bomb.skaudio"
    path.write_bytes(saved["denoise"].read_bytes())
    rewrite_member(path, "networks/0.keras", bytes(3 * 2**20), zipfile.ZIP_DEFLATED)  # 3 MiB in 3 kB

    def never(*args, **kwargs):
        raise AssertionError("the network was copied")

    monkeypatch.setattr(persistence.shutil, "copyfileobj", never)
    for check in (persistence.untrusted_network_objects, skaudio.load_model):
        with pytest.raises(ValueError, match=r"its network networks/0\.keras unpacks to 3145728 bytes from \d+"):
            check(path)


def test_a_network_naming_code_outside_keras_is_refused_before_keras_reads_it(saved, tmp_path, monkeypatch):
    from skaudio.persistence import untrusted_network_objects

    marker = tmp_path / "ran"
    path = tmp_path / "evil.skaudio"
    path.write_bytes(saved["denoise"].read_bytes())

    def evil(config):
        # what Keras' safe mode imported and called before 3.9 (CVE-2025-1550): any module's class, Python's builtins
        conv = next(layer["config"] for layer in config["config"]["layers"] if "kernel_initializer" in layer["config"])
        conv["kernel_initializer"] = {
            "module": "subprocess",
            "class_name": "Popen",
            "config": {"args": ["touch", str(marker)]},
            "registered_name": None,
        }
        conv["activation"] = {"module": "builtins", "class_name": "function", "config": "exec", "registered_name": None}

    rewrite_network_config(path, evil)
    expected = ["networks/0.keras: builtins.exec", "networks/0.keras: subprocess.Popen"]
    assert untrusted_network_objects(path) == expected

    def never(*args, **kwargs):
        raise AssertionError("Keras read the network")

    monkeypatch.setattr(keras.saving, "load_model", never)  # refused whatever Keras' safe mode would do
    for trusted in (False, ["subprocess.Popen"]):
        with pytest.raises(UntrustedModelError, match=rf"{re.escape(str(path))}: its networks hold .*: {expected[0]}"):
            skaudio.load_model(path, trusted=trusted)
    assert not marker.exists()


def mark_members(path, kind):
    """Mark every member of a zip file encrypted, or compressed by a method zipfile does not know (99)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        infos, central = archive.infolist(), archive.start_dir
    local_field, central_field = (6, 8) if kind == "encrypted" else (8, 10)  # flag bits or compression method
    fields = [info.header_offset + local_field for info in infos]
    for _ in infos:
        fields.append(central + central_field)
        central += 46 + sum(struct.unpack("<HHH", data[central + 28 : central + 34]))
    for at in fields:
        (value,) = struct.unpack("<H", data[at : at + 2])
        data[at : at + 2] = struct.pack("<H", value | 1 if kind == "encrypted" else 99)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("kind", ["encrypted", "unknown compression"])
def test_a_member_zipfile_cannot_read_is_a_value_error(saved, tmp_path, kind):
    from skaudio.persistence import untrusted_network_objects, untrusted_types

    path = tmp_path / "odd.skaudio"
    path.write_bytes(saved["denoise"].read_bytes())
    mark_members(path, kind)
    for read in (skaudio.read_model_metadata, untrusted_types, untrusted_network_objects, skaudio.load_model):
        with pytest.raises(ValueError, match=rf"{re.escape(str(path))}: its (member|network) .* cannot be read"):
            read(path)


def test_the_estimators_other_variants_round_trip(tmp_path):
    # the spectral denoiser (custom STFT layers, an LSTM) and a frame-level detector trained on annotations
    rng = np.random.default_rng(1)
    X = rng.normal(size=(16, 40, 6)).astype("float32")
    events = [[(0.05, 0.2, "dog")] if i % 2 else [(0.1, 0.3, "cat")] for i in range(len(X))]
    detector = tiny_detector(padding="same", temporal_pooling="attention", frame_duration=0.01).fit(X, events)
    spectral = CNN1DDenoiser(
        domain="stft", filters=4, n_layers=1, lstm_units=4, frequency_filters=(2, 2), refinement_filters=2, epochs=1
    ).fit(NOISY, NOISY / 2)
    for estimator, method, data in [(detector, "predict_frame_proba", X), (spectral, "predict", NOISY)]:
        skaudio.save_model(estimator, tmp_path / "model.skaudio")
        loaded = skaudio.load_model(tmp_path / "model.skaudio")
        np.testing.assert_array_equal(getattr(loaded, method)(data), getattr(estimator, method)(data))
    assert loaded.get_params() == spectral.get_params() and detector.labels_ == ["cat", "dog"]
