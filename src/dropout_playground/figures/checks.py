"""Checks every figure's settings share, with the same sentences in every figure."""

from __future__ import annotations

MAX_SEED = 2**32 - 1


def check_whole(value: object, name: str, low: int, high: int) -> int:
    """``value`` if it is a whole number from ``low`` to ``high``; otherwise ``ValueError`` says so."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    return value


def check_seed(seed: object) -> int:
    return check_whole(seed, "seed", 0, MAX_SEED)


def check_p(p: object) -> float:
    """A drop probability sent to a figure, or the sentence a student reads: "p must be between 0 and 1, got 1.7"."""
    if isinstance(p, bool) or not isinstance(p, (int, float)):
        raise ValueError(f"p must be a number between 0 and 1, got {p!r}")
    if not 0.0 <= p <= 1.0:  # False for NaN too
        raise ValueError(f"p must be between 0 and 1, got {p}")
    return float(p)
