"""How long the server works for one frame of each figure, against the 16 ms a frame lasts at 60 Hz.

A figure feels live when the server answers a command within one display frame. For every figure the
page shows, this script times what the server does in its worker thread for each kind of command: carry
out the command, build the frame and encode it for the wire. It also times opening a session (building
the figure, training included) for context; that happens once per tab, not per frame.

Where a figure averages over many sub-networks, a peer is timed in the same run: the same numbers
computed the plain way, one engine forward pass per sub-network in a Python loop, so that the ratio shows
what the vectorised path buys. Peers are checked to agree with the figure to 1e-9.

Each command is timed over repeated runs (``--quick``: fewer); the figures are the median and the 95th
percentile. Targets are printed with PASS or MISS; the script is a report and exits with 0.

    python benchmarks/bench_frames.py
    python benchmarks/bench_frames.py --quick
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import dropout_playground as dp
from dropout_playground.process_tuning import tune_process
from dropout_playground.protocol import FIGURES, encode_frame

FRAME_BUDGET_MS = 16.0


@dataclass(frozen=True)
class Case:
    """A command a student sends, as the page sends it; with several messages, each run sends the next,
    so that a setting really changes every time. With none, the case opens a session from ``query``."""

    figure: str
    label: str
    messages: tuple[dict[str, Any], ...]
    query: dict[str, str] | None = None
    budget: float | None = FRAME_BUDGET_MS  # None: a rebuild (new data or seed: training), timed for context
    before_each: dict[str, Any] | None = None  # sent, untimed, before every timed run


CASES = [
    Case("playground", "resample (train mode)", ({"type": "resample"},)),
    Case("playground", "set p", ({"type": "set", "p": 0.3}, {"type": "set", "p": 0.1})),
    Case("playground", "switch mode", ({"type": "set", "mode": "eval"}, {"type": "set", "mode": "train"})),
    Case("playground", "train 5 steps (live training)", ({"type": "train", "steps": 5},)),
    Case(
        "playground",
        "a new dataset (trains anew)",
        ({"type": "set", "dataset": "moons"}, {"type": "set", "dataset": "blobs"}),
        budget=None,
    ),
    Case("playground", "move the probe", ({"type": "set", "probe": [0.5, -0.5]}, {"type": "set", "probe": [0, 0]})),
    Case("data-flow", "resample (one mask)", ({"type": "resample"},)),
    Case("data-flow", "draw 100", ({"type": "resample", "count": 100},)),
    Case(
        "data-flow",
        "draw 1000 (the most one command draws)",
        ({"type": "resample", "count": 1000},),
        before_each={"type": "reset"},  # the running mean holds at most 100,000 masks
    ),
    Case("data-flow", "set p (the running mean starts over)", ({"type": "set", "p": 0.3}, {"type": "set", "p": 0.2})),
    Case("data-flow", "switch scaling", ({"type": "set", "scaling": "none"}, {"type": "set", "scaling": "classic"})),
    Case("data-flow", "open a link holding 100,000 masks", (), {"draws": "100000"}),
    Case("ensemble-grid", "resample (12 members)", ({"type": "resample"},)),
    Case("ensemble-grid", "resample (24 members)", ({"type": "resample"},), {"members": "24"}),
    Case(
        "ensemble-grid", "set p (24 members)", ({"type": "set", "p": 0.3}, {"type": "set", "p": 0.5}), {"members": "24"}
    ),
    Case("ensemble-grid", "switch members 6 ↔ 24", ({"type": "set", "members": 24}, {"type": "set", "members": 6})),
    Case(
        "ensemble-gap",
        "switch network",
        ({"type": "set", "network": "one-layer"}, {"type": "set", "network": "two-layer"}),
    ),
    Case("ensemble-gap", "choose p", ({"type": "set", "p": 0.1}, {"type": "set", "p": 0.3})),
    Case(
        "ensemble-gap",
        "a new seed (trains and measures anew)",
        tuple({"type": "set", "seed": seed} for seed in range(100, 140)),
        budget=None,
    ),
    Case(
        "overfitting",
        "train a chunk (sine, asks for 400 steps)",
        ({"type": "train", "steps": 400},),
        before_each={"type": "reset"},
    ),
    Case(
        "overfitting",
        "train a chunk (moons, asks for 400 steps)",
        ({"type": "train", "steps": 400},),
        {"task": "moons"},
        before_each={"type": "reset"},
    ),
    Case("overfitting", "step (10 steps)", ({"type": "train", "steps": 10},), before_each={"type": "reset"}),
    Case("overfitting", "set p (both networks start again)", ({"type": "set", "p": 0.3}, {"type": "set", "p": 0.5})),
    Case("overfitting", "switch task", ({"type": "set", "task": "moons"}, {"type": "set", "task": "sine"})),
    Case("forgotten-eval", "resample (T = 10)", ({"type": "resample"},)),
    Case("forgotten-eval", "resample (T = 30)", ({"type": "resample"},), {"T": "30"}),
    Case("forgotten-eval", "choose T", ({"type": "set", "T": 30}, {"type": "set", "T": 5})),
    Case(
        "co-adaptation",
        "switch dataset (measured once, then shared)",
        ({"type": "set", "dataset": "moons"}, {"type": "set", "dataset": "spiral"}),
    ),
    Case("mc-dropout", "resample (T = 30)", ({"type": "resample"},)),
    Case("mc-dropout", "resample (T = 100)", ({"type": "resample"},), {"T": "100"}),
    Case(
        "mc-dropout",
        "train a chunk after a new point (T = 100)",
        ({"type": "train", "steps": 400},),
        {"T": "100", "steps": "0"},
        before_each={"type": "reset_points"},
    ),
    Case(
        "mc-dropout",
        "add a point (training starts again)",
        ({"type": "add_point", "x": 3.0, "y": 0.0}, {"type": "remove_point", "index": 16}),
    ),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_ms(work: Callable[[], object], repeats: int, before_each: Callable[[], object] | None = None) -> list[float]:
    times = []
    for _ in range(repeats):
        if before_each is not None:
            before_each()
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return times


def time_case(case: Case, repeats: int) -> list[float]:
    protocol = FIGURES[case.figure]
    query = case.query or {}
    figure, _ = protocol.create(query)
    commands = itertools.cycle([protocol.parse(json.dumps(message)) for message in case.messages])

    def work() -> bytes:
        if not case.messages:  # opening a session
            opened, _ = protocol.create(query)
            return encode_frame(opened.name, opened.frame())
        protocol.apply(figure, next(commands))
        return encode_frame(figure.name, figure.frame())

    prepare = None
    if case.before_each is not None:
        untimed = protocol.parse(json.dumps(case.before_each))

        def prepare() -> None:
            protocol.apply(figure, untimed)

    if case.budget is not None:
        work()  # warm up
    return time_ms(work, repeats, prepare)


def report(label: str, times: list[float], budget: float | None = FRAME_BUDGET_MS) -> None:
    median, p95 = statistics.median(times), percentile(times, 0.95)
    verdict = "" if budget is None else ("PASS" if p95 <= budget else "MISS")
    print(f"  {label:<44} median {median:7.2f} ms   p95 {p95:7.2f} ms   {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats: a smoke run")
    args = parser.parse_args()
    repeats = 20 if args.quick else 200
    tune_process()  # as each server worker is
    print(f"Dropout Playground {dp.__version__} · Python {platform.python_version()} · numpy {np.__version__}")
    print(f"{os.cpu_count()} CPUs · load average before {os.getloadavg()[0]:.2f}")
    print(f"Server time per frame (apply the command, build and encode the frame); budget {FRAME_BUDGET_MS:g} ms")
    for name, protocol in FIGURES.items():
        print(f"\n{name}")
        opening = time_ms(lambda protocol=protocol: protocol.create({}), 3 if args.quick else 10)
        # Trained networks may be cached for the process: the first opening is the cold one.
        print(f"  {'open a session, first time (build and train)':<44} {opening[0]:14.2f} ms")
        report("open a session again", opening[1:], budget=None)
        for case in CASES:
            if case.figure == name:
                runs = repeats if case.budget is not None else 3
                report(case.label, time_case(case, runs), case.budget)
        for peer in PEERS.get(name, []):
            peer(repeats)
    print(f"\nload average after {os.getloadavg()[0]:.2f}")


def data_flow_peer(repeats: int) -> None:
    """Draw 1000 masks the plain way: one forward pass of the probe per mask, and the mean output."""
    from dropout_playground.figures.data_flow import DataFlow, DataFlowSettings

    count = 1000
    settings = DataFlowSettings(draws=count)
    figure = DataFlow(settings)
    masks = np.random.default_rng([settings.seed, 2]).random((count, 4)) >= settings.p
    x = np.array([settings.probe])

    def plain() -> float:
        return float(np.mean([figure.net.forward(x, [mask], record=False).output[0, 0] for mask in masks]))

    difference = abs(plain() - figure.frame().values["running_mean"])
    fresh = DataFlow()
    vectorised = time_ms(lambda: fresh.resample(count), repeats, before_each=fresh.reset)
    looped = time_ms(plain, max(3, repeats // 10))
    ratio = statistics.median(looped) / statistics.median(vectorised)
    print(f"  peer: 1000 masks, one forward pass each       median {statistics.median(looped):7.2f} ms")
    print(f"        loop ÷ the figure's resample of 1000: {ratio:.0f}×; means agree to {difference:.0e}")


def ensemble_grid_peer(repeats: int) -> None:
    """The 24 members' maps the plain way: one forward pass over the plane per member."""
    from dropout_playground.figures.ensemble_grid import EnsembleGrid, EnsembleGridSettings

    figure = EnsembleGrid(EnsembleGridSettings(members=24))
    points, masks, split = figure._points, figure.masks, figure.settings.hidden[0]

    def plain() -> np.ndarray:
        return np.stack([figure.net.forward(points, np.split(mask, [split]), record=False).output for mask in masks])

    difference = np.abs(plain() - figure._member_outputs).max()
    vectorised = time_ms(figure._run, repeats)
    looped = time_ms(plain, repeats)
    ratio = statistics.median(looped) / statistics.median(vectorised)
    print(f"  peer: 24 members, one forward pass each       median {statistics.median(looped):7.2f} ms")
    print(f"        loop ÷ the figure's batched pass: {ratio:.1f}×; outputs agree to {difference:.0e}")


def overfitting_peer(repeats: int) -> None:
    """The figure's two networks trained the plain way: each with its own Trainer, one after the other,
    against one step of the figure's stack; both ways reach the same weights."""
    from dropout_playground.figures.overfitting import LEARNING_RATE, Overfitting, task_data

    figure = Overfitting()
    s = figure.settings
    data = task_data(s.task, s.points, s.noise, s.seed)
    nets = [dp.MLP([1, s.width, s.width, 1], p=p, output="linear", seed=s.seed) for p in (0.0, s.p)]
    trainers = [
        dp.Trainer(n, data, dp.Adam(n.parameters(), lr=LEARNING_RATE), batch_size=s.points, seed=s.seed) for n in nets
    ]
    steps = 200
    stacked = time_ms(lambda: figure._advance(steps), max(3, repeats // 20), before_each=figure.reset)
    looped = time_ms(lambda: [t.step() for _ in range(steps) for t in trainers], max(3, repeats // 20))
    figure.reset()
    figure._advance(steps)
    fresh = [dp.MLP([1, s.width, s.width, 1], p=p, output="linear", seed=s.seed) for p in (0.0, s.p)]
    alone = [
        dp.Trainer(n, data, dp.Adam(n.parameters(), lr=LEARNING_RATE), batch_size=s.points, seed=s.seed) for n in fresh
    ]
    for trainer in alone:
        for _ in range(steps):
            trainer.step()
    difference = max(
        np.abs(figure.stack.network(k).parameters().flat - fresh[k].parameters().flat).max() for k in range(2)
    )
    per_step = statistics.median(stacked) / steps
    print(f"  {steps} steps of both networks, stacked          median {statistics.median(stacked):7.2f} ms")
    print(f"        that is {1000 / per_step:,.0f} steps a second for each network (TensorFlow Playground: 1,250)")
    print(f"  peer: each network with its own Trainer       median {statistics.median(looped):7.2f} ms")
    ratio = statistics.median(looped) / statistics.median(stacked)
    print(f"        two Trainers ÷ the stack: {ratio:.1f}×; weights agree to {difference:.0e}")


PEERS: dict[str, list[Callable[[int], None]]] = {
    "data-flow": [data_flow_peer],
    "ensemble-grid": [ensemble_grid_peer],
    "overfitting": [overfitting_peer],
}

if __name__ == "__main__":
    main()
