"""How many threads skaudio's own work may use in this process."""

from __future__ import annotations

import os


def thread_budget() -> int:
    """Threads for skaudio's parallel work (feature chunks, TensorFlow's pools).

    ``SKAUDIO_NUM_THREADS`` if set; else ``OMP_NUM_THREADS``, which joblib's
    process workers receive as ``cpu_count // n_jobs`` and Dask's workers as
    1, so parallel searches do not oversubscribe the cores; else every core
    this process may run on.

    Returns
    -------
    n_threads : int
        At least 1.

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


_TENSORFLOW_THREADS_SIZED = False


def size_tensorflow_threads() -> None:
    """Size TensorFlow's thread pools to :func:`thread_budget`, once, when a budget is set.

    In a joblib or Dask worker (``OMP_NUM_THREADS`` set by the parent), each
    fit would otherwise start one thread per core and parallel fits would
    oversubscribe the machine. skaudio calls it before its first network is
    built, not at import; TensorFlow takes the setting only before its
    runtime starts, and is left as it is after.
    """
    global _TENSORFLOW_THREADS_SIZED
    if _TENSORFLOW_THREADS_SIZED:
        return
    _TENSORFLOW_THREADS_SIZED = True
    if not (os.environ.get("SKAUDIO_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS")):
        return  # TensorFlow's own default: one thread per core
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(thread_budget())
        tf.config.threading.set_inter_op_parallelism_threads(thread_budget())
    except RuntimeError:  # the runtime is already initialised
        pass
