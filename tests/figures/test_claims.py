"""The numbers in the article's text: each is the engine's, checked here by a route of its own."""

import contextlib
import io
import itertools
import math

import numpy as np
import pytest

from dropout_playground.figures import DataFlow, DataFlowSettings, EnsembleGap, EnsembleGapSettings
from dropout_playground.figures.claims import (
    FLOW_NEGATIVE_PROBE,
    claims,
    decimals,
    percent,
    scientific,
    significant,
)
from dropout_playground.figures.worked_examples import (
    WORKED_B1,
    WORKED_B2,
    WORKED_INPUT_P,
    WORKED_P,
    WORKED_W1,
    WORKED_W2,
    WORKED_X,
    l2_data,
    l2_identity,
    worked_check,
    worked_check_code,
)


@pytest.fixture(scope="module")
def article():
    return claims()


def sigmoid(s):
    return 1 / (1 + np.exp(-s))


# -- the worked check (SCIENCE 7) ----------------------------------------------------------------------


def test_the_numpy_code_on_the_page_prints_the_engines_three_numbers(article):
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(worked_check_code(), {})  # the code exactly as the page shows it
    eval_output, geometric, arithmetic = (float(v) for v in printed.getvalue().split())
    check = worked_check()
    assert check.n_masks == 64
    assert eval_output == pytest.approx(check.eval_output, abs=1e-12)
    assert geometric == pytest.approx(check.geometric, abs=1e-12)
    assert arithmetic == pytest.approx(check.arithmetic, abs=1e-12)
    # The identity the check is there to show, and the difference it is there to show.
    assert abs(check.geometric - check.eval_output) < 1e-12
    assert abs(check.arithmetic - check.eval_output) > 0.01
    assert article["worked.eval"] == decimals(check.eval_output, 7)
    assert article["worked.geometric"] == decimals(check.geometric, 7)
    assert article["worked.arithmetic"] == decimals(check.arithmetic, 7)
    assert article["worked.code"] == worked_check_code()


def brute_force_with_input_dropout(p_input):
    """NWGM and eval output of the worked network with dropout on its inputs as well, by a plain loop."""
    x, w1, b1 = np.array(WORKED_X), np.array(WORKED_W1), np.array(WORKED_B1)
    w2 = np.array(WORKED_W2)
    log_g = log_g_not = 0.0
    for bits in itertools.product([0, 1], repeat=2 + 6):
        keep_in, keep_hidden = np.array(bits[:2]), np.array(bits[2:])
        probability = np.prod(np.where(keep_in, 1 - p_input, p_input)) * np.prod(
            np.where(keep_hidden, 1 - WORKED_P, WORKED_P)
        )
        h = np.maximum((x * keep_in / (1 - p_input)) @ w1 + b1, 0)
        out = sigmoid((h * keep_hidden / (1 - WORKED_P)) @ w2 + WORKED_B2)
        log_g += probability * np.log(out)
        log_g_not += probability * np.log1p(-out)
    geometric = np.exp(log_g) / (np.exp(log_g) + np.exp(log_g_not))
    return geometric, sigmoid(np.maximum(x @ w1 + b1, 0) @ w2 + WORKED_B2)


def test_input_dropout_breaks_the_worked_checks_exactness(article):
    check = worked_check()
    geometric, eval_output = brute_force_with_input_dropout(WORKED_INPUT_P)
    assert check.input_dropout_masks == 2 ** (2 + 6)
    assert check.input_dropout_gap == pytest.approx(abs(geometric - eval_output), rel=1e-9)
    assert check.input_dropout_gap > 1e-3  # far above rounding: an approximation, not an identity
    assert article["worked.input-gap"] == significant(check.input_dropout_gap)
    # Logistic regression with input dropout only is exact again.
    assert check.logistic_gap < 1e-15


# -- the L2 identity (SCIENCE 21) ----------------------------------------------------------------------


def test_linear_regression_dropout_is_exactly_an_l2_penalty_in_expectation(article):
    identity = l2_identity()
    x, y = l2_data()
    p = identity.p
    design = np.column_stack([x, np.ones(len(x))])
    *w, b = np.linalg.lstsq(design, y, rcond=None)[0]
    w = np.array(w)
    # Every mask of the inputs, by a plain loop, each weighted by its probability.
    expected = 0.0
    for bits in itertools.product([0, 1], repeat=x.shape[1]):
        keep = np.array(bits)
        probability = np.prod(np.where(keep, 1 - p, p))
        expected += probability * np.mean((y - (x * keep / (1 - p)) @ w - b) ** 2)
    assert identity.n_masks == 2 ** x.shape[1]
    assert identity.expected_loss == pytest.approx(expected, rel=1e-12)
    assert identity.eval_loss == pytest.approx(np.mean((y - x @ w - b) ** 2), rel=1e-12)
    assert identity.penalty == pytest.approx(p / (1 - p) * np.sum(w**2 * np.mean(x**2, axis=0)), rel=1e-12)
    assert abs(identity.residual) < 1e-12  # the bar: the identity holds to 1e-12
    assert identity.penalty > 0.1  # and the penalty is not a rounding-sized term
    assert article["l2.residual"] == scientific(identity.residual)
    assert article["l2.expected"] == decimals(identity.expected_loss, 6)


# -- no scaling, and masks (SCIENCE 19, 24) --------------------------------------------------------------


def test_the_no_scaling_example_is_the_figures(article):
    for probe, name in (((1.0, 0.5), "default"), (FLOW_NEGATIVE_PROBE, "negative")):
        values = DataFlow(DataFlowSettings(p=0.2, scaling="none", probe=probe)).frame().values
        assert article[f"flow.none.{name}.mean"] == decimals(values["exact_mean"], 2)
        assert article[f"flow.none.{name}.eval"] == decimals(values["eval_output"], 2)
        side = "below" if values["exact_mean"] < values["eval_output"] else "above"
        assert article[f"flow.none.{name}.side"] == side
    # The page's example lands on both sides: that is its point.
    assert {article["flow.none.default.side"], article["flow.none.negative.side"]} == {"below", "above"}
    assert article["flow.none.negative.eval"] == "−0.82" and article["flow.none.negative.mean"] == "−0.64"


def test_the_mask_probabilities_in_the_text(article):
    assert article["masks.full"] == "0.28"  # 0.9^12
    assert article["masks.typical"] == "49"  # 2^(12·H(0.1)) = 49.5
    assert article["masks.all"] == "4,096"


# -- exact versus sampled (SCIENCE 8, 29) ------------------------------------------------------------------


@pytest.mark.parametrize("network", ["one-layer", "two-layer"])
@pytest.mark.parametrize("p", [0.5, 0.2])
def test_the_exact_versus_sampled_claims_are_the_charts_numbers(article, network, p):
    values = EnsembleGap(EnsembleGapSettings(network=network, p=p)).frame().values
    key = f"gap.{'one' if network == 'one-layer' else 'two'}.{p:g}"
    exact, accuracy = values["exact"], values["accuracy"]
    expected = {
        "arithmetic-tv": significant(exact["arithmetic_tv"]),
        "geometric-tv": significant(exact["geometric_tv"]),
        "geometric-max": significant(exact["geometric_max_difference"]),
        "matching": "at no K up to 1,000" if values["matching_k"] is None else f"from K = {values['matching_k']}",
        "single-accuracy": percent(accuracy["arithmetic"][0], 0),
        "exact-accuracy": percent(accuracy["exact_arithmetic"]),
        "eval-accuracy": percent(accuracy["eval"]),
    }
    fewer = round((accuracy["eval"] - accuracy["exact_arithmetic"]) * values["test_points"])
    expected["exact-vs-eval"] = {0: "as many test points", 1: "one test point fewer", 2: "two test points fewer"}[fewer]
    shown = {name: article[f"{key}.{name}"] for name in expected if f"{key}.{name}" in article}
    assert shown and shown == {name: expected[name] for name in shown}
    if network == "one-layer":
        # Weight scaling is exact for one hidden layer, for the geometric mean only.
        assert exact["geometric_max_difference"] < 1e-15 and exact["arithmetic_tv"] > 1e-3


def test_the_standard_error_of_a_test_accuracy(article):
    values = EnsembleGap().frame().values
    a, n = values["accuracy"]["eval"], values["test_points"]
    assert article["gap.standard-error"] == f"{100 * math.sqrt(a * (1 - a) / n):.1f}"
    assert article["gap.test-points"] == str(n) == "75"


# -- how numbers are written ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.0062, "0.0062"), (0.2479, "0.25"), (0.00778, "0.0078"), (0.061, "0.061"), (2.8e-17, "2.8 × 10⁻¹⁷")],
)
def test_significant_figures_never_use_e_notation(value, text):
    assert significant(value) == text


def test_negative_numbers_use_a_true_minus_and_never_show_minus_zero():
    assert decimals(-0.8200001, 2) == "−0.82"
    assert decimals(-0.0001, 2) == "0.00"
    assert scientific(-5.55e-17) == "−5.6 × 10⁻¹⁷" and scientific(0.0) == "0"


def test_every_claim_is_text_a_reader_can_read(article):
    for name, text in article.items():
        assert text.strip(), name
        assert not any(word in text.lower() for word in ("nan", "inf", "none")), (name, text)
