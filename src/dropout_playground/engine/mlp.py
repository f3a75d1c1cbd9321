"""A multilayer perceptron with dropout on its hidden units, written out by hand.

    a₀ = x ⊙ m₀ · s(p_input)                     (input dropout, off unless p_input > 0)
    z_l = a_{l−1} W_l + b_l,   h_l = f(z_l)        (hidden layers l = 1 … L−1)
    a_l = h_l ⊙ m_l · s(p),    m_l ~ Bernoulli(1 − p)
    output = g(a_{L−1} W_L + b_L)               (g: softmax, sigmoid or identity)

``s`` is the dropout scaling (see ``dropout.py``): ``1/(1 − p)`` in training for inverted dropout. Weights
are stored as ``(inputs, outputs)`` so that a batch of row vectors ``x`` computes ``x @ W + b``; PyTorch's
``nn.Linear`` stores the transpose. Modes follow PyTorch: ``net.train()``, ``net.eval()``, ``net.training``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .dropout import Scaling, check_drop_probability, check_scaling, eval_scale, sample_mask, train_scale
from .flat import FlatArrays
from .functions import (
    ACTIVATIONS,
    OUTPUTS,
    Activation,
    Array,
    OutputKind,
    activate,
    activation_derivative,
    output_function,
)
from .losses import loss_and_gradient

Mask = NDArray[np.bool_]


@dataclass(frozen=True)
class ForwardPass:
    """Everything one forward pass used and computed, in the order the data flowed.

    ``masks[l]`` is the keep-mask of hidden layer ``l`` as a ``(batch, units)`` array (all True in eval
    mode); ``input_mask`` likewise for the inputs. ``layer_inputs[l]`` is what linear layer ``l`` received
    (after dropout and scaling), ``pre_activations[l]`` what it computed (the logits, for the last layer),
    ``activations[l]`` the hidden layer's output before dropout.
    """

    training: bool
    input_mask: Mask
    masks: list[Mask]
    layer_inputs: list[Array]
    pre_activations: list[Array]
    activations: list[Array]
    output: Array

    @property
    def logits(self) -> Array:
        return self.pre_activations[-1]


@dataclass(frozen=True)
class Gradients:
    """Gradients of the loss: ``parameters`` in the order of ``MLP.parameters()`` (W₁, b₁, W₂, b₂, …,
    sharing one flat vector), and the gradient with respect to the inputs."""

    parameters: FlatArrays
    inputs: Array

    @property
    def weights(self) -> list[Array]:
        return self.parameters[0::2]

    @property
    def biases(self) -> list[Array]:
        return self.parameters[1::2]

    def as_list(self) -> FlatArrays:
        """W₁, b₁, W₂, b₂, …: what ``optimizer.step`` takes."""
        return self.parameters.view()


class MLP:
    """A fully connected network ``sizes[0] → … → sizes[-1]`` with dropout after every hidden layer.

    ``p`` is the drop probability of hidden units, ``p_input`` that of the inputs (0: none). Weights and
    biases start as in PyTorch's ``nn.Linear``: uniform in ±1/√fan_in. ``seed`` seeds both the initial
    weights and the stream of masks, so a seed reproduces every mask of every pass.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        *,
        p: float = 0.5,
        p_input: float = 0.0,
        activation: Activation = "relu",
        output: OutputKind = "softmax",
        scaling: Scaling = "inverted",
        seed: int | None = None,
    ) -> None:
        sizes = list(sizes)
        if len(sizes) < 2 or any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in sizes):
            raise ValueError(f"sizes must list at least two positive layer widths, got {sizes!r}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        if output not in OUTPUTS:
            raise ValueError(f"output must be one of {OUTPUTS}, got {output!r}")
        if output == "softmax" and sizes[-1] < 2:
            raise ValueError("a softmax output needs at least 2 classes; use output='sigmoid' for one")
        self.sizes = sizes
        self.p = p
        self.p_input = p_input
        self.activation: Activation = activation
        self.output: OutputKind = output
        self.scaling = check_scaling(scaling)
        self.seed = seed
        self.training = True
        self.last_pass: ForwardPass | None = None
        # Weights and biases are views into one flat vector, which optimisers update in one operation.
        self._parameters = FlatArrays.allocate(self._parameter_shapes())
        self.weights: list[Array] = self._parameters[0::2]
        self.biases: list[Array] = self._parameters[1::2]
        self.reset()

    # -- settings ---------------------------------------------------------------------------------
    @property
    def p(self) -> float:
        return self._p

    @p.setter
    def p(self, value: float) -> None:
        self._p = check_drop_probability(value, "p")

    @property
    def p_input(self) -> float:
        return self._p_input

    @p_input.setter
    def p_input(self, value: float) -> None:
        self._p_input = check_drop_probability(value, "p_input")

    @property
    def hidden_sizes(self) -> list[int]:
        return self.sizes[1:-1]

    def __repr__(self) -> str:
        arrows = " → ".join(map(str, self.sizes))
        return (
            f"MLP({arrows}, p={self.p}, p_input={self.p_input}, activation={self.activation!r}, "
            f"output={self.output!r}, scaling={self.scaling!r}, training={self.training})"
        )

    # -- state ------------------------------------------------------------------------------------
    def _parameter_shapes(self) -> list[tuple[int, ...]]:
        return [shape for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]) for shape in ((n_in, n_out), (n_out,))]

    def reset(self, seed: int | None = None) -> MLP:
        """Draw fresh initial weights and restart the mask stream from ``seed`` (default: the net's own).

        The arrays are refilled in place, so optimisers built on ``parameters()`` keep working.
        """
        if seed is not None:
            self.seed = seed
        self.rng = np.random.default_rng(self.seed)
        for w, b in zip(self.weights, self.biases):
            bound = 1.0 / math.sqrt(w.shape[0])
            w[...] = self.rng.uniform(-bound, bound, w.shape)
            b[...] = self.rng.uniform(-bound, bound, b.shape)
        self.last_pass = None
        return self

    def train(self, mode: bool = True) -> MLP:
        self.training = bool(mode)
        return self

    def eval(self) -> MLP:
        return self.train(False)

    def parameters(self) -> FlatArrays:
        """W₁, b₁, W₂, b₂, …: the arrays themselves, which optimisers update in place."""
        return self._parameters.view()

    def state_dict(self) -> dict[str, Array]:
        """Copies of the weights and biases, keyed ``weight.0``, ``bias.0``, ``weight.1`` …"""
        state = {}
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            state[f"weight.{i}"], state[f"bias.{i}"] = w.copy(), b.copy()
        return state

    def load_state_dict(self, state: Mapping[str, ArrayLike]) -> MLP:
        """Copy weights and biases from ``state``; nothing changes unless every entry fits."""
        expected = {name: a.shape for name, a in zip(self.state_dict(), self.parameters())}
        missing = sorted(set(expected) - set(state))
        unexpected = sorted(set(state) - set(expected))
        if missing or unexpected:
            raise KeyError(f"state_dict does not fit this network: missing {missing}, unexpected {unexpected}")
        arrays = {name: np.asarray(state[name], dtype=np.float64) for name in expected}
        for name, shape in expected.items():
            if arrays[name].shape != shape:
                raise ValueError(f"{name} has shape {arrays[name].shape}, this network needs {shape}")
            if not np.all(np.isfinite(arrays[name])):
                raise ValueError(f"{name} contains NaN or infinite values")
        for name, target in zip(expected, self.parameters()):
            np.copyto(target, arrays[name])
        return self

    # -- forward ----------------------------------------------------------------------------------
    def __call__(
        self, x: ArrayLike, masks: Sequence[ArrayLike] | None = None, *, input_mask: ArrayLike | None = None
    ) -> Array:
        """The network's outputs for the batch ``x``: class probabilities, for softmax and sigmoid outputs."""
        return self.forward(x, masks, input_mask=input_mask).output

    def forward(
        self,
        x: ArrayLike,
        masks: Sequence[ArrayLike] | None = None,
        *,
        input_mask: ArrayLike | None = None,
        record: bool = True,
        training: bool | None = None,
    ) -> ForwardPass:
        """One forward pass; its record is kept in ``last_pass`` unless ``record=False``. ``training``
        overrides the network's mode for this pass only.

        Given explicit ``masks`` (one per hidden layer, 1 = kept, shaped ``(units,)`` for one mask shared by
        the batch or ``(batch, units)``) the pass runs that sub-network with training-time scaling,
        whatever the mode, and keeps every input unless ``input_mask`` is given too. Otherwise masks are
        drawn from the network's generator in training mode, and every unit is kept in eval mode.
        """
        inputs = self._check_inputs(x)
        batch = inputs.shape[0]
        explicit = masks is not None or input_mask is not None
        mode = self.training if training is None else training
        sampling = mode and not explicit
        training = mode or explicit
        hidden_masks = self._hidden_masks(masks, batch, sampling)
        if input_mask is not None:
            in_mask = _check_mask(input_mask, batch, self.sizes[0], "input_mask")
        elif sampling and self.p_input > 0.0:
            in_mask = sample_mask((batch, self.sizes[0]), self.p_input, self.rng)
        else:
            in_mask = _all_kept(batch, self.sizes[0])

        a = _apply_dropout(inputs, in_mask, self.p_input, self.scaling, training)
        layer_inputs, pre_activations, activations = [a], [], []
        last = len(self.weights) - 1
        for layer, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ w + b
            pre_activations.append(z)
            if layer == last:
                break
            h = activate(self.activation, z)
            activations.append(h)
            a = _apply_dropout(h, hidden_masks[layer], self.p, self.scaling, training)
            layer_inputs.append(a)
        result = ForwardPass(
            training=training,
            input_mask=in_mask,
            masks=hidden_masks,
            layer_inputs=layer_inputs,
            pre_activations=pre_activations,
            activations=activations,
            output=output_function(self.output, pre_activations[-1]),
        )
        if record:
            self.last_pass = result
        return result

    def picture(self, x: ArrayLike, masks: Sequence[ArrayLike] | None = None) -> NDArray[np.float32]:
        """The outputs for many points in single precision, for drawing (a map quantised to 256 levels, where
        it is several times faster and loses nothing visible): the eval network's, or with ``masks`` (one
        keep-mask per hidden layer, shaped ``(units,)`` and shared by every point) that sub-network's with
        training-time scaling; ``forward(x, masks, training=masks is not None)`` to float32 rounding.

        A shared mask and its scale fold into the next layer's weights (``(h ⊙ m·s) W = h (diag(m·s) W)``),
        so each layer is one matrix product over all the points, with nothing else to pass over them.
        """
        inputs = self._check_inputs(x)
        widths = [self.sizes[0], *self.hidden_sizes]  # what each dropout layer drops from
        if masks is None:
            drops = [self.p_input, *[self.p] * len(self.hidden_sizes)]
            factors = [np.full(n, eval_scale(p, self.scaling)) for n, p in zip(widths, drops)]
        else:
            if len(masks) != len(widths) - 1:
                raise ValueError(f"expected {len(widths) - 1} masks, one per hidden layer, got {len(masks)}")
            kept = [_check_mask(m, 1, n, f"masks[{i}]")[0] for i, (m, n) in enumerate(zip(masks, widths[1:]))]
            # Every input is kept, scaled as a pass with explicit masks scales it.
            factors = [np.full(widths[0], train_scale(self.p_input, self.scaling))]
            factors += [keep * train_scale(self.p, self.scaling) for keep in kept]
        a: Any = inputs.astype(np.float32)
        last = len(self.weights) - 1
        for layer, (w, b, factor) in enumerate(zip(self.weights, self.biases, factors)):
            z = a @ (factor[:, None] * w).astype(np.float32)
            z += b.astype(np.float32)
            if layer == last:
                out: NDArray[np.float32] = output_function(self.output, z).astype(np.float32, copy=False)
                return out
            a = activate(self.activation, z)
        raise AssertionError("unreachable: a network has at least one layer")

    def _check_inputs(self, x: ArrayLike) -> Array:
        inputs = np.asarray(x, dtype=np.float64)
        if inputs.ndim == 1 and self.sizes[0] == inputs.shape[0]:
            raise ValueError(f"x must be a batch, shaped (batch, {self.sizes[0]}); use x[None] for one example")
        if inputs.ndim != 2 or inputs.shape[1] != self.sizes[0]:
            raise ValueError(f"x must have shape (batch, {self.sizes[0]}), got {inputs.shape}")
        return inputs

    def _hidden_masks(self, masks: Sequence[ArrayLike] | None, batch: int, sampling: bool) -> list[Mask]:
        widths = self.hidden_sizes
        if masks is not None:
            if len(masks) != len(widths):
                raise ValueError(f"expected {len(widths)} masks, one per hidden layer, got {len(masks)}")
            return [_check_mask(m, batch, n, f"masks[{i}]") for i, (m, n) in enumerate(zip(masks, widths))]
        if sampling:
            return [sample_mask((batch, n), self.p, self.rng) for n in widths]
        return [_all_kept(batch, n) for n in widths]

    # -- loss and backward ------------------------------------------------------------------------
    def loss(
        self,
        x: ArrayLike,
        y: ArrayLike,
        masks: Sequence[ArrayLike] | None = None,
        *,
        input_mask: ArrayLike | None = None,
    ) -> float:
        """The mean training loss on ``(x, y)`` in the current mode (see ``losses.py``)."""
        return loss_and_gradient(self.output, self.forward(x, masks, input_mask=input_mask).logits, y)[0]

    def gradients(
        self,
        x: ArrayLike,
        y: ArrayLike,
        masks: Sequence[ArrayLike] | None = None,
        *,
        input_mask: ArrayLike | None = None,
    ) -> tuple[float, Gradients]:
        """Forward, loss and backward in one call: returns the loss and its gradients."""
        pass_ = self.forward(x, masks, input_mask=input_mask)
        loss, grad_logits = loss_and_gradient(self.output, pass_.logits, y)
        return loss, self.backward(grad_logits, pass_)

    def backward(self, grad_logits: ArrayLike, pass_: ForwardPass | None = None) -> Gradients:
        """Back-propagate ``∂loss/∂logits`` through ``pass_`` (default: the last recorded pass).

        Dropout passes gradients only through kept units, scaled like the forward pass: ∂ã/∂h = m·s.
        """
        pass_ = pass_ if pass_ is not None else self.last_pass
        if pass_ is None:
            raise RuntimeError("backward() needs a forward pass first")
        grad_z = np.asarray(grad_logits, dtype=np.float64)
        if grad_z.shape != pass_.logits.shape:
            raise ValueError(f"grad_logits has shape {grad_z.shape}, the logits have {pass_.logits.shape}")
        n_layers = len(self.weights)
        grads = FlatArrays.allocate(self._parameter_shapes())
        for layer in range(n_layers - 1, -1, -1):
            np.matmul(pass_.layer_inputs[layer].T, grad_z, out=grads[2 * layer])
            np.sum(grad_z, axis=0, out=grads[2 * layer + 1])
            grad_a = grad_z @ self.weights[layer].T
            if layer == 0:
                grad_x = _apply_dropout(grad_a, pass_.input_mask, self.p_input, self.scaling, pass_.training)
                break
            hidden = layer - 1
            grad_h = _apply_dropout(grad_a, pass_.masks[hidden], self.p, self.scaling, pass_.training)
            z, h = pass_.pre_activations[hidden], pass_.activations[hidden]
            grad_z = grad_h * activation_derivative(self.activation, z, h)
        return Gradients(parameters=grads, inputs=grad_x)


def _all_kept(batch: int, units: int) -> Mask:
    return np.ones((batch, units), dtype=bool)


def _check_mask(mask: ArrayLike, batch: int, units: int, name: str) -> Mask:
    values = np.asarray(mask)
    if values.shape not in ((units,), (batch, units)):
        raise ValueError(f"{name} must have shape ({units},) or ({batch}, {units}), got {values.shape}")
    if values.dtype != np.bool_:
        if not np.all((values == 0) | (values == 1)):
            raise ValueError(f"{name} must contain only 0 (dropped) and 1 (kept)")
        values = values.astype(bool)
    return np.broadcast_to(values, (batch, units))


def _apply_dropout(values: Array, mask: Mask, p: float, scaling: Scaling, training: bool) -> Array:
    """``values ⊙ mask · train_scale`` in training, ``values · eval_scale`` in eval (mask all kept)."""
    if not training:
        factor = eval_scale(p, scaling)
        return values if factor == 1.0 else values * factor
    if p == 0.0 and mask.all():
        return values
    return values * (mask * train_scale(p, scaling))
