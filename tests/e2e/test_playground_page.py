"""The playground page in a real browser, used as a student would: with the mouse, the keyboard and links.

Each test waits on what the page shows (a frame counter on the figure, texts, attributes), never on
fixed delays, except where the point is that nothing happens.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from figure_page import FigureOnPage
from playwright.sync_api import Browser, Locator, Page, expect

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
    expect(probe).not_to_have_text("(0.00, 0.20)")
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
        own.stop()
        status = in_playground(page).get_by_role("status")
        expect(status).to_contain_text("Connection to the playground server lost")
        expect(page.locator(FIGURE)).to_have_class(re.compile(r"\bis-offline\b"))
        own = launch_server(port)
        expect(status).to_contain_text("Connection restored", timeout=10_000)
        expect(page.locator(FIGURE)).not_to_have_class(re.compile(r"\bis-offline\b"))
        act(page, button(page, "Resample").click)
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
