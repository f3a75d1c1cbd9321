"""Exact versus sampled ensemble, driven without any front end: what the chart and its readouts say.

Statistical checks use bounds derived from the exact distribution over all 2^12 sub-networks (see
``sampling_bound``), never tolerances tuned to the output.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from dropout_playground.engine import accuracy, exact_average, monte_carlo_average
from dropout_playground.engine.subnetworks import layout_of, subnetwork_logits
from dropout_playground.figures import EnsembleGap, EnsembleGapSettings, Playground, ensemble_gap
from dropout_playground.figures.compute_once import ComputeOnceCache
from dropout_playground.figures.ensemble_gap import (
    K_GRID,
    K_INDEX,
    MASK_STREAMS,
    MAX_K,
    NETWORKS,
    P_CHOICES,
    ROUNDING,
    _train,
    cached_study,
    matching_k,
    mean_total_variation,
    measure,
    sampled_averages,
    trained_network,
)

# float32 carries the curves to the page: 2^-23 ≈ 1.2e-7 relative rounding, so 1e-6 is a safe margin.
FLOAT32_RTOL = 1e-6


@pytest.fixture(scope="module")
def two_layer():
    return EnsembleGap()


@pytest.fixture(scope="module")
def one_layer():
    return EnsembleGap(EnsembleGapSettings(network="one-layer"))


def column(k: int) -> int:
    return K_INDEX[k]


def enumerate_subnetworks(net, x):
    """Every one of the 2^N sub-networks at once: their logits (masks, classes, points), their softmax
    outputs, and the probability of each mask."""
    layout = layout_of(net, enumerable_only=True)
    n = layout.n_units
    codes = np.arange(2**n)
    keep = ((codes[:, None] >> np.arange(n)) & 1).astype(bool)
    q = layout.unit_keep_probabilities()
    weights = np.prod(np.where(keep, q, 1 - q), axis=1)
    logits = subnetwork_logits(net, x, layout, keep)
    outputs = np.exp(logits - logits.max(axis=1, keepdims=True))
    outputs /= outputs.sum(axis=1, keepdims=True)
    return logits, outputs, weights


def sampling_bound(values, weights, k: int, streams: int) -> float:
    """How far the streams' mean distance at K may lie from the exact distance, at 6 standard deviations.

    For one stream, the distance of the K-sample average from the eval network differs from the exact
    average's by at most U = ½ mean_x Σ_c |D_cx| (triangle inequality), where D is the sample mean of K
    draws minus its expectation, per class c and point x: Var D = σ²_cx / K, with σ² the exact variance
    over all sub-networks of ``values`` (outputs for the arithmetic mean; logits for the normalised
    geometric mean, since softmax(mean z) is the NWGM and ½‖softmax(a) − softmax(b)‖₁ ≤ ½ Σ_c |a_c − b_c|).
    Jensen: E U ≤ u = ½ mean_x Σ_c σ_cx/√K. Cauchy–Schwarz: E U² ≤ w = (C/4) mean_x Σ_c σ²_cx / K. The
    mean of independent streams then has mean ≤ u and standard deviation ≤ √(w/streams).
    """
    mean = np.tensordot(weights, values, axes=1)
    variance = np.tensordot(weights, values**2, axes=1) - mean**2  # (classes, points)
    sigma = np.sqrt(np.maximum(variance, 0.0))
    classes = values.shape[1]
    u = 0.5 * sigma.sum(axis=0).mean() / np.sqrt(k)
    w = classes / 4 * variance.sum(axis=0).mean() / k
    return float(u + 6 * np.sqrt(w / streams))


# -- what the figure shows on load ------------------------------------------------------------------


def test_on_load_the_chart_covers_k_from_1_to_1000_for_the_playgrounds_network(two_layer):
    frame = two_layer.frame()
    values = frame.values
    assert values["settings"] == {"network": "two-layer", "p": 0.5, "dataset": "blobs", "seed": 0}
    assert values["p_choices"] == [0.1, 0.2, 0.3, 0.5]
    assert values["sizes"] == [2, 6, 6, 3]
    assert values["droppable_units"] == 12 and values["subnetworks"] == 2**12
    assert values["mask_streams"] == MASK_STREAMS and values["max_k"] == MAX_K == 1000
    k = frame.arrays["k"]
    assert k.dtype == np.int32 and k[0] == 1 and k[-1] == 1000 and np.all(np.diff(k) > 0)
    assert {1, 10, 100, 1000} <= set(k.tolist())
    for name in ("arithmetic", "geometric"):
        mean, low, high = (frame.arrays[f"{name}_{part}"] for part in ("mean", "low", "high"))
        assert mean.dtype == np.float32 and mean.shape == k.shape
        assert np.all(low <= mean) and np.all(mean <= high)
    # Asking again without a command gives the same picture.
    again = two_layer.frame()
    for name, array in frame.arrays.items():
        np.testing.assert_array_equal(again.arrays[name], array)


def test_the_two_layer_network_is_the_playgrounds_default_trained_network(two_layer):
    playground = Playground()
    trained = trained_network("two-layer", "blobs", 0)
    for ours, theirs in zip(trained.state.values(), playground.net.state_dict().values()):
        np.testing.assert_array_equal(ours, theirs)
    # So the eval accuracy here is the one the playground shows.
    assert two_layer.frame().values["accuracy"]["eval"] == playground.frame().values["test_accuracy"]


def test_the_one_layer_network_has_twelve_hidden_units_trained_as_the_playground_trains(one_layer):
    values = one_layer.frame().values
    assert values["sizes"] == [2, 12, 3] and values["subnetworks"] == 4096
    # Trained at p = 0.5 from seed 0, the network classifies most blobs correctly.
    assert values["accuracy"]["eval"] > 0.9


# -- exact averages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("p", P_CHOICES)
def test_one_hidden_layer_the_exact_normalised_geometric_mean_is_the_eval_output(one_layer, p):
    figure = EnsembleGap(EnsembleGapSettings(network="one-layer", p=p))
    exact = figure.frame().values["exact"]
    assert exact["geometric_max_difference"] < ROUNDING
    assert exact["geometric_is_eval"] is True
    # ... and not the arithmetic mean: its difference is far above rounding.
    assert exact["arithmetic_max_difference"] > 1e6 * ROUNDING
    assert exact["arithmetic_tv"] > 1e6 * exact["geometric_tv"]


@pytest.mark.parametrize("dataset", ["spiral", "moons", "circles", "xor"])
def test_one_hidden_layer_exactness_holds_on_every_dataset(dataset):
    exact = EnsembleGap(EnsembleGapSettings(network="one-layer", dataset=dataset)).frame().values["exact"]
    assert exact["geometric_max_difference"] < ROUNDING


def test_two_hidden_layers_even_the_exact_geometric_mean_differs_from_eval(two_layer):
    exact = two_layer.frame().values["exact"]
    assert exact["geometric_max_difference"] > 1e6 * ROUNDING
    assert exact["geometric_is_eval"] is False
    assert exact["arithmetic_tv"] > exact["geometric_tv"] > 1e6 * ROUNDING


def test_the_exact_readouts_are_the_engines_exact_average(two_layer):
    trained = trained_network("two-layer", "blobs", 0)
    net = trained.at(0.5, 0)
    x, y = trained.data.x_test, trained.data.y_test
    exact = exact_average(net, x)
    values = two_layer.frame().values
    assert values["exact"]["arithmetic_tv"] == pytest.approx(mean_total_variation(exact.arithmetic, exact.eval_output))
    assert values["exact"]["geometric_tv"] == pytest.approx(mean_total_variation(exact.geometric, exact.eval_output))
    assert values["accuracy"]["eval"] == pytest.approx(accuracy(exact.eval_output, y))
    assert values["accuracy"]["exact_arithmetic"] == pytest.approx(accuracy(exact.arithmetic, y))
    assert values["accuracy"]["exact_geometric"] == pytest.approx(accuracy(exact.geometric, y))
    # Enumerated independently here, mask by mask probability, the averages agree.
    _, outputs, weights = enumerate_subnetworks(net, x)
    np.testing.assert_allclose(np.tensordot(weights, outputs, axes=1).T, exact.arithmetic, atol=1e-12)


# -- sampled averages --------------------------------------------------------------------------------


@pytest.mark.parametrize("network", ["two-layer", "one-layer"])
def test_each_stream_is_the_engines_monte_carlo_average(network):
    trained = trained_network(network, "blobs", 0)
    net = trained.at(0.3, 0)
    x = trained.data.x_test
    arithmetic, geometric = sampled_averages(net, x, seed=0)
    for stream in (0, MASK_STREAMS - 1):
        for k in (1, 7, 100, 1000):
            expected = monte_carlo_average(net, x, k, rng=np.random.default_rng([0, 4, stream]))
            np.testing.assert_allclose(arithmetic[stream, column(k)], expected.arithmetic, atol=1e-13)
            np.testing.assert_allclose(geometric[stream, column(k)], expected.geometric, atol=1e-13)


def test_the_curves_are_the_mean_and_range_of_the_streams_distances(two_layer):
    frame = two_layer.frame()
    trained = trained_network("two-layer", "blobs", 0)
    net = trained.at(0.5, 0)
    x = trained.data.x_test
    eval_output = net.forward(x, training=False, record=False).output
    for k in (1, 20, 1000):
        distances = [
            mean_total_variation(
                monte_carlo_average(net, x, k, rng=np.random.default_rng([0, 4, s])).arithmetic, eval_output
            )
            for s in range(MASK_STREAMS)
        ]
        i = column(k)
        assert frame.arrays["arithmetic_mean"][i] == pytest.approx(np.mean(distances), rel=FLOAT32_RTOL)
        assert frame.arrays["arithmetic_low"][i] == pytest.approx(min(distances), rel=FLOAT32_RTOL)
        assert frame.arrays["arithmetic_high"][i] == pytest.approx(max(distances), rel=FLOAT32_RTOL)


def test_with_one_sub_network_both_means_are_that_sub_network(two_layer):
    arrays = two_layer.frame().arrays
    np.testing.assert_allclose(arrays["arithmetic_mean"][0], arrays["geometric_mean"][0], rtol=FLOAT32_RTOL)


@pytest.mark.parametrize("network", ["two-layer", "one-layer"])
def test_at_k_1000_the_sampled_distances_are_within_the_derived_bound_of_the_exact_ones(network):
    figure = EnsembleGap(EnsembleGapSettings(network=network))
    frame = figure.frame()
    trained = trained_network(network, "blobs", 0)
    logits, outputs, weights = enumerate_subnetworks(trained.at(0.5, 0), trained.data.x_test)
    exact = frame.values["exact"]
    last = column(MAX_K)
    arithmetic_gap = abs(float(frame.arrays["arithmetic_mean"][last]) - exact["arithmetic_tv"])
    geometric_gap = abs(float(frame.arrays["geometric_mean"][last]) - exact["geometric_tv"])
    assert arithmetic_gap <= sampling_bound(outputs, weights, MAX_K, MASK_STREAMS)
    assert geometric_gap <= sampling_bound(logits, weights, MAX_K, MASK_STREAMS)


@pytest.mark.parametrize("network", ["two-layer", "one-layer"])
def test_averaging_brings_the_sampled_means_closer_to_eval_than_one_sub_network(network):
    # Not monotone in K: a small sample's arithmetic mean can land nearer eval than the exact mean does.
    arrays = EnsembleGap(EnsembleGapSettings(network=network)).frame().arrays
    for name in ("arithmetic", "geometric"):
        curve = arrays[f"{name}_mean"]
        assert curve[column(1000)] < curve[column(1)]


def test_the_sampled_geometric_mean_closes_in_on_the_eval_network_only_with_one_hidden_layer(one_layer, two_layer):
    one, two = one_layer.frame(), two_layer.frame()
    last = column(MAX_K)
    # With one hidden layer the sampled NWGM at K = 1000 is far closer to eval than the exact arithmetic mean;
    # with two, it stays at least as far as the exact NWGM, minus what sampling can account for.
    assert one.arrays["geometric_mean"][last] < one.values["exact"]["arithmetic_tv"] / 10
    assert two.arrays["geometric_mean"][last] > two.values["exact"]["geometric_tv"] / 2


# -- accuracy and the K that matches the eval network -------------------------------------------------


def test_matching_k_is_where_the_streams_mean_accuracy_stays_at_least_evals():
    correct = np.zeros((2, len(K_GRID)))
    correct[:, :] = 10
    correct[:, 3] = 12  # reaches eval once, then falls back
    correct[:, 6:] = 12
    assert matching_k(correct, 12) == int(K_GRID[6])
    assert matching_k(correct, 13) is None
    assert matching_k(np.full((2, len(K_GRID)), 12.0), 12) == 1


def test_accuracy_readouts_are_the_streams_means_at_k_1_10_100_1000(two_layer):
    values = two_layer.frame().values["accuracy"]
    assert values["k"] == [1, 10, 100, 1000]
    trained = trained_network("two-layer", "blobs", 0)
    net = trained.at(0.5, 0)
    x, y = trained.data.x_test, trained.data.y_test
    for i, k in enumerate(values["k"]):
        expected = np.mean(
            [
                accuracy(monte_carlo_average(net, x, k, rng=np.random.default_rng([0, 4, s])).arithmetic, y)
                for s in range(MASK_STREAMS)
            ]
        )
        assert values["arithmetic"][i] == pytest.approx(expected)


# -- settings -----------------------------------------------------------------------------------------


def test_frames_are_reproducible_from_their_settings():
    figure = EnsembleGap(EnsembleGapSettings(network="one-layer", p=0.3, dataset="moons", seed=7))
    frame = figure.frame()
    settings = frame.values["settings"]
    assert settings == {"network": "one-layer", "p": 0.3, "dataset": "moons", "seed": 7}
    # Rebuilt from scratch, without any cache: the same network, the same masks, the same numbers.
    fresh = measure(_train("one-layer", "moons", 7), 0.3, 7)
    np.testing.assert_array_equal(fresh.arithmetic_tv.mean(axis=0).astype(np.float32), frame.arrays["arithmetic_mean"])
    np.testing.assert_array_equal(fresh.geometric_tv.max(axis=0).astype(np.float32), frame.arrays["geometric_high"])
    assert fresh.exact_geometric_tv == frame.values["exact"]["geometric_tv"]
    # Another seed is another network and other masks.
    other = EnsembleGap(EnsembleGapSettings(network="one-layer", p=0.3, dataset="moons", seed=8)).frame()
    assert not np.array_equal(other.arrays["arithmetic_mean"], frame.arrays["arithmetic_mean"])


def test_set_changes_what_it_names_and_keeps_the_rest():
    figure = EnsembleGap()
    figure.set(p=0.2)
    assert figure.frame().values["settings"] == {"network": "two-layer", "p": 0.2, "dataset": "blobs", "seed": 0}
    figure.set(network="one-layer", dataset="xor")
    values = figure.frame().values
    assert values["settings"] == {"network": "one-layer", "p": 0.2, "dataset": "xor", "seed": 0}
    assert values["sizes"] == [2, 12, 2]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"network": "three-layer"}, "network must be one of two-layer, one-layer, got 'three-layer'"),
        ({"p": 0.45}, "p must be one of 0.1, 0.2, 0.3 or 0.5 for this chart (each is computed in advance), got 0.45"),
        ({"p": 1.5}, "p must be one of 0.1, 0.2, 0.3 or 0.5 for this chart (each is computed in advance), got 1.5"),
        ({"p": 0.0}, "p must be one of 0.1, 0.2, 0.3 or 0.5 for this chart (each is computed in advance), got 0"),
        ({"p": 1}, "p must be one of 0.1, 0.2, 0.3 or 0.5 for this chart (each is computed in advance), got 1"),
        ({"p": True}, "p must be one of 0.1, 0.2, 0.3 or 0.5 for this chart (each is computed in advance), got true"),
        ({"p": "0.5"}, "p must be one of 0.1, 0.2, 0.3 or 0.5 for this chart (each is computed in advance), got '0.5'"),
        ({"dataset": "mnist"}, "dataset must be one of blobs, spiral, moons, circles, xor, got 'mnist'"),
        ({"seed": -1}, "seed must be a whole number from 0 to 4294967295, got -1"),
        ({"p": 0.3, "seed": 2**32}, "seed must be a whole number"),
        ({"network": "one-layer", "p": 0.25}, "p must be one of 0.1, 0.2, 0.3 or 0.5"),
    ],
)
def test_bad_settings_are_refused_with_their_reason_and_nothing_changes(change, reason):
    figure = EnsembleGap()
    before = figure.frame()
    with pytest.raises(ValueError, match=re.escape(reason)):
        figure.set(**change)
    after = figure.frame()
    assert after.values == before.values
    np.testing.assert_array_equal(after.arrays["arithmetic_mean"], before.arrays["arithmetic_mean"])


# -- p as a choice, and the study computed in advance ------------------------------------------------


def test_every_p_choice_is_measured_at_that_p_for_both_networks():
    figure = EnsembleGap()
    for network in NETWORKS:
        trained = trained_network(network, "blobs", 0)
        x = trained.data.x_test
        for p in P_CHOICES:
            figure.set(network=network, p=p)
            values = figure.frame().values
            assert values["settings"]["p"] == p and values["p_choices"] == list(P_CHOICES)
            exact = exact_average(trained.at(p, 0), x)
            assert values["exact"]["arithmetic_tv"] == pytest.approx(
                mean_total_variation(exact.arithmetic, exact.eval_output)
            )


def refuse_to_compute(*args, **kwargs):
    raise AssertionError("a network or a measurement was computed again")


def test_changing_network_or_p_picks_from_the_study_without_computing(monkeypatch):
    figure = EnsembleGap()
    study = cached_study("blobs", 0)
    for name in ("study", "measure", "_train"):
        monkeypatch.setattr(ensemble_gap, name, refuse_to_compute)
    for network in NETWORKS:
        for p in P_CHOICES:
            figure.set(network=network, p=p)
            frame = figure.frame()
            measurement = study.measurements[(network, p)]
            assert frame.values["settings"] == {"network": network, "p": p, "dataset": "blobs", "seed": 0}
            assert frame.values["exact"]["geometric_tv"] == measurement.exact_geometric_tv
            np.testing.assert_array_equal(
                frame.arrays["geometric_mean"], measurement.geometric_tv.mean(axis=0).astype(np.float32)
            )


def test_a_study_is_computed_once_per_dataset_and_seed_and_kept(monkeypatch):
    real = cached_study("blobs", 0)
    asked = []

    def counted(dataset, seed):
        asked.append((dataset, seed))
        return real

    monkeypatch.setattr(ensemble_gap, "_studies", ComputeOnceCache(8))
    monkeypatch.setattr(ensemble_gap, "study", counted)
    figure = EnsembleGap()
    EnsembleGap(EnsembleGapSettings(network="one-layer", p=0.1))
    assert asked == [("blobs", 0)]
    figure.set(seed=5)
    figure.set(dataset="moons", network="one-layer", p=0.2)
    assert asked == [("blobs", 0), ("blobs", 5), ("moons", 5)]
    figure.set(dataset="blobs", seed=0)
    figure.set(network="two-layer", p=0.3)
    assert len(asked) == 3
