"""The wire: validated commands in, encoded frames out, and a specific message for every bad input.

Client → server: JSON text messages, one command each, for example ``{"type": "set", "p": 0.3, "id": 7}``.
``id`` is optional and is echoed in the answer. Each figure has its own commands (see its module here).
Server → client: frames as binary messages and errors as JSON text (see ``wire``).
"""

from ..figures.playground import DATASET_NAMES, MAX_HIDDEN, MAX_STEPS_PER_COMMAND
from .commands import MAX_MESSAGE_BYTES
from .data_flow import DATA_FLOW
from .ensemble_gap import ENSEMBLE_GAP
from .ensemble_grid import ENSEMBLE_GRID
from .errors import ProtocolError
from .figure import Figure, FigureProtocol
from .playground import PLAYGROUND, apply_command, parse_command, settings_from_query
from .wire import decode_frame, encode_error, encode_frame

# Every figure a page can open, by the name in its WebSocket path (/ws/<name>).
FIGURES: dict[str, FigureProtocol] = {
    protocol.name: protocol for protocol in (PLAYGROUND, DATA_FLOW, ENSEMBLE_GRID, ENSEMBLE_GAP)
}

__all__ = [
    "DATASET_NAMES",
    "FIGURES",
    "MAX_HIDDEN",
    "MAX_MESSAGE_BYTES",
    "MAX_STEPS_PER_COMMAND",
    "Figure",
    "FigureProtocol",
    "ProtocolError",
    "apply_command",
    "decode_frame",
    "encode_error",
    "encode_frame",
    "parse_command",
    "settings_from_query",
]
