"""From a file (or a folder of them) to segmented :class:`~nlp.model.Report` objects.

ingest (decode) → segment (sections, parts, items, sentences) → metadata. A batch never stops
on one bad file: it returns the reports it could read and an :class:`IngestError` per path it
skipped — files that could not be read or are not reports, and every other file met in a folder
(other formats, hidden and lock files, broken links, empty folders: see
:mod:`nlp.ingest.files`) — so the caller can say what was left out.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from nlp.ingest.metadata import extract_metadata
from nlp.ingest.readers import IngestError, expand_paths, read_file
from nlp.model import NUMBERED_SECTIONS, Report
from nlp.segment import segment

__all__ = ["NotAReportError", "load_report", "load_reports", "parse_report"]


class NotAReportError(IngestError):
    """The text decodes but is not a 政府信息公开工作年度报告."""


def parse_report(text: str, path: str | None = None, *, format: str = "txt",
                 encoding: str | None = None, source_meta: dict | None = None) -> Report:
    """Segment ``text`` into a Report (raises NotAReportError when it has no report outline).

    ``source_meta`` is what the file said about the report outside its text (a web page's
    title, 发布时间, 来源…: ``nlp.ingest.readers.SOURCE_META_KEYS``), evidence for the metadata."""
    if not text.strip():
        raise IngestError(path or "<text>", "empty file")
    sections, warnings = segment(text)
    found = {s.id for s in sections} & set(NUMBERED_SECTIONS)
    if len(found) < 2 and not ("信息公开" in text and found):
        raise NotAReportError(
            path or "<text>",
            "not a 政府信息公开工作年度报告: no numbered report sections "
            "(一、总体情况 … 六、其他需要报告的事项) were found")
    closing = next((s for s in sections if s.id == "closing"), None)
    body = next((s for s in sections if s.id not in ("page_chrome", "preamble")), None)  # 一、总体情况
    tail_chrome = sections[-1] if sections[-1].id == "page_chrome" and sections[-1].start > 0 else None
    meta = extract_metadata(text, preamble_end=body.start if body else None,
                            closing_start=closing.start if closing else None,
                            text_end=tail_chrome.start if tail_chrome else None,
                            source_meta=source_meta, warnings=warnings)
    return Report(text=text, path=path, format=format, encoding=encoding, meta=meta,
                  sections=sections, warnings=warnings, source_meta=dict(source_meta or {}))


def load_report(path: str | Path) -> Report:
    """Read, decode and segment one report file (.txt in any encoding, .html, .docx, .rtf, .pdf)."""
    decoded = read_file(path)
    report = parse_report(decoded.text, str(path), format=decoded.format, encoding=decoded.encoding,
                          source_meta=decoded.source_meta)
    report.warnings[:0] = decoded.warnings
    return report


def load_safely(path: str | Path) -> Report | IngestError:
    """A report, or the error that says why this file cannot be one (never raises)."""
    try:
        return load_report(path)
    except IngestError as err:
        return err
    except Exception as err:  # a reader library failing in a way we did not foresee
        return IngestError(path, f"{type(err).__name__}: {err}")


def load_chunk(paths: list) -> list:
    """``load_safely`` of each path (one task of a process pool)."""
    return [load_safely(p) for p in paths]


def load_reports(inputs: Iterable[str | Path] | str | Path,
                 progress: Callable[[Iterable], Iterable] | None = None, workers: int = 1,
                 ) -> tuple[list[Report], list[IngestError]]:
    """Load every report in files, folders or globs; every path not read is returned as skipped.

    ``workers > 1`` reads in that many processes (order is kept). The skipped list has the paths
    the folder walk left out first (in walk order), then the files that failed to load.
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    paths = expand_paths(inputs)
    if workers > 1 and len(paths) > 50:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            # chunks of 64 paths, awaited in order: a list the progress bar can count
            futures = [pool.submit(load_chunk, paths[k:k + 64]) for k in range(0, len(paths), 64)]
            results = [r for f in (progress(futures) if progress else futures) for r in f.result()]
    else:
        results = [load_safely(p) for p in (progress(paths) if progress else paths)]
    reports = [r for r in results if isinstance(r, Report)]
    return reports, [*paths.skipped, *(r for r in results if not isinstance(r, Report))]
