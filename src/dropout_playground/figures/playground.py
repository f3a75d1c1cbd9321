"""The playground: a trained classifier on a 2-D dataset, shown one sub-network at a time.

The network is 2 → h₁ → h₂ → classes with dropout on both hidden layers. In train mode the figure shows
one sub-network (one mask per hidden layer, shared by every input) and its predictions over the whole
plane; Resample draws the next one. In eval mode every unit is used and the predictions are fixed.
Everything is seeded: the settings, the seed and the training log rebuild the same network and the same
sequence of masks.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from ..engine import MLP, Adam, Dataset, Trainer, check_drop_probability, make_dataset
from ..engine.losses import loss_and_gradient
from .checks import check_p, check_point, check_seed, check_whole, spelled
from .commands import TrainingFinished, command, played
from .frame import Frame
from .live_training import ChunkClock, Curves, train_steps
from .progress import Progress, Report, chunks
from .training_log import MAX_TOTAL_STEPS, TrainingRun, append_run, format_log, parse_log, total_steps

Mode = Literal["train", "eval"]
DATASET_NAMES = ("blobs", "spiral", "moons", "circles", "xor")
MAX_HIDDEN = 16
MAX_STEPS_PER_COMMAND = 400
RECORD_EVERY = 10  # the loss and accuracy curves take a point every this many steps
CURVE_COLUMNS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")
CURVE_POINTS = 400  # at most this many points of each curve go to the page: more than a chart can show
MAPS_PER_SECOND = 15
PRETRAIN_STEPS = 800
LEARNING_RATE = 0.02
BATCH_SIZE = 32
GRID = 64  # the decision map is GRID × GRID points of the input plane
PROBE_LIMIT = 10.0
MAX_DRAWS = 100_000  # replaying this many masks takes well under a second
_DATA_SEED = 0  # the data stay put when the student changes the network's seed


@dataclass(frozen=True)
class PlaygroundSettings:
    """Everything a link needs to rebuild what a student saw. ``training=None`` means the default:
    ``PRETRAIN_STEPS`` steps at ``p``, so that the network is trained when the page opens. ``draw``
    counts the masks drawn after the first, so that a link shows the same sub-network again."""

    dataset: str = "blobs"
    hidden: tuple[int, int] = (6, 6)
    p: float = 0.5
    mode: Mode = "train"
    seed: int = 0
    # Where most hidden units of the network as it opens are active, so that each new sub-network moves
    # the Prediction (at (0, 0.2) only 3 of 12 were, and 30 masks gave 6 predictions).
    probe: tuple[float, float] = (0.0, -0.8)
    training: tuple[TrainingRun, ...] | None = field(default=None, metadata={"address": parse_log})
    draw: int = 0  # how many masks have been drawn since the first: a link replays them

    def checked(self) -> PlaygroundSettings:
        """These settings with the training log filled in; ``ValueError`` names what is wrong."""
        if self.dataset not in DATASET_NAMES:
            raise ValueError(f"dataset must be one of {', '.join(DATASET_NAMES)}, got {spelled(self.dataset)}")
        if len(self.hidden) != 2 or not all(isinstance(n, int) and 1 <= n <= MAX_HIDDEN for n in self.hidden):
            sizes = " × ".join(spelled(n) for n in self.hidden)
            raise ValueError(f"hidden layers must be two sizes from 1 to {MAX_HIDDEN}, got {sizes}")
        p = check_p(self.p)
        if self.mode not in ("train", "eval"):
            raise ValueError(f"mode must be 'train' or 'eval', got {spelled(self.mode)}")
        check_seed(self.seed)
        check_whole(self.draw, "draw", 0, MAX_DRAWS)
        probe = check_point(self.probe, PROBE_LIMIT, ("x", "y"))
        training = self.training if self.training is not None else (TrainingRun(PRETRAIN_STEPS, p),)
        return replace(self, p=p, training=training, probe=probe)


def _dataset(name: str) -> Dataset:
    options = {"n_classes": 3} if name == "spiral" else {}
    return make_dataset(name, seed=_DATA_SEED, **options)


def playground_data(name: str) -> Dataset:
    """The points the playground trains on and tests with: the same for every network seed."""
    return _dataset(name)


def playground_trainer(net: MLP, data: Dataset, seed: int) -> Trainer:
    """The playground's way of training: Adam at LEARNING_RATE on seeded minibatches of BATCH_SIZE."""
    return Trainer(net, data, Adam(net.parameters(), lr=LEARNING_RATE), batch_size=BATCH_SIZE, seed=seed)


def plane_grid(data: Dataset, size: int = GRID) -> tuple[tuple[float, float, float, float], np.ndarray]:
    """A square window around the data, and its size × size points, rows from the top (largest y) down."""
    points = np.vstack([data.x_train, data.x_test])
    centre = (points.max(axis=0) + points.min(axis=0)) / 2
    half = (points.max(axis=0) - points.min(axis=0)).max() / 2 + 0.3
    x0, x1, y0, y1 = centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half
    xs = np.linspace(x0, x1, size)
    ys = np.linspace(y1, y0, size)
    gx, gy = np.meshgrid(xs, ys)
    return (x0, x1, y0, y1), np.column_stack([gx.ravel(), gy.ravel()])


class Playground:
    """Driven by its methods (``set_p``, ``resample``, ``train`` …); ``frame()`` says what to draw."""

    name = "playground"
    settings_type = PlaygroundSettings

    def __init__(self, settings: PlaygroundSettings | None = None, *, report: Report | None = None) -> None:
        """``report`` hears how the replay of a long training log is going, a few hundred steps at a time."""
        self._build((settings or PlaygroundSettings()).checked(), report)

    # -- building ---------------------------------------------------------------------------------
    def _build(self, settings: PlaygroundSettings, report: Report | None = None) -> None:
        """A fresh network from the seed, trained by replaying the training log."""
        assert settings.training is not None
        self.data = _dataset(settings.dataset)
        assert self.data.n_classes is not None
        self.classes = self.data.n_classes
        self.bounds, self._grid = plane_grid(self.data)
        self.net = MLP([2, *settings.hidden, self.classes], p=settings.p, seed=settings.seed)
        self.trainer = playground_trainer(self.net, self.data, settings.seed)
        self.settings = replace(settings, training=())
        self.clock = ChunkClock()
        self.curves = Curves(CURVE_COLUMNS, MAX_TOTAL_STEPS // RECORD_EVERY + 1)
        self._record()
        self._live = False
        self._map_cache: tuple[tuple[object, ...], float, np.ndarray] | None = None
        self._replay(settings, report)
        self.settings = replace(self.settings, p=settings.p)
        self.net.p = settings.p
        # Masks on screen come from a stream of their own, so that training does not shift them. Each
        # draw takes the same amount of randomness whatever p is, so the count replays the stream.
        self._mask_rng = np.random.default_rng([settings.seed, 1])
        self.settings = replace(self.settings, draw=-1)
        for _ in range(settings.draw + 1):
            self.masks = self._draw_masks()

    def _replay(self, target: PlaygroundSettings, report: Report | None) -> None:
        """Train through ``target``'s log, run by run; with ``report``, say how far it has got as it goes."""
        assert target.training is not None
        total, done = total_steps(target.training), 0
        for run in target.training:
            for steps in chunks(run.steps) if report else [run.steps]:
                if report is not None:
                    report(Progress(f"Replaying {total:,} training steps", done / total, self.url_settings(target)))
                self._train(steps, run.p)
                done += steps

    def _train(self, steps: int, p: float, seconds: float | None = None) -> int:
        """Up to ``steps`` steps at drop probability ``p`` (fewer if ``seconds`` run out), logged and
        recorded; a diverging step is a ``ValueError``, with the weights from before it kept."""
        self.net.p = p
        done = 0

        def record_when_due() -> None:
            nonlocal done
            done += 1
            if self.trainer.steps % RECORD_EVERY == 0:
                self._record()

        try:
            train_steps(self.trainer, steps, seconds, record_when_due)
        finally:
            if done:
                assert self.settings.training is not None
                self.settings = replace(self.settings, training=append_run(self.settings.training, done, p))
        return done

    def _measure(self, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """The eval network's mean cross-entropy and accuracy on (x, y)."""
        pass_ = self.net.forward(x, training=False, record=False)
        loss = loss_and_gradient(self.net.output, pass_.logits, y)[0]
        return float(loss), float(np.mean(pass_.output.argmax(axis=1) == y))

    def _record(self) -> None:
        train_loss, train_accuracy = self._measure(self.data.x_train, self.data.y_train)
        test_loss, test_accuracy = self._measure(self.data.x_test, self.data.y_test)
        self.curves.record(self.trainer.steps, train_loss, test_loss, train_accuracy, test_accuracy)

    def _draw_masks(self) -> list[np.ndarray]:
        self.settings = replace(self.settings, draw=self.settings.draw + 1)
        return [self._mask_rng.random(n) >= self.settings.p for n in self.settings.hidden]

    # -- commands ---------------------------------------------------------------------------------
    @command
    def set(
        self,
        *,
        p: float | None = None,
        mode: Mode | None = None,
        dataset: str | None = None,
        hidden: tuple[int, int] | None = None,
        seed: int | None = None,
        probe: tuple[float, float] | None = None,
    ) -> None:
        """Change any of these settings, in this order; a refused value (``ValueError``) stops there."""
        if p is not None:
            self.set_p(check_p(p))
        if mode is not None:
            self.set_mode(mode)
        if dataset is not None:
            self.set_dataset(dataset)
        if hidden is not None:
            self.set_hidden(*hidden)
        if seed is not None:
            self.set_seed(seed)
        if probe is not None:
            self.set_probe(*probe)

    def set_p(self, p: float) -> None:
        """A new drop probability, and a new sub-network drawn with it."""
        self.settings = replace(self.settings, p=check_drop_probability(p))
        self.net.p = self.settings.p
        self.masks = self._draw_masks()

    def set_mode(self, mode: Mode) -> None:
        self.settings = replace(self.settings, mode=mode).checked()

    def set_probe(self, x: float, y: float) -> None:
        self.settings = replace(self.settings, probe=(x, y)).checked()

    @command
    def resample(self) -> None:
        """The next sub-network. In eval mode there is none to draw: every unit is used."""
        if self.settings.mode == "train":
            self.masks = self._draw_masks()

    @command
    @played(MAX_STEPS_PER_COMMAND)
    def train(self, steps: int = 1) -> int:
        """Up to ``steps`` more optimisation steps at the current p, as many as fit beside the frame in one
        display frame (at least one): live training, in chunks. Returns the steps taken."""
        check_whole(steps, "steps", 1, MAX_STEPS_PER_COMMAND)
        assert self.settings.training is not None
        room = MAX_TOTAL_STEPS - total_steps(self.settings.training)
        if room <= 0:
            raise TrainingFinished(
                f"this network has trained the most steps a link can replay ({MAX_TOTAL_STEPS:,}); Reset to start again"
            )
        asked = min(steps, room)
        taken = self._train(asked, self.settings.p, self.clock.training_seconds)
        # A chunk cut short by its time means more are coming at once: the map may then wait a little.
        self._live = taken < asked
        return taken

    def settle(self) -> None:
        """Training has stopped: the next frame draws the maps as they are now, whenever they were drawn last."""
        self._live = False

    @command
    def reset(self) -> None:
        """Re-initialise the network from the seed, untrained, and restart the mask stream."""
        self._rebuild(replace(self.settings, training=(), draw=0))

    def set_dataset(self, name: str) -> None:
        self._rebuild(replace(self.settings, dataset=name, training=None, draw=0).checked())

    def set_hidden(self, first: int, second: int) -> None:
        self._rebuild(replace(self.settings, hidden=(first, second), training=None, draw=0).checked())

    def set_seed(self, seed: int) -> None:
        self._rebuild(replace(self.settings, seed=seed, training=None, draw=0).checked())

    def _rebuild(self, settings: PlaygroundSettings) -> None:
        """The figure for ``settings``, built apart and taken on only once it is whole: a replay of its
        training that diverges (``ValueError``) leaves the figure on screen as it was."""
        fresh = object.__new__(type(self))
        fresh._build(settings)
        vars(self).update(vars(fresh))

    # -- what to draw -----------------------------------------------------------------------------
    def frame(self) -> Frame:
        return self.clock.measure(self._frame)

    def _heatmap(self, masks: list[np.ndarray] | None) -> np.ndarray:
        """The decision map of what the figure shows. While training runs flat out (chunks cut short by
        their time) it is computed again at most ``MAPS_PER_SECOND`` times a second: the eye needs no more,
        and the time goes to training. Otherwise it is always the current map."""
        s, now = self.settings, time.perf_counter()
        key = (total_steps(s.training or ()), s.draw, s.mode, s.p)
        cached = self._map_cache
        if cached is not None and (cached[0] == key or (self._live and now - cached[1] < 1 / MAPS_PER_SECOND)):
            return cached[2]
        # One pass over the map, in single precision: quantised to 256 levels, it loses nothing visible.
        heatmap = np.round(self.net.picture(self._grid, masks) * 255).astype(np.uint8).reshape(GRID, GRID, -1)
        self._map_cache = (key, now, heatmap)
        return heatmap

    def _frame(self) -> Frame:
        settings, net = self.settings, self.net
        training = settings.mode == "train"
        masks = self.masks if training else [np.ones(n, dtype=bool) for n in settings.hidden]
        probe = net.forward(np.array([settings.probe]), masks if training else None, training=training, record=False)
        steps = total_steps(settings.training or ())
        current = self.curves.last_at(steps)
        if current is None:  # a chunk that ended between two records
            train_loss, train_accuracy = self._measure(self.data.x_train, self.data.y_train)
            test_loss, test_accuracy = self._measure(self.data.x_test, self.data.y_test)
            current = dict(zip(CURVE_COLUMNS, (train_loss, test_loss, train_accuracy, test_accuracy), strict=True))
        alive = [int(m.sum()) for m in masks]
        widths = [2, *settings.hidden, self.classes]
        # An edge is active when both of its ends are alive; inputs and outputs are never dropped.
        active = sum(a * b for a, b in itertools.pairwise([2, *alive, self.classes]))
        total = sum(a * b for a, b in itertools.pairwise(widths))
        values: dict[str, Any] = {
            "settings": self.url_settings(),
            "sizes": widths,
            "alive": alive,
            "active_edges": active,
            "total_edges": total,
            "scale_text": scale_text(settings.p, training),
            "steps": steps,
            "max_steps": MAX_TOTAL_STEPS,
            "max_chunk": MAX_STEPS_PER_COMMAND,
            "at_cap": steps >= MAX_TOTAL_STEPS,
            "record_every": RECORD_EVERY,
            "prediction": [round(float(v), 6) for v in probe.output[0]],
            "predicted_class": int(probe.output[0].argmax()),
            # The eval network's, whatever the picture shows: what training has achieved so far.
            "train_loss": current["train_loss"],
            "test_loss": current["test_loss"],
            "train_accuracy": current["train_accuracy"],
            "test_accuracy": current["test_accuracy"],
            "chance_accuracy": 1 / self.classes,
            "bounds": [float(v) for v in self.bounds],
            "grid": GRID,
        }
        arrays: dict[str, np.ndarray] = {
            "heatmap": self._heatmap(masks if training else None),
            "points": self.data.x_train.astype(np.float32),
            "labels": self.data.y_train.astype(np.uint8),
        }
        for layer, mask in enumerate(masks, start=1):
            arrays[f"mask_{layer}"] = mask.astype(np.uint8)
            arrays[f"activation_{layer}"] = probe.activations[layer - 1][0].astype(np.float32)
            arrays[f"passed_{layer}"] = probe.layer_inputs[layer][0].astype(np.float32)
        for layer, w in enumerate(net.weights, start=1):
            arrays[f"weight_{layer}"] = w.astype(np.float32)
        for name, values_of in self.curves.thinned(CURVE_POINTS).items():
            arrays[f"curve_{name}"] = values_of
        return Frame(values, arrays)

    def url_settings(self, settings: PlaygroundSettings | None = None) -> dict[str, object]:
        """The settings (by default the figure's own) as the page writes them into its address."""
        s = settings or self.settings
        return {
            "dataset": s.dataset,
            "hidden": list(s.hidden),
            "p": s.p,
            "mode": s.mode,
            "seed": s.seed,
            "probe": [round(v, 4) for v in s.probe],
            "training": format_log(s.training or ()),
            "draw": s.draw,
        }


def scale_text(p: float, training: bool) -> str:
    """The train-time scale counter: 1/(1 − p) to two decimals; never inf or NaN."""
    if not training:
        return "1.00 (off)"
    if p == 1.0:
        return "0 (every unit dropped)"
    return f"{1.0 / (1.0 - p):.2f}"
