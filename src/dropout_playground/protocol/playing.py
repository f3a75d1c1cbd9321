"""Playing a figure: its training command repeated by the host at a rate the page chooses.

A figure whose training command is marked ``@played`` takes two more commands:

* ``{"type": "play", "rate": 1500}``: train at that many steps a second until paused; answered at once by a
  frame, then frames keep coming, about ``FRAMES_PER_SECOND`` a second, while it plays. Each carries the id
  of the newest command whose effect it shows: a frame that overtakes the answer to a command answers it;
* ``{"type": "pause"}``: stop; answered by a frame.

Every frame of such a figure says in its header whether it is playing (``"playing": true``), so the page's
Play button follows the host: playing stops by itself at the figure's cap (``TrainingFinished``), and on a
refusal (a run that diverges), which comes as an error under the ``play`` command's id.

The host runs the training in chunks that each fit a display frame, one after another, so the figure
trains for as much of each second as the processor allows, with no round trip to the page in between; it
builds a frame only as often as the page draws one. ``StepClock`` says how many steps are owed.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from .commands import Command

MAX_PLAY_RATE = 10_000  # steps a second; the page's fastest speed is 1,500
FRAMES_PER_SECOND = 32  # the page draws a little over 30 a second (web/shared/paced-drawing.ts)
BACKLOG_SECONDS = 0.5


class PlayCommand(Command):
    """Start playing, or change the rate while playing."""

    rate: int = Field(ge=1, le=MAX_PLAY_RATE)


class PauseCommand(Command):
    """Stop playing."""


@dataclass
class StepClock:
    """The steps a figure owes at ``rate`` steps a second since ``start``, less those it took. A figure that
    cannot keep up (a busy server, a slow machine) owes at most ``BACKLOG_SECONDS`` of steps: it never
    races to catch up later."""

    rate: int
    start: float
    taken: int = 0

    def owed(self, now: float) -> int:
        due = self.rate * (now - self.start) - self.taken
        if due > self.rate * BACKLOG_SECONDS:
            # Count again as if playing had started one frame ago: one frame's worth owed.
            self.start, self.taken = now - 1 / FRAMES_PER_SECOND, 0
            due = self.rate / FRAMES_PER_SECOND
        # Whole steps; a product that should be whole (300 × 0.1) may come out a hair below it.
        return max(0, int(due + 1e-9))

    def took(self, steps: int) -> None:
        self.taken += steps

    def seconds_until_owed(self, now: float) -> float:
        """How long until at least one step is owed."""
        return max(0.0, (self.taken + 1) / self.rate - (now - self.start))
