"""Masking for matching: what may differ between a passage and its copy is hidden.

"2021年我镇…杜市镇" and "2020年我镇…董家镇" are the same passage once digits, years, place
names and the level word after 我 are masked. The masked string is only ever compared, never
shown, so it need not keep offsets.
"""
from __future__ import annotations

import re
from typing import Iterable

MASK = "□"
_DIGITS = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?|[〇零一二三四五六七八九十百千万]+(?=[年月日条件项个次人家篇期场])")
# a place ends in one of these; the name before it is 1-6 letters ("杜市镇", "平潭综合实验区")
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:街道办事处|街道|镇|乡|县|区|市|州|省)(?:人民政府|政府|管委会)?")
_LEVEL = re.compile(r"(?<=[我本该全])(?:街道|镇|乡|县|区|市|局|委|办)")
_SPACE = re.compile(r"\s+")
_PUNCT = str.maketrans({"，": ",", "。": ".", "；": ";", "：": ":", "、": ",", "（": "(", "）": ")",
                        "“": '"', "”": '"', "《": "<", "》": ">"})


def name_pattern(names: Iterable[str]) -> re.Pattern | None:
    """One regex for the corpus's office names, longest first (they are masked everywhere)."""
    names = sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names))) if names else None


def mask(text: str, names: re.Pattern | None = None) -> str:
    """The text with whitespace removed and office names, places, numbers and 我X masked."""
    s = _SPACE.sub("", text).translate(_PUNCT)
    if names is not None:
        s = names.sub(MASK, s)
    s = _LEVEL.sub(MASK, s)
    s = _PLACE.sub(MASK, s)
    return _DIGITS.sub("0", s)
