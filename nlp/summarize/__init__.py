"""Keywords, extractive summaries and key figures per report section.

* :class:`KeywordExtractor`: TF-IDF keywords with an IDF fitted on our corpus's section texts,
  or TextRank keywords on a networkx co-occurrence graph (``keywords.py``).
* :func:`summarize_section` / :func:`summary_text`: TextRank over sentence similarity, with
  redundancy removal and boilerplate (from reuse detection) down-weighted, in report order
  (``textrank.py``).
* :func:`key_figures`: numbers with units from the narrative, labelled (``figures.py``).
* :func:`summary_rows`: one row per report and section with all of it, the frame behind
  ``Corpus.summary_frame``; :func:`summary_batches`: the same rows a batch of reports at a
  time, behind ``govnlp summarize`` (``stream.py``: two passes over chunks of files, reuse
  from ``detect_stream``, rows written as they come).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from nlp.dataset.schema import conform
from nlp.frames import report_key
from nlp.model import Report
from nlp.summarize.figures import figures_frame, format_figures, key_figures
from nlp.summarize.keywords import KeywordExtractor, office_names, section_texts
from nlp.summarize.textrank import (BOILERPLATE_LAYERS, boilerplate_share, boilerplate_spans,
                                    section_sentences, sentence_scores, sentences_text,
                                    summarize_section, summary_text)

__all__ = ["BOILERPLATE_LAYERS", "KeywordExtractor", "SUMMARY_COLUMNS", "boilerplate_share",
           "boilerplate_spans", "figures_frame", "format_figures", "key_figures",
           "office_names", "section_sentences", "section_texts", "sentence_scores", "summarize_section",
           "summary_batches", "summary_records", "summary_rows", "summary_text"]

#: Columns of :func:`summary_rows` (schema ``summary``, ``docs/schema.md``).
SUMMARY_COLUMNS = ["report_id", "path", "office", "office_id", "level", "region", "year",
                   "section", "summary", "keywords", "n_sentences", "problem_count",
                   "improvement_count", "boilerplate_share", "key_figures"]

#: Sections without a summary row when no section is asked for: the signature and date, and
#: a crawled page's site chrome.
SKIPPED_SECTIONS = ("closing", "page_chrome")


def _section_ids(report: Report, section: str | Iterable[str] | None) -> list[str]:
    """Section ids of the report in order, each once; only ``section`` (one id or several)
    when given, else all but ``closing``."""
    ids = list(dict.fromkeys(s.id for s in report.sections))
    if section is None:
        return [i for i in ids if i not in SKIPPED_SECTIONS]
    wanted = {section} if isinstance(section, str) else set(section)
    return [i for i in ids if i in wanted]


def _resolve_reuse(reports: list[Report], reuse):
    """A ReuseResult, or None; ``True`` runs reuse detection on ``reports`` first."""
    if reuse is True:
        from nlp.reuse.detect import detect

        return detect(reports) if len(reports) > 1 else None
    return reuse or None


def _label_counts(report: Report, section_id: str, classifier) -> tuple[int, int]:
    """(problem, improvement) statement units of the section by ``classifier.predict``."""
    from nlp.classify.units import statement_units

    units = statement_units(report, (section_id,))
    if not units:
        return 0, 0
    if hasattr(classifier, "predict_units"):  # read in context (part, lead-in, neighbours)
        labels = classifier.predict_units(report, units)
    else:
        labels = classifier.predict([u.text for u in units], sections=[u.section for u in units])
    return (sum("problem" in s for s in labels), sum("improvement" in s for s in labels))


def summary_rows(reports: Iterable[Report], section: str | Iterable[str] | None = None,
                 reuse=None, classifier=None, *, n: int = 3, k: int = 8,
                 extractor: KeywordExtractor | None = None, boilerplate_weight: float = 0.3
                 ) -> pd.DataFrame:
    """One row per report and section (schema ``summary``): the report's key, section, summary,
    keywords (a list), n_sentences, problem_count, improvement_count, boilerplate_share and
    key_figures (a list of "主动公开 68条"; :func:`figures_frame` has each figure's offsets).

    * ``section``: one id ("problems"), several, or None for every section but ``closing``.
      Sections sharing an id (e.g. several ``extra``) make one row.
    * ``reuse``: a :class:`~nlp.reuse.detect.ReuseResult` over (a superset of) these reports,
      or True to detect reuse among them here. It down-weights boilerplate in the summary and
      fills ``boilerplate_share`` (share of the section's narrative characters in
      ``cross_office``/``template`` passages; NaN for a section without narrative); without
      it the share is NaN too.
    * ``classifier``: an object with ``predict(texts, sections=...) -> list[set[str]]`` (e.g.
      :class:`nlp.classify.StatementClassifier`) applied to the section's statement units;
      without it the counts are null (``Int64``).
    * ``extractor``: a KeywordExtractor; by default a TF-IDF one fitted on these reports.
    """
    reports = list(reports)
    if extractor is None:
        extractor = KeywordExtractor("tfidf").fit(reports)
    reuse = _resolve_reuse(reports, reuse)
    spans_of = _spans_by_report(reuse) if reuse is not None else None
    rows = [row for r in reports for row in _report_rows(
        r, section, spans_of, classifier, extractor, n, k, boilerplate_weight)]
    return conform(pd.DataFrame(rows, columns=SUMMARY_COLUMNS), "summary")


def summary_batches(batches: Iterable[Iterable[Report]], extractor: KeywordExtractor,
                    section: str | Iterable[str] | None = None, reuse=None, classifier=None, *,
                    n: int = 3, k: int = 8, boilerplate_weight: float = 0.3
                    ) -> Iterator[pd.DataFrame]:
    """:func:`summary_rows` one batch of reports at a time (bounded memory): one frame per
    batch, together the rows ``summary_rows`` gives for all of them with the same ``extractor``
    (fitted beforehand, e.g. by ``fit_batches``) and ``reuse`` (a ReuseResult over all of them,
    e.g. from ``nlp.reuse.stream.detect_stream``, or None)."""
    spans_of = _spans_by_report(reuse) if reuse is not None else None
    for batch in batches:
        yield batch_summary(batch, extractor, section, spans_of, classifier, n=n, k=k,
                            boilerplate_weight=boilerplate_weight)


def batch_summary(batch: Iterable[Report], extractor: KeywordExtractor, section=None,
                  spans_of: Callable | None = None, classifier=None, *, n: int = 3, k: int = 8,
                  boilerplate_weight: float = 0.3) -> pd.DataFrame:
    """The summary frame of one batch, ``spans_of`` being ``_spans_by_report`` of the reuse
    result, made once for every batch (a worker process inherits it)."""
    rows = [row for r in batch for row in _report_rows(
        r, section, spans_of, classifier, extractor, n, k, boilerplate_weight)]
    return conform(pd.DataFrame(rows, columns=SUMMARY_COLUMNS), "summary")


def _report_rows(r: Report, section, spans_of, classifier, extractor: KeywordExtractor,
                 n: int, k: int, boilerplate_weight: float) -> list[dict]:
    """The summary rows of one report (see :func:`summary_rows`)."""
    key = report_key(r)
    spans = spans_of(r) if spans_of is not None else None
    rows = []
    for sid in _section_ids(r, section):
        sents = section_sentences(r, sid)
        summary = sentences_text(r, summarize_section(
            r, sid, n, spans, extractor=extractor, boilerplate_weight=boilerplate_weight))
        kws = extractor.section_keywords(r, sid, k) if sents else []
        problems = improvements = None
        if classifier is not None:
            problems, improvements = _label_counts(r, sid, classifier)
        share = None
        if spans is not None and sents:
            share = boilerplate_share(r, sid, spans)
        rows.append({**key, "section": sid, "summary": summary,
                     "keywords": [w for w, _ in kws], "n_sentences": len(sents),
                     "problem_count": problems, "improvement_count": improvements,
                     "boilerplate_share": share,
                     "key_figures": [format_figures([f]) for f in key_figures(r, (sid,))]})
    return rows


def _spans_by_report(reuse) -> Callable[[Report], set]:
    """Each report's boilerplate spans, from one pass over the passages (per-report calls of
    ``boilerplate_spans`` walk every passage each time: quadratic on a big corpus). A report is
    found by its path as detection saw it, or the same file under another spelling."""
    by_path = boilerplate_spans(reuse)
    resolved = {str(Path(p).resolve()): spans for p, spans in by_path.items()
                if not p.startswith("<")}

    def spans_of(report: Report) -> set:
        if not report.path:
            return set()
        found = by_path.get(report.path)
        return found if found is not None else resolved.get(str(Path(report.path).resolve()), set())
    return spans_of


def summary_records(reports: Iterable[Report], section: str | Iterable[str] | None = None,
                    reuse=None, classifier=None, **kwargs) -> list[dict]:
    """:func:`summary_rows` as JSON-ready dicts (missing values None; what ``govnlp summarize``
    writes as JSON lines)."""
    from nlp.dataset.write import records

    return records(summary_rows(reports, section, reuse, classifier, **kwargs))
