"""govnlp: NLP for China's 政府信息公开工作年度报告 (government information disclosure annual reports).

Data flows one way: ingest → segment → (classify | reuse | topics | summarise) → frames.

    >>> import nlp
    >>> report = nlp.load_report("corpora/seeds/000_71d75f3e6a21b3c1.txt")
    >>> report.section("problems").title
    '存在的主要问题及改进情况'
"""
from __future__ import annotations

from nlp import corpora
from nlp.classify.model import StatementClassifier
from nlp.corpus import Corpus
from nlp.ingest.readers import IngestError
from nlp.load import NotAReportError, load_report, load_reports, parse_report
from nlp.model import Item, Part, Report, ReportMeta, Section, Sentence

__version__ = "0.1.0"


def open_index(path):
    """The frames of a corpus index made by ``govnlp index build`` (reports, sections,
    sentences, cells, passages, families, leaks, shares): see :mod:`nlp.reuse.store`."""
    from nlp.reuse.store import open_index as _open_index  # DuckDB is imported only when used

    return _open_index(path)


__all__ = ["Corpus", "StatementClassifier", "IngestError", "Item", "NotAReportError", "Part", "Report", "ReportMeta",
           "Section", "Sentence", "corpora", "load_report", "load_reports", "open_index", "parse_report"]
