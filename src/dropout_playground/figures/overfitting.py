"""Before and after: the same network trained without dropout and with it, side by side, live.

Two networks start from the same initial weights (one seed), see the same minibatches, and differ only
in p: one has p = 0, the other the student's p. They train together, one step each per step (an engine
``NetworkStack``), in chunks (asked for, or played by the host), up to ``MAX_STEPS``. Two tasks:

- ``sine``: regression, y = sin x + noise on a few training points, 1 → width → width → 1; the figure
  draws both fitted curves (eval mode) over the data, the true function and held-out points;
- ``moons``: classification of two noisy half moons, 2 → width → width → 2; the figure draws both
  decision maps.

Every ``RECORD_EVERY`` steps both networks' train and test losses are measured in eval mode: the loss
curves, and the best test loss and its step. Recording at fixed steps makes the curves the same however
the steps were grouped into commands, so a link (its settings and ``steps``) replays them exactly.

The defaults come from ``scripts/overfitting_defaults.py``, which checks over many seeds that with them
the p = 0 network's test loss ends above the dropout network's while its train loss ends below.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from ..engine import MLP, Adam, Dataset, NetworkStack, StackTrainer, two_moons
from ..engine.functions import OutputKind
from .checks import check_p, check_seed, check_whole, spelled
from .commands import TrainingFinished, command, played
from .frame import Frame
from .live_training import ChunkClock, Curves, train_steps
from .playground import plane_grid
from .progress import Progress, Report, chunks

Task = Literal["sine", "moons"]
TASKS: tuple[Task, ...] = ("sine", "moons")
WIDTHS = (4, 16, 64)
MAX_STEPS = 6000
MAX_CHUNK = 400  # steps one command may ask for
LEAST_STEPS = 10  # a command trains at least this many, however long they take: a Step is carried out whole
RECORD_EVERY = 20  # 301 records over MAX_STEPS: as many points as the chart is sent (CURVE_POINTS_SENT)
LEARNING_RATE = 0.003
POINTS_RANGE = (8, 200)
NOISE_RANGE = (0.0, 1.0)
TEST_POINTS = 200
CURVE_POINTS = 161  # where the fitted curves are drawn, across the sine's domain
MAP_GRID = 40
MAPS_PER_SECOND = 15
CURVE_COLUMNS = ("train_none", "train_dropout", "test_none", "test_dropout")
# At most this many points of each loss curve go to the page (every k-th record, and the last): more than
# the chart's width can show, and each one is drawn again in every frame while the networks train.
CURVE_POINTS_SENT = 301
_TEST_SEED_OFFSET = 1_000_003  # the held-out points come from a seed of their own


@dataclass(frozen=True)
class OverfittingSettings:
    """What a link needs: the task, the dropout network's p, the data, the network's width, the seed
    (weights, data and minibatches), and how many steps both networks have trained."""

    task: Task = "sine"
    p: float = 0.5
    noise: float = 0.3
    points: int = 30
    width: int = 64
    seed: int = 0
    steps: int = 0

    def checked(self) -> OverfittingSettings:
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {', '.join(TASKS)}, got {spelled(self.task)}")
        p = check_p(self.p)
        noise = self.noise
        low, high = NOISE_RANGE
        if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not low <= noise <= high:
            raise ValueError(f"noise must be between {low:g} and {high:g}, got {spelled(noise)}")
        check_whole(self.points, "points", *POINTS_RANGE)
        if self.width not in WIDTHS:
            raise ValueError(f"width must be one of {', '.join(map(str, WIDTHS))}, got {spelled(self.width)}")
        check_seed(self.seed)
        check_whole(self.steps, "steps", 0, MAX_STEPS)
        return replace(self, p=p, noise=round(float(noise), 4))


def task_data(task: Task, points: int, noise: float, seed: int) -> Dataset:
    """``points`` training points and ``TEST_POINTS`` held-out points of the task, both noisy."""
    if task == "moons":
        train = two_moons(n_samples=points, noise=noise, test_fraction=0.0, seed=seed)
        test = two_moons(n_samples=TEST_POINTS, noise=noise, test_fraction=0.0, seed=seed + _TEST_SEED_OFFSET)
        return Dataset("moons", train.x_train, train.y_train, test.x_train, test.y_train, 2)
    rng = np.random.default_rng([seed, 5])
    x = rng.uniform(-np.pi, np.pi, (points, 1))
    y = np.sin(x) + rng.normal(0.0, noise, (points, 1))
    rng_test = np.random.default_rng([seed + _TEST_SEED_OFFSET, 5])
    x_test = rng_test.uniform(-np.pi, np.pi, (TEST_POINTS, 1))
    y_test = np.sin(x_test) + rng_test.normal(0.0, noise, (TEST_POINTS, 1))
    return Dataset("sine", x, y, x_test, y_test, None)


class Overfitting:
    """Driven by ``set``, ``train`` and ``reset``; ``frame()`` says what to draw."""

    name = "overfitting"
    settings_type = OverfittingSettings

    def __init__(self, settings: OverfittingSettings | None = None, *, report: Report | None = None) -> None:
        """``report`` hears how the replay of a link's steps is going, a few hundred steps at a time."""
        self.clock = ChunkClock()
        self._start((settings or OverfittingSettings()).checked(), report)

    # -- building ---------------------------------------------------------------------------------
    def _start(self, settings: OverfittingSettings, report: Report | None = None) -> None:
        """Both networks from the seed, untrained; then the link's ``steps`` replayed."""
        s = settings
        self.data = task_data(s.task, s.points, s.noise, s.seed)
        if s.task == "moons":
            self.bounds, self._grid = plane_grid(self.data, MAP_GRID)
        inputs, outputs = (1, 1) if s.task == "sine" else (2, 2)
        kind: OutputKind = "linear" if s.task == "sine" else "softmax"
        sizes = [inputs, s.width, s.width, outputs]
        # The same seed for both: the same initial weights; each then keeps its own mask stream.
        nets = [MLP(sizes, p=p, output=kind, seed=s.seed) for p in (0.0, s.p)]
        self.stack = NetworkStack(nets)
        self.trainer = StackTrainer(
            self.stack, self.data, Adam(self.stack.parameters(), lr=LEARNING_RATE), batch_size=s.points, seed=s.seed
        )
        self.settings = replace(s, steps=0)
        self.curves = Curves(CURVE_COLUMNS, MAX_STEPS // RECORD_EVERY + 1)
        self._map_cache: tuple[int, float, np.ndarray] | None = None
        self._live = False
        self._record()
        shown = {**self.url_settings(), "steps": s.steps}
        for steps in chunks(s.steps) if report else [s.steps]:
            if report is not None:
                report(Progress(f"Replaying {s.steps:,} training steps", self.settings.steps / s.steps, shown))
            self._advance(steps)

    def _advance(self, steps: int, seconds: float | None = None) -> None:
        """Up to ``steps`` steps of both networks (fewer if ``seconds`` run out), recording the curves."""

        def record_when_due() -> None:
            if self.trainer.steps % RECORD_EVERY == 0:
                self._record()

        try:
            train_steps(self.trainer, steps, seconds, record_when_due, least=LEAST_STEPS)
        finally:
            self.settings = replace(self.settings, steps=self.trainer.steps)

    def _record(self) -> None:
        data, stack = self.data, self.stack
        train, test = stack.losses(data.x_train, data.y_train), stack.losses(data.x_test, data.y_test)
        self.curves.record(self.trainer.steps, *train, *test)

    # -- commands ---------------------------------------------------------------------------------
    @command
    def set(
        self,
        *,
        task: Task | None = None,
        p: float | None = None,
        noise: float | None = None,
        points: int | None = None,
        width: int | None = None,
        seed: int | None = None,
    ) -> None:
        """New settings; any change starts both networks again from their initial weights. If one value is
        refused (``ValueError``) nothing changes."""
        changes = {
            name: value
            for name, value in (
                ("task", task),
                ("p", p),
                ("noise", noise),
                ("points", points),
                ("width", width),
                ("seed", seed),
            )
            if value is not None
        }
        new = replace(self.settings, **changes, steps=0).checked()  # type: ignore[arg-type]
        if new != replace(self.settings, steps=0):
            self._start(new)

    @command
    @played(MAX_CHUNK)
    def train(self, steps: int = 10) -> int:
        """Up to ``steps`` more steps for both networks (at most ``MAX_CHUNK``), as many as fit beside the
        frame in one display frame (at least one), stopping at ``MAX_STEPS``; returns the steps taken. The
        frame says how far they got."""
        check_whole(steps, "steps", 1, MAX_CHUNK)
        room = MAX_STEPS - self.settings.steps
        if room <= 0:
            raise TrainingFinished(
                f"both networks have trained the most steps this figure allows ({MAX_STEPS:,}); reset to start again"
            )
        before = self.settings.steps
        self._advance(min(steps, room), self.clock.training_seconds)
        taken = self.settings.steps - before
        # A chunk cut short by its time means more are coming at once: the maps may then wait a little.
        self._live = taken < min(steps, room)
        return taken

    def settle(self) -> None:
        """Training has stopped: the next frame draws the maps as they are now, whenever they were drawn last."""
        self._live = False

    @command
    def reset(self) -> None:
        """Both networks back to their initial weights, untrained."""
        self._start(replace(self.settings, steps=0))

    # -- what to draw -----------------------------------------------------------------------------
    def frame(self) -> Frame:
        return self.clock.measure(self._frame)

    def _frame(self) -> Frame:
        s, curves = self.settings, self.curves
        train = np.column_stack([curves["train_none"], curves["train_dropout"]])
        test = np.column_stack([curves["test_none"], curves["test_dropout"]])
        if curves.steps[-1] == s.steps:  # the usual case: a chunk ends on a recorded step
            current_train, current_test = train[-1], test[-1]
        else:
            current_train = self.stack.losses(self.data.x_train, self.data.y_train)
            current_test = self.stack.losses(self.data.x_test, self.data.y_test)
        best = test.argmin(axis=0)
        networks = []
        for k, (key, p) in enumerate((("none", 0.0), ("dropout", s.p))):
            networks.append(
                {
                    "key": key,
                    "p": p,
                    "train_loss": float(current_train[k]),
                    "test_loss": float(current_test[k]),
                    "gap": float(current_test[k] - current_train[k]),
                    "best_test_loss": float(test[best[k], k]),
                    "best_step": int(curves.steps[best[k]]),
                    # How far the test loss has risen above its best: overfitting, as the curve shows it.
                    "rise": float(current_test[k] - test[best[k], k]),
                }
            )
        values: dict[str, Any] = {
            "settings": self.url_settings(),
            "step": s.steps,
            "max_steps": MAX_STEPS,
            "max_chunk": MAX_CHUNK,
            "at_cap": s.steps >= MAX_STEPS,
            "record_every": RECORD_EVERY,
            "loss_name": "mean squared error" if s.task == "sine" else "cross-entropy",
            "networks": networks,
            "sizes": self.stack.sizes,
            "train_points": len(self.data.x_train),
            "test_points": len(self.data.x_test),
            "widths": list(WIDTHS),
            "tasks": list(TASKS),
        }
        sent = curves.thinned(CURVE_POINTS_SENT)
        arrays: dict[str, np.ndarray] = {
            "curve_steps": sent.pop("steps"),
            **sent,
            "x_train": self.data.x_train.astype(np.float32),
            "y_train": np.asarray(self.data.y_train, dtype=np.float32).reshape(len(self.data.x_train), -1),
            "x_test": self.data.x_test.astype(np.float32),
            "y_test": np.asarray(self.data.y_test, dtype=np.float32).reshape(len(self.data.x_test), -1),
        }
        if s.task == "sine":
            x = np.linspace(-np.pi, np.pi, CURVE_POINTS)[:, None]
            fits = self.stack.picture(x)[:, :, 0]
            arrays |= {
                "curve_x": x[:, 0].astype(np.float32),
                "truth": np.sin(x[:, 0]).astype(np.float32),
                "fit_none": fits[0].astype(np.float32),
                "fit_dropout": fits[1].astype(np.float32),
            }
        else:
            map_step, maps = self._maps()
            values["bounds"] = [float(v) for v in self.bounds]
            values["grid"] = MAP_GRID
            values["map_step"] = map_step
            arrays |= {"map_none": maps[0], "map_dropout": maps[1]}
        return Frame(values, arrays)

    def _maps(self) -> tuple[int, np.ndarray]:
        """Both decision maps, and the step they show. While training runs flat out (chunks cut short by
        their time) they are drawn again at most ``MAPS_PER_SECOND`` times a second: the eye needs no more,
        and the time goes to training. Otherwise they are always the current maps."""
        step, now = self.settings.steps, time.perf_counter()
        cached = self._map_cache
        if cached is not None and (cached[0] == step or (self._live and now - cached[1] < 1 / MAPS_PER_SECOND)):
            return cached[0], cached[2]
        maps = np.round(self.stack.picture(self._grid) * 255).astype(np.uint8).reshape(2, MAP_GRID, MAP_GRID, 2)
        self._map_cache = (step, now, maps)
        return step, maps

    def url_settings(self) -> dict[str, object]:
        s = self.settings
        return {
            "task": s.task,
            "p": s.p,
            "noise": s.noise,
            "points": s.points,
            "width": s.width,
            "seed": s.seed,
            "steps": s.steps,
        }
