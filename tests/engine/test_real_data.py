"""The digits shipped with the package: all of UCI's test part, scaled, split stratified by a seed."""

import gzip

import numpy as np
import pytest

import dropout_playground as dp
from dropout_playground.engine.real_data import DIGITS_FILE

# Examples of each digit in the file, as UCI's description of the data set gives them (optdigits.names).
DIGIT_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_every_digit_is_there_once_scaled_to_one():
    data = dp.digits()
    x = np.vstack([data.x_train, data.x_test])
    y = np.concatenate([data.y_train, data.y_test])
    assert x.shape == (1797, 64) and data.n_features == 64 and data.n_classes == 10
    assert np.bincount(y).tolist() == DIGIT_COUNTS
    assert x.min() == 0.0 and x.max() == 1.0 and np.all(np.isclose(x * 16, np.round(x * 16)))
    # The split is a partition of the file's rows: each row once, in train or in test, none twice.
    with gzip.open(DIGITS_FILE, "rt") as text:
        table = np.loadtxt(text, delimiter=",")
    rows = np.column_stack([x * 16, y])
    assert np.array_equal(rows[np.lexsort(rows.T[::-1])], table[np.lexsort(table.T[::-1])])


@pytest.mark.parametrize("fraction", [0.25, 0.5, 0.1])
def test_the_split_takes_the_same_fraction_of_every_digit(fraction):
    data = dp.digits(test_fraction=fraction, seed=3)
    tested = np.bincount(data.y_test, minlength=10)
    assert tested.tolist() == [round(fraction * count) for count in DIGIT_COUNTS]
    assert len(data.y_train) + len(data.y_test) == 1797


def test_a_seed_fixes_the_split_and_another_seed_gives_another():
    first, again, other = dp.digits(seed=1), dp.digits(seed=1), dp.digits(seed=2)
    assert np.array_equal(first.x_test, again.x_test) and np.array_equal(first.y_train, again.y_train)
    assert not np.array_equal(first.x_test, other.x_test)
    # Shuffled across digits: the first 20 training labels are not all one digit.
    assert len(set(first.y_train[:20].tolist())) > 1


def test_a_test_fraction_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match=r"test_fraction must be between 0 and 1, got 1\.5"):
        dp.digits(test_fraction=1.5)
