"""Reading one command: its size, then one strict parse of its JSON against the figure's commands. Every
failure gets one specific sentence, under the message's id whenever the id can be read."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails, from_json

from .errors import ProtocolError

MAX_MESSAGE_BYTES = 4096
# With no more opening brackets than this in all, the standard library's parser (which recurses once per
# level) can describe a syntax error in its familiar words without going deep.
_DESCRIBED_BRACKETS = 32
_SHOWN_CHARACTERS = 60  # of a refused value, quoted back: enough to recognise it, never the whole message


class Command(BaseModel):
    """Every command: strict types, no unknown fields, and an optional ``id`` echoed in the answer."""

    model_config = ConfigDict(extra="forbid", strict=True)
    id: int | None = None


def parse_with(adapter: TypeAdapter[Any], command_types: tuple[str, ...], text: str | bytes) -> Any:
    """Validate one client message against ``adapter`` (a discriminated union of commands)."""
    if isinstance(text, bytes):
        raise ProtocolError("send commands as JSON text, not binary", request_id_of(text))
    encoded = _utf8(text)
    if encoded is None:
        raise ProtocolError("a message must be Unicode text that UTF-8 can carry")
    if len(encoded) > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message too large: {len(encoded)} bytes, the limit is {MAX_MESSAGE_BYTES}")
    try:
        # One parse, pydantic's own, for both the JSON and the schema, so no two parsers can disagree. Strict
        # from the JSON itself: "0.5" is not a number, true is not 1, and an array fills a pair. Its parser
        # bounds nesting (200 levels) with an error, never a crash.
        return adapter.validate_json(encoded)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        if first["type"] == "json_invalid":
            raise ProtocolError(_syntax_problem(text, first["msg"])) from None
        # A command refused for any other reason is still answered under its id, if it has a usable one.
        raise ProtocolError(_describe(first, command_types), request_id_of(encoded)) from None


def request_id_of(raw: str | bytes) -> int | None:
    """The ``id`` of a client message, or None if it has no whole-number id or is too large to read; never
    raises. The work is one bounded parse (at most ``MAX_MESSAGE_BYTES``), so a message refused unread (one
    that came too fast) can still be answered under its id."""
    if len(raw) > MAX_MESSAGE_BYTES:  # a text has at least as many bytes as characters
        return None
    encoded = _utf8(raw) if isinstance(raw, str) else raw
    if encoded is None or len(encoded) > MAX_MESSAGE_BYTES:
        return None
    try:
        message = from_json(encoded)  # the parser that reads commands, nesting bounded the same way
    except ValueError:
        return None
    request_id = message.get("id") if isinstance(message, dict) else None
    # The id as the command would read it: a whole number, and true is not 1.
    return request_id if isinstance(request_id, int) and not isinstance(request_id, bool) else None


def _utf8(text: str) -> bytes | None:
    """``text`` as UTF-8, or None if it holds what UTF-8 cannot carry (a lone surrogate)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None


def _syntax_problem(text: str, reason: str) -> str:
    """One sentence for a message that is not JSON, from the parser's ``reason``."""
    if "recursion limit exceeded" in reason:
        return "message nested too deeply: a command holds numbers, words and pairs of numbers"
    if text.count("[") + text.count("{") <= _DESCRIBED_BRACKETS:
        try:
            json.loads(text)
        except json.JSONDecodeError as error:
            return f"not valid JSON: {error.msg} at character {error.pos}"
        except ValueError:  # a number too long for Python to read, say: the parser's own words then
            pass
    return "not valid JSON: " + reason.removeprefix("Invalid JSON: ")


def _describe(first: ErrorDetails, command_types: tuple[str, ...]) -> str:
    """One sentence for the first problem pydantic found."""
    kind, location = first["type"], [str(part) for part in first["loc"]]
    # For a discriminated union the first element of loc is the tag; the field comes after it.
    field = ".".join(location[1:] if location and location[0] in command_types else location)
    got = first.get("input")
    if kind == "union_tag_invalid":
        tag = got.get("type") if isinstance(got, dict) else got
        return f"unknown command {_shown(tag)}; the commands are {', '.join(command_types)}"
    if kind == "union_tag_not_found":
        return 'every message needs a "type": one of ' + ", ".join(command_types)
    if not field and kind in ("dict_type", "model_type", "model_attributes_type"):
        return 'a message must be a JSON object, like {"type": "resample"}'
    if kind == "extra_forbidden":
        return f"unknown field {_shown(field)}"
    if kind == "missing":
        return f"{field}: field required"
    reason = first["msg"][:1].lower() + first["msg"][1:]
    return f"{field}: {reason}, got {_shown(got)}" if field else f"{reason}, got {_shown(got)}"


def _shown(value: object) -> str:
    """``value`` as Python writes it, shortened to a glance: a refusal quotes what it refused, not pages."""
    try:
        text = repr(value)
    except ValueError:  # an integer with more digits than Python will print
        return "a number too long to show"
    return text if len(text) <= _SHOWN_CHARACTERS else text[: _SHOWN_CHARACTERS - 1] + "…"
