"""Across the years (nlp.history): pairing, carried-over shares, changed figures, repeated
problems, promised improvements and cross-year checks, on the real 平潭综合实验区 reports.

What was read by hand (in /work/shared/corpora/reports) is said at each assertion.
"""
import copy
import json
from dataclasses import replace

import pandas as pd
import pytest

import nlp
from conftest import SEEDS, shared_path
from nlp.classify import statement_units
from nlp.dataset.schema import names
from nlp.dataset.write import read_frame
from nlp.history import history
from nlp.history.pairs import office_of
from nlp.tables import tables_of
from nlp.tables.checks import carried_over_vs_previous

#: 平潭综合实验区管委会's reports: file → year (the loader's years, checked in test_pairing).
PINGTAN = {"021": 2014, "020": 2015, "013": 2016, "012": 2017, "010": 2018, "004": 2019,
           "005": 2020, "007": 2022, "009": 2024, "011": 2025}


def load(*names_):
    return [nlp.load_report(shared_path(n)) for n in names_]


@pytest.fixture(scope="module")
def pingtan():
    """All ten 平潭 reports with the shipped classifier."""
    reports = load(*PINGTAN)
    return reports, history(reports)


def row(frame, path_end, section="all"):
    hit = frame[frame["path"].str.endswith(path_end + ".txt") & (frame["section"] == section)]
    assert len(hit) == 1, (path_end, section)
    return hit.iloc[0]


def test_pairing_is_the_latest_earlier_report_of_the_same_office(pingtan):
    reports, result = pingtan
    assert {r.meta.year for r in reports} == set(PINGTAN.values())
    assert {office_of(r) for r in reports} == {"平潭综合实验区"}  # 管委会 and bare name: one office
    years = {r.meta.year: (reports[p].meta.year if p is not None else None)
             for r, p in zip(reports, result.previous)}
    # 2021 and 2023 are not in the corpus: 2022 is compared with 2020, 2024 with 2022
    assert years == {2014: None, 2015: 2014, 2016: 2015, 2017: 2016, 2018: 2017, 2019: 2018,
                     2020: 2019, 2022: 2020, 2024: 2022, 2025: 2024}
    frame = result.history_frame()
    assert list(frame.columns) == names("history")
    assert pd.isna(row(frame, "021")["previous_report_id"])
    assert row(frame, "011")["previous_year"] == 2024


def test_carried_over_shares_read_by_hand():
    # 011 (2025) against 009 (2024), read side by side: the title, three preamble sentences
    # (报告根据…, 本报告共分6个部分, 统计期限 with the year changed), the overview's opening
    # sentence (坚持以习近平…, edited) and 无收取信息处理费 are carried over; nothing of 五 is.
    # 25 + 118 + 83 + 34 + 142 + 17 = 419 of 1440 narrative characters.
    result = history(load("009", "011"), classifier=False)
    frame = result.history_frame()
    assert row(frame, "011")["carried_over_share"] == pytest.approx(419 / 1440, abs=0.02)
    assert row(frame, "011", "preamble")["carried_over_share"] == 1.0
    assert row(frame, "011", "overview")["carried_over_share"] == pytest.approx(142 / 939, abs=0.02)
    assert row(frame, "011", "problems")["carried_over_share"] == 0.0
    assert not row(frame, "011")["near_identical"]
    r = result.reports[1]
    aligned = {r.text[a.start:a.end][:12] for a in result.alignment.aligned[1]}
    assert "本报告共分6个部分：总体" in aligned and "2025年，平潭综合实验" in aligned


def test_changed_figures_in_text_and_tables():
    # 005 (2020) against 004 (2019): the overview sentence "共公布政府信息2602条(其中机构职能类
    # 信息82条…" is last year's "2599条…25条…" with new numbers; table 三's 本年新收 went 23 → 21.
    result = history(load("004", "005"), classifier=False)
    figures = row(result.history_frame(), "005")["changed_figures"]
    assert "公布政府信息: 2599 → 2602" in figures
    assert "requests.new_received.total: 23 → 21" in figures
    assert row(result.history_frame(), "005")["changed_numbers"] == len(figures)
    # the whole 2020 preamble is 2019's with the year changed (read): share 1
    assert row(result.history_frame(), "005", "preamble")["carried_over_share"] == 1.0


def test_pre_2019_layout_pair_read_by_hand(pingtan):
    # 020 (2015) against 021 (2014), read side by side: all of 二 (数量, 类别, 形式, 查阅点) is
    # 2014's text with 2015's numbers (主动公开政府信息 2543条 → 2949条, 占66% → 77%), and so are
    # 依申请公开, 收费 and 复议诉讼 (未收到…); none of 五 is. The attached statistics table is one
    # flattened line of digit runs (…文件数条294981916…): no figure is read from it.
    _, result = pingtan
    frame = result.history_frame()
    assert row(frame, "020", "proactive")["carried_over_share"] == 1.0
    assert row(frame, "020", "fees")["carried_over_share"] == 1.0
    assert row(frame, "020", "problems")["carried_over_share"] == 0.0
    assert row(frame, "020")["carried_over_share"] == pytest.approx(0.379, abs=0.02)
    figures = row(frame, "020")["changed_figures"]
    assert {"公开政府信息: 2543 → 2949", "政府信息条占: 66 → 77"} <= set(figures)
    assert not any("294981916" in f for f in figures)


def test_repeated_problems_read_by_hand(pingtan):
    reports, result = pingtan
    links = result.repeated_problems_frame()
    assert list(links.columns) == names("repeated_problems")
    by_year = {y: links[links["year"] == y] for y in (2019, 2024, 2025)}
    # 2024 五: "政策解读形式仍需创新" is 2022's 三是"政策解读形式单一，缺少多个角度多种形式的解读"
    hit = by_year[2024]
    assert list(hit["text"]) == ["政策解读形式仍需创新；"]
    assert hit.iloc[0]["previous_text"].startswith("三是政策解读形式单一")
    assert hit.iloc[0]["match"] == "embedding"
    text_2024 = next(r for r in reports if r.meta.year == 2024).text
    assert text_2024[hit.iloc[0]["start"]:hit.iloc[0]["end"]] == "政策解读形式仍需创新；"
    # 2019 一是 (个别部门…主动性和自觉性仍待提高，信息人员队伍能力建设仍有欠缺) names again
    # 2018's 个别公开单位责任意识不强、政务公开工作队伍建设有待加强
    assert any(t.startswith("一是个别部门对政府信息公开工作主动性") and "队伍建设有待加强" in p
               for t, p in zip(by_year[2019]["text"], by_year[2019]["previous_text"]))
    # 2025 (队伍建设, 依申请答复质量, 平台互动) repeats none of 2024's (机制, 政策解读, 数字化)
    assert by_year[2025].empty
    frame = result.history_frame()
    assert row(frame, "009")["repeated_problems"] == 1
    assert row(frame, "011")["repeated_problems"] == 0


def test_promised_improvements_read_by_hand(pingtan):
    _, result = pingtan
    imp = result.improvements_frame()
    assert list(imp.columns) == names("improvements")
    # 2022 promised 三是丰富政策解读形式和方式; 2024's overview reports 加强政策解读力度，通过文字、
    # 图解、视频、访谈等多种形式… (read: done)
    done = imp[(imp["year"] == 2024) & imp["promise_text"].str.startswith("三是丰富政策解读")].iloc[0]
    assert done["reported"] and done["evidence_text"].startswith("加强政策解读力度")
    assert done["evidence_section"] == "overview"
    # 2024 promised 三是加快数字化转型; 2025 says nothing of it (read)
    not_done = imp[(imp["year"] == 2025) & imp["promise_text"].str.startswith("三是加快数字化")].iloc[0]
    assert not not_done["reported"] and pd.isna(not_done["evidence_text"])


def test_cross_year_checks_on_consecutive_years(pingtan):
    _, result = pingtan
    checks = result.checks_frame()
    assert list(checks.columns) == names("checks")

    def status(end, check):
        hit = checks[checks["path"].str.endswith(end + ".txt") & (checks["check"] == check)]
        return hit.iloc[0]["status"], hit.iloc[0]["message"]

    carry = "requests.carried_over_vs_previous"
    # 2019 → 2020 (2019 layout) and 2024 → 2025 (2021 layout): 结转下年度 0 → 上年结转 0, all columns
    assert status("005", carry) == ("PASS", "7 of 7 columns tie with last year")
    assert status("011", carry) == ("PASS", "7 of 7 columns tie with last year")
    # 2022's previous report is 2020's: not consecutive, so not assessed (2022 carries 1 in)
    assert status("007", carry)[0] == "NOT_ASSESSABLE"
    # pre-2019 layout: no table 三 is parsed
    assert status("012", carry)[0] == "NOT_ASSESSABLE"
    # 2025 table 二: 规范性文件 440 + 58 − 45 = 453, but 546 in force (read in 009 and 011)
    status_, message = status("011", "proactive.in_force_vs_previous")
    assert status_ == "FAIL" and "453, but in_force is 546" in message


def test_carry_over_check_fails_on_a_changed_cell():
    last, this = load("009", "011")
    last = copy.deepcopy(last)
    table = next(t for t in tables_of(last) if t.id == "requests")
    table.cells = [replace(c, value=3) if (c.row, c.column) == ("carried_out", "total") else c
                   for c in table.cells]
    check = carried_over_vs_previous(next(t for t in tables_of(this) if t.id == "requests"), last)
    assert check.status == "FAIL" and "column total" in check.message
    assert check.evidence["previous"]["year"] == 2024
    assert carried_over_vs_previous(None, None).status == "NOT_ASSESSABLE"


class _Labels:
    """A classifier stand-in (public ``classify_report`` shape) labelling by the writer's cues,
    so that the alignment link is tested independently of the shipped model."""

    def classify_report(self, report, sections=None):
        rows = []
        for u in statement_units(report, tuple(sections) if sections else None):
            labels = (["problem"] if any(w in u.text for w in ("不够", "有待", "不足")) else []) + \
                     (["improvement"] if u.text.startswith(("一是加强", "二是完善")) else [])
            rows.append({"section": u.section, "start": u.start, "end": u.end, "text": u.text,
                         "labels": labels})
        return rows


def _report(tmp_path, year: int, problems: str) -> str:
    text = (f"石门镇{year}年政府信息公开工作年度报告\n一、总体情况\n{year}年，石门镇持续推进政务公开，"
            "认真落实上级关于政府信息公开工作的各项部署要求。\n二、主动公开政府信息情况\n本年度主动公开信息"
            f"{year - 1990}条，全部通过镇政府网站发布。\n三、收到和处理政府信息公开申请情况\n本年度未收到申请。\n"
            "四、政府信息公开行政复议、行政诉讼情况\n本年度无行政复议和行政诉讼。\n五、存在的主要问题及改进情况\n"
            f"{problems}\n六、其他需要报告的事项\n无其他需要报告的事项。\n石门镇人民政府\n{year + 1}年1月10日\n")
    path = tmp_path / f"shimen_{year}.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_problem_copied_from_last_year_is_linked_by_the_alignment(tmp_path):
    old = _report(tmp_path, 2021, "一是信息公开栏目更新频率不够高，部分栏目长期没有更新内容。"
                  "二是工作人员业务水平有待提升，对新条例的理解还不够深入。一是加强栏目日常巡查和内容维护工作。")
    new = _report(tmp_path, 2022, "一是信息公开栏目更新频率不够高，部分栏目长期没有更新内容。"
                  "二是依申请公开答复文书格式不够规范统一。二是完善答复文书审核流程和模板。")
    result = history([nlp.load_report(new), nlp.load_report(old)], classifier=_Labels())
    links = result.repeated_problems_frame()
    assert len(links) == 1
    link = links.iloc[0]
    assert link["match"] in ("exact", "near") and link["similarity"] == 1.0
    assert link["text"] == link["previous_text"] == "一是信息公开栏目更新频率不够高，部分栏目长期没有更新内容。"
    assert link["previous_year"] == 2021


def test_seeds_have_no_previous_report():
    seeds = nlp.Corpus(SEEDS, manifest=SEEDS / "manifest.csv", progress=False)
    frame = seeds.history_frame(classifier=False)
    assert len(frame) == len(seeds) and set(frame["section"]) == {"all"}
    assert frame["previous_report_id"].isna().all() and frame["carried_over_share"].isna().all()


def test_write_files_and_a_given_reuse_result(tmp_path):
    from nlp.reuse.detect import detect

    reports = load("004", "005", "001")
    result = history(reports, classifier=False)
    written = result.write(tmp_path / "out", format="csv")
    out = tmp_path / "out"
    assert (out / "history.csv").is_file() and (out / "cross_year_checks.csv").is_file()
    assert (out / "plots" / "平潭综合实验区.png").is_file()
    assert all(p.exists() for p in written)
    back = read_frame(out / "history.csv", "history")
    assert back.equals(result.history_frame())
    assert (out / "repeated_problems.jsonl").read_text() == ""  # no classifier: none
    # the same alignment from a detector run over the whole corpus (another order)
    given = history(reports, reuse=detect(list(reversed(reports))), classifier=False)
    assert row(given.history_frame(), "005")["carried_over_share"] == \
        row(result.history_frame(), "005")["carried_over_share"]
    json.dumps(given.history_frame()["changed_figures"].tolist())  # lists stay lists


def test_frames_follow_their_schema_and_docs(pingtan):
    from pathlib import Path

    from nlp.dataset.schema import columns

    dtypes = {"string": "string", "int": "Int64", "float": "float64", "bool": "boolean",
              "list": "object"}
    doc = (Path(__file__).resolve().parents[1] / "docs" / "schema.md").read_text(encoding="utf-8")
    frames = pingtan[1].frames()
    for name, schema in (("history", "history"), ("repeated_problems", "repeated_problems"),
                         ("improvements", "improvements"), ("cross_year_checks", "checks")):
        frame = frames[name]
        assert len(frame) and list(frame.columns) == names(schema), name
        section = doc.split(f"## {schema}\n")[1].split("\n## ")[0]
        for c in columns(schema):
            assert str(frame[c.name].dtype) == dtypes[c.type], (name, c.name)
            assert f"| `{c.name}` | {c.type} |" in section
    history_ = frames["history"]
    # offices one after the other, years ascending; near_identical only on the all rows
    years = history_[history_["section"] == "all"]["year"].tolist()
    assert years == sorted(years)
    assert history_.loc[history_["section"] != "all", "near_identical"].isna().all()


def test_cli_history_writes_the_frames_whole(tmp_path):
    """`govnlp history` runs the library's history and writes its files; bad input is one line."""
    from typer.testing import CliRunner

    from cli import app

    corpus = tmp_path / "pingtan"
    corpus.mkdir()
    for name in ("004", "005"):  # 2019 and 2020
        (corpus / f"{name}.txt").write_bytes(shared_path(name).read_bytes())
    out = tmp_path / "out"
    done = CliRunner().invoke(app, ["history", str(corpus), "-o", str(out), "--no-classify"])
    assert done.exit_code == 0, done.output
    assert "2 reports of 1 offices: 1 compared with an earlier report" in done.stdout
    frame = read_frame(out / "history.csv", "history")
    later = frame[(frame["section"] == "all") & frame["previous_year"].notna()].iloc[0]
    assert (later["year"], later["previous_year"]) == (2020, 2019)
    assert 0 < later["carried_over_share"] < 0.75 and not later["near_identical"]
    # the 2020 preamble is 2019's with the year changed (read; test_changed_figures_read_by_hand)
    preamble = frame[(frame["section"] == "preamble") & (frame["year"] == 2020)].iloc[0]
    assert preamble["carried_over_share"] == 1.0
    bad = CliRunner().invoke(app, ["history", str(corpus), "-o", str(out / "x.txt"), "-f", "dta"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
