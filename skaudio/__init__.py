"""skaudio: audio inside scikit-learn.

Subpackages: :mod:`skaudio.io` (loading), :mod:`skaudio.preprocessing`
(feature transformers), :mod:`skaudio.networks` (Keras builders),
:mod:`skaudio.models` (scikit-learn estimators), :mod:`skaudio.pipelines`
(recommended pipelines), :mod:`skaudio.datasets` (example data),
:mod:`skaudio.metrics` (SI-SDR, event detection scores),
:mod:`skaudio.plotting` (figures) and :mod:`skaudio.cli` (the ``skaudio``
command).
Model files: :func:`save_model`, :func:`load_model` (without running code
from the file) and :func:`read_model_metadata`, from :mod:`skaudio.persistence`.
Importing ``skaudio`` itself imports neither TensorFlow nor Keras.
"""

__version__ = "0.1.0"
__all__ = ["save_model", "load_model", "read_model_metadata"]


def __getattr__(name):
    # Imported on first use: persistence imports skops and, when saving or loading networks, TensorFlow.
    if name in __all__:
        from skaudio import persistence

        return getattr(persistence, name)
    raise AttributeError(f"module 'skaudio' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *__all__])
