"""Networks trained exactly as the playground trains its own when it opens, once per process.

The ensemble figures show sub-networks of the playground's network. Training takes a few hundred
milliseconds, so each (dataset, hidden sizes, seed) is trained once, by whichever session asks first, and
its weights are then shared read-only: each figure loads them into a network of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import MLP, Dataset
from ..engine.functions import Array
from .compute_once import ComputeOnceCache
from .live_training import train_steps
from .playground import PRETRAIN_STEPS, PlaygroundSettings, playground_data, playground_trainer

TRAINED_P = PlaygroundSettings().p  # the playground opens trained at this p for PRETRAIN_STEPS steps
NETWORKS_KEPT = 16


@dataclass(frozen=True)
class TrainedNetwork:
    """Trained weights (read-only) and the data they were trained on."""

    sizes: tuple[int, ...]
    state: dict[str, Array]
    data: Dataset

    def at(self, p: float, seed: int) -> MLP:
        """A network of its own with these weights, whose sub-networks drop units with probability ``p``."""
        return MLP(list(self.sizes), p=p, seed=seed).load_state_dict(self.state)


def _train(dataset: str, hidden: tuple[int, ...], seed: int) -> TrainedNetwork:
    data = playground_data(dataset)
    assert data.n_classes is not None
    # The same steps as Playground(PlaygroundSettings(dataset, hidden, seed)) takes when it opens.
    net = MLP([2, *hidden, data.n_classes], p=TRAINED_P, seed=seed)
    trainer = playground_trainer(net, data, seed)
    train_steps(trainer, PRETRAIN_STEPS)
    state = net.state_dict()
    for array in (*state.values(), data.x_train, data.y_train, data.x_test, data.y_test):
        array.flags.writeable = False
    return TrainedNetwork(tuple(net.sizes), state, data)


_networks: ComputeOnceCache[tuple[str, tuple[int, ...], int], TrainedNetwork] = ComputeOnceCache(NETWORKS_KEPT)


def trained_playground_network(dataset: str, hidden: tuple[int, ...], seed: int) -> TrainedNetwork:
    """The network ``dataset``, ``hidden`` and ``seed`` give the playground when it opens, trained once."""
    key = (dataset, tuple(hidden), seed)
    return _networks.get(key, lambda: _train(*key))
