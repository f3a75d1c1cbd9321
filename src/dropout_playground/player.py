"""A figure played on the server: its training command repeated at the rate the page chose.

The page sends ``play`` once (``protocol.playing``); from then on the session trains in chunks that each fit a
display frame, one after another with no round trip to the page between them, and sends a frame about
``FRAMES_PER_SECOND`` times a second. So the figure trains for as much of each second as the processor
allows, and the page draws what it gets instead of asking for every chunk.

The chunks of every session a server process plays run on one thread, in the order they come, so that
students who train share the processor evenly and never crowd out the threads that answer commands. The
session's commands and its chunks take turns on the figure (a lock held while one of them runs): a command
waits at most for its own figure's chunk while it runs, never for one still waiting behind other sessions'
chunks. A chunk already running when the page pauses or leaves ends before anything else touches the figure;
one still waiting never runs.

Every frame says the newest command whose effect it shows (its ``id``), and a frame never replaces a newer
one on its way out: a chunk's frame that overtakes the answer to a command answers it too.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from .figures.commands import TrainingFinished, settle
from .protocol import FRAMES_PER_SECOND, Figure, FigureProtocol, ProtocolError, StepClock, encode_error, encode_frame


class Player:
    """Plays one session's figure. ``put_frame`` and ``put_error`` take the encoded messages to send."""

    def __init__(
        self,
        protocol: FigureProtocol,
        figure: Figure,
        executor: Executor,
        put_frame: Callable[[bytes], object],
        put_error: Callable[[str], object],
    ) -> None:
        self.protocol, self.figure, self._executor = protocol, figure, executor
        self._put_frame, self._put_error = put_frame, put_error
        # The figure is touched by one command or one chunk at a time, in whichever thread runs it.
        self._holding = threading.Lock()
        self._answered: int | None = None  # the newest command carried out (held with the figure)
        self._built = 0  # frames built so far (held with the figure): a frame's place in that order
        self._sent = 0  # the place of the newest frame handed to be sent (on the event loop)
        self._task: asyncio.Task[None] | None = None
        self._clock: StepClock | None = None
        self._request_id: int | None = None

    @property
    def playing(self) -> bool | None:
        """Whether the figure is playing; None for a figure that cannot be played."""
        if self.protocol.played is None:
            return None
        return self._task is not None and not self._task.done()

    async def command(self, request_id: int | None, apply: Callable[[Any], object] | None = None) -> None:
        """Carry out a command, ``apply(figure)`` (None: nothing to change), in a worker thread holding the
        figure, and send the frame that answers it. ``ValueError`` or ``ProtocolError`` from ``apply``: the
        figure refused the command, and no frame is sent."""

        def work() -> tuple[int, bytes]:
            with self._holding:
                if apply is not None:
                    apply(self.figure)
                if request_id is not None:
                    self._answered = request_id
                return self._frame()

        self._send(*await asyncio.to_thread(work))

    def _frame(self) -> tuple[int, bytes]:
        """The figure's frame, encoded, with its place in the order frames are built. Holding the figure."""
        frame = encode_frame(self.figure.name, self.figure.frame(), self._answered, playing=self.playing)
        self._built += 1
        return self._built, frame

    def _send(self, built: int, frame: bytes) -> None:
        """Hand a frame to be sent unless a newer one has been already. On the event loop."""
        if built > self._sent:
            self._sent = built
            self._put_frame(frame)

    def play(self, rate: int, request_id: int | None) -> None:
        """Play at ``rate`` steps a second, from now; while playing, a new rate counts from now."""
        if self.protocol.played is None:
            raise ProtocolError(f"the {self.figure.name} figure has nothing to play", request_id)
        self._clock = StepClock(rate, asyncio.get_running_loop().time())
        self._request_id = request_id
        if not self.playing:
            self._task = asyncio.create_task(self._run())

    async def pause(self) -> None:
        """Stop playing; a chunk under way ends first."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        # No chunk runs now, and the session's commands are carried out one at a time (this is one of them, or
        # the session is over): the figure is free, and this thread takes it without waiting. (No pool
        # either: at shutdown the players' pool takes no more work.)
        with self._holding:
            self._settle()

    async def _run(self) -> None:
        assert self.protocol.played is not None
        name, most = self.protocol.played
        train = self.protocol.methods[name]
        loop = asyncio.get_running_loop()
        interval = 1 / FRAMES_PER_SECOND
        next_frame, behind = loop.time(), False
        while True:
            clock = self._clock
            assert clock is not None
            now = loop.time()
            if not behind and now < next_frame:
                # Training keeps up with the rate: the next chunk goes with the next frame.
                await asyncio.sleep(next_frame - now)
                continue
            owed = clock.owed(now)
            if owed == 0:
                await asyncio.sleep(clock.seconds_until_owed(now))
                continue
            asked = min(owed, most)
            with_frame = now >= next_frame
            try:
                taken, frame = await self._on_players(functools.partial(self._chunk, train, asked, with_frame))
            except TrainingFinished:
                # The figure's cap: the last frame showed it; this one says that playing has stopped.
                return await self._stopped()
            except (ValueError, ProtocolError) as error:
                # A run that diverged, or a frame that could not be sent: said under the play command's id.
                self._put_error(encode_error(str(error), self._request_id))
                return await self._stopped()
            clock.took(taken)
            # A chunk cut short by its time: the figure is behind the rate, and trains on at once.
            behind = taken < asked
            if frame is not None:
                self._send(*frame)
                # On a fixed beat, so that frames that wait for a chunk to end come no less often on
                # average; a beat missed altogether is not made up with a burst.
                next_frame = max(next_frame + interval, now)
            await asyncio.sleep(0)  # every other session's turn on the event loop, between two chunks

    def _chunk(self, train: Callable[..., Any], steps: int, with_frame: bool) -> tuple[int, tuple[int, bytes] | None]:
        with self._holding:
            taken = int(train(self.figure, steps=steps))
            return taken, self._frame() if with_frame else None

    async def _on_players(self, work: Callable[[], Any]) -> Any:
        """``work()`` on the players' thread, after the chunks of other sessions that came before it. If this
        is cancelled meanwhile, work still waiting never runs, and work already running ends first: nothing
        else touches the figure while it runs."""
        future = self._executor.submit(work)
        done = asyncio.wrap_future(future)
        try:
            return await asyncio.shield(done)
        except asyncio.CancelledError:
            if not future.cancel():
                with contextlib.suppress(Exception):
                    await done
            raise

    async def _stopped(self) -> None:
        """Playing has stopped by itself: a frame says so (``playing`` is false from here on)."""
        self._task = None

        def settled_frame() -> tuple[int, bytes]:
            with self._holding:
                self._settle()
                return self._frame()

        with contextlib.suppress(ProtocolError):
            self._send(*await self._on_players(settled_frame))

    def _settle(self) -> None:
        """Playing has stopped: the figure's next frames are exact (``figures.commands``)."""
        settle(self.figure)
