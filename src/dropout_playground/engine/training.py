"""Minibatch training with seeded shuffling, a per-epoch history, and a clear stop when a run diverges."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from . import constraints
from .datasets import Dataset
from .flat import all_finite
from .functions import Array
from .losses import loss_and_gradient
from .metrics import accuracy
from .mlp import MLP, Gradients
from .optim import SGD, Adam, Optimizer

T = TypeVar("T")


class TrainingDiverged(FloatingPointError, ValueError):
    """The loss or the weights stopped being finite. The network keeps its last finite weights, and the
    trainer takes the step back whole. A ``ValueError`` too: like any value that does not work, it is the
    caller's to report, wherever a refused value is reported."""

    def __init__(self, step: int, lr: float, loss: float) -> None:
        super().__init__(
            f"training diverged at step {step} with learning rate {lr:g} (loss = {loss}); the weights from "
            f"before that step are kept. Try a smaller learning rate."
        )
        self.step, self.lr, self.loss = step, lr, loss


@dataclass(frozen=True)
class EpochRecord:
    """Losses (and accuracies, for classification) at the end of an epoch, measured in eval mode."""

    epoch: int
    step: int
    train_loss: float
    test_loss: float | None
    train_accuracy: float | None
    test_accuracy: float | None


@dataclass
class History:
    records: list[EpochRecord] = field(default_factory=list)

    def column(self, name: str) -> list[float | None]:
        return [getattr(record, name) for record in self.records]

    @property
    def train_loss(self) -> list[float]:
        return [record.train_loss for record in self.records]

    @property
    def test_loss(self) -> list[float | None]:
        return self.column("test_loss")

    @property
    def train_accuracy(self) -> list[float | None]:
        return self.column("train_accuracy")

    @property
    def test_accuracy(self) -> list[float | None]:
        return self.column("test_accuracy")


def make_optimizer(name: str, net: MLP, lr: float) -> Optimizer:
    if name == "adam":
        return Adam(net.parameters(), lr=lr)
    if name == "sgd":
        return SGD(net.parameters(), lr=lr, momentum=0.9)
    raise ValueError(f"optimizer must be 'adam' or 'sgd', got {name!r}")


class Trainable(Protocol):
    """What a training step needs of a model: a network, or a stack of networks trained side by side."""

    training: bool

    def train(self, mode: bool = True) -> object: ...

    def gradients(self, x: Array, y: NDArray[Any]) -> tuple[float, Gradients]: ...


class Minibatches:
    """The indices of a training set, ``batch_size`` at a time, in a new order each epoch drawn from ``rng``."""

    def __init__(self, n: int, batch_size: int, rng: np.random.Generator) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive whole number, got {batch_size!r}")
        self.batch_size = batch_size
        self.rng = rng
        self._order = rng.permutation(n)
        self._position = 0
        # Where the last next() started: the order, the position, and the generator's state before it drew
        # a new order (None when it drew none).
        self._before: tuple[NDArray[np.intp], int, Mapping[str, Any] | None] = (self._order, 0, None)

    @property
    def epoch_done(self) -> bool:
        return self._position >= len(self._order)

    def next(self) -> NDArray[np.intp]:
        self._before = (self._order, self._position, None)
        if self.epoch_done:
            self._before = (self._order, self._position, self.rng.bit_generator.state)
            self._order = self.rng.permutation(len(self._order))
            self._position = 0
        batch: NDArray[np.intp] = self._order[self._position : self._position + self.batch_size]
        self._position += len(batch)
        return batch

    def take_back(self) -> None:
        """Undo the last ``next()``: the next call returns the same batch again."""
        self._order, self._position, state = self._before
        if state is not None:
            self.rng.bit_generator.state = state


class StreamMarks:
    """Where some random generators stand, to put them back there."""

    def __init__(self, generators: Sequence[np.random.Generator]) -> None:
        self._marks = [(generator, generator.bit_generator.state) for generator in generators]

    def restore(self) -> None:
        for generator, state in self._marks:
            generator.bit_generator.state = state


def take_back_on_divergence(step: Callable[[], T], batches: Minibatches, masks: Sequence[np.random.Generator]) -> T:
    """``step()``, one training step that takes a minibatch from ``batches`` and draws its masks from the
    generators ``masks``. If it diverges, it is taken back whole before ``TrainingDiverged`` goes on: the
    next step draws the same minibatch and the same masks, as a replay of the steps that did succeed
    (a figure's link) would."""
    marks = StreamMarks(masks)
    try:
        return step()
    except TrainingDiverged:
        batches.take_back()
        marks.restore()
        raise


class GuardedStep:
    """One optimiser step that never leaves non-finite weights: a step whose loss, gradients or result is
    not finite raises ``TrainingDiverged`` and puts the weights back as they were before it."""

    def __init__(self, optimizer: Optimizer) -> None:
        self.optimizer = optimizer
        self._snapshot = [vector.copy() for vector in optimizer.vectors]

    def __call__(self, model: Trainable, x: Array, y: NDArray[Any], step: int) -> float:
        optimizer = self.optimizer
        was_training = model.training
        model.train()
        # Overflow is caught below and reported as TrainingDiverged; numpy's own warnings would only repeat it.
        with np.errstate(over="ignore", invalid="ignore"):
            try:
                loss, grads = model.gradients(x, y)
            finally:
                model.train(was_training)
            grad_list = grads.as_list()
            if not (np.isfinite(loss) and all_finite(grad_list)):
                raise TrainingDiverged(step, optimizer.lr, loss)
            for saved, vector in zip(self._snapshot, optimizer.vectors):
                np.copyto(saved, vector)
            optimizer.step(grad_list)
            if not all_finite(optimizer.vectors):
                for saved, vector in zip(self._snapshot, optimizer.vectors):
                    np.copyto(vector, saved)
                raise TrainingDiverged(step, optimizer.lr, loss)
        return loss


class Trainer:
    """Trains ``net`` on ``data`` one minibatch per ``step()``; ``fit(epochs)`` runs whole epochs.

    Each epoch visits the training set in a new order drawn from ``seed``. Training always runs in train
    mode; evaluation at the end of each epoch in eval mode; the net's own mode is restored afterwards.
    ``max_norm`` (a radius c, or ``None``) constrains every hidden unit's incoming weights to length ≤ c after
    each step, as Srivastava et al. (2014) did with dropout.
    """

    def __init__(
        self,
        net: MLP,
        data: Dataset,
        optimizer: Optimizer,
        *,
        batch_size: int = 32,
        seed: int = 0,
        max_norm: float | None = None,
    ):
        if data.n_features != net.sizes[0]:
            raise ValueError(f"the data has {data.n_features} features, the network {net.sizes[0]} inputs")
        self.max_norm = None if max_norm is None else constraints.check_max_norm(max_norm)
        self.net, self.data, self.optimizer = net, data, optimizer
        self.rng = np.random.default_rng(seed)
        self.batches = Minibatches(len(data.x_train), batch_size, self.rng)
        self.batch_size = batch_size
        self.history = History()
        self.steps = 0
        self.epochs = 0
        self._step = GuardedStep(optimizer)

    def step(self) -> float:
        """One optimisation step on the next minibatch; returns its training loss. A step that diverges
        (``TrainingDiverged``) is taken back: the weights, and the minibatches and masks to come, are as
        they were before it."""

        def guarded() -> float:
            batch = self.batches.next()
            loss = self._step(self.net, self.data.x_train[batch], self.data.y_train[batch], self.steps + 1)
            if self.max_norm is not None:  # on finite weights only: a diverged step never gets here
                constraints.max_norm(self.net, self.max_norm)
            return loss

        loss = take_back_on_divergence(guarded, self.batches, [self.net.rng])
        self.steps += 1
        if self.batches.epoch_done:
            self.epochs += 1
        return loss

    def fit(self, epochs: int) -> History:
        """Train for ``epochs`` whole epochs, appending one evaluation per epoch to ``history``."""
        for _ in range(epochs):
            while True:
                self.step()
                if self.batches.epoch_done:
                    break
            self.history.records.append(self.evaluate())
        return self.history

    def evaluate(self) -> EpochRecord:
        data = self.data
        train_loss, train_acc = self._measure(data.x_train, data.y_train)
        test_loss, test_acc = self._measure(data.x_test, data.y_test) if len(data.x_test) else (None, None)
        return EpochRecord(self.epochs, self.steps, train_loss, test_loss, train_acc, test_acc)

    def _measure(self, x: Array, y: Array) -> tuple[float, float | None]:
        net = self.net
        pass_ = net.forward(x, record=False, training=False)
        loss = loss_and_gradient(net.output, pass_.logits, y)[0]
        acc = accuracy(pass_.output, y) if self.data.is_classification else None
        return loss, acc


def train(
    net: MLP,
    data: Dataset,
    *,
    epochs: int = 100,
    lr: float = 0.01,
    optimizer: str = "adam",
    batch_size: int = 32,
    seed: int = 0,
    max_norm: float | None = None,
) -> History:
    """Train ``net`` on ``data`` and return its history: ``train(MLP([2, 8, 3], p=0.2), blobs(), epochs=50)``."""
    trainer = Trainer(
        net, data, make_optimizer(optimizer, net, lr), batch_size=batch_size, seed=seed, max_norm=max_norm
    )
    return trainer.fit(epochs)
