"""File readers: turn a report file (txt / docx / pdf / html) into its text.

Every bad input raises :class:`IngestError` with a one-line message, so a batch
can report "path: reason" and carry on instead of dying on a traceback.
"""
from __future__ import annotations

import codecs
import glob
import io
import logging
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

__all__ = ["IngestError", "Decoded", "SOURCE_META_KEYS", "read_file", "decode_bytes", "expand_paths", "SUPPORTED_SUFFIXES"]

_TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
_HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml"})
SUPPORTED_SUFFIXES: frozenset[str] = _TEXT_SUFFIXES | _HTML_SUFFIXES | {".docx", ".pdf"}

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_GB_NAMES = frozenset({"gb2312", "gbk", "gb18030"})  # canonical names: cp936, euc_cn, ms936 map onto these
# CJK ideographs, CJK punctuation and full-width forms: what Chinese report text is made of.
_CJK_CLASS = "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
_CJK = re.compile(_CJK_CLASS)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # never in text files, common in binary ones
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# pdfminer logs a warning for every odd-but-harmless PDF construct; they drown batch output.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


class IngestError(Exception):
    """Bad input, one clear line: str(e) == f"{path}: {reason}"."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = str(path)
        self.reason = " ".join(str(reason).split())  # one line, whatever the library said
        super().__init__(f"{self.path}: {self.reason}")

    def __reduce__(self):  # pickle with both arguments (dask ships errors between processes)
        return (type(self), (self.path, self.reason))


#: What a source may say about the report outside its text, the keys of ``Decoded.source_meta``:
#: page or document title, 发布时间 (publication time), 来源/发布机构 (publisher), 索引号, 成文日期.
SOURCE_META_KEYS = ("title", "published", "publisher", "index_no", "written")


@dataclass(frozen=True)
class Decoded:
    """The text of one report, its source format, (for txt/html) the encoding used, and what
    the source says about the report (``SOURCE_META_KEYS``; values as written, unparsed)."""

    text: str
    format: str
    encoding: str | None
    source_meta: dict = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def _cjk_share(text: str) -> float:
    """Share of non-ASCII characters that are CJK: high for real Chinese, low for mojibake."""
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return len(_CJK.findall(text)) / non_ascii if non_ascii else 0.0


def _norm_codec(name: str) -> str | None:
    """Python's canonical codec name, with every GB flavour widened to gb18030 (a superset)."""
    try:
        canonical = codecs.lookup(name).name
    except LookupError:  # e.g. "x-gbk" in a meta tag
        return "gb18030" if "gb" in name.lower() else None
    return "gb18030" if canonical in _GB_NAMES else canonical


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-16 is the only text that is full of NUL bytes; accept it if it reads as Chinese/ASCII."""
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        texty = sum(1 for ch in text if ch in "\t\n\r" or " " <= ch <= "~") + len(_CJK.findall(text))
        if text and texty / len(text) > 0.95 and not _CONTROLS.search(text):
            return text, enc
    return None


def decode_bytes(data: bytes, path: str = "<bytes>", *, hint: str | None = None) -> tuple[str, str]:
    """Decode report bytes to (text, encoding) for txt and html.

    Cheap checks first (BOM, strict UTF-8) because nearly every file is UTF-8;
    only then an optional declared ``hint`` (an HTML meta charset), then
    charset-normalizer. A leading BOM character is removed; newlines are kept.
    """
    if not data.strip():
        raise IngestError(path, "empty file" if not data else "empty file (only whitespace)")
    text: str | None = None
    enc = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text, enc = data.decode(name), name
            except UnicodeDecodeError as e:
                raise IngestError(path, f"invalid {name.upper()} data after its byte-order mark ({e.reason})") from None
            break
    if text is None:
        if b"\x00" in data:
            found = _utf16_without_bom(data)
            if found is None:
                raise IngestError(path, "binary file, not text (contains NUL bytes)")
            text, enc = found
        else:
            try:
                text, enc = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                text, enc = _detect(data, path, hint)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise IngestError(path, "empty file (only whitespace)" if text else "empty file")
    return text, enc


def _detect(data: bytes, path: str, hint: str | None) -> tuple[str, str]:
    """Slow path for non-UTF-8 bytes: declared charset, then charset-normalizer, GB-biased."""
    if hint and (codec := _norm_codec(hint)) and codec != "utf-8":
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            pass  # the declaration lies; detect instead
    import charset_normalizer  # imported lazily: only non-UTF-8 files pay for it

    best = charset_normalizer.from_bytes(data).best()
    guess = _norm_codec(best.encoding) if best is not None else None
    text = data.decode(guess, errors="replace") if guess else None
    if guess != "gb18030":
        # Short GBK text is often mistaken for cp949/big5/latin; these are Chinese reports, so
        # prefer GB18030 when it decodes cleanly and reads as more Chinese than the guess.
        try:
            gb = data.decode("gb18030")
        except UnicodeDecodeError:
            gb = None
        if gb is not None and not _CONTROLS.search(gb) and _cjk_share(gb) > 0.8 and (
                text is None or _cjk_share(gb) > _cjk_share(text)):
            return gb, "gb18030"
    if text is None or guess is None or _CONTROLS.search(text):
        raise IngestError(path, "binary file, not text (no text encoding found)")
    return text, guess


def _read_txt(data: bytes, path: str) -> Decoded:
    """Plain text: just decode."""
    text, enc = decode_bytes(data, path)
    return Decoded(text, "txt", enc)


# --------------------------------------------------------------------------- docx

def _docx_blocks(parent) -> Iterator:
    """Body-level w:p / w:tbl elements in document order, looking inside content controls."""
    from docx.oxml.ns import qn

    for child in parent.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _docx_blocks(child)


def _read_docx(data: bytes, path: str) -> Decoded:
    """Paragraphs and tables in body order (not all paragraphs, then all tables)."""
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for el in _docx_blocks(doc.element.body):
            if el.tag == qn("w:p"):
                text = Paragraph(el, doc).text
                if text.strip():
                    lines.append(text.rstrip())
                continue
            for row in Table(el, doc).rows:
                cells, last = [], None
                for cell in row.cells:
                    if cell._tc is not last:  # a merged cell is repeated once per grid column it spans
                        cells.append(" ".join(cell.text.split()))  # one line per row
                    last = cell._tc
                if any(cells):
                    lines.append("\t".join(cells))
    except Exception as e:  # zipfile, lxml, KeyError, python-docx's own: all mean "not a usable docx"
        raise IngestError(path, f"unreadable DOCX: {type(e).__name__}: {e}") from None
    if not lines:
        raise IngestError(path, "DOCX has no text")
    return Decoded("\n".join(lines), "docx", None)


# --------------------------------------------------------------------------- pdf

def _read_pdf(data: bytes, path: str) -> Decoded:
    """The PDF's text layer, pages joined with newlines; no OCR."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as e:
        # pdfplumber wraps pdfminer's errors; report the real one.
        inner = e.args[0] if e.args and isinstance(e.args[0], BaseException) else e
        if type(inner).__name__ in {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"}:
            raise IngestError(path, "unreadable PDF: encrypted (password required)") from None
        raise IngestError(path, f"unreadable PDF: {type(inner).__name__}: {inner}") from None
    text = "\n".join(pages)
    if not text.strip():
        raise IngestError(path, "PDF has no text layer (a scanned image?); run OCR first")
    # Fonts without a Unicode map come out as "(cid:123)" runs: text we cannot use.
    if sum(len(m) for m in re.findall(r"\(cid:\d+\)", text)) > 0.5 * len(text):
        raise IngestError(path, "PDF text layer has no Unicode mapping ((cid:N) glyphs); run OCR first")
    return Decoded(text, "pdf", None)


# --------------------------------------------------------------------------- html

# Article containers of the CMSs Chinese government sites run on (TRS, UCAP, ...), most specific first.
_CONTAINERS = (
    "div.TRS_Editor", "div.TRS_UEDITOR", "#zoom", "#Zoom", "div.zoom", "#UCAP-CONTENT", "div.pages_content",
    "div.article", "div.content", "article", "div#content", "div.view",
)
_DROP = ("script", "style", "nav", "header", "footer", "noscript", "template", "iframe", "svg", "select",
         "button", "textarea")
_BLOCKS = frozenset({
    "p", "div", "section", "article", "main", "aside", "blockquote", "pre", "address", "center", "ul", "ol",
    "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "hr", "body", "form",
    "tbody", "thead", "tfoot", "caption", "fieldset",
})
_DESCEND = ["div", "section", "article", "main", "form", "center", "table", "tbody", "tr", "td"]
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_WS = "[ \t\r\n\f\u00a0\u3000]"


def _clean(text: str) -> str:
    """Collapse HTML whitespace; a source line break between two CJK characters is no space."""
    text = re.sub(f"(?<={_CJK_CLASS}){_WS}*\n{_WS}*(?={_CJK_CLASS})", "", text)
    return re.sub(f"{_WS}+", " ", text).strip()


def _cjk_count(el) -> int:
    """Han characters in an element, not counting link text (menus and link lists are chrome)."""
    total = len(_HAN.findall(el.get_text()))
    return total - sum(len(_HAN.findall(a.get_text())) for a in el.find_all("a"))


def _pick_body(soup):
    """The article container: a known CMS container holding most of the text, else the
    tightest block element holding most of the page's Han text."""
    root = soup.body or soup
    total = _cjk_count(root)
    for selector in _CONTAINERS:
        matches = soup.select(selector)
        score, best = max(((_cjk_count(m), i) for i, m in enumerate(matches)), default=(0, -1))
        if score > 0 and score >= 0.3 * total:
            return matches[best]
    node, here = root, total
    while True:  # descend while one child block still holds most of the text
        kids = [(k, _cjk_count(k)) for k in node.find_all(_DESCEND, recursive=False)]
        child, score = max(kids, key=lambda kv: kv[1], default=(None, 0))
        if child is None or here == 0 or score < 0.7 * here:
            return node
        node, here = child, score


def _html_lines(node) -> list[str]:
    """One line per paragraph/block; a data table gives one line per row, cells tab-joined."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = _clean("".join(buf))
        if line:
            lines.append(line)
        buf.clear()

    def table(el: Tag) -> None:
        rows = [tr for tr in el.find_all("tr") if tr.find_parent("table") is el]
        cells_by_row = [tr.find_all(["td", "th"], recursive=False) for tr in rows]
        # A layout table (whole page in one cell, or tables inside cells) is walked as blocks.
        if sum(len(c) for c in cells_by_row) <= 1 or any(c.find("table") for r in cells_by_row for c in r):
            walk(el)
            return
        for cells in cells_by_row:
            texts = [_clean(c.get_text(" ")) for c in cells]
            if any(texts):
                lines.append("\t".join(texts))

    def walk(el: Tag) -> None:
        for child in el.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString):  # comments, doctype, CDATA
                    buf.append(str(child))
            elif child.name == "br":
                flush()
            elif child.name == "table":
                flush()
                table(child)
            elif child.name in _BLOCKS or child.name in ("tr", "td", "th"):
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(node)
    flush()
    return lines


def _read_html(data: bytes, path: str) -> Decoded:
    """Article text of a saved government web page, without menus, scripts and footers."""
    from bs4 import BeautifulSoup

    declared = _META_CHARSET.search(data[:4096])
    text, enc = decode_bytes(data, path, hint=declared.group(1).decode("ascii") if declared else None)
    soup = BeautifulSoup(text, "html.parser")
    for el in soup.find_all(_DROP):
        el.decompose()
    total = _cjk_count(soup)
    for form in soup.find_all("form"):
        # ASP.NET sites wrap the whole page in one <form>: keep a form that holds the text.
        if not form.decomposed and _cjk_count(form) < 0.5 * total:
            form.decompose()
    lines = _html_lines(_pick_body(soup))
    if not lines:
        raise IngestError(path, "HTML has no body text")
    return Decoded("\n".join(lines), "html", enc)


# --------------------------------------------------------------------------- dispatch

def _sniff(data: bytes) -> str:
    """Format of a file with an unknown suffix, from its first bytes."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return "docx" if "word/document.xml" in z.namelist() else "zip"
        except zipfile.BadZipFile:
            return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return "html" if head.startswith((b"<html", b"<!doctype")) else "txt"


_READERS = {"txt": _read_txt, "docx": _read_docx, "pdf": _read_pdf, "html": _read_html}


def read_file(path: str | Path) -> Decoded:
    """Read one report file, dispatching on its suffix (or its magic bytes when the suffix is unknown)."""
    p, name = Path(path), str(path)
    try:
        if p.is_dir():
            raise IngestError(name, "is a directory, not a file")
        data = p.read_bytes()
    except FileNotFoundError:
        raise IngestError(name, "no such file") from None
    except PermissionError:
        raise IngestError(name, "permission denied") from None
    except OSError as e:
        raise IngestError(name, f"cannot read: {e.strerror or e}") from None
    suffix = p.suffix.lower()
    kind = ("txt" if suffix in _TEXT_SUFFIXES else "html" if suffix in _HTML_SUFFIXES
            else suffix[1:] if suffix in (".docx", ".pdf") else _sniff(data))
    if kind == "ole":
        raise IngestError(name, "binary file, not text (legacy .doc/.wps OLE file; save it as .docx)")
    if kind == "zip":
        raise IngestError(name, "binary file, not text (a ZIP archive that is not a .docx)")
    return _READERS[kind](data, name)


def _expand_dir(root: Path) -> list[Path]:
    """Every supported file below a directory, sorted; hidden files/folders and Word's
    "~$x.docx" lock files are never reports."""
    return sorted(f for f in root.rglob("*")
                  if f.suffix.lower() in SUPPORTED_SUFFIXES and not f.name.startswith("~$")
                  and not any(part.startswith(".") for part in f.relative_to(root).parts) and f.is_file())


def expand_paths(inputs: Iterable[str | Path]) -> list[Path]:
    """Files, directories and glob patterns to a de-duplicated file list, in input order.

    A missing path or a glob matching nothing is kept as is, so that read_file
    raises its clear "no such file" error and a batch reports it as skipped.
    """
    out: list[Path] = []
    seen: set[str] = set()
    for item in inputs:
        p = Path(item).expanduser()
        if p.is_dir():
            found = _expand_dir(p)
        elif p.exists() or not glob.has_magic(str(p)):
            found = [p]
        else:
            found = []
            for m in sorted(glob.glob(str(p), recursive=True)):
                mp = Path(m)
                found.extend(_expand_dir(mp) if mp.is_dir() else [mp])
            found = found or [p]
        for f in found:
            key = os.path.normcase(os.path.abspath(f))
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out
