"""The article's text in a real browser: the numbers a student reads are the engine's, and its code runs."""

from __future__ import annotations

import contextlib
import io
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from dropout_playground.figures.claims import claims

Server = Any
Watch = Any


def test_every_number_the_text_takes_from_the_engine_is_on_screen(page: Page, server: Server, watched: Watch):
    page.goto(server.url)
    article = claims()
    shown = page.eval_on_selector_all("[data-claim]", "elements => elements.map(e => [e.dataset.claim, e.textContent])")
    assert len(shown) > 40
    for name, text in shown:
        assert text == article[name], name
    # The worked check's own sentence, as a student reads it.
    expect(page.locator("#worked-check")).to_contain_text(
        f"the eval output is {article['worked.eval']} and the normalised geometric mean is "
        f"{article['worked.geometric']}, while the arithmetic mean is {article['worked.arithmetic']}"
    )


def test_the_worked_checks_code_as_shown_prints_the_numbers_in_the_text(page: Page, server: Server, watched: Watch):
    page.goto(server.url)
    code = page.locator('code[data-claim="worked.code"]').inner_text()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, {})  # copied from the page, as a reader would
    eval_output, geometric, arithmetic = (float(v) for v in printed.getvalue().split())
    text = page.locator("#worked-check").inner_text()
    for value in (eval_output, geometric, arithmetic):
        assert f"{value:.7f}" in text


@pytest.mark.parametrize("width", [390, 768])
def test_the_new_text_fits_a_phone_and_its_code_scrolls_inside_its_box(
    page: Page, server: Server, watched: Watch, width: int
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(server.url)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    for selector in ("#l2-identity", 'pre:has(code[data-claim="worked.code"])', "pre:has(#mc-dropout-code)"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, selector
    # A code block wider than the screen scrolls, and a keyboard can reach it to scroll it.
    code_box = page.locator("pre:has(#mc-dropout-code)")
    expect(code_box).to_have_attribute("tabindex", "0")
    code_box.focus()
    expect(code_box).to_be_focused()
