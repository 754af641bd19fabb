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
    code = (
        f"import sys; import {modules}; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing {modules} imported {out.stdout.strip()}"
