"""Tests of skaudio.io.load_audio."""

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from skaudio.io import load_audio


def _tone(freq, sr, seconds=1.0, amp=0.5):
    t = np.arange(int(round(sr * seconds))) / sr
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float64)


def _dominant_frequency(y, sr):
    spectrum = np.abs(np.fft.rfft(y * np.hanning(len(y))))
    return np.fft.rfftfreq(len(y), 1 / sr)[np.argmax(spectrum)]


def test_float_wav_round_trip_exact(tmp_path):
    x = _tone(440, 8000).astype(np.float32)
    path = tmp_path / "tone.wav"
    sf.write(path, x, 8000, subtype="FLOAT")
    y, sr = load_audio(path)
    assert sr == 8000
    assert y.dtype == np.float32 and y.ndim == 1
    np.testing.assert_array_equal(y, x)


def test_int16_wav_scaled_to_unit_range(tmp_path):
    codes = np.array([-32768, -16384, 0, 16384, 32767], dtype=np.int16)
    path = tmp_path / "pcm16.wav"
    sf.write(path, codes, 8000, subtype="PCM_16")
    y, _ = load_audio(path)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, codes / 32768.0, atol=1e-7)
    assert y.min() >= -1.0 and y.max() <= 1.0


def test_flac_round_trip(tmp_path):
    x = _tone(300, 16000)
    path = tmp_path / "tone.flac"
    sf.write(path, x, 16000, subtype="PCM_16")
    y, sr = load_audio(str(path))
    assert sr == 16000 and y.shape == x.shape
    np.testing.assert_allclose(y, x, atol=1.0 / 32768)


def test_ogg_round_trip_within_codec_tolerance(tmp_path):
    x = _tone(440, 8000)
    path = tmp_path / "tone.ogg"
    sf.write(path, x, 8000, format="OGG", subtype="VORBIS")
    y, sr = load_audio(path)
    assert sr == 8000 and y.dtype == np.float32 and y.shape == x.shape
    assert np.max(np.abs(y - x)) < 0.05
    assert np.corrcoef(x, y)[0, 1] > 0.999


def test_stereo_mixed_to_mono_by_averaging(tmp_path):
    left = _tone(200, 8000, amp=0.6)
    right = _tone(500, 8000, amp=0.2)
    path = tmp_path / "stereo.wav"
    sf.write(path, np.stack([left, right], axis=1), 8000, subtype="FLOAT")
    y, _ = load_audio(path)
    assert y.shape == (8000,) and y.dtype == np.float32
    np.testing.assert_allclose(y, (left + right) / 2, atol=1e-6)


def test_mono_false_keeps_channels_first(tmp_path):
    left, right = _tone(200, 8000), _tone(500, 8000)
    path = tmp_path / "stereo.wav"
    sf.write(path, np.stack([left, right], axis=1), 8000, subtype="FLOAT")
    y, _ = load_audio(path, mono=False)
    assert y.shape == (2, 8000) and y.dtype == np.float32
    assert y.flags.c_contiguous
    np.testing.assert_allclose(y[0], left, atol=1e-6)
    np.testing.assert_allclose(y[1], right, atol=1e-6)

    mono_path = tmp_path / "mono.wav"
    sf.write(mono_path, left, 8000, subtype="FLOAT")
    assert load_audio(mono_path, mono=False)[0].shape == (1, 8000)


@pytest.mark.parametrize("ext, kwargs", [("wav", {"subtype": "FLOAT"}), ("flac", {}), ("ogg", {})])
def test_offset_and_duration_read_the_right_samples(tmp_path, ext, kwargs):
    sr = 1000
    x = _tone(37, sr, seconds=2.0, amp=0.8)
    path = tmp_path / f"signal.{ext}"
    sf.write(path, x, sr, **kwargs)
    full, _ = load_audio(path)
    y, _ = load_audio(path, offset=0.25, duration=0.5)
    assert y.shape == (500,)
    # The same samples as a full read, sliced (exact: same decoder output).
    np.testing.assert_allclose(y, full[250:750], atol=1e-6)
    tail, _ = load_audio(path, offset=1.5)
    np.testing.assert_allclose(tail, full[1500:], atol=1e-6)


def test_offset_duration_exact_values(tmp_path):
    sr = 1000
    ramp = np.arange(2000, dtype=np.float32) / 2000
    path = tmp_path / "ramp.wav"
    sf.write(path, ramp, sr, subtype="FLOAT")
    y, _ = load_audio(path, offset=0.25, duration=0.5)
    np.testing.assert_array_equal(y, ramp[250:750])
    # A duration past the end is truncated to what the file holds.
    y, _ = load_audio(path, offset=1.8, duration=10.0)
    np.testing.assert_array_equal(y, ramp[1800:])


def test_only_requested_frames_are_read(tmp_path, monkeypatch):
    path = tmp_path / "long.wav"
    sf.write(path, np.zeros(10000), 1000, subtype="PCM_16")
    calls = []
    original = sf.SoundFile.read

    def spy(self, frames=-1, *args, **kwargs):
        calls.append((self.tell(), frames))
        return original(self, frames, *args, **kwargs)

    monkeypatch.setattr(sf.SoundFile, "read", spy)
    y, _ = load_audio(path, offset=2.0, duration=0.3)
    assert y.shape == (300,)
    assert calls == [(2000, 300)]


def test_resample_16k_to_8k_preserves_440_hz(tmp_path):
    path = tmp_path / "tone16k.wav"
    sf.write(path, _tone(440, 16000), 16000, subtype="PCM_16")
    y, sr = load_audio(path, sr=8000)
    assert sr == 8000
    assert y.dtype == np.float32 and y.shape == (8000,)
    assert abs(_dominant_frequency(y, 8000) - 440) <= 1.0
    # Amplitude preserved away from the edges.
    assert abs(np.max(np.abs(y[1000:-1000])) - 0.5) < 0.01


def test_resample_with_offset_and_duration(tmp_path):
    path = tmp_path / "tone16k.flac"
    sf.write(path, _tone(440, 16000, seconds=2.0), 16000)
    y, sr = load_audio(path, sr=22050, offset=0.5, duration=1.0)
    assert sr == 22050 and y.shape == (22050,)


def test_same_sr_does_not_resample(tmp_path):
    x = _tone(440, 8000).astype(np.float32)
    path = tmp_path / "tone.wav"
    sf.write(path, x, 8000, subtype="FLOAT")
    y, sr = load_audio(path, sr=8000)
    assert sr == 8000
    np.testing.assert_array_equal(y, x)


def test_missing_file_names_the_path(tmp_path):
    path = tmp_path / "nope.wav"
    with pytest.raises(FileNotFoundError, match="nope.wav") as info:
        load_audio(path)
    assert info.value.filename == str(path)


@pytest.mark.parametrize("content", [b"", b"RIFF\x00\x01garbage" * 40, bytes(range(256)) * 8])
def test_corrupt_file_raises_value_error_naming_it(tmp_path, content):
    path = tmp_path / "broken.wav"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="broken.wav") as info:
        load_audio(path)
    assert isinstance(info.value.__cause__, RuntimeError)


def test_an_unreadable_file_is_named_once_as_the_user_wrote_it(tmp_path):
    # libsndfile's reason, without its own "Error opening b'...'" repeating the name as bytes
    path = tmp_path / "ü é.wav"
    path.write_bytes(b"RIFF not really a wave file")
    with pytest.raises(ValueError) as info:
        load_audio(path)
    assert str(info.value) == f"Could not read audio file {str(path)!r}: Format not recognised."


def test_truncated_compressed_files_are_errors_naming_them(tmp_path):
    tone = 0.5 * np.sin(np.arange(16000) / 5)
    for ext, match in (("flac", "lost sync"), ("ogg", r"empty \(it holds zero frames\), or cut short where OGG")):
        path = tmp_path / f"cut.{ext}"
        sf.write(path, tone, 16000)
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * 0.999)])
        with pytest.raises(ValueError, match=rf"cut\.{ext}.*{match}"):
            load_audio(path)


def test_directory_is_not_an_audio_file(tmp_path):
    with pytest.raises(ValueError, match="directory"):
        load_audio(tmp_path)


def test_empty_audio_file_raises_naming_it(tmp_path):
    path = tmp_path / "silent_empty.wav"
    sf.write(path, np.zeros(0), 8000)
    assert sf.info(path).frames == 0  # a valid file with no frames
    with pytest.raises(ValueError, match="silent_empty.wav.*empty"):
        load_audio(path)


def test_offset_past_the_end_raises_naming_file(tmp_path):
    path = tmp_path / "short.wav"
    sf.write(path, np.zeros(800), 8000)
    with pytest.raises(ValueError, match="short.wav.*no frames after offset"):
        load_audio(path, offset=0.1)
    assert load_audio(path, offset=0.099)[0].shape == (8,)


@pytest.mark.parametrize(
    "kwargs, param",
    [
        ({"sr": 0}, "sr"),
        ({"sr": -8000}, "sr"),
        ({"sr": 8000.5}, "sr"),
        ({"sr": "8000"}, "sr"),
        ({"sr": True}, "sr"),
        ({"offset": -0.1}, "offset"),
        ({"offset": np.nan}, "offset"),
        ({"offset": None}, "offset"),
        ({"duration": 0}, "duration"),
        ({"duration": -1.0}, "duration"),
        ({"duration": np.inf}, "duration"),
        ({"duration": "1s"}, "duration"),
        ({"mono": "yes"}, "mono"),
    ],
)
def test_invalid_parameters_name_the_parameter(tmp_path, kwargs, param):
    path = tmp_path / "ok.wav"
    sf.write(path, np.zeros(100), 8000)
    with pytest.raises(ValueError, match=rf"^{param} must be"):
        load_audio(path, **kwargs)


def test_numpy_integer_sr_and_pathlike_accepted(tmp_path):
    path = tmp_path / "ok.wav"
    sf.write(path, np.zeros(1600), 16000)
    y, sr = load_audio(Path(path), sr=np.int64(8000))
    assert sr == 8000 and type(sr) is int and y.shape == (800,)


@pytest.mark.parametrize("bad", [123, None, b"file.wav", ["a.wav"]])
def test_path_must_be_str_or_pathlike(bad):
    with pytest.raises(TypeError, match="path must be a str or os.PathLike"):
        load_audio(bad)


def test_io_does_not_import_tensorflow():
    import subprocess
    import sys

    code = (
        "import sys, skaudio.io; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'scikeras')); "
        "assert not bad, bad"
    )
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
