"""Site chrome of a crawled page: the lines a government site wraps around the report.

A text crawl keeps the page's breadcrumbs (首页 > 政务公开 > …), its 发布时间/来源/字体 line, the
索引号/发布机构 block, share and print buttons, 上一篇/下一篇 and the footer (主办单位, 网站标识码,
ICP备案号). They are not the report: many towns share them word for word, so an analysis that
read them would see cross-office reuse. The segmenter keeps them in the text, in ``page_chrome``
sections, which no analysis reads.

The phrases are data (``chrome.tsv``). At the head, every line before the first numbered heading
is chrome or report (the title and preamble), so the head may alternate: chrome, the title, the
page's information block, the preamble. At the tail, the first chrome line (or, in a crawl
flattened into one line, the first chrome token) after the last section's heading starts the
footer, and everything from there to the end is chrome.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from nlp.text.normalize import strip_bounds

_DECORATION = "|•·*#>-—=_~:"
_SPACE = re.compile(r"\s+")
_TOKEN_START = r"(?<![^\s。!?;】\]])"  # line start, or after a space or a sentence end
#: A label whose value stands on the next line (主题分类:\n 其他) makes that line chrome when it
#: is this short (compacted) and no title: values of the page's information block run 2-30 chars.
_VALUE_MAX = 40
#: How far before the end of the text the footer is looked for. A page's footer (buttons, pager,
#: related links, 主办单位/备案号) runs to a few hundred characters, a long related-links list to
#: a few thousand; 20,000 covers both and keeps a 50 MB text from being scanned line by line.
_TAIL_WINDOW = 20_000
#: A chrome line is short: the longest, a footer with 主办/承办/地址/电话/标识码/备案号, runs to
#: about 200 characters. Longer lines are report text (or a flattened page, for inline rules).
_LINE_MAX = 400
#: Site headers, language switches and crawl dates ("XX县人民政府｜政务公开", "简体版 | English",
#: "今天是: …") take endless forms; at the head, a short line standing before the page's last
#: chrome line is chrome too, unless it is the title or stands beside it. The longest such line
#: in the crawl fixtures runs to 40 characters; a title's companion line (the office alone, or
#: "(2024年度)") is kept by adjacency, prose by its full stop.
_BETWEEN_MAX = 60
_TITLE = re.compile(r"(?:政府信息|政务|信息)公开.{0,12}?(?:报告|年报)|年度报告")


@dataclass(frozen=True)
class ChromeRules:
    """The compiled rules of one position: line rules as one alternation, inline rules as one."""

    line: re.Pattern | None
    inline: re.Pattern | None


def _combine(rows: list[tuple[str, str, str]], token_start: bool) -> re.Pattern | None:
    if not rows:
        return None
    alts = "|".join(f"(?P<{name}>{pattern})" for name, _, pattern in rows)
    return re.compile((_TOKEN_START if token_start else "") + f"(?:{alts})")


@lru_cache(maxsize=None)
def load_chrome_rules() -> dict[str, ChromeRules]:
    """``{"head": …, "tail": …}`` from the package's ``chrome.tsv``."""
    raw = resources.files("nlp.segment").joinpath("chrome.tsv").read_text(encoding="utf-8")
    rows = [line for line in raw.splitlines() if line.strip() and not line.startswith("#")]
    by_pos: dict[str, dict[str, list]] = {p: {"line": [], "inline": []} for p in ("head", "tail")}
    for k, (kind, position, scope, pattern, _comment) in enumerate(
            csv.reader(rows, delimiter="\t", quoting=csv.QUOTE_NONE)):
        try:
            re.compile(pattern)
        except re.error as err:
            raise ValueError(f"chrome.tsv rule {k + 1} ({kind}): {err}") from None
        for pos in (("head", "tail") if position == "both" else (position,)):
            by_pos[pos][scope].append((f"{kind}_{k}", kind, pattern))
    return {pos: ChromeRules(_combine(r["line"], False), _combine(r["inline"], True))
            for pos, r in by_pos.items()}


def _lines(text: str, start: int, end: int):
    """(line start, line end without its LF) of the line view ``text`` within [start, end)."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield pos, stop
        pos = stop + 1


def _compact_line(folded: str, start: int, end: int) -> str:
    return _SPACE.sub("", folded[start:end]).lstrip(_DECORATION)


def _line_rule(rules: ChromeRules, line: str) -> re.Match | None:
    """The line rule matching the compacted ``line``, unless the line holds report prose (a full
    stop: in a flattened crawl the footer shares the report's line, and inline rules find it)."""
    if rules.line is None or not line or "。" in line:
        return None
    return rules.line.match(line)


def head_runs(text: str, folded: str, end: int) -> list[tuple[int, int, bool]]:
    """[start, end, is_chrome] runs partitioning ``[0, end)``, or [] when the head has no chrome.

    ``text`` is the line view, ``folded`` its width-folded copy, ``end`` the first numbered
    heading. Blank lines and lines without a letter (|||, ----) go with the run before them.
    """
    rules = load_chrome_rules()["head"]
    pieces: list[list] = []  # [start, end, class]: c chrome, p report, n neutral
    value_next = False
    for ls, le in _lines(text, 0, end):
        stop = min(le + 1, end)
        line = _compact_line(folded, ls, le) if le - ls <= _LINE_MAX else "。"  # prose
        if not any(ch.isalnum() for ch in line):
            pieces.append([ls, stop, "n"])
            continue
        m = _line_rule(rules, line)
        if m or (value_next and len(line) <= _VALUE_MAX and "。" not in line and "报告" not in line):
            pieces.append([ls, stop, "c"])
            # 主题分类: / 索引号 alone: its value follows on the next line
            value_next = bool(m) and (line.endswith(":") or m.end() == len(line))
            continue
        value_next = False
        pos = ls
        if rules.inline is not None:
            for mi in rules.inline.finditer(folded, ls, le):
                if mi.end() > mi.start():
                    if mi.start() > pos:
                        pieces.append([pos, mi.start(), "p" if folded[pos:mi.start()].strip() else "n"])
                    pieces.append([mi.start(), mi.end(), "c"])
                    pos = mi.end()
        if pos < stop:
            cls = "p" if folded[pos:le].strip() else "n"
            pieces.append([pos, stop, cls])
    if not any(p[2] == "c" for p in pieces):
        return []
    _absorb_between(pieces, folded)
    first = next((p[2] for p in pieces if p[2] != "n"), "p")
    runs: list[list] = []
    for s, e, cls in pieces:
        cls = (runs[-1][2] if runs else first) if cls == "n" else cls
        if runs and runs[-1][2] == cls:
            runs[-1][1] = e
        else:
            runs.append([s, e, cls])
    return [(s, e, cls == "c") for s, e, cls in runs]


def _absorb_between(pieces: list[list], folded: str) -> None:
    """Make chrome of the short report-looking lines that stand before the head's last chrome
    line, except the title and the lines right beside it (see ``_BETWEEN_MAX``)."""
    last = max(i for i, p in enumerate(pieces) if p[2] == "c")
    keep: set[int] = set()
    for i, (s, e, cls) in enumerate(pieces):
        if cls == "p" and _TITLE.search(_SPACE.sub("", folded[s:e])):
            keep.add(i)
            for step in (-1, 1):  # the nearest report line on each side, over blank lines
                j = i + step
                while 0 <= j < len(pieces) and pieces[j][2] == "n":
                    j += step
                # before the title: its first line (the office); after it only a bracketed
                # "(2024年度)": an office named under the title is the page's byline
                if 0 <= j < len(pieces) and pieces[j][2] == "p" and (
                        step < 0 or folded[pieces[j][0]:pieces[j][1]].lstrip()[:1] in "(（"):
                    keep.add(j)
    for i in range(last):
        s, e, cls = pieces[i]
        line = _SPACE.sub("", folded[s:e])
        if cls == "p" and i not in keep and len(line) <= _BETWEEN_MAX and "。" not in line:
            pieces[i][2] = "c"


def tail_start(text: str, folded: str, start: int, end: int | None = None) -> int | None:
    """Where the page's footer starts after ``start`` (the last heading's end), or None.

    The first line a tail rule matches, or in a flattened line the first chrome token, starts
    it; a sentence of the report that names a 网站 or 电话 is not chrome (no rule reads it).
    """
    rules = load_chrome_rules()["tail"]
    end = len(text) if end is None else end
    if end - start > _TAIL_WINDOW:  # a long last section: its footer lies in its last part
        start = max(start, text.rfind("\n", 0, end - _TAIL_WINDOW) + 1)
    # the first chrome token anywhere bounds the line-by-line search for a chrome line
    m = rules.inline.search(folded, start, end) if rules.inline is not None else None
    found = m.start() if m else None
    for ls, le in _lines(text, start, end if found is None else found):
        s = ls
        while s < le and folded[s].isspace():
            s += 1
        # a line with a full stop is prose: skip it before compacting it
        if (s < le and le - s <= _LINE_MAX and folded.find("。", s, le) < 0
                and _line_rule(rules, _compact_line(folded, s, le))):
            return s
    return found


def chrome_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The non-blank lines of ``text[start:end]`` (line view), stripped: chrome sentences."""
    return [(a, b) for a, b in (strip_bounds(text, ls, le) for ls, le in _lines(text, start, end)) if a < b]
