"""The few statistics the lab reports: a spread over seeds, and whether two such spreads differ."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def spread(values: list[float]) -> dict[str, Any]:
    """Mean, sample standard deviation (n − 1; 0 for one value), extremes and count of a list of numbers."""
    array = np.asarray(values, dtype=np.float64)
    return {
        "mean": float(array.mean()),
        "sd": float(array.std(ddof=1)) if len(array) > 1 else 0.0,
        "min": float(array.min()),
        "max": float(array.max()),
        "n": len(array),
    }


def difference(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``before``'s mean minus ``after``'s, with its standard error (Welch: each spread over its own count),
    and whether it is more than two standard errors from zero: about a 5 % chance of saying so when the
    two means are in fact equal (normal approximation; with few seeds it says "differs" somewhat too often)."""
    gap = before["mean"] - after["mean"]
    error = math.sqrt(before["sd"] ** 2 / before["n"] + after["sd"] ** 2 / after["n"])
    return {
        "mean": gap,
        "standard_error": error,
        "standard_errors": gap / error if error > 0 else None,
        "beyond_spread": bool(error > 0 and abs(gap) > 2 * error),
    }
