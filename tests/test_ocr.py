"""Scanned PDFs read by OCR (offline RapidOCR), and encrypted PDFs read without it.

The scanned PDF is made here: the first lines of a seed report (narrative, headings and the
start of table 二 with its cells apart) drawn as an image with the Noto CJK font, wrapped in a
PDF that has no text layer at all.
"""
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import re
import unicodedata
from pathlib import Path

import pytest

from nlp.ingest.readers import IngestError, read_file
from nlp.load import parse_report
from scans import draw_pages, write_scanned_pdf

import rapidocr_onnxruntime  # noqa: F401,E402  (the ocr extra, in dev: make test installs it)

SEED = next((Path(__file__).parents[1] / "corpora" / "seeds").glob("000_*.txt"))

def source_lines() -> list[str]:
    """The seed's first lines up to heading 二 and its first table: the table's cells (one per
    line in the seed) regrouped into rows of four, as the printed table has them."""
    lines = [ln.strip() for ln in SEED.read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    end = lines.index("二、主动公开政府信息情况") + 2  # the heading and the table's title row
    cells = lines[end:end + 12]
    assert cells[0] == "信息内容" and cells[4] == "规章"
    return lines[:end] + ["\t".join(cells[k:k + 4]) for k in range(0, 12, 4)]


@pytest.fixture(scope="module")
def scanned_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("scan") / "scanned.pdf"
    write_scanned_pdf(source_lines(), path)
    return path


@pytest.fixture(scope="module")
def ocr_doc(scanned_pdf):
    return read_file(scanned_pdf)  # OCR once for the tests below (seconds a page)


def squash(text: str) -> str:
    # Full-width and half-width forms are one character to a reader (（ vs ( from OCR).
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_scanned_pdf_has_no_text_layer(scanned_pdf):
    import pdfplumber

    with pdfplumber.open(scanned_pdf) as pdf:
        assert len(pdf.pages) == 2
        assert not "".join(p.extract_text() or "" for p in pdf.pages).strip()


@pytest.mark.slow  # RapidOCR over rendered pages (~9 s here)
def test_scanned_pdf_read_by_ocr(ocr_doc):
    from rapidfuzz import fuzz

    doc = ocr_doc
    assert doc.format == "pdf-ocr"
    assert doc.warnings == ("pages 1-2 read by OCR",)
    accuracy = fuzz.ratio(squash(doc.text), squash("".join(source_lines()))) / 100
    assert accuracy >= 0.95, accuracy
    # the table rows keep their cells apart
    assert "信息内容\t本年制发件数\t本年废止件数\t现行有效件数" in doc.text.split("\n")


@pytest.mark.slow  # RapidOCR over rendered pages (~9 s here)
def test_scanned_report_segments(scanned_pdf, ocr_doc):
    report = parse_report(ocr_doc.text, str(scanned_pdf), format=ocr_doc.format)
    ids = [s.id for s in report.sections]
    assert ids[:3] == ["preamble", "overview", "proactive"]
    overview, proactive = report.section("overview"), report.section("proactive")
    assert report.text[overview.start:overview.heading_end] == "一、总体情况"
    assert report.text[proactive.start:proactive.heading_end] == "二、主动公开政府信息情况"
    assert [p.marker + p.title for p in overview.parts] == [
        "（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障"]
    for part in overview.parts:
        assert report.text[part.start:].startswith(part.marker + part.title)


def test_scanned_pdf_without_ocr_extra(scanned_pdf, monkeypatch):
    import nlp.ingest.pdf as pdf

    monkeypatch.setattr(pdf, "ocr_available", lambda: False)
    with pytest.raises(IngestError) as info:
        read_file(scanned_pdf)
    assert info.value.reason == ("PDF has no text layer (a scanned image?); "
                                 "install the OCR extra: pip install 'govnlp[ocr]'")


# --------------------------------------------------------------------------- encryption

def encrypted_pdf(path: Path, user: str) -> None:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    enc = pdfencrypt.StandardEncryption(user, ownerPassword="owner-secret", canPrint=1, canCopy=0)
    c = canvas.Canvas(str(path), encrypt=enc)
    c.setFont("STSong-Light", 12)
    for i, line in enumerate(["某县人民政府2021年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况"]):
        c.drawString(72, 760 - 24 * i, line)
    c.showPage()
    c.save()


def test_owner_password_pdf_is_read_without_ocr(tmp_path, monkeypatch):
    import nlp.ingest.pdf as pdf

    path = tmp_path / "owner-only.pdf"
    encrypted_pdf(path, user="")
    monkeypatch.setattr(pdf, "_ocr", lambda *a: pytest.fail("an owner-password PDF has a text layer"))
    doc = read_file(path)
    assert (doc.format, doc.warnings) == ("pdf", ())
    assert doc.text.split("\n") == ["某县人民政府2021年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况"]


def test_user_password_pdf_one_line_error(tmp_path):
    path = tmp_path / "locked.pdf"
    encrypted_pdf(path, user="open-sesame")
    with pytest.raises(IngestError) as info:
        read_file(path)
    assert str(info.value) == f"{path}: unreadable PDF: encrypted (password required)"


# --------------------------------------------------------------------------- mixed PDFs, lines

def mixed_pdf(path: Path) -> list[str]:
    """Page 1 with a text layer, page 2 a scanned image of the next lines of the seed."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    lines = source_lines()
    typed, scanned = lines[1:3], lines[3:6]  # 一、总体情况 and its first paragraph; then 3 lines
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    for i, line in enumerate(typed):
        c.drawString(72, 760 - 24 * i, line[:30])
    c.showPage()
    image = draw_pages(scanned)[0]
    c.drawImage(ImageReader(image.convert("RGB")), 0, 0, width=595, height=842)
    c.showPage()
    c.save()
    return [line[:30] for line in typed] + scanned


@pytest.mark.slow  # RapidOCR on a rendered page
def test_mixed_pdf_ocr_only_the_scanned_page(tmp_path):
    from rapidfuzz import fuzz

    path = tmp_path / "mixed.pdf"
    expected = mixed_pdf(path)
    doc = read_file(path)
    assert (doc.format, doc.warnings) == ("pdf-ocr", ("page 2 read by OCR",))
    lines = doc.text.split("\n")
    assert lines[:2] == expected[:2]  # the text layer, as is
    assert fuzz.ratio(squash("".join(lines[2:])), squash("".join(expected[2:]))) >= 95


def test_mixed_pdf_without_ocr_keeps_the_text_and_warns(tmp_path, monkeypatch):
    import nlp.ingest.pdf as pdf

    path = tmp_path / "mixed.pdf"
    expected = mixed_pdf(path)
    monkeypatch.setattr(pdf, "ocr_available", lambda: False)
    doc = read_file(path)
    assert doc.text.split("\n") == expected[:2]
    assert doc.format == "pdf"
    assert doc.warnings == ("page 2 not read (no text layer); install the OCR extra: pip install 'govnlp[ocr]'",)


def test_boxes_to_lines_rows_and_cells():
    from nlp.ingest.ocr import boxes_to_lines

    def box(x0, y0, x1, y1, text):
        return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1]], text, 0.99]

    result = [  # out of order, as a detector may return them
        box(300, 102, 360, 128, "本年制发件数"), box(20, 100, 120, 130, "信息内容"),
        box(20, 40, 400, 70, "一、总体情况"), box(405, 42, 470, 68, "2021"),
        box(20, 160, 60, 190, "规章"), box(300, 161, 320, 189, "0"),
    ]
    assert boxes_to_lines(result) == ["一、总体情况2021", "信息内容\t本年制发件数", "规章\t0"]
