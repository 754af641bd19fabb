"""Helpers shared by the benchmark scripts: data location and result files."""

import json
import os
import platform
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"


def fsdd_recordings():
    """Folder of FSDD wav files: ``$SKAUDIO_FSDD/recordings``, else ``../shared/data/fsdd``."""
    root = Path(os.environ.get("SKAUDIO_FSDD", BENCH_DIR.parent.parent / "shared" / "data" / "fsdd"))
    recordings = root / "recordings"
    if not recordings.is_dir():
        raise SystemExit(f"FSDD not found at {recordings}; set SKAUDIO_FSDD to the folder holding recordings/.")
    return recordings


def machine():
    """What the numbers were measured on."""
    import numpy as np
    import sklearn

    import skaudio

    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "sklearn": sklearn.__version__,
        "skaudio": skaudio.__version__,
        "date": time.strftime("%Y-%m-%d"),
    }


def write_results(name, results):
    """Write ``results`` (with machine info) to ``benchmarks/results/<name>.json`` and print the path."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **results}, indent=2, default=str) + "\n")
    print(f"wrote {path.relative_to(BENCH_DIR.parent)}")
    return path
