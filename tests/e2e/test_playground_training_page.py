"""The playground's live training in a real browser: the speed choice, the loss and accuracy curves under
the map, what the figure says training does, the cap, and the probe the page opens at."""

from __future__ import annotations

import re
import time
from typing import Any

from figure_page import FigureOnPage
from playwright.sync_api import Locator, Page, expect

Server = Any
Watch = Any

PLAYGROUND = FigureOnPage("playground", "")
in_playground = PLAYGROUND.element
open_playground = PLAYGROUND.open
act = PLAYGROUND.act


def steps(page: Page) -> int:
    return int(in_playground(page).locator('[data-readout="steps"]').inner_text().replace(",", ""))


def button(page: Page, name: str) -> Locator:
    return in_playground(page).get_by_role("button", name=name, exact=True)


def speed(page: Page) -> Locator:
    return in_playground(page).get_by_role("combobox", name="Training speed")


def settled_steps(page: Page) -> int:
    """The step count once the answers to requests still in flight when training stopped have come."""
    last = steps(page)
    while True:
        time.sleep(0.3)
        now = steps(page)
        if now == last:
            return now
        last = now


def wait_for_steps_above(page: Page, count: int, timeout: float = 20_000) -> None:
    page.wait_for_function(
        "(n) => Number(document.querySelector('[data-figure=playground] [data-readout=steps]')"
        ".textContent.replace(/,/g, '')) > n",
        arg=count,
        timeout=timeout,
    )


def test_the_prediction_changes_with_each_sub_network_where_the_page_opens(
    page: Page, server: Server, watched: Watch
) -> None:
    # "Resample, and the Prediction changes with it": at the probe the page opens at, 30 sub-networks
    # give at least 20 different predictions (at a probe where most units output 0 they gave 6).
    open_playground(page, server)
    seen = set()
    for _ in range(30):
        seen.add(in_playground(page).locator('[data-readout="prediction"]').inner_text())
        act(page, lambda: button(page, "Resample").click())
    assert len(seen) >= 20, f"only {len(seen)} different predictions over 30 sub-networks"


def test_training_follows_the_chosen_speed_and_the_curves_grow_under_the_map(
    page: Page, server: Server, watched: Watch
) -> None:
    open_playground(page, server)
    summary = in_playground(page).locator('[data-readout="curves"]')
    expect(summary).to_contain_text("after 800 steps")
    # The charts stand under the map, in the same column.
    map_box = in_playground(page).locator(".pg-map-column .pg-panel-map").bounding_box()
    charts = in_playground(page).locator(".pg-curve-charts").bounding_box()
    assert map_box is not None and charts is not None and charts["y"] >= map_box["y"] + map_box["height"] - 1

    # Slow is 100 steps a second: the page's clock never asks for more, however fast the server is (at
    # most the steps owed by the clock, plus half a second of backlog, plus what the first requests ask).
    speed(page).select_option("slow")
    expect(page).to_have_url(re.compile(r"training_speed=slow"))
    train = button(page, "Train network")
    started = time.monotonic()
    train.click()
    wait_for_steps_above(page, 900)
    time.sleep(1.0)
    train.click()
    elapsed = time.monotonic() - started
    expect(train).to_have_attribute("aria-pressed", "false")
    trained = settled_steps(page) - 800
    assert 100 <= trained <= 100 * elapsed + 50 + 2 * 400, f"{trained} steps in {elapsed:.1f} s at Slow"
    # The curves and their sentence follow the steps.
    shown = f"{steps(page):,}"
    expect(summary).to_contain_text(f"after {shown} steps")
    expect(in_playground(page).locator('[data-readout="steps"]')).to_have_text(shown)

    # Fast trains on from there, and the choice survives in a link.
    speed(page).select_option("fast")
    expect(page).to_have_url(re.compile(r"training_speed=fast"))
    before = steps(page)
    train.click()
    wait_for_steps_above(page, before + 500)
    train.click()
    expect(train).to_have_attribute("aria-pressed", "false")
    page.goto(page.url)
    PLAYGROUND.wait_for_frame_after(page, 0)
    expect(speed(page)).to_have_value("fast")


def test_the_figure_says_what_training_does_in_either_mode_and_what_an_untrained_network_is(
    page: Page, server: Server, watched: Watch
) -> None:
    open_playground(page, server)
    note = in_playground(page).locator('[data-readout="training-note"]')
    expect(note).to_contain_text("Training drops units at p = 0.50")
    expect(note).to_contain_text("sub-network drawn last")
    act(page, lambda: button(page, "Eval mode").click())
    expect(note).to_contain_text("Training drops units at p = 0.50")
    expect(note).to_contain_text("the picture shows the eval network")
    act(page, lambda: button(page, "Reset").click())
    expect(note).to_contain_text("Untrained")
    expect(note).to_contain_text("not a classifier")
    # Training from there, in eval mode, still trains, and the note drops its warning.
    button(page, "Train network").click()
    wait_for_steps_above(page, 50)
    button(page, "Train network").click()
    expect(note).not_to_contain_text("Untrained")


def test_training_stops_by_itself_at_the_most_steps_a_link_replays(page: Page, server: Server, watched: Watch) -> None:
    open_playground(page, server, "?training=19950@0.5")
    train = button(page, "Train network")
    train.click()
    expect(in_playground(page).locator('[data-readout="steps"]')).to_have_text("20,000", timeout=20_000)
    expect(train).to_have_attribute("aria-pressed", "false")
    train.click()
    expect(in_playground(page).locator('[data-readout="status"]')).to_contain_text("most steps a link can replay")
    expect(train).to_have_attribute("aria-pressed", "false")


def test_on_a_phone_the_controls_that_change_the_picture_share_a_screen_with_the_map(
    page: Page, server: Server, watched: Watch
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_playground(page, server)
    slider = in_playground(page).get_by_role("slider", name="Drop probability p")
    slider.scroll_into_view_if_needed()
    page.evaluate("(y) => window.scrollBy(0, y)", slider.bounding_box()["y"] - 8)
    top = slider.bounding_box()
    heatmap = in_playground(page).locator(".pg-panel-map").bounding_box()
    resample = button(page, "Resample").bounding_box()
    modes = button(page, "Eval mode").bounding_box()
    assert top and heatmap and resample and modes
    # With the slider at the top of the screen, the whole map, Resample and the mode are on it too.
    for box in (heatmap, resample, modes):
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844, box
