"""Readings of one printed line: every way its tokens can fill the line's cells.

A line of ``n`` cells read from a clean layout has one reading. The other cases are where the
arithmetic has to decide (``parse.py`` scores the readings against the template's identities):

- a flattened digit run ("713000074") is cut into ``n`` non-negative integers without leading
  zeros (a "0" cell is one digit); spaces and minus signs are boundaries no cell crosses, and a
  decimal fraction stays with its integer part;
- too few numbers: one reading per placement of the holes (cells left unrecovered), or trailing
  blank cells taken as published blanks;
- too many numbers: one reading per choice of the numbers to drop.

Identities that lie inside the line (a row's applicants summing to its total, a review block
summing to its 总计) prune the cutting of runs as soon as their last cell is cut.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from nlp.tables.layouts import Tok

#: A cell value: (value, start, end). ``value`` None is a published blank.
Val = tuple[float | int | None, int | None, int | None]
MISSING: Val = (None, -1, -1)  # a hole: the cell could not be recovered

MAX_READINGS = 400
MAX_STEPS = 60_000


@dataclass(frozen=True)
class Reading:
    values: tuple[Val, ...]
    penalty: int = 0  # holes and dropped numbers cost; a clean reading is 0
    split: bool = False  # cut from a flattened run


def number(text: str) -> float | int:
    """The value of a number token: int unless it has a decimal fraction."""
    text = text.replace(",", "")
    return float(text) if "." in text else int(text)


def _valid_part(part: str) -> bool:
    digits = part.lstrip("-")
    if not digits or not digits[0].isdigit():
        return False
    whole = digits.split(".", 1)[0]
    return whole == "0" or not whole.startswith("0")


def _cut_points(group: str) -> list[int]:
    """Positions where a group may be cut: between two digits of its integer part."""
    dot = group.find(".")
    limit = dot if dot >= 0 else len(group)
    return [i for i in range(1, limit) if group[i - 1].isdigit() and group[i].isdigit()]


def split_runs(
    toks: list[Tok], n: int, sums: list[tuple[tuple[int, ...], int]], prune: bool = True
) -> tuple[list[tuple[Val, ...]], bool]:
    """All cuttings of flattened groups into ``n`` cells; ``sums`` are in-line identities.

    Each identity is ``(lhs cell indexes, rhs cell index)`` with the rhs cut last; with
    ``prune`` a cutting that breaks one is abandoned as soon as it is known. Returns the
    readings and whether the search was cut short by its limits.
    """
    groups = [(t.text, t.start) for t in toks]
    # parts[j][pos]: the valid cells (end, value) that can start at ``pos`` of group j;
    # room[j][pos]: how many cells the rest of group j can give at most
    parts: list[dict[int, list[tuple[int, float | int]]]] = []
    room: list[dict[int, int]] = []
    for g, _ in groups:
        cuts = _cut_points(g)
        ends = cuts + [len(g)]
        parts.append({
            pos: [(e, number(g[pos:e])) for e in ends if e > pos and _valid_part(g[pos:e])]
            for pos in [0, *cuts]
        })
        room.append({pos: 1 + sum(1 for c in cuts if c > pos) for pos in [0, *cuts]})
    after = [sum(r[0] for r in room[k:]) for k in range(1, len(groups) + 1)]  # max cells of later groups
    checks: dict[int, list[tuple[int, ...]]] = {}
    for lhs, rhs in sums:
        checks.setdefault(rhs, []).append(lhs)
    out: list[tuple[Val, ...]] = []
    cells: list[Val] = []
    steps = 0
    truncated = False

    def target(idx: int) -> float | int | None:
        """The value a cell must have because a sum ends at it (pruning only)."""
        for lhs in checks.get(idx, ()):
            return sum(cells[i][0] for i in lhs)
        return None

    def walk(j: int, pos: int) -> None:
        nonlocal steps, truncated
        steps += 1
        if steps > MAX_STEPS or len(out) >= MAX_READINGS:
            truncated = True
            return
        if j == len(groups):
            if len(cells) == n:
                out.append(tuple(cells))
            return
        k = len(cells)
        # cells still needed must fit: each later group gives at least one, at most all its parts
        if k + 1 + (len(groups) - j - 1) > n or k + room[j][pos] + after[j] < n:
            return
        g, gstart = groups[j]
        last_group = j == len(groups) - 1
        must = target(k) if prune else None
        for end, value in parts[j][pos]:
            if k == n - 1 and (end != len(g) or not last_group):
                continue  # the last cell takes the rest of the last group
            if must is not None and value != must:
                continue
            cells.append((value, gstart + pos, gstart + end))
            if end == len(g):
                walk(j + 1, 0)
            else:
                walk(j, end)
            cells.pop()

    if groups:
        walk(0, 0)
    return out, truncated


def readings(toks: list[Tok], n: int, sums: list[tuple[tuple[int, ...], int]]) -> tuple[list[Reading], str]:
    """Every reading of a row's tokens as a line of ``n`` cells, and a note when a digit run
    could not be cut to fit the line's own sums (or the search hit its limit)."""
    if any(t.split for t in toks):
        found, truncated = split_runs(toks, n, sums)
        note = ""
        if not found:
            found, truncated = split_runs(toks, n, sums, prune=False)
            note = "no cutting satisfies the line's own sums" if found else ""
        if truncated:
            note = (note + "; " if note else "") + "too many cuttings, search stopped early"
        return [Reading(v, 0, split=True) for v in found], note
    core = [t for t in toks if not t.edge]
    edges = [t for t in toks if t.edge]
    vals = [_val(t) for t in core]
    m = len(vals)
    if m == n:
        return [Reading(tuple(vals))], ""
    if m < n <= m + len(edges):
        return [Reading(tuple(vals + [_val(t) for t in edges[: n - m]]))], ""
    out: list[Reading] = []
    if m < n:
        for holes in combinations(range(n), n - m):
            it = iter(vals)
            out.append(Reading(tuple(MISSING if i in holes else next(it) for i in range(n)), 10 * (n - m)))
            if len(out) >= MAX_READINGS:
                break
        return out, ""
    for drop in combinations(range(m), m - n):
        trailing = drop == tuple(range(n, m))
        kept = tuple(v for i, v in enumerate(vals) if i not in drop)
        out.append(Reading(kept, 5 * (m - n) + (0 if trailing else 1)))
        if len(out) >= MAX_READINGS:
            break
    return out, ""


def _val(t: Tok) -> Val:
    if t.kind == "blank":
        return (None, None, None)
    return (number(t.text), t.start, t.end)
