"""The command as a user runs it: installed console script and ``python -m``."""

import subprocess
import sys
from pathlib import Path

import dropout_playground

SCRIPT = Path(sys.executable).parent / "dropout-playground"


def run(*command):
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=True).stdout


def test_version_from_the_console_script_and_from_python_m():
    expected = f"dropout-playground {dropout_playground.__version__}\n"
    assert run(str(SCRIPT), "--version") == expected
    assert run(sys.executable, "-m", "dropout_playground", "--version") == expected


def test_without_arguments_it_prints_its_version_and_how_to_use_the_library():
    out = run(str(SCRIPT))
    assert out.startswith(f"Dropout Playground {dropout_playground.__version__}")
    assert "import dropout_playground as dp" in out and "net.eval()" in out


def test_an_unknown_option_fails_with_usage():
    result = subprocess.run([str(SCRIPT), "--frobnicate"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "unrecognized arguments: --frobnicate" in result.stderr
