"""Hidden-unit activations and output functions, each with what its backward pass needs."""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Activation = Literal["relu", "tanh", "sigmoid"]
OutputKind = Literal["softmax", "sigmoid", "linear"]
ACTIVATIONS: tuple[Activation, ...] = ("relu", "tanh", "sigmoid")
OUTPUTS: tuple[OutputKind, ...] = ("softmax", "sigmoid", "linear")


def sigmoid(z: Array) -> Array:
    # exp(-|z|) never overflows; the two branches are the same function written two ways.
    e = np.exp(-np.abs(z))
    out: Array = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return out


def log_sigmoid(z: Array) -> Array:
    """log σ(z) = −softplus(−z), finite for every finite z."""
    out: Array = -(np.maximum(-z, 0.0) + np.log1p(np.exp(-np.abs(z))))
    return out


def softmax(z: Array) -> Array:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    out: Array = e / e.sum(axis=-1, keepdims=True)
    return out


def activate(kind: Activation, z: Array) -> Array:
    if kind == "relu":
        return np.maximum(z, 0.0)
    if kind == "tanh":
        return np.tanh(z)
    return sigmoid(z)


def activation_derivative(kind: Activation, z: Array, h: Array) -> Array | NDArray[np.bool_]:
    """dh/dz, written with the already computed h = activate(kind, z) where that is cheaper. For ReLU it is
    a boolean array, which multiplies as 0 and 1 without a conversion."""
    if kind == "relu":
        # PyTorch's convention: the derivative of ReLU at 0 is 0.
        return z > 0.0
    if kind == "tanh":
        return 1.0 - h * h
    return h * (1.0 - h)


def output_function(kind: OutputKind, z: Array) -> Array:
    if kind == "softmax":
        return softmax(z)
    if kind == "sigmoid":
        return sigmoid(z)
    return z
