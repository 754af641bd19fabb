"""How many threads skaudio's own work may use in this process."""

import os


def thread_budget():
    """Threads for skaudio's parallel work (feature chunks, TensorFlow's pools).

    ``SKAUDIO_NUM_THREADS`` if set; else ``OMP_NUM_THREADS``, which joblib's
    process workers receive as ``cpu_count // n_jobs`` and Dask's workers as
    1, so parallel searches do not oversubscribe the cores; else every core
    this process may run on.
    """
    for variable in ("SKAUDIO_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(variable, "").strip()
        if value:
            try:
                return max(1, int(value))
            except ValueError:
                raise ValueError(f"{variable} must be a whole number of threads, got {value!r}.") from None
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
