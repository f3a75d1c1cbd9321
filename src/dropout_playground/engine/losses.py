"""The training loss that goes with each output, computed from the logits, with its gradient.

softmax → cross-entropy with integer class labels (PyTorch ``CrossEntropyLoss``);
sigmoid → binary cross-entropy with 0/1 targets (``BCEWithLogitsLoss``);
linear  → mean squared error (``MSELoss``). Every loss is a mean over the batch (and over outputs).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .functions import Array, OutputKind, log_sigmoid, sigmoid


def class_labels(y: ArrayLike, n_classes: int, batch: int) -> NDArray[np.intp]:
    labels = np.asarray(y)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.shape != (batch,):
        raise ValueError(f"expected {batch} class labels, got an array of shape {labels.shape}")
    if labels.dtype.kind not in "iub" and labels.size and not np.all(np.equal(np.mod(labels, 1), 0)):
        raise ValueError("class labels must be whole numbers")
    labels = labels.astype(np.intp)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"class labels must lie in 0..{n_classes - 1}, got {labels.min()}..{labels.max()}")
    return labels


def _targets_like(y: ArrayLike, logits: Array) -> Array:
    targets = np.asarray(y, dtype=np.float64)
    if targets.ndim == 1 and logits.shape[1] == 1:
        targets = targets[:, None]
    if targets.shape != logits.shape:
        raise ValueError(f"targets have shape {targets.shape}, but the network outputs {logits.shape}")
    return targets


def loss_and_gradient(kind: OutputKind, logits: Array, y: ArrayLike) -> tuple[float, Array]:
    """The mean loss over the batch and its gradient with respect to the logits."""
    batch = logits.shape[0]
    if kind == "softmax":
        labels = class_labels(y, logits.shape[1], batch)
        rows = np.arange(batch)
        # log_softmax and softmax from one set of exponentials: z − max − log Σ e, and e / Σ e.
        shifted = logits - logits.max(axis=1, keepdims=True)
        exps = np.exp(shifted)
        totals = exps.sum(axis=1)
        loss = -float((shifted[rows, labels] - np.log(totals)).mean())
        grad = exps / totals[:, None]
        grad[rows, labels] -= 1.0
        return loss, grad / batch
    targets = _targets_like(y, logits)
    if kind == "sigmoid":
        # −[y log σ(z) + (1 − y) log(1 − σ(z))], with log(1 − σ(z)) = log σ(−z).
        loss = -float((targets * log_sigmoid(logits) + (1.0 - targets) * log_sigmoid(-logits)).mean())
        return loss, (sigmoid(logits) - targets) / targets.size
    residual = logits - targets
    return float((residual * residual).mean()), 2.0 * residual / targets.size
