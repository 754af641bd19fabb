"""Fixtures of the command-line tests: ``skaudio`` run in the test's process."""

import os
import re

import pytest

from skaudio.cli import main


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
