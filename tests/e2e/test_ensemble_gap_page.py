"""Exact versus sampled ensemble in a real browser, used as a student would: the network choice, the
choice of p, the dataset and the seed, with the mouse and the keyboard, and links.

What the page prints is checked against the figure run here in the test's own process: the same
settings give the same numbers, so every readout must be the engine's. Waits are on the figure's frame
counter and on texts, never on fixed delays.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from figure_page import FigureOnPage
from playwright.sync_api import Locator, Page, expect
from refusals import expect_cleared, expect_refused, type_into

from dropout_playground.figures import EnsembleGap, EnsembleGapSettings
from dropout_playground.figures.checks import MAX_SEED
from dropout_playground.figures.ensemble_gap import P_CHOICES

Server = Any
Watch = Any

GAP = FigureOnPage("ensemble-gap", "gap.")
FIGURE = GAP.selector
figure = GAP.element
frames = GAP.frames
wait_for_frame_after = GAP.wait_for_frame_after
open_figure = GAP.open
act = GAP.act


# -- the numbers as the page writes them (web/ensemble-gap/format.ts) -----------------------------------


# JavaScript's toFixed and toExponential round the exact binary value half up; Python's formatting rounds
# half to even. Decimal(float) is exact, so rounding it half up writes what the browser writes.


def distance(value: float) -> str:
    """Three significant figures: a decimal down to 0.001, a power of ten below (1.23 × 10⁻¹⁶), as the
    chart's axis writes them."""
    if value == 0:
        return "0"
    exact = Decimal(value)
    exponent = exact.adjusted()
    mantissa = (exact.scaleb(-exponent)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if abs(mantissa) >= 10:  # 9.995 rounds up to the next power of ten
        mantissa, exponent = (mantissa / 10).quantize(Decimal("0.01"), ROUND_HALF_UP), exponent + 1
    if exponent >= -3:
        return f"{mantissa.scaleb(exponent):f}"
    return f"{mantissa} × 10{str(exponent).translate(SUPERSCRIPT)}"


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
# What no number on the figure looks like: 2.48e-1.
E_NOTATION = re.compile(r"\d\.?\d*e[-+]?\d")


def percent(fraction: float) -> str:
    return f"{Decimal(fraction * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


_frames: dict[tuple[str, float, str, int], Any] = {}


def expected(network: str = "two-layer", p: float = 0.5, dataset: str = "blobs", seed: int = 0) -> Any:
    key = (network, p, dataset, seed)
    if key not in _frames:
        _frames[key] = EnsembleGap(EnsembleGapSettings(network=network, p=p, dataset=dataset, seed=seed)).frame()
    return _frames[key]


# -- driving the page -------------------------------------------------------------------------------------


def readout(page: Page, name: str) -> Locator:
    return figure(page).locator(f'[data-readout="{name}"]')


def radio(page: Page, name: str) -> Locator:
    return figure(page).get_by_role("radio", name=name, exact=True)


def p_choices(page: Page) -> Locator:
    return figure(page).get_by_role("radiogroup", name="Drop probability p")


def p_radio(page: Page, p: float) -> Locator:
    return p_choices(page).get_by_role("radio", name=str(p), exact=True)


def expect_p_checked(page: Page, p: float) -> None:
    for choice in P_CHOICES:
        if choice == p:
            expect(p_radio(page, choice)).to_be_checked()
        else:
            expect(p_radio(page, choice)).not_to_be_checked()


def check_readouts(page: Page, frame: Any) -> None:
    """Every readout, and the table of the chart's numbers, is the engine's."""
    values, arrays = frame.values, frame.arrays
    exact = values["exact"]
    raised = str(values["droppable_units"]).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    expect(readout(page, "subnetworks")).to_have_text(f"{values['subnetworks']:,} (2{raised})")
    expect(readout(page, "exact-arithmetic")).to_have_text(distance(exact["arithmetic_tv"]))
    expect(readout(page, "exact-geometric")).to_have_text(distance(exact["geometric_tv"]))
    expect(readout(page, "max-difference")).to_have_text(distance(exact["geometric_max_difference"]))
    expect(readout(page, "accuracy-eval")).to_have_text(percent(values["accuracy"]["eval"]))
    accuracy = values["accuracy"]
    for mean in ("arithmetic", "geometric"):
        cells = [percent(v) for v in accuracy[mean]] + [percent(accuracy[f"exact_{mean}"])]
        expect(readout(page, "accuracy").locator(f'tr[data-mean="{mean}"] td')).to_have_text(cells)
    matching = values["matching_k"]
    expect(readout(page, "matching-k")).to_contain_text(
        f"Not reached by K = {values['max_k']}" if matching is None else f"K = {matching}:"
    )
    rows = readout(page, "numbers").locator("tbody tr")
    expect(rows).to_have_count(len(arrays["k"]) + 1)
    for i in (0, len(arrays["k"]) // 2, len(arrays["k"]) - 1):
        texts = [
            f"{distance(float(arrays[f'{m}_mean'][i]))} "
            f"({distance(float(arrays[f'{m}_low'][i]))} to {distance(float(arrays[f'{m}_high'][i]))})"
            for m in ("arithmetic", "geometric")
        ]
        expect(rows.nth(i).locator("th")).to_have_text(str(arrays["k"][i]))
        expect(rows.nth(i).locator("td")).to_have_text(texts)
    expect(rows.last.locator("td")).to_have_text([distance(exact["arithmetic_tv"]), distance(exact["geometric_tv"])])


# -- what the figure shows ------------------------------------------------------------------------------


def test_on_load_the_readouts_are_the_engines_numbers(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    frame = expected()
    check_readouts(page, frame)
    expect(radio(page, "Two hidden layers (the playground's)")).to_be_checked()
    expect(readout(page, "verdict")).to_contain_text("Weight scaling is an approximation here")
    expect(readout(page, "summary")).to_contain_text("Two hidden layers, p = 0.5.")
    expect_p_checked(page, 0.5)
    # The chart is drawn: uPlot's canvas fills the plot box.
    canvas = figure(page).locator(".eg-plot canvas")
    expect(canvas).to_have_count(1)
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200
    # Its numbers are there for anyone who cannot see it, behind "The numbers".
    numbers = figure(page).locator("details.eg-numbers")
    numbers.locator("summary").click()
    expect(readout(page, "numbers")).to_be_visible()


def test_choosing_one_hidden_layer_by_mouse_shows_exact_weight_scaling(
    page: Page, server: Server, watched: Watch
) -> None:
    open_figure(page, server)
    act(page, lambda: figure(page).get_by_text("One hidden layer", exact=True).click())
    expect(radio(page, "One hidden layer")).to_be_checked()
    frame = expected(network="one-layer")
    assert frame.values["exact"]["geometric_is_eval"]
    check_readouts(page, frame)
    expect(readout(page, "verdict")).to_contain_text("Weight scaling is exact here")
    expect(page).to_have_url(re.compile(r"[?&]gap\.network=one-layer(&|$)"))


def test_the_network_choice_works_from_the_keyboard(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    radio(page, "Two hidden layers (the playground's)").focus()
    act(page, lambda: page.keyboard.press("ArrowRight"))
    expect(radio(page, "One hidden layer")).to_be_checked()
    expect(radio(page, "One hidden layer")).to_be_focused()
    check_readouts(page, expected(network="one-layer"))
    act(page, lambda: page.keyboard.press("ArrowLeft"))
    expect(radio(page, "Two hidden layers (the playground's)")).to_be_checked()
    check_readouts(page, expected())


def test_p_is_chosen_with_the_mouse(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    expect(p_choices(page).get_by_role("radio")).to_have_count(len(P_CHOICES))
    for i, p in enumerate(P_CHOICES):
        expect(p_choices(page).get_by_role("radio").nth(i)).to_have_accessible_name(str(p))
    # The pill is what the student sees and clicks; the radio inside it is hidden.
    act(page, lambda: p_radio(page, 0.2).locator("..").click())
    expect_p_checked(page, 0.2)
    expect(readout(page, "summary")).to_contain_text("Two hidden layers, p = 0.2.")
    check_readouts(page, expected(p=0.2))
    act(page, lambda: figure(page).get_by_text("One hidden layer", exact=True).click())
    act(page, lambda: p_radio(page, 0.1).locator("..").click())
    expect_p_checked(page, 0.1)
    check_readouts(page, expected(network="one-layer", p=0.1))
    expect(page).to_have_url(re.compile(r"[?&]gap\.p=0\.1(&|$)"))


def test_p_is_chosen_with_the_arrow_keys(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    p_radio(page, 0.5).focus()
    act(page, lambda: page.keyboard.press("ArrowLeft"))
    expect_p_checked(page, 0.3)
    expect(p_radio(page, 0.3)).to_be_focused()
    check_readouts(page, expected(p=0.3))
    act(page, lambda: page.keyboard.press("ArrowUp"))
    expect_p_checked(page, 0.2)
    check_readouts(page, expected(p=0.2))
    act(page, lambda: page.keyboard.press("ArrowDown"))
    expect_p_checked(page, 0.3)
    # From the last choice the arrow goes round to the first, as radios do.
    act(page, lambda: page.keyboard.press("ArrowRight"))
    act(page, lambda: page.keyboard.press("ArrowRight"))
    expect_p_checked(page, 0.1)
    expect(p_radio(page, 0.1)).to_be_focused()
    check_readouts(page, expected(p=0.1))
    # Tab leaves the group from the checked radio, on to the dataset.
    page.keyboard.press("Tab")
    expect(figure(page).get_by_role("combobox", name="Dataset")).to_be_focused()


def test_the_dataset_and_seed_rebuild_the_network(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    dataset = figure(page).get_by_role("combobox", name="Dataset")
    act(page, lambda: dataset.select_option("moons"))
    check_readouts(page, expected(dataset="moons"))
    # From the keyboard: the next dataset in the list.
    dataset.focus()
    act(page, lambda: page.keyboard.press("ArrowDown"))
    expect(dataset).to_have_value("circles")
    check_readouts(page, expected(dataset="circles"))
    seed = figure(page).get_by_role("spinbutton", name="Seed")
    seed.fill("3")
    act(page, lambda: seed.press("Enter"))
    check_readouts(page, expected(dataset="circles", seed=3))
    expect(page).to_have_url(re.compile(r"gap\.network=two-layer&gap\.p=0\.5&gap\.dataset=circles&gap\.seed=3"))


# -- links ----------------------------------------------------------------------------------------------


def test_the_address_reproduces_what_was_seen(
    page: Page, server: Server, watched: Watch, watch_page: Callable[[Page], Watch]
) -> None:
    open_figure(page, server, "?gap.network=one-layer&gap.p=0.3&gap.dataset=xor&gap.seed=2")
    frame = expected(network="one-layer", p=0.3, dataset="xor", seed=2)
    check_readouts(page, frame)
    expect(radio(page, "One hidden layer")).to_be_checked()
    expect_p_checked(page, 0.3)
    expect(figure(page).get_by_role("combobox", name="Dataset")).to_have_value("xor")
    expect(figure(page).get_by_role("spinbutton", name="Seed")).to_have_value("2")
    p_radio(page, 0.3).focus()
    act(page, lambda: page.keyboard.press("ArrowRight"))
    expect(page).to_have_url(re.compile(r"[?&]gap\.p=0\.5(&|$)"))
    shown = readout(page, "summary").inner_text()
    link = page.url

    again = page.context.new_page()
    seen = watch_page(again)
    open_figure(again, server, link.removeprefix(server.url))
    expect(readout(again, "summary")).to_have_text(shown)
    expect_p_checked(again, 0.5)
    check_readouts(again, expected(network="one-layer", p=0.5, dataset="xor", seed=2))
    assert seen.errors == []


def test_bad_settings_in_the_address_are_reported_politely(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?gap.network=deep&gap.seed=4")
    status = figure(page).get_by_role("status")
    expect(status).to_contain_text("network=deep in the address was ignored")
    expect(radio(page, "Two hidden layers (the playground's)")).to_be_checked()
    expect(figure(page).get_by_role("spinbutton", name="Seed")).to_have_value("4")


def test_a_p_that_is_not_a_choice_in_the_address_is_reported_politely(
    page: Page, server: Server, watched: Watch
) -> None:
    open_figure(page, server, "?gap.p=0.45&gap.seed=4")
    status = figure(page).get_by_role("status")
    expect(status).to_contain_text(
        "p=0.45 in the address was ignored: p must be one of 0.1, 0.2, 0.3 or 0.5 for this chart "
        "(each is computed in advance), got 0.45"
    )
    # The default p is shown, with the rest of the address.
    expect_p_checked(page, 0.5)
    expect(figure(page).get_by_role("spinbutton", name="Seed")).to_have_value("4")
    check_readouts(page, expected(seed=4))


# -- layout ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [360, 390])
def test_phone_width_has_no_horizontal_scrolling(page: Page, server: Server, watched: Watch, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 740})
    open_figure(page, server)
    figure(page).locator("details.eg-numbers summary").click()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    for control in (
        radio(page, "Two hidden layers (the playground's)").locator(".."),
        radio(page, "One hidden layer").locator(".."),
        *(p_radio(page, p).locator("..") for p in P_CHOICES),
        figure(page).get_by_role("combobox", name="Dataset"),
        figure(page).locator(".eg-plot canvas"),
        readout(page, "numbers"),
        readout(page, "accuracy"),
    ):
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, control
    # The chart follows its box when the window grows.
    canvas = figure(page).locator(".eg-plot canvas")
    before = canvas.bounding_box()
    assert before is not None
    page.set_viewport_size({"width": 700, "height": 740})
    page.wait_for_function(
        "([selector, w]) => document.querySelector(selector).getBoundingClientRect().width > w",
        arg=[f"{FIGURE} .eg-plot canvas", before["width"] + 100],
    )


def test_every_control_has_an_accessible_name(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    group = figure(page).get_by_role("radiogroup", name="Network")
    expect(group.get_by_role("radio")).to_have_count(2)
    expect(p_choices(page).get_by_role("radio")).to_have_count(len(P_CHOICES))
    for control in figure(page).locator("input, select").all():
        name = control.evaluate("e => e.labels && e.labels.length ? e.labels[0].textContent.trim() : ''")
        assert name, control
    # The readouts that change with the settings are announced politely.
    for name in ("summary", "exact-arithmetic", "matching-k"):
        expect(readout(page, name).locator("xpath=ancestor-or-self::*[@aria-live='polite']")).to_have_count(1)


# -- values the figure cannot take ----------------------------------------------------------------------


def test_a_refused_seed_is_said_beside_its_box(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    seed = figure(page).get_by_role("spinbutton", name="Seed")
    expect(seed).to_have_attribute("min", "0")
    expect(seed).to_have_attribute("max", str(MAX_SEED))
    type_into(seed, "4294967296")
    message = expect_refused(seed, "Seed must be a whole number from 0 to 4,294,967,295; you typed 4294967296.", "0")
    expect(figure(page).get_by_role("status")).to_have_text("")
    # It goes with the frame of the student's next choice.
    other = next(p for p in P_CHOICES if p != 0.5)
    act(page, lambda: p_radio(page, other).locator("..").click())
    expect_cleared(seed, message)
    check_readouts(page, expected(p=other))


# -- how it reads ---------------------------------------------------------------------------------------


def test_every_distance_is_written_one_way(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    figure(page).locator("details.eg-numbers summary").click()
    exact = expected().values["exact"]
    # The same number reads the same in the readouts, the summary and the labels on the chart.
    expect(readout(page, "exact-arithmetic")).to_have_text(distance(exact["arithmetic_tv"]))
    expect(readout(page, "summary")).to_contain_text(f"exact arithmetic mean's {distance(exact['arithmetic_tv'])}")
    expect(figure(page).locator(".eg-exact-label").first).to_contain_text(distance(exact["arithmetic_tv"]))
    assert not E_NOTATION.search(figure(page).inner_text())
    # A distance of rounding size, far under the axis, is a power of ten, as the axis writes them.
    act(page, lambda: figure(page).get_by_text("One hidden layer", exact=True).click())
    geometric = expected(network="one-layer").values["exact"]["geometric_tv"]
    expect(readout(page, "exact-geometric")).to_have_text(distance(geometric))
    expect(readout(page, "exact-geometric")).to_contain_text("× 10⁻")
    assert not E_NOTATION.search(figure(page).inner_text())


# What lies under a label on the chart: the canvas's pixels in the label's box, leaving out whole rows
# and whole columns of ink, which are grid lines (every series, band and dotted line is broken or
# slanted somewhere in a box that it crosses).
INK_UNDER = """([label, canvas]) => {
    const plot = canvas.getBoundingClientRect();
    const box = label.getBoundingClientRect();
    const scale = canvas.width / plot.width;
    const left = Math.floor((box.left + 1 - plot.left) * scale);
    const top = Math.floor((box.top + 1 - plot.top) * scale);
    const width = Math.ceil((box.width - 2) * scale);
    const height = Math.ceil((box.height - 2) * scale);
    const pixels = canvas.getContext('2d').getImageData(left, top, width, height).data;
    const inked = (x, y) => pixels[4 * (y * width + x) + 3] > 0;
    const rows = [], columns = [];
    for (let y = 0; y < height; y++) rows.push([...Array(width).keys()].every(x => inked(x, y)));
    for (let x = 0; x < width; x++) columns.push([...Array(height).keys()].every(y => inked(x, y)));
    let ink = 0;
    for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) if (inked(x, y) && !rows[y] && !columns[x]) ink++;
    return ink;
}"""


def check_exact_labels(page: Page) -> None:
    labels = figure(page).locator(".eg-exact-label")
    expect(labels).to_have_count(2)
    canvas = figure(page).locator(".eg-plot canvas").element_handle()
    area = figure(page).locator(".eg-plot .u-over").bounding_box()
    assert area is not None
    boxes = []
    for label in labels.all():
        box = label.bounding_box()
        assert box is not None
        boxes.append(box)
        # Inside the plot, not cut off at its edge ...
        assert box["x"] >= area["x"] - 0.5 and box["x"] + box["width"] <= area["x"] + area["width"] + 0.5
        assert box["y"] >= area["y"] - 0.5 and box["y"] + box["height"] <= area["y"] + area["height"] + 0.5
        # ... and over nothing but the background and grid lines.
        ink = page.evaluate(INK_UNDER, [label.element_handle(), canvas])
        assert ink == 0, f"{label.inner_text()!r} covers {ink} pixels of lines or bands"
    first, second = boxes
    assert (
        first["x"] + first["width"] <= second["x"]
        or second["x"] + second["width"] <= first["x"]
        or first["y"] + first["height"] <= second["y"]
        or second["y"] + second["height"] <= first["y"]
    ), "the two labels overlap"


@pytest.mark.parametrize("width", [1280, 768, 390])
def test_the_exact_values_are_labelled_clear_of_every_line_and_band(
    page: Page, server: Server, watched: Watch, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_figure(page, server)
    check_exact_labels(page)
    act(page, lambda: figure(page).get_by_text("One hidden layer", exact=True).click())
    check_exact_labels(page)
    act(page, lambda: p_radio(page, 0.1).locator("..").click())
    check_exact_labels(page)


# How opaque an element looks: its own opacity times that of everything it sits in.
SEEN_OPACITY = """element => {
    let seen = 1;
    for (let e = element; e; e = e.parentElement) seen *= Number(getComputedStyle(e).opacity);
    return seen;
}"""


def test_while_it_recomputes_the_whole_figure_says_it_is_updating(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    element = figure(page)
    summary = readout(page, "summary")
    stale = summary.inner_text()
    count = frames(page)
    # A seed no other test asks for: the server trains and enumerates anew, which takes a second or two.
    seed = figure(page).get_by_role("spinbutton", name="Seed")
    seed.fill("17")
    seed.press("Enter")
    expect(element).to_have_attribute("aria-busy", "true")
    updating = element.get_by_text("Recomputing", exact=False)
    expect(updating).to_be_visible()
    # Every number that is about to change fades, not only the chart.
    for name in ("summary", "exact-arithmetic", "accuracy", "matching-k"):
        page.wait_for_function(f"element => ({SEEN_OPACITY})(element) < 0.7", arg=readout(page, name).element_handle())
    wait_for_frame_after(page, count)
    expect(element).not_to_have_attribute("aria-busy", "true")
    expect(updating).to_be_hidden()
    for name in ("summary", "exact-arithmetic", "accuracy", "matching-k"):
        page.wait_for_function(f"element => ({SEEN_OPACITY})(element) > 0.99", arg=readout(page, name).element_handle())
    assert summary.inner_text() != stale
    check_readouts(page, expected(seed=17))


# -- its tables ----------------------------------------------------------------------------------------


def test_the_accuracy_table_is_whole_at_tablet_width(page: Page, server: Server, watched: Watch) -> None:
    page.set_viewport_size({"width": 768, "height": 900})
    open_figure(page, server)
    table = readout(page, "accuracy")
    box = table.locator("xpath=..")
    assert box.evaluate("box => box.scrollWidth <= box.clientWidth"), "the accuracy table is cut off"
    inside = box.bounding_box()
    last = table.get_by_role("columnheader", name="Exact")
    shown = last.bounding_box()
    assert inside is not None and shown is not None
    assert shown["x"] + shown["width"] <= inside["x"] + inside["width"] + 0.5
    expect(last).to_have_text("Exact")


@pytest.mark.parametrize("width", [390, 768, 1280])
def test_a_table_box_is_a_tab_stop_exactly_when_it_scrolls(
    page: Page, server: Server, watched: Watch, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_figure(page, server)
    figure(page).locator("details.eg-numbers summary").click()
    boxes = figure(page).locator(".eg-table-wrap")
    expect(boxes).to_have_count(2)

    def check() -> list[Locator]:
        scrolling = []
        for box in boxes.all():
            if box.evaluate("box => box.scrollWidth > box.clientWidth + 1"):
                scrolling.append(box)
                expect(box).to_have_attribute("tabindex", "0")
                expect(box).to_have_attribute("role", "region")
                expect(box).to_have_accessible_name(re.compile(r"\w"))
            else:
                expect(box).not_to_have_attribute("tabindex", "0")
        return scrolling

    check()
    # Text made much larger, as a reader with low vision may: a box that then scrolls can be reached.
    page.add_style_tag(content=f"{FIGURE} .eg-table {{ font-size: 2.2rem !important; }}")
    accuracy = readout(page, "accuracy").locator("xpath=..")
    if width == 1280:
        page.wait_for_function("box => box.scrollWidth > box.clientWidth + 1", arg=accuracy.element_handle())
        page.wait_for_function("box => box.tabIndex === 0", arg=accuracy.element_handle())
    for box in check():
        box.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("box => box.scrollLeft > 0", arg=box.element_handle())
