"""The benchmarks' --check: targets evaluated on the committed results, without rerunning anything."""

import importlib
import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SCRIPTS = sorted(path.stem for path in BENCHMARKS.glob("*.py") if not path.name.startswith("_"))


@pytest.fixture(scope="module")
def bench(request):
    sys.path.insert(0, str(BENCHMARKS))
    yield lambda name: importlib.import_module(name)
    sys.path.remove(str(BENCHMARKS))


def _argv(script, path=None):
    """Arguments that evaluate a committed results file."""
    argv = ["--from-results"] + ([str(path)] if path else [])
    return argv + (["--name", "committed"] if script == "probe_denoise" else [])


def _results_files(script):
    if script == "probe_denoise":
        return sorted((BENCHMARKS / "results").glob("denoise_probe_*.json"))
    if script == "bench_events":  # its two splits: recordings 0-4 of every speaker, and each speaker left out
        return [BENCHMARKS / "results" / "events.json", BENCHMARKS / "results" / "events_speaker_out.json"]
    return [None]


def _targets(module, results):
    """The targets a results file is checked against: bench_events states one set per split."""
    return module.targets_for(results) if hasattr(module, "targets_for") else module.TARGETS


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_benchmark_states_targets_and_checks_them(script, bench, capsys):
    module = bench(script)
    common = bench("_common")
    assert module.TARGETS, f"{script} states no targets"
    for path in _results_files(script):
        results = common.read_results(
            path
            or {
                "bench_fsdd": "fsdd",
                "bench_events": "events",
                "bench_search": "search",
                "bench_overhead": "overhead",
                "bench_features": "features",
                "bench_denoise": "denoise",
                "bench_memory": "memory",
                "bench_demo": "demo",
                "bench_classify": "classify",
                "bench_denoise_real": "denoise_real",
                "bench_events_real": "events_real",
            }[script]
        )
        targets = _targets(module, results)
        verdicts = common.evaluate_targets(targets, module.checked_values(results))
        assert [v["target"] for v in verdicts] == list(targets)
        assert all(v["measured"] is not None for v in verdicts), verdicts  # every target was measured
        # without --check a miss is reported, not an error; with it, the exit status says it
        assert module.main(_argv(script, path)) == 0
        assert module.main(_argv(script, path) + ["--check"]) == (0 if all(v["passed"] for v in verdicts) else 1)
        out = capsys.readouterr().out
        assert out.count("PASS") + out.count("FAIL") == 2 * len(targets)


def test_a_missed_or_unmeasured_target_fails(bench):
    common = bench("_common")
    targets = {"accuracy": (">=", 0.9), "seconds": ("<=", 600), "same": ("==", True), "absent": (">=", 1)}
    verdicts = common.evaluate_targets(
        targets, {"accuracy": {"seed 0": 0.95, "seed 1": 0.85}, "seconds": 200.0, "same": True}
    )
    by_name = {v["target"]: v for v in verdicts}
    assert not by_name["accuracy"]["passed"] and by_name["accuracy"]["measured"] == (0.85, "seed 1")
    assert by_name["seconds"]["passed"] and by_name["same"]["passed"]
    assert not by_name["absent"]["passed"] and by_name["absent"]["measured"] is None
    with pytest.raises(ValueError, match="unknown operator"):
        common.evaluate_targets({"x": ("~", 1)}, {"x": 1})


def test_results_of_a_development_run_can_go_outside_the_results_folder(bench, tmp_path, capsys):
    common = bench("_common")
    path = common.write_results(str(tmp_path / "dev_run"), {"event_f1": 0.5})
    assert path == tmp_path / "dev_run.json" and list(tmp_path.iterdir()) == [path]  # no partial file left
    written = json.loads(path.read_text())
    assert written["event_f1"] == 0.5 and written["machine"]["cpu_count"] >= 1
    # the processor and keras: the same code and seed train other networks on another processor
    assert written["machine"]["cpu"] and written["machine"]["keras"].startswith("3.")
    assert f"wrote {path}" in capsys.readouterr().out
