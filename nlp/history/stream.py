"""``govnlp history`` in bounded memory: one batch of whole offices at a time.

A report is compared only with its own office's earlier reports, so a batch holding every report
of its offices (:class:`HistoryBatches`, ``nlp/offices.py``) needs nothing else. For each batch:
:func:`~nlp.history.result.history` (the reuse detector's alignment, statement classification,
links), the rows of the four frames appended to their files, the batch's Reports dropped. Kept
across batches: the counts of the summary line and each compared report's office id (to choose
the offices plotted); the plotted offices' rows are read back from a scratch file at the end.

The files equal :meth:`HistoryResult.write` of ``history(all reports, batch_size=size)``: the
batches follow the frames' row order (office, year, path; ``pairs.order_key``) and are the very
batches the in-memory path runs the detector on (``pairs.office_batches``), so csv and jsonl are
byte-identical, parquet and xlsx (built at the end from a JSON-lines part of each frame, bounded
by the frame, not the Reports) hold the same rows.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from nlp.dataset.schema import conform, names
from nlp.history.pairs import BATCH_REPORTS
from nlp.history.result import MAX_PLOTS, history
from nlp.model import Report
from nlp.offices import OfficeBatches, ReportFile, _year_key

#: Frame name → its schema (``nlp/dataset/schema.py``), in the order files are written.
SCHEMAS = {"history": "history", "repeated_problems": "repeated_problems",
           "improvements": "improvements", "cross_year_checks": "checks"}


class HistoryBatches(OfficeBatches):
    """:class:`~nlp.offices.OfficeBatches` with offices in the history frames' row order (by
    office identity, reports without one first, by year then path), not in reading order:
    the streamed files then come out in the order of the in-memory ones."""

    def office_order(self, offices: list[list[ReportFile]]) -> list[list[ReportFile]]:
        return sorted(offices, key=lambda g: (g[0].office or "", *_year_key(g[0])))


@dataclass
class HistoryRun:
    """What a streamed run wrote and the counts of its summary line."""

    written: list[Path] = field(default_factory=list)
    reports: int = 0
    offices: int = 0
    compared: int = 0
    near_identical: int = 0

    def summary(self) -> str:
        return (f"{self.reports} reports of {self.offices} offices: {self.compared} compared "
                f"with an earlier report, {self.near_identical} near-identical to it")


def _rows_of(path: Path, offices: set) -> pd.DataFrame:
    """The history rows of ``offices`` from a JSON-lines file of history rows."""
    rows = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["office_id"] in offices:
                rows.append(row)
    return conform(pd.DataFrame(rows, columns=names("history")), "history")


def write_history(batches: Iterable[list[Report]], outdir: str | Path, format: str = "csv",
                  classifier=None, plots: bool = True, size: int = BATCH_REPORTS) -> HistoryRun:
    """Run the history batch by batch (``batches``: lists of Reports of whole offices, in the
    frames' row order, as :class:`HistoryBatches` yields) and write the files of
    :meth:`HistoryResult.write` into ``outdir``, whole (``atomic_folder``).

    ``classifier``: None loads the shipped one, False skips problems and improvements;
    ``size``: the batches' size (each batch is one detector run, as in memory).
    """
    from nlp.atomic import atomic_folder
    from nlp.dataset.write import FrameAppender, format_of, jsonl_text
    from nlp.history.plots import plot_offices, top_offices

    format = format_of(Path(outdir) / f"x.{format}", format)
    outdir = Path(outdir)
    if classifier is None:
        from nlp.classify import StatementClassifier

        classifier = StatementClassifier.load()
    formats = {"history": format, "repeated_problems": "jsonl", "improvements": "jsonl",
               "cross_year_checks": format}
    run, offices, compared = HistoryRun(), set(), []
    with atomic_folder(outdir) as tmp, tempfile.TemporaryDirectory(prefix="govnlp-history-") as p:
        parts = Path(p)
        files = {name: FrameAppender(tmp / f"{name}.{fmt}", fmt, SCHEMAS[name], parts)
                 for name, fmt in formats.items()}
        rows_file = parts / "history_rows.jsonl"
        rows_file.write_text("", encoding="utf-8")
        for reports in batches:
            frames = history(reports, classifier=classifier, batch_size=size).frames()
            for name, file in files.items():
                file.append(frames[name])
            frame = frames["history"]
            if plots:
                with rows_file.open("a", encoding="utf-8") as f:
                    f.write(jsonl_text(frame))
            done = frame[(frame["section"] == "all") & frame["previous_report_id"].notna()]
            run.reports += len(reports)
            run.compared += len(done)
            run.near_identical += int(done["near_identical"].fillna(False).sum())
            offices.update(frame["office_id"].dropna())
            compared.append(done["office_id"])
            del frames, frame, done, reports  # the batch's Reports go before the next is read
        run.offices = len(offices)
        for name, file in files.items():
            file.close()
            run.written.append(outdir / file.path.name)
        if plots and compared:
            top = top_offices(pd.concat(compared, ignore_index=True), MAX_PLOTS)
            for path in plot_offices(_rows_of(rows_file, set(top)), tmp / "plots", MAX_PLOTS, top):
                run.written.append(outdir / path.relative_to(tmp))
    return run


def stream_history(source, outdir: str | Path, format: str = "csv", manifest=None,
                   classifier=None, size: int = BATCH_REPORTS, workers: int = 1,
                   progress: bool = False, plots: bool = True) -> HistoryRun:
    """``write_history`` over the reports of files, folders or globs (``source``), a batch of
    whole offices at a time (:class:`HistoryBatches`; ``manifest`` applied)."""
    batches = HistoryBatches(source, manifest, size=size, workers=workers, progress=progress)
    return write_history(batches, outdir, format, classifier, plots, size)
