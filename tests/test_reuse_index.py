"""The DuckDB reuse index: build, add without recomputing, query a report."""
from typer.testing import CliRunner

import nlp
from cli import app
from conftest import SEEDS, seed_path
from nlp.reuse.store import ReuseIndex


def test_add_then_query_finds_the_copied_paragraph(tmp_path):
    reports = {r.name[:3]: r for r in nlp.corpora.load("seeds")}
    with ReuseIndex(tmp_path / "c.duckdb") as ix:
        assert ix.add([reports[k] for k in ("000", "002", "003", "004")]) == 4
        before = ix.counts()
        assert before["matches"] >= 2  # 000 ↔ 002 two sentences (plus template titles)
        assert ix.add([reports["001"], reports["000"]]) == 1  # 000 is already there
        after = ix.counts()
        assert after["reports"] == 5 and after["matches"] > before["matches"]
        found = ix.query(reports["001"])
    text = seed_path("001").read_text(encoding="utf-8")
    row = found[found["other_office"] == "杜市镇人民政府"].iloc[0]
    assert text[row["start"]:row["end"]].startswith("二是紧紧围绕实施政府信息公开工作")
    assert row["other_text"].startswith("二是扎实推进政府信息公开工作") and row["similarity"] > 0.85


def test_cli_index_and_query(tmp_path):
    runner = CliRunner()
    db = tmp_path / "corpus.duckdb"
    done = runner.invoke(app, ["index", "build", str(SEEDS), "-o", str(db)])
    assert done.exit_code == 0, done.output
    assert "indexed 5 reports" in done.stdout
    again = runner.invoke(app, ["index", "build", str(SEEDS), "-o", str(db)])
    assert again.exit_code == 2 and "index add" in again.stderr
    q = runner.invoke(app, ["reuse", "query", str(seed_path("000")), "--index", str(db)])
    assert q.exit_code == 0, q.output
    assert "董家镇人民政府 2020" in q.stdout and "copied from" in q.stdout
    bad = runner.invoke(app, ["reuse", "query", str(seed_path("000"))])
    assert bad.exit_code == 2 and "usage" in bad.stderr
