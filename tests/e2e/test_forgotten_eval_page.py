"""The forgotten ``model.eval()`` in a real browser, used as a student would: Resample, Auto and the choice
of T, with the mouse and the keyboard, and links.

Every number on screen (the inputs' probabilities in the three columns, the reliability diagrams' bars,
circles and counts, ECE, accuracy, mean confidence and the table of numbers) is checked against the same
figure built in this process from the settings in the page's address. Tests wait on what the page shows
(the figure's frame counter, texts, attributes), never on fixed delays, except where the point is that
nothing happens or how fast something happens.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from figure_page import FigureOnPage, server_notice, wait_until_every_figure_is_built
from playwright.sync_api import Browser, Locator, Page, expect

from dropout_playground.figures import ForgottenEval
from dropout_playground.protocol import FIGURES

settings_from_query = FIGURES["forgotten-eval"].settings_from_query

# The fixtures (conftest.py) hand these out: the running server, and what a page did.
Server = Any
Watch = Any

BUG = FigureOnPage("forgotten-eval", "bug.")
FIGURE = BUG.selector
figure = BUG.element
frames = BUG.frames
wait_for_frame_after = BUG.wait_for_frame_after
open_figure = BUG.open
act = BUG.act
address_settings = BUG.address_settings

MODES = ("train", "eval", "mc")
TITLES = {"train": "Train mode (the bug)", "eval": "Eval mode", "mc": "MC dropout (mean of T passes)"}


# -- the numbers as the page writes them (web/forgotten-eval/types.ts) --------------------------------


# JavaScript's toFixed rounds the exact binary value half away from zero; Python's formatting rounds half
# to even. Decimal(float) is exact, so rounding it half up writes what the browser writes.
def fixed(value: float, digits: int = 3) -> str:
    return str(Decimal(value).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))


def coordinate(value: float) -> str:
    return fixed(value, 2).replace("-", "−")


def engine(settings: dict[str, str]) -> dict[str, Any]:
    """The frame the page should be showing, computed here from the same settings."""
    parsed, problems = settings_from_query(settings)
    assert problems == []
    values: dict[str, Any] = ForgottenEval(parsed).frame().values
    return values


def first_bin(values: dict[str, Any]) -> int:
    """The first bin drawn: 0.5 onwards, lower only if a bin below holds points."""
    first = values["bins"] // 2
    for mode in MODES:
        filled = [i for i, count in enumerate(values["modes"][mode]["counts"]) if count > 0]
        if filled:
            first = min(first, filled[0])
    return first


# -- driving the page ---------------------------------------------------------------------------------


def button(page: Page, name: str) -> Locator:
    return figure(page).get_by_role("button", name=name, exact=True)


def t_choices(page: Page) -> Locator:
    return figure(page).get_by_role("group", name="MC passes T")


def t_radio(page: Page, T: int) -> Locator:
    return t_choices(page).get_by_role("radio", name=str(T), exact=True)


def column(page: Page, mode: str) -> Locator:
    return figure(page).locator(f'.fe-mode[data-mode="{mode}"]')


def readout(page: Page, name: str) -> Locator:
    return figure(page).locator(f'[data-readout="{name}"]')


def probe_numbers(page: Page, mode: str) -> list[str]:
    """Every probability a column shows for A–D, in order: class 1 then class 2 for each input."""
    texts: list[str] = column(page, mode).locator(".fe-bar-number").all_inner_texts()
    return texts


def draw(page: Page) -> int:
    return int(readout(page, "draw").inner_text().replace(",", ""))


def wait_for_address(page: Page, key: str, value: str) -> None:
    expect(page).to_have_url(re.compile(rf"[?&]bug\.{re.escape(key)}={re.escape(value)}(&|$)"))


def check_diagram(page: Page, mode: str, values: dict[str, Any]) -> None:
    """The bars, circles and counts of one reliability diagram are the engine's bins."""
    reliability = values["modes"][mode]
    first = first_bin(values)
    filled = [b for b in range(first, values["bins"]) if reliability["counts"][b] > 0]
    diagram = column(page, mode).locator(".fe-diagram")
    expect(diagram.locator(".fe-bar")).to_have_count(len(filled))
    counts = diagram.locator(".fe-count:not(.fe-count-head)")
    expect(counts).to_have_text([str(reliability["counts"][b]) for b in filled])
    ticks = diagram.locator(".fe-tick-x")
    expect(ticks).to_have_text([f"{edge / values['bins']:.1f}" for edge in range(first, values["bins"] + 1)])
    plot = diagram.locator(".fe-plot").evaluate("r => [r.y.baseVal.value, r.height.baseVal.value]")
    top, height = plot
    bars = diagram.locator(".fe-bar").evaluate_all(
        "bars => bars.map(b => [Number(b.dataset.bin), b.y.baseVal.value, b.height.baseVal.value])"
    )
    circles = diagram.locator(".fe-confidence").evaluate_all("cs => cs.map(c => c.cy.baseVal.value)")
    assert [b for b, _, _ in bars] == filled
    for (b, y, h), cy in zip(bars, circles):
        # A bar is as tall as the bin's accuracy; its circle sits at the bin's mean confidence.
        assert abs(h / height - reliability["accuracy"][b]) < 1e-3
        assert abs(y + h - (top + height)) < 1e-3
        assert abs((top + height - cy) / height - reliability["confidence"][b]) < 1e-3
    expect(diagram).to_have_attribute(
        "aria-label",
        f"{TITLES[mode]}, reliability diagram of {values['test_points']} test points: "
        f"ECE {fixed(reliability['ece'])}, accuracy {fixed(reliability['overall_accuracy'])}, "
        f"mean confidence {fixed(reliability['mean_confidence'])}. {len(filled)} of the "
        f"{values['bins'] - first} confidence bins from {first / values['bins']:.1f} to 1.0 hold points; "
        "each bin's numbers are in The numbers.",
    )


def check_against_engine(page: Page) -> dict[str, Any]:
    """Every number on the figure is the engine's for the settings in the address (the address is written
    a moment after a frame: a test first waits for the setting it changed to appear there)."""
    values = engine(address_settings(page))
    settings = values["settings"]
    expect(readout(page, "draw")).to_have_text(f"{settings['draw']:,}")
    expect(t_radio(page, settings["T"])).to_be_checked()
    for mode in MODES:
        expected = [fixed(p) for probe in values["probes"] for p in probe[mode]]
        expect(column(page, mode).locator(".fe-bar-number")).to_have_text(expected)
        expect(column(page, mode).locator(".fe-probe-name")).to_have_text([p["name"] for p in values["probes"]])
        reliability = values["modes"][mode]
        expect(column(page, mode).locator('[data-readout="ece"]')).to_have_text(fixed(reliability["ece"]))
        expect(column(page, mode).locator('[data-readout="accuracy"]')).to_have_text(
            fixed(reliability["overall_accuracy"])
        )
        expect(column(page, mode).locator('[data-readout="mean-confidence"]')).to_have_text(
            fixed(reliability["mean_confidence"])
        )
        check_diagram(page, mode, values)
    expect(column(page, "mc").locator('[data-readout="spread"]')).to_have_text(
        [f"±{fixed(p['mc_spread'])}" for p in values["probes"]]
    )
    expect(column(page, "mc").locator(".fe-mode-note")).to_contain_text(f"T = {settings['T']} passes")
    # The numbers: the three ways side by side, then each way's bins.
    names = {"train": "Train mode", "eval": "Eval mode", "mc": f"MC dropout (T = {settings['T']})"}
    for mode in MODES:
        reliability = values["modes"][mode]
        row = readout(page, "numbers").locator(f'tr[data-mode="{mode}"]')
        expect(row.locator("th")).to_have_text(names[mode])
        expect(row.locator("td")).to_have_text(
            [fixed(reliability[k]) for k in ("ece", "overall_accuracy", "mean_confidence")]
        )
        rows = readout(page, f"bins-{mode}").locator("tbody tr")
        first = first_bin(values)
        expect(rows).to_have_count(values["bins"] - first)
        for i, b in enumerate(range(first, values["bins"])):
            count = reliability["counts"][b]
            shown = [fixed(reliability[k][b]) if count else "–" for k in ("accuracy", "confidence")]
            expect(rows.nth(i).locator("td")).to_have_text([str(count), *shown])
    where = "; ".join(
        f"{p['name']} at ({coordinate(p['point'][0])}, {coordinate(p['point'][1])})" for p in values["probes"]
    )
    x0, x1, y0, y1 = values["bounds"]
    expect(readout(page, "map")).to_have_attribute(
        "aria-label",
        f"Map of the eval network's prediction, x from {coordinate(x0)} to {coordinate(x1)}, "
        f"y from {coordinate(y0)} to {coordinate(y1)}, with the {values['test_points']} test points. "
        f"Inputs: {where}.",
    )
    return values


# -- what the figure shows -----------------------------------------------------------------------------


def test_it_opens_with_the_engines_numbers(page: Page, server: Server, watched: Watch) -> None:
    element = open_figure(page, server)
    element.locator("details.fe-numbers summary").click()
    values = check_against_engine(page)
    assert values["settings"] == {"T": 10, "seed": 0, "draw": 0}
    for mode in MODES:
        expect(element.get_by_role("img", name=re.compile(rf"^{re.escape(TITLES[mode])}, reliability"))).to_be_visible()
        expect(column(page, mode).get_by_role("heading", name=TITLES[mode])).to_be_visible()
    expect(element.get_by_role("img", name=re.compile(r"^Map of the eval network's prediction"))).to_be_visible()
    # The map marks the test points and the four inputs, each labelled.
    expect(element.locator(".fe-point")).to_have_count(values["test_points"])
    expect(element.locator(".fe-probe-label")).to_have_text(["A", "B", "C", "D"])
    # D lies far from the data: the eval network is sure of it; MC dropout much less.
    d = values["probes"][3]
    assert max(d["eval"]) > 0.99 and max(d["mc"]) < max(d["eval"]) and d["mc_spread"] > 0.1
    # The three columns stand side by side on a wide screen.
    tops = [column(page, mode).bounding_box() for mode in MODES]
    assert all(box is not None for box in tops)
    assert len({round(box["y"]) for box in tops if box}) == 1
    # A page opened without settings keeps a clean address until the student changes something.
    assert "bug." not in page.url
    act(page, button(page, "Resample").click)
    expect(page).to_have_url(re.compile(r"bug\.T=10&bug\.seed=0&bug\.draw=1$"))


# -- the controls, by mouse and by keyboard ------------------------------------------------------------


def test_resample_changes_train_mode_and_leaves_eval_mode_alone(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    train, fixed_answers = probe_numbers(page, "train"), probe_numbers(page, "eval")
    mc = probe_numbers(page, "mc")
    act(page, button(page, "Resample").click)
    wait_for_address(page, "draw", "1")
    assert probe_numbers(page, "train") != train
    assert probe_numbers(page, "mc") != mc
    assert probe_numbers(page, "eval") == fixed_answers
    check_against_engine(page)
    # From the keyboard: Enter and Space press it too; eval mode still does not move.
    button(page, "Resample").focus()
    seen = {tuple(probe_numbers(page, "train"))}
    act(page, lambda: page.keyboard.press("Enter"))
    seen.add(tuple(probe_numbers(page, "train")))
    act(page, lambda: page.keyboard.press("Space"))
    seen.add(tuple(probe_numbers(page, "train")))
    wait_for_address(page, "draw", "3")
    assert len(seen) == 3
    assert probe_numbers(page, "eval") == fixed_answers
    check_against_engine(page)


def test_the_mc_column_follows_t(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    expect(t_choices(page).get_by_role("radio")).to_have_count(3)
    train, answers = probe_numbers(page, "train"), probe_numbers(page, "eval")
    mc = probe_numbers(page, "mc")
    # The pill is what the student sees and clicks; the radio itself is hidden.
    act(page, lambda: t_choices(page).locator("label", has_text=re.compile(r"^30$")).click())
    expect(t_radio(page, 30)).to_be_checked()
    wait_for_address(page, "T", "30")
    assert probe_numbers(page, "mc") != mc
    # The same draw: the single train-mode pass and eval mode are what they were.
    assert probe_numbers(page, "train") == train and probe_numbers(page, "eval") == answers
    check_against_engine(page)
    # Arrow keys move through the choices and choose as they go: 30 → 10 → 5.
    t_radio(page, 30).focus()
    act(page, lambda: page.keyboard.press("ArrowLeft"))
    expect(t_radio(page, 10)).to_be_checked()
    wait_for_address(page, "T", "10")
    assert probe_numbers(page, "mc") == mc
    act(page, lambda: page.keyboard.press("ArrowLeft"))
    expect(t_radio(page, 5)).to_be_checked()
    expect(t_radio(page, 5)).to_be_focused()
    wait_for_address(page, "T", "5")
    check_against_engine(page)


def test_the_controls_are_reached_in_order_with_tab(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    button(page, "Resample").focus()
    page.keyboard.press("Tab")
    expect(button(page, "Auto")).to_be_focused()
    page.keyboard.press("Tab")
    expect(t_radio(page, 10)).to_be_focused()


def test_every_control_has_an_accessible_name(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    expect(figure(page)).to_have_attribute("role", "group")
    for control in figure(page).locator("input").all():
        name = control.evaluate("e => e.labels && e.labels.length ? e.labels[0].textContent.trim() : ''")
        assert name, control
    for mode in MODES:
        expect(column(page, mode).locator(".fe-stats[aria-live='polite']")).to_have_count(1)
    expect(readout(page, "draw").locator("xpath=ancestor::*[@aria-live='polite']")).to_have_count(1)
    # A screen reader hears each input's numbers with the class they belong to.
    expect(column(page, "mc").locator(".fe-probe").first).to_contain_text(
        re.compile(r"^AClass 1: [\d.]+Class 2: [\d.]+±")
    )


# -- Auto ----------------------------------------------------------------------------------------------


def test_auto_starts_only_when_pressed_runs_at_most_three_a_second_and_stops(
    page: Page, server: Server, watched: Watch
) -> None:
    open_figure(page, server)
    auto = button(page, "Auto")
    expect(auto).to_have_attribute("aria-pressed", "false")
    time.sleep(0.5)  # nothing the reader did not start runs by itself
    assert draw(page) == 0
    began = time.monotonic()
    auto.click()
    expect(auto).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(
        "n => Number(document.querySelector('[data-figure=\"forgotten-eval\"] [data-readout=draw]').textContent) >= n",
        arg=4,
    )
    # Four new draws at three a second take at least three intervals of 1/3 s.
    assert time.monotonic() - began >= 3 / 3 - 0.05
    # Pressed again, from the keyboard this time, it stops.
    auto.focus()
    page.keyboard.press("Space")
    expect(auto).to_have_attribute("aria-pressed", "false")
    stopped = draw(page)
    time.sleep(0.8)  # more than two intervals: the point is that nothing arrives
    assert draw(page) <= stopped + 1
    # Enter starts it again, and stops it.
    page.keyboard.press("Enter")
    expect(auto).to_have_attribute("aria-pressed", "true")
    wait_for_frame_after(page, frames(page))
    page.keyboard.press("Enter")
    expect(auto).to_have_attribute("aria-pressed", "false")
    time.sleep(0.8)  # the draw that was on its way when it stopped arrives; no other follows
    settled = draw(page)
    act(page, button(page, "Resample").click)
    expect(readout(page, "draw")).to_have_text(f"{settled + 1:,}")
    wait_for_address(page, "draw", str(settled + 1))
    check_against_engine(page)


def test_reduced_motion_auto_draws_once_a_second(browser: Browser, server: Server) -> None:
    context = browser.new_context(reduced_motion="reduce", viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        open_figure(page, server)
        began = time.monotonic()
        button(page, "Auto").click()
        page.wait_for_function(
            "n => Number(document.querySelector('[data-figure=\"forgotten-eval\"] [data-readout=draw]')"
            ".textContent) >= n",
            arg=3,
        )
        # Three new draws at one a second take at least two seconds.
        assert time.monotonic() - began >= 2 - 0.05
        button(page, "Auto").click()
        expect(button(page, "Auto")).to_have_attribute("aria-pressed", "false")
    finally:
        context.close()


# -- links ---------------------------------------------------------------------------------------------


def test_the_address_round_trip(
    page: Page, server: Server, watched: Watch, watch_page: Callable[[Page], Watch]
) -> None:
    open_figure(page, server, "?bug.T=30&bug.seed=2&bug.draw=5")
    check_against_engine(page)
    expect(figure(page).locator(".fe-setup")).to_contain_text("Seed 2.")
    act(page, button(page, "Resample").click)
    act(page, lambda: t_choices(page).locator("label", has_text=re.compile(r"^5$")).click())
    expect(page).to_have_url(re.compile(r"bug\.T=5&bug\.seed=2&bug\.draw=6$"))
    shown = {mode: probe_numbers(page, mode) for mode in MODES}
    check_against_engine(page)

    again = page.context.new_page()
    seen = watch_page(again)
    open_figure(again, server, page.url.removeprefix(server.url))
    assert {mode: probe_numbers(again, mode) for mode in MODES} == shown
    expect(t_radio(again, 5)).to_be_checked()
    check_against_engine(again)
    assert seen.errors == []


# -- refusals ------------------------------------------------------------------------------------------


def test_a_t_that_is_not_a_choice_in_the_address_is_reported_politely(
    page: Page, server: Server, watched: Watch
) -> None:
    open_figure(page, server, "?bug.T=7&bug.draw=2")
    expect(figure(page).get_by_role("status")).to_contain_text(
        "T=7 in the address was ignored: T must be one of 5, 10, 30, got 7"
    )
    expect(t_radio(page, 10)).to_be_checked()
    # The address now holds what the figure shows: the refused value is gone.
    expect(page).to_have_url(re.compile(r"bug\.T=10&bug\.seed=0&bug\.draw=2$"))
    check_against_engine(page)


def test_a_refused_resample_is_shown_and_stops_auto(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?bug.T=5&bug.draw=100000")
    expect(readout(page, "draw")).to_have_text("100,000")
    train = probe_numbers(page, "train")
    button(page, "Resample").click()
    status = figure(page).get_by_role("status")
    expect(status).to_contain_text("a link can replay at most 100,000 draws; change the seed for new ones")
    # Nothing changed: the controls and the columns still show the last frame.
    expect(readout(page, "draw")).to_have_text("100,000")
    expect(t_radio(page, 5)).to_be_checked()
    assert probe_numbers(page, "train") == train
    auto = button(page, "Auto")
    auto.click()
    expect(status).to_contain_text("Auto stopped.")
    expect(auto).to_have_attribute("aria-pressed", "false")
    check_against_engine(page)


def test_auto_waits_for_a_lost_connection_and_carries_on(page: Page, launch_server: Callable[[int], Server]) -> None:
    own = launch_server(0)
    port = int(own.netloc.rsplit(":", 1)[1])
    try:
        element = open_figure(page, own)
        wait_until_every_figure_is_built(page)
        auto = button(page, "Auto")
        auto.click()
        expect(auto).to_have_attribute("aria-pressed", "true")
        own.stop()
        expect(server_notice(page)).to_contain_text("The connection to the playground server was lost")
        # Auto waits, still on, and carries on once the server is back.
        expect(auto).to_have_attribute("aria-pressed", "true")
        expect(auto).to_be_disabled()
        lost_at = draw(page)
        own = launch_server(port)
        # The note "Connection restored" lasts a few seconds, which a loaded machine may take to get here.
        expect(element).not_to_have_class(re.compile(r"\bis-offline\b"), timeout=30_000)
        expect(auto).to_have_attribute("aria-pressed", "true")
        expect(readout(page, "draw")).not_to_have_text(f"{lost_at:,}", timeout=30_000)
        expect(button(page, "Resample")).to_be_enabled()
        wait_until_every_figure_is_built(page)
    finally:
        if own.process.poll() is None:
            own.stop()


# -- layout --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [360, 390])
def test_phone_width_has_no_horizontal_scrolling(page: Page, server: Server, watched: Watch, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 844})
    element = open_figure(page, server)
    element.locator("details.fe-numbers summary").click()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    for part in (
        button(page, "Resample"),
        button(page, "Auto"),
        *(t_choices(page).locator("label", has_text=re.compile(rf"^{t}$")) for t in (5, 10, 30)),
        *(column(page, mode) for mode in MODES),
        *(column(page, mode).locator(".fe-diagram svg") for mode in MODES),
        readout(page, "map"),
        readout(page, "numbers"),
        readout(page, "bins-mc"),
    ):
        box = part.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, part
    # One column under the other.
    boxes = [column(page, mode).bounding_box() for mode in MODES]
    assert all(box is not None for box in boxes)
    tops = [box["y"] for box in boxes if box]
    assert tops[0] < tops[1] < tops[2]


def test_controls_and_the_first_diagram_share_a_phone_screen(page: Page, server: Server, watched: Watch) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    element = open_figure(page, server)
    element.evaluate("e => e.scrollIntoView({block: 'start'})")
    diagram = column(page, "train").locator(".fe-diagram svg")
    box = diagram.bounding_box()
    assert box is not None and box["height"] >= 240
    for part in (button(page, "Resample"), button(page, "Auto"), t_choices(page), column(page, "train"), diagram):
        box = part.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844, part
