"""Validation of the data contract: waveform batches and feature batches.

A waveform batch is a 2D array ``(n_clips, n_samples)`` or a ragged sequence of
1D arrays. A feature batch is a 3D array ``(n_clips, n_frames, n_features)`` or
a ragged sequence of 2D arrays ``(n_frames_i, n_features)``. Every check names
the offending clip by its index so that a bad file in a folder of thousands can
be found.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike
from sklearn.utils import check_array

# Integer PCM is scaled by the magnitude of the most negative code so that the
# full range maps onto [-1, 1), the convention of soundfile and librosa.
_INT_SCALE = {
    np.dtype(np.int8): 2.0**7,
    np.dtype(np.int16): 2.0**15,
    np.dtype(np.int32): 2.0**31,
    np.dtype(np.int64): 2.0**63,
}


def is_number(value: object) -> bool:
    """True for a real number, False for a bool (which Python counts as one) and anything else.

    Parameters
    ----------
    value : object
        Anything.

    Returns
    -------
    bool
    """
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def is_integer(value: object) -> bool:
    """True for an integer (a NumPy one too), False for a bool (which Python counts as one) and anything else.

    Parameters
    ----------
    value : object
        Anything.

    Returns
    -------
    bool
    """
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_sample_rate(sr: object, name: str = "sr", *, allow_none: bool = False) -> int | None:
    """``sr`` as an int, after checking that it is a whole number of Hz > 0.

    Parameters
    ----------
    sr : object
        A sample rate in Hz, as a user gave it.
    name : str, default="sr"
        Its name in the error message.
    allow_none : bool, default=False
        Whether None (no rate: keep the files' own) is accepted, and returned.

    Returns
    -------
    sr : int or None

    Raises
    ------
    ValueError
        If ``sr`` is not an integer (a bool, a float, a string) or is <= 0.

    Examples
    --------
    >>> check_sample_rate(np.int64(16000))
    16000
    >>> check_sample_rate(8000.5)
    Traceback (most recent call last):
    ...
    ValueError: sr must be an int > 0 (a sample rate in Hz), got 8000.5 (float).
    """
    if sr is None and allow_none:
        return None
    kind = "an int > 0" + (" or None" if allow_none else "")
    if isinstance(sr, (bool, np.bool_)) or not isinstance(sr, numbers.Integral):
        raise ValueError(f"{name} must be {kind} (a sample rate in Hz), got {sr!r} ({type(sr).__name__}).")
    if sr <= 0:
        raise ValueError(f"{name} must be {kind} (a sample rate in Hz), got {sr!r}.")
    return int(sr)


def is_ragged(X: ArrayLike | Sequence[ArrayLike]) -> bool:
    """Return True when ``X`` is a sequence of arrays rather than one array.

    Parameters
    ----------
    X : array-like or sequence of array-like
        A batch.

    Returns
    -------
    ragged : bool
        True for a list or tuple (of clips), a 1D object array or a pandas
        Series of clips; False for a numeric ndarray.

    Examples
    --------
    >>> import numpy as np
    >>> is_ragged([np.zeros(3), np.zeros(5)]), is_ragged(np.zeros((2, 4)))
    (True, False)
    """
    if isinstance(X, np.ndarray) or hasattr(X, "to_numpy"):
        # np.array(clips, dtype=object), or a pandas Series of clips (as sktime holds audio)
        return getattr(getattr(X, "dtype", None), "kind", None) == "O" and getattr(X, "ndim", None) == 1
    return isinstance(X, (list, tuple))


def multichannel_hint(shape: tuple[int, ...]) -> str:
    """A sentence for error messages when a 2D clip of ``shape`` looks like channels by samples, else ``""``."""
    if len(shape) == 2 and shape[0] < shape[1]:
        return (
            " A multichannel recording (n_channels, n_samples)? Mix it to mono (clip.mean(axis=0)), or load it "
            "with mono=True."
        )
    return ""


def to_float32(X: ArrayLike, *, name: str = "X", pcm: bool = True) -> np.ndarray:
    """An array of real audio samples as float32, integer PCM scaled to [-1, 1].

    Parameters
    ----------
    X : array-like
        Samples or features of any shape: float, integer PCM (int8 to int64)
        or offset-binary uint8.
    name : str, default="X"
        Name used in error messages.
    pcm : bool, default=True
        Whether integer ``X`` holds PCM samples, scaled by their type's
        range; False for features, whose values are kept.

    Returns
    -------
    X : ndarray of float32
        The same shape.

    Raises
    ------
    TypeError
        Non-numeric, complex or unsigned (other than uint8) samples.

    Examples
    --------
    >>> import numpy as np
    >>> to_float32(np.array([0, 16384, -32768], dtype=np.int16))
    array([ 0. ,  0.5, -1. ], dtype=float32)
    >>> to_float32(np.array([3, 12], dtype=np.int16), pcm=False)
    array([ 3., 12.], dtype=float32)
    """
    return _to_float32(X, None, name, pcm=pcm)


def _to_float32(clip, index, name, *, pcm=True):
    """Convert one clip (``index`` an int) or a dense batch (``index`` None) to
    float32, scaling integer PCM to [-1, 1] (``pcm``; features keep their values)."""
    name = name if index is None else f"{name}[{index}]"
    if hasattr(clip, "dtype") and clip.dtype == object:
        raise TypeError(f"{name} has dtype object; expected numeric audio samples.")
    try:
        arr = np.asarray(clip)
    except Exception as exc:  # ragged nested lists and the like
        raise TypeError(f"{name} is not a numeric array: {exc}") from exc
    if arr.dtype == object or arr.dtype.kind in "USVb":
        raise TypeError(f"{name} has dtype {arr.dtype}; expected real numeric samples (float, or integer PCM).")
    if arr.dtype.kind == "c":
        raise TypeError(
            f"{name} is complex ({arr.dtype}); pass real-valued audio "
            "(take np.real or np.abs first if that is what you mean)."
        )
    if not pcm:
        return arr.astype(np.float32, copy=False)
    if arr.dtype.kind == "u":
        if arr.dtype == np.uint8:
            # 8-bit WAV is offset binary: 128 is silence.
            return ((arr.astype(np.float32) - 128.0) / 128.0).astype(np.float32)
        raise TypeError(f"{name} has unsigned dtype {arr.dtype}; only uint8 PCM is understood.")
    if arr.dtype.kind == "i":
        return (arr.astype(np.float64) / _INT_SCALE[arr.dtype]).astype(np.float32)
    return arr.astype(np.float32, copy=False)


def _check_finite(arr, index, name):
    if not np.all(np.isfinite(arr)):
        bad = np.flatnonzero(~np.isfinite(arr.reshape(-1)))[0]
        raise ValueError(f"{name}[{index}] contains NaN or infinite values (first at flat position {bad}).")


def check_waveforms(X: ArrayLike | Sequence[ArrayLike], *, name: str = "X") -> np.ndarray | list[np.ndarray]:
    """Validate a waveform batch and return it as float32.

    Parameters
    ----------
    X : ndarray of shape (n_clips, n_samples) or sequence of 1D arrays
        The batch. Integer PCM (int8, int16, int32, int64 and offset-binary
        uint8) is scaled to [-1, 1] float32.
    name : str, default="X"
        Name used in error messages.

    Returns
    -------
    waveforms : ndarray of shape (n_clips, n_samples) or list of ndarray
        Float32, C-contiguous. A list input stays a list (of 1D arrays).

    Raises
    ------
    ValueError
        Empty batch, zero-length clip, NaN or inf samples, wrong number of
        dimensions. The message names the clip's index.
    TypeError
        Non-numeric or complex samples, or a batch that is not array-like.

    Examples
    --------
    >>> import numpy as np
    >>> check_waveforms(np.array([[0, 16384, -32768]], dtype=np.int16))
    array([[ 0. ,  0.5, -1. ]], dtype=float32)
    >>> [c.shape for c in check_waveforms([np.zeros(3), np.zeros(5)])]
    [(3,), (5,)]
    """
    if is_ragged(X):
        return _check_ragged(X, name, ndim=1, what="waveform batch must be 1D (mono samples)", unit="samples")
    arr = _check_dense(X, name, ndims=(2,), what="a waveform batch is 2D (n_clips, n_samples)")
    finite = np.isfinite(arr).all(axis=1)
    if not finite.all():
        raise ValueError(f"{name}[{int(np.flatnonzero(~finite)[0])}] contains NaN or infinite values.")
    return np.ascontiguousarray(arr)


def _check_ragged(X, name, *, ndim, what, unit, pcm=True):
    """Validate each clip of a list: dtype, dimensions, length, finiteness."""
    if len(X) == 0:
        raise ValueError(f"{name} is an empty batch: at least one clip is required.")
    clips = []
    for i, clip in enumerate(list(X)):
        arr = _to_float32(clip, i, name, pcm=pcm)
        if arr.ndim != ndim:
            # a list of numbers is one clip's samples (or frames' values), not a batch of clips
            hint = f" One clip as a list of numbers? Put it in a list: [{name}]." if arr.ndim == 0 else ""
            raise ValueError(
                f"{name}[{i}] has {arr.ndim} dimensions (shape {arr.shape}); each clip of a ragged {what}.{hint}"
            )
        if arr.shape[0] == 0:
            raise ValueError(f"{name}[{i}] is a zero-length clip (0 {unit}).")
        _check_finite(arr, i, name)
        clips.append(np.ascontiguousarray(arr))
    return clips


def _check_dense(X, name, *, ndims, what, pcm=True):
    """Validate a dense batch with sklearn's check_array, then scale PCM.

    check_array gives the messages scikit-learn users know (sparse, complex,
    empty, 1D "Reshape your data"); integer dtypes are kept so that PCM can be
    scaled by its own range.
    """
    if isinstance(X, (numbers.Number, str, bytes)) or X is None:
        raise TypeError(f"{name} must be array-like; {what}. Got {type(X).__name__}.")
    if not sp.issparse(X):
        try:
            X = np.asarray(X)
        except Exception as exc:
            raise TypeError(f"{name} is not array-like: {exc}") from exc
    ndim = X.ndim
    if ndim not in ndims:
        if ndims == (3,) and ndim == 2:  # X[None, :] would make waveforms one clip of n_clips frames
            hint = (
                " One clip's frames (n_frames, n_features)? Reshape them, e.g. X[None, :]. Waveforms "
                "(n_clips, n_samples)? Compute their features first (MFCC, Spectrogram)."
            )
        elif ndims == (3,) and ndim < 2:
            hint = " One waveform? Compute its features first (MFCC, Spectrogram)."
        elif ndim < min(ndims):
            hint = " Reshape your data, e.g. X[None, :] for a single clip."
        elif ndims == (2,) and ndim == 3:  # a channel axis, or features (the shape cannot tell: 101 frames of 128)
            hint = (
                " Multichannel recordings (n_clips, n_channels, n_samples)? Mix them to mono, e.g. X.mean(axis=1)."
                " Feature frames (n_clips, n_frames, n_features)? This step takes waveforms: put it before the "
                "feature step."
            )
        else:
            hint = ""
        raise ValueError(f"{name} has {ndim} dimension(s) (shape {X.shape}); {what}, or a list of clips.{hint}")
    arr = check_array(X, dtype="numeric", allow_nd=True, ensure_all_finite=False, input_name=name)
    return _to_float32(arr, None, name, pcm=pcm)


def check_feature_batch(
    X: ArrayLike | Sequence[ArrayLike], *, name: str = "X", allow_2d: bool = False
) -> np.ndarray | list[np.ndarray]:
    """Validate a feature batch and return it as float32.

    Parameters
    ----------
    X : ndarray of shape (n_clips, n_frames, n_features) or sequence of 2D arrays
        The batch; a ragged sequence holds one ``(n_frames_i, n_features)``
        array per clip, all with the same ``n_features``.
    name : str, default="X"
        Name used in error messages.
    allow_2d : bool, default=False
        Accept a 2D array ``(n_clips, n_features)`` too (one frame per clip).

    Returns
    -------
    features : ndarray or list of ndarray
        Float32, values unchanged (integer features are not scaled as
        PCM samples are); a list input stays a list.

    Examples
    --------
    >>> import numpy as np
    >>> check_feature_batch(np.zeros((2, 5, 3))).shape
    (2, 5, 3)
    """
    if is_ragged(X):
        clips = _check_ragged(
            X, name, ndim=2, what="feature batch must be 2D (n_frames, n_features)", unit="frames", pcm=False
        )
        for i, clip in enumerate(clips[1:], start=1):
            if clip.shape[1] != clips[0].shape[1]:
                transposed = ""
                if clip.shape[0] == clips[0].shape[0]:  # the first axis agrees and the second does not
                    transposed = (
                        f" The clips share their first axis ({clip.shape[0]}): features laid out (n_features, "
                        "n_frames), as librosa returns them? Transpose each clip (clip.T)."
                    )
                raise ValueError(
                    f"{name}[{i}] has {clip.shape[1]} features but {name}[0] has "
                    f"{clips[0].shape[1]}; all clips must share n_features."
                    + transposed
                    + multichannel_hint(clips[0].shape)
                )
        if clips[0].shape[1] == 0:
            raise ValueError(f"{name} has zero features per frame ({name}[0] has shape {clips[0].shape}).")
        return clips
    ndims = (2, 3) if allow_2d else (3,)
    arr = _check_dense(X, name, ndims=ndims, what="a feature batch is 3D (n_clips, n_frames, n_features)", pcm=False)
    if arr.shape[-1] == 0:  # the last axis, a 2D table's second, holds the features
        raise ValueError(f"{name} has zero features per frame (shape {arr.shape}).")
    if arr.shape[1] == 0:
        raise ValueError(f"{name} has zero frames per clip (shape {arr.shape}).")
    finite = np.isfinite(arr).reshape(arr.shape[0], -1).all(axis=1)
    if not finite.all():
        raise ValueError(f"{name}[{int(np.flatnonzero(~finite)[0])}] contains NaN or infinite values.")
    return arr


#: Peak amplitude at or below which a waveform counts as silent: -120 dBFS, 30 dB under an
#: int16 file's smallest step (-90 dBFS), so digital silence, its rounding, and a 24-bit
#: file's last bit or two (about -138 dBFS) are caught, and any recorded sound is not.
SILENT_PEAK = 1e-6


class UnusableClipWarning(UserWarning):
    """Clips named as silent or too short to analyse: kept, but unlikely to mean what their label says."""


def unusable_clips(clips: Sequence[np.ndarray], min_length: int | None = None) -> tuple[list[int], list[int]]:
    """Indices of the silent waveforms, and of the clips shorter than ``min_length`` samples (frames).

    A silent clip (every sample at most ``SILENT_PEAK`` in magnitude) holds
    no sound to learn or classify; a clip shorter than one analysis frame
    gives the features next to nothing.

    Parameters
    ----------
    clips : sequence of ndarray
        Waveforms (1D; only these can be silent) or frame sequences.
    min_length : int or None, default=None
        Shortest usable clip along the first axis; None checks no length.

    Returns
    -------
    silent, short : list of int

    Examples
    --------
    >>> clips = [np.zeros(800), np.ones(10), np.ones(800)]
    >>> unusable_clips(clips, min_length=256)
    ([0], [1])
    """
    # max and min, not abs: no copy of a long recording
    silent = [
        i
        for i, clip in enumerate(clips)
        if clip.ndim == 1 and clip.size and -SILENT_PEAK <= clip.min() <= clip.max() <= SILENT_PEAK
    ]
    short = [] if min_length is None else [i for i, clip in enumerate(clips) if clip.shape[0] < min_length]
    return silent, short


def named(items: Sequence[str], limit: int = 5) -> str:
    """``items`` joined for a message, the first ``limit`` named and the rest counted.

    Parameters
    ----------
    items : sequence of str
        What the message names (clips, files, labels).
    limit : int, default=5
        How many to name before counting the rest.

    Returns
    -------
    text : str

    Examples
    --------
    >>> named(["X[0]", "X[3]"]), named([f"X[{i}]" for i in range(8)], limit=3)
    ('X[0], X[3]', 'X[0], X[1], X[2] and 5 more')
    """
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown} and {len(items) - limit} more"


def missing_labels(labels: ArrayLike) -> list[int]:
    """Positions of the missing labels (None, NaN of any float type, pandas' NA); a row of a 2D ``labels`` counts once.

    Parameters
    ----------
    labels : array-like of shape (n,) or (n, n_outputs)
        One label (or row of labels) per item, as a user gave them.

    Returns
    -------
    positions : list of int
        Counted from 0, whatever index a pandas Series has.

    Examples
    --------
    >>> missing_labels(["dog", None, float("nan"), "cat"])
    [1, 2]
    """
    array = np.asarray(labels, dtype=object)
    if array.ndim == 0 or array.size == 0:
        return []
    rows = array.reshape(len(array), -1)
    return [i for i, row in enumerate(rows) if any(map(_is_missing, row))]


def _is_missing(label):
    if label is None:
        return True
    try:
        return bool(label != label)  # NaN of any float type
    except (TypeError, ValueError):  # pandas' NA: its comparisons are NA, which has no truth value
        return True


def warn_unseen_labels(estimator_name: str, labels: Sequence, trained: Sequence, kind: str, consequence: str) -> None:
    """Warn, naming them, about ``labels`` (one per item scored) that are not among the ``trained`` ones.

    An estimator cannot predict a label it never saw: such items are scored as
    errors, which the warning says instead of leaving the score to mislead.

    Parameters
    ----------
    estimator_name : str
        Who warns.
    labels : sequence
        The label of every scored item (clip or event).
    trained : sequence
        The labels the estimator was trained on.
    kind : str
        What the labels are called in the message ("label", "event label").
    consequence : str
        What becomes of the items, after their count ("clip(s) count as wrong").

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_unseen_labels("Clf", ["a", "x", "x"], ["a", "b"], "label", "clip(s) count as wrong")
    >>> str(caught[0].message)
    "Clf: y holds 1 label(s) never seen in training ('x'); their 2 clip(s) count as wrong."
    """
    known = set(trained)
    unseen = [label for label in labels if label not in known]
    if unseen:
        names = sorted({repr(label) for label in unseen})
        warnings.warn(
            f"{estimator_name}: y holds {len(names)} {kind}(s) never seen in training ({named(names)}); "
            f"their {len(unseen)} {consequence}.",
            UserWarning,
            stacklevel=3,
        )
