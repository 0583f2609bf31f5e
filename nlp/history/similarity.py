"""How close two statements are in meaning: the reuse detector's sentence encoder, centred.

The shipped encoder (``nlp.reuse.embeddings.embed``, a static mean of token vectors) gives every
two sentences of section 五 a cosine of about 0.8: they share 政府信息公开, 进一步, 加强 … and
the mean is dominated by them. Measured on the 平潭 problem statements (``benchmarks/history.md``)
the raw cosine put unrelated problems (0.92) above true repeats (0.72). Two changes make the
cosine about what a statement says:

* the common direction is removed: the mean vector of the bundled seed reports' section-五
  units is subtracted before normalising (fixed data, so one statement's links never depend on
  what else is in the corpus);
* stock clauses are cut before embedding: the item marker (一是, （一）) and the lead-in clauses
  every report opens section 五 with (取得了一定成效, 但仍存在以下不足, 主要是).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

import numpy as np

_MARKER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+是|\d+[、.．]"
                     r"|[一二三四五六七八九十]+、)\s*")
_LEAD_IN = re.compile(r"取得|成效|成绩|进展|存在(?:以下|一些|的主要)?(?:问题|不足)|仍有不足"
                      r"|主要(?:是|表现)|[:：]$")
_CLAUSE = re.compile(r"(?<=[，,；;：:。])")


def core(text: str) -> str:
    """The statement without its marker and stock lead-in clauses (all of it if nothing is left)."""
    text = _MARKER.sub("", text)
    kept = [c for c in _CLAUSE.split(text) if c.strip() and not _LEAD_IN.search(c)]
    return "".join(kept) or text


@lru_cache(maxsize=1)
def common_direction() -> np.ndarray:
    """The mean vector of the bundled seeds' section-五 statement units (see the docstring)."""
    from nlp.classify import statement_units
    from nlp.corpora import path
    from nlp.corpus import Corpus
    from nlp.reuse.embeddings import embed

    seeds = Corpus(path("seeds"), manifest=path("seeds") / "manifest.csv", progress=False)
    texts = [core(u.text) for r in seeds for u in statement_units(r, ("problems",))]
    return embed(texts).mean(axis=0)


def vectors(texts: Sequence[str]) -> np.ndarray:
    """Centred, L2-normalised vectors of ``texts`` (their :func:`core`); rows of zeros for none."""
    from nlp.reuse.embeddings import embed

    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    v = embed([core(t) for t in texts]) - common_direction()
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)


def cosine(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """(len(a), len(b)) centred cosines."""
    if not a or not b:
        return np.zeros((len(a), len(b)), dtype=np.float32)
    return vectors(a) @ vectors(b).T
