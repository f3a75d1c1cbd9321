"""First states kept per process: a session opened from one behaves exactly as a figure built for it."""

from __future__ import annotations

import json
import math
import threading
from dataclasses import replace

import numpy as np
import pytest

from dropout_playground.figures import (
    DataFlow,
    DataFlowSettings,
    Frame,
    Playground,
    PlaygroundSettings,
    first_states,
    live_training,
)
from dropout_playground.figures.first_states import FirstStates
from dropout_playground.figures.playground import PRETRAIN_STEPS
from dropout_playground.protocol import FIGURES

# A few commands of each figure, as its page sends them; between them they change what every figure shows.
COMMANDS: dict[str, list[dict[str, object]]] = {
    "playground": [
        {"type": "resample"},
        {"type": "set", "p": 0.3},
        {"type": "train", "steps": 5},
        {"type": "set", "mode": "eval", "probe": [0.5, 0.5]},
    ],
    "overfitting": [{"type": "train", "steps": 20}, {"type": "set", "p": 0.3}, {"type": "train", "steps": 10}],
    "data-flow": [{"type": "resample", "count": 5}, {"type": "set", "p": 0.4}, {"type": "resample"}],
    "forgotten-eval": [{"type": "resample"}, {"type": "set", "T": 30}, {"type": "resample"}],
    "ensemble-grid": [{"type": "resample"}, {"type": "set", "p": 0.3, "members": 24}, {"type": "resample"}],
    "ensemble-gap": [{"type": "set", "network": "one-layer"}, {"type": "set", "p": 0.2}],
    "co-adaptation": [{"type": "set", "dataset": "moons"}],
    "mc-dropout": [
        {"type": "resample"},
        {"type": "set", "T": 10},
        {"type": "add_point", "x": 3.0, "y": 0.5},
        {"type": "train", "steps": 30},
    ],
}


@pytest.fixture(autouse=True)
def whole_training_commands(monkeypatch):
    # A training command trains as many steps as fit in what a display frame leaves, so on a busy machine
    # two figures given the same command could train different numbers of steps. With a minute to spare,
    # every command trains all the steps it asks for, and two figures that behave alike stay alike.
    monkeypatch.setattr(live_training, "FRAME_SECONDS", 60.0)


def assert_same_frame(a: Frame, b: Frame) -> None:
    assert a.values == b.values
    assert a.arrays.keys() == b.arrays.keys()
    for name, array in a.arrays.items():
        other = b.arrays[name]
        assert (array.dtype, array.shape) == (other.dtype, other.shape), name
        np.testing.assert_array_equal(array, other, err_msg=name)


def same_frame(a: Frame, b: Frame) -> bool:
    try:
        assert_same_frame(a, b)
    except AssertionError:
        return False
    return True


def command(name: str, figure: object, message: dict[str, object]) -> None:
    protocol = FIGURES[name]
    protocol.apply(figure, protocol.parse(json.dumps(message)))


def test_every_figure_has_commands_to_try():
    assert COMMANDS.keys() == FIGURES.keys()


@pytest.mark.parametrize("name", list(FIGURES))
def test_a_kept_first_state_behaves_exactly_as_a_fresh_figure(name):
    figure_class = FIGURES[name].figure_class
    settings = figure_class.settings_type()
    kept = FirstStates()
    built, copied = kept.open(figure_class, settings), kept.open(figure_class, settings)  # built, then kept
    fresh = figure_class(settings)
    assert kept.entries(figure_class) == 1 and built is not copied
    for figure in (built, copied):
        assert_same_frame(figure.frame(), fresh.frame())
    for message in COMMANDS[name]:
        for figure in (fresh, built, copied):
            command(name, figure, message)
        for figure in (built, copied):
            assert_same_frame(figure.frame(), fresh.frame())


@pytest.mark.parametrize("name", list(FIGURES))
def test_sessions_opened_from_one_first_state_share_nothing(name):
    figure_class = FIGURES[name].figure_class
    settings = figure_class.settings_type()
    kept = FirstStates()
    commanded, watched = kept.open(figure_class, settings), kept.open(figure_class, settings)
    before = watched.frame()
    for message in COMMANDS[name]:
        command(name, commanded, message)
    assert not same_frame(commanded.frame(), before)  # the commands changed what it shows
    assert_same_frame(watched.frame(), before)
    assert_same_frame(kept.open(figure_class, settings).frame(), before)  # the kept state is as it was


def test_the_page_opens_figures_from_the_first_states_this_process_keeps(monkeypatch):
    kept = FirstStates()
    monkeypatch.setattr(first_states, "FIRST_STATES", kept)
    first, problems = FIGURES["data-flow"].create({"seed": "4", "draws": "12"})
    second, _ = FIGURES["data-flow"].create({"seed": "4", "draws": "12"})
    assert problems == [] and first is not second
    assert kept.entries(DataFlow) == 1
    assert_same_frame(second.frame(), DataFlow(DataFlowSettings(seed=4, draws=12)).frame())


def counted(figure_class: type, built: list, wait_for: threading.Event | None = None) -> type:
    """``figure_class``, noting the settings of every figure it builds (and waiting for ``wait_for`` first)."""

    class Counted(figure_class):  # type: ignore[misc, valid-type]
        def __init__(self, settings, **options):
            built.append(settings)
            if wait_for is not None:
                assert wait_for.wait(timeout=30), "not every session asked"
            super().__init__(settings, **options)

    return Counted


def test_each_figure_keeps_its_most_recently_opened_first_states_up_to_its_bound():
    built: list = []
    flow, playground = counted(DataFlow, built), counted(Playground, built)
    kept = FirstStates(entries_per_figure=2)
    for seed in (0, 1, 0, 2):  # 2 pushes out 1, opened least recently
        kept.open(flow, DataFlowSettings(seed=seed))
    kept.open(playground, PlaygroundSettings(training=()))  # another figure's do not count against these
    assert kept.entries(flow) == 2 and kept.entries(playground) == 1
    kept.open(flow, DataFlowSettings(seed=0))
    kept.open(flow, DataFlowSettings(seed=1))
    assert [settings.seed for settings in built if isinstance(settings, DataFlowSettings)] == [0, 1, 2, 1]
    for seed in range(10):
        kept.open(flow, DataFlowSettings(seed=seed))
    assert kept.entries(flow) == 2


def test_links_written_differently_open_their_own_figures():
    # -0 and 0 are equal numbers, but a page writes them into its address as it was given them.
    kept = FirstStates()
    kept.open(DataFlow, DataFlowSettings(p=0.0))
    opened = kept.open(DataFlow, DataFlowSettings(p=-0.0))
    assert math.copysign(1.0, opened.frame().values["settings"]["p"]) == -1.0
    assert kept.entries(DataFlow) == 2


def test_settings_a_figure_refuses_are_refused_by_it_and_not_kept():
    kept = FirstStates()
    with pytest.raises(ValueError, match="dataset must be one of"):
        kept.open(Playground, PlaygroundSettings(dataset="galaxy"))
    assert kept.entries(Playground) == 0


class CountedLookups(dict):
    """Stands in for the table of first states being built. Every request that finds no kept first state
    looks here once, under the lock, and then builds or waits for whoever does: ``asked[n]`` is set once
    ``n + 1`` requests have looked."""

    def __init__(self, expected: int) -> None:
        super().__init__()
        self.lookups = 0
        self.asked = [threading.Event() for _ in range(expected)]

    def get(self, key, default=None):
        if self.lookups < len(self.asked):
            self.asked[self.lookups].set()
        self.lookups += 1
        return super().get(key, default)


def run_in_threads(jobs: list) -> tuple[list, list]:
    """Each job in a thread of its own, started in order; their results and their errors, in order."""
    results: list = [None] * len(jobs)
    errors: list = [None] * len(jobs)

    def run(i: int) -> None:
        try:
            results[i] = jobs[i]()
        except Exception as error:
            errors[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def test_a_class_opening_the_page_at_once_builds_it_once_and_each_student_gets_a_figure_of_their_own():
    sessions = 16
    kept = FirstStates()
    lookups = CountedLookups(sessions)
    kept._pending = lookups
    built: list = []
    figure_class = counted(Playground, built, wait_for=lookups.asked[-1])
    opened, errors = run_in_threads([lambda: kept.open(figure_class, PlaygroundSettings())] * sessions)
    assert errors == [None] * sessions and len(built) == 1
    assert len({id(figure) for figure in opened}) == sessions
    fresh = Playground().frame()
    for figure in opened:
        assert_same_frame(figure.frame(), fresh)
    for message in COMMANDS["playground"]:
        command("playground", opened[0], message)
    for figure in opened[1:]:
        assert_same_frame(figure.frame(), fresh)


def test_a_kept_first_state_opens_at_once_without_progress_and_a_waiting_session_hears_the_build():
    kept = FirstStates()
    lookups = CountedLookups(2)
    kept._pending = lookups
    heard: dict[str, list] = {"builder": [], "waiter": []}

    def builder_hears(progress) -> None:
        # The builder goes on once the other session waits for its build.
        assert lookups.asked[1].wait(timeout=30), "the second session did not ask"
        heard["builder"].append(progress)

    def open_second() -> Playground:
        assert lookups.asked[0].wait(timeout=30), "the first session did not ask"
        return kept.open(Playground, PlaygroundSettings(), heard["waiter"].append)

    opened, errors = run_in_threads([lambda: kept.open(Playground, PlaygroundSettings(), builder_hears), open_second])
    assert errors == [None, None]
    assert_same_frame(opened[0].frame(), opened[1].frame())
    # 800 steps replayed, a report every 200
    assert [(p.fraction, p.shared) for p in heard["builder"]] == [
        (0.0, False),
        (0.25, False),
        (0.5, False),
        (0.75, False),
    ]
    # The waiting session hears the same build, marked as another session's work.
    assert heard["waiter"] and all(p.shared for p in heard["waiter"])
    assert {p.settings["training"] for p in heard["waiter"]} == {f"{PRETRAIN_STEPS}@0.5"}
    later: list = []
    kept.open(Playground, PlaygroundSettings(), later.append)
    assert later == []


def test_a_build_whose_session_closes_is_taken_over_by_a_session_waiting_for_it():
    kept = FirstStates()
    lookups = CountedLookups(3)
    kept._pending = lookups
    settings = replace(PlaygroundSettings(), seed=5)

    class Closed(Exception):
        pass

    def closed(progress) -> None:
        assert lookups.asked[1].wait(timeout=30), "the second session did not ask"
        raise Closed("the first student closed the page")

    def open_second() -> Playground:
        assert lookups.asked[0].wait(timeout=30), "the first session did not ask"
        return kept.open(Playground, settings, lambda progress: None)

    opened, errors = run_in_threads([lambda: kept.open(Playground, settings, closed), open_second])
    assert isinstance(errors[0], Closed) and errors[1] is None
    assert lookups.lookups == 3  # the second session asked again, and built the figure itself
    assert_same_frame(opened[1].frame(), Playground(settings).frame())
    assert kept.entries(Playground) == 1


def test_a_session_that_closes_while_waiting_for_another_build_stops_and_the_build_goes_on():
    kept = FirstStates()
    lookups = CountedLookups(2)
    kept._pending = lookups
    settings = replace(PlaygroundSettings(), seed=6)
    waiter_closed = threading.Event()

    class Closed(Exception):
        pass

    def builder_hears(progress) -> None:
        assert waiter_closed.wait(timeout=30), "the second session did not stop"

    def closed(progress) -> None:
        waiter_closed.set()
        raise Closed("the second student closed the page")

    def open_second() -> Playground:
        assert lookups.asked[0].wait(timeout=30), "the first session did not ask"
        return kept.open(Playground, settings, closed)

    opened, errors = run_in_threads([lambda: kept.open(Playground, settings, builder_hears), open_second])
    assert errors[0] is None and isinstance(errors[1], Closed)
    assert_same_frame(opened[0].frame(), Playground(settings).frame())
    assert kept.entries(Playground) == 1 and lookups.lookups == 2
