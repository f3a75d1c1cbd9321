"""The ensemble grid's commands: ``{"type": "set", "members": 24, "id": 3}`` (any of p, members, dataset,
hidden, seed) and ``{"type": "resample"}``; and its settings from a page address."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from ..figures.ensemble_grid import EnsembleGrid, EnsembleGridSettings
from .commands import Command, check_p
from .errors import ProtocolError
from .figure import Figure, FigureProtocol
from .query import number, pair, settings_from, whole


class SetCommand(Command):
    type: Literal["set"]
    p: float | None = None
    members: int | None = None
    dataset: str | None = None
    hidden: tuple[int, int] | None = None
    seed: int | None = None


class ResampleCommand(Command):
    type: Literal["resample"]


EnsembleGridCommand = SetCommand | ResampleCommand
COMMANDS: TypeAdapter[EnsembleGridCommand] = TypeAdapter(Annotated[EnsembleGridCommand, Field(discriminator="type")])
COMMAND_TYPES = ("set", "resample")


def apply_command(figure: EnsembleGrid, command: EnsembleGridCommand) -> None:
    """Carry out a valid command; a value the figure refuses raises ``ProtocolError`` with its reason."""
    try:
        if isinstance(command, ResampleCommand):
            figure.resample()
        else:
            p = None if command.p is None else check_p(command.p)
            figure.set(p=p, members=command.members, dataset=command.dataset, hidden=command.hidden, seed=command.seed)
    except ValueError as error:
        raise ProtocolError(str(error)) from None


QUERY_FIELDS: dict[str, Callable[[str], Any]] = {
    "p": number,
    "members": whole,
    "dataset": str,
    "hidden": lambda text: pair(text, whole),
    "seed": whole,
    "draw": whole,
}


def settings_from_query(query: Mapping[str, str]) -> tuple[EnsembleGridSettings, list[str]]:
    """Ensemble-grid settings from a page address's parameters. A value that does not parse or is out of
    range is left at its default, and named in the returned list of problems."""
    return settings_from(EnsembleGridSettings(), QUERY_FIELDS, query)


def _create(query: Mapping[str, str]) -> tuple[Figure, list[str]]:
    settings, problems = settings_from_query(query)
    return EnsembleGrid(settings), problems


ENSEMBLE_GRID = FigureProtocol("ensemble-grid", COMMANDS, COMMAND_TYPES, _create, apply_command)
