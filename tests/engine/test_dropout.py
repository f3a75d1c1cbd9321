"""dropout(): the formula from the page, its edge cases, and its statistics.

Statistical tests draw many seeded masks and compare with bounds derived from the binomial distribution:
the number of kept units K among n is Binomial(n, 1 − p), with standard deviation σ = √(n p (1 − p)).
Every bound is 6σ, so an honest implementation would fail with probability below 2·10⁻⁹ for a random
seed; the seeds are fixed, so the tests cannot flake.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dropout_playground import dropout, every_mask, mask_probability

N = 1_000_000
SIX_SIGMA = 6.0


def kept_bounds(n: int, p: float) -> tuple[float, float]:
    """The 6σ interval for the number of kept units out of n."""
    mean, sigma = n * (1 - p), math.sqrt(n * p * (1 - p))
    return mean - SIX_SIGMA * sigma, mean + SIX_SIGMA * sigma


@pytest.mark.parametrize("p", [0.1, 0.2, 0.5, 0.9])
def test_each_unit_is_kept_with_probability_one_minus_p(p):
    _, mask = dropout(np.ones(N), p, rng=np.random.default_rng(1), return_mask=True)
    low, high = kept_bounds(N, p)
    assert low <= mask.sum() <= high


@pytest.mark.parametrize("p", [0.1, 0.2, 0.5])
def test_inverted_dropout_preserves_the_mean_and_scales_the_variance(p):
    x = 3.0
    y = dropout(np.full(N, x), p, rng=np.random.default_rng(2))
    # y = x·K/(n(1 − p)) on average and takes only the values 0 and x/(1 − p): both follow from K's bounds.
    low, high = kept_bounds(N, p)
    assert x * low / (N * (1 - p)) <= y.mean() <= x * high / (N * (1 - p))
    # Sample variance of a two-valued variable: c²·f·(1 − f), f the kept fraction, c = x/(1 − p). It is
    # monotone in f on either side of 1/2, its maximum; bound it over the interval of f.
    c = x / (1 - p)
    fractions = np.array([low / N, high / N] + ([0.5] if low / N <= 0.5 <= high / N else []))
    variances = c**2 * fractions * (1 - fractions)
    assert variances.min() <= y.var() <= variances.max()
    # Var[y] = x² p/(1 − p) (SCIENCE 4) lies inside the same interval.
    assert variances.min() <= x**2 * p / (1 - p) <= variances.max()


def test_masks_of_independent_units_are_uncorrelated():
    p, n = 0.2, 200_000
    _, mask = dropout(np.ones((n, 2)), p, rng=np.random.default_rng(3), return_mask=True)
    both = np.sum(mask[:, 0] & mask[:, 1])
    # Independent units: both kept with probability (1 − p)²; Binomial(n, (1 − p)²) 6σ interval.
    q2 = (1 - p) ** 2
    assert abs(both - n * q2) <= SIX_SIGMA * math.sqrt(n * q2 * (1 - q2))


def test_survivors_are_scaled_by_one_over_one_minus_p_and_the_rest_are_zero():
    x = np.linspace(1, 2, 50)
    y, mask = dropout(x, 0.2, rng=np.random.default_rng(4), return_mask=True)
    np.testing.assert_allclose(y[mask], x[mask] / 0.8, rtol=1e-15)
    assert np.all(y[~mask] == 0)
    assert 0 < mask.sum() < x.size


def test_the_same_seed_gives_the_same_mask():
    x = np.ones(100)
    first = dropout(x, 0.3, rng=np.random.default_rng(7))
    again = dropout(x, 0.3, rng=np.random.default_rng(7))
    other = dropout(x, 0.3, rng=np.random.default_rng(8))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


@pytest.mark.parametrize("scaling", ["inverted", "classic", "none"])
@pytest.mark.parametrize("p", [0.1, 0.2, 0.5, 0.9])
def test_eval_is_identity_for_inverted_and_none_and_scales_by_keep_for_classic(scaling, p):
    x = np.array([[0.5, -1.0], [2.0, 4.0]])
    y, mask = dropout(x, p, rng=np.random.default_rng(0), training=False, scaling=scaling, return_mask=True)
    expected = x * (1 - p) if scaling == "classic" else x
    np.testing.assert_allclose(y, expected, rtol=1e-15)
    assert mask.all()


def test_inverted_eval_returns_the_input_values_unchanged():
    x = np.array([0.1, -3.0, 7.25], dtype=np.float32)
    y = dropout(x, 0.4, rng=np.random.default_rng(0), training=False)
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y, x)


@pytest.mark.parametrize("scaling", ["inverted", "classic", "none"])
def test_p_zero_keeps_everything_unchanged_in_training(scaling):
    x = np.random.default_rng(0).normal(size=(20, 3))
    np.testing.assert_array_equal(dropout(x, 0.0, rng=np.random.default_rng(0), scaling=scaling), x)


@pytest.mark.parametrize("scaling", ["inverted", "classic", "none"])
def test_p_one_gives_zeros_never_inf_or_nan(scaling):
    x = np.array([1.0, -2.0, 1e300, np.inf])
    y = dropout(x, 1.0, rng=np.random.default_rng(0), scaling=scaling)
    assert np.all(y == 0.0)


@pytest.mark.parametrize("p", [0.1, 0.2])
def test_classic_and_none_do_not_scale_in_training(p):
    x = np.full(1000, 2.0)
    for scaling in ("classic", "none"):
        y, mask = dropout(x, p, rng=np.random.default_rng(5), scaling=scaling, return_mask=True)
        np.testing.assert_array_equal(y, np.where(mask, 2.0, 0.0))


def test_without_scaling_eval_is_one_over_one_minus_p_times_the_training_mean():
    # SCIENCE 5: the bug. Training mean of x·m is (1 − p)·x, eval gives x.
    p, x = 0.2, 1.0
    train = dropout(np.full(N, x), p, rng=np.random.default_rng(6), scaling="none")
    evaluated = dropout(np.full(3, x), p, rng=np.random.default_rng(6), training=False, scaling="none")
    low, high = kept_bounds(N, p)
    assert low / N <= train.mean() <= high / N
    assert evaluated[0] / train.mean() == pytest.approx(1 / (1 - p), rel=1e-2)


@pytest.mark.parametrize("bad", [-0.1, 1.5, 1.0000001, float("nan"), float("inf"), -float("inf")])
def test_out_of_range_p_raises_value_error_naming_it(bad):
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got") as error:
        dropout(np.ones(3), bad, rng=np.random.default_rng(0))
    assert str(bad) in str(error.value)


@pytest.mark.parametrize("bad", ["0.5", None, True, [0.5], 1j])
def test_a_non_number_p_raises_value_error_naming_it(bad):
    with pytest.raises(ValueError, match="must be a number between 0 and 1") as error:
        dropout(np.ones(3), bad, rng=np.random.default_rng(0))
    assert repr(bad) in str(error.value)


def test_unknown_scaling_is_refused():
    with pytest.raises(ValueError, match="scaling must be one of"):
        dropout(np.ones(3), 0.5, rng=np.random.default_rng(0), scaling="paper")


def test_integer_input_is_treated_as_float():
    y = dropout(np.array([1, 2, 3]), 0.0, rng=np.random.default_rng(0))
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y, [1.0, 2.0, 3.0])


finite_arrays = arrays(
    np.float64,
    st.tuples(st.integers(1, 5), st.integers(1, 5)),
    elements=st.floats(-1e6, 1e6, allow_nan=False),
)


@given(x=finite_arrays, p=st.floats(0.0, 0.99), seed=st.integers(0, 2**32 - 1))
def test_every_output_is_zero_or_the_input_over_one_minus_p(x, p, seed):
    y, mask = dropout(x, p, rng=np.random.default_rng(seed), return_mask=True)
    assert y.shape == x.shape == mask.shape
    np.testing.assert_allclose(y, np.where(mask, x / (1 - p), 0.0), rtol=1e-12, atol=0)
    assert np.all(np.isfinite(y))


@given(x=finite_arrays, p=st.floats(0.0, 1.0), seed=st.integers(0, 2**32 - 1))
def test_gradient_rule_is_the_mask_over_one_minus_p(x, p, seed):
    # y is linear in x for a fixed mask, so ∂y/∂x = m/(1 − p) (0 at p = 1): check it as y(2x) − y(x) = y(x).
    y1 = dropout(x, p, rng=np.random.default_rng(seed))
    y2 = dropout(2 * x, p, rng=np.random.default_rng(seed))
    np.testing.assert_allclose(y2 - y1, y1, rtol=1e-12, atol=1e-300)


# -- masks and their probabilities (SCIENCE 24) ----------------------------------------------------------


def test_every_mask_lists_each_of_the_two_to_the_n_masks_once():
    masks = every_mask(5)
    assert masks.shape == (32, 5) and masks.dtype == bool
    assert len({tuple(row) for row in masks}) == 32
    assert not masks[0].any() and masks[-1].all()  # row c keeps unit j when bit j of c is set
    np.testing.assert_array_equal(masks[6], [False, True, True, False, False])


@pytest.mark.parametrize("units", [-1, 31, 2.0, True])
def test_every_mask_refuses_what_it_cannot_list(units):
    with pytest.raises(ValueError, match="units must be a whole number from 0 to 30"):
        every_mask(units)


@pytest.mark.parametrize("p", [0.0, 0.1, 0.5, 0.9, 1.0])
def test_mask_probabilities_follow_the_binomial_formula_and_sum_to_one(p):
    masks = every_mask(6)
    probabilities = mask_probability(masks, p)
    kept = masks.sum(axis=1)
    np.testing.assert_allclose(probabilities, (1 - p) ** kept * p ** (6 - kept), rtol=1e-15)
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-15)


def test_sub_networks_are_equally_likely_only_at_one_half():
    masks = every_mask(12)
    assert np.ptp(mask_probability(masks, 0.5)) == 0.0
    low = mask_probability(masks, 0.1)
    # SCIENCE 24: at p = 0.1 and N = 12 the full network alone has probability 0.9^12 ≈ 0.28.
    assert low.max() == low[-1] == pytest.approx(0.9**12) and round(low[-1], 2) == 0.28
    assert low.min() == pytest.approx(0.1**12)


def test_mask_probability_refuses_a_drop_probability_out_of_range():
    with pytest.raises(ValueError, match="between 0 and 1"):
        mask_probability(every_mask(2), 1.5)
