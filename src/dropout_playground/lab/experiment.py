"""What one headless experiment is: settings, independent units of work, a summary, and its figures.

An experiment splits its work into *units* (a seed, a setting of p, one of the page's figures) that depend
only on the experiment's settings and on themselves, so they can run in any process, in any order, and be
kept on disk under a key made from both: a rerun finds them and does not redo them. Every number a unit
returns is plain JSON (numbers, strings, lists, dicts), the same whichever process computed it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Settings = dict[str, Any]
Unit = dict[str, Any]
Result = dict[str, Any]


@dataclass(frozen=True)
class Row:
    """One line of the summary table: what was measured, the value here, and the literature's."""

    measure: str
    value: str
    literature: str = ""


class Experiment(ABC):
    """One experiment. Subclasses set ``name`` (for ``--only`` and file names) and ``title``."""

    name: ClassVar[str]
    title: ClassVar[str]

    @abstractmethod
    def settings(self, *, quick: bool, seeds: int | None) -> Settings:
        """Everything the results depend on; ``seeds`` (``--seeds``) overrides the number of seeds."""

    @abstractmethod
    def units(self, settings: Settings) -> list[Unit]:
        """The independent pieces of work."""

    @abstractmethod
    def run_unit(self, settings: Settings, unit: Unit) -> Result:
        """Carry out one unit. Must depend on nothing but its arguments."""

    @abstractmethod
    def summarise(self, settings: Settings, results: list[Result]) -> Result:
        """The experiment's headline numbers, from its units' results (in the order of ``units``)."""

    @abstractmethod
    def rows(self, summary: Result) -> list[Row]:
        """The summary table's lines for this experiment."""

    @abstractmethod
    def draw(self, settings: Settings, results: list[Result], summary: Result) -> dict[str, Figure]:
        """The experiment's figures, by file name (without extension)."""
