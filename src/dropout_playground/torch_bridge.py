"""Export an engine ``MLP`` to an equivalent ``torch.nn.Sequential`` (needs the ``torch`` extra)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from .engine.mlp import MLP

if TYPE_CHECKING:
    import torch


def _import_torch() -> Any:
    try:
        import torch
    except ImportError:
        raise ImportError("to_torch() needs PyTorch: pip install 'dropout-playground[torch]'") from None
    return torch


def to_torch(net: MLP, *, output_activation: bool = True) -> torch.nn.Sequential:
    """``[Dropout(p_input)] Linear, act, Dropout(p), …, Linear, [Softmax | Sigmoid]`` with ``net``'s weights.

    The module starts in the net's mode. Classic scaling (× (1 − p) in eval) is exported as PyTorch's
    inverted dropout with the next layer's weights multiplied by (1 − p): the same function in both modes.
    Without scaling ("none") no PyTorch module computes the same thing, so that is refused.
    ``output_activation=False`` leaves the logits, as ``nn.CrossEntropyLoss`` expects. The module is in
    float64, the engine's precision; ``.float()`` turns it into float32.
    """
    if net.scaling == "none":
        raise ValueError("a network without dropout scaling has no equivalent in torch.nn.Dropout")
    th = _import_torch()
    nn = th.nn
    activations = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
    layers: list[Any] = []
    incoming_keep = 1.0  # (1 − p) of the dropout layer feeding the next linear layer, for classic scaling
    if net.p_input > 0.0:
        layers.append(nn.Dropout(net.p_input))
        incoming_keep = 1.0 - net.p_input
    last = len(net.weights) - 1
    for index, (w, b) in enumerate(zip(net.weights, net.biases)):
        linear = nn.Linear(w.shape[0], w.shape[1], dtype=th.float64)
        factor = incoming_keep if net.scaling == "classic" else 1.0
        with th.no_grad():
            linear.weight.copy_(th.from_numpy(w.T * factor))
            linear.bias.copy_(th.from_numpy(b))
        layers.append(linear)
        if index == last:
            break
        layers.append(activations[net.activation]())
        layers.append(nn.Dropout(net.p))
        incoming_keep = 1.0 - net.p
    if output_activation and net.output == "softmax":
        layers.append(nn.Softmax(dim=-1))
    elif output_activation and net.output == "sigmoid":
        layers.append(nn.Sigmoid())
    return cast("torch.nn.Sequential", nn.Sequential(*layers).train(net.training))
