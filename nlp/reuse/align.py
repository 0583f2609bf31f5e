"""Verify candidate sentence pairs with rapidfuzz and grow them into maximal aligned passages.

A candidate is a match when its masked texts are close (``fuzz.ratio``) or one holds most of the
other (``fuzz.partial_ratio`` on a long enough clause). Matches between the same two reports
that follow each other in both (sentence k ↔ m, k+1 ↔ m+1, …) merge into one passage with
offsets in both reports, like passim's aligned passages.
"""
from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from functools import partial as partial_fn
from typing import Callable

import numpy as np

from nlp.reuse.candidates import CHUNK, SentenceTable, decoded, encoded, local_map

RATIO = 80.0
PARTIAL = 90.0
PARTIAL_MIN_CHARS = 20
SELF_RATIO = 72.0  # the same office, another year
SHORT_CHARS = 16
SHORT_RATIO = 90.0
#: The same office: a sentence whose every clause it kept in order (the longest common
#: subsequence covers this share of the shorter one) though it added or cut words.
SELF_COVER = 0.8


@dataclass(frozen=True)
class SentenceMatch:
    i: int
    j: int
    similarity: float  # 0..1 on the masked texts
    kind: str  # "exact" (same raw text), "near" (same once masked, or a few edits), "semantic"
    # (a disguised copy: only its embedding found it, rapidfuzz confirmed it)


@dataclass
class Passage:
    """A maximal run of matched sentences between report ``a`` and report ``b``."""

    a: int  # doc ids
    b: int
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    pairs: list[SentenceMatch]
    similarity: float
    kind: str


def match_similarity(mi: str, mj: str, same_office: bool = False, ratio: float = RATIO,
                     partial: float = PARTIAL) -> float | None:
    """Similarity (0..1) of two masked sentences that are copies, None when they are not.

    An office reusing its own earlier report edits more freely, so the bar is lower there and
    a sentence it kept in order while inserting or cutting clauses counts too (``SELF_COVER``;
    the gold's definition of an edited copy, ``tests/data/REUSE_GOLD.md``); two short
    sentences (a heading) must be nearly equal to count.
    """
    if mi == mj:
        return 1.0
    short, longest = min(len(mi), len(mj)), max(len(mi), len(mj))
    bar = SHORT_RATIO if short < SHORT_CHARS else (SELF_RATIO if same_office else ratio)
    sim = fuzz.ratio(mi, mj)
    if sim >= bar:
        return round(sim / 100, 4)
    # ratio is 2·LCS / (len + len): the longest common subsequence, without computing it again
    common = round(sim * (len(mi) + len(mj)) / 200)
    if short >= PARTIAL_MIN_CHARS and longest >= 1.2 * short and \
            common >= short * partial / (200 - partial) - 0.5:
        # a clause inside a longer sentence; sentences of one length are judged by ratio alone.
        # partial_ratio (most of the verify step's time) only where it can reach ``partial``: a
        # window scoring p shares at least p / (200 − p) of the shorter text with it (1,269 of
        # 65,120 such pairs among 200,000 candidates at 32,000 reports pass, none lost)
        p = fuzz.partial_ratio(mi, mj, score_cutoff=partial)
        if p >= partial:
            return round(p / 100 * (short / longest) ** 0.5, 4)  # a copied clause
    if same_office and short >= SHORT_CHARS:
        cover = common / short
        if cover >= SELF_COVER:
            return round(cover * (short / longest) ** 0.5, 4)
    return None


def verify(table: SentenceTable, pairs, ratio: float = RATIO, partial: float = PARTIAL,
           mapper: Callable = local_map, kind: str = "near") -> list[SentenceMatch]:
    """The candidate pairs that really are copies, with a similarity and a kind.

    ``kind`` names a match that is not an exact copy: ``near`` for lexical candidates,
    ``semantic`` for those only the embedding neighbours proposed (``semantic.py``).
    """
    ij = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    return verify_sorted(table, ij[:, 0], ij[:, 1], ratio, partial, mapper, kind)


def office_numbers(table: SentenceTable) -> np.ndarray:
    """One number per document for its office (``office_short``), -1 where it has none."""
    names: dict[str, int] = {}
    return np.array([names.setdefault(d.office_short, len(names)) if d.office_short else -1
                     for d in table.docs], dtype=np.int64)


def verify_sorted(table: SentenceTable, i: np.ndarray, j: np.ndarray, ratio: float = RATIO,
                  partial: float = PARTIAL, mapper: Callable = local_map, kind: str = "near",
                  offices: np.ndarray | None = None) -> list[SentenceMatch]:
    """``verify`` of the pairs ``(i[k], j[k])``, sorted. The same-office flags come from arrays,
    each chunk carries its distinct texts once (a sentence meets many candidates in a row), and
    the raw texts are compared only for the matches."""
    masked = table.masked
    doc = np.asarray(table.doc)
    offices = office_numbers(table) if offices is None else offices
    oi = offices[doc[i]]
    flags = (oi == offices[doc[j]]) & (oi >= 0)

    def work():  # a generator: a pool's workers start on the first chunk while this packs more
        for s in range(0, len(i), CHUNK):
            rows, inverse = np.unique(np.concatenate([i[s:s + CHUNK], j[s:s + CHUNK]]),
                                      return_inverse=True)
            half = len(inverse) // 2
            yield (encoded([masked[r] for r in rows.tolist()]), inverse[:half].astype(np.int32),
                   inverse[half:].astype(np.int32), flags[s:s + CHUNK])

    check = partial_fn(_verify_chunk, ratio=ratio, partial=partial)
    raw = table.raw
    out = []
    for s, (at, sims) in zip(range(0, len(i), CHUNK), mapper(check, work())):
        for a, b, sim in zip(i[s + at].tolist(), j[s + at].tolist(), sims):
            out.append(SentenceMatch(a, b, sim, "exact" if raw(a) == raw(b) else kind))
    return out  # in pair order, as before


def _verify_chunk(work: tuple[tuple, np.ndarray, np.ndarray, np.ndarray], ratio: float,
                  partial: float) -> tuple[np.ndarray, list[float]]:
    """Positions in the chunk and similarities of its matches; ``work`` is (distinct texts as
    ``candidates.encoded``; each pair's two text numbers; its same-office flags)."""
    texts, a, b, same_office = work
    texts = decoded(texts)
    left, right = [texts[k] for k in a.tolist()], [texts[k] for k in b.tolist()]
    at, sims = [], []
    for k in np.nonzero(may_match(left, right, same_office, ratio, partial))[0].tolist():
        sim = match_similarity(left[k], right[k], bool(same_office[k]), ratio, partial)
        if sim is not None:
            at.append(k)
            sims.append(sim)
    return np.asarray(at, dtype=np.int64), sims


def may_match(left: list[str], right: list[str], same_office: np.ndarray, ratio: float = RATIO,
              partial: float = PARTIAL) -> np.ndarray:
    """The pairs ``match_similarity`` can accept, its tests on whole arrays: ``fuzz.ratio`` of
    every pair at once in rapidfuzz's C++ (``process.cpdist``), the rest in numpy. Nine in ten
    candidates fail here, so Python calls ``match_similarity`` only for the others (5.3M
    candidates at 32,000 generated reports, 0.41M matches: verification 21.5 → 14.5 s; with
    the texts packed once a chunk and the chunks made as the workers take them, 10.1 s)."""
    sim = process.cpdist(left, right, scorer=fuzz.ratio, dtype=np.float64, workers=1)
    la = np.fromiter(map(len, left), np.int64, len(left))
    lb = np.fromiter(map(len, right), np.int64, len(right))
    short, longest = np.minimum(la, lb), np.maximum(la, lb)
    bar = np.where(short < SHORT_CHARS, SHORT_RATIO, np.where(same_office, SELF_RATIO, ratio))
    common = np.round(sim * (la + lb) / 200)
    clause = (short >= PARTIAL_MIN_CHARS) & (longest >= 1.2 * short) & \
        (common >= short * partial / (200 - partial) - 0.5)
    cover = same_office & (short >= SHORT_CHARS) & (common >= SELF_COVER * short - 0.5)
    return (sim >= bar) | clause | cover


def passages(table: SentenceTable, matches: list[SentenceMatch]) -> list[Passage]:
    """Merge matches of consecutive sentences between two reports into passages.

    The two reports of a pair are taken in content order (``SentenceTable.doc_key``), not in
    the order they were read, so one corpus read in any order gives the same passages.
    """
    position = array("i", bytes(4 * len(table)))  # each sentence's index within its report
    seen: dict[int, int] = defaultdict(int)
    for i, d in enumerate(table.doc):
        position[i] = seen[d]
        seen[d] += 1
    by_pair: dict[tuple[int, int], list[SentenceMatch]] = defaultdict(list)
    for m in matches:
        i, j = m.i, m.j
        if table.doc_key(table.doc[i]) > table.doc_key(table.doc[j]):
            i, j = j, i
            m = SentenceMatch(i, j, m.similarity, m.kind)
        by_pair[(table.doc[i], table.doc[j])].append(m)
    out: list[Passage] = []
    for (da, db), ms in by_pair.items():
        ms.sort(key=lambda m: (position[m.i], position[m.j]))
        run: list[SentenceMatch] = []
        for m in ms:
            if run and position[m.i] == position[run[-1].i] + 1 and position[m.j] == position[run[-1].j] + 1:
                run.append(m)
                continue
            if run:
                out.append(_passage(table, da, db, run))
            run = [m]
        if run:
            out.append(_passage(table, da, db, run))
    return out


def _passage(table: SentenceTable, da: int, db: int, run: list[SentenceMatch]) -> Passage:
    a_start, a_end = table.start[run[0].i], table.end[run[-1].i]
    b_start, b_end = table.start[run[0].j], table.end[run[-1].j]
    weights = [table.end[m.i] - table.start[m.i] for m in run]
    sim = sum(w * m.similarity for w, m in zip(weights, run)) / sum(weights)
    kinds = {m.kind for m in run}
    kind = "semantic" if "semantic" in kinds else ("near" if "near" in kinds else "exact")
    return Passage(da, db, a_start, a_end, b_start, b_end, list(run), round(sim, 4), kind)
