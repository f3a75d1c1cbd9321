"""The README's example runs and prints what the README says it prints."""

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def test_the_library_example_prints_what_the_readme_shows():
    text = README.read_text(encoding="utf-8")
    section = text.split("## The library in one example", 1)[1]
    code, printed = re.findall(r"```(?:python)?\n(.*?)```", section, flags=re.DOTALL)[:2]
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, "README.md", "exec"), {})
    assert output.getvalue() == printed


def test_the_command_the_readme_opens_with_runs_right_after_set_up():
    text = README.read_text(encoding="utf-8")
    setup = re.search(r"## Set-up.*?```bash\n(.*?)```", text, flags=re.DOTALL).group(1)
    assert "python3 -m venv .venv" in setup and "activate" not in setup
    opening = text.split("\n## ", 1)[0]
    command = re.search(r"`([^`]*dropout-playground[^`]*)`", opening).group(1)
    # A reader's shell after the set-up command: the virtual environment exists (here: the one running these
    # tests) and nothing has put it on the PATH.
    venv = Path(sys.prefix)
    scripts = (venv / "bin").resolve()
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p).resolve() != scripts)
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"} | {"PATH": path}
    result = subprocess.run(
        ["bash", "-c", command.replace(".venv/", f"{venv}/") + " --version"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"{command!r}: {result.stderr}"
    assert result.stdout.startswith("dropout-playground ")
