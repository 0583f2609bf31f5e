"""Bundled corpora: ``nlp.corpora.load("seeds")`` returns the sample corpus as a Corpus.

A corpus is a folder under the repository's ``corpora/`` (or under ``$GOVNLP_CORPORA``) with the
report files and a ``manifest.csv`` giving each file's office, region, level and year.
"""
from __future__ import annotations

import os
from pathlib import Path

from nlp.corpus import Corpus


def corpora_root() -> Path:
    env = os.environ.get("GOVNLP_CORPORA")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "corpora"


def available() -> list[str]:
    """Names of the bundled corpora."""
    root = corpora_root()
    return sorted(p.name for p in root.iterdir() if (p / "manifest.csv").is_file()) if root.is_dir() else []


def path(name: str) -> Path:
    """The folder of a bundled corpus (raises ValueError naming the ones there are)."""
    folder = corpora_root() / name
    if not (folder / "manifest.csv").is_file():
        raise ValueError(f"no bundled corpus {name!r}; available: {', '.join(available()) or 'none'}")
    return folder


def load(name: str = "seeds") -> Corpus:
    """Load a bundled corpus with its manifest."""
    folder = path(name)
    return Corpus(folder, manifest=folder / "manifest.csv")
