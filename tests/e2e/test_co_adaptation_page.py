"""Co-adaptation, measured, in a real browser, used as a student would: the dataset menu and the k slider,
with the mouse and the keyboard, the chart itself, and links.

What the page shows is checked against the figure built here, in the test's own process, from the same
page address: the same settings give the same numbers, so every readout, every cell of the table and
every value under the chart's cursor must be the engine's. Waits are on the figure's frame counter, on
texts and on attributes, never on fixed delays.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from figure_page import FigureOnPage
from playwright.sync_api import Locator, Page, expect

from dropout_playground.figures import CoAdaptation
from dropout_playground.protocol import FIGURES

settings_from_query = FIGURES["co-adaptation"].settings_from_query

# The fixtures (conftest.py) hand these out: the running server, and what a page did.
Server = Any
Watch = Any

COAD = FigureOnPage("co-adaptation", "coad.")
FIGURE = COAD.selector
figure = COAD.element
frames = COAD.frames
open_figure = COAD.open
act = COAD.act
address_settings = COAD.address_settings

BUSY_TEXT = "Training and measuring…"


# -- the numbers as the page writes them (web/co-adaptation/format.ts, k-slider.ts, readouts.ts) ---------


# JavaScript's toFixed rounds the exact binary value half up; Python's formatting rounds half to even.
# Decimal(float) is exact, so rounding it half up writes what the browser writes.


def tenths(fraction: float) -> str:
    return str(Decimal(float(fraction) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP))


def percent(fraction: float) -> str:
    return f"{tenths(fraction)}%"


def band(low: float, high: float) -> str:
    a, b = tenths(low), tenths(high)
    return f"{a}%" if a == b else f"{a}–{b}%"


def p_text(p: float) -> str:
    return f"{p:g}"


def network_name(p: float) -> str:
    return f"trained with p = {p_text(p)} (no dropout)" if p == 0 else f"trained with p = {p_text(p)}"


def readout_text(frame: Any, i: int) -> str:
    values, arrays = frame.values, frame.arrays
    k, units = int(arrays["k"][i]), values["units"]
    p0, p1 = (p_text(p) for p in values["ps"])
    a, b = (float(arrays[f"{name}_mean"][i]) for name in ("none", "dropout"))
    networks = f"p = {p0} network {percent(a)}, p = {p1} network {percent(b)}"
    if k == 0:
        return f"With no units removed: {networks}."
    if k == units:
        return f"With all {units} units removed: {networks}."
    low, high = (band(float(arrays[f"{n}_low"][i]), float(arrays[f"{n}_high"][i])) for n in ("none", "dropout"))
    return (
        f"With {k} of {units} units removed: {networks} (mean over {values['choices']} random sets of {k} units, "
        f"the same for both networks; 10th–90th percentile {low} and {high})."
    )


def hover_text(frame: Any, i: int) -> str:
    p0, p1 = (p_text(p) for p in frame.values["ps"])
    a, b = (float(frame.arrays[f"{name}_mean"][i]) for name in ("none", "dropout"))
    return f"k = {int(frame.arrays['k'][i])}: p = {p0} network {percent(a)}, p = {p1} network {percent(b)}"


def summary_text(values: dict[str, Any]) -> str:
    units, half, p0, p1 = values["units"], values["half"], *(p_text(p) for p in values["ps"])
    full = values["full_accuracy"]
    return (
        f"Test accuracy on {values['test_points']} test points against k, the number of hidden units removed at "
        f"test time, from 0 to {units}. With all {units} units in place, the network trained with p = {p0} "
        f"classifies {percent(full[0])} of them correctly and the one trained with p = {p1} {percent(full[1])}; "
        f"with {half['k']} of the {units} removed, {percent(half['accuracy'][0])} and "
        f"{percent(half['accuracy'][1])} (mean over {values['choices']} random sets)."
    )


def caption_text(values: dict[str, Any]) -> str:
    hidden = values["hidden"]
    layers = " and ".join([", ".join(map(str, hidden[:-1])), str(hidden[-1])]) if len(hidden) > 1 else str(hidden[0])
    p0, p1 = (p_text(p) for p in values["ps"])
    train = values["train_accuracy"]
    units = values["units"]
    return (
        f"Two networks with hidden layers of {layers} units (N = {units}), trained for "
        f"{values['train_steps']:,} steps on the same {values['settings']['dataset']} data with the same "
        f"minibatches, one with p = {p0} and one with p = {p1} (training accuracy {percent(train[0])} and "
        f"{percent(train[1])}). At test time k of the {units} hidden units are removed: their outputs are set to 0 "
        f"and nothing is rescaled. Lines: mean test accuracy on {values['test_points']} test points over "
        f"{values['choices']} random sets of k units, the same sets for both networks; bands: 10th to 90th "
        "percentile."
    )


_frames: dict[tuple[str, int], Any] = {}


def engine(settings: dict[str, str]) -> Any:
    """The frame the page should be showing, computed here from the same address settings."""
    parsed, problems = settings_from_query(settings)
    assert problems == []
    key = (parsed.dataset, parsed.seed)
    if key not in _frames:
        _frames[key] = CoAdaptation(parsed).frame()
    return _frames[key]


# -- driving the page -------------------------------------------------------------------------------------


def readout(page: Page, name: str) -> Locator:
    return figure(page).locator(f'[data-readout="{name}"]')


def dataset_menu(page: Page) -> Locator:
    return figure(page).get_by_role("combobox", name="Dataset")


def k_slider(page: Page) -> Locator:
    return figure(page).get_by_role("slider", name="Units removed k")


def index_of(frame: Any, k: int) -> int:
    return [int(v) for v in frame.arrays["k"]].index(k)


def check_k(page: Page, frame: Any, k: int) -> None:
    """The slider, its readout and the table's marked row all say k, with the engine's numbers."""
    units = frame.values["units"]
    expect(k_slider(page)).to_have_value(str(k))
    expect(k_slider(page)).to_have_attribute("aria-valuetext", f"{k} of {units} units removed")
    expect(readout(page, "k")).to_have_text(f"{k} of {units}")
    expect(readout(page, "at-k")).to_have_text(readout_text(frame, index_of(frame, k)))
    current = readout(page, "numbers").locator("tbody tr.is-current")
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("data-k", str(k))


def hover_chart_at(page: Page, frame: Any, k: int) -> None:
    """Point at k on the chart; uPlot's cursor snaps to the nearest k the frame holds."""
    over = figure(page).locator(".coad-plot .u-over")
    box = over.bounding_box()
    assert box is not None
    # Half a pixel inside at either end: on the edge itself the pointer has left the plot.
    x = box["x"] + 0.5 + (box["width"] - 1) * k / frame.values["units"]
    page.mouse.move(x, box["y"] + box["height"] / 2)


def check_against_engine(page: Page) -> Any:
    """Every number on the figure is the engine's for the settings in the address (the address is written a
    moment after a frame: a test first waits for the setting it changed to appear there)."""
    frame = engine(address_settings(page))
    values, arrays = frame.values, frame.arrays
    settings = values["settings"]
    expect(dataset_menu(page)).to_have_value(settings["dataset"])
    expect(readout(page, "seed")).to_have_text(str(settings["seed"]))
    expect(readout(page, "caption")).to_have_text(caption_text(values))
    expect(readout(page, "summary")).to_have_text(summary_text(values))
    expect(figure(page).locator(".coad-title")).to_have_text(
        f"Test accuracy with k of the {values['units']} hidden units removed at test time"
    )
    legend = figure(page).locator(".coad-legend")
    for key, p in zip(("none", "dropout"), values["ps"]):
        name = network_name(p)
        expect(legend.locator(f'[data-series="{key}"]')).to_have_text(name[0].upper() + name[1:])
    slider = k_slider(page)
    expect(slider).to_have_attribute("min", "0")
    expect(slider).to_have_attribute("max", str(values["units"]))
    expect(slider).to_have_attribute("step", str(int(arrays["k"][1] - arrays["k"][0])))
    # The table: one row per k, each with both networks' mean, 10th and 90th percentile.
    cells: list[str] = []
    for i, k in enumerate(arrays["k"]):
        cells.append(str(int(k)))
        for name in ("none", "dropout"):
            cells += [percent(float(arrays[f"{name}_{stat}"][i])) for stat in ("mean", "low", "high")]
    expect(readout(page, "numbers").locator("tbody tr > *")).to_have_text(cells)
    # The slider's k, wherever it is, reads the same frame.
    shown = int(slider.input_value())
    check_k(page, frame, shown)
    return frame


# -- what the figure shows ------------------------------------------------------------------------------


def test_it_opens_with_the_engines_numbers_and_the_slider_at_half(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    frame = check_against_engine(page)
    values = frame.values
    assert values["settings"] == {"dataset": "spiral", "seed": 0}
    check_k(page, frame, values["half"]["k"])
    expect(readout(page, "at-k")).to_contain_text(f"With {values['half']['k']} of {values['units']} units removed")
    # The chart is drawn, tall enough for a phone, and hidden from screen readers: the summary speaks for it.
    canvas = figure(page).locator(".coad-plot canvas")
    expect(canvas).to_have_count(1)
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 500 and box["height"] >= 240
    expect(figure(page).locator(".coad-plot-wrap")).to_have_attribute("aria-hidden", "true")
    # The chart's own data: under the cursor, at each end and in between, it is the engine's.
    for k in (0, 16, values["half"]["k"], values["units"]):
        hover_chart_at(page, frame, k)
        expect(readout(page, "hover")).to_have_text(hover_text(frame, index_of(frame, k)))
    # Its numbers are there for anyone who cannot see it, behind "The numbers".
    figure(page).locator("details.coad-numbers summary").click()
    expect(readout(page, "numbers")).to_be_visible()
    # A page opened without settings keeps a clean address.
    assert "coad." not in page.url


# -- the controls, by mouse and by keyboard -----------------------------------------------------------


def test_the_k_slider_by_keyboard_moves_the_readout_and_asks_for_nothing(
    page: Page, server: Server, watched: Watch
) -> None:
    open_figure(page, server)
    frame = engine({})
    units = frame.values["units"]
    drawn = frames(page)
    k_slider(page).focus()
    page.keyboard.press("Home")
    check_k(page, frame, 0)
    expect(readout(page, "at-k")).to_have_text(readout_text(frame, 0))
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    check_k(page, frame, 6)
    page.keyboard.press("End")
    check_k(page, frame, units)
    expect(readout(page, "at-k")).to_contain_text(f"With all {units} units removed")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowDown")
    check_k(page, frame, units - 4)
    page.keyboard.press("ArrowUp")
    check_k(page, frame, units - 2)
    # k is where the student reads the chart: no command, no frame, nothing in the address.
    assert frames(page) == drawn
    assert "coad." not in page.url
    expect(k_slider(page)).to_be_focused()


def test_the_k_slider_and_the_chart_by_mouse(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    frame = engine({})
    slider = k_slider(page)
    box = slider.bounding_box()
    assert box is not None
    slider.click(position={"x": box["width"] * 0.15, "y": box["height"] / 2})
    expect(slider).not_to_have_value(str(frame.values["half"]["k"]))
    k = int(slider.input_value())
    assert k < frame.values["half"]["k"]
    check_k(page, frame, k)
    # A click on the chart chooses the k under the pointer.
    hover_chart_at(page, frame, 48)
    expect(readout(page, "hover")).to_have_text(hover_text(frame, index_of(frame, 48)))
    page.mouse.down()
    page.mouse.up()
    check_k(page, frame, 48)


def test_the_dataset_by_mouse_and_by_keyboard_shows_its_curves(page: Page, server: Server, watched: Watch) -> None:
    # A seed no other test uses: these networks are trained when the student asks for them.
    open_figure(page, server, "?coad.seed=5")
    frame = check_against_engine(page)
    k_slider(page).focus()
    page.keyboard.press("Home")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    check_k(page, frame, 10)

    before = frames(page)
    dataset_menu(page).select_option("moons")
    # Training and measuring takes a moment: the figure says so rather than nothing.
    expect(figure(page)).to_have_attribute("aria-busy", "true")
    expect(readout(page, "busy")).to_have_text(BUSY_TEXT)
    expect(readout(page, "busy")).to_be_visible()
    COAD.wait_for_frame_after(page, before)
    expect(figure(page)).not_to_have_attribute("aria-busy", "true")
    expect(readout(page, "busy")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"coad\.dataset=moons&coad\.seed=5$"))
    moons = check_against_engine(page)
    # The student's k stays where it was, now reading the new curves.
    check_k(page, moons, 10)
    assert readout_text(moons, index_of(moons, 10)) != readout_text(frame, index_of(frame, 10))
    hover_chart_at(page, moons, 40)
    expect(readout(page, "hover")).to_have_text(hover_text(moons, index_of(moons, 40)))

    # From the keyboard: the previous dataset in the menu.
    dataset_menu(page).focus()
    act(page, lambda: page.keyboard.press("ArrowUp"))
    expect(dataset_menu(page)).to_have_value("spiral")
    expect(page).to_have_url(re.compile(r"coad\.dataset=spiral&coad\.seed=5$"))
    check_against_engine(page)
    check_k(page, frame, 10)


# -- links -------------------------------------------------------------------------------------------


def test_the_address_reproduces_what_was_seen(
    page: Page, server: Server, watched: Watch, watch_page: Callable[[Page], Watch]
) -> None:
    open_figure(page, server, "?coad.dataset=moons&coad.seed=3")
    check_against_engine(page)
    expect(dataset_menu(page)).to_have_value("moons")
    act(page, lambda: dataset_menu(page).select_option("spiral"))
    expect(page).to_have_url(re.compile(r"coad\.dataset=spiral&coad\.seed=3$"))
    check_against_engine(page)
    shown = [readout(page, name).inner_text() for name in ("summary", "caption", "at-k")]
    link = page.url

    again = page.context.new_page()
    seen = watch_page(again)
    open_figure(again, server, link.removeprefix(server.url))
    assert [readout(again, name).inner_text() for name in ("summary", "caption", "at-k")] == shown
    expect(dataset_menu(again)).to_have_value("spiral")
    check_against_engine(again)
    assert seen.errors == []


# -- refusals -----------------------------------------------------------------------------------------


def test_a_bad_address_is_reported_politely(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?coad.dataset=blobs&coad.seed=2")
    expect(figure(page).get_by_role("status")).to_contain_text(
        "dataset=blobs in the address was ignored: dataset must be one of spiral, moons, got 'blobs'"
    )
    expect(dataset_menu(page)).to_have_value("spiral")
    # The address now holds what the figure shows: the refused value is gone.
    expect(page).to_have_url(re.compile(r"coad\.dataset=spiral&coad\.seed=2$"))
    check_against_engine(page)


def test_a_refused_dataset_shows_the_servers_reason_and_the_menu_returns(
    page: Page, server: Server, watched: Watch
) -> None:
    open_figure(page, server)
    frame = check_against_engine(page)
    drawn = frames(page)
    # A choice the server does not offer (as an out-of-date page might send).
    dataset_menu(page).evaluate("menu => menu.add(new Option('blobs', 'blobs'))")
    dataset_menu(page).select_option("blobs")
    status = figure(page).get_by_role("status")
    expect(status).to_have_text("dataset must be one of spiral, moons, got 'blobs'")
    expect(status).to_have_attribute("data-kind", "error")
    expect(dataset_menu(page)).to_have_value("spiral")
    expect(figure(page)).not_to_have_attribute("aria-busy", "true")
    expect(readout(page, "busy")).to_be_hidden()
    assert frames(page) == drawn
    check_against_engine(page)
    check_k(page, frame, frame.values["half"]["k"])


# -- motion ---------------------------------------------------------------------------------------------


def test_nothing_changes_until_asked(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    assert frames(page) == 1
    # Nothing here plays by itself: the only frames are the first and the one each dataset change asks for.
    k_slider(page).focus()
    for key in ("Home", "ArrowRight", "ArrowRight", "End", "ArrowLeft"):
        page.keyboard.press(key)
    act(page, lambda: dataset_menu(page).select_option("moons"))
    assert frames(page) == 2
    act(page, lambda: dataset_menu(page).select_option("spiral"))
    assert frames(page) == 3
    expect(page).to_have_url(re.compile(r"coad\.dataset=spiral&coad\.seed=0$"))
    check_against_engine(page)


# -- layout and access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [360, 390])
def test_phone_width_has_no_horizontal_scrolling(page: Page, server: Server, watched: Watch, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 844})
    open_figure(page, server)
    figure(page).locator("details.coad-numbers summary").click()
    expect(readout(page, "numbers")).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    canvas = figure(page).locator(".coad-plot canvas")
    for control in (dataset_menu(page), k_slider(page), canvas, readout(page, "at-k"), readout(page, "numbers")):
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, control
    chart = canvas.bounding_box()
    assert chart is not None and chart["height"] >= 240
    # The menu, the chart and the k slider are on one phone screen together.
    figure(page).evaluate("el => el.scrollIntoView({ block: 'start' })")
    for control in (dataset_menu(page), canvas, k_slider(page)):
        box = control.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844, control
    # The chart follows its box when the window grows.
    before = canvas.bounding_box()
    assert before is not None
    page.set_viewport_size({"width": 700, "height": 844})
    page.wait_for_function(
        "([selector, w]) => document.querySelector(selector).getBoundingClientRect().width > w",
        arg=[f"{FIGURE} .coad-plot canvas", before["width"] + 100],
    )


def test_every_control_has_an_accessible_name_and_the_readouts_are_announced(
    page: Page, server: Server, watched: Watch
) -> None:
    open_figure(page, server)
    expect(figure(page)).to_have_attribute("role", "group")
    for control in figure(page).locator("input, select").all():
        name = control.evaluate("e => e.labels && e.labels.length ? e.labels[0].textContent.trim() : ''")
        assert name, control
    expect(k_slider(page)).to_be_visible()
    expect(dataset_menu(page)).to_be_visible()
    # The readouts that change are announced politely.
    for name in ("at-k", "summary", "busy"):
        expect(readout(page, name).locator("xpath=ancestor-or-self::*[@aria-live='polite']")).to_have_count(1)
    # Tab goes from the menu to the k slider (the chart in between takes no focus).
    dataset_menu(page).focus()
    page.keyboard.press("Tab")
    expect(k_slider(page)).to_be_focused()
