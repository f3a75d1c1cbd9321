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
