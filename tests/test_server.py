"""The server, for real: uvicorn on a free port, HTTP with httpx and WebSockets with the websockets client."""

import asyncio
import json
import time
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

import dropout_playground
from dropout_playground.figures.claims import claims
from dropout_playground.page import CLAIM_ELEMENT
from dropout_playground.protocol import FIGURES
from dropout_playground.server import (
    MESSAGE_BURST,
    MESSAGES_PER_SECOND,
    PROGRESS_AFTER_SECONDS,
    PROGRESS_PER_SECOND,
    Outbox,
    ServerOptions,
)
from live_server import RunningServer, receive, run, ws_url


@pytest.fixture(scope="module")
def linked_server():
    running = RunningServer(ServerOptions(library_url='https://example.org/explainers?a=1&b="2"'))
    yield running
    running.stop()


# -- HTTP ------------------------------------------------------------------------------------------


def test_the_article_page_and_its_assets_are_served(server):
    # The first page of a process waits for the numbers in its text to be computed (about a second).
    page = httpx.get(server.url + "/", timeout=60)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "<h1>Dropout Playground</h1>" in page.text
    # The text's computed numbers are filled in: the worked check's, for one.
    assert f'<span data-claim="worked.eval">{claims()["worked.eval"]}</span>' in page.text
    assert not CLAIM_ELEMENT.search(page.text), "a computed number was left out"
    assert "library-link" not in page.text  # no library address configured: no back link
    assert httpx.get(server.url + "/static/index.html").status_code == 200


def test_the_back_link_appears_when_configured_and_is_escaped(linked_server):
    page = httpx.get(linked_server.url + "/", timeout=60).text
    assert '<a class="library-link" href="https://example.org/explainers?a=1&amp;b=&quot;2&quot;">' in page


@pytest.mark.parametrize("path", ["/static/../server.py", "/static/%2e%2e/server.py", "/server.py", "/etc/passwd"])
def test_only_its_own_static_files_are_served(server, path):
    assert httpx.get(server.url + path).status_code == 404


STATIC = Path(dropout_playground.__file__).parent / "static"


@pytest.mark.parametrize("name", ["app.js", "style.css"])
def test_the_pages_files_travel_gzipped_and_a_browser_that_has_them_downloads_nothing_again(server, name):
    with httpx.Client(headers={"Accept-Encoding": "gzip"}) as client:
        first = client.get(f"{server.url}/static/{name}")
        assert first.status_code == 200 and first.headers["content-encoding"] == "gzip"
        assert first.content == (STATIC / name).read_bytes()
        # gzip -9 leaves 36 % of the minified script and 26 % of the styles: well under half crosses the Wi-Fi.
        assert first.num_bytes_downloaded < 0.4 * len(first.content)
        assert "accept-encoding" in first.headers["vary"].lower()
        # Kept, but checked on each visit: a rebuilt or upgraded script is never served stale.
        assert first.headers["cache-control"] == "no-cache"
        again = client.get(f"{server.url}/static/{name}", headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["cache-control"] == "no-cache"


def test_a_client_that_takes_no_gzip_gets_the_plain_file(server):
    plain = httpx.get(server.url + "/static/app.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == (STATIC / "app.js").read_bytes()


def test_the_article_travels_gzipped_and_is_never_kept_stale(server):
    page = httpx.get(server.url + "/", headers={"Accept-Encoding": "gzip"}, timeout=60)
    assert page.headers["content-encoding"] == "gzip" and "<h1>Dropout Playground</h1>" in page.text
    # Its numbers are computed by the running engine: no freshness lifetime, explicit or guessed from a date.
    assert "max-age" not in page.headers.get("cache-control", "")
    assert "last-modified" not in page.headers and "expires" not in page.headers


# -- WebSocket sessions ----------------------------------------------------------------------------


def test_a_session_opens_with_a_frame_and_answers_each_command_with_one(server):
    async def scenario():
        async with connect(ws_url(server), origin=server.url) as ws:
            first = await receive(ws)
            assert first["type"] == "frame" and first["id"] is None
            assert first["values"]["settings"]["p"] == 0.5 and first["arrays"]["heatmap"].shape == (64, 64, 3)
            await ws.send(json.dumps({"type": "set", "p": 0.1, "id": 1}))
            answer = await receive(ws)
            assert answer["id"] == 1 and answer["values"]["scale_text"] == "1.11"
            await ws.send(json.dumps({"type": "set", "mode": "eval", "id": 2}))
            assert (await receive(ws))["values"]["alive"] == [6, 6]

    run(scenario())


def test_settings_come_from_the_address_and_bad_ones_are_reported(server):
    async def scenario():
        async with connect(ws_url(server, "?p=0.2&seed=3&hidden=4,5&mode=sideways"), origin=server.url) as ws:
            frame = await receive(ws)
            settings = frame["values"]["settings"]
            assert (settings["p"], settings["seed"], settings["hidden"], settings["mode"]) == (0.2, 3, [4, 5], "train")
            error = await receive(ws)
            assert error["type"] == "error" and error["message"].startswith("mode=sideways in the address was ignored")

    run(scenario())


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("{broken", "not valid JSON"),
        ('{"type": "explode"}', "unknown command 'explode'"),
        ('{"type": "set", "p": 1.7, "id": 5}', "p must be between 0 and 1, got 1.7"),
        ('{"type": "set", "p": "high"}', "p: input should be a valid number, got 'high'"),
        ("x" * 10_000, "message too large: 10000 bytes"),
        (b"\x00\x01", "send commands as JSON text, not binary"),
    ],
)
def test_bad_input_gets_a_specific_error_and_the_session_goes_on(server, message, reason):
    async def scenario():
        async with connect(ws_url(server), origin=server.url) as ws:
            await receive(ws)
            await ws.send(message)
            error = await receive(ws)
            assert error["type"] == "error" and reason in error["message"]
            await ws.send(json.dumps({"type": "resample", "id": 9}))
            assert (await receive(ws))["id"] == 9

    run(scenario())


def test_a_flood_is_refused_politely_and_the_session_recovers(server):
    async def scenario():
        async with connect(ws_url(server), origin=server.url) as ws:
            await receive(ws)
            # More at once than the burst allows, each refused at once for what it is (an unknown command, so
            # that the server takes them faster than the limit's rate on any machine): the ones beyond the
            # burst are refused for coming too fast instead. Every one is answered, under its own id.
            flood = MESSAGE_BURST + 100
            for i in range(flood):
                await ws.send(json.dumps({"type": "nonsense", "id": i}))
            answers = [await receive(ws) for _ in range(flood)]
            assert [answer["id"] for answer in answers] == list(range(flood))
            assert all(answer["type"] == "error" for answer in answers)
            too_fast = [
                a for a in answers if a["message"] == f"too many messages: at most {MESSAGES_PER_SECOND:g} a second"
            ]
            # The burst goes through (less what refilled while it was read); beyond it, refusals.
            assert too_fast and too_fast[0]["id"] >= MESSAGE_BURST - 10
            await asyncio.sleep(2.5)
            await ws.send(json.dumps({"type": "resample", "id": 1000}))
            while (message := await receive(ws)).get("id") != 1000:
                pass
            assert message["type"] == "frame"

    run(scenario())


def test_one_misbehaving_client_does_not_disturb_another(server):
    async def scenario():
        async with (
            connect(ws_url(server), origin=server.url) as rude,
            connect(ws_url(server), origin=server.url) as polite,
        ):
            await receive(rude)
            await receive(polite)
            for _ in range(20):
                await rude.send("{not json")
            for i in range(5):
                await polite.send(json.dumps({"type": "resample", "id": i}))
                assert (await receive(polite))["id"] == i

    run(scenario())


def test_closing_the_tab_frees_its_session(server):
    async def scenario():
        async with connect(ws_url(server), origin=server.url) as ws:
            await receive(ws)
            assert len(server.sessions()) == 1
        deadline = time.monotonic() + 5
        while server.sessions() and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        assert len(server.sessions()) == 0

    run(scenario())


def test_a_class_of_twenty_is_served_at_once(server):
    async def student(i):
        async with connect(ws_url(server, f"?seed={i}"), origin=server.url) as ws:
            frame = await receive(ws)
            await ws.send(json.dumps({"type": "train", "steps": 20, "id": 1}))
            return frame["values"]["settings"]["seed"], (await receive(ws))["values"]["steps"]

    async def scenario():
        return await asyncio.gather(*(student(i) for i in range(20)))

    results = sorted(run(scenario()))
    # Each student's own network answered, and trained: up to the 20 steps asked for, fewer if the chunk's
    # time ran out first (20 sessions share 2 cores), never none.
    assert [seed for seed, _ in results] == list(range(20))
    assert all(800 < steps <= 820 for _, steps in results)


@pytest.mark.parametrize(
    ("host", "origin"),
    [("127.0.0.1", "http://evil.example"), ("evil.example", None), ("127.0.0.1", "http://127.0.0.1:1")],
)
def test_other_sites_and_other_hosts_are_refused(server, host, origin):
    # Connect to this server, naming ``host`` in the Host header (as a DNS-rebinding page would).
    uri = f"ws://{host}:{server.port}/ws/playground"

    async def scenario():
        with pytest.raises(InvalidStatus) as refused:
            async with connect(uri, origin=origin, host="127.0.0.1", port=server.port):
                pass
        assert refused.value.response.status_code == 403

    run(scenario())


# -- the outbox ------------------------------------------------------------------------------------


def test_the_outbox_keeps_only_the_newest_frame_but_every_error():
    async def scenario():
        outbox = Outbox()
        outbox.put_frame(b"frame 1")
        outbox.put_error("error 1")
        outbox.put_frame(b"frame 2")
        outbox.put_error("error 2")
        outbox.put_frame(b"frame 3")
        assert len(outbox) == 3
        return [await outbox.next() for _ in range(3)]

    assert run(scenario()) == ["error 1", "error 2", b"frame 3"]


def test_the_outbox_keeps_only_the_newest_progress_and_none_once_a_frame_waits():
    async def scenario():
        outbox = Outbox()
        outbox.put_progress("progress 1")
        outbox.put_progress("progress 2")
        first = await outbox.next()
        outbox.put_progress("progress 3")
        outbox.put_frame(b"frame 1")
        outbox.put_error("error 1")
        return [first, *[await outbox.next() for _ in range(len(outbox))]]

    assert run(scenario()) == ["progress 2", b"frame 1", "error 1"]


def test_a_long_link_reports_its_progress_a_few_times_a_second_before_its_first_frame(server):
    async def scenario():
        url = ws_url(server, "?training=19800@0.5&hidden=3,5")
        async with connect(url, origin=server.url) as ws:
            started = time.monotonic()
            progress = []
            while (message := await receive(ws, progress=True))["type"] == "progress":
                progress.append(message)
            seconds = time.monotonic() - started
            return progress, message, seconds

    progress, frame, seconds = run(scenario())
    assert frame["type"] == "frame" and frame["values"]["steps"] == 19800
    # Nothing in the first moment, then at most PROGRESS_PER_SECOND a second. The replay takes over a
    # second (about 0.2 ms a step), so there are reports to read.
    assert seconds > PROGRESS_AFTER_SECONDS + 2 / PROGRESS_PER_SECOND and len(progress) >= 2
    assert len(progress) <= (seconds - PROGRESS_AFTER_SECONDS) * PROGRESS_PER_SECOND + 1
    fractions = [message["fraction"] for message in progress]
    assert fractions == sorted(fractions) and all(0 < f < 1 for f in fractions)
    for message in progress:
        assert message["message"] == "Replaying 19,800 training steps"
        assert message["settings"] == frame["values"]["settings"]


def test_a_quick_build_sends_no_progress(server):
    async def scenario():
        async with connect(ws_url(server, "?training=100@0.5"), origin=server.url) as ws:
            return await receive(ws, progress=True)

    assert run(scenario())["type"] == "frame"


# -- every figure ----------------------------------------------------------------------------------


def test_an_unknown_figure_is_refused(server):
    async def scenario():
        with pytest.raises(InvalidStatus) as refused:
            async with connect(f"ws://127.0.0.1:{server.port}/ws/nonsense", origin=server.url):
                pass
        assert refused.value.response.status_code == 403

    run(scenario())


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_opens_with_its_frame_and_survives_a_bad_command(server, name):
    async def scenario():
        async with connect(f"ws://127.0.0.1:{server.port}/ws/{name}", origin=server.url) as ws:
            first = await receive(ws)
            assert first["type"] == "frame" and first["figure"] == name
            settings = first["values"]["settings"]
            await ws.send(json.dumps({"type": "fly", "id": 5}))
            error = await receive(ws)
            assert error["type"] == "error" and error["id"] == 5
            assert error["message"].startswith("unknown command 'fly'; the commands are set")
            # The session goes on: the same settings give the same frame again.
            await ws.send(json.dumps({"type": "set", "id": 6}))
            again = await receive(ws)
            assert again["id"] == 6 and again["values"]["settings"] == settings

    run(scenario())
