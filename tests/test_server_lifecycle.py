"""The command's worker processes and how it stops, as a user runs it: ``--workers N`` processes share the
port, each serving pages and sessions, and Ctrl-C (once or twice) or SIGTERM stops them all within two
seconds, even while they replay long links, with status 0, "Stopped." and no traceback."""

import asyncio
import http.client
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from live_server import receive

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="reads the process tree from /proc")

SCRIPT = Path(sys.executable).parent / "dropout-playground"
# What a user would notice. The supervisor acts on a signal within 0.1 s (SIGNAL_SECONDS) and ends a worker
# still busy 0.5 s later (STOP_SECONDS); then its own interpreter exits (about 0.3 s on a busy machine): about
# 0.9 s. The rest is room for a machine busy with the replays themselves, and with other tests.
STOP_BOUND_SECONDS = 2.0
# Replays 20,000 training steps of the largest network: over ten seconds of work on the machines this runs on.
LONG_LINK = "?hidden=16,16&training=20000@0.5"


class Command:
    """``dropout-playground`` in a process group of its own, as a terminal runs it: a test can send Ctrl-C
    to the whole group, workers included, as a terminal does."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [str(SCRIPT), "--no-browser", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        line = self.process.stdout.readline()
        assert "is running at http://" in line, line
        self.url = line.split(" is running at ")[1].split()[0].rstrip("/")
        self.port = int(self.url.rsplit(":", 1)[1])

    def wait_until_serving(self):
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "/static/favicon.svg", timeout=5):
                    return
            except OSError:
                assert time.monotonic() < deadline, "the command never served"
                time.sleep(0.05)

    def workers(self, expected=None):
        """The worker processes: the command's children that multiprocessing spawned (not its resource
        tracker); with ``expected``, once there are that many."""
        deadline = time.monotonic() + 30
        while True:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
            found = [int(pid) for pid in children if b"spawn_main" in read(f"/proc/{pid}/cmdline")]
            if expected is None or len(found) == expected:
                return found
            assert time.monotonic() < deadline, f"{len(found)} workers, not {expected}"
            time.sleep(0.01)

    def holder(self, client_port):
        """The worker holding the server's end of the connection from ``client_port``."""
        inode = next(
            int(fields[9])
            for table in ("/proc/net/tcp", "/proc/net/tcp6")
            for fields in (line.split() for line in Path(table).read_text().splitlines()[1:])
            if int(fields[1].rsplit(":", 1)[1], 16) == self.port and int(fields[2].rsplit(":", 1)[1], 16) == client_port
        )
        for pid in self.workers():
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    if os.readlink(fd) == f"socket:[{inode}]":
                        return pid
                except OSError:
                    continue
        return None

    def signal(self, signum, group=False):
        if group:
            os.killpg(self.process.pid, signum)
        else:
            self.process.send_signal(signum)

    def finish(self):
        """Wait for the command to end (killing it, and its group, after a generous while); its status and
        what it printed."""
        try:
            out, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            out, err = self.process.communicate()
        return self.process.returncode, out, err


def read(path):
    try:
        return Path(path).read_bytes()
    except OSError:  # a process that has just ended
        return b""


def gone(pid):
    return not Path(f"/proc/{pid}").exists()


def assert_stopped_cleanly(command, workers, seconds):
    code, out, err = command.finish()
    assert seconds < STOP_BOUND_SECONDS, f"stopping took {seconds:.2f} s"
    assert code == 0 and out.endswith("Stopped.\n"), (code, out, err)
    assert "Traceback" not in err and "Error" not in err, err
    assert all(gone(pid) for pid in workers)


async def start_long_replays(command, seeds):
    """Open one session per seed on a long link and wait until each has reported progress: each worker's
    threads are then replaying training steps, work that nothing can interrupt."""
    sessions = []
    for seed in seeds:
        url = f"ws://127.0.0.1:{command.port}/ws/playground{LONG_LINK}&seed={seed}"
        sessions.append(await connect(url, origin=command.url, open_timeout=60))
    for ws in sessions:
        assert (await receive(ws, progress=True))["type"] == "progress"
    return sessions


async def closed(ws):
    try:
        while True:
            await ws.recv()
    except ConnectionClosed:
        return True


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_during_long_replays_stops_within_two_seconds(workers):
    command = Command("--workers", str(workers))

    processes = command.workers(expected=workers)

    async def scenario():
        sessions = await start_long_replays(command, seeds=[1, 2])
        started = time.monotonic()
        command.signal(signal.SIGTERM)
        await asyncio.to_thread(command.process.wait, 30)
        seconds = time.monotonic() - started
        # Every page is told: its connection is closed (with 1012, "service restart", when the worker can).
        assert all(await asyncio.gather(*(asyncio.wait_for(closed(ws), 5) for ws in sessions)))
        return seconds

    assert_stopped_cleanly(command, processes, asyncio.run(scenario()))


def test_ctrl_c_twice_during_long_replays_stops_within_two_seconds():
    command = Command("--workers", "2")
    processes = command.workers(expected=2)

    async def scenario():
        await start_long_replays(command, seeds=[3, 4])
        started = time.monotonic()
        command.signal(signal.SIGINT, group=True)  # what a terminal sends every process of the command
        await asyncio.sleep(0.2)
        command.signal(signal.SIGINT, group=True)
        await asyncio.to_thread(command.process.wait, 30)
        return time.monotonic() - started

    assert_stopped_cleanly(command, processes, asyncio.run(scenario()))


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.3])
def test_ctrl_c_while_the_workers_start_stops_cleanly(delay):
    # Right after the address is printed the workers are being started, and then import for a second.
    command = Command("--workers", "2")
    time.sleep(delay)
    processes = command.workers()
    started = time.monotonic()
    command.signal(signal.SIGINT, group=True)
    try:
        command.process.wait(30)
    finally:
        seconds = time.monotonic() - started
    assert_stopped_cleanly(command, processes, seconds)


def test_a_page_being_made_does_not_hold_up_the_stop():
    # A worker's first article waits for the numbers in its text (a second or more of computing in a thread):
    # the stop comes while it waits.
    command = Command("--workers", "1")
    command.wait_until_serving()
    [worker] = command.workers(expected=1)
    connection = http.client.HTTPConnection("127.0.0.1", command.port, timeout=30)
    connection.request("GET", "/")
    deadline = time.monotonic() + 10
    while command.holder(connection.sock.getsockname()[1]) != worker:
        assert time.monotonic() < deadline, "the request was never accepted"
        time.sleep(0.01)
    started = time.monotonic()
    command.signal(signal.SIGTERM)
    command.process.wait(30)
    seconds = time.monotonic() - started
    connection.close()
    assert_stopped_cleanly(command, [worker], seconds)


def test_workers_share_the_port_and_each_serves_pages_and_sessions():
    command = Command("--workers", "2")
    try:
        command.wait_until_serving()
        processes = command.workers(expected=2)
        pages, sessions = set(), set()

        async def page():
            connection = http.client.HTTPConnection("127.0.0.1", command.port, timeout=120)
            await asyncio.to_thread(connection.request, "GET", "/")
            response = await asyncio.to_thread(connection.getresponse)
            assert response.status == 200 and b"<h1>Dropout Playground</h1>" in response.read()
            return connection, command.holder(connection.sock.getsockname()[1])

        async def session():
            ws = await connect(f"ws://127.0.0.1:{command.port}/ws/data-flow", origin=command.url)
            assert (await receive(ws))["type"] == "frame"
            return ws, command.holder(ws.local_address[1])

        async def scenario():
            # The kernel hands each new connection to whichever worker accepts it first, and an idle worker
            # that has just served may win every race opened one at a time. So open several at once, each
            # round kept open while the next opens (a worker busy with one leaves the next to the other),
            # until each worker has served both, or a minute has passed on a machine busy with other tests.
            connections, websockets = [], []
            deadline = time.monotonic() + 60
            try:
                while not pages == sessions == set(processes) and time.monotonic() < deadline:
                    for connection, pid in await asyncio.gather(*(page() for _ in range(4))):
                        connections.append(connection)
                        pages.add(pid)
                    for ws, pid in await asyncio.gather(*(session() for _ in range(4))):
                        websockets.append(ws)
                        sessions.add(pid)
                    while len(connections) > 32:  # bounded: the oldest go before the next round opens
                        connections.pop(0).close()
                        await websockets.pop(0).close()
            finally:
                for ws in websockets:
                    await ws.close()
                for connection in connections:
                    connection.close()

        asyncio.run(scenario())
        assert pages == set(processes) and sessions == set(processes)
        started = time.monotonic()
        command.signal(signal.SIGTERM)
        command.process.wait(30)
        seconds = time.monotonic() - started
    except BaseException:
        os.killpg(command.process.pid, signal.SIGKILL)
        command.finish()
        raise
    assert_stopped_cleanly(command, processes, seconds)


def test_there_is_a_worker_for_each_core_unless_told():
    command = Command()
    processes = command.workers(expected=len(os.sched_getaffinity(0)))
    command.signal(signal.SIGINT, group=True)
    command.process.wait(30)
    assert_stopped_cleanly(command, processes, 0)


@pytest.mark.parametrize(
    ("signum", "group"),
    [(signal.SIGINT, True), (signal.SIGTERM, False), (signal.SIGHUP, True)],
    ids=["Ctrl-C", "kill", "terminal closed"],
)
def test_each_way_of_stopping_an_idle_server_stops_it(signum, group):
    command = Command("--workers", "2")
    command.wait_until_serving()
    processes = command.workers(expected=2)
    started = time.monotonic()
    command.signal(signum, group=group)
    command.process.wait(30)
    assert_stopped_cleanly(command, processes, time.monotonic() - started)


def ended(pid):
    """Gone, or a zombie that has exited and waits to be reaped by whoever adopted it."""
    stat = read(f"/proc/{pid}/stat")
    return not stat or stat.rsplit(b")", 1)[1].split()[0] == b"Z"


def test_workers_stop_when_the_command_itself_is_killed_outright():
    # kill -9, or the out-of-memory killer, ends the supervisor alone: nothing may be left serving, orphaned.
    command = Command("--workers", "2")
    command.wait_until_serving()
    processes = command.workers(expected=2)
    os.kill(command.process.pid, signal.SIGKILL)
    command.process.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while not all(ended(pid) for pid in processes):
        assert time.monotonic() < deadline, "a worker serves on without its supervisor"
        time.sleep(0.05)
    with pytest.raises(OSError):
        urllib.request.urlopen(command.url + "/static/favicon.svg", timeout=5)
