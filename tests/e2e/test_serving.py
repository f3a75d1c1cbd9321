"""The page as a class's browsers fetch it: its script arrives compressed, once, and is checked, not refetched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

import dropout_playground

Server = Any
Watch = Any
SCRIPT = Path(dropout_playground.__file__).parent / "static" / "app.js"


def test_the_pages_script_arrives_gzipped_and_a_second_visit_downloads_it_no_more(
    page: Page, server: Server, watched: Watch
):
    def is_script(response: Any) -> bool:
        return bool(response.url == server.url + "static/app.js")

    with page.expect_response(is_script) as first_visit:
        page.goto(server.url)
    first = first_visit.value
    headers = first.all_headers()
    assert first.status == 200
    assert headers["content-encoding"] == "gzip"
    assert headers["cache-control"] == "no-cache" and headers["etag"]
    # What crossed the network: the script compressed (gzip -9 leaves 36 % of it), well under half of it.
    sent = first.request.sizes()["responseBodySize"]
    assert 0 < sent < 0.4 * SCRIPT.stat().st_size, sent

    # A second visit asks whether the script changed and is told it has not: no body crosses the network.
    with page.expect_response(is_script) as second_visit:
        page.goto(server.url)
    second = second_visit.value
    assert second.status == 304 and second.request.sizes()["responseBodySize"] == 0, second.status
    assert page.locator("[data-figure]").first.is_visible()
