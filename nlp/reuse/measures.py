"""Reuse measures: what share of each report's narrative is template, another office's text or
its own earlier report.

One rule (:func:`flag_bits`) says what each sentence counts for; :func:`flagged_chars` sums
characters per report and section; :func:`report_measures` is the ``shares`` frame of
``govnlp reuse`` and ``nlp.panel.reuse_shares`` reads the same sums. Flags are one byte per
sentence and the sums are array work: at 100,000 generated reports (≈ 10 million sentences) a
set per sentence and a Counter per report and section took the parent up by gigabytes.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Sequence

import numpy as np
import pandas as pd

from nlp.dataset.schema import conform

if TYPE_CHECKING:  # pragma: no cover
    from nlp.reuse.detect import ReuseResult

#: Shares are rounded to this many digits (a 10,000-character report moves by 1 character).
SHARE_DIGITS = 4
#: Sources listed in ``top_sources``.
TOP_SOURCES = 3
#: The share columns of ``shares``, each the share of narrative characters with that flag;
#: flag ``SHARES[k]`` is bit ``k`` of :func:`flag_bits`.
SHARES = ("template", "regional_model", "cross_office", "boilerplate", "self_copy")
_BIT = {flag: np.uint8(1 << k) for k, flag in enumerate(SHARES)}


def flag_bits(result: "ReuseResult") -> np.ndarray:
    """What each sentence counts for in the shares, one byte per sentence (bit ``k``: flag
    ``SHARES[k]``): ``template``, ``regional_model`` (a county's or city's model text in a
    report other than the model's source), ``boilerplate``, ``cross_office`` (copied from
    another office that wrote first) and ``self_copy``.

    Read per sentence pair, each with its own family's layer: a year's report copied whole from
    the last is one passage that may open on a stock sentence of the national template.
    ``self_copy`` is directed: the sentence of the LATER report of a same-office pair.
    """
    from nlp.reuse.boilerplate import BOILERPLATE_LAYERS

    t = result.table
    bits = np.zeros(len(t), np.uint8)
    for p in result.passages:
        da, db = t.docs[p.a], t.docs[p.b]
        later = None
        if da.year is not None and db.year is not None and da.year != db.year:
            later = p.a if da.year > db.year else p.b
        copy = result.oriented(p)[1]
        for m in p.pairs:
            layer = result.match_layer(p, m)
            source = result.families[result.family_of[m.i]].source
            for i in (m.i, m.j):
                if layer == "template":
                    bits[i] |= _BIT["template"]
                if layer == "regional_model" and t.doc[i] != source:
                    bits[i] |= _BIT["regional_model"]
                if layer in BOILERPLATE_LAYERS:
                    bits[i] |= _BIT["boilerplate"]
                if layer == "cross_office" and t.doc[i] == copy:
                    bits[i] |= _BIT["cross_office"]
                if layer == "self_copy" and t.doc[i] == later:
                    bits[i] |= _BIT["self_copy"]
    return bits


def sentence_flags(result: "ReuseResult") -> dict[int, set[str]]:
    """:func:`flag_bits` as sets of flag names, for the sentences with any flag."""
    bits = flag_bits(result)
    return {int(i): {f for f, b in _BIT.items() if bits[i] & b} for i in np.flatnonzero(bits)}


def flagged_chars(result: "ReuseResult", bits: np.ndarray | None = None,
                  sections: bool = True) -> pd.DataFrame:
    """Narrative characters of each report (section ``all``) and, with ``sections``, of each of
    its sections: one row per ``(doc, section)`` in that order, columns ``doc``, ``section``,
    ``narrative`` and one per flag of :func:`flag_bits` (``bits``, else computed), the characters
    of the sentences that carry it: the one rule behind every share column. A report without
    narrative sentences has no row."""
    t = result.table
    bits = flag_bits(result) if bits is None else bits
    doc = np.asarray(t.doc, np.int64)
    length = np.asarray(t.end, np.int64) - np.asarray(t.start, np.int64)
    groups = [(doc, None)]
    if sections:
        names = sorted(set(t.section))
        code = {s: k for k, s in enumerate(names)}
        section = np.fromiter((code[s] for s in t.section), np.int64, len(t))
        groups.append((doc * len(names) + section, names))
    frames = []
    for key, names in groups:
        keys, inverse = np.unique(key, return_inverse=True)
        sums = {"narrative": np.bincount(inverse, length, len(keys))}
        for flag, b in _BIT.items():
            sums[flag] = np.bincount(inverse, np.where(bits & b, length, 0), len(keys))
        frames.append(pd.DataFrame({
            "doc": keys if names is None else keys // len(names),
            "section": "all" if names is None else [names[k] for k in keys % len(names)],
            **{c: v.astype(np.int64) for c, v in sums.items()}}))
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["doc", "section"], kind="stable", ignore_index=True)


def flag_shares(chars: pd.DataFrame, flags: Sequence[str] = SHARES) -> pd.DataFrame:
    """``FLAG_share`` of each row of :func:`flagged_chars` (same index): the flag's characters
    over the narrative's (over 1 where there is none), rounded to ``SHARE_DIGITS`` by Python's
    ``round``: the shares file and ``nlp.panel`` both read them from here."""
    total = chars["narrative"].where(chars["narrative"] > 0, 1)
    return pd.DataFrame({f"{f}_share": [round(x, SHARE_DIGITS) for x in (chars[f] / total).tolist()]
                         for f in flags}, index=chars.index)


def report_measures(result: "ReuseResult") -> pd.DataFrame:
    """Shares of each report's narrative characters, per section and overall (``all``).

    The base is the report's narrative as detection reads it: its sentences of ``MIN_CHARS`` or
    more once masked. A sentence counts whole for every flag of :func:`flag_bits`.
    ``top_sources``: office ids of the reports this one copied cross-office passages from, most
    characters first, at most ``TOP_SOURCES`` (on the ``all`` row; ``[]`` on section rows).
    """
    t = result.table
    sources: dict[int, Counter] = defaultdict(Counter)
    for p in result.passages:
        if result.passage_layer(p) == "cross_office":
            src, copy, _, span = result.oriented(p)
            sources[copy][result.doc_key(src)["office_id"] or t.docs[src].path] += span[1] - span[0]
    chars = flagged_chars(result)
    if not len(chars):
        return conform(pd.DataFrame([]), "shares")
    docs = chars["doc"].to_numpy()
    unique = np.unique(docs)
    keys = pd.DataFrame([result.doc_key(int(d)) for d in unique])
    out = keys.take(np.searchsorted(unique, docs)).reset_index(drop=True)
    out["section"] = chars["section"]
    out["narrative_chars"] = chars["narrative"]
    for column, values in flag_shares(chars).items():
        out[column] = values.to_numpy()
    out["top_sources"] = [[o for o, _ in sources[d].most_common(TOP_SOURCES)] if s == "all" else []
                          for d, s in zip(docs.tolist(), chars["section"])]
    return conform(out, "shares")
