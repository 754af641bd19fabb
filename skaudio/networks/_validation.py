"""Checks of the builders' and layers' settings: a ValueError naming the setting, before Keras sees it.

Keras reports a bad value under its own argument names (``rate``,
``units``), or only when the layer is called; these checks name skaudio's.
"""

import math

from skaudio.utils import is_integer, is_number


def is_int(value: object, minimum: int) -> bool:
    """Whether ``value`` is an int (not a bool) >= ``minimum``."""
    return is_integer(value) and value >= minimum


def check_int(value: object, name: str, *, minimum: int = 1) -> int:
    """``value`` as an int, or a ValueError naming ``name`` when it is not an int >= ``minimum``."""
    if not is_int(value, minimum):
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}.")
    return int(value)


def check_real(
    value: object,
    name: str,
    *,
    low: float = 0.0,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """``value`` as a finite float from ``low`` to ``high`` (a bound excluded when open), else a ValueError."""
    if (
        not is_number(value)
        or not math.isfinite(value)
        or not low <= value <= high
        or (low_open and value == low)
        or (high_open and value == high)
    ):
        if high == math.inf:
            interval = f"{'>' if low_open else '>='} {low}"
        else:
            interval = f"in {'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
        raise ValueError(f"{name} must be a number {interval}, got {value!r}.")
    return float(value)
