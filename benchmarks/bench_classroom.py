"""A class on one server: round trips, processor and memory as N students use the playground at once.

Starts the real ``dropout-playground`` command (``--no-browser --port 0 --workers W``) on 127.0.0.1, a fresh
one for each class size N once it has finished starting (its processor idle), and simulates N students the way
the playground page talks to it: each opens a WebSocket to ``/ws/playground`` with the page's Origin, waits
for its first frame, then auto-resamples 3 times a second (the next ``resample`` goes once the last is
answered and a third of a second has passed), moves the p slider every 2 s (``set`` with a new ``p``, one in
flight, as the page's ``LatestSender``), and one student in five trains live as the page's Play does at its
default speed, Fast: one ``play`` command at 1,500 steps a second, after which the server trains and sends
frames by itself; when the frames say it has stopped at the cap of a link's steps, that student presses
Reset and plays again. A command counts as answered when a frame with its id or a later one arrives, or an
error with its id, as on the page.

For each N it prints:

* the time for all N sessions to open when they are opened at once, up to the last first frame, on the fresh
  server (each worker builds the figure's first state for its first session), and for N more on the warm one;
* memory per idle session: the growth of the server's RSS (summed over its processes) while those N more
  sessions are open and idle, divided by N;
* under load, after a second of warm-up: the p50, p95 and p99 round trip of each kind of command, answers a
  second, the server's processor (its processes' CPU time over the wall time, in cores) and its largest RSS;
* the client's own processor, how late its event loops wake (p95 of a 10 ms sleep's overshoot), and the
  processor the rest of the machine used meanwhile. The students run in ``--clients`` processes on the same
  machine as the server: a client near a full core adds its own delay to the round trips, and so does any
  other work on the machine; the report says which it was.

Then the largest N whose resample and slider round trips both have p95 ≤ 100 ms, and the bar for a class on
a 2-core laptop: at least 100 students at that p95, all 100 sessions open within 5 s on a fresh server, at
most 2 MiB per idle session (at the largest N measured). It is a report: PASS or MISS, and it exits with 0
whatever the figures show.

    python benchmarks/bench_classroom.py                  # 10 … 200 students, about four minutes
    python benchmarks/bench_classroom.py --students 100   # one class size
    python benchmarks/bench_classroom.py --short          # 10 and 25 students on one server, 3 s each
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

from dropout_playground.protocol import decode_frame

COMMAND = Path(sys.executable).parent / "dropout-playground"
SWEEP = (10, 25, 50, 100, 150, 200)
SHORT_SWEEP = (10, 25)
TRAINS_EVERY = 5  # one student in five trains live (--trains-every)
RESAMPLES_PER_SECOND = 3  # the page's default auto-resample speed
SLIDER_SECONDS = 2.0
P_VALUES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
# The page's Play (web/shared/play.ts) at its default speed, Fast.
TRAIN_STEPS_PER_SECOND = 1500
KINDS = ("resample", "slider", "play")
BAR_STUDENTS = 100
BAR_P95_MS = 100.0
BAR_OPEN_SECONDS = 5.0
BAR_IDLE_MIB = 2.0
DRAIN_SECONDS = 10.0  # after the load ends, how long answers still on their way are waited for
OPEN_TIMEOUT = 120.0
MIB = 2**20


# -- the server and its processes -------------------------------------------------------------------


class Server:
    """The real command, started on a free port of 127.0.0.1; its processor time and memory are summed over
    its process tree (the supervisor and its workers), read from /proc."""

    def __init__(self, workers: int) -> None:
        self.stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (open while the server runs, see stop)
        command = [str(COMMAND), "--no-browser", "--port", "0", "--workers", str(workers)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        found = re.search(r"running at http://127\.0\.0\.1:(\d+)/", line)
        if not found:
            self.process.kill()
            self.stderr.seek(0)
            raise SystemExit(f"dropout-playground did not print its address: {line!r}\n{self.stderr.read()}")
        self.port = int(found.group(1))

    def pids(self) -> list[int]:
        """The server's process and every process below it."""
        parents: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parent = int(_stat_fields(int(entry.name))[1])
                except (OSError, IndexError):
                    continue  # a process that ended meanwhile
                parents.setdefault(parent, []).append(int(entry.name))
        tree, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(parents.get(pid, []))
        return tree

    def cpu_seconds(self) -> float:
        """User and system time of the tree's processes, every thread of each."""
        ticks = 0
        for pid in self.pids():
            try:
                fields = _stat_fields(pid)
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def rss_mib(self) -> float:
        pages = 0
        for pid in self.pids():
            try:
                pages += int(_stat_fields(pid)[21])
            except OSError:
                continue
        return pages * os.sysconf("SC_PAGE_SIZE") / MIB

    def settle(self, timeout: float = 60.0) -> None:
        """Wait until the server computes nothing: under 5 % of a core over half a second (its workers have
        started and computed the article's numbers, or a batch of sessions has opened)."""
        deadline = time.monotonic() + timeout
        before = self.cpu_seconds()
        while time.monotonic() < deadline:
            self.check_alive()
            time.sleep(0.5)
            now = self.cpu_seconds()
            if now - before < 0.025:
                return
            before = now
        print(f"  (the server was still busy after {timeout:.0f} s; measuring anyway)")

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise SystemExit(f"the server exited with status {self.process.returncode}:\n{self.errors()}")

    def errors(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read()

    def stop(self) -> str:
        """Stop it as a terminal would (SIGTERM); what it wrote to stderr."""
        self.process.terminate()
        try:
            self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
        text = self.errors()
        self.stderr.close()
        return text


def _stat_fields(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command name (which may hold spaces): state, ppid, …"""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


# -- a student ----------------------------------------------------------------------------------------


@dataclass
class Window:
    """What one client process records under load: commands sent from ``start`` until ``end``."""

    start: float = math.inf
    end: float = -math.inf
    round_trips: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    errors: dict[str, Counter[str]] = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    answers: int = 0
    steps_trained: int = 0
    resets: int = 0

    def counts(self, at: float) -> bool:
        return self.start <= at < self.end


class Student:
    """One page's session: sends commands with ids and settles them as the page does, from one reader."""

    def __init__(self, ws: ClientConnection, trains: bool, rng: random.Random, window: Window) -> None:
        self.ws, self.trains, self.rng, self.window = ws, trains, rng, window
        self.next_id = 1
        self.waiting: dict[int, asyncio.Future[str]] = {}
        self.values: dict[str, Any] = {}
        self.opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.stopped_playing = asyncio.Event()  # a frame has said the server stopped playing by itself
        self.closed_by_server: str | None = None
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                if isinstance(message, bytes):
                    header, _ = decode_frame(message)
                    trained = int(header["values"].get("steps", 0)) - self.steps
                    if trained > 0 and self.window.counts(time.monotonic()):
                        self.window.steps_trained += trained
                    self.values = header["values"]
                    if header["id"] is None and header.get("playing") is False:
                        self.stopped_playing.set()
                    if not self.opened.done():
                        self.opened.set_result(None)
                    self._answered(header["id"], "frame")
                else:
                    decoded = json.loads(message)
                    if decoded["type"] == "error":
                        self._answered(decoded["id"], "error:" + decoded["message"])
        except ConnectionClosed:
            pass
        finally:
            if self.ws.close_code not in (None, 1000):
                self.closed_by_server = f"closed {self.ws.close_code}: {self.ws.close_reason}"
            if not self.opened.done():
                self.opened.set_exception(ConnectionError(self.closed_by_server or "closed before its first frame"))
            self._answered(math.inf, "lost")

    def _answered(self, request_id: float | None, outcome: str) -> None:
        if request_id is None:
            return  # the first frame, or an error about no command
        if self.window.counts(time.monotonic()) and outcome != "lost":
            self.window.answers += 1
        # An earlier command whose frame was skipped (a newer one made it stale) was carried out all the same.
        for waiting in [i for i in self.waiting if i <= request_id]:
            future = self.waiting.pop(waiting)
            if not future.done():
                future.set_result(outcome if waiting == request_id or outcome == "lost" else "frame")

    async def send(self, kind: str, command: dict[str, Any]) -> str:
        """Send a command and wait for its answer: "frame", "error:<message>" or "lost"; recorded under
        ``kind`` if sent within the window."""
        request_id, self.next_id = self.next_id, self.next_id + 1
        answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self.waiting[request_id] = answer
        sent = time.monotonic()
        try:
            await self.ws.send(json.dumps({**command, "id": request_id}))
        except ConnectionClosed:
            self.waiting.pop(request_id, None)
            return "lost"
        outcome = await answer
        if kind in KINDS and self.window.counts(sent):
            if outcome == "frame":
                self.window.round_trips[kind].append((time.monotonic() - sent) * 1000)
            else:
                self.window.errors[kind][outcome.removeprefix("error:")[:90]] += 1
        return outcome

    @property
    def steps(self) -> int:
        return int(self.values.get("steps", 0))

    # -- what the page does --------------------------------------------------------------------------

    async def auto_resample(self, start: float, end: float) -> None:
        await _sleep_until(start + self.rng.uniform(0, 1 / RESAMPLES_PER_SECOND))
        while time.monotonic() < end:
            sent = time.monotonic()
            if await self.send("resample", {"type": "resample"}) == "lost":
                return
            await _sleep_until(sent + 1 / RESAMPLES_PER_SECOND)

    async def move_slider(self, start: float, end: float) -> None:
        tick = start + self.rng.uniform(0, SLIDER_SECONDS)
        while True:
            await _sleep_until(tick)
            if time.monotonic() >= end:
                return
            if await self.send("slider", {"type": "set", "p": self.rng.choice(P_VALUES)}) == "lost":
                return
            # A move made while the last was on its way goes as soon as it is answered, as LatestSender's.
            tick = max(tick + SLIDER_SECONDS, time.monotonic())

    async def train_live(self, start: float, end: float) -> None:
        await _sleep_until(start + self.rng.uniform(0, SLIDER_SECONDS))
        while time.monotonic() < end:
            self.stopped_playing.clear()
            outcome = await self.send("play", {"type": "play", "rate": TRAIN_STEPS_PER_SECOND})
            if outcome == "lost":
                return
            if outcome.startswith("error"):
                await asyncio.sleep(1.0)  # Play stopped with the error shown; the student presses it again
                continue
            # The server trains on by itself until it stops at the cap (or the load ends).
            try:
                await asyncio.wait_for(self.stopped_playing.wait(), max(0.0, end - time.monotonic()))
            except TimeoutError:
                break
            if self.values.get("at_cap") and time.monotonic() < end:
                # The page stops at the cap of a link's steps: the student presses Reset and plays again.
                self.window.resets += 1
                if await self.send("reset", {"type": "reset"}) == "lost":
                    return
        await self.send("pause", {"type": "pause"})


async def _sleep_until(moment: float) -> None:
    wait = moment - time.monotonic()
    if wait > 0:
        await asyncio.sleep(wait)


# -- a client process: a share of the class ----------------------------------------------------------


class Client:
    """Students in one process, in named batches, doing what the parent asks over a pipe."""

    def __init__(self, pipe: Connection) -> None:
        self.pipe = pipe
        self.batches: dict[str, list[Student]] = {}
        self.window = Window()

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            request = await loop.run_in_executor(None, self.pipe.recv)
            if request[0] == "quit":
                return
            handler = getattr(self, request[0])
            self.pipe.send(await handler(*request[1:]))

    async def open(self, batch: str, port: int, indices: list[int], at: float, trains_every: int) -> dict[str, Any]:
        """Open a student for each global index at once, at monotonic time ``at``; when the last first frame
        came, and why any session failed to open."""
        await _sleep_until(at)
        opening = (self._open_one(port, index, trains_every > 0 and index % trains_every == 0) for index in indices)
        results = await asyncio.gather(*opening, return_exceptions=True)
        students = [result for result in results if isinstance(result, Student)]
        self.batches[batch] = students
        failures = Counter(f"{type(r).__name__}: {r}"[:120] for r in results if isinstance(r, BaseException))
        return {"done": time.monotonic(), "failures": failures}

    async def _open_one(self, port: int, index: int, trains: bool) -> Student:
        origin = Origin(f"http://127.0.0.1:{port}")  # the page's own
        ws = await connect(f"ws://127.0.0.1:{port}/ws/playground", origin=origin, open_timeout=OPEN_TIMEOUT)
        student = Student(ws, trains, random.Random(index), self.window)
        try:
            await asyncio.wait_for(asyncio.shield(student.opened), OPEN_TIMEOUT)
        except BaseException:
            await ws.close()
            raise
        return student

    async def close(self, batch: str) -> None:
        students = self.batches.pop(batch, [])
        await asyncio.gather(*(student.ws.close() for student in students), return_exceptions=True)
        await asyncio.gather(*(student.reader for student in students), return_exceptions=True)

    async def load(self, batch: str, start: float, measure_from: float, end: float) -> dict[str, Any]:
        """The batch's students do what the page does from ``start`` to ``end``; what was measured after
        ``measure_from``."""
        self.window = window = Window(start=measure_from, end=end)
        students = self.batches[batch]
        for student in students:
            student.window = window
        lags: list[float] = []
        cpu: list[float] = []
        jobs = [self._watch_loop(start, end, lags), self._watch_cpu(measure_from, end, cpu)]
        for student in students:
            jobs += [student.auto_resample(start, end), student.move_slider(start, end)]
            if student.trains:
                jobs.append(student.train_live(start, end))
        tasks = [asyncio.ensure_future(job) for job in jobs]
        await _sleep_until(end)
        _, unfinished = await asyncio.wait(tasks, timeout=DRAIN_SECONDS)
        for task in unfinished:
            task.cancel()
        closed = Counter(s.closed_by_server for s in students if s.closed_by_server)
        return {
            "round_trips": window.round_trips,
            "errors": window.errors,
            "answers": window.answers,
            "unanswered": sum(len(student.waiting) for student in students),
            "steps_trained": window.steps_trained,
            "resets": window.resets,
            "lags": lags,
            "cpu": cpu[0] if cpu else math.nan,
            "closed": closed,
        }

    async def _watch_loop(self, start: float, end: float, lags: list[float]) -> None:
        """How late this process's event loop wakes from a 10 ms sleep: a busy client adds that to every
        round trip it measures."""
        await _sleep_until(start)
        while time.monotonic() < end:
            before = time.monotonic()
            await asyncio.sleep(0.01)
            lags.append((time.monotonic() - before - 0.01) * 1000)

    async def _watch_cpu(self, start: float, end: float, cpu: list[float]) -> None:
        await _sleep_until(start)
        before = time.process_time()
        await _sleep_until(end)
        cpu.append((time.process_time() - before) / (end - start))


def client_main(pipe: Connection) -> None:
    asyncio.run(Client(pipe).serve())


class Clients:
    """The client processes, each with its share of every batch."""

    def __init__(self, count: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipes: list[Connection] = []
        self.processes = []
        for _ in range(count):
            ours, theirs = context.Pipe()
            process = context.Process(target=client_main, args=(theirs,), daemon=True)
            process.start()
            self.pipes.append(ours)
            self.processes.append(process)

    def ask(self, requests: list[tuple[Any, ...]]) -> list[Any]:
        for pipe, request in zip(self.pipes, requests):
            pipe.send(request)
        return [pipe.recv() for pipe in self.pipes]

    def shares(self, n: int) -> list[list[int]]:
        """Student i goes to client i mod the count: trainers spread evenly."""
        return [list(range(k, n, len(self.pipes))) for k in range(len(self.pipes))]

    def open(self, batch: str, port: int, n: int, trains_every: int) -> tuple[float, Counter[str]]:
        """Open n sessions at once; the seconds until the last first frame, and the failures."""
        at = time.monotonic() + 0.5  # every client has the request before the clock starts
        answers = self.ask([("open", batch, port, share, at, trains_every) for share in self.shares(n)])
        failures: Counter[str] = Counter()
        for answer in answers:
            failures.update(answer["failures"])
        return max(answer["done"] for answer in answers) - at, failures

    def close(self, batch: str) -> None:
        self.ask([("close", batch)] * len(self.pipes))

    def quit(self) -> None:
        for pipe in self.pipes:
            pipe.send(("quit",))
        for process in self.processes:
            process.join(timeout=10)


# -- one class size -----------------------------------------------------------------------------------


@dataclass
class Result:
    students: int
    open_first: float  # the class, opened at once
    first_cold: bool  # on a fresh server
    open_more: float  # as many more, opened at once on the warm server
    idle_mib: float
    round_trips: dict[str, list[float]]
    errors: dict[str, Counter[str]]
    answers_per_second: float
    server_cores: float
    server_rss: float
    client_cores: float
    client_busiest: float
    client_lag_p95: float
    other_cores: float  # the machine's processor used by neither the server nor the client
    notes: list[str]

    def p95(self, kind: str) -> float:
        values = self.round_trips[kind]
        return float(np.percentile(values, 95)) if values else math.inf


def measure(n: int, args: argparse.Namespace, clients: Clients, shared: Server | None, cold: bool) -> Result:
    """One class of n students: on a fresh server of its own, or on ``shared`` (fresh if ``cold``)."""
    notes: list[str] = []
    server = shared or Server(args.workers)
    if shared is None:
        server.settle()
    try:
        open_first, failed = clients.open("class", server.port, n, args.trains_every)
        notes += [f"{count} of {n} sessions did not open: {why}" for why, count in failed.items()]
        server.settle()
        rss_class = server.rss_mib()
        open_more, failed = clients.open("idle", server.port, n, 0)
        notes += [f"{count} of {n} more sessions did not open: {why}" for why, count in failed.items()]
        server.settle()
        idle_mib = (server.rss_mib() - rss_class) / n
        clients.close("idle")
        server.settle()
        load, server_cores, server_rss, machine_cores = run_load(server, clients, args)
        clients.close("class")
    finally:
        stderr = server.stop() if shared is None else ""
    notes += stderr_notes(stderr)
    round_trips = {kind: [t for part in load for t in part["round_trips"][kind]] for kind in KINDS}
    errors: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    closed: Counter[str] = Counter()
    for part in load:
        for kind in KINDS:
            errors[kind].update(part["errors"][kind])
        closed.update(part["closed"])
    notes += [f"{count} sessions {why}" for why, count in closed.items()]
    unanswered = sum(part["unanswered"] for part in load)
    if unanswered:
        notes.append(f"{unanswered} commands had no answer {DRAIN_SECONDS:.0f} s after the load ended")
    trainers = len(range(0, n, args.trains_every)) if args.trains_every > 0 else 0
    if trainers:
        each = sum(part["steps_trained"] for part in load) / trainers / args.seconds
        resets = sum(part["resets"] for part in load)
        notes.append(
            f"each of the {trainers} students training live trained {each:,.0f} steps a second (Fast asks for "
            f"{TRAIN_STEPS_PER_SECOND:,}); {resets} resets at the cap"
        )
    lags = [lag for part in load for lag in part["lags"]]
    cores = [part["cpu"] for part in load]
    return Result(
        students=n,
        open_first=open_first,
        first_cold=cold,
        open_more=open_more,
        idle_mib=idle_mib,
        round_trips=round_trips,
        errors=errors,
        answers_per_second=sum(part["answers"] for part in load) / args.seconds,
        server_cores=server_cores,
        server_rss=server_rss,
        client_cores=sum(cores),
        client_busiest=max(cores),
        client_lag_p95=float(np.percentile(lags, 95)) if lags else math.nan,
        other_cores=machine_cores - server_cores - sum(cores),
        notes=notes,
    )


def stderr_notes(stderr: str) -> list[str]:
    lines = stderr.strip().splitlines()
    return [f"the server wrote {len(lines)} lines to stderr, the first: {lines[0][:150]}"] if lines else []


def run_load(server: Server, clients: Clients, args: argparse.Namespace) -> tuple[list[Any], float, float, float]:
    """The class at work: the clients' reports, the server's cores used, its largest RSS while measured, and
    the cores the whole machine used meanwhile."""
    start = time.monotonic() + 0.5
    measure_from = start + args.warm_up
    end = measure_from + args.seconds
    for pipe in clients.pipes:
        pipe.send(("load", "class", start, measure_from, end))
    time.sleep(max(0.0, measure_from - time.monotonic()))
    cpu_before, machine_before, largest = server.cpu_seconds(), machine_cpu_seconds(), 0.0
    while time.monotonic() < end:
        largest = max(largest, server.rss_mib())
        server.check_alive()
        time.sleep(min(0.5, max(0.0, end - time.monotonic())))
    elapsed = time.monotonic() - measure_from
    cores = (server.cpu_seconds() - cpu_before) / elapsed
    machine = (machine_cpu_seconds() - machine_before) / elapsed
    largest = max(largest, server.rss_mib())
    return [pipe.recv() for pipe in clients.pipes], cores, largest, machine


def machine_cpu_seconds() -> float:
    """Processor time the whole machine has spent busy (every process, the kernel too), from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


# -- the report ----------------------------------------------------------------------------------------


def percentiles(values: list[float]) -> str:
    if not values:
        return f"{'—':>17}"
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return f"{p50:5.0f} {p95:5.0f} {p99:5.0f}"


def report(results: list[Result], args: argparse.Namespace) -> None:
    print(f"\nRound trips in ms (p50 p95 p99), over {args.seconds:g} s of load after {args.warm_up:g} s of warm-up")
    print(f"{'students':>8}  {'resample':>17}  {'slider':>17}  {'play':>17}  {'answers/s':>9}  answered")
    for r in results:
        row = "  ".join(percentiles(r.round_trips[kind]) for kind in KINDS)
        answered = " / ".join(f"{len(r.round_trips[kind])}" for kind in KINDS)
        print(f"{r.students:8}  {row}  {r.answers_per_second:9,.0f}  {answered}")
    print(
        "\nOpening, memory and processor (server: summed over its processes; client: the simulated students; "
        "others: the rest of the machine)"
    )
    print(
        f"{'students':>8}  {'open s':>7}  {'N more s':>8}  {'MiB/idle':>8}  {'server cores':>12}  {'server MiB':>10}  "
        f"{'client cores':>12}  {'busiest':>7}  {'client late p95 ms':>18}  {'others cores':>12}"
    )
    for r in results:
        first = f"{r.open_first:.2f}{'' if r.first_cold else '*'}"
        print(
            f"{r.students:8}  {first:>7}  {r.open_more:8.2f}  {r.idle_mib:8.2f}  {r.server_cores:12.2f}  "
            f"{r.server_rss:10.0f}  {r.client_cores:12.2f}  {r.client_busiest:7.2f}  {r.client_lag_p95:18.1f}  "
            f"{r.other_cores:12.2f}"
        )
    if not all(r.first_cold for r in results):
        print("  * on a server that had served the classes before it (--one-server), not a fresh one")
    for r in results:
        problems = [f"{count} {kind} errors: {why}" for kind in KINDS for why, count in r.errors[kind].items()]
        for line in problems + r.notes:
            print(f"  N = {r.students}: {line}")
    client_verdict(results)
    verdicts(results)


def client_verdict(results: list[Result]) -> None:
    """Whether the round trips hold the client's own delay: a client process near a full core is the limit; a
    client that wakes late while it uses little processor waits for a core like everything else on the machine."""
    saturated = [r.students for r in results if r.client_busiest > 0.8]
    late = [r for r in results if r.client_lag_p95 > 10 and r.client_busiest <= 0.8]
    if saturated:
        print(
            f"\nThe client was the bottleneck at {', '.join(map(str, saturated))} students (a client process above "
            "0.8 cores): those round trips hold its own delay; try more --clients."
        )
    if late:
        print(
            f"\nThe client processes woke late (p95 over 10 ms) at {', '.join(str(r.students) for r in late)} "
            "students while using little processor: they waited for a core, as the server's threads did. Cores "
            "used (server + client + other processes):"
        )
        for r in late:
            used = f"{r.server_cores:.2f} + {r.client_cores:.2f} + {r.other_cores:.2f}"
            print(f"  {r.students} students: {used} of {os.cpu_count()}")
    if not saturated and not late:
        print("\nThe client was never the bottleneck: each process under 0.8 cores, its loop late by 10 ms at most.")


def verdicts(results: list[Result]) -> None:
    largest = results[-1]
    print(
        f"\nMemory per idle session: {largest.idle_mib:.2f} MiB (RSS growth with {largest.students} more idle "
        f"sessions open, divided by {largest.students})"
    )
    holding = [r.students for r in results if r.p95("resample") <= BAR_P95_MS and r.p95("slider") <= BAR_P95_MS]
    held = max(holding, default=None)
    largest_held = f"{held} students" if held is not None else "none of those measured"
    print(f"Largest class with p95 ≤ {BAR_P95_MS:.0f} ms for resample and slider: {largest_held}")
    missed = [r.students for r in results if held is not None and r.students < held and r.students not in holding]
    if missed:
        print(f"  (but not at {', '.join(map(str, missed))} students)")
    print("\nThe bar for a class on a 2-core laptop:")
    top = max(r.students for r in results)
    if top >= BAR_STUDENTS:
        verdict = "PASS" if held is not None and held >= BAR_STUDENTS else "MISS"
        print(f"  ≥ {BAR_STUDENTS} students at p95 ≤ {BAR_P95_MS:.0f} ms: {held or 'none'}  {verdict}")
    else:
        print(f"  ≥ {BAR_STUDENTS} students at p95 ≤ {BAR_P95_MS:.0f} ms: not measured (the largest class was {top})")
    opened = next((r for r in results if r.students >= BAR_STUDENTS and r.first_cold), None)
    if opened is not None:
        verdict = "PASS" if opened.open_first <= BAR_OPEN_SECONDS else "MISS"
        within = f"within {BAR_OPEN_SECONDS:g} s on a fresh server"
        print(f"  all {opened.students} sessions open {within}: {opened.open_first:.2f} s  {verdict}")
    else:
        print(f"  all {BAR_STUDENTS} sessions open within {BAR_OPEN_SECONDS:g} s on a fresh server: not measured")
    verdict = "PASS" if largest.idle_mib <= BAR_IDLE_MIB else "MISS"
    print(f"  ≤ {BAR_IDLE_MIB:g} MiB per idle session: {largest.idle_mib:.2f} MiB  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", help=f"class sizes (default {', '.join(map(str, SWEEP))})")
    parser.add_argument("--workers", type=int, default=_cores(), help="the server's --workers (default: the cores)")
    parser.add_argument("--clients", type=int, default=2, help="processes the students are spread over (default 2)")
    parser.add_argument("--seconds", type=float, help="seconds of load measured for each class (default 15)")
    parser.add_argument(
        "--trains-every", type=int, default=TRAINS_EVERY, help="one student in this many trains live (0: none)"
    )
    parser.add_argument(
        "--one-server",
        action="store_true",
        help="one server for every class, started once (quicker; only the first class opens on a fresh server)",
    )
    parser.add_argument("--short", action="store_true", help="10 and 25 students, 3 s each, one server: a quick check")
    args = parser.parse_args()
    args.students = sorted(args.students or (SHORT_SWEEP if args.short else SWEEP))
    args.seconds = args.seconds or (3.0 if args.short else 15.0)
    args.warm_up = 0.5 if args.short else 1.0
    args.one_server = args.one_server or args.short
    print(
        f"{os.cpu_count()} CPUs · server --workers {args.workers} · students in {args.clients} client processes · "
        f"load average before {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    clients = Clients(args.clients)
    shared = Server(args.workers) if args.one_server else None
    results: list[Result] = []
    try:
        if shared is not None:
            shared.settle()
        for n in args.students:
            result = measure(n, args, clients, shared, cold=shared is None or not results)
            print(
                f"{n:4} students: resample p95 {result.p95('resample'):.0f} ms, slider p95 {result.p95('slider'):.0f} "
                f"ms, all open in {result.open_first:.2f} s",
                flush=True,
            )
            results.append(result)
    finally:
        clients.quit()
        said = stderr_notes(shared.stop()) if shared is not None else []
        if results:
            results[-1].notes += said
    report(results, args)
    print(f"\nload average after {os.getloadavg()[0]:.2f}")


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    main()
