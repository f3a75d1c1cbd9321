"""The command as a user runs it: installed console script and ``python -m``, a real server process."""

import ipaddress
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import dropout_playground
from dropout_playground.addresses import network_addresses

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
        # A new server's first article waits for the numbers in its text, which each worker computes as it
        # starts: seconds on a machine busy with other tests.
        with urllib.request.urlopen(url, timeout=60) as response:
            assert response.status == 200
            assert "<h1>Dropout Playground</h1>" in response.read().decode()
    finally:
        code, out, err = stop(process)
    assert code == 0
    assert "Stopped." in out
    assert "Students" not in out  # serving this computer only, there is no one else to tell
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


def routed_address():
    """The address this computer sends from on its network, found the way ``ip route get`` finds it: a UDP
    socket's connect() picks a route and a source address and sends nothing. None off any network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None
        return probe.getsockname()[0]


def test_serving_a_class_prints_the_addresses_students_open_and_how_to_stop():
    process, url = start("--host", "0.0.0.0")
    try:
        # The first address is still this computer's own, for its own browser and for anything reading it.
        assert url.startswith("http://127.0.0.1:")
        port = urlsplit(url).port
        said = [process.stdout.readline() for _ in range(2)]
        while said[-1] and not said[-1].startswith("Ctrl-C"):
            said.append(process.stdout.readline())
        assert said[-1] == "Ctrl-C stops it.\n"
        students = re.findall(r"http://\S+/", "".join(said))
        if routed_address() is not None:
            assert students[0] == f"http://{routed_address()}:{port}/", said
        for address in students:
            host = urlsplit(address).hostname
            assert not ipaddress.ip_address(host).is_loopback and urlsplit(address).port == port
            with urllib.request.urlopen(address, timeout=60) as response:  # the first: see above
                assert "<h1>Dropout Playground</h1>" in response.read().decode()
    finally:
        code, _, err = stop(process)
    assert "anyone who can reach this computer" in err
    assert code == 0


def test_the_addresses_found_are_this_computers_own_on_its_networks():
    found = network_addresses(socket.AF_INET)
    assert len({a.ip for a in found}) == len(found)
    for address in found:
        ip = ipaddress.ip_address(address.ip)
        assert ip.version == 4 and not (ip.is_loopback or ip.is_link_local or ip.is_unspecified)
        with socket.socket() as own:
            own.bind((address.ip, 0))  # only an address of this computer can be bound
    if routed_address() is not None:
        assert found[0].ip == routed_address()


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--port", "70000"], "--port must be between 0 and 65535"), (["--workers", "0"], "--workers must be at least 1")],
)
def test_bad_arguments_are_refused(args, message):
    result = run(str(SCRIPT), "--no-browser", *args)
    assert result.returncode == 2 and message in result.stderr


def test_an_unknown_option_fails_with_usage():
    result = run(str(SCRIPT), "--frobnicate")
    assert result.returncode == 2
    assert "unrecognized arguments: --frobnicate" in result.stderr
