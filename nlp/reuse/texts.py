"""Report texts on disk, read back by character span: what streamed detection keeps of them.

A passage, a family's canonical sentence or a leak's context is a slice of a report's text; the
texts themselves are the largest thing a corpus-wide reuse result would otherwise hold (≈ 1 GB
of Python strings at 100,000 generated reports, in the parent and in every forked worker of
``govnlp report``). :class:`ReportTexts` writes each text once to an anonymous temporary file
in a fixed width (UTF-16 when every character is in the Basic Multilingual Plane, as in
practically every report; else UTF-32), so character offsets are byte offsets and a slice is
one positioned read. The page cache, not the process, holds what is read often.
"""
from __future__ import annotations

import os
import tempfile
import threading
from array import array

#: Bytes per character of each width code, and its codec.
_CODECS = {2: "utf-16-le", 4: "utf-32-le"}


class ReportTexts:
    """Append-only store of report texts: ``add(text)`` gives the next number, ``span(d, a, b)``
    is ``text_d[a:b]``, ``text(d)`` the whole text. Readable from forked processes (positioned
    reads share no file offset); not picklable (the file is anonymous)."""

    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        # unbuffered: what is added is in the file at once, for this process and forked ones
        self._file = tempfile.TemporaryFile(prefix="govnlp-texts-", dir=folder, buffering=0)
        self._offset = array("q")  # byte offset of each text
        self._length = array("q")  # its length in characters
        self._width = array("b")  # bytes per character: 2 or 4
        self._end = 0
        self._lock = threading.Lock()  # seek + write, and seek + read where there is no pread

    def __len__(self) -> int:
        return len(self._offset)

    def add(self, text: str) -> int:
        try:
            data, width = text.encode("utf-16-le"), 2
        except UnicodeEncodeError:  # a surrogate code point: kept as it is, one per 4 bytes
            data, width = b"", 4
        if len(data) != 2 * len(text):  # or a character outside the BMP, which UTF-16 pairs
            data, width = text.encode("utf-32-le", "surrogatepass"), 4
        with self._lock:
            self._file.seek(self._end)
            view = memoryview(data)
            while view:  # a raw write may take less than it is given
                view = view[self._file.write(view):]
        self._offset.append(self._end)
        self._length.append(len(text))
        self._width.append(width)
        self._end += len(data)
        return len(self._offset) - 1

    def span(self, d: int, start: int, end: int) -> str:
        """``text[start:end]`` of text ``d`` (Python slice rules for 0 ≤ start, end)."""
        n, w = self._length[d], self._width[d]
        start, end = min(max(start, 0), n), min(max(end, 0), n)
        if end <= start:
            return ""
        return self._read(self._offset[d] + start * w, (end - start) * w).decode(
            _CODECS[w], "surrogatepass")

    def text(self, d: int) -> str:
        return self.span(d, 0, self._length[d])

    def length(self, d: int) -> int:
        return self._length[d]

    def _read(self, offset: int, size: int) -> bytes:
        if hasattr(os, "pread"):
            parts, fd = [], self._file.fileno()
            while size > 0:  # a positioned read, like a raw write, may take less than asked
                part = os.pread(fd, size, offset)
                if not part:
                    break
                parts.append(part)
                offset, size = offset + len(part), size - len(part)
            return b"".join(parts)
        with self._lock:
            self._file.seek(offset)
            return self._file.read(size)

    def close(self) -> None:
        self._file.close()

    def __reduce__(self):
        raise TypeError("ReportTexts lives in an anonymous temporary file: it cannot be pickled")
