"""Reuse detection at national scale: shards on disk, candidates on arrays, blocks of work.

``detect_stream(inputs, workdir)`` gives the same :class:`~nlp.reuse.detect.ReuseResult` as
``detect(reports)`` on the same reports (passages, families, leaks, shares), but never holds a
list of Reports: files are read, segmented, masked and signed shard by shard
(``shards.py``), candidates come from sorted hash and band arrays (``banding.py``),
verification runs in blocks of ``VERIFY_BLOCK`` pairs; the last steps are
``detect.finish_detection``, one function for both paths. What stays in memory for the final
steps is compact: per sentence four machine integers and its masked text (~200 bytes), per
report its metadata; the reports' texts wait in a temporary file (``texts.ReportTexts``).

``mapper`` runs the shard writing, verification, the same-office pass and the embeddings: the
default here, ``distributed.pool_mapper`` on this machine's cores, ``distributed.client_mapper``
on a dask.distributed cluster (``workdir`` then on a filesystem all workers share).
"""
from __future__ import annotations

import json
import logging
import os
from array import array
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from nlp.progress import Progress
from nlp.reuse.align import SentenceMatch, office_numbers, verify_sorted
from nlp.reuse.banding import (Groups, _expand, decode, encode, exact_codes, lsh_codes,
                               unique_codes)
from nlp.reuse.candidates import ReuseDoc, SentenceTable, local_map, self_copy_pairs
from nlp.reuse.detect import finish_detection
from nlp.reuse.shards import ShardSet, write_shards
from nlp.reuse.texts import ReportTexts

#: Candidate pairs verified per block (the work list of a block holds its texts' references).
VERIFY_BLOCK = 250_000


class StreamTable(SentenceTable):
    """A :class:`SentenceTable` in compact columns: ``doc``, ``start``, ``end`` as int arrays,
    ``section`` sharing one string per section name, plus the sort arrays banding needs."""

    skey: np.ndarray  # stable_key order as one uint64 (document rank << 32 | start)
    hashes: np.ndarray  # uint64 hash of each masked text
    minhash_files: list

    def release_search_columns(self) -> None:
        """Drop what only candidate search and verification read: the masked texts and the
        hash and sort arrays (≈ 1.3 GB at 100,000 generated reports). Families, passages,
        leaks and measures read offsets, sections and the texts on disk."""
        self.masked = []
        self.hashes = self.skey = np.zeros(0, np.uint64)


def load_table(shards: ShardSet) -> tuple[StreamTable, list[dict], list[tuple[str, ...]]]:
    """The sentence table of the shards, each document's key columns, and its area chain."""
    import pyarrow.parquet as pq

    from nlp.reuse.families import area_chain

    # beside the shards (the disk chosen for them), but where an open file blocks the removal
    # of the temporary shard folder (Windows), in the system's temporary folder
    table = StreamTable(texts=ReportTexts(shards.workdir if os.name != "nt" else None))
    table.doc, table.start, table.end = array("i"), array("i"), array("i")
    keys, chains, hashes, sections = [], [], [], {}
    for k, offset in enumerate(shards.offsets):
        docs = pq.read_table(shards.path("docs", k)).to_pylist()
        for n, row in enumerate(docs):
            table.texts.add(row.pop("text"))  # on disk: ≈ 1 GB at 100,000 reports
            doc = ReuseDoc(offset + n, row["path"], row["office"], row["office_short"],
                           row["level"], row["region"], row["year"], None,
                           row["content_key"])
            table.docs.append(doc)
            keys.append({"report_id": row["report_id"], "path": row["key_path"],
                         "office": row["office"], "office_id": row["office_id"],
                         "level": row["level"], "region": row["region"], "year": row["year"]})
            chains.append(area_chain(doc, row["county"], row["prefecture"], row["province"]))
        sents = pq.read_table(shards.path("sents", k))
        table.doc.frombytes((sents["doc"].to_numpy() + offset).astype(np.int32).tobytes())
        table.start.frombytes(sents["start"].to_numpy().astype(np.int32).tobytes())
        table.end.frombytes(sents["end"].to_numpy().astype(np.int32).tobytes())
        column = sents["section"].combine_chunks()
        names = [sections.setdefault(s, s) for s in column.dictionary.to_pylist()]
        table.section.extend(names[x] for x in column.indices.to_numpy())
        table.masked.extend(sents["masked"].to_pylist())
        hashes.append(sents["hash"].to_numpy())
    table.hashes = np.concatenate(hashes) if hashes else np.zeros(0, np.uint64)
    table.skey = _stable_keys(table)
    table.minhash_files = [shards.path("minhash", k) for k in range(len(shards.names))]
    return table, keys, chains


def _stable_keys(table: SentenceTable) -> np.ndarray:
    """``SentenceTable.stable_key`` as one sortable uint64 per sentence."""
    rank = np.empty(len(table.docs), dtype=np.uint64)
    n = len(table.docs)
    rank[sorted(range(n), key=table.doc_key)] = np.arange(n, dtype=np.uint64)
    doc = np.frombuffer(table.doc, dtype=np.int32)
    start = np.frombuffer(table.start, dtype=np.int32).astype(np.uint64)
    return (rank[doc] << np.uint64(32)) | start


def candidate_codes(table: StreamTable, threshold: float = 0.5, mapper: Callable = local_map,
                    step: Callable[[int, int], None] | None = None) -> np.ndarray:
    """``candidates.candidate_pairs`` as sorted unique uint64 codes (``step``: after each band)."""
    doc = np.frombuffer(table.doc, dtype=np.int32)
    groups = Groups(table.hashes, table.skey)
    return unique_codes(chain(exact_codes(groups, doc),
                              lsh_codes(table.minhash_files, threshold, groups, table.skey, doc,
                                        step=step),
                              _tuple_codes(self_copy_pairs(table, mapper=mapper))))


def _tuple_codes(pairs: Iterable[tuple[int, int]], block: int = 1_000_000) -> Iterator[np.ndarray]:
    buf: list[tuple[int, int]] = []
    for p in pairs:
        buf.append(p)
        if len(buf) >= block:
            yield _codes_of(buf)
            buf = []
    if buf:
        yield _codes_of(buf)


def _codes_of(pairs) -> np.ndarray:
    if not pairs:
        return np.zeros(0, np.uint64)
    ij = np.asarray(list(pairs), dtype=np.int64)
    return encode(ij[:, 0], ij[:, 1])


def semantic_codes(table: StreamTable, unmatched: np.ndarray, mapper: Callable = local_map,
                   progress: Progress | None = None, workdir: Path | None = None,
                   clock: Callable[[str], None] | None = None) -> np.ndarray:
    """``semantic.semantic_pairs`` as sorted unique codes, its groups and expansion on arrays.

    The distinct texts of ``semantic.MIN_CHARS`` or more are embedded in the order
    ``text_groups`` meets them (first member in table order): the faiss index, its centres
    sampled by position, is then the same index and finds the same neighbours. With
    ``workdir`` the vectors wait in a file there (``semantic.VectorFile``), not in memory.
    """
    from nlp.reuse import semantic as sem

    progress = progress or Progress(False)
    doc = np.frombuffer(table.doc, dtype=np.int32)
    groups = Groups(table.hashes, table.skey)
    long = np.array([len(table.masked[r]) >= sem.MIN_CHARS for r in groups.reps.tolist()],
                    dtype=bool)
    first = np.minimum.reduceat(groups.order, groups.bounds[:-1]) if len(groups.order) else \
        np.zeros(0, np.int64)
    kept = np.nonzero(long)[0]
    kept = kept[np.argsort(first[kept], kind="stable")]  # group numbers in embedding order
    if len(kept) < 2:
        return np.zeros(0, np.uint64)
    asks = np.logical_or.reduceat(unmatched[groups.order], groups.bounds[:-1])[kept]
    queries = np.nonzero(asks)[0]
    if not len(queries):
        return np.zeros(0, np.uint64)
    path = Path(workdir) / "vectors.f16" if workdir is not None else None
    try:
        clock = clock or (lambda step: None)
        vectors = sem.embed_texts([table.masked[r] for r in groups.reps[kept].tolist()], mapper,
                                  progress.task("embedding sentences"), path)
        clock("embedding")
        index = sem._index(vectors)
        clock("faiss_index")
        codes = unique_codes(block for q, n in sem.search_pairs(
            index, vectors, queries, step=progress.task("neighbours"))
            for block in _expand(groups, kept[q], kept[n], doc))
        clock("neighbours")
        return codes
    finally:
        if path is not None:
            path.unlink(missing_ok=True)


def verify_codes(table: SentenceTable, codes: np.ndarray, mapper: Callable = local_map,
                 kind: str = "near", step: Callable[[int, int], None] | None = None
                 ) -> list[SentenceMatch]:
    """``align.verify`` over sorted codes, ``VERIFY_BLOCK`` pairs at a time (same order);
    ``step(done, total)`` after each block."""
    out: list[SentenceMatch] = []
    offices = office_numbers(table)
    for k in range(0, len(codes), VERIFY_BLOCK):
        i, j = decode(codes[k:k + VERIFY_BLOCK])
        out += verify_sorted(table, i, j, mapper=mapper, kind=kind, offices=offices)
        if step is not None:
            step(min(len(codes), k + VERIFY_BLOCK), len(codes))
    return out


def detect_stream(inputs: Iterable | ShardSet, workdir: str | Path | None = None,
                  mapper: Callable = local_map, manifest=None, template_share: float = 0.3,
                  threshold: float = 0.5, semantic: bool = True, progress: bool = False,
                  workers: int = 1):
    """``detect`` over files (or Reports, or shards already written) through shards in
    ``workdir`` (None: a temporary folder, removed afterwards); returns a ``ReuseResult`` with
    ``skipped`` (the inputs not read) and ``timings`` set on it. ``progress``: a rich display
    of the current step on stderr (shards k/N, bands b/B, verification blocks, embedding).
    ``workers`` > 1 without a ``mapper``: that many processes of this machine
    (``distributed.pool_mapper``)."""
    if workers > 1 and mapper is local_map:
        from nlp.reuse.distributed import pool_mapper

        with pool_mapper(workers) as pool:
            return detect_stream(inputs, workdir, pool, manifest, template_share, threshold,
                                 semantic, progress)
    if workdir is None and not isinstance(inputs, ShardSet):
        import tempfile

        with tempfile.TemporaryDirectory(prefix="govnlp-shards-") as tmp:
            return detect_stream(inputs, tmp, mapper, manifest, template_share, threshold,
                                 semantic, progress)
    with Progress(progress) as bars:
        return _detect_stream(inputs, workdir, mapper, manifest, template_share, threshold,
                              semantic, bars)


def _detect_stream(inputs, workdir, mapper, manifest, template_share, threshold, semantic,
                   bars: Progress):
    return_large_blocks()
    clock = _Clock()
    shards = inputs if isinstance(inputs, ShardSet) else write_shards(
        inputs, workdir, mapper, manifest, step=bars.task("shards (read, segment, sign)"))
    clock("shards")
    table, keys, chains = load_table(shards)
    clock("table")
    codes = candidate_codes(table, threshold, mapper, step=bars.task("LSH bands"))
    clock("candidates")
    matches = verify_codes(table, codes, mapper, step=bars.task("verify blocks (pairs)"))
    clock("verify")
    if semantic:
        unmatched = np.ones(len(table), dtype=bool)
        unmatched[[m.i for m in matches]] = False
        unmatched[[m.j for m in matches]] = False
        neighbours = semantic_codes(table, unmatched, mapper, bars, shards.workdir, clock.part)
        fresh = neighbours[~np.isin(neighbours, codes)]
        matches += verify_codes(table, fresh, mapper, kind="semantic",
                                step=bars.task("verify neighbours (pairs)"))
        clock.part("verify_neighbours")
        clock("semantic")
    candidates = len(codes)
    del codes
    table.release_search_columns()
    result = finish_detection(table, matches, keys, chains, template_share)
    clock("families")
    result.skipped, result.timings = shards.skipped, clock.laps
    result.timings["candidate_pairs"] = candidates
    return result


#: glibc's M_MMAP_THRESHOLD (mallopt), and the size from which blocks are mapped on their own.
_M_MMAP_THRESHOLD, LARGE_BLOCK = -3, 1 << 20


def return_large_blocks() -> None:
    """Have glibc map every block of ``LARGE_BLOCK`` or more on its own, returned to the system
    when freed. By default the threshold rises to the largest block freed so far (up to 32 MB),
    and the candidate step's blocks below it stayed in the heap, counted in RSS: 32,000
    generated reports kept 1,133 MiB after the LSH bands, 924 MiB with this (table 850 MiB).
    Elsewhere (macOS, musl) nothing is done."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK)
    except (OSError, AttributeError):
        pass


class _Clock:
    """Seconds spent in each step and the peak RSS so far (``ReuseResult.timings``: the
    benchmark's breakdown)."""

    def __init__(self) -> None:
        import time

        self._now = time.perf_counter
        self._last = self._part = self._now()
        self.laps: dict[str, float] = {}

    def part(self, name: str) -> None:
        """Seconds of a part of the current step (``part.embedding``…), not a step of its own."""
        now = self._now()
        self.laps[f"part.{name}"] = round(now - self._part, 2)
        self._part = now

    def __call__(self, step: str) -> None:
        import resource

        now = self._now()
        self.laps[step] = round(now - self._last, 2)
        self.laps[f"{step}_peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        self._last = self._part = now
        logging.getLogger(__name__).info("%s %.1f s, peak %d MiB", step, self.laps[step],
                                         self.laps[f"{step}_peak_mib"])


def read_shards(workdir: str | Path) -> ShardSet:
    """The shards a previous ``write_shards`` left in ``workdir`` (detect again, read nothing)."""
    workdir = Path(workdir)
    meta = json.loads((workdir / "shards.json").read_text())
    return ShardSet(workdir, meta["names"], meta["counts"])
