"""Lists of arrays that live side by side in one flat vector.

A network's weights and biases are a dozen small arrays; an optimiser step that touches each of them
pays numpy's fixed cost per call a dozen times over. Kept as views into one vector, they can be updated
(or checked for NaN) with one call on ``flat`` while every array still reads as itself.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from copy import deepcopy
from typing import Any

import numpy as np

from .functions import Array


class FlatArrays(list[Array]):
    """A list of arrays that are, in order, views into the 1-D vector ``flat``."""

    flat: Array

    @classmethod
    def allocate(cls, shapes: Iterable[tuple[int, ...]]) -> FlatArrays:
        """Fresh (uninitialised) arrays of the given shapes, sharing one vector."""
        shapes = list(shapes)
        sizes = [math.prod(shape) for shape in shapes]
        flat = np.empty(sum(sizes))
        arrays = cls()
        start = 0
        for shape, size in zip(shapes, sizes):
            arrays.append(flat[start : start + size].reshape(shape))
            start += size
        arrays.flat = flat
        return arrays

    def view(self) -> FlatArrays:
        """A new list of the same arrays: changing the list leaves this one alone."""
        copy = FlatArrays(self)
        copy.flat = self.flat
        return copy

    def __deepcopy__(self, memo: dict[int, Any]) -> FlatArrays:
        """A copy whose arrays are views into a copy of ``flat``, as these are into ``flat``: a deep copy of
        a network, or of an optimiser, updates and reads one vector, as the original does.

        Through ``memo`` the copy's vector and views are shared wherever the original's are (a network's
        ``weights``, its optimiser's ``params``). A view deep-copied before its list would have become an
        array of its own, which is refused; the engine's objects make their list before they take views of
        it, so their copies come out whole.
        """
        flat: Array = deepcopy(self.flat, memo)
        copied = FlatArrays()
        copied.flat = flat
        memo[id(self)] = copied
        origin = self.flat.__array_interface__["data"][0]
        for array in self:
            twin: Array | None = memo.get(id(array))
            if twin is None:
                start = (array.__array_interface__["data"][0] - origin) // flat.itemsize
                twin = flat[start : start + array.size].reshape(array.shape)
                memo[id(array)] = twin
            elif not np.may_share_memory(twin, flat):
                raise ValueError("an array of a FlatArrays was copied apart from its vector")
            copied.append(twin)
        return copied


def flat_vector(arrays: Sequence[Array]) -> Array:
    """The arrays as one vector: their shared ``flat`` when they have one, else a joined copy."""
    flat: Array | None = getattr(arrays, "flat", None)
    if flat is not None:
        return flat
    return np.concatenate([np.ravel(a) for a in arrays]) if arrays else np.empty(0)


def all_finite(arrays: Sequence[Array]) -> bool:
    return bool(np.isfinite(flat_vector(arrays)).all())
