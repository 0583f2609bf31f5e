"""pandas views of reports: one row per section / part / item / sentence, with the metadata.

Every row carries ``path`` and the report metadata so frames from many reports can be grouped
by office, level, region or year without a join.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

import pandas as pd

from nlp.model import Report, Section

_META = ["path", "office", "level", "region", "year"]


def _meta(report: Report) -> dict:
    m = report.meta
    return {"path": report.path, "office": m.office, "level": m.level, "region": m.region,
            "year": m.year}


def _frame(reports: Iterable[Report], rows_of: Callable[[Report, Section], Iterator[dict]],
           columns: list[str]) -> pd.DataFrame:
    """One row per thing ``rows_of`` yields for each section, prefixed by report metadata."""
    def per_report(r: Report) -> Iterator[dict]:
        for sec in r.sections:
            yield from ({"section": sec.id, **row} for row in rows_of(r, sec))

    return _report_frame(reports, per_report, ["section"] + columns)


def _report_frame(reports: Iterable[Report], rows_of: Callable[[Report], Iterator[dict]],
                  columns: list[str], meta: list[str] = _META) -> pd.DataFrame:
    """One row per thing ``rows_of`` yields for each report, prefixed by the ``meta`` fields."""
    rows = []
    for r in reports:
        m = _meta(r)
        prefix = {k: m[k] for k in meta}
        rows.extend({**prefix, **row} for row in rows_of(r))
    return pd.DataFrame(rows, columns=meta + columns)


def reports_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per report: metadata, section count and warnings."""
    return pd.DataFrame([{**r.meta_dict(), "format": r.format, "encoding": r.encoding,
                          "chars": len(r.text), "sections": len(r.sections),
                          "warnings": "; ".join(r.warnings)} for r in reports])


def sections_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per section: id, number, title, offsets, text and counts of what it holds."""
    def rows(r: Report, s: Section):
        yield {"number": s.number, "title": s.title, "start": s.start, "end": s.end,
               "recovered": s.recovered, "parts": len(s.parts), "items": len(s.items),
               "sentences": sum(1 for x in s.sentences if x.kind == "text"),
               "text": r.text[s.start:s.end]}

    return _frame(reports, rows, ["number", "title", "start", "end", "recovered", "parts",
                                  "items", "sentences", "text"])


def sentences_frame(reports: Iterable[Report], kinds: tuple[str, ...] = ("text", "heading")
                    ) -> pd.DataFrame:
    """One row per sentence (narrative and headings by default; pass kinds to add tables)."""
    def rows(r: Report, s: Section):
        for i, x in enumerate(s.sentences):
            if x.kind in kinds:
                yield {"index": i, "kind": x.kind, "start": x.start, "end": x.end,
                       "text": r.text[x.start:x.end]}

    return _frame(reports, rows, ["index", "kind", "start", "end", "text"])


def items_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per enumerated item (一是…), with its part when the section has parts."""
    def rows(r: Report, s: Section):
        for it in s.items:
            part = next((p for p in s.parts if p.start <= it.start < p.end), None)
            yield {"part": part.title if part else None, "marker": it.marker, "index": it.index,
                   "start": it.start, "end": it.end, "text": r.text[it.start:it.end]}

    return _frame(reports, rows, ["part", "marker", "index", "start", "end", "text"])


def parts_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per part ((一)…) of every section, with how many items it holds."""
    def rows(r: Report, s: Section):
        for p in s.parts:
            yield {"marker": p.marker, "title": p.title, "start": p.start, "end": p.end,
                   "items": sum(1 for it in s.items if p.start <= it.start < p.end)}

    return _frame(reports, rows, ["marker", "title", "start", "end", "items"])


#: Columns of the tidy table rows (``govnlp tables``) and of ``tables_frame``.
TABLE_COLUMNS = ["path", "office", "year", "table", "row", "column", "value"]
_TIDY_META = ["path", "office", "year"]


def table_rows(report: Report) -> Iterator[dict]:
    """One tidy row per parsed table cell; a blank published cell has value None."""
    from nlp.tables import tables_of

    for t in tables_of(report):
        for c in t.cells:
            yield {"path": report.path, "office": report.meta.office, "year": report.meta.year,
                   "table": t.id, "row": c.row, "column": c.column, "value": c.value}


def tables_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per table cell (table, row, column, value) of tables 二, 三 and 四; ``value`` is
    numeric, NaN for a blank published cell."""
    def rows(r: Report) -> Iterator[dict]:
        for row in table_rows(r):
            yield {k: row[k] for k in TABLE_COLUMNS[3:]}

    return _report_frame(reports, rows, TABLE_COLUMNS[3:], _TIDY_META)


def checks_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per consistency check (status, message, evidence as JSON text) of each report,
    with same-office reports paired across years."""
    import json

    from nlp.tables.checks import check_report, previous_reports

    reports = list(reports)
    previous = dict(zip(map(id, reports), previous_reports(reports)))

    def rows(r: Report) -> Iterator[dict]:
        for c in check_report(r, previous[id(r)]):
            yield {"check": c.id, "status": c.status, "message": c.message,
                   "evidence": json.dumps(c.evidence, ensure_ascii=False)}

    return _report_frame(reports, rows, ["check", "status", "message", "evidence"], _TIDY_META)
