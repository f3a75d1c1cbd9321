"""The article's worked examples: networks small enough that the page can give every weight, so that a
reader can check each number in a few lines of NumPy.

- ``worked_check()``: 2 → 6 ReLU → 1 logistic output, dropout p = 0.2 on the 6 hidden units, all 2^6 = 64
  masks enumerated. The eval output equals the normalised geometric mean (NWGM) of the 64 sub-networks
  exactly and differs from their arithmetic mean. The same network with input dropout added is no longer
  exact; logistic regression with input dropout only is exact again.
- ``l2_identity()``: linear regression with inverted dropout on its inputs. Over all masks, the expected
  training loss is the eval loss plus p/(1 − p)·Σⱼ wⱼ² · mean over examples of xᵢⱼ² (an L2 penalty),
  exactly (Srivastava et al. 2014 §9.1, in their keep-probability convention).

Every number comes from the engine (``exact_average``, ``MLP.loss`` with explicit masks); the NumPy code the
page shows is written from the same weights by ``worked_check_code``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import MLP, every_mask, exact_average, mask_probability
from ..engine.functions import Array

# The worked check's network, with short decimals a reader can type. Every hidden unit is positive at X,
# so all six take part.
WORKED_P = 0.2
WORKED_INPUT_P = 0.2  # the input dropout added to show that exactness needs dropout on one layer only
WORKED_X = (1.0, 0.5)
WORKED_W1 = ((0.8, -0.4, 1.2, 0.5, -0.3, 0.9), (0.6, 1.0, -0.5, 0.7, 1.4, -0.2))
WORKED_B1 = (0.1, 0.2, 0.0, -0.1, 0.3, 0.1)
WORKED_W2 = (1.5, -2.0, 1.0, 2.5, -1.5, 1.2)
WORKED_B2 = -2.5

# The L2 example: a small regression data set drawn from its own seed, and the least-squares weights.
L2_P = 0.2
L2_EXAMPLES = 12
L2_FEATURES = 4
L2_SEED = 7
L2_TRUE_WEIGHTS = (0.8, -0.5, 0.3, 1.2)


@dataclass(frozen=True)
class WorkedCheck:
    """One logistic output over 6 dropped hidden units, averaged over all 64 masks."""

    p: float
    hidden: Array  # h, the hidden layer before dropout
    n_masks: int
    eval_output: float
    geometric: float  # the normalised geometric mean over all masks
    arithmetic: float
    # The same network with input dropout WORKED_INPUT_P as well: 2^(2 + 6) masks, and NWGM − eval.
    input_dropout_masks: int
    input_dropout_gap: float
    # Logistic regression on h with input dropout p only: the same output layer, dropout on its inputs.
    logistic_gap: float


def worked_network(p_input: float = 0.0) -> MLP:
    net = MLP([2, 6, 1], p=WORKED_P, p_input=p_input, output="sigmoid")
    return net.load_state_dict(
        {"weight.0": WORKED_W1, "bias.0": WORKED_B1, "weight.1": np.array(WORKED_W2)[:, None], "bias.1": [WORKED_B2]}
    )


def worked_check() -> WorkedCheck:
    x = np.array([WORKED_X])
    net = worked_network()
    hidden = net.forward(x, training=False, record=False).activations[0][0]
    exact = exact_average(net, x)
    assert exact.geometric is not None  # a sigmoid output has both means
    with_inputs = exact_average(worked_network(p_input=WORKED_INPUT_P), x)
    assert with_inputs.geometric is not None
    logistic = MLP([6, 1], p=0.0, p_input=WORKED_P, output="sigmoid")
    logistic.load_state_dict({"weight.0": np.array(WORKED_W2)[:, None], "bias.0": [WORKED_B2]})
    regression = exact_average(logistic, hidden[None])
    assert regression.geometric is not None
    return WorkedCheck(
        p=WORKED_P,
        hidden=hidden,
        n_masks=exact.n_subnetworks,
        eval_output=float(exact.eval_output[0, 0]),
        geometric=float(exact.geometric[0, 0]),
        arithmetic=float(exact.arithmetic[0, 0]),
        input_dropout_masks=with_inputs.n_subnetworks,
        input_dropout_gap=float(abs(with_inputs.geometric - with_inputs.eval_output)[0, 0]),
        logistic_gap=float(abs(regression.geometric - regression.eval_output)[0, 0]),
    )


def _numbers(values: tuple[float, ...]) -> str:
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


def worked_check_code() -> str:
    """The worked check in plain NumPy, with the network's own numbers: it prints the eval output, the
    normalised geometric mean and the arithmetic mean over all 64 sub-networks."""
    units = len(WORKED_B1)
    return "\n".join(
        [
            "import itertools",
            "import numpy as np",
            "",
            f"x, p = np.array({_numbers(WORKED_X)}), {WORKED_P!r}  # p: the drop probability",
            f"W1 = np.array([{_numbers(WORKED_W1[0])},",
            f"               {_numbers(WORKED_W1[1])}])",
            f"b1 = np.array({_numbers(WORKED_B1)})",
            f"w2, b2 = np.array({_numbers(WORKED_W2)}), {WORKED_B2!r}",
            "sigmoid = lambda s: 1 / (1 + np.exp(-s))",
            "",
            "h = np.maximum(x @ W1 + b1, 0)  # hidden layer, before dropout",
            f"m = np.array(list(itertools.product([0, 1], repeat={units})))  # {2**units} masks",
            "P = np.prod(np.where(m, 1 - p, p), axis=1)  # each mask's probability",
            "O = sigmoid((m * h / (1 - p)) @ w2 + b2)  # each sub-network's output",
            "G, G_not = np.prod(O**P), np.prod((1 - O) ** P)  # geometric means",
            "print(sigmoid(h @ w2 + b2), G / (G + G_not), P @ O)  # eval, NWGM, mean",
        ]
    )


@dataclass(frozen=True)
class L2Identity:
    """Linear regression with inverted input dropout: the expected loss over every mask, and its parts."""

    p: float
    n_examples: int
    n_features: int
    n_masks: int
    expected_loss: float  # Σ over all masks of P(mask) · the mean squared error of that sub-network
    eval_loss: float  # the mean squared error with every input kept
    penalty: float  # p/(1 − p) · Σⱼ wⱼ² · mean over examples of xᵢⱼ²

    @property
    def residual(self) -> float:
        """eval loss + penalty − expected loss: zero but for rounding."""
        return self.eval_loss + self.penalty - self.expected_loss


def l2_data() -> tuple[Array, Array]:
    rng = np.random.default_rng(L2_SEED)
    x = rng.normal(size=(L2_EXAMPLES, L2_FEATURES))
    y = x @ np.array(L2_TRUE_WEIGHTS) + 0.1 + rng.normal(scale=0.3, size=L2_EXAMPLES)
    return x, y


def l2_identity() -> L2Identity:
    x, y = l2_data()
    design = np.column_stack([x, np.ones(len(x))])
    fitted = np.linalg.lstsq(design, y, rcond=None)[0]
    weights, bias = fitted[:-1], fitted[-1]
    net = MLP([L2_FEATURES, 1], p=0.0, p_input=L2_P, output="linear")
    net.load_state_dict({"weight.0": weights[:, None], "bias.0": [bias]})
    masks = every_mask(L2_FEATURES)
    losses = np.array([net.loss(x, y, input_mask=mask) for mask in masks])
    expected = float(mask_probability(masks, L2_P) @ losses)
    net.eval()
    penalty = L2_P / (1 - L2_P) * float(np.sum(weights**2 * np.mean(x**2, axis=0)))
    return L2Identity(
        p=L2_P,
        n_examples=L2_EXAMPLES,
        n_features=L2_FEATURES,
        n_masks=len(masks),
        expected_loss=expected,
        eval_loss=net.loss(x, y),
        penalty=penalty,
    )
