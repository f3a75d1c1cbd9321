"""The data-flow figure on the wire: its commands, its refusals, its frames and its address."""

import json

import numpy as np
import pytest

from dropout_playground.figures import DataFlow, DataFlowSettings
from dropout_playground.protocol import FIGURES, ProtocolError, decode_frame, encode_frame

DATA_FLOW = FIGURES["data-flow"]
parse_command, apply_command, settings_from_query = DATA_FLOW.parse, DATA_FLOW.apply, DATA_FLOW.settings_from_query


def fields(command):
    return command.model_dump(exclude_none=True)


def test_the_figure_is_served_under_its_name():
    assert DATA_FLOW.figure_class is DataFlow
    figure, problems = DATA_FLOW.create({"p": "0.1", "scaling": "none"})
    assert problems == [] and figure.name == "data-flow"
    assert figure.frame().values["settings"]["scaling"] == "none"


def test_commands_parse_with_their_request_id():
    assert fields(parse_command('{"type": "set", "p": 0.3, "id": 7}')) == {"type": "set", "p": 0.3, "id": 7}
    assert parse_command('{"type": "set", "scaling": "classic"}').scaling == "classic"
    assert parse_command('{"type": "set", "probe": [0.5, -1], "seed": 4}').probe == (0.5, -1.0)
    assert fields(parse_command('{"type": "resample"}')) == {"type": "resample", "count": 1}
    assert parse_command('{"type": "resample", "count": 100, "id": 2}').count == 100
    assert fields(parse_command('{"type": "reset"}')) == {"type": "reset"}


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ('{"type": "train", "steps": 5}', "unknown command 'train'; the commands are set, resample, reset"),
        ('{"count": 5}', 'every message needs a "type": one of set, resample, reset'),
        ('{"type": "set", "scaling": "half"}', "scaling: input should be 'inverted', 'classic' or 'none', got 'half'"),
        ('{"type": "set", "p": "0.2"}', "p: input should be a valid number, got '0.2'"),
        ('{"type": "resample", "count": "100"}', "count: input should be a valid integer, got '100'"),
        ('{"type": "resample", "count": true}', "count: input should be a valid integer, got True"),
        ('{"type": "set", "probe": [1]}', "probe.1: field required"),
        ('{"type": "set", "mode": "eval"}', "unknown field 'mode'"),
    ],
)
def test_malformed_messages_get_a_specific_reason(message, reason):
    with pytest.raises(ProtocolError) as error:
        parse_command(message)
    assert reason in str(error.value)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ('{"type": "set", "p": 1.7}', "p must be between 0 and 1, got 1.7"),
        ('{"type": "set", "p": -0.2}', "p must be between 0 and 1, got -0.2"),
        ('{"type": "set", "probe": [9, 0]}', "x₁ of the probe must be between -5 and 5, got 9"),
        ('{"type": "set", "seed": -3}', "seed must be a whole number from 0 to 4294967295, got -3"),
        ('{"type": "resample", "count": 0}', "count must be a whole number from 1 to 1000, got 0"),
        ('{"type": "resample", "count": 5000}', "count must be a whole number from 1 to 1000, got 5000"),
    ],
)
def test_out_of_range_values_are_refused_with_their_reason_and_change_nothing(message, reason):
    figure = DataFlow()
    figure.resample(20)
    before = figure.frame().values
    with pytest.raises(ProtocolError) as error:
        apply_command(figure, parse_command(message))
    assert reason in str(error.value)
    assert figure.frame().values == before


def test_a_set_command_with_one_bad_field_changes_none_of_them():
    figure = DataFlow()
    before = figure.frame().values
    with pytest.raises(ProtocolError, match="x₂ of the probe must be between -5 and 5, got 8"):
        apply_command(figure, parse_command('{"type": "set", "scaling": "none", "probe": [1, 8]}'))
    assert figure.frame().values == before


def test_commands_drive_the_figure():
    figure = DataFlow()
    apply_command(figure, parse_command('{"type": "resample", "count": 100}'))
    assert figure.frame().values["draws"] == 101
    apply_command(figure, parse_command('{"type": "set", "scaling": "none", "p": 0.1}'))
    values = figure.frame().values
    assert values["draws"] == 1 and values["settings"]["scaling"] == "none" and values["settings"]["p"] == 0.1
    apply_command(figure, parse_command('{"type": "resample", "count": 9}'))
    apply_command(figure, parse_command('{"type": "reset"}'))
    assert figure.frame().values["draws"] == 1


def test_a_full_running_mean_refuses_more_masks_until_it_starts_over():
    figure = DataFlow(DataFlowSettings(draws=100_000))
    with pytest.raises(ProtocolError, match="the running mean holds at most 100,000 masks"):
        apply_command(figure, parse_command('{"type": "resample"}'))
    apply_command(figure, parse_command('{"type": "reset"}'))
    apply_command(figure, parse_command('{"type": "resample"}'))
    assert figure.frame().values["draws"] == 2


def test_a_frame_encodes_and_decodes():
    figure = DataFlow(DataFlowSettings(draws=500))
    frame = figure.frame()
    header, arrays = decode_frame(encode_frame("data-flow", frame, request_id=3))
    assert header["figure"] == "data-flow" and header["id"] == 3
    assert header["values"] == json.loads(json.dumps(frame.values))
    assert arrays["trace_draws"].dtype == np.int32 and arrays["trace_mean"].dtype == np.float32
    np.testing.assert_array_equal(arrays["trace_draws"], frame.arrays["trace_draws"])
    np.testing.assert_array_equal(arrays["trace_mean"], frame.arrays["trace_mean"])


def test_settings_from_a_page_address():
    settings, problems = settings_from_query(
        {"p": "0.1", "scaling": "classic", "probe": "-1.5,2", "seed": "12", "draws": "250"}
    )
    assert problems == []
    assert settings == DataFlowSettings(p=0.1, scaling="classic", probe=(-1.5, 2.0), seed=12, draws=250)


def test_bad_address_values_are_ignored_one_by_one_and_named():
    settings, problems = settings_from_query(
        {"p": "2", "scaling": "sometimes", "probe": "1", "seed": "x", "draws": "0"}
    )
    assert settings == DataFlowSettings()
    assert problems == [
        "p=2 in the address was ignored: p must be between 0 and 1, got 2.0",
        "scaling=sometimes in the address was ignored: scaling must be one of 'inverted', 'classic', 'none', "
        "but got 'sometimes'",
        "probe=1 in the address was ignored: expected two numbers separated by a comma, got '1'",
        "seed=x in the address was ignored: expected a whole number, got 'x'",
        "draws=0 in the address was ignored: draws must be a whole number from 1 to 100000, got 0",
    ]
