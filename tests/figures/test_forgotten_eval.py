"""The forgotten-eval figure without a browser: train mode flickers, eval does not, and every reliability
number is recomputed here by a route of its own."""

import numpy as np
import pytest

from dropout_playground import MLP
from dropout_playground.figures import ForgottenEval, ForgottenEvalSettings
from dropout_playground.figures.forgotten_eval import PROBES, SIZES, TRAINED_P, trained_classifier
from dropout_playground.protocol import FIGURES


@pytest.fixture(scope="module")
def figure():
    return ForgottenEval()


def independent_reliability(probabilities, labels, bins=10):
    """Bins, accuracy, confidence and ECE by a plain loop over the examples."""
    counts, right, sure = [0] * bins, [0.0] * bins, [0.0] * bins
    for row, label in zip(probabilities, labels):
        confidence = max(row)
        b = min(bins - 1, max(0, int(np.ceil(confidence * bins)) - 1))
        counts[b] += 1
        right[b] += float(int(np.argmax(row)) == int(label))
        sure[b] += confidence
    ece = sum(abs(r - s) for r, s in zip(right, sure)) / len(labels)
    return counts, right, sure, ece


def test_train_mode_answers_change_with_every_draw_and_eval_answers_do_not(figure):
    before = figure.frame().values
    figure.resample()
    after = figure.frame().values
    for a, b in zip(before["probes"], after["probes"]):
        assert a["eval"] == b["eval"]
    # Four inputs, each with two-class probabilities from a new sub-network: at least one must move.
    assert any(a["train"] != b["train"] for a, b in zip(before["probes"], after["probes"]))
    assert before["modes"]["eval"] == after["modes"]["eval"]
    assert before["modes"]["train"]["ece"] != after["modes"]["train"]["ece"]


def test_eval_answers_are_the_trained_networks_in_eval_mode(figure):
    trained = trained_classifier(0)
    net = MLP(list(SIZES), p=TRAINED_P).load_state_dict(trained.state).eval()
    probes = np.array([point for _, point in PROBES])
    shown = np.array([probe["eval"] for probe in figure.frame().values["probes"]])
    np.testing.assert_allclose(shown, net(probes), rtol=1e-12)


@pytest.mark.parametrize("mode", ["eval", "train", "mc"])
def test_each_modes_reliability_is_what_a_plain_loop_finds(figure, mode):
    figure.set(T=5)
    frame = figure.frame()
    data = figure.data
    settings = figure.settings
    if mode == "eval":
        probabilities = figure.net.forward(data.x_test, training=False, record=False).output
    else:
        # The same draw, recomputed: the figure's masks come from default_rng([seed, 6, draw]).
        from dropout_playground import dropout_passes

        rng = np.random.default_rng([settings.seed, 6, settings.draw])
        inputs = np.vstack([np.array([p for _, p in PROBES]), data.x_test])
        once = dropout_passes(figure.net, inputs, 1, rng=rng)[0]
        passes = dropout_passes(figure.net, inputs, settings.T, rng=rng)
        probabilities = (once if mode == "train" else passes.mean(axis=0))[len(PROBES) :]
    counts, right, sure, ece = independent_reliability(probabilities, data.y_test)
    shown = frame.values["modes"][mode]
    assert shown["counts"] == counts
    # Train-mode passes run in single precision (dropout_passes): sums of 400 of them agree to about 1e-7.
    tolerance = 1e-12 if mode == "eval" else 1e-6
    assert shown["ece"] == pytest.approx(ece, abs=tolerance)
    for b in range(10):
        if counts[b]:
            assert shown["accuracy"][b] == pytest.approx(right[b] / counts[b], abs=1e-12)
            assert shown["confidence"][b] == pytest.approx(sure[b] / counts[b], abs=1e-6)
    assert shown["overall_accuracy"] == pytest.approx(sum(right) / len(data.y_test), abs=1e-12)


def test_the_mc_column_averages_t_passes_and_its_spread_shrinks_nothing_in_eval(figure):
    figure.set(T=30)
    values = figure.frame().values
    for probe in values["probes"]:
        assert sum(probe["mc"]) == pytest.approx(1.0, abs=1e-5)
        assert probe["mc_spread"] >= 0.0
    # The input far from the data: the eval network is sure of it, MC dropout less so.
    far = next(p for p in values["probes"] if p["name"] == "D")
    assert max(far["eval"]) > max(far["mc"])


def test_a_link_replays_the_draw():
    figure = ForgottenEval(ForgottenEvalSettings(T=10))
    for _ in range(3):
        figure.resample()
    settings, problems = FIGURES["forgotten-eval"].settings_from_query({"T": "10", "draw": "3"})
    assert problems == []
    assert ForgottenEval(settings).frame().values == figure.frame().values


@pytest.mark.parametrize(("changes", "message"), [({"T": 7}, "T must be one of 5, 10, 30, got 7")])
def test_refused_settings_change_nothing(changes, message):
    figure = ForgottenEval()
    before = figure.frame().values
    with pytest.raises(ValueError, match=message):
        figure.set(**changes)
    assert figure.frame().values == before
