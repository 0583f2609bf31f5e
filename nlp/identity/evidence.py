"""What a page says about a report outside its prose: chrome lines, ``source_meta`` values, and
traditional-character mirror copies.

A crawled page's text often starts with site chrome before the title: a breadcrumb
("首页 > 政务公开 > 政府信息公开年报"), then lines such as "发布时间：2025-01-15 10:31 来源：阚疃镇人民政府
浏览次数：" or an 索引号 block ("索引号：…  发布机构：利辛县人民政府  成文日期：2025-01-15"). They are the
page's own metadata, so they are read like ``Report.source_meta`` (same keys:
``nlp.ingest.SOURCE_META_KEYS``) and rank with it, above the report's prose.

Mirror sites (Hong Kong, Taiwan, overseas portals) republish reports in traditional characters;
the windows read for metadata are converted with OpenCC t2s when a cheap test finds traditional
characters in them. Only those windows are converted, never the report text, so every offset
stays that of the decoded text.
"""
from __future__ import annotations

import re

from nlp.text.hant import to_simplified

__all__ = ["CHROME_LABELS", "chrome_fields", "meta_value", "is_chrome_line", "to_simplified"]

#: Chrome labels → ``source_meta`` key (matched longest first, so 信息来源 before 来源).
CHROME_LABELS = {
    "发布时间": "published", "发布日期": "published", "发稿时间": "published", "发文日期": "written",
    "成文日期": "written", "成文时间": "written", "生成日期": "written",
    "信息来源": "publisher", "发布机构": "publisher", "发布单位": "publisher", "发文机关": "publisher",
    "发文单位": "publisher", "来源": "publisher", "索引号": "index_no", "标题": "title", "名称": "title",
    "公开日期": "published", "发表日期": "published", "发表时间": "published", "时间": "published",
    "日期": "published",
}
_DATE_VALUE = r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?"
_LABELS = "|".join(sorted(CHROME_LABELS, key=len, reverse=True))
# A label at a line start or after a space/bracket ("数据来源：" inside prose is no chrome); the
# value runs to the next space, except a time of day after a date ("2025-01-20 10:31").
_FIELD = re.compile(
    rf"(?:^|(?<=[\s【\[|｜丨]))(?P<label>{_LABELS})\s*[:：][\s|｜]*"
    rf"(?P<value>[^\s:：|｜丨]+(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?)",
    re.M,
)
# A crawl that flattened the page runs a date label into the title ("…年度报告日期：2025/01/15"):
# a date label is read anywhere when a date follows it, unless prose ("统计时间：2024年1月1日至…").
_DATE_LABELS = "|".join(k for k in sorted(CHROME_LABELS, key=len, reverse=True)
                        if CHROME_LABELS[k] in ("published", "written"))
_DATE_FIELD = re.compile(
    rf"(?<!统计)(?<!截至)(?<!截止)(?<!办理)(?<!答复)(?P<label>{_DATE_LABELS})\s*[:：][\s|｜]*(?P<value>{_DATE_VALUE})")
# A byline: a line that starts with a date and holds nothing else but chrome ("2023年01月18日来源:3").
_DATELINE = re.compile(
    rf"^[-•·*\s]*(?P<value>{_DATE_VALUE})(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*(?:$|(?:{_LABELS})\s*[:：])", re.M)
_ANY_LABEL = re.compile(rf"(?:{_LABELS})\s*[:：]")
_DECORATION = "-•·*>|#　 "
# The page's information block written as a list without colons ("- 发布机构弥勒市朋普镇",
# "- 发布日期2025-01-16"): only its own long labels, alone with their value on a line.
_BARE_LABELS = "|".join(k for k in sorted(CHROME_LABELS, key=len, reverse=True) if len(k) >= 3)
_BARE_FIELD = re.compile(rf"^[{_DECORATION}]*(?P<label>{_BARE_LABELS})(?![:：])\s*(?P<value>[^\s:：|｜丨]{{2,40}})\s*$",
                         re.M)
_LABEL_PREFIX = re.compile(rf"\s*(?:{_LABELS})\s*[:：]\s*")
_BREADCRUMB = re.compile(r"[>＞»›]|^(?:首页|当前位置|您现在的位置|所在位置)")
_CHROME_LINE = re.compile(
    rf"^(?:{_LABELS}|文号|公开方式|主题分类)\s*[:：]|^(?:字号|【?字体|浏览次数|点击数|分享到|打印|关闭)")

def chrome_fields(window: str) -> dict[str, str]:
    """The labelled chrome values in ``window`` (the head of a crawled text), first of each key.

    >>> chrome_fields("发布时间：2025-01-15 10:31 来源：阚疃镇人民政府 浏览次数：12")
    {'published': '2025-01-15 10:31', 'publisher': '阚疃镇人民政府'}
    """
    out: dict[str, str] = {}
    if _ANY_LABEL.search(window):  # a literal scan first: _FIELD tries every position
        for m in _FIELD.finditer(window):
            out.setdefault(CHROME_LABELS[m["label"]], m["value"])
        if "published" not in out and "written" not in out:
            for m in _DATE_FIELD.finditer(window):
                out.setdefault(CHROME_LABELS[m["label"]], m["value"])
    if "|" in window:
        _table_fields(window, out)
    for m in _BARE_FIELD.finditer(window):
        out.setdefault(CHROME_LABELS[m["label"]], m["value"])
    if "published" not in out and (m := _DATELINE.search(window)):
        out["published"] = m["value"]
    return out


def _table_fields(window: str, out: dict[str, str]) -> None:
    """An 索引号 block flattened to a header row of labels and a row of values:
    "索引号 | 公开方式 | 发布机构 |" over "1162…/2009-00021 | 主动公开 | 凉州区张义镇人民政府 |"."""
    rows = [[c.strip().rstrip(":：") for c in ln.split("|")] for ln in window.splitlines() if "|" in ln]
    for labels, cells in zip(rows, rows[1:]):
        header = sum(lb in CHROME_LABELS for lb in labels) >= 2 and not any(
            len(lb) > 6 or any(ch.isdigit() for ch in lb) for lb in labels)
        if header and len(labels) == len(cells):
            for label, cell in zip(labels, cells):
                if label in CHROME_LABELS and cell and cell not in CHROME_LABELS:
                    out.setdefault(CHROME_LABELS[label], cell)
    for row in rows:  # "| 索引号 | 1142…/2025-00298 | 发布机构 | 江岸区车站街道办事处 |": label, value
        for label, cell in zip(row, row[1:]):
            if label in CHROME_LABELS and cell and cell not in CHROME_LABELS:
                out.setdefault(CHROME_LABELS[label], cell)


def meta_value(raw: str | None) -> str:
    """A ``source_meta`` value without its label: "来源：阚疃镇人民政府" → "阚疃镇人民政府"."""
    if not raw:
        return ""
    m = _LABEL_PREFIX.match(raw)
    return (raw[m.end():] if m else raw).strip()


def is_chrome_line(line: str) -> bool:
    """A breadcrumb or a labelled chrome line: never the title, and the title may follow it.
    List decoration ("- 索引号…", "• 2025-02-10") is skipped; the information block's own labels
    need no colon ("发布机构弥勒市朋普镇")."""
    line = line.lstrip(_DECORATION)
    return bool(_BREADCRUMB.search(line) or _CHROME_LINE.match(line) or _BARE_FIELD.match(line)
                or _DATELINE.match(line))
