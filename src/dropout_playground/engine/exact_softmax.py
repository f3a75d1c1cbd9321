"""Exact averages over every mask of the last hidden layer, for a softmax output, with products in
place of exponentials.

When only the last hidden layer's n units are dropped, sub-network m has logits
z_m = b + Σ_j m_j c_j, with c_j the (scaled) contribution of unit j. Then exp(z_m) = e^b Π_{j kept} e^{c_j},
so all 2^n exponentials follow from n + 1 of them by doubling: the block of masks with unit j dropped,
times e^{c_j}, is the block with unit j kept. The same doubling builds the logits z_m and the mask
probabilities P(m) themselves. A block of 2^L masks thus costs multiplications and additions only, which
makes the 2^16-mask enumeration several times faster than one exponential per sub-network and logit.
"""

from __future__ import annotations

import numpy as np

from .functions import Array

# exp(−700) ≈ 1e−304 is still a normal float: if no partial product can fall further below the largest
# logit than this, no product underflows and every one keeps full relative precision.
_SAFE_LOG_RANGE = 700.0


def _double(block: Array, size: int, combine: np.ufunc, step: Array) -> None:
    """``block[size:2·size] = combine(block[:size], step)``: the masks with one more unit kept."""
    combine(block[:size], step, out=block[size : 2 * size])


def exact_softmax_sums(
    hidden: Array, w: Array, b: Array, scale: float, p: float, low_bits: int
) -> tuple[Array, Array] | None:
    """Σ_m P(m) softmax(z_m) and Σ_m P(m) log softmax(z_m) over all 2^n masks of ``hidden``'s units,
    each of shape (classes, batch); ``None`` when the logits span too wide a range for products.

    ``hidden`` (batch, n) feeds the output layer ``w`` (n, classes), ``b``; kept units are multiplied by
    ``scale``; ``low_bits`` units are enumerated by doubling within each block of 2^low_bits masks.
    """
    n = w.shape[0]
    contribution = scale * w[:, :, None] * hidden.T[:, None, :]  # c_j, shape (n, classes, batch)
    bias = b[:, None]
    upper = bias + np.maximum(contribution, 0.0).sum(axis=0)
    lower = bias + np.minimum(contribution, 0.0).sum(axis=0)
    shift = upper.max(axis=0)  # no sub-network's logit exceeds this, so every product stays ≤ 1
    if (shift - lower).max() > _SAFE_LOG_RANGE:
        return None
    gains = np.exp(contribution)
    low_bits = min(low_bits, n)
    high_bits = n - low_bits
    block = 2**low_bits
    exps = np.empty((block, *upper.shape))
    logits = np.empty_like(exps)
    weights = np.empty(block)
    totals = np.empty((block, upper.shape[1]))
    sum_outputs = np.zeros_like(upper)
    sum_logs = np.zeros_like(upper)
    for high in range(2**high_bits):
        kept_high = ((high >> np.arange(high_bits)) & 1).astype(bool)
        logits[0] = bias + contribution[low_bits:][kept_high].sum(axis=0)
        exps[0] = np.exp(logits[0] - shift)
        weights[0] = np.prod(np.where(kept_high, 1.0 - p, p))
        for j in range(low_bits):
            size = 2**j
            _double(exps, size, np.multiply, gains[j])
            _double(logits, size, np.add, contribution[j])
            weights[size : 2 * size] = weights[:size] * (1.0 - p)
            weights[:size] *= p
        np.sum(exps, axis=1, out=totals)
        exps /= totals[:, None, :]
        sum_outputs += np.tensordot(weights, exps, axes=1)
        # log softmax(z)_k = z_k − shift − log Σ exps: summed with the weights, term by term.
        np.log(totals, out=totals)
        sum_logs += np.tensordot(weights, logits, axes=1)
        sum_logs -= weights @ totals + weights.sum() * shift
    return sum_outputs, sum_logs
