"""Seeded network builds that other threads of the process cannot disturb.

Keras gives every initializer and random layer built without a seed a seed of
its own, drawn from Python's global ``random`` generator. scikeras seeds that
generator with ``random_state`` just before building the network, but every
thread of the process draws from the same generator: a Dask worker's event
loop (retry jitter, choice of peers), a web server, a progress thread. One
draw between the seeding and the build gives the network other initial
weights, and a seeded fit another model. Measured: a 2-epoch classifier's log
loss was 1.0504 in two quiet fits, and 1.079, 1.143 and 1.069 in three fits
while another thread called ``random.random()`` every millisecond.

While a skaudio estimator builds its network, Keras draws those seeds from a
generator private to the building thread, seeded with the same value. It
gives exactly the draws the global generator gives when nothing disturbs it,
so seeded fits train the same networks as before; other threads go on drawing
from the global generator. (Two fits running at once in one process are still
not isolated: scikeras also seeds NumPy's and TensorFlow's process-wide
generators around them.)
"""

import random
import threading
import warnings
from contextlib import contextmanager

from keras.src.random import seed_generator as _keras_seed_generator


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

# Keras draws its default seeds from the ``random`` module it imported as
# ``python_random``: the per-thread stand-in goes there, once. A Keras that
# draws them some other way is left alone, and says so.
_keras_random = getattr(_keras_seed_generator, "python_random", None)
if _keras_random is random:
    _keras_seed_generator.python_random = _PER_THREAD_RANDOM
elif _keras_random is not _PER_THREAD_RANDOM:
    warnings.warn(
        "This Keras draws default seeds other than from keras.src.random.seed_generator.python_random, "
        "so skaudio cannot shield seeded fits from other threads' draws on Python's random.",
        RuntimeWarning,
        stacklevel=2,
    )


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
    local = _PER_THREAD_RANDOM._local
    outer = getattr(local, "generator", None)
    local.generator = random.Random(seed)
    try:
        yield
    finally:
        local.generator = outer
