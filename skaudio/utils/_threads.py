"""How many threads skaudio's own work may use in this process."""

import os


def thread_budget():
    """Threads for skaudio's parallel work (feature chunks, TensorFlow's pools).

    ``SKAUDIO_NUM_THREADS`` if set; else ``OMP_NUM_THREADS``, which joblib's
    process workers receive as ``cpu_count // n_jobs`` and Dask's workers as
    1, so parallel searches do not oversubscribe the cores; else every core
    this process may run on.

    Raises
    ------
    ValueError
        ``SKAUDIO_NUM_THREADS`` is not a whole number. (An ``OMP_NUM_THREADS``
        skaudio cannot read, such as OpenMP's nested ``"4,2"``, counts by its
        first level, or is ignored.)
    """
    value = os.environ.get("SKAUDIO_NUM_THREADS", "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"SKAUDIO_NUM_THREADS must be a whole number of threads, got {value!r}.") from None
    first_level = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    if first_level.isdigit() and int(first_level) > 0:
        return int(first_level)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
