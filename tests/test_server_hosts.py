"""Who the server answers, and for how long it waits: the Host of every request, the Origin of a session
(scheme included), and uvicorn's limits on requests that are half sent, too large or too many. Against a real
uvicorn server in this process."""

import asyncio
import contextlib
import json
import resource
import socket
import time

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from dropout_playground.server import (
    MAX_CONNECTIONS,
    MAX_REQUEST_HEAD_BYTES,
    REQUEST_SECONDS,
    ServerOptions,
)
from live_server import RunningServer, receive, run, ws_url


@pytest.fixture(scope="module")
def class_server():
    """Serving a class (``--host 0.0.0.0``): any Host."""
    running = RunningServer(ServerOptions(allowed_hosts=None))
    yield running
    running.stop()


def raw_request(server, request: bytes) -> bytes:
    """Send ``request`` as it is on a new connection and return everything the server answers."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return answer


# -- Host and Origin -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/static/favicon.svg", "/static/app.js", "/nowhere"])
def test_http_requests_naming_another_host_are_refused(server, path):
    # What a page of another site gets once its name points at this computer (DNS rebinding).
    answer = httpx.get(server.url + path, headers={"Host": f"evil.example:{server.port}"})
    assert answer.status_code == 400
    assert answer.text == f"host 'evil.example:{server.port}' is not served here\n"


def test_a_request_naming_no_host_is_refused(server):
    answer = raw_request(server, b"GET /static/favicon.svg HTTP/1.0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ") and answer.endswith(b"host '' is not served here\n")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "LocalHost"])
def test_this_computers_own_names_are_served(server, host):
    answer = httpx.get(server.url + "/static/favicon.svg", headers={"Host": f"{host}:{server.port}"})
    assert answer.status_code == 200 and answer.text.startswith("<svg")


def test_serving_a_class_any_host_is_served(class_server):
    for host in ("192.168.1.20", "laptop.local", "[fe80::1]"):
        answer = httpx.get(class_server.url + "/static/favicon.svg", headers={"Host": f"{host}:{class_server.port}"})
        assert answer.status_code == 200


def opens(server, origin, headers=None):
    """Whether a session opens with this Origin header (and any others), or is refused with 403."""

    async def scenario():
        try:
            async with connect(ws_url(server), origin=origin, additional_headers=headers or {}, open_timeout=30):
                return True
        except InvalidStatus as refused:
            assert refused.response.status_code == 403
            return False

    return run(scenario())


def test_a_session_opens_only_from_the_page_with_the_same_scheme(server):
    assert opens(server, f"http://127.0.0.1:{server.port}")
    # The same host and port over https is another origin: this server's pages travel over http.
    assert not opens(server, f"https://127.0.0.1:{server.port}")
    assert not opens(server, f"http://127.0.0.1:{server.port + 1}")
    assert not opens(server, "null")  # a sandboxed frame or a file


def test_behind_a_proxy_that_ends_tls_the_page_is_https(class_server):
    # The proxy says which scheme the browser used (uvicorn believes a proxy on this computer by default, and
    # others named in FORWARDED_ALLOW_IPS): the page was https, so its sessions come from an https origin.
    proxied = {"X-Forwarded-Proto": "https"}
    assert opens(class_server, f"https://127.0.0.1:{class_server.port}", proxied)
    assert not opens(class_server, f"http://127.0.0.1:{class_server.port}", proxied)


# -- uvicorn's limits ------------------------------------------------------------------------------


async def seconds_until_closed(server, send=b"", trickle=False):
    """Open a connection and send ``send``, then (with ``trickle``) a byte every half second; the seconds
    from the connection's start until the server closed it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    started = time.monotonic()
    writer.write(send)

    async def one_byte_at_a_time():
        with contextlib.suppress(ConnectionError):
            while True:
                await asyncio.sleep(0.5)
                writer.write(b"a")
                await writer.drain()

    trickling = asyncio.create_task(one_byte_at_a_time()) if trickle else None
    try:
        with contextlib.suppress(ConnectionError):
            while await asyncio.wait_for(reader.read(65536), timeout=3 * REQUEST_SECONDS) != b"":
                pass
    finally:
        if trickling is not None:
            trickling.cancel()
        writer.close()
    return time.monotonic() - started


async def answered_then_half_sent(server):
    """A whole request, its answer read, then half of the next request: the seconds from the answer until
    the server closed the connection (uvicorn's own idle clock stops at the first byte)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"GET /static/favicon.svg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    head = await reader.readuntil(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    length = int(next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")).split()[1])
    await reader.readexactly(length)
    answered = time.monotonic()
    writer.write(b"GET /static/favicon.svg HTTP/1.1\r\nHost: 12")
    try:
        while await asyncio.wait_for(reader.read(65536), timeout=3 * REQUEST_SECONDS) != b"":
            pass
    finally:
        writer.close()
    return time.monotonic() - answered


async def idle_session_still_answers(server):
    """A session left alone for longer than a request may take answers its next command."""
    async with connect(ws_url(server), origin=server.url) as ws:
        assert (await receive(ws))["type"] == "frame"
        await asyncio.sleep(REQUEST_SECONDS + 1)
        await ws.send(json.dumps({"type": "resample", "id": 7}))
        return (await receive(ws))["id"]


def test_a_request_must_arrive_whole_within_its_time(server):
    async def scenario():
        return await asyncio.gather(
            seconds_until_closed(server),  # connects and sends nothing
            seconds_until_closed(server, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"),  # half a request, then nothing
            # A byte every half second, a header that never ends: uvicorn's own idle clock would never fire.
            seconds_until_closed(server, b"GET / HTTP/1.1\r\nX-Slow: ", trickle=True),
            answered_then_half_sent(server),
            idle_session_still_answers(server),
        )

    *closed_after, session_answer = run(scenario())
    # Each slow request is cut at REQUEST_SECONDS, give or take the event loop's and this machine's delays
    # (a few tenths of a second); without the clock, none would ever be (the reads wait 3 × as long).
    for seconds in closed_after:
        assert REQUEST_SECONDS - 0.2 < seconds < REQUEST_SECONDS + 3, closed_after
    # The clock stops when the request is in: a WebSocket lives on, and so does a request being answered.
    assert session_answer == 7


def test_a_request_head_may_be_long_but_not_endless(server):
    # A link holding a long training log makes a long request line; its head fits well within the limit.
    long_link = "/static/favicon.svg?training=" + ",".join(["100@0.5", "100@0.1"] * 600)
    fits = raw_request(server, f"GET {long_link} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    assert len(long_link) > MAX_REQUEST_HEAD_BYTES / 2 and fits.startswith(b"HTTP/1.1 200 ")
    # A head that goes on past the limit is refused as soon as it does, not kept in memory until it ends.
    endless = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: " + b"a" * MAX_REQUEST_HEAD_BYTES
    started = time.monotonic()
    assert raw_request(server, endless).startswith(b"HTTP/1.1 400 ")
    assert time.monotonic() - started < REQUEST_SECONDS / 2


def test_beyond_its_connections_a_worker_answers_503_at_once():
    # MAX_CONNECTIONS idle connections from this process to a server in this process: twice as many files.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 2 * MAX_CONNECTIONS + 200
    if hard != resource.RLIM_INFINITY and hard < wanted:
        pytest.skip(f"needs {wanted} open files, the limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    running = RunningServer(ServerOptions())
    idle = []
    try:
        for _ in range(MAX_CONNECTIONS):
            idle.append(socket.create_connection(("127.0.0.1", running.port)))
        started = time.monotonic()
        answer = httpx.get(running.url + "/static/favicon.svg", timeout=10)
        assert answer.status_code == 503 and time.monotonic() - started < 2
        for sock in idle:
            sock.close()
        # Once they are gone, pages are served again.
        deadline = time.monotonic() + 10
        while (answer := httpx.get(running.url + "/static/favicon.svg")).status_code == 503:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert answer.status_code == 200
    finally:
        for sock in idle:
            sock.close()
        running.stop()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
