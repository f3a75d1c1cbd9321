"""The ensemble grid's wire: its commands, its settings in a page address, and a specific sentence for
every bad input."""

import numpy as np
import pytest

from dropout_playground.figures import EnsembleGrid, EnsembleGridSettings
from dropout_playground.protocol import FIGURES, ProtocolError, decode_frame, encode_frame

GRID = FIGURES["ensemble-grid"]
settings_from_query = GRID.settings_from_query


def test_commands_parse_with_their_request_id():
    assert GRID.parse('{"type": "set", "members": 24, "id": 3}').model_dump(exclude_none=True) == {
        "type": "set",
        "members": 24,
        "id": 3,
    }
    assert GRID.parse('{"type": "resample"}').model_dump(exclude_none=True) == {"type": "resample"}
    both = GRID.parse('{"type": "set", "p": 0.3, "hidden": [4, 8], "dataset": "moons", "seed": 2}')
    assert (both.p, both.hidden, both.dataset, both.seed) == (0.3, (4, 8), "moons", 2)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ('{"members": 12}', 'every message needs a "type": one of set, resample'),
        ('{"type": "train"}', "unknown command 'train'; the commands are set, resample"),
        ('{"type": "set", "members": "12"}', "members: input should be a valid integer, got '12'"),
        ('{"type": "set", "members": 12.5}', "members: input should be a valid integer, got 12.5"),
        ('{"type": "set", "p": "0.5"}', "p: input should be a valid number, got '0.5'"),
        ('{"type": "set", "mode": "eval"}', "unknown field 'mode'"),
        ('{"type": "resample", "count": 2}', "unknown field 'count'"),
        ('{"type": "set", "hidden": [4]}', "hidden.1: field required"),
    ],
)
def test_malformed_messages_get_a_specific_reason(message, reason):
    with pytest.raises(ProtocolError) as error:
        GRID.parse(message)
    assert reason in str(error.value)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ('{"type": "set", "members": 7}', "members must be 6, 12 or 24, got 7"),
        ('{"type": "set", "p": 1.7}', "p must be between 0 and 1, got 1.7"),
        ('{"type": "set", "p": -0.1}', "p must be between 0 and 1, got -0.1"),
        (
            '{"type": "set", "dataset": "mnist"}',
            "dataset must be one of blobs, spiral, moons, circles, xor, got 'mnist'",
        ),
        ('{"type": "set", "hidden": [0, 4]}', "hidden layers must be two sizes from 1 to 16, got 0 × 4"),
        ('{"type": "set", "seed": -1}', "seed must be a whole number from 0 to 4294967295, got -1"),
    ],
)
def test_refused_values_get_a_specific_reason_and_the_figure_goes_on(message, reason):
    figure = EnsembleGrid()
    before = figure.frame().values
    with pytest.raises(ProtocolError) as error:
        GRID.apply(figure, GRID.parse(message))
    assert str(error.value) == reason
    assert figure.frame().values == before
    GRID.apply(figure, GRID.parse('{"type": "resample"}'))
    assert figure.frame().values["settings"]["draw"] == 1


def test_commands_change_what_the_frame_shows():
    figure = EnsembleGrid()
    GRID.apply(figure, GRID.parse('{"type": "set", "p": 0.25, "members": 6}'))
    GRID.apply(figure, GRID.parse('{"type": "resample"}'))
    settings = figure.frame().values["settings"]
    assert (settings["p"], settings["members"], settings["draw"]) == (0.25, 6, 1)
    GRID.apply(figure, GRID.parse('{"type": "set", "dataset": "circles"}'))
    assert figure.frame().values["settings"]["draw"] == 0 and figure.frame().values["classes"] == 2


def test_settings_from_the_address():
    query = {"p": "0.3", "members": "24", "dataset": "moons", "hidden": "4,5", "seed": "2", "draw": "9"}
    settings, problems = settings_from_query(query)
    assert problems == []
    assert settings == EnsembleGridSettings(p=0.3, members=24, dataset="moons", hidden=(4, 5), seed=2, draw=9)


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({"members": "7"}, "members=7 in the address was ignored: members must be 6, 12 or 24, got 7"),
        ({"members": "many"}, "members=many in the address was ignored: expected a whole number, got 'many'"),
        ({"p": "lots"}, "p=lots in the address was ignored: expected a number, got 'lots'"),
        ({"hidden": "6"}, "hidden=6 in the address was ignored: expected two numbers separated by a comma"),
        ({"draw": "-1"}, "draw=-1 in the address was ignored: draw must be a whole number from 0 to 100000"),
        ({"dataset": "mnist"}, "dataset=mnist in the address was ignored: dataset must be one of"),
    ],
)
def test_bad_address_values_fall_back_to_defaults_with_a_reason(query, problem):
    settings, problems = settings_from_query({**query, "seed": "4"})
    assert len(problems) == 1 and problems[0].startswith(problem)
    assert settings == EnsembleGridSettings(seed=4)


def test_a_session_starts_from_the_address_and_its_frames_survive_the_wire():
    figure, problems = GRID.create({"members": "6", "p": "0.2", "draw": "3"})
    assert problems == []
    frame = figure.frame()
    header, arrays = decode_frame(encode_frame(GRID.name, frame, 5))
    assert header["figure"] == "ensemble-grid" and header["id"] == 5
    assert header["values"]["settings"] == {
        "p": 0.2,
        "members": 6,
        "dataset": "blobs",
        "hidden": [6, 6],
        "seed": 0,
        "draw": 3,
    }
    for name, array in frame.arrays.items():
        np.testing.assert_array_equal(arrays[name], array)
