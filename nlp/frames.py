"""pandas views of reports: one row per section / part / item / sentence, with the metadata.

Every row carries ``path`` and the report metadata so frames from many reports can be grouped
by office, level, region or year without a join.
"""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from nlp.model import Report

_META = ["path", "office", "level", "region", "year"]


def _meta(report: Report) -> dict:
    m = report.meta
    return {"path": report.path, "office": m.office, "level": m.level, "region": m.region,
            "year": m.year}


def reports_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per report: metadata, section count and warnings."""
    rows = []
    for r in reports:
        rows.append({**r.meta_dict(), "format": r.format, "encoding": r.encoding,
                     "chars": len(r.text), "sections": len(r.sections),
                     "warnings": "; ".join(r.warnings)})
    return pd.DataFrame(rows)


def sections_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per section: id, number, title, offsets, text and counts of what it holds."""
    rows = []
    for r in reports:
        meta = _meta(r)
        for s in r.sections:
            rows.append({**meta, "section": s.id, "number": s.number, "title": s.title,
                         "start": s.start, "end": s.end, "recovered": s.recovered,
                         "parts": len(s.parts), "items": len(s.items),
                         "sentences": sum(1 for x in s.sentences if x.kind == "text"),
                         "text": r.text[s.start:s.end]})
    return pd.DataFrame(rows, columns=_META + ["section", "number", "title", "start", "end",
                                               "recovered", "parts", "items", "sentences", "text"])


def sentences_frame(reports: Iterable[Report], kinds: tuple[str, ...] = ("text", "heading")
                    ) -> pd.DataFrame:
    """One row per sentence (narrative and headings by default; pass kinds to add tables)."""
    rows = []
    for r in reports:
        meta = _meta(r)
        for sec in r.sections:
            for i, x in enumerate(sec.sentences):
                if x.kind in kinds:
                    rows.append({**meta, "section": sec.id, "index": i, "kind": x.kind,
                                 "start": x.start, "end": x.end, "text": r.text[x.start:x.end]})
    return pd.DataFrame(rows, columns=_META + ["section", "index", "kind", "start", "end", "text"])


def items_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per enumerated item (一是…), with its part when the section has parts."""
    rows = []
    for r in reports:
        meta = _meta(r)
        for sec in r.sections:
            for it in sec.items:
                part = next((p for p in sec.parts if p.start <= it.start < p.end), None)
                rows.append({**meta, "section": sec.id, "part": part.title if part else None,
                             "marker": it.marker, "index": it.index, "start": it.start,
                             "end": it.end, "text": r.text[it.start:it.end]})
    return pd.DataFrame(rows, columns=_META + ["section", "part", "marker", "index", "start",
                                               "end", "text"])


def parts_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """One row per part ((一)…) of every section."""
    rows = []
    for r in reports:
        meta = _meta(r)
        for sec in r.sections:
            for p in sec.parts:
                rows.append({**meta, "section": sec.id, "marker": p.marker, "title": p.title,
                             "start": p.start, "end": p.end,
                             "items": sum(1 for it in sec.items if p.start <= it.start < p.end)})
    return pd.DataFrame(rows, columns=_META + ["section", "marker", "title", "start", "end", "items"])
