"""Clips of any length cut into fixed windows, and window predictions pooled back per clip.

``CNN1DClassifier(window=...)`` trains on every window of every clip and
predicts a clip from the mean of its windows' probabilities (or their
maximum, or their mean weighted by confidence: ``window_pooling``; with
``window_top_db``, on and over its loud windows only). The windows of
one clip start every ``hop`` samples (or frames); the last one ends with the
clip, so no part of a clip goes unseen; a clip shorter than one window is
centred in it with zero padding. Windows are views of the clip until a
block of them is handed to the network, so memory stays bounded by the
block size however long a recording is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_array

from skaudio.preprocessing import fit_length
from skaudio.utils import is_ragged, to_float32
from skaudio.utils._validation import multichannel_hint


def as_clips(X: Sequence | np.ndarray, estimator_name: str) -> list[np.ndarray]:
    """``X`` as a list of float32 clips (1D waveforms or 2D frame sequences), checked."""
    if sp.issparse(X):
        check_array(X, input_name="X")  # scikit-learn's own refusal of sparse data, with its advice
    if not is_ragged(X):
        X = np.asarray(X)
        if X.ndim not in (2, 3):
            raise ValueError(
                f"{estimator_name} with window needs waveforms (n_clips, n_samples), frame sequences "
                f"(n_clips, n_frames, n_features) or a list of clips; got an array of shape {X.shape}."
            )
    if len(X) == 0:
        raise ValueError(f"{estimator_name} got no clips (X is empty).")
    # waveforms are PCM-scaled, frame sequences (2D) keep their values
    clips = [to_float32(clip, name=f"X[{i}]", pcm=np.ndim(clip) == 1) for i, clip in enumerate(X)]
    odd = next((i for i, clip in enumerate(clips) if clip.ndim != clips[0].ndim or clip.ndim not in (1, 2)), None)
    if odd is not None:
        raise ValueError(
            f"{estimator_name} with window needs every clip to be a 1D waveform or every clip a 2D frame "
            f"sequence; X[0] has shape {clips[0].shape}"
            + (f" and X[{odd}] {clips[odd].shape}." if odd else ".")
            + multichannel_hint(clips[odd].shape)
        )
    for i, clip in enumerate(clips):
        if clip.shape[0] == 0:
            raise ValueError(f"{estimator_name}: clip X[{i}] is empty (0 samples).")
        if not np.isfinite(clip).all():
            raise ValueError(f"{estimator_name}: clip X[{i}] contains NaN or infinity.")
    if clips[0].ndim == 2 and len({clip.shape[1] for clip in clips}) > 1:
        raise ValueError(
            f"{estimator_name}: the frame sequences have different numbers of features "
            f"({sorted({clip.shape[1] for clip in clips})})."
        )
    return clips


def window_starts(length: int, window: int, hop: int) -> np.ndarray:
    """Start of each window over a clip of ``length``: every ``hop``, the last ending with the clip.

    Examples
    --------
    >>> window_starts(10, 4, 2).tolist()
    [0, 2, 4, 6]
    >>> window_starts(11, 4, 4).tolist()
    [0, 4, 7]
    >>> window_starts(3, 4, 2).tolist()
    [0]
    """
    if length <= window:
        return np.zeros(1, dtype=np.int64)
    starts = np.arange(0, length - window + 1, hop)
    return starts if starts[-1] == length - window else np.append(starts, length - window)


def loud_window_starts(clip: np.ndarray, starts: np.ndarray, window: int, top_db: float) -> np.ndarray:
    """The ``starts`` of a waveform's windows whose RMS is at most ``top_db`` below its loudest window's.

    A clip's silent stretches (digital padding, pauses) would otherwise be
    learnt as, and vote for, the clip's class. The loudest window is always
    kept; a silent clip keeps all its windows.

    Examples
    --------
    >>> clip = np.concatenate([np.ones(4), np.zeros(4), 0.1 * np.ones(4)])
    >>> loud_window_starts(clip, np.array([0, 4, 8]), 4, top_db=30.0).tolist()
    [0, 8]
    """
    if clip.ndim != 1:
        raise ValueError("Leaving out quiet windows (window_top_db) needs waveforms, not frame sequences.")
    if clip.shape[0] <= window:
        return starts
    view = np.lib.stride_tricks.sliding_window_view(clip, window)
    # about 4 M samples at a time: a long recording never becomes one (n_windows, window) array
    per_block = max(1, 2**22 // window)
    energy = np.empty(len(starts))
    for first in range(0, len(starts), per_block):
        block = view[starts[first : first + per_block]]
        energy[first : first + len(block)] = np.einsum("ij,ij->i", block, block, dtype=np.float64)
    return starts[energy >= energy.max() * 10.0 ** (-top_db / 10.0)]


def window_blocks(
    clips: list[np.ndarray], window: int, hop: int, max_windows: int, top_db: float | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Blocks of at most ``max_windows`` windows, each with the index of the clip every window comes from.

    Parameters
    ----------
    clips : list of ndarray
        Clips from :func:`as_clips`.
    window, hop : int
        Window length and the step between window starts, along the first axis.
    max_windows : int
        Most windows per block: what bounds memory.
    top_db : float or None, default=None
        Leave out a waveform's windows quieter than its loudest by more than
        this (:func:`loud_window_starts`); None keeps every window.

    Yields
    ------
    windows : ndarray of shape (n, window, ...)
        Contiguous float32.
    clip_index : ndarray of shape (n,)
    """
    pending, pending_index, n_pending = [], [], 0
    for index, clip in enumerate(clips):
        # window starts only, so that one very long clip is cut a block at a time
        starts = window_starts(clip.shape[0], window, hop)
        if top_db is not None:
            starts = loud_window_starts(clip, starts, window, top_db)
        for first in range(0, len(starts), max_windows):
            part = starts[first : first + max_windows]
            if clip.shape[0] <= window:
                windows = fit_length(clip, window, align="center")[None]
            else:
                windows = np.stack([clip[start : start + window] for start in part])
            while n_pending + len(windows) > max_windows:
                take = max_windows - n_pending
                pending.append(windows[:take])
                pending_index.append(np.full(take, index))
                yield np.concatenate(pending), np.concatenate(pending_index)
                pending, pending_index, n_pending = [], [], 0
                windows = windows[take:]
            if len(windows):
                pending.append(windows)
                pending_index.append(np.full(len(windows), index))
                n_pending += len(windows)
    if pending:
        yield np.concatenate(pending), np.concatenate(pending_index)


#: the rules ``pool_over_windows`` (and ``CNN1DClassifier(window_pooling=...)``) combine windows by
WINDOW_POOLINGS = ("mean", "max", "confidence")


def pool_over_windows(
    predict: Callable[[np.ndarray], np.ndarray],
    clips: list[np.ndarray],
    window: int,
    hop: int,
    max_windows: int,
    top_db: float | None = None,
    pooling: str = "mean",
) -> np.ndarray:
    """Per clip, the mean (the maximum, or the confidence-weighted mean) of ``predict`` over its windows.

    Parameters
    ----------
    predict : callable
        Maps a block of windows ``(n, window, ...)`` to outputs ``(n, ...)``;
        called on blocks of at most ``max_windows`` windows.
    clips : list of ndarray
        Clips from :func:`as_clips`.
    window, hop : int
        Window length and the step between window starts.
    max_windows : int
        Most windows per call of ``predict``: what bounds memory.
    top_db : float or None, default=None
        Pool a waveform's loud windows only (:func:`window_blocks`).
    pooling : {"mean", "max", "confidence"}, default="mean"
        "mean" averages each output over the windows, "max" takes its
        largest value, "confidence" averages class probabilities
        ``(n, n_classes)`` weighted by :func:`window_confidence`.

    Returns
    -------
    pooled : ndarray of shape (n_clips, ...)

    Examples
    --------
    >>> clips = [np.arange(6.0), np.arange(2.0)]
    >>> pool_over_windows(lambda w: w.mean(axis=1, keepdims=True), clips, 4, 2, 8).tolist()
    [[2.5], [0.25]]
    >>> pool_over_windows(lambda w: w.mean(axis=1, keepdims=True), clips, 4, 2, 8, pooling="max").tolist()
    [[3.5], [0.25]]
    >>> sure_or_unsure = lambda w: np.where(w[:, -1:] > 4, [[1.0, 0.0]], [[0.4, 0.6]])  # mean: [[0.7, 0.3]]
    >>> pool_over_windows(sure_or_unsure, clips[:1], 4, 2, 8, pooling="confidence").round(2).tolist()
    [[0.98, 0.02]]
    """
    if pooling not in WINDOW_POOLINGS:
        allowed = ", ".join(map(repr, WINDOW_POOLINGS[:-1])) + f" or {WINDOW_POOLINGS[-1]!r}"
        raise ValueError(f"pooling must be {allowed}, got {pooling!r}.")
    pooled, weight_sums = None, np.zeros(len(clips))
    for windows, clip_index in window_blocks(clips, window, hop, max_windows, top_db):
        values = np.asarray(predict(windows), dtype=np.float64)
        if pooled is None:
            pooled = np.full((len(clips),) + values.shape[1:], -np.inf if pooling == "max" else 0.0)
        if pooling == "max":
            np.maximum.at(pooled, clip_index, values)
            continue
        weights = window_confidence(values) if pooling == "confidence" else np.ones(len(values))
        np.add.at(pooled, clip_index, values * _along_first_axis(weights, values.ndim))
        weight_sums += np.bincount(clip_index, weights=weights, minlength=len(clips))
    return pooled if pooling == "max" else pooled / _along_first_axis(weight_sums, pooled.ndim)


def _along_first_axis(weights, ndim):
    """``weights`` of shape ``(n,)`` shaped to multiply an ``ndim``-dimensional array row by row."""
    return weights.reshape((-1,) + (1,) * (ndim - 1))


def window_confidence(proba: np.ndarray) -> np.ndarray:
    """Each window's confidence: 1 minus the entropy of its class probabilities over ``log(n_classes)``.

    Parameters
    ----------
    proba : ndarray of shape (n_windows, n_classes)
        Each window's class probabilities, ``n_classes >= 2``.

    Returns
    -------
    confidence : ndarray of shape (n_windows,)
        1 for a window sure of one class, 0 for a uniform guess, floored at
        1e-6 so that a clip whose every window guesses still gets their
        mean.

    Examples
    --------
    >>> window_confidence(np.array([[1.0, 0.0], [0.5, 0.5], [0.9, 0.1]])).round(3).tolist()
    [1.0, 0.0, 0.531]
    """
    if proba.ndim != 2 or proba.shape[1] < 2:
        raise ValueError(
            f"Confidence pooling needs class probabilities (n_windows, n_classes >= 2), got {proba.shape}."
        )
    entropy = -np.sum(proba * np.log(np.clip(proba, 1e-12, 1.0)), axis=1)
    return np.maximum(1.0 - entropy / np.log(proba.shape[1]), 1e-6)
