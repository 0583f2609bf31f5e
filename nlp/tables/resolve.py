"""Choose one reading per printed line with the template's arithmetic (勾稽关系).

Readings are first filtered by the identities that lie inside their own line (a row's six
applicant columns summing to its 总计). Lines that still have several readings are chosen
together with the table-wide identities (each 不予公开 … column summing to (七)总计, 新收 + 结转
= 总计 + 结转下年度). What no identity settles is chosen by plausibility (no holes or dropped
numbers, soft inequalities, typical sizes, then the template's tie-break columns) and reported
as ambiguous; a missing number whose place nothing settles is not placed at all.
"""
from __future__ import annotations

from itertools import product

from nlp.tables.runs import MISSING, Reading, Val
from nlp.tables.templates import CellKey, Identity, Line, Variant

MAX_COMBINATIONS = 4000


def score(identities: list[Identity], values: dict[CellKey, Val]) -> int:
    """+1 per identity that holds, -1 per identity that fails; blanks count 0, holes skip it."""
    total = 0
    for ident in identities:
        vals = [values.get(k, MISSING) for k in ident.cells]
        if any(v is MISSING for v in vals):
            continue
        lhs = sum(v[0] or 0 for v in vals[: len(ident.lhs)])
        rhs = sum(v[0] or 0 for v in vals[len(ident.lhs) :])
        total += 1 if abs(lhs - rhs) < 1e-6 else -1
    return total


_SUMS: dict[tuple[str, str, int], tuple] = {}


def line_sums(line: Line, variant: Variant) -> tuple[tuple[Identity, ...], list[tuple[tuple[int, ...], int]]]:
    """The identities inside one line, and those usable to prune digit-run cutting (cached)."""
    key = (variant.table, variant.id, line.index)
    if key not in _SUMS:
        index = {k: i for i, k in enumerate(line.cells)}
        inside = tuple(i for i in variant.identities if all(k in index for k in i.cells))
        sums = [
            (tuple(index[k] for k in i.lhs), index[i.rhs[0]])
            for i in inside
            if len(i.rhs) == 1 and all(index[k] < index[i.rhs[0]] for k in i.lhs)
        ]
        _SUMS[key] = (inside, sums)
    return _SUMS[key]


def best_in_line(line: Line, found: list[Reading], inside: tuple[Identity, ...]) -> list[Reading]:
    """The readings that satisfy most of the line's own identities."""
    scored = [(score(list(inside), dict(zip(line.cells, r.values))), r) for r in found]
    top = max(s for s, _ in scored)
    return [r for s, r in scored if s == top]


def plausibility(line: Line, reading: Reading, variant: Variant) -> tuple:
    """Tie-break key (bigger is better): fewer holes/drops, soft inequalities, typical sizes."""
    vals = dict(zip(line.cells, reading.values))

    def known(key: CellKey) -> float | int | None:
        v = vals.get(key, MISSING)
        return None if v is MISSING else v[0]

    soft = 0
    for p in variant.plausible:
        small, large = known((p.row, p.small)), known((p.row, p.large))
        soft += small is not None and large is not None and small <= large
    lengths = [len(str(abs(int(v[0])))) for v in reading.values if v is not MISSING and v[0] is not None]
    typical = 0
    for (_, col), v in vals.items():
        if col in variant.digits and v is not MISSING and v[0] is not None:
            lo, hi = variant.digits[col]
            typical += lo <= len(str(abs(int(v[0])))) <= hi
    spread = (max(lengths) - min(lengths)) if reading.split and lengths else 0
    ties = tuple(sum(known(k) or 0 for k in vals if k[1] == c) for c in variant.tie_break)
    return (-reading.penalty, soft, typical, -spread, ties)


def fmt(reading: Reading) -> str:
    """A reading as text: ``_`` for a hole, ``blank`` for a published blank."""
    return ", ".join("_" if v is MISSING else ("blank" if v[0] is None else str(v[0])) for v in reading.values)


def _nums(reading: Reading) -> tuple:
    return tuple(None if v is MISSING else v[0] for v in reading.values)


def resolve(options: dict[int, list[Reading]], variant: Variant, warnings: list[str]) -> dict[int, Reading]:
    """One reading per line index: table identities first, plausibility on ties (then warn)."""
    lines = {ln.index: ln for ln in variant.lines}
    chosen = {i: opts[0] for i, opts in options.items() if len(opts) == 1}
    ambiguous = [i for i, opts in options.items() if len(opts) > 1]
    if not ambiguous:
        return chosen
    cells_of = {i: set(lines[i].cells) for i in ambiguous}
    touched = [ident for ident in variant.identities if any(set(ident.cells) & cells_of[i] for i in ambiguous)]
    base: dict[CellKey, Val] = {}
    for i, r in chosen.items():
        base.update(zip(lines[i].cells, r.values))

    memo: dict[int, tuple] = {}

    def plaus_of(i: int, r: Reading) -> tuple:
        if id(r) not in memo:
            memo[id(r)] = plausibility(lines[i], r, variant)
        return memo[id(r)]

    def total(combo: dict[int, Reading]) -> tuple:
        values = dict(base)
        for i, r in combo.items():
            values.update(zip(lines[i].cells, r.values))
        plaus = [plaus_of(i, r) for i, r in combo.items()]
        summed = tuple(sum(p[k] for p in plaus) for k in range(4))
        ties = tuple(sum(p[4][k] for p in plaus) for k in range(len(variant.tie_break)))
        return (score(touched, values), *summed, ties)

    def most_plausible(i: int) -> Reading:
        return max(options[i], key=lambda r: plaus_of(i, r))

    # lines no identity touches are chosen alone; the others together
    linked = [i for i in ambiguous if any(set(ident.cells) & cells_of[i] for ident in touched)]
    best = {i: most_plausible(i) for i in ambiguous if i not in linked}
    size = 1
    for i in linked:
        size *= len(options[i])
    if linked and size <= MAX_COMBINATIONS:
        combos = (dict(zip(linked, pick)) for pick in product(*(options[i] for i in linked)))
        best.update(max(combos, key=total))
    elif linked:  # too many to try: improve one line at a time from the most plausible
        best.update({i: most_plausible(i) for i in linked})
        for _ in range(3):
            for i in linked:
                best[i] = max(options[i], key=lambda r, i=i: total({**best, i: r}))
    best_total = total(best)
    for i in ambiguous:
        rivals = [r for r in options[i] if _nums(r) != _nums(best[i])]
        if not rivals:
            continue
        key = f"{variant.table}/{lines[i].key}"
        scores = {id(r): total({**best, i: r}) for r in rivals}
        level = sorted((r for r in rivals if scores[id(r)][0] == best_total[0]), key=lambda r: scores[id(r)], reverse=True)
        if level and any(v is MISSING for v in best[i].values):
            kept = ", ".join(str(v[0]) for v in best[i].values if v is not MISSING)
            warnings.append(
                f"{key}: numbers {kept} not placed: nothing tells which of its {len(lines[i].cells)} cells"
                " they fill; not recovered"
            )
            del best[i]
        elif level:
            tied = scores[id(level[0])] == best_total
            why = "fit the table's identities equally" if i in linked else "and no identity applies"
            warnings.append(
                f"ambiguous: {key}: {len(options[i])} readings {why}; {'tie, ' if tied else ''}chose"
                f" {fmt(best[i])}{'' if tied else ' as most plausible'} (next: {fmt(level[0])})"
            )
        else:
            warnings.append(
                f"{key}: {len(options[i])} readings fit the line; the table's identities chose {fmt(best[i])}"
            )
    chosen.update(best)
    return chosen


def implied(ident: Identity, values: dict[CellKey, Val], cell: CellKey) -> float | int | None:
    """The value ``cell`` must have for ``ident`` to hold, if every other cell is known."""
    if any(k != cell and k not in values for k in ident.cells):
        return None
    lhs = sum(values[k][0] or 0 for k in ident.lhs if k != cell)
    rhs = sum(values[k][0] or 0 for k in ident.rhs if k != cell)
    return rhs - lhs if cell in ident.lhs else lhs - rhs
