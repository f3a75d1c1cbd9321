"""The playground figure, driven without any front end, as the page drives it."""

import numpy as np
import pytest

from dropout_playground.figures import Playground, PlaygroundSettings, TrainingRun, parse_log
from dropout_playground.figures.playground import (
    GRID,
    MAX_STEPS_PER_COMMAND,
    PRETRAIN_STEPS,
    plane_grid,
    scale_text,
)
from dropout_playground.protocol import FIGURES

settings_from_query = FIGURES["playground"].settings_from_query
DEFAULT_PROBE = PlaygroundSettings().probe


@pytest.fixture(scope="module")
def opened():
    return Playground()


def counters(frame):
    v = frame.values
    return v["alive"], v["active_edges"], v["total_edges"], v["scale_text"]


def test_on_load_the_network_is_trained_and_nothing_has_moved(opened):
    frame = opened.frame()
    assert frame.values["steps"] == PRETRAIN_STEPS
    assert frame.values["test_accuracy"] >= 0.9
    assert frame.values["settings"] == {
        "dataset": "blobs",
        "hidden": [6, 6],
        "p": 0.5,
        "mode": "train",
        "seed": 0,
        "probe": list(DEFAULT_PROBE),
        "training": f"{PRETRAIN_STEPS}@0.5",
        "draw": 0,
    }
    # Asking again without a command gives the same picture.
    np.testing.assert_array_equal(opened.frame().arrays["heatmap"], frame.arrays["heatmap"])


def test_counters_match_the_masks_drawn():
    figure = Playground()
    for _ in range(10):
        figure.resample()
        frame = figure.frame()
        m1, m2 = frame.arrays["mask_1"], frame.arrays["mask_2"]
        alive, active, total, _ = counters(frame)
        assert alive == [int(m1.sum()), int(m2.sum())]
        # Edges: inputs → hidden 1, hidden 1 → hidden 2, hidden 2 → outputs, active when both ends are alive.
        assert active == 2 * m1.sum() + m1.sum() * m2.sum() + m2.sum() * 3
        assert total == 2 * 6 + 6 * 6 + 6 * 3 == 66


def test_train_mode_predictions_differ_between_sub_networks():
    figure = Playground()
    predictions = set()
    for _ in range(6):
        figure.resample()
        predictions.add(tuple(figure.frame().values["prediction"]))
    assert len(predictions) > 1


def test_the_default_probe_sits_where_the_sub_networks_disagree():
    # "Resample, and the Prediction changes with it" must be true where the page opens: at the default
    # probe most hidden units are active (a dead unit's mask bit changes nothing), and 30 masks give
    # clearly more than a handful of predictions. With only k of the 12 units mattering, 30 masks could
    # give at most 2^k predictions; the bar of 20 distinct asks for k ≥ 5 and a spread-out outcome.
    figure = Playground()
    eval_pass = figure.net.forward(np.array([DEFAULT_PROBE]), training=False, record=False)
    active = sum(int((h > 0).sum()) for h in eval_pass.activations)
    assert active >= 8, f"only {active} of 12 hidden units are active at the default probe"
    predictions = set()
    for _ in range(30):
        predictions.add(tuple(figure.frame().values["prediction"]))
        figure.resample()
    assert len(predictions) >= 20


def test_eval_mode_uses_every_unit_and_resample_changes_nothing():
    figure = Playground()
    figure.set_mode("eval")
    first = figure.frame()
    for _ in range(3):
        figure.resample()
        frame = figure.frame()
        assert frame.values["prediction"] == first.values["prediction"]
        np.testing.assert_array_equal(frame.arrays["heatmap"], first.arrays["heatmap"])
    alive, active, total, scale = counters(first)
    assert alive == [6, 6] and active == total and scale == "1.00 (off)"
    # The eval prediction is the network's own eval output.
    expected = figure.net.eval()(np.array([DEFAULT_PROBE]))[0]
    np.testing.assert_allclose(first.values["prediction"], expected, atol=1e-6)


def test_the_prediction_is_the_current_sub_network_output():
    figure = Playground()
    frame = figure.frame()
    masks = [frame.arrays["mask_1"], frame.arrays["mask_2"]]
    expected = figure.net(np.array([DEFAULT_PROBE]), masks=masks)[0]
    np.testing.assert_allclose(frame.values["prediction"], expected, atol=1e-6)
    assert frame.values["predicted_class"] == int(np.argmax(expected))
    # What each unit passes on is its activation, masked and scaled by 1/(1 − p).
    np.testing.assert_allclose(frame.arrays["passed_1"], frame.arrays["activation_1"] * masks[0] / 0.5, rtol=1e-6)


@pytest.mark.parametrize(("p", "text"), [(0.1, "1.11"), (0.5, "2.00"), (0.0, "1.00"), (0.9, "10.00")])
def test_train_time_scale_reads_one_over_one_minus_p(p, text):
    figure = Playground()
    figure.set_p(p)
    assert figure.frame().values["scale_text"] == text


def test_scale_text_is_never_inf_or_nan():
    assert scale_text(1.0, True) == "0 (every unit dropped)"
    assert scale_text(1.0, False) == "1.00 (off)"


def test_setting_p_draws_a_new_mask_at_that_rate():
    figure = Playground(PlaygroundSettings(hidden=(16, 16)))
    kept = []
    for _ in range(50):
        figure.set_p(0.2)
        kept.append(figure.frame().values["alive"])
    # 50 × 32 units, each kept with probability 0.8: Binomial(1600, 0.8) has σ = 16; 6σ = 96.
    assert abs(np.sum(kept) - 1280) <= 96


def test_heatmap_covers_the_plane_with_class_probabilities():
    figure = Playground()
    figure.set_mode("eval")
    frame = figure.frame()
    heatmap = frame.arrays["heatmap"]
    assert heatmap.shape == (GRID, GRID, 3) and heatmap.dtype == np.uint8
    # Probabilities ×255, rounded: each pixel's classes sum to 255 within rounding.
    assert np.abs(heatmap.sum(axis=2).astype(int) - 255).max() <= 2
    # The full trained classifier on three blobs predicts each class somewhere on the plane.
    assert set(np.unique(heatmap.argmax(axis=2))) == {0, 1, 2}
    x0, x1, y0, y1 = frame.values["bounds"]
    points = frame.arrays["points"]
    assert x0 < points[:, 0].min() and points[:, 0].max() < x1
    assert y0 < points[:, 1].min() and points[:, 1].max() < y1


@pytest.mark.parametrize(
    ("dataset", "hidden", "p"),
    [("blobs", (6, 6), 0.5), ("spiral", (16, 16), 0.9), ("xor", (1, 3), 0.0), ("moons", (16, 2), 1.0)],
)
def test_the_map_is_the_networks_own_pass_to_single_precision(dataset, hidden, p):
    # The map comes from one single-precision pass with each mask folded into the next layer's weights;
    # the reference is the network's own double-precision forward pass, rounded as the map is.
    log = (TrainingRun(400, 0.5),)
    figure = Playground(PlaygroundSettings(dataset=dataset, hidden=hidden, p=p, training=log))
    grid = plane_grid(figure.data)[1]
    for mode in ("train", "eval"):
        figure.set_mode(mode)
        for _ in range(3):
            figure.resample()
            masks = figure.masks if mode == "train" else None
            exact = figure.net.forward(grid, masks, training=masks is not None, record=False).output
            # Three layers of float32 rounding (relative 6e-8 each) on logits of a few tens: below 1e-5.
            assert np.abs(figure.net.picture(grid, masks) - exact).max() < 1e-5
            heatmap = figure.frame().arrays["heatmap"].astype(int)
            reference = np.round(exact * 255).astype(int).reshape(heatmap.shape)
            # So a level moves only where 255 × the probability lies within 255e-5 of a half: one entry in
            # 200 at the very most, and never by more than one level.
            assert np.abs(heatmap - reference).max() <= 1
            assert np.count_nonzero(heatmap != reference) <= heatmap.size / 200


def test_live_training_counts_steps_and_a_link_rebuilds_the_same_network():
    # A command trains up to the steps asked for, as many as fit in its share of a display frame (at
    # least one): the log counts the steps taken, at the p each was taken with.
    figure = Playground()
    figure.train(30)
    at_half = figure.frame().values["steps"] - PRETRAIN_STEPS
    figure.set_p(0.2)
    figure.train(20)
    figure.train(5)
    at_fifth = figure.frame().values["steps"] - PRETRAIN_STEPS - at_half
    assert 1 <= at_half <= 30 and 2 <= at_fifth <= 25
    settings = figure.frame().values["settings"]
    assert settings["training"] == f"{PRETRAIN_STEPS + at_half}@0.5,{at_fifth}@0.2"
    rebuilt = Playground(
        PlaygroundSettings(p=settings["p"], seed=settings["seed"], training=parse_log(settings["training"]))
    )
    for ours, theirs in zip(figure.net.parameters(), rebuilt.net.parameters()):
        np.testing.assert_array_equal(ours, theirs)


def test_the_same_settings_give_the_same_sequence_of_masks():
    a, b = Playground(PlaygroundSettings(seed=5)), Playground(PlaygroundSettings(seed=5))
    for _ in range(4):
        a.resample()
        b.resample()
        np.testing.assert_array_equal(a.frame().arrays["mask_1"], b.frame().arrays["mask_1"])
    c = Playground(PlaygroundSettings(seed=6))
    assert not np.array_equal(c.frame().arrays["weight_1"], a.frame().arrays["weight_1"])


def test_reset_gives_an_untrained_network_from_the_seed():
    figure = Playground()
    trained_accuracy = figure.frame().values["test_accuracy"]
    figure.reset()
    frame = figure.frame()
    assert frame.values["steps"] == 0 and frame.values["settings"]["training"] == ""
    assert frame.values["test_accuracy"] < trained_accuracy
    fresh = Playground(PlaygroundSettings(training=()))
    np.testing.assert_array_equal(frame.arrays["weight_1"], fresh.frame().arrays["weight_1"])


@pytest.mark.parametrize("name", ["spiral", "moons", "circles", "xor"])
def test_other_datasets_and_sizes(name):
    figure = Playground()
    figure.set_dataset(name)
    figure.set_hidden(16, 3)
    frame = figure.frame()
    classes = 3 if name == "spiral" else 2
    assert frame.values["sizes"] == [2, 16, 3, classes]
    assert frame.arrays["heatmap"].shape == (GRID, GRID, classes)
    assert frame.values["steps"] == PRETRAIN_STEPS


def test_probe_moves_the_prediction():
    figure = Playground()
    figure.set_mode("eval")
    before = figure.frame().values["prediction"]
    figure.set_probe(1.0, 1.0)
    assert figure.frame().values["prediction"] != before
    assert figure.frame().values["settings"]["probe"] == [1.0, 1.0]


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (lambda f: f.set_p(1.7), "between 0 and 1, but got 1.7"),
        (lambda f: f.set_mode("test"), "mode must be 'train' or 'eval'"),
        (lambda f: f.set_dataset("mnist"), "dataset must be one of blobs, spiral"),
        (lambda f: f.set_hidden(0, 4), "^hidden layers must be two sizes from 1 to 16, got 0 × 4$"),
        (lambda f: f.set_hidden(4, 17), "two sizes from 1 to 16"),
        (lambda f: f.set_seed(-1), "seed must be a whole number"),
        (lambda f: f.set_probe(50.0, 0.0), "^x of the probe must be between -10 and 10, got 50$"),
        (lambda f: f.set_probe(0.0, -10.5), "^y of the probe must be between -10 and 10, got -10.5$"),
        (lambda f: f.train(0), f"steps must be a whole number from 1 to {MAX_STEPS_PER_COMMAND}"),
    ],
)
def test_bad_commands_are_refused_and_change_nothing(command, message):
    figure = Playground()
    before = figure.frame()
    with pytest.raises(ValueError, match=message):
        command(figure)
    after = figure.frame()
    assert after.values == before.values
    np.testing.assert_array_equal(after.arrays["heatmap"], before.arrays["heatmap"])


def test_the_training_log_has_a_ceiling():
    figure = Playground(PlaygroundSettings(training=(TrainingRun(19_990, 0.5),)))
    figure.train(50)
    assert figure.frame().values["steps"] == 20_000
    with pytest.raises(ValueError, match="the most steps a link can replay"):
        figure.train(1)


def test_a_link_reproduces_the_sub_network_on_screen_after_resamples():
    figure = Playground()
    figure.resample()
    figure.set_p(0.3)
    figure.resample()
    shown = figure.frame()
    settings = shown.values["settings"]
    assert settings["draw"] == 3
    query = {key: ",".join(map(str, v)) if isinstance(v, list) else str(v) for key, v in settings.items()}
    rebuilt, problems = settings_from_query(query)
    assert problems == []
    again = Playground(rebuilt).frame()
    np.testing.assert_array_equal(again.arrays["mask_1"], shown.arrays["mask_1"])
    np.testing.assert_array_equal(again.arrays["mask_2"], shown.arrays["mask_2"])
    assert again.values["prediction"] == shown.values["prediction"]
