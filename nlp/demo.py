"""The main job on a corpus (what ``make demo`` runs): the study report of the bundled corpus.

Every result is written as files in one folder, with an ``index.html`` that reads as the first
page of a study (:mod:`nlp.report.study`).
"""
from __future__ import annotations

from pathlib import Path

from nlp.corpus import Corpus


def run_demo(corpus: Corpus, outdir: str | Path) -> list[Path]:
    """Run every analysis on ``corpus`` and write its study under ``outdir``.

    The folder is written whole (:func:`nlp.atomic.atomic_folder`): a failed or killed run leaves
    the previous results, and files govnlp did not write are never removed.
    """
    from nlp.report.study import write_study

    return write_study(corpus, outdir)
