"""One figure on the page, as the browser tests drive it: its element, its count of frames drawn, and
its settings in the page address. Every figure counts the frames it has drawn in ``data-frames``, so a
test waits for the next frame instead of sleeping."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import Locator, Page

# The first frame of a figure whose networks are trained when the session opens can take a second or two.
FIRST_FRAME_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class FigureOnPage:
    name: str  # the value of data-figure
    prefix: str  # put before each of its settings in the page address

    @property
    def selector(self) -> str:
        return f'[data-figure="{self.name}"]'

    def element(self, page: Page) -> Locator:
        return page.locator(self.selector)

    def frames(self, page: Page) -> int:
        return int(self.element(page).get_attribute("data-frames") or 0)

    def wait_for_frame_after(self, page: Page, count: int) -> None:
        page.wait_for_function(
            "([selector, n]) => Number(document.querySelector(selector)?.dataset.frames || 0) > n",
            arg=[self.selector, count],
            timeout=FIRST_FRAME_TIMEOUT_MS,
        )

    def open(self, page: Page, server: Any, query: str = "") -> Locator:
        """Open the page at ``query``, wait for this figure's first frame, and scroll to it."""
        page.goto(server.url + query)
        self.wait_for_frame_after(page, 0)
        element = self.element(page)
        element.scroll_into_view_if_needed()
        return element

    def act(self, page: Page, action: Callable[[], object]) -> None:
        """Do something that asks for one frame, and wait for it."""
        before = self.frames(page)
        action()
        self.wait_for_frame_after(page, before)

    def address_settings(self, page: Page) -> dict[str, str]:
        """This figure's settings in the page address, without their prefix."""
        pairs = parse_qsl(urlsplit(page.url).query)
        return {key.removeprefix(self.prefix): value for key, value in pairs if key.startswith(self.prefix)}


def server_notice(page: Page) -> Locator:
    """The page's one notice about its server (a polite live region): lost, and restored."""
    return page.get_by_role("complementary", name="Connection to the playground server").get_by_role("status")


def wait_until_every_figure_is_built(page: Page) -> None:
    """After a reconnection every figure of the page is built again on the server, some for seconds; a
    server stopped meanwhile waits for them, so a test lets them finish before it stops its server."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-figure]')]"
        ".every((el) => !el.matches('.is-offline, .is-connecting') && Number(el.dataset.frames || 0) > 0)",
        timeout=FIRST_FRAME_TIMEOUT_MS,
    )
