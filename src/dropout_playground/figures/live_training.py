"""Training in chunks that fit a display frame, for figures that train while the student watches.

A training command and the frame that answers it share one display frame, 16 ms: the command trains for
what the last frame's drawing left of ``FRAME_SECONDS`` (never less than ``LEAST_SECONDS``, and always at
least one step), and the page asks again for the steps still owed. So a costly picture (many MC passes)
shortens the chunks instead of delaying the frames, on any machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ..engine import StackTrainer, TrainingDiverged
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


def train_steps(
    trainer: StackTrainer,
    steps: int,
    seconds: float | None = None,
    after_step: Callable[[], object] | None = None,
    *,
    least: int = 1,
) -> int:
    """Up to ``steps`` steps of ``trainer``; with ``seconds``, stop once they are spent, but never before
    ``least`` steps (so that a small request, a Step button's, is always carried out whole). ``after_step``
    runs after each. A diverging run is a ``ValueError`` that names the step; the weights from before it
    are kept. Returns the steps taken."""
    deadline = None if seconds is None else time.perf_counter() + seconds
    done = 0
    try:
        while done < steps and (deadline is None or done < least or time.perf_counter() < deadline):
            trainer.step()
            done += 1
            if after_step is not None:
                after_step()
    except TrainingDiverged as error:
        raise ValueError(str(error)) from None
    return done
