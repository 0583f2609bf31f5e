"""``govnlp summarize`` in bounded memory: reports read a chunk at a time, rows written as they come.

Two passes over the files, each holding one chunk of Reports a process (``workers`` forked
processes, ``nlp.forked``): the first fits the keyword IDF (document frequencies of each chunk,
``KeywordExtractor.count_documents``, added up) and learns which files read; reuse comes from
``nlp.reuse.stream.detect_stream`` (shards on disk); the second computes each chunk's rows
(``summarize.batch_summary``) and writes them: csv/jsonl appended to the output (stdout, or a
temp file installed whole by ``nlp.atomic``), parquet/xlsx through a jsonl part file converted
at the end. Rows are in file order, as ``summary_rows`` over ``load_reports`` gives them.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator, TextIO

from nlp.ingest.readers import IngestError
from nlp.model import Report

#: Reports per chunk: as ``nlp.offices.BATCH_REPORTS`` (a chunk's Reports ≈ 135 KB each stay
#: far below 1 GB; per-chunk costs are a DataFrame and a write).
CHUNK_REPORTS = 200


def read_chunks(paths: list, size: int = CHUNK_REPORTS, errors: list | None = None,
                progress: Callable[[Iterable], Iterable] | None = None) -> Iterator[list[Report]]:
    """The Reports of ``paths`` in order, ``size`` files at a time; files that cannot be read are
    appended to ``errors``."""
    from nlp.load import load_safely

    chunks = [paths[k:k + size] for k in range(0, len(paths), size)]
    for chunk in (progress(chunks) if progress else chunks):
        batch = []
        for p in chunk:
            r = load_safely(p)
            if isinstance(r, IngestError):
                if errors is not None:
                    errors.append(r)
            else:
                batch.append(r)
        yield batch


#: What the forked workers of ``summary_chunks`` read besides their chunk (``nlp.forked``).
_STATE: dict = {}


def _chunks(paths: list, size: int) -> list[tuple[list]]:
    return [(paths[k:k + size],) for k in range(0, len(paths), size)]


def _read(paths: list) -> tuple[list[Report], list]:
    """The Reports of ``paths`` that read, and an IngestError for each that did not."""
    errors: list = []
    return next(read_chunks(paths, max(1, len(paths)), errors), []), errors


def _count_chunk(paths: list):
    """A worker's share of the keyword IDF: its files that read, those that did not, and the
    document frequencies of their sections (``KeywordExtractor.count_documents``)."""
    from nlp.summarize.keywords import KeywordExtractor, iter_documents

    batch, errors = _read(paths)
    counts = KeywordExtractor("tfidf").count_documents(iter_documents(batch))
    return [str(r.path) for r in batch], errors, counts


def readable(paths: list, size: int = CHUNK_REPORTS, errors: list | None = None,
             progress: Callable[[Iterable], Iterable] | None = None, workers: int = 1):
    """(fitted TF-IDF KeywordExtractor, the paths that read) in one pass over ``paths``,
    ``size`` files a task in ``workers`` processes (the same IDF: shares add up)."""
    from nlp.forked import forked_map
    from nlp.summarize.keywords import KeywordExtractor

    ok: list[str] = []

    def shares():
        for read, failed, counts in forked_map(_count_chunk, _chunks(paths, size), workers,
                                               progress):
            ok.extend(read)
            if errors is not None:
                errors.extend(failed)
            yield counts
    extractor = KeywordExtractor("tfidf").fit_counts(shares())
    return extractor, ok


def _summary_chunk(paths: list):
    """A worker's chunk of summary rows (``summarize.batch_summary``) and its unread files."""
    from nlp.summarize import batch_summary

    batch, errors = _read(paths)
    s = _STATE
    return batch_summary(batch, s["extractor"], s["section"], s["spans_of"], s["classifier"],
                         n=s["n"]), errors


def summary_chunks(paths: list, extractor, section=None, reuse=None, classifier=None, *,
                   n: int = 3, size: int = CHUNK_REPORTS, errors: list | None = None,
                   progress: Callable[[Iterable], Iterable] | None = None,
                   workers: int = 1) -> Iterator:
    """``summary_batches`` over ``paths`` read ``size`` at a time, the chunks in ``workers``
    forked processes (they inherit ``reuse``, the extractor and the classifier): one frame per
    chunk, in file order; files that no longer read are appended to ``errors``."""
    from nlp.forked import forked_map
    from nlp.summarize import _spans_by_report

    _STATE.update(extractor=extractor, section=section, classifier=classifier, n=n,
                  spans_of=_spans_by_report(reuse) if reuse is not None else None)
    try:
        for frame, failed in forked_map(_summary_chunk, _chunks(paths, size), workers, progress):
            if errors is not None:
                errors.extend(failed)
            yield frame
    finally:
        _STATE.clear()


def write_rows(frames: Iterable, format: str, stream: TextIO) -> int:
    """csv or jsonl text of ``frames`` on ``stream``, the csv header once; the number of rows."""
    from nlp.dataset.write import frame_text

    n, first = 0, True
    for frame in frames:
        text = frame_text(frame, format)
        if format == "csv" and not first:  # the header was written with the first frame
            text = text.split("\n", 1)[1]
        stream.write(text)
        first = False
        n += len(frame)
    return n


def write_summary(frames: Iterable, output: Path | None, format: str) -> int:
    """Write the summary ``frames``: to stdout (csv/jsonl) or ``output`` written whole; the rows."""
    from nlp.atomic import atomic_file
    from nlp.dataset.write import FrameAppender

    if output is None:
        return write_rows(frames, format, sys.stdout)
    with atomic_file(output) as tmp, tempfile.TemporaryDirectory(prefix="govnlp-summary-") as parts:
        file = FrameAppender(tmp, format, "summary", parts)
        for frame in frames:
            file.append(frame)
        file.close()
        return file.rows
