"""A figure's settings from a page address: each parameter parsed, checked, or ignored with a reason."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Protocol, TypeVar


class CheckedSettings(Protocol):
    def checked(self) -> Any: ...


S = TypeVar("S", bound=CheckedSettings)


def number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"expected a number, got {text!r}") from None


def whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"expected a whole number, got {text!r}") from None


def pair(text: str, parse: Callable[[str], Any]) -> tuple[Any, Any]:
    parts = text.split(",")
    if len(parts) != 2:
        raise ValueError(f"expected two numbers separated by a comma, got {text!r}")
    return parse(parts[0]), parse(parts[1])


def settings_from(
    defaults: S, fields: Mapping[str, Callable[[str], Any]], query: Mapping[str, str]
) -> tuple[S, list[str]]:
    """``defaults`` with every field the query sets. A value that does not parse or that ``checked()``
    refuses is left at its default, and named in the returned list of problems."""
    settings = defaults
    problems = []
    for name, parse in fields.items():
        if name not in query:
            continue
        try:
            candidate = replace(settings, **{name: parse(query[name])})  # type: ignore[type-var]
            candidate.checked()
        except (ValueError, TypeError) as error:
            problems.append(f"{name}={query[name]} in the address was ignored: {error}")
            continue
        settings = candidate
    return settings, problems
