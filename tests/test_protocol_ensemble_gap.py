"""The ensemble-gap figure's wire: its one command, its settings in a page address, and a specific
sentence for every bad input."""

import json

import numpy as np
import pytest

from dropout_playground.figures import EnsembleGap, EnsembleGapSettings
from dropout_playground.protocol import FIGURES, ProtocolError, decode_frame, encode_frame

GAP = FIGURES["ensemble-gap"]
settings_from_query = GAP.settings_from_query
CHOICES = "p must be one of 0.1, 0.2, 0.3 or 0.5 for this chart (each is computed in advance)"


def test_the_figure_is_served_by_its_name():
    assert GAP.name == "ensemble-gap" and GAP.command_types == ("set",)


def test_set_parses_with_its_request_id():
    assert GAP.parse('{"type": "set", "p": 0.3, "id": 4}').model_dump(exclude_none=True) == {
        "type": "set",
        "p": 0.3,
        "id": 4,
    }
    every = GAP.parse('{"type": "set", "network": "one-layer", "p": 0.2, "dataset": "xor", "seed": 9}')
    assert (every.network, every.p, every.dataset, every.seed) == ("one-layer", 0.2, "xor", 9)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ('{"p": 0.5}', 'every message needs a "type": one of set'),
        ('{"type": "resample"}', "unknown command 'resample'; the commands are set"),
        ('{"type": "set", "p": "0.5"}', "p: input should be a valid number, got '0.5'"),
        ('{"type": "set", "seed": 1.5}', "seed: input should be a valid integer, got 1.5"),
        ('{"type": "set", "seed": true}', "seed: input should be a valid integer, got True"),
        ('{"type": "set", "network": 2}', "network: input should be a valid string, got 2"),
        ('{"type": "set", "k": 50}', "unknown field 'k'"),
    ],
)
def test_malformed_messages_get_a_specific_reason(message, reason):
    with pytest.raises(ProtocolError) as error:
        GAP.parse(message)
    assert reason in str(error.value)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ('{"type": "set", "p": 0.45}', f"{CHOICES}, got 0.45"),
        ('{"type": "set", "p": 1.7}', f"{CHOICES}, got 1.7"),
        ('{"type": "set", "p": -0.1}', f"{CHOICES}, got -0.1"),
        ('{"type": "set", "p": 0}', f"{CHOICES}, got 0"),
        ('{"type": "set", "network": "one-layer", "p": 0.25}', f"{CHOICES}, got 0.25"),
        ('{"type": "set", "network": "deep"}', "network must be one of two-layer, one-layer, got 'deep'"),
        (
            '{"type": "set", "dataset": "mnist"}',
            "dataset must be one of blobs, spiral, moons, circles, xor, got 'mnist'",
        ),
        ('{"type": "set", "seed": -1}', "seed must be a whole number from 0 to 4294967295, got -1"),
        # One bad value refuses the whole command: p does not change either.
        ('{"type": "set", "p": 0.2, "dataset": "mnist"}', "dataset must be one of blobs"),
        ('{"type": "set", "network": "one-layer", "p": 0.45}', f"{CHOICES}, got 0.45"),
    ],
)
def test_refused_values_get_a_specific_reason_and_the_figure_goes_on(message, reason):
    figure = EnsembleGap()
    before = figure.frame().values
    with pytest.raises(ProtocolError) as error:
        GAP.apply(figure, GAP.parse(message))
    assert str(error.value).startswith(reason)
    assert figure.frame().values == before


@pytest.mark.parametrize("p", [0.1, 0.2, 0.3, 0.5])
def test_every_p_choice_is_accepted(p):
    figure = EnsembleGap()
    GAP.apply(figure, GAP.parse(f'{{"type": "set", "p": {p}}}'))
    values = figure.frame().values
    assert values["settings"]["p"] == p and p in values["p_choices"]


def test_set_drives_the_figure():
    figure = EnsembleGap()
    GAP.apply(figure, GAP.parse('{"type": "set", "network": "one-layer", "p": 0.2}'))
    values = figure.frame().values
    assert values["settings"] == {"network": "one-layer", "p": 0.2, "dataset": "blobs", "seed": 0}
    assert values["exact"]["geometric_is_eval"] is True


def test_a_frame_encodes_and_decodes():
    frame = EnsembleGap().frame()
    header, arrays = decode_frame(encode_frame("ensemble-gap", frame))
    assert header["values"] == json.loads(json.dumps(frame.values))
    for name, array in frame.arrays.items():
        np.testing.assert_array_equal(arrays[name], array)


def test_settings_from_a_page_address():
    settings, problems = settings_from_query({"network": "one-layer", "p": "0.3", "dataset": "moons", "seed": "4"})
    assert problems == []
    assert settings == EnsembleGapSettings(network="one-layer", p=0.3, dataset="moons", seed=4)
    figure, problems = GAP.create({"network": "one-layer", "p": "0.3", "dataset": "moons", "seed": "4"})
    assert problems == [] and figure.frame().values["settings"] == {
        "network": "one-layer",
        "p": 0.3,
        "dataset": "moons",
        "seed": 4,
    }


def test_p_in_the_address_is_read_as_written_in_a_link():
    # "0.30" is how a person might type it; it is the choice 0.3.
    settings, problems = settings_from_query({"p": "0.30"})
    assert problems == [] and settings.p == 0.3


def test_a_p_that_is_not_a_choice_is_ignored_in_the_address():
    settings, problems = settings_from_query({"p": "0.45", "network": "one-layer"})
    assert settings == EnsembleGapSettings(network="one-layer")
    assert problems == [f"p=0.45 in the address was ignored: {CHOICES}, got 0.45"]
    figure, problems = GAP.create({"p": "0.45"})
    assert figure.frame().values["settings"]["p"] == 0.5 and problems == [
        f"p=0.45 in the address was ignored: {CHOICES}, got 0.45"
    ]


def test_bad_address_values_are_ignored_one_by_one_and_named():
    settings, problems = settings_from_query({"network": "deep", "p": "x", "dataset": "moons", "seed": "-3"})
    assert settings == EnsembleGapSettings(dataset="moons")
    assert problems == [
        "network=deep in the address was ignored: network must be one of two-layer, one-layer, got 'deep'",
        "p=x in the address was ignored: expected a number, got 'x'",
        "seed=-3 in the address was ignored: seed must be a whole number from 0 to 4294967295, got -3",
    ]
