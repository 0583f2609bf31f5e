"""A corpus: many reports loaded at once, with their frames for notebooks.

``Corpus("reports/")`` reads every supported file below a folder (or a list of files or globs);
every other path met is in ``corpus.skipped`` with a one-line reason (a bad file, another
format, a hidden or lock file, a broken link, an empty folder: see :mod:`nlp.ingest.files`).
A manifest CSV (columns ``path,office,region,level,year``; ``path`` relative to the manifest's
folder or a bare file name) overrides what the metadata extractor inferred; it may sit among the
reports without being listed as skipped. A report takes the row of its exact path; a row given as
a bare file name also serves a report elsewhere of that name, but only when the name is on no
other row (folders by year often repeat file names). A bad manifest is one ``ManifestError`` line
before any report is read; a row whose file does not exist is a ``ManifestWarning``.
"""
from __future__ import annotations

import csv
import re
import unicodedata
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from nlp import frames
from nlp.ingest.readers import IngestError
from nlp.load import load_reports
from nlp.model import LEVELS, Report, ReportMeta
from nlp.progress import track

_MANIFEST_FIELDS = ("office", "region", "level", "year")
#: Level words a manifest may use for a ``LEVELS`` value (English exports of office lists).
LEVEL_ALIASES = {"department": "部门"}
#: A year cell: 2021, 2021年, 2021.0 (a spreadsheet's float), surrounded by spaces or not.
_YEAR = re.compile(r"(\d{4})(?:\.0+)?年?")


class ManifestError(ValueError):
    """A manifest that cannot be used as it is: one line naming the file (and row)."""


class ManifestWarning(UserWarning):
    """A manifest row that is usable but probably wrong (its file does not exist)."""


@dataclass
class Manifest:
    """The rows of a manifest CSV, by resolved path and by bare file name."""

    path: Path
    rows: dict[str, dict] = field(default_factory=dict)     # resolved path -> values
    names: dict[str, list[str]] = field(default_factory=dict)  # file name -> resolved paths
    bare: set[str] = field(default_factory=set)             # resolved paths listed by name only
    lines: dict[str, int] = field(default_factory=dict)     # resolved path -> line in the CSV

    def row_for(self, report_path: str | Path) -> dict | None:
        """The row of a report: its exact path first; else a row listed by bare file name,
        when that name is unique in the manifest (else :class:`ManifestError`)."""
        p = Path(report_path)
        key = str(p.resolve())
        if key in self.rows:
            return self.rows[key]
        same = self.names.get(p.name, [])
        if not any(k in self.bare for k in same):
            return None  # listed only under other folders: a different file with the same name
        if len(same) > 1:
            raise ManifestError(f"{self.path}: {p} is not listed by its path and its name "
                                f"{p.name} is on {len(same)} rows (lines "
                                f"{', '.join(str(self.lines[k]) for k in same)}); list it by path")
        return self.rows[same[0]]


def _year(cell: str, where: str) -> int:
    m = _YEAR.fullmatch(unicodedata.normalize("NFKC", cell).strip())
    if not m:
        raise ManifestError(f"{where}: year {cell!r} is not a year like 2021")
    return int(m.group(1))


def _level(cell: str, where: str) -> str:
    level = LEVEL_ALIASES.get(cell.lower(), cell)
    if level not in LEVELS:
        raise ManifestError(f"{where}: level {cell!r} is not one of {' '.join(LEVELS)}")
    return level


def read_manifest(path: str | Path) -> Manifest:
    """Read and check a manifest CSV (``path`` or ``file``, and any of office, region, level,
    year); raise :class:`ManifestError`, one line, for an unreadable file, no path column, an
    empty path, a bad year or level, or one file listed twice with different values."""
    path = Path(path)
    manifest = Manifest(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            reader.fieldnames = [(h or "").strip().lower() for h in reader.fieldnames or []]
            header = [h for h in reader.fieldnames if h]
            column = next((c for c in ("path", "file") if c in header), None)
            if column is None:
                raise ManifestError(f"{path}: no path (or file) column in the header "
                                    f"{','.join(header) or '(empty file)'}")
            for row in reader:
                row = {k: v.strip() for k, v in row.items() if k and isinstance(v, str)}
                _add_row(manifest, row, column, f"{path}, line {reader.line_num}",
                         reader.line_num)
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        reason = (e.strerror if isinstance(e, OSError) and e.strerror else
                  "not UTF-8 text; save it as CSV UTF-8" if isinstance(e, UnicodeDecodeError)
                  else str(e))
        raise ManifestError(f"{path}: cannot read the manifest ({reason})") from None
    return manifest


def _add_row(manifest: Manifest, row: dict, column: str, where: str, line: int) -> None:
    name = row.get(column, "")
    if not name:
        raise ManifestError(f"{where}: empty {column}")
    values = {k: row.get(k) or None for k in _MANIFEST_FIELDS}
    if values["year"]:
        values["year"] = _year(values["year"], where)
    if values["level"]:
        values["level"] = _level(values["level"], where)
    key = str((manifest.path.parent / name).resolve())
    if key in manifest.rows:
        if manifest.rows[key] != values:
            raise ManifestError(f"{where}: {name} is already listed on line {manifest.lines[key]} "
                                "with other values")
        return
    manifest.rows[key], manifest.lines[key] = values, line
    manifest.names.setdefault(Path(name).name, []).append(key)
    if Path(name).name == name:
        manifest.bare.add(key)


def apply_manifest(reports: Iterable[Report], manifest: Manifest) -> list[str]:
    """Overwrite inferred metadata with the manifest's non-empty values; return one warning line
    per row that matched no report and whose file does not exist (a typo, a moved folder)."""
    used: set[int] = set()
    for report in reports:
        row = manifest.row_for(report.path or "")
        if row:
            used.add(id(row))
            report.meta = with_row(report.meta, row)
    return _missing_rows(manifest, used)


def with_row(meta: ReportMeta, row: dict | None) -> ReportMeta:
    """``meta`` with a manifest row's non-empty values: the one rule wherever a row applies.

    A row naming another office than the text's also replaces what came with the text's
    office: its short name, level (unless the row gives one) and place in the division list
    (code, province … township), found again from the row's office (its region telling two
    places of one name apart), or left empty when the list has no such place: otherwise
    ``office_id`` kept following the text's office.
    """
    if not row:
        return meta
    updates = {k: v for k, v in row.items() if v is not None}
    office = updates.get("office")
    if office and office != meta.office:
        updates = {**_placed(office, updates.get("level"), updates.get("region"),
                             updates.get("year", meta.year)), **updates}
    return replace(meta, **updates)


def _placed(office: str, level: str | None, region: str | None, year: int | None) -> dict:
    from nlp.identity.resolve import place_office
    from nlp.ingest.metadata import office_level, short_office_name

    level = level or office_level(office)
    placed = place_office(office, department=level == "部门", context=[region] if region else [],
                          year=year)
    found = placed.division is not None
    return {"office_short": short_office_name(office), "level": placed.level if found else level,
            "division_code": placed.division.code if found else None, **placed.names()}


def unmatched_rows(manifest: Manifest, paths: Iterable[str | Path]) -> list[str]:
    """One warning line per manifest row that none of ``paths`` takes and whose file does not
    exist; raises :class:`ManifestError` for a path only a repeated bare name could match (the
    streaming reuse path asks this before reading anything)."""
    return _missing_rows(manifest, {id(row) for row in map(manifest.row_for, paths) if row})


def _missing_rows(manifest: Manifest, used: set[int]) -> list[str]:
    return [f"{manifest.path}, line {manifest.lines[key]}: {Path(key).name} does not exist "
            f"({key})" for key, row in manifest.rows.items()
            if id(row) not in used and not Path(key).exists()]


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
        rows = read_manifest(manifest) if manifest is not None else None  # bad: fail before loading
        self.reports, skipped = load_reports(source, progress=bar)
        self.skipped = without_manifest(skipped, manifest)
        if rows is not None:
            for line in apply_manifest(self.reports, rows):
                warnings.warn(line, ManifestWarning, stacklevel=2)

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
        """One row per parsed table cell (schema ``cells`` in docs/schema.md)."""
        return frames.tables_frame(self.reports)

    def checks_frame(self) -> pd.DataFrame:
        """One row per consistency check of every report, same-office years paired (schema
        ``checks``)."""
        return frames.checks_frame(self.reports)

    def history_frame(self, reuse=None, classifier=None) -> pd.DataFrame:
        """One row per report and section (and ``all``) against the same office's latest earlier
        report: carried-over share, changed figures, repeated problems, promises reported done
        (schema ``history``; :func:`nlp.history.history` gives the other frames and files)."""
        from nlp.history import history

        return history(self.reports, reuse=reuse, classifier=classifier).history_frame()

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

    def panel(self, reuse=None, classifier=None) -> pd.DataFrame:
        """One row per report: identity, every table cell, check results, section lengths,
        reuse shares and statement counts (:func:`nlp.panel.panel_frame`; ``reuse`` and
        ``classifier`` None run them here, False leave their columns null)."""
        from nlp.panel import panel_frame

        return panel_frame(self.reports, reuse=reuse, classifier=classifier)
