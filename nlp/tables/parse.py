"""Fill the template tables (二, 三, 四) of a report from its text.

For each table: find where it starts in its section, pick the template variant its header
wording names, read the raw rows of the layout (``layouts.py``), give each row to the printed
line whose label aliases it names (the alias ending last wins, so a group heading or a wrapped
fragment before a row's own label does not), place unlabelled rows into the unfilled lines
between their labelled neighbours in template order, and read each line's numbers
(``runs.py``). Where a line can be read several ways, the template's identities (勾稽关系)
choose, first within the line and then across the table; what they cannot settle is chosen by
plausibility and reported as ambiguous. Nothing here raises on odd input: problems become
warnings on the table.
"""
from __future__ import annotations

import re

from nlp.model import Cell, Report, Table
from nlp.tables.layouts import RawRow, read_rows
from nlp.tables.resolve import best_in_line, fmt, implied, line_sums, resolve
from nlp.tables.runs import MISSING, Reading, Val, readings
from nlp.tables.templates import CellKey, Line, TableModel, Variant, load_templates
from nlp.text.normalize import compact, fold_width


def parse_tables(report: Report) -> list[Table]:
    """The statistical tables of sections 二, 三 and 四 of ``report``.

    One ``Table`` per section that exists (``proactive``, ``requests``, ``review_litigation``);
    a section without a table (pre-2019 layouts, prose only) gives a table with no cells and a
    warning.
    """
    tables: list[Table] = []
    for table_id, model in load_templates().items():
        section = report.section(table_id)
        if section is None:
            continue
        try:
            tables.append(parse_table(report.text, section.body_start, section.end, model))
        except Exception as exc:  # noqa: BLE001 - a batch over thousands of reports must go on
            tables.append(Table(table_id, [], None, [f"table parser failed: {exc!r}"]))
    return tables


def tables_of(report: Report) -> list[Table]:
    """The report's tables, parsed on first use and kept on ``report.parsed_tables``.

    Why a cache: checks, frames and the CLI each ask for the same report's tables; the parse is
    done once. A report built with ``parsed_tables`` already set (a test, a future ruled-table
    reader) is used as given.
    """
    if report.parsed_tables is None:
        report.parsed_tables = parse_tables(report)
    return report.parsed_tables


def table_of(report: Report, table_id: str) -> Table | None:
    """The report's table ``table_id`` (``proactive``, ``requests``, ``review_litigation``) or None."""
    return next((t for t in tables_of(report) if t.id == table_id), None)


def _region(text: str, start: int, end: int, model: TableModel) -> tuple[int, str] | None:
    """Where the table starts (an offset) and its folded, compacted text; None if no table."""
    comp, offsets = compact(text, start, end)
    comp = fold_width(comp)
    required = model.require or model.start_markers
    if not any(r in comp for r in required):
        return None
    hits = [p for p in (comp.find(m) for m in model.start_markers) if p >= 0]
    if not hits:
        return None
    at = offsets[min(hits)]
    line_start = max(text.rfind("\n", start, at) + 1, start)
    if not re.search(r"\d", text[line_start:at]):  # keep the line's own label cells
        at = line_start
    return at, comp[min(hits) :]


def _variant(model: TableModel, comp: str) -> Variant:
    scored = [(sum(1 for d in v.detect if d in comp), -i, v) for i, v in enumerate(model.variants)]
    return max(scored, key=lambda s: (s[0], s[1]))[2]


def _best_line(label: str, lines: list[Line], taken: set[int]) -> Line | None:
    """The line whose alias ends last in the label (longest alias on a tie), not yet taken."""
    found = []
    for line in lines:
        best = max(((label.rfind(a) + len(a), len(a)) for a in line.aliases if a in label), default=None)
        if best:
            found.append((best, line.index, line))
    for _, _, line in sorted(found, key=lambda f: (f[0][0], f[0][1], -f[1]), reverse=True):
        if line.index not in taken:
            return line
    return None


def _fits(row: RawRow, n: int) -> bool:
    """Could this unlabelled row fill a line of ``n`` cells?"""
    if any(t.split for t in row.toks):
        digits = sum(sum(ch.isdigit() for ch in t.text) for t in row.toks)
        return len(row.toks) <= n <= digits
    m = len(row.core)
    return m == n or m < n <= m + len(row.edges)


def _assign(rows: list[RawRow], variant: Variant, warnings: list[str]) -> dict[int, RawRow]:
    """Rows → line indexes: labelled rows by alias, then unlabelled ones by template order."""
    lines = variant.lines
    assigned: dict[int, RawRow] = {}
    stream: list[tuple[RawRow, int | None]] = []
    for row in rows:
        line = _best_line(row.label, lines, set(assigned))
        if line is None and any(a in row.label for ln in lines for a in ln.aliases):
            # a repeated label is a misprint (seed 000 prints 行政许可 under 第二十条第（六）项):
            # place the row by template order like an unlabelled one
            warnings.append(f"label '{row.label[-12:]}' names a line already read; placed by template order")
        if line is not None:
            assigned[line.index] = row
        stream.append((row, line.index if line else None))
    stream = _join_continuations(stream, lines, assigned)
    i = 0
    while i < len(stream):
        if stream[i][1] is not None:
            i += 1
            continue
        j = i
        while j < len(stream) and stream[j][1] is None:
            j += 1
        prev = stream[i - 1][1] if i > 0 else -1
        nxt = stream[j][1] if j < len(stream) else len(lines)
        _place_orphans([r for r, _ in stream[i:j]], prev, nxt, variant, assigned, warnings)
        i = j
    return assigned


def _count(row: RawRow) -> int | None:
    """Numbers in a row of a separated layout (None for flattened runs, whose count is open)."""
    return None if any(t.split for t in row.toks) else len(row.core)


def _join_continuations(
    stream: list[tuple[RawRow, int | None]], lines: list[Line], assigned: dict[int, RawRow]
) -> list[tuple[RawRow, int | None]]:
    """A row short of numbers takes the unlabelled rows right after it when together they fill
    its line exactly: numbers wrapped onto the next line or page, or table 四 printed one block
    (行政复议, 直接起诉, 复议后起诉) per line."""
    out: list[tuple[RawRow, int | None]] = []
    k = 0
    while k < len(stream):
        row, idx = stream[k]
        k += 1
        n = len(lines[idx].cells) if idx is not None else max(len(ln.cells) for ln in lines)
        have = _count(row)
        if have is not None and have < n:
            j, total = k, have
            while j < len(stream) and stream[j][1] is None and _count(stream[j][0]) and total < n:
                total += _count(stream[j][0])
                j += 1
            if total == n and j > k:
                toks = [t for r, _ in [(row, idx), *stream[k:j]] for t in r.core]
                row = RawRow(row.label, row.start, toks)
                if idx is not None:
                    assigned[idx] = row
                k = j
        out.append((row, idx))
    return out


def _place_orphans(
    orphans: list[RawRow], prev: int, nxt: int, variant: Variant, assigned: dict[int, RawRow], warnings: list[str]
) -> None:
    """Unlabelled rows between two labelled ones fill the unread lines between those, in order,
    when they are as many as those lines and each fits its line's cell count."""
    gap = [ln for ln in variant.lines if prev < ln.index < nxt and ln.index not in assigned]
    fitting = [r for r in orphans if any(_fits(r, len(g.cells)) for g in gap)]
    placed: set[int] = set()
    if gap and len(fitting) == len(gap) and all(_fits(r, len(g.cells)) for r, g in zip(fitting, gap)):
        for r, g in zip(fitting, gap):
            assigned[g.index] = r
            placed.add(id(r))
        if len(variant.lines) > 1:
            warnings.append("rows without a label placed by template order: " + ", ".join(g.key for g in gap))
    for r in orphans:
        if id(r) not in placed:
            nums = " ".join(t.text or "_" for t in r.toks)[:60]
            warnings.append(f"numbers not placed in the table: {nums} (offset {r.toks[0].start})")


def parse_table(text: str, start: int, end: int, model: TableModel) -> Table:
    """Parse one table from ``text[start:end]`` (its section) against its template model."""
    found = _region(text, start, end, model)
    if found is None:
        return Table(model.id, [], None, [f"no {model.title} table in this section"])
    at, comp = found
    variant = _variant(model, comp)
    layout, rows = read_rows(text, at, end)
    warnings: list[str] = []
    if not rows:
        return Table(model.id, [], layout, [f"no numbers in the {model.title} table"])
    assigned = _assign(rows, variant, warnings)
    options: dict[int, list[Reading]] = {}
    cut_by_sums = 0
    for line in variant.lines:
        row = assigned.get(line.index)
        if row is None:
            continue
        inside, sums = line_sums(line, variant)
        found_readings, note = readings(row.toks, len(line.cells), sums)
        if not found_readings:
            nums = " ".join(t.text for t in row.toks)
            warnings.append(f"{model.id}/{line.key}: cannot read '{nums}' as {len(line.cells)} cells")
            continue
        if note:
            warnings.append(f"{model.id}/{line.key}: {note}")
        options[line.index] = best_in_line(line, found_readings, inside)
        digits = sum(ch.isdigit() for t in row.toks for ch in t.text)
        if found_readings[0].split and digits > len(line.cells) and len(options[line.index]) == 1:
            cut_by_sums += 1
    chosen = resolve(options, variant, warnings)
    if cut_by_sums:
        warnings.append(f"flattened digit runs: {cut_by_sums} lines had one cutting that fits their own sums")
    return _build(model, variant, layout, chosen, warnings)


def _build(model: TableModel, variant: Variant, layout: str, chosen: dict[int, Reading], warnings: list[str]) -> Table:
    values: dict[CellKey, Val] = {}
    lines = {ln.index: ln for ln in variant.lines}
    holes: list[CellKey] = []
    for i, reading in chosen.items():
        line = lines[i]
        values.update((k, v) for k, v in zip(line.cells, reading.values) if v is not MISSING)
        if reading.penalty:
            gone = [k for k, v in zip(line.cells, reading.values) if v is MISSING]
            holes.extend(gone)
            warnings.append(
                f"{model.id}/{line.key}: read as {fmt(reading)}"
                + (f"; not recovered: {', '.join(f'{r}.{c}' for r, c in gone)}" if gone else "; extra numbers dropped")
            )
    for cell in holes:  # say what the arithmetic implies for a hole, without filling it in
        for ident in variant.identities:
            value = implied(ident, values, cell) if cell in ident.cells else None
            if value is not None:
                warnings.append(f"{cell[0]}.{cell[1]} not printed; {ident.id} implies {_num(value)}")
                break
    missing_rows = [r.key for r in variant.rows if not any((r.key, c) in values for c in r.columns)]
    if missing_rows:
        warnings.append(f"rows not read: {', '.join(missing_rows)}")
    for ident in variant.identities:
        vals = [values.get(k) for k in ident.cells]
        if any(v is None for v in vals):
            continue
        lhs = sum(v[0] or 0 for v in vals[: len(ident.lhs)])
        rhs = sum(v[0] or 0 for v in vals[len(ident.lhs) :])
        if abs(lhs - rhs) > 1e-6:
            blanks = [f"{k[0]}.{k[1]}" for k, v in zip(ident.cells, vals) if v[0] is None]
            extra = f"; blank cells counted as 0: {', '.join(blanks)}" if blanks else ""
            warnings.append(f"identity {ident.id} fails: {_num(lhs)} != {_num(rhs)}{extra}")
    cells = [
        Cell(model.id, row, col, values[(row, col)][0], values[(row, col)][1], values[(row, col)][2])
        for row, col in variant.cells
        if (row, col) in values
    ]
    return Table(model.id, cells, layout, warnings)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(round(x, 6))
