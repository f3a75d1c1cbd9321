"""The before-and-after figure in a real browser: Play, Step, Reset, the speed, the task, p and the data,
with every number on screen checked against the same figure built in Python from the page's address."""

from __future__ import annotations

import re
from typing import Any

from figure_page import FigureOnPage
from playwright.sync_api import Locator, Page, expect
from refusals import expect_cleared, expect_refused, type_into

from dropout_playground.figures import Overfitting
from dropout_playground.figures.checks import MAX_SEED
from dropout_playground.figures.overfitting import POINTS_RANGE
from dropout_playground.protocol import FIGURES

Server = Any
Watch = Any

OVERFITTING = FigureOnPage("overfitting", "fit.")
figure = OVERFITTING.element
open_figure = OVERFITTING.open
act = OVERFITTING.act
settings_from_query = FIGURES["overfitting"].settings_from_query


def button(page: Page, name: str) -> Locator:
    return figure(page).get_by_role("button", name=name, exact=True)


def readout(page: Page, name: str) -> Locator:
    return figure(page).locator(f'[data-readout="{name}"]')


def loss(value: float) -> str:
    """A loss as the view writes it: JavaScript's toPrecision(3) (e-notation below 1e-6), whole above 100."""
    if value >= 100:
        return f"{value:.0f}"
    mantissa, exponent = f"{value:.2e}".split("e")
    power = int(exponent)
    if power < -6:
        return f"{mantissa}e-{abs(power)}"
    return f"{value:.{2 - power}f}"


def wait_for_address(page: Page, key: str, value: str) -> None:
    expect(page).to_have_url(re.compile(rf"[?&]fit\.{re.escape(key)}={re.escape(value)}(&|$)"))


def same_figure_in_python(page: Page) -> dict[str, Any]:
    settings, problems = settings_from_query(OVERFITTING.address_settings(page))
    assert problems == []
    return Overfitting(settings).frame().values


def check_numbers(page: Page, values: dict[str, Any]) -> None:
    expect(readout(page, "steps")).to_have_text(f"Step {values['step']:,} of {values['max_steps']:,}")
    for network in values["networks"]:
        key = network["key"]
        expect(readout(page, f"{key}-train")).to_have_text(loss(network["train_loss"]))
        expect(readout(page, f"{key}-test")).to_have_text(loss(network["test_loss"]))
        expect(readout(page, f"{key}-gap")).to_have_text(loss(network["gap"]))
        expect(readout(page, f"{key}-best")).to_have_text(
            f"{loss(network['best_test_loss'])} at step {network['best_step']:,}"
        )


def test_it_opens_untrained_and_every_number_is_the_engines(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?fit.seed=3")
    expect(button(page, "Play")).to_have_attribute("aria-pressed", "false")
    expect(readout(page, "summary")).to_have_text("Both networks are untrained: press Play, or Step.")
    check_numbers(page, same_figure_in_python(page))
    expect(
        figure(page).get_by_role("img", name=re.compile(r"^Without dropout \(p = 0\): fitted curve"))
    ).to_be_visible()
    expect(
        figure(page).get_by_role("img", name=re.compile(r"^With dropout \(p = 0\.50\): fitted curve"))
    ).to_be_visible()


def test_a_link_replays_the_training_and_shows_the_same_numbers(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?fit.steps=800&fit.p=0.3&fit.points=25&fit.seed=2")
    values = same_figure_in_python(page)
    assert values["step"] == 800 and values["settings"]["p"] == 0.3
    check_numbers(page, values)
    none = values["networks"][0]
    expect(readout(page, "summary")).to_contain_text(
        f"After 800 steps the test loss of the network without dropout is {loss(none['test_loss'])}"
    )


def test_step_trains_both_networks_and_reset_starts_again(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    act(page, button(page, "Step").click)
    expect(readout(page, "steps")).to_have_text("Step 10 of 6,000")
    wait_for_address(page, "steps", "10")
    check_numbers(page, same_figure_in_python(page))
    act(page, button(page, "Reset").click)
    expect(readout(page, "steps")).to_have_text("Step 0 of 6,000")


def test_play_trains_live_until_paused_by_keyboard(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?fit.speed=fast")
    expect(figure(page).get_by_label("Speed")).to_have_value("fast")
    play = button(page, "Play")
    play.focus()
    page.keyboard.press("Enter")
    expect(button(page, "Pause")).to_have_attribute("aria-pressed", "true")
    # Live training: the step count keeps rising, frame after frame.
    first = OVERFITTING.frames(page)
    OVERFITTING.wait_for_frame_after(page, first + 5)
    expect(readout(page, "steps")).not_to_have_text("Step 0 of 6,000")
    page.keyboard.press("Enter")
    expect(button(page, "Play")).to_have_attribute("aria-pressed", "false")
    # Once paused, no more training: after the chunk that was on its way, the step count stays put.
    page.wait_for_timeout(400)
    settled = readout(page, "steps").inner_text()
    page.wait_for_timeout(600)
    expect(readout(page, "steps")).to_have_text(settled)
    wait_for_address(page, "speed", "fast")
    check_numbers(page, same_figure_in_python(page))


def test_the_task_width_and_p_restart_both_networks(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?fit.steps=200")
    act(page, figure(page).get_by_role("button", name="Noisy moons").click)
    wait_for_address(page, "task", "moons")
    expect(figure(page).get_by_role("button", name="Noisy moons")).to_have_attribute("aria-pressed", "true")
    expect(
        figure(page).get_by_role("img", name=re.compile(r"^Without dropout \(p = 0\): decision map"))
    ).to_be_visible()
    expect(readout(page, "steps")).to_have_text("Step 0 of 6,000")
    act(page, figure(page).get_by_role("button", name="16", exact=True).click)
    wait_for_address(page, "width", "16")
    slider = figure(page).get_by_label("Dropout network's p")
    slider.focus()
    act(page, lambda: page.keyboard.press("ArrowLeft"))
    wait_for_address(page, "p", "0.45")
    values = same_figure_in_python(page)
    assert values["sizes"] == [2, 16, 16, 2] and values["networks"][1]["p"] == 0.45
    check_numbers(page, values)


def test_typed_values_out_of_range_are_refused_next_to_their_box(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    points = figure(page).get_by_label("Training points", exact=True)
    expect(points).to_have_attribute("min", str(POINTS_RANGE[0]))
    expect(points).to_have_attribute("max", str(POINTS_RANGE[1]))
    type_into(points, "5")
    message = expect_refused(points, "Training points must be a whole number from 8 to 200; you typed 5.", "30")
    expect(readout(page, "status")).to_have_text("")
    # A good value is taken, and the refusal goes with its frame.
    points.fill("60")
    act(page, lambda: points.press("Enter"))
    wait_for_address(page, "points", "60")
    expect_cleared(points, message)
    check_numbers(page, same_figure_in_python(page))
    # The seed likewise; its refusal goes with the frame of the next thing the student does.
    seed = figure(page).get_by_label("Seed", exact=True)
    expect(seed).to_have_attribute("max", str(MAX_SEED))
    type_into(seed, "-1")
    message = expect_refused(seed, "Seed must be a whole number from 0 to 4,294,967,295; you typed −1.", "0")
    act(page, button(page, "Step").click)
    assert message.text_content() == "" and seed.get_attribute("aria-invalid") is None
    expect_cleared(seed, message)


def test_at_the_cap_it_stops_and_says_so(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server, "?fit.steps=6000&fit.points=20")
    expect(readout(page, "cap")).to_have_text(
        "Stopped at 6,000 steps, the most this figure trains: press Reset to start again."
    )
    expect(button(page, "Step")).to_be_disabled()
    button(page, "Play").click()
    expect(button(page, "Play")).to_have_attribute("aria-pressed", "false")
    expect(readout(page, "status")).to_contain_text("press Reset to start again")


def test_on_a_phone_the_controls_and_the_curves_share_one_screen(page: Page, server: Server, watched: Watch) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    element = open_figure(page, server, "?fit.steps=300")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    element.evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY)")
    play = button(page, "Play").bounding_box()
    chart = figure(page).locator(".of-chart-box").bounding_box()
    assert play is not None and chart is not None
    assert play["y"] >= 0 and chart["y"] + chart["height"] * 0.8 <= 844


def test_noise_seed_and_speed_and_a_link_that_brings_them_back(page: Page, server: Server, watched: Watch) -> None:
    open_figure(page, server)
    noise = figure(page).get_by_label("Noise", exact=True)
    noise.focus()
    act(page, lambda: page.keyboard.press("ArrowRight"))
    wait_for_address(page, "noise", "0.35")
    seed = figure(page).get_by_label("Seed", exact=True)
    seed.fill("7")
    act(page, lambda: seed.press("Enter"))
    wait_for_address(page, "seed", "7")
    figure(page).get_by_label("Speed").select_option("slow")
    wait_for_address(page, "speed", "slow")
    act(page, button(page, "Step").click)
    wait_for_address(page, "steps", "10")
    values = same_figure_in_python(page)
    assert values["settings"]["noise"] == 0.35 and values["settings"]["seed"] == 7
    check_numbers(page, values)
    # The link, opened again, shows the same two networks after the same steps.
    url = page.url
    page.goto("about:blank")
    open_figure(page, server, url.removeprefix(server.url.rstrip("/") + "/"))
    expect(figure(page).get_by_label("Speed")).to_have_value("slow")
    check_numbers(page, values)
