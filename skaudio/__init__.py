"""skaudio: audio inside scikit-learn.

Subpackages: :mod:`skaudio.io` (loading), :mod:`skaudio.preprocessing`
(feature transformers), :mod:`skaudio.networks` (Keras builders),
:mod:`skaudio.models` (scikit-learn estimators), :mod:`skaudio.pipelines`
(recommended pipelines) and :mod:`skaudio.datasets` (example data).
Importing ``skaudio`` itself imports neither TensorFlow nor Keras.
"""

__version__ = "0.1.0"
