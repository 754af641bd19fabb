"""The light layers must not pull in TensorFlow (it costs seconds and GBs)."""

import subprocess
import sys

import pytest

HEAVY = ("tensorflow", "keras", "scikeras")


@pytest.mark.parametrize(
    "modules",
    ["skaudio", "skaudio.io, skaudio.preprocessing", "skaudio.datasets", "skaudio.utils"],
)
def test_light_imports_do_not_import_tensorflow(modules):
    code = f"import sys; import {modules}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing {modules} imported {out.stdout.strip()}"


# Imports every skaudio module, with a thread budget set (which used to size
# TensorFlow's pools at import), and prints what changed in the environment,
# TensorFlow's thread configuration and Keras' seed source.
IMPORT_EVERYTHING = """
import os, pkgutil, importlib, random, json
os.environ["OMP_NUM_THREADS"] = "1"
import tensorflow as tf, scikeras.wrappers, librosa, sklearn, matplotlib  # they set variables of their own
from keras.src.random import seed_generator
before = dict(os.environ)
threads_before = (tf.config.threading.get_intra_op_parallelism_threads(),
                  tf.config.threading.get_inter_op_parallelism_threads())
import skaudio
names = [m.name for m in pkgutil.walk_packages(skaudio.__path__, "skaudio.") if ".cli" not in m.name]
for name in names:
    importlib.import_module(name)
changed = sorted(k for k in set(before) | set(os.environ) if before.get(k) != os.environ.get(k))
threads_after = (tf.config.threading.get_intra_op_parallelism_threads(),
                 tf.config.threading.get_inter_op_parallelism_threads())
print(json.dumps({"modules": len(names), "environ": changed, "threads": [threads_before, threads_after],
                  "keras_seed_source_untouched": seed_generator.python_random is random}))
"""


def test_importing_any_module_changes_no_global_setting():
    import json

    out = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING], capture_output=True, text=True, check=True)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["modules"] > 30
    assert report["environ"] == []
    assert report["threads"][0] == report["threads"][1]
    assert report["keras_seed_source_untouched"]
