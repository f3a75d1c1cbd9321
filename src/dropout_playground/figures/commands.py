"""How a figure says what it can be asked to do, so that every host reads it from the figure itself.

A command is a method marked ``@command``: a page sends ``{"type": "<method name>", ...}`` with the
method's parameters, by name, as the command's fields, and their annotations and defaults say what each
field takes. A figure's settings (a frozen dataclass, ``settings_type``) are what its page address holds;
a field whose address form is not a number, a word or a pair of numbers names its parser in the field's
metadata under ``"address"``. Nothing here knows of the web: the wire (``protocol``) and a notebook read
these declarations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

Method = TypeVar("Method", bound=Callable[..., Any])

_MARK = "__figure_command__"


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
