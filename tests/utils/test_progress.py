"""Progress bars over files: shown with verbose on a terminal, never in pipes."""

import io
import sys

import numpy as np
import pytest
import soundfile as sf

from skaudio.io import AudioLoader, load_folder
from skaudio.utils import check_verbose, progress


class FakeTTY(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self):
        return True


class ClosedTTY(io.StringIO):
    def isatty(self):
        raise ValueError("I/O operation on closed file")


@pytest.mark.parametrize("verbose", [0, 1, 2, True, False])
@pytest.mark.parametrize("stream_cls", [FakeTTY, io.StringIO])
def test_progress_yields_every_item_in_order(verbose, stream_cls):
    items = [f"clip_{i}.wav" for i in range(7)]
    assert list(progress(items, total=len(items), desc="x", verbose=verbose, file=stream_cls())) == items
    # A generator without len works too.
    assert list(progress((i for i in items), verbose=verbose, file=stream_cls())) == items


def test_progress_writes_a_bar_on_a_terminal_with_verbose():
    stream = FakeTTY()
    out = list(progress(range(5), total=5, desc="Loading audio", unit="file", verbose=1, file=stream))
    assert out == list(range(5))
    text = stream.getvalue()
    assert "Loading audio" in text
    assert "5/5" in text and "100%" in text
    assert "file" in text


@pytest.mark.parametrize(
    "verbose, stream_cls",
    [(0, FakeTTY), (False, FakeTTY), (1, io.StringIO), (2, io.StringIO), (1, ClosedTTY)],
)
def test_progress_writes_nothing_without_verbose_or_terminal(verbose, stream_cls):
    stream = stream_cls()
    items = list(range(4))
    wrapped = progress(items, total=4, desc="Loading audio", verbose=verbose, file=stream)
    assert wrapped is items  # not even wrapped
    assert list(wrapped) == items
    assert stream.getvalue() == ""


def test_progress_defaults_to_stderr_at_call_time(monkeypatch):
    fake = FakeTTY()
    monkeypatch.setattr(sys, "stderr", fake)
    assert list(progress([1, 2, 3], desc="now", verbose=1)) == [1, 2, 3]
    assert "now" in fake.getvalue()
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    assert list(progress([1, 2, 3], desc="now", verbose=1)) == [1, 2, 3]
    assert pipe.getvalue() == ""


def test_progress_stream_without_isatty_gets_no_bar():
    class Sink:
        def __init__(self):
            self.written = []

        def write(self, s):
            self.written.append(s)

    sink = Sink()
    assert list(progress("abc", verbose=1, file=sink)) == ["a", "b", "c"]
    assert sink.written == []


@pytest.mark.parametrize("bad", [-1, 0.5, "yes", None])
def test_check_verbose_rejects_bad_values(bad):
    with pytest.raises(ValueError, match="verbose"):
        check_verbose(bad)


# --- the loaders -----------------------------------------------------------


@pytest.fixture
def folder(tmp_path):
    rng = np.random.default_rng(0)
    for label in ["cat", "dog"]:
        (tmp_path / label).mkdir()
        for k in range(3):
            sf.write(tmp_path / label / f"{k}.wav", rng.uniform(-0.5, 0.5, 400 + 100 * k), 8000)
    return tmp_path


def test_audio_loader_verbose_same_data_and_bar_on_terminal(folder, monkeypatch):
    paths = sorted(str(p) for p in folder.rglob("*.wav"))
    quiet = AudioLoader(sr=16000).fit_transform(paths)

    fake = FakeTTY()
    monkeypatch.setattr(sys, "stderr", fake)
    loader = AudioLoader(sr=16000, verbose=1)
    assert loader.get_params()["verbose"] == 1
    loud = loader.fit_transform(paths)
    assert len(loud) == len(quiet) == 6
    for a, b in zip(quiet, loud):
        np.testing.assert_array_equal(a, b)
    text = fake.getvalue()
    assert "Loading audio" in text and "6/6" in text

    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    again = AudioLoader(sr=16000, verbose=1).fit_transform(paths)
    assert all(np.array_equal(a, b) for a, b in zip(quiet, again))
    assert pipe.getvalue() == ""


def test_audio_loader_errors_still_name_the_index_with_verbose(folder, monkeypatch):
    monkeypatch.setattr(sys, "stderr", FakeTTY())
    paths = [str(folder / "cat" / "0.wav"), str(folder / "missing.wav")]
    with pytest.raises(FileNotFoundError, match=r"X\[1\]"):
        AudioLoader(verbose=1).transform(paths)


def test_audio_loader_rejects_bad_verbose(folder):
    with pytest.raises(ValueError, match="verbose"):
        AudioLoader(verbose=-1).fit([str(folder / "cat" / "0.wav")])


def test_load_folder_verbose_same_data_and_bar_on_terminal(folder, monkeypatch):
    quiet = load_folder(folder)
    fake = FakeTTY()
    monkeypatch.setattr(sys, "stderr", fake)
    loud = load_folder(folder, verbose=1)
    np.testing.assert_array_equal(quiet.target, loud.target)
    np.testing.assert_array_equal(quiet.filenames, loud.filenames)
    assert quiet.sr == loud.sr
    for a, b in zip(quiet.data, loud.data):
        np.testing.assert_array_equal(a, b)
    assert "Loading audio" in fake.getvalue() and "6/6" in fake.getvalue()

    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    load_folder(folder, verbose=True)
    assert pipe.getvalue() == ""


def test_load_folder_rejects_bad_verbose(folder):
    with pytest.raises(ValueError, match="verbose"):
        load_folder(folder, verbose="loud")
