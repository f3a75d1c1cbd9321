"""A network's training history as a short list of (steps, p) runs: enough to rebuild its weights.

Training is seeded, so the weights after a sequence of runs are a function of the seed and of the runs.
Written into a link as ``800@0.5,200@0.1``, it lets the link reproduce the trained network it was made
from, including live training at several values of p.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..engine import check_drop_probability
from .checks import spelled

MAX_TOTAL_STEPS = 20_000
_RUN = re.compile(r"(\d{1,6})@([0-9.]{1,12})")


@dataclass(frozen=True)
class TrainingRun:
    steps: int
    p: float


def append_run(log: tuple[TrainingRun, ...], steps: int, p: float) -> tuple[TrainingRun, ...]:
    """The log after ``steps`` more steps at ``p``: a run at the same p as the last one extends it."""
    if log and log[-1].p == p:
        return (*log[:-1], TrainingRun(log[-1].steps + steps, p))
    return (*log, TrainingRun(steps, p))


def total_steps(log: tuple[TrainingRun, ...]) -> int:
    return sum(run.steps for run in log)


def format_log(log: tuple[TrainingRun, ...]) -> str:
    return ",".join(f"{run.steps}@{run.p:g}" for run in log)


def parse_log(text: str) -> tuple[TrainingRun, ...]:
    """Read ``800@0.5,200@0.1``; an empty string is an untrained network. Raises ``ValueError``."""
    if not text:
        return ()
    runs = []
    for part in text.split(","):
        match = _RUN.fullmatch(part.strip())
        if not match:
            raise ValueError(f"training runs are written like 800@0.5, got {spelled(part)}")
        runs.append(TrainingRun(int(match[1]), check_drop_probability(float(match[2]))))
    log = tuple(runs)
    if total_steps(log) > MAX_TOTAL_STEPS:
        raise ValueError(f"at most {MAX_TOTAL_STEPS} training steps can be replayed, got {total_steps(log)}")
    return log
