"""thread_budget: the thread count skaudio gives its parallel work and TensorFlow."""

import os
import subprocess
import sys

import pytest

from skaudio.utils._threads import thread_budget


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"SKAUDIO_NUM_THREADS": "3", "OMP_NUM_THREADS": "1"}, 3),
        ({"OMP_NUM_THREADS": "2"}, 2),
        ({"OMP_NUM_THREADS": "4,2"}, 4),  # OpenMP's nested form: the first level
        ({"OMP_NUM_THREADS": "lots"}, None),  # unreadable: every core
        ({}, None),
    ],
)
def test_budget_follows_the_environment(monkeypatch, env, expected):
    for name in ("SKAUDIO_NUM_THREADS", "OMP_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    cores = len(os.sched_getaffinity(0))
    assert thread_budget() == (cores if expected is None else expected)


def test_a_bad_skaudio_setting_is_refused(monkeypatch):
    monkeypatch.setenv("SKAUDIO_NUM_THREADS", "two")
    with pytest.raises(ValueError, match="SKAUDIO_NUM_THREADS must be a whole number"):
        thread_budget()


def test_tensorflow_pools_follow_the_budget_in_a_worker():
    # sized at the first fit, not at import
    code = (
        "import numpy as np, tensorflow as tf; from skaudio.models import CNN1DClassifier; "
        "c = tf.config.threading; before = (c.get_intra_op_parallelism_threads(), "
        "c.get_inter_op_parallelism_threads()); "
        "CNN1DClassifier(filters=(2,), dense_units=2, epochs=1).fit(np.zeros((4, 8, 2)), [0, 1, 0, 1]); "
        "print(*before, c.get_intra_op_parallelism_threads(), c.get_inter_op_parallelism_threads())"
    )
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    env.pop("SKAUDIO_NUM_THREADS", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.split() == ["0", "0", "1", "1"]
