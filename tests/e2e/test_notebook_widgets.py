"""The widgets in real notebook front ends, in headless Chromium: JupyterLab and marimo, each started by the
test on 127.0.0.1 (a free port, a token, a temporary directory), each opening the project's own example."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

EXAMPLES = Path(__file__).parents[2] / "examples"
BIN = Path(sys.executable).parent
TOKEN = "dropout-playground-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_answering(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        assert process.poll() is None, "the notebook server ended"
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            assert time.monotonic() < deadline, f"{url} never answered"
            time.sleep(0.2)


@contextlib.contextmanager
def serving(command: list[str], home: Path, env: dict[str, str], health: str) -> Iterator[None]:
    """``command`` run in ``home`` until the block ends; the block starts once ``health`` answers."""
    process = subprocess.Popen(command, cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_answering(health, process)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("jupyter")
    shutil.copy(EXAMPLES / "dropout.ipynb", home / "dropout.ipynb")
    # Everything JupyterLab writes (settings, workspaces, runtime files) stays in the temporary directory.
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
    }
    port = free_port()
    command = [
        str(BIN / "jupyter"),
        "lab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={home}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
    ]
    url = f"http://127.0.0.1:{port}"
    with serving(command, home, env, f"{url}/api/status?token={TOKEN}"):
        yield url


@pytest.fixture
def lab_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(60_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"uncaught errors: {errors}"


def run_in_new_cell(page: Page, code: str) -> str:
    """Add a cell at the end of the notebook, run it, and return what it printed."""
    cells = page.locator(".jp-Notebook .jp-Cell")
    count = cells.count()
    # The last cell's prompt, not its output: keys pressed inside a figure stay with the figure.
    cells.last.locator(".jp-InputArea-prompt").click()
    page.keyboard.press("Escape")  # command mode; from inside a figure, the figure gives the cell the focus
    page.wait_for_function("() => !document.activeElement?.closest('.dp-widget')")
    page.keyboard.press("b")  # a new cell below
    expect(cells).to_have_count(count + 1)
    new = cells.nth(count)
    new.locator(".cm-content").click()
    page.keyboard.type(code)
    page.keyboard.press("Control+Enter")  # run it and stay there: no new cell after it
    output = new.locator(".jp-OutputArea-output")
    expect(output).not_to_be_empty(timeout=60_000)
    return output.inner_text().strip()


def test_in_jupyterlab_the_example_runs_and_the_playground_answers_both_ways(jupyterlab: str, lab_page: Page) -> None:
    page = lab_page
    page.goto(f"{jupyterlab}/lab/tree/dropout.ipynb?token={TOKEN}")
    page.locator(".jp-Notebook").wait_for()
    # The kernel has started and the notebook is connected to it: the status bar says so.
    expect(page.get_by_text(re.compile(r"\(ipykernel\) \| Idle"))).to_be_visible(timeout=120_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    # Every figure of the example is drawn by its view.
    expect(page.locator(".dp-widget [data-figure][data-frames]")).to_have_count(8, timeout=120_000)
    figure = page.locator(".dp-widget [data-figure=playground]").first
    readout = figure.locator(".pg-p-value")
    # The example set w.p = 0.5 from Python: the slider shows it.
    expect(readout).to_have_text("0.50")

    slider = figure.get_by_role("slider", name="Drop probability p")
    # What reaches the notebook's own key handling (JupyterLab listens on the document as keys bubble up).
    page.evaluate("window.keysHeard = []; document.addEventListener('keydown', e => window.keysHeard.push(e.key))")
    slider.focus()
    page.keyboard.press("ArrowRight")  # the arrow keys move the slider, not the notebook's selection
    expect(readout).to_have_text("0.55")
    page.keyboard.press("Escape")  # Escape still goes back to the notebook's cells
    assert page.evaluate("window.keysHeard") == ["Escape"]
    assert run_in_new_cell(page, "print(w.p)") == "0.55"

    run_in_new_cell(page, "w.p = 0.25; print('set')")
    expect(readout).to_have_text("0.25")
    expect(slider).to_have_value("0.25")

    refused = run_in_new_cell(page, "w.p = 1.7")
    assert "TraitError" in refused and "p must be between 0 and 1, got 1.7" in refused
    expect(readout).to_have_text("0.25")

    # Training runs in the kernel, a chunk at a time, while the notebook stays usable.
    steps = figure.locator('[data-readout="steps"]')

    def steps_shown() -> int:  # text_content: a cell scrolled away is not laid out, and has no inner text
        return int(re.sub(r"\D", "", steps.text_content() or ""))

    before = steps_shown()
    figure.get_by_role("button", name="Train network").click()
    assert run_in_new_cell(page, "print('the kernel answers while training')") == "the kernel answers while training"
    expect(steps).not_to_have_text(re.compile(rf"^{before:,}$"))
    figure.get_by_role("button", name="Train network").click()
    # The pause reaches the kernel before the next cell runs (both come on its shell channel, in order).
    paused = int(run_in_new_cell(page, "print(w.values['steps'])"))
    assert paused > before
    expect(steps).to_have_text(f"{paused:,}")

    # A second view of the same widget: a change made in one shows in the other.
    run_in_new_cell(page, "w")
    views = page.locator(".dp-widget [data-figure=playground]")
    expect(views).to_have_count(2)
    second = views.nth(1)
    second.get_by_role("slider", name="Drop probability p").focus()
    page.keyboard.press("ArrowLeft")
    expect(second.locator(".pg-p-value")).to_have_text("0.20")
    expect(readout).to_have_text("0.20")

    # Training started in a third view shows in the others, and closing that view (its cell run anew) leaves
    # the widget training there; pausing it from another view stops it.
    run_in_new_cell(page, "w")
    expect(views).to_have_count(3)
    # Slowly: at Fast the figure would reach its cap of 20,000 steps, and stop by itself, within this test.
    views.nth(2).get_by_role("combobox", name="Training speed").select_option("slow")
    views.nth(2).get_by_role("button", name="Train network").click()
    train = figure.get_by_role("button", name="Train network")
    expect(train).to_have_attribute("aria-pressed", "true")
    cell = page.locator(".jp-Notebook .jp-Cell").last
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("print('replaced')")
    page.keyboard.press("Control+Enter")
    expect(cell.locator(".jp-OutputArea-output")).to_have_text("replaced")
    expect(views).to_have_count(2)
    assert run_in_new_cell(page, "print(w.playing)") == "True"
    expect(train).to_have_attribute("aria-pressed", "true")
    train.click()
    assert run_in_new_cell(page, "print(w.playing)") == "False"


@pytest.fixture(scope="module")
def marimo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("marimo")
    shutil.copy(EXAMPLES / "dropout_marimo.py", home / "dropout_marimo.py")
    port = free_port()
    command = [str(BIN / "marimo"), "run", "dropout_marimo.py", "--headless", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--token-password", TOKEN]
    url = f"http://127.0.0.1:{port}"
    with serving(command, home, {**os.environ, "HOME": str(home)}, f"{url}/health"):
        yield f"{url}/?access_token={TOKEN}"


def test_in_marimo_the_app_draws_the_playground_and_reruns_what_reads_it(marimo_app: str, lab_page: Page) -> None:
    page = lab_page
    page.goto(marimo_app)
    figure = page.locator(".dp-widget [data-figure=playground]").first
    expect(figure).to_have_attribute("data-frames", re.compile(r"^[1-9]"), timeout=120_000)
    expect(page.get_by_text("The playground shows p = 0.30")).to_be_visible()
    slider = figure.get_by_role("slider", name="Drop probability p")
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(figure.locator(".pg-p-value")).to_have_text("0.35")
    expect(page.get_by_text("The playground shows p = 0.35")).to_be_visible()
