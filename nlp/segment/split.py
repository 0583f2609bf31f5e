"""Split a section into sentences, parts ((一)(二)…, 1、2、) and enumerated items (一是…, 1.…, (1)…).

Tables are kept apart from narrative: a table line (tab- or |-separated, a lone number, a cell
label under a table section) is one ``table`` sentence, and no part or item is read inside it,
so "1.属于国家秘密" in table 三 is never an item. PDF text hard-wrapped at a fixed width is
re-joined before sentences are split, so a sentence runs across its line breaks.

Rules read the line view of the text (CR made LF: ``nlp.text.normalize.line_view``), so lone
CR, CRLF and LF files split alike, and every step is linear in the section: lookups of the
paragraph, part or sentence around an offset bisect sorted offsets instead of scanning them.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from nlp.model import NARRATIVE_SECTIONS, TABLE_SECTIONS, Item, Part, Section, Sentence
from nlp.segment.chrome import chrome_lines
from nlp.text.normalize import chinese_numeral_value, is_cjk, line_view, strip_bounds

_TERMINAL = "。!?;！？；"
_SENT_END = re.compile(r"[。!?;！？；]+[”’」』)）\"']*")
_SPACE_BREAK = re.compile(r"[ \t]+")
_OPEN = "(（【《“\"'‘"
_PART_CJK = re.compile(r"[(（]([一二三四五六七八九十]{1,3})[)）]")
_PART_DIGIT = re.compile(r"(\d{1,2})、(?=[^\d])")
_PART_START = re.compile(r"\s*(?:[(（][一二三四五六七八九十]{1,3}[)）]|\d{1,2}、(?=\D))\**")
_ITEM_PATTERNS = {
    "shi": re.compile(r"([一二三四五六七八九十]{1,2})(?:\n\n|\s)?是(?![的否])"),  # \n\n: CRLF
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


_PAGE_NUMBER = re.compile(r"^[\s\f]*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?)[\s\f]*$")
_PARA_BREAK = re.compile(r"[。!?！？][”’」』)）]*[ \t\u3000]+")


def _wrapped(text: str, block: list, width: int | None) -> bool:
    """Does the block's last line run to the wrap width without ending its sentence?"""
    if not width or block[2]:
        return False
    last = text[max(block[0], text.rfind("\n", block[0], block[1]) + 1):block[1]].strip()
    return bool(last) and last[-1] not in _TERMINAL + ":：" and display_width(last) >= 0.8 * width


def _paragraphs(text: str, start: int, end: int, section_id: str, width: int | None):
    """[start, end, is_table] blocks; hard-wrapped lines (and page numbers between them) joined."""
    blocks: list[list] = []
    pos = start
    for line in text[start:end].split("\n"):  # one C-level split, not a find per line
        ls, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        s = ls + len(line) - len(line.lstrip())
        e = s + len(stripped)
        if stripped[0] in "-—–第" and _PAGE_NUMBER.match(line):
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
    ends = len(cuts)  # cuts[:ends] ascend; space cuts are appended after them, ascending too
    for m in _SPACE_BREAK.finditer(text, start, end):
        a, b = m.start(), m.end()
        if a == start or b >= end or not is_cjk(text[a - 1]):
            continue
        # "（一）主动公开方面 平潭…" in a crawl: the space ends a part heading; inside a
        # sentence ("落实 “三审三校”", "邮 编") a space is only layout
        opened = cuts[bisect_right(cuts, a, 0, ends) - 1]
        if len(cuts) > ends:
            opened = max(opened, cuts[-1])
        hs, he = strip_bounds(text, opened, a)
        if he - hs <= 30 and _PART_START.match(text[hs:he]):
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
            k = sent.start
            while k > 0 and text[k - 1] in " \t\u3000":
                k -= 1
            line_start = k == 0 or text[k - 1] == "\n"
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
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


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
    twos = sorted(f[0] for f in found if f[1] == "shi" and f[2] == 2)
    for h in loose:
        k = bisect_right(twos, h[0])
        if k < len(twos) and twos[k] - h[0] < 600:
            found.append(h)
    found.sort()
    part_starts = [p.start for p in parts]
    para_starts = [p[0] for p in paragraphs]
    sent_starts = [x.start for x in sentences]
    sent_ends = [x.end for x in sentences]

    def part_of(pos: int) -> int:
        return bisect_right(part_starts, pos)

    def para_end(pos: int) -> int:
        k = bisect_right(para_starts, pos) - 1
        return paragraphs[k][1] if k >= 0 and pos < paragraphs[k][1] else end

    def lead_in(item_start: int, marker_at: int) -> int:
        return _lead_in_start(sentences, sent_starts, sent_ends, item_start, marker_at)

    # the next marker of the same kind, and the next first marker (value 1), after each one
    next_same: list[tuple | None] = [None] * len(found)
    next_first: list[tuple | None] = [None] * len(found)
    seen: dict[str, tuple] = {}
    first = None
    for k in range(len(found) - 1, -1, -1):
        next_same[k], next_first[k] = seen.get(found[k][1]), first
        seen[found[k][1]] = found[k]
        if found[k][2] == 1:
            first = found[k]

    items = []
    for k, (s, kind, value, marker) in enumerate(found):
        nxt = next_same[k]
        limit = para_end(s)
        if nxt and nxt[2] == value + 1 and part_of(nxt[0]) == part_of(s):
            limit = nxt[0]  # the series goes on: this item ends where the next begins
        elif nxt and nxt[0] < limit:
            # a new series starts in the same paragraph: stop before the sentence that leads
            # into it ("2023年，我区将采取以下措施加以改进。一是…")
            limit = lead_in(s, nxt[0])
        else:
            # …or a series of another kind, announced by a lead-in ("采取以下措施：（一）…")
            other = next_first[k]
            if other and other[0] < limit:
                lead = lead_in(s, other[0])
                if _LEAD_IN.search(text, lead, other[0]):
                    limit = lead
        j = bisect_right(part_starts, s) - 1
        pe = parts[j].end if j >= 0 and s < parts[j].end else end
        items.append(Item(s, _rstrip_end(text, s, min(limit, pe)), marker, value))
    return _consistent(items, found)


def _lead_in_start(sentences: list[Sentence], starts: list[int], ends: list[int], item_start: int,
                   next_marker: int) -> int:
    """Where the sentence holding (or right before) the next series' first marker begins.

    ``sentences`` are disjoint and in text order (``starts``/``ends`` their offsets), so the
    sentence holding the marker and the one ending at it are found by bisection."""
    k = bisect_right(starts, next_marker) - 1
    holding = [x for x in sentences[max(0, k - 1):k + 1]
               if x.start <= next_marker < x.end or x.end == next_marker]
    start = min((x.start for x in holding), default=next_marker)
    j = bisect_right(ends, start) - 1  # the last sentence that ends by ``start``
    if j >= 0 and sentences[j].start > item_start and start == next_marker:
        start = sentences[j].start  # the marker opens a sentence: the lead-in is the one before
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


def split_section(text: str, section: Section, width: int | None, view: str | None = None) -> None:
    """Fill ``section.sentences``, ``.parts`` and ``.items`` (offsets into ``text``).

    ``view`` is ``line_view(text)`` when the caller has it; rules read it, markers are quoted
    from ``text``. A ``page_chrome`` section holds one ``chrome`` sentence per line and nothing
    else."""
    raw, text = text, (line_view(text) if view is None else view)
    if section.id == "page_chrome":
        section.sentences = [Sentence(a, b, "chrome") for a, b in chrome_lines(text, section.start,
                                                                              section.end)]
        section.parts, section.items = [], []
        return
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
    items = _items(text, body_sents, paragraphs, section.parts, style,
                   _rstrip_end(text, body, section.end))
    # a marker broken by a line break ("一\r\n是") is quoted as written, not as the view has it
    section.items = [it if "\n" not in it.marker else
                     Item(it.start, it.end, raw[it.start:it.start + len(it.marker)], it.index)
                     for it in items]
