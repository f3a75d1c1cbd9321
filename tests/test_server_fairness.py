"""No student slows the others: a client that floods and never reads, long links opened and abandoned, and
long links opened all at once, against a real server (uvicorn on 127.0.0.1)."""

import asyncio
import json
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect as sync_connect

from dropout_playground.server import (
    MAX_WAITING_ERRORS,
    MESSAGE_BURST,
    Outbox,
    OutboxFull,
)
from dropout_playground.session_work import ServerBusy, SessionClosed, TurnTaking
from live_server import receive, run, ws_url

COMMAND = Path(sys.executable).parent / "dropout-playground"
# A link that replays 20,000 training steps of a 16-16 network: several seconds of work on this machine.
LONG_LINK = "?hidden=16,16&training=20000@0.5"


def long_link(seed):
    """Long links that differ: each is built on its own, none from another's build."""
    return f"{LONG_LINK}&seed={seed}"


def workshop(server):
    return server.server.config.app.state.workshop


# -- the outbox ------------------------------------------------------------------------------------


def test_the_outbox_refuses_to_grow_past_its_bound_of_errors():
    async def scenario():
        outbox = Outbox()
        for i in range(MAX_WAITING_ERRORS):
            outbox.put_error(f"error {i}")
            outbox.put_frame(b"frame")
        assert len(outbox) == MAX_WAITING_ERRORS + 1  # the errors, and only the newest frame
        with pytest.raises(OutboxFull):
            outbox.put_error("one too many")

    run(scenario())


# -- turns for builds ------------------------------------------------------------------------------


def wait_until(condition):
    deadline = time.monotonic() + 5
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.005)
    assert condition()


def test_a_short_build_goes_ahead_of_a_long_one_at_the_long_ones_next_checkpoint():
    lane = TurnTaking(at_once=1, switch_seconds=0.05)
    never = threading.Event()
    order: list[str] = []
    lane.turn("long", 3.0, never)  # runs at once: no one else is there

    def build(name, used):
        lane.turn(name, used, never)
        order.append(name)
        lane.leave(name)

    short = threading.Thread(target=build, args=("short", 0.0))
    short.start()
    wait_until(lambda: lane.busy == 2)
    assert order == []  # the long one has its turn until its next checkpoint
    long = threading.Thread(target=build, args=("long", 3.1))
    long.start()
    short.join(timeout=5)
    long.join(timeout=5)
    assert order == ["short", "long"]


def test_builds_beyond_the_most_long_are_refused_and_a_waiting_build_stops_when_its_session_closes():
    lane = TurnTaking(at_once=1, most_long=1)
    lane.turn("long", 2.0, threading.Event(), long=True)
    with pytest.raises(ServerBusy, match="1 long links already"):
        lane.turn("another long", 0.5, threading.Event(), long=True)
    closed = threading.Event()
    outcome: list[BaseException] = []

    def waiting():
        try:
            lane.turn("short", 0.0, closed)
        except BaseException as error:
            outcome.append(error)

    lane.turn("long", 2.01, threading.Event())  # keeps its turn: no one waits
    thread = threading.Thread(target=waiting)
    thread.start()
    wait_until(lambda: lane.busy == 2)
    closed.set()
    thread.join(timeout=5)
    assert len(outcome) == 1 and isinstance(outcome[0], SessionClosed)
    assert lane.busy == 1  # only the long one, still running


# -- against the server ----------------------------------------------------------------------------


async def round_trips(server, count, query="", seconds=None):
    """Seconds for each of ``count`` resample commands of one student, one after another (or for as many as
    fit in ``seconds``)."""
    times = []
    async with connect(ws_url(server, query), origin=server.url) as ws:
        await receive(ws)
        began = time.perf_counter()
        for i in range(count):
            if seconds is not None and time.perf_counter() - began > seconds:
                break
            sent = time.perf_counter()
            await ws.send(json.dumps({"type": "resample", "id": i}))
            while (await receive(ws)).get("id") != i:
                pass
            times.append(time.perf_counter() - sent)
            await asyncio.sleep(0.05)
    return times


def test_an_abandoned_long_link_stops_working_within_a_second(server):
    async def scenario():
        for seed in range(200, 203):
            async with connect(ws_url(server, long_link(seed)), origin=server.url) as ws:
                assert (await receive(ws, progress=True))["type"] == "progress"  # it is being built
        # Closed: each build stops at its next checkpoint, a few hundred steps on.
        deadline = time.monotonic() + 1.0
        while workshop(server).lane.busy and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        assert workshop(server).lane.busy == 0
        await asyncio.sleep(0.3)
        assert workshop(server).lane.busy == 0  # and none starts again

    run(scenario())


def test_a_student_opens_a_figure_within_2_seconds_while_ten_long_links_are_being_opened(server):
    async def hostile(seed):
        try:
            async with connect(ws_url(server, long_link(seed)), origin=server.url) as ws:
                await asyncio.sleep(6)
                await ws.close()
        except ConnectionClosed:
            pass

    async def student():
        await asyncio.sleep(1.0)  # the long links are all under way
        started = time.perf_counter()
        async with connect(ws_url(server), origin=server.url) as ws:
            frame = await receive(ws)
        return frame, time.perf_counter() - started

    async def scenario():
        results = await asyncio.gather(*(hostile(seed) for seed in range(10)), student())
        return results[-1]

    frame, seconds = run(scenario())
    assert frame["type"] == "frame"
    assert seconds < 2.0, f"the student's first frame took {seconds:.2f} s"


def test_more_long_links_than_may_wait_are_refused_with_a_reason_and_others_still_served(server):
    async def open_long_link(seed):
        async with connect(ws_url(server, long_link(seed)), origin=server.url) as ws:
            while True:
                message = await receive(ws, progress=True)
                if message["type"] != "progress":
                    return message

    async def scenario():
        tasks = [asyncio.create_task(open_long_link(100 + seed)) for seed in range(16)]
        done, _ = await asyncio.wait(tasks, timeout=4, return_when=asyncio.FIRST_COMPLETED)
        refused = [task.result() for task in done if not task.exception()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return refused

    refused = run(scenario())
    assert refused, "16 long links at once: the ones beyond MOST_LONG are told at once"
    assert all(m["type"] == "error" and "long links already" in m["message"] for m in refused)
    assert max(run(round_trips(server, 5))) < 1.0


# -- a client that floods and never reads, against the real command ---------------------------------


def resident_mib(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


@pytest.fixture
def command_server():
    process = subprocess.Popen(
        [str(COMMAND), "--no-browser", "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    line = process.stdout.readline()
    url = re.search(r"http://\S+/", line).group(0)

    class Handle:
        pass

    handle = Handle()
    handle.url, handle.pid = url.rstrip("/"), process.pid
    handle.port = int(url.rsplit(":", 1)[1].strip("/"))
    yield handle
    process.terminate()
    process.communicate(timeout=10)


def test_a_client_that_floods_and_never_reads_neither_grows_nor_slows_the_server(command_server):
    server = command_server

    def flood(stop, sent):
        # In a thread of its own, as another student's computer would be. max_queue=1: this client stops
        # reading after one message, so the server's answers back up as a hung tab would leave them. It sends
        # until told to stop; once the socket's buffers are full its sends wait, as a real client's would.
        try:
            with sync_connect(ws_url(server), origin=server.url, max_queue=1, close_timeout=1) as ws:
                ws.socket.settimeout(1.0)
                while not stop.is_set():
                    try:
                        ws.send("{not json")
                    except (TimeoutError, OSError):
                        break  # the buffers are full and stay full: the server reads no faster than its limit
                    sent.append(1)
        except ConnectionClosed:
            pass  # leaving: a client that never read cannot see the server's close frame either

    async def scenario():
        await round_trips(server, 3)  # warm: the first session of a process builds what all later share
        before = resident_mib(server.pid)
        stop, sent = threading.Event(), []
        flooding = threading.Thread(target=flood, args=(stop, sent))
        flooding.start()
        times = await round_trips(server, 10_000, seconds=8)
        during = resident_mib(server.pid)
        stop.set()
        flooding.join(timeout=10)
        return before, during, times, len(sent)

    before, during, times, sent = run(scenario())
    # Each refusal is about a hundred bytes: tens of thousands of them kept would show as megabytes.
    assert during - before < 20, f"the server grew from {before:.0f} to {during:.0f} MiB"
    p95 = statistics.quantiles(times, n=20)[-1]
    assert p95 < 0.25, f"p95 round trip {p95:.3f} s while another client flooded"
    assert sent > MESSAGE_BURST  # it did flood: far past the burst the limit lets through


def test_a_class_opening_one_long_link_together_builds_it_once_and_everyone_gets_it(server):
    link = "?hidden=8&training=3000@0.5&seed=7"  # a shared link: one build, which the others wait for

    async def student():
        async with connect(ws_url(server, link), origin=server.url) as ws:
            while (message := await receive(ws, progress=True))["type"] == "progress":
                pass
            return message

    async def scenario():
        return await asyncio.wait_for(asyncio.gather(*(student() for _ in range(5))), timeout=30)

    frames = run(scenario())
    assert all(frame["type"] == "frame" for frame in frames)
    assert len({frame["values"]["steps"] for frame in frames}) == 1
    assert workshop(server).lane.busy == 0
