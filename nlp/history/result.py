"""``history(reports)``: every office's reports in year order, each against its previous report.

Frames (schemas ``history``, ``repeated_problems``, ``improvements`` and ``checks`` in
``nlp/dataset/schema.py``) and ``HistoryResult.write(outdir)``:

* ``history.FORMAT``: one row per (report, section) and one with section ``all``;
* ``repeated_problems.jsonl``: problem statements the previous report already named;
* ``improvements.jsonl``: last year's promises and whether this year's report says they were done;
* ``cross_year_checks.FORMAT``: 上年结转 vs last year's 结转下年度, 现行有效 vs last year's;
* ``plots/OFFICE.png``: carried-over share by section over the years, per office (``plots.py``).

``stream.py`` writes the same files a batch of whole offices at a time (``govnlp history``).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from nlp.dataset.schema import conform
from nlp.frames import report_key
from nlp.history import compare
from nlp.history.improvements import Outcome, promised_improvements
from nlp.history.pairs import BATCH_REPORTS, Alignment, align, order_key, previous_index
from nlp.history.problems import Link, repeated_problems, statements
from nlp.model import Report
from nlp.progress import track

_ID = ("report_id", "path", "office", "office_id", "year")
#: Offices plotted by ``write`` at most (most reports first): a plot each is slow on a big corpus.
MAX_PLOTS = 50


@dataclass
class HistoryResult:
    reports: list[Report]
    previous: list[int | None]
    alignment: Alignment
    links: dict[int, list[Link]] = field(default_factory=dict)
    outcomes: dict[int, list[Outcome]] = field(default_factory=dict)
    #: False when no classifier ran (counts are then null, the two statement frames empty).
    classified: bool = True

    def order(self) -> list[int]:
        """Report indices by office, then year (unknown years last), then path."""
        return sorted(range(len(self.reports)), key=lambda k: order_key(self.reports[k], k))

    def _ids(self, k: int) -> dict:
        key = report_key(self.reports[k])
        out = {c: key[c] for c in _ID}
        p = self.previous[k]
        prev = report_key(self.reports[p]) if p is not None else {}
        out.update(previous_report_id=prev.get("report_id"), previous_year=prev.get("year"))
        return out

    def history_frame(self) -> pd.DataFrame:
        """One row per report and section, plus ``all`` (schema ``history``): offices one after
        the other, each office's reports in year order."""
        rows = []
        for k in self.order():
            rows.extend(self._history_rows(k))
        return conform(pd.DataFrame(rows), "history")

    def _history_rows(self, k: int) -> list[dict]:
        ids, p = self._ids(k), self.previous[k]
        if p is None:
            return [{**ids, "section": "all", "narrative_chars": None, "carried_over_share": None,
                     "near_identical": None, "changed_numbers": None, "changed_figures": [],
                     "repeated_problems": None, "promised_improvements": None,
                     "promised_improvements_reported": None}]
        r, prev = self.reports[k], self.reports[p]
        aligned = self.alignment.aligned.get(k, [])
        total, carried = compare.carried_chars(self.alignment.narrative.get(k, []), aligned)
        changes = compare.text_changes(r, prev, aligned)
        for table, items in compare.table_changes(r, prev).items():
            changes[table] += items
        links = Counter(l.this.section for l in self.links.get(k, []))
        done = Counter(o.evidence[0] for o in self.outcomes.get(k, []) if o.reported)
        order = [s.id for s in r.sections]
        sections = sorted((set(total) | set(changes) | set(links) | set(done)) - {"all"},
                          key=lambda s: order.index(s) if s in order else len(order))
        rows = []
        for section in sections + ["all"]:
            everything = section == "all"
            figures = ([x for v in changes.values() for x in v] if everything
                       else changes.get(section, []))
            share = compare.share(carried[section], total[section])
            rows.append({**ids, "section": section, "narrative_chars": total[section],
                         "carried_over_share": share,
                         "near_identical": (share is not None and share >= compare.NEAR_IDENTICAL)
                         if everything else None,
                         "changed_numbers": len(figures), "changed_figures": figures,
                         "repeated_problems": self._count(links, section),
                         "promised_improvements": len(self.outcomes.get(k, []))
                         if everything and self.classified else None,
                         "promised_improvements_reported": self._count(done, section)})
        return rows

    def _count(self, counts: Counter, section: str) -> int | None:
        """A statement count of one section, or of all (null when no classifier ran)."""
        if not self.classified:
            return None
        return sum(counts.values()) if section == "all" else counts[section]

    def repeated_problems_frame(self) -> pd.DataFrame:
        """One row per problem statement the previous report already named."""
        rows = []
        for k in self.order():
            for l in self.links.get(k, []):
                rows.append({**self._ids(k), "section": l.this.section, "start": l.this.start,
                             "end": l.this.end, "text": l.this.text,
                             "previous_section": l.previous.section,
                             "previous_start": l.previous.start, "previous_end": l.previous.end,
                             "previous_text": l.previous.text, "similarity": l.similarity,
                             "match": l.match})
        return conform(pd.DataFrame(rows), "repeated_problems")

    def improvements_frame(self) -> pd.DataFrame:
        """One row per improvement the previous report promised, done or not as far as told."""
        rows = []
        for k in self.order():
            text = self.reports[k].text
            for o in self.outcomes.get(k, []):
                sec, a, b = o.evidence or (None, None, None)
                rows.append({**self._ids(k), "promise_section": o.promise.section,
                             "promise_start": o.promise.start, "promise_end": o.promise.end,
                             "promise_text": o.promise.text, "reported": o.reported,
                             "similarity": o.similarity, "evidence_section": sec,
                             "evidence_start": a, "evidence_end": b,
                             "evidence_text": text[a:b] if o.evidence else None})
        return conform(pd.DataFrame(rows), "improvements")

    def checks_frame(self) -> pd.DataFrame:
        """Cross-year table checks (schema ``checks``), for reports with an earlier report."""
        from nlp.history.crossyear import checks_frame

        return checks_frame(self.reports, self.previous, self.order())

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"history": self.history_frame(),
                "repeated_problems": self.repeated_problems_frame(),
                "improvements": self.improvements_frame(),
                "cross_year_checks": self.checks_frame()}

    def write(self, outdir: str | Path, format: str = "csv", plots: bool = True) -> list[Path]:
        """Write the files of the module docstring into ``outdir``, whole (``atomic_folder``).

        ``history`` and ``cross_year_checks`` in ``format`` (csv, jsonl, parquet, xlsx); the two
        statement files always as JSON lines (they hold long texts and offsets)."""
        from nlp.atomic import atomic_folder
        from nlp.dataset.write import format_of, write_file
        from nlp.history.plots import plot_offices

        format = format_of(Path(outdir) / f"x.{format}", format)
        outdir = Path(outdir)
        names = {"history": format, "repeated_problems": "jsonl", "improvements": "jsonl",
                 "cross_year_checks": format}
        written = []
        frames = self.frames()
        with atomic_folder(outdir) as tmp:
            for name, fmt in names.items():
                write_file(frames[name], tmp / f"{name}.{fmt}", fmt, name)
                written.append(outdir / f"{name}.{fmt}")
            if plots:
                for path in plot_offices(frames["history"], tmp / "plots", MAX_PLOTS):
                    written.append(outdir / path.relative_to(tmp))
        return written


def history(reports: Iterable[Report], reuse=None, classifier=None, progress: bool = False,
            batch_size: int = BATCH_REPORTS) -> HistoryResult:
    """Compare every report with its office's latest earlier report in ``reports``.

    * ``reuse``: a :class:`~nlp.reuse.detect.ReuseResult` over (a superset of) the reports;
      None runs the detector here on batches of whole offices of about ``batch_size`` reports
      (the streamed history, ``stream.py``, with the same size gives the same rows).
    * ``classifier``: a :class:`~nlp.classify.StatementClassifier`; None loads the shipped one;
      False skips problems and improvements (their counts are null).
    """
    reports = list(reports)
    previous = previous_index(reports)
    result = HistoryResult(reports, previous,
                           align(reports, previous, reuse, progress, size=batch_size))
    if classifier is False:
        result.classified = False
        return result
    if classifier is None:
        from nlp.classify import StatementClassifier

        classifier = StatementClassifier.load()
    involved = sorted({k for k, p in enumerate(previous) if p is not None} |
                      {p for p in previous if p is not None})
    chosen = [reports[k] for k in involved]
    chosen = track(chosen, "Classifying statements") if progress else chosen
    if hasattr(classifier, "classify_reports"):  # batched: one model call per ~100 reports
        labelled = (rows for _, rows in classifier.classify_reports(chosen, ("problems",)))
    else:  # a stand-in with only the per-report call
        labelled = (classifier.classify_report(r, ("problems",)) for r in chosen)
    units = {k: statements(rows) for k, rows in zip(involved, labelled)}
    for k, p in enumerate(previous):
        if p is None:
            continue
        aligned = result.alignment.aligned.get(k, [])
        result.links[k] = repeated_problems(units[k], units[p], aligned)
        result.outcomes[k] = promised_improvements(reports[k], units[k], units[p], aligned)
    return result
