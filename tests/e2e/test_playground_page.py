"""The playground page in a real browser, used as a student would: with the mouse, the keyboard and links.

Each test waits on what the page shows (a frame counter on the figure, texts, attributes), never on
fixed delays, except where the point is that nothing happens.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from figure_page import FigureOnPage, server_notice, wait_until_every_figure_is_built
from playwright.sync_api import Browser, Locator, Page, expect
from refusals import expect_cleared, expect_refused, refuse_on_the_server, type_into

from dropout_playground.figures.checks import MAX_SEED

# The fixtures (conftest.py) hand these out: the running server, and what a page did.
Server = Any
Watch = Any

PLAYGROUND = FigureOnPage("playground", "")
FIGURE = PLAYGROUND.selector
in_playground = PLAYGROUND.element  # other figures on the page have controls of the same names
frames = PLAYGROUND.frames
wait_for_frame_after = PLAYGROUND.wait_for_frame_after
open_playground = PLAYGROUND.open
act = PLAYGROUND.act


def counter(page: Page, name: str) -> Locator:
    return in_playground(page).locator(f'[data-counter="{name}"]')


def prediction(page: Page) -> str:
    return in_playground(page).locator('[data-readout="prediction"]').inner_text()


def steps(page: Page) -> int:
    return int(in_playground(page).locator('[data-readout="steps"]').inner_text().replace(",", ""))


def slider(page: Page) -> Locator:
    return in_playground(page).get_by_role("slider", name="Drop probability p")


def button(page: Page, name: str) -> Locator:
    return in_playground(page).get_by_role("button", name=name, exact=True)


def check_counters_match_drawing(page: Page) -> None:
    for layer in (1, 2):
        units = in_playground(page).locator(f'.pg-unit[data-layer="{layer}"]')
        alive = in_playground(page).locator(f'.pg-unit[data-layer="{layer}"][data-state="alive"]')
        expect(counter(page, f"layer-{layer}")).to_have_text(f"{alive.count()}/{units.count()}")
    edges = in_playground(page).locator("line.pg-edge")
    active = in_playground(page).locator('line.pg-edge[data-active="true"]')
    expect(counter(page, "edges")).to_have_text(f"{active.count()}/{edges.count()}")


# -- what the figure shows ---------------------------------------------------------------------------


def test_counters_match_the_drawing(page: Page, server: Server, watched: Watch) -> None:
    open_playground(page, server)
    expect(in_playground(page).locator(".pg-unit")).to_have_count(2 + 6 + 6 + 3)
    expect(in_playground(page).locator("line.pg-edge")).to_have_count(2 * 6 + 6 * 6 + 6 * 3)
    check_counters_match_drawing(page)
    for _ in range(3):
        act(page, button(page, "Resample").click)
        check_counters_match_drawing(page)
    # A dropped unit says so when it is focused, and so does a kept one.
    dropped = in_playground(page).locator('.pg-unit[data-layer="1"][data-state="dropped"]').first
    dropped.focus()
    expect(in_playground(page).locator(".pg-tip")).to_contain_text("dropped")
    expect(dropped).to_have_attribute("aria-label", re.compile(r"^Hidden 1, unit \d+: dropped"))
    kept = in_playground(page).locator('.pg-unit[data-layer="2"][data-state="alive"]').first
    expect(kept).to_have_attribute(
        "aria-label", re.compile(r"^Hidden 2, unit \d+: h = \d+\.\d\d, passes on \d+\.\d\d$")
    )


def test_scale_follows_p_and_mode(page: Page, server: Server, watched: Watch) -> None:
    open_playground(page, server)
    expect(counter(page, "scale")).to_have_text("2.00")
    slider(page).focus()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(in_playground(page).locator('[data-readout="p"]')).to_have_text("0.10")
    expect(counter(page, "scale")).to_have_text("1.11")
    slider(page).fill("0.5")
    expect(in_playground(page).locator('[data-readout="p"]')).to_have_text("0.50")
    expect(counter(page, "scale")).to_have_text("2.00")
    button(page, "Eval mode").click()
    expect(counter(page, "scale")).to_have_text("1.00 (off)")
    expect(button(page, "Eval mode")).to_have_attribute("aria-pressed", "true")
    expect(button(page, "Train mode")).to_have_attribute("aria-pressed", "false")


def test_eval_mode_uses_every_unit_and_is_deterministic(page: Page, server: Server, watched: Watch) -> None:
    open_playground(page, server)
    button(page, "Eval mode").click()
    expect(counter(page, "layer-1")).to_have_text("6/6")
    expect(counter(page, "layer-2")).to_have_text("6/6")
    expect(counter(page, "edges")).to_have_text("66/66")
    expect(in_playground(page).locator('[data-readout="source"]')).to_have_text("full network (eval)")
    expect(in_playground(page).locator('.pg-unit[data-state="dropped"]')).to_have_count(0)
    first = prediction(page)
    for _ in range(4):
        act(page, button(page, "Resample").click)
        assert prediction(page) == first
    # Auto-resample has nothing to draw in eval mode.
    expect(button(page, "Auto-resample")).to_be_disabled()


def test_train_mode_predictions_change_with_the_mask(page: Page, server: Server, watched: Watch) -> None:
    open_playground(page, server, "?p=0.5&mode=train&seed=0")
    expect(in_playground(page).locator('[data-readout="source"]')).to_have_text("this sub-network")
    seen = {prediction(page)}
    for _ in range(5):
        act(page, button(page, "Resample").click)
        seen.add(prediction(page))
    assert len(seen) >= 2, seen


def test_auto_resample_starts_and_stops(page: Page, server: Server, watched: Watch) -> None:
    open_playground(page, server, "?speed=3")
    auto = button(page, "Auto-resample")
    expect(auto).to_have_attribute("aria-pressed", "false")
    start = frames(page)
    auto.click()
    expect(auto).to_have_attribute("aria-pressed", "true")
    wait_for_frame_after(page, start + 1)
    auto.click()
    expect(auto).to_have_attribute("aria-pressed", "false")
    stopped = frames(page)
    time.sleep(0.8)  # at 3 a second, more than two intervals: the point is that nothing arrives
    assert frames(page) <= stopped + 1


# -- keyboard ---------------------------------------------------------------------------------------


def test_keyboard_operation(page: Page, server: Server, watched: Watch) -> None:
    open_playground(page, server)
    slider(page).focus()
    page.keyboard.press("ArrowLeft")
    expect(in_playground(page).locator('[data-readout="p"]')).to_have_text("0.45")
    expect(counter(page, "scale")).to_have_text("1.82")
    for _ in range(6):
        if page.evaluate("document.activeElement.textContent") == "Resample":
            break
        page.keyboard.press("Tab")
    expect(button(page, "Resample")).to_be_focused()
    act(page, lambda: page.keyboard.press("Enter"))
    act(page, lambda: page.keyboard.press("Space"))
    # The decision map takes arrow keys once focused: the probe moves right.
    in_playground(page).locator(".pg-map").focus()
    before = in_playground(page).locator('[data-readout="probe"]').inner_text()
    page.keyboard.press("ArrowRight")
    expect(in_playground(page).locator('[data-readout="probe"]')).not_to_have_text(before)
    x_before = float(before.strip("()").split(",")[0])
    x_after = float(in_playground(page).locator('[data-readout="probe"]').inner_text().strip("()").split(",")[0])
    assert x_after > x_before


def test_clicking_the_map_moves_the_probe(page: Page, server: Server, watched: Watch) -> None:
    open_playground(page, server)
    plane = in_playground(page).locator(".pg-map")
    box = plane.bounding_box()
    assert box is not None
    plane.click(position={"x": box["width"] * 0.2, "y": box["height"] * 0.2})
    probe = in_playground(page).locator('[data-readout="probe"]')
    expect(probe).not_to_have_text("(0.00, -0.80)")
    x, y = (float(v) for v in probe.inner_text().strip("()").split(","))
    assert x < 0 < y  # upper left of the plane
    expect(page).to_have_url(re.compile(r"probe=-"))


# -- training ---------------------------------------------------------------------------------------


def test_train_network_and_reset(page: Page, server: Server, watched: Watch) -> None:
    open_playground(page, server)
    assert steps(page) == 800
    train = button(page, "Train network")
    train.click()
    expect(train).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(
        "() => Number(document.querySelector('[data-readout=steps]').textContent.replace(/,/g, '')) > 850"
    )
    train.click()
    expect(train).to_have_attribute("aria-pressed", "false")
    assert steps(page) > 850
    button(page, "Reset").click()
    expect(in_playground(page).locator('[data-readout="steps"]')).to_have_text("0")
    expect(page).to_have_url(re.compile(r"training=(&|$)"))


# -- links ------------------------------------------------------------------------------------------


def test_the_address_reproduces_what_was_seen(
    page: Page, server: Server, watched: Watch, watch_page: Callable[[Page], Watch]
) -> None:
    open_playground(page, server)
    slider(page).fill("0.3")
    expect(in_playground(page).locator('[data-readout="p"]')).to_have_text("0.30")
    seed = in_playground(page).get_by_role("spinbutton", name="Seed")
    seed.fill("7")
    seed.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]p=0\.3(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]seed=7(&|$)"))
    shown = prediction(page)
    counters = [counter(page, name).inner_text() for name in ("layer-1", "layer-2", "edges", "scale")]
    link = page.url

    again = page.context.new_page()
    seen = watch_page(again)
    open_playground(again, server, link.removeprefix(server.url))
    assert prediction(again) == shown
    assert [counter(again, name).inner_text() for name in ("layer-1", "layer-2", "edges", "scale")] == counters
    expect(in_playground(again).get_by_role("spinbutton", name="Seed")).to_have_value("7")
    assert seen.errors == []


def test_bad_settings_in_the_address_are_reported_politely(page: Page, server: Server, watched: Watch) -> None:
    open_playground(page, server, "?p=lots&seed=3")
    status = in_playground(page).get_by_role("status")
    expect(status).to_contain_text("p=lots in the address was ignored")
    expect(in_playground(page).locator('[data-readout="p"]')).to_have_text("0.50")
    expect(in_playground(page).get_by_role("spinbutton", name="Seed")).to_have_value("3")


# -- layout and the connection ----------------------------------------------------------------------


def test_phone_width_has_no_horizontal_scrolling(page: Page, server: Server, watched: Watch) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    open_playground(page, server)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360
    for name in ("Resample", "Train mode", "Eval mode", "Auto-resample", "Train network", "Reset"):
        box = button(page, name).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, name
    # A tip on a unit near the edge stays on screen.
    in_playground(page).locator('.pg-unit[data-layer="3"]').first.focus()
    tip = in_playground(page).locator(".pg-tip").bounding_box()
    assert tip is not None and tip["x"] >= 0 and tip["x"] + tip["width"] <= 360
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360


def test_a_lost_connection_is_announced_and_recovered(page: Page, launch_server: Callable[[int], Server]) -> None:
    own = launch_server(0)
    port = int(own.netloc.rsplit(":", 1)[1])
    try:
        open_playground(page, own)
        wait_until_every_figure_is_built(page)
        own.stop()
        # Said once for the whole page (tests/e2e/test_connection.py has the rest of the story).
        expect(server_notice(page)).to_contain_text("The connection to the playground server was lost")
        expect(page.locator(FIGURE)).to_have_class(re.compile(r"\bis-offline\b"))
        expect(button(page, "Resample")).to_be_disabled()
        own = launch_server(port)
        expect(server_notice(page)).to_contain_text("Connection restored", timeout=10_000)
        expect(page.locator(FIGURE)).not_to_have_class(re.compile(r"\bis-offline\b"))
        act(page, button(page, "Resample").click)
        wait_until_every_figure_is_built(page)
    finally:
        if own.process.poll() is None:
            own.stop()


def test_dataset_and_hidden_sizes_rebuild_the_network(page: Page, server: Server, watched: Watch) -> None:
    open_playground(page, server)
    act(page, lambda: in_playground(page).get_by_role("combobox", name="Dataset").select_option("moons"))
    expect(in_playground(page).locator('.pg-unit[data-layer="3"]')).to_have_count(2)
    expect(in_playground(page).locator('[data-readout="prediction"] li')).to_have_count(2)
    act(page, lambda: in_playground(page).get_by_role("combobox", name="Hidden layer 1 units").select_option("3"))
    expect(in_playground(page).locator('.pg-unit[data-layer="1"]')).to_have_count(3)
    expect(in_playground(page).locator("line.pg-edge")).to_have_count(2 * 3 + 3 * 6 + 6 * 2)
    check_counters_match_drawing(page)
    expect(page).to_have_url(re.compile(r"dataset=moons&hidden=3,6"))


def test_reduced_motion_starts_calm_and_still(browser: Browser, server: Server) -> None:
    context = browser.new_context(reduced_motion="reduce")
    try:
        page = context.new_page()
        open_playground(page, server)
        expect(in_playground(page).get_by_role("combobox", name="Auto-resample speed")).to_have_value("1")
        expect(button(page, "Auto-resample")).to_have_attribute("aria-pressed", "false")
        # Once the student does something, the link records the calm speed with the rest.
        act(page, lambda: button(page, "Resample").click())
        expect(page).to_have_url(re.compile(r"speed=1"))
    finally:
        context.close()


def test_a_page_opened_without_settings_keeps_a_clean_address(page: Page, server: Server, watched: Watch) -> None:
    open_playground(page, server)
    page.wait_for_timeout(500)  # the point is that nothing is written: give a write the time to land
    assert page.url == server.url
    act(page, lambda: button(page, "Resample").click())
    expect(page).to_have_url(re.compile(r"[?&]draw=1(&|$)"))


# -- screen readers ---------------------------------------------------------------------------------


def announcement(page: Page) -> Locator:
    return in_playground(page).locator('[data-readout="announcement"]')


# True when the live region says what the figure shows: the predicted class and its probability, and
# the counters, as "4 of 6" for "4/6".
ANNOUNCEMENT_MATCHES_THE_FIGURE = """(selector) => {
    const figure = document.querySelector(selector);
    const said = figure.querySelector('[data-readout="announcement"]').textContent;
    const predicted = figure.querySelector('.pg-bar-row.is-predicted');
    const number = predicted.querySelector('.pg-bar-number').textContent;
    const counter = (name) => figure.querySelector(`[data-counter="${name}"]`).textContent.replace('/', ' of ');
    return [`class ${predicted.dataset.class}`, number, counter('layer-1'), counter('layer-2'), counter('edges')]
        .every((part) => said.includes(part));
}"""


def test_counters_and_prediction_are_announced_at_most_once_a_second(
    page: Page, server: Server, watched: Watch
) -> None:
    open_playground(page, server, "?speed=3")
    # The numbers on screen change three times a second during Auto-resample: they are not live regions.
    for shown in (".pg-counters", ".pg-prediction"):
        assert page.evaluate(f"s => document.querySelector(s + ' {shown}').closest('[aria-live]')", FIGURE) is None
    expect(announcement(page)).to_have_attribute("aria-live", "polite")
    # A new mask is announced, prediction first.
    act(page, button(page, "Resample").click)
    page.wait_for_function(ANNOUNCEMENT_MATCHES_THE_FIGURE, arg=FIGURE)
    expect(announcement(page)).to_have_text(re.compile(r"^Prediction"))

    page.evaluate(
        """(selector) => {
            const region = document.querySelector(selector + ' [data-readout="announcement"]');
            window.announced = [];
            new MutationObserver(() => window.announced.push(performance.now()))
                .observe(region, { childList: true, characterData: true, subtree: true });
        }""",
        FIGURE,
    )
    started = page.evaluate("performance.now()")
    auto = button(page, "Auto-resample")
    before = frames(page)
    auto.click()
    wait_for_frame_after(page, before + 9)  # three seconds of masks at 3 a second
    auto.click()
    expect(auto).to_have_attribute("aria-pressed", "false")
    # Once the masks stop, the last one is read out.
    page.wait_for_function(ANNOUNCEMENT_MATCHES_THE_FIGURE, arg=FIGURE)
    times = page.evaluate("window.announced")
    elapsed = page.evaluate("performance.now()") - started
    gaps = [times[i + 1] - times[i] for i in range(len(times) - 1)]
    assert times and all(gap >= 990 for gap in gaps), gaps
    assert len(times) <= 1 + elapsed / 1000, (len(times), elapsed)


# Which class each ninth of the decision map shows most, read from the picture itself: each pixel is
# given to the class whose full tint (the paper moved 62 % of the way to the class colour) it is nearest.
CLASS_SHARES_BY_NINTH = """(selector) => {
    const figure = document.querySelector(selector);
    const canvas = figure.querySelector('.pg-map-canvas');
    const style = getComputedStyle(figure);
    const rgb = (name) => {
        const n = parseInt(style.getPropertyValue(name).trim().slice(1), 16);
        return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
    };
    const paper = rgb('--paper');
    const classes = figure.querySelectorAll('.pg-unit[data-layer="3"]').length;
    const tints = Array.from({ length: classes }, (_, c) =>
        rgb(`--class-${c + 1}`).map((v, k) => paper[k] + 0.62 * (v - paper[k])));
    const { width, height } = canvas;
    const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
    const ninths = Array.from({ length: 9 }, () => new Array(classes).fill(0));
    const overall = new Array(classes).fill(0);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const at = 4 * (y * width + x);
            const distance = (tint) => tint.reduce((sum, v, k) => sum + (pixels[at + k] - v) ** 2, 0);
            let best = 0;
            tints.forEach((tint, c) => { if (distance(tint) < distance(tints[best])) best = c; });
            ninths[3 * Math.min(2, Math.floor((3 * y) / height)) + Math.min(2, Math.floor((3 * x) / width))][best]++;
            overall[best]++;
        }
    }
    const share = (counts) => counts.map((n) => n / counts.reduce((a, b) => a + b, 0));
    return { ninths: ninths.map(share), overall: share(overall) };
}"""

NINTHS = ["upper left", "top", "upper right", "left", "centre", "right", "lower left", "bottom", "lower right"]


def check_map_description(page: Page) -> None:
    """The map's text alternative names, for each class, the ninths of the map it holds, as the picture does."""
    plane = in_playground(page).locator(".pg-map")
    described = plane.get_attribute("aria-describedby")
    assert described, "the decision map has no description"
    text = page.locator(f"#{described}").inner_text()
    picture = page.evaluate(CLASS_SHARES_BY_NINTH, FIGURE)
    classes = len(picture["overall"])
    found = re.findall(
        r"Class (\d) \((\w+)\) "
        r"(?:covers (\d+)% of the map(?:: ([^.]*)|, most of it in [^.]*)?|is predicted nowhere[^.]*)\.",
        text,
    )
    assert [int(c) for c, *_ in found] == list(range(1, classes + 1)), text
    for number, _colour, percent, regions in found:
        c = int(number) - 1
        assert abs(int(percent or 0) / 100 - picture["overall"][c]) < 0.08, (text, picture["overall"])
        named = NINTHS if regions == "the whole of it" else re.split(r", | and ", regions) if regions else []
        for region in named:
            shares = picture["ninths"][NINTHS.index(region.removeprefix("the "))]
            # Where two classes nearly tie, the picture cannot settle which holds more.
            assert shares[c] >= max(shares) - 0.1, (region, text, shares)
    predicted = in_playground(page).locator(".pg-bar-row.is-predicted").get_attribute("data-class")
    assert re.search(rf"The probe, at \([^)]*\), is in class {predicted}'s region\.", text), text


def test_the_decision_map_says_which_class_holds_which_region(page: Page, server: Server, watched: Watch) -> None:
    open_playground(page, server)
    check_map_description(page)
    expect(in_playground(page).locator(".pg-map")).to_have_accessible_description(
        re.compile(r"^Class 1 \(blue\) covers")
    )
    # The description follows the map.
    act(page, lambda: in_playground(page).get_by_role("combobox", name="Dataset").select_option("moons"))
    expect(in_playground(page).locator(".pg-map")).not_to_have_accessible_description(re.compile("Class 3"))
    check_map_description(page)
    act(page, button(page, "Eval mode").click)
    check_map_description(page)


# -- the network drawing by keyboard ----------------------------------------------------------------


def focused_unit(page: Page) -> tuple[int, int] | None:
    """(layer, unit number) of the focused unit of the drawing, if a unit has focus."""
    found = page.evaluate(
        "() => { const e = document.activeElement; "
        "return e && e.classList.contains('pg-unit') ? [Number(e.dataset.layer), Number(e.dataset.index)] : null; }"
    )
    return None if found is None else (found[0], found[1])


def press_in_drawing(page: Page, key: str, expected: tuple[int, int]) -> None:
    page.keyboard.press(key)
    assert focused_unit(page) == expected, key
    # The focused unit shows its values, as it did when each unit was a Tab stop.
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    expect(in_playground(page).locator(".pg-tip")).to_have_text(label)
    expect(in_playground(page).locator('.pg-unit[tabindex="0"]')).to_have_count(1)


def test_the_network_drawing_is_one_tab_stop_with_arrow_keys_inside(page: Page, server: Server, watched: Watch) -> None:
    open_playground(page, server)
    slider(page).focus()
    stops_in_drawing = 0
    for _ in range(80):
        page.keyboard.press("Tab")
        in_figure, in_drawing = page.evaluate(
            "s => [!!document.activeElement.closest(s), !!document.activeElement.closest(s + ' .pg-network-svg')]",
            FIGURE,
        )
        if not in_figure:
            break
        stops_in_drawing += in_drawing
    assert stops_in_drawing == 1

    in_playground(page).locator(".pg-map").focus()
    page.keyboard.press("Shift+Tab")
    assert focused_unit(page) == (0, 1)
    press_in_drawing(page, "ArrowDown", (0, 2))
    press_in_drawing(page, "ArrowDown", (0, 2))  # the last unit of its layer
    press_in_drawing(page, "ArrowRight", (1, 4))  # the hidden unit level with x₂ (6 units: 0.5 below the middle)
    press_in_drawing(page, "ArrowUp", (1, 3))
    press_in_drawing(page, "ArrowRight", (2, 3))
    press_in_drawing(page, "ArrowLeft", (1, 3))
    press_in_drawing(page, "End", (3, 3))  # the last output
    press_in_drawing(page, "ArrowRight", (3, 3))
    press_in_drawing(page, "Home", (0, 1))
    press_in_drawing(page, "ArrowLeft", (0, 1))
    press_in_drawing(page, "End", (3, 3))
    # Tab leaves the drawing for the map, and Shift+Tab comes back to the same unit.
    page.keyboard.press("Tab")
    expect(in_playground(page).locator(".pg-map")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    assert focused_unit(page) == (3, 3)

    # A unit clicked becomes the drawing's Tab stop.
    in_playground(page).locator('.pg-unit[data-layer="2"][data-index="5"]').click()
    in_playground(page).locator(".pg-map").focus()
    page.keyboard.press("Shift+Tab")
    assert focused_unit(page) == (2, 5)
    # A smaller layer keeps one Tab stop, and focus, on the unit nearest to where it was.
    press_in_drawing(page, "ArrowLeft", (1, 5))
    act(page, lambda: in_playground(page).get_by_role("combobox", name="Hidden layer 1 units").select_option("3"))
    expect(in_playground(page).locator('.pg-unit[tabindex="0"]')).to_have_count(1)
    in_playground(page).locator(".pg-map").focus()
    page.keyboard.press("Shift+Tab")
    assert focused_unit(page) == (1, 3)
    press_in_drawing(page, "ArrowUp", (1, 2))


# -- contrast ---------------------------------------------------------------------------------------

# Every piece of text in the network drawing (its labels, the legend, the tip of a focused unit) with the
# WCAG contrast ratio of its colour, opacity included, against the background it is drawn on.
TEXT_CONTRASTS = """(selector) => {
    const parse = (text) => {
        const m = /rgba?\\(([^)]+)\\)/.exec(text);
        if (!m) return null;
        const [r, g, b, a = 1] = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return [r, g, b, a];
    };
    const over = (top, below) => top.slice(0, 3).map((v, k) => v * top[3] + below[k] * (1 - top[3]));
    const background = (element) => {
        const layers = [];
        for (let e = element; e; e = e.parentElement) {
            const colour = parse(getComputedStyle(e).backgroundColor);
            if (colour && colour[3] > 0) layers.push(colour);
            if (colour && colour[3] === 1) break;
        }
        return layers.reduceRight((below, top) => over(top, below), [255, 255, 255]);
    };
    const luminance = (rgb) => {
        const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const panel = document.querySelector(selector + ' .pg-panel-network');
    const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
    const found = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        if (!node.textContent.trim() || element.getClientRects().length === 0) continue;
        const style = getComputedStyle(element);
        const svg = element instanceof SVGElement;
        let alpha = svg ? Number(style.fillOpacity) : 1;
        for (let e = element; e && e !== panel.parentElement; e = e.parentElement) {
            alpha *= Number(getComputedStyle(e).opacity);
        }
        const colour = parse(svg ? style.fill : style.color);
        const behind = background(element);
        const ink = over([...colour.slice(0, 3), colour[3] * alpha], behind);
        const [light, dark] = [luminance(ink), luminance(behind)].sort((a, b) => b - a);
        found.push([node.textContent.trim(), element.getAttribute('class'), (light + 0.05) / (dark + 0.05)]);
    }
    return found;
}"""


def test_every_text_in_the_network_drawing_has_a_contrast_of_at_least_4_5(
    page: Page, server: Server, watched: Watch
) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        open_playground(page, server)
        in_playground(page).locator('.pg-unit[data-layer="3"]').last.focus()
        texts = page.evaluate(TEXT_CONTRASTS, FIGURE)
        kinds = {kind for _, kind, _ in texts}
        assert {"pg-output-label", "pg-layer-label", "pg-input-label", "pg-tip"} <= kinds, kinds
        low = [(text, kind, round(ratio, 2)) for text, kind, ratio in texts if ratio < 4.5]
        assert low == [], low


# -- values the figure cannot take -------------------------------------------------------------------


def test_a_refused_seed_is_said_beside_its_box_which_shows_the_seed_in_use(
    page: Page, server: Server, watched: Watch
) -> None:
    open_playground(page, server)
    seed = in_playground(page).get_by_role("spinbutton", name="Seed")
    expect(seed).to_have_attribute("min", "0")
    expect(seed).to_have_attribute("max", str(MAX_SEED))
    expect(seed).to_have_attribute("step", "1")
    type_into(seed, "-3")
    message = expect_refused(seed, "Seed must be a whole number from 0 to 4,294,967,295; you typed −3.", "0")
    expect(in_playground(page).locator('[data-readout="status"]')).not_to_contain_text("seed")
    assert "seed" not in page.url
    # It stays while the student reads it, and goes with the frame of their next action.
    act(page, button(page, "Resample").click)
    assert message.text_content() == "" and seed.get_attribute("aria-invalid") is None
    expect_cleared(seed, message)
    expect(seed).to_have_value("0")


def test_the_servers_refusal_of_a_seed_is_said_beside_its_box(page: Page, server: Server, watched: Watch) -> None:
    refuse_on_the_server(page, "playground", lambda command: "seed" in command, "this seed is kept for the teacher")
    open_playground(page, server)
    seed = in_playground(page).get_by_role("spinbutton", name="Seed")
    type_into(seed, "12")
    message = expect_refused(seed, "This seed is kept for the teacher.", "0")
    expect(in_playground(page).locator('[data-readout="status"]')).not_to_contain_text("teacher")
    act(page, button(page, "Eval mode").click)
    expect_cleared(seed, message)
