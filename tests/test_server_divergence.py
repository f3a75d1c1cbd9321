"""After training diverges, or a frame would hold a number that is not finite, the session answers with a
clear error under the command's id and goes on from its last good state: the next command gets a valid,
finite frame. Against a real server (uvicorn in this process, so that the tests can make the next
training step diverge, which no command a page sends can do: see tests/figures/test_frames_after_divergence.py).
"""

import json

import numpy as np
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from dropout_playground.engine import MLP, NetworkStack
from dropout_playground.figures import Playground
from dropout_playground.figures.playground import PRETRAIN_STEPS
from live_server import receive, run


def figure_url(server, figure, query=""):
    return f"ws://127.0.0.1:{server.port}/ws/{figure}{query}"


@pytest.fixture
def diverge_next_step(monkeypatch):
    """Once called, the next training step in this process diverges: its loss comes out NaN."""
    armed = []

    def wrap(gradients):
        def diverging(model, *args, **kwargs):
            loss, grads = gradients(model, *args, **kwargs)
            if armed:
                armed.clear()
                return float("nan"), grads
            return loss, grads

        return diverging

    for trainable in (MLP, NetworkStack):
        monkeypatch.setattr(trainable, "gradients", wrap(trainable.gradients))
    return lambda: armed.append(True)


def assert_valid_frame(answer, request_id):
    assert answer["type"] == "frame" and answer["id"] == request_id
    json.dumps(answer["values"], allow_nan=False)  # the header parses without NaN or infinity
    for name, array in answer["arrays"].items():
        assert np.isfinite(array).all(), name


@pytest.mark.parametrize(
    ("figure", "query", "steps"),
    [("playground", "", PRETRAIN_STEPS), ("overfitting", "?steps=20", 20), ("mc-dropout", "?steps=20", 20)],
)
def test_a_diverging_chunk_is_refused_and_the_session_goes_on_from_its_last_good_state(
    server, diverge_next_step, figure, query, steps
):
    async def scenario():
        async with connect(figure_url(server, figure, query), origin=server.url) as ws:
            first = await receive(ws)
            settings = first["values"]["settings"]
            diverge_next_step()
            await ws.send(json.dumps({"type": "train", "steps": 10, "id": 1}))
            error = await receive(ws)
            assert error == {
                "type": "error",
                "message": f"training diverged at step {steps + 1}: its loss or its weights stopped being "
                "finite numbers. The weights from before that step are kept.",
                "id": 1,
            }
            await ws.send(json.dumps({"type": "train", "steps": 1, "id": 2}))
            trained = await receive(ws)
            assert_valid_frame(trained, 2)
            assert trained["values"]["settings"] != settings  # training goes on from where it stood

    run(scenario())


def test_a_frame_with_a_number_that_is_not_finite_is_refused_and_the_session_goes_on(server, monkeypatch):
    spoiled = []  # what the next frame gets wrong, once

    def frame_with(build):
        def spoiling(figure):
            frame = build(figure)
            while spoiled:
                spoiled.pop()(frame)
            return frame

        return spoiling

    monkeypatch.setattr(Playground, "_frame", frame_with(Playground._frame))

    def nan_loss(frame):
        frame.values["test_loss"] = float("nan")

    def infinite_weight(frame):
        frame.arrays["weight_1"][0, 0] = np.inf

    async def scenario():
        async with connect(figure_url(server, "playground"), origin=server.url) as ws:
            await receive(ws)
            for request_id, spoil, where in [(1, nan_loss, "value test_loss"), (2, infinite_weight, "'weight_1'")]:
                spoiled.append(spoil)
                await ws.send(json.dumps({"type": "resample", "id": request_id}))
                error = await receive(ws)
                assert error["type"] == "error" and error["id"] == request_id
                assert error["message"].startswith("the playground figure's new frame was not sent")
                assert where in error["message"] and "not finite" in error["message"]
            await ws.send(json.dumps({"type": "resample", "id": 3}))
            assert_valid_frame(await receive(ws), 3)

    run(scenario())


def test_a_first_frame_that_cannot_be_sent_is_said_and_the_session_closed_and_the_server_serves_on(server, monkeypatch):
    spoiled = []

    def spoiling(figure):
        frame = original(figure)
        if spoiled:
            frame.values["test_loss"] = float("nan")
        return frame

    original = Playground._frame
    monkeypatch.setattr(Playground, "_frame", spoiling)

    async def scenario():
        spoiled.append(True)
        async with connect(figure_url(server, "playground"), origin=server.url) as ws:
            error = await receive(ws)
            assert error["type"] == "error" and "not finite" in error["message"]
            with pytest.raises(ConnectionClosed) as closed:
                await receive(ws)
            assert closed.value.rcvd.code == 1011 and "could not be built" in closed.value.rcvd.reason
        spoiled.clear()
        async with connect(figure_url(server, "playground"), origin=server.url) as ws:
            assert_valid_frame(await receive(ws), None)

    run(scenario())


@pytest.mark.parametrize("figure", ["playground", "overfitting"])
def test_a_run_that_diverges_while_playing_stops_playing_and_says_why_under_the_play_id(
    server, diverge_next_step, figure
):
    async def scenario():
        async with connect(figure_url(server, figure), origin=server.url) as ws:
            await receive(ws)
            await ws.send(json.dumps({"type": "play", "rate": 300, "id": 1}))
            answer = await receive(ws)
            assert answer["id"] == 1 and answer["playing"] is True
            diverge_next_step()
            while (message := await receive(ws))["type"] == "frame" and message["playing"]:
                assert_valid_frame(message, 1)  # frames that show the play command's effect
            assert message["type"] == "error" and message["id"] == 1
            assert message["message"].startswith("training diverged at step ")
            stopped = await receive(ws)
            assert stopped["type"] == "frame" and stopped["playing"] is False
            assert_valid_frame(stopped, 1)

    run(scenario())
