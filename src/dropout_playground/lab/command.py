"""``dropout-playground lab``: run the experiments, with progress bars, and say what was written."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..process_tuning import cores

NEEDS = "the lab needs matplotlib, rich and joblib: pip install 'dropout-playground[lab]'"
INTERRUPTED = 130  # the shell's status for a command stopped by Ctrl-C


def build_parser() -> argparse.ArgumentParser:
    from . import EXPERIMENTS

    names = ", ".join(experiment.name for experiment in EXPERIMENTS)
    parser = argparse.ArgumentParser(
        prog="dropout-playground lab",
        description="Reproduce dropout results from the literature with this package's engine, on real data: "
        "writes one PNG and one SVG per figure, lab.json with every number, and prints a summary. Ctrl-C keeps "
        "finished work; running the same command again resumes.",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("dropout-lab"), help="folder to write into (default: ./dropout-lab)"
    )
    parser.add_argument("--only", help=f"comma-separated experiments to run (default: all of {names})")
    parser.add_argument(
        "--quick", action="store_true", help="fewer seeds and epochs: every experiment in under a minute"
    )
    parser.add_argument(
        "--seeds", type=int, help="seeds per setting (default: 10 for the digits, fewer for the others)"
    )
    parser.add_argument(
        "--jobs", type=int, default=cores(), help=f"processes running seeds at once (default: the {cores()} cores)"
    )
    return parser


def main(argv: Sequence[str]) -> int:
    try:
        import joblib  # noqa: F401
        import matplotlib  # noqa: F401
        from rich.console import Console
    except ImportError:
        print(f"dropout-playground lab: {NEEDS}", file=sys.stderr)
        return 1
    from . import EXPERIMENTS
    from .report import describe_end, progress_bars, summary_table
    from .runner import LabOptions, run_lab

    parser = build_parser()
    args = parser.parse_args(argv)
    chosen = list(EXPERIMENTS)
    if args.only:
        wanted = [name.strip() for name in args.only.split(",") if name.strip()]
        known = {experiment.name: experiment for experiment in EXPERIMENTS}
        unknown = [name for name in wanted if name not in known]
        if unknown or not wanted:
            parser.error(
                f"--only: no experiment named {', '.join(unknown) or 'nothing'}; choose from {', '.join(known)}"
            )
        chosen = [known[name] for name in dict.fromkeys(wanted)]
    if args.seeds is not None and args.seeds < 1:
        parser.error(f"--seeds must be at least 1, got {args.seeds}")
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    options = LabOptions(out=args.out, experiments=chosen, quick=args.quick, seeds=args.seeds, jobs=args.jobs)
    # Sentences are never wrapped (a path cut at the terminal's width cannot be copied); the table is.
    out, err = Console(), Console(stderr=True, soft_wrap=True)
    err.print(
        f"Dropout Playground lab: {len(chosen)} experiment{'s' if len(chosen) > 1 else ''} into {args.out}/, "
        f"{args.jobs} job{'s' if args.jobs > 1 else ''}{', quick' if args.quick else ''}",
        highlight=False,
    )
    with progress_bars(err) as progress:
        run = run_lab(options, progress)
    if run.rows:
        out.print(summary_table(run))
    err.print(describe_end(run, args.out), highlight=False)
    if run.interrupted:
        return INTERRUPTED
    return 1 if run.failed else 0
