"""Weight constraints applied after an optimiser step."""

from __future__ import annotations

import math

import numpy as np

from .mlp import MLP


def check_max_norm(radius: float) -> float:
    if isinstance(radius, bool) or not isinstance(radius, (int, float)) or not (math.isfinite(radius) and radius > 0):
        raise ValueError(f"max_norm must be a positive number, got {radius!r}")
    return float(radius)


def max_norm(net: MLP, radius: float) -> None:
    """Scale every hidden unit's incoming weight vector whose length exceeds ``radius`` back to that length,
    in place, keeping its direction (Srivastava et al. 2014, Sec. 5.1; they used radii of 3 to 4). The
    output units are not constrained. Weights are stored (inputs, outputs), so a unit's vector is a column."""
    radius = check_max_norm(radius)
    for weights in net.weights[:-1]:
        norms = np.linalg.norm(weights, axis=0)
        weights *= np.minimum(1.0, radius / np.maximum(norms, np.finfo(weights.dtype).tiny))
