"""The ``dropout-playground`` command."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from . import __version__

LIBRARY_NOTE = """\
The library is ready to use from Python:

    import dropout_playground as dp
    net = dp.MLP([2, 8, 8, 3], p=0.2, seed=0)
    dp.train(net, dp.blobs(), epochs=50)
    net.train(); net([[0.0, 0.2]])   # a different sub-network every call
    net.eval();  net([[0.0, 0.2]])   # every unit used, the same output every call
"""


def build_parser() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(
        prog="dropout-playground",
        description="Dropout Playground: see dropout at work in a real, trained network.",
        epilog=LIBRARY_NOTE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.parse_args(argv)
    print(f"Dropout Playground {__version__}\n")
    parser.print_help()
    return 0
