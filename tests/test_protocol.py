"""The wire: every bad message gets a specific reason; frames survive the round trip bit for bit."""

import json
import struct

import numpy as np
import pytest

from dropout_playground.figures import Frame, Playground, TrainingRun
from dropout_playground.figures.progress import Progress
from dropout_playground.protocol import (
    FIGURES,
    MAX_MESSAGE_BYTES,
    ProtocolError,
    decode_frame,
    encode_error,
    encode_frame,
    encode_progress,
)

PLAYGROUND = FIGURES["playground"]
parse_command, apply_command, settings_from_query = PLAYGROUND.parse, PLAYGROUND.apply, PLAYGROUND.settings_from_query


def test_commands_parse_with_their_request_id():
    assert parse_command('{"type": "set", "p": 0.3, "id": 7}').model_dump(exclude_none=True) == {
        "type": "set",
        "p": 0.3,
        "id": 7,
    }
    assert parse_command('{"type": "resample"}').model_dump(exclude_none=True) == {"type": "resample"}
    assert parse_command('{"type": "train", "steps": 5}').steps == 5
    assert parse_command('{"type": "set", "hidden": [4, 8], "probe": [0.5, -1]}').hidden == (4, 8)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("{nonsense", "not valid JSON: Expecting property name enclosed in double quotes at character 1"),
        ("[1, 2]", "a message must be a JSON object"),
        ('{"p": 0.5}', 'every message needs a "type": one of set, resample, train, reset'),
        ('{"type": "jump"}', "unknown command 'jump'; the commands are set, resample, train, reset"),
        ('{"type": "set", "p": "0.5"}', "p: input should be a valid number, got '0.5'"),
        ('{"type": "train", "steps": true}', "steps: input should be a valid integer, got True"),
        ('{"type": "set", "colour": "red"}', "unknown field 'colour'"),
        ('{"type": "set", "probe": [1]}', "probe.1: field required"),
        ('{"type": "set", "mode": "test"}', "mode: input should be 'train' or 'eval', got 'test'"),
    ],
)
def test_malformed_messages_get_a_specific_reason(message, reason):
    with pytest.raises(ProtocolError) as error:
        parse_command(message)
    assert reason in str(error.value)


@pytest.mark.parametrize(
    ("message", "request_id"),
    [
        ('{"type": "fly", "id": 4}', 4),
        ('{"type": "set", "p": "0.5", "id": 9}', 9),
        ('{"type": "fly", "id": true}', None),
    ],
)
def test_a_refused_command_is_answered_under_its_id(message, request_id):
    # The page waits for the answer to each id; a refusal must not leave it waiting.
    with pytest.raises(ProtocolError) as refused:
        parse_command(message)
    assert refused.value.request_id == request_id


def test_oversized_and_binary_messages_are_refused():
    with pytest.raises(ProtocolError, match=f"message too large: 5000 bytes, the limit is {MAX_MESSAGE_BYTES}"):
        parse_command(" " * 5000)
    with pytest.raises(ProtocolError, match="send commands as JSON text, not binary"):
        parse_command(b'{"type": "resample"}')


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ('{"type": "set", "p": 1.7}', "p must be between 0 and 1, got 1.7"),
        ('{"type": "set", "p": -0.1}', "p must be between 0 and 1, got -0.1"),
        ('{"type": "train", "steps": 1000}', "steps must be a whole number from 1 to 400, got 1000"),
        ('{"type": "set", "hidden": [40, 2]}', "hidden layers must be two sizes from 1 to 16"),
        ('{"type": "set", "dataset": "mnist"}', "dataset must be one of blobs"),
    ],
)
def test_out_of_range_values_are_refused_by_the_figure_with_their_reason(message, reason):
    figure = Playground()
    before = figure.frame().values
    with pytest.raises(ProtocolError, match=reason):
        apply_command(figure, parse_command(message))
    assert figure.frame().values == before


def test_commands_drive_the_figure():
    figure = Playground()
    apply_command(figure, parse_command('{"type": "set", "p": 0.1, "mode": "eval"}'))
    values = figure.frame().values
    assert values["settings"]["p"] == 0.1 and values["scale_text"] == "1.00 (off)"
    apply_command(figure, parse_command('{"type": "train", "steps": 3}'))
    assert figure.frame().values["steps"] == 803


def test_frames_round_trip_with_aligned_little_endian_arrays():
    arrays = {
        "odd": np.arange(5, dtype=np.uint8),
        "floats": np.linspace(0, 1, 6, dtype=np.float32).reshape(2, 3),
        "ints": np.array([-1, 2**30], dtype=np.int32),
    }
    message = encode_frame("test", Frame({"a": 1, "b": [0.5, "x"]}, arrays), request_id=9)
    (length,) = struct.unpack_from("<I", message)
    assert (4 + length) % 8 == 0
    header, decoded = decode_frame(message)
    assert header["id"] == 9 and header["figure"] == "test" and header["values"] == {"a": 1, "b": [0.5, "x"]}
    for name, array in arrays.items():
        assert header["arrays"][name]["offset"] % 8 == 0
        np.testing.assert_array_equal(decoded[name], array)
    # Little-endian on the wire, whatever the machine: the float 1.0 is 00 00 80 3f.
    start = 4 + length + header["arrays"]["floats"]["offset"] + 5 * 4
    assert message[start : start + 4] == b"\x00\x00\x80\x3f"


def test_a_playground_frame_encodes_and_decodes():
    frame = Playground().frame()
    header, arrays = decode_frame(encode_frame("playground", frame))
    assert header["values"] == json.loads(json.dumps(frame.values))
    np.testing.assert_array_equal(arrays["heatmap"], frame.arrays["heatmap"])


def test_frames_refuse_arrays_the_page_cannot_read():
    with pytest.raises(TypeError, match="frames carry uint8, int32 or float32"):
        encode_frame("x", Frame({}, {"bad": np.zeros(2, dtype=np.float64)}))


def test_errors_carry_the_message_and_request_id():
    assert json.loads(encode_error("p must be between 0 and 1, got 1.7", 4)) == {
        "type": "error",
        "message": "p must be between 0 and 1, got 1.7",
        "id": 4,
    }


def test_progress_carries_a_sentence_the_share_done_and_the_settings():
    progress = Progress("Replaying 19,800 training steps", 0.45, {"p": 0.3, "hidden": [3, 5]})
    assert json.loads(encode_progress(progress)) == {
        "type": "progress",
        "message": "Replaying 19,800 training steps",
        "fraction": 0.45,
        "settings": {"p": 0.3, "hidden": [3, 5]},
    }


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("playground", {"training": "1000@0.5,450@0.2", "draw": "3"}, "Replaying 1,450 training steps"),
        ("overfitting", {"steps": "1230", "p": "0.3"}, "Replaying 1,230 training steps"),
    ],
)
def test_a_long_link_reports_its_replay_and_builds_the_same_figure(name, query, message):
    reports: list[Progress] = []
    reported, _ = FIGURES[name].create(query, reports.append)
    quiet, _ = FIGURES[name].create(query)
    frame, same = reported.frame(), quiet.frame()
    # Every few hundred steps, from the start; the settings are those the first frame then shows.
    assert len(reports) >= 6 and reports[0].fraction == 0
    fractions = [report.fraction for report in reports]
    assert fractions == sorted(fractions) and fractions[-1] < 1
    assert {report.message for report in reports} == {message}
    assert all(report.settings == frame.values["settings"] for report in reports)
    # Reporting changes nothing in what is built.
    assert frame.values["settings"] == same.values["settings"]
    for array in frame.arrays:
        np.testing.assert_array_equal(frame.arrays[array], same.arrays[array])


def test_a_figure_with_nothing_long_to_do_reports_nothing():
    reports: list[Progress] = []
    FIGURES["data-flow"].create({}, reports.append)
    PLAYGROUND.create({"training": ""}, reports.append)
    assert reports == []


def test_settings_from_a_page_address():
    settings, problems = settings_from_query(
        {
            "dataset": "spiral",
            "hidden": "8,4",
            "p": "0.1",
            "mode": "eval",
            "seed": "3",
            "probe": "1,-1",
            "training": "100@0.5,20@0.1",
        }
    )
    assert problems == []
    assert (settings.dataset, settings.hidden, settings.p, settings.mode, settings.seed) == (
        "spiral",
        (8, 4),
        0.1,
        "eval",
        3,
    )
    assert settings.probe == (1.0, -1.0)
    assert settings.training == (TrainingRun(100, 0.5), TrainingRun(20, 0.1))


def test_bad_address_values_are_ignored_one_by_one_and_named():
    settings, problems = settings_from_query({"p": "1.7", "hidden": "4", "seed": "x", "dataset": "moons"})
    assert settings.dataset == "moons" and settings.p == 0.5 and settings.hidden == (6, 6) and settings.seed == 0
    assert problems == [
        "hidden=4 in the address was ignored: expected two numbers separated by a comma, got '4'",
        "p=1.7 in the address was ignored: p must be between 0 and 1, got 1.7",
        "seed=x in the address was ignored: expected a whole number, got 'x'",
    ]
