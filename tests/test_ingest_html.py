"""Saved government web pages: article text (trafilatura), the statistical tables cell by cell,
and what the page says about the report (source_meta).

The pages are written here in the shapes of real 信息公开 pages: a menu and breadcrumb, the
索引号 info table above the article, a "发布时间 … 来源 … 字体" line, the three tables with merged
header cells, related links and a footer.
"""
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from pathlib import Path

import pytest

from nlp.ingest.readers import IngestError, read_file
from nlp.load import load_report

SEEDS = Path(__file__).parents[1] / "corpora" / "seeds"

GOV_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>青石镇2024年政府信息公开工作年度报告_青石县人民政府</title>
<meta name="SiteName" content="青石县人民政府">
<meta name="ArticleTitle" content="青石镇2024年政府信息公开工作年度报告">
<meta name="PubDate" content="2025-01-20 09:30">
<meta name="ContentSource" content="青石县青石镇人民政府">
<script>var _hmt = []; document.write("统计");</script>
</head><body>
<div class="top"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/zwfw">政务服务</a> <a href="/hdjl">互动交流</a></div>
<div class="crumb">您现在所在的位置：<a href="/">网站首页</a> &gt; <a href="/xxgk">政府信息公开</a> &gt; <a href="/nb">政府信息公开年报</a></div>
<div class="xxgk-info"><table>
  <tr><td>索 引 号：</td><td>113416230031/2025-00007</td><td>发布机构：</td><td>青石县青石镇人民政府</td></tr>
  <tr><td>主题分类：</td><td>政务公开</td><td>成文日期：</td><td>2025-01-16</td></tr>
  <tr><td>名　　称：</td><td colspan="3">青石镇2024年政府信息公开工作年度报告</td></tr>
</table></div>
<div class="article">
<h1 class="title">青石镇2024年政府信息公开工作年度报告</h1>
<div class="source">发布时间：2025-01-20 09:30　来源：青石镇人民政府　浏览次数：<span>128</span>　字体：[<a>大</a> <a>中</a> <a>小</a>]</div>
<div class="TRS_Editor">
<p>　　本报告依据《中华人民共和国政府信息公开条例》编制。</p>
<p>一、总体情况</p>
<p>（一）主动公开</p>
<p>　　2024年，我镇主动公开政府信息
共计645条。</p>
<p>二、主动公开政府信息情况</p>
<table border="1" cellspacing="0">
 <tr><td colspan="4"><p>第二十条第（一）项</p></td></tr>
 <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
 <tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
 <tr><td>行政规范性文件</td><td>1</td><td>0</td><td>3</td></tr>
</table>
<p>三、收到和处理政府信息公开申请情况</p>
<table border="1" cellspacing="0">
 <tr><td colspan="3" rowspan="2">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>
 <tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
 <tr><td colspan="3"></td><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
 <tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>2</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>3</td></tr>
 <tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>1</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>2</td></tr>
 <tr><td rowspan="1">（三）不予公开</td><td>1．属于国家秘密</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table>
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table border="1" cellspacing="0">
 <tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
 <tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
 <tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>
 <tr><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table>
<p>五、存在的主要问题及改进情况</p>
<p>　　一是公开内容不够全面；<br>二是政策解读形式单一。</p>
<p>六、其他需要报告的事项</p>
<p>　　本年度未收取信息处理费。</p>
<p style="text-align: right">青石县青石镇人民政府<br>2025年1月16日</p>
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a>　【<a>打印本页</a>】【<a>关闭窗口</a>】</div>
</div>
<div class="related"><h3>相关文章</h3><ul>
  <li><a href="/1">青石镇2023年政府信息公开工作年度报告</a> 2024-01-18</li>
  <li><a href="/2">青石镇2022年政府信息公开工作年度报告</a> 2023-01-19</li>
  <li><a href="/3">青石县2024年政府信息公开工作年度报告</a> 2025-01-25</li>
</ul></div>
<div class="footer"><p>主办单位：青石县人民政府办公室　网站标识码：3416230001</p><p>皖ICP备00000000号　皖公网安备 00000000000000号</p></div>
</body></html>
"""

GOV_LINES = [
    "青石镇2024年政府信息公开工作年度报告",
    "本报告依据《中华人民共和国政府信息公开条例》编制。",
    "一、总体情况",
    "（一）主动公开",
    "2024年，我镇主动公开政府信息共计645条。",
    "二、主动公开政府信息情况",
    "第二十条第（一）项",
    "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
    "规章\t0\t0\t0",
    "行政规范性文件\t1\t0\t3",
    "三、收到和处理政府信息公开申请情况",
    # a merged cell once, in the row where it starts; the empty cell under the 勾稽 note stays
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
    "自然人\t法人或其他组织\t总计",
    "\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他",
    "一、本年新收政府信息公开申请数量\t2\t1\t0\t0\t0\t0\t3",
    "三、本年度办理结果\t（一）予以公开\t1\t1\t0\t0\t0\t0\t2",
    "（三）不予公开\t1．属于国家秘密\t0\t0\t0\t0\t0\t0\t0",
    "四、政府信息公开行政复议、行政诉讼情况",
    "行政复议\t行政诉讼",
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉",
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
    "\t".join(["0"] * 15),
    "五、存在的主要问题及改进情况",
    "一是公开内容不够全面；",
    "二是政策解读形式单一。",
    "六、其他需要报告的事项",
    "本年度未收取信息处理费。",
    "青石县青石镇人民政府",
    "2025年1月16日",
]


@pytest.fixture
def gov_page(tmp_path) -> Path:
    path = tmp_path / "t20250120_123.html"
    path.write_text(GOV_PAGE.format(charset="utf-8"), encoding="utf-8")
    return path


def test_gov_page_text_and_tables(gov_page):
    doc = read_file(gov_page)
    assert doc.format == "html"
    assert doc.text.split("\n") == GOV_LINES
    for chrome in ("首页", "网站首页", "索引号", "发布时间", "字体", "打印本页", "相关文章", "2023年政府信息",
                   "网站标识码", "ICP备", "统计"):
        assert chrome not in doc.text, chrome


def test_gov_page_source_meta(gov_page):
    assert read_file(gov_page).source_meta == {
        "title": "青石镇2024年政府信息公开工作年度报告",  # <meta name="ArticleTitle">
        "published": "2025-01-20 09:30",            # <meta name="PubDate">
        "publisher": "青石县青石镇人民政府",            # 发布机构 (the info table), before 来源
        "index_no": "113416230031/2025-00007",
        "written": "2025-01-16",
    }


def test_gov_page_gbk(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes(GOV_PAGE.format(charset="gb2312").encode("gbk"))
    doc = read_file(path)
    assert doc.encoding == "gb18030"
    assert doc.text.split("\n") == GOV_LINES
    assert doc.source_meta["index_no"] == "113416230031/2025-00007"


def test_gov_page_segments_with_offsets(gov_page):
    report = load_report(gov_page)
    assert report.source_meta["publisher"] == "青石县青石镇人民政府"
    headings = {s.id: report.text[s.start:s.heading_end] for s in report.sections if s.heading_end}
    assert headings["overview"] == "一、总体情况"
    assert headings["requests"] == "三、收到和处理政府信息公开申请情况"
    assert headings["problems"] == "五、存在的主要问题及改进情况"
    assert headings["other"] == "六、其他需要报告的事项"


def without_meta_tags(page: str) -> str:
    return "\n".join(line for line in page.split("\n") if not line.startswith("<meta name="))


def test_info_line_only(tmp_path):
    # No meta tags and no info table: the "发布时间 … 来源 … 字体" line under the title says it all.
    page = without_meta_tags(GOV_PAGE.format(charset="utf-8"))
    start, end = page.index('<div class="xxgk-info">'), page.index('<div class="article">')
    page = page[:start] + page[end:]
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    doc = read_file(path)
    assert doc.source_meta["published"] == "2025-01-20 09:30"
    assert doc.source_meta["publisher"] == "青石镇人民政府"
    assert "index_no" not in doc.source_meta and "written" not in doc.source_meta
    # the title comes from the page (trafilatura's metadata) when no field names it
    assert doc.source_meta["title"].startswith("青石镇2024年政府信息公开工作年度报告")
    assert doc.text.split("\n") == GOV_LINES


@pytest.mark.parametrize("line, expected", [
    ("发布日期：2024-01-19　　信息来源：城南街道办事处　　【打印】【关闭】",
     {"published": "2024-01-19", "publisher": "城南街道办事处"}),
    ("发表时间:2023-02-01 10:00:00 来源: 河口乡人民政府 阅读次数: 99",
     {"published": "2023-02-01 10:00:00", "publisher": "河口乡人民政府"}),
    ("来 源：西湖区人民政府　发布时间：2025年01月21日", {"published": "2025年01月21日", "publisher": "西湖区人民政府"}),
])
def test_info_line_shapes(tmp_path, line, expected):
    page = without_meta_tags(GOV_PAGE.format(charset="utf-8"))
    start, end = page.index('<div class="xxgk-info">'), page.index('<div class="article">')
    page = page[:start] + page[end:]
    old = page[page.index('<div class="source">'):page.index('<div class="TRS_Editor">')]
    page = page.replace(old, f'<div class="source">{line}</div>\n')
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    doc = read_file(path)
    assert {k: doc.source_meta.get(k) for k in expected} == expected
    assert doc.text.split("\n") == GOV_LINES


def test_report_sentence_that_mentions_a_label_stays(tmp_path):
    # Only lines made of labelled fields are page chrome; a sentence quoting 来源 is text.
    page = GOV_PAGE.format(charset="utf-8").replace(
        "<p>　　本报告依据", "<p>本报告数据来源：本镇政务公开平台统计。</p><p>　　本报告依据")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    lines = read_file(path).text.split("\n")
    assert lines[1] == "本报告数据来源：本镇政务公开平台统计。"


def test_seed_report_lines_all_kept(tmp_path):
    # trafilatura's own output drops the second of two identical short header rows of this seed
    # ("信息内容 本年处理决定数量"); the article's lines are taken from the page, so none is lost.
    seed = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    paragraphs = [line for line in seed.splitlines() if line.strip()]
    body = "".join(f"<p>{line}</p>" for line in paragraphs)
    page = (f"<html><head><title>年报</title></head><body><div class='nav'><a href='/'>首页</a></div>"
            f"<div class='content'>{body}</div><div class='foot'>版权所有</div></body></html>")
    path = tmp_path / "seed.html"
    path.write_text(page, encoding="utf-8")
    lines = read_file(path).text.split("\n")
    assert lines == [" ".join(p.split()) for p in paragraphs]
    assert lines.count("信息内容 本年处理决定数量") == 2


def test_page_without_article(tmp_path):
    path = tmp_path / "menu.html"
    path.write_text("<html><body><ul><li><a href='/a'>首页</a></li><li><a href='/b'>政务公开</a></li></ul>"
                    "<footer>版权所有</footer></body></html>", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        read_file(path)
    assert info.value.reason == "HTML has no body text"


def seed_page(seed_text: str) -> str:
    """A seed report as a government page: paragraphs as <p>, tab lines as table rows, inside
    the chrome of GOV_PAGE (menu, info table, source line, related links, footer)."""
    body, rows = [], []
    for line in (ln for ln in seed_text.splitlines() if ln.strip()):
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if rows:
            body.append("<table border='1'>" + "".join(rows) + "</table>")
            rows = []
        body.append(f"<p>{line}</p>")
    if rows:
        body.append("<table border='1'>" + "".join(rows) + "</table>")
    page = GOV_PAGE.format(charset="utf-8")
    start = page.index('<div class="TRS_Editor">') + len('<div class="TRS_Editor">')
    return page[:start] + "\n".join(body) + "</div>\n" + page[page.index('<div class="share">'):]


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_reports_round_trip_through_a_page(tmp_path, seed):
    # Every line and every table cell of a real report comes back, chrome and info lines do not.
    text = seed.read_text(encoding="utf-8")
    path = tmp_path / "page.html"
    path.write_text(seed_page(text), encoding="utf-8")
    doc = read_file(path)
    expected = ["\t".join(" ".join(c.split()) for c in line.split("\t")) for line in text.splitlines() if line.strip()]
    assert doc.text.split("\n") == ["青石镇2024年政府信息公开工作年度报告", *expected]
    assert doc.source_meta["index_no"] == "113416230031/2025-00007"


def test_fallback_when_trafilatura_finds_nothing(gov_page, monkeypatch):
    # The block holding most of the page's (non-link) Han text is the article.
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    assert read_file(gov_page).text.split("\n") == GOV_LINES[1:]
