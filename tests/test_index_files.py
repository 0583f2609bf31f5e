"""Index files that are not usable indexes: one line naming the file, exit 2, nothing written."""
import hashlib
import subprocess
import sys

import duckdb
import pytest
from typer.testing import CliRunner

import nlp
from cli import app
from conftest import seed_path
from nlp.reuse.store import IndexFileError, build_index


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    path = tmp_path_factory.mktemp("good") / "seeds.duckdb"
    build_index(path, [nlp.load_report(seed_path(k)) for k in ("000", "002")], semantic=False)
    return path


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(path, says):
    """`reuse query` and `index add` both refuse ``path`` in one line and leave it as it was."""
    runner = CliRunner()
    before = _digest(path), sorted(p.name for p in path.parent.iterdir())
    for args in (["reuse", "query", str(seed_path("001")), "--index", str(path)],
                 ["index", "add", str(seed_path("001")), "--index", str(path)]):
        done = runner.invoke(app, args)
        assert done.exit_code == 2, done.output
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and says in lines[0], done.stderr
        assert "Traceback" not in done.output
    assert (_digest(path), sorted(p.name for p in path.parent.iterdir())) == before
    with pytest.raises(IndexFileError, match=says):  # on opening, or on reading a frame
        frames = nlp.open_index(path)
        for name in ("reports", "sections", "sentences", "cells", "passages", "families",
                     "leaks", "shares"):
            frames.frame(name)


def test_random_bytes(tmp_path):
    bad = tmp_path / "random.duckdb"
    bad.write_bytes(bytes(range(256)) * 400)
    _refused(bad, "not a govnlp index")


def test_empty_file(tmp_path):
    bad = tmp_path / "empty.duckdb"
    bad.write_bytes(b"")
    _refused(bad, "not a govnlp index")


@pytest.mark.parametrize("keep", [0.1, 0.5])
def test_truncated_index(good, tmp_path, keep):
    data = good.read_bytes()
    bad = tmp_path / "cut.duckdb"
    bad.write_bytes(data[:int(len(data) * keep)])
    _refused(bad, "corrupt or truncated")


def test_another_programs_database(tmp_path):
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE t (a INTEGER)")
    _refused(other, "not a govnlp index of this version")


def test_locked_index(good, tmp_path):
    """Another process holds a write connection: refused, and the index is intact afterwards."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); time.sleep(120)", str(good)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        _refused(good, "in use by another process")
    finally:
        holder.kill()
        holder.wait()
    assert len(nlp.open_index(good).reports) == 2


def test_missing_index(tmp_path):
    runner = CliRunner()
    done = runner.invoke(app, ["reuse", "query", str(seed_path("001")), "--index",
                               str(tmp_path / "none.duckdb")])
    assert done.exit_code == 2 and "no index here" in done.stderr
    assert not (tmp_path / "none.duckdb").exists()
