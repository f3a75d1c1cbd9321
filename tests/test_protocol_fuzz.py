"""Every figure's command parser against anything a client could send: text, bytes, JSON values, deep
nesting, and near-valid commands built from the figure's own commands with wrong or extreme values. Each
input is either a valid command or a ``ProtocolError`` with one specific sentence, never another
exception; and a refusal carries the message's id whenever the id can be read."""

import json
import typing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from dropout_playground.protocol import FIGURES, MAX_MESSAGE_BYTES, ProtocolError, request_id_of

# The same inputs on every run (derandomize, no example database): a failure is reproducible, never a flake.
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Words that only pydantic's or a parser's raw report would contain: the page shows the sentence as it is.
RAW_REPORT = ("validation error", "errors.pydantic.dev", "For further information", "tagged-union", "Traceback")


def outcome(protocol, message):
    """The command ``message`` parses to, or its refusal; any other exception fails the test."""
    try:
        command = protocol.parse(message)
    except ProtocolError as refusal:
        assert_specific(str(refusal))
        assert refusal.request_id is None or isinstance(refusal.request_id, int)
        return refusal
    assert isinstance(command, BaseModel) and command.type in protocol.command_types
    return command


def assert_specific(sentence):
    assert sentence.strip(), "an empty refusal"
    assert "\n" not in sentence, f"one sentence, not a report: {sentence!r}"
    # A quoted value is shortened: the sentence stays readable whatever the message held.
    assert len(sentence) <= 300, f"a refusal of {len(sentence)} characters"
    assert not any(raw in sentence for raw in RAW_REPORT), f"a raw report, not a sentence: {sentence!r}"


def utf8_size(message):
    return len(message if isinstance(message, bytes) else message.encode("utf-8", "surrogatepass"))


def expected_id(message):
    """The id a client meant: a whole number (not true) at the top of a JSON object that fits the limit."""
    if utf8_size(message) > MAX_MESSAGE_BYTES:
        return None
    try:
        data = json.loads(message)
    except (ValueError, RecursionError):
        return None
    request_id = data.get("id") if isinstance(data, dict) else None
    return request_id if type(request_id) is int else None


figure_names = pytest.mark.parametrize("name", list(FIGURES))

# -- anything at all -----------------------------------------------------------------------------------

# Surrogates included: no client sends them over a WebSocket, but the parser must not trip on them either.
any_text = st.text(st.characters(categories=["Cs", "Cc"]) | st.characters(exclude_categories=()), max_size=200)
json_like_text = st.text(st.sampled_from('{}[]",:.-+0123456789eEtrufalsny \\/id type set'), max_size=200)


@figure_names
@FUZZ
@given(message=any_text | json_like_text | st.binary(max_size=200))
def test_any_text_or_bytes_is_a_command_or_one_sentence(name, message):
    answer = outcome(FIGURES[name], message)
    # The server reads the id of a message it refuses unread the same way the parser does.
    assert request_id_of(message) == (answer.request_id if isinstance(answer, ProtocolError) else answer.id)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@figure_names
@FUZZ
@given(value=json_values)
def test_any_json_value_is_a_command_or_one_sentence(name, value):
    message = json.dumps(value)
    answer = outcome(FIGURES[name], message)
    if isinstance(answer, ProtocolError):
        assert answer.request_id == expected_id(message)


# -- deep nesting --------------------------------------------------------------------------------------


@st.composite
def nested(draw):
    """A value nested ``depth`` levels deep, closed or cut short, inside a command or alone."""
    depth = draw(st.integers(1, 1900))
    opening = draw(st.sampled_from(["[", "{", '{"a":', "[0,"]))
    closing = {"[": "]", "{": "}", '{"a":': "}", "[0,": "]"}[opening]
    core = opening * depth + ("0" if opening in ('{"a":', "[0,") else "") + closing * depth
    if draw(st.booleans()):
        core = core[: draw(st.integers(0, len(core)))]
    field = draw(st.sampled_from(["p", "seed", "probe", "id", "anything"]))
    wrapper = draw(
        st.sampled_from(["{}", '{{"type": "set", "{field}": {}}}', '{{"type": "set", "id": 3, "{field}": {}}}'])
    )
    return wrapper.replace("{field}", field).replace("{}", core, 1) if wrapper != "{}" else core


@figure_names
@FUZZ
@given(message=nested())
def test_deep_nesting_is_a_command_or_one_sentence(name, message):
    outcome(FIGURES[name], message)


@figure_names
@pytest.mark.parametrize("depth", [250, 1000, 1900])
def test_nesting_too_deep_for_the_parser_says_so(name, depth):
    # About 1,000 levels fit under the size limit; the standard library's parser would overflow Python's stack.
    for message in ("[" * depth + "]" * depth, '{"type": "set", "id": 4, "p": ' + "[" * depth + "]" * depth + "}"):
        assert utf8_size(message) <= MAX_MESSAGE_BYTES
        with pytest.raises(ProtocolError, match=r"^message nested too deeply"):
            FIGURES[name].parse(message)
        assert request_id_of(message) is None


def test_nesting_the_parser_reads_is_refused_at_the_field():
    with pytest.raises(ProtocolError, match=r"^p: input should be a valid number, got \[\[\[\[") as refused:
        FIGURES["playground"].parse('{"type": "set", "id": 4, "p": ' + "[" * 150 + "]" * 150 + "}")
    assert refused.value.request_id == 4


# -- near-valid commands -------------------------------------------------------------------------------

EXTREMES = st.sampled_from(
    [
        None, True, False, 0, -1, 2**31, 2**53 + 1, 2**63, -(2**63) - 1, 10**300, 0.0, -0.0, 0.5, 1e308, -1e308,
        5e-324, float("nan"), float("inf"), "", "0.5", "1", "true", "train", "eval", "blobs", "x" * 5000, "\x00",
        "\U0001f600", [], [1], [1, 2], [0.5, 0.5], [1, 2, 3], ["a", "b"], [None, None], [[1, 2], [3, 4]], {},
        {"a": 1}, {"type": "set"},
    ]
)  # fmt: skip


def plausible(annotation):
    """Values of the field's own type (some out of range), so that near-valid commands often parse."""
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is float:
        return st.floats(allow_nan=False, allow_infinity=False)
    if annotation is int:
        return st.integers(-(10**6), 10**6)
    if annotation is str:
        return st.text(max_size=12)
    if origin is typing.Literal:
        return st.sampled_from(arguments)
    if origin is tuple:
        return st.tuples(*map(plausible, arguments)).map(list)
    if type(None) in arguments:  # an optional field: its type or null
        return st.one_of(st.none(), *(plausible(argument) for argument in arguments if argument is not type(None)))
    raise AssertionError(f"no values for {annotation}: teach the fuzz test this field type")


def fields_of(protocol, command_type):
    return protocol.command_fields[command_type]


@st.composite
def near_valid(draw, protocol):
    """A figure's own command with its own fields, some given extreme or wrong values, sometimes with a
    wrong type or id, an unknown field, or no type."""
    all_types = sorted({command for other in FIGURES.values() for command in other.command_types})
    command_type = draw(st.sampled_from(protocol.command_types))
    message = {"type": command_type}
    for field, annotation in fields_of(protocol, command_type).items():
        if draw(st.booleans()):
            message[field] = draw(plausible(annotation) | EXTREMES)
    if draw(st.integers(0, 9)) == 7:
        message["type"] = draw(st.sampled_from(all_types) | EXTREMES)
    if draw(st.integers(0, 9)) == 7:
        del message["type"]
    if draw(st.integers(0, 9)) == 7:
        message[draw(st.text(max_size=10))] = draw(EXTREMES)
    if draw(st.booleans()):
        message["id"] = draw(st.integers(-(2**70), 2**70) | EXTREMES)
    return json.dumps(message)


@figure_names
@FUZZ
@given(data=st.data())
def test_near_valid_commands_are_commands_or_name_their_problem(name, data):
    protocol = FIGURES[name]
    message = data.draw(near_valid(protocol), label="message")
    answer = outcome(protocol, message)
    sent = json.loads(message)
    if isinstance(answer, ProtocolError):
        # The page waits for the answer to each id: a refusal of a readable id is answered under it.
        assert answer.request_id == expected_id(message)
        sentence = str(answer)
        fields = set(sent) | {"id"}
        if sent.get("type") in protocol.command_types:
            fields |= set(fields_of(protocol, sent["type"]))
        # Which field is wrong, and how, comes first: "p: input should be a valid number, got '0.5'".
        starts = ("unknown command", "every message needs", "message too large")
        starts += tuple(f"{field}{after}" for field in fields for after in (":", "."))
        starts += tuple("unknown field " + repr(field)[:40] for field in fields)
        assert sentence.startswith(starts), f"the refusal names no field of {message[:200]!r}: {sentence!r}"
    else:
        assert answer.type == sent["type"] and answer.id == sent.get("id")
        assert request_id_of(message) == answer.id


# -- reading the id of a message refused unread --------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "request_id"),
    [
        ('{"type": "set", "p": 0.3, "id": 7}', 7),
        (b'{"type": "set", "id": 8}', 8),
        ('{"id": -2, "type": "no such command", "colour": [1, 2]}', -2),
        ('{"type": "set", "id": true}', None),
        ('{"type": "set", "id": 7.0}', None),
        ('{"type": "set", "id": "7"}', None),
        ('{"type": "set", "p": {"id": 5}}', None),
        ('[{"id": 5}]', None),
        ('{"type": "set", "id": 5', None),
        ('{"id": 5, "pad": "' + "x" * MAX_MESSAGE_BYTES + '"}', None),
        (b'{"id": 5, "bad": "\xff"}', None),
        ('{"id": 5, "bad": "\ud800"}', None),
    ],
)
def test_the_id_of_a_message_refused_unread_is_read_when_it_can_be(message, request_id):
    assert request_id_of(message) == request_id


@FUZZ
@given(message=any_text | json_like_text | st.binary(max_size=200) | nested() | json_values.map(json.dumps))
def test_reading_an_id_never_fails(message):
    request_id = request_id_of(message)
    assert request_id is None or type(request_id) is int
