"""Training the lab's networks on the UCI digits: one recipe, written once, for every experiment that needs a
trained network. The split is fixed (``split_seed``); a run's own seed draws the initial weights, the order
of the minibatches and every dropout mask."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from ..engine import MLP, Adam, Dataset, Trainer, digits
from .experiment import Settings

# The literature's recipe (SCIENCE.md item 12): drop half the hidden units and a fifth of the inputs.
PAPER_HIDDEN_P = 0.5
PAPER_INPUT_P = 0.2
# The digits network of the digits and Monte-Carlo experiments (the same networks, seed for seed), and how
# long it trains: dropout nets train 2–3 times longer than standard ones (Srivastava et al. 2014); 300 epochs
# leave both recipes' test errors flat.
DIGITS_HIDDEN = (256, 256)
TEST_FRACTION = 0.25
SPLIT_SEED = 0


def digits_epochs(*, quick: bool) -> int:
    return 15 if quick else 300


def training_settings(*, epochs: int) -> Settings:
    """How every lab network is trained: Adam, minibatches of 32, a fixed number of epochs (no early
    stopping: the error reported is the one at the end, as a reader rerunning it would get)."""
    return {
        "data": "UCI handwritten digits, 8 × 8 (1,797 images)",
        "test_fraction": TEST_FRACTION,
        "split_seed": SPLIT_SEED,
        "optimizer": "adam",
        "lr": 1e-3,
        "batch_size": 32,
        "epochs": epochs,
        "activation": "relu",
    }


@functools.lru_cache(maxsize=1)
def digits_split() -> Dataset:
    """The lab's one split, read once per process."""
    return digits(test_fraction=TEST_FRACTION, seed=SPLIT_SEED)


def trained_network(
    training: Settings, *, hidden: list[int], p: float, p_input: float, seed: int, curves: bool = False
) -> tuple[MLP, dict[str, list[float]]]:
    """A network 64 → hidden… → 10 trained on the digits, and (with ``curves``) its train and test error
    and loss after every epoch, measured in eval mode."""
    data = digits_split()
    net = MLP([data.n_features, *hidden, 10], p=p, p_input=p_input, activation=training["activation"], seed=seed)
    trainer = Trainer(
        net, data, Adam(net.parameters(), lr=training["lr"]), batch_size=training["batch_size"], seed=seed
    )
    history: dict[str, list[float]] = {
        "epoch": [],
        "train_error": [],
        "test_error": [],
        "train_loss": [],
        "test_loss": [],
    }
    for _ in range(training["epochs"]):
        trainer.fit(1)
        if curves:
            record = trainer.history.records[-1]
            history["epoch"].append(record.epoch)
            history["train_error"].append(1.0 - _number(record.train_accuracy))
            history["test_error"].append(1.0 - _number(record.test_accuracy))
            history["train_loss"].append(record.train_loss)
            history["test_loss"].append(_number(record.test_loss))
    return net.eval(), history


def test_error(net: MLP) -> float:
    """The eval network's (weight scaling's) error on the test digits."""
    data = digits_split()
    output = net.forward(data.x_test, record=False, training=False).output
    return error_of(output, data.y_test)


def train_error(net: MLP) -> float:
    data = digits_split()
    output = net.forward(data.x_train, record=False, training=False).output
    return error_of(output, data.y_train)


def largest_incoming_norm(net: MLP) -> float:
    """The longest incoming weight vector of any hidden unit: what a max-norm constraint would bound."""
    return float(max(np.linalg.norm(weights, axis=0).max() for weights in net.weights[:-1]))


def error_of(probabilities: Any, labels: Any) -> float:
    """The fraction of examples whose most probable class is not their label."""
    return float(np.mean(np.argmax(probabilities, axis=-1) != labels))


def _number(value: float | None) -> float:
    if value is None:
        raise ValueError("the digits are a classification task: every evaluation has an accuracy")
    return float(value)
