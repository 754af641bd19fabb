"""Shared pytest fixtures for the skaudio test suite."""

import os
from pathlib import Path

# scikit-learn's array-API estimator check runs only with this set (before
# scipy is imported); without it the check skips, and no test may skip here.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import gc
import re
import subprocess
import sys

import pytest

import skaudio.models  # noqa: F401  (TensorFlow, Keras, scikeras, scikit-learn, librosa)
from skaudio.cli import main

# Every fit starts with Keras' clear_session, which runs a full garbage collection:
# 0.4 s to walk the ~450,000 objects of the modules imported above, hundreds of times
# in this suite. Moved to the permanent generation, they are no longer walked; what
# the tests create is still collected.
gc.freeze()

_REPO = Path(__file__).resolve().parents[1]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Keep the tests that share a module-scoped fixture in one xdist worker.

    Those fixtures fit models or run commands; split across workers, each
    worker would build them again. Every other test is scheduled on its own.
    """
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info and any(defs[-1].scope == "module" for defs in info.name2fixturedefs.values()):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture(scope="session")
def fsdd_path():
    """Path of the Free Spoken Digit Dataset (the folder holding ``recordings/``).

    Taken from the environment variable ``SKAUDIO_FSDD``, else
    ``<repo>/../shared/data/fsdd``. A missing dataset is a failure, not a skip,
    so that the real-data tests cannot silently stop running.
    """
    env = os.environ.get("SKAUDIO_FSDD")
    path = Path(env) if env else _REPO.parent / "shared" / "data" / "fsdd"
    recordings = path / "recordings"
    if not recordings.is_dir():
        source = "$SKAUDIO_FSDD" if env else "the default location"
        pytest.fail(
            f"FSDD data not found: {recordings} (from {source}) is not a folder. Set "
            "SKAUDIO_FSDD to the folder that contains FSDD's recordings/ "
            "(https://github.com/Jakobovski/free-spoken-digit-dataset).",
            pytrace=False,
        )
    return path


# ``skaudio`` run as users run it, and in the test's process


def run_skaudio(*args, **options):
    """``python -m skaudio ARGS`` in a new process, for what only a real process shows; the completed process.

    ``options`` go to ``subprocess.run`` (``env``, ``preexec_fn``, ...). A file name that is not
    UTF-8 comes back as the str it was given as (surrogateescape).
    """
    return subprocess.run(
        [sys.executable, "-m", "skaudio", *map(str, args)],
        capture_output=True,
        text=True,
        errors="surrogateescape",
        timeout=600,
        **options,
    )


@pytest.fixture
def cli(capsys):
    """``cli(*args)`` runs ``skaudio ARGS`` in this process: (exit status, stdout, stderr lines).

    The same code as the installed command, without starting an interpreter and
    TensorFlow for each call; what only a real process shows (TensorFlow's start-up
    lines kept off stderr, the exit status the shell sees) is tested with subprocesses.
    """

    def run(*args):
        level = os.environ.get("TF_CPP_MIN_LOG_LEVEL")
        try:
            status = main([str(a) for a in args])
        except SystemExit as stop:  # argparse: --help, or a usage error
            status = stop.code
        finally:  # the command line sets it for itself; the test process keeps its own
            if level is None:
                os.environ.pop("TF_CPP_MIN_LOG_LEVEL", None)
            else:
                os.environ["TF_CPP_MIN_LOG_LEVEL"] = level
        out, err = capsys.readouterr()
        return status, out, err.splitlines()

    return run


@pytest.fixture
def refused(cli):
    """``refused(pattern, *args)``: ``skaudio ARGS`` fails with one error line matching ``pattern``; that line."""

    def check(pattern, *args):
        status, _, err = cli(*args)
        errors = [line for line in err if ": error: " in line]
        assert status == 1 and len(errors) == 1, err
        assert "Traceback" not in "\n".join(err)
        assert re.search(pattern, errors[0]), errors[0]
        return errors[0]

    return check


@pytest.fixture
def succeeds(cli):
    """``succeeds(*args)``: ``skaudio ARGS`` exits with status 0; its standard output."""

    def check(*args):
        status, out, err = cli(*args)
        assert status == 0, "\n".join(err[-40:])
        return out

    return check
