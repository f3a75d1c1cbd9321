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

from dropout_playground.figures import EnsembleGap, EnsembleGapSettings
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


def scientific(value: float) -> str:
    if value == 0:
        return "0"
    exact = Decimal(value)
    exponent = exact.adjusted()
    mantissa = (exact.scaleb(-exponent)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if abs(mantissa) >= 10:  # 9.995 rounds up to the next power of ten
        mantissa, exponent = (mantissa / 10).quantize(Decimal("0.01"), ROUND_HALF_UP), exponent + 1
    return f"{mantissa}e{exponent}"


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
    expect(readout(page, "exact-arithmetic")).to_have_text(scientific(exact["arithmetic_tv"]))
    expect(readout(page, "exact-geometric")).to_have_text(scientific(exact["geometric_tv"]))
    expect(readout(page, "max-difference")).to_have_text(scientific(exact["geometric_max_difference"]))
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
            f"{scientific(float(arrays[f'{m}_mean'][i]))} "
            f"({scientific(float(arrays[f'{m}_low'][i]))} to {scientific(float(arrays[f'{m}_high'][i]))})"
            for m in ("arithmetic", "geometric")
        ]
        expect(rows.nth(i).locator("th")).to_have_text(str(arrays["k"][i]))
        expect(rows.nth(i).locator("td")).to_have_text(texts)
    expect(rows.last.locator("td")).to_have_text(
        [scientific(exact["arithmetic_tv"]), scientific(exact["geometric_tv"])]
    )


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
