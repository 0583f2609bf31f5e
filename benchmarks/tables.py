"""Table 三 on real reports: does it parse completely and pass its own identities? How fast?

Reads the bundled seeds and, when present, ../shared/corpora/reports. For every report: the
table-三 cells filled out of those its layout has, the three table-三 checks (column sums,
balance, row sums), the other checks, and the parse time (``nlp.tables.parse_tables`` alone,
best of several runs). Every report that does not parse completely and pass is listed with
an explanation, written after reading the report (``EXPLANATIONS``): a parse error to fix, or
a report whose own numbers do not add up.
"""
from __future__ import annotations

import platform
import statistics
import time
from pathlib import Path

from nlp.load import load_report
from nlp.model import Report, Table
from nlp.tables import parse_tables, table_of, variant_of
from nlp.tables.checks import REQUEST_COLUMNS, check_report, previous_reports, request_rows

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("tables.md")
TABLE_CHECKS = ("requests.column_sums", "requests.balance", "requests.row_sums")
OTHER_CHECKS = ("review_litigation.block_sums", "text_vs_table.requests",
                "proactive.in_force_vs_previous")
SHORT = {"PASS": "pass", "FAIL": "**FAIL**", "NOT_ASSESSABLE": "n/a"}
#: A parse takes a few ms; one over 50 ms means a runaway search (the former unit-test bound).
RUNAWAY_MS = 50.0

#: Why a report's table 三 does not parse completely or does not pass (read from the report).
_PRE_2019 = ("Not a parse error: a pre-2019 report has no table 三. Its 依申请公开 part is "
             "narrative ({}), and the attached 统计表 (指标名称 / 计量单位 / 本年度 / 历年累计) is a "
             "different table that the parser does not model.")
EXPLANATIONS: dict[str, str] = {
    "shared/005.txt": (
        "The report's own numbers do not add up; this is not a parse error. The flattened runs "
        "each have only one reading that fits their own row sum: 予以公开 6+1=7, 部分公开 6, "
        "本机关不掌握 4, 补正后仍不明确 3, 重复申请 3, 其他处理 4. The result rows therefore add "
        "up to 26 natural persons and 27 in all, but （七）总计 prints 20 and 21. 本年新收 21 + "
        "上年结转 0 = 总计 21 + 结转 0 holds, and the narrative also says 受理…申请21件. So "
        "about 6 outcomes are counted twice or the 总计 row is stale."),
    "shared/017.txt": (
        "Not a parse error: the PDF-to-markdown conversion lost a cell. The row reads "
        "`| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 |  |`, so the 总计 of 结转下年度 is "
        "empty in the text and is read as blank (None). The balance for that column, and row "
        "carried_out, are therefore NOT_ASSESSABLE. The 6 other columns balance. With the "
        "missing 1 the total column balances too: 34 + 2 = 35 + 1."),
    "shared/010.txt": _PRE_2019.format("2018年未收到有关政府信息公开申请"),
    "shared/012.txt": _PRE_2019.format("2017年未收到有关政府信息公开申请"),
    "shared/013.txt": _PRE_2019.format("2016年全区未收到有关政府信息公开申请"),
    "shared/020.txt": _PRE_2019.format("2015年全区未收到有关政府信息公开申请"),
    "shared/021.txt": _PRE_2019.format("2014年全区收到有关政府信息公开的信函申请1条"),
}
#: What a FAIL of one of the other checks comes from, keyed by (report, check id).
OTHER_NOTES: dict[tuple[str, str], str] = {
    ("shared/002.txt", "review_litigation.block_sums"): (
        "The report's own numbers: pdftotext prints 15 numbers, `10 1 0 0 0 | 0 0 0 0 0 | 5 0 0 "
        "0 0`. 行政复议 has 维持 10 and 纠正 1 but 总计 0, and 复议后起诉 has 维持 5 but 总计 0. The "
        "总计 cells were left at 0."),
    ("shared/003.txt", "text_vs_table.requests"): (
        "Different scope, not a parse error. The narrative says 区政府办代表区政府受理政府信息"
        "公开申请 17 件, which counts only the requests the 区政府办 answered for the 区政府. "
        "Table 三 prints 95 in 本年新收 总计 (and 95 in （七）总计)."),
    ("shared/005.txt", "proactive.in_force_vs_previous"): (
        "The report's own numbers (2019→2020). 规章 对外公开总数量 goes from 0 in 2019 (规章000) "
        "to 7 in 2020 (规章007) with 0 新公开. The 2019 template has no 废止 column, and no "
        "repeal can explain a rise. 规范性文件 ties: 89 + 77 = 166."),
    ("shared/011.txt", "proactive.in_force_vs_previous"): (
        "The report's numbers do not tie across years (2024→2025). The flattened runs are "
        "ambiguous: 行政规范性文件 6233440 (2024) and 5845546 (2025), and the parser warns about "
        "both. But none of the 15 × 15 ways to cut the two runs into 制发/废止/现行有效 satisfies "
        "last year + 制发 − 废止 = 现行有效, so no reading fixes it. The most plausible readings "
        "give 440 + 58 − 45 = 453 against 546."),
}


def _files() -> list[Path]:
    """The seeds, then the shared corpus when it is present."""
    files = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))
    shared = ROOT.parent / "shared" / "corpora" / "reports"
    return files + (sorted(shared.glob("*.txt")) if shared.is_dir() else [])


def _parse_ms(report: Report, min_seconds: float = 0.05, min_runs: int = 5) -> float:
    """Best-of time of parse_tables on an already loaded report, in milliseconds."""
    best, runs, start = float("inf"), 0, time.perf_counter()
    while runs < min_runs or time.perf_counter() - start < min_seconds:
        t = time.perf_counter()
        parse_tables(report)
        best = min(best, time.perf_counter() - t)
        runs += 1
    return best * 1000


def _filled(report: Report) -> tuple[int, int]:
    """(cells with a number, cells its template has) for table 三; 0/175 when there is none."""
    table = table_of(report, "requests") or Table("requests")
    rows = request_rows(table)
    values = {(c.row, c.column): c.value for c in table.cells}
    filled = sum(values.get((r, c)) is not None for r in rows for c in REQUEST_COLUMNS)
    return filled, len(rows) * len(REQUEST_COLUMNS)


def _source(path: Path) -> str:
    """Which set a file belongs to, for the report names in the table."""
    return "seeds" if path.parent.name == "seeds" else "shared"


def main() -> Path:
    """Parse, time and check every report; write benchmarks/tables.md and return its path."""
    paths = _files()
    reports = [load_report(p) for p in paths]
    results = []
    for path, report, prev in zip(paths, reports, previous_reports(reports)):
        ms = _parse_ms(report)
        checks = {c.id: c for c in check_report(report, prev)}
        filled, expected = _filled(report)
        table = table_of(report, "requests")
        ok = filled == expected and all(checks[c].status == "PASS" for c in TABLE_CHECKS)
        results.append({"name": f"{_source(path)}/{path.name}", "report": report,
                        "layout": f"{variant_of(table).id} {table.layout}" if table and
                        table.cells else "—", "filled": filled,
                        "expected": expected, "ok": ok, "checks": checks, "ms": ms})

    def share(rows: list[dict]) -> str:
        """How many of these reports pass, as "n/N (p%)"."""
        n = sum(r["ok"] for r in rows)
        return f"{n}/{len(rows)} ({n / len(rows):.0%})" if rows else "—"

    modern = [r for r in results if (r["report"].meta.year or 0) >= 2019]
    times = [r["ms"] for r in results]
    lines = [
        "# Table 三: complete parse and identities",
        "",
        f"Machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, one core. A report *passes* when every cell of its table 三 "
        "holds a number (all 7 columns of the 25 rows, or 23 in the 2019–2020 layout with one "
        "其他处理 row) and `requests.column_sums`, `requests.balance` and `requests.row_sums` all "
        "PASS. Parse time is `nlp.tables.parse_tables` alone on a loaded report (best of ≥ 5 runs).",
        "",
        "| set | reports | table 三 complete and passing |",
        "|---|---|---|",
        f"| all (seeds + shared) | {len(results)} | {share(results)} |",
        f"| reports for 2019 or later (the current template) | {len(modern)} | {share(modern)} |",
        f"| seeds | {sum(r['name'].startswith('seeds') for r in results)} | "
        f"{share([r for r in results if r['name'].startswith('seeds')])} |",
        "",
        f"Parse time per report: median {statistics.median(times):.2f} ms, mean "
        f"{statistics.mean(times):.2f} ms, max {max(times):.2f} ms. Over {RUNAWAY_MS:.0f} ms (a "
        f"runaway search): {', '.join(r['name'] for r in results if r['ms'] > RUNAWAY_MS) or 'none'}.",
        "",
        "## Every report",
        "",
        "| report | office | year | template, layout | table 三 cells | column sums | balance | row sums "
        "| table 四 | text vs table | in force vs last year | parse ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        m, c = r["report"].meta, r["checks"]
        cells = " ".join(SHORT[c[i].status] for i in TABLE_CHECKS + OTHER_CHECKS)
        lines.append(f"| {r['name']} | {m.office} | {m.year} | {r['layout']} | "
                     f"{r['filled']}/{r['expected']} | {cells.replace(' ', ' | ')} | {r['ms']:.2f} |")
    lines += ["", "## Failures and why", ""]
    for r in results:
        if r["ok"]:
            continue
        why = EXPLANATIONS.get(r["name"], "UNEXPLAINED: read the report and add an explanation")
        failing = list(dict.fromkeys(r["checks"][i].message for i in TABLE_CHECKS
                                     if r["checks"][i].status != "PASS"))
        lines.append(f"- **{r['name']}** ({r['report'].meta.office} {r['report'].meta.year}), "
                     f"{r['filled']}/{r['expected']} cells. {why}")
        lines += [f"  - {f}" for f in failing]
    lines += ["", "## Other checks that FAIL", ""]
    for r in results:
        for i in OTHER_CHECKS:
            if r["checks"][i].status == "FAIL":
                note = OTHER_NOTES.get((r["name"], i), "UNEXPLAINED")
                lines.append(f"- {r['name']} `{i}`: {r['checks'][i].message}. {note}")
    lines += ["", "Regenerate with `make bench`.", ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    return OUT


if __name__ == "__main__":
    print(main())
