"""Networks trained as the playground trains its own, shared by the ensemble figures."""

import numpy as np
import pytest

from dropout_playground.figures import Playground, PlaygroundSettings
from dropout_playground.figures.trained import trained_playground_network


def test_the_weights_are_those_the_playground_opens_with():
    trained = trained_playground_network("moons", (4, 5), 3)
    opened = Playground(PlaygroundSettings(dataset="moons", hidden=(4, 5), seed=3)).net.state_dict()
    assert trained.state.keys() == opened.keys()
    for name, weights in opened.items():
        np.testing.assert_array_equal(trained.state[name], weights)


def test_each_network_is_trained_once_and_cannot_be_changed_by_a_figure():
    first = trained_playground_network("blobs", (6, 6), 0)
    assert trained_playground_network("blobs", [6, 6], 0) is first  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="read-only"):
        first.state["weight.0"][0, 0] = 1.0
    # A figure's own copy can be changed without touching the shared weights.
    net = first.at(0.3, 0)
    net.weights[0][0, 0] += 1.0
    assert net.weights[0][0, 0] != first.state["weight.0"][0, 0] and net.p == 0.3
