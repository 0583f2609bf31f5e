"""Office documents: .docx (python-docx) and .rtf (striprtf); legacy .doc/.wps are refused.

The document's title (core properties) is ``source_meta["title"]`` when it has Chinese in it
(templates leave it empty or ASCII). Tables come out as one line per row, cells tab-joined, a merged cell once: the same shape every
reader gives tables, so the table parser sees one layout whatever the source format.

Legacy Word/WPS files (OLE compound documents) have no maintained pure-Python reader; rather than
guess at their text, they are skipped with :data:`LEGACY_WORD_REASON`, which says how to convert
them.
"""
from __future__ import annotations

import io
import re
from typing import Iterator

from nlp.ingest.base import Decoded, IngestError
from nlp.ingest.text import HAN

__all__ = ["read_docx", "read_rtf", "LEGACY_WORD_REASON", "OLE_MAGIC"]

#: Why a .doc/.wps file is skipped, and what to do about it.
LEGACY_WORD_REASON = ("legacy Word/WPS file: convert it to .docx "
                      "(e.g. libreoffice --headless --convert-to docx FILE)")
#: First bytes of an OLE compound file (.doc, .wps, .xls, .ppt).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _docx_blocks(parent) -> Iterator:
    """Body-level w:p / w:tbl elements in document order, looking inside content controls."""
    from docx.oxml.ns import qn

    for child in parent.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _docx_blocks(child)


def read_docx(data: bytes, path: str) -> Decoded:
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
    title = " ".join((doc.core_properties.title or "").split())
    return Decoded("\n".join(lines), "docx", None,
                   source_meta={"title": title} if HAN.search(title) else {})


# --------------------------------------------------------------------------- rtf

# A table cell ends with \cell (\nestcell inside a nested table); striprtf would print "|", which
# cannot be told from a "|" in the text, so cells become tabs first (\cellx is another word).
_RTF_CELL = re.compile(rb"\\(?:nest)?cell(?![a-zA-Z]) ?")  # with its delimiting space


def read_rtf(data: bytes, path: str) -> Decoded:
    """Rich Text: striprtf follows the file's code page (\\ansicpg936 for GBK) and \\uN escapes."""
    from striprtf.striprtf import rtf_to_text

    if not data.lstrip().startswith(b"{\\rtf"):
        raise IngestError(path, "unreadable RTF: it does not start with {\\rtf")
    try:
        raw = _RTF_CELL.sub(rb"\\tab ", data).decode("latin-1")  # RTF is 7-bit; escapes carry the rest
        text = rtf_to_text(raw, errors="replace")
    except Exception as e:  # striprtf raises bare IndexError/LookupError on odd files
        raise IngestError(path, f"unreadable RTF: {type(e).__name__}: {e}") from None
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.rstrip(" ")
        # every cell ends with \cell, so a row ends with one tab too many (earlier empty cells stay)
        line = line[:-1] if line.endswith("\t") else line
        if line.strip():
            lines.append(line)
    if not lines:
        raise IngestError(path, "RTF has no text")
    return Decoded("\n".join(lines), "rtf", None)
