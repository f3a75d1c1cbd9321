"""Real data shipped with the package, for experiments beyond the toy sets: the UCI handwritten digits.

``digits()`` reads them from the package itself (no download) and splits them at random but stratified, the
same fraction of every digit in the test part, so that a seed fixes the split and every digit is tested
alike. Pixels are scaled from counts 0 … 16 to 0 … 1.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .datasets import Dataset

DIGITS_FILE = Path(__file__).parent / "data" / "digits.csv.gz"
DIGIT_CLASSES = 10
PIXEL_MAX = 16


@cache
def _digits_table() -> NDArray[np.int64]:
    with gzip.open(DIGITS_FILE, "rt", encoding="ascii") as text:
        table: NDArray[np.int64] = np.loadtxt(text, delimiter=",", dtype=np.int64)
    return table


def digits(*, test_fraction: float = 0.25, seed: int = 0) -> Dataset:
    """The 1,797 8 × 8 digits (64 features in [0, 1], labels 0 … 9), split stratified: of each digit,
    ``round(test_fraction × its count)`` examples, chosen by ``seed``, are for testing."""
    if not (isinstance(test_fraction, (int, float)) and 0 < test_fraction < 1):
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction!r}")
    table = _digits_table()
    x = table[:, :-1].astype(np.float64) / PIXEL_MAX
    y = table[:, -1]
    rng = np.random.default_rng(seed)
    test_parts, train_parts = [], []
    for digit in range(DIGIT_CLASSES):
        members = rng.permutation(np.flatnonzero(y == digit))
        n_test = round(test_fraction * len(members))
        test_parts.append(members[:n_test])
        train_parts.append(members[n_test:])
    # Shuffled across digits too, so that a minibatch taken in order is not one digit.
    test = rng.permutation(np.concatenate(test_parts))
    train = rng.permutation(np.concatenate(train_parts))
    return Dataset("digits", x[train], y[train], x[test], y[test], DIGIT_CLASSES)
