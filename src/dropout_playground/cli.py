"""The ``dropout-playground`` command: serve the playground page locally and open it in a browser; ``lab`` runs
the headless experiments instead."""

from __future__ import annotations

import argparse
import contextlib
import errno
import signal
import socket
import sys
import webbrowser
from collections.abc import Sequence

from . import __version__
from .addresses import network_addresses
from .process_tuning import cores
from .server import LOCAL_HOSTS, ServerOptions, serve

EVERY_ADDRESS = ("0.0.0.0", "::")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dropout-playground",
        description="Dropout Playground: see dropout at work in a real, trained network. Starts a local "
        "server, prints its address and opens it in your browser. Stop it with Ctrl-C.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to serve on (default: a free one)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only); 0.0.0.0 serves a class and prints "
        "the addresses students open",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=cores(),
        help=f"server processes sharing the port, each using one core (default: this computer's {cores()} cores)",
    )
    parser.add_argument("--no-browser", action="store_true", help="print the address but open no browser")
    parser.add_argument("--library-url", help="address of the explainer library, for the page's back link")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.epilog = "dropout-playground lab --help: the headless experiments, as figures and numbers."
    return parser


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; ``OSError`` if the address cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if host == "::":  # every address, IPv4 ones too: 127.0.0.1 and the network addresses printed
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def announcement(host: str, port: int, url: str) -> str:
    """What the command prints once it listens. The first line gives the address for this computer's own
    browser as ``is running at http://…/``, which scripts and tests read; serving a class, the lines after it
    give the addresses students open."""
    if host not in EVERY_ADDRESS:
        return f"Dropout Playground {__version__} is running at {url}  (Ctrl-C stops it)"
    families = [socket.AF_INET, socket.AF_INET6] if host == "::" else [socket.AF_INET]
    found = [address for family in families for address in network_addresses(family)]
    lines = [f"Dropout Playground {__version__} is running at {url} on this computer."]
    if not found:
        lines.append(
            f"No address of this computer on a network was found: connect it to the class's network, then "
            f"students open http://<this computer's address>:{port}/"
        )
    else:
        lines.append(
            "Students on the same network open it at:"
            if len(found) == 1
            else "Students open it at this computer's address on the network they share with it:"
        )
        width = max(len(address.url(port)) for address in found)
        for address in found:
            named = f"  ({address.interface})" if address.interface else ""
            lines.append(f"  {address.url(port).ljust(width)}{named}".rstrip())
    lines.append("Ctrl-C stops it.")
    return "\n".join(lines)


def _interrupt(signum: int, frame: object) -> None:
    """A signal taken as Ctrl-C."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["lab"]:
        from .lab.command import main as lab

        return lab(argv[1:])
    args = build_parser().parse_args(argv)
    if not 0 <= args.port <= 65535:
        print(f"dropout-playground: --port must be between 0 and 65535, got {args.port}", file=sys.stderr)
        return 2
    if args.workers < 1:
        print(f"dropout-playground: --workers must be at least 1, got {args.workers}", file=sys.stderr)
        return 2
    try:
        sock = bind(args.host, args.port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            reason = f"port {args.port} is already in use; choose another with --port, or leave --port out"
        else:
            reason = f"cannot listen on {args.host}:{args.port}: {error.strerror or error}"
        print(f"dropout-playground: {reason}", file=sys.stderr)
        return 1
    port = sock.getsockname()[1]
    local = args.host in LOCAL_HOSTS
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{'127.0.0.1' if args.host in EVERY_ADDRESS else shown_host}:{port}/"
    if not local:
        print(
            f"Warning: listening on {shown_host}:{port}, so anyone who can reach this computer on port {port} "
            "can open the playground.",
            file=sys.stderr,
        )
    options = ServerOptions(allowed_hosts=LOCAL_HOSTS if local else None, library_url=args.library_url)
    on_ready = None if args.no_browser else (lambda: webbrowser.open(url))
    # From the moment the address is printed, Ctrl-C stops the server cleanly, however soon it comes, and so
    # does SIGTERM (kill, a service manager): with "Stopped." and status 0.
    signal.signal(signal.SIGTERM, _interrupt)
    with contextlib.suppress(KeyboardInterrupt):
        print(announcement(args.host, port, url), flush=True)
        serve(sock, options, workers=args.workers, on_ready=on_ready)
    # Stopped: a second Ctrl-C (a student pressing it twice) has nothing left to interrupt, and must not turn
    # a clean stop into an exit by signal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    print("Stopped.", flush=True)
    return 0
