"""Site chrome of crawled pages lands in page_chrome sections, never in the report's sections.

The crawls below are written for these tests in the shapes government sites give (breadcrumbs,
发布时间/来源/字体 lines, 索引号 blocks, share and print buttons, pagers, footers with 网站标识码
and ICP numbers); no real page's text is copied.
"""
import pytest

from conftest import seed_path, shared_path
from nlp.classify.units import statement_units
from nlp.load import parse_report
from nlp.segment import segment

NUMBERED = {"overview", "proactive", "requests", "fees", "review_litigation", "problems", "other",
            "extra"}
NEVER_IN_REPORT = ("分享到", "备案号", "ICP备", "网站标识码", "打印本页", "发布时间", "浏览次数", "上一篇")

TITLE = "柳溪镇2024年政府信息公开工作年度报告"
HEAD = [
    "首页 > 政务公开 > 法定主动公开内容 > 政府信息公开年报",
    "当前位置：首页>>信息公开>>年度报告",
]
INFO = [
    "发布时间：2025-01-21 10:05  来源：柳溪镇人民政府  字体：[ 大 中 小 ]  浏览次数：88",
    "索引号：11340000MB0000001X/2025-00003\t主题分类：政务公开",
    "发布机构：柳溪镇人民政府\t成文日期：2025-01-21",
    "分享到：",
]
PREAMBLE = ("本报告依据《中华人民共和国政府信息公开条例》编制。如对本报告有疑问，请与柳溪镇党政办公室联系，"
            "电话：0551-7654321。")
BODY = """一、总体情况
2024年，柳溪镇围绕群众关切推进政务公开，及时发布惠民政策。
二、主动公开政府信息情况
本年制发件数\t0
三、收到和处理政府信息公开申请情况
本年新收政府信息公开申请数量\t1
四、政府信息公开行政复议、行政诉讼情况
0\t0\t0
五、存在的主要问题及改进情况
一是解读形式单一；二是栏目更新偏慢。
六、其他需要报告的事项
本年度未收取信息处理费。镇政府网站将继续完善政务公开专栏，联系电话0551-7654321。"""
SIGNATURE = ["柳溪镇人民政府", "2025年1月21日"]
TAIL = [
    "分享到：微信 微博 QQ空间",
    "【打印本页】【关闭窗口】",
    "扫一扫在手机打开当前页",
    "上一篇：柳溪镇2023年政府信息公开工作年度报告",
    "下一篇：没有了",
    "相关链接",
    "网站地图 | 联系我们 | 无障碍 | 长者模式",
    "主办单位：某县人民政府办公室  承办单位：某县数据资源管理局",
    "网站标识码：3400000000  皖ICP备00000000号  皖公网安备 34000000000000号",
]
CRAWL = "\n".join(HEAD + [TITLE] + INFO + [PREAMBLE, BODY] + SIGNATURE + TAIL) + "\n"

# the 索引号 block as a table, labels with their values on the next line, and no 落款: the
# footer follows 六's text directly
TABLE_CRAWL = "\n".join([
    "| 索引号 | 000000000/2024-00017 | 发文字号 | |",
    "| 关键词 | | 发布机构 | 石门街道办事处 |",
    "| 生成日期 | 2024-01-26 15:35:23 | 是否有效 | |",
    "石门街道2023年度政府信息公开工作年度报告",
    "信息来源:",
    "石门街道办事处",
    "浏览次数：",
    "||||||",
    "根据《中华人民共和国政府信息公开条例》要求，现发布本街道年度报告。",
    BODY,
    "【打印】【关闭】",
    "版权所有：某区人民政府  网站识别码0000000000",
]) + "\n"

# a crawl flattened into one line: crumbs before the title, share buttons after the last sentence
FLAT_CRAWL = ("首页>政务公开>政府信息公开年报>正文 " + TITLE + " " + INFO[0] + " " + PREAMBLE + " "
              + BODY.replace("\n", " ") + " 分享到： 【打印本页】 【关闭窗口】 主办单位：某县人民政府办公室")


def sections_containing(sections, pos):
    return [s for s in sections if s.start <= pos < s.end]


def check_chrome(text, chrome_lines, title, first_heading="一、总体情况"):
    sections, _ = segment(text)
    assert sections[0].start == 0 and sections[-1].end == len(text)
    for a, b in zip(sections, sections[1:]):
        assert a.end == b.start
    for line in chrome_lines:
        pos = text.find(line)
        assert pos >= 0, line
        (sec,) = sections_containing(sections, pos)
        assert sec.id == "page_chrome", (line, sec.id)
        assert sections_containing(sections, pos + len(line) - 1)[0].id == "page_chrome", line
    # the title opens the report's preamble and the first heading slices out as written
    pre = next(s for s in sections if s.id == "preamble")
    assert text[pre.start:pre.end].strip().startswith(title)
    overview = next(s for s in sections if s.id == "overview")
    assert text[overview.start:overview.heading_end] == first_heading
    for sec in sections:
        if sec.id in NUMBERED:
            chunk = text[sec.start:sec.end]
            assert not [w for w in NEVER_IN_REPORT if w in chunk], sec.id
        if sec.id == "page_chrome":
            # chrome sentences cover every non-space character of the section
            assert sec.sentences and all(x.kind == "chrome" for x in sec.sentences)
            covered = set()
            for x in sec.sentences:
                covered.update(range(x.start, x.end))
            assert all(k in covered for k in range(sec.start, sec.end) if not text[k].isspace())
            assert not sec.parts and not sec.items
    return sections


def test_head_and_tail_chrome_of_a_line_crawl():
    sections = check_chrome(CRAWL, HEAD + INFO + TAIL, TITLE)
    assert [s.id for s in sections] == [
        "page_chrome", "preamble", "page_chrome", "preamble", "overview", "proactive", "requests",
        "review_litigation", "problems", "other", "closing", "page_chrome"]
    # the title stands alone between the crumbs and the page's information block
    assert CRAWL[sections[1].start:sections[1].end].strip() == TITLE
    # the 落款 is the report's closing, the contact sentence its preamble
    closing = next(s for s in sections if s.id == "closing")
    assert CRAWL[closing.start:closing.end].split() == SIGNATURE
    (pre,) = sections_containing(sections, CRAWL.find("如对本报告有疑问"))
    assert pre.id == "preamble"
    # 六's own text (网站, 联系电话) stays in 六
    other = next(s for s in sections if s.id == "other")
    assert "联系电话0551-7654321。" in CRAWL[other.start:other.end]


def test_information_table_and_label_values_on_their_own_lines():
    sections = check_chrome(TABLE_CRAWL, [
        "| 索引号 | 000000000/2024-00017 | 发文字号 | |", "| 生成日期 | 2024-01-26 15:35:23 | 是否有效 | |",
        "信息来源:", "石门街道办事处\n浏览次数", "【打印】【关闭】", "版权所有：某区人民政府"],
        "石门街道2023年度政府信息公开工作年度报告")
    other = next(s for s in sections if s.id == "other")
    assert TABLE_CRAWL[other.start:other.end].rstrip().endswith("联系电话0551-7654321。")
    assert sections[-1].id == "page_chrome" and sections[-2].id == "other"


def test_flattened_crawl_keeps_crumbs_and_buttons_out_of_the_report():
    sections = check_chrome(FLAT_CRAWL, ["首页>政务公开>政府信息公开年报>正文", "发布时间：2025-01-21 10:05",
                                         "浏览次数：88", "分享到：", "【关闭窗口】", "主办单位：某县"], TITLE)
    other = next(s for s in sections if s.id == "other")
    assert FLAT_CRAWL[other.start:other.end].rstrip().endswith("联系电话0551-7654321。")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_chrome_is_found_whatever_the_line_ends(newline):
    text = CRAWL.replace("\n", newline)
    check_chrome(text, HEAD + INFO + TAIL, TITLE)
    assert [s.id for s in segment(text)[0]] == [s.id for s in segment(CRAWL)[0]]


def test_analyses_never_read_chrome():
    report = parse_report(CRAWL)
    texts = [report.text[x.start:x.end] for _, x in report.iter_sentences()]
    units = [u.text for u in statement_units(report)]
    for got in (texts, units):
        assert got and not [t for t in got if any(w in t for w in NEVER_IN_REPORT + ("首页",))]
    assert PREAMBLE.split("。")[0] + "。" in texts


def test_summaries_skip_chrome():
    from nlp.summarize import summary_rows

    frame = summary_rows([parse_report(CRAWL)])
    assert "page_chrome" not in set(frame["section"]) and "preamble" in set(frame["section"])
    joined = " ".join(str(x) for x in frame["summary"]) + " ".join(str(x) for x in frame["keywords"])
    assert not [w for w in NEVER_IN_REPORT if w in joined]


def test_sentences_about_the_website_are_not_chrome():
    """Report prose names 网站, 首页 and 联系电话; without page chrome nothing is cut."""
    text = (TITLE + "\n" + PREAMBLE + "\n" + BODY + "\n镇政府网站首页设有政务公开专栏，欢迎监督。\n"
            "分享工作经验，扩大公开实效。\n" + "\n".join(SIGNATURE) + "\n")
    sections, _ = segment(text)
    assert "page_chrome" not in {s.id for s in sections}
    assert sections[-1].id == "closing"


def test_real_reports_have_no_chrome():
    paths = [seed_path(p) for p in ("000", "001", "002", "003", "004")]
    paths += [shared_path(n) for n in ("001", "004", "007", "010", "017", "018", "021")]
    for path in paths:
        sections, _ = segment(path.read_text(encoding="utf-8"))
        assert "page_chrome" not in {s.id for s in sections}, path.name
