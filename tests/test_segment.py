"""Sections found at the right offsets with the right ids, on the seeds and the shared corpus."""
import re

import pytest

from conftest import seed_path, shared_path
from nlp.segment import segment
from nlp.text.normalize import compact

POST = [("overview", "一", "总体情况"), ("proactive", "二", "主动公开政府信息情况"),
        ("requests", "三", "收到和处理政府信息公开申请情况"),
        ("review_litigation", "四", "政府信息公开行政复议、行政诉讼情况"),
        ("problems", "五", "存在的主要问题及改进情况"), ("other", "六", "其他需要报告的事项")]
PRE_A = [("overview", "一", "概述"), ("proactive", "二", "主动公开政府信息情况"),
         ("requests", "三", "政府信息依申请公开工作情况")]
PRE_FEES = PRE_A + [("fees", "四", "政府信息公开的收费及减免情况"),
                    ("review_litigation", "五", "因政府信息公开申请行政复议、提起行政诉讼的情况"),
                    ("problems", "六", "主要问题和改进措施"),
                    ("extra", "七", "平潭综合实验区政府信息公开情况统计表")]

SEEDS = {
    "000": ["preamble", *POST, "closing"],
    "001": ["preamble", *POST],
    "002": ["preamble", ("overview", "一", "主动公开政务信息总体情况"), *POST[1:]],
    "003": ["preamble", *POST],
    "004": ["preamble", *POST],
}
SHARED = {
    "001": ["preamble", *POST],  # pdftotext -layout, page numbers, table columns
    "002": ["preamble", *POST],
    "003": ["preamble", *POST],
    "004": ["preamble", *POST],  # web crawl flattened into one line
    "005": ["preamble", *POST],
    "007": ["preamble", *POST[:3], ("review_litigation", "四", "政府信息公开行政法复议、行政诉讼情况"),
            *POST[4:]],  # the report's own typo, 行政法复议, still maps to review_litigation
    "009": ["preamble", *POST],
    "011": ["preamble", *POST],
    "010": ["preamble", *PRE_A, ("review_litigation", "四", "因政府信息公开申请行政复议、提起行政诉讼的情况"),
            ("problems", "五", "主要问题和改进措施"), ("extra", "六", "政府信息公开情况统计表")],
    "012": ["preamble", *PRE_A, ("review_litigation", "四", "因政府信息公开申请行政复议、提起行政诉讼的情况"),
            ("problems", "五", "存在的主要问题和改进措施"), ("extra", "六", "政府信息公开情况统计表")],
    "013": ["preamble", *PRE_FEES],
    "020": ["preamble", *PRE_FEES],
    "021": ["preamble", *PRE_A, ("fees", "四", "政府信息公开的收费及减免情况"),
            ("problems", "五", "主要问题和改进措施"), ("extra", "六", "平潭综合实验区政府信息公开情况统计表")],
    # Shanghai's layout: narrative numbered 一…六, tables numbered anew; 五 lost in conversion
    "017": ["preamble", ("overview", "一", "总体情况"), ("extra", "二", "工作机制保障"),
            ("extra", "三", "主动公开工作情况"), ("extra", "四", "政府信息公开申请情况"),
            ("extra", "五", "政府信息管理"), ("extra", "六", "政府信息公开平台建设"),
            ("proactive", "一", "主动公开政府信息情况"), ("requests", "二", "收到和处理政府信息公开申请情况"),
            ("review_litigation", "三", "政府信息公开行政复议、行政诉讼情况"),
            ("problems", "四", "（一）主要问题"), ("other", "五", "其他需要报告的事项")],
    "018": ["preamble", *POST[:4], ("problems", "五", "（一）2024 年工作中存在问题的改进情况"), POST[5]],
}


def check_outline(text, expected):
    sections, warnings = segment(text)
    got = [s.id if s.id in ("preamble", "closing") else (s.id, s.number, s.title) for s in sections]
    assert got == expected
    for sec in sections:
        if sec.id in ("preamble", "closing") or sec.recovered:
            continue
        # the offset is the heading's numeral, and the heading slices out as written
        assert text[sec.start] == sec.number[0]
        heading = compact(text, sec.start, sec.heading_end)[0]
        assert heading == sec.number + compact(text, sec.start + len(sec.number), sec.heading_end)[0]
        assert compact(sec.title)[0] in heading
        assert re.match(r"[、.．,，]", compact(text, sec.start + len(sec.number), sec.heading_end)[0])
    return sections, warnings


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_sections(prefix):
    text = seed_path(prefix).read_text(encoding="utf-8")
    check_outline(text, SEEDS[prefix])


@pytest.mark.parametrize("name", sorted(SHARED))
def test_shared_sections(name):
    text = shared_path(name).read_text(encoding="utf-8")
    check_outline(text, SHARED[name])


def test_seed_000_offsets_are_pinned():
    text = seed_path("000").read_text(encoding="utf-8")
    sections, _ = segment(text)
    starts = {s.id: s.start for s in sections}
    assert starts == {"preamble": 0, "overview": 314, "proactive": 1154, "requests": 1379,
                      "review_litigation": 2565, "problems": 2770, "other": 3093, "closing": 3130}
    assert text[3130:].strip().splitlines()[0] == "杜市镇人民政府"


def test_flattened_crawl_table_labels_do_not_open_sections():
    text = shared_path("007").read_text(encoding="utf-8")
    sections, warnings = segment(text)
    starts = {s.start for s in sections}
    for label in ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
                  "三、本年度办理结果", "四、结转下年度继续办理"):
        pos = text.find(label)
        assert pos > 0 and pos not in starts
    req = next(s for s in sections if s.id == "requests")
    assert text[req.start:req.heading_end] == "三、收到和处理政府信息公开申请情况"
    assert "713000074" in text[req.start:req.end]
    assert warnings == []


@pytest.mark.parametrize("name,number,part", [("017", "四", "（一）主要问题"),
                                               ("018", "五", "（一）2024 年工作中存在问题的改进情况")])
def test_lost_problems_heading_is_recovered_with_warning(name, number, part):
    text = shared_path(name).read_text(encoding="utf-8")
    sections, warnings = segment(text)
    problems = next(s for s in sections if s.id == "problems")
    assert problems.recovered and problems.number == number
    assert text[problems.start:].startswith(part)
    assert any("problems" in w and "recovered" in w for w in warnings)
    # the section before ends where the recovered one starts: nothing merged into the table
    before = sections[sections.index(problems) - 1]
    assert before.id == "review_litigation" and before.end == problems.start
    assert "改进" in text[problems.start:problems.end]


def test_every_character_belongs_to_exactly_one_section():
    for prefix in SEEDS:
        text = seed_path(prefix).read_text(encoding="utf-8")
        sections, _ = segment(text)
        assert sections[0].start == 0 and sections[-1].end == len(text)
        for a, b in zip(sections, sections[1:]):
            assert a.end == b.start and a.start < a.end


BASE = ("2022年度大寨镇政府信息公开工作年度报告\n"
        "本报告由大寨镇人民政府编制。\n"
        "{h1} 2022年,大寨镇认真贯彻落实《条例》。\n"
        "{h2}\n本年制发件数\t0\n"
        "{h3}\n一、本年新收政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n三、本年度办理结果\n"
        "{h4}\n0\t0\t0\n"
        "{h5}\n一是信息更新不及时。\n"
        "{h6}\n无。\n")


@pytest.mark.parametrize("headings,ids", [
    (("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
      "四、政府信息公开行政复议、行政诉讼情况", "五、存在的问题及改进措施", "六、其他需要报告的事项"), None),
    (("一、 总体情况", "二、 主动公开政府信息情况", "三、 收到和处理政府信息公开申请情况",
      "四、 政府信息公开行政复议、行政诉讼情况", "五、 存在的主要问题和改进情况", "六、 其他需要报告的事项"), None),
    (("一．总体情况", "二．主动公开政府信息情况", "三．收到和处理政府信息公开申请情况",
      "四．政府信息公开行政复议、行政诉讼情况", "五．存在的主要问题及改进情况", "六．其他需要报告的事项"), None),
    (("一.总体情况", "二.主动公开政府信息情况", "三.收到和处理政府信息公开申请情况",
      "四.政府信息公开行政复议、行政诉讼情况", "五.存在的主要问题及改进情况", "六.其他需要报告的事项"), None),
    (("## 一、总体情况", "## 二、主动公开政府信息情况", "## 三、收到和处理政府信息公开申请情况",
      "## 四、政府信息公开行政复议、行政诉讼情况", "## 五、存在的主要问题及改进情况", "## 六、其他需要报告的事项"), None),
    (("| 一、总体情况 |", "| 二、主动公开政府信息情况 |", "| 三、收到和处理政府信息公开申请情况 |",
      "| 四、政府信息公开行政复议、行政诉讼情况 |", "| 五、存在的主要问题及改进情况 |", "| 六、其他需要报告的事项 |"), None),
])
def test_heading_variants(headings, ids):
    text = BASE.format(**{f"h{i + 1}": h for i, h in enumerate(headings)})
    sections, warnings = segment(text)
    assert [s.id for s in sections] == ["preamble", "overview", "proactive", "requests",
                                        "review_litigation", "problems", "other"]
    for sec, heading in zip(sections[1:], headings):
        numeral = heading.lstrip("#| ")[0]
        assert sec.start == text.find(heading) + heading.find(numeral)
        assert sec.number == numeral
    assert warnings == []


def test_preamble_list_of_section_names_is_not_an_outline():
    text = ("2021年度某街道政府信息公开工作年度报告\n本报告包括一、总体情况；二、主动公开政府信息情况；"
            "三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；"
            "五、存在的主要问题及改进情况；六、其他需要报告的事项。\n"
            + BASE.format(h1="一、总体情况", h2="二、主动公开政府信息情况",
                          h3="三、收到和处理政府信息公开申请情况", h4="四、政府信息公开行政复议、行政诉讼情况",
                          h5="五、存在的主要问题及改进情况", h6="六、其他需要报告的事项"))
    sections, _ = segment(text)
    overview = sections[1]
    assert overview.id == "overview" and overview.start == text.find("一、总体情况 2022")


def test_older_reports_split_problems_and_measures_both_map_to_problems():
    text = ("2012年度某县政府信息公开年度报告\n一、概述\n本年度我县…。\n二、主动公开政府信息情况\n主动公开信息100条。\n"
            "三、依申请公开政府信息情况\n未收到申请。\n四、存在的问题\n人员不足。\n五、改进措施\n加强培训。\n")
    sections, _ = segment(text)
    assert [(s.id, s.number) for s in sections] == [
        ("preamble", None), ("overview", "一"), ("proactive", "二"), ("requests", "三"),
        ("problems", "四"), ("problems", "五")]


def test_extra_sections_keep_number_and_title():
    text = ("2010年度某市政府信息公开年度报告\n一、概述\n本年度…。\n二、主动公开政府信息情况\n100条。\n"
            "三、依申请公开政府信息情况\n无。\n四、审批事项及处理情况\n无。\n五、存在的主要问题和改进措施\n加强培训。\n")
    sections, _ = segment(text)
    extra = next(s for s in sections if s.id == "extra")
    assert (extra.number, extra.title) == ("四", "审批事项及处理情况")


def test_closing_holds_signature_date_and_attachments():
    body = BASE.format(h1="一、总体情况", h2="二、主动公开政府信息情况", h3="三、收到和处理政府信息公开申请情况",
                       h4="四、政府信息公开行政复议、行政诉讼情况", h5="五、存在的主要问题及改进情况",
                       h6="六、其他需要报告的事项")
    signed = body + "\n大寨镇人民政府\n2023年1月20日\n"
    sections, _ = segment(signed)
    assert sections[-1].id == "closing"
    assert signed[sections[-1].start:].startswith("大寨镇人民政府\n2023年1月20日")
    assert signed[sections[-2].start:sections[-2].end].rstrip().endswith("无。")
    attached = body + "附件：政府信息公开情况统计表\n指标\t单位\t数量\n"
    sections, _ = segment(attached)
    assert sections[-1].id == "closing" and attached[sections[-1].start:].startswith("附件")
    sections, _ = segment(body)
    assert sections[-1].id == "other" and sections[-1].end == len(body)
