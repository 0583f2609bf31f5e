"""Problems a report names again: its problem statements that the previous report already named.

Statements are section 五's units as the statement classifier labels them (``nlp.classify``,
public API only). A problem of this year is linked to one problem of the previous report

* when the reuse alignment covers it: one of its sentences is aligned (exact, near or semantic,
  ``pairs.AlignedSentence``) with a sentence inside that previous problem; the match's
  similarity is kept and ``match`` is the alignment's kind;
* else by meaning: the centred cosine of the two statements (``similarity.py``) is at least
  ``PROBLEM_COSINE``; ``match`` is ``embedding``.

Each problem of this year is linked at most once, to its best previous problem.
"""
from __future__ import annotations

from dataclasses import dataclass

from nlp.history.pairs import AlignedSentence
from nlp.history.similarity import cosine

#: Centred cosine at which two problem statements are taken to name one problem. Measured on
#: the 11 consecutive 平潭 pairs (23 best matches read by hand, ``benchmarks/history.md``): the
#: true repeats scored 0.10–0.58, the unrelated best matches at most 0.423; every true repeat
#: above 0.43 is kept and no unrelated one (recall 3 of 7 there, precision first).
PROBLEM_COSINE = 0.43


@dataclass(frozen=True)
class Statement:
    """One classified statement unit (a row of ``StatementClassifier.classify_report``)."""

    section: str
    start: int
    end: int
    text: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    this: Statement
    previous: Statement
    similarity: float
    match: str  # exact, near, semantic (reuse alignment) or embedding


def statements(rows: list[dict]) -> list[Statement]:
    return [Statement(r["section"], r["start"], r["end"], r["text"], tuple(r["labels"]))
            for r in rows]


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def repeated_problems(this: list[Statement], previous: list[Statement],
                      aligned: list[AlignedSentence], threshold: float = PROBLEM_COSINE
                      ) -> list[Link]:
    """Links from this year's problems to the previous report's (see the module docstring)."""
    now = [s for s in this if "problem" in s.labels]
    before = [s for s in previous if "problem" in s.labels]
    if not now or not before:
        return []
    links: list[Link] = []
    unlinked = []
    for s in now:
        best = None
        for a in aligned:
            if not _overlaps(s.start, s.end, a.start, a.end):
                continue
            for p in before:
                if _overlaps(p.start, p.end, a.previous_start, a.previous_end) and \
                        (best is None or a.similarity > best.similarity):
                    best = Link(s, p, a.similarity, a.kind)
        if best is not None:
            links.append(best)
        else:
            unlinked.append(s)
    if unlinked:
        sims = cosine([s.text for s in unlinked], [p.text for p in before])
        for row, s in zip(sims, unlinked):
            j = int(row.argmax())
            if row[j] >= threshold:
                links.append(Link(s, before[j], round(float(row[j]), 4), "embedding"))
    return sorted(links, key=lambda l: l.this.start)
