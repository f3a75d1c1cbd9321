"""The engine against real PyTorch: the same weights and masks give the same numbers.

PyTorch draws masks from its own generator, so these tests hand both sides the same masks: the engine
takes them explicitly, and the PyTorch model built by ``to_torch()`` has forward hooks on its ``Dropout``
modules that replace the random output with ``input · mask / (1 − p)``.
"""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dropout_playground import MLP, SGD, Adam, dropout, to_torch


class FixedUniforms:
    """Stands in for a numpy Generator and returns chosen uniforms, so a given mask can be replayed:
    a unit is kept when its uniform is ≥ p."""

    def __init__(self, keep):
        self.keep = np.asarray(keep)

    def random(self, shape):
        assert shape == self.keep.shape
        return np.where(self.keep, 1.0 - 1e-12, 0.0)


@pytest.mark.parametrize("p", [0.0, 0.1, 0.2, 0.5, 0.9, 1.0])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_dropout_in_training_matches_torch_for_the_same_mask(p, dtype):
    torch.manual_seed(0)
    x = torch.randn(64, 32, dtype=dtype) + 3.0  # no exact zeros, so a zero output means "dropped"
    expected = F.dropout(x, p, training=True)
    keep = (expected != 0).numpy()
    ours = dropout(x.numpy(), p, rng=FixedUniforms(keep))
    assert ours.dtype == x.numpy().dtype
    tolerance = 1e-6 if dtype == torch.float32 else 1e-12
    np.testing.assert_allclose(ours, expected.numpy(), rtol=tolerance, atol=0)


@pytest.mark.parametrize("p", [0.0, 0.1, 0.5, 1.0])
def test_dropout_in_eval_matches_torch(p):
    x = torch.randn(10, 4, dtype=torch.float64)
    np.testing.assert_array_equal(
        dropout(x.numpy(), p, rng=np.random.default_rng(0), training=False), F.dropout(x, p, training=False)
    )
    module = torch.nn.Dropout(p).eval()
    np.testing.assert_array_equal(dropout(x.numpy(), p, rng=np.random.default_rng(0), training=False), module(x))


@pytest.mark.parametrize("p", [0.1, 0.2, 0.5])
def test_dropout_keep_rate_matches_torch_statistically(p):
    # Both keep-counts among n = 10⁶ units are Binomial(n, 1 − p): each lies within 6σ of n(1 − p).
    n = 1_000_000
    torch.manual_seed(1)
    torch_kept = int((F.dropout(torch.ones(n, dtype=torch.float64), p) != 0).sum())
    _, mask = dropout(np.ones(n), p, rng=np.random.default_rng(1), return_mask=True)
    sigma = math.sqrt(n * p * (1 - p))
    for kept in (torch_kept, int(mask.sum())):
        assert abs(kept - n * (1 - p)) <= 6 * sigma


@pytest.mark.parametrize("bad", [-0.1, 1.5, -1e-9, 2])
def test_invalid_p_gives_torchs_error_message(bad):
    with pytest.raises(ValueError) as theirs:
        F.dropout(torch.ones(3), bad)
    with pytest.raises(ValueError) as ours:
        dropout(np.ones(3), bad, rng=np.random.default_rng(0))
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError) as module_error:
        torch.nn.Dropout(bad)
    assert str(ours.value) == str(module_error.value)


def test_nan_p_gives_torchs_message_as_a_value_error():
    # PyTorch raises RuntimeError for NaN from its kernel; ours is a ValueError with the same text.
    with pytest.raises(RuntimeError) as theirs:
        F.dropout(torch.ones(3), float("nan"))
    with pytest.raises(ValueError) as ours:
        dropout(np.ones(3), float("nan"), rng=np.random.default_rng(0))
    assert str(ours.value) == str(theirs.value)


# -- the network ---------------------------------------------------------------------------------


def replay_masks(model, masks):
    """Make each Dropout module of ``model`` (in order) output input · mask / (1 − p) for the given masks."""
    dropouts = [m for m in model if isinstance(m, torch.nn.Dropout)]
    assert len(dropouts) == len(masks)
    for module, mask in zip(dropouts, masks):
        keep = torch.from_numpy(np.asarray(mask, dtype=np.float64))
        scale = 0.0 if module.p == 1 else 1.0 / (1.0 - module.p)
        module.register_forward_hook(lambda mod, inputs, output, keep=keep, scale=scale: inputs[0] * keep * scale)


CASES = [
    ("relu", "softmax", [3, 6, 5, 4], lambda r: r.integers(0, 4, 8), F.cross_entropy),
    ("tanh", "softmax", [3, 7, 3], lambda r: r.integers(0, 3, 8), F.cross_entropy),
    (
        "sigmoid",
        "sigmoid",
        [3, 6, 5, 1],
        lambda r: r.integers(0, 2, 8),
        lambda z, y: F.binary_cross_entropy_with_logits(z, y.double()[:, None]),
    ),
    ("relu", "linear", [3, 6, 6, 2], lambda r: r.normal(size=(8, 2)), F.mse_loss),
]


@pytest.mark.parametrize(("activation", "output", "sizes", "make_targets", "torch_loss"), CASES)
@pytest.mark.parametrize("p_input", [0.0, 0.2])
def test_same_weights_and_masks_give_the_same_outputs_loss_and_gradients(
    activation, output, sizes, make_targets, torch_loss, p_input
):
    rng = np.random.default_rng(0)
    net = MLP(sizes, p=0.2, p_input=p_input, activation=activation, output=output, seed=1)
    x = rng.normal(size=(8, sizes[0]))
    y = make_targets(rng)
    masks = [rng.random((8, n)) >= 0.2 for n in net.hidden_sizes]
    input_mask = rng.random((8, sizes[0])) >= p_input
    loss, grads = net.gradients(x, y, masks, input_mask=input_mask)

    model = to_torch(net, output_activation=False).train()
    replay_masks(model, ([input_mask] if p_input else []) + masks)
    x_t = torch.from_numpy(x).requires_grad_(True)
    logits = model(x_t)
    torch_value = torch_loss(logits, torch.from_numpy(np.asarray(y)))
    torch_value.backward()

    np.testing.assert_allclose(net.last_pass.logits, logits.detach().numpy(), rtol=1e-6, atol=1e-12)
    assert loss == pytest.approx(torch_value.item(), rel=1e-6)
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    for layer, linear in enumerate(linears):
        np.testing.assert_allclose(grads.weights[layer], linear.weight.grad.numpy().T, rtol=1e-6, atol=1e-12)
        np.testing.assert_allclose(grads.biases[layer], linear.bias.grad.numpy(), rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(grads.inputs, x_t.grad.numpy(), rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("output", ["softmax", "sigmoid", "linear"])
@pytest.mark.parametrize("scaling", ["inverted", "classic"])
def test_to_torch_agrees_in_eval(output, scaling):
    sizes = [2, 8, 8, 1 if output == "sigmoid" else 3]
    net = MLP(sizes, p=0.3, p_input=0.1, output=output, scaling=scaling, seed=2).eval()
    x = np.random.default_rng(3).normal(size=(50, 2))
    model = to_torch(net)
    assert not model.training
    with torch.no_grad():
        np.testing.assert_allclose(model(torch.from_numpy(x)).numpy(), net(x), rtol=1e-12, atol=1e-15)


def test_classic_export_matches_in_training_too():
    net = MLP([2, 6, 3], p=0.25, scaling="classic", seed=0)
    x = np.random.default_rng(0).normal(size=(5, 2))
    mask = np.random.default_rng(1).random((5, 6)) >= 0.25
    model = to_torch(net).train()
    replay_masks(model, [mask])
    with torch.no_grad():
        np.testing.assert_allclose(model(torch.from_numpy(x)).numpy(), net(x, masks=[mask]), rtol=1e-12)


def test_to_torch_builds_linear_activation_dropout_layers():
    model = to_torch(MLP([2, 8, 8, 3], p=0.1, p_input=0.2, activation="tanh", seed=0), output_activation=False)
    names = [type(m).__name__ for m in model]
    assert names == ["Dropout", "Linear", "Tanh", "Dropout", "Linear", "Tanh", "Dropout", "Linear"]
    assert [m.p for m in model if isinstance(m, torch.nn.Dropout)] == [0.2, 0.1, 0.1]
    assert model.training


def test_to_torch_refuses_the_unscaled_bug():
    with pytest.raises(ValueError, match="without dropout scaling has no equivalent"):
        to_torch(MLP([2, 3, 3], scaling="none", seed=0))


# -- optimisers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (lambda ps: SGD(ps, lr=0.05), lambda ps: torch.optim.SGD(ps, lr=0.05)),
        (lambda ps: SGD(ps, lr=0.05, momentum=0.9), lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9)),
        (
            lambda ps: SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.01),
            lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.01),
        ),
        (lambda ps: Adam(ps, lr=0.01), lambda ps: torch.optim.Adam(ps, lr=0.01)),
        (
            lambda ps: Adam(ps, lr=0.003, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
            lambda ps: torch.optim.Adam(ps, lr=0.003, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
        ),
    ],
)
def test_optimisers_follow_torchs_update_rules(ours, theirs):
    rng = np.random.default_rng(0)
    params = [rng.normal(size=(4, 3)), rng.normal(size=3)]
    torch_params = [torch.tensor(p.copy(), requires_grad=True) for p in params]
    optimizer, torch_optimizer = ours(params), theirs(torch_params)
    for _ in range(25):
        grads = [rng.normal(size=p.shape) for p in params]
        optimizer.step(grads)
        for tp, g in zip(torch_params, grads):
            tp.grad = torch.from_numpy(g.copy())
        torch_optimizer.step()
    for p, tp in zip(params, torch_params):
        np.testing.assert_allclose(p, tp.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_to_torch_without_torch_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "torch", None)
    with pytest.raises(ImportError, match=r"pip install 'dropout-playground\[torch\]'"):
        to_torch(MLP([2, 3, 3], seed=0))
