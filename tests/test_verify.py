"""Verification's shortcuts change no verdict, and what goes to workers leaves the table as it was."""
import pickle
import sys
from collections import Counter

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from nlp.reuse import banding
from nlp.reuse.align import (PARTIAL, PARTIAL_MIN_CHARS, RATIO, SELF_COVER, SELF_RATIO,
                             SHORT_CHARS, SHORT_RATIO, match_similarity, may_match, verify)
from nlp.reuse.candidates import build_table, candidate_pairs, decoded, encoded


def rule(mi: str, mj: str, same_office: bool) -> tuple[float | None, str]:
    """``match_similarity`` as its docstring states it, every measure computed in full; and
    which test decided."""
    if mi == mj:
        return 1.0, "same"
    short, longest = min(len(mi), len(mj)), max(len(mi), len(mj))
    bar = SHORT_RATIO if short < SHORT_CHARS else (SELF_RATIO if same_office else RATIO)
    sim = fuzz.ratio(mi, mj)
    if sim >= bar:
        return round(sim / 100, 4), "ratio"
    if short >= PARTIAL_MIN_CHARS and longest >= 1.2 * short:
        p = fuzz.partial_ratio(mi, mj)
        if p >= PARTIAL:
            return round(p / 100 * (short / longest) ** 0.5, 4), "clause"
    if same_office and short >= SHORT_CHARS:
        cover = LCSseq.similarity(mi, mj) / short
        if cover >= SELF_COVER:
            return round(cover * (short / longest) ** 0.5, 4), "cover"
    return None, "none"


def test_shortcuts_give_the_rule_on_every_sentence_pair_of_real_reports(real_corpus):
    """Every cross-report pair of sentences of the 20 real reports (平潭's ten years are one
    office): partial_ratio is skipped where the common subsequence rules it out, the cover
    comes from the ratio; the verdicts are the rule's, clause matches and covers among them."""
    _, reports = real_corpus
    table = build_table(reports)
    decided = Counter()
    left, right, flags, wants = [], [], [], []
    for i in range(len(table)):
        for j in range(i + 1, len(table)):
            da, db = table.docs[table.doc[i]], table.docs[table.doc[j]]
            if da is db:
                continue
            same = da.office_short == db.office_short
            want, by = rule(table.masked[i], table.masked[j], same)
            assert match_similarity(table.masked[i], table.masked[j], same) == want, (i, j)
            decided[by] += 1
            left.append(table.masked[i]), right.append(table.masked[j])
            flags.append(same), wants.append(want is not None)
    assert decided["clause"] > 10 and decided["cover"] > 10 and decided["none"] > 100_000, decided
    # the workers' array screen passes every pair the rule accepts and stops nearly all others
    screened = may_match(left, right, np.array(flags))
    wants = np.array(wants)
    assert screened[wants].all() and wants.sum() > 300
    assert screened[~wants].mean() < 0.05, screened[~wants].mean()


def _pickling_map(func, chunks):
    """A mapper that pickles what it sends and gets back, as a process pool does."""
    return [pickle.loads(pickle.dumps(func(pickle.loads(pickle.dumps(c))))) for c in chunks]


def test_verify_through_pickles_leaves_the_masked_texts_unchanged(real_corpus):
    """A str pickled keeps its UTF-8 copy (``sys.getsizeof`` grows): texts go as bytes; and
    chunks packed as the workers get them give what a pair-by-pair verdict gives."""
    _, reports = real_corpus
    table = build_table(reports)
    pairs = candidate_pairs(table)
    sizes = [sys.getsizeof(t) for t in table.masked]
    here = verify(table, pairs)
    assert verify(table, pairs, mapper=_pickling_map) == here and len(here) > 100
    assert [sys.getsizeof(t) for t in table.masked] == sizes
    assert {m.kind for m in here} == {"exact", "near"}
    offices = {d.office_short: k for k, d in enumerate(table.docs)}
    one_by_one = [(i, j) for i, j in sorted(pairs)
                  if match_similarity(table.masked[i], table.masked[j],
                                      offices[table.docs[table.doc[i]].office_short]
                                      == offices[table.docs[table.doc[j]].office_short]
                                      and bool(table.docs[table.doc[i]].office_short))
                  is not None]
    assert [(m.i, m.j) for m in here] == one_by_one


def test_packed_texts_come_back_whole():
    texts = ["", "按时公开。", "𠀀 surrogate-free wide char", "", "末尾"]
    assert decoded(encoded(texts)) == texts and decoded(encoded([])) == []


def test_unique_codes_equal_numpy_unique(monkeypatch):
    """Blocks deduplicated as they come, merged by sorting in place: np.unique's answer."""
    monkeypatch.setattr(banding, "PAIR_BLOCK", 50)
    rng = np.random.default_rng(0)
    blocks = [rng.integers(0, 400, rng.integers(0, 40)).astype(np.uint64) for _ in range(60)]
    got = banding.unique_codes(iter(blocks))
    assert np.array_equal(got, np.unique(np.concatenate(blocks))) and got.dtype == np.uint64
    assert len(banding.unique_codes(iter([]))) == 0
