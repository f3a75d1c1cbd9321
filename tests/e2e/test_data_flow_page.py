"""The data-flow figure in a real browser, used as a student would: with the mouse, the keyboard and links.

Every number on screen is checked against the same figure built in this process from the settings in
the page's address, so the test follows the engine rather than numbers copied by hand. Tests wait on
what the page shows (the figure's frame counter, texts, attributes), never on fixed delays, except
where the point is that nothing happens or how fast something happens.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from figure_page import FigureOnPage
from playwright.sync_api import Browser, Locator, Page, expect
from refusals import expect_cleared, expect_refused, refuse_on_the_server, type_into

from dropout_playground.figures import DataFlow
from dropout_playground.figures.checks import MAX_SEED
from dropout_playground.figures.data_flow import PROBE_LIMIT
from dropout_playground.protocol import FIGURES

settings_from_query = FIGURES["data-flow"].settings_from_query

# The fixtures (conftest.py) hand these out: the running server, and what a page did.
Server = Any
Watch = Any

DATA_FLOW = FigureOnPage("data-flow", "flow.")
FIGURE = DATA_FLOW.selector
figure = DATA_FLOW.element
frames = DATA_FLOW.frames
wait_for_frame_after = DATA_FLOW.wait_for_frame_after
open_figure = DATA_FLOW.open
act = DATA_FLOW.act
shown_settings = DATA_FLOW.address_settings


def button(page: Page, name: str) -> Locator:
    return figure(page).get_by_role("button", name=name, exact=True)


def slider(page: Page) -> Locator:
    return figure(page).get_by_role("slider", name="Drop probability p")


def readout(page: Page, name: str) -> Locator:
    return figure(page).locator(f'[data-readout="{name}"]')


def draws(page: Page) -> int:
    return int(readout(page, "draws").inner_text().replace(",", ""))


def fixed(value: float, digits: int) -> str:
    """A number as the figure prints it: fixed decimals and a true minus sign."""
    text = f"{value:.{digits}f}"
    if float(text) == 0:
        return f"{0:.{digits}f}"
    return text.replace("-", "−")


def signed(value: float, digits: int) -> str:
    text = fixed(value, digits)
    return text if text.startswith("−") or float(f"{value:.{digits}f}") == 0 else f"+{text}"


def wait_for_address(page: Page, key: str, value: str) -> None:
    expect(page).to_have_url(re.compile(rf"[?&]{re.escape(DATA_FLOW.prefix + key)}={re.escape(value)}(&|$)"))


def same_figure_in_python(page: Page, draws_shown: int) -> dict[str, Any]:
    """The frame values of a figure built here from the page's address (after it shows draws_shown)."""
    wait_for_address(page, "draws", str(draws_shown))
    settings, problems = settings_from_query(shown_settings(page))
    assert problems == []
    return DataFlow(settings).frame().values


def check_readouts(page: Page, values: dict[str, Any]) -> None:
    expect(readout(page, "draws")).to_have_text(f"{values['draws']:,}")
    expect(readout(page, "output")).to_have_text(fixed(values["output"], 4))
    expect(readout(page, "running-mean")).to_have_text(fixed(values["running_mean"], 4))
    expect(readout(page, "eval-output")).to_have_text(fixed(values["eval_output"], 4))
    expect(readout(page, "exact-mean")).to_have_text(fixed(values["exact_mean"], 4))
    expect(readout(page, "gap")).to_have_text(signed(values["gap"], 4))
    if values["standard_error"] is not None:
        expect(readout(page, "standard-error")).to_contain_text(fixed(values["standard_error"], 4))


def check_drawing_and_table(page: Page, values: dict[str, Any]) -> None:
    for j in range(4):
        kept = values["mask"][j]
        unit = figure(page).locator(f'.df-unit[data-unit="h{j + 1}"]')
        expect(unit).to_have_attribute("data-state", "kept" if kept else "dropped")
        expect(unit.locator(".df-unit-value")).to_have_text(fixed(values["passed"][j], 2))
        out_edge = figure(page).locator(f'text.df-edge-label[data-edge="h{j + 1}-y"]')
        expect(out_edge).to_have_text(fixed(values["edge_out"][j], 2))
        for i in range(2):
            in_edge = figure(page).locator(f'text.df-edge-label[data-edge="x{i + 1}-h{j + 1}"]')
            expect(in_edge).to_have_text(fixed(values["edge_in"][i][j], 2))
        row = figure(page).locator(f'tr[data-unit="{j + 1}"]')
        expect(row.locator('[data-cell="h"]')).to_have_text(fixed(values["hidden"][j], 4))
        expect(row.locator('[data-cell="mask"]')).to_have_text("kept" if kept else "dropped")
        expect(row.locator('[data-cell="passed"]')).to_have_text(fixed(values["passed"][j], 4))
        expect(row.locator('[data-cell="mean"]')).to_have_text(fixed(values["unit_mean"][j], 4))
        expect(row.locator('[data-cell="mean-exact"]')).to_have_text(fixed(values["unit_mean_exact"][j], 4))
        expect(row.locator('[data-cell="variance-exact"]')).to_have_text(fixed(values["unit_variance_exact"][j], 4))
        if values["unit_variance"] is not None:
            expect(row.locator('[data-cell="variance"]')).to_have_text(fixed(values["unit_variance"][j], 4))
    expect(figure(page).locator('.df-unit[data-unit="y"] .df-unit-value')).to_have_text(fixed(values["output"], 2))


# -- what the figure shows ---------------------------------------------------------------------------


def test_every_number_on_screen_is_the_engines(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?flow.seed=3")
    values = same_figure_in_python(page, 1)
    check_readouts(page, values)
    check_drawing_and_table(page, values)
    expect(readout(page, "p")).to_have_text("0.20")
    expect(figure(page).get_by_role("radio", name="Inverted (PyTorch)")).to_be_checked()
    expect(readout(page, "explanation")).to_contain_text("1/(1 − p) = 1.25, so E[h̃] = h")
    expect(readout(page, "explanation")).to_contain_text("arithmetic mean of the output over all 16 masks")


def test_resample_and_draw_100_with_mouse_and_keyboard(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?flow.seed=5")
    act(page, button(page, "Resample").click)
    expect(readout(page, "draws")).to_have_text("2")
    button(page, "Draw 100").focus()
    act(page, lambda: page.keyboard.press("Enter"))
    expect(readout(page, "draws")).to_have_text("102")
    button(page, "Resample").focus()
    act(page, lambda: page.keyboard.press("Space"))
    expect(readout(page, "draws")).to_have_text("103")
    values = same_figure_in_python(page, 103)
    check_readouts(page, values)
    check_drawing_and_table(page, values)
    # The chart draws the running mean after 1, 2, 3 … masks, ending at the current one.
    points = figure(page).locator(".df-chart-trace").get_attribute("points") or ""
    assert len(points.split()) > 20


def test_start_over_begins_again_at_the_first_mask(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?flow.seed=8")
    first = [readout(page, "output").inner_text(), readout(page, "running-mean").inner_text()]
    act(page, button(page, "Draw 100").click)
    expect(readout(page, "draws")).to_have_text("101")
    act(page, button(page, "Start over").click)
    expect(readout(page, "draws")).to_have_text("1")
    assert [readout(page, "output").inner_text(), readout(page, "running-mean").inner_text()] == first
    wait_for_address(page, "draws", "1")


# -- the drop probability ----------------------------------------------------------------------------


def test_the_p_slider_with_keyboard_and_mouse_starts_the_mean_over(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    act(page, button(page, "Draw 100").click)
    slider(page).focus()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(readout(page, "p")).to_have_text("0.10")
    wait_for_address(page, "p", "0.1")
    expect(readout(page, "draws")).to_have_text("1")
    expect(readout(page, "explanation")).to_contain_text("1/(1 − p) = 1.11")
    check_readouts(page, same_figure_in_python(page, 1))
    # With the mouse: a click near the middle of the track sets p near 0.5.
    box = slider(page).bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function(
        "() => Math.abs(Number(document.querySelector('[data-figure=\"data-flow\"] [data-readout=p]')"
        ".textContent) - 0.5) <= 0.1"
    )
    p = float(readout(page, "p").inner_text())
    wait_for_address(page, "p", f"{p:g}")
    check_readouts(page, same_figure_in_python(page, 1))


def test_at_p_one_every_unit_is_dropped_and_no_infinity_shows(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    slider(page).focus()
    page.keyboard.press("End")
    expect(readout(page, "p")).to_have_text("1.00")
    expect(figure(page).locator('.df-unit[data-state="dropped"]')).to_have_count(4)
    explanation = readout(page, "explanation")
    expect(explanation).to_contain_text("At p = 1 every mask drops every hidden unit, so every sub-network outputs")
    expect(explanation).to_contain_text("the inverted scale is 0 here (as in PyTorch), E[h̃] = 0 rather than h")
    expect(explanation).to_contain_text("E[h̃] = h holds for 0 ≤ p < 1 only")
    # A limit of the formulas, not a scaling error: the gap is shown plainly, not as a warning.
    gap = figure(page).locator(".df-gap")
    expect(gap).to_have_class(re.compile(r"\bis-limit\b"))
    expect(gap).not_to_have_class(re.compile(r"\bis-wrong\b"))
    expect(readout(page, "gap-note")).to_contain_text("every sub-network outputs the bias alone")
    text = figure(page).inner_text()
    assert "∞" not in text and "Infinity" not in text and "NaN" not in text
    wait_for_address(page, "p", "1")
    check_readouts(page, same_figure_in_python(page, 1))


# -- scaling -----------------------------------------------------------------------------------------


def test_scaling_none_shows_the_gap_and_says_why(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?flow.seed=2")
    gap = figure(page).locator(".df-gap")
    expect(gap).not_to_have_class(re.compile(r"\bis-wrong\b"))
    act(page, figure(page).get_by_text("None (the bug)").click)
    expect(figure(page).get_by_role("radio", name="None (the bug)")).to_be_checked()
    wait_for_address(page, "scaling", "none")
    for _ in range(3):
        act(page, button(page, "Draw 100").click)
    values = same_figure_in_python(page, 301)
    check_readouts(page, values)
    check_drawing_and_table(page, values)
    expect(gap).to_have_class(re.compile(r"\bis-wrong\b"))
    expect(readout(page, "gap-note")).to_have_text(f"→ settles at {signed(values['exact_gap'], 4)}, not 0")
    explanation = readout(page, "explanation")
    expect(explanation).to_contain_text(
        "a kept unit passes exactly h, so the all-kept mask gives exactly the eval output"
    )
    expect(explanation).to_contain_text("on average each hidden value passes only (1 − p)·h = 0.80·h")
    expect(explanation).to_contain_text("eval's h is 1/(1 − p) = 1.25 times its train-time mean")
    assert values["exact_gap"] < 0 and values["hidden_part"] > 0
    expect(explanation).to_contain_text(
        f"{fixed(-values['exact_gap'], 2)} below the eval output: below, because the hidden part is positive here"
    )


def test_without_scaling_a_negative_hidden_part_puts_the_mean_above_eval(
    page: Page, server: Server, watched: Watch
) -> None:
    open_figure(page, server, "?flow.scaling=none&flow.probe=-1,1")
    values = same_figure_in_python(page, 1)
    assert values["hidden_part"] < 0 and values["exact_gap"] > 0
    expect(readout(page, "explanation")).to_contain_text(
        f"{fixed(values['exact_gap'], 2)} above the eval output: above, because the hidden part is negative here"
    )
    expect(readout(page, "gap-note")).to_have_text(f"→ settles at {signed(values['exact_gap'], 4)}, not 0")


def test_scaling_with_the_keyboard(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    inverted = figure(page).get_by_role("radio", name="Inverted (PyTorch)")
    inverted.focus()
    act(page, lambda: page.keyboard.press("ArrowRight"))
    expect(figure(page).get_by_role("radio", name="Classic")).to_be_checked()
    expect(figure(page).get_by_role("radio", name="Classic")).to_be_focused()
    wait_for_address(page, "scaling", "classic")
    expect(readout(page, "explanation")).to_contain_text("eval multiplies every unit by 1 − p = 0.80")
    values = same_figure_in_python(page, 1)
    check_readouts(page, values)
    assert abs(values["exact_gap"]) < 1e-12
    expect(figure(page).locator(".df-gap")).not_to_have_class(re.compile(r"\bis-wrong\b"))


# -- auto --------------------------------------------------------------------------------------------


def test_auto_draws_at_most_three_masks_a_second_and_stops(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    auto = button(page, "Auto")
    expect(auto).to_have_attribute("aria-pressed", "false")
    start = draws(page)
    began = time.monotonic()
    auto.click()
    expect(auto).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(
        "n => Number(document.querySelector('[data-figure=\"data-flow\"] [data-readout=draws]').textContent) >= n",
        arg=start + 4,
    )
    # Four new masks at three a second take at least three intervals of 1/3 s.
    assert time.monotonic() - began >= 3 / 3 - 0.05
    auto.focus()
    page.keyboard.press("Space")
    expect(auto).to_have_attribute("aria-pressed", "false")
    stopped = draws(page)
    time.sleep(0.8)  # more than two intervals: the point is that nothing arrives
    assert draws(page) <= stopped + 1


def test_reduced_motion_auto_draws_one_mask_a_second(browser: Browser, server: Server) -> None:
    context = browser.new_context(reduced_motion="reduce", viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        open_figure(page, server)
        start = draws(page)
        time.sleep(0.5)  # nothing the reader did not start runs by itself
        assert draws(page) == start
        began = time.monotonic()
        button(page, "Auto").click()
        page.wait_for_function(
            "n => Number(document.querySelector('[data-figure=\"data-flow\"] [data-readout=draws]').textContent) >= n",
            arg=start + 3,
        )
        # Three new masks at one a second take at least two seconds.
        assert time.monotonic() - began >= 2 - 0.05
        button(page, "Auto").click()
        expect(button(page, "Auto")).to_have_attribute("aria-pressed", "false")
    finally:
        context.close()


# -- the probe and the seed --------------------------------------------------------------------------


def test_the_probe_inputs_with_keyboard_and_typing(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    x1 = figure(page).get_by_role("spinbutton", name="Probe input x₁")
    x2 = figure(page).get_by_role("spinbutton", name="Probe input x₂")
    expect(x1).to_have_value("1.0")
    expect(x2).to_have_value("0.5")
    x1.fill("-1.5")
    act(page, lambda: x1.press("Enter"))
    wait_for_address(page, "probe", "-1.5,0.5")
    expect(figure(page).locator('.df-unit[data-unit="x1"] .df-unit-value')).to_have_text("−1.50")
    x2.focus()
    act(page, lambda: page.keyboard.press("ArrowUp"))
    wait_for_address(page, "probe", "-1.5,0.6")
    values = same_figure_in_python(page, 1)
    check_readouts(page, values)
    check_drawing_and_table(page, values)
    # A value out of range is refused beside the box, which goes back to what is shown.
    type_into(x1, "9")
    expect_refused(x1, "x₁ must be between −5 and 5; you typed 9.", "-1.5")
    x2.focus()
    expect(x1).to_have_value("-1.5")


def test_the_mask_seed(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    act(page, button(page, "Draw 100").click)
    seed = figure(page).get_by_role("spinbutton", name="Mask seed")
    seed.fill("42")
    act(page, lambda: seed.press("Enter"))
    wait_for_address(page, "seed", "42")
    expect(readout(page, "draws")).to_have_text("1")
    check_readouts(page, same_figure_in_python(page, 1))


# -- links -------------------------------------------------------------------------------------------


def test_the_address_reproduces_what_was_seen(
    page: Page, server: Server, watched: Watch, watch_page: Callable[[Page], Watch]
) -> None:
    open_figure(page, server)
    slider(page).fill("0.1")
    expect(readout(page, "p")).to_have_text("0.10")
    act(page, figure(page).get_by_text("Classic", exact=True).click)
    act(page, button(page, "Draw 100").click)
    act(page, button(page, "Resample").click)
    wait_for_address(page, "draws", "102")
    wait_for_address(page, "scaling", "classic")
    shown = figure(page).locator(".df-readout-list").inner_text()
    table = figure(page).locator(".df-table").inner_text()
    link = page.url

    again = page.context.new_page()
    seen = watch_page(again)
    open_figure(again, server, link.removeprefix(server.url))
    expect(readout(again, "draws")).to_have_text("102")
    assert figure(again).locator(".df-readout-list").inner_text() == shown
    assert figure(again).locator(".df-table").inner_text() == table
    expect(figure(again).get_by_role("radio", name="Classic")).to_be_checked()
    assert seen.errors == []


def test_a_page_opened_without_settings_keeps_a_clean_address(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    page.wait_for_timeout(500)  # the point is that nothing is written: give a write the time to land
    assert shown_settings(page) == {}
    act(page, button(page, "Resample").click)
    wait_for_address(page, "draws", "2")
    assert shown_settings(page) == {"p": "0.2", "scaling": "inverted", "probe": "1,0.5", "seed": "0", "draws": "2"}


def test_bad_settings_in_the_address_are_reported_politely(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?flow.p=lots&flow.scaling=half&flow.seed=3")
    status = readout(page, "status")
    expect(status).to_contain_text("p=lots in the address was ignored")
    expect(status).to_contain_text("scaling=half in the address was ignored")
    expect(readout(page, "p")).to_have_text("0.20")
    expect(figure(page).get_by_role("spinbutton", name="Mask seed")).to_have_value("3")


def test_a_full_running_mean_offers_only_start_over(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?flow.draws=100000")
    expect(readout(page, "draws")).to_have_text("100,000")
    expect(button(page, "Resample")).to_be_disabled()
    expect(button(page, "Draw 100")).to_be_disabled()
    act(page, button(page, "Start over").click)
    expect(readout(page, "draws")).to_have_text("1")
    expect(button(page, "Resample")).to_be_enabled()


# -- layout ------------------------------------------------------------------------------------------


def test_phone_width_has_no_horizontal_scrolling(page: Page, server: Server, watched: Watch) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    open_figure(page, server)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    for name in ("Resample", "Draw 100", "Auto", "Start over"):
        box = button(page, name).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, name
    for locator in (figure(page).locator(".df-network-svg"), figure(page).locator(".df-chart-svg")):
        box = locator.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    # The table reflows to fit the phone: its box stays on screen and does not scroll.
    table_box = figure(page).locator(".df-table-box")
    box = table_box.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    assert table_box.evaluate("box => box.scrollWidth <= box.clientWidth")


# -- the values on the edges -------------------------------------------------------------------------

# Every edge of the drawing and every value on it, in the page's own pixels.
DRAWING_GEOMETRY = """figure => {
    const svg = figure.querySelector('.df-network-svg');
    const onScreen = (element, x, y) => {
        const point = new DOMPoint(x, y).matrixTransform(element.getScreenCTM());
        return [point.x, point.y];
    };
    const edges = {};
    for (const line of svg.querySelectorAll('line.df-edge')) {
        const [x1, y1, x2, y2] = ['x1', 'y1', 'x2', 'y2'].map(name => line[name].baseVal.value);
        edges[line.dataset.edge] = [onScreen(line, x1, y1), onScreen(line, x2, y2)];
    }
    const labels = [...svg.querySelectorAll('text.df-edge-label')].map(text => {
        const box = text.getBoundingClientRect();
        return {edge: text.dataset.edge, text: text.textContent, box: [box.left, box.top, box.right, box.bottom]};
    });
    const units = [...svg.querySelectorAll('.df-unit-body')].map(circle => {
        const centre = onScreen(circle, circle.cx.baseVal.value, circle.cy.baseVal.value);
        const edge = onScreen(circle, circle.cx.baseVal.value + circle.r.baseVal.value, circle.cy.baseVal.value);
        return [centre, edge[0] - centre[0]];
    });
    return {edges, labels, units};
}"""

Point = tuple[float, float]
Box = tuple[float, float, float, float]


def segment_crosses_box(a: Point, b: Point, box: Box) -> bool:
    """Whether the segment from a to b passes through the rectangle (left, top, right, bottom)."""
    left, top, right, bottom = box
    start, end = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    # Liang–Barsky: clip the segment's parameter to each side of the rectangle in turn.
    for p, q in ((-dx, a[0] - left), (dx, right - a[0]), (-dy, a[1] - top), (dy, bottom - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            start = max(start, t)
        else:
            end = min(end, t)
        if start > end:
            return False
    return True


def distance_to_segment(point: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = max(0.0, min(1.0, ((point[0] - a[0]) * dx + (point[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return float(((point[0] - a[0] - t * dx) ** 2 + (point[1] - a[1] - t * dy) ** 2) ** 0.5)


def boxes_overlap(one: Box, other: Box) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


@pytest.mark.parametrize(
    ("width", "query"),
    [(1280, ""), (768, ""), (390, ""), (360, ""), (390, "?flow.probe=-5,5&flow.p=0.9&flow.seed=1")],
)
def test_each_edge_value_sits_on_its_own_edge_apart_from_the_others(
    page: Page, server: Server, watched: Watch, width: int, query: str
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_figure(page, server, query)
    shown = figure(page).evaluate(DRAWING_GEOMETRY)
    edges: dict[str, tuple[Point, Point]] = {name: (tuple(a), tuple(b)) for name, (a, b) in shown["edges"].items()}
    labels = shown["labels"]
    assert len(labels) == len(edges) == 12
    for n, label in enumerate(labels):
        box = label["box"]
        # A glyph box reaches a hair beyond the ink: half a pixel in from each side is what a reader sees.
        inner: Box = (box[0] + 0.5, box[1] + 0.5, box[2] - 0.5, box[3] - 0.5)
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        own = edges[label["edge"]]
        assert distance_to_segment(centre, *own) <= 3, f"{label['edge']} ({label['text']}) is not on its edge"
        for other, (a, b) in edges.items():
            if other != label["edge"]:
                assert not segment_crosses_box(a, b, inner), f"edge {other} runs through {label['edge']}'s value"
        for later in labels[n + 1 :]:
            assert not boxes_overlap(inner, later["box"]), f"{label['edge']} and {later['edge']} overlap"
        for (cx, cy), radius in shown["units"]:
            nearest = (min(max(cx, inner[0]), inner[2]), min(max(cy, inner[1]), inner[3]))
            assert (nearest[0] - cx) ** 2 + (nearest[1] - cy) ** 2 >= radius**2, f"{label['edge']} is under a unit"


def edge_value(page: Page, edge: str) -> Locator:
    return figure(page).locator(f'text.df-edge-label[data-edge="{edge}"]')


def opacity(locator: Locator) -> float:
    return float(locator.evaluate("element => getComputedStyle(element).opacity"))


def stroke_width(page: Page, edge: str) -> float:
    line = figure(page).locator(f'line.df-edge[data-edge="{edge}"]')
    return float(line.evaluate("line => parseFloat(getComputedStyle(line).strokeWidth)"))


def wait_for_opacity(page: Page, edge: str, low: bool) -> None:
    """The highlight fades in: wait until the value of ``edge`` is dimmed (low) or fully shown."""
    page.wait_for_function(
        "([selector, low]) => { const o = Number(getComputedStyle(document.querySelector(selector)).opacity);"
        " return low ? o < 0.5 : o > 0.99; }",
        arg=[f'{FIGURE} text.df-edge-label[data-edge="{edge}"]', low],
    )


def test_pointing_at_an_edge_picks_out_it_and_its_value(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?flow.seed=0")
    values = same_figure_in_python(page, 1)
    detail = readout(page, "edge")
    before = stroke_width(page, "x1-h3")
    # Point at the edge from x₁ to h₃ where it is farthest from the edges it crosses.
    edges = figure(page).evaluate(DRAWING_GEOMETRY)["edges"]
    (x1, y1), (x2, y2) = edges["x1-h3"]
    along = [(x1 + (x2 - x1) * t / 20, y1 + (y2 - y1) * t / 20) for t in range(3, 18)]
    others = [segment for name, segment in edges.items() if name != "x1-h3"]
    spot = max(along, key=lambda point: min(distance_to_segment(point, *segment) for segment in others))
    page.mouse.move(*spot)
    product = (
        f"{fixed(values['input'][0], 4)} × {fixed(values['weights'][0][0][2], 4)} = {fixed(values['edge_in'][0][2], 4)}"
    )
    expect(detail).to_contain_text(f"x₁ → h₃: {product}")
    page.wait_for_function(
        "([selector, width]) => parseFloat(getComputedStyle(document.querySelector(selector)).strokeWidth) > width + 2",
        arg=[f'{FIGURE} line.df-edge[data-edge="x1-h3"]', before],
    )
    wait_for_opacity(page, "x2-h2", low=True)
    assert opacity(edge_value(page, "x1-h3")) == 1
    # Away from the drawing, every value is shown alike again.
    page.mouse.move(2, 2)
    wait_for_opacity(page, "x2-h2", low=False)
    page.wait_for_function(
        "([selector, width]) => Math.abs(parseFloat(getComputedStyle(document.querySelector(selector)).strokeWidth)"
        " - width) < 0.01",
        arg=[f'{FIGURE} line.df-edge[data-edge="x1-h3"]', before],
    )


def test_the_drawing_is_one_tab_stop_with_arrow_keys_through_its_edges(
    page: Page, server: Server, watched: Watch
) -> None:
    open_figure(page, server, "?flow.seed=0")
    values = same_figure_in_python(page, 1)
    drawing = figure(page).locator(".df-network-svg")
    expect(drawing.locator('[tabindex="0"]')).to_have_count(1)
    # Tab from the last button before it lands on the first edge, named with the value it carries.
    button(page, "Start over").focus()
    page.keyboard.press("Tab")
    first = figure(page).get_by_role("img", name=re.compile(r"^x₁ to h₁ carries"))
    expect(first).to_be_focused()
    expect(first).to_have_accessible_name(re.compile(rf"carries {fixed(values['edge_in'][0][0], 2)}\b"))
    expect(readout(page, "edge")).to_contain_text("x₁ → h₁:")
    wait_for_opacity(page, "x2-h2", low=True)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = figure(page).get_by_role("img", name=re.compile(r"^x₁ to h₃ carries"))
    expect(second).to_be_focused()
    expect(readout(page, "edge")).to_contain_text("x₁ → h₃:")
    page.keyboard.press("End")
    last = figure(page).get_by_role("img", name=re.compile(r"^h₄ to ŷ carries"))
    expect(last).to_be_focused()
    h4 = f"{fixed(values['passed'][3], 4)} × {fixed(values['weights'][1][3][0], 4)} = {fixed(values['edge_out'][3], 4)}"
    expect(readout(page, "edge")).to_contain_text(f"h₄ → ŷ: h̃₄ {h4}")
    page.keyboard.press("ArrowUp")
    expect(figure(page).get_by_role("img", name=re.compile(r"^h₃ to ŷ carries"))).to_be_focused()
    # One Tab stop: the next Tab leaves the drawing; Shift+Tab comes back to the edge last visited.
    expect(drawing.locator('[tabindex="0"]')).to_have_count(1)
    page.keyboard.press("Tab")
    assert page.evaluate("() => !document.activeElement.closest('.df-network-svg')"), "Tab stayed in the drawing"
    wait_for_opacity(page, "x2-h2", low=False)
    page.keyboard.press("Shift+Tab")
    expect(figure(page).get_by_role("img", name=re.compile(r"^h₃ to ŷ carries"))).to_be_focused()


def test_the_unit_table_reflows_on_a_phone_without_scrolling_sideways(
    page: Page, server: Server, watched: Watch
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_figure(page, server, "?flow.seed=0")
    values = same_figure_in_python(page, 1)
    table = figure(page).locator(".df-table")
    box = figure(page).locator(".df-table-box")
    assert box.evaluate("box => box.scrollWidth <= box.clientWidth"), "the table scrolls sideways"
    for cell in table.locator("td").all():
        cell_box = cell.bounding_box()
        assert cell_box is not None and cell_box["x"] >= 0 and cell_box["x"] + cell_box["width"] <= 390
    # Each number keeps its name beside it, and is still read as a cell of its unit's row.
    row = figure(page).locator('tr[data-unit="2"]')
    mean = row.locator('[data-cell="mean-exact"]')
    expect(mean).to_have_text(fixed(values["unit_mean_exact"][1], 4))
    label = mean.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert "E[h̃]" in label
    expect(figure(page).get_by_role("table")).to_have_count(1)
    expect(figure(page).get_by_role("row")).to_have_count(5)
    expect(row.get_by_role("cell")).to_have_count(7)
    expect(row.get_by_role("cell").nth(4)).to_have_accessible_name(fixed(values["unit_mean_exact"][1], 4))
    # A box that does not scroll is no extra Tab stop.
    expect(box).not_to_have_attribute("tabindex", "0")


@pytest.mark.parametrize("width", [390, 768, 1280])
def test_a_table_box_is_a_tab_stop_exactly_when_it_scrolls(
    page: Page, server: Server, watched: Watch, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 844})
    open_figure(page, server)
    box = figure(page).locator(".df-table-box")
    region = figure(page).get_by_role("region", name="Hidden units, one row each")
    assert not box.evaluate("box => box.scrollWidth > box.clientWidth")
    expect(box).not_to_have_attribute("tabindex", "0")
    expect(region).to_have_count(0)
    # Text made much larger, as a reader with low vision may: a box that then scrolls can be reached.
    page.add_style_tag(content=f"{FIGURE} .df-table {{ font-size: 2.2rem !important; }}")
    if width == 1280:
        page.wait_for_function("box => box.scrollWidth > box.clientWidth", arg=box.element_handle())
    scrolls = box.evaluate("box => box.scrollWidth > box.clientWidth")
    if scrolls:
        expect(box).to_have_attribute("tabindex", "0")
        expect(region).to_have_count(1)
        box.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("box => box.scrollLeft > 0", arg=box.element_handle())
    else:
        expect(box).not_to_have_attribute("tabindex", "0")


# -- values the figure cannot take -------------------------------------------------------------------


def probe_box(page: Page, name: str) -> Locator:
    return figure(page).get_by_role("spinbutton", name=f"Probe input {name}")


def test_each_box_holds_the_bounds_the_server_checks(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    for name in ("x₁", "x₂"):
        expect(probe_box(page, name)).to_have_attribute("min", f"{-PROBE_LIMIT:g}")
        expect(probe_box(page, name)).to_have_attribute("max", f"{PROBE_LIMIT:g}")
        expect(probe_box(page, name)).to_have_attribute("step", "0.1")
    seed = figure(page).get_by_role("spinbutton", name="Mask seed")
    expect(seed).to_have_attribute("min", "0")
    expect(seed).to_have_attribute("max", str(MAX_SEED))
    expect(seed).to_have_attribute("step", "1")


def test_a_refused_probe_is_said_beside_its_box_and_goes_with_the_next_frame(
    page: Page, server: Server, watched: Watch
) -> None:
    open_figure(page, server)
    x2 = probe_box(page, "x₂")

    def turn_p_up() -> None:
        slider(page).focus()
        page.keyboard.press("ArrowRight")

    for action in (
        button(page, "Resample").click,
        button(page, "Draw 100").click,
        button(page, "Start over").click,
        turn_p_up,
    ):
        type_into(x2, "9")
        message = expect_refused(x2, "x₂ must be between −5 and 5; you typed 9.", "0.5")
        # Said once, beside the box: not again at the foot of the figure.
        expect(readout(page, "status")).to_have_text("")
        act(page, action)
        # Gone with that very frame, not some time later.
        assert message.text_content() == "" and x2.get_attribute("aria-invalid") is None
        expect_cleared(x2, message)
    # The refused value never reached the figure: the probe is where it was. (The address is written a
    # moment after the frame: the p turned up last must be in it before it is read.)
    wait_for_address(page, "p", f"{float(slider(page).input_value()):g}")
    wait_for_address(page, "probe", "1,0.5")
    check_readouts(page, same_figure_in_python(page, 1))


def test_a_refusal_stays_while_auto_draws_by_itself(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    act(page, button(page, "Auto").click)
    x1 = probe_box(page, "x₁")
    type_into(x1, "-7.5")
    message = expect_refused(x1, "x₁ must be between −5 and 5; you typed −7.5.", "1.0")
    # Frames the student did not ask for leave it on screen, to be read.
    wait_for_frame_after(page, frames(page) + 2)
    expect(message).to_have_text("x₁ must be between −5 and 5; you typed −7.5.")
    expect(x1).to_have_attribute("aria-invalid", "true")
    button(page, "Auto").click()
    expect(button(page, "Auto")).to_have_attribute("aria-pressed", "false")


def test_a_refused_seed_is_said_beside_its_box(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    seed = figure(page).get_by_role("spinbutton", name="Mask seed")
    type_into(seed, "-3")
    expect_refused(seed, "Mask seed must be a whole number from 0 to 4,294,967,295; you typed −3.", "0")
    type_into(seed, "2.5")
    message = expect_refused(seed, "Mask seed must be a whole number from 0 to 4,294,967,295; you typed 2.5.", "0")
    # A good value is taken, and with its frame the refusal goes.
    seed.fill("7")
    act(page, lambda: seed.press("Enter"))
    expect_cleared(seed, message)
    wait_for_address(page, "seed", "7")


def test_the_servers_refusal_of_a_typed_value_is_said_beside_its_box(
    page: Page, server: Server, watched: Watch
) -> None:
    refuse_on_the_server(page, "data-flow", lambda command: "seed" in command, "this seed is kept for the teacher")
    open_figure(page, server)
    seed = figure(page).get_by_role("spinbutton", name="Mask seed")
    type_into(seed, "7")
    message = expect_refused(seed, "This seed is kept for the teacher.", "0")
    expect(readout(page, "status")).to_have_text("")
    act(page, button(page, "Resample").click)
    expect_cleared(seed, message)
