"""Work done for the figure sessions, so that no student can slow the others.

A figure built from a long link (one that replays thousands of training steps) is long work; everything
else a session asks for is short (a training chunk is cut to fit a display frame). So:

* builds run on a pool of their own (``BUILD_THREADS``), never on the one that answers commands;
* a build whose progress says it will need more than ``LONG_BUILD_SECONDS`` of processor is long; beyond
  ``MOST_LONG`` long builds at once the next is refused, with a sentence that says why;
* builds that report their progress take turns (``TurnTaking``), one at a time: short builds (and new
  ones, whose length is not known yet) before long ones, and within each kind the one that has had the
  least processor time so far. So a student opening the page (a build of a fraction of a second) goes
  ahead of ten long links at their next checkpoint, and the long links share what is left evenly;
* figures played live (``player``) train on one thread of their own, chunk by chunk, whoever's turn it is;
* the work of a session stops when its session closes: a build checks at every progress report (a few
  hundred training steps apart), and so does a build waiting for its turn.
"""

from __future__ import annotations

import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

LONG_BUILD_SECONDS = 1.0  # a few thousand training steps; the default figures build in a fraction of it
MOST_LONG = 8
SWITCH_SECONDS = 0.05  # a build keeps its turn until another has had this much less processor than it
# Long builds waiting their turn hold a thread each: room for all of them and for many short builds.
BUILD_THREADS = 4 * MOST_LONG
_POLL_SECONDS = 0.05  # how often a waiting build looks whether its session has closed


class SessionClosed(Exception):
    """The session this work was for has closed: the work stops where it is."""


class ServerBusy(Exception):
    """Too many long builds are under way already; the message says so to the student."""


class TurnTaking:
    """Builds take turns, ``at_once`` of them running. The turn goes to short builds before long ones, and
    within each kind to the one that has had the least processor time; at every checkpoint a running build
    hands over if a waiting one comes before it (by ``switch_seconds`` of processor time within its kind,
    so that equals do not hand over at every checkpoint)."""

    def __init__(self, at_once: int = 1, switch_seconds: float = SWITCH_SECONDS, most_long: int = MOST_LONG) -> None:
        self._at_once, self._switch, self._most_long = at_once, switch_seconds, most_long
        self._condition = threading.Condition()
        self._waiting: dict[object, tuple[bool, float]] = {}  # each waiting build: (long, processor used)
        self._running: set[object] = set()
        self._long: set[object] = set()

    def turn(self, build: object, used: float, closed: threading.Event, *, long: bool = False) -> None:
        """Return when ``build``, which has had ``used`` seconds of processor, may run on. ``SessionClosed``
        if ``closed`` is set meanwhile; ``ServerBusy`` if ``long`` and too many long builds are under way."""
        with self._condition:
            if long and build not in self._long:
                if len(self._long) >= self._most_long:
                    raise ServerBusy(
                        f"the server is replaying {len(self._long)} long links already; open this one again "
                        "in a minute, or start from a shorter link"
                    )
                self._long.add(build)
            key = (build in self._long, used)
            if build in self._running:
                if not self._waiting or min(self._waiting.values()) > (key[0], used - self._switch):
                    return
                self._running.discard(build)
                self._condition.notify_all()
            self._waiting[build] = key
            try:
                while not self._may_run(build):
                    if closed.is_set():
                        raise SessionClosed
                    self._condition.wait(_POLL_SECONDS)
            except BaseException:
                self._leave(build)
                raise
            del self._waiting[build]
            self._running.add(build)

    def _may_run(self, build: object) -> bool:
        if len(self._running) >= self._at_once:
            return False
        # The first in order; among equals the one that has waited longest (min keeps the first of them,
        # and dicts keep the order builds came in).
        return min(self._waiting, key=self._waiting.__getitem__) is build

    def leave(self, build: object) -> None:
        """``build`` is over (done, failed or stopped): the next may run."""
        with self._condition:
            self._leave(build)

    def _leave(self, build: object) -> None:
        self._running.discard(build)
        self._waiting.pop(build, None)
        self._long.discard(build)
        self._condition.notify_all()

    @property
    def busy(self) -> int:
        """Builds running or waiting their turn."""
        with self._condition:
            return len(self._running) + len(self._waiting)


class SessionWork:
    """One session's view of the server's work: whether its session has closed, and its build's turns."""

    def __init__(self, lane: TurnTaking) -> None:
        self.closed = threading.Event()
        self._lane = lane
        self._started: float | None = None  # the building thread's processor time at its first checkpoint

    def check_open(self) -> None:
        """``SessionClosed`` if the session has closed."""
        if self.closed.is_set():
            raise SessionClosed

    def checkpoint(self, fraction: float) -> None:
        """Called by a build, in its own thread, at each progress report (``fraction`` of it done): stop if
        the session has closed; run only in its turn."""
        self.check_open()
        now = time.thread_time()
        if self._started is None:
            self._started = now
        used = now - self._started
        # Processor time, not time on the clock: a class opening the page at once stretches every build's
        # clock time, not its work.
        long = fraction > 0 and used / fraction > LONG_BUILD_SECONDS
        self._lane.turn(self, used, self.closed, long=long)

    def finish(self) -> None:
        """The build is over (done, failed or stopped): the next may run."""
        self._lane.leave(self)


class Workshop:
    """The server's work for all its sessions: the builds' pool, the long builds' turns, and the thread
    that plays the figures that train live (their chunks take turns on it, in the order they come)."""

    def __init__(self) -> None:
        self.lane = TurnTaking()
        self.builds = ThreadPoolExecutor(BUILD_THREADS, thread_name_prefix="figure-build")
        self.players = ThreadPoolExecutor(1, thread_name_prefix="figure-play")
        self._sessions: weakref.WeakSet[SessionWork] = weakref.WeakSet()

    def session(self) -> SessionWork:
        work = SessionWork(self.lane)
        self._sessions.add(work)
        return work

    def shutdown(self) -> None:
        """Stop every build at its next checkpoint, and start no new one."""
        for work in list(self._sessions):
            work.closed.set()
        self.builds.shutdown(wait=False, cancel_futures=True)
        self.players.shutdown(wait=False, cancel_futures=True)
