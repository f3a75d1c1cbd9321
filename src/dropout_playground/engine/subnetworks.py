"""Running many sub-networks at once: the masks of several dropout layers as one vector of bits, a
vectorised forward pass for a whole block of masks, and weighted sums of their outputs and log-outputs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .dropout import train_scale
from .functions import Array, activate, log_sigmoid
from .mlp import MLP

# Each block of sub-networks keeps its intermediate arrays near this size, whatever N and the batch.
BLOCK_BYTES = 4 * 2**20


@dataclass(frozen=True)
class Layout:
    """Which dropout layers (inputs first, then hidden layers) have their units in the mask vector."""

    widths: list[int]  # units per dropout layer
    drop: list[float]  # drop probability per dropout layer
    in_mask: list[bool]  # is the layer's mask part of the mask vector?

    @property
    def n_units(self) -> int:
        return sum(n for n, used in zip(self.widths, self.in_mask) if used)

    def unit_keep_probabilities(self) -> Array:
        parts = [np.full(n, 1.0 - p) for n, p, used in zip(self.widths, self.drop, self.in_mask) if used]
        return np.concatenate(parts) if parts else np.empty(0)


def layout_of(net: MLP, enumerable_only: bool) -> Layout:
    widths = [net.sizes[0], *net.hidden_sizes]
    drop = [net.p_input] + [net.p] * len(net.hidden_sizes)
    # p = 0 keeps and p = 1 drops every unit: such layers are the same in every sub-network that can occur.
    in_mask = [0.0 < p < 1.0 if enumerable_only else p > 0.0 for p in drop]
    return Layout(widths, drop, in_mask)


def _outside_mask(a: Array, p: float) -> Array:
    """A dropout layer outside the mask vector keeps every unit (p = 0) or drops every unit (p = 1)."""
    return a if p == 0.0 else a * 0.0


def _shared_layers(net: MLP, x: Array, layout: Layout, stop: int) -> Array:
    """The activations after layers ``0 … stop − 1``, none of them in the mask vector: every sub-network
    computes the same values up to there."""
    a = x
    for layer in range(stop):
        a = activate(net.activation, _outside_mask(a, layout.drop[layer]) @ net.weights[layer] + net.biases[layer])
    return a


def subnetwork_logits(net: MLP, x: Array, layout: Layout, keep: NDArray[np.bool_]) -> Array:
    """Logits of the sub-networks whose keep-masks are the rows of ``keep``, laid out as
    (masks, outputs, batch) so that sums over the few outputs run along long contiguous rows."""
    count = keep.shape[0]
    offset = 0
    last = len(net.weights) - 1
    first = layout.in_mask.index(True) if True in layout.in_mask else last
    a = _shared_layers(net, x, layout, first)  # (batch, units), then (masks, batch, units) once masks differ
    for layer in range(first, last + 1):
        w, b = net.weights[layer], net.biases[layer]
        width, p = layout.widths[layer], layout.drop[layer]
        if layout.in_mask[layer]:
            factor = keep[:, offset : offset + width] * train_scale(p, net.scaling)
            offset += width
            if a.ndim == 2:
                # Fold the shared inputs into the weights, so that all masks take one matrix product:
                # z[m, k, i] = Σ_j factor[m, j] · (w[j, k] · a[i, j]).
                folded = (w[:, :, None] * a.T[:, None, :]).reshape(width, -1)
                stacked: Array = (factor @ folded).reshape(count, w.shape[1], a.shape[0])
                stacked += b[:, None]
                if layer == last:
                    return stacked
                z = np.swapaxes(stacked, 1, 2)
            else:
                z = (a * factor[:, None, :]) @ w + b
        else:
            z = _outside_mask(a, p) @ w + b
        if layer == last:
            logits: Array = np.broadcast_to(np.swapaxes(z, -1, -2), (count, z.shape[-1], z.shape[-2]))
            return logits
        a = activate(net.activation, z)
    raise AssertionError("unreachable: a network has at least one layer")


class WeightedAverager:
    """Accumulates Σ wₘ Oₘ and Σ wₘ log Oₘ (and Σ wₘ log(1 − Oₘ) for a sigmoid output) chunk by chunk,
    from logits laid out as (masks, outputs, batch)."""

    def __init__(self, net: MLP, batch: int) -> None:
        self.kind = net.output
        shape = (net.sizes[-1], batch)
        self.outputs = np.zeros(shape)
        self.logs = np.zeros(shape)
        self.complement_logs = np.zeros(shape)

    def add(self, logits: Array, weights: Array) -> None:
        if self.kind == "linear":
            self.outputs += np.tensordot(weights, logits, axes=1)
        elif self.kind == "sigmoid":
            log_o = log_sigmoid(logits)
            self.outputs += np.tensordot(weights, np.exp(log_o), axes=1)
            self.logs += np.tensordot(weights, log_o, axes=1)
            self.complement_logs += np.tensordot(weights, log_sigmoid(-logits), axes=1)
        else:
            # log softmax(z)_k = z_k − logsumexp(z), so Σ w log O = Σ w z − Σ w logsumexp(z): the
            # logs never need an array of their own.
            top = logits.max(axis=1)
            exps = np.exp(logits - top[:, None, :])
            totals = exps.sum(axis=1)
            exps /= totals[:, None, :]
            self.outputs += np.tensordot(weights, exps, axes=1)
            log_totals = np.log(totals)
            log_totals += top
            self.logs += np.tensordot(weights, logits, axes=1)
            self.logs -= weights @ log_totals

    def arithmetic(self) -> Array:
        mean: Array = self.outputs.T.copy()
        return mean

    def geometric(self) -> Array | None:
        logs, complement_logs = self.logs.T, self.complement_logs.T
        if self.kind == "linear":
            return None
        if self.kind == "softmax":
            g = np.exp(logs - logs.max(axis=-1, keepdims=True))
            normalised: Array = g / g.sum(axis=-1, keepdims=True)
            return normalised
        top = np.maximum(logs, complement_logs)
        g, g_complement = np.exp(logs - top), np.exp(complement_logs - top)
        normalised = g / (g + g_complement)
        return normalised


def masks_per_block(net: MLP, batch: int) -> int:
    return max(1, BLOCK_BYTES // (8 * batch * max(net.sizes)))


def shared_last_hidden(net: MLP, x: Array, layout: Layout) -> Array | None:
    """The last hidden layer's activations, shape (batch, units), when its units are the only ones in the
    mask vector; else ``None``."""
    if len(layout.in_mask) < 2 or any(layout.in_mask[:-1]) or not layout.in_mask[-1]:
        return None
    return _shared_layers(net, x, layout, len(net.weights) - 1)
