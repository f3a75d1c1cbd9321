"""What a client sends that the server refuses, for real (uvicorn on 127.0.0.1): each refusal is one clear
sentence under the id of the message it answers, and the session goes on."""

import asyncio
import json

import pytest
from websockets.asyncio.client import connect

from dropout_playground.protocol import MAX_MESSAGE_BYTES
from dropout_playground.server import MESSAGE_BURST
from live_server import receive, run, ws_url

DEEP = 1000  # levels: far past what Python's own JSON parser survives, and still under the size limit


@pytest.mark.parametrize(
    "message",
    [
        "[" * DEEP + "]" * DEEP,
        '{"type": "set", "id": 4, "p": ' + "[" * DEEP + "]" * DEEP + "}",
        "[" * (2 * DEEP),  # never closed
        '{"a":' * (DEEP // 2) + "0" + "}" * (DEEP // 2),  # 6 bytes a level
    ],
    ids=["array", "in-a-command", "unclosed", "objects"],
)
def test_a_deeply_nested_message_gets_one_clear_error_and_the_session_goes_on(server, message):
    assert len(message.encode()) <= MAX_MESSAGE_BYTES

    async def scenario():
        async with connect(ws_url(server), origin=server.url) as ws:
            await receive(ws)
            await ws.send(message)
            error = await receive(ws)
            assert error["type"] == "error" and error["message"].startswith("message nested too deeply")
            # One answer to that message, and the next command is carried out as ever.
            await ws.send(json.dumps({"type": "resample", "id": 9}))
            answer = await receive(ws)
            assert answer["type"] == "frame" and answer["id"] == 9

    run(scenario())


def burst_message(request_id):
    """Every tenth message is carried out (a frame, which a newer one may replace before it is sent); the rest
    are refused as soon as they are read, so the burst outruns the rate limit."""
    if request_id % 10 == 0:
        return json.dumps({"type": "resample", "id": request_id})
    return json.dumps({"type": "set", "colour": "red", "id": request_id})


def test_every_refusal_in_a_burst_carries_the_id_of_the_message_it_answers(server):
    # A page waits for the answer to each id it sends: a refusal without one would leave it waiting forever.
    count = MESSAGE_BURST + 100

    async def scenario():
        async with connect(ws_url(server), origin=server.url) as ws:
            await receive(ws)
            # All at once, while the answers are read: faster than the server's MESSAGES_PER_SECOND, so the
            # bucket of MESSAGE_BURST runs dry and the rest are refused unread.
            sending = asyncio.create_task(send_all(ws, count))
            answers = []
            while not answers or answers[-1]["id"] != count:  # the last message's answer comes last
                answer = await receive(ws)
                refusal = answer["type"] == "error"
                assert not refusal or isinstance(answer["id"], int), f"{answer['message']!r} without an id"
                answers.append(answer)
            await sending
            return answers

    answers = run(scenario())
    errors = [answer for answer in answers if answer["type"] == "error"]
    error_ids = [error["id"] for error in errors]
    # Answered in the order they were sent, each message once at most, and each refused one exactly once.
    assert error_ids == sorted(set(error_ids))
    assert {i for i in range(1, count + 1) if i % 10} <= set(error_ids)
    too_many = [error for error in errors if error["message"].startswith("too many messages")]
    # The bucket holds MESSAGE_BURST and refills MESSAGES_PER_SECOND: the 300 messages, 270 of them refused in
    # microseconds and 30 taking a few milliseconds each, are read in well under (300 − 200) / 100 = 1 s, so
    # some came over the limit.
    assert too_many
    for error in errors:
        if error not in too_many:
            assert error["message"] == "unknown field 'colour'" and error["id"] % 10
    frame_ids = [answer["id"] for answer in answers if answer["type"] == "frame"]
    assert frame_ids and all(i % 10 == 0 for i in frame_ids) and frame_ids == sorted(frame_ids)


async def send_all(ws, count):
    for request_id in range(1, count + 1):
        await ws.send(burst_message(request_id))
