"""Tests for nlp.ingest.readers: real report text through every format and encoding."""
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pickle
from pathlib import Path

import pytest

from nlp.ingest.readers import (
    SUPPORTED_SUFFIXES,
    Decoded,
    IngestError,
    decode_bytes,
    expand_paths,
    read_file,
)

SEEDS = Path(__file__).parents[1] / "corpora" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def seed_text(i: int = 0) -> str:
    return SEED_FILES[i].read_bytes().decode("utf-8")


def gbk_seed() -> str:
    """A seed whose every character exists in GBK (some seeds hold U+00A0, which GBK lacks)."""
    for path in SEED_FILES:
        text = path.read_bytes().decode("utf-8")
        try:
            text.encode("gbk")
            return text
        except UnicodeEncodeError:
            continue
    pytest.fail("no seed report is GBK-encodable")


def test_seeds_present():
    assert len(SEED_FILES) == 5


# --------------------------------------------------------------------------- txt

@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_utf8_seed_reads_unchanged(path):
    doc = read_file(path)
    assert doc == Decoded(path.read_bytes().decode("utf-8"), "txt", "utf-8")
    assert "政府信息公开" in doc.text


@pytest.mark.parametrize(
    "encoding, raw, reported",
    [
        ("gb18030", lambda t: t.encode("gb18030"), "gb18030"),
        ("utf-16 BOM", lambda t: t.encode("utf-16"), "utf-16"),
        ("utf-16-be BOM", lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16"),
        ("utf-8 BOM", lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
@pytest.mark.parametrize("seed", range(5))
def test_encodings_decode_identically(tmp_path, seed, encoding, raw, reported):
    original = seed_text(seed)
    path = tmp_path / "report.txt"
    path.write_bytes(raw(original))
    doc = read_file(path)
    assert doc.encoding == reported
    assert doc.text == original
    assert not doc.text.startswith("\ufeff")


def test_gbk_file(tmp_path):
    original = gbk_seed()
    path = tmp_path / "gbk.txt"
    path.write_bytes(original.encode("gbk"))
    doc = read_file(path)
    assert doc.encoding == "gb18030"  # GBK is read with its superset
    assert doc.text == original


def test_short_gbk_text_is_not_mistaken_for_korean():
    # charset-normalizer alone calls these bytes cp949 (Korean).
    text, enc = decode_bytes("一、总体情况".encode("gbk"))
    assert (text, enc) == ("一、总体情况", "gb18030")


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_crlf_preserved(tmp_path, encoding):
    original = seed_text(1).replace("\n", "\r\n")
    assert "\r\n" in original
    path = tmp_path / "crlf.txt"
    path.write_bytes(original.encode(encoding))
    assert read_file(path).text == original


def test_unknown_suffix_sniffed_as_text(tmp_path):
    path = tmp_path / "report.dat"
    path.write_bytes(seed_text(2).encode("gb18030"))
    assert read_file(path) == Decoded(seed_text(2), "txt", "gb18030")


def test_uppercase_suffix(tmp_path):
    path = tmp_path / "REPORT.TXT"
    path.write_bytes(seed_text(3).encode("utf-8"))
    assert read_file(path).text == seed_text(3)


# --------------------------------------------------------------------------- errors

def assert_one_line_error(err: IngestError, path, fragment: str):
    msg = str(err)
    assert msg.startswith(f"{path}: ")
    assert "\n" not in msg
    assert fragment in err.reason
    assert err.path == str(path)
    assert msg == f"{err.path}: {err.reason}"


@pytest.mark.parametrize(
    "name, data, fragment",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \r\n\t\n  ", "empty file"),
        ("bom-only.txt", b"\xef\xbb\xbf", "empty file"),
        ("blank16.txt", " \n\u3000\n".encode("utf-16"), "empty file"),
        ("binary.txt", bytes(range(256)) * 10, "binary file, not text"),
        ("binary.bin", bytes(range(256)) * 10, "binary file, not text"),
        ("blob.txt", bytes(range(1, 256)) * 10, "binary file, not text"),  # no NUL bytes at all
    ],
)
def test_bad_text_files(tmp_path, name, data, fragment):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as info:
        read_file(path)
    assert_one_line_error(info.value, path, fragment)


def test_missing_file(tmp_path):
    path = tmp_path / "nope.txt"
    with pytest.raises(IngestError) as info:
        read_file(path)
    assert_one_line_error(info.value, path, "no such file")


def test_directory(tmp_path):
    with pytest.raises(IngestError) as info:
        read_file(tmp_path)
    assert_one_line_error(info.value, tmp_path, "directory")


def test_error_pickles():
    err = pickle.loads(pickle.dumps(IngestError("a.txt", "empty file")))
    assert (err.path, err.reason, str(err)) == ("a.txt", "empty file", "a.txt: empty file")


# --------------------------------------------------------------------------- docx

def make_docx(path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_heading("一、总体情况", level=1)
    doc.add_paragraph("本机关2021年主动公开政府信息共计128条。")
    table = doc.add_table(rows=2, cols=3)
    for j, value in enumerate(["信息内容", "本年制发件数", "本年废止件数"]):
        table.cell(0, j).text = value
    for j, value in enumerate(["规章", "0", "1"]):
        table.cell(1, j).text = value
    doc.add_paragraph("二、主动公开政府信息情况")
    doc.save(str(path))


def test_docx_body_order(tmp_path):
    path = tmp_path / "report.docx"
    make_docx(path)
    doc = read_file(path)
    assert (doc.format, doc.encoding) == ("docx", None)
    assert doc.text.split("\n") == [
        "一、总体情况",
        "本机关2021年主动公开政府信息共计128条。",
        "信息内容\t本年制发件数\t本年废止件数",
        "规章\t0\t1",
        "二、主动公开政府信息情况",
    ]


def test_docx_merged_cell_once(tmp_path):
    import docx

    d = docx.Document()
    table = d.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "收到和处理政府信息公开申请情况"
    table.cell(0, 2).text = "总计"
    for j, value in enumerate(["自然人", "3", "5"]):
        table.cell(1, j).text = value
    path = tmp_path / "merged.docx"
    d.save(str(path))
    assert read_file(path).text.split("\n") == ["收到和处理政府信息公开申请情况\t总计", "自然人\t3\t5"]


def test_docx_sniffed_without_suffix(tmp_path):
    path = tmp_path / "report.bin"
    make_docx(path)
    assert read_file(path).format == "docx"


def test_corrupt_docx(tmp_path):
    path = tmp_path / "bad.docx"
    path.write_bytes(b"this is not a zip file" * 20)
    with pytest.raises(IngestError) as info:
        read_file(path)
    assert_one_line_error(info.value, path, "unreadable DOCX")


# --------------------------------------------------------------------------- pdf

PDF_PAGES = [
    ["上海市某区人民政府2021年政府信息公开工作年度报告", "一、总体情况", "本机关全年主动公开政府信息128条。"],
    ["二、收到和处理政府信息公开申请情况", "三、存在的主要问题及改进情况"],
]


def make_pdf(path: Path, pages) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    for lines in pages:
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            c.drawString(72, 760 - 24 * i, line)
        c.showPage()
    c.save()


def test_pdf_cjk_text_layer(tmp_path):
    path = tmp_path / "report.pdf"
    make_pdf(path, PDF_PAGES)
    doc = read_file(path)
    assert (doc.format, doc.encoding) == ("pdf", None)
    assert doc.text.split("\n") == [line for page in PDF_PAGES for line in page]


def test_pdf_sniffed_without_suffix(tmp_path):
    path = tmp_path / "download"
    make_pdf(path, PDF_PAGES)
    assert "一、总体情况" in read_file(path).text


def test_pdf_without_text_layer(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 400, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(IngestError) as info:
        read_file(path)
    assert_one_line_error(info.value, path, "text layer")


def test_random_bytes_pdf(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(IngestError) as info:
        read_file(path)
    assert_one_line_error(info.value, path, "unreadable PDF")


def test_encrypted_pdf(tmp_path):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret"))
    c.drawString(72, 700, "annual report")
    c.showPage()
    c.save()
    with pytest.raises(IngestError) as info:
        read_file(path)
    assert_one_line_error(info.value, path, "unreadable PDF: encrypted")


# --------------------------------------------------------------------------- html

HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>年度报告</title>
<style>.nav {{ color: red }}</style>
<script>var 统计代码 = "不应出现";</script></head>
<body>
<div class="nav"><nav><a href="/">首页</a> <a href="/xxgk">政府信息公开</a> <a href="/zwdt">政务动态</a></nav></div>
<div class="main">
  <div class="title">某县人民政府2021年政府信息公开工作年度报告</div>
  <div class="TRS_Editor">
    <p>一、总体情况</p>
    <p>　　本机关全年主动公开政府信息128条，
    其中规范性文件12件。</p>
    <table>
      <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td></tr>
      <tr><td>规章</td><td>0</td><td>1</td></tr>
    </table>
    <p>二、主动公开政府信息情况</p>
  </div>
</div>
<footer>版权所有：某县人民政府办公室　网站标识码：1234</footer>
</body></html>
"""
HTML_LINES = [
    "一、总体情况",
    "本机关全年主动公开政府信息128条，其中规范性文件12件。",
    "信息内容\t本年制发件数\t本年废止件数",
    "规章\t0\t1",
    "二、主动公开政府信息情况",
]


def test_html_article_only(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(HTML_PAGE.format(charset="utf-8").encode("utf-8"))
    doc = read_file(path)
    assert (doc.format, doc.encoding) == ("html", "utf-8")
    assert doc.text.split("\n") == HTML_LINES


@pytest.mark.parametrize("charset", ["gbk", "gb2312"])
def test_html_gbk_meta_charset(tmp_path, charset):
    path = tmp_path / "page.htm"
    path.write_bytes(HTML_PAGE.format(charset=charset).encode("gbk"))
    doc = read_file(path)
    assert doc.encoding == "gb18030"
    assert doc.text.split("\n") == HTML_LINES


def test_html_http_equiv_charset_and_no_known_container(tmp_path):
    # Old-style declaration and a page without a CMS container: the densest block wins.
    page = (HTML_PAGE.replace('<meta charset="{charset}">',
                              '<meta http-equiv="Content-Type" content="text/html; charset=gbk">')
            .replace('class="TRS_Editor"', 'class="wz"'))
    path = tmp_path / "page.shtml"
    path.write_bytes(page.encode("gbk"))
    doc = read_file(path)
    assert doc.encoding == "gb18030"
    assert doc.text.split("\n") == HTML_LINES
    assert "首页" not in doc.text and "版权所有" not in doc.text and "统计代码" not in doc.text


def test_html_related_links_left_out(tmp_path):
    # A "相关阅读" list of links after the article (how government sites show related reports)
    # is chrome. (The old picker also dropped a plain-text block here by the CMS container class;
    # trafilatura decides by content, and real related blocks are link lists.)
    related = ("<div class='related'><h3>相关阅读</h3><ul>" + "".join(
        f"<li><a href='/r{i}'>某县人民政府办公室关于印发{i}月工作要点的通知</a><span>2021-0{i}-01</span></li>"
        for i in range(1, 6)) + "</ul></div>")
    page = HTML_PAGE.format(charset="utf-8").replace("</div>\n</div>\n<footer>", "</div>\n" + related + "</div>\n<footer>")
    assert related in page
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    assert read_file(path).text.split("\n") == HTML_LINES


def test_html_seed_report_in_aspnet_form(tmp_path):
    # ASP.NET government sites wrap the whole page in one <form>; its text must survive.
    paragraphs = [line for line in seed_text(4).splitlines() if line.strip()]
    body = "".join(f"<p>{line}</p>" for line in paragraphs)
    page = f"<html><body><form id='form1'><div id='zoom'>{body}</div></form></body></html>"
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    assert read_file(path).text.split("\n") == [" ".join(p.split()) for p in paragraphs]


def test_html_without_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>var a = 1;</script></head><body><nav>首页</nav></body></html>",
                    encoding="utf-8")
    with pytest.raises(IngestError) as info:
        read_file(path)
    assert_one_line_error(info.value, path, "no body text")


def test_html_sniffed_without_suffix(tmp_path):
    path = tmp_path / "page.asp"
    path.write_bytes(HTML_PAGE.format(charset="utf-8").encode("utf-8"))
    assert read_file(path).format == "html"


# --------------------------------------------------------------------------- expand_paths

def make_tree(root: Path) -> None:
    (root / "b").mkdir()
    (root / "a.txt").write_text("x", encoding="utf-8")
    (root / "b" / "c.PDF").write_bytes(b"%PDF")
    (root / "b" / "d.docx").write_bytes(b"PK")
    (root / "b" / "~$d.docx").write_bytes(b"lock")
    (root / "notes.json").write_text("{}", encoding="utf-8")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "e.txt").write_text("x", encoding="utf-8")


def test_expand_directory(tmp_path):
    make_tree(tmp_path)
    result = expand_paths([tmp_path])
    assert result == [tmp_path / "a.txt", tmp_path / "b" / "c.PDF", tmp_path / "b" / "d.docx"]
    # nothing is left out unsaid: the lock file, the JSON file and the hidden folder are listed
    assert {(e.path, e.reason) for e in result.skipped} == {
        (str(tmp_path / ".hidden"), "hidden folder, not searched"),
        (str(tmp_path / "b" / "~$d.docx"), "Word lock file (~$), not a report"),
        (str(tmp_path / "notes.json"), "not a report format (.json)"),
    }


def test_expand_glob_missing_and_dedup(tmp_path):
    make_tree(tmp_path)
    (tmp_path / "z.txt").write_text("x", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    no_match = str(tmp_path / "*.xml")
    result = expand_paths([tmp_path / "z.txt", str(tmp_path / "*.txt"), missing, no_match, tmp_path / "a.txt"])
    assert result == [tmp_path / "z.txt", tmp_path / "a.txt"]
    assert [str(e) for e in result.skipped] == [f"{missing}: no such file",
                                                f"{no_match}: no file matches this pattern"]


def test_expand_seed_dir_reads():
    files = expand_paths([str(SEEDS)])
    assert files == SEED_FILES
    assert all(f.suffix in SUPPORTED_SUFFIXES for f in files)


# --------------------------------------------------------------------------- document titles

SHARED_FILES = Path(__file__).parents[2] / "shared" / "corpora" / "files"


def test_real_pdf_title_in_source_meta():
    path = SHARED_FILES / "洪泽区_2023.pdf"
    if not path.is_file():
        pytest.skip("shared corpus not present")
    doc = read_file(path)
    assert doc.source_meta == {"title": "洪泽区人民政府2023年政府信息公开工作年度报告"}
    assert "一、总体情况" in doc.text


def test_ascii_pdf_title_left_out(tmp_path):
    from reportlab.pdfgen import canvas

    for title, expected in (("Microsoft Word - 1.docx", {}), ("某县2021年年报", {"title": "某县2021年年报"})):
        path = tmp_path / "t.pdf"
        c = canvas.Canvas(str(path))
        c.setTitle(title)
        c.drawString(72, 700, "2021 annual report")
        c.showPage()
        c.save()
        assert read_file(path).source_meta == expected
