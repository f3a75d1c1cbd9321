"""MC dropout's uncertainty, beside a deep ensemble's, on a 1-D regression with a gap in its data.

A handful of training points lie in two clusters, with a gap between them and empty space on both sides,
so that a student can judge interpolation and extrapolation. Six networks of one shape train together
(an engine ``NetworkStack``): one with dropout p, and a deep ensemble of five without dropout, each from
its own initial weights (Lakshminarayanan et al. 2017). Then:

- MC dropout: T train-mode passes of the dropout network; their mean, and a band of ± 2 predictive
  standard deviations, where the predictive variance is τ⁻¹ + the sample variance of the passes
  (variances add; Gal & Ghahramani 2016). τ⁻¹ is the variance of the noise the page adds to its data;
- the ensemble: the members' mean, and ± 2 standard deviations from τ⁻¹ + the members' variance.

The student adds and removes points; the networks then train again from their initial weights, in chunks
the page asks for, up to ``TARGET_STEPS``. A link holds the points, p, T, the seed, the steps and the draw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..engine import MLP, Adam, Dataset, NetworkStack, StackTrainer, dropout_passes
from .checks import check_p, check_seed, check_whole, spelled
from .commands import command
from .compute_once import ComputeOnceCache
from .frame import Frame
from .live_training import ChunkClock, train_steps

X_RANGE = (-4.0, 4.0)
Y_RANGE = (-3.0, 3.0)
NOISE = 0.1
NOISE_VARIANCE = NOISE**2  # τ⁻¹
MEMBERS = 5
WIDTH = 64
TARGET_STEPS = 2000
MAX_CHUNK = 400
T_CHOICES = (10, 30, 100)
MAX_POINTS = 40
MIN_POINTS = 2
THIN_PASSES = 5  # single passes drawn thinly
CURVE_POINTS = 61
MAX_DRAWS = 100_000
NEAR_DATA = 0.3  # a point of the curve within this distance of a training x is "on the data"
LEARNING_RATE = 0.01
_PASS_STREAM = 8
_POINT = re.compile(r"(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)")


def true_function(x: np.ndarray) -> np.ndarray:
    return np.asarray(np.sin(1.6 * x))


def default_points() -> tuple[tuple[float, float], ...]:
    """Two clusters of eight noisy points, a gap between them, nothing on either side."""
    rng = np.random.default_rng(2016)
    x = np.concatenate([np.linspace(-2.6, -1.3, 8), np.linspace(0.7, 1.9, 8)])
    y = true_function(x) + rng.normal(0.0, NOISE, len(x))
    return tuple((round(float(a), 3), round(float(b), 3)) for a, b in zip(x, y))


def format_points(points: tuple[tuple[float, float], ...]) -> str:
    return ",".join(f"{x:g}:{y:g}" for x, y in points)


def parse_points(text: str) -> tuple[tuple[float, float], ...]:
    """Read ``-2.6:0.9,0.7:0.8`` (x:y pairs); ``ValueError`` says what is wrong."""
    points = []
    for part in text.split(","):
        found = _POINT.fullmatch(part.strip())
        if not found:
            raise ValueError(f"points are written like -2.6:0.9,0.7:0.8, got {spelled(part)}")
        points.append((float(found[1]), float(found[2])))
    return tuple(points)


def _coordinate(name: str, value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}, got {spelled(value)}")
    return round(float(value), 3)


def _check_point(x: object, y: object) -> tuple[float, float]:
    return _coordinate("x", x, *X_RANGE), _coordinate("y", y, *Y_RANGE)


@dataclass(frozen=True)
class McDropoutSettings:
    points: tuple[tuple[float, float], ...] = field(default_factory=default_points, metadata={"address": parse_points})
    p: float = 0.2
    T: int = 30
    seed: int = 0
    steps: int = TARGET_STEPS
    draw: int = 0

    def checked(self) -> McDropoutSettings:
        if not MIN_POINTS <= len(self.points) <= MAX_POINTS:
            raise ValueError(f"the figure needs {MIN_POINTS} to {MAX_POINTS} points, got {len(self.points)}")
        points = tuple(_check_point(x, y) for x, y in self.points)
        p = check_p(self.p)
        if p >= 1.0:
            raise ValueError("p must be below 1 for MC dropout: at p = 1 every pass drops every unit")
        if isinstance(self.T, bool) or self.T not in T_CHOICES:
            raise ValueError(f"T must be one of {', '.join(map(str, T_CHOICES))}, got {spelled(self.T)}")
        check_seed(self.seed)
        check_whole(self.steps, "steps", 0, TARGET_STEPS)
        check_whole(self.draw, "draw", 0, MAX_DRAWS)
        return replace(self, points=points, p=p)


def _data(points: tuple[tuple[float, float], ...]) -> Dataset:
    xy = np.array(points, dtype=np.float64)
    x, y = xy[:, :1], xy[:, 1:]
    return Dataset("points", x, y, x[:0], y[:0], None)


@dataclass
class Networks:
    """The six networks, their trainer, and the data they train on."""

    stack: NetworkStack
    trainer: StackTrainer
    data: Dataset


def _networks(points: tuple[tuple[float, float], ...], p: float, seed: int) -> Networks:
    data = _data(points)
    sizes = [1, WIDTH, WIDTH, 1]
    nets = [MLP(sizes, p=p, output="linear", seed=seed)]
    nets += [MLP(sizes, p=0.0, output="linear", seed=seed + 1 + member) for member in range(MEMBERS)]
    stack = NetworkStack(nets)
    trainer = StackTrainer(stack, data, Adam(stack.parameters(), lr=LEARNING_RATE), batch_size=len(points), seed=seed)
    return Networks(stack, trainer, data)


def _trained_state(points: tuple[tuple[float, float], ...], p: float, seed: int, steps: int) -> np.ndarray:
    networks = _networks(points, p, seed)
    train_steps(networks.trainer, steps)
    state: np.ndarray = networks.stack.parameters().flat.copy()
    state.flags.writeable = False
    return state


# Fully trained networks for settings students open (the page's defaults above all), shared by sessions.
_trained: ComputeOnceCache[tuple[Any, ...], np.ndarray] = ComputeOnceCache(8)


class McDropout:
    """Driven by ``set``, ``add_point``, ``remove_point``, ``reset_points``, ``train`` and ``resample``."""

    name = "mc-dropout"
    settings_type = McDropoutSettings

    def __init__(self, settings: McDropoutSettings | None = None) -> None:
        self.clock = ChunkClock()
        self._start((settings or McDropoutSettings()).checked())

    # -- building ---------------------------------------------------------------------------------
    def _start(self, settings: McDropoutSettings) -> None:
        s = settings
        self.networks = _networks(s.points, s.p, s.seed)
        if s.steps == TARGET_STEPS:
            key = (s.points, s.p, s.seed)
            state = _trained.get(key, lambda: _trained_state(s.points, s.p, s.seed, TARGET_STEPS))
            self.networks.stack.parameters().flat[...] = state
            self.networks.trainer.steps = TARGET_STEPS
            self.settings = s
        else:
            self.settings = replace(s, steps=0)
            self._advance(s.steps, None)

    def _advance(self, steps: int, seconds: float | None) -> None:
        try:
            train_steps(self.networks.trainer, steps, seconds)
        finally:
            self.settings = replace(self.settings, steps=self.networks.trainer.steps)

    def _restart(self, **changes: Any) -> None:
        """New data or p or seed: every network starts again from its initial weights, untrained."""
        new = replace(self.settings, **changes, steps=0, draw=0).checked()
        self._start(new)

    # -- commands ---------------------------------------------------------------------------------
    @command
    def set(self, *, p: float | None = None, T: int | None = None, seed: int | None = None) -> None:
        """A new T only redraws the passes; a new p or seed trains the networks again."""
        s = self.settings
        if T is not None:
            self.settings = replace(s, T=T).checked()
        if (p is not None and check_p(p) != s.p) or (seed is not None and seed != s.seed):
            self._restart(p=s.p if p is None else p, seed=s.seed if seed is None else seed)

    @command
    def add_point(self, x: float, y: float) -> None:
        """A training point at (x, y); the networks train again."""
        if len(self.settings.points) >= MAX_POINTS:
            raise ValueError(f"the figure holds at most {MAX_POINTS} points; remove one first")
        self._restart(points=(*self.settings.points, _check_point(x, y)))

    @command
    def remove_point(self, index: int) -> None:
        """Remove the point ``index`` (counted from 0, in the order the points were added)."""
        points = self.settings.points
        check_whole(index, "index", 0, len(points) - 1)
        if len(points) <= MIN_POINTS:
            raise ValueError(f"the figure needs at least {MIN_POINTS} points")
        self._restart(points=points[:index] + points[index + 1 :])

    @command
    def reset_points(self) -> None:
        """The page's own points again."""
        self._restart(points=default_points())

    @command
    def train(self, steps: int = 50) -> None:
        """Up to ``steps`` more steps (as many as fit beside the frame in one display frame), stopping at
        ``TARGET_STEPS``."""
        check_whole(steps, "steps", 1, MAX_CHUNK)
        room = TARGET_STEPS - self.settings.steps
        if room <= 0:
            raise ValueError(f"the networks have finished training ({TARGET_STEPS:,} steps)")
        self._advance(min(steps, room), self.clock.training_seconds)

    @command
    def resample(self) -> None:
        """New masks for the T passes."""
        if self.settings.draw >= MAX_DRAWS:
            raise ValueError(f"a link can replay at most {MAX_DRAWS:,} draws; change the seed for new ones")
        self.settings = replace(self.settings, draw=self.settings.draw + 1)

    # -- what to draw -----------------------------------------------------------------------------
    def frame(self) -> Frame:
        return self.clock.measure(self._frame)

    def _frame(self) -> Frame:
        s, stack = self.settings, self.networks.stack
        x = np.linspace(*X_RANGE, CURVE_POINTS)[:, None]
        rng = np.random.default_rng([s.seed, _PASS_STREAM, s.draw])
        passes = dropout_passes(stack.network(0), x, s.T, rng=rng)[:, :, 0].astype(np.float64)
        mc_mean = passes.mean(axis=0)
        # Predictive variance: the noise τ⁻¹ plus the passes' sample variance (variances add).
        mc_sd = np.sqrt(NOISE_VARIANCE + passes.var(axis=0, ddof=1))
        members = stack.predict(x)[1:, :, 0]
        ensemble_mean = members.mean(axis=0)
        ensemble_sd = np.sqrt(NOISE_VARIANCE + members.var(axis=0, ddof=1))
        regions = curve_regions(x[:, 0], np.array([px for px, _ in s.points]))
        values: dict[str, Any] = {
            "settings": self.url_settings(),
            "points": [list(point) for point in s.points],
            "x_range": list(X_RANGE),
            "y_range": list(Y_RANGE),
            "noise_variance": NOISE_VARIANCE,
            "target_steps": TARGET_STEPS,
            "trained": s.steps >= TARGET_STEPS,
            "t_choices": list(T_CHOICES),
            "members": MEMBERS,
            "max_points": MAX_POINTS,
            "min_points": MIN_POINTS,
            "thin_passes": min(THIN_PASSES, s.T),
            "band": {
                method: {
                    region: float(2 * sd[where].mean()) if where.any() else None for region, where in regions.items()
                }
                for method, sd in (("mc", mc_sd), ("ensemble", ensemble_sd))
            },
        }
        arrays: dict[str, np.ndarray] = {
            "curve_x": x[:, 0].astype(np.float32),
            "truth": true_function(x[:, 0]).astype(np.float32),
            "passes": passes[:THIN_PASSES].astype(np.float32),
            "mc_mean": mc_mean.astype(np.float32),
            "mc_sd": mc_sd.astype(np.float32),
            "member_curves": members.astype(np.float32),
            "ensemble_mean": ensemble_mean.astype(np.float32),
            "ensemble_sd": ensemble_sd.astype(np.float32),
        }
        return Frame(values, arrays)

    def url_settings(self) -> dict[str, object]:
        s = self.settings
        return {"points": format_points(s.points), "p": s.p, "T": s.T, "seed": s.seed, "steps": s.steps, "draw": s.draw}


def curve_regions(x: np.ndarray, data_x: np.ndarray) -> dict[str, np.ndarray]:
    """Where each point of the curve lies: near a training point ("data"), between the training points but
    away from them ("gap"), or beyond them ("outside")."""
    distance = np.abs(x[:, None] - data_x[None, :]).min(axis=1)
    near = distance <= NEAR_DATA
    inside = (x >= data_x.min()) & (x <= data_x.max())
    return {"data": near, "gap": inside & ~near, "outside": ~inside & ~near}
