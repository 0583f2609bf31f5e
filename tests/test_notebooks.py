"""The tutorial notebooks execute end to end, so they never rot (their run time is measured by
benchmarks/notebooks.py): each opens with its research question, draws its plots inline, and
finds its data without touching sys.path or the backend."""
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a fresh kernel per notebook, 15–50 s each here (benchmarks/notebooks.py)
nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_three_tutorials():
    assert [p.stem for p in NOTEBOOKS] == ["section_summaries", "template_reuse", "topics"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_a_tutorial_with_saved_outputs(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert "?" in nb.cells[0].source.splitlines()[0] or "table" in nb.cells[0].source.splitlines()[0]
    prose = sum(len(c.source) for c in nb.cells if c.cell_type == "markdown")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert prose > 1000 and len(code) >= 5
    source = "\n".join(c.source for c in code)
    for hack in ('matplotlib.use(', "sys.path", "os.chdir", "__file__", "../"):
        assert hack not in source, hack
    assert all(c.get("outputs") for c in code)  # saved executed
    assert any("image/png" in o.get("data", {}) for c in code for o in c.outputs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert [o for o in outputs if o.get("output_type") == "error"] == []
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 2  # inline plots
    text = "".join(str(o.get("data", o.get("text", ""))) for o in outputs)
    assert "Glyph" not in text and "missing from" not in text  # Chinese labels rendered
