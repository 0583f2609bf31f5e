"""Traditional characters: mirror copies of reports (政府資訊公開工作年度報告) read as simplified.

Two conversions, both OpenCC's t2s tables:

- ``to_simplified`` converts phrases (OpenCC's own behaviour) for matching names and labels,
  where the length of the result does not matter (identity evidence, page labels);
- ``simplified_view`` converts character by character and keeps the length, so rules can run
  on the view while every offset still indexes the decoded text (the segmenter).

A cheap test comes first: nearly every report holds one of a few characters that exist only in
traditional writing, so simplified text (all but a few of 100,000 reports) never pays for OpenCC.
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["has_traditional", "to_simplified", "simplified_view"]

# Characters that exist only in traditional writing and occur in nearly every report
# (鄉鎮縣區, 報告, 資訊, 與, 發, 開, 務…): one hit is enough to convert.
_HANT = re.compile("[鄉鎮縣區報資訊與發開務關於為會書機條處門衛時間號構來數據統計劃體單]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_traditional(s: str) -> bool:
    return bool(s) and _HANT.search(s) is not None


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(s: str) -> str:
    """``s`` in simplified characters (phrase-level t2s) when it holds traditional ones."""
    return _t2s().convert(s) if has_traditional(s) else s


@lru_cache(maxsize=65536)
def _char(c: str) -> str:
    out = _t2s().convert(c)
    return out if len(out) == 1 else c


def simplified_view(s: str) -> str:
    """``s`` with each traditional character made simplified, same length (offsets hold)."""
    if not has_traditional(s):
        return s
    return _HAN.sub(lambda m: _char(m[0]), s)
