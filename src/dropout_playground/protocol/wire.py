"""Frames and errors as messages.

A frame is one binary message: a 4-byte little-endian header length, the header (JSON, padded with
spaces to a multiple of 8 bytes), then the arrays, each little-endian and 8-byte aligned. The header
says ``{"type": "frame", "figure", "id", "values", "arrays": {name: {dtype, shape, offset}}}``, offsets
counted from the end of the header; a figure that can be played adds ``"playing": true`` or ``false``.
An error is a JSON text message ``{"type": "error", "message": ..., "id": ...}``; the session goes on.

Every number a frame carries is finite. JSON has no NaN or infinity, and a page would draw nonsense from
one in an array, so ``encode_frame`` refuses a frame that holds one with a ``ProtocolError`` that says where
it is: the client gets that error, under the command's id, in place of the frame, and keeps the last frame
it drew. (The figures never make such a frame; this is the last line of defence.)

While a figure builds its first frame from a long link (replaying thousands of training steps), the
session may send progress as JSON text messages, once the work has taken a moment and then a few a
second at most:
``{"type": "progress", "message": "Replaying 19,800 training steps", "fraction": 0.45, "settings": {...}}``,
``fraction`` from 0 to 1 and ``settings`` as the first frame's ``values.settings`` will give them. The first
frame follows the last of them.
"""

from __future__ import annotations

import json
import struct
from typing import Any

import numpy as np

from ..figures import Frame
from ..figures.progress import Progress
from .errors import ProtocolError

_WIRE_DTYPES = {np.dtype(np.uint8): "uint8", np.dtype(np.float32): "float32", np.dtype(np.int32): "int32"}


def encode_frame(figure: str, frame: Frame, request_id: int | None = None, *, playing: bool | None = None) -> bytes:
    """A frame as one binary message (see the module docstring); ``ProtocolError`` for a frame that holds a
    number that is not finite. ``playing``, for a figure that can be played, says whether it is."""
    layout: dict[str, dict[str, Any]] = {}
    chunks: list[bytes] = []
    offset = 0
    for name, array in frame.arrays.items():
        dtype = np.dtype(array.dtype).newbyteorder("<")
        wire = _WIRE_DTYPES.get(np.dtype(array.dtype))
        if wire is None:
            raise TypeError(f"array {name!r} has dtype {array.dtype}; frames carry uint8, int32 or float32")
        if wire == "float32" and not np.isfinite(array).all():
            raise _not_finite(figure, f"array {name!r} holds numbers that are", request_id)
        data = np.ascontiguousarray(array, dtype=dtype).tobytes()
        layout[name] = {"dtype": wire, "shape": list(array.shape), "offset": offset}
        padding = -len(data) % 8
        chunks.append(data + b"\0" * padding)
        offset += len(data) + padding
    header = {"type": "frame", "figure": figure, "id": request_id, "values": frame.values, "arrays": layout}
    if playing is not None:
        header["playing"] = playing
    try:
        text = json.dumps(header, separators=(",", ":"), allow_nan=False).encode("utf-8")
    except ValueError:
        where = _not_finite_value(frame.values)
        if where is None:
            raise
        raise _not_finite(figure, f"value {where} is", request_id) from None
    text += b" " * (-(4 + len(text)) % 8)
    return struct.pack("<I", len(text)) + text + b"".join(chunks)


def _not_finite(figure: str, what: str, request_id: int | None) -> ProtocolError:
    return ProtocolError(f"the {figure} figure's new frame was not sent: its {what} not finite", request_id)


def _not_finite_value(value: Any, path: str = "") -> str | None:
    """Where the first number that is not finite sits in a frame's values, as ``networks[0].test_loss``."""
    if isinstance(value, float) and not np.isfinite(value):
        return path
    if isinstance(value, dict):
        items: Any = ((f"{path}.{key}" if path else str(key), item) for key, item in value.items())
    elif isinstance(value, (list, tuple)):
        items = ((f"{path}[{index}]", item) for index, item in enumerate(value))
    else:
        return None
    for where, item in items:
        found = _not_finite_value(item, where)
        if found is not None:
            return found
    return None


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


def encode_progress(progress: Progress) -> str:
    """Progress toward a figure's first frame, as one JSON text message (see the module docstring)."""
    return json.dumps(
        {
            "type": "progress",
            "message": progress.message,
            "fraction": round(min(1.0, max(0.0, progress.fraction)), 4),
            "settings": dict(progress.settings),
        },
        allow_nan=False,
    )
