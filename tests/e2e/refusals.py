"""A refused value as a student meets it: a sentence next to the box, the box marked invalid and showing
the value still in force, and all of it gone with the figure's next frame after the student's next action.

Every figure's number boxes are checked the same way, so the checks live here, once."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page, WebSocketRoute, expect

# "Next to its control": the gap between the box and its message, in CSS pixels.
NEXT_TO_PX = 100


def gap_between(one: Locator, other: Locator) -> float:
    """The shortest distance between two elements' boxes on the page (0 when they touch or overlap)."""
    a, b = one.bounding_box(), other.bounding_box()
    assert a is not None and b is not None, "both elements must be on the page"
    dx = max(0.0, b["x"] - (a["x"] + a["width"]), a["x"] - (b["x"] + b["width"]))
    dy = max(0.0, b["y"] - (a["y"] + a["height"]), a["y"] - (b["y"] + b["height"]))
    return math.hypot(dx, dy)


def message_of(box: Locator) -> Locator:
    """The element the box's aria-describedby names as its refusal."""
    ids = (box.get_attribute("aria-describedby") or "").split()
    assert ids, "a refused box is described by its message"
    # A box may have other descriptions too (a note on what it does): the refusal is the last one.
    return box.page.locator(f"#{ids[-1]}")


def expect_refused(box: Locator, sentence: str, in_force: str) -> Locator:
    """The box refused a value: its message says ``sentence`` beside it, the box is marked invalid and
    shows ``in_force`` again. Returns the message."""
    expect(box).to_have_attribute("aria-invalid", "true")
    message = message_of(box)
    expect(message).to_be_visible()
    expect(message).to_have_text(sentence)
    expect(box).to_have_value(in_force)
    distance = gap_between(box, message)
    assert distance <= NEXT_TO_PX, f"the message stands {distance:.0f} px from its box"
    # Nothing in it reads like program output: no Python tuple, repr or exception.
    assert not re.search(r"\(\S*, \S*\)|'|Error|None", message.inner_text())
    return message


def expect_cleared(box: Locator, message: Locator) -> None:
    expect(message).to_be_hidden()
    expect(message).to_have_text("")
    expect(box).not_to_have_attribute("aria-invalid", "true")


def type_into(box: Locator, text: str) -> None:
    """Type a value and press Enter, as a student does."""
    box.fill(text)
    box.press("Enter")


def refuse_on_the_server(page: Page, figure: str, command: Callable[[dict[str, object]], bool], reason: str) -> None:
    """From now on the server of ``figure`` refuses, with ``reason``, every command ``command`` picks out
    (a refusal the page cannot foresee); every other message passes through unchanged. Call it before
    the page opens."""

    def route(socket: WebSocketRoute) -> None:
        server = socket.connect_to_server()

        def from_page(message: str | bytes) -> None:
            if isinstance(message, str):
                sent = json.loads(message)
                if command(sent):
                    socket.send(json.dumps({"type": "error", "message": reason, "id": sent.get("id")}))
                    return
            server.send(message)

        socket.on_message(from_page)

    page.route_web_socket(re.compile(rf".*/ws/{re.escape(figure)}(\?.*)?$"), route)
