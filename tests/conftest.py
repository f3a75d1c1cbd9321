"""The server tests' shared fixture: a real uvicorn server in this process, serving this computer only, one
for each test module. (The browser tests in ``e2e`` start the real command instead.)"""

import pytest

from dropout_playground.server import LOCAL_HOSTS, ServerOptions
from live_server import RunningServer


@pytest.fixture(scope="module")
def server():
    running = RunningServer(ServerOptions(allowed_hosts=LOCAL_HOSTS))
    yield running
    running.stop()
