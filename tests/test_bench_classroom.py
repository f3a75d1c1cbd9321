"""The load benchmark in its short mode runs to the end against the real command and prints its tables.

It does not check the bar: a slow or busy machine is slower, and the full run is what measures a class."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "bench_classroom.py"
SHORT_CLASSES = (10, 25)


def test_the_short_load_benchmark_prints_round_trips_resources_and_memory_for_each_class():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--short"], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for students in SHORT_CLASSES:
        # Round trips: p50, p95 and p99 of resample, slider and play, then answers a second.
        row = re.search(rf"^\s*{students}((?:\s+\d+){{9}})\s+([\d,]+)\s", out, re.MULTILINE)
        assert row, f"no round-trip row for {students} students in:\n{out}"
        times = [int(value) for value in row.group(1).split()]
        for p50, p95, p99 in zip(times[0::3], times[1::3], times[2::3]):
            assert p50 <= p95 <= p99, row.group(0)
        assert int(row.group(2).replace(",", "")) > 0, "the students got no answers"
        # Opening, memory and processor: open s, N more s, MiB/idle, server cores and MiB, client cores,
        # busiest client, client late p95, the other processes' cores.
        number = r"\s+-?\d+(?:\.\d+)?"
        resources = re.search(rf"^\s*{students}\s+\d+\.\d+\*?(?:{number}){{8}}\s*$", out, re.MULTILINE)
        assert resources, f"no row of opening, memory and processor for {students} students in:\n{out}"
    assert re.search(r"^Memory per idle session: -?\d+\.\d+ MiB", out, re.MULTILINE), out
    assert "Traceback" not in result.stderr, result.stderr
