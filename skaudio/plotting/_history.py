"""Training curves from a fitted Keras estimator's ``history_``."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from skaudio.plotting._base import get_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _resolve_history(history):
    """The history dict of a dict, an estimator, a search, a Pipeline or a keras History."""
    obj = history
    if isinstance(obj, Mapping):
        return obj
    if hasattr(obj, "best_estimator_"):  # a fitted GridSearchCV / RandomizedSearchCV
        obj = obj.best_estimator_
    if hasattr(obj, "steps") and isinstance(obj.steps, list) and obj.steps:  # a Pipeline
        obj = obj.steps[-1][1]
    hist = getattr(obj, "history_", None)
    if hist is None:
        # a keras.callbacks.History, or a fitted keras.Model, which keeps the History of its last fit
        callback = getattr(obj, "history", None)
        hist = getattr(callback, "history", callback)
    if isinstance(hist, Mapping):
        return hist
    if hasattr(obj, "fit"):
        if not _is_fitted(obj):
            raise NotFittedError(f"{type(obj).__name__} has no history_: fit it before plotting its training history.")
        # "fit it" would send the user in a circle: this estimator was fitted, and keeps no curves
        why = " (a search fitted with refit=False keeps no best_estimator_)" if hasattr(obj, "cv_results_") else ""
        raise ValueError(
            f"{type(obj).__name__} is fitted but has no training history (history_){why}: plot_history draws "
            "the per-epoch curves of a Keras network's training, such as skaudio's estimators'."
        )
    raise ValueError(
        "history must be a dict of per-epoch values (an estimator's history_), a fitted estimator "
        f"with history_, or a fitted Pipeline ending in one; got {type(history).__name__}."
    )


def _is_fitted(obj):
    """Whether scikit-learn sees ``obj`` as fitted (an object that is no scikit-learn estimator is not)."""
    if not isinstance(obj, BaseEstimator):
        return False
    try:
        check_is_fitted(obj)
    except NotFittedError:
        return False
    return True


def _curve(hist, key):
    values = hist[key]
    try:
        arr = np.asarray(values)
    except ValueError:  # ragged nested lists
        arr = np.asarray(values, dtype=object)
    if isinstance(values, (str, bytes)) or arr.ndim != 1 or arr.dtype.kind not in "iuf":
        raise ValueError(f"history[{key!r}] must be a sequence of per-epoch numbers, got {values!r}.")
    return arr.astype(float)


def _warn_not_finite(key, curve):
    """Warn that ``curve`` has NaN or infinite epochs, which a line leaves out (a diverged training)."""
    bad = np.flatnonzero(~np.isfinite(curve))
    if bad.size:
        warnings.warn(
            f"history[{key!r}] is NaN or infinite at {bad.size} of {curve.size} epochs (first at epoch "
            f"{bad[0] + 1}), which the plot leaves blank: a NaN loss means the training diverged (try a lower "
            "learning rate).",
            UserWarning,
            stacklevel=3,
        )


def _select_keys(hist, metrics):
    """The history keys to plot, each training key followed by its ``val_`` key."""
    for key in hist:
        if not isinstance(key, str):
            raise ValueError(f"history keys must be metric names (str), got {key!r}.")
    available = [key for key in hist if not hasattr(hist[key], "__len__") or len(hist[key])]
    if not available:
        raise ValueError(
            "history is empty: it has no per-epoch values (was the estimator fitted for at least one epoch?)."
        )
    if metrics is None:
        # a validation curve goes with its training curve, and alone when that one is empty
        names = [key for key in available if not (key.startswith("val_") and key[4:] in available)]
    else:
        names = [metrics] if isinstance(metrics, str) else list(metrics)
        if not names:
            raise ValueError("metrics is empty: pass None (all) or at least one name such as 'loss'.")
        for name in names:
            if not isinstance(name, str):
                raise ValueError(f"metrics must be str names such as 'loss', got {name!r}.")
            if name not in available and f"val_{name}" not in available:
                raise ValueError(f"metric {name!r} is not in the history; it has {available}.")
    keys = []
    for name in names:
        for key in (name, f"val_{name}") if not name.startswith("val_") else (name,):
            if key in available and key not in keys:
                keys.append(key)
    return keys


def plot_history(
    history: Mapping[str, Sequence[float]] | BaseEstimator,
    *,
    ax: Axes | None = None,
    metrics: str | Sequence[str] | None = None,
) -> Axes:
    """Plot training curves, one line per metric, against the epoch.

    Parameters
    ----------
    history : dict, estimator or Pipeline
        One of:

        - a dict mapping metric names to per-epoch values, such as a fitted
          scikeras estimator's ``history_`` (``{"loss": [...], "val_loss":
          [...], "accuracy": [...]}``) or a Keras ``History.history``;
        - a fitted estimator with a ``history_`` attribute (e.g.
          :class:`~skaudio.models.CNN1DClassifier`);
        - a fitted :class:`~sklearn.pipeline.Pipeline` whose last step has
          one, or a fitted search (``best_estimator_`` is used);
        - a ``keras.callbacks.History``, or a fitted ``keras.Model`` (the
          history of its last ``fit``).
    ax : matplotlib.axes.Axes or None, default=None
        Where to draw; None creates a new figure.
    metrics : str, list of str or None, default=None
        Names to plot, such as ``"loss"`` or ``["loss", "accuracy"]``; each
        name brings its validation curve ``"val_<name>"`` along when the
        history has it. None plots every metric. A validation curve is drawn
        dashed, in the colour of its training curve.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes, with one line per history key plotted (labelled with the
        key) over epochs ``1 .. n_epochs``.

    Warns
    -----
    UserWarning
        A plotted curve with NaN or infinite values (a diverged training),
        which its line leaves blank; the warning names the curve and the
        first such epoch.

    Raises
    ------
    ValueError
        An empty history; a name in ``metrics`` the history does not have
        (the message lists those it has); values that are not numbers; a
        fitted estimator that keeps no ``history_`` (not a Keras one).
    sklearn.exceptions.NotFittedError
        An estimator or Pipeline that has not been fitted (a ValueError).
    ImportError
        matplotlib is not installed (``pip install 'skaudio[plot]'``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from skaudio.plotting import plot_history
    >>> history = {"loss": [0.9, 0.5, 0.3], "accuracy": [0.5, 0.7, 0.9],
    ...            "val_loss": [1.0, 0.7, 0.6], "val_accuracy": [0.4, 0.6, 0.7]}
    >>> ax = plot_history(history, metrics="loss")
    >>> [(line.get_label(), line.get_linestyle()) for line in ax.get_lines()]
    [('loss', '-'), ('val_loss', '--')]
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('Epoch', 'loss')
    >>> plt.close(ax.figure)
    """
    hist = _resolve_history(history)
    keys = _select_keys(hist, metrics)
    curves = {key: _curve(hist, key) for key in keys}
    for key, curve in curves.items():
        _warn_not_finite(key, curve)
    ax = get_axes(ax)
    colors = {}
    for key in keys:
        base = key[4:] if key.startswith("val_") else key
        color = colors.setdefault(base, f"C{len(colors)}")
        epochs = np.arange(1, curves[key].shape[0] + 1)
        ax.plot(
            epochs,
            curves[key],
            color=color,
            linestyle="--" if key.startswith("val_") else "-",
            marker="o" if epochs.shape[0] < 30 else None,
            markersize=3,
            label=key,
        )
    ax.set_xlabel("Epoch")
    ax.set_ylabel(next(iter(colors)) if len(colors) == 1 else "Value")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize="small")
    return ax
