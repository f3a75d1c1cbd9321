"""The wire: validated commands in, encoded frames out, and a specific message for every bad input.

Client → server: JSON text messages, one command each, for example ``{"type": "set", "p": 0.3, "id": 7}``.
``id`` is optional and is echoed in the answer, a refusal included (``request_id_of`` reads it from a
message refused unread). Each figure declares its own commands and settings (``figures.commands``);
``FigureProtocol.of`` reads them. Server → client: frames as binary messages, and errors and progress
toward a first frame as JSON text (see ``wire``). A figure that trains live can be played: the host
repeats its training at a rate the page chooses (see ``playing``).
"""

from ..figures import FIGURE_CLASSES
from ..figures.playground import DATASET_NAMES, MAX_HIDDEN, MAX_STEPS_PER_COMMAND
from .commands import MAX_MESSAGE_BYTES, request_id_of
from .errors import ProtocolError
from .figure import PLAY_COMMANDS, Figure, FigureProtocol
from .playing import FRAMES_PER_SECOND, StepClock
from .wire import decode_frame, encode_error, encode_frame, encode_progress

# Every figure a page can open, by the name in its WebSocket path (/ws/<name>).
FIGURES: dict[str, FigureProtocol] = {protocol.name: protocol for protocol in map(FigureProtocol.of, FIGURE_CLASSES)}

__all__ = [
    "DATASET_NAMES",
    "FIGURES",
    "FRAMES_PER_SECOND",
    "MAX_HIDDEN",
    "MAX_MESSAGE_BYTES",
    "MAX_STEPS_PER_COMMAND",
    "PLAY_COMMANDS",
    "Figure",
    "FigureProtocol",
    "ProtocolError",
    "StepClock",
    "decode_frame",
    "encode_error",
    "encode_frame",
    "encode_progress",
    "request_id_of",
]
