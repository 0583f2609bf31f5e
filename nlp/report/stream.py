"""``govnlp report`` in bounded memory: the study written a batch of whole offices at a time.

``stream_study(batches, outdir)`` writes what :func:`nlp.report.study.write_study` writes, from
an :class:`~nlp.offices.OfficeBatches` instead of a Corpus holding every Report:

1. reuse: :func:`nlp.reuse.stream.detect_stream` on the files (shards on disk), manifest applied;
2. keywords: the TF-IDF extractor's IDF in a pass that keeps only document frequencies
   (each batch's document frequencies counted in the workers: ``KeywordExtractor.count_documents``);
3. per batch (in ``workers`` processes; each writes its rows to part files and returns the
   page's columns, never Reports): every frame's part appended to its file; checks pair an office's years, and a batch holds whole offices,
   so they are exact; the repeated problems come from :func:`nlp.history.history` per batch;
4. the page, from the small frames it reads (only the columns it reads; the tables' ``total``
   cells), put back in reading order so it is the in-memory page.

Row order of the full files (``reports.csv`` … ``summaries.csv``, ``sections.jsonl``): batch
order (offices in order of their first file, an office's reports by year), not reading order;
the rows are the same (tests/test_report_stream.py sorts).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nlp.progress import status
from nlp.report.study import FRAME_FILES, TOP_N, Study, render

#: Page frames kept in memory, with only the columns the page reads (sections.py,
#: sections_reuse.py; None: all). At 1,000 synthetic reports the full frames would be ≈ 32 MiB.
PAGE_COLUMNS: dict[str, list[str] | None] = {
    "reports": None,
    "sections": ["path", "section"],
    "checks": ["path", "check", "status"],
    "tables": ["path", "year", "table", "row", "column", "value"],
    "statements": ["path", "year", "labels", "topics", "text"],
    "summaries": ["path", "office", "year", "section", "summary", "keywords", "n_sentences",
                  "boilerplate_share"],
    "repeated_problems": ["path", "office", "year", "previous_year", "text", "previous_text",
                          "similarity"],
}

#: The schema (nlp/dataset/schema.py) of each frame the study writes in full.
SCHEMAS = {"reports": "reports", "sections": "sections", "items": "items",
           "sentences": "sentences", "statements": "statements", "tables": "cells",
           "checks": "checks", "summaries": "summary"}

#: Columns with few distinct values, repeated on many rows (a report's path on its 28 total
#: cells): interned in the kept frames, unpickled from a worker they are one copy per row.
_SHARED = {"path", "office", "section", "check", "status", "table", "row", "column"}

#: Columns of word lists (few distinct words): interned word by word in the kept frames.
_WORDS = {"labels", "topics", "keywords"}

#: Filled in the parent before the worker processes fork (copy-on-write, never pickled).
_STATE: dict[str, Any] = {}


@dataclass
class _Skipped:
    """What ``render`` reads of a corpus: the files not read."""

    skipped: list = field(default_factory=list)


class _ReuseView:
    """The passages of a ReuseResult that touch some reports, with its sentence table: what
    :func:`nlp.reuse.boilerplate.boilerplate_spans` and nlp.history's alignment read, without
    walking every passage for every batch."""

    def __init__(self, result, passages: list) -> None:
        self.table, self.passages, self._result = result.table, passages, result
        self.doc_key = result.doc_key  # what nlp.history's alignment reads besides passages
        self.match_layer = getattr(result, "match_layer", None)
        if self.match_layer is None:
            self.passage_layer = result.passage_layer


def _passages_by_path(result) -> dict[str, list[int]]:
    """Report path → indices of the passages with a sentence of it (one pass over passages)."""
    table, out = result.table, {}
    for k, p in enumerate(result.passages):
        paths = {table.docs[table.doc[i]].path for m in p.pairs for i in (m.i, m.j)}
        for path in paths:
            out.setdefault(path, []).append(k)
    return out


def _reuse_of(paths: list[str]) -> _ReuseView:
    result, index = _STATE["reuse"], _STATE["passages"]
    ks = sorted({k for p in paths for k in index.get(p, ())})
    return _ReuseView(result, [result.passages[k] for k in ks])


def _classifier():
    if "classifier" not in _STATE:
        from nlp.classify import StatementClassifier

        _STATE["classifier"] = StatementClassifier.load()
    return _STATE["classifier"]


class _Scored:
    """A batch's section-五 statements as the classifier scored them, handed out again by
    report: the statements frame and ``nlp.history``'s repeated problems read the same units of
    the same reports, and scoring them twice was ≈ 6 % of a batch."""

    def __init__(self, scored) -> None:
        self._rows = {id(report): rows for report, rows in scored}

    def classify_reports(self, reports, sections=("problems",)):
        if tuple(sections) != ("problems",):
            raise ValueError(f"only section 五 was scored, not {sections}")
        for report in reports:
            yield report, self._rows[id(report)]


def batch_frames(files: list) -> dict[str, Any]:
    """Every frame's rows for one batch of whole offices (read here), and the files that could
    no longer be read."""
    from nlp import frames
    from nlp.classify.model import statements_frame
    from nlp.summarize import summary_rows

    source = _STATE["batches"]
    before = len(source.skipped)
    reports = source.read(files)
    scored = _Scored(_classifier().classify_reports(reports, ("problems",)))
    out: dict[str, Any] = {
        "reports": frames.reports_frame(reports),
        "sections": frames.sections_frame(reports),
        "items": frames.items_frame(reports),
        "sentences": frames.sentences_frame(reports),
        "statements": statements_frame(reports, scored),
        "tables": frames.tables_frame(reports),
        "checks": frames.checks_frame(reports),
        "summaries": summary_rows(reports, reuse=_reuse_of([r.path for r in reports]),
                                  extractor=_STATE["extractor"]),
        "skipped": source.skipped[before:],
    }
    del source.skipped[before:]  # the caller adds them, once (a worker's list is its own copy)
    from nlp.history import history  # the page's "problems that come back"

    out["repeated_problems"] = history(reports, reuse=_reuse_of([r.path for r in reports]),
                                       classifier=scored).repeated_problems_frame()
    return out


def _fit_keywords(batches, workers: int = 1, progress: bool = False) -> Any:
    """The TF-IDF keyword extractor fitted on every report: each batch's document frequencies
    counted in ``workers`` processes (tokenising is the cost, ≈ 11 s a 1,000 reports a core),
    then added up (the same IDF as fitting all reports at once)."""
    from nlp.progress import track
    from nlp.summarize.keywords import KeywordExtractor

    tasks = [[f.path for f in g] for g in batches.batches()]
    if workers > 1 and len(tasks) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            futures = [pool.submit(_document_counts, t) for t in tasks]
            done = track(futures, "Keyword IDF") if progress else futures
            return KeywordExtractor("tfidf").fit_counts(f.result() for f in done)
    done = track(tasks, "Keyword IDF") if progress else tasks
    return KeywordExtractor("tfidf").fit_counts(_document_counts(t) for t in done)


def _document_counts(paths: list[str]):
    """``KeywordExtractor.count_documents`` of the files ``paths`` (a worker's task; a file
    that cannot be read counts nothing here: the batch pass reads it again and records it)."""
    from nlp.load import load_chunk
    from nlp.model import Report
    from nlp.summarize.keywords import KeywordExtractor, iter_documents

    reports = [r for r in load_chunk(paths) if isinstance(r, Report)]
    return KeywordExtractor("tfidf").count_documents(iter_documents(reports))


def _ordered(frame: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """Rows in reading order of their reports (stable: a report's rows keep their order)."""
    if not len(frame):
        return frame.reset_index(drop=True)
    key = np.fromiter((order.get(p, len(order)) for p in frame["path"]), np.int64, len(frame))
    frame = frame.take(key.argsort(kind="stable"))
    frame.index = pd.RangeIndex(len(frame))  # not reset_index: no second copy
    return frame


def _page_part(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """What the page keeps of one batch's frame."""
    if name == "tables":
        frame = frame[frame["column"] == "total"]
    cols = PAGE_COLUMNS[name]
    return frame[[c for c in cols if c in frame.columns]] if cols is not None else frame


def _interned(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with one string object per value of its ``_SHARED`` columns, not per row, and
    its word lists (``_WORDS``) as tuples of interned words: at 100,000 reports the kept frames
    grew the parent by ≈ 2 GB, unpickled keywords (a new string per word) a good part of it."""
    frame = frame.copy()
    for c in _SHARED.intersection(frame.columns):
        frame[c] = frame[c].map(lambda v: sys.intern(v) if isinstance(v, str) else v)
    for c in _WORDS.intersection(frame.columns):
        frame[c] = frame[c].map(lambda ws: tuple(map(sys.intern, ws))
                                if isinstance(ws, (list, tuple)) else ws)
    return frame


def batch_parts(files: list, parts: Path, k: int) -> dict[str, Any]:
    """Batch ``k``'s work: ``batch_frames``, each full frame written as text to a part file in
    ``parts`` (the parent appends its bytes in batch order and never unpickles those rows: at
    100,000 reports the parent's memory grew by ≈ 2 GB taking them), the page's columns kept."""
    from nlp.dataset.write import write_part

    res = batch_frames(files)
    return {"parts": {name: write_part(res[key], parts / f"{k}.{name}", fmt)
                      for name, key, fmt in _STATE["outputs"]},
            "page": {name: _page_part(name, res[name]) for name in PAGE_COLUMNS if name in res},
            "skipped": res["skipped"]}


def _batch_results(batches, workers: int, progress: bool, parts: Path):
    """``batch_parts`` of every batch, in order; ``workers`` > 1: in forked processes
    (``nlp.forked``: they inherit the reuse result and the extractor, never pickled), a few
    batches in flight (disk: a few batches' part files)."""
    from nlp.forked import forked_map
    from nlp.progress import track

    tasks = [(g, parts, k) for k, g in enumerate(batches.batches())]
    return forked_map(batch_parts, tasks, workers,
                      (lambda ts: track(ts, "Analysing offices")) if progress else None)


def compute_stream(batches, outdir: Path, top_n: int = TOP_N, workers: int = 1,
                   progress: bool = True, reuse=None) -> Study:
    """Reuse, keywords and every batch's rows: the full frames appended to their files in
    ``outdir``, the page's frames kept; returns the Study ``render`` draws."""
    from nlp.dataset.write import FrameAppender
    from nlp.reuse.stream import detect_stream

    files = batches.files
    if reuse is None:
        reuse = detect_stream([f.path for f in files], manifest=batches.manifest,
                              progress=progress, workers=workers)
    outputs = [("sections", FrameAppender(outdir / "sections.jsonl", "jsonl", "sections"))]
    outputs += [(key or name[:-4], FrameAppender(outdir / name, "csv", SCHEMAS[key or name[:-4]]))
                for name, key, _ in FRAME_FILES]
    _STATE.clear()
    _STATE.update(batches=batches, reuse=reuse, passages=_passages_by_path(reuse),
                  extractor=_fit_keywords(batches, workers, progress),
                  outputs=[(out.path.name, key, out.format) for key, out in outputs])
    parts: dict[str, list[pd.DataFrame]] = {k: [] for k in PAGE_COLUMNS}
    scratch = outdir / ".batches"  # the workers' part files, appended and removed in order
    scratch.mkdir()
    try:
        for res in _batch_results(batches, workers, progress, scratch):
            known = {str(e.path) for e in batches.skipped}  # read here (one worker) or there
            batches.skipped.extend(e for e in res["skipped"] if str(e.path) not in known)
            for _, output in outputs:
                output.append_part(*res["parts"][output.path.name])
            for name, frame in res["page"].items():
                parts[name].append(_interned(frame))
            del res
    finally:
        _STATE.clear()
    scratch.rmdir()
    with status("Writing the page's frames and the reuse files", progress):
        return _finish(batches, outdir, reuse, parts, top_n)


def _finish(batches, outdir: Path, reuse, parts: dict[str, list], top_n: int) -> Study:
    """The page's frames in reading order, the reuse folder written; the Study."""
    files = batches.files
    order = {f.path: k for k, f in enumerate(files)}
    frames = {}
    for name in list(parts):  # one frame at a time, its parts let go as it is made
        kept = parts.pop(name)
        if kept:
            frames[name] = _ordered(pd.concat(kept, ignore_index=True), order)
        del kept
    if "repeated_problems" in frames:  # nlp.history's row order: office, year, path
        hist = {f.path: (f.office or "", f.year is None, f.year or 0, f.path) for f in files}
        frames["repeated_problems"] = _ordered(frames["repeated_problems"], {
            p: k for k, p in enumerate(sorted(hist, key=hist.get))})
    study = Study(_Skipped(batches.skipped), outdir, reuse, frames, top_n=top_n)
    study.written.append(("sections of every report (govnlp segment)", outdir / "sections.jsonl"))
    study.written.extend((what, outdir / name) for name, _, what in FRAME_FILES)
    for p in reuse.write(outdir / "reuse"):
        study.written.append((f"template reuse: {p.name}", p))
    return study


def stream_study(batches, outdir: str | Path, top_n: int = TOP_N, title: str | None = None,
                 workers: int = 1, progress: bool = True, reuse=None) -> list[Path]:
    """Write the study of ``batches`` (an :class:`~nlp.offices.OfficeBatches`) to ``outdir``
    (whole: an interrupted run leaves the previous folder); returns the files, ``index.html``
    last. The files equal ``write_study``'s of the same corpus, rows in batch order."""
    from nlp.atomic import atomic_folder

    outdir = Path(outdir)
    with atomic_folder(outdir) as tmp:
        study = compute_stream(batches, Path(tmp), top_n, workers, progress, reuse)
        with status("Drawing the study page", progress):
            study.save("index.html", render(study, title), "this page")
    return [outdir / p.relative_to(tmp) for _, p in study.written]
