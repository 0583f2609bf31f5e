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

from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from nlp.reuse.candidates import (SentenceTable, _expand, chunked, decoded, encoded, local_map,
                                  text_groups)

#: Neighbours looked up per distinct sentence, and the cosine that makes one a candidate.
K = 12
COSINE = 0.97
#: Shorter sentences are too generic to pair by meaning ("按时公开信息。").
MIN_CHARS = 20
#: Above this many distinct sentences the index is approximate instead of exact: faiss
#: inverted lists (float16) over ``n / POINTS_PER_CELL`` cells, ``NPROBE`` of them searched per
#: query, so a query scans ~``NPROBE·POINTS_PER_CELL`` vectors at any n and the step grows
#: linearly (the earlier 4·√n k-means cells grew as n·√n: 185 s of 486 at 32k reports).
#: The cells' centres are sampled vectors (no k-means: training 30k centres on 3M vectors
#: would cost minutes), found through an HNSW graph built on one thread, so every run builds
#: the same graph. Measured on the 305,064 distinct sentences of 10,000 synthetic reports,
#: 4,000 sampled queries against the exact top 13 (share of the neighbours above 0.97 / above
#: 0.985 found; seconds for the 4,000 on a loaded machine): P=96, nprobe 16: 0.816 / 0.957,
#: 0.56 s; P=128/16: 0.837 / 0.974, 0.74–1.04 s; P=128/12: 0.783 / 0.948, 0.82 s; P=192/8:
#: 0.729 / 0.931, 0.86 s; P=64/32: 0.875 / 0.957, 1.06 s; the old 4·√n cells, nprobe 6, with
#: sampled centres: 0.612 / 0.974, 0.34 s (k-means centres: 0.75 of those above 0.97).
EXACT_LIMIT = 20_000
POINTS_PER_CELL = 96
NPROBE = 16
#: Links per node of the cells' HNSW graph (faiss's usual 32).
HNSW_LINKS = 32
#: Vectors converted to float32 (faiss's input) this many at a time: the corpus's vectors stay
#: float16, half the memory (3M distinct sentences × 192 dims: 1.1 GB instead of 2.2 GB).
BLOCK = 200_000
#: Chunks of texts handed to the mapper at a time when embedding: their vectors are copied
#: into one float16 array as they come back, never all chunks' arrays at once beside it.
EMBED_GROUP = 16


def _embed_chunk(texts: list[bytes]) -> np.ndarray:
    from nlp.reuse.embeddings import embed

    return embed(decoded(texts)).astype(np.float16)  # half the bytes back from a worker


def embed_texts(texts: list[str], mapper: Callable = local_map,
                step: Callable[[int, int], None] | None = None, path: Path | None = None):
    """The float16 vectors of ``texts`` (one row each, in order), ``EMBED_GROUP`` chunks per
    mapper call; ``step(done, total)`` after each (a progress display). With ``path`` they go
    to that file as they come and a :class:`VectorFile` of it is returned, not an array."""
    chunks = chunked(texts)
    out: np.ndarray | None = None
    sink = open(path, "wb") if path is not None else None
    done = dims = 0
    try:
        for g in range(0, len(chunks), EMBED_GROUP):
            for part in mapper(_embed_chunk, [encoded(c) for c in chunks[g:g + EMBED_GROUP]]):
                dims = part.shape[1]
                if sink is not None:
                    sink.write(np.ascontiguousarray(part, dtype=np.float16).tobytes())
                else:
                    if out is None:
                        out = np.empty((len(texts), dims), dtype=np.float16)
                    out[done:done + len(part)] = part
                done += len(part)
            if step is not None:
                step(done, len(texts))
    finally:
        if sink is not None:
            sink.close()
    if sink is not None:
        return VectorFile(path, done, dims)
    return out if out is not None else np.zeros((0, 0), dtype=np.float16)


class VectorFile:
    """Float16 vectors in a raw file, read a slice of rows at a time (``vectors[a:b]``): the
    streaming path's vectors never sit whole in memory (3M × 192 × 2 bytes: 1.1 GB), and
    reading with ``fromfile`` keeps them out of the process's RSS, which a memory map would
    count once its pages are touched."""

    def __init__(self, path: Path, rows: int, dims: int) -> None:
        self.path, self.shape = Path(path), (rows, dims)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, rows: slice) -> np.ndarray:
        start, stop, _ = rows.indices(self.shape[0])
        count = max(0, stop - start) * self.shape[1]
        itemsize = np.dtype(np.float16).itemsize
        data = np.fromfile(self.path, dtype=np.float16, count=count,
                           offset=start * self.shape[1] * itemsize)
        return data.reshape(-1, self.shape[1])


def _index(vectors: np.ndarray):
    """A faiss inner-product index of the (L2-normalised, float16) vectors: exact when small,
    else inverted lists over sampled centres (the same index in every run on the same vectors).
    Vectors go in ``BLOCK`` at a time (the same index as adding them at once)."""
    import faiss

    n, dims = vectors.shape
    if n <= EXACT_LIMIT:
        index = faiss.IndexFlatIP(dims)
    else:
        cells = max(1, n // POINTS_PER_CELL)
        centres = _rows(vectors, np.sort(np.random.default_rng(0).choice(n, cells, replace=False)))
        quantizer = faiss.IndexHNSWFlat(dims, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)  # a parallel HNSW build depends on thread timing
        try:
            quantizer.add(centres.astype(np.float32))
        finally:
            faiss.omp_set_num_threads(threads)
        index = faiss.IndexIVFScalarQuantizer(quantizer, dims, cells,
                                              faiss.ScalarQuantizer.QT_fp16,
                                              faiss.METRIC_INNER_PRODUCT)
        index.train(centres.astype(np.float32))  # the filled quantizer is kept, fp16 needs none
        index.nprobe = NPROBE
    for k in range(0, n, BLOCK):
        index.add(vectors[k:k + BLOCK].astype(np.float32))
    return index


def _rows(vectors, rows: np.ndarray) -> np.ndarray:
    """``vectors[rows]`` (sorted row numbers) read ``BLOCK`` rows at a time (array or file)."""
    parts = []
    for k in range(0, len(vectors), BLOCK):
        lo, hi = np.searchsorted(rows, [k, k + BLOCK])
        if hi > lo:
            parts.append(vectors[k:k + BLOCK][rows[lo:hi] - k])
    return np.concatenate(parts) if parts else np.zeros((0, vectors.shape[1]), np.float16)


def search_pairs(index, vectors, queries: np.ndarray, k: int = K, cosine: float = COSINE,
                 step: Callable[[int, int], None] | None = None
                 ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Per block of ``BLOCK`` rows of ``vectors`` (an array or a :class:`VectorFile`): the
    (query, neighbour) row pairs, queries among the sorted row numbers ``queries``, whose
    cosine reaches ``cosine`` among the ``k`` nearest other rows (``step(rows, total)``)."""
    for b in range(0, len(vectors), BLOCK):
        if step is not None:
            step(min(b + BLOCK, len(vectors)), len(vectors))
        lo, hi = np.searchsorted(queries, [b, b + BLOCK])
        if hi == lo:
            continue
        block = queries[lo:hi]
        asked = vectors[b:b + BLOCK][block - b].astype(np.float32)
        scores, near = index.search(asked, min(k + 1, len(vectors)))
        rows, cols = np.nonzero((scores >= cosine) & (near >= 0))  # -1: fewer than k found
        q, n = block[rows], near[rows, cols]
        keep = n != q
        yield q[keep], n[keep]


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
    queries = np.array([q for q, r in enumerate(reps)
                        if unmatched is None or any(i in unmatched for i in members[r])],
                       dtype=np.int64)
    if not len(queries):
        return set()
    vectors = embed_texts([table.masked[i] for i in reps], mapper)
    index = _index(vectors)
    out: set[tuple[int, int]] = set()
    for qs, ns in search_pairs(index, vectors, queries, k, cosine):
        for q, n in zip(qs.tolist(), ns.tolist()):
            out.update(_expand(table, members, [(reps[q], reps[n])]))
    return out
