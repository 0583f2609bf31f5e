"""Statement units: what the classifiers label.

A unit is an enumerated item (一是…, 1、…, (1)…) where the text enumerates, otherwise a sentence;
part headings ((一)主要问题) are units too, so a classifier learns that they carry no label. Each
unit keeps its section id and offsets into ``report.text``.
"""
from __future__ import annotations

from dataclasses import dataclass

from nlp.model import Item, Report, Section


@dataclass(frozen=True)
class Unit:
    section: str
    start: int
    end: int
    text: str
    kind: str  # "item", "sentence" or "heading"


def _leaf_items(items: list[Item]) -> list[Item]:
    """Items that hold no other item: "1、…一是…二是…" yields the 一是/二是 items."""
    return [a for a in items
            if not any(b is not a and a.start <= b.start and b.end <= a.end and
                       (b.start, b.end) != (a.start, a.end) for b in items)]


def section_units(report: Report, section: Section) -> list[Unit]:
    """Units of one section, in text order (tables and the section heading are left out)."""
    leaves = _leaf_items(section.items)
    units = [Unit(section.id, it.start, it.end, report.text[it.start:it.end], "item")
             for it in leaves]
    for sent in section.sentences:
        if sent.kind in ("table", "chrome") or (sent.kind == "heading" and sent.start == section.start):
            continue
        kind = "heading" if sent.kind == "heading" else "sentence"
        for a, b in _uncovered(sent.start, sent.end, leaves):
            text = report.text[a:b]
            a, b = a + len(text) - len(text.lstrip()), a + len(text.rstrip())
            if b - a >= 2:  # a lead-in before 一是 ("主要表现在：") is a unit of its own
                units.append(Unit(section.id, a, b, report.text[a:b], kind))
    return sorted(units, key=lambda u: u.start)


def _uncovered(start: int, end: int, items: list[Item]) -> list[tuple[int, int]]:
    """The pieces of [start, end) that no item covers."""
    pieces, pos = [], start
    for it in sorted(items, key=lambda i: i.start):
        if it.end <= pos or it.start >= end:
            continue
        if it.start > pos:
            pieces.append((pos, it.start))
        pos = max(pos, it.end)
    if pos < end:
        pieces.append((pos, end))
    return pieces


def statement_units(report: Report, sections: tuple[str, ...] | None = None) -> list[Unit]:
    """Units of every narrative section (or only of ``sections``); never of the page's chrome."""
    out: list[Unit] = []
    for sec in report.sections:
        if sec.id != "page_chrome" and (sections is None or sec.id in sections):
            out.extend(section_units(report, sec))
    return out
