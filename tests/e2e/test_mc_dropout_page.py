"""MC dropout beside a deep ensemble in a real browser, used as a student would: points added and removed
by clicking the charts and from the keyboard, the networks training live afterwards, p, T and Resample,
and links. What the page prints is checked against the figure built here, in the test, from the settings
in the page address.

Each test waits on what the page shows (a frame counter on the figure, texts, attributes), never on fixed
delays. Training after a change runs for as long as the server takes, so those waits are long.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from figure_page import FigureOnPage, server_notice, wait_until_every_figure_is_built
from playwright.sync_api import Locator, Page, expect
from refusals import expect_cleared, expect_refused

from dropout_playground.figures.mc_dropout import X_RANGE, Y_RANGE, McDropout, default_points
from dropout_playground.protocol import FIGURES

settings_from_query = FIGURES["mc-dropout"].settings_from_query

# The fixtures (conftest.py) hand these out: the running server, and what a page did.
Server = Any
Watch = Any

MC = FigureOnPage("mc-dropout", "mc.")
FIGURE = MC.selector
figure = MC.element
frames = MC.frames
open_figure = MC.open
act = MC.act
address_settings = MC.address_settings

TRAINED = "Trained: 2,000 of 2,000 steps."
TRAINING = re.compile(r"^Training… [\d,]+ of 2,000 steps$")
# Training runs chunk by chunk as fast as frames come back; on a busy machine that takes a while.
TRAINING_TIMEOUT_MS = 120_000
REGIONS = {"data": "on the data", "gap": "in the gap", "outside": "outside"}


# -- the numbers as the page writes them (web/mc-dropout/types.ts, readouts.ts) ---------------------------


def fixed(value: float, digits: int = 2) -> str:
    """JavaScript's toFixed (half away from zero, on the exact binary value), with a true minus sign."""
    text = str(Decimal(value).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))
    if re.fullmatch(r"-0\.?0*", text):
        return text[1:]
    return text.replace("-", "−")


def js_number(value: float) -> str:
    """How JavaScript's String() writes a coordinate: 4 rather than 4.0."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def coordinate(value: float) -> str:
    return js_number(value).replace("-", "−")


def width(value: float | None) -> str:
    return "—" if value is None else fixed(value)


def band_text(values: dict[str, Any]) -> str:
    band = values["band"]
    mc = ", ".join(f"{width(band['mc'][r])} {text}" for r, text in REGIONS.items())
    ensemble = ", ".join(width(band["ensemble"][r]) for r in REGIONS)
    return f"Band width (± 2 predictive sd): MC dropout {mc}; ensemble {ensemble}"


def chart_title(method: str, values: dict[str, Any]) -> str:
    s = values["settings"]
    if method == "mc":
        return f"MC dropout (p = {fixed(s['p'])}, T = {s['T']} passes)"
    return f"Deep ensemble ({values['members']} networks, no dropout)"


def chart_label(method: str, values: dict[str, Any]) -> str:
    xs = [x for x, _ in values["points"]]
    (x0, x1), (y0, y1) = values["x_range"], values["y_range"]
    widths = ", ".join(f"{width(values['band'][method][r])} {text}" for r, text in REGIONS.items())
    thin = f"{values['thin_passes']} single passes" if method == "mc" else f"the {values['members']} members' curves"
    return (
        f"{chart_title(method, values)}: mean and band of ± 2 predictive sd, with {thin}, the true function "
        f"and {len(xs)} training points with x from {coordinate(min(xs))} to {coordinate(max(xs))}, on x from "
        f"{coordinate(x0)} to {coordinate(x1)} and y from {coordinate(y0)} to {coordinate(y1)}. "
        f"Band width {widths}."
    )


def point_text(x: float, y: float) -> str:
    return f"x {coordinate(x)}, y {coordinate(y)}"


_figures: dict[tuple[tuple[str, str], ...], Any] = {}


def engine(settings: dict[str, str]) -> Any:
    """The frame the page should be showing, computed here from the same settings."""
    key = tuple(sorted(settings.items()))
    if key not in _figures:
        parsed, problems = settings_from_query(settings)
        assert problems == []
        _figures[key] = McDropout(parsed).frame()
    return _figures[key]


# -- driving the page -----------------------------------------------------------------------------------


def readout(page: Page, name: str) -> Locator:
    return figure(page).locator(f'[data-readout="{name}"]')


def slider(page: Page) -> Locator:
    return figure(page).get_by_role("slider", name="Drop probability p")


def t_radio(page: Page, t: int) -> Locator:
    return figure(page).get_by_role("group", name="Passes T").get_by_role("radio", name=str(t), exact=True)


def resample(page: Page) -> Locator:
    return figure(page).get_by_role("button", name="Resample", exact=True)


def chart(page: Page, method: str) -> Locator:
    return figure(page).locator(f'.mc-plot[data-chart="{method}"]')


def point_list(page: Page) -> Locator:
    """The list of points, opened."""
    details = figure(page).locator("details.mc-point-details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return readout(page, "points")


def wait_until_trained(page: Page) -> None:
    expect(readout(page, "progress")).to_have_text(TRAINED, timeout=TRAINING_TIMEOUT_MS)
    # The address is written a moment after the frame.
    expect(page).to_have_url(re.compile(r"mc\.steps=2000&mc\.draw=\d+$"))


def click_at(page: Page, method: str, x: float, y: float) -> None:
    """Click the chart where the data point (x, y) would be drawn."""
    plot = chart(page, method)
    frame_box = plot.locator(".mc-frame")
    left, top = float(frame_box.get_attribute("x") or 0), float(frame_box.get_attribute("y") or 0)
    w, h = float(frame_box.get_attribute("width") or 0), float(frame_box.get_attribute("height") or 0)
    svg_box = plot.locator("svg").bounding_box()
    assert svg_box is not None
    px = svg_box["x"] + left + (x + 4) / 8 * w
    py = svg_box["y"] + top + (3 - y) / 6 * h
    page.mouse.click(px, py)


def check_against_engine(page: Page) -> Any:
    """Every number on the figure is the engine's for the settings in the page address."""
    frame = engine(address_settings(page))
    values, arrays = frame.values, frame.arrays
    fig = figure(page)
    expect(readout(page, "band")).to_have_text(band_text(values))
    expect(readout(page, "progress")).to_have_text(
        TRAINED if values["trained"] else f"Trained {values['settings']['steps']:,} of 2,000 steps so far."
    )
    expect(readout(page, "p")).to_have_text(fixed(values["settings"]["p"]))
    expect(t_radio(page, values["settings"]["T"])).to_be_checked()
    expect(readout(page, "meaning")).to_contain_text(
        f"sample variance of the {values['settings']['T']} passes (of the 5 members for the ensemble), "
        "with τ⁻¹ = 0.01, the variance of the noise in the page's points"
    )
    for method in ("mc", "ensemble"):
        expect(chart(page, method)).to_have_attribute("aria-label", chart_label(method, values))
        expect(fig.locator(f'.mc-chart[data-method="{method}"] figcaption')).to_have_text(chart_title(method, values))
        dots = chart(page, method).locator(".mc-dot")
        expect(dots).to_have_count(len(values["points"]))
        shown = dots.evaluate_all("dots => dots.map(d => d.dataset.point)")
        assert shown == [f"{js_number(x)}:{js_number(y)}" for x, y in values["points"]]
    expect(readout(page, "point-count")).to_have_text(f"{len(values['points'])} points (2 to 40)")
    expect(readout(page, "points").locator(".mc-point-text")).to_have_text(
        [point_text(x, y) for x, y in values["points"]]
    )
    band_rows = readout(page, "band-table").locator("tbody tr")
    expect(band_rows).to_have_count(3)
    for i, region in enumerate(REGIONS):
        expect(band_rows.nth(i).locator("td")).to_have_text(
            [width(values["band"]["mc"][region]), width(values["band"]["ensemble"][region])]
        )
    curve_rows = readout(page, "curve-table").locator("tbody tr")
    indices = range(0, len(arrays["curve_x"]), 10)
    expect(curve_rows).to_have_count(len(indices))
    for row, i in enumerate(indices):
        expect(curve_rows.nth(row).locator("th")).to_have_text(fixed(float(arrays["curve_x"][i]), 1))
        expect(curve_rows.nth(row).locator("td")).to_have_text(
            [fixed(float(arrays[name][i]), 3) for name in ("mc_mean", "mc_sd", "ensemble_mean", "ensemble_sd")]
        )
    return frame


def thin_paths(page: Page) -> list[str]:
    result: list[str] = (
        chart(page, "mc").locator(".mc-thin path").evaluate_all("ps => ps.map(p => p.getAttribute('d'))")
    )
    return result


# -- what the figure shows ------------------------------------------------------------------------------


def test_it_opens_with_the_engines_numbers(page: Page, server: Server, watched: Watch) -> None:
    fig = open_figure(page, server)
    frame = check_against_engine(page)
    assert frame.values["trained"]
    expect(readout(page, "progress")).to_have_text(TRAINED)
    expect(
        fig.get_by_role("img", name=re.compile(r"^MC dropout \(p = 0\.20, T = 30 passes\): mean and band"))
    ).to_be_visible()
    expect(fig.get_by_role("img", name=re.compile(r"^Deep ensemble \(5 networks, no dropout\): mean"))).to_be_visible()
    # Five thin single passes on the MC chart, five members on the ensemble's, and the key says so.
    expect(chart(page, "mc").locator(".mc-thin path")).to_have_count(5)
    expect(chart(page, "ensemble").locator(".mc-thin path")).to_have_count(5)
    expect(fig.get_by_role("list", name="Key")).to_contain_text("5 single MC passes; the 5 ensemble members")
    # The numbers are there for anyone who cannot see the charts, behind "The numbers".
    fig.locator("details.mc-numbers summary").click()
    expect(readout(page, "curve-table")).to_be_visible()
    # A page opened without settings keeps a clean address until the student changes something.
    assert "mc." not in page.url


def test_every_control_has_an_accessible_name_and_readouts_are_polite(
    page: Page, server: Server, watched: Watch
) -> None:
    open_figure(page, server)
    point_list(page)
    for control in figure(page).locator("input").all():
        name = control.evaluate("e => e.labels && e.labels.length ? e.labels[0].textContent.trim() : ''")
        assert name, control
    for name in ("Resample", "Add", "Reset points"):
        expect(figure(page).get_by_role("button", name=name, exact=True)).to_have_count(1)
    expect(figure(page).get_by_role("spinbutton", name="x")).to_have_attribute("min", "-4")
    expect(figure(page).get_by_role("spinbutton", name="y")).to_have_attribute("max", "3")
    expect(figure(page).get_by_role("button", name=re.compile(r"^Remove point \d+: x "))).to_have_count(16)
    for name in ("progress", "band"):
        expect(readout(page, name).locator("xpath=ancestor-or-self::*[@aria-live='polite']")).to_have_count(1)
    expect(figure(page)).to_have_attribute("role", "group")


# -- points: by clicking, and from the keyboard -------------------------------------------------------------


def test_clicking_empty_space_adds_a_point_and_the_networks_train_again(
    page: Page, server: Server, watched: Watch
) -> None:
    open_figure(page, server)
    before = frames(page)
    click_at(page, "mc", -0.3, 0.2)
    # The networks start again from their initial weights, and the page trains them, showing how far.
    expect(readout(page, "progress")).to_have_text(TRAINING, timeout=TRAINING_TIMEOUT_MS)
    expect(readout(page, "point-count")).to_have_text("17 points (2 to 40)")
    wait_until_trained(page)
    assert frames(page) > before + 5  # many training chunks, each a frame
    settings = address_settings(page)
    x, y = (float(v) for v in settings["points"].split(",")[-1].split(":"))
    assert abs(x + 0.3) < 0.03 and abs(y - 0.2) < 0.03
    check_against_engine(page)
    # Training stops by itself once trained: the next frame is the one a command asks for.
    shown = frames(page)
    act(page, resample(page).click)
    assert frames(page) == shown + 1
    expect(readout(page, "progress")).to_have_text(TRAINED)


def test_clicking_a_point_removes_it(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    first = chart(page, "ensemble").locator(".mc-dot").first
    box = first.bounding_box()
    assert box is not None
    # A little off its centre: a point is hit anywhere within a few pixels.
    page.mouse.click(box["x"] + box["width"] / 2 + 3, box["y"] + box["height"] / 2 - 2)
    expect(readout(page, "point-count")).to_have_text("15 points (2 to 40)")
    wait_until_trained(page)
    x, y = default_points()[0]
    assert f"{x:g}:{y:g}" not in address_settings(page)["points"]
    check_against_engine(page)


def test_points_from_the_keyboard_add_remove_and_reset(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    x_input = figure(page).get_by_role("spinbutton", name="x")
    x_input.focus()
    page.keyboard.type("3.2")
    page.keyboard.press("Tab")
    expect(figure(page).get_by_role("spinbutton", name="y")).to_be_focused()
    page.keyboard.type("-1")
    page.keyboard.press("Enter")
    expect(readout(page, "point-count")).to_have_text("17 points (2 to 40)")
    expect(point_list(page).locator(".mc-point-text").last).to_have_text("x 3.2, y −1")
    # Remove the first point with its own button, from the keyboard.
    remove_first = figure(page).get_by_role("button", name=re.compile(r"^Remove point 1: x −2\.6, y 0\.692$"))
    remove_first.focus()
    page.keyboard.press("Enter")
    expect(readout(page, "point-count")).to_have_text("16 points (2 to 40)")
    # The keyboard carries on from the button that took the removed one's place.
    expect(figure(page).get_by_role("button", name=re.compile(r"^Remove point 1: x −2\.414,"))).to_be_focused()
    wait_until_trained(page)
    assert address_settings(page)["points"].endswith(",3.2:-1")
    check_against_engine(page)
    # Reset points brings the page's own points back, and trains them again.
    reset = figure(page).get_by_role("button", name="Reset points")
    reset.focus()
    page.keyboard.press("Space")
    expect(readout(page, "progress")).to_have_text(TRAINING, timeout=TRAINING_TIMEOUT_MS)
    wait_until_trained(page)
    expect(readout(page, "point-count")).to_have_text("16 points (2 to 40)")
    assert address_settings(page)["points"] == ",".join(f"{x:g}:{y:g}" for x, y in default_points())
    check_against_engine(page)


def test_adding_is_refused_at_the_most_points_and_removing_at_the_fewest(
    page: Page, server: Server, watched: Watch
) -> None:
    many = ",".join(f"{-3.9 + 0.2 * i:.1f}:0" for i in range(40))
    open_figure(page, server, f"?mc.points={many}")
    add = figure(page).get_by_role("button", name="Add", exact=True)
    expect(add).to_be_disabled()
    expect(readout(page, "point-count")).to_have_text("40 points (2 to 40)")
    click_at(page, "mc", 0.5, 2.5)
    expect(figure(page).get_by_role("status")).to_have_text("The figure holds at most 40 points: remove one first.")
    expect(readout(page, "point-count")).to_have_text("40 points (2 to 40)")

    open_figure(page, server, "?mc.points=-2:0.5,1:0.8&mc.steps=0")
    expect(readout(page, "progress")).to_have_text("Trained 0 of 2,000 steps so far.")
    buttons = point_list(page).get_by_role("button", name=re.compile(r"^Remove point"))
    expect(buttons).to_have_count(2)
    for i in range(2):
        expect(buttons.nth(i)).to_be_disabled()


# -- p, T and Resample ----------------------------------------------------------------------------------


def test_the_p_slider_by_keyboard_and_by_mouse_retrains(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    slider(page).focus()
    page.keyboard.press("Home")
    expect(readout(page, "p")).to_have_text("0.00")
    expect(readout(page, "progress")).to_have_text(TRAINING, timeout=TRAINING_TIMEOUT_MS)
    wait_until_trained(page)
    expect(page).to_have_url(re.compile(r"mc\.p=0(&|$)"))
    frame = check_against_engine(page)
    # At p = 0 every pass is the same network: MC dropout's band is the noise alone, ± 2 √τ⁻¹ = 0.20.
    assert all(frame.values["band"]["mc"][r] == pytest.approx(0.2) for r in REGIONS)
    expect(readout(page, "band")).to_contain_text("MC dropout 0.20 on the data, 0.20 in the gap, 0.20 outside")
    expect(figure(page).locator('.mc-chart[data-method="mc"] figcaption')).to_have_text(
        "MC dropout (p = 0.00, T = 30 passes)"
    )
    box = slider(page).bounding_box()
    assert box is not None
    slider(page).click(position={"x": box["width"] * 0.8, "y": box["height"] / 2})
    expect(readout(page, "p")).not_to_have_text("0.00")
    wait_until_trained(page)
    assert float(address_settings(page)["p"]) >= 0.6
    check_against_engine(page)


def test_t_by_mouse_and_keyboard_redraws_without_training(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    expect(t_radio(page, 30)).to_be_checked()
    act(page, lambda: figure(page).locator(".pg-radios label", has_text=re.compile(r"^100$")).click())
    expect(t_radio(page, 100)).to_be_checked()
    expect(page).to_have_url(re.compile(r"mc\.T=100"))
    # A new T only redraws the passes: the networks stay trained.
    expect(readout(page, "progress")).to_have_text(TRAINED)
    check_against_engine(page)
    t_radio(page, 100).focus()
    act(page, lambda: page.keyboard.press("ArrowLeft"))
    expect(t_radio(page, 30)).to_be_checked()
    act(page, lambda: page.keyboard.press("ArrowLeft"))
    expect(t_radio(page, 10)).to_be_checked()
    expect(page).to_have_url(re.compile(r"mc\.T=10&"))
    check_against_engine(page)


def test_resample_by_mouse_and_keyboard_draws_new_passes(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    first = thin_paths(page)
    act(page, resample(page).click)
    expect(page).to_have_url(re.compile(r"mc\.draw=1$"))
    assert thin_paths(page) != first
    check_against_engine(page)
    resample(page).focus()
    act(page, lambda: page.keyboard.press("Enter"))
    act(page, lambda: page.keyboard.press("Space"))
    expect(page).to_have_url(re.compile(r"mc\.draw=3$"))
    expect(readout(page, "progress")).to_have_text(TRAINED)
    check_against_engine(page)


# -- training runs only when asked -----------------------------------------------------------------------


def test_a_link_mid_training_waits_for_the_student(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?mc.p=0.3&mc.steps=600")
    expect(readout(page, "progress")).to_have_text("Trained 600 of 2,000 steps so far.")
    check_against_engine(page)
    # Nothing trains by itself: a command's frame is the only new frame.
    shown = frames(page)
    act(page, resample(page).click)
    assert frames(page) == shown + 1
    expect(readout(page, "progress")).to_have_text("Trained 600 of 2,000 steps so far.")
    resume = figure(page).get_by_role("button", name="Continue training")
    resume.click()
    expect(readout(page, "progress")).to_have_text(TRAINING, timeout=TRAINING_TIMEOUT_MS)
    expect(resume).to_be_hidden()
    wait_until_trained(page)
    check_against_engine(page)


def test_training_after_a_change_runs_under_reduced_motion(page: Page, server: Server, watched: Watch) -> None:
    page.emulate_media(reduced_motion="reduce")
    open_figure(page, server)
    # The student started it by changing the points: it runs, and stops when trained.
    click_at(page, "ensemble", 3.0, -1.5)
    expect(readout(page, "progress")).to_have_text(TRAINING, timeout=TRAINING_TIMEOUT_MS)
    wait_until_trained(page)
    check_against_engine(page)


def test_training_waits_for_a_lost_server_and_carries_on(page: Page, launch_server: Callable[[int], Server]) -> None:
    own = launch_server(0)
    port = int(own.netloc.rsplit(":", 1)[1])
    try:
        fig = open_figure(page, own)
        wait_until_every_figure_is_built(page)
        click_at(page, "mc", 2.8, -1.0)
        expect(readout(page, "progress")).to_have_text(TRAINING, timeout=TRAINING_TIMEOUT_MS)
        own.stop()
        expect(server_notice(page)).to_contain_text("The connection to the playground server was lost")
        expect(fig).to_have_class(re.compile(r"\bis-offline\b"))
        # Training waits, still on: nothing asks the student to start it again.
        expect(readout(page, "progress")).to_have_text(TRAINING)
        expect(fig.get_by_role("button", name="Continue training")).to_be_hidden()
        own = launch_server(port)
        # "Connection restored" shows for a few seconds only, and the server may take longer to start.
        expect(fig).not_to_have_class(re.compile(r"\bis-offline\b"), timeout=30_000)
        # The page comes back where it was, and training carries on to the end by itself.
        wait_until_trained(page)
        expect(readout(page, "point-count")).to_have_text("17 points (2 to 40)")
        wait_until_every_figure_is_built(page)
    finally:
        if own.process.poll() is None:
            own.stop()


# -- links ----------------------------------------------------------------------------------------------


def test_a_link_shows_the_same_figure(
    page: Page, server: Server, watched: Watch, watch_page: Callable[[Page], Watch]
) -> None:
    open_figure(page, server)
    slider(page).fill("0.35")
    expect(readout(page, "p")).to_have_text("0.35")
    act(page, lambda: figure(page).locator(".pg-radios label", has_text=re.compile(r"^10$")).click())
    click_at(page, "mc", 3.0, 0.5)
    expect(readout(page, "point-count")).to_have_text("17 points (2 to 40)")
    wait_until_trained(page)
    act(page, resample(page).click)
    expect(page).to_have_url(re.compile(r"mc\.p=0\.35&mc\.T=10&mc\.seed=0&mc\.steps=2000&mc\.draw=1$"))
    check_against_engine(page)
    shown = [readout(page, name).inner_text() for name in ("band", "progress")]
    labels = [chart(page, m).get_attribute("aria-label") for m in ("mc", "ensemble")]
    paths = thin_paths(page)

    again = page.context.new_page()
    seen = watch_page(again)
    open_figure(again, server, page.url.removeprefix(server.url))
    assert [readout(again, name).inner_text() for name in ("band", "progress")] == shown
    assert [chart(again, m).get_attribute("aria-label") for m in ("mc", "ensemble")] == labels
    assert thin_paths(again) == paths
    expect(t_radio(again, 10)).to_be_checked()
    expect(slider(again)).to_have_value("0.35")
    check_against_engine(again)
    assert seen.errors == []


# -- refusals -------------------------------------------------------------------------------------------


def test_a_refused_point_is_said_beside_its_box_and_nothing_changes(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    x_box = figure(page).get_by_role("spinbutton", name="x")
    y_box = figure(page).get_by_role("spinbutton", name="y")
    for box, (low, high) in ((x_box, X_RANGE), (y_box, Y_RANGE)):
        expect(box).to_have_attribute("min", f"{low:g}")
        expect(box).to_have_attribute("max", f"{high:g}")
    add = figure(page).get_by_role("button", name="Add", exact=True)
    x_box.fill("5")
    y_box.fill("0")
    add.click()
    expect_refused(x_box, "x must be between −4 and 4; you typed 5.", "")
    expect(figure(page).get_by_role("status")).to_have_text("")
    expect(readout(page, "point-count")).to_have_text("16 points (2 to 40)")
    expect(readout(page, "progress")).to_have_text(TRAINED)
    # A box left empty is caught before anything is sent; the box put right is no longer marked.
    x_box.fill("1")
    y_box.fill("")
    add.click()
    message = expect_refused(y_box, "y must be a number between −3 and 3; the box is empty.", "")
    expect(x_box).not_to_have_attribute("aria-invalid", "true")
    check_against_engine(page)
    # A good point is taken, and with its frame the refusal goes.
    y_box.fill("0.5")
    act(page, add.click)
    expect_cleared(y_box, message)
    expect(readout(page, "point-count")).to_have_text("17 points (2 to 40)")


def test_a_bad_address_is_reported_and_the_controls_show_what_is_used(
    page: Page, server: Server, watched: Watch
) -> None:
    open_figure(page, server, "?mc.T=7&mc.p=0.2")
    expect(figure(page).get_by_role("status")).to_contain_text("T=7 in the address was ignored")
    expect(t_radio(page, 30)).to_be_checked()
    expect(slider(page)).to_have_value("0.2")
    check_against_engine(page)


# -- layout ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [360, 390])
def test_phone_width_has_no_horizontal_scrolling(page: Page, server: Server, watched: Watch, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 844})
    fig = open_figure(page, server)
    point_list(page)
    fig.locator("details.mc-numbers summary").click()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    for control in (
        slider(page),
        resample(page),
        *(t_radio(page, t).locator("xpath=following-sibling::label[1]") for t in (10, 30, 100)),
        chart(page, "mc"),
        chart(page, "ensemble"),
        figure(page).get_by_role("button", name="Add", exact=True),
        readout(page, "curve-table").locator(".."),
    ):
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, control


def test_the_controls_and_a_chart_fit_one_phone_screen(page: Page, server: Server, watched: Watch) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    fig = open_figure(page, server)
    fig.evaluate("el => el.scrollIntoView({block: 'start'})")
    for control in (slider(page), resample(page), t_radio(page, 100).locator("xpath=following-sibling::label[1]")):
        expect(control).to_be_in_viewport(ratio=1)
    expect(chart(page, "mc")).to_be_in_viewport(ratio=1)
    box = chart(page, "mc").bounding_box()
    assert box is not None and box["height"] >= 240
