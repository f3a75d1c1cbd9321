"""The ensemble grid in a real browser, used as a student would: with the mouse, the keyboard and links.
What the page shows is checked against the figure computed here, in the test, from the same settings.

Each test waits on what the page shows (a frame counter on the figure, texts, attributes), never on
fixed delays.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from figure_page import FigureOnPage, server_notice, wait_until_every_figure_is_built
from playwright.sync_api import Locator, Page, expect

from dropout_playground.figures import EnsembleGrid
from dropout_playground.protocol import FIGURES

settings_from_query = FIGURES["ensemble-grid"].settings_from_query

# The fixtures (conftest.py) hand these out: the running server, and what a page did.
Server = Any
Watch = Any

GRID = FigureOnPage("ensemble-grid", "grid.")
FIGURE = GRID.selector
frames = GRID.frames
wait_for_frame_after = GRID.wait_for_frame_after
open_grid = GRID.open
act = GRID.act
address_settings = GRID.address_settings


def engine(settings: dict[str, str]) -> EnsembleGrid:
    """The figure the page should be showing, computed here from the same settings."""
    parsed, problems = settings_from_query(settings)
    assert problems == []
    return EnsembleGrid(parsed)


def glyphs(page: Page) -> list[str]:
    """Each tile's mask as the dots show it: 1 kept, 0 dropped, hidden layer 1's units first."""
    script = """tiles => tiles.map(tile => [...tile.querySelectorAll('.gr-dot')]
        .map(dot => dot.classList.contains('is-kept') ? '1' : '0').join(''))"""
    result: list[str] = page.eval_on_selector_all(f"{FIGURE} .gr-tile", script)
    return result


def tile_labels(page: Page) -> list[str]:
    return page.locator(f"{FIGURE} .gr-tile-map").evaluate_all("maps => maps.map(m => m.getAttribute('aria-label'))")


def percent(share: float, digits: int = 1) -> str:
    return f"{share * 100:.{digits}f}%"


def check_against_engine(page: Page) -> EnsembleGrid:
    """Every number on the figure is the engine's for the settings in the address (the address is written
    a moment after a frame: a test first waits for the setting it changed to appear there)."""
    settings = address_settings(page)
    figure = engine(settings)
    values = figure.frame().values
    grid = page.locator(FIGURE)
    members = figure.settings.members
    h1, h2 = figure.settings.hidden
    expect(grid.locator(".gr-tile")).to_have_count(members)
    expect(grid.locator('[data-counter="subnetworks"]')).to_have_text(values["counter_text"])
    expect(grid.locator('[data-counter="distinct"]')).to_have_text(
        f"{values['distinct']} of {members} masks distinct, {values['covered_text']}"
    )
    expect(grid.locator('[data-readout="likelihood"]')).to_have_text(values["likelihood_text"])
    assert glyphs(page) == ["".join("1" if kept else "0" for kept in row) for row in figure.masks]
    expected_labels = [
        f"Sub-network {i + 1}: {a} of {h1} and {b} of {h2} units kept, test accuracy {percent(acc, 0)}"
        for i, ((a, b), acc) in enumerate(zip(values["kept"], values["member_accuracy"]))
    ]
    assert tile_labels(page) == expected_labels
    kept = grid.locator(".gr-tile").evaluate_all("tiles => tiles.map(t => t.dataset.kept)")
    assert kept == [f"{a}/{h1} · {b}/{h2}" for a, b in values["kept"]]
    expect(grid.locator('[data-readout="average-accuracy"]')).to_have_text(percent(values["average_accuracy"]))
    expect(grid.locator('[data-readout="eval-accuracy"]')).to_have_text(percent(values["eval_accuracy"]))
    expect(grid.locator('[data-readout="agreement"]')).to_have_text(percent(values["agreement"]))
    expect(grid.locator('[data-readout="p"]')).to_have_text(f"{figure.settings.p:.2f}")
    return figure


def slider(page: Page) -> Locator:
    return page.locator(FIGURE).get_by_role("slider", name="Drop probability p")


def resample(page: Page) -> Locator:
    return page.locator(FIGURE).get_by_role("button", name="Resample", exact=True)


def members(page: Page, count: int) -> Locator:
    return page.locator(FIGURE).get_by_role("group", name="Members").get_by_role("radio", name=str(count), exact=True)


# -- what the figure shows ---------------------------------------------------------------------------


def test_it_opens_with_the_playgrounds_network_and_the_engines_numbers(page: Page, server: Server, watched: Watch):
    grid = open_grid(page, server)
    figure = check_against_engine(page)
    assert figure.frame().values["counter_text"] == "12 of 4,096 possible sub-networks"
    # The weights are those the playground opens with; what the student does there later does not reach them.
    weights = grid.locator('[data-readout="weights"]')
    expect(weights).to_contain_text("the playground's weights as it opens, trained at p = 0.5 for 800 steps")
    expect(weights).to_contain_text("training it further there does not change them")
    expect(weights).not_to_contain_text("Same weights as the playground")
    expect(grid.get_by_role("img", name=re.compile(r"^Average of the 12 members: decision map"))).to_be_visible()
    expect(grid.get_by_role("img", name=re.compile(r"^Eval network \(all units, no dropout\)"))).to_be_visible()
    expect(grid.get_by_text("Arithmetic mean of the members' class probabilities.")).to_be_visible()
    counters = grid.locator('[aria-live="polite"]:has([data-counter="subnetworks"])')
    expect(counters).to_have_count(1)
    expect(counters.locator('[data-readout="likelihood"]')).to_have_text(
        "At p = 0.5 every sub-network is equally likely: 1 in 4,096."
    )
    # A page opened without settings keeps a clean address until the student changes something.
    assert "grid." not in page.url
    act(page, resample(page).click)
    expect(page).to_have_url(
        re.compile(r"grid\.p=0\.5&grid\.members=12&grid\.dataset=blobs&grid\.hidden=6,6&grid\.seed=0&grid\.draw=1$")
    )


# -- the controls, by mouse and by keyboard -----------------------------------------------------------


def test_the_p_slider_by_keyboard_and_by_mouse(page: Page, server: Server, watched: Watch):
    grid = open_grid(page, server)
    slider(page).focus()
    page.keyboard.press("Home")
    expect(grid.locator('[data-readout="p"]')).to_have_text("0.00")
    # At p = 0 every member keeps every unit, and is the eval network.
    expect(grid.locator('[data-counter="distinct"]')).to_have_text(
        "1 of 12 masks distinct, carrying 100 % of the probability"
    )
    expect(grid.locator('[data-readout="agreement"]')).to_have_text("100.0%")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(grid.locator('[data-readout="p"]')).to_have_text("0.10")
    expect(page).to_have_url(re.compile(r"grid\.p=0\.1(&|$)"))
    check_against_engine(page)
    box = slider(page).bounding_box()
    assert box is not None
    slider(page).click(position={"x": box["width"] * 0.85, "y": box["height"] / 2})
    expect(grid.locator('[data-readout="p"]')).not_to_have_text("0.10")
    expect(page).not_to_have_url(re.compile(r"grid\.p=0\.1(&|$)"))
    assert float(address_settings(page)["p"]) >= 0.6
    check_against_engine(page)


def test_members_by_mouse_and_by_keyboard_keep_the_first_members(page: Page, server: Server, watched: Watch):
    grid = open_grid(page, server)
    first = glyphs(page)
    expect(members(page, 12)).to_be_checked()
    act(page, lambda: grid.locator("label", has_text=re.compile(r"^24$")).click())
    expect(members(page, 24)).to_be_checked()
    expect(grid.locator(".gr-tile")).to_have_count(24)
    assert glyphs(page)[:12] == first
    expect(page).to_have_url(re.compile(r"grid\.members=24"))
    check_against_engine(page)
    # Arrow keys move through a radio group and choose as they go: 24 → 12 → 6.
    members(page, 24).focus()
    page.keyboard.press("ArrowLeft")
    expect(members(page, 12)).to_be_checked()
    expect(grid.locator(".gr-tile")).to_have_count(12)
    page.keyboard.press("ArrowLeft")
    expect(members(page, 6)).to_be_checked()
    expect(grid.locator(".gr-tile")).to_have_count(6)
    assert glyphs(page) == first[:6]
    expect(grid.locator('[data-counter="subnetworks"]')).to_have_text("6 of 4,096 possible sub-networks")
    expect(page).to_have_url(re.compile(r"grid\.members=6"))
    check_against_engine(page)


def test_resample_by_mouse_and_by_keyboard(page: Page, server: Server, watched: Watch):
    open_grid(page, server)
    first = glyphs(page)
    act(page, resample(page).click)
    expect(page).to_have_url(re.compile(r"grid\.draw=1(&|$)"))
    assert glyphs(page) != first
    check_against_engine(page)
    resample(page).focus()
    act(page, lambda: page.keyboard.press("Enter"))
    act(page, lambda: page.keyboard.press("Space"))
    expect(page).to_have_url(re.compile(r"grid\.draw=3(&|$)"))
    check_against_engine(page)


def test_the_controls_are_reached_in_order_with_tab(page: Page, server: Server, watched: Watch):
    open_grid(page, server)
    slider(page).focus()
    page.keyboard.press("Tab")
    expect(members(page, 12)).to_be_focused()
    page.keyboard.press("Tab")
    expect(resample(page)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(FIGURE).get_by_role("combobox", name="Dataset")).to_be_focused()


def test_the_dataset_select_rebuilds_the_network(page: Page, server: Server, watched: Watch):
    grid = open_grid(page, server)
    act(page, resample(page).click)
    act(page, lambda: grid.get_by_role("combobox", name="Dataset").select_option("moons"))
    expect(page).to_have_url(re.compile(r"grid\.dataset=moons"))
    expect(page).to_have_url(re.compile(r"grid\.draw=0(&|$)"))
    figure = check_against_engine(page)
    assert figure.classes == 2
    # The large maps show the new training points, one dot each.
    expect(grid.locator('[data-map="eval"] .gr-point')).to_have_count(len(figure.data.x_train))


# -- links -------------------------------------------------------------------------------------------


def test_a_link_shows_the_same_members(page: Page, server: Server, watched: Watch, watch_page: Callable[[Page], Watch]):
    grid = open_grid(page, server)
    slider(page).fill("0.3")
    expect(grid.locator('[data-readout="p"]')).to_have_text("0.30")
    act(page, lambda: grid.locator("label", has_text=re.compile(r"^6$")).click())
    act(page, resample(page).click)
    act(page, resample(page).click)
    expect(page).to_have_url(
        re.compile(r"grid\.p=0\.3&grid\.members=6&grid\.dataset=blobs&grid\.hidden=6,6&grid\.seed=0&grid\.draw=2")
    )
    shown, labels = glyphs(page), tile_labels(page)
    readouts = [grid.locator(f'[data-readout="{name}"]').inner_text() for name in ("agreement", "average-accuracy")]

    again = page.context.new_page()
    seen = watch_page(again)
    open_grid(again, server, page.url.removeprefix(server.url))
    assert glyphs(again) == shown and tile_labels(again) == labels
    other = again.locator(FIGURE)
    assert [
        other.locator(f'[data-readout="{name}"]').inner_text() for name in ("agreement", "average-accuracy")
    ] == readouts
    expect(members(again, 6)).to_be_checked()
    expect(other.get_by_role("slider", name="Drop probability p")).to_have_value("0.3")
    assert seen.errors == []


def test_a_bad_address_is_reported_politely(page: Page, server: Server, watched: Watch):
    grid = open_grid(page, server, "?grid.members=7&grid.seed=2")
    expect(grid.get_by_role("status")).to_contain_text(
        "members=7 in the address was ignored: members must be 6, 12 or 24, got 7"
    )
    expect(grid.locator(".gr-tile")).to_have_count(12)
    # The address now holds what the figure shows: the refused value is gone.
    expect(page).to_have_url(re.compile(r"grid\.members=12&grid\.dataset=blobs&grid\.hidden=6,6&grid\.seed=2"))
    check_against_engine(page)


# -- layout ------------------------------------------------------------------------------------------


def test_phone_width_reflows_the_tiles_without_horizontal_scrolling(page: Page, server: Server, watched: Watch):
    page.set_viewport_size({"width": 360, "height": 740})
    grid = open_grid(page, server)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    boxes = [grid.locator(".gr-tile").nth(i).bounding_box() for i in range(4)]
    assert all(box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360 for box in boxes)
    tops = [round(box["y"]) for box in boxes if box is not None]
    assert tops[0] == tops[1] == tops[2] < tops[3]  # three to a row
    for control in (slider(page), resample(page), members(page, 24).locator("xpath=following-sibling::label[1]")):
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    for name in ("average", "eval"):
        box = grid.locator(f'[data-map="{name}"]').bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360


def test_a_lost_connection_is_announced_and_the_grid_comes_back(page: Page, launch_server: Callable[[int], Server]):
    own = launch_server(0)
    port = int(own.netloc.rsplit(":", 1)[1])
    try:
        grid = open_grid(page, own)
        wait_until_every_figure_is_built(page)
        own.stop()
        expect(server_notice(page)).to_contain_text("The connection to the playground server was lost")
        expect(grid).to_have_class(re.compile(r"\bis-offline\b"))
        own = launch_server(port)
        expect(server_notice(page)).to_contain_text("Connection restored", timeout=10_000)
        expect(grid).not_to_have_class(re.compile(r"\bis-offline\b"))
        act(page, resample(page).click)
        expect(page).to_have_url(re.compile(r"grid\.draw=1(&|$)"))
        wait_until_every_figure_is_built(page)
    finally:
        if own.process.poll() is None:
            own.stop()
