"""How good are a network's outputs? Metrics on probabilities (or regression outputs) and targets.

Class probabilities come as ``(batch, classes)`` rows (softmax outputs) or as ``(batch, 1)`` /
``(batch,)`` probabilities of class 1 (sigmoid outputs); labels as integers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .functions import Array
from .losses import class_labels


def class_probabilities(probs: ArrayLike) -> Array:
    """Rows of class probabilities; a single sigmoid output p becomes the two columns (1 − p, p)."""
    values = np.asarray(probs, dtype=np.float64)
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2:
        raise ValueError(f"probabilities must be (batch, classes) or (batch,), got shape {values.shape}")
    if values.shape[1] == 1:
        values = np.hstack([1.0 - values, values])
    return values


def _labels(y: ArrayLike, probs: Array) -> NDArray[np.intp]:
    return class_labels(y, probs.shape[1], probs.shape[0])


def accuracy(probs: ArrayLike, y: ArrayLike) -> float:
    """The fraction of examples whose most probable class is the true one."""
    values = class_probabilities(probs)
    return float(np.mean(values.argmax(axis=1) == _labels(y, values)))


def cross_entropy(probs: ArrayLike, y: ArrayLike, eps: float = 1e-12) -> float:
    """Mean −log(probability of the true class), with probabilities clipped at ``eps`` to stay finite."""
    values = class_probabilities(probs)
    chosen = values[np.arange(values.shape[0]), _labels(y, values)]
    return float(-np.mean(np.log(np.clip(chosen, eps, 1.0))))


def mean_squared_error(predictions: ArrayLike, y: ArrayLike) -> float:
    pred = np.asarray(predictions, dtype=np.float64)
    target = np.asarray(y, dtype=np.float64).reshape(pred.shape)
    return float(np.mean((pred - target) ** 2))


def expected_calibration_error(probs: ArrayLike, y: ArrayLike, n_bins: int = 15) -> float:
    """ECE (Guo et al. 2017): the gap |accuracy − confidence| in equal-width confidence bins, averaged with
    weights proportional to the number of examples in each bin. 0 means perfectly calibrated."""
    if n_bins < 1:
        raise ValueError(f"n_bins must be at least 1, got {n_bins}")
    values = class_probabilities(probs)
    confidence = values.max(axis=1)
    correct = values.argmax(axis=1) == _labels(y, values)
    # Bin (k/n, (k+1)/n]: a confidence of exactly 1 falls in the top bin.
    bins = np.clip(np.ceil(confidence * n_bins).astype(int) - 1, 0, n_bins - 1)
    count = np.bincount(bins, minlength=n_bins)
    gap = np.abs(np.bincount(bins, correct, n_bins) - np.bincount(bins, confidence, n_bins))
    return float(gap.sum() / max(count.sum(), 1))


@dataclass(frozen=True)
class Reliability:
    """A reliability diagram's numbers: per equal-width confidence bin (k/n, (k+1)/n], how many examples
    fell in it, their accuracy and their mean confidence (both 0 for an empty bin); and the summary."""

    counts: NDArray[np.intp]
    accuracy: Array
    confidence: Array
    expected_calibration_error: float
    overall_accuracy: float
    mean_confidence: float


def reliability(probs: ArrayLike, y: ArrayLike, n_bins: int = 10) -> Reliability:
    """The numbers behind a reliability diagram, binned as ``expected_calibration_error`` bins them."""
    if n_bins < 1:
        raise ValueError(f"n_bins must be at least 1, got {n_bins}")
    values = class_probabilities(probs)
    confidence = values.max(axis=1)
    correct = (values.argmax(axis=1) == _labels(y, values)).astype(np.float64)
    bins = np.clip(np.ceil(confidence * n_bins).astype(int) - 1, 0, n_bins - 1)
    counts = np.bincount(bins, minlength=n_bins)
    right = np.bincount(bins, correct, n_bins)
    sure = np.bincount(bins, confidence, n_bins)
    shown = np.maximum(counts, 1)
    return Reliability(
        counts=counts,
        accuracy=right / shown,
        confidence=sure / shown,
        expected_calibration_error=float(np.abs(right - sure).sum() / max(len(values), 1)),
        overall_accuracy=float(correct.mean()),
        mean_confidence=float(confidence.mean()),
    )
