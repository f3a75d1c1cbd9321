"""A frame is always finite and encodable: training that diverges is refused and changes nothing, and no
command a page can send drives a figure's numbers out of the finite ones.

No control on the page sets a learning rate, and every figure trains with Adam at a fixed one, so no
command makes a real run diverge; the tests below make the next training step's loss NaN, as an
overflowing run would, to check what a student would then see on every path that trains.
"""

import json
from dataclasses import replace

import numpy as np
import pytest

from dropout_playground.engine import MLP, NetworkStack
from dropout_playground.figures import (
    CoAdaptation,
    DataFlow,
    DataFlowSettings,
    EnsembleGap,
    EnsembleGrid,
    EnsembleGridSettings,
    ForgottenEval,
    Frame,
    McDropout,
    McDropoutSettings,
    Overfitting,
    OverfittingSettings,
    Playground,
    PlaygroundSettings,
    TrainingRun,
)
from dropout_playground.figures.playground import PRETRAIN_STEPS
from dropout_playground.protocol import ProtocolError, decode_frame, encode_frame

JUST_BELOW_ONE = float(np.nextafter(1.0, 0.0))  # the largest p a page can send that keeps any unit
UNSEEN_SEED = 424_242  # trained by no other test: its networks are not in any cache yet


class Divergence:
    """Makes the ``step``-th training step from now diverge: its forward and backward pass run (drawing
    masks as a real step does) and its loss comes out NaN."""

    def __init__(self) -> None:
        self.countdown: int | None = None

    def at(self, step: int) -> None:
        self.countdown = step

    def off(self) -> None:
        self.countdown = None

    def wrap(self, gradients):
        def diverging(model, *args, **kwargs):
            loss, grads = gradients(model, *args, **kwargs)
            if self.countdown is not None:
                self.countdown -= 1
                if self.countdown == 0:
                    self.countdown = None
                    return float("nan"), grads
            return loss, grads

        return diverging


@pytest.fixture
def divergence(monkeypatch):
    injected = Divergence()
    for trainable in (MLP, NetworkStack):
        monkeypatch.setattr(trainable, "gradients", injected.wrap(trainable.gradients))
    return injected


def assert_finite(frame: Frame) -> None:
    json.dumps(frame.values, allow_nan=False)  # raises on NaN or infinity anywhere in the values
    for name, array in frame.arrays.items():
        assert np.isfinite(array).all(), f"{name} holds numbers that are not finite"
    _, arrays = decode_frame(encode_frame("figure", frame))
    assert set(arrays) == set(frame.arrays)


def assert_same(frame: Frame, other: Frame) -> None:
    assert frame.values == other.values
    assert frame.arrays.keys() == other.arrays.keys()
    for name, array in frame.arrays.items():
        np.testing.assert_array_equal(array, other.arrays[name], err_msg=name)


def assert_tells_the_student(message: str, step: int) -> None:
    """One sentence a student can act on: what happened, where, and that nothing was lost. The page has
    no learning rate to lower, so the sentence does not suggest it."""
    assert f"diverged at step {step:,}" in message
    assert "from before that step" in message
    assert "learning rate" not in message


# -- live training: a diverging chunk is refused, and the figure is as it was ---------------------------


def test_the_playground_refuses_a_diverging_chunk_and_keeps_its_network(divergence):
    figure = Playground()
    before = figure.frame()
    divergence.at(1)
    with pytest.raises(ValueError) as refused:
        figure.train(5)
    assert_tells_the_student(str(refused.value), PRETRAIN_STEPS + 1)
    after = figure.frame()
    assert_same(after, before)
    assert_finite(after)


def test_the_playground_keeps_its_network_when_rebuilding_it_diverges(divergence):
    # A new seed trains a new network for PRETRAIN_STEPS steps; the 30th diverges. The figure keeps the
    # network on screen, not a half-trained new one.
    figure = Playground()
    figure.resample()
    before = figure.frame()
    divergence.at(30)
    with pytest.raises(ValueError) as refused:
        figure.set(seed=UNSEEN_SEED)
    assert_tells_the_student(str(refused.value), 30)
    assert_same(figure.frame(), before)
    figure.resample()  # and it goes on as before
    assert figure.frame().values["settings"]["draw"] == 2


def test_after_a_divergence_the_playground_goes_on_as_its_link_replays_it(divergence):
    # What the student sees after the refusal is what the page's address rebuilds: the refused step took
    # no minibatch and no masks from the streams that the link replays.
    figure = Playground()
    divergence.at(1)
    with pytest.raises(ValueError):
        figure.train(1)
    divergence.off()
    for _ in range(3):
        figure.train(1)
    figure.resample()
    rebuilt = Playground(replace(figure.settings))
    assert figure.settings.training == (TrainingRun(PRETRAIN_STEPS + 3, 0.5),)
    assert_same(rebuilt.frame(), figure.frame())


def test_before_and_after_refuses_a_diverging_chunk_and_goes_on_as_its_link_replays_it(divergence):
    figure = Overfitting(OverfittingSettings(steps=20))
    before = figure.frame()
    divergence.at(1)
    with pytest.raises(ValueError) as refused:
        figure.train(10)
    assert_tells_the_student(str(refused.value), 21)
    after = figure.frame()
    assert_same(after, before)
    assert_finite(after)
    divergence.off()
    figure.train(10)
    assert_same(Overfitting(figure.settings).frame(), figure.frame())


def test_mc_dropout_refuses_a_diverging_chunk_and_goes_on_as_its_link_replays_it(divergence):
    figure = McDropout(McDropoutSettings(steps=0))
    figure.train(1)
    before = figure.frame()
    divergence.at(1)
    with pytest.raises(ValueError) as refused:
        figure.train(50)
    assert_tells_the_student(str(refused.value), 2)
    after = figure.frame()
    assert_same(after, before)
    assert_finite(after)
    divergence.off()
    for _ in range(3):
        figure.train(1)
    assert figure.settings.steps == 4
    assert_same(McDropout(figure.settings).frame(), figure.frame())


# -- a link whose training diverges opens with a refusal, never a broken figure -------------------------


@pytest.mark.parametrize(
    ("build", "step"),
    [
        (lambda: Playground(PlaygroundSettings(seed=UNSEEN_SEED)), 40),
        (lambda: Overfitting(OverfittingSettings(seed=UNSEEN_SEED, steps=100)), 40),
        # A fully trained MC dropout figure comes from the networks trained once per process.
        (lambda: McDropout(McDropoutSettings(seed=UNSEEN_SEED)), 40),
    ],
    ids=["playground", "overfitting", "mc-dropout"],
)
def test_a_link_whose_replay_diverges_is_refused_with_a_sentence(divergence, build, step):
    divergence.at(step)
    with pytest.raises(ValueError) as refused:
        build()
    assert_tells_the_student(str(refused.value), step)


# -- figures whose networks are trained once per process ------------------------------------------------


@pytest.mark.parametrize(
    "figure_class",
    [ForgottenEval, CoAdaptation, EnsembleGap, EnsembleGrid],
    ids=lambda figure_class: figure_class.name,
)
def test_a_new_seed_whose_training_diverges_is_refused_and_changes_nothing(divergence, figure_class):
    figure = figure_class()
    before = figure.frame()
    divergence.at(25)
    with pytest.raises(ValueError) as refused:
        figure.set(seed=UNSEEN_SEED)
    assert "diverged at step 25" in str(refused.value)
    assert_same(figure.frame(), before)


# -- no command a page can send drives a frame out of the finite numbers --------------------------------
# Each figure at the ends of every range a command accepts: p just below 1 (a kept unit is scaled by
# 1/(1 − p) ≈ 9·10¹⁵), p = 1, probes and points at the corners of their ranges, the widest networks, the
# longest chunks. Adam moves a weight by at most about 3·lr a step, so the weights stay small whatever
# the steps; the frames stay finite.


@pytest.mark.parametrize("p", [JUST_BELOW_ONE, 1.0, 0.0])
def test_the_playground_stays_finite_at_the_ends_of_its_ranges(p):
    log = (TrainingRun(PRETRAIN_STEPS, 0.0), TrainingRun(400, p))
    figure = Playground(PlaygroundSettings(hidden=(16, 16), p=p, probe=(10.0, -10.0), training=log))
    for probe in [(10.0, 10.0), (-10.0, -10.0), (-10.0, 10.0)]:
        figure.set(probe=probe)
        for _ in range(5):
            figure.resample()
            assert_finite(figure.frame())
    figure.train(400)
    figure.set(mode="eval")
    assert_finite(figure.frame())


@pytest.mark.parametrize("task", ["sine", "moons"])
def test_before_and_after_stays_finite_at_the_ends_of_its_ranges(task):
    figure = Overfitting(OverfittingSettings(task=task, p=JUST_BELOW_ONE, noise=1.0, points=8, width=64, steps=400))
    figure.train(400)
    assert_finite(figure.frame())
    figure.set(p=1.0)
    figure.train(400)
    assert_finite(figure.frame())


def test_mc_dropout_stays_finite_at_the_ends_of_its_ranges():
    corners = ((-4.0, -3.0), (-4.0, 3.0), (4.0, -3.0), (4.0, 3.0), (4.0, 3.0))
    figure = McDropout(McDropoutSettings(points=corners, p=JUST_BELOW_ONE, T=100, steps=400))
    for _ in range(5):
        figure.resample()
        assert_finite(figure.frame())


@pytest.mark.parametrize("scaling", ["inverted", "classic", "none"])
def test_data_flow_stays_finite_at_the_ends_of_its_ranges(scaling):
    for p in (JUST_BELOW_ONE, 1.0, 5e-324):
        figure = DataFlow(DataFlowSettings(p=p, scaling=scaling, probe=(5.0, 5.0)))
        figure.resample(1000)
        assert_finite(figure.frame())


@pytest.mark.parametrize("p", [JUST_BELOW_ONE, 1.0, 5e-324, 0.0])
def test_the_ensemble_grid_stays_finite_at_the_ends_of_its_ranges(p):
    figure = EnsembleGrid(EnsembleGridSettings(p=p, members=24))
    figure.resample()
    assert_finite(figure.frame())


# -- the last line of defence: a frame with a number that is not finite is never sent -------------------


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_a_value_that_is_not_finite_is_refused_by_name(bad):
    frame = Frame({"settings": {"p": 0.5}, "networks": [{"key": "none", "test_loss": bad}]})
    with pytest.raises(ProtocolError, match=r"networks\[0\]\.test_loss"):
        encode_frame("overfitting", frame, request_id=7)


def test_an_array_that_is_not_finite_is_refused_by_name():
    frame = Frame({"step": 1}, {"curve": np.array([0.5, np.nan], dtype=np.float32), "labels": np.zeros(2, np.uint8)})
    with pytest.raises(ProtocolError, match="'curve'"):
        encode_frame("overfitting", frame)
