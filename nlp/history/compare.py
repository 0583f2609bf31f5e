"""What a report carried over from its previous report: shares of text, and figures that changed.

``carried_over_share`` is the share of the report's narrative characters (the sentences reuse
detection reads: 12+ characters once masked) that the detector aligned with the previous
report, verbatim, edited, names swapped or paraphrased: the same base as the reuse shares, so
the two can be read side by side.

A changed figure is one number that stands in both years at the same place, with another value:

* text: inside a pair of aligned sentences, a number whose preceding words (``CONTEXT``
  characters, digits and spaces dropped) are the same in both sentences, e.g. 主动公开政府信息
  68 条 → 75 条; only numbers followed by a measure word count (``_FIGURE``), so years and
  dates (2021年, 3月15日) are not figures;
* tables: a cell of the same table, row and column (``nlp.tables.tables_of``) in both years
  whose values differ (a blank cell is not compared).

Each is written ``WHAT: PREVIOUS → CURRENT``: ``WHAT`` is ``requests.new_received.total`` for a
cell and the preceding words for a figure of the text.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from nlp.history.pairs import AlignedSentence
from nlp.model import Report

#: Shares are rounded like the reuse shares (``nlp.reuse.measures.SHARE_DIGITS``).
SHARE_DIGITS = 4
#: A report whose narrative is this share or more aligned with the previous report is
#: ``near_identical`` (the brief's definition; on the 平潭 reports the shares are ≤ 0.5).
NEAR_IDENTICAL = 0.75
#: Characters of preceding words that name a figure of the text.
CONTEXT = 6
#: A figure is a number followed by its measure word (68条, 77%, 133890人次): that leaves out
#: years and dates, and the digit runs of a statistics table flattened into a line
#: (历年累计主动公开文件数条294981916其中, read in the 2015 平潭 report), which no unit follows.
_FIGURE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?=\s*[条件篇次个家项期份人户所场批例册万亿元%％])")
_NOT_WORD = re.compile(r"[\d\s.,，、：:；;（）()%％]+")


def carried_chars(narrative: list[tuple[str, int, int]], aligned: list[AlignedSentence]
                  ) -> tuple[Counter, Counter]:
    """Narrative characters and carried-over characters per section (and ``all``).

    A sentence counts once however many previous sentences it is aligned with."""
    total, carried = Counter(), Counter()
    done = {(a.start, a.end) for a in aligned}
    for section, start, end in narrative:
        n = end - start
        for key in (section, "all"):
            total[key] += n
            if (start, end) in done:
                carried[key] += n
    return total, carried


def share(carried: int, total: int) -> float | None:
    return round(carried / total, SHARE_DIGITS) if total else None


def _figures(text: str) -> dict[str, str]:
    """Numbers of a sentence keyed by their preceding words (the first of a repeated key)."""
    out: dict[str, str] = {}
    for m in _FIGURE.finditer(text):
        before = _NOT_WORD.sub("", text[max(0, m.start() - 3 * CONTEXT):m.start()])[-CONTEXT:]
        if before:
            out.setdefault(before, m.group())
    return out


def text_changes(report: Report, previous: Report, aligned: list[AlignedSentence]
                 ) -> dict[str, list[str]]:
    """Changed figures of the text, per section of this report."""
    out: dict[str, list[str]] = defaultdict(list)
    for a in aligned:
        now = _figures(report.text[a.start:a.end])
        before = _figures(previous.text[a.previous_start:a.previous_end])
        for what, value in now.items():
            old = before.get(what)
            if old is not None and float(old) != float(value):
                out[a.section].append(f"{what}: {old} → {value}")
    return out


def table_changes(report: Report, previous: Report) -> dict[str, list[str]]:
    """Changed table cells, per table (whose id is the section holding it)."""
    from nlp.tables.checks import _safe_tables  # one bad table must not stop the history

    def cells(r: Report) -> dict[tuple[str, str, str], float]:
        return {(c.table, c.row, c.column): c.value for t in _safe_tables(r)[0]
                for c in t.cells if c.value is not None}

    now, before = cells(report), cells(previous)
    out: dict[str, list[str]] = defaultdict(list)
    for key in sorted(now.keys() & before.keys()):
        if abs(now[key] - before[key]) > 1e-9:
            out[key[0]].append(f"{'.'.join(key)}: {_plain(before[key])} → {_plain(now[key])}")
    return out


def _plain(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)
