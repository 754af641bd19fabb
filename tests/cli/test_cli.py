"""The ``skaudio`` command on real files in a temporary folder.

The README's main command (``skaudio demo``) and what only a process shows
(the exit status a shell sees, TensorFlow's start-up lines kept off stderr, a
reader that closes the pipe) run as subprocesses; every other call runs the
same ``main`` in the test's process (the ``cli``, ``succeeds`` and ``refused``
fixtures of conftest.py), without starting Python and TensorFlow again.
"""

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
import pytest
import soundfile as sf

import skaudio as skaudio_api
from skaudio.datasets import make_colored_noise, make_sounds
from tests.conftest import run_skaudio

SR = 8000
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Labelled recordings in subfolders (3 classes x 10 files), 16-bit WAV at 8 kHz."""
    root = tmp_path_factory.mktemp("recordings")
    X, y = make_sounds(10, classes=["tone", "noise_burst", "click_train"], sr=SR, duration=(0.4, 0.9), random_state=0)
    for i, (clip, label) in enumerate(zip(X, y)):
        (root / label).mkdir(exist_ok=True)
        sf.write(root / label / f"{label}_{i}.wav", clip, SR, subtype="PCM_16")
    return root


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The README's main command, in an empty folder, with 3 epochs a task instead of 30.

    Its scores and time with the default 30 epochs are measured by benchmarks/bench_demo.py.
    """
    first = next(line for line in README.read_text().splitlines() if line.startswith("pip install -e"))
    assert first == "pip install -e '.[plot]' && skaudio demo"
    cwd = tmp_path_factory.mktemp("demo")
    script = shutil.which("skaudio") or pytest.fail("the skaudio console script is not installed")
    result = subprocess.run([script, "demo", "--epochs", "3"], capture_output=True, text=True, cwd=cwd, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return cwd / "skaudio-demo", result.stdout


def test_readme_commands_are_the_ci_commands():
    lines = README.read_text().splitlines()
    assert "pip install -e '.[test]' && python -m pytest" in lines
    # CI installs as the README says, lints, then runs the README's test command itself
    ci = (README.parent / ".ci" / "run").read_text().splitlines()
    assert "pip install -e '.[test]'" in ci and ci[-1] == "python -m pytest"


def test_demo_says_the_classifier_trains_at_least_its_pipelines_steps_by_default():
    from skaudio.cli._demo import _length

    assert _length("classify", 30, exact_epochs=False) == "30 epochs or 1500 steps, whichever is more"
    assert _length("classify", 3, exact_epochs=True) == _length("detect", 3, exact_epochs=False) == "3 epochs"


def test_demo_trains_three_tasks_and_writes_a_report(demo):
    out, stdout = demo
    scores = json.loads((out / "scores.json").read_text())["scores"]
    # after 3 epochs: each score is computed and in its range (quality: benchmarks/bench_demo.py)
    assert 0 <= scores["classify: accuracy"] <= 1 and 0 <= scores["detect: event-based F1"] <= 1
    assert np.isfinite(scores["denoise: SI-SDR improvement (dB)"])
    assert stdout.count("for 3 epochs ...") == 3  # --epochs: exactly that, the classifier's min_steps lifted
    for task in ("classify", "detect", "denoise"):
        assert re.search(rf"^{task}\s+make_\w+_pipeline", stdout, re.M)
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert len(pngs) >= 5
    wavs = list(out.glob("*.wav"))
    assert len(wavs) == 9 and all(sf.info(w).samplerate == SR for w in wavs)
    for name in ("classifier", "event_detector", "denoiser"):
        assert (out / f"{name}.skaudio").stat().st_size > 0


def test_info_shows_steps_parameters_and_metadata(succeeds, demo):
    out, _ = demo
    text = succeeds("info", out / "classifier.skaudio")
    assert "task: classify" in text and "sample rate: 8000 Hz" in text
    assert "audioloader: AudioLoader" in text and "cnn1dclassifier: CNN1DClassifier" in text
    assert "kernel_size = 3" in text and re.search(r"versions: skaudio \S+, keras", text)


def test_predict_classifier_csv_and_json(succeeds, demo, folder):
    out, _ = demo
    files = sorted(str(p) for p in folder.rglob("*.wav"))[:4]
    table = list(csv.reader(io.StringIO(succeeds("predict", out / "classifier.skaudio", *files))))
    classes = skaudio_api.load_model(out / "classifier.skaudio")[-1].classes_.tolist()
    assert table[0] == ["file", "label", *classes]
    assert [row[0] for row in table[1:]] == files
    for row in table[1:]:
        probabilities = np.array(row[2:], dtype=float)
        assert abs(probabilities.sum() - 1) < 1e-4 and row[1] == classes[int(np.argmax(probabilities))]
    rows = json.loads(succeeds("predict", out / "classifier.skaudio", *files, "--format", "json"))
    assert [r["file"] for r in rows] == files and all(r["label"] in classes for r in rows)
    # a reader that stops after the header (`skaudio predict ... | head -1`): a quiet stop, as Unix tools make
    command = [sys.executable, "-m", "skaudio", "predict", str(out / "classifier.skaudio"), *files]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as reader:
        assert reader.stdout.readline().startswith("file,label,")
        reader.stdout.close()
        said = [line for line in reader.stderr.read().splitlines() if line.startswith("skaudio") or "Error" in line]
        reader.wait(timeout=600)
    assert reader.returncode == 141 and not said, said


def test_predict_detector_lists_events_of_a_long_recording(succeeds, demo, tmp_path):
    out, _ = demo
    from skaudio.datasets import make_event_scenes

    clips, labels = make_sounds(
        6, classes=["chirp", "click_train", "harmonic"], sr=SR, duration=(0.3, 0.8), random_state=5
    )
    scene, events = make_event_scenes(clips, labels, n_scenes=1, sr=SR, duration=9.0, n_events=4, random_state=1)
    path = tmp_path / "long.wav"
    sf.write(path, scene[0], SR)
    table = list(csv.reader(io.StringIO(succeeds("predict", out / "event_detector.skaudio", path))))
    assert table[0] == ["file", "onset", "offset", "label"]
    for _, onset, offset, label in table[1:]:
        assert 0 <= float(onset) < float(offset) <= 9.0 and label in {"chirp", "click_train", "harmonic"}
    assert len(table) > 1  # the demo's detector finds some of the 4 events


def test_denoise_any_length_at_the_inputs_rate(succeeds, demo, tmp_path):
    out, _ = demo
    t = np.arange(int(2.7 * 16000)) / 16000
    noisy = 0.3 * np.sin(2 * np.pi * 440 * t) + 0.1 * np.random.default_rng(0).standard_normal(len(t))
    sf.write(tmp_path / "in.wav", noisy, 16000, subtype="PCM_16")
    succeeds("denoise", out / "denoiser.skaudio", tmp_path / "in.wav", "-o", tmp_path / "out.wav")
    cleaned, rate = sf.read(tmp_path / "out.wav")
    assert rate == 16000 and len(cleaned) == len(noisy)
    assert sf.info(tmp_path / "out.wav").subtype == "PCM_16"
    # the tone stays, the broadband noise goes
    spectrum_in, spectrum_out = np.abs(np.fft.rfft(noisy)), np.abs(np.fft.rfft(cleaned))
    tone = slice(int(430 * 2.7), int(450 * 2.7))
    high = slice(int(3000 * 2.7), int(3900 * 2.7))
    assert (
        spectrum_out[high].mean() / spectrum_out[tone].max() < 0.5 * spectrum_in[high].mean() / spectrum_in[tone].max()
    )


@pytest.fixture(scope="module")
def noise_folder(tmp_path_factory):
    """Two noise recordings at 16 kHz (the speech is at 8 kHz), one shorter than a clip, in a subfolder."""
    root = tmp_path_factory.mktemp("noises")
    (root / "street").mkdir()
    sf.write(root / "hum.wav", make_colored_noise(4000, color="brown", random_state=1), 16000)
    sf.write(root / "street" / "rain.flac", make_colored_noise(32000, color="pink", random_state=2), 16000)
    return root


@pytest.mark.parametrize("task", ["classify", "detect", "denoise"])
def test_train_each_task_on_a_folder(succeeds, folder, noise_folder, tmp_path, task):
    model = tmp_path / f"{task}.skaudio"
    extra = {
        # --set goes through the same parsing as any parameter (one network is also the default)
        "classify": [
            "--grid",
            "cnn1dclassifier__kernel_size=3,5",
            "--cv",
            "2",
            "--set",
            "cnn1dclassifier__n_networks=1",
            "--features",
            "log-mel",
        ],
        "detect": ["--scenes", "24", "--scene-duration", "3"],
        # a named noise and a folder of noise recordings at another rate than the speech (resampled)
        # two noisy versions of each training recording, those of one recording in one CV fold
        "denoise": ["--noise", f"white,{noise_folder}", "--snr", "0,5", "--mixtures", "2", "--cv", "2"],
    }[task]
    refit = task == "detect"  # the refit on all the data, once; the others save the held-out fit
    extra += [] if refit else ["--no-refit"]
    stdout = succeeds("train", "--task", task, "--data", folder, "--epochs", "2", "--out", model, *extra)
    assert re.search(r"held-out .+: -?\d+\.\d{4}", stdout)
    assert ("refitting on all 34 scenes" in stdout) == refit  # 24 training + 10 held-out scenes
    assert ("cross-validated" in stdout) == (task != "detect")
    if task == "classify":
        assert "cross-validated accuracy (best of grid, 2 folds)" in stdout
        assert "best parameters: cnn1dclassifier__kernel_size=" in stdout
    pipe = skaudio_api.load_model(model)
    metadata = skaudio_api.read_model_metadata(model)
    assert metadata["task"] == task and metadata["sr"] == SR and metadata["n_files"] == 30
    assert metadata["versions"]["skaudio"] and metadata["date"] and metadata["refit_on_all"] == refit
    assert pipe.steps[0][0] == "audioloader"
    if task == "classify":
        assert pipe.get_params()["cnn1dclassifier__n_networks"] == 1
        # --epochs 2 trains two epochs: the factory's min_steps, which would train these 30 files longer, is lifted
        assert pipe.get_params()["cnn1dclassifier__epochs"] == 2
        assert pipe.get_params()["cnn1dclassifier__min_steps"] is None
        assert metadata["features"] == "log-mel" and pipe.get_params()["cnn1dclassifier__conv2d_filters"] == (16, 32)
        assert list(metadata["best_params"]) == ["cnn1dclassifier__kernel_size"]
    if task != "denoise":
        assert sorted(metadata["labels"]) == ["click_train", "noise_burst", "tone"]
    else:
        assert metadata["noise"] == ["white", str(noise_folder)] and metadata["mixtures"] == 2


def test_train_names_silent_and_too_short_files_once(cli, folder, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(folder, data)
    sf.write(data / "tone" / "muted.wav", np.zeros(4000), SR, subtype="PCM_16")
    sf.write(data / "click_train" / "blip.wav", 0.5 * np.ones(100), SR, subtype="PCM_16")
    model = tmp_path / "m.skaudio"
    status, _, err = cli("train", "--task", "classify", "--data", data, "--epochs", "1", "--no-refit", "--out", model)
    assert status == 0, err[-20:]
    warned = [line for line in err if ": warning: " in line]
    assert len(warned) == 2, warned  # by file name, and not again by clip index for each split
    assert "1 silent file(s)" in warned[0] and str(data / "tone" / "muted.wav") in warned[0]
    assert f"shorter than one analysis frame (256 samples at 8000 Hz): {data / 'click_train' / 'blip.wav'}" in warned[1]


def test_train_names_files_that_cannot_be_events_or_cross_validated(refused, folder, tmp_path):
    def train(task, data, *options):
        return ("train", "--task", task, "--data", data, *options, "--out", tmp_path / "m.skaudio")

    data = tmp_path / "data"
    shutil.copytree(folder, data)
    sf.write(data / "tone" / "muted.wav", np.zeros(4000), SR, subtype="PCM_16")
    refused(
        f"1 silent file\\(s\\), no sample above -120 dBFS, cannot be events: {data / 'tone' / 'muted.wav'}",
        *train("detect", data),
    )
    refused(
        f"no noise can be mixed into them at an SNR: {data / 'tone' / 'muted.wav'}",
        *train("denoise", data, "--noise", "white"),
    )
    (data / "tone" / "muted.wav").unlink()
    sf.write(data / "tone" / "long.wav", 0.1 * np.ones(3 * SR), SR, subtype="PCM_16")
    refused(
        "1 file\\(s\\) last longer than a --scene-duration of 2 s, even trimmed to where they are within 40 dB of "
        f"their peak, .*: {data / 'tone' / 'long.wav'} \\(3.00 s\\)",
        *train("detect", data, "--scene-duration", "2"),
    )
    # 2 files of "bell": 1 or 2 in the training share, fewer than 3 folds need
    (data / "tone" / "long.wav").unlink()
    (data / "bell").mkdir()
    for k in range(2):
        shutil.copy(next((folder / "tone").glob("*.wav")), data / "bell" / f"bell_{k}.wav")
    refused(
        "'bell': 1 training file \\(after the held-out share\\), so cross-validation cannot test it on a fold "
        "trained with it",
        *train("classify", data, "--cv", "3"),
    )
    assert not (tmp_path / "m.skaudio").exists()  # each refused before anything was trained or written


def test_a_file_fits_a_scene_once_trimmed_and_a_class_smaller_than_the_folds_is_named():
    from sklearn.utils import Bunch

    from skaudio.cli._train import _check_fit_in_scenes, _check_folds

    tone = np.sin(2 * np.pi * 440 * np.arange(SR) / SR)
    padded = np.r_[np.zeros(2 * SR), tone, np.zeros(2 * SR)]  # 5 s: a 1 s event in silence
    _check_fit_in_scenes(Bunch(data=[padded, tone], filenames=["padded.wav", "tone.wav"], sr=SR), 4.0)
    with pytest.warns(UserWarning, match=r"^3-fold cross-validation: fewer training files than folds in 'bell' \(2\)"):
        _check_folds({"bell": 2, "tone": 8}, 3)


def test_bad_scene_durations_are_usage_errors(cli):
    for value in ("0", "-1", "inf", "long"):
        status, _, err = cli(
            "train", "--task", "detect", "--data", ".", "--out", "m.skaudio", "--scene-duration", value
        )
        assert status == 2 and f"expected a number of seconds > 0, got '{value}'" in err[-1]


def test_predict_names_a_silent_file_and_denoise_refuses_a_too_short_one(cli, refused, demo, tmp_path):
    out, _ = demo
    sf.write(tmp_path / "silent.wav", np.zeros(SR), SR, subtype="PCM_16")
    status, rows, err = cli("predict", out / "classifier.skaudio", tmp_path / "silent.wav")
    assert status == 0 and rows.count("silent.wav") == 1
    warned = [line for line in err if ": warning: " in line]
    silent = tmp_path / "silent.wav"
    assert warned == [
        f"skaudio predict: warning: {silent} is silent (no sample above -120 dBFS): its label means nothing"
    ]
    sf.write(tmp_path / "blip.wav", 0.5 * np.ones(20), SR, subtype="PCM_16")
    refused(
        "blip.wav is too short for this model: 20 samples at 8000 Hz",
        *("denoise", out / "denoiser.skaudio", tmp_path / "blip.wav", "-o", tmp_path / "clean.wav"),
    )
    assert not (tmp_path / "clean.wav").exists()


def test_train_warns_about_short_files_by_name_for_the_denoiser(tmp_path):
    from sklearn.utils import Bunch

    from skaudio.cli._train import _check_unusable_files

    bunch = Bunch(data=[np.ones(4000), np.ones(20)], filenames=["a.wav", "b/blip.wav"], sr=SR)
    with pytest.warns(
        UserWarning, match=r"1 file\(s\) shorter than one analysis frame \(256 samples at 8000 Hz\): b/blip.wav"
    ):
        _check_unusable_files(bunch, "denoise", 256)


def test_every_subcommand_has_help(cli):
    result = run_skaudio("--help")
    assert result.returncode == 0 and result.stdout.startswith("usage: skaudio")
    for command in ("demo", "train", "predict", "denoise", "info"):
        status, out, _ = cli(command, "--help")
        assert status == 0 and out.startswith(f"usage: skaudio {command}")


def test_tensorflow_log_below_errors_is_kept_off_stderr_unless_verbose(cli, demo):
    # TensorFlow logs notes such as tf.function retracing through the "tensorflow" logger
    import logging

    out, _ = demo
    logger = logging.getLogger("tensorflow")
    level = logger.level
    try:
        logger.setLevel(logging.NOTSET)
        assert cli("info", out / "classifier.skaudio", "-v")[0] == 0
        assert logger.isEnabledFor(logging.WARNING)
        assert cli("info", out / "classifier.skaudio")[0] == 0
        assert not logger.isEnabledFor(logging.WARNING) and logger.isEnabledFor(logging.ERROR)
    finally:
        logger.setLevel(level)


def test_errors_are_one_line_with_a_non_zero_exit(refused, demo, folder, tmp_path):
    out, _ = demo
    (tmp_path / "broken.wav").write_bytes(b"RIFF not really a wave file")
    # in a real process, with TensorFlow's start-up lines: test_safety.py (12.)
    error = refused("audio file not found", "predict", out / "classifier.skaudio", tmp_path / "missing.wav")
    assert str(tmp_path / "missing.wav") in error  # the path as the user gave it
    refused("cannot read audio from .*broken.wav", "predict", out / "classifier.skaudio", tmp_path / "broken.wav")
    refused("model file not found", "info", tmp_path / "nothing.joblib")
    refused("is a 'denoise' model", "predict", out / "denoiser.skaudio", tmp_path / "broken.wav")
    refused(
        "is a 'classify' model; this command needs a 'denoise'",
        *("denoise", out / "classifier.skaudio", tmp_path / "broken.wav", "-o", tmp_path / "o.wav"),
    )
    # an old single-pickle model file: not opened without --trust (unpickling runs code), then checked
    old = skaudio_api.load_model(out / "classifier.skaudio")
    old.skaudio_metadata_ = {**skaudio_api.read_model_metadata(out / "classifier.skaudio"), "format": 1}
    old.skaudio_metadata_["versions"]["skaudio"] = "9.9.0"
    joblib.dump(old, tmp_path / "old.joblib")
    refused("old joblib .*--trust", "info", tmp_path / "old.joblib")
    refused("saved by skaudio 9.9.0", "info", tmp_path / "old.joblib", "--trust")
    joblib.dump({"not": "a model"}, tmp_path / "foreign.joblib")
    refused("not a model saved by", "info", tmp_path / "foreign.joblib", "--trust")

    def train(task, data, *options):
        return ("train", "--task", task, "--data", data, *options, "--out", tmp_path / "m.skaudio")

    # files at two sample rates need --sr
    mixed = tmp_path / "mixed"
    shutil.copytree(folder, mixed)
    sf.write(mixed / "tone" / "fast.wav", np.zeros(16000), 16000)
    refused("different native sample rates.* On the command line: --sr HZ", *train("classify", mixed))
    refused(
        "no parameter 'kernel_size' \\(did you mean cnn1dclassifier__kernel_size",
        *train("classify", folder, "--grid", "kernel_size=3,5"),
    )
    lonely = tmp_path / "lonely"
    shutil.copytree(folder, lonely)
    (lonely / "bell").mkdir()
    shutil.copy(next((folder / "tone").glob("*.wav")), lonely / "bell" / "only.wav")
    refused("every class needs at least 2 files .* too few in 'bell' \\(1\\)", *train("classify", lonely))
    few = tmp_path / "few"  # 2 files in each of 3 classes: 20 % held out is 2 files, not one of each class
    for label in ("tone", "noise_burst", "click_train"):
        (few / label).mkdir(parents=True)
        for path in sorted((folder / label).glob("*.wav"))[:2]:
            shutil.copy(path, few / label / path.name)
    refused(
        "--test-size 0.2 of 6 files holds out 2 and trains on 4, but each side needs a file of every one of the "
        "3 classes",
        *train("classify", few),
    )
    refused("--test-size 0.95 of 30 files holds out 29 and trains on 1", *train("detect", folder, "--test-size", ".95"))
    refused("--test-size 0.99 of 30 files leaves none to train on", *train("denoise", folder, "--test-size", "0.99"))
    refused(
        "--set: the pipeline has no parameter 'n_networks' \\(did you mean cnn1dclassifier__n_networks",
        *train("classify", folder, "--set", "n_networks=1"),
    )
    refused("--set expects PARAM=VALUE", *train("classify", folder, "--set", "cnn1dclassifier__n_networks"))
    refused("data folder not found", *train("classify", tmp_path / "nowhere"))
    refused(
        "--features: features must be one of 'mfcc', 'log-mel', 'mfcc\\+log-mel', got 'mel'",
        *train("classify", folder, "--features", "mel"),
    )
    (tmp_path / "quiet").mkdir()
    (tmp_path / "bad_noises").mkdir()
    sf.write(tmp_path / "bad_noises" / "hum.wav", np.ones(4000), SR)
    sf.write(tmp_path / "bad_noises" / "zeros.wav", np.zeros(4000), SR)
    (tmp_path / "short_noises").mkdir()
    sf.write(tmp_path / "short_noises" / "tick.wav", np.ones(100), SR)
    for noise, message in [
        ("pink,rain", "--noise 'rain' is neither a named noise \\(blue, .*babble\\) nor a folder"),
        (f"pink,{tmp_path / 'quiet'}", "--noise .*quiet: No audio files"),
        (str(tmp_path / "bad_noises"), "--noise .*bad_noises: .*zeros.wav is silent"),
        (
            str(tmp_path / "short_noises"),
            "--noise .*short_noises: .*tick.wav holds 100 samples at 8000 Hz, less than one",
        ),
    ]:
        refused(message, *train("denoise", folder, "--noise", noise))
    # another task's options would be ignored: refused, before anything is loaded
    refused(
        "--noise-filter-db is an option of --task denoise, not of --task classify",
        *train("classify", folder, "--noise-filter-db", "6"),
    )
    refused(
        "--scenes is an option of --task detect; --noise is an option of --task denoise; --snr is an option of "
        "--task denoise, not of --task classify",
        *train("classify", folder, "--noise", "white", "--snr", "10,0", "--scenes", "10"),
    )
    refused(
        "--features is an option of --task classify, not of --task detect",
        *train("detect", folder, "--features", "mfcc"),
    )
    refused("--snr expects finite dB values, got 'nan,inf'", *train("denoise", folder, "--snr", "nan,inf"))
    refused("--snr expects LOW,HIGH with LOW <= HIGH", *train("denoise", folder, "--snr=5,-5"))
    wav = next((folder / "tone").glob("*.wav"))
    refused(f"--data {re.escape(str(wav))} is a file: give the folder", *train("classify", wav))
    refused(
        "--noise-filter-db and --noise-speed-perturbation: augmentation applies to the extra mixtures .* it needs "
        "--mixtures 2 or more",
        *train("denoise", folder, "--mixtures", "1", "--noise-filter-db", "6", "--noise-speed-perturbation", ".1"),
    )


def test_more_mixtures_of_each_recording_have_their_own_noise_and_name_their_recording():
    from argparse import Namespace

    from skaudio.cli._train import _more_mixtures

    clips = [0.1 * np.sin(2 * np.pi * (200 + 50 * k) * np.arange(SR) / SR) for k in range(6)]
    plain = Namespace(mixtures=3, noise_filter_db=0.0, noise_speed_perturbation=0.0)
    noisy, clean, groups = _more_mixtures(clips, ["white", "babble"], (0, 5), plain, np.random.default_rng(0))
    assert len(noisy) == len(clean) == 12 and groups.tolist() == [*range(6), *range(6)]
    for k, group in enumerate(groups):
        # the clean side is the recording it names, up to the level make_noisy sets
        assert abs(np.corrcoef(clean[k], clips[group])[0, 1]) > 0.999
    # the two rounds' noises differ: each mixture is drawn anew
    assert not np.allclose(noisy[0] - clean[0], noisy[6] - clean[6])


def test_more_mixtures_pass_the_noise_augmentation_on():
    from argparse import Namespace

    from skaudio.cli._train import _more_mixtures

    clips = [0.1 * np.sin(2 * np.pi * 300 * np.arange(SR) / SR) for _ in range(8)]

    def band_balances_db(filter_db):
        args = Namespace(mixtures=4, noise_filter_db=filter_db, noise_speed_perturbation=0.0)
        noisy, clean, _ = _more_mixtures(clips, ["white"], (0, 0), args, np.random.default_rng(0))
        power = [np.abs(np.fft.rfft(n - c)) ** 2 for n, c in zip(noisy, clean)]
        return np.array([10 * np.log10(p[1 : len(p) // 8].mean() / p[len(p) // 2 :].mean()) for p in power])

    # white noise keeps its flat spectrum unless filtered; filtered, each mixture gets its own tilt
    assert np.all(np.abs(band_balances_db(0.0)) < 1) and np.std(band_balances_db(12.0)) > 4


def test_demo_tests_its_denoiser_on_noise_recordings_it_never_trained_on(tmp_path):
    from skaudio.cli._demo import _denoise
    from skaudio.cli._noise import held_out_recordings, noise_sources

    # five hums at 16 kHz, each at its own frequency: the fourth is held out for the test mixtures
    t = np.arange(16000) / 16000
    frequencies = [300, 500, 700, 3000, 900]
    for k, f in enumerate(frequencies):
        sf.write(tmp_path / f"hum{k}.wav", 0.1 * np.sin(2 * np.pi * f * t), 16000)
    entries, sources = noise_sources(f"pink, {tmp_path}", SR)
    assert entries == ["pink", str(tmp_path)] and len(sources[1]) == 5
    training, held_out = held_out_recordings(entries, sources)
    assert training[0] == held_out[0] == "pink" and len(training[1]) == 4 and len(held_out[1]) == 1
    pipe, noisy, clean, denoised, scores = _denoise(0, 1, [training[1]], [held_out[1]])
    assert noisy.shape == clean.shape == denoised.shape == (20, SR)
    # every test mixture's noise is the 3 kHz hum, at 8 kHz now, which training never used
    spectrum = np.abs(np.fft.rfft(noisy - clean, axis=1))
    peaks = np.argmax(spectrum, axis=1) * SR / noisy.shape[1]
    np.testing.assert_allclose(peaks, 3000, atol=2)
    assert np.isfinite(scores["SI-SDR improvement (dB)"]) and hasattr(pipe, "predict")


def test_demo_refuses_a_noise_folder_it_cannot_split_before_training(refused, monkeypatch, tmp_path):
    import skaudio.cli._demo as demo

    monkeypatch.setattr(demo, "_classify", lambda *a: pytest.fail("the demo trained before checking --noise"))
    (tmp_path / "one").mkdir()
    sf.write(tmp_path / "one" / "fan.wav", make_colored_noise(8000, color="pink", random_state=0), SR)
    out = tmp_path / "report"
    refused(
        r"--noise .*one holds 1 recording: at least 2 are needed", "demo", "--out", out, "--noise", tmp_path / "one"
    )
    refused("--noise 'rain' is neither a named noise", "demo", "--out", out, "--noise", "white,rain")
    assert not out.exists()  # refused before the report folder was made


def test_set_and_grid_accept_routed_keras_parameters():
    """``--set``/``--grid`` take a Keras estimator's routed keywords (``optimizer__``, ``fit__``), which
    ``get_params`` lists only once set, and still refuse a prefix that routes nowhere."""
    from skaudio.cli._common import CLIError
    from skaudio.cli._train import parse_grid, parse_settings
    from skaudio.pipelines import make_classifier_pipeline

    pipe = make_classifier_pipeline(sr=8000)
    settings = parse_settings(["cnn1dclassifier__optimizer__weight_decay=0.0001"], pipe)
    assert settings == {"cnn1dclassifier__optimizer__weight_decay": 0.0001}
    pipe.set_params(**settings)
    assert pipe.get_params()["cnn1dclassifier__optimizer__weight_decay"] == 0.0001
    grid = parse_grid(["cnn1dclassifier__optimizer__beta_1=0.8,0.9"], pipe)
    assert grid == {"cnn1dclassifier__optimizer__beta_1": [0.8, 0.9]}
    for name in ("cnn1dclassifier__optimiser__beta_1", "cnn1dclassifier__optimizer__", "optimizer__beta_1"):
        with pytest.raises(CLIError, match=f"--set: the pipeline has no parameter '{name}'"):
            parse_settings([f"{name}=True"], pipe)
