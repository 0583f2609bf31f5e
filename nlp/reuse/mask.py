"""Masking for matching: what may differ between a passage and its copy is hidden.

"2021年我镇…杜市镇" and "2020年我镇…董家镇" are the same passage once digits, years, place
names and the level word after 我 are masked. The masked string is only ever compared, never
shown, so it need not keep offsets.
"""
from __future__ import annotations

import re

MASK = "□"
_DIGITS = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?|[〇零一二三四五六七八九十百千万]+(?=[年月日条件项个次人家篇期场])")
# a place ends in one of these; the name before it is 1-6 letters ("杜市镇", "平潭综合实验区")
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:街道办事处|街道|镇|乡|县|区|市|州|省)(?:人民政府|政府|管委会)?")
_LEVEL = re.compile(r"(?<=[我本该全])(?:街道|镇|乡|县|区|市|局|委|办)")
_SPACE = re.compile(r"\s+")
# enumerators differ between copies ("（3）推进…" ↔ "（n）推进…"): mask them like numbers
_ENUM = re.compile(r"^(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,2}是|\d{1,2}[、.．]|[①-⑳])")
_PUNCT = str.maketrans({"，": ",", "。": ".", "；": ";", "：": ":", "、": ",", "（": "(", "）": ")",
                        "“": '"', "”": '"', "《": "<", "》": ">"})


def own_names(office: str | None, office_short: str | None) -> tuple[str, ...]:
    """A report's own names, longest first: each report masks its own (a copy masks its own)."""
    return tuple(sorted({n for n in (office, office_short) if n and len(n) >= 2}, key=len, reverse=True))


def mask(text: str, names: tuple[str, ...] = ()) -> str:
    """The text with whitespace removed and office names, places, numbers and 我X masked.

    Other offices' names need no list: the place pattern masks any 某某镇/县/市(人民政府).
    """
    s = _ENUM.sub("0", _SPACE.sub("", text)).translate(_PUNCT)
    for name in names:
        s = s.replace(name, MASK)
    s = _LEVEL.sub(MASK, s)
    s = _PLACE.sub(MASK, s)
    return _DIGITS.sub("0", s)


def mask_many(items: list[tuple[tuple[str, ...], list[str]]]) -> list[list[str]]:
    """``mask`` over (names, sentences) per report: one unit of work for a mapper."""
    return [[mask(text, names) for text in texts] for names, texts in items]
