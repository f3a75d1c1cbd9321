"""The ensemble of sub-networks: exact identities from SCIENCE.md 6–8, checked against the engine."""

import itertools

import numpy as np
import pytest

from dropout_playground import MLP, blobs, exact_average, monte_carlo_average, train, two_moons
from dropout_playground.engine.exact_softmax import exact_softmax_sums


def product_route_applies(net, x):
    hidden = np.maximum(x @ net.weights[0] + net.biases[0], 0)
    return exact_softmax_sums(hidden, net.weights[1], net.biases[1], 1 / (1 - net.p), net.p, 4) is not None


DATA = blobs(n_samples=150, seed=2)
X = DATA.x_test


def trained(sizes, p, **options):
    net = MLP(sizes, p=p, seed=1, **options)
    train(net, DATA, epochs=15, lr=0.02)
    return net


def brute_force_average(net, x):
    """Σ P(m) O_m, the normalised geometric mean and the variance over masks, by a plain loop over every
    mask of the hidden units through the network's own forward pass: an independent route to the sums."""
    widths = net.hidden_sizes
    arithmetic, second_moment, logs, complement_logs = 0.0, 0.0, 0.0, 0.0
    for bits in itertools.product([0, 1], repeat=sum(widths)):
        bits = np.array(bits)
        probability = np.prod(np.where(bits == 1, 1 - net.p, net.p))
        out = net(x, masks=np.split(bits, np.cumsum(widths)[:-1]))
        arithmetic = arithmetic + probability * out
        second_moment = second_moment + probability * out**2
        if net.output != "linear":
            logs = logs + probability * np.log(out)
            complement_logs = complement_logs + probability * np.log1p(-out)
    if net.output == "softmax":
        geometric = np.exp(logs) / np.exp(logs).sum(axis=1, keepdims=True)
    elif net.output == "sigmoid":
        geometric = np.exp(logs) / (np.exp(logs) + np.exp(complement_logs))
    else:
        geometric = None
    return arithmetic, geometric, second_moment - arithmetic**2


@pytest.mark.parametrize("p", [0.1, 0.2, 0.5])
@pytest.mark.parametrize("scaling", ["inverted", "classic"])
def test_one_hidden_layer_softmax_eval_output_is_exactly_the_normalised_geometric_mean(p, scaling):
    net = trained([2, 10, 3], p, scaling=scaling)
    result = exact_average(net, X)
    assert result.n_subnetworks == 2**10
    np.testing.assert_allclose(result.geometric, result.eval_output, rtol=0, atol=1e-12)
    # ... and not the arithmetic mean: the gap is many orders of magnitude above rounding.
    assert np.abs(result.arithmetic - result.eval_output).max() > 1e-3


@pytest.mark.parametrize("p", [0.1, 0.2, 0.5])
def test_one_hidden_layer_sigmoid_eval_output_is_exactly_the_normalised_geometric_mean(p):
    moons = two_moons(n_samples=150, seed=2)
    net = MLP([2, 12, 1], p=p, output="sigmoid", seed=1)
    train(net, moons, epochs=15, lr=0.02)
    result = exact_average(net, moons.x_test)
    np.testing.assert_allclose(result.geometric, result.eval_output, rtol=0, atol=1e-12)
    assert np.abs(result.arithmetic - result.eval_output).max() > 1e-3


def test_without_scaling_the_eval_network_is_not_the_geometric_mean():
    net = trained([2, 10, 3], 0.2, scaling="none")
    result = exact_average(net, X)
    assert np.abs(result.geometric - result.eval_output).max() > 1e-3


def test_deeper_networks_only_approximate_the_geometric_mean():
    net = trained([2, 6, 6, 3], 0.5)
    result = exact_average(net, X)
    assert result.n_subnetworks == 2**12
    assert np.abs(result.geometric - result.eval_output).max() > 1e-4


@pytest.mark.parametrize(
    ("sizes", "options"),
    [([2, 4, 3, 3], {}), ([2, 5, 3], {}), ([2, 3, 3, 1], {"output": "sigmoid"}), ([2, 4, 2], {"output": "linear"})],
)
def test_vectorised_enumeration_matches_a_loop_over_every_mask(sizes, options):
    net = MLP(sizes, p=0.3, seed=4, **options)
    x = X[:9]
    arithmetic, geometric, _ = brute_force_average(net, x)
    result = exact_average(net, x)
    np.testing.assert_allclose(result.arithmetic, arithmetic, rtol=1e-12, atol=1e-14)
    if geometric is None:
        assert result.geometric is None
    else:
        np.testing.assert_allclose(result.geometric, geometric, rtol=1e-12)


def test_the_product_route_and_the_general_route_agree(monkeypatch):
    net = trained([2, 12, 3], 0.3)
    assert product_route_applies(net, X)
    fast = exact_average(net, X)
    monkeypatch.setattr("dropout_playground.engine.ensemble.shared_last_hidden", lambda *args: None)
    general = exact_average(net, X)
    np.testing.assert_allclose(fast.arithmetic, general.arithmetic, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(fast.geometric, general.geometric, rtol=1e-12, atol=1e-15)


def test_huge_logits_fall_back_to_the_general_route_and_stay_finite():
    net = MLP([2, 8, 3], p=0.5, seed=0)
    for w in net.parameters():
        w *= 400.0  # logits in the tens of thousands: products of exponentials would underflow
    assert not product_route_applies(net, X[:5])
    result = exact_average(net, X[:5])
    assert np.all(np.isfinite(result.arithmetic)) and np.all(np.isfinite(result.geometric))
    np.testing.assert_allclose(result.arithmetic.sum(axis=1), 1.0, rtol=1e-12)


def test_input_dropout_is_part_of_the_enumeration():
    net = MLP([2, 4, 3], p=0.5, p_input=0.2, seed=0)
    assert exact_average(net, X).n_subnetworks == 2 ** (2 + 4)
    # Units that are never dropped (p = 0) are not enumerated.
    assert exact_average(MLP([2, 4, 3], p=0.0, seed=0), X).n_subnetworks == 1


def test_more_than_twenty_droppable_units_is_refused_with_a_pointer_to_monte_carlo():
    with pytest.raises(ValueError, match=r"at most 20 droppable units.*has 24\. Use monte_carlo_average"):
        exact_average(MLP([2, 12, 12, 3], seed=0), X)


def test_monte_carlo_average_converges_to_the_exact_average_within_its_standard_error():
    net = trained([2, 5, 4, 3], 0.5)
    x = X[:12]
    exact_arithmetic, _, variance = brute_force_average(net, x)
    k = 4000
    sampled = monte_carlo_average(net, x, k, rng=np.random.default_rng(11))
    # Each entry is a mean of k independent draws with the exact variance computed by enumeration:
    # its standard error is √(Var/k); 6 standard errors (plus rounding) bound every entry.
    bound = 6 * np.sqrt(variance / k) + 1e-12
    assert np.all(np.abs(sampled.arithmetic - exact_arithmetic) <= bound)


def test_for_a_deeper_net_the_monte_carlo_gap_shrinks_as_k_grows():
    net = trained([2, 6, 6, 3], 0.5)
    exact = exact_average(net, X)

    def gap(k):
        # Mean absolute gap, averaged over 8 seeds so that one lucky draw cannot decide.
        return np.mean(
            [
                np.abs(
                    monte_carlo_average(net, X, k, rng=np.random.default_rng(seed)).geometric - exact.geometric
                ).mean()
                for seed in range(8)
            ]
        )

    gaps = [gap(k) for k in (1, 10, 100, 1000)]
    # The error of a mean of k draws falls like 1/√k: a factor √10 ≈ 3.2 per step. Ask for 2.
    assert all(later < earlier / 2 for earlier, later in itertools.pairwise(gaps))


def test_monte_carlo_is_reproducible_and_uses_the_network_generator_by_default():
    net = trained([2, 6, 3], 0.5)
    a = monte_carlo_average(net, X, 20, rng=np.random.default_rng(3))
    b = monte_carlo_average(net, X, 20, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a.arithmetic, b.arithmetic)
    c, d = monte_carlo_average(net, X, 20), monte_carlo_average(net, X, 20)
    assert not np.array_equal(c.arithmetic, d.arithmetic)


def test_averages_leave_the_network_mode_and_record_alone():
    net = trained([2, 6, 3], 0.5).train()
    net(X)
    record = net.last_pass
    exact_average(net, X)
    monte_carlo_average(net, X, 5)
    assert net.training and net.last_pass is record


@pytest.mark.parametrize("k", [0, -3, 2.5, True])
def test_bad_k_is_refused(k):
    with pytest.raises(ValueError, match="k must be a positive whole number"):
        monte_carlo_average(MLP([2, 3, 3], seed=0), X, k)


# -- when the eval network is exactly the geometric mean, and when not (SCIENCE 7, 8) --------------------


def test_input_dropout_under_a_hidden_layer_makes_the_eval_network_only_an_approximation():
    exact_without = exact_average(trained([2, 6, 3], 0.5), X)
    np.testing.assert_allclose(exact_without.geometric, exact_without.eval_output, rtol=0, atol=1e-12)
    # The same network trained with input dropout as well: the dropped inputs pass through the ReLU layer.
    net = trained([2, 6, 3], 0.5, p_input=0.2)
    result = exact_average(net, X)
    assert result.n_subnetworks == 2 ** (2 + 6)
    assert np.abs(result.geometric - result.eval_output).max() > 1e-3
    # Input dropout alone under a hidden layer is not exact either.
    inputs_only = MLP([2, 6, 3], p=0.0, p_input=0.2, seed=1).load_state_dict(net.state_dict())
    inputs_result = exact_average(inputs_only, X)
    assert inputs_result.n_subnetworks == 2**2
    assert np.abs(inputs_result.geometric - inputs_result.eval_output).max() > 1e-4


@pytest.mark.parametrize(("outputs", "kind"), [(1, "sigmoid"), (3, "softmax")])
def test_regression_with_input_dropout_only_is_exact_again(outputs, kind):
    # Logistic (or softmax) regression: the inputs are the one dropped layer, feeding the output directly.
    net = MLP([7, outputs], p=0.0, p_input=0.3, output=kind, seed=5)
    for w in net.parameters():
        w *= 3.0  # weights large enough that the arithmetic mean is far from the eval output
    x = np.random.default_rng(0).normal(size=(20, 7))
    result = exact_average(net, x)
    assert result.n_subnetworks == 2**7
    np.testing.assert_allclose(result.geometric, result.eval_output, rtol=0, atol=1e-12)
    assert np.abs(result.arithmetic - result.eval_output).max() > 1e-2


def test_at_p_one_every_sub_network_is_the_output_bias_and_the_mean_is_not_kept():
    # Inverted scaling at p = 1 multiplies by 0 (SCIENCE 2): every sub-network outputs the bias.
    net = MLP([2, 4, 1], p=1.0, output="linear", seed=0)
    result = exact_average(net, X[:5])
    assert result.n_subnetworks == 1
    np.testing.assert_allclose(result.arithmetic, np.broadcast_to(net.biases[1], (5, 1)), rtol=0, atol=0)
    assert np.abs(result.arithmetic - result.eval_output).max() > 1e-3
