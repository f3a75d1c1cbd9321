"""Live training as a student sees it: optimiser steps a second, and frames drawn a second, in a browser.

Starts the real ``dropout-playground`` command, opens the page in headless Chromium (Debian's
/usr/bin/chromium, driven by Playwright), sets a figure's training to its fastest speed, starts it and
measures until the networks near the figure's cap: how many steps each network took (from the figure's own
step counter) and how many frames the view drew (its data-frames counter). The figures: the
before-and-after figure on the sine and on the moons (two networks side by side, Play), and the
playground (one network, Train network). TensorFlow Playground trains at about 1,250 steps a second; the
targets here are that rate for each network while drawing 30 frames a second. The peer, measured in the
same run: the same networks trained in this process with no page and no frames at all, which bounds what
the page can reach.

    python benchmarks/bench_live_training.py
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

from dropout_playground.figures.overfitting import Overfitting, OverfittingSettings
from dropout_playground.figures.playground import Playground, PlaygroundSettings
from dropout_playground.figures.training_log import MAX_TOTAL_STEPS, total_steps
from dropout_playground.process_tuning import tune_process

CHROMIUM = "/usr/bin/chromium"
TARGET_STEPS_PER_SECOND = 1250
TARGET_FRAMES_PER_SECOND = 30
# The pages' fastest speed, Fast (SPEEDS in web/overfitting/types.ts, TRAINING_SPEEDS in web/playground/types.ts):
# the most the page asks for, so the most it can show.
FAST_STEPS_PER_SECOND = 1500
COMMAND = Path(sys.executable).parent / "dropout-playground"


def start_server() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([str(COMMAND), "--no-browser"], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    found = re.search(r"http://\S+/", process.stdout.readline())
    if not found:
        process.kill()
        raise SystemExit("dropout-playground did not print its address")
    return process, found.group(0)


@dataclass(frozen=True)
class Case:
    """One figure training live: where it is, how to start it, where it shows its steps, and its cap."""

    name: str
    figure: str  # its data-figure
    query: str  # the page address that sets its fastest speed
    button: str  # the button that starts training
    stop_before: int  # the measurement ends here, short of the figure's cap
    peer: Callable[[float], float]  # steps a second for each network, with no page


def overfitting_peer(task: str) -> Callable[[float], float]:
    def peer(seconds: float) -> float:
        figure = Overfitting(OverfittingSettings(task=task))
        start = time.perf_counter()
        while time.perf_counter() - start < seconds and figure.settings.steps < 5000:
            figure._advance(100)
        return figure.settings.steps / (time.perf_counter() - start)

    return peer


def playground_peer(seconds: float) -> float:
    figure = Playground(PlaygroundSettings(training=()))
    start = time.perf_counter()
    # Short of the figure's cap, where training stops (TrainingFinished), as the page's measurement does.
    while time.perf_counter() - start < seconds and steps_of(figure) < MAX_TOTAL_STEPS - 100:
        figure.train(100)
    return steps_of(figure) / (time.perf_counter() - start)


def steps_of(figure: Playground) -> int:
    assert figure.settings.training is not None
    return total_steps(figure.settings.training)


CASES = (
    Case("sine", "overfitting", "?fit.speed=fast&fit.task=sine", "Play", 5000, overfitting_peer("sine")),
    Case("moons", "overfitting", "?fit.speed=fast&fit.task=moons", "Play", 5000, overfitting_peer("moons")),
    Case("playground", "playground", "?training_speed=fast", "Train network", 19_000, playground_peer),
)


def steps_shown(page, case: Case) -> int:  # type: ignore[no-untyped-def]
    text = page.locator(f'[data-figure="{case.figure}"] [data-readout="steps"]').inner_text()
    return int(re.sub(r"[^0-9 ]", "", text).split()[0])  # "Step 1,234 of 6,000" or "1,234"


def frames_drawn(page, case: Case) -> int:  # type: ignore[no-untyped-def]
    return int(page.locator(f'[data-figure="{case.figure}"]').get_attribute("data-frames") or 0)


def in_browser(url: str, case: Case, seconds: float) -> tuple[float, float]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + case.query)
        figure = page.locator(f'[data-figure="{case.figure}"]')
        # Every figure on the page has drawn its first frame: the server's start-up work (training the
        # networks the other figures show, computing the text's numbers) is over before the clock starts.
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-figure]')].every(e => Number(e.dataset.frames || 0) > 0)",
            timeout=120_000,
        )
        figure.scroll_into_view_if_needed()
        figure.get_by_role("button", name=case.button, exact=True).click()
        page.wait_for_timeout(500)  # past the first chunks
        steps0, frames0, start = steps_shown(page, case), frames_drawn(page, case), time.perf_counter()
        # Until the time is up, or until the networks near the figure's cap. The page is read once a
        # second, and the driver sleeps in between: every query is work for the browser and for
        # Playwright's own processes, which share the 2 cores with the page and the server being measured.
        while time.perf_counter() - start < seconds and steps_shown(page, case) < case.stop_before:
            time.sleep(1.0)
        steps1, frames1 = steps_shown(page, case), frames_drawn(page, case)
        elapsed = time.perf_counter() - start
        browser.close()
    return (steps1 - steps0) / elapsed, (frames1 - frames0) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="at most this long for each run")
    parser.add_argument("--runs", type=int, default=3, help="runs of each task; the verdict is on the median")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit("this benchmark needs Chromium at /usr/bin/chromium (apt-get install chromium)")
    print(f"{os.cpu_count()} CPUs · load average before {os.getloadavg()[0]:.2f}")
    tune_process()  # the peer computes as the server does
    process, url = start_server()
    try:
        for case in CASES:
            # A run lasts a few seconds (Fast reaches the cap of 6,000 steps quickly), so one busy moment of
            # the machine moves it a lot: several runs, each in a fresh browser, and their median.
            runs = [in_browser(url, case, args.seconds) for _ in range(args.runs)]
            steps = statistics.median(run[0] for run in runs)
            frames = statistics.median(run[1] for run in runs)
            ceiling = case.peer(min(args.seconds, 4.0))
            verdict = "PASS" if steps >= TARGET_STEPS_PER_SECOND and frames >= TARGET_FRAMES_PER_SECOND else "MISS"
            shown = f"{steps:6,.0f} steps/s for each network, {frames:4.1f} frames/s drawn (medians)"
            print(f"{case.name:10}  in the browser: {shown}  {verdict}")
            each = ", ".join(f"{run[0]:,.0f} at {run[1]:.1f}" for run in runs)
            print(f"            each run: {each} (steps/s at frames/s)")
            print(
                f"            peer, no page: {ceiling:6,.0f} steps/s for each network; the page asks for "
                f"{FAST_STEPS_PER_SECOND:,} (Fast) and gets {steps / FAST_STEPS_PER_SECOND:.0%} of that while drawing"
            )
    finally:
        process.terminate()
        process.wait(timeout=15)
    print(f"targets: {TARGET_STEPS_PER_SECOND:,} steps/s for each network, {TARGET_FRAMES_PER_SECOND} frames/s")
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
