"""The panel (``nlp.panel``, ``Corpus.panel``, ``govnlp panel``) on the real reports."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli import app
from nlp.corpus import Corpus
from nlp.dataset.write import write_frame
from nlp.load import parse_report
from nlp.panel import (PanelWarning, panel_columns, panel_frame, panel_schema, reuse_shares, section_chars,
                       table_columns)
from nlp.reuse.detect import detect

SHARED = Path(__file__).parents[2] / "shared"
SEEDS = SHARED / "seeds"
REPORTS = SHARED / "corpora" / "reports"
pytestmark = pytest.mark.skipif(not REPORTS.is_dir(), reason="shared corpus not present")
#: 平潭综合实验区管委会's reports: 2014 (021) is its earliest in the corpus.
PINGTAN = ("004", "005", "007", "009", "010", "011", "012", "013", "020", "021")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus([SEEDS, REPORTS], progress=False)


@pytest.fixture(scope="module")
def reuse(corpus):
    return detect(corpus.reports)


@pytest.fixture(scope="module")
def panel(corpus, reuse) -> pd.DataFrame:
    return panel_frame(corpus.reports, reuse=reuse, progress=False)


def _row(panel: pd.DataFrame, name: str) -> pd.Series:
    rows = panel[panel["path"].map(lambda p: Path(p).name) == name]
    assert len(rows) == 1, name
    return rows.iloc[0]


def test_one_row_per_report_with_the_fixed_columns(corpus, panel):
    assert len(corpus) == 20
    assert len(panel) == 20
    assert sorted(panel["path"]) == sorted(r.path for r in corpus.reports)
    assert panel["report_id"].is_unique
    assert list(panel.columns) == panel_columns()
    assert "requests.new_received.natural_person" in panel.columns
    assert "check.requests.balance" in panel.columns and "chars.problems" in panel.columns


def test_columns_are_the_same_whatever_the_reports(corpus, panel):
    # Two seeds (2021 template, no pre-2019 report, no reuse, no classifier) and the old
    # 平潭 layout alone give the same columns, in the same order, with the same dtypes.
    few = panel_frame(corpus.reports[:2], reuse=False, classifier=False, progress=False)
    old = panel_frame([r for r in corpus if Path(r.path).stem in ("020", "021")],
                      reuse=False, classifier=False, progress=False)
    for frame in (few, old, panel_frame([], progress=False)):
        assert list(frame.columns) == list(panel.columns)
        assert frame.dtypes.astype(str).tolist() == panel.dtypes.astype(str).tolist()
    assert few["template_share"].isna().all() and few["problem_count"].isna().all()


def test_honze_2023_request_counts_as_printed(panel):
    # 002.txt, table 三: "一、本年新收政府信息公开申请数量  21 0 0 0 0 0 21", 上年结转 all 0.
    row = _row(panel, "002.txt")
    assert row["office"] == "洪泽区人民政府" and row["year"] == 2023
    assert row["division_code"] == "320813" and row["office_id"] == "320813"
    assert row["requests.new_received.total"] == 21
    assert row["requests.new_received.natural_person"] == 21
    assert row["requests.new_received.commercial"] == 0
    assert row["requests.carried_in.total"] == 0
    assert str(panel["requests.new_received.total"].dtype) == "Int64"
    assert str(panel["year"].dtype) == "Int64"
    assert row["check.requests.balance"] == "PASS"
    # Section 五: one sentence of problems (规范性还有待提高…), then measures 一是, 二是, 三是.
    assert (row["problem_count"], row["improvement_count"]) == (1, 3)


def test_blank_and_missing_cells_are_null_not_zero(panel):
    # The pre-2019 平潭 layout prints no 2019/2021 table 三: its cells are null, not 0.
    row = _row(panel, "021.txt")
    assert row["year"] == 2014
    assert pd.isna(row["requests.new_received.total"])
    assert row["check.requests.balance"] == "NOT_ASSESSABLE"
    # 淮安市 2024 prints the 2021 table 三 (其他处理 in three rows): the 2019 one-row cell is null.
    huaian = _row(panel, "001.txt")
    assert pd.isna(huaian["requests.other_total.total"])
    assert pd.notna(huaian["requests.other_overdue_fee.total"])
    # 洪泽区 2023 still prints 其他处理 as one row: "（六）其他处理 0 0 0 0 0 0 0".
    assert _row(panel, "002.txt")["requests.other_total.total"] == 0
    assert pd.isna(_row(panel, "002.txt")["requests.other_overdue_fee.total"])


def test_a_fraction_in_a_count_cell_is_left_out_and_named():
    # 洪泽区 2023 with its 自然人 count misprinted as 20.5: null in the panel, and a warning
    # naming the cell, never a crash and never a silent 20.
    text = (REPORTS / "002.txt").read_text(encoding="utf-8")
    line = next(l for l in text.splitlines() if l.startswith("一、本年新收"))
    report = parse_report(text.replace(line, line.replace("21    0", "20.5    0", 1)), "x.txt")
    with pytest.warns(PanelWarning, match=r"x.txt: requests.new_received.natural_person = 20.5"):
        frame = panel_frame([report], reuse=False, classifier=False, progress=False)
    assert pd.isna(frame.loc[0, "requests.new_received.natural_person"])
    assert frame.loc[0, "requests.new_received.total"] == 21


def test_self_copy_share_is_directed_to_earlier_reports(panel):
    pingtan = panel[panel["path"].map(lambda p: Path(p).stem in PINGTAN)].sort_values("year")
    assert pingtan["year"].tolist() == [2014, 2015, 2016, 2017, 2018, 2019, 2020, 2022, 2024, 2025]
    first, later = pingtan.iloc[0], pingtan.iloc[1:]
    assert first["self_copy_share"] == 0  # nothing earlier of its own to copy from
    # 2022, its first report on the 2021 template, was written afresh: with its earlier reports
    # it shares only national template sentences (the title, 统计期限), which are not its own.
    assert (later.loc[later["year"] != 2022, "self_copy_share"] > 0).all()
    assert later.loc[later["year"] == 2022, "self_copy_share"].iloc[0] < 0.05
    # Undirected, 2014 would share every sentence it passed on to 2015: not counted for it.
    assert first["template_share"] > 0
    # 洪泽区: 2024 copies 2023, never the other way round.
    assert _row(panel, "002.txt")["self_copy_share"] == 0
    assert _row(panel, "003.txt")["self_copy_share"] > 0.3
    shares = panel[["template_share", "boilerplate_share", "self_copy_share"]]
    assert ((shares >= 0) & (shares <= 1)).all().all()
    assert (panel["boilerplate_share"] >= panel["template_share"]).all()


@pytest.mark.slow
def test_self_copy_share_finds_the_planted_copies_and_nothing_else(tmp_path):
    # 200 synthetic reports: a report holding a planted copy of its own office's earlier text
    # has a share; every other report (its source included) has 0.
    from nlp.reuse.synth import synthesize

    synthesize(200, tmp_path / "synth", seed=0)
    corpus = Corpus(tmp_path / "synth" / "reports", manifest=tmp_path / "synth" / "manifest.csv",
                    progress=False)
    panel = panel_frame(corpus.reports, classifier=False, progress=False)
    share = dict(zip(panel["path"].map(lambda p: Path(p).name), panel["self_copy_share"]))
    year = dict(zip(panel["path"].map(lambda p: Path(p).name), panel["year"]))
    copies = set()
    for line in (tmp_path / "synth" / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        planted = json.loads(line)
        a, b = (Path(planted[side]["path"]).name for side in ("a", "b"))
        if planted["self_copy"] and year[a] != year[b]:
            copies.add(b if year[b] > year[a] else a)
    assert len(copies) >= 20
    assert all(share[name] > 0 for name in copies)
    assert all(share[name] == 0 for name in share if name not in copies)


def test_shares_from_a_reuse_result_over_more_reports(corpus, reuse):
    # A result over the whole corpus serves a panel of a few of its reports.
    few = [r for r in corpus if Path(r.path).stem in ("002", "003")]
    shares = reuse_shares(reuse, few)
    assert shares[0]["self_copy_share"] == 0 and shares[1]["self_copy_share"] > 0.3


def test_section_chars_count_narrative_without_spaces(corpus, panel):
    report = next(r for r in corpus if Path(r.path).name == "002.txt")
    chars = section_chars(report)
    problems = report.section("problems")
    text = "".join(report.text[s.start:s.end] for s in problems.sentences if s.kind == "text")
    assert chars["chars.problems"] == len("".join(text.split()))
    assert "存在的主要问题" not in text  # the heading is not narrative
    assert 200 < chars["chars.problems"] < len(report.text[problems.start:problems.end])
    assert pd.isna(_row(panel, "002.txt")["chars.fees"])  # the 2021 template has no 收费 section
    assert _row(panel, "021.txt")["chars.overview"] > 0


def test_corpus_panel_is_the_frame(corpus):
    few = Corpus([REPORTS / "002.txt", REPORTS / "003.txt"], progress=False)
    frame = few.panel(reuse=False, classifier=False)
    assert frame["year"].tolist() == [2023, 2024]
    assert frame["requests.new_received.total"].tolist() == [21, 95]


def test_jsonl_is_strict_json_with_integers(panel, tmp_path):
    path = write_frame(panel, tmp_path / "panel.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 20

    def no_constant(name):
        raise AssertionError(f"non-JSON constant {name}")

    rows = [json.loads(line, parse_constant=no_constant) for line in lines]
    assert all(list(r) == panel_columns() for r in rows)
    honze = next(r for r in rows if r["path"].endswith("002.txt"))
    assert honze["year"] == 2023 and isinstance(honze["year"], int)
    assert honze["requests.new_received.total"] == 21
    assert honze["chars.fees"] is None and honze["requests.other_overdue_fee.total"] is None
    assert honze["proactive.fees.amount"] == 7730.28  # "行政事业性收费  7730.28" (万元)


def test_cli_writes_csv_and_parquet_with_the_same_columns(tmp_path):
    runner = CliRunner()
    csv_path, parquet_path = tmp_path / "panel.csv", tmp_path / "out" / "panel.parquet"
    done = runner.invoke(app, ["panel", str(SEEDS), str(REPORTS), "-o", str(csv_path)])
    assert done.exit_code == 0, done.output
    done = runner.invoke(app, ["panel", str(SEEDS), str(REPORTS), "-o", str(parquet_path),
                               "--no-classify"])
    assert done.exit_code == 0, done.output
    from_csv, from_parquet = pd.read_csv(csv_path), pd.read_parquet(parquet_path)
    assert list(from_csv.columns) == list(from_parquet.columns) == panel_columns()
    assert len(from_csv) == len(from_parquet) == 20
    honze = from_parquet[from_parquet["path"].str.endswith("002.txt")].iloc[0]
    assert honze["requests.new_received.total"] == 21
    assert str(from_parquet["requests.new_received.total"].dtype) == "Int64"
    assert from_parquet["problem_count"].isna().all()  # --no-classify
    assert from_csv["problem_count"].notna().all()
    assert "2023.0" not in csv_path.read_text(encoding="utf-8")


def test_cli_writes_excel_and_applies_the_manifest(tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"path,office,level,year\n{REPORTS / '002.txt'},洪泽区人民政府,区,2022\n",
                        encoding="utf-8")
    out = tmp_path / "panel.xlsx"
    done = CliRunner().invoke(app, ["panel", str(REPORTS / "002.txt"), str(REPORTS / "003.txt"),
                                    "--manifest", str(manifest), "-o", str(out), "--no-classify"])
    assert done.exit_code == 0, done.output
    sheet = pd.read_excel(out, engine="openpyxl")
    assert list(sheet.columns) == panel_columns()
    assert sheet["year"].tolist() == [2022, 2024]  # the manifest's year for 002
    assert sheet["requests.new_received.total"].tolist() == [21, 95]
    assert sheet["proactive.fees.amount"].iloc[0] == 7730.28


def test_cli_refuses_an_unknown_format_in_one_line(tmp_path):
    done = CliRunner().invoke(app, ["panel", str(SEEDS), "-o", str(tmp_path / "panel.dta"),
                                    "--format", "dta"])
    assert done.exit_code == 2
    assert "format 'dta'" in done.output and "Traceback" not in done.output
    assert not (tmp_path / "panel.dta").exists()


def test_schema_names_every_column_with_its_type(panel):
    schema = panel_schema()
    assert [c.name for c in schema] == list(panel.columns)
    dtype = {"int": "Int64", "float": "float64", "string": "object"}
    assert [dtype[c.type] for c in schema] == panel.dtypes.astype(str).tolist()
    by_name = {c.name: c for c in schema}
    assert by_name["requests.new_received.natural_person"].meaning.startswith(
        "收到和处理政府信息公开申请情况: 一、本年新收政府信息公开申请数量 / 自然人")
    assert by_name["proactive.fees.amount"].unit == "万元"
    # docs/schema.md documents the panel: its section lists exactly these columns, in order
    doc = (Path(__file__).resolve().parents[1] / "docs" / "schema.md").read_text(encoding="utf-8")
    section = doc.split("\n## panel\n", 1)[1].split("\n## ", 1)[0]
    documented = [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]
    assert documented == list(panel.columns)


def test_table_columns_cover_both_templates():
    cols = table_columns()
    assert len(cols) == len(set(cols))
    assert "requests.other_total.total" in cols  # 2019 template
    assert "requests.other_overdue_fee.total" in cols  # 2021 template
    assert cols.index("requests.new_received.total") < cols.index("requests.carried_in.total")
