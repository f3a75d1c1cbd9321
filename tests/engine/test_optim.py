"""Optimisers: the update rules, written out, on a problem with a known answer."""

import numpy as np
import pytest

from dropout_playground import MLP, SGD, Adam


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


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01), lambda ps: Adam(ps)])
def test_a_networks_shared_parameter_vector_is_updated_exactly_like_separate_arrays(make):
    net = MLP([3, 5, 4, 2], seed=0)
    separate = [w.copy() for w in net.parameters()]
    shared_optimizer, separate_optimizer = make(net.parameters()), make(separate)
    x, y = np.random.default_rng(1).normal(size=(6, 3)), np.array([0, 1, 1, 0, 1, 0])
    for _ in range(5):
        _, grads = net.gradients(x, y)
        shared_optimizer.step(grads.as_list())
        separate_optimizer.step([g.copy() for g in grads.as_list()])
    for shared, alone in zip(net.parameters(), separate):
        np.testing.assert_array_equal(shared, alone)


def test_flat_parameters_refuse_gradients_of_the_wrong_size():
    net = MLP([2, 3, 2], seed=0)
    with pytest.raises(ValueError, match="expected 17 gradient values, got 16"):
        SGD(net.parameters()).step([np.zeros((2, 3)), np.zeros(3), np.zeros((3, 2)), np.zeros(1)])
