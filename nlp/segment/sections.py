"""Find a report's numbered sections and map each to its canonical id.

Heading *candidates* are every Chinese numeral + 、/./, that does not follow a letter; each is
scored against the heading rules (``rules.tsv``). A small dynamic programme then picks the chain
of candidates that best reads as a report outline: canonical ids in template order, numerals
counting up (a restart is allowed once for layouts that number their tables anew), strong
title matches preferred. Table row labels (一、本年新收…) and lists of section names therefore
never open a section, even in web crawls that flattened the report into one line.

Everything runs on a *line view* of the text (CR made LF, same length: lone CR, CRLF and LF
give the same sections) and in time linear in the text: the programme keeps the best chain per
(numeral, id) rather than revisiting every earlier candidate, and no rule rescans a whole line
per candidate, so a 50 MB crawl flattened into one line segments in seconds.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from nlp.model import NUMBERED_SECTIONS, TEMPLATE_2019_SECTIONS, Section
from nlp.segment.chrome import head_runs, tail_start
from nlp.text.normalize import (chinese_numeral, chinese_numeral_value, compact, fold_width, is_cjk,
                                line_view, strip_bounds)

#: Template order of the canonical ids; ``extra`` sections may stand anywhere after the first.
ORDER = {sid: n for n, sid in enumerate(NUMBERED_SECTIONS, 1)}
POST_2019 = TEMPLATE_2019_SECTIONS
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


class NextBreak:
    """End of the line holding ``pos`` (the next LF, else the text's end) for queries that move
    forward: one scan of the text in all, where ``text.find`` per query rescans a flattened
    crawl's one long line for every candidate."""

    def __init__(self, text: str):
        self.text, self.pos, self.nl = text, -1, -1

    def __call__(self, pos: int) -> int:
        if not self.pos <= pos <= self.nl:
            nl = self.text.find("\n", pos)
            self.nl = len(self.text) if nl < 0 else nl
        self.pos = pos
        return self.nl


def _candidate(text: str, folded: str, m: re.Match, line_end_of: NextBreak) -> Candidate | None:
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
    rest_start, rest_end = strip_bounds(text, sep_end, line_end_of(sep_end))
    rest = text[rest_start:rest_end] if rest_end - rest_start <= 30 else ""
    own_line = (_at_line_start(text, start) and 2 <= len(rest) <= 30
                and not any(c in rest for c in "。;；\t|") and not rest[-1].isdigit())
    if own_line:
        # heading alone on its line: the title is the line as written
        cand.title = rest.strip("*# ")
        cand.title_end = rest_end
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
    line_end_of = NextBreak(text)
    for m in _HEAD.finditer(folded):
        cand = _candidate(text, folded, m, line_end_of)
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
    """The best-scoring chain of (candidate, section id), by dynamic programming.

    A step's score depends on the chain so far only through its last heading's numeral, id and
    template order, so the programme keeps, per such (numeral, id, order), the best chain ending
    there: each candidate looks at a few dozen of those instead of at every earlier candidate
    (linear, not quadratic, in the candidates of a long crawl). Ties go to the chain an
    all-pairs search meets first, the earliest, so the choice is the same as comparing every pair.
    """
    # (numeral, id, order) -> [score, rank, back, first rank]; rank = (candidate index, state
    # index), the order in which an all-pairs search would meet that chain end
    best: dict[tuple, list] = {(0, None, 0): [0.0, (-1, 0), None, (-1, 0)]}  # start of text
    states: list[dict[tuple[str, int], tuple[float, tuple[int, str, int] | None]]] = []
    best_total, best_end = 0.0, None
    for i, cand in enumerate(cands):
        here: dict[tuple[str, int], list] = {}  # key -> [score, rank, back, label index, first]
        for li, (label, base) in enumerate(cand.options.items()):
            for (pnum, plabel, porder), (pscore, rank, back, first) in best.items():
                step = _transition(pnum, plabel, porder, cand, label)
                if step is None:
                    continue
                key = (label, ORDER.get(label, porder))
                score = pscore + base + step
                cur = here.get(key)
                if cur is None:
                    here[key] = [score, rank, back, li, first]
                    continue
                if score > cur[0] or (score == cur[0] and rank < cur[1]):
                    cur[0], cur[1], cur[2] = score, rank, back
                cur[4] = min(cur[4], first)
        state: dict[tuple[str, int], tuple[float, tuple[int, str, int] | None]] = {}
        for k, key in enumerate(sorted(here, key=lambda key: (here[key][3], here[key][4]))):
            score, back = here[key][0], here[key][2]
            state[key] = (score, back)
            node = (i, *key)
            agg = (cand.number, *key)
            cur = best.get(agg)
            if cur is None:
                best[agg] = [score, (i, k), node, (i, k)]
            elif score > cur[0]:
                cur[0], cur[1], cur[2] = score, (i, k), node
            if score > best_total:
                best_total, best_end = score, node
        states.append(state)
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


def find_closing(text: str, folded: str, body_start: int, end: int | None = None) -> int | None:
    """Start of the signature / date block (and attached tables) after the last section.

    ``end`` is where the report stops (a page footer may follow); only a window before the date
    is searched for the signature, so a long last section costs no more than a short one."""
    end = len(text) if end is None else end
    att = _ATTACHMENT.search(folded, body_start, end)
    tail_from = max(body_start, end - 200)
    m = _CLOSING_DATE.search(folded, tail_from, end)
    closing = None
    if m:
        closing = m.start()
        sig_end = closing
        while sig_end > body_start and folded[sig_end - 1].isspace():
            sig_end -= 1
        # a signature line (office name) just above the date belongs to the block too; it is
        # at most 40 characters, so 64 before the date hold it
        sig = _SIGNATURE.search(folded, max(body_start, sig_end - 64), sig_end)
        if sig and (sig.start() == body_start or folded[sig.start() - 1] in "\n "):
            cand = sig.start()
            if cand > body_start and not folded[cand - 1].isdigit():
                closing = cand
        if closing <= body_start:
            closing = None
    if att and (closing is None or att.start() < closing):
        closing = att.start() + len(att.group(0)) - len(att.group(0).lstrip(" \t#*"))
    return closing


def find_sections(text: str, view: str | None = None) -> tuple[list[Section], list[str]]:
    """Sections partitioning ``text`` (page_chrome, preamble … closing, page_chrome) and
    warnings about the outline. ``view`` is ``line_view(text)`` when the caller has it."""
    view = line_view(text) if view is None else view
    folded = fold_width(view)
    warnings: list[str] = []
    chain = choose_headings(find_candidates(view, folded))
    heads: list[Section] = []
    for c, label in chain:
        end, title = _heading_end(c, label, text)
        heads.append(Section(id=label, start=c.start, end=-1, number=c.numeral,
                             title=title or None, heading_end=end))
    stop = len(text)  # where the report ends and the page's footer begins
    if heads:
        footer = tail_start(view, folded, heads[-1].heading_end or heads[-1].start)
        stop = len(text) if footer is None else footer
    _recover(view, folded, heads, warnings, stop)
    sections: list[Section] = []
    first = heads[0].start if heads else len(text)
    runs = head_runs(view, folded, first) if first > 0 else []
    for a, b, chrome in runs:
        sections.append(Section(id="page_chrome" if chrome else "preamble", start=a, end=b))
    if not runs and first > 0:
        sections.append(Section(id="preamble", start=0, end=first))
    sections.extend(heads)
    if heads:
        closing = find_closing(view, folded, heads[-1].heading_end or heads[-1].start, stop)
        if closing is not None and closing < stop:
            sections.append(Section(id="closing", start=closing, end=stop))
    if stop < len(text):
        sections.append(Section(id="page_chrome", start=stop, end=len(text)))
    for sec, nxt in zip(sections, sections[1:]):
        sec.end = nxt.start
    sections[-1].end = len(text)
    ids = {s.id for s in heads}
    expected = POST_2019 if any("requests" in c.strong for c, _ in chain) else PRE_2019
    warnings.extend(f"section '{sid}' not found" for sid in expected if sid not in ids)
    return sections, warnings


def _recover(text: str, folded: str, heads: list[Section], warnings: list[str],
             stop: int | None = None) -> None:
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
        found = recover_problems(text, folded, prev.heading_end or prev.start,
                                 len(text) if stop is None else stop)
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
