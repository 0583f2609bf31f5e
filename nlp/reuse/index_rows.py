"""Rows of the corpus index (``store.py``): a report's identity and stored shape, and back.

A report is stored once per identity: the hash of its decoded text, its resolved office and
its year, never the spelling of its path (the same file added as ``./a.txt`` and ``a.txt`` is
one report). Its sentences are stored with their section, so detection can be re-run over the
stored corpus without reading or segmenting a file again: :func:`stored_reports` rebuilds just
what :func:`nlp.reuse.detect.detect` reads (path, metadata, text, sections and sentences).
"""
from __future__ import annotations

import json
from dataclasses import asdict, fields

import pandas as pd

from nlp.dataset.schema import office_id, report_id
from nlp.model import Report, ReportMeta, Section, Sentence

#: The metadata columns of ``reports`` (every field of ReportMeta, in its order).
META_FIELDS = [f.name for f in fields(ReportMeta)]
_INT_META = ("year", "days_after_deadline")


def identity(report: Report) -> tuple[str, str | None, int | None]:
    """(report_id, office_id, year): the hash of the decoded text (``nlp.dataset.schema``), the
    resolved office (division code, else the normalised name) and the year."""
    m = report.meta
    return report_id(report.text), office_id(m.office, m.level, m.division_code), m.year


def report_rows(reports: list[Report], first_seq: int) -> dict[str, pd.DataFrame]:
    """The rows of ``reports`` for the tables reports, sections, sentences and cells; ``seq``
    numbers the stored reports in the order added (two reports may share a report_id: the same
    text published by two offices)."""
    from nlp.tables import tables_of

    reps, secs, sents, cells = [], [], [], []
    for rid, r in enumerate(reports, first_seq):
        h, oid, _ = identity(r)
        reps.append({"seq": rid, "report_id": h, "office_id": oid, "path": r.path,
                     "format": r.format, "encoding": r.encoding, **asdict(r.meta),
                     "chars": len(r.text), "sections": len(r.sections), "warnings": json.dumps(list(r.warnings), ensure_ascii=False),
                     "source_meta": json.dumps(r.source_meta, ensure_ascii=False), "text": r.text})
        for k, s in enumerate(r.sections):
            secs.append({"seq": rid, "sec_index": k, "section": s.id, "number": s.number,
                         "title": s.title, "start": s.start, "end": s.end,
                         "heading_end": s.heading_end, "recovered": s.recovered,
                         "parts": len(s.parts), "items": len(s.items),
                         "sentences": sum(1 for x in s.sentences if x.kind == "text")})
            sents.extend({"seq": rid, "sec_index": k, "section": s.id, "index": i,
                          "kind": x.kind, "start": x.start, "end": x.end}
                         for i, x in enumerate(s.sentences))
        for t in tables_of(r):
            cells.extend({"seq": rid, "table": t.id, "row": c.row, "column": c.column,
                          "value": None if c.value is None else float(c.value),
                          "start": c.start, "end": c.end} for c in t.cells)
    frames = {"reports": pd.DataFrame(reps), "sections": pd.DataFrame(secs),
              "sentences": pd.DataFrame(sents), "cells": pd.DataFrame(cells),
              "statements": statement_rows(reports, first_seq)}
    for col in (*_INT_META, "heading_end", "start", "end"):  # None stays NULL, not 2023.0
        for df in frames.values():
            if col in df.columns:
                df[col] = pd.array(df[col].tolist(), dtype="Int64")
    return frames


#: Reports per unit of work when the rows are made on a mapper's workers (each unit loads the
#: statement classifier once, about a second; 500 reports take about 5 s).
ROWS_CHUNK = 500


def rows_chunk(work: tuple[list[Report], int]) -> dict[str, pd.DataFrame]:
    """``report_rows`` of one chunk (a top-level function: mappers pickle it to workers)."""
    return report_rows(*work)


def mapped_rows(reports: list[Report], first_seq: int, mapper) -> dict[str, pd.DataFrame]:
    """``report_rows`` of all ``reports``, the table parsing and classifying spread over
    ``mapper``'s workers in chunks of :data:`ROWS_CHUNK`; seq numbers as if made in one go."""
    chunks = [(reports[k:k + ROWS_CHUNK], first_seq + k) for k in range(0, len(reports), ROWS_CHUNK)]
    parts = mapper(rows_chunk, chunks)
    return {t: pd.concat([p[t] for p in parts if len(p[t])] or [parts[0][t]], ignore_index=True)
            for t in parts[0]}


def statement_rows(reports: list[Report], first_seq: int) -> pd.DataFrame:
    """Section 五's statement units with the shipped classifier's labels, topics and
    probabilities (``nlp.classify.model.statements_frame``), keyed by ``seq``; the key columns
    come from ``reports`` when read, the text from the report, lists are stored as JSON text."""
    from nlp.classify.model import statements_frame
    from nlp.dataset.schema import KEY_NAMES

    frame = statements_frame(reports)
    seq = {identity(r): k for k, r in enumerate(reports, first_seq)}
    keys = zip(frame["report_id"], frame["office_id"], frame["year"])
    frame.insert(0, "seq", [seq[(h, None if o is pd.NA else o, None if y is pd.NA else int(y))]
                            for h, o, y in keys])
    frame = frame.drop(columns=[*KEY_NAMES, "text"])
    for col in ("labels", "topics"):
        frame[col] = [json.dumps(list(v), ensure_ascii=False) for v in frame[col]]
    return frame


def stored_reports(reports: pd.DataFrame, sentences: pd.DataFrame) -> list[Report]:
    """Reports rebuilt from stored rows: what detection reads (no file is read or segmented).

    ``reports`` has seq, path, text and the metadata; ``sentences`` the narrative sentences
    (seq, sec_index, section, start, end, kind), in report and section order.
    """
    by_report: dict[int, dict[int, Section]] = {}
    for rid, k, sec, start, end, kind in zip(sentences["seq"], sentences["sec_index"],
                                             sentences["section"], sentences["start"],
                                             sentences["end"], sentences["kind"]):
        secs = by_report.setdefault(int(rid), {})
        if k not in secs:
            secs[k] = Section(sec, 0, 0)
        secs[k].sentences.append(Sentence(int(start), int(end), kind))
    out = []
    for row in reports.itertuples(index=False):
        meta = ReportMeta(**{f: _plain(getattr(row, f)) for f in META_FIELDS})
        secs = by_report.get(int(row.seq), {})
        out.append(Report(text=row.text, path=row.path, meta=meta,
                          sections=[secs[k] for k in sorted(secs)]))
    return out


def _plain(value):
    """A pandas cell as the model holds it: NA → None, numpy integers → int."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return int(value) if hasattr(value, "item") and not isinstance(value, str) else value


