"""The corpus index: the same detection as `govnlp reuse`, stored; identity by content; frames."""
import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

import nlp
from cli import app
from conftest import SEEDS, SHARED_REPORTS, seed_path
from nlp.classify.model import statements_frame
from nlp.reuse.detect import detect
from nlp.reuse.store import ReuseIndex, build_index
from nlp.tables import tables_of

KEY = ["a_path", "a_start", "a_end", "b_path", "b_start", "b_end", "layer", "kind"]


def _keys(frame):
    return sorted(tuple(r) for r in frame[KEY].itertuples(index=False))


@pytest.fixture(scope="module")
def corpus():
    """The 5 seeds and the 15 shared reports, as `govnlp reuse` would load them."""
    if not SHARED_REPORTS.is_dir():
        pytest.skip("../shared/corpora is not present")
    reports, _ = nlp.load_reports([SEEDS, SHARED_REPORTS])
    assert len(reports) == 20
    return reports


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory):
    path = tmp_path_factory.mktemp("ix") / "corpus.duckdb"
    build_index(path, corpus)
    return path


def test_index_holds_the_passages_of_govnlp_reuse(corpus, built):
    direct = detect(corpus).passages_frame()
    stored = nlp.open_index(built).passages
    assert len(direct) > 50 and _keys(stored) == _keys(direct)
    # every column, both sides' identity and text included, with the schema's dtypes
    order = ["a_report_id", "a_start", "b_report_id", "b_start", "layer"]
    by = lambda f: f.sort_values(order, ignore_index=True)
    pd.testing.assert_frame_equal(by(stored), by(direct))
    assert set(stored["layer"]) >= {"cross_office", "template", "self_copy"}
    frames = nlp.open_index(built)
    assert sorted(frames.families["canonical"]) == sorted(detect(corpus).families_frame()["canonical"])


def test_query_of_an_indexed_report_reads_its_stored_passages(corpus, built):
    seed0 = next(r for r in corpus if r.name.startswith("000"))
    with ReuseIndex(built, read_only=True) as ix:
        found = ix.query(seed0)
    row = found[found["other_office"] == "董家镇人民政府"].iloc[0]
    assert row["other_wrote_first"] and row["layer"] == "cross_office"
    assert row["text"] == seed0.text[row["start"]:row["end"]]
    assert row["text"].startswith("2021年我镇在市政务公开工作考核中取得了较好的成绩")
    direct = detect(corpus).passages_frame()
    mine = direct[(direct["a_path"] == seed0.path) | (direct["b_path"] == seed0.path)]
    assert len(found) == len(mine)


def test_frames_slice_the_report_text(corpus, built):
    frames = nlp.open_index(built)
    by_path = {r.path: r for r in corpus}
    assert frames.complete and len(frames.reports) == 20
    assert frames.reports["report_id"].is_unique
    problems = frames.sections[frames.sections["section"] == "problems"].iloc[0]
    report = by_path[problems["path"]]
    assert problems["text"] == report.text[problems["start"]:problems["end"]]
    assert problems["text"].lstrip().startswith("五")
    sents = frames.sentences
    assert len(sents) == sum(len(s.sentences) for r in corpus for s in r.sections)
    last = sents.iloc[-1]
    assert last["text"] == by_path[last["path"]].text[last["start"]:last["end"]]
    cells = frames.cells
    assert len(cells) == sum(len(t.cells) for r in corpus for t in tables_of(r))
    one = cells[cells["path"] == corpus[0].path]
    want = {(t.id, c.row, c.column): c.value for t in tables_of(corpus[0]) for c in t.cells}
    got = {(t, r, c): (None if v != v else v)
           for t, r, c, v in one[["table", "row", "column", "value"]].itertuples(index=False)}
    assert got == want
    assert str(frames.reports["year"].dtype) == "Int64" and frames.reports["year"].notna().all()
    stmts, direct = frames.statements, statements_frame(corpus)
    assert list(stmts.columns) == list(direct.columns) and len(stmts) == len(direct) > 20
    key = ["report_id", "start", "end", "text"]
    assert sorted(map(tuple, stmts[key].values)) == sorted(map(tuple, direct[key].values))
    problem = stmts[stmts["labels"].map(lambda v: "problem" in v)].iloc[0]
    assert problem["text"] == by_path[problem["path"]].text[problem["start"]:problem["end"]]


def test_query_of_a_new_report_runs_the_same_detection(tmp_path):
    reports = {r.name[:3]: r for r in nlp.corpora.load("seeds")}
    db = tmp_path / "c.duckdb"
    build_index(db, [reports[k] for k in ("000", "002", "003", "004")])
    with ReuseIndex(db, read_only=True) as ix:
        assert ix.find(reports["001"]) is None
        before = ix.query(reports["001"])  # detection over the 4 stored + it; nothing stored
    row = before[before["other_office"] == "杜市镇人民政府"].iloc[0]
    assert row["text"].startswith("二是紧紧围绕实施政府信息公开工作")
    assert row["other_text"].startswith("二是扎实推进政府信息公开工作") and row["similarity"] > 0.85
    with ReuseIndex(db) as ix:
        assert ix.counts()["reports"] == 4
        assert ix.add([reports["001"], reports["000"]]) == 1  # 000 is already there
        after = ix.query(reports["001"])
    cols = ["start", "end", "other_path", "other_start", "other_end", "layer"]
    assert sorted(map(tuple, before[cols].values)) == sorted(map(tuple, after[cols].values))


def test_the_same_files_under_another_path_spelling_add_nothing(tmp_path, monkeypatch):
    runner = CliRunner()
    db = tmp_path / "seeds.duckdb"
    done = runner.invoke(app, ["index", "build", str(SEEDS), "-o", str(db), "-j", "1"])
    assert done.exit_code == 0, done.output
    before = nlp.open_index(db).passages
    copies = tmp_path / "again"
    shutil.copytree(SEEDS, copies)  # other paths, same bytes
    monkeypatch.chdir(SEEDS.parent)
    for spelling in (f"./{SEEDS.name}/", str(copies)):
        again = runner.invoke(app, ["index", "add", spelling, "--index", str(db), "-j", "1"])
        assert again.exit_code == 0, again.output
        assert "added 0 new reports (5 already indexed)" in again.stdout
    frames = nlp.open_index(db)
    assert len(frames.reports) == 5 and _keys(frames.passages) == _keys(before)
    assert not (frames.passages["a_report_id"] == frames.passages["b_report_id"]).any()


def test_cli_index_and_query(tmp_path):
    runner = CliRunner()
    db = tmp_path / "corpus.duckdb"
    done = runner.invoke(app, ["index", "build", str(SEEDS), "-o", str(db), "-j", "1"])
    assert done.exit_code == 0, done.output
    assert "indexed 5 reports" in done.stdout
    again = runner.invoke(app, ["index", "build", str(SEEDS), "-o", str(db)])
    assert again.exit_code == 2 and "index add" in again.stderr
    q = runner.invoke(app, ["reuse", "query", str(seed_path("000")), "--index", str(db)])
    assert q.exit_code == 0, q.output
    assert "copied from 董家镇人民政府 2020" in q.stdout
    bad = runner.invoke(app, ["reuse", "query", str(seed_path("000"))])
    assert bad.exit_code == 2 and "usage" in bad.stderr


def test_passages_do_not_depend_on_the_order_reports_were_added(corpus, tmp_path):
    """An index grown by two `add` runs, second half first, holds the passages of one
    `govnlp reuse` run over the corpus in its own order (star centres are chosen by content)."""
    db = tmp_path / "grown.duckdb"
    half = len(corpus) // 2
    build_index(db, corpus[half:][::-1])
    with ReuseIndex(db) as ix:
        assert ix.add(corpus[:half][::-1]) == half
    grown = nlp.open_index(db).passages
    assert _keys(grown) == _keys(detect(corpus).passages_frame())
