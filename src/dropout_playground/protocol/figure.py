"""What the hosts need to know of a figure: how to start one, read its commands, and carry them out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import TypeAdapter

from ..figures import Frame
from .commands import parse_with


class Figure(Protocol):
    name: str

    def frame(self) -> Frame: ...


@dataclass(frozen=True)
class FigureProtocol:
    """``create`` builds a figure from a page address's parameters and lists the ones it ignored;
    ``apply`` carries out a parsed command, raising ``ProtocolError`` (or ``ValueError``) with the reason
    when the figure refuses it."""

    name: str
    commands: TypeAdapter[Any]
    command_types: tuple[str, ...]
    create: Callable[[Mapping[str, str]], tuple[Figure, list[str]]]
    apply: Callable[[Any, Any], None]

    def parse(self, text: str | bytes) -> Any:
        return parse_with(self.commands, self.command_types, text)
