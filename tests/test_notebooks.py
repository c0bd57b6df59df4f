"""The notebooks run from top to bottom, so they never rot (executed with nbclient, on copies:
the committed outputs are left as they are)."""
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def run(name: str):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return nb


def outputs(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if kind in o.get("data", {})]


@pytest.mark.parametrize("name", ["01_quickstart.ipynb", "02_tulsa_case_study.ipynb"])
def test_notebook_runs_and_draws(name):
    nb = run(name)   # raises CellExecutionError on any failing cell
    assert all(o.output_type != "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert len(outputs(nb, "image/png")) >= 2          # the timeline and a cluster's picture
    text = " ".join(o["data"]["text/plain"] for o in outputs(nb, "text/plain"))
    assert "DetectionResult" in text and "precision" in text


def test_committed_notebooks_carry_their_outputs():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code and all(c.outputs for c in code), f"{path.name}: run it and save it with its outputs"
