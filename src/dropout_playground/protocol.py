"""The wire: validated commands in, encoded frames out, and a specific message for every bad input.

Client → server: JSON text messages, one command each, for example
``{"type": "set", "p": 0.3, "id": 7}``, ``{"type": "resample"}``, ``{"type": "train", "steps": 5}``,
``{"type": "reset"}``. ``id`` is optional and is echoed in the answer.

Server → client: a frame is one binary message: a 4-byte little-endian header length, the header (JSON,
padded with spaces to a multiple of 8 bytes), then the arrays, each little-endian and 8-byte aligned.
The header says ``{"type": "frame", "figure", "id", "values", "arrays": {name: {dtype, shape, offset}}}``,
offsets counted from the end of the header. An error is a JSON text message
``{"type": "error", "message": ..., "id": ...}``; the session goes on.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .figures import Frame, Playground, PlaygroundSettings, parse_log
from .figures.playground import DATASET_NAMES, MAX_HIDDEN, MAX_STEPS_PER_COMMAND

MAX_MESSAGE_BYTES = 4096
_WIRE_DTYPES = {np.dtype(np.uint8): "uint8", np.dtype(np.float32): "float32", np.dtype(np.int32): "int32"}


class ProtocolError(ValueError):
    """Bad input from a client: the message says what was wrong, for the client to show."""


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    id: int | None = None


class SetCommand(_Command):
    type: Literal["set"]
    p: float | None = None
    mode: Literal["train", "eval"] | None = None
    dataset: str | None = None
    hidden: tuple[int, int] | None = None
    seed: int | None = None
    probe: tuple[float, float] | None = None


class ResampleCommand(_Command):
    type: Literal["resample"]


class TrainCommand(_Command):
    type: Literal["train"]
    steps: int = 1


class ResetCommand(_Command):
    type: Literal["reset"]


Command = Annotated[SetCommand | ResampleCommand | TrainCommand | ResetCommand, Field(discriminator="type")]
_COMMAND = TypeAdapter(Command)
COMMAND_TYPES = ("set", "resample", "train", "reset")


def _describe(error: ValidationError) -> str:
    """One sentence for the first problem pydantic found."""
    first = error.errors()[0]
    kind, location = first["type"], [str(part) for part in first["loc"]]
    # For a discriminated union the first element of loc is the tag; the field comes after it.
    field = ".".join(location[1:] if location and location[0] in COMMAND_TYPES else location)
    got = first.get("input")
    if kind == "union_tag_invalid":
        return f"unknown command {got.get('type')!r}; the commands are {', '.join(COMMAND_TYPES)}"
    if kind == "union_tag_not_found":
        return 'every message needs a "type": one of ' + ", ".join(COMMAND_TYPES)
    if kind == "extra_forbidden":
        return f"unknown field {field!r}"
    return f"{field}: {first['msg'].lower()}, got {got!r}"


def parse_command(text: str | bytes) -> SetCommand | ResampleCommand | TrainCommand | ResetCommand:
    """Validate one client message; ``ProtocolError`` says precisely what is wrong."""
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
    try:
        # Strict, from the JSON itself: "0.5" is not a number and true is not 1.
        return _COMMAND.validate_json(text)
    except ValidationError as error:
        raise ProtocolError(_describe(error)) from None


def apply_command(figure: Playground, command: SetCommand | ResampleCommand | TrainCommand | ResetCommand) -> None:
    """Carry out a valid command; a value the figure refuses raises ``ProtocolError`` with its reason."""
    try:
        if isinstance(command, ResampleCommand):
            figure.resample()
        elif isinstance(command, TrainCommand):
            figure.train(command.steps)
        elif isinstance(command, ResetCommand):
            figure.reset()
        else:
            _apply_settings(figure, command)
    except ValueError as error:
        raise ProtocolError(str(error)) from None


def _apply_settings(figure: Playground, command: SetCommand) -> None:
    if command.p is not None:
        if not (math.isfinite(command.p) and 0.0 <= command.p <= 1.0):
            raise ProtocolError(f"p must be between 0 and 1, got {command.p}")
        figure.set_p(command.p)
    if command.mode is not None:
        figure.set_mode(command.mode)
    if command.dataset is not None:
        figure.set_dataset(command.dataset)
    if command.hidden is not None:
        figure.set_hidden(*command.hidden)
    if command.seed is not None:
        figure.set_seed(command.seed)
    if command.probe is not None:
        figure.set_probe(*command.probe)


# -- settings from a page address ------------------------------------------------------------------


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"expected a number, got {text!r}") from None


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"expected a whole number, got {text!r}") from None


def _pair(text: str, parse: Callable[[str], Any]) -> tuple[Any, Any]:
    parts = text.split(",")
    if len(parts) != 2:
        raise ValueError(f"expected two numbers separated by a comma, got {text!r}")
    return parse(parts[0]), parse(parts[1])


_QUERY_FIELDS: dict[str, Callable[[str], Any]] = {
    "dataset": str,
    "hidden": lambda text: _pair(text, _whole),
    "p": _number,
    "mode": str,
    "seed": _whole,
    "probe": lambda text: _pair(text, _number),
    "training": parse_log,
    "draw": _whole,
}


def settings_from_query(query: Mapping[str, str]) -> tuple[PlaygroundSettings, list[str]]:
    """Playground settings from a page address's parameters. A value that does not parse or is out of
    range is left at its default, and named in the returned list of problems."""
    settings = PlaygroundSettings()
    problems = []
    for name, parse in _QUERY_FIELDS.items():
        if name not in query:
            continue
        try:
            candidate = PlaygroundSettings(**{**settings.__dict__, name: parse(query[name])})
            candidate.checked()
        except (ValueError, TypeError) as error:
            problems.append(f"{name}={query[name]} in the address was ignored: {error}")
            continue
        settings = candidate
    return settings, problems


# -- frames ----------------------------------------------------------------------------------------


def encode_frame(figure: str, frame: Frame, request_id: int | None = None) -> bytes:
    """A frame as one binary message (see the module docstring)."""
    layout: dict[str, dict[str, Any]] = {}
    chunks: list[bytes] = []
    offset = 0
    for name, array in frame.arrays.items():
        dtype = np.dtype(array.dtype).newbyteorder("<")
        wire = _WIRE_DTYPES.get(np.dtype(array.dtype))
        if wire is None:
            raise TypeError(f"array {name!r} has dtype {array.dtype}; frames carry uint8, int32 or float32")
        data = np.ascontiguousarray(array, dtype=dtype).tobytes()
        layout[name] = {"dtype": wire, "shape": list(array.shape), "offset": offset}
        padding = -len(data) % 8
        chunks.append(data + b"\0" * padding)
        offset += len(data) + padding
    header = {"type": "frame", "figure": figure, "id": request_id, "values": frame.values, "arrays": layout}
    text = json.dumps(header, separators=(",", ":"), allow_nan=False).encode("utf-8")
    text += b" " * (-(4 + len(text)) % 8)
    return struct.pack("<I", len(text)) + text + b"".join(chunks)


def decode_frame(message: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The inverse of ``encode_frame``: the header and the arrays (for tests and Python clients)."""
    (length,) = struct.unpack_from("<I", message)
    header = json.loads(message[4 : 4 + length])
    body = memoryview(message)[4 + length :]
    arrays = {}
    for name, spec in header["arrays"].items():
        dtype = np.dtype(spec["dtype"]).newbyteorder("<")
        count = int(np.prod(spec["shape"], dtype=np.int64))
        arrays[name] = np.frombuffer(body, dtype=dtype, count=count, offset=spec["offset"]).reshape(spec["shape"])
    return header, arrays


def encode_error(message: str, request_id: int | None = None) -> str:
    return json.dumps({"type": "error", "message": message, "id": request_id})


__all__ = [
    "DATASET_NAMES",
    "MAX_HIDDEN",
    "MAX_MESSAGE_BYTES",
    "MAX_STEPS_PER_COMMAND",
    "ProtocolError",
    "apply_command",
    "decode_frame",
    "encode_error",
    "encode_frame",
    "parse_command",
    "settings_from_query",
]
