"""Consistency checks (nlp.tables.checks), narrative quotes, tidy output, frames and CLI."""
import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

import nlp
from cli import app
from conftest import SEEDS, seed_path, shared_path
from nlp.dataset.schema import names, report_id
from nlp.model import Cell, Report, ReportMeta, Table
from nlp.tables import checks, table_of
from nlp.tables.checks import (APPLICANT_COLUMNS, CORE_RESULT_ROWS, REQUEST_COLUMNS,
                               check_corpus, check_report)
from nlp.tables.quotes import find_request_quotes
from nlp.identity.dates import parse_date
from nlp.text.normalize import chinese_number, chinese_numeral_value

runner = CliRunner()


# -- hand-built tables -----------------------------------------------------------------------------
def requests_table(**changes) -> Table:
    """A consistent table 三 (2021 layout): 5 natural persons and 2 firms new, 1 carried in.

    ``changes`` maps "row/column" to a new value (None = blank; "drop" = cell missing).
    """
    values = {r: dict.fromkeys(APPLICANT_COLUMNS, 0) for r in
              ("new_received", "carried_in", *CORE_RESULT_ROWS, *checks.OTHER_RESULT_ROWS,
               "total_handled", "carried_out")}
    person = {"new_received": 5, "carried_in": 1, "granted": 3, "partly_granted": 1,
              "unavailable_not_held": 1, "total_handled": 5, "carried_out": 1}
    for row, v in person.items():
        values[row]["natural_person"] = v
    for row in ("new_received", "granted", "total_handled"):
        values[row]["commercial"] = 2
    cells = []
    for row, cols in values.items():
        for col in REQUEST_COLUMNS:
            v = sum(cols.values()) if col == "total" else cols[col]
            key = f"{row}/{col}"
            if changes.get(key) == "drop":
                continue
            cells.append(Cell("requests", row, col, changes.get(key, v)))
    return Table("requests", cells, layout="2021")


def review_table(values: dict[str, list]) -> Table:
    parts = ("upheld", "corrected", "other", "pending", "total")
    return Table("review_litigation", [Cell("review_litigation", b, p, v)
                                       for b, vs in values.items() for p, v in zip(parts, vs)])


def proactive_table(regs: tuple, docs: tuple, columns=("issued", "repealed", "in_force")) -> Table:
    return Table("proactive", [Cell("proactive", row, c, v)
                               for row, vs in (("regulations", regs), ("normative_documents", docs))
                               for c, v in zip(columns, vs)])


def report_with(tables: list[Table], text: str = "", office: str = "某镇", year: int = 2021,
                path: str | None = None) -> Report:
    r = Report(text=text, path=path, meta=ReportMeta(office=office + "人民政府", office_short=office,
                                                     year=year))
    r.parsed_tables = tables
    return r


def by_id(result) -> dict:
    return {c.id: c for c in result}


def test_consistent_hand_built_table_passes_every_table_check():
    result = by_id(check_report(report_with([requests_table(), review_table(
        {"review": [1, 0, 0, 0, 1], "litigation_direct": [0, 1, 0, 1, 2],
         "litigation_after_review": [0, 0, 0, 0, 0]})])))
    for cid in ("requests.column_sums", "requests.balance", "requests.row_sums",
                "review_litigation.block_sums"):
        assert result[cid].status == "PASS", (cid, result[cid].message)
    assert result["requests.column_sums"].message == "7 of 7 columns add up"
    assert result["requests.row_sums"].message == "25 of 25 rows add up"


def test_wrong_total_fails_with_the_offending_cells():
    table = requests_table(**{"total_handled/total": 8})
    c = by_id(check_report(report_with([table])))["requests.column_sums"]
    assert c.status == "FAIL"
    assert "column total" in c.message and "= 7" in c.message and "= 8" in c.message
    [bad] = c.evidence["failed"]
    assert bad["unit"] == "column total" and bad["sum"] == 7 and bad["difference"] == -1
    assert bad["expected"] == [{"row": "total_handled", "column": "total", "value": 8}]
    terms = {t["row"]: t["value"] for t in bad["terms"]}
    assert terms["granted"] == 5 and terms["partly_granted"] == 1 and len(terms) == 21
    assert "column natural_person" in c.evidence["passed"]
    # The same wrong cell also breaks the balance and its row.
    result = by_id(check_report(report_with([table])))
    assert result["requests.balance"].status == "FAIL"
    row = result["requests.row_sums"]
    assert row.status == "FAIL" and row.message.startswith("row total_handled:")
    assert row.evidence["failed"][0]["expected_sum"] == 8


def test_balance_fails_on_carried_out():
    c = by_id(check_report(report_with([requests_table(**{"carried_out/natural_person": 3,
                                                           "carried_out/total": 3})])))
    assert c["requests.balance"].status == "FAIL"
    assert c["requests.column_sums"].status == "PASS"
    failed = {f["unit"] for f in c["requests.balance"].evidence["failed"]}
    assert failed == {"column natural_person", "column total"}
    assert "(and 1 more)" in c["requests.balance"].message


def test_blank_and_missing_cells_are_not_assessable_with_the_reason():
    blank = requests_table(**{f"total_handled/{c}": None for c in REQUEST_COLUMNS})
    c = by_id(check_report(report_with([blank])))["requests.column_sums"]
    assert c.status == "NOT_ASSESSABLE"
    assert "blank total_handled/natural_person" in c.message
    # Only one column blank: the other six are still assessed and pass.
    one = by_id(check_report(report_with([requests_table(**{"granted/research": None})])))
    assert one["requests.column_sums"].status == "PASS"
    assert "6 of 7 columns add up; 1 not assessable" == one["requests.column_sums"].message
    assert one["requests.column_sums"].evidence["not_assessable"][0]["blank"] == ["granted/research"]
    gone = by_id(check_report(report_with([requests_table(**{"carried_in/total": "drop"})])))
    assert gone["requests.balance"].evidence["not_assessable"][0]["missing"] == ["carried_in/total"]


def test_review_blocks():
    c = by_id(check_report(report_with([review_table(
        {"review": [1, 0, 0, 0, 1], "litigation_direct": [2, 1, 0, 0, 2],
         "litigation_after_review": [0, 0, 0, 0, None]})])))["review_litigation.block_sums"]
    assert c.status == "FAIL"
    assert c.message == ("block litigation_direct: upheld + corrected + other + pending = 3, "
                         "but total = 2")
    assert c.evidence["passed"] == ["block review"]
    assert c.evidence["not_assessable"][0]["blank"] == ["litigation_after_review/total"]


def test_report_without_tables_is_not_assessable_never_a_crash():
    result = check_report(report_with([]))
    assert [c.id for c in result] == list(checks.CHECK_IDS)
    assert {c.status for c in result} == {"NOT_ASSESSABLE"}
    assert "no table 'requests'" in result[0].message
    assert checks.report_status(result) == "not assessable"


def test_parser_exception_becomes_not_assessable(monkeypatch):
    import nlp.tables.parse

    def broken(report):
        raise ValueError("bad layout")

    monkeypatch.setattr(nlp.tables.parse, "parse_tables", broken, raising=False)
    result = check_report(Report(text="x"))
    assert {c.status for c in result} == {"NOT_ASSESSABLE"}
    assert result[0].message == "the table parser failed: ValueError: bad layout"


# -- narrative against table -------------------------------------------------------------------------
def test_chinese_numbers():
    assert [chinese_number(s) for s in ("一", "两", "十二", "二十", "一百零三", "三千五百", "21", "乙")] \
        == [1, 2, 12, 20, 103, 3500, 21, None]
    # one parser for counts, dates' positional years and headings
    assert [chinese_number(s) for s in ("二〇二一", "二O二二", "三万五千", "3.5", "")] \
        == [2021, 2022, 35000, 3.5, None]
    assert [chinese_numeral_value(s) for s in ("一", "十", "十二", "九十九", "12", "一二", "两", "百")] \
        == [1, 10, 12, 99, 12, None, None, None]
    assert parse_date("二〇二二年一月十三日") == "2022-01-13"
    assert parse_date("二O二一年十二月三十一日") == "2021-12-31"


def test_quotes_found_in_real_text():
    q = find_request_quotes(nlp.load_report(seed_path("002")))
    assert [(x.row, x.value, x.text) for x in q] == [("new_received", 1, "收到依申请公开政府信息一条")]
    q = find_request_quotes(nlp.load_report(seed_path("000")))
    assert [(x.value, x.text) for x in q] == [(0, "未收到依申请公开信息")]
    # Wrapped across a PDF line; offsets still point at the original text.
    report = nlp.load_report(shared_path("003"))
    [q] = find_request_quotes(report)
    assert q.value == 17 and report.text[q.start:q.end].replace("\n", "") == "受理政府信息公开申请 17 件"
    # 未收到…行政复议 is about appeals, not requests; 受理申请136437件 is about approvals.
    assert [x.text for x in find_request_quotes(nlp.load_report(shared_path("020")))] \
        == ["未收到有关政府信息公开申请"]
    kinds = [(x.row, x.value) for x in find_request_quotes(nlp.load_report(shared_path("017")))]
    assert kinds == [("new_received", 34), ("carried_in", 2)]


def test_text_vs_table_on_seed_002_text_with_hand_built_table():
    text = seed_path("002").read_text(encoding="utf-8")
    table = requests_table()  # says 7 new
    c = by_id(check_report(report_with([table], text=text)))["text_vs_table.requests"]
    assert c.status == "FAIL"
    assert c.message == "text says “收到依申请公开政府信息一条” (1) but table 三 new_received/total is 7"
    assert c.evidence["failed"][0]["cell"]["value"] == 7
    ok = requests_table(**{"new_received/total": 1})
    assert by_id(check_report(report_with([ok], text=text)))["text_vs_table.requests"].status == "PASS"
    # Counting last year's carried-in requests as received is accepted, with a note.
    both = by_id(check_report(report_with([table], text="全年收到政府信息公开申请八件。")))
    assert both["text_vs_table.requests"].status == "PASS"
    [kept] = both["text_vs_table.requests"].evidence["passed"]
    assert kept["quoted"] == 8 and kept["carried_in"]["value"] == 1 and "carried-in" in kept["note"]
    none = by_id(check_report(report_with([table], text="本年度工作正常开展。")))
    assert none["text_vs_table.requests"].status == "NOT_ASSESSABLE"


# -- across years ---------------------------------------------------------------------------------
def test_cross_year_pairs_by_office_and_checks_in_force():
    last = report_with([proactive_table((2, 0, 5), (3, 1, 10))], office="洪泽区", year=2023, path="a")
    good = report_with([proactive_table((0, 0, 5), (4, 2, 12))], office="洪泽区", year=2024, path="b")
    bad = report_with([proactive_table((1, 0, 5), (4, 2, 12))], office="洪泽区", year=2024, path="c")
    other = report_with([proactive_table((0, 0, 9), (0, 0, 1))], office="淮安市", year=2024, path="d")
    result = check_corpus([last, good, other])
    assert by_id(result["b"])["proactive.in_force_vs_previous"].status == "PASS"
    assert by_id(result["d"])["proactive.in_force_vs_previous"].status == "NOT_ASSESSABLE"
    assert by_id(result["a"])["proactive.in_force_vs_previous"].message.startswith("no report")
    c = by_id(check_report(bad, last))["proactive.in_force_vs_previous"]
    assert c.status == "FAIL"
    assert c.message == "row regulations: last year 5 + issued 1 − repealed 0 = 6, but in_force is 5"
    # Templates changed between the years: not the same quantity.
    old = report_with([proactive_table((0, 0, 5), (0, 0, 10), ("new_made", "new_published",
                                                               "total_published"))], year=2023)
    assert check_report(good, old)[-1].message.startswith("table 二 templates differ (2019 last")
    assert c.evidence["previous"] == {"path": "a", "year": 2023}


def test_cross_year_without_repealed_column():
    cols = ("new_made", "new_published", "total_published")  # 2019–2020: no 废止 column
    last = report_with([proactive_table((0, 0, 0), (89, 89, 89), cols)], year=2019)
    this = report_with([proactive_table((0, 0, 7), (77, 77, 166), cols)], year=2020)
    c = by_id(check_report(this, last))["proactive.in_force_vs_previous"]
    assert c.message == ("row regulations: last year 0 + new_published 0 = 0, but "
                         "total_published is 7 (no repeal can explain a rise)")
    assert [p["unit"] for p in c.evidence["passed"]] == ["row normative_documents"]
    fewer = report_with([proactive_table((0, 0, 0), (77, 77, 160), cols)], year=2020)
    c = by_id(check_report(fewer, last))["proactive.in_force_vs_previous"]
    assert c.status == "PASS" and c.evidence["not_assessable"][0]["expected"] == 166


# -- output, frames, CLI -------------------------------------------------------------------------
def fake_parser(report: Report) -> list[Table]:
    """Table 三 with a wrong total for 永正镇, a blank cell for everyone."""
    wrong = {"total_handled/total": 8} if "永正镇" in report.text[:200] else {}
    return [requests_table(**{"carried_in/research": None}, **wrong)]


def test_frames_and_cli_with_a_stub_parser(monkeypatch, tmp_path):
    import nlp.tables.parse

    monkeypatch.setattr(nlp.tables.parse, "parse_tables", fake_parser, raising=False)
    corpus = nlp.corpora.load("seeds")
    frame = corpus.tables_frame()
    assert list(frame.columns) == names("cells")
    assert len(frame) == 5 * 25 * 7 and frame["value"].isna().sum() == 5
    checks_frame = corpus.checks_frame()
    assert list(checks_frame.columns) == names("checks")
    fails = checks_frame[(checks_frame.status == "FAIL")
                         & (checks_frame.check == "requests.column_sums")]
    assert list(fails.office) == ["永正镇人民政府"]
    assert json.loads(fails.iloc[0]["evidence"])["failed"][0]["sum"] == 7

    result = runner.invoke(app, ["tables", str(seed_path("000")), str(seed_path("001"))])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 2 * 175
    assert list(rows[0]) == names("cells")
    blank = next(r for r in rows if r["row"] == "carried_in" and r["column"] == "research")
    assert blank["value"] is None and blank["office"] == "杜市镇人民政府" and blank["year"] == 2021
    out = tmp_path / "t.csv"
    result = runner.invoke(app, ["tables", str(seed_path("000")), "--format", "csv", "-o", str(out)])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(names("cells"))
    assert any(line.endswith(",requests,carried_in,research,") for line in lines)

    result = runner.invoke(app, ["check", str(seed_path("004")), str(seed_path("001"))])
    assert result.exit_code == 0, result.output
    assert "FAIL           requests.column_sums" in result.stdout
    assert "column total: 21 cells = 7, but total_handled = 8" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == \
        "2 report(s) checked: 1 passed, 1 failed, 0 not assessable"


def test_2019_template_has_one_other_row():
    cells = [c for c in requests_table().cells if c.row not in checks.OTHER_RESULT_ROWS]
    cells += [Cell("requests", "other_total", col, 0) for col in REQUEST_COLUMNS]
    table = Table("requests", cells)
    assert checks.request_rows(table)[-3:] == ("other_total", "total_handled", "carried_out")
    result = by_id(check_report(report_with([table])))
    assert result["requests.column_sums"].status == "PASS"
    assert result["requests.row_sums"].message == "23 of 23 rows add up"
    bad = Table("requests", [replace(c, value=2) if (c.row, c.column) == ("other_total", "total")
                             else c for c in cells])
    c = by_id(check_report(report_with([bad])))["requests.column_sums"]
    assert c.status == "FAIL" and c.message == "column total: 19 cells = 9, but total_handled = 7"


# -- real reports through the parser ----------------------------------------------------------------
def test_seed_002_passes_all_its_table_checks():
    report = nlp.load_report(seed_path("002"))
    result = by_id(check_report(report))
    for cid in ("requests.column_sums", "requests.balance", "requests.row_sums",
                "review_litigation.block_sums", "text_vs_table.requests"):
        assert result[cid].status == "PASS", (cid, result[cid].message)
    # Its text says 收到依申请公开政府信息一条 and its table says 1.
    [quote] = result["text_vs_table.requests"].evidence["passed"]
    assert quote["quote"] == "收到依申请公开政府信息一条"
    assert quote["cell"] == {"row": "new_received", "column": "total", "value": 1}
    assert table_of(report, "requests").value("new_received", "total") == 1


def test_real_failures_name_cells_and_numbers():
    # 平潭 2020: the result rows add up to 27 but its own 总计 says 21.
    c = by_id(check_report(nlp.load_report(shared_path("005"))))["requests.column_sums"]
    assert c.status == "FAIL"
    failed = {f["unit"]: (f["sum"], f["expected_sum"]) for f in c.evidence["failed"]}
    assert failed == {"column natural_person": (26, 20), "column total": (27, 21)}
    assert any("results_sum" in w for w in c.evidence["parser_warnings"])
    # 洪泽区 2024: the narrative speaks for the 区政府办 only (17), the table says 95.
    c = by_id(check_report(nlp.load_report(shared_path("003"))))["text_vs_table.requests"]
    assert c.status == "FAIL" and c.evidence["failed"][0]["quoted"] == 17
    assert c.evidence["failed"][0]["cell"]["value"] == 95
    # 平潭 2022: "收到…75件" counts the 1 carried-in request with the 74 new ones.
    c = by_id(check_report(nlp.load_report(shared_path("007"))))["text_vs_table.requests"]
    assert c.status == "PASS" and c.evidence["passed"][0]["carried_in"]["value"] == 1


def test_pre_2019_report_is_not_assessable_without_crashing():
    result = check_report(nlp.load_report(shared_path("010")))
    assert {c.status for c in result} == {"NOT_ASSESSABLE"}
    assert "no 收到和处理政府信息公开申请情况 table" in result[0].message


def test_cross_year_real_pairs():
    hongze = [nlp.load_report(shared_path(n)) for n in ("002", "003")]
    c = by_id(check_corpus(hongze)[hongze[1].path])["proactive.in_force_vs_previous"]
    assert (c.status, c.message) == ("PASS", "2 of 2 rows tie with last year")
    docs = next(p for p in c.evidence["passed"] if p["unit"] == "row normative_documents")
    assert (docs["previous_in_force"], docs["issued"], docs["repealed"], docs["in_force"]) \
        == (5, 3, 0, 8)
    pingtan = [nlp.load_report(shared_path(n)) for n in ("004", "005")]
    c = by_id(check_corpus(pingtan)[pingtan[1].path])["proactive.in_force_vs_previous"]
    assert c.status == "FAIL"
    assert c.evidence["failed"][0]["unit"] == "row regulations"
    assert c.evidence["failed"][0]["total_published"] == 7
    assert c.evidence["passed"][0]["expected"] == 166  # 89 + 77 规范性文件 tie
    assert c.evidence["previous"]["year"] == 2019


def test_cli_on_real_seeds(tmp_path):
    result = runner.invoke(app, ["check", str(SEEDS / "*.txt")])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == \
        "5 report(s) checked: 5 passed, 0 failed, 0 not assessable"
    out = tmp_path / "cells.jsonl"
    result = runner.invoke(app, ["tables", str(seed_path("002")), "-o", str(out)])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["table"] for r in rows} == {"proactive", "requests", "review_litigation"}
    cell = next(r for r in rows if (r["table"], r["row"], r["column"]) ==
                ("requests", "new_received", "total"))
    assert cell == {"report_id": report_id(seed_path("002").read_text(encoding="utf-8")),
                    "path": str(seed_path("002")), "office": "董家镇人民政府",
                    "office_id": "董家镇", "level": "镇", "region": None, "year": 2020,
                    "table": "requests", "row": "new_received", "column": "total", "value": 1}


def test_years_pair_by_office_id_not_by_a_shared_town_name():
    """Two 城关镇 of different counties (different division codes) are two offices; one
    office signing as 管委会 one year and by its bare name the next is one."""
    from dataclasses import replace

    from nlp.load import parse_report
    from nlp.tables.checks import previous_reports

    def report(office, short, code, year):
        r = parse_report(f"{office}{year}年政府信息公开工作年度报告\n一、总体情况\n本年度依法公开信息。\n",
                         path=f"/c/{code}-{year}.txt")
        r.meta = replace(r.meta, office=office, office_short=short, level="镇",
                         division_code=code, year=year)
        return r

    a2020 = report("城关镇人民政府", "城关镇", "350121100", 2020)
    a2021 = report("城关镇人民政府", "城关镇", "350121100", 2021)
    b2021 = report("城关镇人民政府", "城关镇", "360723100", 2021)
    c2020 = report("金井镇管委会", "金井镇管委会", None, 2020)
    c2021 = report("金井镇", "金井镇", None, 2021)
    prev = previous_reports([a2020, b2021, a2021, c2020, c2021])
    assert prev == [None, None, a2020, None, c2020]
