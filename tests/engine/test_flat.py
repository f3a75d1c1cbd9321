"""Arrays that share one flat vector, and copies of what holds them."""

import copy

import numpy as np
import pytest

from dropout_playground import MLP, Adam, NetworkStack, StackTrainer, Trainer, blobs


def train(trainer, steps: int) -> list[np.ndarray]:
    """``steps`` steps; then copies of the weights and biases the trained model computes with."""
    for _ in range(steps):
        trainer.step()
    model = trainer.stack if isinstance(trainer, StackTrainer) else trainer.net
    return [array.copy() for array in (*model.weights, *model.biases)]


@pytest.mark.parametrize("stacked", [False, True], ids=["network", "stack of networks"])
def test_a_deep_copy_trains_exactly_as_the_original_and_leaves_it_alone(stacked):
    data = blobs(n_samples=120, seed=0)
    if stacked:
        stack = NetworkStack([MLP([2, 8, 8, 3], p=p, seed=0) for p in (0.0, 0.5)])
        trainer = StackTrainer(stack, data, Adam(stack.parameters(), lr=0.01), batch_size=16, seed=0)
    else:
        net = MLP([2, 8, 8, 3], p=0.5, seed=0)
        trainer = Trainer(net, data, Adam(net.parameters(), lr=0.01), batch_size=16, seed=0)
    before = train(trainer, 5)
    twin = copy.deepcopy(trainer)
    trained_copy = train(twin, 20)
    for original, copied in zip(train(trainer, 0), before):
        np.testing.assert_array_equal(original, copied)  # training the copy left the original alone
    assert not np.array_equal(trained_copy[0], before[0])
    for original, copied in zip(train(trainer, 20), trained_copy):
        np.testing.assert_array_equal(original, copied)
