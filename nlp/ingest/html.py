"""Saved government web pages: the report's text without the site around it, and what the page
says about the report.

trafilatura's main-content extraction locates the article (menus, breadcrumbs, related links,
footers and scripts are outside it). The text is then our own rendering of the page's lines from
the article's first line to its last, because trafilatura's output drops some short repeated
lines (a second "信息内容 本年处理决定数量" header row of a seed report) and pads ``colspan`` cells
and shifts ``rowspan`` ones, which would move numbers into the wrong columns of the statistical
tables. In that rendering a block or ``<br>`` ends a line, a line break in the source between two
Chinese characters is no space, and a data table is one line per row, cells tab-joined, a merged
cell once (in the row where it starts), as every reader gives tables. The article's title heading
(which trafilatura leaves out, and which names the office and year) is kept when only info lines
stand between it and the article.

When trafilatura finds nothing, or its article lacks a report heading (一、总体情况 …) or a
statistical table that the page has, the page falls back to the block holding most of the page's
Han text (link text not counted), rendered the same way; a page whose text is all links (a menu)
has no body text.

Lines at the head of the article that only carry page facts (发布时间：… 来源：… 字体：大中小, the
索引号/发布机构/成文日期 info table) are taken out of the text; their values are in
``Decoded.source_meta`` (see :mod:`nlp.ingest.html_meta`). Headings and labels of traditional
mirror pages are recognised too (matched after t2s conversion; the text is left as written).

Speed: 8 ms for a 5 kB page, 16-30 ms for a whole report with its three tables (13-18 kB), on the
project's 2-core machine shared with other jobs.
"""
from __future__ import annotations

import re
from typing import Callable

from nlp.ingest.base import Decoded, IngestError
from nlp.ingest.html_meta import (HEADINGS, is_meta_line, page_meta, simplified, strip_meta_head,
                                  trafilatura_meta)
from nlp.ingest.text import CJK_CLASS, HAN, decode_bytes

__all__ = ["read_html", "html_lines"]

_DROP = frozenset({"script", "style", "nav", "header", "footer", "noscript", "template", "iframe", "svg",
                   "select", "option", "button", "textarea", "title"})
_BLOCKS = frozenset({
    "p", "div", "section", "article", "main", "aside", "blockquote", "pre", "address", "center", "ul", "ol",
    "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "hr", "body", "form",
    "tbody", "thead", "tfoot", "caption", "fieldset", "tr", "td", "th",
    # trafilatura's output elements
    "head", "list", "item", "quote", "code", "row", "cell",
})
_BREAKS = frozenset({"br", "lb"})
_DESCEND = frozenset({"div", "section", "article", "main", "form", "center", "table", "tbody", "tr", "td"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_WS = "[ \t\r\n\f\u00a0\u3000]"
_SPACE = re.compile(r"\s+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
#: Words of the statistical tables (二 信息内容/本年制发件数, 三 申请人情况, 四 行政复议).
_REPORT_TABLE = re.compile(r"信息内容|本年|申请人|行政复议|行政诉讼")
#: Page lines that may lie between two lines of trafilatura's article (lines it dropped).
_NEAR = 4
#: How many lines above the article its title may stand (info lines and buttons between).
_TITLE_LOOKBACK = 6
#: Tables matched to trafilatura's by text: at least this rapidfuzz ratio when not identical.
_TABLE_MATCH = 90


def _clean(text: str) -> str:
    """Collapse HTML whitespace; a source line break between two CJK characters is no space."""
    text = re.sub(f"(?<={CJK_CLASS}){_WS}*\n{_WS}*(?={CJK_CLASS})", "", text)
    return re.sub(f"{_WS}+", " ", text).strip()


def _tag(el) -> str | None:
    """Lower-case tag name; None for comments and processing instructions."""
    return el.tag.lower() if isinstance(el.tag, str) else None


def _rows(table) -> list[list]:
    """This table's rows (not a nested table's), each a list of its td/th cells."""
    rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]
    return [[c for c in tr if _tag(c) in ("td", "th")] for tr in rows]


def _is_layout(rows: list[list]) -> bool:
    """A layout table (whole page in one cell, or tables inside cells), not a data table."""
    return sum(len(r) for r in rows) <= 1 or any(c.find(".//table") is not None for r in rows for c in r)


def _squash(el) -> str:
    """An element's text without any whitespace: what tables are matched on."""
    return _SPACE.sub("", "".join(t for t in el.itertext() if isinstance(t, str)))


def html_lines(node, table: Callable | None = None) -> list[str]:
    """One line per paragraph/block; a data table gives one line per row, cells tab-joined.

    Works on a page's elements and on trafilatura's output elements alike; ``table(el)``, when
    given, renders a table element to lines instead (None: render it here)."""
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = _clean("".join(buf))
        if line:
            lines.append(line)
        buf.clear()

    def render_table(el) -> None:
        rows = _rows(el)
        if _is_layout(rows):
            walk(el)
            return
        for cells in rows:
            texts = [" ".join(html_lines(c)) for c in cells]
            if any(texts):
                lines.append("\t".join(texts))

    def walk(el) -> None:
        if el.text and _tag(el) is not None:
            buf.append(el.text)
        for child in el:
            tag = _tag(child)
            if tag is None or tag in _DROP or tag == "head" and _tag(el) == "html":
                pass  # the page's <head>; trafilatura's <head> is a heading
            elif tag in _BREAKS:
                flush()
            elif tag == "table":
                flush()
                rendered = table(child) if table else None
                if rendered is None:
                    render_table(child)
                else:
                    lines.extend(rendered)
            elif tag in _BLOCKS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)
            if child.tail:
                buf.append(child.tail)

    if _tag(node) == "table":
        render_table(node)
    else:
        walk(node)
        flush()
    return lines


def _han(el) -> int:
    """Han characters in an element, not counting link text (menus and link lists are chrome)
    nor what the walk drops (scripts, footers …)."""
    parts: list[str] = []

    def own(e) -> None:
        tag = _tag(e)
        if tag is None or tag in _DROP or tag == "a":
            return
        parts.append(e.text or "")
        for child in e:
            own(child)
            parts.append(child.tail or "")

    own(el)
    return len(HAN.findall("".join(parts)))


def _densest(body):
    """The tightest block holding most of the page's Han text (the fallback article)."""
    node, here = body, _han(body)
    while True:  # descend while one child block still holds most of the text
        kids = [(k, _han(k)) for k in node if _tag(k) in _DESCEND]
        child, score = max(kids, key=lambda kv: kv[1], default=(None, 0))
        if child is None or here == 0 or score < 0.7 * here:
            return node
        node, here = child, score


def _extracted(tree) -> tuple[list[str], int] | None:
    """Lines of trafilatura's main content, tables from the page; and how many report tables."""
    import trafilatura

    doc = trafilatura.bare_extraction(tree, include_tables=True, include_comments=False, favor_recall=True,
                                      include_formatting=False, include_links=False, with_metadata=False)
    if doc is None or doc.body is None:
        return None
    originals = [(t, _squash(t)) for t in tree.iter("table")]
    used: set[int] = set()
    found = 0

    def table(el) -> list[str] | None:
        nonlocal found
        from rapidfuzz import fuzz

        sig = _squash(el)
        best, score = None, _TABLE_MATCH
        for i, (orig, osig) in enumerate(originals):
            if i in used:
                continue
            if osig == sig:
                best = i
                break
            if sig and (s := fuzz.ratio(osig, sig)) >= score:
                best, score = i, s
        if best is None:  # not on the page as such: trafilatura's own cells, one row a line
            return ["\t".join(_clean(" ".join(c.itertext())) for c in row) for row in el.iter("row")] or None
        used.add(best)
        found += bool(_REPORT_TABLE.search(simplified(originals[best][1])))
        return html_lines(originals[best][0])

    lines = html_lines(doc.body, table=table)
    return lines, found


def _titles(tree, meta: dict[str, str]) -> set[str]:
    """What the report's title line may read: the declared title, the <title> before its
    " - site name" part, and the page's h1-h3 headings (squashed)."""
    found = {meta.get("title", "")}
    title = tree.find(".//title")
    if title is not None and title.text:
        found.add(re.split(r"\s*[_|｜—–-]\s*", title.text.strip())[0])
    for tag in ("h1", "h2", "h3"):
        found.update("".join(h.itertext()) for h in tree.iter(tag))
    return {_SPACE.sub("", t) for t in found} - {""}


def _span(page: list[str], extracted: list[str], titles: set[str] = frozenset()) -> list[str]:
    """The page's own lines from where trafilatura's article starts to where it ends.

    trafilatura only locates the article: between its first and last line we keep every line of
    our rendering of the page, because its main pass drops some short repeated lines (a second
    "信息内容 本年处理决定数量" header row, seen on a seed report) and pads merged cells. It also
    leaves out the article's title heading, which names the office and year: the span starts at
    the title when only info lines (发布时间 …) stand between them."""
    keys = [_SPACE.sub("", line) for line in page]
    where: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        where.setdefault(key, []).append(i)
    ext = [_SPACE.sub("", line) for line in extracted]
    hits = [(j, where[key]) for j, key in enumerate(ext) if key in where]
    if not hits:  # trafilatura's text is not on the page as we render it (e.g. menu text)
        return []
    # Anchor on lines found once on the page ("规章 0 0 0" or a heading may also stand in a menu
    # or another table), then walk outwards over the article's other lines, each found near.
    unique = [(j, found[0]) for j, found in hits if len(found) == 1] or [(hits[0][0], hits[0][1][0])]
    (j0, start), (j1, end) = unique[0], unique[-1]
    if end < start:
        return []  # the article's lines are not in page order: let the fallback decide
    for j in range(j0 - 1, -1, -1):
        near = [i for i in where.get(ext[j], ()) if start - _NEAR <= i < start]
        if near:
            start, j0 = max(near), j
    for j in range(j1 + 1, len(ext)):
        near = [i for i in where.get(ext[j], ()) if end < i <= end + _NEAR]
        if near:
            end, j1 = min(near), j
    head, tail = "".join(ext[:j0]), "".join(ext[j1 + 1:])
    while start > 0 and keys[start - 1] and keys[start - 1] in head:  # lines trafilatura merged
        start -= 1
    while end + 1 < len(page) and keys[end + 1] and keys[end + 1] in tail:
        end += 1
    for i in range(start - 1, max(start - 1 - _TITLE_LOOKBACK, -1), -1):
        if keys[i] in titles:
            start = i
            break
        if keys[i] and not is_meta_line(page[i]):
            break
    return page[start:end + 1]


def _lost(tree, page: list[str], lines: list[str], tables: int) -> bool:
    """Did the extraction lose a report heading or statistical table that the page has?"""
    marks_page = {m.group(1) for m in HEADINGS.finditer(simplified("\n".join(page)))}
    marks_text = {m.group(1) for m in HEADINGS.finditer(simplified("\n".join(lines)))}
    page_tables = sum(1 for t in tree.iter("table")
                      if not _is_layout(_rows(t)) and _REPORT_TABLE.search(simplified(_squash(t))))
    return bool(marks_page - marks_text) or tables < page_tables


def read_html(data: bytes, path: str) -> Decoded:
    """Article text of a saved government web page, and the page's facts about the report."""
    import trafilatura

    declared = _META_CHARSET.search(data[:4096])
    text, enc = decode_bytes(data, path, hint=declared.group(1).decode("ascii") if declared else None)
    tree = trafilatura.load_html(_XML_DECL.sub("", text, count=1))
    if tree is None:
        raise IngestError(path, "HTML has no body text")
    page = html_lines(tree)
    meta = page_meta(tree, page)
    got = _extracted(tree)
    lines = _span(page, got[0], _titles(tree, meta)) if got is not None else []
    if got is None or not lines or _lost(tree, page, lines, got[1]):
        body = tree.find(".//body")
        node = _densest(body if body is not None else tree)
        lines = html_lines(node) if _han(node) else []  # link lists only: a menu page
    lines = strip_meta_head(lines)
    if not lines:
        raise IngestError(path, "HTML has no body text")
    return Decoded("\n".join(lines), "html", enc, source_meta=trafilatura_meta(tree, meta))
