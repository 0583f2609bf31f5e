"""Normalisation that never moves an offset.

Matching rules run on a *folded view* of the report: the same length as the stored text, with
full-width ASCII folded to half-width and odd spaces made plain, so an offset found in the view
is an offset in ``report.text``. The stored text itself is never changed.
"""
from __future__ import annotations

import re

_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # ！..～ → !..~
_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0xFEFF: 0x20})
_FOLD_TABLE = str.maketrans(_FOLD)

CJK_NUMERALS = "〇零一二三四五六七八九十"
_NUMERAL_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")}
_NUMERAL_VALUE["〇"] = 0


def fold_width(text: str) -> str:
    """Full-width ASCII to half-width, ideographic/nbsp spaces to ' '; length is unchanged."""
    return text.translate(_FOLD_TABLE)


def line_view(text: str) -> str:
    """``text`` with every CR made LF; length is unchanged.

    Old Mac files end lines with a lone CR and Windows files with CRLF. In this view a lone CR
    reads as one line break and CRLF as a break followed by an empty line, which every line rule
    skips, so the three conventions give the same structure at the same offsets.
    """
    return text.replace("\r", "\n") if "\r" in text else text


def chinese_numeral_value(numeral: str) -> int | None:
    """Value of a small Chinese numeral (一 … 九十九); None if it is not one."""
    if not numeral:
        return None
    if numeral.isdigit():
        return int(numeral)
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        t = _NUMERAL_VALUE.get(tens, None) if tens else 1
        o = _NUMERAL_VALUE.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    if len(numeral) == 1:
        return _NUMERAL_VALUE.get(numeral)
    return None


def chinese_numeral(value: int) -> str:
    """The Chinese numeral for 1 … 99."""
    digits = "零一二三四五六七八九"
    if value < 10:
        return digits[value]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


_WS = re.compile(r"\s+")


def compact(text: str, start: int = 0, end: int | None = None) -> tuple[str, list[int]]:
    """``text[start:end]`` without whitespace or markdown emphasis, plus each kept char's offset.

    Titles like "三 、本 年 度办 理 结果" (pdftotext) or "**及时跟踪**" match rules once compacted.
    """
    end = len(text) if end is None else end
    chars: list[str] = []
    offsets: list[int] = []
    for i in range(start, end):
        ch = text[i]
        if ch.isspace() or ch == "*":
            continue
        chars.append(ch)
        offsets.append(i)
    return "".join(chars), offsets


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph (the letters of the text, not its punctuation)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
