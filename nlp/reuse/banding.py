"""Exact-hash and LSH candidates on arrays, bucket by bucket (no MinHash objects, no LSH index).

The same pairs as ``candidates.exact_pairs`` and ``candidates.lsh_pairs``: sentences with one
masked-text hash form a group (its representative the member first in ``stable_key`` order);
representatives whose MinHash values agree on a whole band (the band layout datasketch's
``MinHashLSH`` chooses for the threshold) share a bucket; buckets larger than ``STAR`` are
linked as a star from their first member. Buckets are found by sorting: one band's ``r``
columns at a time, read from the shards' memory-mapped ``minhash`` files, so memory holds one
band of the distinct sentences (``r`` × 4 bytes each), never a signature object per sentence.

Pairs come out as ``uint64`` codes ``i << 32 | j`` (i < j), sorted and unique.
"""
from __future__ import annotations

from typing import Callable, Iterator, Sequence

import numpy as np

from nlp.reuse.candidates import NUM_PERM, STAR

#: Pairs are gathered in blocks of this many codes before they are deduplicated (64 MB).
PAIR_BLOCK = 8_000_000


def encode(i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """(i, j) with i < j as one ``uint64`` code each."""
    lo, hi = np.minimum(i, j).astype(np.uint64), np.maximum(i, j).astype(np.uint64)
    return (lo << np.uint64(32)) | hi


def decode(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    low = np.uint64(0xFFFFFFFF)
    return (codes >> np.uint64(32)).astype(np.int64), (codes & low).astype(np.int64)


def band_layout(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows) as datasketch's ``MinHashLSH(threshold, num_perm)`` picks them."""
    from datasketch.lsh import _optimal_param

    return _optimal_param(threshold, num_perm, 0.5, 0.5)


def _boundaries(sorted_keys: np.ndarray) -> np.ndarray:
    """Start of each run of equal rows in ``sorted_keys`` (1-D or 2-D), plus the end."""
    if len(sorted_keys) == 0:
        return np.array([0])
    diff = sorted_keys[1:] != sorted_keys[:-1]
    if diff.ndim == 2:
        diff = diff.any(axis=1)
    return np.concatenate([[0], np.nonzero(diff)[0] + 1, [len(sorted_keys)]])


class Groups:
    """Sentences with one masked text: ``order`` lists sentence ids group by group, each group
    in stable order, so a group's first member is its representative."""

    def __init__(self, hashes: np.ndarray, skey: np.ndarray) -> None:
        self.order = np.lexsort((skey, hashes))
        self.bounds = _boundaries(hashes[self.order])
        self.reps = self.order[self.bounds[:-1]]
        self.sizes = np.diff(self.bounds)

    def members(self, g: int) -> np.ndarray:
        return self.order[self.bounds[g]:self.bounds[g + 1]]


def _runs_by_size(order: np.ndarray, bounds: np.ndarray, lo: int, hi: int
                  ) -> Iterator[np.ndarray]:
    """The runs of ``order`` (between ``bounds``) of each size ``lo``..``hi`` as one matrix per
    size, a run a row: the per-run loop becomes a loop over at most ``hi`` sizes."""
    sizes = np.diff(bounds)
    for size in range(lo, hi + 1):
        first = bounds[:-1][sizes == size]
        if len(first):
            yield order[first[:, None] + np.arange(size)]


def _pairs_in_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (earlier, later) pair of columns within each row."""
    a, b = np.triu_indices(rows.shape[1], 1)
    return rows[:, a].ravel(), rows[:, b].ravel()


def _keep_cross(i: np.ndarray, j: np.ndarray, doc: np.ndarray) -> np.ndarray:
    keep = doc[i] != doc[j]
    return encode(i[keep], j[keep])


def _row_blocks(rows: np.ndarray) -> Iterator[np.ndarray]:
    """``rows`` (runs of one size) in blocks of about ``EXPAND_BLOCK`` pairs within rows: all
    the runs of one size at once made 78M pairs (2.5 GB) at 100,000 generated reports."""
    per = max(1, EXPAND_BLOCK // max(1, rows.shape[1] * (rows.shape[1] - 1) // 2))
    for k in range(0, len(rows), per):
        yield rows[k:k + per]


def exact_codes(groups: Groups, doc: np.ndarray) -> Iterator[np.ndarray]:
    """``candidates.exact_pairs`` on arrays: each group linked whole, or as a star above STAR."""
    for rows in _runs_by_size(groups.order, groups.bounds, 2, STAR):
        for block in _row_blocks(rows):
            yield _keep_cross(*_pairs_in_rows(block), doc)
    for g in np.nonzero(groups.sizes > STAR)[0]:
        ids = groups.members(g)
        yield _keep_cross(np.full(len(ids) - 1, ids[0]), ids[1:], doc)


#: Member pairs made at once when group pairs are expanded: each costs ~50 bytes in flight
#: (indices, offsets, codes), so a block stays near 100 MB whatever the groups' sizes (at
#: 100,000 generated reports unbounded expansion of stock sentences peaked at 5 GB).
EXPAND_BLOCK = 2_000_000


def _expand(groups: Groups, gu: np.ndarray, gv: np.ndarray, doc: np.ndarray
            ) -> Iterator[np.ndarray]:
    """``candidates._expand`` on arrays: pairs of groups (``gu`` the earlier representative)
    to every cross-document pair of their members; only ``gu``'s first member when the two
    groups are both large (two stock phrases: a star keeps it linear). Codes come in blocks of
    about ``EXPAND_BLOCK`` member pairs."""
    a, b = groups.sizes[gu], groups.sizes[gv]
    a = np.where(a * b > STAR * STAR, 1, a)
    count = a * b
    ends = np.cumsum(count)
    cuts = np.searchsorted(ends, np.arange(EXPAND_BLOCK, int(ends[-1]) if len(ends) else 0,
                                           EXPAND_BLOCK), side="right")
    for lo, hi in zip([0, *cuts.tolist()], [*cuts.tolist(), len(gu)]):
        if hi > lo:
            yield _expand_block(groups, gu[lo:hi], gv[lo:hi], b[lo:hi], count[lo:hi], doc)


def _expand_block(groups: Groups, gu: np.ndarray, gv: np.ndarray, b: np.ndarray,
                  count: np.ndarray, doc: np.ndarray) -> np.ndarray:
    total = int(count.sum())
    if total == 0:
        return np.zeros(0, dtype=np.uint64)
    pair = np.repeat(np.arange(len(gu)), count)
    offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    i = groups.order[groups.bounds[gu][pair] + offset // b[pair]]
    j = groups.order[groups.bounds[gv][pair] + offset % b[pair]]
    return _keep_cross(i, j, doc)


def band_codes(band: np.ndarray, rep_groups: np.ndarray, rep_skey: np.ndarray, groups: Groups,
               doc: np.ndarray) -> Iterator[np.ndarray]:
    """Candidate codes of one band: ``band`` holds the band's MinHash rows of the representatives
    (``rep_groups`` their group numbers, ``rep_skey`` their stable keys)."""
    order = np.lexsort((rep_skey, *band.T[::-1]))
    bounds = _boundaries(band[order])
    ranked = rep_groups[order]  # group numbers, bucket by bucket, each bucket in stable order
    for rows in _runs_by_size(ranked, bounds, 2, STAR):
        for block in _row_blocks(rows):
            yield from _expand(groups, *_pairs_in_rows(block), doc)
    sizes = np.diff(bounds)
    for b in np.nonzero(sizes > STAR)[0]:
        bucket = ranked[bounds[b]:bounds[b + 1]]
        yield from _expand(groups, np.full(len(bucket) - 1, bucket[0]), bucket[1:], doc)


def unique_codes(blocks: Iterator[np.ndarray]) -> np.ndarray:
    """Sorted unique codes of all blocks, deduplicated as they come (memory ~ unique pairs)."""
    done: list[np.ndarray] = []
    pending: list[np.ndarray] = []
    size = 0
    for block in blocks:
        if len(block):
            pending.append(block)
            size += len(block)
        if size >= PAIR_BLOCK:
            done.append(_sorted_unique(pending))
            size = 0
            if len(done) > 4:
                done = [_sorted_unique(done)]
    done.append(_sorted_unique(pending))
    return _sorted_unique(done)


def _sorted_unique(parts: list[np.ndarray]) -> np.ndarray:
    """``np.unique`` of the arrays in ``parts``, emptying the list first: one sort in place of
    one concatenated copy (``np.unique`` sorts a second copy beside it, and the parts stayed
    alive beside both: four times the codes at once)."""
    codes = np.concatenate(parts) if parts else np.zeros(0, np.uint64)
    parts.clear()
    codes.sort()
    if len(codes) < 2:
        return codes
    keep = np.empty(len(codes), dtype=bool)
    keep[0] = True
    np.not_equal(codes[1:], codes[:-1], out=keep[1:])
    return codes[keep]


def lsh_codes(minhash_files: Sequence, threshold: float, groups: Groups, skey: np.ndarray,
              doc: np.ndarray, num_perm: int = NUM_PERM,
              step: Callable[[int, int], None] | None = None) -> Iterator[np.ndarray]:
    """``candidates.lsh_pairs`` on arrays, one band at a time from the memory-mapped shards
    (``step(band, bands)`` after each: a progress display).

    ``minhash_files`` hold the signature rows of all sentences, shard after shard in table
    order; only the representatives' rows of one band are read into memory at a time.
    """
    bands, rows = band_layout(threshold, num_perm)
    reps = groups.reps
    rep_order = np.argsort(reps)  # reps sorted by sentence id, to read shard by shard
    reps_sorted = reps[rep_order]
    rep_groups = rep_order  # group number of each rep in ``reps_sorted`` order
    rep_skey = skey[reps_sorted]
    # each shard's file is mapped for one band's read, then unmapped: pages of a file mapped for
    # the whole step count in the process's RSS (0.9 GB of MinHash values at 100,000 reports)
    sizes = [len(np.load(f, mmap_mode="r")) for f in minhash_files]
    starts = np.cumsum([0, *sizes])
    for band in range(bands):
        cols = slice(band * rows, (band + 1) * rows)
        parts = []
        for k, f in enumerate(minhash_files):
            lo, hi = np.searchsorted(reps_sorted, [starts[k], starts[k + 1]])
            m = np.load(f, mmap_mode="r")
            parts.append(np.array(m[reps_sorted[lo:hi] - starts[k], cols]))
            del m
        values = np.vstack(parts) if parts else np.zeros((0, rows), np.uint32)
        yield from band_codes(values, rep_groups, rep_skey, groups, doc)
        if step is not None:
            step(band + 1, bands)
