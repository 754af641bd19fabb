"""``skaudio train`` and the commands that apply a model, as a demanding user tries them.

Tiny trainings (one epoch, a few filters) on sounds generated in a temporary folder; most checks
refuse before anything is trained.
"""

import csv
import hashlib
import io
import json
import re

import numpy as np
import pytest
import soundfile as sf

from skaudio.cli._common import CLIError
from skaudio.datasets import make_colored_noise, make_sounds

SR = 8000
TINY_CLASSIFIER = (
    "cnn1dclassifier__n_networks=1",
    "cnn1dclassifier__filters=(4,4)",
    "cnn1dclassifier__pool_size=(2,2)",
)
TINY_DENOISER = (
    "cnn1ddenoiser__filters=4",
    "cnn1ddenoiser__n_layers=1",
    "cnn1ddenoiser__dilation=(1,)",
    "cnn1ddenoiser__lstm_units=4",
    "cnn1ddenoiser__frequency_filters=(4,4)",
)


def write_sounds(folder, n, classes, *, subfolders=True):
    """``n`` generated sounds of each class as 16-bit WAV files, in a subfolder per class if ``subfolders``.

    ``classes``: make_sounds' class names, or a dict of them to the names of their subfolders.
    """
    folders = dict(classes) if isinstance(classes, dict) else {name: name for name in classes}
    X, y = make_sounds(n, classes=list(folders), sr=SR, duration=(0.4, 0.6), random_state=0)
    paths = []
    for i, (clip, label) in enumerate(zip(X, y)):
        where = folder / folders[label] if subfolders else folder
        where.mkdir(parents=True, exist_ok=True)
        paths.append(where / f"{i}.wav")
        sf.write(paths[-1], clip, SR, subtype="PCM_16")
    return paths


def test_predict_keeps_the_file_and_label_of_classes_named_file_and_label(succeeds, tmp_path):
    # subfolders named "file" and "label": their probabilities used to overwrite the file name and the label
    paths = write_sounds(tmp_path / "data", 6, {"tone": "file", "click_train": "label"})
    model = tmp_path / "m.skaudio"
    succeeds(
        *("train", "--task", "classify", "--data", tmp_path / "data", "--features", "mfcc", "--epochs", "1"),
        *("--no-refit", "--set", *TINY_CLASSIFIER, "--out", model),
    )
    files = [str(paths[0]), str(paths[1])]
    table = list(csv.reader(io.StringIO(succeeds("predict", model, *files))))
    assert table[0] == ["file", "label", "p(file)", "p(label)"]
    assert [row[0] for row in table[1:]] == files
    for row in table[1:]:
        probabilities = np.array(row[2:], dtype=float)
        assert row[1] == ["file", "label"][int(np.argmax(probabilities))]
        assert abs(probabilities.sum() - 1) < 1e-4
    rows = json.loads(succeeds("predict", model, *files, "--format", "json"))
    assert [r["file"] for r in rows] == files and all(r["label"] in ("file", "label") for r in rows)
    assert all(set(r) == {"file", "label", "p(file)", "p(label)"} for r in rows)


def test_babble_drawn_for_a_single_clip_sums_the_other_clips():
    from skaudio.cli._noise import mix_noises

    clips = [0.1 * np.sin(2 * np.pi * (200 + 50 * k) * np.arange(SR // 2) / SR) for k in range(5)]
    seed = 2  # draws babble (source 1) for clip 0 only
    assert (np.random.default_rng(seed).integers(2, size=5) == 1).sum() == 1
    noisy, clean = mix_noises(clips, ["white", "babble"], (0, 0), np.random.default_rng(seed))
    for k in range(5):
        np.testing.assert_allclose(clean[k], clips[k], atol=1e-6)
        noise = noisy[k] - clean[k]
        assert 0.5 < np.mean(noise**2) / np.mean(clean[k] ** 2) < 2  # at 0 dB
    # clip 0's babble is made of the other tones: its spectrum peaks at one of their frequencies, not its own
    spectrum = np.abs(np.fft.rfft(noisy[0] - clean[0]))
    peak = np.argmax(spectrum) * SR / len(clips[0])
    assert min(abs(peak - (200 + 50 * k)) for k in range(1, 5)) < 5
    with pytest.raises(CLIError, match="--noise babble mixes other clips: it needs at least 2 clips"):
        mix_noises(clips[:1], ["babble"], (0, 0), np.random.default_rng(0))


def test_train_denoise_with_babble_on_a_few_files(succeeds, tmp_path):
    # 6 files, seed 30: babble is drawn for one of them, which used to stop the command
    write_sounds(tmp_path / "clean", 3, ("tone", "harmonic"), subfolders=False)
    model = tmp_path / "den.skaudio"
    stdout = succeeds(
        *("train", "--task", "denoise", "--data", tmp_path / "clean", "--noise", "white,babble", "--seed", "30"),
        *("--mixtures", "2", "--epochs", "1", "--set", *TINY_DENOISER, "--out", model),
    )
    assert "held-out SI-SDR improvement (dB): " in stdout and "refitting on all 12 noisy/clean pairs" in stdout
    assert model.is_file()


@pytest.fixture
def denoise_folders(tmp_path, monkeypatch):
    """A folder of clean recordings and one of noise recordings; loading the clean ones fails the test."""
    import skaudio.io

    write_sounds(tmp_path / "clean", 3, ("tone", "harmonic"), subfolders=False)
    noises = tmp_path / "noises"
    noises.mkdir()
    for k, color in enumerate(("pink", "brown")):
        sf.write(noises / f"{color}.wav", make_colored_noise(SR, color=color, random_state=k), SR)
    monkeypatch.setattr(
        skaudio.io, "load_folder", lambda *a, **k: pytest.fail("the data were loaded: the check came too late")
    )
    return tmp_path / "clean", noises


def test_train_never_writes_over_a_noise_recording_even_with_force(refused, denoise_folders):
    clean, noises = denoise_folders
    rain = noises / "pink.wav"
    before = hashlib.sha256(rain.read_bytes()).hexdigest()
    refused(
        f"refusing to write {re.escape(str(rain))}: it is the input file {re.escape(str(rain))}; choose another --out",
        *("train", "--task", "denoise", "--data", clean, "--noise", f"white,{noises}", "--out", rain, "--force"),
    )
    assert hashlib.sha256(rain.read_bytes()).hexdigest() == before


def test_train_refuses_a_noise_folder_that_overlaps_the_data(refused, denoise_folders, tmp_path):
    clean, noises = denoise_folders
    inside = clean / "ambience"
    inside.mkdir()
    for path in noises.iterdir():
        inside.joinpath(path.name).write_bytes(path.read_bytes())
    for noise, data in ((inside, clean), (tmp_path, clean)):  # noise recordings in the data, and the data in them
        refused(
            f"--data {re.escape(str(data))} and the --noise folder {re.escape(str(noise))} overlap \\(one holds the "
            "other\\): the noise recordings would be trained on as clean recordings",
            *("train", "--task", "denoise", "--data", data, "--noise", f"pink,{noise}", "--out", tmp_path / "m.sk"),
        )
    assert not (tmp_path / "m.sk").exists()


def test_cross_validation_with_more_folds_than_any_class_has_files_names_the_option():
    from skaudio.cli._train import _check_folds

    with pytest.raises(
        CLIError,
        match=r"^5-fold cross-validation: every class has fewer training files than folds: 'a' \(2\), 'b' \(3\) "
        r"\(give --cv 3 or fewer, or add files\)$",
    ):
        _check_folds({"a": 2, "b": 3}, 5)


def test_train_names_audio_files_it_leaves_out(cli, tmp_path):
    data = tmp_path / "data"
    write_sounds(data, 4, ("tone",))  # one class: refused once loaded, before any training
    (data / "tone" / "song.mp3").write_bytes(b"ID3 not read")
    (data / "tone" / "take.AIFF").write_bytes(b"FORM not read")
    (data / "notes.txt").write_text("not audio")
    status, _, err = cli("train", "--task", "classify", "--data", data, "--out", tmp_path / "m.skaudio")
    assert status == 1 and "a classifier needs at least 2 classes" in err[-1]
    warned = [line for line in err if ": warning: " in line]
    assert warned == [
        f"skaudio train: warning: --data {data}: 2 audio file(s) left out, only .wav, .flac and .ogg files are read "
        f"(convert them to use them): {data / 'tone' / 'song.mp3'}, {data / 'tone' / 'take.AIFF'}"
    ]
    # a noise folder's, too
    write_sounds(tmp_path / "clean", 3, ("tone", "harmonic"), subfolders=False)
    noises = tmp_path / "noises"
    noises.mkdir()
    sf.write(noises / "quiet.wav", np.zeros(SR), SR)
    (noises / "rain.mp3").write_bytes(b"ID3 not read")
    status, _, err = cli(
        *("train", "--task", "denoise", "--data", tmp_path / "clean", "--noise", noises),
        *("--out", tmp_path / "m.skaudio"),
    )
    assert status == 1 and "quiet.wav is silent" in err[-1]
    assert [line for line in err if ": warning: " in line] == [
        f"skaudio train: warning: --noise {noises}: 1 audio file(s) left out, only .wav, .flac and .ogg files are "
        f"read (convert them to use them): {noises / 'rain.mp3'}"
    ]
