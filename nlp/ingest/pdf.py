"""PDF reports: the text layer, and OCR for pages that have none.

Each page's text comes from pdfplumber (its layout keeps table rows on one line); a page it cannot
read, or reads as nothing or as "(cid:N)" glyph codes (fonts without a Unicode map), is taken from
PDFium's text layer instead (PDFium also opens PDFs encrypted with only an owner password, i.e.
an empty user password, which pdfplumber reads as glyph codes). A page with no usable text in
either is a scanned image: it is rendered at :data:`OCR_SCALE` and read by OCR
(:mod:`nlp.ingest.ocr`), with a progress bar on stderr for more than a couple of pages. The
report is then ``format == "pdf-ocr"`` and carries the warning "pages 1-3 read by OCR".

Without the OCR extra, a PDF with no text at all is refused ("PDF has no text layer (a scanned
image?); install the OCR extra: pip install 'govnlp[ocr]'"); one with some text keeps it and warns
which pages were not read. A PDF that needs a user password is refused in one line.

The document's Title (its Info dictionary) is ``source_meta["title"]`` when it has Chinese in it
(an export tool's own "Microsoft Word - 文档1" style titles without Han are left out).

Speed of OCR on the project's 2-core machine (shared with other jobs): 2-3 s for a sparse page,
7-26 s for a dense A4 page of 37 lines of 40 characters; the first page of a process also pays
for loading the models and ONNX Runtime's warm-up.
"""
from __future__ import annotations

import io
import re

from nlp.ingest.base import Decoded, IngestError
from nlp.ingest.ocr import INSTALL_HINT, image_lines, ocr_available
from nlp.ingest.text import HAN

__all__ = ["read_pdf", "OCR_SCALE", "page_ranges"]

#: Render scale for OCR (1.0 = 72 dpi): 2.5 is 180 dpi, where 10.5-pt body text is ~26 px high.
#: On the OCR test page (a 150-dpi scan of a seed report) 1.5, 2.0 and 2.5 read 99.8, 99.9 and
#: 99.9 % of the characters in about the same time (recognition, per character, dominates);
#: the larger scale leaves room for the small print of table cells in real scans.
OCR_SCALE = 2.5
#: A page whose text is more than this share "(cid:N)" codes has no usable text.
CID_SHARE = 0.5
_CID = re.compile(r"\(cid:\d+\)")
#: OCR'ing more pages than this shows a progress bar (a page takes seconds).
_BAR_PAGES = 3


def _usable(text: str | None) -> bool:
    if not text or not text.strip():
        return False
    return sum(len(m) for m in _CID.findall(text)) <= CID_SHARE * len(text)


def page_ranges(pages: list[int]) -> str:
    """0-based page indexes as "page 2" / "pages 1-3, 5"."""
    spans: list[list[int]] = []
    for p in sorted(pages):
        if spans and p == spans[-1][1] + 1:
            spans[-1][1] = p
        else:
            spans.append([p, p])
    text = ", ".join(f"{a + 1}" if a == b else f"{a + 1}-{b + 1}" for a, b in spans)
    return f"page{'s' if len(pages) > 1 else ''} {text}"


def _page_reader():
    """pdfplumber page -> text: ruled tables as rows when :mod:`nlp.ingest.pdf_tables` is there."""
    try:
        from nlp.ingest.pdf_tables import page_lines
    except ImportError:
        return lambda page: page.extract_text() or ""
    return lambda page: "\n".join(page_lines(page))


def _plumber_pages(data: bytes, n: int) -> list[str | None]:
    """pdfplumber's text per page; None for every page it cannot read."""
    import pdfplumber

    read = _page_reader()
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            out: list[str | None] = []
            for page in pdf.pages:
                try:
                    out.append(read(page))
                except Exception:  # one odd page: PDFium reads it instead
                    out.append(None)
            return out + [None] * (n - len(out))
    except Exception:  # encrypted or malformed for pdfminer, fine for PDFium
        return [None] * n


def _pdfium_text(page) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
    finally:
        textpage.close()


def _open(data: bytes, path: str):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise IngestError(path, "unreadable PDF: encrypted (password required)") from None
        raise IngestError(path, f"unreadable PDF: {e}") from None


def _ocr(doc, pages: list[int]) -> dict[int, str]:
    """OCR text of the given pages (rendered one at a time: a page image is ~10 MB)."""
    from nlp.progress import track

    out = {}
    for i in track(pages, "OCR of scanned pages", threshold=_BAR_PAGES):
        bitmap = doc[i].render(scale=OCR_SCALE)
        out[i] = "\n".join(image_lines(bitmap.to_pil()))
        bitmap.close()
    return out


def _title(doc) -> dict[str, str]:
    try:
        title = " ".join((doc.get_metadata_dict().get("Title") or "").split())
    except Exception:  # a broken Info dictionary is no reason to refuse the text
        return {}
    return {"title": title} if HAN.search(title) else {}


def read_pdf(data: bytes, path: str) -> Decoded:
    """Text of every page in order, pages joined with newlines (see the module doc)."""
    doc = _open(data, path)
    try:
        meta = _title(doc)
        n = len(doc)
        if n == 0:
            raise IngestError(path, "PDF has no pages")
        pages = _plumber_pages(data, n)
        scanned = []
        for i, text in enumerate(pages):
            if not _usable(text):
                text = _pdfium_text(doc[i])
                pages[i] = text if _usable(text) else None
                if pages[i] is None:
                    scanned.append(i)
        warnings, fmt = [], "pdf"
        if scanned and not ocr_available():
            if len(scanned) == n:
                raise IngestError(path, f"PDF has no text layer (a scanned image?); {INSTALL_HINT}")
            warnings.append(f"{page_ranges(scanned)} not read (no text layer); {INSTALL_HINT}")
        elif scanned:
            for i, text in _ocr(doc, scanned).items():
                pages[i] = text
            fmt = "pdf-ocr"
            warnings.append(f"{page_ranges(scanned)} read by OCR")
    finally:
        doc.close()
    text = "\n".join(p for p in pages if p)
    if not text.strip():
        raise IngestError(path, "PDF has no text layer, and OCR found no text in it (blank pages?)")
    return Decoded(text, fmt, None, source_meta=meta, warnings=tuple(warnings))
