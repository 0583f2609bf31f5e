"""File readers: turn a report file (txt / html / docx / rtf / pdf) into its text.

The public face of :mod:`nlp.ingest`; the work is done per format in
:mod:`~nlp.ingest.text` (decoding), :mod:`~nlp.ingest.html` (main content of saved web pages, with
what the page says about the report in ``Decoded.source_meta``), :mod:`~nlp.ingest.office`
(.docx, .rtf; legacy .doc/.wps refused with how to convert them), :mod:`~nlp.ingest.pdf` (text
layer, OCR for scanned pages with the ``ocr`` extra) and :mod:`~nlp.ingest.files` (which files a
folder holds, and why each other file is skipped).

Every bad input raises :class:`IngestError` with a one-line message, so a batch can report
"path: reason" and carry on instead of dying on a traceback.
"""
from __future__ import annotations

import io
import logging
import os
import zipfile
from pathlib import Path

from nlp.ingest.base import SOURCE_META_KEYS, Decoded, IngestError
from nlp.ingest.files import (HTML_SUFFIXES, LEGACY_WORD_SUFFIXES, SUPPORTED_SUFFIXES, TEXT_SUFFIXES,
                              ExpandedPaths, expand_paths, path_problem)
from nlp.ingest.office import LEGACY_WORD_REASON, OLE_MAGIC, read_docx, read_rtf
from nlp.ingest.text import decode_bytes, read_txt

__all__ = ["IngestError", "Decoded", "SOURCE_META_KEYS", "read_file", "decode_bytes", "expand_paths",
           "ExpandedPaths", "SUPPORTED_SUFFIXES"]

# pdfminer logs a warning for every odd-but-harmless PDF construct; they drown batch output.
logging.getLogger("pdfminer").setLevel(logging.ERROR)
# trafilatura logs "discarding data" and the like for pages it finds too short; we say it ourselves.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

#: Suffixes of files that are surely not reports (spreadsheets, archives, images, media): not
#: sniffed, so a spreadsheet is not mistaken for a legacy Word file.
_NOT_REPORTS = frozenset({
    ".xls", ".xlsx", ".xlsm", ".et", ".csv", ".ppt", ".pptx", ".dps", ".zip", ".rar", ".7z", ".gz",
    ".tar", ".bz2", ".xz", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".svg",
    ".mp3", ".mp4", ".avi", ".exe", ".dll", ".json", ".xml", ".ofd", ".odt", ".pages",
})


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
    if data.startswith(OLE_MAGIC):
        return "ole"
    if data.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return "html" if head.startswith((b"<html", b"<!doctype")) else "txt"


def _read_html(data: bytes, path: str) -> Decoded:
    from nlp.ingest.html import read_html  # lazily: trafilatura takes a moment to import

    return read_html(data, path)


def _read_pdf(data: bytes, path: str) -> Decoded:
    from nlp.ingest.pdf import read_pdf

    return read_pdf(data, path)


_READERS = {"txt": read_txt, "docx": read_docx, "rtf": read_rtf, "pdf": _read_pdf, "html": _read_html}


def read_file(path: str | os.PathLike[str]) -> Decoded:
    """Read one report file, dispatching on its suffix (or its magic bytes when the suffix is unknown)."""
    p, name = Path(path), os.fspath(path)
    problem = path_problem(p)  # before opening: a FIFO would block, a loop would raise
    if problem is not None:
        raise IngestError(name, problem)
    try:
        data = p.read_bytes()
    except PermissionError:
        raise IngestError(name, "permission denied") from None
    except OSError as e:
        raise IngestError(name, f"cannot read: {e.strerror or e}") from None
    suffix = p.suffix.lower()
    if suffix in _NOT_REPORTS:
        raise IngestError(name, f"not a report format ({suffix})")
    if suffix in LEGACY_WORD_SUFFIXES:
        raise IngestError(name, LEGACY_WORD_REASON)
    kind = ("txt" if suffix in TEXT_SUFFIXES else "html" if suffix in HTML_SUFFIXES
            else suffix[1:] if suffix in (".docx", ".pdf", ".rtf") else _sniff(data))
    if kind == "ole":
        raise IngestError(name, LEGACY_WORD_REASON)
    if kind == "zip":
        raise IngestError(name, "not a report format (a ZIP archive that is not a .docx)")
    return _READERS[kind](data, name)
