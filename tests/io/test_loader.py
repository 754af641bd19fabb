"""Tests of skaudio.io.AudioLoader."""

import pickle
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import get_tags

from skaudio.io import AudioLoader, load_audio


def _rms(clips):
    return np.array([[np.sqrt(np.mean(c**2))] for c in clips])


@pytest.fixture
def clips(tmp_path):
    """Six 16 kHz tones of different lengths: three loud, three quiet."""
    paths, labels = [], []
    rng = np.random.default_rng(0)
    for i in range(6):
        loud = i % 2
        n = 1600 + 400 * i
        x = (0.8 if loud else 0.05) * np.sin(2 * np.pi * 440 * np.arange(n) / 16000)
        x += 0.001 * rng.standard_normal(n)
        path = tmp_path / f"clip_{i}.wav"
        sf.write(path, x, 16000, subtype="PCM_16")
        paths.append(str(path))
        labels.append(loud)
    return paths, np.array(labels)


def test_transform_returns_ragged_list_of_float32(clips):
    paths, _ = clips
    out = AudioLoader().transform(paths)
    assert isinstance(out, list) and len(out) == len(paths)
    assert [c.shape for c in out] == [(1600 + 400 * i,) for i in range(6)]
    assert all(c.dtype == np.float32 and c.ndim == 1 for c in out)
    for path, clip in zip(paths, out):
        np.testing.assert_array_equal(clip, load_audio(path)[0])


def test_resampling_and_duration(clips):
    paths, _ = clips
    out = AudioLoader(sr=8000, duration=0.15).fit_transform(paths)
    # 0.15 s at 16 kHz = 2400 frames, 1200 after resampling; shorter clips keep their length.
    assert [c.shape[0] for c in out] == [800, 1000, 1200, 1200, 1200, 1200]


def test_fit_returns_self_and_is_not_required(clips):
    paths, _ = clips
    loader = AudioLoader(sr=8000)
    assert loader.fit(paths) is loader
    assert vars(loader) == {"sr": 8000, "mono": True, "duration": None, "verbose": 0}  # no state learned
    assert len(AudioLoader(sr=8000).transform(paths)) == 6  # without fit


def _frame(paths):
    import pandas as pd

    return pd.DataFrame({"path": paths})


def _series(paths):
    import pandas as pd

    return pd.Series(paths, index=range(10, 10 + len(paths)))


@pytest.mark.parametrize("container", [list, tuple, np.array, lambda p: np.array(p)[:, None], _frame, _series])
def test_accepts_sequences_and_arrays_of_paths(clips, container):
    paths, _ = clips
    out = AudioLoader().transform(container(paths))
    assert [c.shape for c in out] == [c.shape for c in AudioLoader().transform(paths)]


def test_a_table_of_several_columns_is_refused(clips):
    paths, _ = clips
    table = _frame(paths).assign(label="x")
    with pytest.raises(ValueError, match="X must be one column of paths, got a table of 2 columns"):
        AudioLoader().transform(table)


def test_accepts_pathlike(clips):
    paths, _ = clips
    assert len(AudioLoader().transform([Path(p) for p in paths])) == 6


def test_single_string_is_a_type_error(clips):
    paths, _ = clips
    with pytest.raises(TypeError, match="Pass a list"):
        AudioLoader().transform(paths[0])
    with pytest.raises(TypeError, match="Pass a list"):
        AudioLoader().fit(Path(paths[0]))


def test_non_path_item_is_a_type_error_naming_index(clips):
    paths, _ = clips
    with pytest.raises(TypeError, match=r"X\[1\]"):
        AudioLoader().transform([paths[0], 3.5])
    with pytest.raises(ValueError, match="empty"):
        AudioLoader().transform([])
    with pytest.raises(ValueError, match="1D"):
        AudioLoader().transform(np.array(paths).reshape(2, 3))


def test_missing_file_error_names_file_and_index(clips, tmp_path):
    paths, _ = clips
    missing = str(tmp_path / "ghost.wav")
    with pytest.raises(FileNotFoundError, match=r"X\[2\].*ghost\.wav") as info:
        AudioLoader().transform(paths[:2] + [missing])
    assert info.value.filename == missing


def test_corrupt_file_error_names_file_and_index(clips, tmp_path):
    paths, _ = clips
    bad = tmp_path / "corrupt.wav"
    bad.write_bytes(b"not audio at all" * 10)
    with pytest.raises(ValueError, match=r"X\[1\].*corrupt\.wav"):
        AudioLoader().transform([paths[0], bad, paths[1]])


@pytest.mark.parametrize(
    "params, name",
    [({"sr": 0}, "sr"), ({"sr": 44.1}, "sr"), ({"mono": 1}, "mono"), ({"duration": -1}, "duration")],
)
def test_invalid_params_raise_in_fit_and_transform(clips, params, name):
    paths, _ = clips
    loader = AudioLoader(**params)  # the constructor does no validation
    assert loader.get_params()[name] == params[name]
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        loader.fit(paths)
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        loader.transform(paths)


def test_constructor_is_keyword_only():
    with pytest.raises(TypeError):
        AudioLoader(8000)


def test_get_params_clone_set_params():
    loader = AudioLoader(sr=8000, mono=False, duration=1.5)
    assert loader.get_params() == {"sr": 8000, "mono": False, "duration": 1.5, "verbose": 0}
    cloned = clone(loader)
    assert cloned is not loader and cloned.get_params() == loader.get_params()
    assert loader.set_params(sr=16000) is loader and loader.sr == 16000
    assert repr(AudioLoader(sr=8000)) == "AudioLoader(sr=8000)"
    restored = pickle.loads(pickle.dumps(loader))
    assert restored.get_params() == loader.get_params()


def test_mono_false_returns_channels_first(tmp_path):
    path = tmp_path / "stereo.wav"
    sf.write(path, np.zeros((500, 2)), 8000)
    out = AudioLoader(mono=False).transform([path])
    assert out[0].shape == (2, 500)


def test_tags():
    tags = get_tags(AudioLoader())
    assert tags.requires_fit is False
    assert tags.input_tags.string is True
    assert tags.input_tags.two_d_array is False


def test_pipeline_on_paths(clips):
    paths, y = clips
    pipe = Pipeline(
        [
            ("load", AudioLoader(sr=8000)),
            ("rms", FunctionTransformer(_rms)),
            ("clf", LogisticRegression(C=100.0)),
        ]
    )
    pipe.fit(paths, y)
    np.testing.assert_array_equal(pipe.predict(paths), y)
    assert pipe.get_params()["load__sr"] == 8000

    other = clone(pipe).set_params(load__sr=16000, load__duration=0.05)
    assert other.named_steps["load"].get_params() == {"sr": 16000, "mono": True, "duration": 0.05, "verbose": 0}
    other.fit(paths, y)
    np.testing.assert_array_equal(other.predict(paths), y)


def test_make_pipeline_step_name():
    pipe = make_pipeline(AudioLoader(), FunctionTransformer(_rms))
    assert "audioloader" in pipe.named_steps


def test_os_errors_name_the_index_and_keep_their_reason(clips, tmp_path):
    # a broken link says so (not "no such file"), and an OS error other than a missing file names the index too
    paths, _ = clips
    link = tmp_path / "gone.wav"
    link.symlink_to(tmp_path / "moved_away.wav")
    with pytest.raises(FileNotFoundError, match=r"X\[1\]: Broken symbolic link.*gone\.wav") as info:
        AudioLoader().transform([paths[0], link])
    assert info.value.filename == str(link)
    through_a_file = str(Path(paths[0]) / "x.wav")
    with pytest.raises(NotADirectoryError, match=r"X\[1\].*clip_0\.wav/x\.wav"):
        AudioLoader().transform([paths[1], through_a_file])
