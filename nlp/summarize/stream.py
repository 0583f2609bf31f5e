"""``govnlp summarize`` in bounded memory: reports read a chunk at a time, rows written as they come.

Two passes over the files, each holding one chunk of Reports: the first fits the keyword IDF
(``KeywordExtractor.fit_batches``, document frequencies only) and learns which files read; reuse
comes from ``nlp.reuse.stream.detect_stream`` (shards on disk); the second computes each chunk's
rows (``summary_batches``) and writes them: csv/jsonl appended to the output (stdout, or a temp
file installed whole by ``nlp.atomic``), parquet/xlsx through a jsonl part file converted at
the end. Rows are in file order, as ``summary_rows`` over ``load_reports`` gives them.
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


def readable(paths: list, size: int = CHUNK_REPORTS, errors: list | None = None,
             progress: Callable[[Iterable], Iterable] | None = None):
    """(fitted TF-IDF KeywordExtractor, the paths that read) in one pass over ``paths``."""
    from nlp.summarize.keywords import KeywordExtractor

    ok: list[str] = []

    def kept() -> Iterator[list[Report]]:
        for batch in read_chunks(paths, size, errors, progress):
            ok.extend(str(r.path) for r in batch)
            yield batch
    extractor = KeywordExtractor("tfidf").fit_batches(kept())
    return extractor, ok


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
