"""Dropout, as the page writes it.

``p`` is the *drop* probability, as in PyTorch (``torch.nn.Dropout(p)``), Keras (``rate``) and Flax.
Each unit is kept independently with probability ``q = 1 - p``:

    m_i ~ Bernoulli(1 - p)
    inverted (PyTorch):  training  y = x * m / (1 - p)      eval  y = x
    classic (2012/2014): training  y = x * m                eval  y = x * (1 - p)
    none (the bug):      training  y = x * m                eval  y = x

Inverted and classic give every unit the same expected value in training as in eval; "none" does not:
its eval activations are 1 / (1 - p) times their training-time mean.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Literal, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

Scaling = Literal["inverted", "classic", "none"]
SCALINGS: tuple[Scaling, ...] = ("inverted", "classic", "none")

FloatArray = NDArray[np.floating]
Mask = NDArray[np.bool_]


def check_drop_probability(p: object, name: str = "p") -> float:
    """Return ``p`` as a float, or raise ``ValueError`` naming the offending value.

    The message for an out-of-range value is PyTorch's own. ``bool`` is refused even though Python counts
    it as a number: ``dropout(x, True)`` is almost always a mix-up with the ``training`` flag.
    """
    if isinstance(p, bool) or not isinstance(p, Real):
        raise ValueError(
            f"dropout probability {name} must be a number between 0 and 1, but got {p!r} ({type(p).__name__})"
        )
    value = float(p)
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    return value


def check_scaling(scaling: object) -> Scaling:
    for known in SCALINGS:
        if scaling == known:
            return known
    raise ValueError(f"scaling must be one of {', '.join(map(repr, SCALINGS))}, but got {scaling!r}")


def sample_mask(shape: int | tuple[int, ...], p: float, rng: np.random.Generator) -> Mask:
    """A keep-mask: each entry is True (kept) with probability ``1 - p``, independently."""
    return rng.random(shape) >= p


def every_mask(units: int) -> Mask:
    """All 2^units keep-masks, one per row: row c keeps unit j when bit j of c is set (row 0 drops all)."""
    if isinstance(units, bool) or not isinstance(units, int) or not 0 <= units <= 30:
        raise ValueError(f"units must be a whole number from 0 to 30, got {units!r}")
    codes = np.arange(2**units)[:, None]
    every: Mask = (codes >> np.arange(units) & 1).astype(bool)
    return every


def mask_probability(masks: ArrayLike, p: float) -> FloatArray:
    """The probability of each keep-mask (the last axis holds the units): a mask keeping k of N units has
    probability (1 − p)^k · p^(N − k). Sub-networks are equally likely only at p = 0.5."""
    p = check_drop_probability(p)
    kept = np.asarray(masks, dtype=bool)
    probability: FloatArray = np.prod(np.where(kept, 1.0 - p, p), axis=-1)
    return probability


def train_scale(p: float, scaling: Scaling) -> float:
    """The factor applied to kept units in training: ``1 / (1 - p)`` for inverted dropout, else 1.

    At ``p = 1`` nothing is kept, and the factor is 0 (as in PyTorch), never ``inf``.
    """
    if scaling != "inverted":
        return 1.0
    return 0.0 if p == 1.0 else 1.0 / (1.0 - p)


def eval_scale(p: float, scaling: Scaling) -> float:
    """The factor applied to every unit in eval mode: ``1 - p`` for classic dropout, else 1."""
    return 1.0 - p if scaling == "classic" else 1.0


def _as_float_array(x: ArrayLike) -> FloatArray:
    array = np.asarray(x)
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
    return array


@overload
def dropout(
    x: ArrayLike,
    p: float,
    *,
    rng: np.random.Generator,
    training: bool = ...,
    scaling: Scaling = ...,
    return_mask: Literal[False] = ...,
) -> FloatArray: ...


@overload
def dropout(
    x: ArrayLike,
    p: float,
    *,
    rng: np.random.Generator,
    training: bool = ...,
    scaling: Scaling = ...,
    return_mask: Literal[True],
) -> tuple[FloatArray, Mask]: ...


def dropout(
    x: ArrayLike,
    p: float,
    *,
    rng: np.random.Generator,
    training: bool = True,
    scaling: Scaling = "inverted",
    return_mask: bool = False,
) -> FloatArray | tuple[FloatArray, Mask]:
    """Drop each entry of ``x`` with probability ``p``; see the module docstring for the three scalings.

    With ``return_mask=True`` also returns the keep-mask used (all True in eval mode).
    """
    p = check_drop_probability(p)
    scaling = check_scaling(scaling)
    values = _as_float_array(x)
    if not training:
        factor = eval_scale(p, scaling)
        out = values if factor == 1.0 else values * values.dtype.type(factor)
        mask = np.ones(values.shape, dtype=bool)
    else:
        mask = sample_mask(values.shape, p, rng)
        scale = values.dtype.type(train_scale(p, scaling))
        out = np.zeros_like(values) if p == 1.0 else values * (mask * scale)
    return (out, mask) if return_mask else out
