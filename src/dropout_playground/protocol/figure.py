"""A figure on the wire, read from the figure's own declarations (``figures.commands``).

For each command method the protocol builds a strict pydantic model whose fields are the method's
parameters, with their annotations and defaults; all of a figure's commands form one union told apart by
``"type"``. The figure's settings dataclass says what its page address may hold, each field parsed by its
type. So a new figure needs no protocol module of its own. A figure with a played command (``@played``)
also takes ``play`` and ``pause``, which the host carries out (``protocol.playing``).
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from dataclasses import field as dataclass_field
from typing import Annotated, Any, Literal, Protocol, Union

from pydantic import BaseModel, Field, TypeAdapter, create_model

from ..figures import Frame
from ..figures.commands import commands_of, played_command_of
from ..figures.first_states import first_state
from ..figures.progress import Report
from .commands import Command, parse_with
from .errors import ProtocolError
from .playing import PauseCommand, PlayCommand
from .query import number, pair, settings_from, whole

PLAY_COMMANDS = ("play", "pause")


class Figure(Protocol):
    name: str

    def frame(self) -> Frame: ...


def _title(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-"))


def _command_model(figure_name: str, command_name: str, method: Callable[..., Any]) -> type[BaseModel]:
    """``{"type": command_name, <parameter>: <value>, ...}``, each parameter typed by its annotation."""
    hints = typing.get_type_hints(method)
    tag: Any = Literal.__getitem__(command_name)  # a Literal built from a name known only here
    definitions: dict[str, Any] = {"type": (tag, ...)}
    for parameter in inspect.signature(method).parameters.values():
        if parameter.name == "self":
            continue
        default = ... if parameter.default is inspect.Parameter.empty else parameter.default
        definitions[parameter.name] = (hints[parameter.name], default)
    model: type[BaseModel] = create_model(
        f"{_title(figure_name)}{_title(command_name)}Command", __base__=Command, **definitions
    )
    return model


def _play_models(figure_name: str) -> list[type[BaseModel]]:
    """``play`` and ``pause``, for a figure that has a played command."""
    models: list[type[BaseModel]] = []
    for command_name, base in (("play", PlayCommand), ("pause", PauseCommand)):
        tag: Any = Literal.__getitem__(command_name)
        title = f"{_title(figure_name)}{_title(command_name)}Command"
        models.append(create_model(title, __base__=base, type=(tag, ...)))
    return models


def _address_parser(name: str, annotation: Any, metadata: Mapping[str, Any]) -> Callable[[str], Any]:
    """How a setting is read from its text in a page address: by the field's own parser, else by type."""
    if "address" in metadata:
        parser: Callable[[str], Any] = metadata["address"]
        return parser
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is float:
        return number
    if annotation is int:
        return whole
    if annotation is str or origin is Literal:
        return str
    if origin is tuple and arguments in ((float, float), (int, int)):
        item = number if arguments[0] is float else whole
        return lambda text: pair(text, item)
    raise TypeError(f"setting {name!r} ({annotation}) needs an address parser in its field's metadata")


@dataclass(frozen=True)
class FigureProtocol:
    """What the hosts need to know of a figure: how to start one from a page address, read its commands
    and carry them out."""

    name: str
    figure_class: type
    commands: TypeAdapter[Any]
    command_types: tuple[str, ...]
    methods: Mapping[str, Callable[..., Any]]
    address_fields: Mapping[str, Callable[[str], Any]]
    reports_progress: bool  # the figure takes ``report=``: its first frame can take a while
    # The command a host repeats while the figure plays, and the most steps one call takes; None if none.
    played: tuple[str, int] | None = None
    # Each command's fields (not "type" or "id") and their types.
    command_fields: Mapping[str, Mapping[str, Any]] = dataclass_field(default_factory=dict)

    @classmethod
    def of(cls, figure_class: type) -> FigureProtocol:
        name: str = figure_class.name  # type: ignore[attr-defined]
        methods = commands_of(figure_class)
        played = played_command_of(figure_class)
        models = [_command_model(name, command, method) for command, method in methods.items()]
        types = tuple(methods)
        if played is not None:
            models += _play_models(name)
            types += PLAY_COMMANDS
        union: Any = models[0] if len(models) == 1 else Union.__getitem__(tuple(models))
        adapter: TypeAdapter[Any] = TypeAdapter(Annotated[union, Field(discriminator="type")])
        settings_type = figure_class.settings_type  # type: ignore[attr-defined]
        hints = typing.get_type_hints(settings_type)
        address = {
            field.name: _address_parser(field.name, hints[field.name], field.metadata)
            for field in fields(settings_type)
        }
        reports = "report" in inspect.signature(figure_class).parameters
        fields_of = {
            command: {
                field: info.annotation for field, info in model.model_fields.items() if field not in ("type", "id")
            }
            for command, model in zip(types, models, strict=True)
        }
        return cls(name, figure_class, adapter, types, methods, address, reports, played, fields_of)

    def parse(self, text: str | bytes) -> Any:
        """Validate one client message; ``ProtocolError`` says precisely what is wrong."""
        return parse_with(self.commands, self.command_types, text)

    def apply(self, figure: Any, command: Any) -> Any:
        """Carry out a valid command (not ``play`` or ``pause``, which are the host's) and return what the
        figure's method returns; a value the figure refuses raises ``ProtocolError`` with its reason."""
        if command.type in PLAY_COMMANDS:
            raise TypeError(f"{command.type!r} is carried out by the host, not the figure")
        arguments = {name: getattr(command, name) for name in type(command).model_fields if name not in ("type", "id")}
        try:
            return self.methods[command.type](figure, **arguments)
        except ValueError as error:
            raise ProtocolError(str(error)) from None

    def settings_from_query(self, query: Mapping[str, str]) -> tuple[Any, list[str]]:
        """Settings from a page address's parameters. A value that does not parse or is out of range is left
        at its default, and named in the returned list of problems."""
        defaults = self.figure_class.settings_type()  # type: ignore[attr-defined]
        return settings_from(defaults, self.address_fields, query)

    def create(self, query: Mapping[str, str], report: Report | None = None) -> tuple[Figure, list[str]]:
        """The figure for a page address, and the address's parameters it had to ignore. A figure that
        reports its progress (replaying a long link) tells ``report`` as it goes."""
        settings, problems = self.settings_from_query(query)
        # Copied from the first state this process keeps for these settings: built once, not per session.
        figure: Figure = first_state(self.figure_class, settings, report)
        return figure, problems
