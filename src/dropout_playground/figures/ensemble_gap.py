"""Exact versus sampled ensemble: how far the eval network is from the average of its sub-networks.

For a trained network the figure averages the output distributions of K sampled sub-networks, for K
from 1 to 1000, in two ways (arithmetic mean, and normalised geometric mean G / Σ G with
G = exp(mean log O)), and measures each average's mean total-variation distance ½ Σ |P − Q| from the eval
network's distribution over the test points. Several independent mask streams give a band. Beside the
samples it enumerates all 2^N sub-networks for the exact averages. With one hidden layer feeding the
softmax the exact normalised geometric mean is the eval output (to rounding); with two hidden layers it
is not, and weight scaling is an approximation.

Two networks, both with N = 12 droppable units and trained as the playground trains its own (800 Adam
steps at p = 0.5): ``two-layer`` is the playground's 2 → 6 → 6 → classes, ``one-layer`` is
2 → 12 → classes. ``p`` then sets the sub-networks' distribution; the weights stay those trained at 0.5.

``p`` is a choice among ``P_CHOICES``, not any number: for one dataset and seed, every choice's
8 × 1000 sampled and 4,096 exact sub-networks, for both networks, are computed in advance (a *study*,
about a second of work), so that every command that changes the network or p is answered within one
display frame. A study is computed once per (dataset, seed) and shared by every session: when many
sessions ask for the same one at once, one computes it and the others wait for its result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from numbers import Real
from typing import Any, Literal

import numpy as np

from ..engine import MLP, exact_average
from ..engine.functions import Array
from ..engine.subnetworks import layout_of, subnetwork_logits
from .checks import check_seed, spelled
from .commands import command
from .compute_once import ComputeOnceCache
from .frame import Frame
from .playground import (
    DATASET_NAMES,
)
from .trained import TrainedNetwork, trained_playground_network

Network = Literal["two-layer", "one-layer"]
NETWORKS: tuple[Network, ...] = ("two-layer", "one-layer")
HIDDEN: dict[Network, tuple[int, ...]] = {"two-layer": (6, 6), "one-layer": (12,)}
TRAINING_P = 0.5  # both networks are trained at this p, whatever p the figure then samples with
# 0.1 and 0.2 are where the conventions (drop or keep probability, 1/p or 1/(1 − p)) part; 0.5 is the classic
# hidden-layer value. Each choice is computed in advance, for both networks.
P_CHOICES: tuple[float, ...] = (0.1, 0.2, 0.3, 0.5)
MASK_STREAMS = 8  # independent streams of sampled sub-networks: their spread is the band
MAX_K = 1000
# K on a log scale, in round numbers.
K_GRID = np.array([1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 70, 80, 100])
K_GRID = np.concatenate([K_GRID, [120, 150, 200, 250, 300, 400, 500, 600, 700, 800, MAX_K]])
K_INDEX = {int(k): i for i, k in enumerate(K_GRID)}  # where each K sits in the grid
ACCURACY_K = (1, 10, 100, 1000)
# Sums over 4,096 sub-networks in float64 round at about 4096 · 2.2e-16 ≈ 1e-12 at most: a difference below
# this is rounding, one above it is real.
ROUNDING = 1e-12
_MASK_STREAM_TAG = 4  # mask stream s of a figure seeded `seed` is default_rng([seed, 4, s])
_CACHED_STUDIES = 8  # (dataset, seed) pairs; one study holds 8 measurements of about 50 kB each


@dataclass(frozen=True)
class EnsembleGapSettings:
    """What a link needs to reproduce the chart: the network, p, the dataset and the network's seed."""

    network: str = "two-layer"
    p: float = 0.5
    dataset: str = "blobs"
    seed: int = 0

    def checked(self) -> EnsembleGapSettings:
        if self.network not in NETWORKS:
            raise ValueError(f"network must be one of {', '.join(NETWORKS)}, got {spelled(self.network)}")
        if isinstance(self.p, bool) or not isinstance(self.p, Real) or float(self.p) not in P_CHOICES:
            raise ValueError(
                f"p must be one of {_in_words(P_CHOICES)} for this chart (each is computed in advance), "
                f"got {spelled(self.p)}"
            )
        if self.dataset not in DATASET_NAMES:
            raise ValueError(f"dataset must be one of {', '.join(DATASET_NAMES)}, got {spelled(self.dataset)}")
        check_seed(self.seed)
        return replace(self, p=float(self.p))


def _in_words(choices: tuple[float, ...]) -> str:
    """(0.1, 0.2, 0.5) → "0.1, 0.2 or 0.5"."""
    *rest, last = (str(choice) for choice in choices)
    return f"{', '.join(rest)} or {last}" if rest else last


@dataclass(frozen=True)
class GapMeasurement:
    """Everything the chart shows for one setting. Curves are (mask streams, K) arrays over ``K_GRID``."""

    arithmetic_tv: Array
    geometric_tv: Array
    arithmetic_correct: Array  # test points classified correctly, per stream and K
    geometric_correct: Array
    exact_arithmetic_tv: float
    exact_geometric_tv: float
    exact_arithmetic_max_difference: float
    exact_geometric_max_difference: float
    exact_arithmetic_correct: int
    exact_geometric_correct: int
    eval_correct: int
    test_points: int
    subnetworks: int
    sizes: tuple[int, ...]


def mean_total_variation(p: Array, q: Array) -> Array:
    """½ Σ_classes |P − Q|, averaged over the test points (the last two axes: points, classes)."""
    distance: Array = 0.5 * np.abs(p - q).sum(axis=-1).mean(axis=-1)
    return distance


def _train(network: Network, dataset: str, seed: int) -> TrainedNetwork:
    """The network, trained as the playground trains its own (shared with the other figures)."""
    return trained_playground_network(dataset, HIDDEN[network], seed)


def _first_k_means(values: Array) -> Array:
    """Means over the first K masks, for every K in the grid, of values laid out (classes, masks, points):
    sums between grid points, then running totals. Returns (K, points, classes)."""
    starts = np.concatenate([[0], K_GRID[:-1]])
    means: Array = np.add.reduceat(values, starts, axis=1).cumsum(axis=1) / K_GRID[:, None]
    return np.moveaxis(means, 0, -1)


def _stream_averages(net: MLP, x: Array, rng: np.random.Generator) -> tuple[Array, Array]:
    layout = layout_of(net, enumerable_only=False)
    keep = rng.random((MAX_K, layout.n_units)) < layout.unit_keep_probabilities()
    # Classes first and contiguous: the softmax then works on whole planes of (masks, points).
    logits = np.ascontiguousarray(np.moveaxis(subnetwork_logits(net, x, layout, keep), 1, 0))
    top = logits.max(axis=0)
    outputs = np.exp(logits - top)
    totals = outputs.sum(axis=0)
    outputs /= totals
    logits -= top + np.log(totals)  # now log softmax
    log_means = _first_k_means(logits)
    g = np.exp(log_means - log_means.max(axis=-1, keepdims=True))
    return _first_k_means(outputs), g / g.sum(axis=-1, keepdims=True)


def sampled_averages(net: MLP, x: Array, seed: int, streams: int = MASK_STREAMS) -> tuple[Array, Array]:
    """The arithmetic and normalised geometric means of the first K sampled sub-networks, for every K in
    ``K_GRID`` and every mask stream: two arrays shaped (streams, K, points, classes).

    Stream s draws ``MAX_K`` masks from ``default_rng([seed, 4, s])`` as ``monte_carlo_average`` draws
    them, so its average over the first K equals ``monte_carlo_average(net, x, K, rng=…)``. Each stream's
    masks run in one vectorised pass, and running sums give every K at once.
    """
    per_stream = [_stream_averages(net, x, np.random.default_rng([seed, _MASK_STREAM_TAG, s])) for s in range(streams)]
    return np.stack([a for a, _ in per_stream]), np.stack([g for _, g in per_stream])


def measure(trained: TrainedNetwork, p: float, seed: int) -> GapMeasurement:
    """The sampled curves and the exact averages for sub-networks drawn with drop probability ``p``."""
    net = trained.at(p, seed)
    x, y = trained.data.x_test, trained.data.y_test
    exact = exact_average(net, x)
    assert exact.geometric is not None  # a softmax output has both means
    eval_output = exact.eval_output
    arithmetic, geometric = sampled_averages(net, x, seed)

    def correct(probabilities: Array) -> Array:
        right: Array = (probabilities.argmax(axis=-1) == y).sum(axis=-1)
        return right

    return GapMeasurement(
        arithmetic_tv=mean_total_variation(arithmetic, eval_output),
        geometric_tv=mean_total_variation(geometric, eval_output),
        arithmetic_correct=correct(arithmetic),
        geometric_correct=correct(geometric),
        exact_arithmetic_tv=float(mean_total_variation(exact.arithmetic, eval_output)),
        exact_geometric_tv=float(mean_total_variation(exact.geometric, eval_output)),
        exact_arithmetic_max_difference=float(np.abs(exact.arithmetic - eval_output).max()),
        exact_geometric_max_difference=float(np.abs(exact.geometric - eval_output).max()),
        exact_arithmetic_correct=int(correct(exact.arithmetic)),
        exact_geometric_correct=int(correct(exact.geometric)),
        eval_correct=int(correct(eval_output)),
        test_points=len(y),
        subnetworks=exact.n_subnetworks,
        sizes=trained.sizes,
    )


@dataclass(frozen=True)
class GapStudy:
    """Every measurement the chart can show for one dataset and seed: both networks at every p of
    ``P_CHOICES``, and the two trained networks they come from."""

    networks: Mapping[Network, TrainedNetwork]
    measurements: Mapping[tuple[Network, float], GapMeasurement]

    def __deepcopy__(self, memo: dict[int, Any]) -> GapStudy:
        """Never modified and shared by every session: a copy of a figure shares it too."""
        return self


def study(dataset: str, seed: int) -> GapStudy:
    """Train both networks on ``dataset`` from ``seed`` and measure each at every p of ``P_CHOICES``."""
    networks = {network: _train(network, dataset, seed) for network in NETWORKS}
    measurements = {(network, p): measure(trained, p, seed) for network, trained in networks.items() for p in P_CHOICES}
    return GapStudy(networks, measurements)


_studies: ComputeOnceCache[tuple[str, int], GapStudy] = ComputeOnceCache(_CACHED_STUDIES)


def cached_study(dataset: str, seed: int) -> GapStudy:
    return _studies.get((dataset, seed), lambda: study(dataset, seed))


def trained_network(network: Network, dataset: str, seed: int) -> TrainedNetwork:
    return cached_study(dataset, seed).networks[network]


def matching_k(correct: Array, eval_correct: int) -> int | None:
    """The smallest K of the grid from which on the streams' mean count of correctly classified test
    points stays at or above the eval network's, up to K = 1000; ``None`` if it does not get there."""
    at_least = correct.mean(axis=0) >= eval_correct
    for index in range(len(K_GRID)):
        if at_least[index:].all():
            return int(K_GRID[index])
    return None


class EnsembleGap:
    """Driven by ``set(...)``; ``frame()`` says what to draw."""

    name = "ensemble-gap"
    settings_type = EnsembleGapSettings

    def __init__(self, settings: EnsembleGapSettings | None = None) -> None:
        self.settings = (settings or EnsembleGapSettings()).checked()
        self.study = cached_study(self.settings.dataset, self.settings.seed)

    @command
    def set(
        self,
        *,
        network: str | None = None,
        p: float | None = None,
        dataset: str | None = None,
        seed: int | None = None,
    ) -> None:
        """New settings; nothing changes unless every value given is valid. A new dataset or seed needs
        its study (computed, or waited for, unless cached); a new network or p is looked up in it."""
        s = self.settings
        settings = EnsembleGapSettings(
            network=s.network if network is None else network,
            p=s.p if p is None else p,
            dataset=s.dataset if dataset is None else dataset,
            seed=s.seed if seed is None else seed,
        ).checked()
        if (settings.dataset, settings.seed) != (s.dataset, s.seed):
            self.study = cached_study(settings.dataset, settings.seed)
        self.settings = settings

    @property
    def measurement(self) -> GapMeasurement:
        network: Network = "one-layer" if self.settings.network == "one-layer" else "two-layer"
        return self.study.measurements[(network, self.settings.p)]

    def url_settings(self) -> dict[str, object]:
        s = self.settings
        return {"network": s.network, "p": s.p, "dataset": s.dataset, "seed": s.seed}

    def frame(self) -> Frame:
        m = self.measurement
        points = m.test_points
        columns = [K_INDEX[k] for k in ACCURACY_K]
        values: dict[str, Any] = {
            "settings": self.url_settings(),
            "p_choices": list(P_CHOICES),
            "sizes": list(m.sizes),
            "droppable_units": sum(m.sizes[1:-1]),
            "subnetworks": m.subnetworks,
            "mask_streams": MASK_STREAMS,
            "max_k": MAX_K,
            "test_points": points,
            "exact": {
                "arithmetic_tv": m.exact_arithmetic_tv,
                "geometric_tv": m.exact_geometric_tv,
                "arithmetic_max_difference": m.exact_arithmetic_max_difference,
                "geometric_max_difference": m.exact_geometric_max_difference,
                "geometric_is_eval": m.exact_geometric_max_difference < ROUNDING,
            },
            "accuracy": {
                "eval": m.eval_correct / points,
                "exact_arithmetic": m.exact_arithmetic_correct / points,
                "exact_geometric": m.exact_geometric_correct / points,
                "k": list(ACCURACY_K),
                "arithmetic": [float(m.arithmetic_correct[:, i].mean() / points) for i in columns],
                "geometric": [float(m.geometric_correct[:, i].mean() / points) for i in columns],
            },
            "matching_k": matching_k(m.arithmetic_correct, m.eval_correct),
        }
        arrays: dict[str, np.ndarray] = {"k": K_GRID.astype(np.int32)}
        for mean, curves in (("arithmetic", m.arithmetic_tv), ("geometric", m.geometric_tv)):
            arrays[f"{mean}_mean"] = curves.mean(axis=0).astype(np.float32)
            arrays[f"{mean}_low"] = curves.min(axis=0).astype(np.float32)
            arrays[f"{mean}_high"] = curves.max(axis=0).astype(np.float32)
        return Frame(values, arrays)
