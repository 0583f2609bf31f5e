"""What every reader returns or raises: :class:`Decoded` and the one-line :class:`IngestError`.

Every bad input raises :class:`IngestError` with a one-line message, so a batch can report
"path: reason" and carry on instead of dying on a traceback.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

__all__ = ["IngestError", "Decoded", "SOURCE_META_KEYS"]


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
    the source says about the report (``SOURCE_META_KEYS``; values as written, unparsed).

    ``format`` is one of txt, html, docx, rtf, pdf, pdf-ocr (a PDF any page of which was read
    by OCR); ``warnings`` are one-line notes the report carries (e.g. "pages 1-3 read by OCR").
    """

    text: str
    format: str
    encoding: str | None
    source_meta: dict = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
