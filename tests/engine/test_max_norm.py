"""The max-norm constraint of Srivastava et al. (2014, Sec. 5.1): after every step, each hidden unit's incoming
weight vector is scaled back onto the ball of radius c when it has left it."""

import math

import numpy as np
import pytest

import dropout_playground as dp
from dropout_playground.engine import max_norm


def incoming_norms(net):
    """Each unit's incoming weight norm, layer by layer: weights are stored (inputs, outputs), so a unit's
    incoming vector is a column."""
    return [np.linalg.norm(w, axis=0) for w in net.weights]


def test_a_vector_beyond_the_radius_is_scaled_back_onto_it_and_the_others_are_untouched():
    net = dp.MLP([3, 4, 2], seed=0)
    net.weights[0][:] = [[3.0, 0.1, 0.0, 1.0], [4.0, 0.1, 0.0, 1.0], [0.0, 0.1, 0.0, 1.0]]
    before_output = net.weights[1].copy()
    max_norm(net, 2.0)
    # Column 0 had norm 5: scaled by 2/5, so its direction is kept. Columns of norm 0.17, 0 and √3 stay.
    np.testing.assert_allclose(net.weights[0][:, 0], [1.2, 1.6, 0.0])
    np.testing.assert_array_equal(net.weights[0][:, 1:], [[0.1, 0.0, 1.0], [0.1, 0.0, 1.0], [0.1, 0.0, 1.0]])
    # The output layer's units are not hidden units: the constraint leaves them.
    np.testing.assert_array_equal(net.weights[1], before_output)


def test_training_with_max_norm_keeps_every_hidden_unit_within_the_radius():
    data = dp.two_moons(n_samples=200, noise=0.2, seed=1)
    free = dp.MLP([2, 32, 32, 2], p=0.5, seed=2)
    dp.train(free, data, epochs=30, lr=0.05, seed=3)
    radius = 0.5 * min(norms.max() for norms in incoming_norms(free)[:-1])  # a radius the free run exceeds
    constrained = dp.MLP([2, 32, 32, 2], p=0.5, seed=2)
    dp.train(constrained, data, epochs=30, lr=0.05, seed=3, max_norm=radius)
    for norms in incoming_norms(constrained)[:-1]:
        assert norms.max() <= radius * (1 + 1e-12)
    assert any(np.isclose(norms, radius).any() for norms in incoming_norms(constrained)[:-1])


@pytest.mark.parametrize("radius", [0.0, -1.0, math.inf, math.nan])
def test_a_radius_that_is_not_a_positive_number_is_refused(radius):
    data = dp.two_moons(n_samples=40, seed=0)
    with pytest.raises(ValueError, match="max_norm must be a positive number"):
        dp.Trainer(dp.MLP([2, 4, 2]), data, dp.SGD(dp.MLP([2, 4, 2]).parameters(), lr=0.1), max_norm=radius)
