"""Networks trained side by side: a step of the stack is a step of each network, as it would take alone."""

import numpy as np
import pytest

from dropout_playground import MLP, Adam, Trainer, TrainingDiverged, blobs, noisy_sine
from dropout_playground.engine.stack import NetworkStack, StackTrainer

SINE = noisy_sine(n_samples=40, seed=1)
BLOBS = blobs(n_samples=90, seed=1)


def networks(sizes, ps, seeds, **options):
    return [MLP(sizes, p=p, seed=seed, **options) for p, seed in zip(ps, seeds)]


@pytest.mark.parametrize(
    ("sizes", "options", "data"),
    [
        ([1, 16, 16, 1], {"output": "linear"}, SINE),
        ([2, 8, 3], {}, BLOBS),
        ([2, 6, 5, 3], {"p_input": 0.2, "activation": "tanh"}, BLOBS),
        ([2, 6, 3], {"scaling": "classic"}, BLOBS),
    ],
)
def test_training_a_stack_is_training_each_network_alone(sizes, options, data):
    ps, seeds = [0.0, 0.5, 0.2], [3, 3, 4]  # two networks from the same initial weights, one from others
    alone = networks(sizes, ps, seeds, **options)
    trainers = [Trainer(net, data, Adam(net.parameters(), lr=0.01), batch_size=16, seed=7) for net in alone]
    stacked_nets = networks(sizes, ps, seeds, **options)
    stack = NetworkStack(stacked_nets)
    stack_trainer = StackTrainer(stack, data, Adam(stack.parameters(), lr=0.01), batch_size=16, seed=7)
    for _ in range(60):
        losses = stack_trainer.step()
        own = [trainer.step() for trainer in trainers]
        np.testing.assert_allclose(losses, own, rtol=1e-10)
    for k, net in enumerate(alone):
        copy = stack.network(k)
        for a, b in zip(copy.parameters(), net.parameters()):
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(stack.predict(data.x_test)[k], net.eval()(data.x_test), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(stack.losses(data.x_test, data.y_test)[k], net.loss(data.x_test, data.y_test))


def test_networks_with_and_without_input_dropout_draw_their_own_masks_in_one_stack():
    # Only the second network drops inputs: each must still draw exactly the numbers it draws alone.
    def pair():
        return [MLP([2, 7, 3], p=0.3, p_input=q, seed=5) for q in (0.0, 0.4)]

    alone = pair()
    trainers = [Trainer(net, BLOBS, Adam(net.parameters(), lr=0.01), batch_size=16, seed=2) for net in alone]
    stack = NetworkStack(pair())
    stack_trainer = StackTrainer(stack, BLOBS, Adam(stack.parameters(), lr=0.01), batch_size=16, seed=2)
    for _ in range(30):
        np.testing.assert_allclose(stack_trainer.step(), [trainer.step() for trainer in trainers], rtol=1e-10)


def test_the_networks_keep_their_own_p_and_their_own_masks():
    stack = NetworkStack(networks([2, 50, 3], [0.0, 0.5, 0.9], [1, 1, 1]))
    factors = stack.forward(BLOBS.x_train).factors[1]  # the hidden layer's mask × scale
    assert np.all(factors[0] == 1.0)  # p = 0: every unit kept, no scaling
    # Kept units are scaled by 1/(1 − p): 2 at p = 0.5, 10 at p = 0.9.
    np.testing.assert_allclose(np.unique(factors[1]), [0.0, 1 / (1 - 0.5)])
    np.testing.assert_allclose(np.unique(factors[2]), [0.0, 1 / (1 - 0.9)])
    # Kept shares: Binomial(n, 1 − p) over n = 60 × 50 units; 6σ bounds.
    n = factors[1].size
    for k, p in ((1, 0.5), (2, 0.9)):
        kept = np.count_nonzero(factors[k])
        assert abs(kept - n * (1 - p)) <= 6 * np.sqrt(n * p * (1 - p))


def test_eval_mode_is_deterministic_and_uses_every_unit():
    stack = NetworkStack(networks([2, 8, 3], [0.5, 0.5], [1, 2])).eval()
    first, second = stack.predict(BLOBS.x_test), stack.predict(BLOBS.x_test)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(first[1], stack.network(1).eval()(BLOBS.x_test), rtol=1e-12)


def test_a_stack_needs_networks_of_one_shape():
    with pytest.raises(ValueError, match="the same sizes"):
        NetworkStack([MLP([2, 4, 3]), MLP([2, 5, 3])])
    with pytest.raises(ValueError, match="at least one network"):
        NetworkStack([])


def test_a_diverging_stack_keeps_its_last_finite_weights():
    stack = NetworkStack(networks([1, 16, 1], [0.0, 0.5], [0, 1], output="linear"))
    trainer = StackTrainer(stack, SINE, Adam(stack.parameters(), lr=1e300), batch_size=8, seed=0)
    with pytest.raises(TrainingDiverged, match="training diverged at step"):
        for _ in range(5):
            trainer.step()
    assert trainer.steps < 5
    assert np.all(np.isfinite(stack.parameters().flat))


@pytest.mark.parametrize("scaling", ["inverted", "classic"])
def test_a_picture_is_the_eval_output_in_single_precision(scaling):
    stack = NetworkStack(networks([2, 16, 16, 3], [0.0, 0.5], [1, 2], scaling=scaling, p_input=0.2))
    grid = np.random.default_rng(0).uniform(-2, 2, (500, 2))
    picture = stack.picture(grid)
    assert picture.dtype == np.float32
    # float32 carries about 7 digits: well within one of the 256 levels a map is drawn with.
    np.testing.assert_allclose(picture, stack.predict(grid), atol=1e-5)


@pytest.mark.parametrize("labels", [np.array([0, 1, 3]), np.array([0, -1, 2]), np.array([0.5, 1.0, 2.0])])
def test_labels_out_of_range_are_refused_clearly(labels):
    stack = NetworkStack(networks([2, 4, 3], [0.0, 0.5], [0, 1]))
    with pytest.raises(ValueError, match="class labels must"):
        stack.gradients(np.zeros((3, 2)), labels)
