"""What the lab shows in the terminal: its progress bars, the summary table, and its last words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .runner import JSON_NAME, STORE_NAME, LabRun


def progress_bars(console: Any) -> Any:
    """One bar for the whole run and one for the experiment running (rich draws them on a terminal only)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    )


def summary_table(run: LabRun) -> Any:
    from rich.table import Table

    table = Table(title="Dropout Playground lab", title_justify="left")
    table.add_column("experiment")
    table.add_column("measure")
    table.add_column("here")
    table.add_column("literature")
    for name, rows in run.rows.items():
        for index, row in enumerate(rows):
            table.add_row(name if index == 0 else "", row.measure, row.value, row.literature)
    return table


def duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{seconds:.1f} s"


def describe_end(run: LabRun, out: Path) -> str:
    report = run.report
    files = [name for entry in report["experiments"].values() for name in entry.get("files", [])]
    lines = [f"Wrote {len(files)} figure files and {JSON_NAME} into {out}/ in {duration(report['seconds'])}."]
    for name, reason in run.failed.items():
        lines.append(f"{name} failed: {reason}")
    if run.interrupted:
        lines.append(
            f"Interrupted. Left out: {', '.join(run.left_out)}. Finished work is kept in {out / STORE_NAME}/: "
            "run the same command again to resume."
        )
    return "\n".join(lines)
