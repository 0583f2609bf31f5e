"""Find a report's numbered sections and map each to its canonical id.

Heading *candidates* are every Chinese numeral + 、/./, that does not follow a letter; each is
scored against the heading rules (``rules.tsv``). A small dynamic programme then picks the chain
of candidates that best reads as a report outline: canonical ids in template order, numerals
counting up (a restart is allowed once for layouts that number their tables anew), strong
title matches preferred. Table row labels (一、本年新收…) and lists of section names therefore
never open a section, even in web crawls that flattened the report into one line.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from nlp.model import Section
from nlp.text.normalize import chinese_numeral, chinese_numeral_value, compact, fold_width, is_cjk

#: Template order of the canonical ids; ``extra`` sections may stand anywhere after the first.
ORDER = {"overview": 1, "proactive": 2, "requests": 3, "fees": 4, "review_litigation": 5,
         "problems": 6, "other": 7}
POST_2019 = ("overview", "proactive", "requests", "review_litigation", "problems", "other")
PRE_2019 = ("overview", "proactive", "requests", "problems")  # the older layouts vary beyond these
_SCORE = {"strong": 4.0, "weak": 2.5}
_GENERIC_EXTRA = 1.0

_HEAD = re.compile(r"([一二三四五六七八九十]{1,3})[ \t]{0,3}[、.,](?!\d)")
_LINE_PREFIX = set(" \t#*>|")
_TITLE_WINDOW = 60


@dataclass(frozen=True)
class Rule:
    id: str
    strength: str
    position: int | None
    pattern: re.Pattern


@lru_cache(maxsize=None)
def load_rules() -> tuple[Rule, ...]:
    """The heading rules from the package's ``rules.tsv`` (id, strength, position, pattern)."""
    raw = resources.files("nlp.segment").joinpath("rules.tsv").read_text(encoding="utf-8")
    rows = [line for line in raw.splitlines() if line.strip() and not line.startswith("#")]
    rules = []
    for rid, strength, position, pattern in csv.reader(rows, delimiter="\t", quoting=csv.QUOTE_NONE):
        pos = None if position == "-" else int(position)
        rules.append(Rule(rid, strength, pos, re.compile(pattern)))
    return tuple(rules)


@dataclass
class Candidate:
    """A numeral that might open a section, with the ids its title could stand for."""

    start: int
    number: int
    numeral: str
    title_start: int
    title: str = ""
    title_end: int = 0  # set when the heading stands alone on its line
    options: dict[str, float] = field(default_factory=dict)
    strong: set[str] = field(default_factory=set)
    ends: dict[str, int] = field(default_factory=dict)  # title end per reading, flattened text


def _at_line_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] != "\n":
        if text[i] not in _LINE_PREFIX:
            return False
        i -= 1
    return True


def _candidate(text: str, folded: str, m: re.Match) -> Candidate | None:
    start = m.start(1)
    prev = folded[start - 1] if start > 0 else "\n"
    if prev in "(（第之":
        return None
    number = chinese_numeral_value(m.group(1))
    if not number:
        return None
    sep_end = m.end()
    window, offsets = compact(folded, sep_end, min(len(folded), sep_end + _TITLE_WINDOW))
    if not window:
        return None
    cand = Candidate(start, number, m.group(1), sep_end)
    for rule in load_rules():
        hit = rule.pattern.match(window)
        if not hit or hit.end() == 0:
            continue
        if rule.strength == "table":
            return None
        score = _SCORE.get(rule.strength, 2.0) + (0.5 if rule.position == number else 0.0)
        if score > cand.options.get(rule.id, 0.0):
            cand.options[rule.id] = score
            cand.ends[rule.id] = offsets[hit.end() - 1] + 1
        if rule.strength == "strong":
            cand.strong.add(rule.id)
    if is_cjk(prev) and not cand.strong:
        return None  # "…元三、收到和处理…" in a crawl is a heading; "统一、规范" is not
    line_end = text.find("\n", sep_end)
    line_end = len(text) if line_end < 0 else line_end
    rest = text[sep_end:line_end].strip()
    own_line = (_at_line_start(text, start) and 2 <= len(rest) <= 30
                and not any(c in rest for c in "。;；\t|") and not rest[-1].isdigit())
    if own_line:
        # heading alone on its line: the title is the line as written
        cand.title = rest.strip("*# ")
        cand.title_end = sep_end + len(text[sep_end:line_end].rstrip())
        cand.options.setdefault("extra", _GENERIC_EXTRA)
        cand.ends.clear()
    if not cand.options:
        return None
    if _is_list_item(folded, max(cand.ends.values(), default=cand.title_end)):
        return None
    return cand


def _heading_end(cand: Candidate, label: str, text: str) -> tuple[int, str]:
    """Where the heading of ``cand`` read as ``label`` ends, and its title as written."""
    end = cand.ends.get(label)
    if end is None:
        return cand.title_end, cand.title
    return end, text[cand.title_start:end].strip().strip("*")


def _is_list_item(folded: str, title_end: int) -> bool:
    """'一、总体情况；二、主动公开…' in a preamble lists the sections: no heading stands there."""
    tail = folded[title_end:title_end + 6].lstrip()
    return bool(tail) and tail[0] in "、,;；，" and bool(_HEAD.match(tail[1:].lstrip()))


def find_candidates(text: str, folded: str | None = None) -> list[Candidate]:
    """Every plausible section heading in ``text``, in text order."""
    folded = fold_width(text) if folded is None else folded
    out = []
    for m in _HEAD.finditer(folded):
        cand = _candidate(text, folded, m)
        if cand is not None:
            out.append(cand)
    return out


def _transition(prev_num: int, prev_label: str | None, prev_order: int, cand: Candidate,
                label: str) -> float | None:
    """Score for stepping from a chosen heading to ``cand`` read as ``label``; None = invalid."""
    if label != "extra":
        order = ORDER[label]
        if order <= prev_order and not (label == prev_label == "problems"):
            return None
    elif prev_label is None and cand.number != 1:
        return None
    step = cand.number - prev_num
    if step == 1:
        return 1.0
    if step > 1:
        return -1.5 * (step - 1)
    # numbering starts anew (tables numbered separately): only on a template title
    if cand.number == 1 and label in cand.strong:
        return -1.5
    return None


def choose_headings(cands: list[Candidate]) -> list[tuple[Candidate, str]]:
    """The best-scoring chain of (candidate, section id), by dynamic programming."""
    # state key: (label, order) -> (score, previous state index)
    states: list[dict[tuple[str, int], tuple[float, tuple[int, str, int] | None]]] = []
    best_total, best_end = 0.0, None
    for i, cand in enumerate(cands):
        here: dict[tuple[str, int], tuple[float, tuple[int, str, int] | None]] = {}
        for label, base in cand.options.items():
            options = [(0.0, 0, None, 0, None)]  # start of text
            for j in range(i):
                for (plabel, porder), (pscore, _) in states[j].items():
                    options.append((pscore, cands[j].number, plabel, porder, (j, plabel, porder)))
            for pscore, pnum, plabel, porder, back in options:
                step = _transition(pnum, plabel, porder, cand, label)
                if step is None:
                    continue
                order = ORDER.get(label, porder)
                score = pscore + base + step
                key = (label, order)
                if key not in here or score > here[key][0]:
                    here[key] = (score, back)
        states.append(here)
        for (label, order), (score, _) in here.items():
            if score > best_total:
                best_total, best_end = score, (i, label, order)
    chain = []
    node = best_end
    while node is not None:
        i, label, order = node
        chain.append((cands[i], label))
        node = states[i][(label, order)][1]
    return chain[::-1]


_PART_PROBLEM = re.compile(
    r"(?:\([一二三]\)|[123][、.])[^。\n]{0,16}?(存在的?(主要)?问题|主要问题|存在问题|(问题的?)?(改进|整改)(情况|措施|计划|方向))")


def recover_problems(text: str, folded: str, start: int, end: int) -> tuple[int, str] | None:
    """A lost 五、存在的主要问题… heading, found from its parts' wording in ``[start, end)``."""
    for m in _PART_PROBLEM.finditer(folded, start, end):
        if _at_line_start(text, m.start()) or folded[m.start() - 1] in "。 ":
            line_end = text.find("\n", m.start())
            line_end = end if line_end < 0 or line_end > end else line_end
            title = text[m.start():line_end].strip()
            return m.start(), title[:40]
    return None


_DATE = r"(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日"
_CLOSING_DATE = re.compile(_DATE + r"\s*$")
_SIGNATURE = re.compile(r"[^\s。,;:!?]{2,40}$")
_ATTACHMENT = re.compile(r"^[ \t#*]*(附件|附表)", re.M)


def find_closing(text: str, folded: str, body_start: int) -> int | None:
    """Start of the signature / date block (and attached tables) after the last section."""
    att = _ATTACHMENT.search(folded, body_start)
    tail_from = max(body_start, len(text) - 200)
    m = _CLOSING_DATE.search(folded, tail_from)
    closing = None
    if m:
        closing = m.start()
        before = folded[body_start:closing].rstrip()
        # a signature line (office name) just above the date belongs to the block too
        sig = _SIGNATURE.search(before)
        if sig and (before[sig.start() - 1:sig.start()] in ("\n", " ", "") or sig.start() == 0):
            cand = body_start + sig.start()
            if cand > body_start and not folded[cand - 1].isdigit():
                closing = cand
        if closing <= body_start:
            closing = None
    if att and (closing is None or att.start() < closing):
        closing = att.start() + len(att.group(0)) - len(att.group(0).lstrip(" \t#*"))
    return closing


def find_sections(text: str) -> tuple[list[Section], list[str]]:
    """Sections partitioning ``text`` (preamble … closing) and warnings about the outline."""
    folded = fold_width(text)
    warnings: list[str] = []
    chain = choose_headings(find_candidates(text, folded))
    heads: list[Section] = []
    for c, label in chain:
        end, title = _heading_end(c, label, text)
        heads.append(Section(id=label, start=c.start, end=-1, number=c.numeral,
                             title=title or None, heading_end=end))
    _recover(text, folded, heads, warnings)
    sections: list[Section] = []
    if not heads or heads[0].start > 0:
        first = heads[0].start if heads else len(text)
        sections.append(Section(id="preamble", start=0, end=first))
    sections.extend(heads)
    if heads:
        closing = find_closing(text, folded, heads[-1].heading_end or heads[-1].start)
        if closing is not None and closing < len(text):
            sections.append(Section(id="closing", start=closing, end=len(text)))
    for sec, nxt in zip(sections, sections[1:]):
        sec.end = nxt.start
    sections[-1].end = len(text)
    ids = {s.id for s in heads}
    expected = POST_2019 if any("requests" in c.strong for c, _ in chain) else PRE_2019
    warnings.extend(f"section '{sid}' not found" for sid in expected if sid not in ids)
    return sections, warnings


def _recover(text: str, folded: str, heads: list[Section], warnings: list[str]) -> None:
    """Insert a problems section whose heading a converter lost, with a warning."""
    if any(h.id == "problems" for h in heads) or not heads:
        return
    for k, head in enumerate(heads):
        if ORDER.get(head.id, 0) < ORDER["problems"] and head.id != "extra":
            continue
        if head.id == "extra":
            continue
        prev = heads[k - 1] if k else None
        lo = prev.heading_end if prev else 0
        found = recover_problems(text, folded, lo, head.start)
        if found:
            break
    else:
        prev = heads[-1]
        found = recover_problems(text, folded, prev.heading_end or prev.start, len(text))
        k = len(heads)
    if not found:
        return
    start, title = found
    number = None
    prev_num = chinese_numeral_value(heads[k - 1].number or "") if k else None
    next_num = chinese_numeral_value(heads[k].number or "") if k < len(heads) else None
    if prev_num and (next_num is None or next_num == prev_num + 2):
        number = chinese_numeral(prev_num + 1)
    heads.insert(k, Section(id="problems", start=start, end=-1, number=number, title=title,
                            heading_end=start, recovered=True))
    warnings.append(f"heading of section 'problems' ({number or '?'}) not found; recovered from "
                    f"its part '{title}' at offset {start}")
