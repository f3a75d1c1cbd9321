"""The local web server: the article page, its assets, and one live figure session per WebSocket.

State lives in the connection: each WebSocket owns its figure, so several server processes behind any
proxy can serve a class without sharing anything. Figure work runs in a worker thread, so one student's
training does not hold up another's page; a figure that takes a while to build (a link holding thousands
of training steps) reports its progress meanwhile. A slow client never makes memory grow: its outbox keeps
only the newest unsent frame.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import signal
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from multiprocessing import resource_tracker
from typing import Any
from urllib.parse import urlsplit

import h11
import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.supervisors.multiprocess import Multiprocess

from .figures.claims import claims
from .figures.progress import Progress
from .page import article_template, render_article
from .player import Player
from .process_tuning import end_with_parent, tune_process
from .protocol import (
    FIGURES,
    PLAY_COMMANDS,
    Figure,
    FigureProtocol,
    ProtocolError,
    encode_error,
    encode_frame,
    encode_progress,
    request_id_of,
)
from .session_work import ServerBusy, SessionClosed, SessionWork, Workshop

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# A student's page sends a few messages a second (a slider being dragged, Auto-resample; Play is one message,
# the server then trains by itself); far more is a runaway or an attack.
MESSAGES_PER_SECOND = 100.0
MESSAGE_BURST = 200
PROGRESS_PER_SECOND = 10
PROGRESS_AFTER_SECONDS = 0.25  # a figure built sooner says nothing of it: no flicker
# A page waits for each answer before it asks again: this many unread errors mean a page that has stopped
# reading, or a client that is not a page.
MAX_WAITING_ERRORS = 32
CLOSE_SECONDS = 10.0
MAX_EARLY_MESSAGES = 8  # read while a figure is built; a page sends none before its first frame


@dataclass
class ServerOptions:
    """``allowed_hosts=None`` accepts any Host header (serving a class on a network); the Origin of a
    WebSocket must still be the page's own."""

    allowed_hosts: frozenset[str] | None = LOCAL_HOSTS
    library_url: str | None = None


class OutboxFull(Exception):
    """A client has left too many answers unread: its page has stopped reading, or it is not a page."""


class Outbox:
    """Messages waiting to be sent: errors queue in order, at most ``MAX_WAITING_ERRORS`` of them
    (``OutboxFull`` beyond); a frame replaces any frame not yet sent, and progress any progress not yet sent
    (a frame waiting to go makes waiting progress stale). So a session's memory is bounded however its client
    behaves."""

    def __init__(self) -> None:
        self._messages: deque[tuple[str, str | bytes]] = deque()
        self._errors = 0
        self._ready = asyncio.Event()

    def put_frame(self, frame: bytes) -> None:
        self._replace(("frame", "progress"), ("frame", frame))

    def put_progress(self, message: str) -> None:
        self._replace(("progress",), ("progress", message))

    def put_error(self, message: str) -> None:
        if self._errors >= MAX_WAITING_ERRORS:
            raise OutboxFull(f"the page is not reading its answers: {self._errors} errors wait unsent")
        self._messages.append(("error", message))
        self._errors += 1
        self._ready.set()

    def _replace(self, kinds: tuple[str, ...], entry: tuple[str, str | bytes]) -> None:
        # At most one frame, one progress and the bounded errors: the copy is short.
        self._messages = deque(m for m in self._messages if m[0] not in kinds)
        self._messages.append(entry)
        self._ready.set()

    async def next(self) -> str | bytes:
        while not self._messages:
            self._ready.clear()
            await self._ready.wait()
        kind, message = self._messages.popleft()
        if kind == "error":
            self._errors -= 1
        return message

    def __len__(self) -> int:
        return len(self._messages)


class ProgressRelay:
    """Carries a figure's progress from the worker thread that builds it to the session's outbox: nothing
    for a build done in a blink (``PROGRESS_AFTER_SECONDS``), then at most ``PROGRESS_PER_SECOND`` reports a
    second, enough for a counter to move and never a flood. Every report is also the build's checkpoint:
    there it stops if its session has closed, and waits its turn once it is long (``session_work``)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, outbox: Outbox, work: SessionWork) -> None:
        self._loop, self._outbox, self._work = loop, outbox, work
        self._last = time.monotonic() + PROGRESS_AFTER_SECONDS - 1 / PROGRESS_PER_SECOND

    def __call__(self, progress: Progress) -> None:
        if progress.shared:
            self._work.check_open()  # it waits for another session's build: that build takes the turns
        else:
            self._work.checkpoint(progress.fraction)
        now = time.monotonic()
        if now - self._last < 1 / PROGRESS_PER_SECOND:
            return
        self._last = now
        self._loop.call_soon_threadsafe(self._outbox.put_progress, encode_progress(progress))


@dataclass
class RateLimit:
    """A token bucket: ``rate`` messages a second on average, ``burst`` at once."""

    rate: float = MESSAGES_PER_SECOND
    burst: float = MESSAGE_BURST
    tokens: float = MESSAGE_BURST
    last: float = field(default_factory=time.monotonic)

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


def _hostname(netloc: str) -> str:
    try:
        return (urlsplit(f"//{netloc}").hostname or "").lower()
    except ValueError:  # a malformed address, "[::1" say: no host of ours
        return ""


def _host_problem(host: str, allowed_hosts: frozenset[str] | None) -> str | None:
    """Why a request naming ``host`` (its Host header) must be refused, or None. A page of another site whose
    name has been pointed at this computer (DNS rebinding) names its own site."""
    if allowed_hosts is not None and _hostname(host) not in allowed_hosts:
        return f"host {host!r} is not served here"
    return None


def _origin_problem(websocket: WebSocket, options: ServerOptions) -> str | None:
    """Why this connection must be refused, or None. Blocks other sites' pages (Origin) and DNS
    rebinding (Host)."""
    host = websocket.headers.get("host", "")
    problem = _host_problem(host, options.allowed_hosts)
    origin = websocket.headers.get("origin")
    if problem is None and origin is not None:
        # Only the page this server sent may connect: its scheme, host and port. A page over http opens ws,
        # one over https opens wss (behind a proxy that ends TLS, the proxy's X-Forwarded-Proto says so).
        page = f"{'https' if websocket.url.scheme == 'wss' else 'http'}://{host}"
        if origin.lower() != page.lower():  # an Origin is just scheme://host[:port]
            problem = f"origin {origin!r} is not this page's, {page}"
    return problem


async def _send_loop(websocket: WebSocket, outbox: Outbox) -> None:
    while True:
        message = await outbox.next()
        if isinstance(message, bytes):
            await websocket.send_bytes(message)
        else:
            await websocket.send_text(message)


async def figure_session(websocket: WebSocket) -> None:
    options: ServerOptions = websocket.app.state.options
    problem = _origin_problem(websocket, options)
    name = websocket.path_params["figure"]
    protocol = FIGURES.get(name)
    if problem is None and protocol is None:
        problem = f"there is no figure named {name!r}; the figures are {', '.join(FIGURES)}"
    if problem is not None or protocol is None:
        await websocket.close(code=1008, reason=problem)
        return
    await websocket.accept()
    sessions: set[WebSocket] = websocket.app.state.sessions
    sessions.add(websocket)
    try:
        await _run_session(websocket, protocol)
    finally:
        sessions.discard(websocket)


async def _run_session(websocket: WebSocket, protocol: FigureProtocol) -> None:
    outbox, limit = Outbox(), RateLimit()
    workshop: Workshop = websocket.app.state.workshop
    work = workshop.session()
    # Sending starts at once: a figure built from a long link reports its progress while it is built.
    sender = asyncio.create_task(_send_loop(websocket, outbox))
    try:
        try:
            built = await _build(websocket, protocol, outbox, work, workshop)
        except ServerBusy as busy:
            return await _refuse(websocket, sender, str(busy), 1013, "the server is busy with long links; try again")
        except ValueError as error:
            # The figure could not be built or drawn (a link whose replay diverges, say): said, not crashed.
            return await _refuse(websocket, sender, str(error), 1011, "this figure could not be built from its link")
        if built is None:
            return
        figure, early, receiving = built
        player = Player(protocol, figure, workshop.players, outbox.put_frame, outbox.put_error)
        try:
            for message in early:
                await _handle(player, message, outbox, limit)
            while True:
                message = await (receiving or websocket.receive())
                receiving = None
                if message["type"] == "websocket.disconnect":
                    break
                await _handle(player, message, outbox, limit)
                # A client's messages may wait in the socket back to back: between any two, every other
                # session gets its turn on the event loop.
                await asyncio.sleep(0)
        finally:
            await player.pause()  # a closed tab trains no more
    except WebSocketDisconnect:
        pass
    except OutboxFull as full:
        await _close(websocket, 1008, str(full))
    finally:
        work.closed.set()  # a build still running for this session stops at its next checkpoint
        await _stop_sending(sender)


async def _refuse(websocket: WebSocket, sender: asyncio.Task[None], message: str, code: int, reason: str) -> None:
    """End a session that has no figure: the error, then the close."""
    await _stop_sending(sender)
    with contextlib.suppress(Exception):
        await websocket.send_text(encode_error(message))
    await _close(websocket, code, reason)


async def _stop_sending(sender: asyncio.Task[None]) -> None:
    sender.cancel()
    # A tab closed mid-send ends the sender with an error of its own: collect it here.
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await sender


async def _build(
    websocket: WebSocket, protocol: FigureProtocol, outbox: Outbox, work: SessionWork, workshop: Workshop
) -> tuple[Figure, list[Mapping[str, Any]], asyncio.Future[Any] | None] | None:
    """The session's figure, built on the builds' pool while the socket is watched: a tab closed meanwhile
    stops the build (None); ``ServerBusy`` if it is long and too many wait already. Returns the figure, the
    messages that came while it was built (at most ``MAX_EARLY_MESSAGES``; later ones wait in the socket)
    and a receive still under way."""
    loop = asyncio.get_running_loop()
    relay = ProgressRelay(loop, outbox, work)

    def build() -> tuple[bytes, Figure, list[str]]:
        try:
            figure, problems = protocol.create(websocket.query_params, relay)
        finally:
            work.finish()
        # A new session's figure is not playing yet, whatever the last session's was.
        playing = False if protocol.played is not None else None
        return encode_frame(figure.name, figure.frame(), playing=playing), figure, problems

    building = loop.run_in_executor(workshop.builds, build)
    early: list[Mapping[str, Any]] = []
    receiving: asyncio.Future[Any] | None = None
    while not building.done():
        if receiving is None and len(early) < MAX_EARLY_MESSAGES:
            receiving = asyncio.ensure_future(websocket.receive())
        waiting = {building} if receiving is None else {building, receiving}
        await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        if receiving is not None and receiving.done():
            message = receiving.result()
            receiving = None
            if message["type"] == "websocket.disconnect":
                work.closed.set()
                # The build ends at its next checkpoint, with SessionClosed: nobody is waiting for it.
                building.add_done_callback(lambda done: done.exception())
                return None
            early.append(message)
    try:
        frame, figure, problems = building.result()
    except (SessionClosed, ServerBusy, ValueError) as error:
        if receiving is not None:
            receiving.cancel()  # the session ends here: nothing more is read
        if isinstance(error, SessionClosed):
            return None
        raise
    outbox.put_frame(frame)
    for text in problems:
        outbox.put_error(encode_error(text))
    return figure, early, receiving


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    """Close with a reason (a close frame has room for 123 bytes of it). The frame waits behind what the
    client has left unread: if it reads nothing for ``CLOSE_SECONDS`` the session ends without it."""
    with contextlib.suppress(Exception):
        closing = websocket.close(code=code, reason=reason.encode()[:123].decode(errors="ignore"))
        await asyncio.wait_for(closing, CLOSE_SECONDS)


async def _handle(player: Player, message: Mapping[str, Any], outbox: Outbox, limit: RateLimit) -> None:
    text = message.get("text")
    raw: str | bytes = text if isinstance(text, str) else message.get("bytes") or b""
    if not limit.allow():
        # Refused, under its own id; and this client's next message is read no sooner than the limit
        # allows, so that a flood costs the server no more than a page at full speed.
        outbox.put_error(
            encode_error(f"too many messages: at most {MESSAGES_PER_SECOND:g} a second", request_id_of(raw))
        )
        await asyncio.sleep(1 / MESSAGES_PER_SECOND)
        return
    request_id = None
    try:
        command = player.protocol.parse(raw)
        request_id = command.id
        if command.type == "play":
            player.play(command.rate, request_id)
        elif command.type == "pause":
            await player.pause()
        if command.type in PLAY_COMMANDS:
            await player.command(request_id)
        else:
            await player.command(request_id, functools.partial(player.protocol.apply, command=command))
    except ProtocolError as error:
        outbox.put_error(encode_error(str(error), request_id if request_id is not None else error.request_id))


def article_page(library_url: str | None) -> str:
    """The article with its computed numbers; the first call computes them (about a second), later ones
    reuse them."""
    return render_article(article_template(), claims(), library_url)


async def index(request: Request) -> Response:
    options: ServerOptions = request.app.state.options
    # Off the event loop: the first page of a process waits for the claims, no one else's frames do.
    return HTMLResponse(await asyncio.to_thread(article_page, options.library_url))


class Assets(StaticFiles):
    """The page's files. A browser keeps each one and asks on every visit whether it changed (its ETag);
    the answer is a bodiless 304 until it has. A lifetime (``max-age``) would save those small questions,
    but under names that do not change with the contents it would keep an old script after an upgrade."""

    def file_response(
        self, full_path: PathLike, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "no-cache"
        return response


class HostCheck:
    """Answers an HTTP request whose Host header names a host not served here with 400 and the reason,
    before any route sees it. A WebSocket's Host is checked with its Origin as its session opens (a refused
    session gets 403)."""

    def __init__(self, app: ASGIApp, allowed_hosts: frozenset[str]) -> None:
        self.app, self.allowed_hosts = app, allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            problem = _host_problem(Headers(scope=scope).get("host", ""), self.allowed_hosts)
            if problem is not None:
                await PlainTextResponse(f"{problem}\n", status_code=400)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(options: ServerOptions | None = None) -> Starlette:
    """The Starlette application: ``/`` the article, ``/static`` its assets, ``/ws/<figure>`` a session.

    Every request must name a host in ``options.allowed_hosts`` (unless it is None). Pages and assets travel
    gzipped (about a third of their size, for a class sharing one Wi-Fi); the middleware handles HTTP only,
    so WebSocket frames pass through it untouched."""
    options = options or ServerOptions()
    hosts = [] if options.allowed_hosts is None else [Middleware(HostCheck, allowed_hosts=options.allowed_hosts)]
    app = Starlette(
        routes=[
            Route("/", index),
            Mount("/static", Assets(packages=[("dropout_playground", "static")]), name="static"),
            WebSocketRoute("/ws/{figure}", figure_session),
        ],
        middleware=[*hosts, Middleware(GZipMiddleware, minimum_size=1000)],
    )
    app.state.options = options
    app.state.sessions = set()  # the open figure sessions; a closed tab leaves this set
    app.state.workshop = Workshop()  # the sessions' builds: their pool, and turns for long ones
    return app


# -- serving: uvicorn's settings, its worker processes, and a prompt stop --------------------------------

KEEP_ALIVE_SECONDS = 5  # an idle connection waits this long for the page's next request (uvicorn's default)
# From a connection's start, or the answer to its previous request, to the end of its next request. A browser
# sends a request whole at once; a client still sending after this is holding the connection open on purpose.
REQUEST_SECONDS = 10
# The most of a request's line and headers kept while they arrive (h11's own default, said here); a head that
# grows past it is refused at once. A link's training log, the longest part of a request, fits many times over.
MAX_REQUEST_HEAD_BYTES = 16 * 1024
# A worker answers new HTTP requests with 503 while it holds this many connections. A student holds one
# WebSocket for each live figure (eight), so this is a hundred students a worker; far beyond it a process runs
# out of file descriptors (often 1,024), and then asyncio stops accepting anyone's connections for a second.
MAX_CONNECTIONS = 1000
BACKLOG = 2048  # connections the kernel holds until a worker accepts them: a class opening the page at once
STOP_SECONDS = 0.5  # after Ctrl-C or SIGTERM, time for the workers to close their connections before they are ended
SIGNAL_SECONDS = 0.1  # how soon the supervisor acts on a signal
HEALTH_EVERY = 5  # ticks of SIGNAL_SECONDS between its looks at whether each worker still answers


class TimedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 connection with a deadline for each request to arrive whole: ``REQUEST_SECONDS``
    from the connection's start or from the answer to its previous request. uvicorn times only an idle
    connection, and stops that clock at the first byte: a client that sends half a request and then nothing,
    or a byte now and then, would hold its connection, and its place among ``MAX_CONNECTIONS``, for ever."""

    _request_clock: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_request_clock()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            self._stop_request_clock()  # the request is in, answered or being answered

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY) and not self.transport.is_closing():
            self._start_request_clock()  # the next request's time starts now (a running clock runs on)

    def handle_websocket_upgrade(self, event: h11.Request) -> None:
        self._stop_request_clock()  # the WebSocket's own protocol takes the connection over, with its pings
        super().handle_websocket_upgrade(event)

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_request_clock()
        super().connection_lost(exc)

    def _start_request_clock(self) -> None:
        if self._request_clock is None:
            self._request_clock = self.loop.call_later(REQUEST_SECONDS, self._request_too_slow)

    def _stop_request_clock(self) -> None:
        if self._request_clock is not None:
            self._request_clock.cancel()
            self._request_clock = None

    def _request_too_slow(self) -> None:
        self._request_clock = None
        self.transport.close()


def _config(app: Any, **settings: Any) -> uvicorn.Config:
    """uvicorn's settings for this server; ``app`` is the application, or with ``factory=True`` a function
    that makes it (in each worker process)."""
    return uvicorn.Config(
        app,
        http=TimedH11Protocol,
        ws="websockets-sansio",
        ws_max_size=2**20,  # beyond protocol.MAX_MESSAGE_BYTES a message gets an error, beyond this the door
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        h11_max_incomplete_event_size=MAX_REQUEST_HEAD_BYTES,
        limit_concurrency=MAX_CONNECTIONS,
        backlog=BACKLOG,
        access_log=False,
        lifespan="off",
        **settings,
    )


def make_server(options: ServerOptions | None = None, *, log_level: str = "warning") -> uvicorn.Server:
    """A uvicorn server for the application in this process; ``run(sockets=[...])`` it on a bound socket."""
    return uvicorn.Server(_config(create_app(options), log_level=log_level))


def serve(
    sock: socket.socket,
    options: ServerOptions | None = None,
    *,
    workers: int = 1,
    on_ready: Callable[[], object] | None = None,
) -> None:
    """Serve on an already bound socket with ``workers`` processes until Ctrl-C, SIGTERM or the terminal's
    closing (SIGHUP), then stop within about ``STOP_SECONDS``; ``on_ready`` runs once the workers are started.
    Sessions share nothing, so each worker serves whoever it accepts; the kernel queues connections on the
    socket until one does."""
    factory = functools.partial(worker_app, options or ServerOptions())
    Workers(_config(factory, factory=True, workers=workers, log_level="warning"), [sock], on_ready).run()


def worker_app(options: ServerOptions) -> Starlette:
    """The application as each worker process makes it as it starts: tuned for small arrays (one BLAS thread,
    freed memory kept for reuse), and computing the article's numbers at once, so that its first page need
    not wait for them. It ends with the supervisor, however that ends."""
    tune_process()
    end_with_parent()
    threading.Thread(target=_compute_claims, daemon=True).start()
    return create_app(options)


class Workers(Multiprocess):
    """uvicorn's supervisor of server processes on one socket, made to stop promptly whatever they are doing.

    On Ctrl-C or SIGTERM it asks every worker to stop (SIGTERM: uvicorn closes its connections, a WebSocket
    with 1012, "service restart", which the page reports as the server gone), and ends any worker still
    running ``STOP_SECONDS`` later. Figure work runs in threads, which nothing can interrupt, and a worker
    holds nothing worth waiting for: its sessions lived in the connections it has closed."""

    def __init__(
        self, config: uvicorn.Config, sockets: list[socket.socket], on_started: Callable[[], object] | None = None
    ) -> None:
        super().__init__(config, sockets)
        self.on_started = on_started

    def run(self) -> None:
        """uvicorn's loop, acting on a signal within ``SIGNAL_SECONDS`` rather than half a second. A worker is
        first asked whether it answers once it has had uvicorn's time to start, so that the supervisor never
        waits for one still importing while a signal waits. Workers start (or replace one that died) with
        Ctrl-C blocked (``_ctrl_c_blocked``)."""
        # Starting multiprocessing's resource tracker, which every worker's start makes sure of, unblocks Ctrl-C
        # (it starts the tracker with Ctrl-C blocked, for the same reason): it starts here, before any block.
        resource_tracker.ensure_running()
        with _ctrl_c_blocked():
            self.init_processes()
        if self.on_started is not None:
            threading.Thread(target=self.on_started, daemon=True).start()
        first_look = round(self.config.timeout_worker_healthcheck / SIGNAL_SECONDS)
        tick = 0
        while not self.should_exit.wait(SIGNAL_SECONDS):
            tick += 1
            with _ctrl_c_blocked():
                self.handle_signals()
                if tick >= first_look and tick % HEALTH_EVERY == 0:
                    self.keep_subprocess_alive()
        self.terminate_all()
        self.join_all()

    def handle_hup(self) -> None:
        # The terminal it runs in has closed: stop, as a program in a terminal does (uvicorn would start new
        # workers, and serve on with no one to stop it).
        self.should_exit.set()

    def join_all(self) -> None:
        deadline = time.monotonic() + STOP_SECONDS
        for worker in self.processes:
            worker.process.join(max(0.0, deadline - time.monotonic()))
        for worker in self.processes:
            if worker.exitcode is None:
                worker.kill()
                worker.process.join()


@contextlib.contextmanager
def _ctrl_c_blocked() -> Iterator[None]:
    """Ctrl-C waits while this runs, and never reaches a process started meanwhile.

    A terminal's Ctrl-C goes to every process in its group, the workers too, and a worker still importing would
    print a traceback. A new process inherits the signals blocked when it starts, so the workers never see
    Ctrl-C: the SIGTERM from their supervisor stops them. A Ctrl-C pressed meanwhile is kept (a blocked signal
    is never lost, unlike an ignored one), and reaches the supervisor's handler once unblocked."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _compute_claims() -> None:
    # A failure here shows on the page's own request, which computes the claims again and reports it.
    with contextlib.suppress(Exception):
        claims()
