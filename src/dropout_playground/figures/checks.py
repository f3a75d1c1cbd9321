"""Checks every figure's settings share, with the same sentences in every figure."""

from __future__ import annotations

MAX_SEED = 2**32 - 1


def spelled(value: object) -> str:
    """A value as a sentence for a student writes it: 9 rather than 9.0, a pair as "1, 0.5", a word in
    quotes; never a Python tuple."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (tuple, list)):
        return ", ".join(spelled(item) for item in value)
    if value is None:
        return "nothing"
    return f"'{value}'"


def check_whole(value: object, name: str, low: int, high: int) -> int:
    """``value`` if it is a whole number from ``low`` to ``high``; otherwise ``ValueError`` says so."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {spelled(value)}")
    return value


def check_seed(seed: object) -> int:
    return check_whole(seed, "seed", 0, MAX_SEED)


def check_p(p: object) -> float:
    """A drop probability sent to a figure, or the sentence a student reads: "p must be between 0 and 1, got 1.7"."""
    if isinstance(p, bool) or not isinstance(p, (int, float)):
        raise ValueError(f"p must be a number between 0 and 1, got {spelled(p)}")
    if not 0.0 <= p <= 1.0:  # False for NaN too
        raise ValueError(f"p must be between 0 and 1, got {p}")
    return float(p)


def check_point(point: object, limit: float, names: tuple[str, str], what: str = "the probe") -> tuple[float, float]:
    """``point`` as two floats, each coordinate from ``-limit`` to ``limit``; otherwise ``ValueError`` names
    the coordinate that is wrong: "x₂ of the probe must be between -5 and 5, got 9"."""
    if not isinstance(point, (tuple, list)) or len(point) != 2:
        raise ValueError(f"{what} must be two numbers, {names[0]} and {names[1]}, got {spelled(point)}")
    for name, value in zip(names, point):
        # NaN is in no range: the comparison is False for it.
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
            raise ValueError(f"{name} of {what} must be between {-limit:g} and {limit:g}, got {spelled(value)}")
    return float(point[0]), float(point[1])
