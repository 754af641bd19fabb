"""Tests of skaudio.io.load_folder, including the real FSDD recordings."""

import os
import re
import warnings

import numpy as np
import pytest
import soundfile as sf
from sklearn.utils import Bunch

from skaudio.io import FSDD_PATTERN, load_folder


def _write(path, n=800, sr=8000, freq=440.0, **kwargs):
    path.parent.mkdir(parents=True, exist_ok=True)
    x = 0.5 * np.sin(2 * np.pi * freq * np.arange(n) / sr)
    sf.write(path, x, sr, **kwargs)
    return str(path)


@pytest.fixture
def pets(tmp_path):
    """tmp/{cat,dog}/ with WAV, FLAC, OGG and an upper-case extension."""
    _write(tmp_path / "dog" / "b.flac", n=900)
    _write(tmp_path / "dog" / "a.wav", n=800)
    _write(tmp_path / "cat" / "c.ogg", n=1000)
    _write(tmp_path / "cat" / "D.WAV", n=1100)
    (tmp_path / "cat" / "notes.txt").write_text("not audio")
    (tmp_path / "cat" / "._c.wav").write_bytes(b"\x00\x05\x16\x07 AppleDouble")  # hidden: ignored
    return tmp_path


def test_subfolder_labels(pets):
    bunch = load_folder(pets)
    assert isinstance(bunch, Bunch)
    rel = [os.path.relpath(f, pets) for f in bunch.filenames]
    assert rel == [os.path.join(*p) for p in [("cat", "D.WAV"), ("cat", "c.ogg"), ("dog", "a.wav"), ("dog", "b.flac")]]
    assert bunch.target_names.tolist() == ["cat", "dog"]
    assert bunch.target.tolist() == [0, 0, 1, 1]
    assert bunch.target.dtype.kind == "i"
    assert bunch.sr == 8000
    assert [c.shape for c in bunch.data] == [(1100,), (1000,), (800,), (900,)]
    assert all(c.dtype == np.float32 for c in bunch.data)
    assert isinstance(bunch.DESCR, str) and str(pets) in bunch.DESCR
    # labels are exactly the parent folder names
    labels = bunch.target_names[bunch.target]
    assert [os.path.basename(os.path.dirname(f)) for f in bunch.filenames] == labels.tolist()


def test_order_is_deterministic_and_recursive(tmp_path):
    _write(tmp_path / "b" / "x.wav")
    _write(tmp_path / "a" / "deep" / "y.wav")
    _write(tmp_path / "a" / "z.wav")
    bunch = load_folder(tmp_path)
    rel = [os.path.relpath(f, tmp_path).split(os.sep) for f in bunch.filenames]
    assert rel == [["a", "deep", "y.wav"], ["a", "z.wav"], ["b", "x.wav"]]
    # the label is the immediate parent folder
    assert bunch.target_names[bunch.target].tolist() == ["deep", "a", "b"]


def test_extensions_filter(pets):
    assert len(load_folder(pets, extensions=("flac",)).data) == 1
    assert len(load_folder(pets, extensions=".wav").data) == 2  # a.wav and D.WAV
    with pytest.raises(ValueError, match="extensions"):
        load_folder(pets, extensions=())


def test_labels_none(tmp_path):
    _write(tmp_path / "one.wav")
    _write(tmp_path / "sub" / "two.wav")
    bunch = load_folder(tmp_path, labels=None)
    assert bunch.target is None and bunch.target_names is None
    assert len(bunch.data) == 2


def test_subfolder_labels_need_a_subfolder(tmp_path):
    loose = _write(tmp_path / "loose.wav")
    _write(tmp_path / "cls" / "ok.wav")
    with pytest.raises(ValueError, match="loose.wav.*subfolder"):
        load_folder(tmp_path)
    with pytest.warns(UserWarning, match="loose.wav"):
        bunch = load_folder(tmp_path, on_error="warn")
    assert loose not in bunch.filenames and len(bunch.data) == 1


@pytest.mark.parametrize("compiled", [False, True])
def test_regex_labels_with_extra_groups(tmp_path, compiled):
    for name in ["3_ann_1.wav", "3_bob_0.flac", "7_ann_12.wav", "0_bob_2.ogg"]:
        _write(tmp_path / name)
    pattern = r"(?P<label>\d)_(?P<speaker>[a-z]+)_(?P<index>\d+)"
    bunch = load_folder(tmp_path, labels=re.compile(pattern) if compiled else pattern)
    names = [os.path.basename(f) for f in bunch.filenames]
    assert names == ["0_bob_2.ogg", "3_ann_1.wav", "3_bob_0.flac", "7_ann_12.wav"]
    assert bunch.target_names.tolist() == ["0", "3", "7"]
    assert bunch.target.tolist() == [0, 1, 1, 2]
    assert bunch.speaker.tolist() == ["bob", "ann", "bob", "ann"]
    assert bunch.index.tolist() == ["2", "1", "0", "12"]
    assert bunch["speaker"] is bunch.speaker


def test_regex_is_matched_against_the_stem_with_fullmatch(tmp_path):
    _write(tmp_path / "dog_1.wav")
    _write(tmp_path / "dog_2_extra.wav")
    with pytest.raises(ValueError, match="dog_2_extra.wav"):
        load_folder(tmp_path, labels=r"(?P<label>[a-z]+)_\d")
    with pytest.warns(UserWarning, match="dog_2_extra.wav") as record:
        bunch = load_folder(tmp_path, labels=r"(?P<label>[a-z]+)_\d", on_error="warn")
    assert len(record) == 1
    assert [os.path.basename(f) for f in bunch.filenames] == ["dog_1.wav"]
    assert bunch.target_names.tolist() == ["dog"]


def test_regex_without_label_group(tmp_path):
    _write(tmp_path / "a_1.wav")
    with pytest.raises(ValueError, match="label"):
        load_folder(tmp_path, labels=r"(?P<name>[a-z])_\d")
    with pytest.raises(ValueError, match="regular expression"):
        load_folder(tmp_path, labels=r"(?P<label>[a-z")
    with pytest.raises(ValueError, match="reserved"):
        load_folder(tmp_path, labels=r"(?P<label>[a-z])_(?P<target>\d)")
    with pytest.raises(TypeError, match="labels"):
        load_folder(tmp_path, labels=3)


def test_on_error_warn_names_every_skipped_file(tmp_path):
    good = [_write(tmp_path / "cls" / f"good{i}.wav") for i in range(3)]
    bad_names = ["bad_a.wav", "bad_b.flac", "bad_c.ogg"]
    for name in bad_names:
        (tmp_path / "cls" / name).write_bytes(b"\x01\x02 definitely not audio " * 20)
    sf.write(tmp_path / "cls" / "empty.wav", np.zeros(0), 8000)
    skipped = bad_names + ["empty.wav"]

    with pytest.raises(ValueError, match="bad_a.wav"):
        load_folder(tmp_path)  # on_error="raise" stops at the first (sorted) bad file

    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        bunch = load_folder(tmp_path, on_error="warn")
    assert len(record) == 1  # one warning for all of them
    assert issubclass(record[0].category, UserWarning)
    message = str(record[0].message)
    assert "4 of 7" in message
    for name in skipped:
        assert name in message
    assert sorted(bunch.filenames.tolist()) == sorted(good)
    assert len(bunch.data) == 3 and bunch.target.tolist() == [0, 0, 0]


def test_all_files_skipped(tmp_path):
    (tmp_path / "c" / "x.wav").parent.mkdir()
    (tmp_path / "c" / "x.wav").write_bytes(b"junk" * 50)
    with pytest.warns(UserWarning, match="x.wav"):
        with pytest.raises(ValueError, match="No audio file could be loaded"):
            load_folder(tmp_path, on_error="warn")


@pytest.mark.parametrize("bad", ["ignore", "skip", None, True])
def test_invalid_on_error(pets, bad):
    with pytest.raises(ValueError, match="on_error"):
        load_folder(pets, on_error=bad)


def test_mismatched_native_rates(tmp_path):
    a = _write(tmp_path / "x" / "a.wav", n=800, sr=8000)
    b = _write(tmp_path / "x" / "b.wav", n=1600, sr=16000)
    with pytest.raises(ValueError, match="sr=") as info:
        load_folder(tmp_path)
    assert a in str(info.value) and b in str(info.value)
    assert "8000" in str(info.value) and "16000" in str(info.value)

    bunch = load_folder(tmp_path, sr=8000)
    assert bunch.sr == 8000
    assert [c.shape for c in bunch.data] == [(800,), (800,)]


def test_duration_and_mono(tmp_path):
    path = tmp_path / "k" / "stereo.wav"
    path.parent.mkdir()
    sf.write(path, np.zeros((8000, 2)), 8000)
    assert load_folder(tmp_path, duration=0.25).data[0].shape == (2000,)
    assert load_folder(tmp_path, mono=False).data[0].shape == (2, 8000)


def test_empty_folder(tmp_path):
    with pytest.raises(ValueError, match=r"No audio files.*\.wav.*\.flac.*\.ogg") as info:
        load_folder(tmp_path)
    assert str(tmp_path) in str(info.value)
    (tmp_path / "readme.txt").write_text("nothing here")
    with pytest.raises(ValueError, match="No audio files"):
        load_folder(tmp_path)


def test_missing_folder_and_file_path(tmp_path):
    from skaudio.io import list_audio_files

    for find in (load_folder, list_audio_files):
        with pytest.raises(FileNotFoundError, match="nowhere"):
            find(tmp_path / "nowhere")
    f = _write(tmp_path / "file.wav")
    with pytest.raises(NotADirectoryError, match="load_folder needs a folder"):
        load_folder(f)
    with pytest.raises(NotADirectoryError, match="list_audio_files needs a folder"):
        list_audio_files(f)


@pytest.mark.parametrize("bad, match", [(3, "got int"), (None, "got NoneType"), (b"/tmp", "got bytes")])
def test_list_audio_files_names_a_folder_that_is_not_a_path(bad, match):
    from skaudio.io import list_audio_files

    with pytest.raises(TypeError, match=rf"^folder must be a str or os\.PathLike, {match}"):
        list_audio_files(bad)


def test_linked_class_folders_are_followed_once(tmp_path):
    # a class folder linked from storage is a class (once, however many links lead to it); links within the tree
    # or up it are not followed: each file keeps its own folder's label, and a loop ends
    from skaudio.io import list_audio_files

    _write(tmp_path / "store" / "dog" / "d.wav")
    for name in ("bird", "cat", "cow"):
        _write(tmp_path / "ds" / name / f"{name[0]}.wav")
    os.symlink(tmp_path / "store" / "dog", tmp_path / "ds" / "dog")
    os.symlink(tmp_path / "store" / "dog", tmp_path / "ds" / "hound")
    for name, other in (("bird", "cow"), ("bird", "cat"), ("cow", "cat"), ("cat", "bird")):
        os.symlink(tmp_path / "ds" / other, tmp_path / "ds" / name / f"see_{other}")
    os.symlink(tmp_path / "ds", tmp_path / "ds" / "cat" / "loop")
    os.symlink(tmp_path, tmp_path / "ds" / "cow" / "up")
    bunch = load_folder(tmp_path / "ds")
    assert bunch.target_names.tolist() == ["bird", "cat", "cow", "dog"] and bunch.target.tolist() == [0, 1, 2, 3]
    expected = [os.path.join(label, f"{label[0]}.wav") for label in ("bird", "cat", "cow", "dog")]
    assert list_audio_files(tmp_path / "ds") == expected


@pytest.mark.parametrize("on_error", ["raise", "warn"])
def test_a_folder_that_cannot_be_listed_is_an_error_or_a_warning_not_a_missing_class(pets, monkeypatch, on_error):
    # os.walk skips such a folder without a word: a class would vanish from the data set (the tests run as
    # root, who reads every folder, so the refusal is simulated)
    from skaudio.io import list_audio_files

    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.basename(os.fspath(path)) == "cat":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(PermissionError, match=r"Permission denied.*cat"):
        list_audio_files(pets)
    if on_error == "raise":
        with pytest.raises(PermissionError, match=r"Permission denied.*cat"):
            load_folder(pets)
        return
    with pytest.warns(
        UserWarning, match=r"(?s)skipped 0 of 2 files and 1 folder\(s\).*cat': a folder that cannot be listed"
    ):
        bunch = load_folder(pets, on_error="warn")  # skipped, and said
    assert "cat" not in bunch.target_names.tolist() and len(bunch.data) > 0
    with pytest.raises(PermissionError, match="Permission denied"):  # the folder asked for is never skipped
        load_folder(os.path.join(pets, "cat"), on_error="warn")


@pytest.mark.parametrize("kwargs, name", [({"sr": 0}, "sr"), ({"duration": 0}, "duration"), ({"mono": None}, "mono")])
def test_invalid_parameters(pets, kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        load_folder(pets, **kwargs)


@pytest.fixture(scope="module")
def fsdd(fsdd_path):
    return load_folder(fsdd_path / "recordings", labels=FSDD_PATTERN)


def test_fsdd_real_data(fsdd):
    assert len(fsdd.data) == len(fsdd.filenames) == len(fsdd.target) == 2500
    assert fsdd.target_names.tolist() == [str(d) for d in range(10)]
    assert np.bincount(fsdd.target).tolist() == [250] * 10
    assert sorted(set(fsdd.speaker)) == ["jackson", "lucas", "nicolas", "theo", "yweweler"]
    assert fsdd.sr == 8000
    assert all(c.dtype == np.float32 and c.ndim == 1 for c in fsdd.data)
    assert max(float(np.abs(c).max()) for c in fsdd.data) <= 1.0
    # labels agree with the file names
    first = os.path.basename(fsdd.filenames[0])
    assert first.split("_")[0] == fsdd.target_names[fsdd.target[0]]
    test = fsdd.index.astype(int) < 5
    assert test.sum() == 250
    assert np.bincount(fsdd.target[test]).tolist() == [25] * 10
