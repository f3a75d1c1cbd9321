"""A played figure and its session's commands, without a server: the chunks of every session a process
plays take turns on one thread, and a session's command waits for its own figure's chunk only while that
chunk runs, never while it waits behind other sessions' chunks."""

import asyncio
import json
import threading
from concurrent.futures import ThreadPoolExecutor

from dropout_playground.player import Player
from dropout_playground.protocol import FIGURES, decode_frame
from dropout_playground.server import Outbox, RateLimit, _handle


def decoded(message):
    header, _ = decode_frame(message)
    return header


def test_a_command_is_answered_while_the_figures_next_chunk_waits_behind_other_sessions_chunks():
    protocol = FIGURES["overfitting"]
    figure, _ = protocol.create({})
    players = ThreadPoolExecutor(1)
    other_sessions_chunk = threading.Event()

    async def scenario():
        outbox = Outbox()
        player = Player(protocol, figure, players, outbox.put_frame, outbox.put_error)
        players.submit(other_sessions_chunk.wait)  # the players' thread is busy with another session
        player.play(1500, 1)
        await asyncio.sleep(0.1)  # this figure's first chunk now waits its turn on that thread
        assert player.playing
        command = json.dumps({"type": "set", "p": 0.2, "id": 2})
        try:
            await asyncio.wait_for(_handle(player, {"text": command}, outbox, RateLimit()), 5)
        finally:
            other_sessions_chunk.set()
        answer = decoded(await outbox.next())
        assert answer["id"] == 2 and answer["values"]["settings"]["p"] == 0.2 and answer["playing"] is True
        await player.pause()

    try:
        asyncio.run(scenario())
    finally:
        other_sessions_chunk.set()
        players.shutdown()


def test_frames_go_out_in_the_order_they_were_built_each_with_the_newest_command_it_shows():
    protocol = FIGURES["overfitting"]
    figure, _ = protocol.create({})
    players = ThreadPoolExecutor(1)
    handed = []

    async def scenario():
        player = Player(protocol, figure, players, handed.append, lambda error: None)
        await player.command(1, lambda f: None)
        player.play(1500, 2)
        await player.command(2)
        for request_id in range(3, 40):
            p = request_id / 100  # each command restarts both networks with a new p
            await player.command(request_id, lambda f, p=p: protocol.methods["set"](f, p=p))
            await asyncio.sleep(0.01)
        await player.pause()

    try:
        asyncio.run(scenario())
    finally:
        players.shutdown()
    headers = [decoded(frame) for frame in handed]
    ids = [header["id"] for header in headers]
    assert ids == sorted(ids) and set(range(1, 40)) <= set(ids)
    # A frame with a command's id shows that command's p, chunk frames included.
    for header in headers[2:]:
        assert header["values"]["settings"]["p"] == header["id"] / 100
