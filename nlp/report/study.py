"""``govnlp report``: a corpus's study report, the first page a researcher reads.

``write_study(corpus, outdir)`` runs every analysis once and writes a folder (the same folder,
in bounded memory, from batches of whole offices: ``nlp.report.stream.stream_study``, what
``govnlp report`` runs):

- ``index.html``: the study (the corpus; tables and checks; template reuse; section 五; section
  summaries), every figure inline and linked to the CSV it was drawn from, top-N lists so it
  reads the same at 10,000 reports, and the Noto CJK font embedded so Chinese renders anywhere;
- ``data/*.csv``: the aggregates behind every figure and table of the page;
- the full frames (``reports.csv``, ``sections.csv`` … ``summaries.csv``; docs/schema.md) and
  ``reuse/`` (passages, families, shares, leaks and the viewer).

The page's parts are small functions in ``sections.py`` and ``sections_reuse.py``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from nlp.corpus import Corpus
    from nlp.reuse.detect import ReuseResult

#: Offices in the reuse heatmap and network, and rows of every top-N table.
TOP_N = 30
#: Rows of a table on the page (the CSV behind it has them all).
ROWS = 15


@dataclass
class Study:
    """Everything the page is made of, computed once, and the files written so far."""

    corpus: "Corpus"
    outdir: Path
    reuse: "ReuseResult"
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    written: list[tuple[str, Path]] = field(default_factory=list)
    top_n: int = TOP_N

    @cached_property
    def shares(self) -> pd.DataFrame:
        """The reuse shares per report and section (``ReuseResult.reports_frame``), made once for
        the parts that read them: at 100,000 reports each making took ≈ 1 GB and minutes."""
        return self.reuse.reports_frame()

    def data(self, name: str, frame: pd.DataFrame, what: str, index: bool = False) -> str:
        """Write ``frame`` as ``data/NAME.csv``; returns its path relative to the page."""
        from nlp.dataset.write import csv_text

        rel = f"data/{name}.csv"
        path = self.outdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        out = frame.reset_index() if index else frame
        path.write_text(csv_text(out), encoding="utf-8")
        self.written.append((what, path))
        return rel

    def save(self, rel: str, text: str, what: str) -> None:
        path = self.outdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.written.append((what, path))


def write_study(corpus: "Corpus", outdir: str | Path, reuse: "ReuseResult | None" = None,
                top_n: int = TOP_N, title: str | None = None) -> list[Path]:
    """Write the study of ``corpus`` to ``outdir`` (whole: an interrupted run leaves the
    previous folder) and return the files written, ``index.html`` last.

    ``reuse``: a ReuseResult of this corpus when one was already computed (else detected here).
    """
    from nlp.atomic import atomic_folder

    outdir = Path(outdir)
    with atomic_folder(outdir) as tmp:
        study = compute_study(corpus, Path(tmp), reuse, top_n)
        _write_frames(study)
        study.save("index.html", render(study, title), "this page")
    return [outdir / p.relative_to(tmp) for _, p in study.written]


def compute_study(corpus: "Corpus", outdir: Path, reuse: "ReuseResult | None" = None,
                  top_n: int = TOP_N) -> Study:
    """Every frame the page reads (reuse detected when ``reuse`` is None), data files to ``outdir``."""
    from nlp.progress import track

    steps = ["reuse", "reports", "sections", "checks", "tables", "statements", "summaries"]
    frames: dict[str, pd.DataFrame] = {}
    for step in track(steps, "Analysing the corpus"):
        if step == "reuse" and reuse is None:  # the streaming path: detect()'s result in a
            from nlp.reuse.stream import detect_stream  # quarter of its memory (benchmarks/scale.md)

            reuse = detect_stream(corpus.reports)
        elif step == "reports":
            frames["reports"] = corpus.reports_frame()
        elif step == "sections":  # the page counts sections: their texts are made on write
            frames["sections"] = corpus.sections_frame().drop(columns="text")
        elif step == "checks":
            frames["checks"] = corpus.checks_frame()
        elif step == "tables":
            frames["tables"] = corpus.tables_frame()
        elif step == "statements":
            frames["statements"] = corpus.statements_frame()
        elif step == "summaries":
            frames["summaries"] = corpus.summary_frame(reuse=reuse)
    return Study(corpus, outdir, reuse, frames, top_n=top_n)


#: The full frames written beside the page: file, frame key (None: computed on write), what.
FRAME_FILES = (
    ("reports.csv", "reports", "one row per report: metadata and warnings"),
    ("sections.csv", None, "one row per section"),
    ("items.csv", None, "enumerated items (一是…)"),
    ("sentences.csv", None, "narrative sentences"),
    ("statements.csv", "statements", "section 五 statements: problem / improvement, topics"),
    ("tables.csv", "tables", "statistical tables, one row per cell"),
    ("checks.csv", "checks", "table consistency checks"),
    ("summaries.csv", "summaries", "per-section summaries, keywords and boilerplate share"),
)


def _write_frames(study: Study) -> None:
    """The full frames (docs/schema.md) and the reuse folder with its viewer."""
    from nlp.dataset.write import csv_text, jsonl_text

    corpus = study.corpus
    made = {"sections.csv": corpus.sections_frame()}  # with the texts: made here, dropped after
    study.save("sections.jsonl", jsonl_text(made["sections.csv"]),
               "sections of every report (govnlp segment)")
    lazy = {"items.csv": corpus.items_frame, "sentences.csv": corpus.sentences_frame}
    for name, key, what in FRAME_FILES:
        frame = study.frames[key] if key else (made.pop(name) if name in made else lazy[name]())
        study.save(name, csv_text(frame), what)
        del frame  # one full frame at a time
    reuse_dir = study.outdir / "reuse"
    paths = list(study.reuse.write(reuse_dir))  # the frames and the viewer
    for p in paths:
        study.written.append((f"template reuse: {p.name}", p))


def render(study: Study, title: str | None = None) -> str:
    """The study page."""
    from nlp.report import sections, sections_reuse
    from nlp.report.page import page

    reports = study.frames["reports"]
    years = reports["year"].dropna()
    span = f"{int(years.min())}–{int(years.max())}" if len(years) else "unknown years"
    title = title or f"政府信息公开工作年度报告: a study of {len(reports):,} reports"
    parts = [
        ("corpus", "1. The corpus", sections.corpus_section),
        ("tables", "2. What the tables say", sections.tables_section),
        ("reuse", "3. Template reuse: who copies whom", sections_reuse.reuse_section),
        ("problems", "4. Section 五: problems and improvements", sections_reuse.problems_section),
        ("summaries", "5. What each section says", sections_reuse.summaries_section),
    ]
    body = [sections.headline(study)] + [fn(study, anchor, heading) for anchor, heading, fn in parts]
    history = sections_reuse.history_section(study, "history", "4a. Problems that come back")
    if history:
        body.insert(5, history)
    body.append(sections.files_section(study, "files", "Files"))
    offices = reports["office_id"].fillna(reports["path"]).nunique()
    lead = (f"{len(reports):,} annual reports of {offices:,} offices, years {span}, "
            f"{len(study.corpus.skipped):,} files skipped. Generated by govnlp on "
            f"{date.today().isoformat()}. Every figure links to the CSV behind it.")
    toc = [(a, h) for a, h, _ in parts] + [("files", "Files")]
    return page(title, lead, toc, "\n".join(body))


def study_report(source: Any, outdir: str | Path, manifest: str | Path | None = None,
                 progress: bool = True, workers: int | None = None) -> list[Path]:
    """Read ``source`` (folder, files or globs; ``manifest`` as ``govnlp`` takes it) and write
    its study to ``outdir``: what ``govnlp report CORPUS -o DIR [--manifest CSV] [-j N]`` runs,
    a batch of whole offices at a time (``nlp/report/stream.py``; rows in batch order) in
    ``workers`` processes (default one per core, as the command)."""
    import os

    from nlp.offices import OfficeBatches
    from nlp.report.stream import stream_study

    workers = workers or os.cpu_count() or 1

    batches = OfficeBatches(source, manifest, workers=workers, progress=progress)
    return stream_study(batches, outdir, workers=workers, progress=progress)
