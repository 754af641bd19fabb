"""The documentation: gallery examples run, the site builds without warnings, the README agrees."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
EXAMPLES = sorted((DOCS / "examples").glob("plot_*.py"))


def _env(**extra):
    env = dict(os.environ, MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="2", **extra)
    # the repository first, so that the checkout is documented even if another skaudio is installed
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _run(command, cwd, timeout):
    result = subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} exited with {result.returncode}\n"
        f"--- stdout ---\n{result.stdout[-6000:]}\n--- stderr ---\n{result.stderr[-6000:]}"
    )
    return result


def test_the_gallery_has_examples():
    assert len(EXAMPLES) >= 3, [path.name for path in EXAMPLES]


@pytest.mark.parametrize("example", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_gallery_example_runs_and_draws_a_figure(example, tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    # as sphinx-gallery runs it: in this process, as __main__, without __file__ (which it never
    # defines), with a non-interactive backend; in a folder of its own, so that whatever it
    # writes stays out of the repository
    monkeypatch.chdir(tmp_path)
    plt.switch_backend("Agg")
    plt.close("all")
    try:
        exec(compile(example.read_text(), str(example), "exec"), {"__name__": "__main__"})
        written = []
        for number in plt.get_fignums():
            written.append(tmp_path / f"figure_{number}.png")
            plt.figure(number).savefig(written[-1])
    finally:
        plt.close("all")
    assert written, f"{example.name} drew no figure"
    assert all(path.stat().st_size > 1000 for path in written), [(p.name, p.stat().st_size) for p in written]


def test_documentation_builds_without_warnings(tmp_path):
    # Build a copy of the sources: autosummary and sphinx-gallery write generated pages into
    # the source folder, which must not clobber a developer's own build in docs/.
    source = tmp_path / "docs"
    shutil.copytree(
        DOCS, source, ignore=shutil.ignore_patterns("_build", "generated", "auto_examples", "sg_execution_times.rst")
    )
    # The examples themselves run in the test above; here sphinx-gallery only renders them.
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-b",
        "html",
        "-D",
        "plot_gallery=0",
        "-q",
        str(source),
        str(tmp_path / "html"),
    ]
    _run(command, cwd=tmp_path, timeout=600)  # -W: any warning fails the build
    html = tmp_path / "html"
    for page in [
        "index",
        "getting_started",
        "cli",
        "api",
        "auto_examples/index",
        "user_guide/index",
        "user_guide/classification",
        "user_guide/event_detection",
        "user_guide/denoising",
        "user_guide/model_selection",
        "user_guide/persistence",
        "generated/skaudio.models.CNN1DClassifier",
    ]:
        assert (html / f"{page}.html").is_file(), page


def _readme_quick_start_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Quick start\n(.*?)(?=^## )", readme, flags=re.M | re.S)
    assert section, "README.md has no '## Quick start' section"
    block = re.search(r"```(?:bash|sh|console)?\n(.*?)```", section.group(1), flags=re.S)
    assert block, "README.md's quick start has no code block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_quick_start_commands_appear_verbatim_in_getting_started():
    commands = _readme_quick_start_commands()
    assert len(commands) >= 2, commands
    page_lines = {line.strip() for line in (DOCS / "getting_started.rst").read_text(encoding="utf-8").splitlines()}
    missing = [command for command in commands if command not in page_lines]
    assert not missing, f"README.md's quick-start commands missing from docs/getting_started.rst: {missing}"
