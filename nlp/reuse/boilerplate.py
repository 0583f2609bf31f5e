"""Boilerplate spans: the sentences of each report that reuse detection found copied.

One helper for every analysis that discounts copied text (summaries down-weight it, topic
models drop it). A report's boilerplate is the set of its *matched sentences* in sentence pairs
of the ``template``, ``regional_model`` and ``cross_office`` layers (each pair with its own
family's layer), not the passages' outer spans, so a sentence next to a copied one is not taken
with it. ``regional_model`` is boilerplate: a county's model text in a town's report is not the
town's own wording (the county's own report is discounted too: its model says what every town
says, so it tells the reports apart no better than the template). ``self_copy`` (the office's
own text from last year) is not boilerplate by default: it is still the office's own wording.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Sequence

from nlp.model import Report

#: Passage layers whose sentences count as boilerplate.
BOILERPLATE_LAYERS = ("cross_office", "regional_model", "template")

Span = tuple[int, int]


def boilerplate_spans(result: Any, report: str | Report | None = None,
                      layers: Sequence[str] = BOILERPLATE_LAYERS
                      ) -> dict[str, set[Span]] | set[Span]:
    """(start, end) of every sentence inside a passage of ``layers`` of a
    :class:`~nlp.reuse.detect.ReuseResult`.

    Without ``report``: a dict path → spans for every report reuse detection saw. With
    ``report`` (a Report, or its path as detection saw it; the same file under another spelling
    counts): that report's spans only, an empty set for a report detection never saw.
    """
    table, by_path = result.table, {}
    # a view of a result (nlp.report.study) may know passage layers only
    layer_of = getattr(result, "match_layer", None) or (lambda p, m: result.passage_layer(p))
    for p in result.passages:
        for m in p.pairs:
            if layer_of(p, m) not in layers:
                continue
            for i in (m.i, m.j):
                by_path.setdefault(table.docs[table.doc[i]].path, set()).add(
                    (table.start[i], table.end[i]))
    if report is None:
        return by_path
    path = report.path if isinstance(report, Report) else str(report)
    return {s for p, spans in by_path.items() if _same_path(p, path) for s in spans}


def _same_path(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    return a == b or Path(a).resolve() == Path(b).resolve()


def covered_share(start: int, end: int, spans: Iterable[Span]) -> float:
    """Share of [start, end) inside the union of ``spans`` (0 for an empty range)."""
    if end <= start:
        return 0.0
    pieces = sorted((max(a, start), min(b, end)) for a, b in spans if a < end and start < b)
    covered, pos = 0, start
    for a, b in pieces:
        a = max(a, pos)
        if b > a:
            covered += b - a
            pos = b
    return covered / (end - start)
