"""Extractive summaries of a section: TextRank over sentence similarity, boilerplate down-weighted.

A section's narrative sentences (``kind == "text"``; headings and table lines never) are the
nodes of a graph whose edges are the TF-IDF cosine similarities of their content words (our
tokenizer; IDF from a fitted :class:`~nlp.summarize.keywords.KeywordExtractor` when one is
given, else from the section's own sentences). ``networkx.pagerank`` ranks them.

Why down-weight boilerplate: the template and sentences copied between offices are what every
report says; a summary should show what is specific to *this* office. Sentences inside
boilerplate spans (from reuse detection, :func:`boilerplate_spans`) get a smaller teleport
share in the personalization vector, so they pass less rank to their neighbours, and their own
score is multiplied by the same weight, so they fall in the ranking for certain.

The summary takes sentences best first, skips one too similar to a sentence already taken
(redundancy removal), and gives them back in report order. Everything is deterministic.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable

import networkx as nx
import numpy as np

from nlp.model import Report, Section, Sentence
from nlp.reuse.boilerplate import (BOILERPLATE_LAYERS, Span, boilerplate_spans,  # noqa: F401
                                   covered_share)  # (the first two re-exported by nlp.summarize)
from nlp.summarize.keywords import KeywordExtractor
from nlp.text.tokenize import tokenize


# -- which sentences ---------------------------------------------------------------------------
def _sections(report: Report, section: str | Section) -> list[Section]:
    if isinstance(section, Section):
        return [section]
    return [s for s in report.sections if s.id == section]


def section_sentences(report: Report, section: str | Section, part: str | None = None
                      ) -> list[Sentence]:
    """Narrative sentences of a section in report order (all sections with that id; e.g. old
    layouts that split 存在问题 and 改进措施 give two ``problems`` sections).

    ``part`` restricts them to one part, named by its marker ("（五）") or a word of its title
    ("监督保障"); an unknown part gives no sentences.
    """
    secs = _sections(report, section)
    sents = [s for sec in secs for s in sec.sentences if s.kind == "text"]
    if part is not None:
        parts = [p for sec in secs for p in sec.parts
                 if p.marker.strip() == part or (p.title and part in p.title)]
        sents = [s for s in sents if any(p.start <= s.start < p.end for p in parts)]
    return sorted(sents, key=lambda s: s.start)


def is_boilerplate(sentence: Sentence, spans: Iterable[Span] | None, share: float = 0.5) -> bool:
    """True when at least ``share`` of the sentence lies in boilerplate spans."""
    return bool(spans) and covered_share(sentence.start, sentence.end, spans) >= share


# -- similarity and ranking --------------------------------------------------------------------
def similarity_matrix(texts: list[str], extractor: KeywordExtractor | None = None) -> np.ndarray:
    """Cosine similarity of the sentences' TF-IDF vectors over our content words.

    The IDF is the extractor's when it is fitted (corpus-wide: 政府信息公开 weighs little), else
    it is learned from these sentences alone. A sentence without content words is similar to
    nothing (a zero row), and every sentence has similarity 1 with itself.
    """
    toks = [tokenize(t) for t in texts]
    vocab = {w: i for i, w in enumerate(dict.fromkeys(w for ts in toks for w in ts))}
    m = len(texts)
    if extractor is not None and extractor.is_fitted():
        idf = {w: extractor.idf(w) for w in vocab}
    else:
        df = Counter(w for ts in toks for w in set(ts))
        idf = {w: math.log((1 + m) / (1 + df[w])) + 1.0 for w in vocab}
    vecs = np.zeros((m, len(vocab)))
    for i, ts in enumerate(toks):
        for w, c in Counter(ts).items():
            vecs[i, vocab[w]] = c * idf[w]
    norms = np.linalg.norm(vecs, axis=1)
    norms[norms == 0] = 1.0
    unit = vecs / norms[:, None]
    sim = unit @ unit.T
    np.fill_diagonal(sim, 1.0)
    return sim


def rank_sentences(sim: np.ndarray, weights: list[float], damping: float = 0.85) -> list[float]:
    """TextRank scores: PageRank of the similarity graph with ``weights`` as personalization,
    then each score multiplied by its weight (1 for own text, less for boilerplate)."""
    m = len(weights)
    if m == 0:
        return []
    if m == 1:
        return [float(weights[0])]
    graph = nx.Graph()
    graph.add_nodes_from(range(m))
    for i in range(m):
        for j in range(i + 1, m):
            if sim[i, j] > 0:
                graph.add_edge(i, j, weight=float(sim[i, j]))
    total = sum(weights)
    personalization = ({i: w / total for i, w in enumerate(weights)} if total > 0
                       else {i: 1.0 / m for i in range(m)})
    pr = nx.pagerank(graph, alpha=damping, personalization=personalization, weight="weight",
                     tol=1e-10, max_iter=500)
    return [float(pr[i]) * weights[i] for i in range(m)]


def _score(report: Report, section: str | Section, boilerplate: set[Span] | None,
           extractor: KeywordExtractor | None, boilerplate_weight: float, damping: float,
           part: str | None) -> tuple[list[Sentence], np.ndarray, list[float]]:
    """The section's sentences, their similarity matrix and their TextRank scores."""
    if not 0.0 <= boilerplate_weight <= 1.0:
        raise ValueError("boilerplate_weight must lie in [0, 1]")
    sents = section_sentences(report, section, part)
    sim = similarity_matrix([report.text[s.start:s.end] for s in sents], extractor)
    weights = [boilerplate_weight if is_boilerplate(s, boilerplate) else 1.0 for s in sents]
    return sents, sim, rank_sentences(sim, weights, damping)


def sentence_scores(report: Report, section: str | Section, boilerplate: set[Span] | None = None,
                    *, extractor: KeywordExtractor | None = None, boilerplate_weight: float = 0.3,
                    damping: float = 0.85, part: str | None = None
                    ) -> list[tuple[Sentence, float]]:
    """Every narrative sentence of the section with its TextRank score, in report order.

    ``boilerplate`` holds (start, end) spans (e.g. from :func:`boilerplate_spans`); a sentence at
    least half inside them gets ``boilerplate_weight`` (0 … 1) as personalization and multiplier.
    """
    sents, _, scores = _score(report, section, boilerplate, extractor, boilerplate_weight,
                              damping, part)
    return list(zip(sents, scores))


def select(scores: list[float], sim: np.ndarray, n: int, redundancy: float = 0.6) -> list[int]:
    """Indices of up to ``n`` sentences, best first, skipping any whose similarity to one
    already chosen exceeds ``redundancy`` (1 or more: no check); in input (report) order."""
    order = sorted(range(len(scores)), key=lambda i: (-round(scores[i], 12), i))
    chosen: list[int] = []
    for i in order:
        if len(chosen) >= n:
            break
        if redundancy >= 1.0 or all(sim[i, j] <= redundancy for j in chosen):
            chosen.append(i)
    return sorted(chosen)


def summarize_section(report: Report, section: str | Section, n: int = 3,
                      boilerplate: set[Span] | None = None, *,
                      extractor: KeywordExtractor | None = None, boilerplate_weight: float = 0.3,
                      redundancy: float = 0.6, damping: float = 0.85, part: str | None = None
                      ) -> list[Sentence]:
    """The ``n`` most central, mutually distinct narrative sentences of a section, in report
    order. A section with fewer sentences gives what it has (none for a table-only section)."""
    sents, sim, scores = _score(report, section, boilerplate, extractor, boilerplate_weight,
                                damping, part)
    if not sents or n <= 0:
        return []
    return [sents[i] for i in select(scores, sim, n, redundancy)]


_WRAP = re.compile(r"\s*\n\s*(?:[-—–]\s*\d{1,3}\s*[-—–]\s*\n\s*)?|\*\*")


def sentences_text(report: Report, sentences: Iterable[Sentence], sep: str = "") -> str:
    """The sentences' text joined by ``sep`` for reading: line breaks inside a sentence
    (wrapped PDF text), page numbers on a line of their own ("-2-") and markdown ``**``
    emphasis are removed, nothing else is changed."""
    return sep.join(_WRAP.sub("", report.text[s.start:s.end]).strip() for s in sentences)


def summary_text(report: Report, section: str | Section, n: int = 3,
                 boilerplate: set[Span] | None = None, sep: str = "", **kwargs) -> str:
    """:func:`summarize_section` as one string ("" when the section has no narrative)."""
    return sentences_text(report, summarize_section(report, section, n, boilerplate, **kwargs), sep)


# -- boilerplate (spans from nlp.reuse.boilerplate) ----------------------------------------------------------
def boilerplate_share(report: Report, section: str | Section, spans: set[Span]) -> float | None:
    """Share of the section's narrative characters inside ``spans`` (None: no narrative)."""
    sents = section_sentences(report, section)
    total = sum(s.end - s.start for s in sents)
    if total == 0:
        return None
    inside = sum(covered_share(s.start, s.end, spans) * (s.end - s.start) for s in sents)
    return round(inside / total, 4)
