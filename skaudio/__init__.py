"""skaudio: audio inside scikit-learn.

Subpackages: :mod:`skaudio.io` (loading), :mod:`skaudio.preprocessing`
(feature transformers), :mod:`skaudio.networks` (Keras builders),
:mod:`skaudio.models` (scikit-learn estimators), :mod:`skaudio.pipelines`
(recommended pipelines), :mod:`skaudio.datasets` (example data),
:mod:`skaudio.metrics` (SI-SDR, event detection scores),
:mod:`skaudio.plotting` (figures) and :mod:`skaudio.cli` (the ``skaudio``
command).
Importing ``skaudio`` itself imports neither TensorFlow nor Keras.
"""

__version__ = "0.1.0"
