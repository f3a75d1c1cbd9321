"""The forgotten ``model.eval()``: one trained network asked in train mode, in eval mode, and by MC dropout.

The network (2 → 32 → 32 → 2, trained once with p = 0.5 on noisy half moons, then shared by every
session) answers a few fixed inputs and a test set three ways:

- **train mode**, the bug: dropout stays on, so every call is a different sub-network and the answers
  flicker from draw to draw;
- **eval mode**: every unit, no dropout; the same answer every time;
- **MC dropout**: the mean of T train-mode passes, the same mistake made on purpose and averaged.

For each way the figure gives the test set's reliability diagram (confidence in 10 bins against the
accuracy in each bin, with the bin counts), its expected calibration error, its accuracy and its mean
confidence. Draw d takes its masks from ``default_rng([seed, 6, d])``, so a link replays the draw shown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..engine import MLP, Adam, Dataset, Reliability, Trainer, dropout_passes, reliability, two_moons
from .checks import check_seed, check_whole, spelled
from .commands import command
from .compute_once import ComputeOnceCache
from .frame import Frame
from .live_training import train_steps
from .playground import plane_grid

SIZES = (2, 32, 32, 2)
TRAINED_P = 0.5
TRAIN_STEPS = 2000
T_CHOICES = (5, 10, 30)
BINS = 10
SAMPLES = 600
TEST_FRACTION = 2 / 3  # 400 test points: enough for ten reliability bins
MAX_DRAWS = 100_000
MAP_GRID = 40
_MASK_STREAM = 6
# Four inputs to watch: inside each class, on the boundary between them, and far from every training point.
PROBES: tuple[tuple[str, tuple[float, float]], ...] = (
    ("A", (-0.9, 0.55)),
    ("B", (1.0, -0.5)),
    ("C", (0.0, 0.1)),
    ("D", (2.4, 1.4)),
)


@dataclass(frozen=True)
class ForgottenEvalSettings:
    """``T`` passes for MC dropout; the seed of the network and of its data; ``draw`` counts Resamples."""

    T: int = 10
    seed: int = 0
    draw: int = 0

    def checked(self) -> ForgottenEvalSettings:
        if isinstance(self.T, bool) or self.T not in T_CHOICES:
            raise ValueError(f"T must be one of {', '.join(map(str, T_CHOICES))}, got {spelled(self.T)}")
        check_seed(self.seed)
        check_whole(self.draw, "draw", 0, MAX_DRAWS)
        return self


@dataclass(frozen=True)
class TrainedClassifier:
    state: dict[str, np.ndarray]
    data: Dataset


def _train(seed: int) -> TrainedClassifier:
    data = two_moons(n_samples=SAMPLES, noise=0.35, test_fraction=TEST_FRACTION, seed=seed)
    net = MLP(list(SIZES), p=TRAINED_P, seed=seed)
    trainer = Trainer(net, data, Adam(net.parameters(), lr=0.01), batch_size=32, seed=seed)
    train_steps(trainer, TRAIN_STEPS)
    state = net.state_dict()
    for array in (*state.values(), data.x_train, data.y_train, data.x_test, data.y_test):
        array.flags.writeable = False
    return TrainedClassifier(state, data)


_trained: ComputeOnceCache[int, TrainedClassifier] = ComputeOnceCache(8)


def trained_classifier(seed: int) -> TrainedClassifier:
    """The network and data for ``seed``, trained once per process and shared."""
    return _trained.get(seed, lambda: _train(seed))


def _reliability_values(result: Reliability) -> dict[str, Any]:
    return {
        "counts": result.counts.tolist(),
        "accuracy": result.accuracy.tolist(),
        "confidence": result.confidence.tolist(),
        "ece": result.expected_calibration_error,
        "overall_accuracy": result.overall_accuracy,
        "mean_confidence": result.mean_confidence,
    }


class ForgottenEval:
    """Driven by ``set`` and ``resample``; ``frame()`` says what to draw."""

    name = "forgotten-eval"
    settings_type = ForgottenEvalSettings

    def __init__(self, settings: ForgottenEvalSettings | None = None) -> None:
        self.settings = (settings or ForgottenEvalSettings()).checked()
        self._load(self.settings.seed)

    def _load(self, seed: int) -> None:
        """The network and data of ``seed``; if training them fails (``ValueError``), nothing changes."""
        trained = trained_classifier(seed)
        self.data = trained.data
        self.net = MLP(list(SIZES), p=TRAINED_P).load_state_dict(trained.state)
        self.bounds, self._grid = plane_grid(self.data, MAP_GRID)
        self._eval_map = self.net.forward(self._grid, training=False, record=False).output
        self._eval_test = self.net.forward(self.data.x_test, training=False, record=False).output
        self._eval_reliability = reliability(self._eval_test, self.data.y_test, BINS)

    # -- commands ---------------------------------------------------------------------------------
    @command
    def set(self, *, T: int | None = None, seed: int | None = None) -> None:
        """A new number of MC passes, or a new network (its own seed: new data, new training)."""
        new = replace(
            self.settings, T=self.settings.T if T is None else T, seed=self.settings.seed if seed is None else seed
        ).checked()
        if new.seed != self.settings.seed:
            self._load(new.seed)
            self.settings = replace(new, draw=0)
        else:
            self.settings = new

    @command
    def resample(self) -> None:
        """A new draw: new masks for the train-mode pass and for the T passes of MC dropout."""
        if self.settings.draw >= MAX_DRAWS:
            raise ValueError(f"a link can replay at most {MAX_DRAWS:,} draws; change the seed for new ones")
        self.settings = replace(self.settings, draw=self.settings.draw + 1)

    # -- what to draw -----------------------------------------------------------------------------
    def frame(self) -> Frame:
        s, data = self.settings, self.data
        rng = np.random.default_rng([s.seed, _MASK_STREAM, s.draw])
        probes = np.array([point for _, point in PROBES])
        # One train-mode pass over the probes, the test set and the map; then T more for MC dropout.
        inputs = np.vstack([probes, data.x_test])
        once = dropout_passes(self.net, inputs, 1, rng=rng)[0]
        passes = dropout_passes(self.net, inputs, s.T, rng=rng)
        mc = passes.mean(axis=0)
        n = len(probes)
        eval_probes = self.net.forward(probes, training=False, record=False).output
        values: dict[str, Any] = {
            "settings": self.url_settings(),
            "t_choices": list(T_CHOICES),
            "trained_p": TRAINED_P,
            "sizes": list(SIZES),
            "max_draws": MAX_DRAWS,
            "test_points": len(data.x_test),
            "bins": BINS,
            "probes": [
                {
                    "name": name,
                    "point": list(point),
                    "eval": eval_probes[i].tolist(),
                    "train": once[i].tolist(),
                    "mc": mc[i].tolist(),
                    # The spread of the T passes: how much the class-1 probability moves from pass to pass.
                    "mc_spread": float(passes[:, i, 1].std()),
                }
                for i, (name, point) in enumerate(PROBES)
            ],
            "modes": {
                "train": _reliability_values(reliability(once[n:], data.y_test, BINS)),
                "eval": _reliability_values(self._eval_reliability),
                "mc": _reliability_values(reliability(mc[n:], data.y_test, BINS)),
            },
            "bounds": [float(v) for v in self.bounds],
            "grid": MAP_GRID,
        }
        arrays: dict[str, np.ndarray] = {
            "eval_map": np.round(self._eval_map * 255).astype(np.uint8).reshape(MAP_GRID, MAP_GRID, -1),
            "points": data.x_test.astype(np.float32),
            "labels": data.y_test.astype(np.uint8),
        }
        return Frame(values, arrays)

    def url_settings(self) -> dict[str, object]:
        s = self.settings
        return {"T": s.T, "seed": s.seed, "draw": s.draw}
