"""Report year, publication date and how many days after the legal deadline a report came out.

The 条例 (Article 49) asks every office to publish its annual report by 31 January of the next
year. ``days_after_deadline`` is publication date − that deadline (negative: early).

* ``year``: the title's year, else the 统计期限 sentence ("统计期限自2024年1月1日起至…"), else
  the publication year − 1 (with a warning: a report published in 2025 is most likely the
  2024 report, but nothing in the text says so).
* ``publication_date``: the page's 发布时间, else its 成文日期 (``source_meta`` or the chrome
  lines of a crawled text), else the 落款's date.

Dates are read as offices write them: "2025-01-20", "2025/01/20", "2025.1.20",
"2025年01月20日", "二〇二五年一月二十日", with full-width digits; an impossible date is None.
"""
from __future__ import annotations

import datetime as dt
import re

from nlp.text.normalize import chinese_number, chinese_numeral_value, fold_width

__all__ = ["DEADLINE_MONTH_DAY", "parse_date", "statistics_year", "report_year", "days_after_deadline"]

DEADLINE_MONTH_DAY = (1, 31)  # 条例 第四十九条: by 31 January each year

_DATE = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*(?:年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?"
    r"|(?P<sep>[-/.])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2}))(?!\d)"
    r"|(?P<cy>[〇○零OＯ0一二三四五六七八九]{4})年(?P<cm>[一二三四五六七八九十]{1,3})月"
    r"(?P<cd>[一二三四五六七八九十]{1,3})日"
)
_STAT_YEAR = re.compile(r"统计[^。;；]{0,12}?((?:19|20)\d\d)\s*年")


def _ymd(m: re.Match) -> tuple[int, int, int]:
    g = m.groupdict()
    if g["y"]:
        return int(g["y"]), int(g["m"] or g.get("m2") or 0), int(g["d"] or g.get("d2") or 0)
    y = chinese_number(m["cy"])  # positional: 二〇二一
    return y, chinese_numeral_value(m["cm"]) or 0, chinese_numeral_value(m["cd"]) or 0


def iso_from_match(m: re.Match) -> str | None:
    """ISO date from a match of ``_DATE`` (or a pattern with the same groups); None if impossible."""
    try:
        return dt.date(*_ymd(m)).isoformat()
    except ValueError:
        return None


def parse_date(s: str | None) -> str | None:
    """The first date written in ``s`` as ISO "YYYY-MM-DD"; None when there is none.

    >>> parse_date("发布时间：2025-01-20 10:31"), parse_date("二〇二五年一月二十日")
    ('2025-01-20', '2025-01-20')
    """
    if not s:
        return None
    m = _DATE.search(fold_width(s))
    return iso_from_match(m) if m else None


def statistics_year(window: str) -> int | None:
    """The year of the 统计期限 sentence ("本报告中所列数据的统计期限自2024年1月1日起…")."""
    m = _STAT_YEAR.search(window)
    return int(m[1]) if m else None


def report_year(title_year: int | None, stat_year: int | None,
                publication_date: str | None) -> tuple[int | None, str | None]:
    """(year, warning): the title's, else the 统计期限's, else publication year − 1 (warned)."""
    if title_year or stat_year:
        return title_year or stat_year, None
    if publication_date:
        year = int(publication_date[:4]) - 1
        return year, (f"identity: the text states no report year; {year} assumed from the "
                      f"publication date {publication_date}")
    return None, None


def days_after_deadline(year: int | None, publication_date: str | None) -> int | None:
    """Days from 31 January of ``year + 1`` to ``publication_date`` (negative: early)."""
    if not year or not publication_date:
        return None
    deadline = dt.date(year + 1, *DEADLINE_MONTH_DAY)
    return (dt.date.fromisoformat(publication_date) - deadline).days
