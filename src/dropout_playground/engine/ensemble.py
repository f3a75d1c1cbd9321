"""The ensemble of sub-networks that dropout trains, averaged by sampling or exactly.

A network with N droppable units has 2^N sub-networks ("thinned networks") sharing one set of weights.
Mask m has probability P(m) = Π q_i^{m_i} (1 − q_i)^{1 − m_i}, with q = 1 − p the keep probability.
Two ways to average the sub-networks' output distributions O_m:

- arithmetic mean   Σ P(m) O_m
- normalised geometric mean (NWGM)   G / Σ_classes G,  with G = Π O_m^{P(m)} = exp(Σ P(m) log O_m);
  for one sigmoid output G / (G + G′), with G′ = Π (1 − O_m)^{P(m)}

For one hidden layer feeding a softmax or sigmoid output, the eval network equals the NWGM exactly
(Hinton et al. 2012; Baldi & Sadowski 2013) and not the arithmetic mean. For deeper networks it only
approximates either. Sub-networks run with the network's training-time scaling, one mask per
sub-network shared by the whole batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .dropout import train_scale
from .exact_softmax import exact_softmax_sums
from .functions import Array, activate, output_function
from .mlp import MLP
from .subnetworks import (
    BLOCK_BYTES,
    WeightedAverager,
    layout_of,
    masks_per_block,
    shared_last_hidden,
    subnetwork_logits,
)

MAX_EXACT_UNITS = 20


@dataclass(frozen=True)
class EnsembleAverage:
    """Averages of a batch's outputs over sub-networks, beside the eval (weight-scaled) network's output.

    ``geometric`` is ``None`` for a linear output, where only the arithmetic mean is defined.
    """

    arithmetic: Array
    geometric: Array | None
    eval_output: Array
    n_subnetworks: int


def _eval_output(net: MLP, x: Array) -> Array:
    return net.forward(x, record=False, training=False).output


def _inputs(net: MLP, x: ArrayLike) -> Array:
    inputs = np.asarray(x, dtype=np.float64)
    if inputs.ndim != 2 or inputs.shape[1] != net.sizes[0]:
        raise ValueError(f"x must have shape (batch, {net.sizes[0]}), got {inputs.shape}")
    return inputs


def monte_carlo_average(net: MLP, x: ArrayLike, k: int, *, rng: np.random.Generator | None = None) -> EnsembleAverage:
    """Average the outputs of ``k`` sub-networks drawn at random, by both means.

    Masks come from ``rng``, by default the network's own generator.
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive whole number of sub-networks, got {k!r}")
    inputs = _inputs(net, x)
    rng = net.rng if rng is None else rng
    layout = layout_of(net, enumerable_only=False)
    keep_probability = layout.unit_keep_probabilities()
    averager = WeightedAverager(net, inputs.shape[0])
    per_chunk = masks_per_block(net, inputs.shape[0])
    for start in range(0, k, per_chunk):
        count = min(per_chunk, k - start)
        keep = rng.random((count, layout.n_units)) < keep_probability
        averager.add(subnetwork_logits(net, inputs, layout, keep), np.full(count, 1.0 / k))
    return EnsembleAverage(averager.arithmetic(), averager.geometric(), _eval_output(net, inputs), k)


def exact_average(net: MLP, x: ArrayLike) -> EnsembleAverage:
    """Average the outputs of all 2^N sub-networks, each weighted by the probability of its mask.

    N counts the units whose drop probability lies strictly between 0 and 1, at most 20.
    """
    inputs = _inputs(net, x)
    layout = layout_of(net, enumerable_only=True)
    n = layout.n_units
    if n > MAX_EXACT_UNITS:
        raise ValueError(
            f"exact enumeration covers at most {MAX_EXACT_UNITS} droppable units (2^{MAX_EXACT_UNITS} "
            f"sub-networks); this network has {n}. Use monte_carlo_average instead."
        )
    averager = WeightedAverager(net, inputs.shape[0])
    total = 2**n
    hidden = shared_last_hidden(net, inputs, layout) if net.output == "softmax" else None
    if hidden is not None:
        low_bits = max(0, int(np.log2(BLOCK_BYTES / (8 * inputs.shape[0] * net.sizes[-1]))))
        sums = exact_softmax_sums(
            hidden, net.weights[-1], net.biases[-1], train_scale(net.p, net.scaling), net.p, low_bits
        )
        if sums is not None:
            averager.outputs, averager.logs = sums
            return EnsembleAverage(averager.arithmetic(), averager.geometric(), _eval_output(net, inputs), total)
    keep_probability = layout.unit_keep_probabilities()
    # A p so small that 1 − p rounds to 1 gives log 0 = −inf: a weight of exactly 0 for every mask that
    # drops the unit, which is what such a p means to double precision.
    with np.errstate(divide="ignore"):
        log_keep, log_drop = np.log(keep_probability), np.log1p(-keep_probability)
    per_chunk = masks_per_block(net, inputs.shape[0])
    bits = np.arange(n)
    for start in range(0, total, per_chunk):
        codes = np.arange(start, min(start + per_chunk, total))
        keep = ((codes[:, None] >> bits) & 1).astype(bool)
        log_weight = np.where(keep, log_keep, log_drop).sum(axis=1)
        averager.add(subnetwork_logits(net, inputs, layout, keep), np.exp(log_weight))
    return EnsembleAverage(averager.arithmetic(), averager.geometric(), _eval_output(net, inputs), total)


def dropout_passes(
    net: MLP, x: ArrayLike, passes: int, *, rng: np.random.Generator, dtype: type[np.floating] = np.float32
) -> NDArray[np.floating]:
    """``passes`` train-mode passes over ``x`` (what MC dropout averages, and what a forgotten
    ``model.eval()`` returns), every example of every pass with masks of its own: (passes, batch, outputs).

    All passes run as one batched computation, by default in single precision: it is several times faster
    for the thousands of rows this makes, and its rounding (about 1e-7) is far below the spread of the passes.
    """
    if isinstance(passes, bool) or not isinstance(passes, int) or passes < 1:
        raise ValueError(f"passes must be a positive whole number, got {passes!r}")
    inputs = _inputs(net, x)
    a: Any = np.tile(inputs.astype(dtype), (passes, 1))
    rows = len(a)
    if net.p_input > 0.0:
        a = a * ((rng.random(a.shape, dtype=dtype) >= net.p_input) * dtype(train_scale(net.p_input, net.scaling)))
    last = len(net.weights) - 1
    for layer, (w, b) in enumerate(zip(net.weights, net.biases)):
        z = a @ w.astype(dtype) + b.astype(dtype)
        if layer == last:
            out: NDArray[np.floating] = output_function(net.output, z).reshape(passes, len(inputs), -1)
            return out
        h = activate(net.activation, z)
        keep = rng.random((rows, h.shape[1]), dtype=dtype) >= net.p
        a = h * (keep * dtype(train_scale(net.p, net.scaling)))
    raise AssertionError("unreachable: a network has at least one layer")
