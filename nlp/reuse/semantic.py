"""Paraphrase candidates: nearest neighbours of sentence embeddings (the shipped zh-static-use).

A writer who swaps 加强 for 强化 every few characters breaks most character 4-grams, so MinHash
never pairs the copy with its source, although rapidfuzz still sees one sentence in the two.
Their embeddings stay close: each distinct masked sentence is embedded once, the sentences the
lexical pass left unmatched look up their ``K`` nearest neighbours in a faiss index (exact for
small corpora, inverted lists beyond ``EXACT_LIMIT`` so the cost stays near linear), and
neighbours above ``COSINE`` become candidates for the ordinary rapidfuzz verification.

Why the embedding only proposes and never decides: on 10,000 synthetic reports every pair it
alone would accept (cosine ≥ 0.985, ratio ≥ 60) was two unrelated sentences built on one stock
frame (22 of 22), and the real paraphrases of the hand-checked gold (rewritten clauses, median
cosine 0.963) sit among unrelated sentences (``benchmarks/reuse.md``).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from nlp.reuse.candidates import SentenceTable, _expand, chunked, local_map, text_groups

#: Neighbours looked up per distinct sentence, and the cosine that makes one a candidate.
K = 12
COSINE = 0.97
#: Shorter sentences are too generic to pair by meaning ("按时公开信息。").
MIN_CHARS = 20
#: Above this many distinct sentences the index is approximate instead of exact: faiss
#: inverted lists over 4·√n k-means cells, ``NPROBE`` of them searched per query, so the cost
#: grows about as n·√n instead of n². Measured on 305k synthetic sentences: all sampled
#: neighbours above 0.985 found, 0.75 of those above 0.97; vectors stored as float16.
EXACT_LIMIT = 20_000
NPROBE = 6
#: Vectors converted to float32 (faiss's input) this many at a time: the corpus's vectors stay
#: float16, half the memory (3M distinct sentences × 192 dims: 1.1 GB instead of 2.2 GB).
BLOCK = 200_000


def _embed_chunk(texts: list[str]) -> np.ndarray:
    from nlp.reuse.embeddings import embed

    return embed(texts).astype(np.float16)  # half the bytes back from a worker


def _index(vectors: np.ndarray):
    """A faiss inner-product index of the (L2-normalised, float16) vectors: exact when small.
    Vectors go in ``BLOCK`` at a time (the same index as adding them at once)."""
    import faiss

    n, dims = vectors.shape
    if n <= EXACT_LIMIT:
        index = faiss.IndexFlatIP(dims)
    else:
        cells = int(4 * n ** 0.5)
        index = faiss.IndexIVFScalarQuantizer(faiss.IndexFlatIP(dims), dims, cells,
                                              faiss.ScalarQuantizer.QT_fp16,
                                              faiss.METRIC_INNER_PRODUCT)
        index.cp.niter = 8
        index.cp.min_points_per_centroid = 10  # 20 a cell is enough here; no warning
        sample = np.random.default_rng(0).choice(n, min(n, 20 * cells), replace=False)
        index.train(vectors[np.sort(sample)].astype(np.float32))
        index.nprobe = NPROBE
    for k in range(0, n, BLOCK):
        index.add(vectors[k:k + BLOCK].astype(np.float32))
    return index


def semantic_pairs(table: SentenceTable, unmatched: set[int] | None = None, k: int = K,
                   cosine: float = COSINE, mapper: Callable = local_map) -> set[tuple[int, int]]:
    """Candidate pairs (i < j, different reports) whose sentence embeddings are neighbours.

    Only sentences in ``unmatched`` (default: all) look for neighbours, among all sentences: a
    paraphrase is a sentence the lexical pass left alone, its source need not be.
    """
    members = text_groups(table, MIN_CHARS)
    reps = list(members)
    if len(reps) < 2:
        return set()
    vectors = np.vstack(mapper(_embed_chunk, chunked([table.masked[i] for i in reps])))
    queries = [q for q, r in enumerate(reps)
               if unmatched is None or any(i in unmatched for i in members[r])]
    if not queries:
        return set()
    index = _index(vectors)
    asked = vectors[queries]  # the index holds its own copy: keep only the queries' vectors
    del vectors
    out: set[tuple[int, int]] = set()
    for b in range(0, len(queries), BLOCK):
        block = np.asarray(queries[b:b + BLOCK])
        scores, neighbours = index.search(asked[b:b + BLOCK].astype(np.float32),
                                          min(k + 1, len(reps)))
        rows, cols = np.nonzero((scores >= cosine) & (neighbours >= 0))  # -1: fewer than k found
        for q, n in zip(block[rows], neighbours[rows, cols]):
            if n != q:
                out.update(_expand(table, members, [(reps[q], reps[n])]))
    return out

