"""The ``dropout-playground`` command."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from . import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dropout-playground",
        description="Dropout Playground: see dropout at work in a real, trained network.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    build_parser().parse_args(argv)
    print(f"Dropout Playground {__version__}")
    print("The interactive page is not built yet; the library is ready: import dropout_playground.")
    return 0
