"""What a government web page says about the report it carries, outside the report's text.

``Decoded.source_meta`` keys (``SOURCE_META_KEYS``), values as the page writes them (trimmed,
label removed, never parsed):

- ``title``: ``<meta name="ArticleTitle">``, else a 标题/名称 field, else trafilatura's title;
- ``published``: ``<meta name="PubDate">``, else 发布日期/发布时间/发表时间/公开日期, else trafilatura's
  date (htmldate, without its extensive search);
- ``publisher``: 发布机构, else ``<meta name="ContentSource">``, else 信息来源/来源;
- ``index_no``: 索引号;
- ``written``: 成文日期/发文日期.

The labelled fields are read from the page's lines and table cells before the report's first
section heading: the 索引号 info table of 信息公开 pages (a label cell, then its value cell) and
"发布时间：2025-01-20 来源：XX镇人民政府 字体：大中小" lines; a value runs to the next label of any
field these pages print (字体, 浏览次数, 文号 …). Labels may be spaced out ("索 引 号") and in
traditional characters (索引號, 發佈機構: mirror sites), matched after OpenCC's t2s conversion;
values are still taken as written.
"""
from __future__ import annotations

import re

from nlp.text.hant import to_simplified

__all__ = ["page_meta", "strip_meta_head", "is_meta_line", "trafilatura_meta", "simplified", "HEADINGS"]

simplified = to_simplified  # labels and headings of traditional mirror pages

#: The six section headings of the national template by their distinctive words.
HEADINGS = re.compile(r"[一二三四五六七八]\s*[、.．]\s*(总体情况|主动公开政府信息情况|收到和处理政府信息公开申请情况|"
                      r"政府信息公开行政复议|存在的主要问题|其他需要报告的事项)")

#: Field labels per key, most telling first.
_LABELS = {
    "index_no": ("索引号",),
    "publisher": ("发布机构", "信息来源", "来源"),
    "published": ("发布日期", "发布时间", "发表时间", "公开日期"),
    "written": ("成文日期", "发文日期"),
    "title": ("标题", "名称"),
}
#: Other fields of the same info blocks: they end a value, and a line of them is page chrome.
_OTHER = ("字体", "字号", "浏览次数", "阅读次数", "点击数", "访问次数", "浏览量", "文号", "发文字号", "关键词", "关键字",
          "主题分类", "信息分类", "体裁分类", "组配分类", "分类", "所属机构", "所属主题", "主题词", "生成日期", "有效性",
          "是否有效", "时效", "责任部门", "公开形式", "公开方式", "公开范围", "公开时限", "作者", "责任编辑", "编辑",
          "发文机关", "当前位置", "您现在所在的位置", "您现在的位置", "您的位置", "所在位置", "分享到", "打印")
_META_TAGS = {"articletitle": "title", "pubdate": "published", "contentsource": "publisher"}
_KEY_OF = {label: key for key, labels in _LABELS.items() for label in labels}
_ALL = sorted([*_KEY_OF, *_OTHER], key=len, reverse=True)  # longest first: 信息来源 before 来源
_SPACED = "|".join(r"\s*".join(map(re.escape, label)) for label in _ALL)
#: A label: not inside a longer Han word (数据来源), followed by a colon — or a whole cell.
_LABEL = re.compile(rf"(?<![\u4e00-\u9fff])(?P<label>{_SPACED})\s*[:：]")
_BARE_LABEL = re.compile(rf"^\s*(?P<label>{_SPACED})\s*[:：]?\s*$")
_TRIM = " \t\u3000\u00a0|｜:：,，;；"
#: Print/close/share buttons and font-size switches that sit on info lines.
_CHROME = re.compile(r"[【\[［(（]?\s*(?:打印(?:本页|此页)?|关闭(?:窗口|本页)?|分享|收藏|返回顶部|[大中小](?:\s*[大中小]){1,2}"
                     r"|扫一扫.*)\s*[】\]］)）]?")
#: Info lines come before the article; looked for in at most this many lines before the first heading.
_HEAD_LINES = 12


def _label(raw: str) -> str:
    return re.sub(r"\s+", "", raw)


def _fields(cell: str) -> list[tuple[str, str]]:
    """(label, value) pairs in one cell or line; a trailing label-only field has value ""."""
    simple = simplified(cell)
    source = cell if len(simple) == len(cell) else simple  # t2s is one-to-one almost always
    bare = _BARE_LABEL.match(simple)
    if bare:
        return [(_label(bare.group("label")), "")]
    matches = list(_LABEL.finditer(simple))
    out = []
    for m, nxt in zip(matches, matches[1:] + [None]):
        value = source[m.end(): nxt.start() if nxt else len(cell)]
        value = _CHROME.sub("", value) if _label(m.group("label")) in _KEY_OF else value
        out.append((_label(m.group("label")), value.strip(_TRIM)))
    return out


def _head(lines: list[str]) -> list[str]:
    """The page's cells and lines before the report's first section heading."""
    cells = []
    for line in lines:
        if HEADINGS.search(simplified(line)):
            break
        cells.extend(c for c in line.split("\t") if c.strip())
    return cells


def page_meta(tree, page_lines: list[str]) -> dict[str, str]:
    """The page's facts about the report (keys of ``SOURCE_META_KEYS`` it has; see module doc)."""
    found: dict[str, str] = {}  # label -> first value
    cells = _head(page_lines)
    for i, cell in enumerate(cells):
        if len(cell) > 200:  # a paragraph, not an info field
            continue
        for label, value in _fields(cell):
            if not value and i + 1 < len(cells) and not _fields(cells[i + 1]):
                value = cells[i + 1].strip(_TRIM)  # info table: the value is the next cell
            if value and label in _KEY_OF:
                found.setdefault(label, value)
    tags: dict[str, str] = {}
    for m in tree.iter("meta"):
        key = _META_TAGS.get((m.get("name") or "").strip().lower())
        content = " ".join((m.get("content") or "").split())
        if key and content:
            tags.setdefault(key, content)
    meta: dict[str, str] = {}
    for key, labels in _LABELS.items():
        values = [found[label] for label in labels if label in found]
        if key == "publisher":  # 发布机构 names the office; ContentSource beats a bare 来源
            values[1:1] = [tags[key]] if key in tags else []
        elif key in tags:
            values.insert(0, tags[key])
        if values:
            meta[key] = values[0]
    return meta


def strip_meta_head(lines: list[str]) -> list[str]:
    """Drop the info lines among the first lines of the article (before its first heading): lines
    made only of labelled fields (their values are in ``source_meta``) and print/font buttons."""
    keep, head = [], True
    for n, line in enumerate(lines):
        if head and (n >= _HEAD_LINES or HEADINGS.search(simplified(line))):
            head = False
        if not (head and is_meta_line(line)):
            keep.append(line)
    return keep


def is_meta_line(line: str) -> bool:
    """Every cell is a labelled field, the value cell after a bare label, or a button."""
    labelled, after_label = False, False
    for cell in line.split("\t"):
        cell = cell.strip()
        if not cell:
            continue
        fields = _fields(cell)
        if fields:
            simple = simplified(cell)
            first = _BARE_LABEL.match(simple) or _LABEL.search(simple)
            if cell[:first.start()].strip(_TRIM):
                return False  # text before the first label: a sentence that mentions a label
            labelled, after_label = True, fields[-1][1] == ""
        elif after_label or not _CHROME.sub("", simplified(cell)).strip(_TRIM):
            after_label = False
        else:
            return False
    return labelled


def trafilatura_meta(tree, meta: dict[str, str]) -> dict[str, str]:
    """``meta`` with title and published filled from trafilatura's metadata where the page's own
    fields gave none. Called last: htmldate may prune the tree it reads."""
    if "title" in meta and "published" in meta:
        return meta
    import trafilatura

    found = trafilatura.extract_metadata(tree, extensive=False)
    extra = {"title": getattr(found, "title", None), "published": getattr(found, "date", None)}
    return {**{k: " ".join(v.split()) for k, v in extra.items() if v and v.strip()}, **meta}
