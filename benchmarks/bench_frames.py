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
from dropout_playground.protocol import FIGURES, encode_frame

FRAME_BUDGET_MS = 16.0


@dataclass(frozen=True)
class Case:
    """One command a student sends, as the page sends it."""

    figure: str
    label: str
    message: dict[str, Any]
    query: dict[str, str] | None = None


CASES = [
    Case("playground", "resample (train mode)", {"type": "resample"}),
    Case("playground", "set p", {"type": "set", "p": 0.3}),
    Case("playground", "set mode eval", {"type": "set", "mode": "eval"}),
    Case("playground", "train 5 steps (live training)", {"type": "train", "steps": 5}),
    Case("playground", "move the probe", {"type": "set", "probe": [0.5, -0.5]}),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_ms(work: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return times


def time_case(case: Case, repeats: int) -> list[float]:
    protocol = FIGURES[case.figure]
    figure, _ = protocol.create(case.query or {})
    command = protocol.parse(json.dumps(case.message))

    def work() -> bytes:
        protocol.apply(figure, command)
        return encode_frame(figure.name, figure.frame())

    work()  # warm up
    return time_ms(work, repeats)


def report(label: str, times: list[float], budget: float | None = FRAME_BUDGET_MS) -> None:
    median, p95 = statistics.median(times), percentile(times, 0.95)
    verdict = "" if budget is None else ("PASS" if p95 <= budget else "MISS")
    print(f"  {label:<44} median {median:7.2f} ms   p95 {p95:7.2f} ms   {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats: a smoke run")
    args = parser.parse_args()
    repeats = 20 if args.quick else 200
    print(f"Dropout Playground {dp.__version__} · Python {platform.python_version()} · numpy {np.__version__}")
    print(f"{os.cpu_count()} CPUs · load average before {os.getloadavg()[0]:.2f}")
    print(f"Server time per frame (apply the command, build and encode the frame); budget {FRAME_BUDGET_MS:g} ms")
    for name, protocol in FIGURES.items():
        print(f"\n{name}")
        opening = time_ms(lambda protocol=protocol: protocol.create({}), 3 if args.quick else 10)
        report("open a session (build, train, first frame)", opening, budget=None)
        for case in CASES:
            if case.figure == name:
                report(case.label, time_case(case, repeats))
        for peer in PEERS.get(name, []):
            peer(repeats)
    print(f"\nload average after {os.getloadavg()[0]:.2f}")


PEERS: dict[str, list[Callable[[int], None]]] = {}

if __name__ == "__main__":
    main()
