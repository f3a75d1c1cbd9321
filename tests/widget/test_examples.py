"""The examples as a user runs them: the notebook top to bottom with a real kernel (nbclient), and the marimo
app exported headless (``marimo export html`` runs every cell)."""

import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_the_example_notebook_runs_every_cell_with_a_real_kernel(tmp_path):
    notebook = nbformat.read(EXAMPLES / "dropout.ipynb", as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    # Every figure is shown as a widget the front end can draw.
    widgets = [output for output in outputs if "application/vnd.jupyter.widget-view+json" in output.get("data", {})]
    assert len(widgets) == 8
    shown = "".join(output.get("text", "") for output in outputs if output.output_type == "stream")
    assert "[2, 6, 6, 3] 0.5 True" in shown  # the widget's network, read in code


def test_the_marimo_app_runs_every_cell(tmp_path):
    out = tmp_path / "app.html"
    marimo = Path(sys.executable).parent / "marimo"
    result = subprocess.run(
        [str(marimo), "export", "html", str(EXAMPLES / "dropout_marimo.py"), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert out.stat().st_size > 0
