"""The playground's commands: ``{"type": "set", "p": 0.3, "id": 7}``, ``{"type": "resample"}``,
``{"type": "train", "steps": 5}``, ``{"type": "reset"}``; and its settings from a page address."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from ..figures import Playground, PlaygroundSettings, parse_log
from .commands import Command, check_p, parse_with
from .errors import ProtocolError
from .figure import Figure, FigureProtocol
from .query import number, pair, settings_from, whole


class SetCommand(Command):
    type: Literal["set"]
    p: float | None = None
    mode: Literal["train", "eval"] | None = None
    dataset: str | None = None
    hidden: tuple[int, int] | None = None
    seed: int | None = None
    probe: tuple[float, float] | None = None


class ResampleCommand(Command):
    type: Literal["resample"]


class TrainCommand(Command):
    type: Literal["train"]
    steps: int = 1


class ResetCommand(Command):
    type: Literal["reset"]


PlaygroundCommand = SetCommand | ResampleCommand | TrainCommand | ResetCommand
_COMMANDS: TypeAdapter[PlaygroundCommand] = TypeAdapter(Annotated[PlaygroundCommand, Field(discriminator="type")])
COMMAND_TYPES = ("set", "resample", "train", "reset")


def parse_command(text: str | bytes) -> PlaygroundCommand:
    """Validate one client message; ``ProtocolError`` says precisely what is wrong."""
    command: PlaygroundCommand = parse_with(_COMMANDS, COMMAND_TYPES, text)
    return command


def apply_command(figure: Playground, command: PlaygroundCommand) -> None:
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
        figure.set_p(check_p(command.p))
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


_QUERY_FIELDS: dict[str, Callable[[str], Any]] = {
    "dataset": str,
    "hidden": lambda text: pair(text, whole),
    "p": number,
    "mode": str,
    "seed": whole,
    "probe": lambda text: pair(text, number),
    "training": parse_log,
    "draw": whole,
}


def settings_from_query(query: Mapping[str, str]) -> tuple[PlaygroundSettings, list[str]]:
    """Playground settings from a page address's parameters. A value that does not parse or is out of
    range is left at its default, and named in the returned list of problems."""
    return settings_from(PlaygroundSettings(), _QUERY_FIELDS, query)


def _create(query: Mapping[str, str]) -> tuple[Figure, list[str]]:
    settings, problems = settings_from_query(query)
    return Playground(settings), problems


PLAYGROUND = FigureProtocol("playground", _COMMANDS, COMMAND_TYPES, _create, apply_command)
