"""Seeded network builds that other threads of the process cannot disturb.

Keras gives every initializer and random layer built without a seed a seed of
its own, drawn from Python's global ``random`` generator, which every thread
of the process shares. While a skaudio estimator builds its network, Keras
draws those seeds from a generator private to the building thread, seeded
with the same value: seeded fits train the same networks as before, and other
threads' draws cannot change them. (Two fits running at once in one process
are still not isolated: scikeras also seeds NumPy's and TensorFlow's
process-wide generators around them.)

Read more in the design notes (``docs/design_notes.rst``, "Seeding").
"""

import os
import random
import threading
import warnings
from contextlib import contextmanager


class _PerThreadRandom:
    """Python's ``random`` module, or the calling thread's private generator while it has one."""

    __slots__ = ("_local",)

    def __init__(self):
        self._local = threading.local()

    def __getattr__(self, name):
        if name.startswith("_"):  # e.g. ``_local`` on an instance made without __init__
            raise AttributeError(name)
        return getattr(getattr(self._local, "generator", None) or random, name)


_PER_THREAD_RANDOM = _PerThreadRandom()
_INSTALL_LOCK = threading.Lock()


def install_keras_seed_source():
    """Make Keras draw its default seeds through the per-thread stand-in (once, at the first seeded build).

    Keras draws them from the ``random`` module it imported as
    ``keras.src.random.seed_generator.python_random``, a private name: a Keras
    that draws them some other way is left alone, with a warning that seeded
    fits are then not shielded from other threads. Importing skaudio changes
    nothing in Keras; this runs when a seeded network is first built.

    Returns
    -------
    installed : bool
        Whether Keras now draws its seeds through the stand-in.
    """
    from keras.src.random import seed_generator

    with _INSTALL_LOCK:
        source = getattr(seed_generator, "python_random", None)
        if source is random:
            seed_generator.python_random = _PER_THREAD_RANDOM
        elif source is not _PER_THREAD_RANDOM:
            warnings.warn(
                "This Keras draws default seeds other than from keras.src.random.seed_generator.python_random, "
                "so skaudio cannot shield seeded fits from other threads' draws on Python's random.",
                RuntimeWarning,
                stacklevel=3,
            )
            return False
    return True


@contextmanager
def private_keras_seeds(seed):
    """Within the block, Keras seeds this thread's layers from ``random.Random(seed)``.

    Parameters
    ----------
    seed : int
        The value scikeras seeds Python's global generator with.

    Yields
    ------
    None
    """
    install_keras_seed_source()
    local = _PER_THREAD_RANDOM._local
    outer = getattr(local, "generator", None)
    local.generator = random.Random(seed)
    try:
        yield
    finally:
        local.generator = outer


@contextmanager
def restored_global_random_state():
    """Restore on exit every process-wide random setting that a seeded fit changes.

    scikeras seeds Python's, NumPy's and TensorFlow's global generators around
    a seeded fit and switches TensorFlow's op determinism on. It sets
    ``TF_DETERMINISTIC_OPS=1`` before asking TensorFlow whether determinism
    was on, and TensorFlow reads that variable, so scikeras never switches it
    off again: the next unseeded fit then fails ("Random ops require a seed
    to be set when determinism is enabled"). This block saves those settings
    and puts them back when it ends, also after an exception.

    Yields
    ------
    None
    """
    import numpy as np
    from tensorflow.python.eager import context
    from tensorflow.python.framework import config

    environment = os.environ.get("TF_DETERMINISTIC_OPS")
    determinism = config.is_op_determinism_enabled()
    python_state, numpy_state = random.getstate(), np.random.get_state()
    tensorflow_seed = context.global_seed()
    try:
        yield
    finally:
        if environment is None:
            os.environ.pop("TF_DETERMINISTIC_OPS", None)
        else:
            os.environ["TF_DETERMINISTIC_OPS"] = environment
        if determinism:
            config.enable_op_determinism()
        else:
            config.disable_op_determinism()
        random.setstate(python_state)
        np.random.set_state(numpy_state)
        context.set_global_seed(tensorflow_seed)
