"""The study page's first parts: the corpus, what the tables say, and the files written.

Each function takes the :class:`~nlp.report.study.Study`, writes the CSVs behind its figures
(``study.data``) and returns its HTML.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from nlp.report import figures as F
from nlp.report.page import bullets, esc, figure, link, para, section, table

if TYPE_CHECKING:  # pragma: no cover
    from nlp.report.study import Study

#: Key figures over the years: label, then the (table, row) of the national template whose
#: ``total`` column is summed. 不予公开 sums its eight reasons.
KEY_FIGURES = (
    ("requests received 新收申请", "requests", ("new_received",)),
    ("granted 予以公开", "requests", ("granted",)),
    ("partly granted 部分公开", "requests", ("partly_granted",)),
    ("denied 不予公开", "requests", ("denied_state_secret", "denied_law_prohibited",
                                    "denied_three_safety", "denied_third_party",
                                    "denied_internal_affairs", "denied_process_info",
                                    "denied_enforcement_file", "denied_query_matter")),
    ("administrative reviews 行政复议", "review_litigation", ("review",)),
    ("lawsuits 行政诉讼", "review_litigation", ("litigation_direct", "litigation_after_review")),
)


def _year_label(frame: pd.DataFrame) -> pd.Series:
    return frame["year"].map(lambda y: "unknown" if pd.isna(y) else str(int(y)))


def corpus_section(study: "Study", anchor: str, title: str) -> str:
    """Reports by year and level, by region, section coverage, warnings and skipped files."""
    reports = study.frames["reports"].copy()
    reports["year_"] = _year_label(reports)
    reports["level_"] = reports["level"].fillna("unknown")
    by = pd.crosstab(reports["year_"], reports["level_"])
    rel = study.data("reports_by_year_level", by, "reports by year and level", index=True)
    parts = [figure(F.stacked_bars(by, "报告数：年份 × 层级 (reports by year and level)", "reports"),
                    "Reports per year, stacked by administrative level.", rel, "years")]
    regions = (reports.assign(region=reports["region"].fillna("unknown"))
               .groupby("region").agg(reports=("path", "size"),
                                      offices=("office_id", "nunique"),
                                      years=("year", lambda s: _span(s)))
               .sort_values(["reports", "region"], ascending=[False, True]).reset_index())
    rel = study.data("reports_by_region", regions, "reports by region")
    parts.append("<h3>Regions</h3>" + table(regions, rel, 10, "Regions with the most reports."))
    parts.append(_coverage(study, len(reports)))
    parts.append(_warnings(study, reports))
    return section(anchor, title, *parts)


def _span(years: pd.Series) -> str:
    y = years.dropna()
    return f"{int(y.min())}–{int(y.max())}" if len(y) else ""


def _coverage(study: "Study", n_reports: int) -> str:
    """Share of reports holding each section: a missing 五 or a merged 三 shows here first."""
    from nlp.model import SECTION_IDS

    sections = study.frames["sections"]
    have = sections.groupby("section")["path"].nunique()
    order = [s for s in SECTION_IDS if s in have.index and s != "page_chrome"]
    cov = pd.DataFrame({"section": order, "reports": [int(have[s]) for s in order],
                        "share": [round(have[s] / max(1, n_reports), 4) for s in order]})
    rel = study.data("section_coverage", cov, "reports holding each section")
    fig = F.hbars(cov["section"].tolist(), cov["share"].tolist(),
                  "Share of reports holding each section", "share of reports", as_share=True)
    return "<h3>Section coverage</h3>" + figure(
        fig, "Share of reports in which the segmenter found each section.", rel, "coverage")


def _warnings(study: "Study", reports: pd.DataFrame) -> str:
    """Ingest and segmentation warnings, grouped by their wording (numbers and names masked),
    and the files that could not be read."""
    kinds: dict[str, int] = {}
    for ws in reports["warnings"]:
        for w in ws if isinstance(ws, (list, tuple)) else []:
            key = re.sub(r"\d+", "N", re.sub(r"[“\"'《].*?[”\"'》]", "…", str(w)))[:120]
            kinds[key] = kinds.get(key, 0) + 1
    frame = pd.DataFrame(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
                         columns=["warning", "reports"])
    rel = study.data("warnings", frame, "ingest and segmentation warnings by kind")
    skipped = pd.DataFrame([{"file": e.path, "reason": getattr(e, "reason", str(e))}
                            for e in study.corpus.skipped], columns=["file", "reason"])
    rel_s = study.data("skipped", skipped, "files that could not be read")
    out = ["<h3>Warnings and skipped files</h3>",
           para(f"Reports carrying a warning: {int(reports['warnings'].map(_has_any).sum()):,}; "
                f"files skipped: {len(skipped):,}.")]
    if len(frame):
        out.append(table(frame, rel, 10, "Warnings by kind (numbers shown as N)."))
    if len(skipped):
        out.append(table(skipped, rel_s, 10, "Skipped files and why."))
    return "\n".join(out)


def _has_any(warnings) -> bool:
    return isinstance(warnings, (list, tuple)) and len(warnings) > 0


def tables_section(study: "Study", anchor: str, title: str) -> str:
    """Check pass rates and the key figures of the tables over the years."""
    checks = study.frames["checks"]
    parts = []
    if len(checks):
        counts = pd.crosstab(checks["check"], checks["status"])
        for s in ("PASS", "FAIL", "NOT_ASSESSABLE"):
            if s not in counts:
                counts[s] = 0
        counts = counts[["PASS", "FAIL", "NOT_ASSESSABLE"]]
        assessed = counts["PASS"] + counts["FAIL"]
        counts["pass_rate"] = (counts["PASS"] / assessed.where(assessed > 0)).round(4)
        counts = counts.sort_values(["pass_rate", "FAIL"], ascending=[True, False])
        assessed = counts["PASS"] + counts["FAIL"]
        rel = study.data("check_rates", counts, "table checks: pass, fail, not assessable",
                         index=True)
        shown = counts[assessed > 0]
        if len(shown):
            parts.append(figure(F.hbars(shown.index.tolist(), shown["pass_rate"].tolist(),
                                        "Pass rate of each table check (assessable reports)",
                                        "pass rate", as_share=True),
                                "Share of assessable reports whose tables pass each check; "
                                "the weakest checks first.", rel, "checks"))
        parts.append(table(counts.reset_index(), rel, 12,
                           "Reports passing and failing each check (check ids: nlp/tables/checks.py)."))
    parts.append(_key_figures(study))
    return section(anchor, title, *parts)


def _key_figures(study: "Study") -> str:
    cells = study.frames["tables"]
    if not len(cells):
        return para("No statistical tables were parsed.")
    totals = cells[(cells["column"] == "total") & cells["value"].notna()].copy()
    totals["year_"] = _year_label(totals)
    rows = {}
    for label, tbl, names in KEY_FIGURES:
        sub = totals[(totals["table"] == tbl) & totals["row"].isin(names)]
        rows[label] = sub.groupby("year_")["value"].sum()
    frame = pd.DataFrame(rows).fillna(0).sort_index()
    frame.index.name = "year"
    frame["reports with tables"] = totals.groupby("year_")["path"].nunique()
    rel = study.data("key_figures_by_year", frame, "key table figures summed per year", index=True)
    fig = F.lines(frame.drop(columns="reports with tables"),
                  "Requests, outcomes, reviews and suits per year (all reports summed)",
                  "count", log=True)
    return ("<h3>Key figures over the years</h3>"
            + figure(fig, "Totals of the national template's tables, summed over the reports "
                     "of each year.", rel, "key-figures")
            + table(frame.reset_index(), rel, 12))


def files_section(study: "Study", anchor: str, title: str) -> str:
    """Every file written, with what it holds."""
    root = study.outdir
    items = [f"{link(str(p.relative_to(root)), str(p.relative_to(root)))} — {esc(what)}"
             for what, p in study.written]
    items.append(f'{link("index.html", "index.html")} — this page')
    return section(anchor, title, para("Columns of every frame: docs/schema.md."),
                   bullets(items).replace("<ul>", '<ul class="files">'))


def headline(study: "Study") -> str:
    """The page's first paragraph of findings: one line per part, numbers only."""
    out = []
    checks = study.frames["checks"]
    assessed = checks[checks["status"].isin(("PASS", "FAIL"))]
    if len(assessed):
        failing = assessed.loc[assessed["status"] == "FAIL", "path"].nunique()
        out.append(f"{assessed['path'].nunique() - failing:,} of {assessed['path'].nunique():,} reports "
                   "with assessable tables pass every table check.")
    shares = study.shares
    whole = shares[(shares["section"] == "all") & (shares["narrative_chars"] > 0)]
    if len(whole):
        out.append(f"The median report's narrative is {whole['boilerplate_share'].median():.0%} "
                   f"boilerplate (template or another office's text) and "
                   f"{whole['self_copy_share'].median():.0%} its own earlier report; "
                   f"{int((whole['cross_office_share'] > 0).sum()):,} reports copy from another office.")
    if study.reuse.leaks:
        out.append(f"{len(study.reuse.leaks):,} copies still name the office they came from.")
    st = study.frames["statements"]
    if len(st):
        problems = st["labels"].map(lambda ls: "problem" in (ls if isinstance(ls, (list, tuple)) else []))
        out.append(f"Section 五 holds {int(problems.sum()):,} problem statements in "
                   f"{st['path'].nunique():,} reports.")
    return bullets(esc(line) for line in out)
