"""Co-adaptation, measured: how much a trained network needs any particular set of its hidden units.

Two networks of the same size are trained on the same data with the same steps, one with p = 0 and one
with p = 0.5 (one engine ``NetworkStack``, so they share their initial weights and minibatches). Then, at
test time and in eval mode, k of their N hidden units are removed (their outputs set to 0, nothing
rescaled), for k from 0 to N, and the test accuracy is measured; each point is the mean over
``CHOICES`` random sets of k units (the same sets for both networks), with the 10th to 90th percentile
as a band. Everything is computed once per (dataset, seed) and shared by every session.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..engine import MLP, Adam, Dataset, NetworkStack, StackTrainer, make_dataset
from ..engine.ablation import remove_units
from .checks import check_seed, spelled
from .commands import command
from .compute_once import ComputeOnceCache
from .frame import Frame

DATASET_NAMES = ("spiral", "moons")
HIDDEN = (32, 32)
PS = (0.0, 0.5)
TRAIN_STEPS = 3000
CHOICES = 40  # random sets of removed units per k
K_STEP = 2  # k = 0, 2, 4 … N
_REMOVAL_STREAM = 7


@dataclass(frozen=True)
class CoAdaptationSettings:
    dataset: str = "spiral"
    seed: int = 0

    def checked(self) -> CoAdaptationSettings:
        if self.dataset not in DATASET_NAMES:
            raise ValueError(f"dataset must be one of {', '.join(DATASET_NAMES)}, got {spelled(self.dataset)}")
        check_seed(self.seed)
        return self


@dataclass(frozen=True)
class RemovalStudy:
    """Test accuracy of both networks with k units removed: (networks, k values, choices)."""

    k: np.ndarray
    accuracy: np.ndarray
    units: int
    train_accuracy: tuple[float, float]
    test_points: int
    classes: int

    def __deepcopy__(self, memo: dict[int, Any]) -> RemovalStudy:
        """Never modified and shared by every session: a copy of a figure shares it too."""
        return self


def _data(dataset: str, seed: int) -> Dataset:
    if dataset == "spiral":
        return make_dataset("spiral", n_samples=600, n_classes=2, noise=0.25, test_fraction=0.5, seed=seed)
    return make_dataset("moons", n_samples=600, noise=0.25, test_fraction=0.5, seed=seed)


def study(dataset: str, seed: int) -> RemovalStudy:
    data = _data(dataset, seed)
    classes = int(data.n_classes or 2)
    stack = NetworkStack([MLP([2, *HIDDEN, classes], p=p, seed=seed) for p in PS])
    trainer = StackTrainer(stack, data, Adam(stack.parameters(), lr=0.01), batch_size=32, seed=seed)
    for _ in range(TRAIN_STEPS):
        trainer.step()
    units = sum(HIDDEN)
    k_values = np.arange(0, units + 1, K_STEP)
    rng = np.random.default_rng([seed, _REMOVAL_STREAM])
    # One random order of the units per choice: removing k units removes the first k of that order, so the
    # sets grow with k, and both networks lose the same units.
    orders = np.argsort(rng.random((CHOICES, units)), axis=1)
    x, y = data.x_test, data.y_test
    networks = [stack.network(j) for j in range(len(PS))]
    accuracy = np.empty((len(PS), len(k_values), CHOICES))
    for i, k in enumerate(k_values):
        keep = np.ones((CHOICES, units), dtype=bool)
        np.put_along_axis(keep, orders[:, :k], False, axis=1)
        for n, net in enumerate(networks):
            accuracy[n, i] = (remove_units(net, x, keep).argmax(axis=2) == y).mean(axis=1)
    train_accuracy = [float(np.mean(net.eval()(data.x_train).argmax(axis=1) == data.y_train)) for net in networks]
    return RemovalStudy(k_values, accuracy, units, (train_accuracy[0], train_accuracy[1]), len(x), classes)


_studies: ComputeOnceCache[tuple[str, int], RemovalStudy] = ComputeOnceCache(8)


def cached_study(dataset: str, seed: int) -> RemovalStudy:
    return _studies.get((dataset, seed), lambda: study(dataset, seed))


class CoAdaptation:
    """Driven by ``set``; ``frame()`` says what to draw."""

    name = "co-adaptation"
    settings_type = CoAdaptationSettings

    def __init__(self, settings: CoAdaptationSettings | None = None) -> None:
        self.settings = (settings or CoAdaptationSettings()).checked()
        self.study = cached_study(self.settings.dataset, self.settings.seed)

    @command
    def set(self, *, dataset: str | None = None, seed: int | None = None) -> None:
        """Another dataset or seed: two other networks, trained (once per process) and measured."""
        s = self.settings
        new = replace(s, dataset=s.dataset if dataset is None else dataset, seed=s.seed if seed is None else seed)
        self.study = cached_study(new.checked().dataset, new.seed)
        self.settings = new

    def frame(self) -> Frame:
        study = self.study
        mean = study.accuracy.mean(axis=2)
        low, high = np.percentile(study.accuracy, [10, 90], axis=2)
        half = int(np.searchsorted(study.k, study.units // 2))
        values: dict[str, Any] = {
            "settings": {"dataset": self.settings.dataset, "seed": self.settings.seed},
            "datasets": list(DATASET_NAMES),
            "ps": list(PS),
            "hidden": list(HIDDEN),
            "classes": study.classes,
            "sizes": [2, *HIDDEN, study.classes],
            "units": study.units,
            "choices": CHOICES,
            "train_steps": TRAIN_STEPS,
            "test_points": study.test_points,
            "train_accuracy": list(study.train_accuracy),
            "full_accuracy": mean[:, 0].tolist(),
            "half": {"k": int(study.k[half]), "accuracy": mean[:, half].tolist()},
        }
        arrays: dict[str, np.ndarray] = {"k": study.k.astype(np.int32)}
        for n, key in enumerate(("none", "dropout")):
            arrays[f"{key}_mean"] = mean[n].astype(np.float32)
            arrays[f"{key}_low"] = low[n].astype(np.float32)
            arrays[f"{key}_high"] = high[n].astype(np.float32)
        return Frame(values, arrays)
