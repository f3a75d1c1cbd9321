"""The data-flow figure's commands: ``{"type": "set", "p": 0.2, "scaling": "none", "id": 3}``,
``{"type": "resample", "count": 100}``, ``{"type": "reset"}``; and its settings from a page address."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from ..figures.data_flow import DataFlow, DataFlowSettings
from .commands import Command, check_p, parse_with
from .errors import ProtocolError
from .figure import Figure, FigureProtocol
from .query import number, pair, settings_from, whole


class SetCommand(Command):
    """Any change starts the running mean over at the first mask."""

    type: Literal["set"]
    p: float | None = None
    scaling: Literal["inverted", "classic", "none"] | None = None
    probe: tuple[float, float] | None = None
    seed: int | None = None


class ResampleCommand(Command):
    """Draw ``count`` more masks (1 to 1000): the last is shown, all of them join the running mean."""

    type: Literal["resample"]
    count: int = 1


class ResetCommand(Command):
    """Start the running mean over, from the first mask of the seed's stream."""

    type: Literal["reset"]


DataFlowCommand = SetCommand | ResampleCommand | ResetCommand
_COMMANDS: TypeAdapter[DataFlowCommand] = TypeAdapter(Annotated[DataFlowCommand, Field(discriminator="type")])
COMMAND_TYPES = ("set", "resample", "reset")


def parse_command(text: str | bytes) -> DataFlowCommand:
    """Validate one client message; ``ProtocolError`` says precisely what is wrong."""
    command: DataFlowCommand = parse_with(_COMMANDS, COMMAND_TYPES, text)
    return command


def apply_command(figure: DataFlow, command: DataFlowCommand) -> None:
    """Carry out a valid command; a value the figure refuses raises ``ProtocolError`` with its reason."""
    try:
        if isinstance(command, ResampleCommand):
            figure.resample(command.count)
        elif isinstance(command, ResetCommand):
            figure.reset()
        else:
            p = None if command.p is None else check_p(command.p)
            figure.set(p=p, scaling=command.scaling, probe=command.probe, seed=command.seed)
    except ValueError as error:
        raise ProtocolError(str(error)) from None


_QUERY_FIELDS: dict[str, Callable[[str], Any]] = {
    "p": number,
    "scaling": str,
    "probe": lambda text: pair(text, number),
    "seed": whole,
    "draws": whole,
}


def settings_from_query(query: Mapping[str, str]) -> tuple[DataFlowSettings, list[str]]:
    """Data-flow settings from a page address's parameters. A value that does not parse or is out of
    range is left at its default, and named in the returned list of problems."""
    return settings_from(DataFlowSettings(), _QUERY_FIELDS, query)


def _create(query: Mapping[str, str]) -> tuple[Figure, list[str]]:
    settings, problems = settings_from_query(query)
    return DataFlow(settings), problems


DATA_FLOW = FigureProtocol("data-flow", _COMMANDS, COMMAND_TYPES, _create, apply_command)
