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
#: Digit values; 两 is 2 in counts (两件). ○ (white circle), Latin O and full-width Ｏ stand in
#: for 〇 in typed years (二O二一年), 0 when a year mixes in an Arabic zero (二0二二年).
_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {
    "〇": 0, "○": 0, "O": 0, "Ｏ": 0, "0": 0, "两": 2}
_POWER = {"十": 10, "百": 100, "千": 1000}
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
#: A heading or enumeration numeral: 一 … 九, 十, 十一 … 九十九 (no 零, 两 or 百).
_SMALL = re.compile(r"[〇零一二三四五六七八九]|[二三四五六七八九]?十[一二三四五六七八九]?")


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


def chinese_number(text: str) -> int | float | None:
    """The one parser of numbers as reports write them; None if ``text`` is not one.

    Arabic (``21``, ``3.5``), counting numerals (一, 十二, 一百零三, 两千, 三万五千) and
    positional digits (二〇二一, 二O二二 in a date's year). Counting form as soon as a power
    (十 百 千 万) occurs, positional otherwise.
    """
    if _ARABIC.fullmatch(text):
        return float(text) if "." in text else int(text)
    if not text:
        return None
    if not any(c in _POWER or c == "万" for c in text):
        return int("".join(str(_DIGIT[c]) for c in text)) if all(c in _DIGIT for c in text) else None
    total = section = digit = 0
    for ch in text:
        if ch in _DIGIT:
            digit = _DIGIT[ch]
        elif ch in _POWER:
            section += (digit or 1) * _POWER[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10000
            section = digit = 0
        else:
            return None
    return total + section + digit


def chinese_numeral_value(numeral: str) -> int | None:
    """Value of a heading, part or date numeral (一 … 九十九, or Arabic digits); None otherwise.

    Narrower than :func:`chinese_number` on purpose: "一二" or "两" never number a heading.
    """
    if numeral.isdecimal():  # Arabic digits, half- or full-width
        return int(numeral)
    return chinese_number(numeral) if _SMALL.fullmatch(numeral) else None


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


def strip_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end].strip()`` as offsets, walking only over the whitespace it strips."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
