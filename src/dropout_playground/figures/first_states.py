"""The state each figure opens in, built once per process and copied into every session that opens it.

A figure is a function of its checked settings: the defaults, and every link, name one result to the last
bit. Building it can take a while (the playground trains its network for 800 steps when it opens, a link
may replay 20,000), and a class opening the page together asks for the same few first states at once. So
each is built once, by the first session to ask, while the others wait for it (and hear its progress);
every session then gets a deep copy of its own, which behaves exactly as a freshly built figure: the same
frames, and the same future after the same commands, since its random generators' states are copied
with it and none of its arrays is shared with another session's. Values a figure shares on purpose (a
study computed once per process, never modified) say so by returning themselves when deep-copied.

Memory: each figure class keeps the first states of its ``ENTRIES_PER_FIGURE`` most recently opened
settings, each the size of one session of that figure, which the figure's own limits bound whatever a
link asks (curves of fixed capacity, at most 16 units a layer, 200 points, 24 members). Measured at those
limits: 1.7 MiB for the before-and-after figure (200 points of moons, width 64), 1.2 MiB for MC dropout,
0.7 MiB for the ensemble grid, under 0.2 MiB for each of the others (the ensemble gap's and the
co-adaptation figure's studies are shared, and kept by their own caches). So the figures keep at most
8 × 3.9 ≈ 31 MiB in all, and 2.2 MiB for their defaults.
"""

from __future__ import annotations

import inspect
import threading
from collections import OrderedDict
from collections.abc import Hashable
from copy import deepcopy
from dataclasses import replace
from typing import Any, TypeVar

from .progress import Progress, Report

ENTRIES_PER_FIGURE = 8
REPEAT_PROGRESS_SECONDS = 0.25  # how often a session waiting for another's build hears its progress at least

F = TypeVar("F")


class _Build:
    """A first state being built: the latest progress it has reported, for those waiting, and its end."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.progress: Progress | None = None
        self.done = False
        self.figure: Any = None  # None when done: the build failed (its own session closed, say)


class FirstStates:
    """First states of figures by their class and checked settings, a few of each class, least recently
    opened forgotten first. Safe to use from many threads at once: a first state is built once however
    many sessions ask for it together (if its build fails, the next one to ask builds it)."""

    def __init__(self, entries_per_figure: int = ENTRIES_PER_FIGURE) -> None:
        self.entries_per_figure = entries_per_figure
        self._kept: dict[type, OrderedDict[Hashable, Any]] = {}
        self._pending: dict[tuple[type, Hashable], _Build] = {}
        self._lock = threading.Lock()

    def entries(self, figure_class: type) -> int:
        """How many first states of ``figure_class`` are kept."""
        with self._lock:
            return len(self._kept.get(figure_class, ()))

    def open(self, figure_class: type[F], settings: Any, report: Report | None = None) -> F:
        """A figure of its own for ``settings``, as ``figure_class(settings)`` builds it. A first state that
        is kept is copied at once and reports nothing; one being built or to build tells ``report`` how its
        build is going, if the figure reports progress. Settings that the figure refuses are its to refuse."""
        key = _key(settings)
        if key is None:
            return _build(figure_class, settings, report)
        figure: F = deepcopy(self._first_state(figure_class, key, settings, report))
        return figure

    def _first_state(self, figure_class: type[F], key: Hashable, settings: Any, report: Report | None) -> F:
        while True:
            with self._lock:
                kept = self._kept.setdefault(figure_class, OrderedDict())
                if key in kept:
                    kept.move_to_end(key)
                    figure: F = kept[key]
                    return figure
                build = self._pending.get((figure_class, key))
                building = build is None
                if build is None:
                    build = self._pending[(figure_class, key)] = _Build()
            if building:
                return self._build_and_keep(figure_class, key, settings, build, report)
            figure = _wait_for(build, report)
            if figure is not None:
                return figure  # else its build failed: the next turn of the loop builds it, or waits again

    def _build_and_keep(
        self, figure_class: type[F], key: Hashable, settings: Any, build: _Build, report: Report | None
    ) -> F:
        def tell_everyone(progress: Progress) -> None:
            with build.changed:
                build.progress = progress
                build.changed.notify_all()
            if report is not None:
                report(progress)

        try:
            figure = _build(figure_class, settings, tell_everyone)
        except BaseException:
            self._finish(figure_class, key, build, None)
            raise
        self._finish(figure_class, key, build, figure)
        return figure

    def _finish(self, figure_class: type, key: Hashable, build: _Build, figure: Any) -> None:
        """Keep a built first state (forgetting the least recently opened beyond the bound), and wake
        those waiting for it; a failed build (``figure`` None) keeps nothing."""
        with self._lock:
            del self._pending[(figure_class, key)]
            if figure is not None:
                kept = self._kept[figure_class]
                kept[key] = figure
                while len(kept) > self.entries_per_figure:
                    kept.popitem(last=False)
        with build.changed:
            build.done, build.figure = True, figure
            build.changed.notify_all()


def _key(settings: Any) -> Hashable | None:
    """What tells first states apart: the checked settings, and their repr, which also tells -0.0 from 0.0
    and 1 from 1.0 (equal, but written differently into a page's address). None for settings that do not
    check (the figure says what is wrong with them) or cannot be a key."""
    try:
        checked = settings.checked()
        key = (checked, repr(checked))
        hash(key)
    except (ValueError, TypeError):
        return None
    return key


def _build(figure_class: type[F], settings: Any, report: Report | None) -> F:
    if report is not None and "report" in inspect.signature(figure_class).parameters:
        return figure_class(settings, report=report)  # type: ignore[call-arg]
    return figure_class(settings)  # type: ignore[call-arg]


def _wait_for(build: _Build, report: Report | None) -> Any:
    """The figure another thread is building (None if its build failed). Meanwhile ``report`` hears the
    build's progress, marked as another's (``shared``), and hears the latest again every
    ``REPEAT_PROGRESS_SECONDS`` while the build makes none: a session that has closed stops waiting then, by
    raising from its report. Reports are made outside the lock: one may take its time."""
    heard: Progress | None = None
    while True:
        with build.changed:
            if not build.done and (report is None or build.progress is heard):
                build.changed.wait(None if report is None else REPEAT_PROGRESS_SECONDS)
            if build.done:
                return build.figure
            heard = build.progress
        if report is not None and heard is not None:
            report(replace(heard, shared=True))


FIRST_STATES = FirstStates()


def first_state(figure_class: type[F], settings: Any, report: Report | None = None) -> F:
    """A figure of its own for ``settings``, copied from the first state this process keeps for them."""
    return FIRST_STATES.open(figure_class, settings, report)
