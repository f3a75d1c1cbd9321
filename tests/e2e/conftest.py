"""Fixtures for the browser tests: the real ``dropout-playground`` command, and Debian's Chromium.

The browser is the system's (``/usr/bin/chromium``), never one downloaded by Playwright. Every page a
test opens is watched: a console error, an uncaught exception, or a request to any other host than
the local server fails the test.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from dropout_playground.process_tuning import pin_blas_threads

# The numbers a test computes in this process to check a page against round as the server's do: a value
# at the level of rounding (the one-layer geometric mean's distance from eval, 10⁻¹⁸) depends on how many
# threads a product is split over.
pin_blas_threads()

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
COMMAND = Path(sys.executable).parent / "dropout-playground"


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]

    @property
    def netloc(self) -> str:
        return urlsplit(self.url).netloc

    def stop(self) -> str:
        """Stop it as Ctrl-C would; returns what it printed."""
        self.process.send_signal(signal.SIGINT)
        out, _ = self.process.communicate(timeout=15)
        return out


def start_server(port: int = 0) -> Server:
    process = subprocess.Popen(
        [str(COMMAND), "--no-browser", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"http://[^\s]+/", line)
    if not found:
        process.kill()
        raise RuntimeError(f"dropout-playground did not print its address: {line!r}")
    url = found.group(0)
    deadline = time.monotonic() + 15
    while True:
        try:
            # A static file answers as soon as the server listens; the article itself waits for the numbers
            # in its text on a new server's first request.
            with urllib.request.urlopen(url + "static/favicon.svg", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    return Server(url, process)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = start_server()
    # A new server's first article waits for the numbers in its text (a few seconds, longer on a busy
    # machine): paid here, once, so that no test's first page load runs into its timeout.
    with urllib.request.urlopen(running.url, timeout=120) as response:
        assert response.status == 200
    yield running
    if running.process.poll() is None:
        running.stop()


@pytest.fixture(scope="session")
def launch_server() -> Callable[[int], Server]:
    """Start another server (``port=0``: a free one), for a test that stops and restarts its own."""
    return start_server


@pytest.fixture(scope="session")
def watch_page() -> Callable[[Page], Watch]:
    """Watch one more page (a second tab) the way ``watched`` watches the test's page."""
    return watch


# The browser fixtures are written here rather than taken from pytest-playwright, so that the tests
# need only the playwright package, and always drive the system's Chromium.


# Module scope, not session: while Playwright's sync API runs it holds an event loop on this thread,
# and later tests elsewhere that call asyncio.run() must not find it there.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("the browser tests need Chromium at /usr/bin/chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@dataclass
class Watch:
    """What a page did that a test may want to see, or forbid."""

    errors: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)


def watch(page: Page) -> Watch:
    seen = Watch()
    page.on("console", lambda message: message.type == "error" and seen.errors.append(message.text))
    page.on("pageerror", lambda error: seen.errors.append(f"uncaught: {error}"))
    page.on("request", lambda request: seen.addresses.append(request.url))
    page.on("websocket", lambda socket: seen.addresses.append(socket.url))
    return seen


@pytest.fixture
def watched(page: Page, server: Server) -> Iterator[Watch]:
    """The page, watched: no console errors, and no request to anywhere but the server."""
    seen = watch(page)
    yield seen
    assert seen.errors == [], f"console errors: {seen.errors}"
    others = [a for a in seen.addresses if urlsplit(a).netloc != server.netloc and not a.startswith("data:")]
    assert others == [], f"requests to other hosts: {others}"
    assert seen.addresses, "the page made no requests at all"
