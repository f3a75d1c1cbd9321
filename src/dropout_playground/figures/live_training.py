"""Training in chunks that fit a display frame, for figures that train while the student watches.

A training command and the frame that answers it share one display frame, 16 ms: the command trains for
what the last frame's drawing left of ``FRAME_SECONDS`` (never less than ``LEAST_SECONDS``, and always at
least one step), and the steps still owed come in the next chunk (the page asks again, or the host plays
the figure on). So a costly picture (many MC passes) shortens the chunks instead of delaying the frames, on
any machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from ..engine import TrainingDiverged
from .frame import Frame

FRAME_SECONDS = 0.013  # server time for one command and its frame, with room to spare below 16 ms
LEAST_SECONDS = 0.002


class ChunkClock:
    """How long the last frame took to build, and so how long the next training chunk may run."""

    def __init__(self) -> None:
        self.frame_seconds = 0.0

    def measure(self, build: Callable[[], Frame]) -> Frame:
        """``build()``'s frame, timed."""
        started = time.perf_counter()
        try:
            return build()
        finally:
            self.frame_seconds = time.perf_counter() - started

    @property
    def training_seconds(self) -> float:
        return max(LEAST_SECONDS, FRAME_SECONDS - self.frame_seconds)


class Steps(Protocol):
    """A trainer: one optimisation step per ``step()``, which raises ``TrainingDiverged`` rather than
    leave non-finite weights."""

    def step(self) -> object: ...


def train_steps(
    trainer: Steps,
    steps: int,
    seconds: float | None = None,
    after_step: Callable[[], object] | None = None,
    *,
    least: int = 1,
) -> int:
    """Up to ``steps`` steps of ``trainer``; with ``seconds``, stop once they are spent, but never before
    ``least`` steps (so that a small request, a Step button's, is always carried out whole). ``after_step``
    runs after each. A diverging run is a ``ValueError`` whose sentence, for a student, names the step; the
    trainer is as it was before that step. Returns the steps taken."""
    deadline = None if seconds is None else time.perf_counter() + seconds
    done = 0
    try:
        while done < steps and (deadline is None or done < least or time.perf_counter() < deadline):
            trainer.step()
            done += 1
            if after_step is not None:
                after_step()
    except TrainingDiverged as error:
        # The engine's own sentence suggests a smaller learning rate, which no page lets a student set.
        raise ValueError(
            f"training diverged at step {error.step:,}: its loss or its weights stopped being finite numbers. "
            "The weights from before that step are kept."
        ) from None
    return done


class Curves:
    """Values recorded as training goes (losses, accuracies), each a named column, at the steps they were
    recorded; in arrays with room for every record a figure can make, so that a frame reads them as they
    are however long the curves have grown."""

    def __init__(self, columns: Sequence[str], capacity: int) -> None:
        self.columns = {name: i for i, name in enumerate(columns)}
        self.count = 0
        self._steps = np.zeros(capacity, dtype=np.int32)
        self._values = np.zeros((len(columns), capacity))

    def record(self, step: int, *values: float) -> None:
        """One record: a value for each column, in the columns' order."""
        if self.count == len(self._steps):
            raise ValueError(f"the curves hold at most {len(self._steps)} records")
        self._steps[self.count] = step
        self._values[:, self.count] = values
        self.count += 1

    @property
    def steps(self) -> np.ndarray:
        return self._steps[: self.count]

    def __getitem__(self, column: str) -> np.ndarray:
        return self._values[self.columns[column], : self.count]

    def last_at(self, step: int) -> dict[str, float] | None:
        """The last record's values when it was made at ``step``, else None."""
        if self.count == 0 or self._steps[self.count - 1] != step:
            return None
        return {name: float(self._values[i, self.count - 1]) for name, i in self.columns.items()}

    def thinned(self, most: int) -> dict[str, np.ndarray]:
        """Every column and the steps (as ``steps``), single precision, at most ``most`` records: every k-th
        and always the last, which is all a chart a few hundred pixels wide can show."""
        stride = max(1, -(-self.count // most))
        rows = np.arange(0, self.count, stride)
        if self.count and rows[-1] != self.count - 1:
            rows = np.append(rows, self.count - 1)
        thinned = {name: self._values[i, rows].astype(np.float32) for name, i in self.columns.items()}
        return {"steps": self._steps[rows], **thinned}
