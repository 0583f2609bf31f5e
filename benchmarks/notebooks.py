"""The research notebooks: wall-clock time to execute each one end to end.

``tests/test_notebooks.py`` checks that every notebook runs without an error; how long that
takes is measured here, against ``BUDGET_S``, so a slow machine never fails a unit test. Each
notebook runs once in a fresh kernel (``nbclient``), in a temporary folder as the tests do.
"""
from __future__ import annotations

import platform
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("notebooks.md")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: A notebook is an example a reader runs by hand: five minutes is the most one may take (the
#: former assert of tests/test_notebooks.py; nbclient's per-cell timeout there is the same).
BUDGET_S = 300.0


def run_notebook(path: Path) -> float:
    """Seconds to execute ``path`` in a fresh ``python3`` kernel."""
    import nbclient
    import nbformat

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        nbclient.NotebookClient(nb, timeout=int(BUDGET_S), kernel_name="python3",
                                resources={"metadata": {"path": tmp}}).execute()
        return time.perf_counter() - start


def main() -> Path:
    """Run every notebook once; write benchmarks/notebooks.md and return its path."""
    rows = [(p.name, run_notebook(p)) for p in NOTEBOOKS]
    lines = [
        "# Notebooks: time to run end to end",
        "",
        f"Machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}. One run each in a fresh kernel (kernel start-up "
        f"included); budget {BUDGET_S:.0f} s per notebook.",
        "",
        "| notebook | seconds | within budget |",
        "|---|---|---|",
        *(f"| {name} | {s:.1f} | {'yes' if s < BUDGET_S else '**no**'} |" for name, s in rows),
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return OUT


if __name__ == "__main__":
    print(main())
