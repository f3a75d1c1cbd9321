"""Data flow, with numbers: one mask at a time through a 2 → 4 → 1 network, every value on screen.

The network has fixed, readable weights, ReLU hidden units that dropout may drop (N = 4, so 2^4 = 16
masks) and one linear output. Because the output is linear in the hidden values h̃, its expectation over
masks is Σ w₂ⱼ E[h̃ⱼ] + b₂. Each Resample draws masks, sends the probe input through them and adds their
outputs to a running mean, which the student watches converge on that expectation:
- inverted or classic scaling, 0 ≤ p < 1: the eval output exactly;
- no scaling: E[y] − b₂ = (1 − p)·(y_eval − b₂), the hidden part of the output shrunk towards the bias,
  so the mean lands below the eval output when the hidden part y_eval − b₂ is positive, above it when it
  is negative (p = 0.2 and the probe at (−1, 1): eval −0.82, expectation −0.636);
- p = 1: every mask drops every unit, so every sub-network outputs b₂. With inverted scaling the scale is
  0 (as in PyTorch) and E[h̃] = 0, not h: the identities E[h̃] = h and "expectation = eval output" hold
  for 0 ≤ p < 1 only.

Everything is seeded: masks come from their own stream, and ``draws`` (how many masks the running mean
holds) replays it, so that a link shows the same mask and the same running mean again.

Frame values:
    settings            p, scaling, probe [x₁, x₂], seed, draws: exactly what the page's address holds
    sizes               [2, 4, 1]
    weights, biases     [W₁ (2 × 4, stored inputs × outputs), W₂ (4 × 1)], [b₁ (4), b₂ (1)]
    input               the probe [x₁, x₂]
    mask                the current mask, 4 booleans (True: kept)
    pre_activations     z = x W₁ + b₁ (4)
    hidden              h = relu(z) (4)
    passed              h̃ = h ⊙ m · train_scale (4): what each hidden unit passes on for this mask
    edge_in             x_i · W₁[i, j] (2 × 4): what each input → hidden edge carries
    edge_out            h̃_j · W₂[j, 0] (4): what each hidden → output edge carries
    output              the output for this mask
    train_scale         factor on kept units in training (1/(1 − p) for inverted; 0 at p = 1), and
    train_scale_text    as text, never inf or NaN
    eval_scale          factor on every unit in eval ((1 − p) for classic, else 1), and eval_scale_text
    eval_hidden         what eval passes on: h · eval_scale (4)
    eval_output         the eval network's output
    exact_mean          the arithmetic mean of the output over all 16 masks, each weighted by its
                        probability (engine.exact_average); n_masks = 16
    exact_gap           exact_mean − eval_output (0 within rounding for inverted and classic, p < 1)
    output_bias         b₂, what every sub-network outputs at p = 1
    hidden_part         eval_output − b₂: what the hidden units add to the eval output
    running_mean        mean output over the ``draws`` masks drawn so far (each draw runs one of the 16
                        sub-networks, which the engine computed in one batched pass), and
    standard_error      its standard error (sample standard deviation / √draws; None for one draw)
    gap                 running_mean − eval_output
    unit_mean, unit_variance             running mean and sample variance (n − 1) of each h̃ⱼ
                                         (variance None for one draw)
    unit_mean_exact, unit_variance_exact E[h̃ⱼ] = s·(1 − p)·hⱼ, Var[h̃ⱼ] = s²·hⱼ²·p·(1 − p), s = train_scale:
                                         inverted h and h²·p/(1 − p); classic and none (1 − p)·h and h²·p·(1 − p)
    max_draws, max_count                 the most masks a running mean holds, and one command draws
Frame arrays:
    trace_draws (int32), trace_mean (float32): the running mean after 1, 2, 3 … masks, at fixed
    log-spaced counts (every count up to 20, then fewer) plus the current one: at most 256 points.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..engine import MLP, eval_scale, every_mask, exact_average, train_scale
from ..engine.dropout import Scaling, check_scaling
from .checks import check_p, check_point, check_seed, check_whole, spelled
from .commands import command
from .frame import Frame

SIZES = (2, 4, 1)
HIDDEN = SIZES[1]
N_MASKS = 2**HIDDEN
PROBE_LIMIT = 5.0
MAX_DRAWS = 100_000
MAX_COUNT = 1000  # masks one Resample command may draw
_BLOCK = 16_384  # masks drawn at once when a link replays many: bounds the memory one draw takes
_MASK_STREAM = 2  # the masks' generator is default_rng([seed, 2]): a stream of this figure's own

# Readable weights, one column per hidden unit; every hidden unit is positive at the default probe, so
# every value on screen is a number worth reading, not a ReLU's zero.
WEIGHTS: dict[str, list[float] | list[list[float]]] = {
    "weight.0": [[1.0, -0.5, 0.8, 0.3], [0.5, 1.0, -0.6, 0.7]],
    "bias.0": [0.0, 0.2, 0.1, -0.2],
    "weight.1": [[0.9], [-0.6], [0.7], [0.5]],
    "bias.1": [0.1],
}

# The running mean is traced at these counts of masks: all of 1 … 20, then log-spaced up to MAX_DRAWS.
TRACE_AT = np.unique(np.round(np.logspace(0, np.log10(MAX_DRAWS), 250)).astype(np.int64))


@dataclass(frozen=True)
class DataFlowSettings:
    """Everything a link needs: ``draws`` counts the masks in the running mean (the first one included),
    so the link replays the mask stream to the same mask and the same mean."""

    p: float = 0.2
    scaling: Scaling = "inverted"
    probe: tuple[float, float] = (1.0, 0.5)
    seed: int = 0
    draws: int = 1

    def checked(self) -> DataFlowSettings:
        """These settings, normalised; ``ValueError`` names what is wrong."""
        p = check_p(self.p)
        scaling = check_scaling(self.scaling)
        check_seed(self.seed)
        check_whole(self.draws, "draws", 1, MAX_DRAWS)
        x1, x2 = check_point(self.probe, PROBE_LIMIT, ("x₁", "x₂"))
        # Four decimals, as the address writes them: a link gives the same numbers to the last digit.
        # Adding 0.0 turns -0.0 into 0.0, which the address would otherwise write as "-0.0".
        probe = (round(x1, 4) + 0.0, round(x2, 4) + 0.0)
        return replace(self, p=p, scaling=scaling, probe=probe)


class MaskCounts:
    """How often each of the 2^N masks has been drawn, and the running mean and variance this gives.

    Each draw runs one of the sub-networks, whose values the engine computed for all of them at once;
    the counts say how often each ran. Means and variances from whole-number counts are the same to the
    last bit however the draws were grouped into commands, so a link replays them exactly.
    """

    def __init__(self, values: np.ndarray) -> None:
        self.values = values  # (masks, columns): each sub-network's output, then its hidden values h̃
        self.counts = np.zeros(values.shape[0], dtype=np.int64)

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    def mean(self) -> np.ndarray:
        mean: np.ndarray = self.counts @ self.values / self.total
        return mean

    def variance(self) -> np.ndarray | None:
        """The sample variance (divided by n − 1) of each column; None for fewer than two draws."""
        n = self.total
        if n < 2:
            return None
        variance: np.ndarray = self.counts @ (self.values - self.mean()) ** 2 / (n - 1)
        return variance


class DataFlow:
    """Driven by ``set``, ``resample`` and ``reset``; ``frame()`` says what to draw."""

    name = "data-flow"
    settings_type = DataFlowSettings

    def __init__(self, settings: DataFlowSettings | None = None) -> None:
        self._start((settings or DataFlowSettings()).checked())

    # -- building ---------------------------------------------------------------------------------
    def _start(self, settings: DataFlowSettings) -> None:
        """The network for these settings, and a running mean over the first ``settings.draws`` masks."""
        self.net = MLP(list(SIZES), p=settings.p, activation="relu", output="linear", scaling=settings.scaling)
        self.net.load_state_dict(WEIGHTS)
        self.x = np.array([settings.probe])
        average = exact_average(self.net, self.x)
        self.exact_mean = float(average.arithmetic[0, 0])
        self.eval_pass = self.net.forward(self.x, training=False, record=False)
        # All 16 sub-networks in one batched pass, one mask per row: mask code c keeps unit j when bit j
        # of c is set. Every draw below runs one of them.
        masks = every_mask(HIDDEN)
        subnetworks = self.net.forward(np.repeat(self.x, N_MASKS, axis=0), [masks], record=False)
        self._counts = MaskCounts(np.column_stack([subnetworks.output[:, 0], subnetworks.layer_inputs[1]]))
        # The stream restarts from the seed whenever a setting changes, so the same uniforms u come back.
        # A unit is kept when u ≥ p, so raising p only ever drops more of the same units, never others.
        self._rng = np.random.default_rng([settings.seed, _MASK_STREAM])
        self._trace_draws: list[int] = []
        self._trace_mean: list[float] = []
        self.settings = replace(settings, draws=0)
        remaining = settings.draws
        while remaining > 0:
            count = min(_BLOCK, remaining)
            self._draw(count)
            remaining -= count

    def _draw(self, count: int) -> None:
        """Draw ``count`` masks at once and count them in; the last one is shown."""
        masks = self._rng.random((count, HIDDEN)) >= self.settings.p
        codes = masks @ (1 << np.arange(HIDDEN))
        counts = self._counts
        start = counts.total
        # The running mean after each mask of the block, at the trace's counts only: how often each
        # sub-network had run by then, weighting their outputs. Draws between two traced counts form one
        # segment; the running counts are the cumulative sums of the segments' counts.
        at = TRACE_AT[np.searchsorted(TRACE_AT, start, "right") : np.searchsorted(TRACE_AT, start + count, "right")]
        if len(at):
            segment = np.searchsorted(at, np.arange(start + 1, start + count + 1))
            per_segment = np.bincount(segment * N_MASKS + codes, minlength=(len(at) + 1) * N_MASKS)
            ran = np.cumsum(per_segment.reshape(-1, N_MASKS)[: len(at)], axis=0) + counts.counts
            self._trace_draws.extend(int(n) for n in at)
            self._trace_mean.extend((ran @ counts.values[:, 0] / at).tolist())
        counts.counts += np.bincount(codes, minlength=N_MASKS)
        self.mask = masks[-1].copy()
        self.settings = replace(self.settings, draws=counts.total)

    # -- commands ---------------------------------------------------------------------------------
    @command
    def set(
        self,
        *,
        p: float | None = None,
        scaling: Scaling | None = None,
        probe: tuple[float, float] | None = None,
        seed: int | None = None,
    ) -> None:
        """New settings; when any of them differs, the running mean starts over at the first mask."""
        if p is not None:
            p = check_p(p)
        changes: dict[str, Any] = {
            name: value
            for name, value in (("p", p), ("scaling", scaling), ("probe", probe), ("seed", seed))
            if value is not None
        }
        candidate = replace(self.settings, **changes, draws=1).checked()
        if replace(candidate, draws=self.settings.draws) != self.settings:
            self._start(candidate)

    @command
    def resample(self, count: int = 1) -> None:
        """Draw ``count`` more masks (the last one is shown) and add them to the running mean."""
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
            raise ValueError(f"count must be a whole number from 1 to {MAX_COUNT}, got {spelled(count)}")
        room = MAX_DRAWS - self.settings.draws
        if room <= 0:
            raise ValueError(f"the running mean holds at most {MAX_DRAWS:,} masks; start over to draw more")
        self._draw(min(count, room))

    @command
    def reset(self) -> None:
        """The running mean starts over at the first mask of the seed's stream."""
        self._start(replace(self.settings, draws=1))

    # -- what to draw -----------------------------------------------------------------------------
    def frame(self) -> Frame:
        settings, net = self.settings, self.net
        p = settings.p
        current = net.forward(self.x, [self.mask], record=False)
        z = current.pre_activations[0][0]
        h = current.activations[0][0]
        passed = current.layer_inputs[1][0]
        w1, w2 = net.weights[0], net.weights[1][:, 0]
        scale, eval_factor = train_scale(p, settings.scaling), eval_scale(p, settings.scaling)
        counts = self._counts
        mean, variance = counts.mean(), counts.variance()
        running_mean = float(mean[0])
        eval_output = float(self.eval_pass.output[0, 0])
        values: dict[str, Any] = {
            "settings": self.url_settings(),
            "sizes": list(SIZES),
            "weights": [w.tolist() for w in net.weights],
            "biases": [b.tolist() for b in net.biases],
            "input": list(settings.probe),
            "mask": [bool(m) for m in self.mask],
            "pre_activations": z.tolist(),
            "hidden": h.tolist(),
            "passed": passed.tolist(),
            "edge_in": (self.x[0][:, None] * w1).tolist(),
            "edge_out": (passed * w2).tolist(),
            # The output of this mask's sub-network from the same batched pass the running mean counts, so
            # that after one draw the running mean is this output to the last bit, whatever the BLAS.
            "output": float(counts.values[int(self.mask @ (1 << np.arange(HIDDEN))), 0]),
            "train_scale": scale,
            "train_scale_text": train_scale_text(p, settings.scaling),
            "eval_scale": eval_factor,
            "eval_scale_text": eval_scale_text(p, settings.scaling),
            "eval_hidden": self.eval_pass.layer_inputs[1][0].tolist(),
            "eval_output": eval_output,
            "exact_mean": self.exact_mean,
            "exact_gap": self.exact_mean - eval_output,
            "output_bias": float(net.biases[1][0]),
            "hidden_part": eval_output - float(net.biases[1][0]),
            "n_masks": N_MASKS,
            "draws": counts.total,
            "running_mean": running_mean,
            "standard_error": None if variance is None else float(np.sqrt(variance[0] / counts.total)),
            "gap": running_mean - eval_output,
            "unit_mean": mean[1:].tolist(),
            "unit_variance": None if variance is None else variance[1:].tolist(),
            "unit_mean_exact": (scale * (1 - p) * h).tolist(),
            "unit_variance_exact": (scale**2 * h**2 * p * (1 - p)).tolist(),
            "max_draws": MAX_DRAWS,
            "max_count": MAX_COUNT,
        }
        trace_draws, trace_mean = self._trace_draws, self._trace_mean
        if not trace_draws or trace_draws[-1] != counts.total:
            trace_draws, trace_mean = [*trace_draws, counts.total], [*trace_mean, running_mean]
        arrays = {
            "trace_draws": np.array(trace_draws, dtype=np.int32),
            "trace_mean": np.array(trace_mean, dtype=np.float32),
        }
        return Frame(values, arrays)

    def url_settings(self) -> dict[str, object]:
        """The settings as the page writes them into its address."""
        s = self.settings
        return {"p": s.p, "scaling": s.scaling, "probe": list(s.probe), "seed": s.seed, "draws": s.draws}


def train_scale_text(p: float, scaling: Scaling) -> str:
    """What training multiplies kept units by, to two decimals; never inf or NaN."""
    if scaling != "inverted":
        return "1 (no scaling in training)"
    if p == 1.0:
        return "0 (every unit dropped)"
    return f"1/(1 − p) = {1.0 / (1.0 - p):.2f}"


def eval_scale_text(p: float, scaling: Scaling) -> str:
    """What eval multiplies every unit by."""
    if scaling == "classic":
        return f"1 − p = {1.0 - p:.2f}"
    return "1 (eval is the identity)"
