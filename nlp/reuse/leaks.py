"""Leaks: copied text that still names the office it was copied from.

A 镇 report that says "我街道", or 永正镇's report that says "努力在南乡镇形成…", betrays its
source. Leaks are looked for in cross-office and regional-model passages only (text that came
from another office), so an office naming its neighbours in its own words is not flagged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.reuse.candidates import ReuseDoc

_LEVEL_WORD = re.compile(r"我(街道|镇|乡|县|区|市|局)")
# a town's own words for itself ("全镇", "乡党委、政府", "街道党工委"): wrong in another town
_TOWN_WORD = re.compile(r"全(街道|镇|乡)|(街道|镇|乡)(?:党委|党工委)")
_TOWN_LEVELS = ("街道", "镇", "乡")
# a town-level place name after a boundary ("在南乡镇", "，董家镇"); 各乡镇 / 全镇 are not names
_NAME_CH = r"(?:(?![在对与和及的了是将为向把被从到于努力形成])[\u4e00-\u9fff])"
# ... and not the first character of a word (乡村振兴, 乡镇, 镇村, 镇街)
_PLACE = re.compile(rf"(?:(?<=[在对与和及、,，。;；:：“（(\s])|^)({_NAME_CH}{{2,4}}?(?:街道|镇|乡))(?![村镇街])")
_NOT_NAMES = ("各", "全", "本", "我", "该", "乡镇", "城乡", "镇村", "镇街", "乡村")
_NOT_INSIDE = ("城乡", "我", "全", "各", "本")
_LEVEL_OF = {"街道": "街道", "镇": "镇", "乡": "乡", "县": "县", "区": "区", "市": "市",
             "局": "部门"}


@dataclass(frozen=True)
class Leak:
    doc: int
    start: int
    end: int
    text: str
    type: str  # "wrong_level" or "other_office"
    family: int | None = None
    source_doc: int | None = None


def find_leaks(doc: ReuseDoc, start: int, end: int, span: str) -> list[tuple[int, int, str, str]]:
    """(start, end, text, type) of every leak inside ``span``, the text of ``doc`` from
    ``start`` to ``end``."""
    out = []
    if doc.level in _LEVEL_OF.values():
        # a department calls itself 我局/我委/我办, a town never 我局
        for m in _LEVEL_WORD.finditer(span):
            if _LEVEL_OF[m.group(1)] != doc.level:
                out.append((start + m.start(), start + m.end(), m.group(0), "wrong_level"))
    if doc.level in _TOWN_LEVELS:
        for m in _TOWN_WORD.finditer(span):
            if (m.group(1) or m.group(2)) != doc.level:
                out.append((start + m.start(), start + m.end(), m.group(0), "wrong_level"))
    own = {n for n in (doc.office_short, doc.office) if n}
    for m in _PLACE.finditer(span):
        name = m.group(1)
        if name.startswith(_NOT_NAMES) or any(w in name for w in _NOT_INSIDE) or \
                any(name in o or o in name for o in own):
            continue
        if doc.region and name in doc.region:
            continue
        out.append((start + m.start(1), start + m.end(1), name, "other_office"))
    return out
