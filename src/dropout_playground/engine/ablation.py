"""Removing hidden units from a trained network at test time, to see how much it relies on them.

Unlike a dropout mask in training, removal is not rescaled: the network stays in eval mode (every
remaining unit passes h, or (1 − p)·h for classic scaling) and the removed units pass 0.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .dropout import eval_scale
from .functions import Array, activate, output_function
from .mlp import MLP


def remove_units(net: MLP, x: ArrayLike, keep: ArrayLike) -> Array:
    """The eval network's outputs on ``x`` with the hidden units where ``keep`` is False removed, for
    every row of ``keep`` (all hidden layers' units side by side, the first layer's first): an array
    (rows, batch, outputs), computed for all rows at once."""
    inputs = np.asarray(x, dtype=np.float64)
    kept = np.asarray(keep, dtype=bool)
    widths = net.hidden_sizes
    if kept.ndim != 2 or kept.shape[1] != sum(widths):
        raise ValueError(f"keep must have shape (rows, {sum(widths)}), one column per hidden unit, got {kept.shape}")
    a: Array = inputs * eval_scale(net.p_input, net.scaling)
    start = 0
    last = len(net.weights) - 1
    for layer, (w, b) in enumerate(zip(net.weights, net.biases)):
        z = a @ w + b
        if layer == last:
            out: Array = output_function(net.output, z)
            return out if out.ndim == 3 else np.broadcast_to(out, (len(kept), *out.shape))
        width = widths[layer]
        # Rows of keep become a leading axis at the first hidden layer: (rows, batch, units) from there on.
        a = activate(net.activation, z) * (kept[:, None, start : start + width] * eval_scale(net.p, net.scaling))
        start += width
    raise AssertionError("unreachable: a network has at least one layer")
