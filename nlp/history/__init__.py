"""Across the years: what each office carried over from its previous report, which problems it
reports again, which promised improvements it reports done, and cross-year table checks.

``history(reports)`` returns a :class:`HistoryResult` (frames and ``write(outdir)``); see
``result.py``. ``stream_history(source, outdir)`` (``stream.py``, what ``govnlp history``
runs) writes the same files a batch of whole offices at a time, in bounded memory. Built on the
reuse detector's alignment (``pairs.py``) and the statement classifier's labels; ``similarity.py`` holds the one meaning measure both statement links use.
"""
from __future__ import annotations

from nlp.history.result import HistoryResult, history
from nlp.history.stream import stream_history

__all__ = ["HistoryResult", "history", "stream_history"]
