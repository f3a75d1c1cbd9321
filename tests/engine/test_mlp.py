"""The MLP: modes, explicit masks, what a forward pass records, hand-written gradients, state."""

import math

import numpy as np
import pytest

from dropout_playground import MLP

X = np.random.default_rng(0).normal(size=(7, 2))


def net_2_6_6_3(**options):
    return MLP([2, 6, 6, 3], seed=0, **options)


def test_train_and_eval_return_the_net_and_set_training_like_pytorch():
    net = net_2_6_6_3()
    assert net.training
    assert net.eval() is net and not net.training
    assert net.train() is net and net.training
    assert net.train(False) is net and not net.training


def test_training_mode_flickers_and_eval_mode_is_deterministic():
    net = net_2_6_6_3(p=0.5)
    train_outputs = [net(X) for _ in range(5)]
    assert not all(np.array_equal(train_outputs[0], out) for out in train_outputs[1:])
    net.eval()
    eval_outputs = [net(X) for _ in range(5)]
    assert all(np.array_equal(eval_outputs[0], out) for out in eval_outputs[1:])


def test_softmax_outputs_are_probabilities():
    out = net_2_6_6_3()(X)
    assert out.shape == (7, 3)
    assert np.all(out >= 0)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-12)


def test_sigmoid_and_linear_outputs():
    sig = MLP([2, 5, 1], output="sigmoid", seed=0).eval()(X)
    assert sig.shape == (7, 1) and np.all((sig > 0) & (sig < 1))
    lin = MLP([2, 5, 2], output="linear", seed=0).eval()
    np.testing.assert_allclose(lin(X), lin.forward(X).logits)


def test_seed_reproduces_weights_and_masks():
    a, b = net_2_6_6_3(p=0.5), net_2_6_6_3(p=0.5)
    for wa, wb in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(wa, wb)
    for _ in range(3):
        np.testing.assert_array_equal(a(X), b(X))
        for ma, mb in zip(a.last_pass.masks, b.last_pass.masks):
            np.testing.assert_array_equal(ma, mb)


def test_reset_restores_the_initial_weights_and_mask_stream_in_place():
    net = net_2_6_6_3(p=0.5)
    first_weights = [w.copy() for w in net.parameters()]
    first_output = net(X)
    arrays = net.parameters()
    for w in arrays:
        w += 1.0
    net(X)
    net.reset()
    assert all(old is new for old, new in zip(arrays, net.parameters()))
    for w, expected in zip(net.parameters(), first_weights):
        np.testing.assert_array_equal(w, expected)
    np.testing.assert_array_equal(net(X), first_output)


def test_initial_weights_are_uniform_within_one_over_sqrt_fan_in_like_nn_linear():
    net = MLP([50, 400, 3], seed=1)
    for w, b in zip(net.weights, net.biases):
        bound = 1 / math.sqrt(w.shape[0])
        assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
        assert np.abs(w).max() > 0.95 * bound


def test_a_forward_pass_records_masks_pre_activations_and_activations():
    net = net_2_6_6_3(p=0.5)
    out = net(X)
    record = net.last_pass
    assert record.training
    assert [m.shape for m in record.masks] == [(7, 6), (7, 6)]
    assert [z.shape for z in record.pre_activations] == [(7, 6), (7, 6), (7, 3)]
    np.testing.assert_allclose(record.activations[0], np.maximum(X @ net.weights[0] + net.biases[0], 0))
    # What the next layer received is the activation, masked and scaled by 1/(1 − p).
    np.testing.assert_allclose(record.layer_inputs[1], record.activations[0] * record.masks[0] / 0.5)
    np.testing.assert_array_equal(record.output, out)
    # Masks differ from example to example in a batch.
    assert len({tuple(row) for row in record.masks[0]}) > 1


def test_eval_records_every_unit_alive():
    net = net_2_6_6_3(p=0.9).eval()
    net(X)
    assert all(m.all() for m in net.last_pass.masks)
    assert not net.last_pass.training


def test_explicit_masks_run_that_sub_network_with_train_time_scaling():
    net = net_2_6_6_3(p=0.2)
    m1 = np.array([1, 0, 1, 1, 0, 1])
    m2 = np.array([0, 1, 1, 1, 1, 1], dtype=bool)
    out = net(X, masks=[m1, m2])
    h1 = np.maximum(X @ net.weights[0] + net.biases[0], 0) * m1 / 0.8
    h2 = np.maximum(h1 @ net.weights[1] + net.biases[1], 0) * m2 / 0.8
    z = h2 @ net.weights[2] + net.biases[2]
    expected = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    # The same in eval mode: explicit masks choose the sub-network whatever the mode.
    np.testing.assert_array_equal(net.eval()(X, masks=[m1, m2]), out)


def test_per_example_masks():
    net = net_2_6_6_3(p=0.5)
    masks = [np.random.default_rng(1).random((7, 6)) < 0.5 for _ in range(2)]
    batch = net(X, masks=masks)
    for i in range(7):
        single = net(X[i : i + 1], masks=[m[i] for m in masks])
        np.testing.assert_allclose(batch[i], single[0], rtol=1e-12)


def test_at_p_zero_the_full_sub_network_is_the_eval_network():
    net = net_2_6_6_3(p=0.0)
    ones = [np.ones(6), np.ones(6)]
    np.testing.assert_allclose(net(X, masks=ones), net.eval()(X), rtol=1e-15)


@pytest.mark.parametrize(
    ("masks", "message"),
    [
        ([np.ones(6)], "expected 2 masks"),
        ([np.ones(5), np.ones(6)], r"masks\[0\] must have shape \(6,\) or \(7, 6\)"),
        ([np.ones(6), np.full(6, 0.5)], r"masks\[1\] must contain only 0 \(dropped\) and 1 \(kept\)"),
    ],
)
def test_bad_masks_are_refused_clearly(masks, message):
    with pytest.raises(ValueError, match=message):
        net_2_6_6_3()(X, masks=masks)


def test_input_dropout_drops_inputs_only_when_p_input_is_set():
    net = MLP([4, 8, 2], p=0.0, p_input=0.2, seed=0)
    net(np.ones((1000, 4)))
    kept = net.last_pass.input_mask.mean()
    # Binomial(4000, 0.8): σ/n = √(0.16/4000) = 0.0063, and 6σ = 0.038.
    assert abs(kept - 0.8) < 0.038
    np.testing.assert_allclose(net.last_pass.layer_inputs[0], net.last_pass.input_mask / 0.8)
    assert MLP([4, 8, 2], p=0.5, seed=0).forward(np.ones((10, 4))).input_mask.all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sizes": [2]}, "at least two positive layer widths"),
        ({"sizes": [2, 0, 3]}, "at least two positive layer widths"),
        ({"sizes": [2, 3], "p": 1.7}, "between 0 and 1, but got 1.7"),
        ({"sizes": [2, 3], "p_input": -0.2}, "between 0 and 1, but got -0.2"),
        ({"sizes": [2, 3], "activation": "gelu"}, "activation must be one of"),
        ({"sizes": [2, 3], "output": "softplus"}, "output must be one of"),
        ({"sizes": [2, 1]}, "softmax output needs at least 2 classes"),
        ({"sizes": [2, 3], "scaling": "half"}, "scaling must be one of"),
    ],
)
def test_bad_settings_are_refused_clearly(kwargs, message):
    sizes = kwargs.pop("sizes")
    with pytest.raises(ValueError, match=message):
        MLP(sizes, **kwargs)


def test_setting_p_validates_and_keeps_the_old_value_on_error():
    net = net_2_6_6_3(p=0.3)
    with pytest.raises(ValueError, match=r"but got 1\.5"):
        net.p = 1.5
    assert net.p == 0.3
    net.p = 0.1
    assert net.p == 0.1


def test_bad_input_shapes_are_refused_clearly():
    net = net_2_6_6_3()
    with pytest.raises(ValueError, match=r"use x\[None\] for one example"):
        net(np.ones(2))
    with pytest.raises(ValueError, match=r"x must have shape \(batch, 2\), got \(4, 3\)"):
        net(np.ones((4, 3)))


def test_p_one_in_training_gives_finite_outputs():
    net = net_2_6_6_3(p=1.0)
    out = net(X)
    assert np.all(np.isfinite(out))
    assert all(not m.any() for m in net.last_pass.masks)


# -- gradients against finite differences ---------------------------------------------------------


def numerical_gradient(f, array, eps=1e-6):
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + eps
        up = f()
        array[index] = saved - eps
        down = f()
        array[index] = saved
        grad[index] = (up - down) / (2 * eps)
    return grad


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize(
    ("output", "sizes", "targets"),
    [
        ("softmax", [3, 5, 4, 3], np.array([0, 2, 1, 2, 0])),
        ("sigmoid", [3, 5, 4, 1], np.array([1, 0, 1, 1, 0])),
        ("linear", [3, 5, 4, 2], np.random.default_rng(9).normal(size=(5, 2))),
    ],
)
@pytest.mark.parametrize("scaling", ["inverted", "classic"])
def test_backward_matches_finite_differences(activation, output, sizes, targets, scaling):
    net = MLP(sizes, p=0.2, p_input=0.1, activation=activation, output=output, scaling=scaling, seed=3)
    x = np.random.default_rng(4).normal(size=(5, 3))
    rng = np.random.default_rng(5)
    masks = [rng.random((5, n)) < 0.8 for n in sizes[1:-1]]
    input_mask = rng.random((5, 3)) < 0.9
    loss, grads = net.gradients(x, targets, masks, input_mask=input_mask)

    def loss_now():
        return net.loss(x, targets, masks, input_mask=input_mask)

    assert loss == loss_now()
    for analytic, param in zip(grads.as_list(), net.parameters()):
        np.testing.assert_allclose(analytic, numerical_gradient(loss_now, param), rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(grads.inputs, numerical_gradient(loss_now, x), rtol=1e-5, atol=1e-8)


def test_backward_in_eval_mode_uses_every_unit():
    net = MLP([2, 4, 3], p=0.5, activation="tanh", seed=0).eval()
    x, y = X[:3], np.array([0, 1, 2])
    _, grads = net.gradients(x, y)
    numeric = numerical_gradient(lambda: net.loss(x, y), net.weights[0])
    np.testing.assert_allclose(grads.weights[0], numeric, rtol=1e-5, atol=1e-8)


def test_dropped_units_get_no_gradient():
    net = net_2_6_6_3(p=0.5)
    m1 = np.array([1, 1, 0, 1, 0, 1])
    _, grads = net.gradients(X, np.zeros(7, dtype=int), [m1, np.ones(6)])
    # Weights into a dropped unit and out of it learn nothing from this pass.
    assert np.all(grads.weights[0][:, m1 == 0] == 0)
    assert np.all(grads.biases[0][m1 == 0] == 0)
    assert np.all(grads.weights[1][m1 == 0, :] == 0)


def test_backward_before_any_forward_pass_is_refused():
    with pytest.raises(RuntimeError, match="needs a forward pass first"):
        net_2_6_6_3().backward(np.zeros((7, 3)))


def test_bad_targets_are_refused_clearly():
    net = net_2_6_6_3()
    with pytest.raises(ValueError, match=r"class labels must lie in 0..2, got 0..3"):
        net.loss(X, np.array([0, 1, 2, 3, 0, 0, 0]))
    with pytest.raises(ValueError, match="expected 7 class labels"):
        net.loss(X, np.array([0, 1]))
    with pytest.raises(ValueError, match="whole numbers"):
        net.loss(X, np.full(7, 0.5))


# -- state ---------------------------------------------------------------------------------------


def test_state_dict_round_trips_into_a_fresh_network():
    trained = net_2_6_6_3()
    for w in trained.parameters():
        w *= 1.5
    fresh = MLP([2, 6, 6, 3], seed=99)
    fresh.load_state_dict(trained.state_dict())
    np.testing.assert_array_equal(fresh.eval()(X), trained.eval()(X))


def test_state_dict_is_a_copy():
    net = net_2_6_6_3()
    state = net.state_dict()
    state["weight.0"] += 1.0
    assert not np.array_equal(state["weight.0"], net.weights[0])
    assert sorted(state) == ["bias.0", "bias.1", "bias.2", "weight.0", "weight.1", "weight.2"]


def test_load_state_dict_refuses_what_does_not_fit_and_changes_nothing():
    net = net_2_6_6_3()
    before = net.state_dict()
    state = MLP([2, 6, 5, 3], seed=0).state_dict()
    with pytest.raises(ValueError, match=r"weight.1 has shape \(6, 5\), this network needs \(6, 6\)"):
        net.load_state_dict(state)
    with pytest.raises(KeyError, match=r"missing \['bias.2'\]"):
        net.load_state_dict({k: v for k, v in before.items() if k != "bias.2"})
    broken = dict(before, **{"bias.0": np.full(6, np.nan)})
    with pytest.raises(ValueError, match=r"bias\.0 contains NaN"):
        net.load_state_dict(broken)
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_repr_names_the_architecture_and_mode():
    assert repr(net_2_6_6_3(p=0.1).eval()) == (
        "MLP(2 → 6 → 6 → 3, p=0.1, p_input=0.0, activation='relu', output='softmax', "
        "scaling='inverted', training=False)"
    )


def test_parameters_are_the_live_arrays_in_a_list_of_the_callers_own():
    net = net_2_6_6_3()
    params = net.parameters()
    params[0] += 1.0
    np.testing.assert_array_equal(net.weights[0], params[0])
    params.clear()
    assert len(net.parameters()) == 6


def test_a_pass_can_override_the_mode_without_changing_it():
    net = net_2_6_6_3(p=0.5).train()
    evaluated = net.forward(X, training=False)
    np.testing.assert_array_equal(evaluated.output, net.eval()(X))
    net.train()
    assert net.forward(X, training=False).masks[0].all() and net.training
    assert not net.eval().forward(X, training=True).masks[0].all() and not net.training
