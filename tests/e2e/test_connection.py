"""The whole page without its server and with it back, and a long link while it is rebuilt, as a student
sees them: one notice for the page, controls that wait, figures that come back by themselves within a
second of the server and carry on with what was running; and a figure that says what it is working on.

Every test here runs a server of its own; the restart tests stop it (as Ctrl-C would) and start it again
on the same port, as an instructor would.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from figure_page import server_notice
from playwright.sync_api import Locator, Page, expect

Server = Any

# How each figure names itself while it connects; the keys are their data-figure names.
TITLES = {
    "playground": "the playground",
    "overfitting": "the before-and-after figure",
    "data-flow": "the data-flow figure",
    "forgotten-eval": "the forgotten model.eval() figure",
    "ensemble-grid": "the ensemble grid",
    "ensemble-gap": "the exact-versus-sampled figure",
    "co-adaptation": "the co-adaptation figure",
    "mc-dropout": "the MC dropout figure",
}
LOST = "The connection to the playground server was lost"
RESTORED = "Connection restored"
# Eight figures build their first frames at once on a fresh server, two cores shared with other work.
ALL_FRAMES_TIMEOUT_MS = 60_000
RECOVERY_SECONDS = 1.0
# A new server computes the numbers in the article's text on its first page: seconds on a busy machine.
FIRST_PAGE_TIMEOUT_MS = 60_000
BUILT_AGAIN_TIMEOUT_MS = 30_000


class Restartable:
    """A server of the test's own, which the test stops and starts again on the same port."""

    def __init__(self, launch: Callable[[int], Server]) -> None:
        self.launch = launch
        self.server = launch(0)
        self.port = int(self.server.netloc.rsplit(":", 1)[1])

    @property
    def url(self) -> str:
        return str(self.server.url)

    def stop(self) -> None:
        self.server.stop()

    def start_again(self) -> float:
        """Start it on the same port; returns the moment it answers (time.monotonic())."""
        self.server = self.launch(self.port)
        return time.monotonic()

    def close(self) -> None:
        if self.server.process.poll() is None:
            self.server.stop()


@pytest.fixture
def own(launch_server: Callable[[int], Server]) -> Iterator[Restartable]:
    running = Restartable(launch_server)
    yield running
    running.close()


def figure(page: Page, name: str) -> Locator:
    return page.locator(f'[data-figure="{name}"]')


def frames(page: Page) -> dict[str, int]:
    """Frames drawn so far by each figure on the page."""
    counts: dict[str, int] = page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('[data-figure]')]"
        ".map((el) => [el.dataset.figure, Number(el.dataset.frames || 0)]))"
    )
    return counts


def wait_for_frames_after(page: Page, before: dict[str, int], timeout: float = ALL_FRAMES_TIMEOUT_MS) -> None:
    page.wait_for_function(
        "(before) => Object.entries(before).every(([name, n]) =>"
        ' Number(document.querySelector(`[data-figure="${name}"]`)?.dataset.frames || 0) > n)',
        arg=before,
        timeout=timeout,
    )


def open_page(page: Page, server: Restartable, query: str = "") -> None:
    page.goto(server.url + query, timeout=FIRST_PAGE_TIMEOUT_MS)
    assert set(frames(page)) == set(TITLES), "every figure of the page is tested here"
    wait_for_frames_after(page, dict.fromkeys(TITLES, 0))


def enabled_controls(page: Page) -> list[str]:
    """The figures' form controls that can be used now, as "figure: control"."""
    found: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('[data-figure] :is(button, input, select, textarea)')]"
        ".filter((c) => !c.disabled)"
        ".map((c) => `${c.closest('[data-figure]').dataset.figure}: ${c.outerHTML.slice(0, 80)}`)"
    )
    return found


def setting(page: Page, key: str) -> str | None:
    return dict(parse_qsl(urlsplit(page.url).query)).get(key)


def wait_until_lost(page: Page) -> None:
    expect(server_notice(page)).to_contain_text(LOST)
    for name in TITLES:
        expect(figure(page, name)).to_have_class(re.compile(r"\bis-offline\b"))


# -- losing the server --------------------------------------------------------------------------------


def test_a_lost_server_is_one_notice_for_the_page_and_every_control_waits(page: Page, own: Restartable) -> None:
    open_page(page, own, "?grid.draw=5")
    grid = figure(page, "ensemble-grid")
    expect(page).to_have_url(re.compile(r"grid\.draw=5"))
    own.stop()
    wait_until_lost(page)
    before = frames(page)
    # One sentence for the whole page, said once, not once per figure.
    expect(page.get_by_role("status").filter(has_text="playground server")).to_have_count(1)
    for name in TITLES:
        expect(figure(page, name).get_by_role("status")).not_to_contain_text("lost")
    expect(page.get_by_role("button", name="Retry now")).to_be_visible()
    assert enabled_controls(page) == []
    # A click while nothing can answer it does nothing, and leaves the link as it was.
    grid.get_by_role("button", name="Resample", exact=True).click(force=True)
    page.wait_for_timeout(500)  # the point is that nothing happens: give it the time to
    assert setting(page, "grid.draw") == "5"

    own.start_again()
    expect(server_notice(page)).to_contain_text(RESTORED)
    expect(grid).not_to_have_class(re.compile(r"\bis-offline\b"))
    wait_for_frames_after(page, {"ensemble-grid": before["ensemble-grid"]})
    assert setting(page, "grid.draw") == "5"
    resample = grid.get_by_role("button", name="Resample", exact=True)
    expect(resample).to_be_enabled()
    resample.click()
    expect(page).to_have_url(re.compile(r"grid\.draw=6(&|$)"))


def test_the_page_comes_back_within_a_second_of_the_server(page: Page, own: Restartable) -> None:
    open_page(page, own)
    playground = figure(page, "playground")
    playground.scroll_into_view_if_needed()  # the figure the student is looking at
    own.stop()
    wait_until_lost(page)
    page.wait_for_timeout(2_000)  # out a while: long enough for any back-off to have grown
    before = frames(page)
    back = own.start_again()
    page.wait_for_function(
        "() => !document.querySelector('[data-figure=\"playground\"]').classList.contains('is-offline')", polling=20
    )
    reconnected = time.monotonic() - back
    # Its controls work again as soon as the connection is back; its frame follows.
    expect(playground.get_by_role("button", name="Resample", exact=True)).to_be_enabled()
    wait_for_frames_after(page, {"playground": before["playground"]}, timeout=10_000)
    drawn = time.monotonic() - back
    expect(server_notice(page)).to_contain_text(RESTORED, timeout=10_000)
    for name in TITLES:
        expect(figure(page, name)).not_to_have_class(re.compile(r"\bis-offline\b"))
    every = time.monotonic() - back
    wait_for_frames_after(page, before)
    every_frame = time.monotonic() - back
    print(
        f"\nafter the restart: the playground reconnected in {reconnected:.2f} s and drawn in {drawn:.2f} s;"
        f" every figure reconnected in {every:.2f} s and drawn in {every_frame:.2f} s"
    )
    assert reconnected < RECOVERY_SECONDS


def test_retry_now_focus_and_a_touch_reconnect_at_once(page: Page, own: Restartable) -> None:
    # With the page's clock stopped, nothing is retried on a timer: what reconnects is what the student does.
    page.clock.install()
    open_page(page, own)
    retry = page.get_by_role("button", name="Retry now")
    for reconnect in (
        retry.click,
        lambda: page.evaluate("window.dispatchEvent(new FocusEvent('focus'))"),
        lambda: figure(page, "playground").get_by_role("button", name="Resample", exact=True).click(force=True),
    ):
        before = frames(page)
        own.stop()
        wait_until_lost(page)
        page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 1)  # in seconds, a second ahead
        if reconnect == retry.click:
            # Pressed while the server is still away, it says so.
            retry.click()
            expect(server_notice(page)).to_contain_text("The playground server still does not answer")
        own.start_again()
        page.wait_for_timeout(1_500)  # the point is that nothing happens on its own: give it the time to
        expect(server_notice(page)).not_to_contain_text(RESTORED)
        expect(figure(page, "playground")).to_have_class(re.compile(r"\bis-offline\b"))
        reconnect()
        expect(server_notice(page)).to_contain_text(RESTORED, timeout=5_000)
        page.clock.resume()
        expect(figure(page, "playground")).not_to_have_class(re.compile(r"\bis-offline\b"))
        # Every figure is built again before the server is stopped once more.
        wait_for_frames_after(page, before)


def test_running_loops_carry_on_once_the_server_is_back(page: Page, own: Restartable) -> None:
    open_page(page, own)
    playground = figure(page, "playground")
    playground.get_by_role("button", name="Auto-resample", exact=True).click()
    playground.get_by_role("button", name="Train network", exact=True).click()
    figure(page, "overfitting").get_by_role("button", name="Play", exact=True).click()
    figure(page, "data-flow").get_by_role("button", name="Auto", exact=True).click()
    figure(page, "forgotten-eval").get_by_role("button", name="Auto", exact=True).click()
    running = [
        playground.get_by_role("button", name="Auto-resample", exact=True),
        playground.get_by_role("button", name="Train network", exact=True),
        figure(page, "overfitting").locator("button.of-play"),
        figure(page, "data-flow").get_by_role("button", name="Auto", exact=True),
        figure(page, "forgotten-eval").get_by_role("button", name="Auto", exact=True),
    ]
    for button in running:
        expect(button).to_have_attribute("aria-pressed", "true")
    keys = ("draw", "training", "fit.steps", "flow.draws", "bug.draw")
    for key in keys:
        expect(page).to_have_url(re.compile(rf"[?&]{re.escape(key)}="))
    own.stop()
    wait_until_lost(page)
    # Paused, not switched off: each waits for the server.
    for button in running:
        expect(button).to_have_attribute("aria-pressed", "true")
    when_lost = {key: setting(page, key) for key in keys}
    own.start_again()
    expect(server_notice(page)).to_contain_text(RESTORED, timeout=BUILT_AGAIN_TIMEOUT_MS)
    # Each figure is built again from its link (the playground replays its training), then carries on.
    for key in keys:
        expect(page).not_to_have_url(
            re.compile(rf"[?&]{re.escape(key)}={re.escape(str(when_lost[key]))}(&|$)"), timeout=BUILT_AGAIN_TIMEOUT_MS
        )
    for button in running:
        expect(button).to_have_attribute("aria-pressed", "true")
    draws = int(setting(page, "draw") or 0)
    assert draws > int(when_lost["draw"] or 0)


# -- long work shows progress --------------------------------------------------------------------------


# Every text each figure's notice shows, in order, recorded from the page's first moment.
RECORD_NOTICES = """
window.noticesSeen = {};
new MutationObserver(() => {
  for (const message of document.querySelectorAll("[data-figure] .pg-notice-message")) {
    const name = message.closest("[data-figure]").dataset.figure;
    const seen = (window.noticesSeen[name] ??= []);
    if (seen.at(-1) !== message.textContent) seen.push(message.textContent);
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def test_every_figure_names_itself_while_it_connects(page: Page, own: Restartable) -> None:
    page.add_init_script(RECORD_NOTICES)
    open_page(page, own)
    seen: dict[str, list[str]] = page.evaluate("window.noticesSeen")
    for name, title in TITLES.items():
        assert seen[name][0] == f"Connecting to {title}…"
        # Then, once connected, what it is doing: being prepared, or replaying a link's training steps.
        for text in seen[name][1:]:
            assert text == f"Preparing {title}…" or re.fullmatch(r"Replaying [\d,]+ training steps… \d{1,2} %", text)


def test_a_long_link_says_what_it_replays_with_its_settings_in_the_controls(page: Page, own: Restartable) -> None:
    playground, overfitting = figure(page, "playground"), figure(page, "overfitting")
    link = "?dataset=moons&hidden=3,5&p=0.3&seed=4&training=19800@0.3&fit.task=moons&fit.width=16&fit.steps=6000"
    page.goto(own.url + link, timeout=FIRST_PAGE_TIMEOUT_MS)
    # The before-and-after figure replays its steps too (fewer: it is done sooner).
    expect(overfitting.locator(".pg-notice-text")).to_have_text(
        re.compile(r"^Replaying 6,000 training steps… \d{1,2} %$"), timeout=20_000
    )
    expect(overfitting.get_by_role("button", name="16", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(overfitting.get_by_role("button", name="Noisy moons", exact=True)).to_have_attribute("aria-pressed", "true")
    notice = playground.locator(".pg-notice-text")
    expect(notice).to_have_text(re.compile(r"^Replaying 19,800 training steps… \d{1,2} %$"), timeout=20_000)
    # Connected and at work, not "connecting"; its settings already in the controls, disabled until it is done.
    assert frames(page)["playground"] == 0
    expect(playground.get_by_role("combobox", name="Hidden layer 1 units")).to_have_value("3")
    expect(playground.get_by_role("combobox", name="Hidden layer 2 units")).to_have_value("5")
    expect(playground.get_by_role("combobox", name="Dataset")).to_have_value("moons")
    expect(playground.get_by_role("slider", name="Drop probability p")).to_have_value("0.3")
    expect(playground.get_by_role("slider", name="Drop probability p")).to_be_disabled()
    expect(playground.get_by_role("status")).to_have_text("Replaying 19,800 training steps…")
    shown = [int(re.findall(r"(\d+) %", notice.inner_text())[0])]
    page.wait_for_timeout(600)
    if frames(page)["playground"] == 0:
        shown.append(int(re.findall(r"(\d+) %", notice.inner_text())[0]))
        assert shown[1] > shown[0], "the share done grows"
    expect(playground).to_have_attribute("data-frames", "1", timeout=60_000)
    expect(notice).not_to_be_visible()
    expect(playground.get_by_role("status")).to_have_text("")
    expect(playground.locator('[data-readout="steps"]')).to_have_text("19,800")
