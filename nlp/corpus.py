"""A corpus: many reports loaded at once, with their frames for notebooks.

``Corpus("reports/")`` reads every supported file below a folder (or a list of files or globs);
every other path met is in ``corpus.skipped`` with a one-line reason (a bad file, another
format, a hidden or lock file, a broken link, an empty folder: see :mod:`nlp.ingest.files`).
A manifest CSV (columns ``path,office,region,level,year``; ``path`` relative to the manifest's
folder or a bare file name) overrides what the metadata extractor inferred; it may sit among the
reports without being listed as skipped.
"""
from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from nlp import frames
from nlp.ingest.readers import IngestError
from nlp.load import load_reports
from nlp.model import Report
from nlp.progress import track

_MANIFEST_FIELDS = ("office", "region", "level", "year")


def read_manifest(path: str | Path) -> dict[str, dict]:
    """Manifest rows keyed by resolved path and by bare file name."""
    path = Path(path)
    rows: dict[str, dict] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            name = (row.get("path") or row.get("file") or "").strip()
            if not name:
                continue
            values = {k: (row.get(k) or "").strip() or None for k in _MANIFEST_FIELDS}
            if values["year"]:
                values["year"] = int(values["year"])
            rows[str((path.parent / name).resolve())] = values
            rows[Path(name).name] = values
    return rows


def apply_manifest(reports: Iterable[Report], manifest: dict[str, dict]) -> None:
    """Overwrite inferred metadata with the manifest's non-empty values."""
    for report in reports:
        p = Path(report.path or "")
        row = manifest.get(str(p.resolve())) or manifest.get(p.name)
        if row:
            updates = {k: v for k, v in row.items() if v is not None}
            report.meta = replace(report.meta, **updates)


def without_manifest(skipped: list[IngestError], manifest: str | Path | None) -> list[IngestError]:
    """The skipped list less the manifest itself (it sits among the reports, and is read)."""
    if manifest is None:
        return skipped
    target = Path(manifest).resolve()
    return [e for e in skipped if Path(e.path).resolve() != target]


class Corpus:
    """Reports from files, folders or globs; frames over all of them."""

    def __init__(self, source: str | Path | Iterable[str | Path],
                 manifest: str | Path | None = None, progress: bool = True) -> None:
        def bar(paths):
            return track(paths, "Reading reports") if progress else paths

        self.reports: list[Report]
        self.skipped: list[IngestError]
        self.reports, skipped = load_reports(source, progress=bar)
        self.skipped = without_manifest(skipped, manifest)
        if manifest is not None:
            apply_manifest(self.reports, read_manifest(manifest))

    def __len__(self) -> int:
        return len(self.reports)

    def __iter__(self) -> Iterator[Report]:
        return iter(self.reports)

    def __getitem__(self, i: int) -> Report:
        return self.reports[i]

    def reports_frame(self) -> pd.DataFrame:
        return frames.reports_frame(self.reports)

    def sections_frame(self) -> pd.DataFrame:
        return frames.sections_frame(self.reports)

    def parts_frame(self) -> pd.DataFrame:
        return frames.parts_frame(self.reports)

    def items_frame(self) -> pd.DataFrame:
        return frames.items_frame(self.reports)

    def sentences_frame(self, kinds: tuple[str, ...] = ("text", "heading")) -> pd.DataFrame:
        return frames.sentences_frame(self.reports, kinds)

    def tables_frame(self) -> pd.DataFrame:
        """One row per parsed table cell: path, office, year, table, row, column, value."""
        return frames.tables_frame(self.reports)

    def checks_frame(self) -> pd.DataFrame:
        """One row per consistency check of every report (same-office years paired)."""
        return frames.checks_frame(self.reports)

    def statements_frame(self, model: str | None = None,
                         sections: tuple[str, ...] | None = ("problems",)) -> pd.DataFrame:
        """One row per statement unit (section 五 unless ``sections`` says otherwise) with its
        problem/improvement labels, topics and probabilities; ``model`` is "sklearn", "spacy"
        or None for the default."""
        from nlp.classify.model import statements_frame

        return statements_frame(self.reports, model, sections)

    def summary_frame(self, section: str | None = None, reuse=None, classifier=None) -> pd.DataFrame:
        """One row per report and section: office, year, summary, keywords, problem/improvement
        counts (with ``classifier``) and boilerplate share (with ``reuse``: a ReuseResult, or
        True to detect reuse within this corpus)."""
        from nlp.summarize import summary_rows

        return summary_rows(self.reports, section=section, reuse=reuse, classifier=classifier)
