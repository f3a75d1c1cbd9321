"""What a figure hands to whoever draws it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Frame:
    """One picture's worth of numbers: plain values (numbers, strings, lists) and numpy arrays."""

    values: dict[str, Any]
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
