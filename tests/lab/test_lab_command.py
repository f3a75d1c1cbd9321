"""``dropout-playground lab`` as a user runs it: the real command in a subprocess, its files, its JSON, and
what Ctrl-C and a rerun do."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from dropout_playground.lab import EXPERIMENTS

SCHEMA = Path(__file__).resolve().parents[2] / "src" / "dropout_playground" / "lab" / "schema.json"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def lab(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dropout_playground", "lab", *args],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        **kwargs,
    )


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, subprocess.CompletedProcess[str]]]:
    """The quick run, once with one process and once with two."""
    runs = {}
    for jobs in (1, 2):
        out = tmp_path_factory.mktemp(f"lab-jobs-{jobs}")
        runs[jobs] = (out, lab("--quick", "--jobs", str(jobs), "--out", str(out)))
    return runs


def numbers(value: Any) -> list[float]:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    if isinstance(value, (int, float)):
        return [value]
    if isinstance(value, dict):
        return [number for item in value.values() for number in numbers(item)]
    return [number for item in value for number in numbers(item)]


def test_the_quick_run_writes_every_file_and_says_so(quick_runs):
    out, run = quick_runs[1]
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    report = json.loads((out / "lab.json").read_text())
    assert report["complete"] is True and report["left_out"] == []
    assert list(report["experiments"]) == [experiment.name for experiment in EXPERIMENTS]
    for name, entry in report["experiments"].items():
        assert entry["files"], name
        for file in entry["files"]:
            data = (out / file).read_bytes()
            if file.endswith(".png"):
                assert data.startswith(PNG_SIGNATURE), file
            else:
                assert ElementTree.fromstring(data).tag.endswith("svg"), file
        assert {Path(file).stem for file in entry["files"] if file.endswith(".png")} == {
            Path(file).stem for file in entry["files"] if file.endswith(".svg")
        }
    # The summary table names every experiment, and the last line says where the files went.
    for experiment in EXPERIMENTS:
        assert experiment.name in run.stdout
    assert f"into {out}/" in run.stderr


def test_every_number_is_finite_and_the_json_follows_its_schema(quick_runs):
    out, _ = quick_runs[1]
    report = json.loads((out / "lab.json").read_text())
    found = numbers(report)
    assert len(found) > 1000
    assert all(math.isfinite(number) for number in found)
    jsonschema.validate(report, json.loads(SCHEMA.read_text()))


def test_the_schema_refuses_what_is_not_a_lab_run(quick_runs):
    out, _ = quick_runs[1]
    report = json.loads((out / "lab.json").read_text())
    report["experiments"]["digits"]["summary"]["test_error"]["none"]["mean"] = 1.5  # an error rate above 100 %
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, json.loads(SCHEMA.read_text()))


def test_one_process_or_two_give_the_same_results(quick_runs):
    (one, _), (two, run_two) = quick_runs[1], quick_runs[2]
    assert run_two.returncode == 0, run_two.stderr
    first, second = (json.loads((out / "lab.json").read_text()) for out in (one, two))
    for name in first["experiments"]:
        a, b = first["experiments"][name], second["experiments"][name]
        assert a["settings"] == b["settings"]
        assert [unit["result"] for unit in a["units"]] == [unit["result"] for unit in b["units"]], name
        assert a["summary"] == b["summary"], name
    # The same numbers draw the same figures, byte for byte.
    for file in first["experiments"]["digits"]["files"]:
        assert (one / file).read_bytes() == (two / file).read_bytes(), file


def test_a_rerun_resumes_every_finished_unit(tmp_path, quick_runs):
    out, _ = quick_runs[1]
    before = json.loads((out / "lab.json").read_text())
    again = lab("--quick", "--jobs", "1", "--out", str(out), "--only", "digits,p-sweep")
    assert again.returncode == 0, again.stderr
    after = json.loads((out / "lab.json").read_text())
    for name in ("digits", "p-sweep"):
        assert after["experiments"][name]["resumed_units"] == len(before["experiments"][name]["units"])
        assert after["experiments"][name]["summary"] == before["experiments"][name]["summary"]
    assert list(after["experiments"]) == ["digits", "p-sweep"]


def test_ctrl_c_keeps_finished_experiments_exits_cleanly_and_a_rerun_resumes(tmp_path):
    # More seeds than the quick run's own, so that the experiments after the first take several seconds.
    args = ["--quick", "--seeds", "8", "--jobs", "2", "--out", str(tmp_path)]
    process = subprocess.Popen(
        [sys.executable, "-m", "dropout_playground", "lab", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    report = tmp_path / "lab.json"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if report.exists() and "digits" in json.loads(report.read_text())["experiments"]:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be interrupted"
    # Ctrl-C at a terminal signals the whole foreground process group: the command and its worker processes.
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "Interrupted" in stderr and "run the same command again to resume" in stderr
    interrupted = json.loads(report.read_text())
    assert interrupted["complete"] is False
    assert "digits" in interrupted["experiments"] and "page-figures" in interrupted["left_out"]
    for file in interrupted["experiments"]["digits"]["files"]:
        assert (tmp_path / file).stat().st_size > 0
    assert "digits" in stdout  # the table of what did finish
    kept_units = len(list((tmp_path / ".results").rglob("*.json")))

    rerun = lab(*args)
    assert rerun.returncode == 0, rerun.stderr
    finished = json.loads(report.read_text())
    assert finished["complete"] is True
    digits = finished["experiments"]["digits"]
    assert digits["resumed_units"] == len(digits["units"])
    assert sum(entry["resumed_units"] for entry in finished["experiments"].values()) == kept_units


def test_unknown_experiments_and_bad_numbers_are_refused(tmp_path):
    for args, message in (
        (["--only", "digits,mnist"], "no experiment named mnist; choose from digits, mc-averaging"),
        (["--jobs", "0"], "--jobs must be at least 1, got 0"),
        (["--seeds", "0"], "--seeds must be at least 1, got 0"),
    ):
        run = lab("--out", str(tmp_path), *args)
        assert run.returncode == 2 and message in run.stderr, run.stderr
    assert not (tmp_path / "lab.json").exists()


def test_without_the_lab_extra_it_says_what_to_install(monkeypatch, capsys):
    from dropout_playground import cli

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    assert cli.main(["lab", "--quick"]) == 1
    assert "pip install 'dropout-playground[lab]'" in capsys.readouterr().err
