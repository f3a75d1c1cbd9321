"""Classic and inverted dropout are one family of networks, trained differently (SCIENCE 20).

With W_inverted = (1 − p)·W_classic on the weights out of every dropped layer, both compute the same
output for every mask, in training and in eval. The gradient of those weights is 1/(1 − p) times larger in
the inverted form, so an SGD step on the classic weights is an inverted step with the learning rate times
(1 − p)², and an Adam step (invariant to the scale of a gradient) one with the learning rate times 1 − p.
"""

from functools import partial

import numpy as np
import pytest

from dropout_playground import MLP, SGD, Adam

P = 0.2
Q = 1 - P
SIZES = [3, 5, 4, 2]
RNG = np.random.default_rng(11)
X = RNG.normal(size=(16, 3))
Y = RNG.integers(0, 2, size=16)
# One mask per example and hidden layer, as training draws them.
MASKS = [RNG.random((16, 5)) >= P, RNG.random((16, 4)) >= P]


def classic_and_inverted():
    classic = MLP(SIZES, p=P, scaling="classic", seed=3)
    inverted = MLP(SIZES, p=P, scaling="inverted", seed=3)
    for layer, w in enumerate(inverted.weights):
        if layer > 0:  # the weights out of a dropped layer
            w *= Q
    return classic, inverted


def test_both_forms_compute_the_same_output_for_every_mask_and_in_eval():
    classic, inverted = classic_and_inverted()
    np.testing.assert_allclose(classic(X, MASKS), inverted(X, MASKS), rtol=1e-12)
    one_mask = [np.array([1, 0, 1, 1, 0]), np.array([0, 1, 1, 1])]
    np.testing.assert_allclose(classic(X, one_mask), inverted(X, one_mask), rtol=1e-12)
    classic.eval(), inverted.eval()
    np.testing.assert_allclose(classic(X), inverted(X), rtol=1e-12)


def test_the_inverted_gradient_of_the_outgoing_weights_is_one_over_one_minus_p_times_larger():
    classic, inverted = classic_and_inverted()
    loss_c, grads_c = classic.gradients(X, Y, MASKS)
    loss_i, grads_i = inverted.gradients(X, Y, MASKS)
    assert loss_c == pytest.approx(loss_i, rel=1e-12)
    np.testing.assert_allclose(grads_i.weights[0], grads_c.weights[0], rtol=1e-10)
    for layer in (1, 2):
        np.testing.assert_allclose(grads_i.weights[layer], grads_c.weights[layer] / Q, rtol=1e-10)
    for b_c, b_i in zip(grads_c.biases, grads_i.biases):
        np.testing.assert_allclose(b_i, b_c, rtol=1e-10)


def split(net):
    """The weights out of dropped layers, and every other parameter."""
    outgoing = net.weights[1:]
    others = [net.weights[0], *net.biases]
    return outgoing, others


def gradients_split(net):
    _, grads = net.gradients(X, Y, MASKS)
    return grads.weights[1:], [grads.weights[0], *grads.biases]


# Adam's ε breaks its invariance to the scale of a gradient at the level of ε/|gradient|: a tiny ε makes
# the identity exact to rounding.
@pytest.mark.parametrize(("optimizer", "factor"), [(SGD, Q**2), (partial(Adam, eps=1e-15), Q)])
def test_a_classic_step_is_an_inverted_step_with_a_smaller_learning_rate(optimizer, factor):
    lr = 0.05
    classic, inverted = classic_and_inverted()
    classic_step = optimizer(classic.parameters(), lr=lr)
    outgoing, others = split(inverted)
    # The inverted network's outgoing weights take the learning rate times the factor; the rest lr.
    outgoing_step, others_step = optimizer(outgoing, lr=lr * factor), optimizer(others, lr=lr)
    for _ in range(3):
        _, grads = classic.gradients(X, Y, MASKS)
        classic_step.step(grads.as_list())
        outgoing_grads, other_grads = gradients_split(inverted)
        outgoing_step.step(outgoing_grads)
        others_step.step(other_grads)
    np.testing.assert_allclose(inverted.weights[0], classic.weights[0], rtol=1e-9)
    for layer in (1, 2):
        np.testing.assert_allclose(inverted.weights[layer], Q * classic.weights[layer], rtol=1e-9)
    np.testing.assert_allclose(inverted(X, MASKS), classic(X, MASKS), rtol=1e-9)


def test_with_the_same_learning_rate_the_two_forms_part():
    lr = 0.05
    classic, inverted = classic_and_inverted()
    for net in (classic, inverted):
        step = SGD(net.parameters(), lr=lr)
        _, grads = net.gradients(X, Y, MASKS)
        step.step(grads.as_list())
    assert np.abs(inverted.weights[1] - Q * classic.weights[1]).max() > 1e-4
