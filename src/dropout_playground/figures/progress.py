"""Long work before a figure's first frame (replaying the training steps a link holds), reported as it goes,
so that a page can say what it is waiting for instead of a blank figure."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """What a figure is doing, how much of it is done (0 to 1), and the settings it is being built with,
    as its first frame will give them, so that the page can show them in the controls meanwhile."""

    message: str  # a sentence without its full stop: "Replaying 19,800 training steps"
    fraction: float
    settings: Mapping[str, object]
    # Heard from another session's build of the same first state, which this one waits for: none of the
    # work behind it is this session's own.
    shared: bool = False


Report = Callable[[Progress], None]

REPORT_EVERY_STEPS = 200  # a few milliseconds of training between reports


def chunks(steps: int, size: int = REPORT_EVERY_STEPS) -> Iterator[int]:
    """``steps`` cut into pieces of ``size`` and a remainder, to report between them."""
    while steps > 0:
        yield min(size, steps)
        steps -= size
