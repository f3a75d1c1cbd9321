"""A real uvicorn server in this process on a free port of 127.0.0.1, and the WebSocket helpers that the
server tests share."""

import asyncio
import json
import socket
import threading
import time

from dropout_playground.protocol import decode_frame
from dropout_playground.server import make_server


class RunningServer:
    def __init__(self, options):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.server = make_server(options)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.01)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def sessions(self):
        # The app behind uvicorn's middleware keeps the open sessions in its state.
        return self.server.config.app.state.sessions

    def stop(self):
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


def ws_url(server, query=""):
    return f"ws://127.0.0.1:{server.port}/ws/playground{query}"


async def receive(ws, progress=False):
    """The next message: a decoded frame header (with arrays) or an error dict; progress toward a first
    frame too when asked for, else skipped (a busy machine may take long enough to send some)."""
    while True:
        message = await asyncio.wait_for(ws.recv(), timeout=20)
        if isinstance(message, bytes):
            header, arrays = decode_frame(message)
            header["arrays"] = arrays
            return header
        decoded = json.loads(message)
        if progress or decoded["type"] != "progress":
            return decoded


def run(coroutine):
    return asyncio.run(coroutine)
