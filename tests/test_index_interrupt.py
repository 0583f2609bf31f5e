"""A real `govnlp index build` / `index add`, killed with SIGKILL mid-run: the index is as it was
(or marked incomplete) and the next `index add` repairs it to what a clean build holds."""
import os
import signal
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cli import app
from conftest import ROOT
from nlp.reuse.store import ReuseIndex

pytestmark = pytest.mark.slow
KEY = ["a_path", "a_start", "a_end", "b_path", "b_start", "b_end", "layer", "kind"]


def _passages(db):
    with ReuseIndex(db, read_only=True) as ix:
        frame = ix.con.execute("SELECT * FROM passages").df()
    return sorted(tuple(r) for r in frame[KEY].itertuples(index=False))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """200 synthetic reports with planted copies, the first and second hundred, the manifest,
    and a clean index of all 200."""
    out = tmp_path_factory.mktemp("synth") / "c"
    runner = CliRunner()
    done = runner.invoke(app, ["synth", "200", "-o", str(out)])
    assert done.exit_code == 0, done.output
    files = sorted(str(p) for p in (out / "reports").glob("*.txt"))
    manifest = str(out / "manifest.csv")
    clean = out.parent / "clean.duckdb"
    done = runner.invoke(app, ["index", "build", *files, "-o", str(clean), "--manifest", manifest,
                               "-j", "1"])
    assert done.exit_code == 0, done.output
    return files[:100], files[100:], manifest, clean


def _killed(args, cwd, at="detecting reuse"):
    """Run the CLI in a subprocess and SIGKILL it once it prints a line starting with ``at``."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), *args], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"})
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if line.startswith(at):
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "".join(seen)


@pytest.mark.parametrize("at", ["detecting reuse", "writing"])  # computing; inside the transaction
def test_killed_add_leaves_the_index_as_it_was_and_the_next_add_repairs_it(corpus, tmp_path, at):
    first, second, manifest, clean = corpus
    db = tmp_path / "ix.duckdb"
    runner = CliRunner()
    done = runner.invoke(app, ["index", "build", *first, "-o", str(db), "--manifest", manifest,
                               "-j", "1"])
    assert done.exit_code == 0, done.output
    before = _passages(db)
    _killed(["index", "add", *second, "--index", str(db), "--manifest", manifest, "-j", "1"],
            tmp_path, at)
    with ReuseIndex(db, read_only=True) as ix:  # opens: not corrupt, and not locked any more
        state = ix.complete, ix.counts()["reports"]
    if state == (True, 200):  # the commit beat the signal: the add is whole
        assert at == "writing" and _passages(db) == _passages(clean)
        return
    assert state == (False, 100)  # marked incomplete, the build's rows and results untouched
    assert _passages(db) == before
    q = runner.invoke(app, ["reuse", "query", first[0], "--index", str(db)])
    assert q.exit_code == 0 and "marked incomplete" in q.stderr
    repaired = runner.invoke(app, ["index", "add", *second, "--index", str(db), "--manifest",
                                   manifest, "-j", "1"])
    assert repaired.exit_code == 0, repaired.output
    assert "added 100 new reports" in repaired.stdout and "repaired" in repaired.stdout
    with ReuseIndex(db, read_only=True) as ix:
        assert ix.complete and ix.counts()["reports"] == 200
    assert _passages(db) == _passages(clean) and len(before) < len(_passages(clean))


def test_killed_build_leaves_no_index(corpus, tmp_path):
    first, _, manifest, _ = corpus
    db = tmp_path / "ix.duckdb"
    _killed(["index", "build", *first, "-o", str(db), "--manifest", manifest, "-j", "1"],
            tmp_path)
    assert not db.exists()
    runner = CliRunner()
    add = runner.invoke(app, ["index", "add", *first, "--index", str(db)])
    assert add.exit_code == 2 and "no index here" in add.stderr and not db.exists()
