"""The ensemble-gap figure's one command, ``{"type": "set", "network": "one-layer", "p": 0.3, "id": 2}``
(any of network, p, dataset, seed), and its settings from a page address. p is one of the figure's
``P_CHOICES``: any other value, in a command or an address, is refused with the figure's own sentence."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from ..figures.ensemble_gap import EnsembleGap, EnsembleGapSettings
from .commands import Command, parse_with
from .errors import ProtocolError
from .figure import Figure, FigureProtocol
from .query import number, settings_from, whole


class SetCommand(Command):
    """New settings; the figure refuses them all if any one is out of range."""

    type: Literal["set"]
    network: str | None = None
    p: float | None = None
    dataset: str | None = None
    seed: int | None = None


# A union of one, so that an unknown "type" gets the same sentence as in every other figure.
EnsembleGapCommand = SetCommand
_COMMANDS: TypeAdapter[EnsembleGapCommand] = TypeAdapter(Annotated[EnsembleGapCommand, Field(discriminator="type")])
COMMAND_TYPES = ("set",)


def parse_command(text: str | bytes) -> EnsembleGapCommand:
    """Validate one client message; ``ProtocolError`` says precisely what is wrong."""
    command: EnsembleGapCommand = parse_with(_COMMANDS, COMMAND_TYPES, text)
    return command


def apply_command(figure: EnsembleGap, command: EnsembleGapCommand) -> None:
    """Carry out a valid command; a value the figure refuses raises ``ProtocolError`` with its reason."""
    try:
        # No range check of p here: the figure's sentence names the values it accepts.
        figure.set(network=command.network, p=command.p, dataset=command.dataset, seed=command.seed)
    except ValueError as error:
        raise ProtocolError(str(error)) from None


_QUERY_FIELDS: dict[str, Callable[[str], Any]] = {
    "network": str,
    "p": number,
    "dataset": str,
    "seed": whole,
}


def settings_from_query(query: Mapping[str, str]) -> tuple[EnsembleGapSettings, list[str]]:
    """Settings from a page address's parameters. A value that does not parse or is out of range is left
    at its default, and named in the returned list of problems."""
    return settings_from(EnsembleGapSettings(), _QUERY_FIELDS, query)


def _create(query: Mapping[str, str]) -> tuple[Figure, list[str]]:
    settings, problems = settings_from_query(query)
    return EnsembleGap(settings), problems


ENSEMBLE_GAP = FigureProtocol("ensemble-gap", _COMMANDS, COMMAND_TYPES, _create, apply_command)
