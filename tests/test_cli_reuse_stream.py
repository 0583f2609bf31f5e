"""`govnlp reuse` runs the streaming path: shards on disk, the in-memory detect()'s result."""
import json

import pandas as pd
from typer.testing import CliRunner

from cli import app
from conftest import SEEDS, SHARED_REPORTS
from nlp.load import load_reports
from nlp.reuse.detect import detect

runner = CliRunner()


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_cli_reuse_equals_detect_and_keeps_the_shards(tmp_path):
    """The seeds and three 平潭 years: the CLI's passages are detect()'s, row for row; the
    work folder keeps the shards for another run."""
    inputs = [SEEDS, *(SHARED_REPORTS / f"{n}.txt" for n in ("009", "011", "007"))]
    out, work = tmp_path / "out", tmp_path / "work"
    result = runner.invoke(app, ["reuse", *map(str, inputs), "-o", str(out), "--workdir",
                                 str(work), "--manifest", str(SEEDS / "manifest.csv"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("8 reports:") and "2 leaks" in result.stdout
    assert (work / "shards.json").is_file() and list(work.glob("sents-*.parquet"))

    from nlp.corpus import apply_manifest, read_manifest

    reports, _ = load_reports(inputs)
    apply_manifest(reports, read_manifest(SEEDS / "manifest.csv"))
    expected = detect(reports).passages_frame()
    got = pd.DataFrame(_rows(out / "passages.jsonl"))
    columns = ["a_path", "a_start", "a_end", "b_path", "b_start", "b_end", "layer", "a_office"]
    assert len(got) == len(expected) > 10
    assert got[columns].values.tolist() == expected[columns].values.tolist()
    # the two cross-office copies of the seeds, and 平潭's own earlier years
    assert (got["layer"] == "cross_office").sum() == 2
    assert (got["layer"] == "self_copy").sum() >= 2
    # the line printed counts the passages file's layers (counted from the passages, no frame)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(got["layer"].value_counts().items()))
    assert f"{len(got)} aligned passages ({counts})" in result.stdout


def test_cli_reuse_without_workdir_leaves_nothing_behind(tmp_path, monkeypatch):
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "out"
    result = runner.invoke(app, ["reuse", str(SEEDS), "-o", str(out), "--no-semantic", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "cross_office 2" in result.stdout
    assert list(scratch.iterdir()) == []  # the temporary shards are removed


def test_cli_reuse_lists_what_it_could_not_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text((SEEDS / next(p.name for p in SEEDS.glob("000_*.txt"))
                                   ).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "empty.txt").write_text("")
    (folder / "table.csv").write_text("x,y\n")
    result = runner.invoke(app, ["reuse", str(folder), "-o", str(tmp_path / "out"),
                                 "--no-semantic", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "empty.txt" in result.stderr and "empty file" in result.stderr
    assert "table.csv" in result.stderr and "1 report(s) read, 2 skipped" in result.stderr
    assert result.stdout.startswith("1 reports: 0 aligned passages")


def test_cli_reuse_nothing_readable_is_one_line_exit_1(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    result = runner.invoke(app, ["reuse", str(folder), "-o", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 1, result.output
    assert "0 report(s) read, 1 skipped" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_cli_scheduler_needs_a_shared_workdir(tmp_path):
    result = runner.invoke(app, ["reuse", str(SEEDS), "-o", str(tmp_path / "out"),
                                 "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error --scheduler needs --workdir: a folder every worker and this machine see at one path"]
