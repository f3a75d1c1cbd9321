"""The lab's runner in this process: an experiment that fails is said and the others still run, and what
finished is kept."""

from __future__ import annotations

import json

from rich.console import Console
from rich.progress import Progress

from dropout_playground.engine import TrainingDiverged
from dropout_playground.lab.experiment import Experiment, Row
from dropout_playground.lab.runner import JSON_NAME, LabOptions, run_lab


class Counting(Experiment):
    """Three units, each returning its own number, and a figure of them."""

    name = "counting"
    title = "Counting"

    def settings(self, *, quick, seeds):
        return {"units": 3}

    def units(self, settings):
        return [{"index": index} for index in range(settings["units"])]

    def run_unit(self, settings, unit):
        return {"value": unit["index"] * 2}

    def summarise(self, settings, results):
        return {"total": sum(result["value"] for result in results)}

    def rows(self, summary):
        return [Row("total", str(summary["total"]))]

    def draw(self, settings, results, summary):
        from dropout_playground.lab import style

        figure, axes = style.new_figure()
        axes.plot([result["value"] for result in results])
        return {"counting": figure}


class Diverging(Counting):
    name = "diverging"
    title = "Diverging"

    def run_unit(self, settings, unit):
        if unit["index"] == 2:
            raise TrainingDiverged(step=17, lr=10.0, loss=float("inf"))
        return super().run_unit(settings, unit)


def run(tmp_path, experiments):
    quiet = Progress(console=Console(quiet=True), disable=True)
    return run_lab(LabOptions(out=tmp_path, experiments=experiments, jobs=1), quiet)


def test_a_diverging_experiment_is_reported_and_the_others_still_run(tmp_path):
    result = run(tmp_path, [Diverging(), Counting()])
    report = json.loads((tmp_path / JSON_NAME).read_text())
    assert result.failed == {"diverging": report["experiments"]["diverging"]["error"]}
    assert "TrainingDiverged" in result.failed["diverging"] and "step 17" in result.failed["diverging"]
    assert report["complete"] is False and report["left_out"] == []
    assert report["experiments"]["counting"]["summary"] == {"total": 6}
    assert (tmp_path / "counting.png").exists() and not (tmp_path / "diverging.png").exists()
    # The diverging experiment's finished units are kept: a rerun redoes only the one that diverged.
    kept = list((tmp_path / ".results" / "diverging").glob("*.json"))
    assert len(kept) == 2


def test_a_rerun_reads_finished_units_instead_of_running_them(tmp_path):
    run(tmp_path, [Counting()])

    class Refusing(Counting):
        def run_unit(self, settings, unit):
            raise AssertionError("a finished unit was run again")

    again = run(tmp_path, [Refusing()])
    assert again.report["experiments"]["counting"]["resumed_units"] == 3
    assert again.report["experiments"]["counting"]["summary"] == {"total": 6}
