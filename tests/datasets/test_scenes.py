"""make_event_scenes: placement, annotations, levels, reproducibility, errors."""

import numpy as np
import pytest

from skaudio.datasets import make_event_scenes

SR = 8000


def _tones(n=6, seconds=0.3):
    """Tone bursts: label k is a tone of 300 * (k + 1) Hz, with 50 ms of silence around it."""
    t = np.arange(int(seconds * SR)) / SR
    silence = np.zeros(int(0.05 * SR))
    clips = [np.concatenate([silence, np.sin(2 * np.pi * 300 * (k % 3 + 1) * t), silence]) for k in range(n)]
    return clips, np.array(["a", "b", "c"] * (n // 3))


def test_shapes_types_and_annotation_bounds():
    clips, labels = _tones()
    scenes, events = make_event_scenes(clips, labels, n_scenes=20, sr=SR, duration=2.0, n_events=(1, 3), random_state=0)
    assert scenes.shape == (20, 2 * SR) and scenes.dtype == np.float32
    assert np.abs(scenes).max() <= 0.99 + 1e-6
    counts = [len(e) for e in events]
    assert min(counts) >= 1 and max(counts) <= 3 and len(set(counts)) > 1
    for scene_events in events:
        assert scene_events == sorted(scene_events, key=lambda e: e[:2])
        for onset, offset, label in scene_events:
            assert isinstance(onset, float) and isinstance(label, str)
            assert 0 <= onset < offset <= 2.0
            # trimmed: the event spans the 0.3 s tone, not the silence around it
            assert offset - onset == pytest.approx(0.3, abs=0.02)


def test_events_do_not_overlap_unless_allowed():
    clips, labels = _tones()
    _, events = make_event_scenes(clips, labels, n_scenes=50, sr=SR, duration=1.2, n_events=3, random_state=1)
    for scene_events in events:
        for (_, first_end, _), (second_start, _, _) in zip(scene_events, scene_events[1:]):
            assert second_start >= first_end
    _, events = make_event_scenes(
        clips, labels, n_scenes=50, sr=SR, duration=1.2, n_events=3, allow_overlap=True, random_state=1
    )
    assert any(b[0] < a[1] for e in events for a, b in zip(e, e[1:]))


def test_the_audio_is_where_the_annotation_says_at_the_drawn_snr():
    clips, labels = _tones()
    scenes, events = make_event_scenes(
        clips, labels, n_scenes=10, sr=SR, duration=2.0, n_events=1, backgrounds="white", snr_db=10.0, random_state=2
    )
    background, _ = make_event_scenes(
        clips, labels, n_scenes=10, sr=SR, duration=2.0, n_events=0, backgrounds="white", random_state=2
    )
    for scene, ((onset, offset, label),) in zip(scenes, events):
        start, stop = int(round(onset * SR)), int(round(offset * SR))
        inside = np.sqrt(np.mean(scene[start:stop] ** 2))
        outside = np.sqrt(np.mean(np.concatenate([scene[:start], scene[stop:]]) ** 2))
        assert 20 * np.log10(inside / outside) == pytest.approx(10 * np.log10(1 + 10), abs=0.5)
        # the tone's pitch tells its label
        spectrum = np.abs(np.fft.rfft(scene[start:stop]))
        peak_hz = np.argmax(spectrum) * SR / (stop - start)
        assert peak_hz == pytest.approx(300 * ("abc".index(label) + 1), abs=10)
    assert background.shape == scenes.shape


def test_reproducible_and_seed_dependent():
    clips, labels = _tones()
    a = make_event_scenes(clips, labels, n_scenes=5, sr=SR, duration=2.0, random_state=3)
    b = make_event_scenes(clips, labels, n_scenes=5, sr=SR, duration=2.0, random_state=3)
    c = make_event_scenes(clips, labels, n_scenes=5, sr=SR, duration=2.0, random_state=4)
    np.testing.assert_array_equal(a[0], b[0])
    assert a[1] == b[1] and a[1] != c[1]


def test_recorded_backgrounds_are_used():
    clips, labels = _tones()
    hum = 0.3 * np.sin(2 * np.pi * 50 * np.arange(SR) / SR)
    scenes, _ = make_event_scenes(
        clips, labels, n_scenes=3, sr=SR, duration=2.0, n_events=0, backgrounds=[hum], random_state=0
    )
    spectrum = np.abs(np.fft.rfft(scenes[0]))
    assert np.argmax(spectrum) * SR / scenes.shape[1] == pytest.approx(50, abs=1)


def test_untrimmed_clips_keep_their_silence_in_the_annotation():
    clips, labels = _tones()
    _, events = make_event_scenes(
        clips, labels, n_scenes=5, sr=SR, duration=2.0, n_events=1, trim_db=None, random_state=0
    )
    assert all(offset - onset == pytest.approx(0.4) for ((onset, offset, _),) in events)


def test_speed_perturbation_changes_each_events_length_and_pitch_together():
    clips, labels = _tones()
    common = dict(n_scenes=30, sr=SR, duration=2.0, n_events=1, backgrounds="white", snr_db=30.0, random_state=5)
    common["trim_db"] = None  # every event 0.4 s long before it is played faster or slower
    scenes, events = make_event_scenes(clips, labels, speed_perturbation=0.2, **common)
    ratios = []
    for scene, ((onset, offset, label),) in zip(scenes, events):
        factor = 0.4 / (offset - onset)  # played this many times faster
        assert 0.8 - 1e-3 <= factor <= 1.2 + 1e-3
        start, stop = int(round(onset * SR)), int(round(offset * SR))
        spectrum = np.abs(np.fft.rfft(scene[start:stop], n=8 * (stop - start)))
        peak_hz = np.argmax(spectrum) * SR / (8 * (stop - start))
        ratios.append(peak_hz / (300 * ("abc".index(label) + 1)) / factor)
        # the annotation spans the played event: the scene is loud inside it, background outside
        assert np.sqrt(np.mean(scene[start:stop] ** 2)) > 10 * np.sqrt(np.mean(scene[: max(start - 400, 1)] ** 2))
    np.testing.assert_allclose(ratios, 1.0, atol=0.03)  # the pitch rose as much as the length shrank
    assert np.ptp([e[0][1] - e[0][0] for e in events]) > 0.1
    again, events_again = make_event_scenes(clips, labels, speed_perturbation=0.2, **common)
    np.testing.assert_array_equal(scenes, again)
    assert events_again == events


def test_a_slowed_event_still_fits_its_scene():
    clips, labels = _tones()
    _, events = make_event_scenes(
        clips, labels, n_scenes=20, sr=SR, duration=0.33, n_events=1, speed_perturbation=0.5, random_state=0
    )
    assert all(0 <= onset < offset <= 0.33 for ((onset, offset, _),) in events)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(duration=0.2), "longer than the 0.2 s scene"),
        (dict(duration=1.0, n_events=4), "cannot be placed without overlap"),
        (dict(n_events=(3, 1)), "n_events"),
        (dict(snr_db=(10, 0)), "low <= high"),
        (dict(backgrounds="purple"), "backgrounds must be one of"),
        (dict(backgrounds=[np.zeros(1000)]), r"backgrounds\[0\] is silent"),
        (dict(backgrounds=[np.ones(1000), np.ones(10)]), r"backgrounds\[1\] holds 10 samples, fewer than one analysis"),
        (dict(backgrounds=[np.r_[1.0, np.zeros(1_000_000)]]), r"backgrounds\[0\] is silent over most of its length"),
        (dict(n_events=(1.5, 2)), r"n_events must be an int or a \(low, high\) pair of ints, got \(1.5, 2\)"),
        (dict(allow_overlap="no"), "allow_overlap must be True or False, got 'no'"),
        (dict(n_scenes=0), "n_scenes"),
        (dict(trim_db=float("nan")), "trim_db must be a finite number of dB > 0, or None, got nan"),
        (dict(trim_db=True), "trim_db must be a finite number of dB > 0, or None, got True"),
        (dict(sr=0), "sr must be"),
        (dict(speed_perturbation=1.0), "speed_perturbation must be a number in"),
        (dict(speed_perturbation=-0.1), "speed_perturbation must be a number in"),
    ],
)
def test_bad_input_is_refused_with_a_message(kwargs, message):
    clips, labels = _tones()
    with pytest.raises(ValueError, match=message):
        make_event_scenes(clips, labels, **{"n_scenes": 5, "sr": SR, "duration": 2.0, "random_state": 0, **kwargs})


def test_mismatched_labels_and_silent_clips_are_refused():
    clips, labels = _tones()
    with pytest.raises(ValueError, match="one label per clip"):
        make_event_scenes(clips, labels[:-1], sr=SR)
    with pytest.raises(ValueError, match=r"clips\[1\] is silent"):
        make_event_scenes([clips[0], np.zeros(100)], ["a", "b"], sr=SR)
    with pytest.raises(ValueError, match=r"2 clip\(s\) have no label \(None, NaN or NA\): labels\[1\], labels\[2\]"):
        make_event_scenes(clips[:3], ["a", None, np.nan], sr=SR)


def test_labels_from_a_pandas_column_are_plain_values():
    import pandas as pd

    clips, labels = _tones()
    for column in (pd.Series(labels, index=np.arange(len(labels)) + 100), pd.Series(labels, dtype="string")):
        _, events = make_event_scenes(clips, column, n_scenes=3, sr=SR, duration=2.0, random_state=0)
        assert {type(label) for scene in events for *_, label in scene} == {str}
