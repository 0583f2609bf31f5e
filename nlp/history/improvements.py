"""Last year's promised improvements, and whether this year's report says they were done.

A promise is a unit of the previous report's section 五 labelled ``improvement`` by the
statement classifier. The evidence that it was done is a sentence of this year's report, in any
narrative section, that

* is not itself a plan: not a unit labelled problem or improvement in section 五, and no
  future wording (下一步, 将…, 计划, 拟: ``_PLAN``);
* was not carried over: the reuse alignment did not align it with the previous report (last
  year's sentence copied again says nothing about this year);
* is about the same thing: centred cosine (``similarity.py``) at least ``IMPROVEMENT_COSINE``.

The best such sentence is the evidence. This tells "the report says something was done about
it" from "the report does not mention it", no more: as far as the text lets one tell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.history.pairs import AlignedSentence
from nlp.history.problems import Statement
from nlp.history.similarity import cosine
from nlp.model import Report

#: Centred cosine at which a sentence of this year reports a promise of last year as done.
#: Measured on the 28 promises of the 平潭 and 洪泽 pairs, the best candidate of each read by
#: hand (``benchmarks/history.md``): 9 were real evidence (0.40–0.66), 19 not (at most 0.555);
#: above 0.56 stand 3 real ones and no false one (precision first, recall 3 of 9).
IMPROVEMENT_COSINE = 0.56
#: Shorter sentences say too little to be evidence (单位：件).
MIN_EVIDENCE_CHARS = 15
_PLAN = re.compile(r"下一步|将(?:进一步|继续|持续|加强|重点|着力|不断|以)|计划|拟|打算|今后|明年|\d{4}年(?:，|,)?(?:我|将)")
_SKIP_SECTIONS = {"page_chrome", "preamble", "closing"}


@dataclass(frozen=True)
class Outcome:
    promise: Statement
    reported: bool
    similarity: float | None  # best cosine found, reported or not (None: no candidate)
    evidence: tuple[str, int, int] | None  # (section, start, end) of the evidence sentence


def candidate_sentences(report: Report, units: list[Statement],
                        aligned: list[AlignedSentence]) -> list[tuple[str, int, int]]:
    """This year's sentences that may report a promise done (see the module docstring)."""
    labelled = [(u.start, u.end) for u in units if u.labels]
    copied = {(a.start, a.end) for a in aligned}
    out = []
    for sec, s in report.iter_sentences(("text",)):
        text = report.text[s.start:s.end]
        if (sec.id in _SKIP_SECTIONS or len(text.strip()) < MIN_EVIDENCE_CHARS
                or (s.start, s.end) in copied or _PLAN.search(text)
                or any(a < s.end and s.start < b for a, b in labelled)):
            continue
        out.append((sec.id, s.start, s.end))
    return out


def promised_improvements(report: Report, units: list[Statement], previous_units: list[Statement],
                          aligned: list[AlignedSentence], threshold: float = IMPROVEMENT_COSINE
                          ) -> list[Outcome]:
    """One outcome per improvement the previous report promised."""
    promises = [s for s in previous_units if "improvement" in s.labels]
    if not promises:
        return []
    candidates = candidate_sentences(report, units, aligned)
    if not candidates:
        return [Outcome(p, False, None, None) for p in promises]
    sims = cosine([p.text for p in promises], [report.text[a:b] for _, a, b in candidates])
    out = []
    for p, row in zip(promises, sims):
        j = int(row.argmax())
        best = round(float(row[j]), 4)
        done = best >= threshold
        out.append(Outcome(p, done, best, candidates[j] if done else None))
    return out
