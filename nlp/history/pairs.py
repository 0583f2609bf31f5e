"""Which report each report is compared with, and what the reuse detector aligned between them.

An office's reports are put in year order and each is paired with the office's latest earlier
report in the corpus (a missing year is skipped over, never invented). The office is
``office_id`` (``nlp.dataset.schema``: the division code, ``CODE:NAME`` for a department, else
the normalised name), falling back to ``nlp.tables.checks.office_key`` when the report names no
office id: a town's short name alone (城关镇) is shared by hundreds of towns.

The alignment is the reuse detector's (``nlp.reuse.detect``), never a second aligner: its
passages between a report and its previous report, whatever their layer, as sentence pairs.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from nlp.frames import report_key
from nlp.model import Report
# BATCH_REPORTS: reports per detector run, whole offices packed (its measurement there);
# the streamed history runs the detector on exactly these batches.
from nlp.offices import BATCH_REPORTS, pack_offices
from nlp.progress import track
from nlp.tables.checks import office_identity


@dataclass(frozen=True)
class AlignedSentence:
    """One sentence of this report aligned with one of the previous report (reuse detector)."""

    section: str
    start: int
    end: int
    previous_section: str
    previous_start: int
    previous_end: int
    similarity: float
    kind: str  # exact, near or semantic (nlp.reuse.align.SentenceMatch.kind)


@dataclass
class Alignment:
    """Per report: its narrative sentences as reuse detection reads them (section, start, end)
    and its sentences aligned with the previous report."""

    narrative: dict[int, list[tuple[str, int, int]]] = field(default_factory=dict)
    aligned: dict[int, list[AlignedSentence]] = field(default_factory=dict)


#: The office identity reports are grouped by (see the module docstring): the checks' rule.
office_of = office_identity


def previous_index(reports: Sequence[Report]) -> list[int | None]:
    """For each report, the index of the same office's latest report of an earlier year.

    Several reports of that year (one report read from two files): the first by path, so the
    answer does not depend on the order the files were read in.
    """
    by_office: dict[str, list[int]] = defaultdict(list)
    for k, r in enumerate(reports):
        office = office_of(r)
        if office and r.meta.year is not None:
            by_office[office].append(k)
    out: list[int | None] = [None] * len(reports)
    for ids in by_office.values():
        ids.sort(key=lambda k: (reports[k].meta.year, reports[k].path or "", k))
        for k in ids:
            year = reports[k].meta.year
            earlier = [x for x in ids if reports[x].meta.year < year]
            if earlier:
                latest = reports[earlier[-1]].meta.year
                out[k] = next(x for x in earlier if reports[x].meta.year == latest)
    return out


def order_key(report: Report, k: int = 0) -> tuple:
    """Where a report's rows go in every history frame: by office (none first), then year
    (unknown last), then path. The stream's batches follow it too (``nlp/history/stream.py``)."""
    return (office_of(report) or "", report.meta.year is None, report.meta.year or 0,
            report.path or "", k)


def office_batches(reports: Sequence[Report], size: int = BATCH_REPORTS) -> list[list[int]]:
    """Report indices in history order (``order_key``), whole offices packed into batches of
    about ``size`` (:func:`nlp.offices.pack_offices`); a report without an office is a batch
    member of its own. The same batches :class:`nlp.history.stream.HistoryBatches` yields, so
    the detector sees the same reports in memory and streamed (its semantic neighbours depend
    on which reports share a run)."""
    groups: dict[str, list[int]] = {}
    for k in sorted(range(len(reports)), key=lambda k: order_key(reports[k], k)):
        office = office_of(reports[k])
        groups.setdefault(office if office else f"\0{k}", []).append(k)
    return pack_offices(groups.values(), size)


def align(reports: Sequence[Report], previous: Sequence[int | None], reuse=None,
          progress: bool = False, detector: Callable | None = None,
          size: int = BATCH_REPORTS) -> Alignment:
    """The reuse detector's sentence alignment between every report and its previous report.

    ``reuse``: a :class:`~nlp.reuse.detect.ReuseResult` over (a superset of) these reports;
    None runs the detector here on ``office_batches(reports, size)``, each on its reports that
    take part in a comparison; passages between other reports than a report and its previous
    one are left out.
    """
    from nlp.reuse.detect import detect

    out = Alignment()
    if reuse is not None:
        _collect(reuse, list(range(len(reports))), reports, previous, out)
        return out
    compared = {k for k, p in enumerate(previous) if p is not None} | \
        {p for p in previous if p is not None}
    runs = [run for run in ([k for k in b if k in compared] for b in office_batches(reports, size))
            if run]
    for group in track(runs, "Aligning years") if progress else runs:
        result = (detector or detect)([reports[k] for k in group])
        _collect(result, group, reports, previous, out)
    return out


def _collect(result, group: list[int], reports: Sequence[Report],
             previous: Sequence[int | None], out: Alignment) -> None:
    """Narrative sentences and aligned pairs of ``group`` (report indices) from one ReuseResult.

    The result's documents are matched to the reports by ``report_id`` (the text's hash), so a
    result computed over a larger corpus, in another order, serves as well.
    """
    t = result.table
    ids = {report_key(reports[k])["report_id"]: k for k in group}
    by_report, bounds = _table_index(result)
    doc_to_report = {d: k for rid, k in ids.items() for d in by_report.get(rid, ())}
    if bounds is not None:  # sentences of a document are contiguous: read only the group's
        rows = (i for d in sorted(doc_to_report) for i in range(bounds[d], bounds[d + 1]))
    else:
        rows = (i for i in range(len(t)) if t.doc[i] in doc_to_report)
    for i in rows:
        out.narrative.setdefault(doc_to_report[t.doc[i]], []).append(
            (t.section[i], t.start[i], t.end[i]))
    for k in group:
        out.narrative.setdefault(k, [])
    for p in result.passages:
        ka, kb = doc_to_report.get(p.a), doc_to_report.get(p.b)
        if ka is None or kb is None:
            continue
        for this, prev, flip in ((ka, kb, False), (kb, ka, True)):
            if previous[this] != prev:
                continue
            seen = {(a.start, a.previous_start) for a in out.aligned.get(this, [])}
            for m in p.pairs:
                i, j = (m.j, m.i) if flip else (m.i, m.j)
                if (t.start[i], t.start[j]) in seen:
                    continue
                seen.add((t.start[i], t.start[j]))
                out.aligned.setdefault(this, []).append(AlignedSentence(
                    t.section[i], t.start[i], t.end[i], t.section[j], t.start[j], t.end[j],
                    m.similarity, m.kind))


def _table_index(result) -> tuple[dict[str, list[int]], list[int] | None]:
    """report_id → documents of ``result``'s table, and where each document's sentences start
    (None when the table is not in document order), made once per table: a corpus-wide
    result serves batch after batch (``govnlp report``), and walking every document and
    sentence per batch made that quadratic."""
    t = result.table
    cached = getattr(t, "_history_index", None)
    if cached is None:
        by_report: dict[str, list[int]] = defaultdict(list)
        for d in range(len(t.docs)):
            by_report[result.doc_key(d)["report_id"]].append(d)
        doc = np.asarray(t.doc, dtype=np.int64)
        ordered = bool(len(doc) == 0 or (np.diff(doc) >= 0).all())
        bounds = (np.searchsorted(doc, np.arange(len(t.docs) + 1)).tolist() if ordered else None)
        cached = (dict(by_report), bounds)
        t._history_index = cached
    return cached
