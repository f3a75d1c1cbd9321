"""Small seeded toy problems: five 2-D classification sets and a noisy sine wave for regression.

Every generator takes ``n_samples``, a ``noise`` level, a ``test_fraction`` and a ``seed``, and returns a
``Dataset`` split at random into train and test parts. The same arguments always give the same arrays.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Dataset:
    """Train and test arrays. Classification targets are integer labels ``0 … n_classes − 1``; regression
    targets are ``(n, 1)`` arrays and ``n_classes`` is ``None``."""

    name: str
    x_train: Array
    y_train: NDArray[Any]
    x_test: Array
    y_test: NDArray[Any]
    n_classes: int | None

    @property
    def is_classification(self) -> bool:
        return self.n_classes is not None

    @property
    def n_features(self) -> int:
        return int(self.x_train.shape[1])


def _check(n_samples: int, noise: float, test_fraction: float, minimum: int = 4) -> None:
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < minimum:
        raise ValueError(f"n_samples must be a whole number of at least {minimum}, got {n_samples!r}")
    if not (isinstance(noise, (int, float)) and math.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a non-negative number, got {noise!r}")
    if not (isinstance(test_fraction, (int, float)) and 0 <= test_fraction < 1):
        raise ValueError(f"test_fraction must be in [0, 1), got {test_fraction!r}")


def _split(
    name: str, x: Array, y: NDArray[Any], n_classes: int | None, test_fraction: float, rng: np.random.Generator
) -> Dataset:
    order = rng.permutation(len(x))
    n_test = round(test_fraction * len(x))
    test, train = order[:n_test], order[n_test:]
    return Dataset(name, x[train], y[train], x[test], y[test], n_classes)


def _counts(n_samples: int, n_classes: int) -> list[int]:
    """Split ``n_samples`` as evenly as possible between the classes."""
    return [n_samples // n_classes + (k < n_samples % n_classes) for k in range(n_classes)]


def two_moons(n_samples: int = 200, *, noise: float = 0.1, test_fraction: float = 0.25, seed: int = 0) -> Dataset:
    """Two interleaving half circles (class 0 above, class 1 below), with Gaussian noise on x and y."""
    _check(n_samples, noise, test_fraction)
    rng = np.random.default_rng(seed)
    n0, n1 = _counts(n_samples, 2)
    t0, t1 = np.linspace(0, math.pi, n0), np.linspace(0, math.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    x = np.vstack([upper, lower]) + rng.normal(0, noise, (n_samples, 2))
    x = x - [0.5, 0.25]  # centre the two moons on the origin
    y = np.repeat([0, 1], [n0, n1])
    return _split("moons", x, y, 2, test_fraction, rng)


def circles(n_samples: int = 200, *, noise: float = 0.1, test_fraction: float = 0.25, seed: int = 0) -> Dataset:
    """An outer ring of class 0 (radius 1) around an inner ring of class 1 (radius 0.5)."""
    _check(n_samples, noise, test_fraction)
    rng = np.random.default_rng(seed)
    n0, n1 = _counts(n_samples, 2)
    angles = rng.uniform(0, 2 * math.pi, n_samples)
    radius = np.repeat([1.0, 0.5], [n0, n1])
    x = np.column_stack([radius * np.cos(angles), radius * np.sin(angles)]) + rng.normal(0, noise, (n_samples, 2))
    y = np.repeat([0, 1], [n0, n1])
    return _split("circles", x, y, 2, test_fraction, rng)


def xor(n_samples: int = 200, *, noise: float = 0.1, test_fraction: float = 0.25, seed: int = 0) -> Dataset:
    """Points in [−1, 1]², half of each class; class 1 where x·y > 0 (first and third quadrants), labelled
    before the noise is added."""
    _check(n_samples, noise, test_fraction)
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], _counts(n_samples, 2))
    magnitude = rng.uniform(0, 1, (n_samples, 2))
    sign_x = rng.choice([-1.0, 1.0], n_samples)
    sign_y = np.where(y == 1, sign_x, -sign_x)
    x = magnitude * np.column_stack([sign_x, sign_y]) + rng.normal(0, noise, (n_samples, 2))
    return _split("xor", x, y, 2, test_fraction, rng)


def spiral(
    n_samples: int = 300, *, n_classes: int = 3, noise: float = 0.2, test_fraction: float = 0.25, seed: int = 0
) -> Dataset:
    """Interleaved spiral arms, one per class (2 or 3), with noise on the angle."""
    if n_classes not in (2, 3):
        raise ValueError(f"spiral supports 2 or 3 classes, got {n_classes!r}")
    _check(n_samples, noise, test_fraction, minimum=2 * n_classes)
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for k, count in enumerate(_counts(n_samples, n_classes)):
        radius = np.linspace(0.05, 1.0, count)
        angle = np.linspace(0, 4.0, count) + 2 * math.pi * k / n_classes + rng.normal(0, noise, count)
        xs.append(np.column_stack([radius * np.sin(angle), radius * np.cos(angle)]))
        ys.append(np.full(count, k))
    return _split(f"spiral{n_classes}", np.vstack(xs), np.concatenate(ys), n_classes, test_fraction, rng)


def blobs(n_samples: int = 300, *, noise: float = 0.35, test_fraction: float = 0.25, seed: int = 0) -> Dataset:
    """Three Gaussian clusters of spread ``noise`` centred on a circle of radius 1."""
    _check(n_samples, noise, test_fraction, minimum=6)
    rng = np.random.default_rng(seed)
    counts = _counts(n_samples, 3)
    angles = np.pi / 2 + 2 * np.pi * np.arange(3) / 3
    centres = np.column_stack([np.cos(angles), np.sin(angles)])
    y = np.repeat(np.arange(3), counts)
    x = centres[y] + rng.normal(0, noise, (n_samples, 2))
    return _split("blobs", x, y, 3, test_fraction, rng)


def noisy_sine(n_samples: int = 40, *, noise: float = 0.25, test_fraction: float = 0.5, seed: int = 0) -> Dataset:
    """y = sin(x) + noise for x uniform in [−π, π]: few points and much noise, made to be overfitted."""
    _check(n_samples, noise, test_fraction)
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-math.pi, math.pi, n_samples))[:, None]
    y = np.sin(x) + rng.normal(0, noise, (n_samples, 1))
    return _split("sine", x, y, None, test_fraction, rng)


DATASETS: dict[str, Callable[..., Dataset]] = {
    "moons": two_moons,
    "circles": circles,
    "xor": xor,
    "spiral": spiral,
    "blobs": blobs,
    "sine": noisy_sine,
}


def make_dataset(name: str, **options: Any) -> Dataset:
    """``make_dataset("spiral", n_classes=2, seed=3)``: a dataset by its name in ``DATASETS``."""
    try:
        generator = DATASETS[name]
    except KeyError:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}") from None
    return generator(**options)
