"""Play: the page asks once, and the server trains the figure at that rate, sending frames as it goes, until
the page pauses it, the figure reaches its cap, or the tab closes. Against a real server (uvicorn in this
process)."""

import asyncio
import json
import time

from websockets.asyncio.client import connect

from dropout_playground.figures.overfitting import MAX_STEPS, Overfitting, OverfittingSettings
from dropout_playground.protocol import FRAMES_PER_SECOND
from live_server import receive, run


def figure_url(server, figure, query=""):
    return f"ws://127.0.0.1:{server.port}/ws/{figure}{query}"


async def frames_for(ws, seconds):
    """Every message that arrives within ``seconds``."""
    found, end = [], time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        try:
            found.append(await asyncio.wait_for(receive(ws), left))
        except TimeoutError:
            break
    return found


def test_play_trains_at_the_rate_asked_sending_frames_unasked_until_paused(server):
    rate = 300

    async def scenario():
        async with connect(figure_url(server, "overfitting"), origin=server.url) as ws:
            first = await receive(ws)
            assert first["playing"] is False and first["values"]["step"] == 0
            await ws.send(json.dumps({"type": "play", "rate": rate, "id": 1}))
            started = time.monotonic()
            answer = await receive(ws)
            assert answer["id"] == 1 and answer["playing"] is True
            pushed = await frames_for(ws, 1.5)
            elapsed = time.monotonic() - started
            # Each pushed frame shows the play command's effect, and says so with its id.
            assert pushed and all(f["type"] == "frame" and f["id"] == 1 and f["playing"] for f in pushed)
            steps = [f["values"]["step"] for f in pushed]
            assert steps == sorted(steps)
            # The clock never runs ahead of the rate: at most rate × elapsed, plus the one frame's worth it
            # may owe when it starts counting again. And it keeps up at 300 a second (the figure trains
            # several times faster than that alone), so at least half of it on any machine that runs the suite.
            assert rate * elapsed * 0.5 <= steps[-1] <= rate * elapsed + rate / FRAMES_PER_SECOND + 1
            # No more frames than the page draws, give or take a late one.
            assert len(pushed) <= FRAMES_PER_SECOND * elapsed + 2

            await ws.send(json.dumps({"type": "pause", "id": 2}))
            paused = [m for m in await frames_for(ws, 0.5) if m.get("id") == 2]
            assert len(paused) == 1 and paused[0]["playing"] is False
            after = await frames_for(ws, 0.5)
            assert after == []  # nothing more is trained or sent

    run(scenario())


def test_commands_are_answered_while_playing_and_playing_goes_on(server):
    async def scenario():
        async with connect(figure_url(server, "overfitting"), origin=server.url) as ws:
            await receive(ws)
            await ws.send(json.dumps({"type": "play", "rate": 1500, "id": 1}))
            await frames_for(ws, 0.3)
            await ws.send(json.dumps({"type": "set", "p": 0.2, "id": 2}))
            after = await frames_for(ws, 1.0)
            answered = [m for m in after if m.get("id") == 2]
            # Answered, and every frame from then on shows it (and says so with its id).
            assert answered and after[-len(answered) :] == answered
            assert all(m["playing"] is True and m["values"]["settings"]["p"] == 0.2 for m in answered)
            later = await frames_for(ws, 0.5)
            assert later and later[-1]["values"]["settings"]["p"] == 0.2 and later[-1]["playing"]

    run(scenario())


def test_playing_stops_by_itself_at_the_cap_and_says_so_in_a_frame(server):
    async def scenario():
        async with connect(figure_url(server, "overfitting", f"?steps={MAX_STEPS - 30}"), origin=server.url) as ws:
            await receive(ws)
            await ws.send(json.dumps({"type": "play", "rate": 1500, "id": 1}))
            messages = await frames_for(ws, 2.0)
            assert all(m["type"] == "frame" for m in messages)  # no error: the frame says it all
            last = messages[-1]
            assert last["playing"] is False and last["values"]["at_cap"] and last["values"]["step"] == MAX_STEPS
            assert [m["playing"] for m in messages].count(False) == 1

    run(scenario())


def test_a_closed_tab_stops_its_training(server, monkeypatch):
    advanced = []
    advance = Overfitting._advance
    monkeypatch.setattr(Overfitting, "_advance", lambda self, *a, **k: (advanced.append(1), advance(self, *a, **k)))

    async def scenario():
        async with connect(figure_url(server, "overfitting"), origin=server.url) as ws:
            await receive(ws)
            await ws.send(json.dumps({"type": "play", "rate": 1500, "id": 1}))
            await frames_for(ws, 0.5)
        assert advanced
        await asyncio.sleep(0.3)  # a chunk under way as the tab closed ends (it lasts a display frame)
        count = len(advanced)
        await asyncio.sleep(0.5)
        assert len(advanced) == count

    run(scenario())


def test_play_is_refused_where_nothing_trains_and_its_rate_is_checked(server):
    async def scenario():
        async with connect(figure_url(server, "data-flow"), origin=server.url) as ws:
            await receive(ws)
            await ws.send(json.dumps({"type": "play", "rate": 10, "id": 1}))
            assert await receive(ws) == {
                "type": "error",
                "message": "unknown command 'play'; the commands are set, resample, reset",
                "id": 1,
            }
        async with connect(figure_url(server, "playground"), origin=server.url) as ws:
            await receive(ws)
            await ws.send(json.dumps({"type": "play", "rate": 0, "id": 2}))
            refused = await receive(ws)
            assert refused["id"] == 2 and refused["message"].startswith("rate: input should be greater than or equal")
            await ws.send(json.dumps({"type": "play", "rate": 20, "id": 3}))
            answer = await receive(ws)
            assert answer["id"] == 3 and answer["playing"] is True

    run(scenario())


def test_a_paused_figure_shows_its_networks_at_the_step_it_says(server):
    """While playing, the maps are redrawn at most 15 times a second; the frame that answers Pause is exact:
    the same maps as the figure replayed from a link to that step."""

    async def scenario():
        async with connect(figure_url(server, "overfitting", "?task=moons"), origin=server.url) as ws:
            await receive(ws)
            # Three pauses: a stale map shows in most of them (it is redrawn every other frame or so).
            for request_id in range(1, 7, 2):
                await ws.send(json.dumps({"type": "play", "rate": 1500, "id": request_id}))
                await frames_for(ws, 0.4)
                await ws.send(json.dumps({"type": "pause", "id": request_id + 1}))
                (paused,) = [m for m in await frames_for(ws, 0.5) if m.get("id") == request_id + 1]
                step = paused["values"]["step"]
                assert paused["values"]["map_step"] == step
                replayed = Overfitting(OverfittingSettings(task="moons", steps=step)).frame()
                for name in ("map_none", "map_dropout"):
                    assert (paused["arrays"][name] == replayed.arrays[name]).all(), (name, step)

    run(scenario())
