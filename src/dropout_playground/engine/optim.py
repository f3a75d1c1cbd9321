"""SGD with momentum and Adam, with PyTorch's update rules, updating parameter arrays in place."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .flat import FlatArrays, flat_vector
from .functions import Array


class Optimizer:
    """Holds the parameter arrays it updates; ``step(grads)`` takes gradients in the same order.

    Parameters that share one flat vector (as ``MLP.parameters()`` do) are updated as that one vector.
    """

    def __init__(self, params: Sequence[Array], lr: float, weight_decay: float = 0.0) -> None:
        if not (isinstance(lr, (int, float)) and np.isfinite(lr) and lr > 0):
            raise ValueError(f"learning rate must be a positive number, got {lr!r}")
        if not (isinstance(weight_decay, (int, float)) and weight_decay >= 0):
            raise ValueError(f"weight_decay must be non-negative, got {weight_decay!r}")
        self._flat = isinstance(params, FlatArrays)
        self.params = params.view() if isinstance(params, FlatArrays) else list(params)
        # What the update rule runs on: the shared vector, or each array.
        self.vectors: list[Array] = [params.flat] if isinstance(params, FlatArrays) else self.params
        self.lr = float(lr)
        self.weight_decay = float(weight_decay)
        self.steps = 0

    def step(self, grads: Sequence[Array]) -> None:
        if len(grads) != len(self.params):
            raise ValueError(f"expected {len(self.params)} gradients, got {len(grads)}")
        if self._flat:
            grads = [flat_vector(grads)]
            if grads[0].shape != self.vectors[0].shape:
                raise ValueError(f"expected {self.vectors[0].size} gradient values, got {grads[0].size}")
        self.steps += 1
        for i, (param, grad) in enumerate(zip(self.vectors, grads)):
            if self.weight_decay:
                grad = grad + self.weight_decay * param
            self._update(i, param, grad)

    def _update(self, index: int, param: Array, grad: Array) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """``v ← μ·v + g`` (``v = g`` on the first step), ``θ ← θ − lr·v``; plain SGD when ``momentum = 0``."""

    def __init__(
        self, params: Sequence[Array], lr: float = 0.1, momentum: float = 0.0, weight_decay: float = 0.0
    ) -> None:
        super().__init__(params, lr, weight_decay)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.momentum = float(momentum)
        self._velocity: list[Array | None] = [None] * len(self.vectors)

    def _update(self, index: int, param: Array, grad: Array) -> None:
        if self.momentum:
            velocity = self._velocity[index]
            if velocity is None:
                velocity = self._velocity[index] = grad.copy()
            else:
                velocity *= self.momentum
                velocity += grad
            grad = velocity
        param -= self.lr * grad


class Adam(Optimizer):
    """Kingma & Ba's Adam, in PyTorch's arithmetic: ``θ ← θ − (lr/c₁)·m / (√v/√c₂ + ε)``."""

    def __init__(
        self,
        params: Sequence[Array],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        if not all(0.0 <= b < 1.0 for b in betas):
            raise ValueError(f"betas must be in [0, 1), got {betas!r}")
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = float(eps)
        self._m = [np.zeros_like(vector) for vector in self.vectors]
        self._v = [np.zeros_like(vector) for vector in self.vectors]
        self._scratch = [np.empty_like(vector) for vector in self.vectors]

    def _update(self, index: int, param: Array, grad: Array) -> None:
        beta1, beta2 = self.betas
        m, v, scratch = self._m[index], self._v[index], self._scratch[index]
        # The same arithmetic, in the same order, as the formula in the class docstring; written into one
        # scratch array, because a small network's step is mostly the cost of making temporaries.
        m *= beta1
        np.multiply(grad, 1.0 - beta1, out=scratch)
        m += scratch
        v *= beta2
        np.multiply(grad, 1.0 - beta2, out=scratch)
        scratch *= grad
        v += scratch
        correction1 = 1.0 - beta1**self.steps
        correction2 = 1.0 - beta2**self.steps
        np.sqrt(v, out=scratch)
        scratch /= np.sqrt(correction2)
        scratch += self.eps
        np.divide(m, scratch, out=scratch)
        scratch *= self.lr / correction1
        param -= scratch
