"""No user file is ever lost (issue 20): the command line tried as a careless or hostile user would.

Real FSDD recordings and crafted bad files in a temporary folder; after every
refused command, the checksum of every file that was there is unchanged. Most
commands run in this process (``main``) to keep the tests fast; what needs a
fresh process (a file-size limit, TensorFlow's start-up lines, a FIFO that
could hang) runs ``python -m skaudio`` or Python in a subprocess.
"""

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from skaudio import load_model, read_model_metadata
from tests.conftest import run_skaudio

SR = 8000


def snapshot(folder):
    """{path: sha256} of every file under ``folder`` (links and special files by what they are)."""
    sums = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            if os.path.islink(path):
                sums[path] = "link -> " + os.readlink(path)
            elif not os.path.isfile(path):
                sums[path] = "special"
            else:
                sums[path] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return sums


@pytest.fixture(scope="module")
def fsdd_files(fsdd_path):
    """Eight FSDD recordings, two digits (8 kHz, 16-bit mono WAV)."""
    recordings = fsdd_path / "recordings"
    return [recordings / f"{digit}_theo_{i}.wav" for digit in (0, 1) for i in range(4)]


@pytest.fixture(scope="module")
def models(tmp_path_factory, fsdd_files):
    """A tiny classifier, event detector and denoiser (one epoch, a few filters), saved as `skaudio train` does."""
    from skaudio.cli._common import save_model
    from skaudio.datasets import make_event_scenes, make_noisy
    from skaudio.io import load_audio
    from skaudio.pipelines import make_classifier_pipeline, make_denoiser_pipeline, make_event_detector_pipeline

    folder = tmp_path_factory.mktemp("models")
    X = [load_audio(path)[0] for path in fsdd_files]
    y = np.array([path.name[0] for path in fsdd_files])
    classifier = (
        make_classifier_pipeline(sr=SR, random_state=0)
        .set_params(
            cnn1dclassifier__epochs=1,
            cnn1dclassifier__min_steps=None,
            cnn1dclassifier__n_networks=1,
            cnn1dclassifier__filters=(4, 4),
            cnn1dclassifier__pool_size=(2, 2),
        )
        .fit(X, y)
    )
    save_model(classifier, folder / "classifier.joblib", task="classify", sr=SR, labels=["0", "1"])
    scenes, events = make_event_scenes(X, y, n_scenes=4, sr=SR, duration=2.0, random_state=0)
    detector = (
        make_event_detector_pipeline(sr=SR, random_state=0)
        .set_params(
            crnneventdetector__epochs=1,
            crnneventdetector__filters=(4,),
            crnneventdetector__pool_size=(2,),
            crnneventdetector__lstm_units=4,
        )
        .fit(scenes, events)
    )
    save_model(
        detector, folder / "detector.joblib", task="detect", sr=SR, labels=["0", "1"], extra={"scene_duration": 2.0}
    )
    noisy, clean = make_noisy(X[:4], noise="white", snr_db=5.0, random_state=0)
    denoiser = (
        make_denoiser_pipeline(sr=SR, random_state=0)
        .set_params(
            cnn1ddenoiser__epochs=1,
            cnn1ddenoiser__filters=4,
            cnn1ddenoiser__n_layers=1,
            cnn1ddenoiser__dilation=(1,),
            cnn1ddenoiser__lstm_units=4,
            cnn1ddenoiser__frequency_filters=(4, 4),
        )
        .fit(noisy, clean)
    )
    save_model(denoiser, folder / "denoiser.joblib", task="denoise", sr=SR, labels=None)
    return {
        "classify": folder / "classifier.joblib",
        "detect": folder / "detector.joblib",
        "denoise": folder / "denoiser.joblib",
    }


@pytest.fixture
def work(tmp_path, fsdd_files):
    """A folder with a copy of one recording (in.wav) and an existing output (keep.wav) not to be lost."""
    shutil.copy(fsdd_files[0], tmp_path / "in.wav")
    shutil.copy(fsdd_files[3], tmp_path / "keep.wav")
    return tmp_path


@pytest.fixture
def data(tmp_path, fsdd_files):
    """A training folder: one subfolder per digit."""
    root = tmp_path / "data"
    for path in fsdd_files:
        (root / path.name[0]).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, root / path.name[0] / path.name)
    return root


def no_training(monkeypatch):
    """Make loading the training files fail the test: a check must refuse before it."""
    import skaudio.io

    def boom(*args, **kwargs):
        raise AssertionError("the training files were loaded: the check came too late")

    monkeypatch.setattr(skaudio.io, "load_folder", boom)


# 1. formats from the output's extension


def test_denoise_mp3_in_wav_out_replaces_an_existing_wav_with_force(cli, models, work):
    audio, rate = sf.read(work / "in.wav")
    sf.write(work / "in.mp3", audio, rate, format="MP3", subtype="MPEG_LAYER_III")
    status, out, _ = cli("denoise", models["denoise"], work / "in.mp3", "-o", work / "keep.wav", "--force")
    assert status == 0, out
    info = sf.info(work / "keep.wav")
    assert (info.format, info.subtype, info.samplerate) == ("WAV", "PCM_16", rate)
    assert info.frames == len(audio)
    assert "WAV PCM_16" in out


def test_denoise_output_format_and_subtype_come_from_the_output(cli, models, work):
    for name, subtype, expected in [
        ("out.flac", None, ("FLAC", "PCM_16")),
        ("out.ogg", None, ("OGG", "VORBIS")),
        ("out.wav", "float", ("WAV", "FLOAT")),
    ]:
        options = ["--subtype", subtype] if subtype else []
        status, _, err = cli("denoise", models["denoise"], work / "in.wav", "-o", work / name, *options)
        assert status == 0, err
        assert (sf.info(work / name).format, sf.info(work / name).subtype) == expected


def test_denoise_refuses_an_output_extension_or_subtype_it_cannot_write(refused, models, work):
    before = snapshot(work)
    refused(
        r"which audio format .*out\.mp3: end it with \.wav, \.flac, \.ogg",
        "denoise",
        models["denoise"],
        work / "in.wav",
        "-o",
        work / "out.mp3",
    )
    refused(
        r"--subtype VORBIS cannot be written to a \.wav file",
        "denoise",
        models["denoise"],
        work / "in.wav",
        "-o",
        work / "out.wav",
        "--subtype",
        "VORBIS",
    )
    assert snapshot(work) == before


# 2. atomic writes: a full disk leaves the old file intact


def test_denoise_on_a_full_disk_leaves_the_old_output_intact(models, work):
    # about 1 MB of 16-bit samples (63 s), over the limit; the limit leaves room for loading the model
    long = np.tile(sf.read(work / "in.wav")[0], 160)
    sf.write(work / "long.wav", long, SR, subtype="PCM_16")
    before = snapshot(work)

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))

    result = run_skaudio(
        "denoise", models["denoise"], work / "long.wav", "-o", work / "keep.wav", "--force", preexec_fn=limit_file_size
    )
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("skaudio")]
    assert len(errors) == 1 and "cannot write" in errors[0] and "keep.wav" in errors[0], result.stderr
    assert snapshot(work) == before  # keep.wav unchanged, and no temporary file left behind


def test_demo_refuses_to_replace_an_earlier_report_before_training(refused, monkeypatch, tmp_path):
    import skaudio.cli._demo as demo

    report = tmp_path / "skaudio-demo"
    report.mkdir()
    (report / "scores.json").write_text('{"scores": {}}')
    before = snapshot(tmp_path)
    monkeypatch.setattr(demo, "_classify", lambda *a: pytest.fail("the demo trained before checking --out"))
    refused(r"already holds a report \(scores\.json\): pass --force", "demo", "--out", report)
    refused(r"is a file, not a folder", "demo", "--out", report / "scores.json")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("seed", [-1, 2**32 - 2])
def test_demo_refuses_a_seed_numpy_cannot_take_before_training_naming_it(refused, monkeypatch, tmp_path, seed):
    import skaudio.cli._demo as demo

    # 2**32 - 2 seeded the classifier, then failed as the detector's seed + 1 ("random_state must be ...")
    monkeypatch.setattr(demo, "_classify", lambda *a: pytest.fail("the demo trained with a seed it cannot use"))
    refused(rf"--seed must be between 0 and 4294967293, got {seed}$", "demo", "--out", tmp_path / "r", "--seed", seed)
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("where", ["report inside the noise", "noise inside the report", "the same folder"])
def test_demo_refuses_a_noise_folder_that_overlaps_its_report_even_with_force(refused, monkeypatch, tmp_path, where):
    import skaudio.cli._demo as demo

    monkeypatch.setattr(demo, "_classify", lambda *a: pytest.fail("the demo trained with an overlapping --noise"))
    noise = tmp_path / "noise"
    noise.mkdir()
    for k in range(2):
        sf.write(noise / f"fan{k}.wav", np.random.default_rng(k).normal(0, 0.1, SR), SR)
    out = {"report inside the noise": noise / "report", "noise inside the report": tmp_path, "the same folder": noise}
    before = snapshot(tmp_path)
    refused(
        r"--out .* and the --noise folder .*noise overlap \(one holds the other\)",
        "demo",
        "--out",
        out[where],
        "--noise",
        noise,
        "--force",
    )
    assert snapshot(tmp_path) == before


def _fitted_pipeline():
    from sklearn.pipeline import Pipeline

    from skaudio.preprocessing import FeatureScaler

    return Pipeline([("featurescaler", FeatureScaler())]).fit(np.ones((2, 3, 4)))


def test_an_output_that_appears_while_training_is_kept_and_the_work_saved_beside_it(tmp_path):
    from skaudio.cli._common import CLIError, save_model
    from skaudio.cli._files import check_output

    out = tmp_path / "model.skaudio"
    check_output(str(out), force=False)  # what `skaudio train` checks before training ...
    out.write_bytes(b"another run's model")  # ... and another run saves there while this one trains
    with pytest.raises(CLIError, match=r"model\.skaudio appeared while this command ran .*written to .*model-1"):
        save_model(_fitted_pipeline(), str(out), task=None, sr=SR, labels=None)
    assert out.read_bytes() == b"another run's model"  # not clobbered ...
    assert read_model_metadata(tmp_path / "model-1.skaudio")["sr"] == SR  # ... and the work not lost
    check_output(str(out), force=True)  # --force: replacing it was asked for
    save_model(_fitted_pipeline(), str(out), task=None, sr=SR, labels=None, force=True)
    assert read_model_metadata(out)["sr"] == SR


def test_an_audio_output_that_appears_meanwhile_is_not_replaced(tmp_path):
    from skaudio.cli._common import CLIError
    from skaudio.cli._files import check_output, write_audio

    out = tmp_path / "clean.wav"
    check_output(str(out), force=False)
    out.write_bytes(b"someone else's recording")
    with pytest.raises(CLIError, match=r"clean\.wav appeared while this command ran .*written to .*clean-1\.wav"):
        write_audio(str(out), np.zeros(100), SR, "WAV", "PCM_16")
    assert out.read_bytes() == b"someone else's recording"
    assert sf.info(tmp_path / "clean-1.wav").frames == 100


# 3. never an input, never an existing file unasked, folder checked first


@pytest.mark.parametrize("how", ["same", "dotdot", "link"])
def test_denoise_never_writes_over_its_input_even_with_force(refused, models, work, how):
    (work / "x").mkdir()
    os.symlink(work / "in.wav", work / "link.wav")
    output = {"same": work / "in.wav", "dotdot": f"{work}/x/../in.wav", "link": work / "link.wav"}[how]
    before = snapshot(work)
    refused(
        r"refusing to write .*: it is the input file",
        "denoise",
        models["denoise"],
        work / "in.wav",
        "-o",
        output,
        "--force",
    )
    assert snapshot(work) == before


def test_denoise_refuses_an_existing_output_without_force_and_a_missing_folder(refused, models, work):
    before = snapshot(work)
    refused(
        r"keep\.wav already exists: pass --force",
        "denoise",
        models["denoise"],
        work / "in.wav",
        "-o",
        work / "keep.wav",
    )
    refused(
        r"cannot write .*nodir/o\.wav: folder .*nodir does not exist",
        "denoise",
        models["denoise"],
        work / "in.wav",
        "-o",
        work / "nodir" / "o.wav",
    )
    assert snapshot(work) == before


def test_train_checks_out_before_loading_or_training(refused, monkeypatch, data, tmp_path):
    no_training(monkeypatch)
    training_file = next(data.rglob("*.wav"))
    (tmp_path / "good.joblib").write_bytes(b"an earlier model")
    before = snapshot(tmp_path)
    train = ["train", "--task", "classify", "--data", data, "--out"]
    refused(r"refusing to write .*: it is the input file", *train, training_file, "--force")
    refused(r"good\.joblib already exists: pass --force", *train, tmp_path / "good.joblib")
    refused(r"folder .*nodir does not exist", *train, tmp_path / "nodir" / "m.joblib")
    refused(r"is a folder", *train, data, "--force")
    assert snapshot(tmp_path) == before


# 4. every channel kept


@pytest.mark.parametrize("n_channels", [2, 6])
def test_denoise_keeps_every_channel(cli, models, work, n_channels):
    mono = sf.read(work / "in.wav")[0]
    channels = np.stack([mono * (0.2 + 0.1 * c) for c in range(n_channels)], axis=1)
    channels[:, -1] = 0  # a silent channel must stay (nearly) silent, not get the others' mix
    sf.write(work / "multi.wav", channels, SR, subtype="PCM_16")
    status, _, err = cli("denoise", models["denoise"], work / "multi.wav", "-o", work / "out.wav")
    assert status == 0, err
    cleaned, rate = sf.read(work / "out.wav", always_2d=True)
    assert cleaned.shape == channels.shape and rate == SR
    assert np.abs(cleaned[:, -1]).max() < 0.1 * np.abs(cleaned[:, 0]).max()


# 5 (command line part): one class


def test_train_classify_on_one_class_fails_before_training(refused, monkeypatch, data, tmp_path):
    from skaudio import pipelines

    shutil.rmtree(data / "1")
    monkeypatch.setattr(pipelines, "make_classifier_pipeline", lambda **kw: pytest.fail("trained on one class"))
    refused(
        r"holds one class, '0': a classifier needs at least 2 classes",
        "train",
        "--task",
        "classify",
        "--data",
        data,
        "--out",
        tmp_path / "m.joblib",
    )
    assert not (tmp_path / "m.joblib").exists()


# 6, 7. too short, another rate, too long


@pytest.mark.parametrize("task", ["classify", "detect"])
def test_predict_refuses_a_file_shorter_than_the_model_sees(refused, models, tmp_path, task):
    sf.write(tmp_path / "one.wav", np.array([0.5]), SR)
    line = refused(
        r"one\.wav is too short for this model: 1 samples at 8000 Hz, it needs at least 256",
        "predict",
        models[task],
        tmp_path / "one.wav",
    )
    assert line.startswith("skaudio predict: error: ")  # one line from the command, no traceback


def test_predict_says_once_that_files_are_resampled_and_classifies_a_long_file_whole(cli, models, work, tmp_path):
    audio = sf.read(work / "in.wav")[0]
    for name in ("a16.wav", "b16.wav"):
        sf.write(tmp_path / name, np.repeat(audio, 2), 2 * SR)
    sf.write(tmp_path / "long.wav", np.tile(audio, 6), SR)
    status, out, err = cli(
        "predict", models["classify"], tmp_path / "a16.wav", tmp_path / "b16.wav", tmp_path / "long.wav"
    )
    assert status == 0 and len(out.splitlines()) == 4, err
    resampled = [line for line in err if "resampled" in line]
    assert len(resampled) == 1 and "16000 Hz" in resampled[0] and "above 4000 Hz" in resampled[0]
    # the recommended classifier averages windows over the whole file: nothing is cropped, nothing to warn of
    assert not [line for line in err if "long.wav" in line], err
    model = load_model(models["classify"])
    long_row = out.splitlines()[-1].split(",")
    expected = model[-1].predict_proba([np.tile(audio, 6).astype("float32")])[0]
    np.testing.assert_allclose(np.array(long_row[2:], dtype=float), expected, atol=1e-5)


# 8. truncated WAV


def test_a_truncated_wav_is_read_with_a_warning_naming_it(cli, models, work):
    content = (work / "in.wav").read_bytes()
    (work / "cut.wav").write_bytes(content[: len(content) // 2])
    status, out, err = cli("predict", models["classify"], work / "cut.wav")
    assert status == 0 and "cut.wav" in out
    assert any("warning" in line and "cut.wav" in line and "truncated" in line for line in err), err
    from skaudio.io import load_audio

    with pytest.warns(UserWarning, match=r"'.*cut\.wav' is truncated"):
        load_audio(work / "cut.wav")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_audio(work / "in.wav")  # a complete file: no warning


# 9. errors name the file


def test_nan_samples_are_an_error_naming_the_file(refused, monkeypatch, data, models, tmp_path):
    from skaudio import pipelines

    wave = np.full(800, 0.1, dtype=np.float32)
    wave[400] = np.nan
    sf.write(data / "1" / "bad.wav", wave, SR, subtype="FLOAT")
    monkeypatch.setattr(pipelines, "make_classifier_pipeline", lambda **kw: pytest.fail("trained on NaN"))
    line = refused(
        r"'.*data/1/bad\.wav' holds 1 NaN or infinite samples",
        "train",
        "--task",
        "classify",
        "--data",
        data,
        "--out",
        tmp_path / "m.joblib",
    )
    assert line.startswith("skaudio train: error: ")
    refused(r"bad\.wav.* holds 1 NaN", "predict", models["classify"], data / "1" / "bad.wav")


def test_a_file_name_that_is_not_utf8_is_read_and_printed(models, work):
    name = os.path.join(os.fsencode(work), b"d\xe9j\xe0.wav")  # Latin-1 bytes: not valid UTF-8
    shutil.copy(work / "in.wav", name)
    missing = os.fsdecode(os.path.join(os.fsencode(work), b"\xff.wav"))
    # one process: the first name printed on stdout, the second in an error on stderr
    result = run_skaudio("predict", models["classify"], os.fsdecode(name), missing, "--on-error", "skip")
    assert result.returncode == 1 and "UnicodeEncodeError" not in result.stderr, result.stderr
    assert result.stdout.splitlines()[1].startswith(os.fsdecode(name) + ",")  # the name's own bytes
    errors = [line for line in result.stderr.splitlines() if "audio file not found" in line]
    assert len(errors) == 1 and errors[0].endswith("\\udcff.wav"), result.stderr  # stderr escapes the byte


# 10. predict streams rows and goes on with --on-error skip


def test_predict_streams_rows_and_skips_bad_files_when_asked(cli, models, work, tmp_path):
    (tmp_path / "bad.flac").write_bytes(b"fLaC but not really")
    shutil.copy(work / "in.wav", tmp_path / "c.wav")
    files = [work / "in.wav", tmp_path / "bad.flac", tmp_path / "c.wav"]
    status, out, err = cli("predict", models["classify"], *files, "--on-error", "skip")
    rows = out.splitlines()
    assert status == 1
    assert rows[0] == "file,label,0,1" and [r.split(",")[0] for r in rows[1:]] == [str(files[0]), str(files[2])]
    assert len([line for line in err if "bad.flac" in line and ": error: " in line]) == 1
    assert err[-1] == "skaudio predict: error: 1 of 3 files failed (each reported above); the others were predicted"
    # the default stops at the bad file, after printing the good one before it
    status, out, err = cli("predict", models["classify"], *files)
    assert status == 1 and [r.split(",")[0] for r in out.splitlines()[1:]] == [str(files[0])]
    assert len(err) == 1 and "bad.flac" in err[0]
    status, out, _ = cli("predict", models["classify"], *files, "--on-error", "skip", "--format", "json")
    assert [row["file"] for row in json.loads(out)] == [str(files[0]), str(files[2])]


# 11. FIFO, broken links, negative folds


def test_load_folder_skips_a_fifo_instead_of_hanging(data):
    os.mkfifo(data / "0" / "x.wav")
    code = (
        "import warnings, sys; from skaudio.io import load_folder\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always'); bunch = load_folder(sys.argv[1])\n"
        "print(len(bunch.data)); print(*[str(x.message) for x in w], sep='\\n')"
    )
    result = subprocess.run([sys.executable, "-c", code, str(data)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "8"
    assert "not regular files" in result.stdout and "x.wav" in result.stdout


def test_broken_and_self_referencing_links_are_reported_as_broken_links(refused, models, tmp_path):
    os.symlink(tmp_path / "loop.wav", tmp_path / "loop.wav")
    os.symlink(tmp_path / "gone.wav", tmp_path / "dangling.wav")
    refused(
        r"broken symbolic link \(it points to itself\): .*loop\.wav",
        "predict",
        models["classify"],
        tmp_path / "loop.wav",
    )
    refused(
        r"broken symbolic link \(its target does not exist\): .*dangling\.wav",
        "predict",
        models["classify"],
        tmp_path / "dangling.wav",
    )
    from skaudio.io import load_audio

    with pytest.raises(FileNotFoundError, match="Broken symbolic link: it points to itself"):
        load_audio(tmp_path / "loop.wav")


def test_numbers_outside_their_range_or_not_numbers_are_usage_errors(cli, data, tmp_path):
    for option, value, message in [
        ("--cv", "-2", "--cv: expected a whole number >= 0, got '-2'"),
        ("--test-size", "1.5", "--test-size: expected a fraction between 0 and 1, got '1.5'"),
        ("--test-size", "0", "--test-size: expected a fraction between 0 and 1, got '0'"),
        ("--noise-filter-db", "-3", "--noise-filter-db: expected a number of dB >= 0, got '-3'"),
        ("--noise-filter-db", "inf", "--noise-filter-db: expected a number of dB >= 0, got 'inf'"),
        ("--noise-speed-perturbation", "1", "--noise-speed-perturbation: expected a number in [0, 1), got '1'"),
        ("--test-size", "nan", "--test-size: expected a fraction between 0 and 1, got 'nan'"),
        ("--cv", "two", "--cv: expected a whole number >= 0, got 'two'"),
        ("--epochs", "0", "--epochs: expected a whole number > 0, got '0'"),
        ("--epochs", "1.5", "--epochs: expected a whole number > 0, got '1.5'"),
    ]:
        status, _, err = cli("train", "--task", "classify", "--data", data, option, value, "--out", tmp_path / "m")
        assert status == 2
        assert message in "\n".join(err)


# 12. an error is one line: no TensorFlow start-up lines


def test_an_error_after_loading_tensorflow_is_exactly_one_line(models, work):
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    result = run_skaudio("denoise", models["classify"], work / "in.wav", "-o", work / "out.wav", env=env)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"skaudio denoise: error: {models['classify']} is a 'classify' model; this command needs a 'denoise' model"
    ], result.stderr
