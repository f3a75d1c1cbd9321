"""How long a class takes to open each figure: many sessions of its defaults, opened as the server opens them.

Every session is opened through ``FigureProtocol.create``, in a fresh process for each figure and way, so
that nothing is kept from an earlier run: first one after another, then all at once from as many worker
threads as the server's (asyncio's default pool). Two ways:

- **kept**: as the server opens them, copied from the first state the process keeps for their settings
  (``figures.first_states``), which the first session builds;
- **built**, the peer: every session builds its own figure, as the server did before first states were
  kept (the figures' own caches of trained networks and studies still apply).

For each figure it also prints how long one copy of its first state takes (median of 50) and how much
memory one first state holds (traced while copying it), which is what the process keeps for each set of
settings and what each idle session holds. It is a report: it exits with 0 whatever the figures show.

    python benchmarks/bench_first_states.py                 # 100 sessions of each figure, a few minutes
    python benchmarks/bench_first_states.py --sessions 10   # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from copy import deepcopy

import numpy as np

import dropout_playground as dp
from dropout_playground.protocol import FIGURES
from dropout_playground.protocol import figure as protocol_figure

WAYS = ("kept", "built")
ORDERS = ("in turn", "at once")
SERVER_THREADS = min(32, (os.cpu_count() or 1) + 4)  # asyncio.to_thread's pool, where sessions are built


def open_sessions(name: str, way: str, order: str, sessions: int) -> dict[str, float]:
    """Open ``sessions`` default sessions of the figure: seconds for all of them (and, in turn, for the first)."""
    protocol = FIGURES[name]
    if way == "built":
        protocol_figure.first_state = lambda figure_class, settings, report=None: figure_class(settings)  # type: ignore[assignment]
    result = {}
    started = time.perf_counter()
    if order == "in turn":
        protocol.create({})
        result["first"] = time.perf_counter() - started
        for _ in range(sessions - 1):
            protocol.create({})
    else:
        with ThreadPoolExecutor(SERVER_THREADS) as pool:
            for future in [pool.submit(protocol.create, {}) for _ in range(sessions)]:
                future.result()
    result["all"] = time.perf_counter() - started
    if way == "kept" and order == "in turn":
        figure, _ = protocol.create({})
        result |= _copy_cost(figure)
    return result


def _copy_cost(figure: object) -> dict[str, float]:
    times = []
    for _ in range(50):
        started = time.perf_counter()
        deepcopy(figure)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    copied = deepcopy(figure)
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del copied
    return {"copy": statistics.median(times), "bytes": size}


def run_apart(name: str, way: str, order: str, sessions: int) -> dict[str, float]:
    """``open_sessions`` in a fresh process."""
    arguments = [sys.executable, __file__, "--figure", name, "--way", way, "--order", order]
    output = subprocess.run([*arguments, "--sessions", str(sessions)], capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(output.stdout.strip().splitlines()[-1])
    return result


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--figure", choices=list(FIGURES), help=argparse.SUPPRESS)
    parser.add_argument("--way", choices=WAYS, help=argparse.SUPPRESS)
    parser.add_argument("--order", choices=ORDERS, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.figure:
        print(json.dumps(open_sessions(options.figure, options.way, options.order, options.sessions)))
        return

    n = options.sessions
    print(f"Dropout Playground {dp.__version__} · Python {platform.python_version()} · numpy {np.__version__}")
    print(f"{os.cpu_count()} CPUs · {SERVER_THREADS} worker threads · load average before {os.getloadavg()[0]:.2f}")
    print(f"\n{n} default sessions of each figure, each figure and way in a fresh process\n")
    header = f"{'':15} {'kept: first':>12} {f'{n} in turn':>11} {f'{n} at once':>11}"
    header += f"   {'built: first':>12} {f'{n} in turn':>11} {f'{n} at once':>11}   {'one copy':>9} {'one state':>10}"
    print(header)
    for name in FIGURES:
        results = {(way, order): run_apart(name, way, order, n) for way in WAYS for order in ORDERS}
        kept = results[("kept", "in turn")]
        cells = [name.ljust(15)]
        for way in WAYS:
            in_turn, at_once = results[(way, "in turn")], results[(way, "at once")]
            cells.append(f"{seconds(in_turn['first']):>12} {seconds(in_turn['all']):>11} {seconds(at_once['all']):>11}")
        cells.append(f"{kept['copy'] * 1000:>6.2f} ms {kept['bytes'] / 1024:>6.0f} KiB")
        print("   ".join(cells), flush=True)
    print(f"\nload average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
