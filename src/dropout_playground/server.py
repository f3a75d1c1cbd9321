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
import os
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope
from starlette.websockets import WebSocket, WebSocketDisconnect
from threadpoolctl import threadpool_limits

from .figures.claims import claims
from .figures.progress import Progress
from .page import article_template, render_article
from .protocol import FIGURES, Figure, FigureProtocol, ProtocolError, encode_error, encode_frame, encode_progress

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# A student's page asks for a few dozen frames a second, up to about 90 while training runs flat out with two
# requests in flight; far more is a runaway or an attack.
MESSAGES_PER_SECOND = 100.0
MESSAGE_BURST = 200
PROGRESS_PER_SECOND = 10
PROGRESS_AFTER_SECONDS = 0.25  # a figure built sooner says nothing of it: no flicker


@dataclass
class ServerOptions:
    """``allowed_hosts=None`` accepts any Host header (serving a class on a network); the Origin of a
    WebSocket must still be the page's own."""

    allowed_hosts: frozenset[str] | None = LOCAL_HOSTS
    library_url: str | None = None


class Outbox:
    """Messages waiting to be sent: errors queue in order; a frame replaces any frame not yet sent, and
    progress any progress not yet sent (a frame waiting to go makes waiting progress stale)."""

    def __init__(self) -> None:
        self._messages: deque[tuple[str, str | bytes]] = deque()
        self._ready = asyncio.Event()

    def put_frame(self, frame: bytes) -> None:
        self._replace(("frame", "progress"), ("frame", frame))

    def put_progress(self, message: str) -> None:
        self._replace(("progress",), ("progress", message))

    def put_error(self, message: str) -> None:
        self._messages.append(("error", message))
        self._ready.set()

    def _replace(self, kinds: tuple[str, ...], entry: tuple[str, str | bytes]) -> None:
        self._messages = deque(m for m in self._messages if m[0] not in kinds)
        self._messages.append(entry)
        self._ready.set()

    async def next(self) -> str | bytes:
        while not self._messages:
            self._ready.clear()
            await self._ready.wait()
        return self._messages.popleft()[1]

    def __len__(self) -> int:
        return len(self._messages)


class ProgressRelay:
    """Carries a figure's progress from the worker thread that builds it to the session's outbox: nothing
    for a build done in a blink (``PROGRESS_AFTER_SECONDS``), then at most ``PROGRESS_PER_SECOND`` reports a
    second, enough for a counter to move and never a flood."""

    def __init__(self, loop: asyncio.AbstractEventLoop, outbox: Outbox) -> None:
        self._loop, self._outbox = loop, outbox
        self._last = time.monotonic() + PROGRESS_AFTER_SECONDS - 1 / PROGRESS_PER_SECOND

    def __call__(self, progress: Progress) -> None:
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
    return (urlsplit(f"//{netloc}").hostname or "").lower()


def _origin_problem(websocket: WebSocket, options: ServerOptions) -> str | None:
    """Why this connection must be refused, or None. Blocks other sites' pages (Origin) and DNS
    rebinding (Host)."""
    host = websocket.headers.get("host", "")
    if options.allowed_hosts is not None and _hostname(host) not in options.allowed_hosts:
        return f"host {host!r} is not served here"
    origin = websocket.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc.lower() != host.lower():
        return f"origin {origin!r} is not this page's"
    return None


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
    # Sending starts at once: a figure built from a long link reports its progress while it is built.
    sender = asyncio.create_task(_send_loop(websocket, outbox))
    try:
        relay = ProgressRelay(asyncio.get_running_loop(), outbox)
        figure, problems = await asyncio.to_thread(protocol.create, websocket.query_params, relay)
        outbox.put_frame(await asyncio.to_thread(lambda: encode_frame(figure.name, figure.frame())))
        for text in problems:
            outbox.put_error(encode_error(text))
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            await _handle(protocol, figure, message, outbox, limit)
    except WebSocketDisconnect:
        pass
    finally:
        sender.cancel()
        # A tab closed mid-send ends the sender with an error of its own: collect it here.
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sender


async def _handle(
    protocol: FigureProtocol, figure: Figure, message: Mapping[str, Any], outbox: Outbox, limit: RateLimit
) -> None:
    request_id = None
    try:
        if not limit.allow():
            raise ProtocolError(f"too many messages: at most {MESSAGES_PER_SECOND:g} a second")
        text = message.get("text")
        raw: str | bytes = text if isinstance(text, str) else message.get("bytes") or b""
        command = protocol.parse(raw)
        request_id = command.id

        def work() -> bytes:
            try:
                protocol.apply(figure, command)
            except ValueError as error:
                raise ProtocolError(str(error)) from None
            return encode_frame(figure.name, figure.frame(), request_id)

        outbox.put_frame(await asyncio.to_thread(work))
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


def create_app(options: ServerOptions | None = None) -> Starlette:
    """The Starlette application: ``/`` the article, ``/static`` its assets, ``/ws/<figure>`` a session.

    Pages and assets travel gzipped (about a third of their size, for a class sharing one Wi-Fi); the
    middleware handles HTTP only, so WebSocket frames pass through it untouched."""
    app = Starlette(
        routes=[
            Route("/", index),
            Mount("/static", Assets(packages=[("dropout_playground", "static")]), name="static"),
            WebSocketRoute("/ws/{figure}", figure_session),
        ],
        middleware=[Middleware(GZipMiddleware, minimum_size=1000)],
    )
    app.state.options = options or ServerOptions()
    app.state.sessions = set()  # the open figure sessions; a closed tab leaves this set
    return app


def make_server(options: ServerOptions | None = None, *, log_level: str = "warning") -> uvicorn.Server:
    """A uvicorn server for the application; ``run(sockets=[...])`` it on a bound socket."""
    config = uvicorn.Config(
        create_app(options),
        ws="websockets-sansio",
        ws_max_size=2**20,  # beyond protocol.MAX_MESSAGE_BYTES a message gets an error, beyond this the door
        log_level=log_level,
        access_log=False,
        lifespan="off",
    )
    return uvicorn.Server(config)


def serve(
    sock: socket.socket, options: ServerOptions | None = None, *, on_ready: Callable[[], object] | None = None
) -> None:
    """Serve on an already bound socket until interrupted; ``on_ready`` runs once the server listens."""
    pin_blas_threads()
    server = make_server(options)
    # Compute the article's numbers while the browser opens, so that its first page does not wait for them.
    threading.Thread(target=_compute_claims, daemon=True).start()
    if on_ready is not None:
        threading.Thread(target=_call_when_started, args=(server, on_ready), daemon=True).start()
    server.run(sockets=[sock])


def pin_blas_threads() -> None:
    """One BLAS thread in this process. The server's products are small (a minibatch through a layer of a
    few dozen units): more threads only spin waiting for each other, taking the processor from the work
    they were meant to speed up (on 2 cores, one thread doubled live training's steps a second)."""
    threadpool_limits(limits=1, user_api="blas")


def _compute_claims() -> None:
    # A failure here shows on the page's own request, which computes the claims again and reports it.
    with contextlib.suppress(Exception):
        claims()


def _call_when_started(server: uvicorn.Server, callback: Callable[[], object]) -> None:
    while not server.started and not server.should_exit:
        time.sleep(0.02)
    if server.started:
        callback()
