"""The command as a user runs it: installed console script and ``python -m``, a real server process."""

import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

import dropout_playground

SCRIPT = Path(sys.executable).parent / "dropout-playground"


def run(*command):
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def start(*args):
    """Start the command; return the process and the address it printed."""
    process = subprocess.Popen(
        [str(SCRIPT), "--no-browser", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    line = process.stdout.readline()
    assert "is running at http://" in line, line + process.stderr.read()
    return process, line.split(" is running at ")[1].split()[0]


def stop(process):
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    return process.returncode, out, err


def test_version_from_the_console_script_and_from_python_m():
    expected = f"dropout-playground {dropout_playground.__version__}\n"
    assert run(str(SCRIPT), "--version").stdout == expected
    assert run(sys.executable, "-m", "dropout_playground", "--version").stdout == expected


def test_it_serves_the_page_on_a_free_local_port_and_stops_cleanly_on_ctrl_c():
    process, url = start()
    try:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            assert "<h1>Dropout Playground</h1>" in response.read().decode()
    finally:
        code, out, err = stop(process)
    assert code == 0
    assert "Stopped." in out
    assert "Traceback" not in err


def test_python_m_does_the_same():
    process = subprocess.Popen(
        [sys.executable, "-m", "dropout_playground", "--no-browser"], stdout=subprocess.PIPE, text=True
    )
    line = process.stdout.readline()
    assert "is running at http://127.0.0.1:" in line
    assert stop(process)[0] == 0


def test_a_port_in_use_gives_a_one_line_error_with_the_fix():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(str(SCRIPT), "--no-browser", "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert f"port {port} is already in use; choose another with --port" in result.stderr


def test_serving_beyond_this_computer_warns():
    process, url = start("--host", "0.0.0.0")
    try:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
    finally:
        code, _, err = stop(process)
    assert "anyone who can reach this computer" in err
    assert code == 0


@pytest.mark.parametrize(("args", "message"), [(["--port", "70000"], "--port must be between 0 and 65535")])
def test_bad_arguments_are_refused(args, message):
    result = run(str(SCRIPT), "--no-browser", *args)
    assert result.returncode == 2 and message in result.stderr


def test_an_unknown_option_fails_with_usage():
    result = run(str(SCRIPT), "--frobnicate")
    assert result.returncode == 2
    assert "unrecognized arguments: --frobnicate" in result.stderr
