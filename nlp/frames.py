"""pandas views of reports: one row per section / part / item / sentence, with the metadata.

Every row starts with the report's key (``report_id, path, office, office_id, level, region,
year``: ``nlp.dataset.schema.KEY``) so frames from many reports can be grouped by office, level,
region or year without a join, and joined to each other on ``report_id``. Every frame has
exactly the columns and dtypes of its entry in ``nlp/dataset/schema.py`` (``docs/schema.md``).
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

import pandas as pd

from nlp.dataset.schema import KEY_NAMES, conform, office_id, report_id
from nlp.model import Report, Section

_META = KEY_NAMES


def report_key(report: Report) -> dict:
    """The key columns every per-report row starts with (``nlp.dataset.schema.KEY``)."""
    m = report.meta
    return {"report_id": report_id(report.text), "path": report.path, "office": m.office,
            "office_id": office_id(m.office, m.level, m.division_code), "level": m.level,
            "region": m.region, "year": m.year}


_meta = report_key


def _frame(reports: Iterable[Report], rows_of: Callable[[Report, Section], Iterator[dict]],
           columns: list[str], name: str) -> pd.DataFrame:
    """One row per thing ``rows_of`` yields for each section, prefixed by report metadata."""
    def per_report(r: Report) -> Iterator[dict]:
        for sec in r.sections:
            yield from ({"section": sec.id, **row} for row in rows_of(r, sec))

    return _report_frame(reports, per_report, ["section"] + columns, name)


def _report_frame(reports: Iterable[Report], rows_of: Callable[[Report], Iterator[dict]],
                  columns: list[str], name: str) -> pd.DataFrame:
    """One row per thing ``rows_of`` yields for each report, prefixed by the report's key."""
    rows = []
    for r in reports:
        prefix = report_key(r)
        rows.extend({**prefix, **row} for row in rows_of(r))
    return conform(pd.DataFrame(rows, columns=_META + columns), name)


def reports_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per report: identity, metadata, format, length, section count and warnings."""
    return conform(pd.DataFrame(
        [{**r.meta_dict(), **report_key(r), "format": r.format, "encoding": r.encoding,
          "chars": len(r.text), "sections": len(r.sections), "warnings": list(r.warnings)}
         for r in reports]), "reports")


def sections_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per section: id, number, title, offsets, text and counts of what it holds."""
    def rows(r: Report, s: Section):
        yield {"number": s.number, "title": s.title, "start": s.start, "end": s.end,
               "recovered": s.recovered, "parts": len(s.parts), "items": len(s.items),
               "sentences": sum(1 for x in s.sentences if x.kind == "text"),
               "text": r.text[s.start:s.end]}

    return _frame(reports, rows, ["number", "title", "start", "end", "recovered", "parts",
                                  "items", "sentences", "text"], "sections")


def sentences_frame(reports: Iterable[Report], kinds: tuple[str, ...] = ("text", "heading")
                    ) -> pd.DataFrame:
    """One row per sentence (narrative and headings by default; pass kinds to add tables)."""
    def rows(r: Report, s: Section):
        for i, x in enumerate(s.sentences):
            if x.kind in kinds:
                yield {"index": i, "kind": x.kind, "start": x.start, "end": x.end,
                       "text": r.text[x.start:x.end]}

    return _frame(reports, rows, ["index", "kind", "start", "end", "text"], "sentences")


def items_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per enumerated item (一是…), with its part when the section has parts."""
    def rows(r: Report, s: Section):
        for it in s.items:
            part = next((p for p in s.parts if p.start <= it.start < p.end), None)
            yield {"part": part.title if part else None, "marker": it.marker, "index": it.index,
                   "start": it.start, "end": it.end, "text": r.text[it.start:it.end]}

    return _frame(reports, rows, ["part", "marker", "index", "start", "end", "text"], "items")


def parts_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per part ((一)…) of every section, with how many items it holds."""
    def rows(r: Report, s: Section):
        for p in s.parts:
            yield {"marker": p.marker, "title": p.title, "start": p.start, "end": p.end,
                   "items": sum(1 for it in s.items if p.start <= it.start < p.end)}

    return _frame(reports, rows, ["marker", "title", "start", "end", "items"], "parts")


#: Columns of the tidy table rows (``govnlp tables``) and of ``tables_frame``.
TABLE_COLUMNS = KEY_NAMES + ["table", "row", "column", "value"]


def table_rows(report: Report) -> Iterator[dict]:
    """One tidy row per parsed table cell; a blank published cell has value None."""
    from nlp.tables import tables_of

    key = report_key(report)
    for t in tables_of(report):
        for c in t.cells:
            yield {**key, "table": t.id, "row": c.row, "column": c.column, "value": c.value}


def tables_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per table cell (table, row, column, value) of tables 二, 三 and 四; ``value`` is
    an integer (``Int64``), null for a blank published cell."""
    rows = [row for r in reports for row in table_rows(r)]
    return conform(pd.DataFrame(rows, columns=TABLE_COLUMNS), "cells")


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

    return _report_frame(reports, rows, ["check", "status", "message", "evidence"], "checks")
