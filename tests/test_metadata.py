"""extract_metadata against real reports (values hand-read from each text) and small synthetic cases."""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from nlp.ingest.metadata import extract_metadata, office_level, short_office_name
from nlp.model import ReportMeta

SEEDS = Path(__file__).resolve().parents[1] / "corpora" / "seeds"
SHARED = Path(__file__).parents[2] / "shared" / "corpora"
FIELDS = ("office", "office_short", "level", "region", "year", "date", "phone", "email", "postcode")
# division_code, province, prefecture, county, township, publication_date, days_after_deadline
PLACE = ("division_code", "province", "prefecture", "county", "township", "publication_date",
         "days_after_deadline")
NOT_PLACED = (None,) * 7


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _shared(name: str) -> str:
    path = SHARED / "reports" / name
    if not path.exists():
        pytest.skip(f"shared corpus not available: {path}")
    return path.read_text(encoding="utf-8")


def _meta(**kw) -> dict:
    return asdict(ReportMeta(**kw))


# office, office_short, level, region, year, date, phone, email, postcode, then PLACE — None where
# the text is silent. Divisions hand-checked against the 2025 list.
SEED_EXPECTED = {
    # no title; office from the 落款, region from "地址：丰城市杜市镇人民政府", year from 统计期限
    # 杜市镇 is in 丰城市 (Jiangxi) and 江津区 (Chongqing): "丰城市" in the text places it; published
    # (signed) 2022-01-13, 18 days before the 31 January deadline
    "000": ("杜市镇人民政府", "杜市镇", "镇", "丰城市", 2021, "2022-01-13", "0795-6872081", None, None,
            "360981120", "江西省", "宜春市", "丰城市", "杜市镇", "2022-01-13", -18),
    # title "2021年度永正镇政府信息公开工作报告"; region from "和正宁县政务公开相关规定"
    "001": ("永正镇", "永正镇", "镇", "正宁县", 2021, None, None, None, None,
            "621025104", "甘肃省", "庆阳市", "正宁县", "永正镇", None, None),
    # title "董家镇2020年…"; "董家镇人民政府" in the preamble; only "县政府", no county named. The list
    # has 董家镇 in 丰城市 and in 丰都县; "丰城报" (a newspaper) is no superior: not placed
    "002": ("董家镇人民政府", "董家镇", "镇", None, 2020, None, None, None, None) + NOT_PLACED,
    # "杜关镇人民政府 2023 年…" with a stray "告" line; "地址：卢氏县杜关镇人民政府；邮编：472212；…"
    "003": ("杜关镇人民政府", "杜关镇", "镇", "卢氏县", 2023, None, "0398-7133149", "lsxdgz@163.com", "472212",
            "411224101", "河南省", "三门峡市", "卢氏县", "杜关镇", None, None),
    # "集贤县升昌镇 2021 年 政府…"; "请于集贤县升昌镇人民政府（…邮编：155900，联系电话：0469-4941237）"
    "004": ("集贤县升昌镇人民政府", "升昌镇", "镇", "集贤县", 2021, None, "0469-4941237", None, "155900",
            "230521102", "黑龙江省", "双鸭山市", "集贤县", "升昌镇", None, None),
}

# 平潭综合实验区 is no division of the list (平潭县 is, and is not guessed): not placed
_PT = ("平潭综合实验区管委会", "平潭综合实验区", "区", None)
_PT_NAME = ("平潭综合实验区", "平潭综合实验区", "区", None)
_HUAIAN = ("320800", "江苏省", "淮安市", None, None, None, None)
_HONGZE = ("320813", "江苏省", "淮安市", "洪泽区", None, None, None)
_SHANGHAI = ("310000", "上海市", None, None, None, None, None)  # a municipality: no prefecture
SHARED_EXPECTED = {
    # pdftotext: title over two lines, "电\n子邮箱", page numbers "-6-" at the end
    "001.txt": ("淮安市人民政府", "淮安市", "市", None, 2024, None, "0517-83605210", "hazwgkc@163.com", "223001")
    + _HUAIAN,
    # title says "洪泽区人民政府"; "淮安市洪泽区人民政府办公室" in the preamble; "邮 编 ： 223100"
    "002.txt": ("洪泽区人民政府", "洪泽区", "区", "淮安市", 2023, None, "0517-87222589", "hzzwgk@126.com", "223100")
    + _HONGZE,
    "003.txt": ("淮安市洪泽区人民政府", "洪泽区", "区", "淮安市", 2024, None, "0517-87290606", None, "223100") + _HONGZE,
    # flattened crawl; title "平潭综合实验区…", the body names "平潭综合实验区管委会"
    "004.txt": _PT + (2019, None, "0591-23165250", "pzxxgkb@163.com", "350400") + NOT_PLACED,
    "005.txt": _PT + (2020, None, "0591-23165370", "pzxxgkb@163.com", "350400") + NOT_PLACED,  # 电话/传真
    "007.txt": _PT + (2022, None, "0591-23165385", None, "350400") + NOT_PLACED,
    # 2024/2025: no 管委会 anywhere in the text, no contact details
    "009.txt": _PT_NAME + (2024, None, None, None, None) + NOT_PLACED,
    # "pzxxgkb＠163.com"
    "010.txt": _PT + (2018, None, "0591-23165255", "pzxxgkb@163.com", "350400") + NOT_PLACED,
    "011.txt": _PT_NAME + (2025, None, None, None, None) + NOT_PLACED,
    # 电 话/传 真 run together
    "012.txt": _PT + (2017, None, "0591-23162606", "pzxxgkb@163.com", "350400") + NOT_PLACED,
    # no area code in the text
    "013.txt": _PT + (2016, None, "23165327", "pzxxgkb@163.com", "350400") + NOT_PLACED,
    # PDF-to-markdown: "正文" line, title over two lines; the text calls itself 上海市科委
    "017.txt": ("上海市科委", "上海市科委", "部门", "上海市", 2024, None, None, None, None) + _SHANGHAI,
    "018.txt": ("上海市人民政府办公厅", "上海市人民政府办公厅", "部门", "上海市", 2025, None, None, None, None)
    + _SHANGHAI,
    "020.txt": _PT + (2015, None, "23158138", "pzxxgkb@163.com", "350400") + NOT_PLACED,
    "021.txt": _PT + (2014, None, "23158786", "pzxxgkb@163.com", "350400") + NOT_PLACED,  # "平潭综合实验区 2014年度…"
}


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seed_metadata(prefix):
    assert asdict(extract_metadata(_seed(prefix))) == dict(zip(FIELDS + PLACE, SEED_EXPECTED[prefix]))


@pytest.mark.parametrize("name", sorted(SHARED_EXPECTED))
def test_shared_corpus_metadata(name):
    assert asdict(extract_metadata(_shared(name))) == dict(zip(FIELDS + PLACE, SHARED_EXPECTED[name]))


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_hints_give_the_same_answer(prefix):
    text = _seed(prefix)
    preamble_end = text.index("一、")
    sig = text.rfind("杜市镇人民政府")  # only seed 000 has a 落款
    closing_start = sig if prefix == "000" else None
    got = extract_metadata(text, preamble_end=preamble_end, closing_start=closing_start)
    assert asdict(got) == dict(zip(FIELDS + PLACE, SEED_EXPECTED[prefix]))


def test_closing_hint_bounds_the_signature_search():
    text = _seed("000")
    # the hint starts after the signing office: the date is still read, the office is not
    got = extract_metadata(text, closing_start=text.rindex("2022年1月13日"))
    assert got.date == "2022-01-13"
    assert (got.office, got.office_short, got.region) == ("丰城市杜市镇人民政府", "杜市镇", "丰城市")  # preamble
    # an empty 落款 hint is not trusted over a signature the text plainly ends with
    assert extract_metadata(text, closing_start=len(text)) == extract_metadata(text)


# -- synthetic cases ---------------------------------------------------------------------------
BODY = "一、总体情况\n本年度我单位认真贯彻落实《条例》。\n六、其他需要报告的事项\n无。\n"


def test_full_width_title_and_contacts():
    text = (
        "　　卢氏县人民政府２０２２年度政府信息公开工作年度报告\n"
        "本报告统计期限自２０２２年１月１日至２０２２年１２月３１日。如有疑问请与卢氏县人民政府办公室联系"
        "（电话：（０３９８）７１３３１４９；邮政编码：４７２２００；电子邮箱：ＬＳＸ＠１６３．ｃｏｍ）。\n" + BODY
    )
    assert asdict(extract_metadata(text)) == _meta(
        office="卢氏县人民政府", office_short="卢氏县", level="县", year=2022,
        phone="0398-7133149", email="LSX@163.com", postcode="472200",
        division_code="411224", province="河南省", prefecture="三门峡市", county="卢氏县",
    )


def test_jiedao_banshichu_title():
    text = "长沙市天心区坡子街街道办事处 2021 年政府信息公开工作年度报告\n" + BODY
    assert asdict(extract_metadata(text)) == _meta(
        office="长沙市天心区坡子街街道办事处", office_short="坡子街街道", level="街道", region="天心区", year=2021,
        division_code="430103002", province="湖南省", prefecture="长沙市", county="天心区", township="坡子街街道",
    )


def test_jiedao_from_signature_only():
    text = "本报告统计期限自2021年1月1日至2021年12月31日。\n" + BODY + "\n坡子街街道办事处\n2022年1月20日\n"
    assert asdict(extract_metadata(text)) == _meta(
        office="坡子街街道办事处", office_short="坡子街街道", level="街道", year=2021, date="2022-01-20",
        division_code="430103002", province="湖南省", prefecture="长沙市", county="天心区", township="坡子街街道",
        publication_date="2022-01-20", days_after_deadline=-11,  # signed 11 days before 31 January
    )


def test_department_title():
    text = "卢氏县教育局2022年政府信息公开工作年度报告\n" + BODY + "卢氏县教育局\n2023年1月18日"
    assert asdict(extract_metadata(text)) == _meta(
        office="卢氏县教育局", office_short="卢氏县教育局", level="部门", region="卢氏县",
        year=2022, date="2023-01-18", division_code="411224", province="河南省", prefecture="三门峡市",
        county="卢氏县", publication_date="2023-01-18", days_after_deadline=-13,
    )


def test_title_split_over_two_lines_after_junk():
    text = "正文\n2025 年上海市人民政府办公厅政府信息公开\n工作年度报告\n本年度报告…\n" + BODY
    meta = extract_metadata(text)
    assert (meta.office, meta.level, meta.region, meta.year) == ("上海市人民政府办公厅", "部门", "上海市", 2025)


@pytest.mark.parametrize(
    "closing, date",
    [
        ("杜市镇人民政府\n二〇二二年一月十三日\n", "2022-01-13"),
        ("杜市镇人民政府\n二O二一年十二月三十一日", "2021-12-31"),
        ("杜市镇人民政府\n2022 年 1 月 13 日\n-6-\n", "2022-01-13"),
        ("杜市镇人民政府　２０２２年１月１３日", "2022-01-13"),
    ],
)
def test_closing_dates(closing, date):
    meta = extract_metadata("本报告统计期限自2021年1月1日至2021年12月31日。\n" + BODY + "\n" + closing)
    assert (meta.office, meta.date, meta.year) == ("杜市镇人民政府", date, 2021)


@pytest.mark.parametrize(
    "ending",
    [
        "本报告统计期限自2021年1月1日至2021年12月31日。\n",  # the statistics period is not the publication date
        "截至2023年12月31日，我镇未收到申请。\n",  # nor is a date inside a sentence
        "截至2023年12月31日\n",
    ],
)
def test_dates_that_are_not_publication_dates(ending):
    meta = extract_metadata("杜关镇人民政府2023年政府信息公开工作年度报告\n" + BODY + ending)
    assert meta.date is None
    assert meta.office == "杜关镇人民政府"


@pytest.mark.parametrize(
    "sentence, region",
    [
        ("按照正宁县政务公开要求开展工作。", "正宁县"),  # "按照" is not part of the name
        ("按照正宁县政府和合水县政府要求开展工作。", None),  # two counties: not guessed
        ("按照县委、县政府要求开展工作。", None),  # a county, but not named
    ],
)
def test_town_region_from_the_one_named_county(sentence, region):
    text = "永正镇2021年政府信息公开工作年度报告\n一、总体情况\n" + sentence + "\n"
    meta = extract_metadata(text)
    assert (meta.office, meta.region) == ("永正镇", region)


def test_no_usable_metadata_is_all_none():
    text = "一、总体情况\n我们做了很多工作，取得了明显成效。\n二、主动公开政府信息情况\n行政许可\t0\n" * 20
    assert extract_metadata(text) == ReportMeta()
    assert extract_metadata("") == ReportMeta()


@pytest.mark.parametrize(
    "name, level, short",
    [
        ("杜市镇人民政府", "镇", "杜市镇"),
        ("丰城市杜市镇人民政府", "镇", "杜市镇"),
        ("某某乡人民政府", "乡", "某某乡"),
        ("淮安市洪泽区人民政府", "区", "洪泽区"),
        ("平潭综合实验区管委会", "区", "平潭综合实验区"),
        ("卢氏县人民政府", "县", "卢氏县"),
        ("淮安市人民政府", "市", "淮安市"),
        ("浙江省人民政府", "省", "浙江省"),
        ("坡子街街道办事处", "街道", "坡子街街道"),
        ("上海市人民政府办公厅", "部门", "上海市人民政府办公厅"),
        ("上海市科学技术委员会", "部门", "上海市科学技术委员会"),
        ("北京市城市管理委员会", "部门", "北京市城市管理委员会"),
        ("无其他需要报告的事项", None, None),
    ],
)
def test_office_level_and_short_name(name, level, short):
    assert office_level(name) == level
    assert short_office_name(name) == short


def test_a_10kb_report_reads_only_its_ends():
    """Table filler in the middle changes nothing: only the head and tail windows are read."""
    text = _seed("004")
    half = len(text) // 2
    filler = "\t0\t0\t0\t0\t0\t0\t0\n" * ((10_000 - len(text)) // 15 + 1)
    big = text[:half] + filler + text[half:]
    assert len(big) >= 10_000
    assert extract_metadata(big) == extract_metadata(text)


def test_unplaced_office_is_warned():
    warnings: list[str] = []
    meta = extract_metadata(_shared("004.txt"), warnings=warnings)
    assert meta.division_code is None and meta.level == "区"
    assert warnings == ["identity: 平潭综合实验区 is not a division in the 2025 list (开发区/实验区 or renamed); "
                        "division left empty"]
    warnings.clear()
    extract_metadata(_seed("000"), warnings=warnings)
    assert warnings == []
