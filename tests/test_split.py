"""Parts, items and sentences inside sections, checked against hand-read text."""
from conftest import seed_path, shared_path
from nlp.segment import segment


def sections_of(path):
    text = path.read_text(encoding="utf-8")
    return text, {s.id: s for s in segment(text)[0]}


def test_seed_000_problem_parts_and_items():
    text, secs = sections_of(seed_path("000"))
    problems = secs["problems"]
    assert [(p.marker, p.title) for p in problems.parts] == [("（一）", "存在的主要问题"), ("（二）", "改进计划")]
    items = [(i.marker, text[i.start:i.end]) for i in problems.items]
    assert items[:3] == [
        ("一是", "一是对《中华人民共和国政府信息公开条例》部分规定理解不透彻；"),
        ("二是", "二是工作人员缺乏专业技术支撑，存在信息更新不及时等问题；"),
        ("三是", "三是推动政务公开和政府信息公开的力度有所欠缺，公开内容不够丰富。"),
    ]
    assert [i.index for i in problems.items] == [1, 2, 3, 1, 2, 3]
    assert text[problems.items[-1].end - 4:problems.items[-1].end] == "时效性。"
    # each item lies inside its part
    first_part, second_part = problems.parts
    assert all(first_part.start <= i.start < i.end <= first_part.end for i in problems.items[:3])
    assert all(second_part.start <= i.start < i.end <= second_part.end for i in problems.items[3:])


def test_table_row_labels_are_not_items_or_parts():
    text, secs = sections_of(seed_path("000"))
    req = secs["requests"]
    assert req.items == [] and req.parts == []
    assert "1.属于国家秘密" in text[req.start:req.end]
    kinds = {x.kind for x in req.sentences}
    assert kinds == {"heading", "table"}


def test_digit_parts_in_seed_004():
    text, secs = sections_of(seed_path("004"))
    titles = [p.title for p in secs["overview"].parts]
    assert titles == ["强化认识，加强组织领导", "及时跟踪，完善信息公开", "加强管理，确保质量", "规范程序，完善机制"]
    assert [p.marker for p in secs["problems"].parts] == ["1、", "2、"]
    assert len(secs["problems"].items) == 6


def test_nested_cjk_enumeration_in_seed_002_is_items_not_sections():
    text, secs = sections_of(seed_path("002"))
    items = secs["overview"].items
    got = [(i.marker, text[i.start:i.start + 6]) for i in items if i.marker.endswith("、")]
    assert got == [("一、", "一、明确责任"), ("二、", "二、强化监督")]


def test_sentences_split_at_terminal_punctuation():
    text, secs = sections_of(seed_path("000"))
    sents = [text[x.start:x.end] for x in secs["other"].sentences]
    assert sents == ["六、其他需要报告的事项", "2021年度杜市镇无其他需要报告的事项。"]
    overview = [text[x.start:x.end] for x in secs["overview"].sentences if x.kind == "text"]
    assert "2021年，杜市镇未收到依申请公开信息。" in overview


def test_no_text_is_dropped_from_sentences():
    """Every non-space character of every section lies in one of its sentences."""
    for path in [seed_path(p) for p in ("000", "001", "002", "003", "004")]:
        text, secs = sections_of(path)
        for sec in secs.values():
            covered = bytearray(sec.end - sec.start)
            for x in sec.sentences:
                assert sec.start <= x.start < x.end <= sec.end
                for k in range(x.start, x.end):
                    covered[k - sec.start] = 1
            missing = [text[sec.start + k] for k, c in enumerate(covered)
                       if not c and not text[sec.start + k].isspace()]
            assert missing == [], (path.name, sec.id)


def test_pdf_hard_wrapped_lines_join_into_sentences():
    text, secs = sections_of(shared_path("001"))
    sents = [text[x.start:x.end] for x in secs["overview"].sentences]
    joined = ["".join(s.split()) for s in sents]
    assert ("2024年，我市坚持以习近平新时代中国特色社会主义思想为指导，认真学习宣传贯彻党的二十大和二十届二中、"
            "三中全会精神，按照党中央国务院、省委省政府决策部署和市委工作要求，严格落实《中华人民共和国政府信息公开条例》"
            "各项规定，圆满完成了各项任务。") in joined
    # the page number between two halves of a sentence stays inside it, not as a sentence start
    assert any("-2-" in s and s.endswith("范围。") for s in sents)


def test_flattened_crawl_paragraph_ends_close_items():
    text, secs = sections_of(shared_path("007"))
    items = secs["problems"].items
    assert len(items) == 6
    assert text[items[2].start:items[2].end] == "三是政策解读形式单一，缺少多个角度多种形式的解读。"
    parts = secs["overview"].parts
    assert [p.title for p in parts] == ["主动公开方面", "依申请公开方面", "政府信息管理方面",
                                        "信息公开平台建设方面", "监督保障方面"]


def test_last_item_stops_before_the_next_series_lead_in():
    text, secs = sections_of(shared_path("004"))
    items = [(i.marker, text[i.start:i.end]) for i in secs["problems"].items]
    assert items[2] == ("三是", "三是公开的长效工作机制建设不够“全”。虽然制定了政府信息公开工作相关制度，但仍然有待完善。")
    assert [m for m, _ in items[3:]] == ["（一）", "（二）", "（三）"]


def test_items_glued_to_a_heading_or_split_by_a_line_break():
    text, secs = sections_of(shared_path("020"))
    starts = [text[i.start:i.start + 6] for i in secs["problems"].items]
    assert "一是重点推进" in starts  # "（二）改进措施一是重点推进…": no punctuation before 一是
    text, secs = sections_of(shared_path("002"))
    first = secs["problems"].items[0]
    assert text[first.start:first.start + 6] == "一\n是扎实推"


def test_spaces_inside_a_sentence_do_not_split_it():
    text, secs = sections_of(shared_path("002"))
    sents = [text[x.start:x.end] for x in secs["overview"].sentences]
    assert any("落实 “三审三校”" in s for s in sents)
    preamble = [text[x.start:x.end] for x in secs["preamble"].sentences]
    assert any("邮编" in "".join(s.split()) for s in preamble)
    assert all(x.kind != "table" for x in secs["preamble"].sentences)
