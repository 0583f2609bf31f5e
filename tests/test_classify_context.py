"""Statements read in context (issue 12, part 1): section-五 units labelled where they stand.

Every report text here was written for these tests (no real report's wording), in the shapes of
new reports that the classifier missed while it read each unit alone:

* short measure headings under （二）改进措施 ("二是提升政务公开内容质量。", "（一）进一步深化政府信息
  公开内容。") followed by explanation lines;
* problem-list headings that name a problem ("二是公开内容的实用性不强。") and the lines under them;
* unnumbered problem sentences after a lead-in ("主要存在以下问题：");

each also flattened into one line, the way the crawled 平潭 reports come. None of these units is
in the training data (``test_these_units_are_not_in_the_training_data``).
"""
import pytest

import nlp
from nlp.classify import StatementClassifier
from nlp.classify.context import unit_contexts
from nlp.classify.handwritten import labelled_units, pieces_of, read_sections
from nlp.classify.train import EXTRA_PATH, SECTIONS_PATH, _near_duplicate, _shingles, read_jsonl
from nlp.classify.units import statement_units
from nlp.classify.weak import _part_state, clean_text, content_text, cue_features, weak_labels
from nlp.load import parse_report

P, I, N = ["problem"], ["improvement"], []

FRAME = """荷塘镇人民政府2024年政府信息公开工作年度报告
一、总体情况
2024年，荷塘镇严格执行《中华人民共和国政府信息公开条例》，全年主动公开政府信息86条。
二、主动公开政府信息情况
本年制发规范性文件1件。
三、收到和处理政府信息公开申请情况
本年新收政府信息公开申请2件，均已按时答复。
四、政府信息公开行政复议、行政诉讼情况
本年度无政府信息公开行政复议、行政诉讼。
"""
TAIL = "六、其他需要报告的事项\n本年度无其他需要报告的事项。\n"

#: (一)存在的主要问题 / (二)改进措施, items as short headings with explanation lines.
HEADINGS = FRAME + """五、存在的主要问题及改进情况
（一）存在的主要问题
一是政务公开工作力量比较薄弱。
镇里负责公开的同志同时承担文秘、档案等多项工作，难以兼顾。
二是公开内容的实用性不强。
发布的多是会议和活动报道，办事指南、收费标准等群众常用信息较少。
（二）改进措施
一是配齐配强公开工作人员。
安排一名熟悉业务的同志专门负责政务公开。
二是提升政务公开内容质量。
围绕办事服务梳理公开事项，把群众常用的信息放在显著位置。
""" + TAIL

#: A lead-in, unnumbered problem sentences, then (一)(二) measure headings with explanations.
LEADIN = FRAME + """五、存在的主要问题及改进情况
2024年，我镇政府信息公开工作有了新的进步，但对照群众期待，主要存在以下问题：
部分站所报送信息不积极，往往需要反复催促。
镇政府网站公开专栏版面陈旧，检索功能缺失。
涉及征地补偿的信息只在村里张贴，网上无从查阅。
针对这些问题，我镇将着重做好三方面工作：
（一）进一步深化政府信息公开内容。
把征地补偿、惠民资金等信息全部纳入网上公开范围。
（二）改版镇政府网站公开专栏。
增设站内检索，方便群众查找。
""" + TAIL

#: Last year's fixes first, this year's problems second (the order of 2025 city reports).
REVERSED = FRAME + """五、存在的主要问题及改进情况
（一）2023年工作中存在问题的改进情况
1.针对信息更新慢的问题，实行每周更新制度。
2.开通镇政务公开微信专栏。
目前专栏已上线运行，关注人数稳步增长。
（二）2024年工作中存在的主要问题
1.部分村级公开栏年久失修。
有的字迹模糊，有的已无法张贴新的内容。
2.依申请公开答复的说理不够充分。
""" + TAIL


def flat(text: str) -> str:
    """The report as a crawl flattens it: one line."""
    return text.replace("\n", "")


# Section 五 of each text, unit by unit as the segmenter gives it: (text prefix, hand labels).
CASES = {
    "headings": (HEADINGS, [
        ("（一）存在的主要问题", N), ("一是政务公开工作力量比较薄弱。", P), ("二是公开内容的实用性不强。", P),
        ("发布的多是会议和活动报道", P), ("（二）改进措施", N), ("一是配齐配强公开工作人员。", I),
        ("二是提升政务公开内容质量。", I), ("围绕办事服务梳理公开事项", I)]),
    "headings-flat": (flat(HEADINGS), [
        ("（一）存在的主要问题", N), ("一是政务公开工作力量比较薄弱。", P), ("二是公开内容的实用性不强。", P),
        ("（二）改进措施", N), ("一是配齐配强公开工作人员。", I), ("二是提升政务公开内容质量。", I)]),
    "leadin": (LEADIN, [
        ("2024年，我镇政府信息公开工作有了新的进步", N), ("部分站所报送信息不积极", P),
        ("镇政府网站公开专栏版面陈旧", P), ("涉及征地补偿的信息只在村里张贴", P),
        ("针对这些问题，我镇将着重做好三方面工作：", N), ("（一）进一步深化政府信息公开内容。", I),
        ("把征地补偿、惠民资金等信息", I), ("（二）改版镇政府网站公开专栏。", I), ("增设站内检索", I)]),
    # flattened, the lead-in runs on into the first problem: the content decides (LABELLING.md)
    "leadin-flat": (flat(LEADIN), [
        ("2024年，我镇政府信息公开工作有了新的进步", P), ("镇政府网站公开专栏版面陈旧", P),
        ("涉及征地补偿的信息只在村里张贴", P), ("针对这些问题，我镇将着重做好三方面工作：", N),
        ("（一）进一步深化政府信息公开内容。", I), ("（二）改版镇政府网站公开专栏。", I)]),
    "reversed": (REVERSED, [
        ("（一）2023年工作中存在问题的改进情况", N), ("1.针对信息更新慢的问题", I), ("2.开通镇政务公开微信专栏。", I),
        ("目前专栏已上线运行", I), ("（二）2024年工作中存在的主要问题", N), ("1.部分村级公开栏年久失修。", P),
        ("2.依申请公开答复的说理不够充分。", P)]),
    "reversed-flat": (flat(REVERSED), [
        ("（一）2023年工作中存在问题的改进情况1.针对", I), ("2.开通镇政务公开微信专栏。", I),
        ("目前专栏已上线运行", I), ("（二）2024年工作中存在的主要问题1.部分村级", P),
        ("有的字迹模糊", P), ("2.依申请公开答复的说理不够充分。", P)]),
}


def _report(case: str):
    return parse_report(CASES[case][0], f"<{case}>")


def _check_units(rows: list[dict], case: str) -> None:
    """The rows are the expected units, in order (so a label test tests the intended shape)."""
    expected = CASES[case][1]
    assert len(rows) == len(expected), [clean_text(r["text"])[:20] for r in rows]
    for row, (prefix, _) in zip(rows, expected):
        assert clean_text(row["text"]).startswith(prefix), (row["text"][:30], prefix)


def test_the_texts_have_the_shapes_of_the_issue():
    """Short headings stand alone as units, under the part they belong to."""
    units = {clean_text(u.text) for u in statement_units(_report("headings"), ("problems",))}
    assert {"二是公开内容的实用性不强。", "二是提升政务公开内容质量。"} <= units
    units = {clean_text(u.text) for u in statement_units(_report("leadin"), ("problems",))}
    assert {"（一）进一步深化政府信息公开内容。", "部分站所报送信息不积极，往往需要反复催促。"} <= units
    for case in CASES:
        assert CASES[case][0].count("\n") == (0 if case.endswith("flat") else CASES[case][0].count("\n"))
        _check_units([{"text": u.text} for u in statement_units(_report(case), ("problems",))], case)


@pytest.mark.parametrize("case", sorted(CASES))
def test_sklearn_labels_units_in_context_as_a_reader_does(case):
    """Short measure headings under (二)改进措施, problem-list headings naming a problem, and
    problem sentences after a lead-in, with and without line breaks (the default model)."""
    rows = StatementClassifier.load("sklearn").classify_report(_report(case), ["problems"])
    _check_units(rows, case)
    assert [(clean_text(r["text"])[:12], r["labels"]) for r in rows] == \
        [(clean_text(r["text"])[:12], labels) for r, (_, labels) in zip(rows, CASES[case][1])]


#: The spaCy model (second backend) on these 42 units may miss at most this many. Its retrains
#: here missed 3 to 7 (the shipped one 7) as epochs or a few training units changed, and it
#: retrains differently on another CPU (tests/test_classify.py SPACY_RETRAIN_FLOOR); the models
#: shipped before contexts missed about half. So a floor, not the shipped count.
SPACY_MAX_MISSES = 8


def test_spacy_labels_most_units_in_context():
    clf = StatementClassifier.load("spacy")
    misses = []
    for case in CASES:
        rows = clf.classify_report(_report(case), ["problems"])
        _check_units(rows, case)
        misses += [(case, r["text"][:15], r["labels"]) for r, (_, labels) in
                   zip(rows, CASES[case][1]) if r["labels"] != labels]
    assert len(misses) <= SPACY_MAX_MISSES, misses


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_walk_that_gives_the_context_labels_these_shapes_too(case):
    """The weak labeller's walk reads the same parts and lead-ins the context tokens come from."""
    weak = [w for w in weak_labels(_report(case)) if w.unit.section == "problems"]
    _check_units([{"text": w.unit.text} for w in weak], case)
    assert [sorted(w.labels) for w in weak] == [labels for _, labels in CASES[case][1]]


def test_context_tokens_say_where_a_unit_stands():
    report = _report("headings")
    units = statement_units(report, ("problems",))
    ctx = dict(zip((clean_text(u.text) for u in units), unit_contexts(report, units)))
    assert set(ctx["二是提升政务公开内容质量。"]) >= {"part=improvement", "state=improvement",
                                                  "prev=item", "next=sentence", "role=content"}
    assert set(ctx["二是公开内容的实用性不强。"]) >= {"part=problem", "state=problem"}
    assert "role=heading" in ctx["（二）改进措施"] and "pos=first" in ctx["（一）存在的主要问题"]
    report = _report("leadin")
    units = statement_units(report, ("problems",))
    ctx = dict(zip((clean_text(u.text) for u in units), unit_contexts(report, units)))
    assert set(ctx["部分站所报送信息不积极，往往需要反复催促。"]) >= {"leadin=problem", "prev=leadin",
                                                         "part=none"}
    assert "leadin=improvement" in ctx["（一）进一步深化政府信息公开内容。"]
    assert "role=leadin" in ctx["针对这些问题，我镇将着重做好三方面工作："]
    report = _report("reversed")  # 存在问题的改进情况 is the improvement part, not a problem part
    units = statement_units(report, ("problems",))
    ctx = dict(zip((clean_text(u.text) for u in units), unit_contexts(report, units)))
    assert "part=improvement" in ctx["2.开通镇政务公开微信专栏。"]
    assert "part=problem" in ctx["2.依申请公开答复的说理不够充分。"]
    overview = [u for u in statement_units(report) if u.section == "overview"]
    assert unit_contexts(report, overview) == [()] * len(overview)  # context is section 五's


def test_a_measure_heading_that_says_问题_is_not_a_problem_part():
    assert _part_state("着力解决网站栏目更新滞后问题") is None
    assert _part_state("存在的主要问题") == "problem"
    assert _part_state("2024年工作中存在问题的改进情况") == "improvement"


def test_context_is_used_by_every_report_entry_point():
    from nlp.classify import statements_nlp

    report = _report("leadin")
    clf = StatementClassifier.load("sklearn")
    rows = clf.classify_report(report, ["problems"])
    units = statement_units(report, ("problems",))
    assert [sorted(x) for x in clf.predict_units(report, units)] == [r["labels"] for r in rows]
    doc = statements_nlp("sklearn")(report.text)
    spans = [s for s in doc.spans["statements"] if s.label_ == "problems"]
    assert [(s.start_char, s._.labels) for s in spans] == [(r["start"], r["labels"]) for r in rows]
    texts = [u.text for u in units]
    with pytest.raises(ValueError):
        clf.predict(texts, "problems", contexts=[()])
    assert clf.predict(texts, "problems", contexts=[()] * len(texts)) == clf.predict(texts, "problems")


def test_these_units_are_not_in_the_training_data():
    """No unit of these texts is a near-copy of a hand-written training unit or piece (a bare
    part heading such as （二）改进措施 is template wording, and a heading glued before an item
    is compared without it: the item is what must be new)."""
    train = [row["text"] for row in read_jsonl(EXTRA_PATH)]
    for record in read_sections(SECTIONS_PATH):
        train += [p.text for p in pieces_of(record)]
        for flat_ in (False, True):
            train += [u.text for u, _, _ in labelled_units(record, flat_)]
    train_sh = [_shingles(t) for t in train]
    for case in CASES:
        for u in statement_units(_report(case), ("problems",)):
            if not cue_features(u.text)["part_head"]:  # bare part headings are template words
                sh = _shingles(content_text(clean_text(u.text)))
                assert not any(_near_duplicate(sh, t) for t in train_sh), u.text


def test_hand_written_training_sections_segment_into_labelled_units():
    """Each hand-written section 五 (train_sections.jsonl) sets in its report frame; every unit
    the segmenter finds lies on its hand-labelled pieces, and no piece is lost."""
    from nlp.classify.handwritten import MIN_OVERLAP, section_report_text

    for record in read_sections(SECTIONS_PATH):
        for flat_ in (False, True):
            _, spans = section_report_text(record, flat_)
            units = [u for u, _, _ in labelled_units(record, flat_)]
            where = f"{record['id']}{' flat' if flat_ else ''}"
            for u in units:
                assert any(min(b, u.end) - max(a, u.start) >= MIN_OVERLAP for a, b, _ in spans), where
            for a, b, piece in spans:
                assert any(u.start < b and a < u.end for u in units), (where, piece.text)
