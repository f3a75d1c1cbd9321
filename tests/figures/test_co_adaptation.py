"""The co-adaptation figure without a browser: removing hidden units at test time, measured both ways."""

import numpy as np
import pytest

from dropout_playground.engine.ablation import remove_units
from dropout_playground.figures import CoAdaptation
from dropout_playground.figures.co_adaptation import HIDDEN, cached_study


def test_removing_half_the_units_hurts_the_network_without_dropout_more():
    """At k = N/2, averaged over the random sets, the p = 0 network loses more test accuracy than the
    p = 0.5 one, for each of three seeds and both datasets (measured: 0.75 against 0.97 on the spiral,
    0.73–0.79 against 0.88–0.94 on the moons), by at least five points each time."""
    for dataset in ("spiral", "moons"):
        for seed in range(3):
            study = cached_study(dataset, seed)
            half = int(np.searchsorted(study.k, study.units // 2))
            none, dropout = study.accuracy[:, half].mean(axis=1)
            assert dropout - none > 0.05, (dataset, seed, none, dropout)


def test_with_no_unit_removed_both_are_the_eval_networks_and_with_all_removed_both_guess():
    study = cached_study("spiral", 0)
    assert study.k[0] == 0 and study.k[-1] == study.units == sum(HIDDEN)
    # k = 0: every choice is the full network, so there is no spread.
    assert np.ptp(study.accuracy[:, 0], axis=1).max() == 0.0
    # k = N: every unit gone, every point gets the output bias's class: one class's share of the test set.
    assert np.ptp(study.accuracy[:, -1], axis=1).max() == 0.0


def test_removing_units_zeroes_them_without_rescaling():
    from dropout_playground import MLP

    net = MLP([2, 3, 2, 2], p=0.5, seed=0).eval()
    x = np.random.default_rng(0).normal(size=(5, 2))
    keep = np.array([[True, False, True, True, False], [True] * 5])
    removed = remove_units(net, x, keep)
    np.testing.assert_allclose(removed[1], net(x), rtol=1e-12)
    h1 = np.maximum(x @ net.weights[0] + net.biases[0], 0) * [1, 0, 1]
    h2 = np.maximum(h1 @ net.weights[1] + net.biases[1], 0) * [1, 0]
    logits = h2 @ net.weights[2] + net.biases[2]
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(removed[0], expected, rtol=1e-12)
    with pytest.raises(ValueError, match=r"keep must have shape \(rows, 5\)"):
        remove_units(net, x, keep[:, :4])


def test_the_frame_carries_the_curves_and_a_new_dataset_its_own():
    figure = CoAdaptation()
    frame = figure.frame()
    study = cached_study("spiral", 0)
    np.testing.assert_array_equal(frame.arrays["k"], study.k)
    np.testing.assert_allclose(frame.arrays["dropout_mean"], study.accuracy[1].mean(axis=1), rtol=1e-6)
    assert frame.values["sizes"] == [2, 32, 32, 2]
    figure.set(dataset="moons")
    assert figure.frame().values["settings"] == {"dataset": "moons", "seed": 0}
    with pytest.raises(ValueError, match="dataset must be one of spiral, moons, got 'mnist'"):
        figure.set(dataset="mnist")
    assert figure.frame().values["settings"]["dataset"] == "moons"
