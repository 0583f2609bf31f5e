"""Keywords, extractive summaries and key figures on the seeds (and the shared reports if present)."""
import itertools
from pathlib import Path

import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

import nlp
from conftest import SHARED_REPORTS, shared_path
from nlp.load import parse_report
from nlp.model import Report
from nlp.reuse.detect import detect
from nlp.summarize import (KeywordExtractor, boilerplate_spans, format_figures, key_figures,
                           section_sentences, sentence_scores, summarize_section,
                           summary_records, summary_rows, summary_text)
from nlp.summarize.figures import sentence_figures
from nlp.summarize.keywords import textrank_scores
from nlp.summarize.textrank import similarity_matrix
from nlp.text.tokenize import stopwords


@pytest.fixture(scope="module")
def seeds():
    return nlp.corpora.load("seeds")


def seed(seeds, prefix: str) -> Report:
    return next(r for r in seeds if Path(r.path).name.startswith(prefix))


@pytest.fixture(scope="module")
def extractor(seeds):
    return KeywordExtractor("tfidf").fit(seeds)


@pytest.fixture(scope="module")
def reuse(seeds):
    return detect(seeds.reports)


def texts(report, sentences):
    return [report.text[s.start:s.end] for s in sentences]


# -- keywords ----------------------------------------------------------------------------------
def test_tfidf_keywords_of_dushi_section_five_are_what_it_is_about(seeds, extractor):
    # 五: 理解不透彻, 工作人员缺乏专业技术支撑 …; 改进: 工作人员的理论培训和业务培训, 信息公开意识 …
    words = [w for w, _ in extractor.section_keywords(seed(seeds, "000"), "problems", 10)]
    assert {"培训", "信息公开", "工作人员"} <= set(words)
    # the IDF keeps the template's phrases down, however often they are repeated
    assert "政府信息公开工作" not in words and "政府信息公开" not in words[:5]
    assert not set(words) & stopwords()
    assert not {"有所", "一是", "我镇", "进一步", "工作"} & set(words)
    assert all(not any(ch.isdigit() for ch in w) and len(w) >= 2 for w in words)


def test_idf_is_learned_over_sections(seeds, extractor):
    assert extractor.n_documents_ > len(seeds)  # sections, not reports, are the documents
    # 公开 is said in most sections, 培训 only where training is the remedy
    assert extractor.idf("培训") > 2 * extractor.idf("公开")
    assert extractor.idf("从未见过的词") == extractor.unseen_idf_ >= extractor.idf("培训")
    with pytest.raises(NotFittedError):
        KeywordExtractor("tfidf").keywords("政府信息公开工作")
    assert clone(extractor).get_params() == extractor.get_params()


def test_the_office_own_name_is_not_a_keyword(seeds, extractor):
    dushi = seed(seeds, "000")  # jieba cuts 杜市镇 as 杜 / 市镇
    with_name = [w for w, _ in extractor.section_keywords(dushi, "other", 5, exclude_office=False)]
    without = [w for w, _ in extractor.section_keywords(dushi, "other", 5)]
    assert "市镇" in with_name and "市镇" not in without


def test_textrank_keywords_are_deterministic_and_graph_based(seeds):
    text = "\n".join(texts(seed(seeds, "000"), section_sentences(seed(seeds, "000"), "problems")))
    first = KeywordExtractor("textrank").keywords(text, 10)
    again = KeywordExtractor("textrank", window=5).keywords(text, 10)
    assert first == again and len(first) == 10
    assert [s for _, s in first] == sorted((s for _, s in first), reverse=True)
    assert "信息公开" in {w for w, _ in first} and not {w for w, _ in first} & stopwords()
    # the word linked to every other word is the centre of the co-occurrence graph
    scores = textrank_scores([["平台", "培训"], ["培训", "网站"], ["制度", "培训"]], window=5)
    assert max(scores, key=scores.get) == "培训"
    # the window bounds the links: with window 2 the ends of a chain are not linked
    assert textrank_scores([["甲方", "乙方", "丙方"]], window=2)["乙方"] > \
        textrank_scores([["甲方", "乙方", "丙方"]], window=2)["甲方"]


# -- summaries ---------------------------------------------------------------------------------
def test_summaries_are_real_text_in_report_order_without_near_duplicates(seeds, extractor):
    checked = 0
    for report in seeds:
        for sid in dict.fromkeys(s.id for s in report.sections):
            summary = summarize_section(report, sid, 3, extractor=extractor)
            assert [s.start for s in summary] == sorted(s.start for s in summary)
            allowed = set(section_sentences(report, sid))
            assert all(s in allowed and s.kind == "text" for s in summary)
            assert all(report.text[s.start:s.end].strip() for s in summary)
            sim = similarity_matrix(texts(report, summary), extractor)
            assert all(sim[i, j] <= 0.6 for i, j in itertools.combinations(range(len(summary)), 2))
            checked += len(summary)
    assert checked > 40


DUPLICATE = ("一是加强政府信息公开工作人员业务培训，提高政府信息公开工作人员业务能力。")


def duplicated_report() -> Report:
    body = (f"{DUPLICATE}{DUPLICATE}二是加强政府信息公开平台建设，提高政府信息公开平台服务能力。"
            "三是完善政府信息公开制度，规范政府信息公开工作人员办理流程。")
    text = (f"某镇2022年政府信息公开工作年度报告\n一、总体情况\n我镇主动公开政府信息10条。\n"
            f"五、存在的主要问题及改进情况\n{body}\n六、其他需要报告的事项\n无。\n")
    return parse_report(text, "duplicated.txt")


def test_redundancy_removal_keeps_one_of_two_identical_sentences():
    report = duplicated_report()
    assert texts(report, section_sentences(report, "problems")).count(DUPLICATE) == 2
    plain = texts(report, summarize_section(report, "problems", 3, redundancy=1.0))  # no check
    assert plain.count(DUPLICATE) == 2  # the two copies are the most central pair
    summary = texts(report, summarize_section(report, "problems", 3))
    assert summary.count(DUPLICATE) == 1 and len(summary) == 3


def test_small_and_table_only_sections(seeds):
    dushi = seed(seeds, "000")
    assert summarize_section(dushi, "proactive", 3) == []  # only table lines
    assert summary_text(dushi, "proactive") == ""
    assert texts(dushi, summarize_section(dushi, "other", 3)) == ["2021年度杜市镇无其他需要报告的事项。"]
    two = summarize_section(dushi, "overview", 3, part="依申请公开")
    assert texts(dushi, two) == ["2021年，杜市镇高度重视依申请公开工作，稳步推进依申请公开工作。",
                                 "2021年，杜市镇未收到依申请公开信息。"]
    assert summarize_section(dushi, "no_such_section", 3) == []
    assert summarize_section(dushi, "overview", 0) == []


def test_summaries_are_deterministic(seeds, extractor):
    report = seed(seeds, "004")
    runs = {tuple(summarize_section(report, "overview", 3, extractor=extractor)) for _ in range(3)}
    assert len(runs) == 1


# -- boilerplate -------------------------------------------------------------------------------
SHARED_WITH_DONGJIA = "2021年我镇未发生政务公开责任追究情况。"
COPIED_BY_YONGZHENG = "二是紧紧围绕实施政府信息公开工作"


def span_of(report, needle):
    start = report.text.index(needle)
    return next(s for _, s in report.iter_sentences() if s.start <= start < s.end)


def test_boilerplate_spans_come_from_cross_office_and_template_passages(seeds, reuse):
    dushi = seed(seeds, "000")
    spans = boilerplate_spans(reuse, dushi.path)
    shared = span_of(dushi, SHARED_WITH_DONGJIA)
    assert (shared.start, shared.end) in spans
    assert (span_of(dushi, "二是扎实推进政府信息公开工作").start,
            span_of(dushi, "二是扎实推进政府信息公开工作").end) in spans
    shengchang = seed(seeds, "004")  # only its title and preamble follow the template
    preamble = shengchang.section("preamble")
    spans = boilerplate_spans(reuse, shengchang)
    assert spans and all(preamble.start <= a < b <= preamble.end for a, b in spans)
    assert boilerplate_spans(reuse, "not/a/report.txt") == set()
    assert boilerplate_spans(reuse, dushi.path, layers=("self_copy",)) == set()
    # one helper for summaries and topics: the per-path view holds the same spans
    assert boilerplate_spans(reuse)[dushi.path] == boilerplate_spans(reuse, dushi)


def test_covered_share_counts_overlapping_spans_once():
    from nlp.reuse.boilerplate import covered_share

    assert covered_share(10, 20, [(0, 15), (12, 18)]) == 0.8
    assert covered_share(10, 20, [(20, 30)]) == 0.0 and covered_share(5, 5, [(0, 9)]) == 0.0


def test_boilerplate_sentence_scores_lower_when_weighted(seeds, reuse, extractor):
    dushi = seed(seeds, "000")
    shared = span_of(dushi, SHARED_WITH_DONGJIA)
    spans = boilerplate_spans(reuse, dushi)
    plain = dict(sentence_scores(dushi, "overview", None, extractor=extractor))
    weighted = dict(sentence_scores(dushi, "overview", spans, extractor=extractor))
    assert weighted[shared] < 0.5 * plain[shared]
    own = span_of(dushi, "政务服务中心主任为政府信息公开工作的具体负责人")
    assert weighted[own] >= plain[own]  # the office's own sentences gain what boilerplate loses


@pytest.mark.parametrize("prefix, copied", [("001", COPIED_BY_YONGZHENG),
                                            ("000", "二是扎实推进政府信息公开工作")])
def test_copied_sentence_drops_out_of_the_summary(seeds, reuse, extractor, prefix, copied):
    report = seed(seeds, prefix)
    sentence = span_of(report, copied)
    plain = summarize_section(report, "problems", 3, extractor=extractor)
    assert sentence in plain  # central without weighting …
    weighted = summarize_section(report, "problems", 3, boilerplate_spans(reuse, report),
                                 extractor=extractor)
    assert sentence not in weighted and len(weighted) == 3  # … replaced by the office's own text


# -- key figures -------------------------------------------------------------------------------
def figures_of(report):
    figs = key_figures(report)
    for f in figs:
        assert report.text[f["start"]:f["end"]] == f["text"]
    return figs


def test_key_figures_of_the_seeds(seeds):
    shengchang = figures_of(seed(seeds, "004"))
    assert {(f["value"], f["unit"], f["label"]) for f in shengchang} >= {
        (68, "条", "主动公开"), (47, "条", "主动公开"), (21, "条", "主动公开")}
    dushi = figures_of(seed(seeds, "000"))
    assert (231, "条", "主动公开") in {(f["value"], f["unit"], f["label"]) for f in dushi}
    assert ("工作动态", 84) in {(f["label"], f["value"]) for f in dushi}
    assert all(f["section"] == "overview" for f in dushi)  # tables and the preamble give none


def test_chinese_numeral_count_in_dongjia(seeds):
    dongjia = figures_of(seed(seeds, "002"))
    fig = next(f for f in dongjia if "依申请公开" in f["text"])
    assert (fig["value"], fig["unit"], fig["label"]) == (1, "条", "收到申请")
    assert fig["text"] == "我镇收到依申请公开政府信息一条"
    approx = next(f for f in dongjia if f["unit"] == "篇")
    assert (approx["value"], approx["approx"]) == (100, True)  # 100余篇


def test_rhetoric_ordinals_and_dates_are_not_figures(seeds):
    yongzheng = figures_of(seed(seeds, "001"))  # “三个转变”, “三个更加”, 六项制度, 2021年
    assert all(f["unit"] in ("条",) for f in yongzheng)
    report = Report(text="对照第二十条第（一）项，2023年12月31日前做到“三个更加”，建立六项制度。")
    assert list(sentence_figures(report, "overview", 0, len(report.text))) == []


def test_figure_forms():
    text = ("全年收到政府信息公开申请 34 件，召开新闻发布会三场，汇聚数据1.2万余条，"
            "政务新媒体检查合格率均为 100%，收取信息处理费 3,940 元，组织培训 2 次。")
    report = Report(text=text)
    got = [(f["label"], f["value"], f["unit"], f["approx"])
           for f in sentence_figures(report, "overview", 0, len(text))]
    assert got == [("收到申请", 34, "件", False), ("新闻发布会", 3, "场", False),
                   ("汇聚数据", 12000, "条", True), ("合格率", 100, "%", False),
                   ("信息处理费", 3940, "元", False), ("培训", 2, "次", False)]


def test_key_figures_of_a_wrapped_pdf_report():
    report = nlp.load_report(shared_path("001"))
    figs = {(f["label"], f["value"], f["unit"], f["approx"]) for f in figures_of(report)}
    assert {("主动公开", 5500, "条", True), ("收到申请", 3119, "件", False),
            ("新闻发布会", 12, "场", False), ("合格率", 100, "%", False),
            ("行政复议", 351, "件", False)} <= figs


# -- rows --------------------------------------------------------------------------------------
class CueClassifier:
    """A stand-in classifier: 不透彻/不及时/欠缺 marks a problem, 强化/推进/完善 an improvement."""

    def __init__(self):
        self.calls = []

    def predict(self, texts, sections=None):
        self.calls.append(list(sections))
        return [({"problem"} if any(w in t for w in ("不透彻", "不及时", "欠缺")) else set()) |
                ({"improvement"} if any(w in t for w in ("强化", "推进", "完善")) else set())
                for t in texts]


def test_summary_rows(seeds, reuse):
    classifier = CueClassifier()
    frame = summary_rows(seeds, reuse=reuse, classifier=classifier)
    sections = {r.path: list(dict.fromkeys(s.id for s in r.sections if s.id != "closing"))
                for r in seeds}
    assert len(frame) == sum(map(len, sections.values()))
    assert list(frame.columns) == ["report_id", "path", "office", "office_id", "level", "region",
                                   "year", "section", "summary", "keywords", "n_sentences",
                                   "problem_count", "improvement_count", "boilerplate_share",
                                   "key_figures"]
    rows = frame.set_index(frame["path"].map(lambda p: Path(p).name[:3]) + "/" + frame["section"])
    assert rows.loc["000/problems", "n_sentences"] == 6
    assert rows.loc["000/problems", "problem_count"] == 3  # 理解不透彻, 更新不及时, 有所欠缺
    assert rows.loc["000/problems", "improvement_count"] == 3  # 一是强化, 二是推进, 三是完善
    assert ["problems"] * 8 in classifier.calls  # its 8 statement units, 2 part headings among them
    assert rows.loc["000/problems", "boilerplate_share"] > 0.2
    assert rows.loc["003/problems", "boilerplate_share"] == 0
    assert rows.loc["000/proactive", "summary"] == "" and rows.loc["000/proactive", "n_sentences"] == 0
    assert 0 < len(rows.loc["004/overview", "keywords"]) <= 8
    assert rows.loc["004/overview", "key_figures"][0] == "主动公开 68条"


def test_summary_rows_without_reuse_or_classifier(seeds):
    frame = summary_rows(seeds, section="problems")
    assert len(frame) == len(seeds) and set(frame["section"]) == {"problems"}
    assert frame["problem_count"].isna().all() and str(frame["problem_count"].dtype) == "Int64"
    assert frame["boilerplate_share"].isna().all()
    assert all(frame["summary"].str.len() > 0)


def test_summary_records_carry_key_figures(seeds):
    rec = summary_records([seed(seeds, "004")], section="overview")[0]
    assert rec["key_figures"][0] == "主动公开 68条"  # a list of strings, like every list column
    assert "; ".join(rec["key_figures"]) == format_figures(key_figures(seed(seeds, "004"), ("overview",)))
    assert rec["problem_count"] is None and rec["boilerplate_share"] is None  # null, not NaN


def test_shared_reports_summarise_without_errors():
    if not SHARED_REPORTS.is_dir():
        pytest.skip("../shared/corpora is not present")
    corpus = nlp.Corpus(SHARED_REPORTS, progress=False)
    frame = summary_rows(corpus, reuse=True)
    assert set(frame["path"]) == {r.path for r in corpus}
    for report in corpus:
        for sid in ("overview", "problems"):
            for s in summarize_section(report, sid, 3):
                assert s.kind == "text" and report.text[s.start:s.end].strip()
    assert frame["boilerplate_share"].notna().any()


def test_cli_summarize(tmp_path):
    import json

    from typer.testing import CliRunner

    from cli import app
    from conftest import seed_path

    out = tmp_path / "summaries.jsonl"
    result = CliRunner().invoke(app, ["summarize", str(seed_path("004")), "--section", "overview",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1 and rows[0]["section"] == "overview" and rows[0]["summary"]
    assert rows[0]["key_figures"][0] == "主动公开 68条" and rows[0]["year"] == 2021
    result = CliRunner().invoke(app, ["summarize", str(seed_path("004")), "-f", "csv"])
    assert result.exit_code == 0 and "主动公开 68条" in result.stdout


def test_boilerplate_spans_are_looked_up_once_per_corpus(tmp_path, monkeypatch):
    """summary_rows reads each report's boilerplate from one pass over the passages (linear),
    finding the same spans as asking per report, also for a path spelled another way."""
    import os
    from dataclasses import replace

    import nlp
    from nlp.reuse.boilerplate import boilerplate_spans
    from nlp.reuse.detect import detect
    from nlp.summarize import _spans_by_report

    seeds = nlp.corpora.load("seeds").reports
    reuse = detect(seeds, semantic=False)
    spans_of = _spans_by_report(reuse)
    for r in seeds:
        assert spans_of(r) == boilerplate_spans(reuse, r)
    assert sum(map(len, map(spans_of, seeds))) > 10  # the copies among the seeds were seen
    other = replace(seeds[0], path=os.path.relpath(seeds[0].path, tmp_path))
    monkeypatch.chdir(tmp_path)
    assert spans_of(other) == spans_of(seeds[0])
