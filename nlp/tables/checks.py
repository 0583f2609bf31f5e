"""Consistency checks on a report's statistical tables, against its own text and last year's.

Each check is a :class:`~nlp.model.Check` with status PASS / FAIL / NOT_ASSESSABLE. A FAIL
names the offending cells and numbers in ``evidence`` and says what is wrong in ``message``;
a check whose cells are blank or missing is NOT_ASSESSABLE with the reason, never a crash.

Checks (ids as in ``Check.id``):

- ``requests.column_sums``: in every column of table 三, the 19 or 21 result rows (予以公开 …
  其他处理) add up to 总计.
- ``requests.balance``: 本年新收 + 上年结转 = 总计 + 结转下年度 (the 勾稽关系 the table prints).
- ``requests.row_sums``: the six applicant columns add up to 总计 in every row.
- ``review_litigation.block_sums``: 维持 + 纠正 + 其他 + 尚未审结 = 总计 in each of table 四's blocks.
- ``text_vs_table.requests``: request counts the narrative quotes against table 三.
- ``requests.carried_over_vs_previous``: this year's 上年结转 = last year's 结转下年度, per column.
- ``proactive.in_force_vs_previous``: 现行有效件数 = last year's + 本年制发 − 本年废止.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from nlp.model import Cell, Check, Report, Table
from nlp.tables.parse import tables_of
from nlp.tables.quotes import QUOTED_ROWS, Quote, find_request_quotes

PASS, FAIL, NOT_ASSESSABLE = "PASS", "FAIL", "NOT_ASSESSABLE"
CHECK_IDS = ("requests.column_sums", "requests.balance", "requests.row_sums",
             "review_litigation.block_sums", "text_vs_table.requests",
             "requests.carried_over_vs_previous", "proactive.in_force_vs_previous")

APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "nonprofit", "legal_service",
                     "other_org")
REQUEST_COLUMNS = APPLICANT_COLUMNS + ("total",)
#: Result rows every layout of table 三 has (2019 and 2021 templates alike).
CORE_RESULT_ROWS = (
    "granted", "partly_granted",
    "denied_state_secret", "denied_law_prohibited", "denied_three_safety", "denied_third_party",
    "denied_internal_affairs", "denied_process_info", "denied_enforcement_file",
    "denied_query_matter",
    "unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear",
    "not_processed_complaint", "not_processed_repeat", "not_processed_publication",
    "not_processed_excessive", "not_processed_confirmation",
)
#: (六)其他处理: three rows since the 2021 template, one (``other_total``) in the 2019 template.
OTHER_RESULT_ROWS = ("other_overdue_correction", "other_overdue_fee", "other_other")
OTHER_ROW_2019 = "other_total"
REQUEST_ROWS = ("new_received", "carried_in", *CORE_RESULT_ROWS, *OTHER_RESULT_ROWS,
                OTHER_ROW_2019, "total_handled", "carried_out")
REVIEW_BLOCKS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_PARTS = ("upheld", "corrected", "other", "pending")
IN_FORCE_ROWS = ("regulations", "normative_documents")
#: Table 二's 规章/规范性文件 columns (added this year, taken away, standing count) per template:
#: 2021 prints 制发/废止/现行有效; 2019–2020 print 新制作/新公开/对外公开总数量 and no 废止.
IN_FORCE_COLUMNS = {"2021": ("issued", "repealed", "in_force"),
                    "2019": ("new_published", None, "total_published")}


# -- evaluating one identity ---------------------------------------------------------------------
# One instance of an identity (a column, a row, a block) and how it came out: a Check of its
# own (``id`` names the instance), combined into the reported Check by ``_combine``.
_Unit = Check


def _num(v: float | int) -> float | int:
    """Ints stay ints; floats are rounded so 0.1 + 0.2 prints as 0.3 in the evidence."""
    return v if isinstance(v, int) else round(v, 6)


def _ref(cell: Cell) -> dict:
    """A cell as evidence: its keys and value (JSON-ready)."""
    return {"row": cell.row, "column": cell.column, "value": cell.value}


def _cells(table: Table) -> dict[tuple[str, str], Cell]:
    """The table's cells by (row, column), so a missing cell is told from a blank one."""
    return {(c.row, c.column): c for c in table.cells}


def _label(keys: Sequence[tuple[str, str]], axis: int) -> str:
    """"a + b" naming the cells by the axis that varies within the unit (0 rows, 1 columns);
    "N cells" for many (the evidence lists them all)."""
    return " + ".join(k[axis] for k in keys) if len(keys) <= 4 else f"{len(keys)} cells"


def _some(names: list[str], shown: int = 3) -> str:
    """The first few names and how many there are in all; the evidence lists every one."""
    more = f", … ({len(names)} cells)" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _identity(name: str, index: dict[tuple[str, str], Cell],
              lhs: Sequence[tuple[str, str]], rhs: Sequence[tuple[str, str]], axis: int = 0) -> _Unit:
    """sum(lhs cells) == sum(rhs cells); blank or missing cells make it NOT_ASSESSABLE.

    ``axis`` says whether rows (0) or columns (1) vary within this unit, for the message."""
    missing = [f"{r}/{c}" for r, c in (*lhs, *rhs) if (r, c) not in index]
    blank = [f"{r}/{c}" for r, c in (*lhs, *rhs) if (r, c) in index and index[r, c].value is None]
    if missing or blank:
        why = "; ".join(filter(None, [missing and "missing " + _some(missing),
                                      blank and "blank " + _some(blank)]))
        return _Unit(name, NOT_ASSESSABLE, f"{name}: {why}",
                     {"unit": name, "missing": missing, "blank": blank})
    left = [index[k] for k in lhs]
    right = [index[k] for k in rhs]
    ls = _num(sum(c.value for c in left))
    rs = _num(sum(c.value for c in right))
    ev = {"unit": name, "terms": [_ref(c) for c in left], "sum": ls,
          "expected": [_ref(c) for c in right], "expected_sum": rs, "difference": _num(ls - rs)}
    if abs(ls - rs) > 1e-6:
        return _Unit(name, FAIL, f"{name}: {_label(lhs, axis)} = {ls}, but {_label(rhs, axis)} = {rs}", ev)
    return _Unit(name, PASS, "", ev)


def _combine(check_id: str, units: list[_Unit], what: str, keep_passed: bool = False,
             verb: str = "add up") -> Check:
    """One Check from many units: any FAIL fails it; PASS needs at least one unit assessed.

    Passing units are listed by name only unless ``keep_passed`` (their sums are implied)."""
    failed = [u for u in units if u.status == FAIL]
    passed = [u for u in units if u.status == PASS]
    unassessed = [u for u in units if u.status == NOT_ASSESSABLE]
    evidence = {"failed": [u.evidence for u in failed],
                "passed": [u.evidence if keep_passed else u.id for u in passed],
                "not_assessable": [u.evidence for u in unassessed]}
    if failed:
        more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
        return Check(check_id, FAIL, failed[0].message + more, evidence)
    if passed:
        note = f"; {len(unassessed)} not assessable" if unassessed else ""
        return Check(check_id, PASS, f"{len(passed)} of {len(units)} {what} {verb}{note}", evidence)
    reason = unassessed[0].message if unassessed else f"no {what} to check"
    more = f" (and {len(unassessed) - 1} more)" if len(unassessed) > 1 else ""
    return Check(check_id, NOT_ASSESSABLE, reason + more, evidence)


def _no_table(check_id: str, table_id: str, table: Table | None = None) -> Check:
    """NOT_ASSESSABLE for an absent or empty table, with the parser's reason when it gave one."""
    why = f": {table.warnings[0]}" if table is not None and table.warnings else ""
    return Check(check_id, NOT_ASSESSABLE, f"no table {table_id!r} was parsed from the report{why}")


# -- table 三 -----------------------------------------------------------------------------------
def _result_rows(index: dict[tuple[str, str], Cell]) -> tuple[str, ...]:
    """The result rows this table's layout has: the core rows plus its 其他处理 row(s)."""
    present = {r for r, _ in index}
    if OTHER_ROW_2019 in present and not present & set(OTHER_RESULT_ROWS):
        return CORE_RESULT_ROWS + (OTHER_ROW_2019,)
    return CORE_RESULT_ROWS + OTHER_RESULT_ROWS


def request_rows(table: Table) -> tuple[str, ...]:
    """All rows of table 三 in this table's layout (25 since 2021, 23 in the 2019 template)."""
    return ("new_received", "carried_in", *_result_rows(_cells(table)), "total_handled",
            "carried_out")


def requests_column_sums(table: Table | None) -> Check:
    """予以公开 + 部分公开 + 不予公开… + 无法提供… + 不予处理… + 其他处理 = 总计, per column."""
    cid = "requests.column_sums"
    if table is None or not table.cells:
        return _no_table(cid, "requests", table)
    index = _cells(table)
    rows = _result_rows(index)
    units = [_identity(f"column {c}", index, [(r, c) for r in rows], [("total_handled", c)])
             for c in REQUEST_COLUMNS]
    return _combine(cid, units, "columns")


def requests_balance(table: Table | None) -> Check:
    """本年新收 + 上年结转 = 总计 + 结转下年度, per column: the table's own printed 勾稽关系."""
    cid = "requests.balance"
    if table is None or not table.cells:
        return _no_table(cid, "requests", table)
    index = _cells(table)
    units = [_identity(f"column {c}", index, [("new_received", c), ("carried_in", c)],
                       [("total_handled", c), ("carried_out", c)]) for c in REQUEST_COLUMNS]
    return _combine(cid, units, "columns")


def requests_row_sums(table: Table | None) -> Check:
    """The six applicant columns add up to 总计 in every row of table 三."""
    cid = "requests.row_sums"
    if table is None or not table.cells:
        return _no_table(cid, "requests", table)
    index = _cells(table)
    present = {r for r, _ in index}
    rows = [r for r in REQUEST_ROWS if r in present] or list(REQUEST_ROWS)
    units = [_identity(f"row {r}", index, [(r, c) for c in APPLICANT_COLUMNS], [(r, "total")], 1)
             for r in rows]
    return _combine(cid, units, "rows")


# -- table 四 -----------------------------------------------------------------------------------
def review_block_sums(table: Table | None) -> Check:
    """维持 + 纠正 + 其他 + 尚未审结 = 总计 for 行政复议 and both kinds of 行政诉讼."""
    cid = "review_litigation.block_sums"
    if table is None or not table.cells:
        return _no_table(cid, "review_litigation", table)
    index = _cells(table)
    units = [_identity(f"block {b}", index, [(b, p) for p in REVIEW_PARTS], [(b, "total")], 1)
             for b in REVIEW_BLOCKS]
    return _combine(cid, units, "blocks")


# -- narrative against table 三 ------------------------------------------------------------------
def _quote_unit(quote: Quote, index: dict[tuple[str, str], Cell]) -> _Unit:
    """One quoted number against its table cell (new_received also accepts new + carried in)."""
    name = f"{quote.row} quoted at {quote.start}"
    ev = {"unit": name, "quote": quote.text, "quoted": quote.value, "start": quote.start,
          "end": quote.end}
    cell = index.get((quote.row, "total"))
    if cell is None or cell.value is None:
        why = "missing" if cell is None else "blank"
        return _Unit(name, NOT_ASSESSABLE, f"{name}: table cell {quote.row}/total is {why}", ev)
    ev["cell"] = _ref(cell)
    if abs(cell.value - quote.value) < 1e-6:
        return _Unit(name, PASS, "", ev)
    carried = index.get(("carried_in", "total"))
    # Some reports count last year's carried-in requests as "received this year".
    if (quote.row == "new_received" and carried is not None and carried.value
            and abs(cell.value + carried.value - quote.value) < 1e-6):
        ev["carried_in"] = _ref(carried)
        ev["note"] = "the text counts carried-in requests as received"
        return _Unit(name, PASS, "", ev)
    return _Unit(name, FAIL, f"text says “{quote.text}” ({_num(quote.value)}) but table 三 "
                             f"{quote.row}/total is {_num(cell.value)}", ev)


def text_vs_requests(report: Report, table: Table | None) -> Check:
    """Request counts quoted in the narrative (收到…申请 34 件, 未收到…) against table 三."""
    cid = "text_vs_table.requests"
    quotes = find_request_quotes(report, table)
    if not quotes:
        return Check(cid, NOT_ASSESSABLE, "the narrative quotes no number of requests received")
    if table is None or not table.cells:
        check = _no_table(cid, "requests", table)
        check.evidence["quotes"] = [q.text for q in quotes]
        return check
    index = _cells(table)
    units = [_quote_unit(q, index) for q in quotes]
    return _combine(cid, units, "quoted numbers", keep_passed=True, verb="match table 三")


# -- across years --------------------------------------------------------------------------------
def _proactive_layout(index: dict[tuple[str, str], Cell]) -> str | None:
    """Which template table 二 follows ("2021" or "2019"), told by its standing-count column."""
    columns = {c for _, c in index}
    return next((k for k, (_, _, standing) in IN_FORCE_COLUMNS.items() if standing in columns), None)


def _in_force_unit(row: str, layout: str, this: dict[tuple[str, str], Cell],
                   last: dict[tuple[str, str], Cell]) -> _Unit:
    """This year's standing count against last year's plus added minus repealed, one row."""
    name = f"row {row}"
    added_col, repealed_col, standing_col = IN_FORCE_COLUMNS[layout]
    keys = {f"previous {standing_col}": last.get((row, standing_col)),
            added_col: this.get((row, added_col)), standing_col: this.get((row, standing_col))}
    if repealed_col:
        keys[repealed_col] = this.get((row, repealed_col))
    gone = [k for k, c in keys.items() if c is None or c.value is None]
    if gone:
        return _Unit(name, NOT_ASSESSABLE, f"{name}: {', '.join(gone)} blank or missing",
                     {"unit": name, "missing_or_blank": gone})
    prev, added, now = (keys[k].value for k in list(keys)[:3])
    removed = keys[repealed_col].value if repealed_col else 0
    expected = _num(prev + added - removed)
    ev = {"unit": name, **{k.replace(" ", "_"): c.value for k, c in keys.items()},
          "expected": expected}
    sums = f"last year {prev} + {added_col} {added}" + (f" − {repealed_col} {removed}" if
                                                         repealed_col else "")
    if abs(expected - now) < 1e-6:
        return _Unit(name, PASS, "", ev)
    if repealed_col or now > expected:
        why = "" if repealed_col else " (no repeal can explain a rise)"
        return _Unit(name, FAIL, f"{name}: {sums} = {expected}, but {standing_col} is {now}{why}", ev)
    # The 2019–2020 template prints no 废止 column, so a shortfall may be repeals.
    return _Unit(name, NOT_ASSESSABLE, f"{name}: {_num(expected - now)} fewer than {sums}; the "
                 "2019 template prints no repealed count to account for them", ev)


def in_force_vs_previous(table: Table | None, previous: Report | None) -> Check:
    """现行有效件数 = last year's + 本年制发 − 本年废止 for 规章 and 规范性文件 (2021 template);
    对外公开总数量 = last year's + 本年新公开 in the 2019–2020 template, which has no 废止."""
    cid = "proactive.in_force_vs_previous"
    if previous is None:
        return Check(cid, NOT_ASSESSABLE, "no report of the same office for the previous year")
    last_tables = _safe_tables(previous)[0]
    last = next((t for t in last_tables if t.id == "proactive"), None)
    for t, which in ((table, "this"), (last, f"last year's ({previous.name})")):
        if t is None or not t.cells:
            return Check(cid, NOT_ASSESSABLE, f"no table 'proactive' was parsed from {which} "
                         "report" + (f": {t.warnings[0]}" if t is not None and t.warnings else ""))
    this_idx, last_idx = _cells(table), _cells(last)
    layout, last_layout = _proactive_layout(this_idx), _proactive_layout(last_idx)
    if layout is None or last_layout is None:
        which = "this" if layout is None else "last year's"
        return Check(cid, NOT_ASSESSABLE, f"{which} table 二 has no 现行有效件数 / 对外公开总数量 column")
    if layout != last_layout:
        return Check(cid, NOT_ASSESSABLE, f"table 二 templates differ ({last_layout} last year, "
                     f"{layout} this year): their standing counts are not the same quantity")
    units = [_in_force_unit(r, layout, this_idx, last_idx) for r in IN_FORCE_ROWS]
    check = _combine(cid, units, "rows", keep_passed=True, verb="tie with last year")
    check.evidence["previous"] = {"path": previous.path, "year": previous.meta.year}
    return check


def carried_over_vs_previous(table: Table | None, previous: Report | None) -> Check:
    """上年结转 = last year's 结转下年度 in every applicant column of table 三 (2019–2020 and
    2021 templates alike: both print the two rows; the layouts may differ between the years)."""
    cid = "requests.carried_over_vs_previous"
    if previous is None:
        return Check(cid, NOT_ASSESSABLE, "no report of the same office for the previous year")
    last = next((t for t in _safe_tables(previous)[0] if t.id == "requests"), None)
    for t, which in ((table, "this"), (last, f"last year's ({previous.name})")):
        if t is None or not t.cells:
            return Check(cid, NOT_ASSESSABLE, f"no table 'requests' was parsed from {which} "
                         "report" + (f": {t.warnings[0]}" if t is not None and t.warnings else ""))
    # one index holding both years: last year's 结转下年度 under a row of its own
    index = {**_cells(table), **{("previous carried_out", c): cell for (r, c), cell
                                 in _cells(last).items() if r == "carried_out"}}
    units = [_identity(f"column {c}", index, [("carried_in", c)], [("previous carried_out", c)])
             for c in REQUEST_COLUMNS]
    check = _combine(cid, units, "columns", keep_passed=True, verb="tie with last year")
    check.evidence["previous"] = {"path": previous.path, "year": previous.meta.year}
    return check


# -- entry points ---------------------------------------------------------------------------------
def _safe_tables(report: Report) -> tuple[list[Table], str | None]:
    """The report's tables, or none plus the reason when the parser raised: one bad report
    must not stop a corpus-wide run."""
    try:
        return tables_of(report), None
    except Exception as e:  # noqa: BLE001 - reported as NOT_ASSESSABLE with the reason
        return [], f"the table parser failed: {type(e).__name__}: {e}"


def check_report(report: Report, previous: Report | None = None) -> list[Check]:
    """Every check on one report, in ``CHECK_IDS`` order; ``previous`` is the same office's
    report for the year before (for the cross-year check)."""
    tables, error = _safe_tables(report)
    if error:
        return [Check(cid, NOT_ASSESSABLE, error) for cid in CHECK_IDS]
    by_id = {t.id: t for t in tables}
    requests = by_id.get("requests")
    result = [requests_column_sums(requests), requests_balance(requests),
              requests_row_sums(requests), review_block_sums(by_id.get("review_litigation")),
              text_vs_requests(report, requests),
              carried_over_vs_previous(requests, previous),
              in_force_vs_previous(by_id.get("proactive"), previous)]
    for check in result:
        # A FAIL on cells the parser had to guess is worth a second look: say so.
        table = by_id.get(check.id.split(".")[0]) or (requests if "requests" in check.id else None)
        if check.status == FAIL and table is not None and table.warnings:
            check.evidence["parser_warnings"] = list(table.warnings)
    return result


def office_key(report: Report) -> str | None:
    """The office a report speaks for, as used to pair years: short name, else full name."""
    return report.meta.office_short or report.meta.office


def report_key(report: Report, i: int) -> str:
    """The key of a report in ``check_corpus``'s result: its path, else its position."""
    return report.path or f"<report {i}>"


def office_identity(report: Report) -> str | None:
    """The office a report speaks for across years: its ``office_id`` (division code, or the
    name without 人民政府/管委会, so "平潭综合实验区管委会" and "平潭综合实验区" are one office),
    else :func:`office_key`. The one rule for pairing years (checks, panel, history)."""
    return meta_identity(report.meta)


def meta_identity(meta) -> str | None:
    """:func:`office_identity` from a report's metadata alone (``nlp.offices`` groups files by
    it without keeping their reports)."""
    from nlp.dataset.schema import office_id

    return office_id(meta.office, meta.level, meta.division_code) or meta.office_short or meta.office


def previous_reports(reports: Sequence[Report]) -> list[Report | None]:
    """For each report, the same office's report of year − 1 among ``reports`` (or None)."""
    offices = [office_identity(r) for r in reports]
    by_year: dict[tuple[str, int], Report] = {}
    for r, key in zip(reports, offices):
        if key and r.meta.year is not None:
            by_year.setdefault((key, r.meta.year), r)
    return [by_year.get((key, r.meta.year - 1)) if key and r.meta.year is not None else None
            for r, key in zip(reports, offices)]


def check_corpus(reports: Iterable[Report]) -> dict[str, list[Check]]:
    """Checks for every report, keyed by path; each is paired with the same office's report of
    year − 1 when that is among ``reports``."""
    reports = list(reports)
    return {report_key(r, i): check_report(r, prev)
            for i, (r, prev) in enumerate(zip(reports, previous_reports(reports)))}


def report_status(checks: Sequence[Check]) -> str:
    """passed (no FAIL, at least one PASS), failed (any FAIL) or not assessable."""
    if any(c.status == FAIL for c in checks):
        return "failed"
    return "passed" if any(c.status == PASS for c in checks) else "not assessable"


__all__ = ["CHECK_IDS", "FAIL", "NOT_ASSESSABLE", "PASS", "QUOTED_ROWS",
           "carried_over_vs_previous", "check_corpus", "check_report", "in_force_vs_previous",
           "office_identity", "office_key", "previous_reports", "report_status"]
