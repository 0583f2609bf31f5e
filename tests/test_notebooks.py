"""The research notebooks execute end to end, so they never rot (their run time is measured
by benchmarks/notebooks.py)."""
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a fresh kernel per notebook, ~5 s each here (benchmarks/notebooks.py)
nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and len(nb.cells[0].source) > 200  # the question
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors == []
    outputs = "".join(str(o.get("data", o.get("text", ""))) for c in nb.cells if c.cell_type == "code"
                      for o in c.get("outputs", []))
    assert "Glyph" not in outputs and "missing from" not in outputs  # Chinese labels rendered
