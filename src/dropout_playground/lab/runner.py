"""Running the lab: every chosen experiment's units (in parallel processes, resuming from finished ones),
its summary and figures, a JSON of every number, progress bars while it runs and a table when it ends."""

from __future__ import annotations

import platform
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from .experiment import Experiment, Result, Row, Settings, Unit
from .store import ResultStore, unit_key, write_json

JSON_NAME = "lab.json"
STORE_NAME = ".results"


@dataclass(frozen=True)
class LabOptions:
    out: Path
    experiments: list[Experiment]
    quick: bool = False
    seeds: int | None = None
    jobs: int = 1


@dataclass
class LabRun:
    """What a run did: the JSON it wrote, the summary rows of each finished experiment, what it left out."""

    report: dict[str, Any]
    rows: dict[str, list[Row]] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    interrupted: bool = False


def run_one_unit(experiment: Experiment, settings: Settings, unit: Unit) -> tuple[Result, float]:
    """One unit, timed, with one BLAS thread: the processes already share the cores, and the same thread count
    in every process is what makes a result the same whatever ``--jobs`` is."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        started = time.perf_counter()
        result = experiment.run_unit(settings, unit)
        return result, time.perf_counter() - started


def run_lab(options: LabOptions, progress: Any) -> LabRun:
    """Run ``options.experiments`` into ``options.out``. ``progress`` is a ``rich.progress.Progress``.
    Ctrl-C (``KeyboardInterrupt``) stops the run with every finished experiment's files kept and listed."""
    started = time.perf_counter()
    store = ResultStore(options.out / STORE_NAME)
    report: dict[str, Any] = {
        "package": "dropout-playground",
        "version": __version__,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "quick": options.quick,
        "seeds": options.seeds,
        "jobs": options.jobs,
        "complete": False,
        "left_out": [experiment.name for experiment in options.experiments],
        "seconds": 0.0,
        "experiments": {},
    }
    run = LabRun(report, left_out=list(report["left_out"]))
    plans = [
        (experiment, experiment.settings(quick=options.quick, seeds=options.seeds))
        for experiment in options.experiments
    ]
    overall = progress.add_task(
        "all experiments", total=sum(len(experiment.units(settings)) for experiment, settings in plans)
    )
    try:
        for experiment, settings in plans:
            try:
                entry = _run_experiment(experiment, settings, options, store, progress, overall)
            except (ArithmeticError, ValueError) as error:  # a diverging run, a bad setting: said, and the rest go on
                run.failed[experiment.name] = f"{type(error).__name__}: {error}"
                report["experiments"][experiment.name] = {
                    "title": experiment.title,
                    "settings": settings,
                    "error": run.failed[experiment.name],
                }
            else:
                report["experiments"][experiment.name] = entry
                run.rows[experiment.name] = experiment.rows(entry["summary"])
            run.left_out.remove(experiment.name)
            _write_report(options.out, report, run, started)
    except KeyboardInterrupt:
        run.interrupted = True
        _ignore_further_interrupts()
    report["complete"] = not run.interrupted and not run.failed
    _write_report(options.out, report, run, started)
    return run


def _write_report(out: Path, report: dict[str, Any], run: LabRun, started: float) -> None:
    report["left_out"] = list(run.left_out)
    report["seconds"] = round(time.perf_counter() - started, 3)
    write_json(out / JSON_NAME, report)


def _run_experiment(
    experiment: Experiment, settings: Settings, options: LabOptions, store: ResultStore, progress: Any, overall: Any
) -> dict[str, Any]:
    units = experiment.units(settings)
    keys = [unit_key(experiment.name, settings, unit) for unit in units]
    task = progress.add_task(experiment.title, total=len(units))
    entries: list[dict[str, Any] | None] = [store.get(experiment.name, key) for key in keys]
    resumed = sum(entry is not None for entry in entries)
    progress.advance(task, resumed)
    progress.advance(overall, resumed)
    todo = [index for index, entry in enumerate(entries) if entry is None]
    for index, result, seconds in _carry_out(experiment, settings, [units[i] for i in todo], todo, options.jobs):
        entry = {"unit": units[index], "seconds": round(seconds, 3), "result": result}
        store.put(experiment.name, keys[index], entry)
        entries[index] = entry
        progress.advance(task)
        progress.advance(overall)
    finished = [entry for entry in entries if entry is not None]
    results = [entry["result"] for entry in finished]
    drawing = time.perf_counter()
    summary = experiment.summarise(settings, results)
    files = _save_figures(experiment, settings, results, summary, options.out)
    progress.update(task, visible=False)
    return {
        "title": experiment.title,
        "settings": settings,
        "summary": summary,
        "files": files,
        "resumed_units": resumed,
        "seconds": {
            "units": round(sum(entry["seconds"] for entry in finished), 3),
            "figures": round(time.perf_counter() - drawing, 3),
        },
        "units": finished,
    }


def _carry_out(
    experiment: Experiment, settings: Settings, units: list[Unit], indices: list[int], jobs: int
) -> Iterator[tuple[int, Result, float]]:
    """Each unit's index, result and seconds, as each finishes (in any order with several jobs)."""
    if not units:
        return
    if jobs == 1:
        for index, unit in zip(indices, units):
            yield _indexed(index, experiment, settings, unit)
        return
    from joblib import Parallel, delayed

    parallel = Parallel(n_jobs=min(jobs, len(units)), return_as="generator_unordered")
    calls = (delayed(_indexed)(index, experiment, settings, unit) for index, unit in zip(indices, units))
    yield from parallel(calls)


def _indexed(index: int, experiment: Experiment, settings: Settings, unit: Unit) -> tuple[int, Result, float]:
    return (index, *run_one_unit(experiment, settings, unit))


def _save_figures(
    experiment: Experiment, settings: Settings, results: list[Result], summary: Result, out: Path
) -> list[str]:
    """Each figure as PNG and SVG, the same bytes for the same numbers (no dates or random ids in them)."""
    from . import style

    files = []
    with style.look():
        for stem, figure in experiment.draw(settings, results, summary).items():
            for extension in ("png", "svg"):
                path = out / f"{stem}.{extension}"
                aside = path.with_name(f".{path.name}.part")
                metadata = {"Date": None} if extension == "svg" else {"Software": None}
                figure.savefig(aside, format=extension, metadata=metadata)
                aside.replace(path)
                files.append(path.name)
    return files


def _ignore_further_interrupts() -> None:
    """Once interrupted, the run only writes down what it finished: a second Ctrl-C (pressed twice, or sent to
    the whole process group) must not cut that short."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
