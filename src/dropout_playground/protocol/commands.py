"""Reading one command: size, JSON, then a strict schema; every failure gets one specific sentence."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from .errors import ProtocolError

MAX_MESSAGE_BYTES = 4096


class Command(BaseModel):
    """Every command: strict types, no unknown fields, and an optional ``id`` echoed in the answer."""

    model_config = ConfigDict(extra="forbid", strict=True)
    id: int | None = None


def _describe(error: ValidationError, command_types: tuple[str, ...]) -> str:
    """One sentence for the first problem pydantic found."""
    first = error.errors()[0]
    kind, location = first["type"], [str(part) for part in first["loc"]]
    # For a discriminated union the first element of loc is the tag; the field comes after it.
    field = ".".join(location[1:] if location and location[0] in command_types else location)
    got = first.get("input")
    if kind == "union_tag_invalid":
        return f"unknown command {got.get('type')!r}; the commands are {', '.join(command_types)}"
    if kind == "union_tag_not_found":
        return 'every message needs a "type": one of ' + ", ".join(command_types)
    if kind == "extra_forbidden":
        return f"unknown field {field!r}"
    return f"{field}: {first['msg'].lower()}, got {got!r}"


def parse_with(adapter: TypeAdapter[Any], command_types: tuple[str, ...], text: str | bytes) -> Any:
    """Validate one client message against ``adapter`` (a discriminated union of commands)."""
    if isinstance(text, bytes):
        raise ProtocolError("send commands as JSON text, not binary")
    size = len(text.encode("utf-8"))
    if size > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message too large: {size} bytes, the limit is {MAX_MESSAGE_BYTES}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProtocolError(f"not valid JSON: {error.msg} at character {error.pos}") from None
    if not isinstance(data, dict):
        raise ProtocolError('a message must be a JSON object, like {"type": "resample"}')
    # A command refused for any other reason is still answered under its id, if it has a usable one.
    request_id = data.get("id")
    if isinstance(request_id, bool) or not isinstance(request_id, int):
        request_id = None
    try:
        # Strict, from the JSON itself: "0.5" is not a number and true is not 1.
        return adapter.validate_json(text)
    except ValidationError as error:
        raise ProtocolError(_describe(error, command_types), request_id) from None
