"""Plots of audio, features, events and training: matplotlib, optional.

- :func:`plot_waveform`: a clip against time in seconds.
- :func:`plot_spectrogram`: features ``(n_frames, n_features)`` as an image,
  or the log-mel spectrogram of a waveform.
- :func:`plot_events`: reference and estimated sound events of a scene, one
  row per label, optionally over its spectrogram.
- :func:`plot_history`: training curves of a fitted Keras estimator.

Every function takes ``ax=None`` (a new figure) and returns the
:class:`matplotlib.axes.Axes` it drew on. matplotlib is an optional
dependency (``pip install 'skaudio[plot]'``) imported when a function is
first called, so importing this subpackage needs neither matplotlib nor
TensorFlow. For confusion matrices, use scikit-learn's
:class:`~sklearn.metrics.ConfusionMatrixDisplay` with skaudio's classifiers.
"""

from skaudio.plotting._audio import plot_spectrogram, plot_waveform
from skaudio.plotting._events import plot_events
from skaudio.plotting._history import plot_history

__all__ = ["plot_waveform", "plot_spectrogram", "plot_events", "plot_history"]
