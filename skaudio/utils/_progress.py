"""Progress bars over many files: on with ``verbose``, off in pipes."""

import numbers
import sys
from collections.abc import Iterable
from typing import TextIO, TypeVar

T = TypeVar("T")

__all__ = ["progress", "check_verbose"]


def check_verbose(verbose: bool | int, name: str = "verbose") -> bool | int:
    """Validate a ``verbose`` parameter (bool or int >= 0) and return it unchanged.

    Parameters
    ----------
    verbose : bool or int >= 0
        The value to check.
    name : str, default="verbose"
        The parameter's name in the error message.

    Returns
    -------
    verbose : bool or int
        ``verbose``, unchanged.

    Raises
    ------
    ValueError
        If ``verbose`` is not a bool or an int >= 0.

    Examples
    --------
    >>> from skaudio.utils import check_verbose
    >>> check_verbose(2)
    2
    >>> check_verbose(-1)
    Traceback (most recent call last):
    ...
    ValueError: verbose must be a bool or an int >= 0, got -1.
    """
    if not isinstance(verbose, numbers.Integral) or verbose < 0:
        raise ValueError(f"{name} must be a bool or an int >= 0, got {verbose!r}.")
    return verbose


def _is_terminal(stream):
    """Whether ``stream`` is an interactive terminal; False for anything odd."""
    isatty = getattr(stream, "isatty", None)
    if isatty is None:
        return False
    try:
        return bool(isatty())
    except (ValueError, OSError):  # a closed or detached stream
        return False


def progress(
    iterable: Iterable[T],
    *,
    total: int | None = None,
    desc: str | None = None,
    verbose: bool | int = 0,
    unit: str = "it",
    file: TextIO | None = None,
) -> Iterable[T]:
    """Wrap ``iterable`` in a tqdm progress bar when ``verbose`` and ``file`` is a terminal.

    The bar is shown only when both hold: ``verbose`` is truthy, and the
    stream the bar would be written to is a terminal (``file.isatty()``).
    Redirected or piped output (``2> log.txt``, ``| tee``), pytest's capture
    and notebooks therefore get no bar and no control characters.

    Parameters
    ----------
    iterable : iterable
        What to iterate over; its items are yielded unchanged and in order.
    total : int or None, default=None
        Number of items, for the bar's percentage; None uses
        ``len(iterable)`` when it has one.
    desc : str or None, default=None
        Text shown before the bar.
    verbose : bool or int >= 0, default=0
        Show the bar (when ``file`` is a terminal) if truthy.
    unit : str, default="it"
        Name of one item in the bar's rate, e.g. ``"file"``.
    file : file-like or None, default=None
        Where the bar is written; None means :data:`sys.stderr` at call time.

    Returns
    -------
    iterator : iterable
        ``iterable`` itself when no bar is shown, else a :class:`tqdm.tqdm`
        over it.

    Examples
    --------
    >>> from skaudio.utils import progress
    >>> list(progress(["a.wav", "b.wav"], desc="Loading audio", verbose=1))
    ['a.wav', 'b.wav']
    """
    stream = sys.stderr if file is None else file
    if not verbose or not _is_terminal(stream):
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit=unit, file=stream, dynamic_ncols=True)
