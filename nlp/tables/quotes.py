"""Request counts the narrative quotes ("全年收到政府信息公开申请 34 件", "未收到依申请公开信息").

The text-against-table check compares these with table 三. Matching runs on the report text
with whitespace removed (``nlp.text.normalize.compact``), because PDF text wraps lines inside a
phrase ("受理政府\\n信息公开申请 17 件"); every quote keeps its offsets in ``report.text``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.model import Report, Table
from nlp.text.normalize import chinese_number, compact, fold_width

#: Table-三 rows a quote can be compared with (column ``total``).
QUOTED_ROWS = ("new_received", "carried_in")

_NUM = r"(?P<num>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"
_UNIT = r"(?P<unit>件|条|个|份|宗|起|次)"
_GAP = r"[^，。；,;:：、！？!?()（）\d]"  # no clause break, no digit between verb and number
_RECEIVED = re.compile(rf"(?P<verb>收到|受理|接到|接收|新收)(?P<mid>{_GAP}{{0,20}}?){_NUM}{_UNIT}")
_CARRIED = re.compile(rf"(?P<verb>上一?年度?结转)(?P<mid>{_GAP}{{0,16}}?){_NUM}{_UNIT}")
_NONE = re.compile(rf"(?P<verb>未(?:收到|受理|接到|接收))(?P<mid>{_GAP}{{0,20}})")


@dataclass(frozen=True)
class Quote:
    """A request count in the narrative: which table-三 row it speaks of, its value and offsets."""

    row: str
    value: int | float
    text: str
    start: int
    end: int


def _about_requests(mid: str) -> bool:
    """The words between verb and number speak of 信息公开 requests, not 复议/诉讼 or 审批."""
    return "申请" in mid and "公开" in mid and not any(w in mid for w in ("复议", "诉讼"))


def find_request_quotes(report: Report, table: Table | None = None) -> list[Quote]:
    """Every request count the text quotes, in text order; table cells' own spans are skipped."""
    text, offsets = compact(fold_width(report.text))
    in_cells = [(c.start, c.end) for c in (table.cells if table else []) if c.start is not None]
    quotes: list[Quote] = []

    def add(row: str, a: int, b: int, value: int | float | None) -> None:
        """Keep the quote text[a:b] (compacted indices) unless it lies inside a table cell."""
        start, end = offsets[a], offsets[b - 1] + 1
        if value is None or any(s < end and start < e for s, e in in_cells):
            return
        quotes.append(Quote(row, value, text[a:b], start, end))

    for m in _RECEIVED.finditer(text):
        if _about_requests(m["mid"]):
            add("new_received", m.start(), m.end(), chinese_number(m["num"]))
    for m in _CARRIED.finditer(text):
        if "申请" in m["mid"] and not any(w in m["mid"] for w in ("复议", "诉讼")):
            add("carried_in", m.start(), m.end(), chinese_number(m["num"]))
    for m in _NONE.finditer(text):
        # End the quote at its noun: 未收到依申请公开信息 | 未收到有关政府信息公开申请.
        noun_end = max(m["mid"].rfind("申请"), m["mid"].rfind("信息")) + 2
        said = m["mid"][:noun_end] if noun_end >= 2 else ""
        if "公开" in said and not any(w in said for w in ("复议", "诉讼")):
            add("new_received", m.start(), m.start("mid") + noun_end, 0)
    return sorted(quotes, key=lambda q: q.start)
