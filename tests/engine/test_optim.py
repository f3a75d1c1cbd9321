"""Optimisers: the update rules, written out, on a problem with a known answer."""

import numpy as np
import pytest

from dropout_playground import SGD, Adam


def test_sgd_step_is_minus_lr_times_gradient():
    w = np.array([1.0, -2.0])
    SGD([w], lr=0.1).step([np.array([0.5, 1.0])])
    np.testing.assert_allclose(w, [0.95, -2.1])


def test_sgd_momentum_accumulates_velocity():
    w = np.zeros(1)
    opt = SGD([w], lr=1.0, momentum=0.5)
    for _ in range(3):
        opt.step([np.ones(1)])
    # Velocities 1, 1.5, 1.75.
    np.testing.assert_allclose(w, [-4.25])


def test_adam_first_step_moves_each_weight_by_lr_in_the_direction_of_minus_the_gradient():
    w = np.array([0.0, 0.0])
    Adam([w], lr=0.01).step([np.array([3.0, -1e-3])])
    np.testing.assert_allclose(w, [-0.01, 0.01], rtol=1e-4)


@pytest.mark.parametrize("make", [lambda w: SGD([w], lr=0.1, momentum=0.9), lambda w: Adam([w], lr=0.1)])
def test_optimisers_minimise_a_quadratic(make):
    w = np.array([3.0, -2.0])
    opt = make(w)
    for _ in range(500):
        opt.step([2 * (w - [1.0, 0.5])])
    np.testing.assert_allclose(w, [1.0, 0.5], atol=1e-3)


def test_weight_decay_pulls_towards_zero():
    w = np.array([1.0])
    SGD([w], lr=0.1, weight_decay=0.5).step([np.zeros(1)])
    np.testing.assert_allclose(w, [0.95])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SGD([np.zeros(1)], lr=0), "learning rate must be a positive number"),
        (lambda: SGD([np.zeros(1)], lr=float("nan")), "learning rate must be a positive number"),
        (lambda: SGD([np.zeros(1)], momentum=1.0), r"momentum must be in \[0, 1\)"),
        (lambda: Adam([np.zeros(1)], betas=(0.9, 1.0)), r"betas must be in \[0, 1\)"),
        (lambda: Adam([np.zeros(1)], weight_decay=-1), "weight_decay must be non-negative"),
    ],
)
def test_bad_settings_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_gradients_must_match_parameters():
    with pytest.raises(ValueError, match="expected 2 gradients, got 1"):
        SGD([np.zeros(1), np.zeros(2)]).step([np.zeros(1)])
