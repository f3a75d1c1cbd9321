"""A figure played on the server: its training command repeated at the rate the page chose.

The page sends ``play`` once (``protocol.playing``); from then on the session trains in chunks that each fit a
display frame, one after another with no round trip to the page between them, and sends a frame about
``FRAMES_PER_SECOND`` times a second. So the figure trains for as much of each second as the processor
allows, and the page draws what it gets instead of asking for every chunk.

The session's commands and the chunks take turns on the figure (``turn``): a command waits for at most the
chunk under way. The chunks of every session a server process plays run on one thread, in the order they
come, so that students who train share the processor evenly and never crowd out the threads that answer
commands. A chunk already running when the page pauses or leaves ends before anything else touches the
figure.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from .figures.commands import TrainingFinished
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
        self.turn = asyncio.Lock()  # the figure is touched by one command or one chunk at a time
        self._task: asyncio.Task[None] | None = None
        self._clock: StepClock | None = None
        self._request_id: int | None = None

    @property
    def playing(self) -> bool | None:
        """Whether the figure is playing; None for a figure that cannot be played."""
        if self.protocol.played is None:
            return None
        return self._task is not None and not self._task.done()

    def frame(self, request_id: int | None = None) -> bytes:
        """The figure's frame, encoded, saying whether it plays. In a worker thread, holding ``turn``."""
        return encode_frame(self.figure.name, self.figure.frame(), request_id, playing=self.playing)

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
        # No chunk runs now, and the session's commands wait for this one: the figure is this thread's. (No
        # pool either: at shutdown the players' pool takes no more work.)
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
                taken, frame = await self._in_turn(functools.partial(self._chunk, train, asked, with_frame))
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
                self._put_frame(frame)
                # On a fixed beat, so that frames that wait for a chunk to end come no less often on
                # average; a beat missed altogether is not made up with a burst.
                next_frame = max(next_frame + interval, now)
            await asyncio.sleep(0)  # every other session's turn on the event loop, between two chunks

    def _chunk(self, train: Callable[..., Any], steps: int, with_frame: bool) -> tuple[int, bytes | None]:
        taken = int(train(self.figure, steps=steps))
        return taken, self.frame() if with_frame else None

    async def _in_turn(self, work: Callable[[], Any]) -> Any:
        """``work()`` on the players' thread, in the figure's turn. If this is cancelled meanwhile, the work
        still ends before the turn passes on: nothing else touches the figure while it runs."""
        async with self.turn:
            done = asyncio.get_running_loop().run_in_executor(self._executor, work)
            try:
                return await asyncio.shield(done)
            except asyncio.CancelledError:
                with contextlib.suppress(Exception):
                    await done
                raise

    async def _stopped(self) -> None:
        """Playing has stopped by itself: a frame says so (``playing`` is false from here on)."""
        self._task = None

        def settled_frame() -> bytes:
            self._settle()
            return self.frame()

        with contextlib.suppress(ProtocolError):
            self._put_frame(await self._in_turn(settled_frame))

    def _settle(self) -> None:
        """Playing has stopped: the figure's next frames are exact (``figures.commands``)."""
        settle = getattr(self.figure, "settle", None)
        if settle is not None:
            settle()
