"""Bundled corpora: ``nlp.corpora.load("seeds")`` returns the sample corpus as a Corpus.

A corpus is a folder of report files with a ``manifest.csv`` giving each file's office, region,
level and year, under the repository's ``corpora/`` (installed inside the package; see
``nlp.resources``) or under ``$GOVNLP_CORPORA``.
"""
from __future__ import annotations

from pathlib import Path

from nlp.corpus import Corpus
from nlp.resources import MissingCorpus, corpora_dir


def corpora_root() -> Path:
    """The folder holding the corpus folders (``nlp.resources.corpora_dir``)."""
    return corpora_dir()


def available() -> list[str]:
    """Names of the bundled corpora."""
    root = corpora_root()
    return sorted(p.name for p in root.iterdir() if (p / "manifest.csv").is_file()) if root.is_dir() else []


def path(name: str) -> Path:
    """The folder of a bundled corpus (raises MissingCorpus, a ValueError, naming the ones there are)."""
    folder = corpora_root() / name
    if not (folder / "manifest.csv").is_file():
        raise MissingCorpus(f"no bundled corpus {name!r} in {corpora_root()} (GOVNLP_CORPORA moves it); "
                         f"available: {', '.join(available()) or 'none'}")
    return folder


def load(name: str = "seeds") -> Corpus:
    """Load a bundled corpus with its manifest."""
    folder = path(name)
    return Corpus(folder, manifest=folder / "manifest.csv")
