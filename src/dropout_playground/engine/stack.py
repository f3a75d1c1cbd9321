"""Several networks of one shape, run and trained side by side.

Where the page trains networks against each other (dropout against none, a deep ensemble beside MC
dropout), each step would pay numpy's fixed cost per call once per network. Stacked, every array gains a
leading axis with one entry per network, so that K small networks cost about as much per step as one:

    z_l[k] = a_{l−1}[k] W_l[k] + b_l[k]         (one batched matrix product for all K networks)

Each network keeps what makes it itself: its own drop probabilities, its own initial weights and its own
mask generator. A stack's forward pass draws each network's masks from that network's generator in the
order ``MLP.forward`` draws them, and its loss is the sum of the networks' own mean losses, so one
optimiser step on the stack is, to rounding, one step of each network on the same minibatch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .datasets import Dataset
from .dropout import Scaling, train_scale
from .flat import FlatArrays
from .functions import (
    Activation,
    Array,
    OutputKind,
    activate,
    activation_derivative,
    log_sigmoid,
    output_function,
    sigmoid,
)
from .losses import class_labels
from .mlp import MLP, Gradients
from .optim import Optimizer
from .training import GuardedStep, Minibatches, take_back_on_divergence


@dataclass(frozen=True)
class StackPass:
    """What a stacked pass used and computed; every array has the networks on its first axis."""

    layer_inputs: list[Array]  # what each linear layer received, after dropout and scaling: (K, batch, units)
    pre_activations: list[Array]
    activations: list[Array]
    # Each dropout layer's mask times its scale, (K, batch, units), inputs first; in training, views of a
    # buffer that the stack's next training pass overwrites.
    factors: list[Array]
    output: Array


class NetworkStack:
    """K networks with the same sizes, activation, output and scaling, each with its own ``p``, ``p_input``,
    weights and mask generator (taken from the networks it is built from, which it leaves untouched)."""

    def __init__(self, nets: Sequence[MLP]) -> None:
        if not nets:
            raise ValueError("a stack needs at least one network")
        first = nets[0]
        for net in nets[1:]:
            same = (net.sizes, net.activation, net.output, net.scaling)
            if same != (first.sizes, first.activation, first.output, first.scaling):
                raise ValueError("every network of a stack needs the same sizes, activation, output and scaling")
        self.sizes = list(first.sizes)
        self.activation: Activation = first.activation
        self.output: OutputKind = first.output
        self.scaling: Scaling = first.scaling
        self.count = len(nets)
        self.p = np.array([net.p for net in nets])
        self.p_input = np.array([net.p_input for net in nets])
        # The networks' own generators continue here: a stack's masks are the ones each network would draw.
        self.rngs = [net.rng for net in nets]
        self.training = True
        self.last_losses: Array = np.zeros(self.count)  # each network's loss on the last minibatch
        # A training pass's random numbers, each unit's drop probability and train scale, in the same layout;
        # built for one batch size and reused while it lasts.
        self._draws: Array = np.empty((self.count, 0))
        self._thresholds: Array = self._draws
        self._scales: Array = self._draws
        self._eval_factors: tuple[tuple[bytes, bytes], list[Array]] | None = None
        shapes = [
            shape
            for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])
            for shape in ((self.count, n_in, n_out), (self.count, n_out))
        ]
        self._parameters = FlatArrays.allocate(shapes)
        self._grads = FlatArrays.allocate(shapes)
        self.weights: list[Array] = self._parameters[0::2]
        self.biases: list[Array] = self._parameters[1::2]
        for k, net in enumerate(nets):
            for stacked, own in zip(self._parameters, net.parameters()):
                stacked[k] = own

    def train(self, mode: bool = True) -> NetworkStack:
        self.training = bool(mode)
        return self

    def eval(self) -> NetworkStack:
        return self.train(False)

    def parameters(self) -> FlatArrays:
        """Every network's weights and biases, stacked, in one flat vector an optimiser updates at once."""
        return self._parameters.view()

    def network(self, k: int) -> MLP:
        """A standalone copy of network ``k``, with its weights as they are now (its generator is not copied)."""
        net = MLP(
            self.sizes,
            p=float(self.p[k]),
            p_input=float(self.p_input[k]),
            activation=self.activation,
            output=self.output,
            scaling=self.scaling,
        )
        for own, stacked in zip(net.parameters(), self._parameters):
            own[...] = stacked[k]
        return net

    # -- forward --------------------------------------------------------------------------------------
    def _factors(self, batch: int, training: bool) -> list[Array]:
        """Mask × scale for the inputs and each hidden layer of every network, (K, batch or 1, units)."""
        widths = [self.sizes[0], *self.sizes[1:-1]]
        drop = [self.p_input, *[self.p] * (len(widths) - 1)]
        if not training:
            # Eval: the identity, or 1 − p on every unit for classic scaling; the same for every batch, so
            # made once for the drop probabilities in force (a figure evaluates far more often than it sets p).
            key = (self.p.tobytes(), self.p_input.tobytes())
            if self._eval_factors is None or self._eval_factors[0] != key:
                factors = [
                    np.broadcast_to(
                        (1.0 - p if self.scaling == "classic" else np.ones(self.count))[:, None, None],
                        (self.count, 1, n),
                    )
                    for p, n in zip(drop, widths)
                ]
                self._eval_factors = (key, factors)
            return list(self._eval_factors[1])
        # One buffer takes every network's draws, (K, batch × (hidden units + inputs)). MLP.forward draws
        # every hidden layer's mask, in layer order, then the inputs' (only when p_input > 0); one call for
        # consecutive draws gives the same numbers as one call per layer, and costs one call, not one a layer.
        hidden = batch * sum(widths[1:])
        total = hidden + batch * widths[0]
        if self._draws.shape[1] != total:
            hidden_part = np.arange(total) < hidden
            self._draws = np.empty((self.count, total))
            self._thresholds = np.where(hidden_part, self.p[:, None], self.p_input[:, None])
            scales = [[train_scale(float(p), self.scaling) for p in drop] for drop in (self.p, self.p_input)]
            self._scales = np.where(hidden_part, np.array(scales[0])[:, None], np.array(scales[1])[:, None])
        draws = self._draws
        for k, rng in enumerate(self.rngs):
            if self.p_input[k] > 0.0:
                rng.random(out=draws[k])
            else:
                rng.random(out=draws[k, :hidden])
                draws[k, hidden:] = 1.0  # kept, whatever the threshold of p_input = 0
        np.greater_equal(draws, self._thresholds, out=draws)  # 1.0 where kept, 0.0 where dropped
        draws *= self._scales
        # Each layer's factors are a view of the buffer, (K, batch, units): the hidden layers', then the inputs'.
        factors, offset = [], 0
        for n in [*widths[1:], widths[0]]:
            factors.append(draws[:, offset : offset + batch * n].reshape(self.count, batch, n))
            offset += batch * n
        return [factors[-1], *factors[:-1]]

    def forward(self, x: ArrayLike, *, training: bool | None = None, outputs: bool = True) -> StackPass:
        """Every network on the batch ``x`` (shared by all, shape (batch, inputs)); in training mode each
        draws its own masks. In eval mode inverted and no scaling are the identity; classic scales by 1 − p.
        With ``outputs=False`` the pass's ``output`` is the logits, not the output function of them."""
        inputs = np.asarray(x, dtype=np.float64)
        if inputs.ndim != 2 or inputs.shape[1] != self.sizes[0]:
            raise ValueError(f"x must have shape (batch, {self.sizes[0]}), got {inputs.shape}")
        training = self.training if training is None else training
        factors = self._factors(len(inputs), training)
        # In eval mode inverted and no scaling multiply by 1: skipped, it is a third of an eval pass's time.
        identity = not training and self.scaling != "classic"
        a = np.broadcast_to(inputs, (self.count, *inputs.shape)) if identity else inputs[None] * factors[0]
        layer_inputs, pre_activations, activations = [a], [], []
        last = len(self.weights) - 1
        for layer, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ w
            z += b[:, None, :]
            pre_activations.append(z)
            if layer == last:
                break
            h = activate(self.activation, z)
            activations.append(h)
            a = h if identity else h * factors[layer + 1]
            layer_inputs.append(a)
        # A training step needs only the logits: its loss works from them.
        output = output_function(self.output, pre_activations[-1]) if outputs else pre_activations[-1]
        return StackPass(layer_inputs, pre_activations, activations, factors, output)

    def predict(self, x: ArrayLike, *, training: bool = False) -> Array:
        """The networks' outputs for ``x``: (K, batch, outputs); eval mode unless asked otherwise."""
        return self.forward(x, training=training).output

    def picture(self, x: ArrayLike) -> NDArray[np.float32]:
        """The eval networks' outputs for many points, in single precision: for drawing (a decision map
        quantised to 256 levels), where it is several times faster and loses nothing visible."""
        a: Any = np.asarray(x, dtype=np.float32)[None]
        if self.scaling == "classic":
            a = a * (1.0 - self.p_input).astype(np.float32)[:, None, None]
        last = len(self.weights) - 1
        for layer, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ w.astype(np.float32) + b.astype(np.float32)[:, None, :]
            if layer == last:
                out: NDArray[np.float32] = output_function(self.output, z).astype(np.float32)
                return out
            a = activate(self.activation, z)
            if self.scaling == "classic":
                a = a * (1.0 - self.p).astype(np.float32)[:, None, None]
        raise AssertionError("unreachable: a network has at least one layer")

    # -- loss and backward ----------------------------------------------------------------------------
    def losses(self, x: ArrayLike, y: ArrayLike, *, training: bool = False) -> Array:
        """Each network's mean loss on (x, y): (K,). Eval mode unless asked otherwise."""
        return stacked_loss_and_gradient(self.output, self.forward(x, training=training).pre_activations[-1], y)[0]

    def gradients(self, x: Array, y: NDArray[np.generic]) -> tuple[float, Gradients]:
        """The sum of the networks' mean losses on one minibatch (each in the current mode), and the
        gradients of every network's parameters, stacked like ``parameters()``. The gradient arrays are
        reused by the next call."""
        pass_ = self.forward(x, outputs=False)
        losses, grad_z = stacked_loss_and_gradient(self.output, pass_.pre_activations[-1], y)
        self.last_losses = losses
        grads = self._grads
        for layer in range(len(self.weights) - 1, -1, -1):
            np.matmul(pass_.layer_inputs[layer].transpose(0, 2, 1), grad_z, out=grads[2 * layer])
            np.sum(grad_z, axis=1, out=grads[2 * layer + 1])
            if layer == 0:
                break
            grad_h = grad_z @ self.weights[layer].transpose(0, 2, 1)
            grad_h *= pass_.factors[layer]
            z, h = pass_.pre_activations[layer - 1], pass_.activations[layer - 1]
            grad_h *= activation_derivative(self.activation, z, h)
            grad_z = grad_h
        return float(losses.sum()), Gradients(parameters=grads, inputs=np.empty(0))


def stacked_loss_and_gradient(kind: OutputKind, logits: Array, y: ArrayLike) -> tuple[Array, Array]:
    """Each network's mean loss over the batch, (K,), and its gradient with respect to its own logits,
    (K, batch, outputs): ``losses.loss_and_gradient`` for every network at once."""
    batch, outputs = logits.shape[1:]
    if kind == "softmax":
        given = np.asarray(y)
        fit = given.dtype.kind in "iu" and given.shape == (batch,) and given.min() >= 0 and given.max() < outputs
        # Anything but whole labels in range goes through class_labels, which says what is wrong with it.
        labels = given if fit else class_labels(y, outputs, batch)
        shifted = logits - logits.max(axis=2, keepdims=True)
        exps = np.exp(shifted)
        totals = exps.sum(axis=2)
        rows = np.arange(batch)
        losses: Array = -(shifted[:, rows, labels] - np.log(totals)).mean(axis=1)
        grad = exps / totals[:, :, None]
        grad[:, rows, labels] -= 1.0
        grad /= batch
        return losses, grad
    targets = np.asarray(y, dtype=np.float64).reshape(batch, -1)
    if targets.shape[1] != outputs:
        raise ValueError(f"targets have shape {targets.shape}, but the networks output {outputs} values")
    count = batch * outputs
    if kind == "sigmoid":
        terms = targets * log_sigmoid(logits) + (1.0 - targets) * log_sigmoid(-logits)
        losses = -terms.reshape(len(logits), count).sum(axis=1) / count
        return losses, (sigmoid(logits) - targets) / count
    residual = logits - targets
    squares = residual * residual
    losses = squares.reshape(len(logits), count).sum(axis=1) / count
    residual *= 2.0 / count
    return losses, residual


class StackTrainer:
    """Trains every network of ``stack`` on the same minibatches of ``data``, one step per ``step()``,
    with one optimiser over the stacked parameters (per-weight rules such as Adam's and SGD's then act on
    each network as they would on it alone)."""

    def __init__(
        self, stack: NetworkStack, data: Dataset, optimizer: Optimizer, *, batch_size: int = 32, seed: int = 0
    ) -> None:
        if data.n_features != stack.sizes[0]:
            raise ValueError(f"the data has {data.n_features} features, the networks {stack.sizes[0]} inputs")
        self.stack, self.data, self.optimizer = stack, data, optimizer
        self.batches = Minibatches(len(data.x_train), batch_size, np.random.default_rng(seed))
        self.steps = 0
        self._step = GuardedStep(optimizer)

    def step(self) -> Array:
        """One step of every network on the next minibatch; returns each network's training loss (K,). A
        step that diverges (``TrainingDiverged``) is taken back: the weights, and the minibatches and masks
        to come, are as they were before it."""

        def guarded() -> None:
            batch = self.batches.next()
            self._step(self.stack, self.data.x_train[batch], self.data.y_train[batch], self.steps + 1)

        take_back_on_divergence(guarded, self.batches, self.stack.rngs)
        self.steps += 1
        losses: Array = self.stack.last_losses.copy()
        return losses
