"""The benchmarks' protocols: what trains, what is scored, with which draws (no network is trained).

Each benchmark's data path runs on tiny stand-ins whose values name the recording (or the fold, or the
speaker) they come from; the training and scoring steps are replaced by recorders.
"""

import importlib
import math
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from sklearn.utils import Bunch

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SPEAKERS = ("jackson", "lucas", "nicolas", "theo", "yweweler")


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCHMARKS))
    yield importlib.import_module
    sys.path.remove(str(BENCHMARKS))


# ------------------------------------------------------------------ bench_classify
def test_classify_folds_come_from_the_file_names(bench, tmp_path, monkeypatch):
    classify = bench("bench_classify")
    fsdd = tmp_path / "fsdd" / "recordings"
    fsdd.mkdir(parents=True)
    names = ["3_theo_0", "3_lucas_12", "7_theo_4", "7_nicolas_1"]
    for k, name in enumerate(names):  # each file's level names it
        sf.write(fsdd / f"{name}.wav", np.full(800, (k + 1) / 10), 8000, subtype="FLOAT")
    monkeypatch.setenv("SKAUDIO_FSDD", str(tmp_path / "fsdd"))
    clips, labels, folds, sr = classify.load_corpus("fsdd", 0)
    got = {names[round(clip[0] * 10) - 1]: (str(label), str(fold)) for clip, label, fold in zip(clips, labels, folds)}
    assert sr == 8000 and got == {name: tuple(name.split("_")[:2]) for name in names}

    esc10 = tmp_path / "esc10"
    files = {"001 - Dog bark/1-100032-A.wav": 1, "001 - Dog bark/3-5000-B.wav": 3, "002 - Rain/2-7-A.wav": 2}
    for k, relpath in enumerate(files):
        (esc10 / relpath).parent.mkdir(parents=True, exist_ok=True)
        sf.write(esc10 / relpath, np.full(1600, (k + 1) / 10), 16000, subtype="FLOAT")
    monkeypatch.setenv("SKAUDIO_ESC10", str(esc10))
    clips, labels, folds, sr = classify.load_corpus("esc10", 0)
    relpaths = list(files)
    got = {relpaths[round(clip[0] * 10) - 1]: int(fold) for clip, fold in zip(clips, folds)}
    assert sr == 16000 and got == files


# ------------------------------------------------------------------ bench_events
def _fsdd_stand_in(per_speaker=6):
    """Recordings of SPEAKERS whose value is 100 * speaker number + index."""
    data, target, speaker, index = [], [], [], []
    for s, name in enumerate(SPEAKERS):
        for i in range(per_speaker):
            data.append(np.full(4, 100 * s + i, dtype=np.float32))
            target.append(i % 3)
            speaker.append(name)
            index.append(str(i))
    return Bunch(data=data, target=np.array(target), speaker=np.array(speaker), index=np.array(index), sr=8000)


def _scene_recorder(n_values):
    """A make_event_scenes whose scenes are rows ``[random_state, the clips' values...]``."""

    def make_event_scenes(clips, labels, *, n_scenes, random_state, **kwargs):
        values = sorted({float(clip[0]) for clip in clips})
        row = [random_state, *values, *[np.nan] * (n_values - len(values))]
        return np.array([row] * n_scenes), [[] for _ in range(n_scenes)]

    return make_event_scenes


@pytest.mark.parametrize("split", ["speaker", "index"])
def test_events_train_on_other_speakers_with_draws_of_their_own(bench, monkeypatch, split):
    events = bench("bench_events")
    bunch = _fsdd_stand_in()
    monkeypatch.setattr(events, "fsdd_recordings", lambda: None)
    monkeypatch.setattr(events, "load_folder", lambda *args, **kwargs: bunch)
    monkeypatch.setattr(events, "make_event_scenes", _scene_recorder(len(bunch.data)))
    monkeypatch.setattr(events, "choose_postprocessing", lambda results: None)
    runs = []

    def measure_run(args, seed, train, test, labels):
        runs.append({"seed": seed, "train": train[0], "test": test[0]})
        return {"seed": seed}

    monkeypatch.setattr(events, "measure_run", measure_run)
    args = events.parse_args(["--split", split, "--seeds", "0", "1", "2", "--train-scenes", "4", "--test-scenes", "2"])
    events.measure(args)

    def recordings(scenes):  # (speaker, index) of each recording the scenes were drawn from
        return {(SPEAKERS[int(v) // 100], int(v) % 100) for v in scenes[:, 1:].ravel() if not math.isnan(v)}

    held_out = {}
    for run in runs:
        train, test = recordings(run["train"]), recordings(run["test"])
        assert train and test and not train & test
        if split == "speaker":  # one speaker's recordings scored, every other speaker's trained on
            (speaker,) = {name for name, _ in test}
            assert len(test) == 6 and speaker not in {name for name, _ in train}
            assert len(train) == 6 * (len(SPEAKERS) - 1)
        else:  # recordings 0-4 of every speaker scored, 5 trained on
            assert {index for _, index in test} == set(range(5)) and {index for _, index in train} == {5}
        held_out.setdefault(frozenset(test), []).append(run)
    assert len(held_out) == (len(SPEAKERS) if split == "speaker" else 1)
    for set_runs in held_out.values():
        # every seed draws its training scenes with random states no other seed and no test scene uses
        states = [set(run["train"][:, 0]) for run in set_runs]
        test_states = set(set_runs[0]["test"][:, 0])
        assert len(set().union(*states)) == sum(map(len, states)) == 2 * 3
        assert not set().union(*states) & test_states


# ------------------------------------------------------------------ bench_events_real
def test_events_real_scenes_of_a_fold_come_from_that_fold_only(bench, monkeypatch):
    real = bench("bench_events_real")
    from _common import ESC10_AMBIENCES, ESC10_EVENTS

    # fold f's recordings have values 1000 f + k: events below 500, ambiences above
    by_fold = {
        fold: [(np.full(3, 1000 * fold + k, dtype=np.float32), name) for k, name in enumerate(ESC10_EVENTS)]
        + [(np.full(3, 1000 * fold + 500 + k, dtype=np.float32), name) for k, name in enumerate(ESC10_AMBIENCES)]
        for fold in real.FOLDS
    }
    drawn = []

    def make_event_scenes(clips, labels, *, n_scenes, random_state, backgrounds, **kwargs):
        assert set(labels) <= set(ESC10_EVENTS)
        drawn.append(
            {
                "state": random_state,
                "events": {int(clip[0]) for clip in clips},
                "backgrounds": {int(background[0]) for background in backgrounds},
            }
        )
        return np.zeros((n_scenes, 1)), [[] for _ in range(n_scenes)]

    monkeypatch.setattr(real, "make_event_scenes", make_event_scenes)
    train_states, test_states = set(), set()
    for seed in (0, 1, 2):
        args = real.parse_args(["--seed", str(seed), "--methods", "baseline"])
        args.methods = []  # nothing trained: only the scenes are drawn
        for fold in real.FOLDS:
            drawn.clear()
            real.measure_fold(fold, by_fold, args)
            train, test = drawn
            others = [other for other in real.FOLDS if other != fold]
            assert train["events"] == {1000 * o + k for o in others for k in range(len(ESC10_EVENTS))}
            assert train["backgrounds"] == {1000 * o + 500 + k for o in others for k in range(len(ESC10_AMBIENCES))}
            assert test["events"] == {1000 * fold + k for k in range(len(ESC10_EVENTS))}
            assert test["backgrounds"] == {1000 * fold + 500 + k for k in range(len(ESC10_AMBIENCES))}
            assert train["state"] not in train_states  # no (seed, fold) draws another's scenes
            train_states.add(train["state"])
            test_states.add(test["state"])
    assert len(test_states) == len(real.FOLDS) and not train_states & test_states


# ------------------------------------------------------------------ _events_common
def _grid(ec, scores):
    keys = [ec.options_key(options) for options in ec.postprocessing_options()]
    return {key: {"event_f1": event, "segment_f1": segment} for key, (event, segment) in zip(keys, scores)}


def test_postprocessing_is_chosen_on_the_other_sets_only(bench):
    ec = bench("_events_common")
    n = len(ec.postprocessing_options())
    rng = np.random.default_rng(0)
    grids = [_grid(ec, rng.uniform(size=(n, 2))) for _ in range(4)]
    chosen = ec.cross_validated_postprocessing(grids)
    for k, (key, scores) in enumerate(chosen):
        others = [grid for j, grid in enumerate(grids) if j != k]
        assert key == max(grids[k], key=lambda key: np.mean([ec.selection_score(grid[key]) for grid in others]))
        assert scores == grids[k][key]  # scored on its own set
        # the scored set's own figures do not move its choice: make another option perfect there
        rigged = list(grids)
        rigged[k] = _grid(ec, [(1.0, 1.0) if j == 7 and key != list(grids[k])[7] else (0.0, 0.0) for j in range(n)])
        assert ec.cross_validated_postprocessing(rigged)[k][0] == key


def test_an_undefined_f1_counts_as_zero_when_choosing_postprocessing(bench):
    ec = bench("_events_common")
    n = len(ec.postprocessing_options())
    # the grid's first option detects nothing on any set (F1 undefined); the second is good
    scores = [(math.nan, math.nan), (0.6, 0.8)] + [(0.1, 0.2)] * (n - 2)
    grids = [_grid(ec, scores) for _ in range(3)]
    second = list(grids[0])[1]
    assert [key for key, _ in ec.cross_validated_postprocessing(grids)] == [second] * 3
    assert ec.best_overall(grids) == (second, pytest.approx(0.7))


def test_options_per_label_are_chosen_on_the_other_sets_only(bench, monkeypatch):
    ec = bench("_events_common")
    seen = []

    def select_postprocessing(tracks, reference, grid, *, current, per_label):
        seen.append({track["set"] for track in tracks})
        return {}

    monkeypatch.setattr(ec, "select_postprocessing", select_postprocessing)
    track = {"proba": np.zeros((10, 1)), "labels": ["a"], "frame_duration": 0.01, "end": 0.09}
    held_out = [([{**track, "set": k}], [[(0.0, 0.05, "a")]], dict(ec._OWN_OPTIONS)) for k in range(3)]
    monkeypatch.setattr(ec, "frame_proba_to_events", lambda set, **kwargs: [])
    ec.cross_validated_per_label(held_out)
    assert seen == [{1, 2}, {0, 2}, {0, 1}]


# ------------------------------------------------------------------ bench_denoise(_real)
def _speech_stand_in(n=12):
    """``n`` one-second recordings of noise per speaker of SPEAKERS."""
    rng = np.random.default_rng(0)
    return Bunch(
        data=[rng.standard_normal(8000).astype(np.float32) for _ in range(n * len(SPEAKERS))],
        speaker=np.repeat(SPEAKERS, n),
        index=np.tile(np.arange(n).astype(str), len(SPEAKERS)),
    )


def test_denoise_split_tests_recordings_0_to_4(bench):
    common = bench("_common")
    bunch = _speech_stand_in(4)
    bunch.index = np.tile(np.array(["0", "4", "5", "49"]), len(SPEAKERS))
    train, test = common.split_clips(bunch)
    rows = {clip.tobytes(): i for i, clip in enumerate(common.fixed_clips(bunch, np.ones(len(bunch.data), bool)))}
    assert {int(bunch.index[rows[clip.tobytes()]]) for clip in test} == {0, 4}
    assert {int(bunch.index[rows[clip.tobytes()]]) for clip in train} == {5, 49}


class _Recorder:
    """A denoiser that records what it trains on and what it denoises, and returns its input."""

    def __init__(self):
        self.fitted, self.denoised, self.params = [], [], None

    def set_params(self, **params):
        self.params = params
        return self

    def fit(self, noisy, clean):
        self.fitted.append((noisy, clean))
        return self

    def predict(self, noisy):
        self.denoised.append(np.array(noisy))
        return np.array(noisy)


def test_denoise_real_fold_holds_out_its_speaker_and_noise(bench, monkeypatch):
    real = bench("bench_denoise_real")
    speech = _speech_stand_in()
    rng = np.random.default_rng(1)
    ambiences = {fold: [rng.standard_normal(12000).astype(np.float32) for _ in range(2)] for fold in (1, 2, 3, 4)}
    speaker_of = {}
    for name in SPEAKERS:
        for clip in real.fixed_clips(speech, speech.speaker == name):
            speaker_of[clip.tobytes()] = name
    recorders = {}

    def recorder(name):
        recorders[name] = _Recorder()
        return recorders[name]

    monkeypatch.setattr(real, "make_denoiser_pipeline", lambda **kwargs: recorder(f"pipeline {len(recorders)}"))
    monkeypatch.setattr(real, "noisereduce_denoiser", lambda stationary: recorder(f"noisereduce {stationary}").predict)
    peer = recorder("peer")
    peers = {"peer": lambda noisy, sr: peer.predict(noisy), "absent": "not installed"}
    pools, tested = [], []
    training_pairs, test_conditions = real.training_pairs, real.test_conditions

    def recorded_training_pairs(clean, **kwargs):
        pools.append(kwargs["recordings"]["real"])
        return training_pairs(clean, **kwargs)

    def recorded_test_conditions(clean, noises, **kwargs):
        tested.append((clean, noises))
        return test_conditions(clean, noises, **kwargs)

    monkeypatch.setattr(real, "training_pairs", recorded_training_pairs)
    monkeypatch.setattr(real, "test_conditions", recorded_test_conditions)
    args = real.parse_args(["--test-clips", "3", "--mixtures", "2"])
    for fold, held_out in real.FOLD_SPEAKERS.items():
        recorders.clear()
        recorders["peer"] = peer
        peer.denoised.clear()
        pools.clear()
        tested.clear()
        run = real.measure_fold(fold, speech, ambiences, peers, args)
        assert run["test_speaker"] == held_out and set(run["si_sdr_improvement_db"]) == {
            "noisereduce_stationary",
            "noisereduce_nonstationary",
            "peer",
            "with_real",
        }
        (pipeline,) = [r for name, r in recorders.items() if name.startswith("pipeline")]
        ((noisy, clean),) = pipeline.fitted
        assert pipeline.params == {}  # the factory as it is, without --set
        assert {speaker_of[clip.tobytes()] for clip in clean} == set(SPEAKERS) - {held_out}
        assert len(clean) == 2 * 12 * (len(SPEAKERS) - 1)  # every clip of the other speakers, twice
        # training noise: the other folds' recordings; test noise: the fold's own
        ((test_clean, noises),) = tested
        assert {speaker_of[clip.tobytes()] for clip in test_clean} == {held_out}
        assert noises["real"] is ambiences[fold]
        (pool,) = pools
        others = [rec for other, recs in ambiences.items() if other != fold for rec in recs]
        assert len(pool) == len(others) and all(any(a is b for b in others) for a in pool)
        # every method denoises the same mixtures (after an untimed call on two clips)
        mixtures = [r.denoised[1:] for r in recorders.values()]
        assert len(mixtures) == 4 and all(len(m) == 2 * len(real.TEST_NOISES) for m in mixtures)
        assert all(np.array_equal(a, b) for m in mixtures[1:] for a, b in zip(m, mixtures[0]))


# ------------------------------------------------------------------ _peers
@pytest.mark.parametrize("delay", [0, 500, 1440])
def test_peer_delay_is_found_and_compensated(bench, delay):
    peers = bench("_peers")
    delayed = peers._Peer(lambda x: np.concatenate([np.zeros(delay, np.float32), x[: len(x) - delay]]), 480, 960, True)
    from skaudio.metrics import si_sdr

    # tones well inside the band soxr keeps at 8 kHz, a different mix per clip
    rng = np.random.default_rng(0)
    t = np.arange(8000) / 8000
    noisy = np.stack(
        [sum(np.sin(2 * np.pi * f * t + rng.uniform(0, 6)) for f in rng.uniform(200, 3000, 4)) for _ in range(3)]
    )
    noisy = (0.05 * noisy).astype(np.float32)
    out = delayed(noisy, 8000)
    assert delayed.last_delay == delay and out.shape == noisy.shape
    assert si_sdr(noisy, out).min() > 30  # one sample off would be far below


# ------------------------------------------------------------------ partial runs
@pytest.mark.parametrize(
    ("script", "argv", "default_out"),
    [
        ("bench_classify", ["--folds", "0"], "classify"),
        ("bench_events_real", ["--folds", "1", "2"], "events_real"),
        ("bench_denoise_real", ["--folds", "3"], "denoise_real"),
        ("bench_events", ["--split", "speaker", "--speakers", "theo"], "events_speaker_out"),
    ],
)
def test_a_run_over_part_of_a_protocol_never_writes_the_full_runs_file(bench, capsys, script, argv, default_out):
    parse_args = bench(script).parse_args
    with pytest.raises(SystemExit):
        parse_args(argv)
    error = capsys.readouterr().err
    assert f"give --out NAME, so that {default_out}.json keeps the full run that --check reads" in error
    assert parse_args([*argv, "--out", "partial_run"]).out == "partial_run"  # under a name of its own
    assert parse_args([]).out in (default_out, None)  # the full protocol writes the default file


def test_speakers_with_the_index_split_are_not_a_partial_run(bench):
    # the index split ignores --speakers: its run is the full one, written to events.json
    assert bench("bench_events").parse_args(["--split", "index", "--speakers", "theo"]).out is None


@pytest.mark.parametrize(
    ("script", "argv", "default_out", "name", "value"),
    [
        ("bench_classify", [], "classify", "cnn1dclassifier__dropout", 0.3),
        ("bench_events", ["--split", "speaker"], "events_speaker_out", "crnneventdetector__dropout", 0.4),
        ("bench_events_real", [], "events_real", "crnneventdetector__dropout", 0.4),
        ("bench_denoise_real", [], "denoise_real", "cnn1ddenoiser__average_weights", True),
    ],
)
def test_variants_set_by_name_go_to_a_file_of_their_own(bench, capsys, script, argv, default_out, name, value):
    parse_args = bench(script).parse_args
    with pytest.raises(SystemExit):
        parse_args([*argv, "--set", f"{name}={value}"])
    assert f"--set measures a variant: give --out NAME, so that {default_out}.json keeps" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # names are checked on the benchmarked pipeline before anything trains
        parse_args([*argv, "--set", f"{name}x={value}", "--out", "variant"])
    assert f"--set: the pipeline has no parameter '{name}x'" in capsys.readouterr().err
    assert parse_args([*argv, "--set", f"{name}={value}", "--out", "variant"]).overrides == {name: value}
    assert parse_args(argv).overrides == {}  # the factory's run


def test_classify_variants_reach_every_network_model(bench):
    classify = bench("bench_classify")
    args = classify.parse_args(["--set", "cnn1dclassifier__epochs=60", "cnn1dclassifier__dropout=0.3", "--out", "v"])
    pipe = classify.make_model("recommended", 8000, 0, None, overrides=args.overrides)
    assert pipe.get_params()["cnn1dclassifier__epochs"] == 60 and pipe.get_params()["cnn1dclassifier__dropout"] == 0.3
