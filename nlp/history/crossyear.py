"""Cross-year table checks of each report against the same office's report of the year before.

The checks are ``nlp.tables.checks``'s own (``requests.carried_over_vs_previous``: 上年结转 =
last year's 结转下年度; ``proactive.in_force_vs_previous``: 现行有效 = last year's + 制发 − 废止),
run on the history's pairing: the office's previous report counts only when it is of year − 1
(a 2022 report compared with 2020's is NOT_ASSESSABLE, never a false FAIL).
"""
from __future__ import annotations

import json
from typing import Sequence

import pandas as pd

from nlp.dataset.schema import conform
from nlp.frames import report_key
from nlp.model import Check, Report

#: The checks run across years, in the order of their rows.
CROSS_YEAR_CHECKS = ("requests.carried_over_vs_previous", "proactive.in_force_vs_previous")


def cross_year_checks(report: Report, previous: Report | None) -> list[Check]:
    """Both checks of ``report`` against ``previous`` (None, or not of year − 1: not assessable)."""
    from nlp.tables.checks import _safe_tables, carried_over_vs_previous, in_force_vs_previous

    year = report.meta.year
    if previous is not None and (year is None or previous.meta.year != year - 1):
        previous = None
    tables, error = _safe_tables(report)
    if error:
        return [Check(cid, "NOT_ASSESSABLE", error) for cid in CROSS_YEAR_CHECKS]
    by_id = {t.id: t for t in tables}
    return [carried_over_vs_previous(by_id.get("requests"), previous),
            in_force_vs_previous(by_id.get("proactive"), previous)]


def checks_frame(reports: Sequence[Report], previous: Sequence[int | None],
                 order: Sequence[int] | None = None) -> pd.DataFrame:
    """Rows of schema ``checks`` for every report that has an earlier report of its office, in
    ``order`` (report indices; default as given)."""
    rows = []
    for k in order if order is not None else range(len(reports)):
        r, p = reports[k], previous[k]
        if p is None:
            continue
        for c in cross_year_checks(r, reports[p]):
            rows.append({**report_key(r), "check": c.id, "status": c.status, "message": c.message,
                         "evidence": json.dumps(c.evidence, ensure_ascii=False)})
    return conform(pd.DataFrame(rows), "checks")
