"""Split a section into sentences, parts ((一)(二)…, 1、2、) and enumerated items (一是…, 1.…, (1)…).

Tables are kept apart from narrative: a table line (tab- or |-separated, a lone number, a cell
label under a table section) is one ``table`` sentence, and no part or item is read inside it,
so "1.属于国家秘密" in table 三 is never an item. PDF text hard-wrapped at a fixed width is
re-joined before sentences are split, so a sentence runs across its line breaks.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from statistics import median

from nlp.model import Item, Part, Section, Sentence
from nlp.text.normalize import chinese_numeral_value, is_cjk

TABLE_SECTIONS = {"proactive", "requests", "review_litigation"}
NARRATIVE_SECTIONS = {"preamble", "overview", "problems", "other"}
_TERMINAL = "。!?;！？；"
_SENT_END = re.compile(r"[。!?;！？；]+[”’」』)）\"']*")
_SPACE_BREAK = re.compile(r"[ \t]+")
_OPEN = "(（【《“\"'‘"
_PART_CJK = re.compile(r"[(（]([一二三四五六七八九十]{1,3})[)）]")
_PART_DIGIT = re.compile(r"(\d{1,2})、(?=[^\d])")
_PART_START = re.compile(r"\s*(?:[(（][一二三四五六七八九十]{1,3}[)）]|\d{1,2}、(?=\D))\**")
_ITEM_PATTERNS = {
    "shi": re.compile(r"([一二三四五六七八九十]{1,2})\s?是(?![的否])"),
    "paren_digit": re.compile(r"[(（](\d{1,2})[)）]"),
    "digit": re.compile(r"(\d{1,2})[.、．](?=[\u4e00-\u9fff“《\"*])"),
    "cjk": re.compile(r"([一二三四五六七八九十]{1,2})、"),
    "paren_cjk": _PART_CJK,
}
_ITEM_BOUNDARY = set(" \t\r\n。,;:!?、)）”’」，；：！？*")
_DIGITS = re.compile(r"\d")
_LEAD_IN = re.compile(r"以下|如下|下一步|下步|[:：]\s*$")
_DATE_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?\s*$")


def display_width(line: str) -> int:
    """Columns the line takes in a monospaced layout: CJK counts two (UTF-8 3 bytes, 1+3 / 2)."""
    return (len(line) + len(line.encode("utf-8"))) // 2


def wrap_width(text: str) -> int | None:
    """The width PDF text was hard-wrapped at, or None when lines are whole paragraphs.

    Wrapped lines run to (nearly) the same width and stop mid-sentence, so it is the width
    most lines that do not end a sentence share.
    """
    widths = sorted(display_width(s) for line in text.splitlines()
                    if len(s := line.strip()) >= 15 and s[-1] not in _TERMINAL and "\t" not in s)
    if len(widths) < 8:
        return None
    best, best_count = None, 0
    for w in widths:  # densest window of ±8% around one of the widths (widths are sorted)
        count = bisect_right(widths, 1.08 * w) - bisect_left(widths, 0.92 * w)
        if count > best_count:
            best, best_count = w, count
    return best if best_count >= 0.5 * len(widths) else None


def _is_table_line(line: str, section_id: str) -> bool:
    s = line.strip()
    if not s:
        return False
    if "\t" in line.strip(" ") or s.startswith("|") or s.endswith("|"):
        return True
    if section_id in NARRATIVE_SECTIONS:  # contact lines full of digits are text there
        return False
    digits = len(_DIGITS.findall(s))
    if digits and digits >= 0.5 * len(s.replace(" ", "")) and not _DATE_LINE.match(s):
        return True
    if re.search(r"\S {3,}\S.* {3,}\S", s) and digits:  # pdftotext -layout columns
        return True
    if section_id in TABLE_SECTIONS and s[-1] not in _TERMINAL and "。" not in s:
        return True
    return False


def _is_table_chunk(chunk: str, section_id: str) -> bool:
    """A run with no sentence end in a flattened crawl: table cells run together."""
    s = chunk.strip()
    if not s or s[-1] in _TERMINAL or _DATE_LINE.match(s):
        return False
    digits = len(_DIGITS.findall(s))
    return digits >= 0.3 * len(s) or (section_id in TABLE_SECTIONS and len(s) > 40)


def _lines(text: str, start: int, end: int):
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield pos, stop
        pos = stop + 1


_PAGE_NUMBER = re.compile(r"^[\s\f]*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?)[\s\f]*$")
_PARA_BREAK = re.compile(r"[。!?！？][”’」』)）]*[ \t\u3000]+")


def _wrapped(text: str, block: list, width: int | None) -> bool:
    """Does the block's last line run to the wrap width without ending its sentence?"""
    if not width or block[2]:
        return False
    last = text[block[0]:block[1]].rsplit("\n", 1)[-1].strip()
    return bool(last) and last[-1] not in _TERMINAL + ":：" and display_width(last) >= 0.8 * width


def _paragraphs(text: str, start: int, end: int, section_id: str, width: int | None):
    """[start, end, is_table] blocks; hard-wrapped lines (and page numbers between them) joined."""
    blocks: list[list] = []
    for ls, le in _lines(text, start, end):
        line = text[ls:le]
        if not line.strip():
            continue
        s = ls + len(line) - len(line.lstrip())
        e = ls + len(line.rstrip())
        if _PAGE_NUMBER.match(line):
            if blocks and _wrapped(text, blocks[-1], width):
                continue  # a page break inside a sentence: the sentence runs on past it
            blocks.append([s, e, True])
            continue
        hard_table = "\t" in line.strip(" ") or "|" in line
        if blocks and not hard_table and _wrapped(text, blocks[-1], width):
            blocks[-1][1] = e
            continue
        blocks.append([s, e, _is_table_line(line, section_id)])
    # a flattened crawl keeps whole sections on one line: a space after 。 ends a paragraph there
    out = []
    for s, e, table in blocks:
        if table:
            out.append((s, e, table))
            continue
        pos = s
        for m in _PARA_BREAK.finditer(text, s, e):
            if m.end() < e and "\n" not in m.group(0):
                out.append((pos, m.end() - len(m.group(0)) + len(m.group(0).rstrip()), False))
                pos = m.end()
        out.append((pos, e, False))
    return out


def _split_sentences(text: str, start: int, end: int, section_id: str) -> list[Sentence]:
    """Sentences of one narrative paragraph: at 。！？； and at space gaps of a flattened crawl."""
    cuts = [start]
    for m in _SENT_END.finditer(text, start, end):
        cuts.append(m.end())
    for m in _SPACE_BREAK.finditer(text, start, end):
        a, b = m.start(), m.end()
        if a == start or b >= end:
            continue
        # "（一）主动公开方面 平潭…" in a crawl: the space ends a part heading; inside a
        # sentence ("落实 “三审三校”", "邮 编") a space is only layout
        opened = max(c for c in cuts if c <= a)
        head = text[opened:a].strip()
        if _PART_START.match(head) and len(head) <= 30 and is_cjk(text[a - 1]):
            cuts.append(a)
    cuts = sorted(set(cuts)) + [end]
    out = []
    for a, b in zip(cuts, cuts[1:]):
        chunk = text[a:b]
        a2 = a + len(chunk) - len(chunk.lstrip())
        b2 = a + len(chunk.rstrip())
        if a2 >= b2:
            continue
        piece = text[a2:b2]
        kind = "table" if _is_table_chunk(piece, section_id) else "text"
        if kind == "text" and _is_part_heading(piece):
            kind = "heading"
        out.append(Sentence(a2, b2, kind))
    return out


def _is_part_heading(piece: str) -> bool:
    """"（一）主动公开情况。" or "1、存在的主要问题": a part's marker and a short title."""
    m = _PART_START.match(piece)
    if not m:
        return False
    title = piece[m.end():].rstrip("。.:：;； *")
    return 0 < len(title) <= 20 and not any(c in title for c in "，,。;；")


def _parts(text: str, sentences: list[Sentence], end: int) -> list[Part]:
    """Parts start at a sentence opening with (一)…, or with 1、… at the start of a line."""
    starts = []
    style = None
    expected = 1
    for sent in sentences:
        if sent.kind == "table":
            continue
        piece = text[sent.start:sent.end]
        m = _PART_CJK.match(piece)
        this = "cjk" if m else None
        if not m:
            m = _PART_DIGIT.match(piece)
            line_start = sent.start == 0 or text[:sent.start].rstrip(" \t\u3000")[-1:] in ("\n", "")
            this = "digit" if m and line_start else None
        if not this:
            continue
        style = style or this
        value = chinese_numeral_value(m.group(1))
        if this != style or value is None:
            continue
        if value == expected or (value == 1 and starts):
            starts.append((sent.start, m.group(0), piece[m.end():]))
            expected = value + 1
    parts = []
    for k, (s, marker, rest) in enumerate(starts):
        e = starts[k + 1][0] if k + 1 < len(starts) else end
        title = re.split(r"[。:：;；\n]", rest.strip("* "), maxsplit=1)[0].strip("* ")[:30]
        parts.append(Part(s, _rstrip_end(text, s, e), marker, title))
    return parts


def _rstrip_end(text: str, start: int, end: int) -> int:
    return start + len(text[start:end].rstrip())


def _items(text: str, sentences: list[Sentence], paragraphs, parts: list[Part],
           part_style: str | None, end: int) -> list[Item]:
    """Enumerated items; an item runs to the next marker of its series, else its paragraph end."""
    found: list[tuple[int, str, int, str]] = []  # start, series type, value, marker
    loose: list[tuple[int, str, int, str]] = []  # 一是 glued to a heading: "改进措施一是…"
    for sent in sentences:
        if sent.kind == "table":
            continue
        for kind, pat in _ITEM_PATTERNS.items():
            if kind == part_style:
                continue
            for m in pat.finditer(text, sent.start, sent.end):
                value = chinese_numeral_value(m.group(1))
                if not value:
                    continue
                hit = (m.start(), kind, value, m.group(0))
                if m.start() > sent.start and text[m.start() - 1] not in _ITEM_BOUNDARY:
                    if kind == "shi" and value == 1:
                        loose.append(hit)
                    continue
                found.append(hit)
    # a glued 一是 counts when its 二是 follows properly
    found += [h for h in loose if any(f[1] == "shi" and f[2] == 2 and 0 < f[0] - h[0] < 600
                                      for f in found)]
    found.sort()
    part_starts = [p.start for p in parts]

    def part_of(pos: int) -> int:
        return sum(1 for s in part_starts if s <= pos)

    def para_end(pos: int) -> int:
        for s, e, _ in paragraphs:
            if s <= pos < e:
                return e
        return end

    items = []
    for k, (s, kind, value, marker) in enumerate(found):
        nxt = next((f for f in found[k + 1:] if f[1] == kind), None)
        limit = para_end(s)
        if nxt and nxt[2] == value + 1 and part_of(nxt[0]) == part_of(s):
            limit = nxt[0]  # the series goes on: this item ends where the next begins
        elif nxt and nxt[0] < limit:
            # a new series starts in the same paragraph: stop before the sentence that leads
            # into it ("2023年，我区将采取以下措施加以改进。一是…")
            limit = _lead_in_start(sentences, s, nxt[0])
        else:
            # …or a series of another kind, announced by a lead-in ("采取以下措施：（一）…")
            other = next((f for f in found[k + 1:] if f[2] == 1 and f[0] < limit), None)
            if other:
                lead = _lead_in_start(sentences, s, other[0])
                if _LEAD_IN.search(text, lead, other[0]):
                    limit = lead
        pe = next((p.end for p in parts if p.start <= s < p.end), end)
        items.append(Item(s, _rstrip_end(text, s, min(limit, pe)), marker, value))
    return _consistent(items, found)


def _lead_in_start(sentences: list[Sentence], item_start: int, next_marker: int) -> int:
    """Where the sentence holding (or right before) the next series' first marker begins."""
    holding = [x for x in sentences if x.start <= next_marker < x.end or x.end == next_marker]
    start = min((x.start for x in holding), default=next_marker)
    before = [x for x in sentences if item_start < x.start and x.end <= start]
    if before and start == next_marker:  # the marker opens a sentence: the lead-in is the one before
        start = before[-1].start
    return max(start, item_start + 1)


def _consistent(items: list[Item], found) -> list[Item]:
    """Keep markers that form a series (1, 2, 3 … of one kind); a lone '三、' is no item."""
    kinds = {f[0]: f[1] for f in found}
    keep = []
    by_kind: dict[str, list[Item]] = {}
    for it in items:
        by_kind.setdefault(kinds[it.start], []).append(it)
    for kind, its in by_kind.items():
        for k, it in enumerate(its):
            prev_ok = k > 0 and its[k - 1].index == it.index - 1
            next_ok = k + 1 < len(its) and its[k + 1].index == it.index + 1
            if prev_ok or next_ok or (kind == "shi" and it.index <= 9):
                keep.append(it)
    return sorted(keep, key=lambda i: i.start)


def split_section(text: str, section: Section, width: int | None) -> None:
    """Fill ``section.sentences``, ``.parts`` and ``.items`` (offsets into ``text``)."""
    sentences: list[Sentence] = []
    body = section.body_start
    if section.heading_end is not None and not section.recovered and section.heading_end > section.start:
        sentences.append(Sentence(section.start, section.heading_end, "heading"))
    paragraphs = _paragraphs(text, body, section.end, section.id, width)
    for s, e, table in paragraphs:
        if table:
            sentences.append(Sentence(s, e, "table"))
        else:
            sentences.extend(_split_sentences(text, s, e, section.id))
    section.sentences = sentences
    body_sents = [x for x in sentences if x.start >= body]
    section.parts = _parts(text, body_sents, _rstrip_end(text, body, section.end))
    style = None
    if section.parts:
        style = "paren_cjk" if section.parts[0].marker.startswith(("(", "（")) else "digit"
    section.items = _items(text, body_sents, paragraphs, section.parts, style,
                           _rstrip_end(text, body, section.end))
