"""How a figure says what it can be asked to do, so that every host reads it from the figure itself.

A command is a method marked ``@command``: a page sends ``{"type": "<method name>", ...}`` with the
method's parameters, by name, as the command's fields, and their annotations and defaults say what each
field takes. A figure's settings (a frozen dataclass, ``settings_type``) are what its page address holds;
a field whose address form is not a number, a word or a pair of numbers names its parser in the field's
metadata under ``"address"``. Nothing here knows of the web: the wire (``protocol``) and a notebook read
these declarations.

A figure that trains while the student watches marks its training command ``@played(most)`` as well: a
host may then *play* it, repeating it at a rate the page chooses (steps a second) without a message per
chunk, until the page pauses it or the command raises. The command takes ``steps`` (at most ``most``) and
returns the steps it took; it raises ``TrainingFinished`` once there is nothing left to train. A figure
whose frames are cheaper while it plays (its maps redrawn only so often) defines ``settle()``, which the
host calls when playing stops: the frames after it are exact.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

Method = TypeVar("Method", bound=Callable[..., Any])

_MARK = "__figure_command__"
_PLAYED = "__figure_played_most__"


class TrainingFinished(ValueError):
    """A played command has nothing left to do (its figure has trained the most steps it allows): playing
    stops there, quietly, since the frame says so. Sent as a command, it is refused with this sentence."""


def command(method: Method) -> Method:
    """Mark ``method`` as a command a page may send, named after the method."""
    setattr(method, _MARK, True)
    return method


def commands_of(figure_class: type) -> dict[str, Callable[..., Any]]:
    """The figure's commands by name, in the order the class defines them (a subclass's last)."""
    found: dict[str, Callable[..., Any]] = {}
    for klass in reversed(figure_class.__mro__):
        for name, value in vars(klass).items():
            if getattr(value, _MARK, False):
                found[name] = value
    return found


def played(most: int) -> Callable[[Method], Method]:
    """Mark a command as the one a host repeats while the figure plays, with ``steps`` of at most ``most``."""

    def mark(method: Method) -> Method:
        setattr(method, _PLAYED, most)
        return method

    return mark


def played_command_of(figure_class: type) -> tuple[str, int] | None:
    """The name of the figure's played command and the most steps one call takes, or None."""
    for name, method in commands_of(figure_class).items():
        most = getattr(method, _PLAYED, None)
        if most is not None:
            return name, int(most)
    return None


def settle(figure: object) -> None:
    """Playing has stopped: a figure that draws cheaper frames while it plays makes its next ones exact."""
    method = getattr(figure, "settle", None)
    if method is not None:
        method()
