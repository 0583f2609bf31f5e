"""Reuse detection end to end: sentences → candidates → aligned passages → families → measures.

``detect(corpus)`` returns a :class:`ReuseResult` whose frames (passages, families, reports,
leaks) are what researchers read, and whose ``write(outdir)`` writes the files of
``govnlp reuse``.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterable

import pandas as pd

from nlp.model import Report
from nlp.reuse.align import Passage, SentenceMatch, passages, verify
from nlp.reuse.candidates import SentenceTable, build_table, candidate_pairs, local_map
from nlp.reuse.families import Family, build_families, pair_layer, source_doc
from nlp.reuse.leaks import Leak, find_leaks
from nlp.reuse.semantic import semantic_pairs


@lru_cache(maxsize=1)
def stock_patterns() -> re.Pattern:
    """The shipped list of stock sentences of the national template, as one regex."""
    raw = resources.files("nlp.reuse").joinpath("data/stock_sentences.txt").read_text("utf-8")
    lines = [l.strip() for l in raw.splitlines() if l.strip() and not l.startswith("#")]
    return re.compile("|".join(f"(?:{l})" for l in lines))


@dataclass
class ReuseResult:
    table: SentenceTable
    matches: list[SentenceMatch]
    passages: list[Passage]
    families: list[Family]
    family_of: dict[int, int]
    leaks: list[Leak] = field(default_factory=list)

    # -- per passage -------------------------------------------------------------------------
    def passage_layer(self, p: Passage) -> str:
        return pair_layer(self.table, self.families[self.family_of[p.pairs[0].i]], p.a, p.b)

    def oriented(self, p: Passage) -> tuple[int, int, tuple[int, int], tuple[int, int]]:
        """(source doc, copy doc, source span, copy span): who wrote it first comes first."""
        docs = self.table.docs
        if source_doc([docs[p.a], docs[p.b]]).id == p.a:
            return p.a, p.b, (p.a_start, p.a_end), (p.b_start, p.b_end)
        return p.b, p.a, (p.b_start, p.b_end), (p.a_start, p.a_end)

    def passages_frame(self) -> pd.DataFrame:
        """One row per aligned passage of every layer, source side as ``a``."""
        rows = []
        for p in self.passages:
            a, b, sa, sb = self.oriented(p)
            da, db = self.table.docs[a], self.table.docs[b]
            rows.append({"a_path": da.path, "a_office": da.office, "a_year": da.year,
                         "a_start": sa[0], "a_end": sa[1], "b_path": db.path,
                         "b_office": db.office, "b_year": db.year, "b_start": sb[0],
                         "b_end": sb[1], "similarity": p.similarity, "kind": p.kind,
                         "layer": self.passage_layer(p),
                         "family": self.family_of[p.pairs[0].i],
                         "a_text": da.text[sa[0]:sa[1]], "b_text": db.text[sb[0]:sb[1]]})
        return pd.DataFrame(rows)

    def families_frame(self) -> pd.DataFrame:
        """One row per template family: canonical text, size, source, layer."""
        rows = []
        for f in self.families:
            src = self.table.docs[f.source]
            rows.append({"family": f.id, "layer": f.layer, "size": len(f.docs),
                         "sentences": len(f.sentences), "source_path": src.path,
                         "source_office": src.office, "source_year": src.year,
                         "links_in_region": f.links_in_region,
                         "canonical": self.table.raw(f.canonical)})
        return pd.DataFrame(rows)

    def family_members(self, f: Family) -> list[dict]:
        t = self.table
        return [{"path": t.docs[d].path, "office": t.docs[d].office, "year": t.docs[d].year,
                 "start": t.start[i], "end": t.end[i]} for d, i in f.members]

    def reports_frame(self) -> pd.DataFrame:
        """Per report: boilerplate / template / self-copy shares, per section and overall."""
        return report_measures(self)

    def leaks_frame(self) -> pd.DataFrame:
        t = self.table
        return pd.DataFrame([{"path": t.docs[l.doc].path, "office": t.docs[l.doc].office,
                              "level": t.docs[l.doc].level, "start": l.start, "end": l.end,
                              "text": l.text, "type": l.type, "family": l.family,
                              "source_path": t.docs[l.source_doc].path if l.source_doc is not None else None,
                              "source_office": t.docs[l.source_doc].office if l.source_doc is not None else None}
                             for l in self.leaks],
                            columns=["path", "office", "level", "start", "end", "text", "type",
                                     "family", "source_path", "source_office"])

    def write(self, outdir) -> list:
        from nlp.reuse.output import write_outputs

        return write_outputs(self, outdir)


def detect(reports: Iterable[Report], template_share: float = 0.3, threshold: float = 0.5,
           mapper: Callable = local_map, semantic: bool = True) -> ReuseResult:
    """Find copied passages across ``reports`` (a Corpus or any iterable of Reports).

    ``mapper(func, chunks)`` runs the heavy steps (signatures, embeddings, verification); the
    default runs them here, :func:`nlp.reuse.distributed.client_mapper` on a dask.distributed
    cluster. ``semantic`` adds embedding neighbours as candidates (paraphrases; ``semantic.py``).
    """
    reports = list(reports)
    table = build_table(reports, mapper)
    pairs = candidate_pairs(table, threshold, mapper)
    matches = verify(table, pairs, mapper=mapper)
    if semantic:
        matched = {m.i for m in matches} | {m.j for m in matches}
        neighbours = semantic_pairs(table, set(range(len(table))) - matched, mapper=mapper)
        matches += verify(table, neighbours - pairs, mapper=mapper, kind="semantic")
    stock = stock_patterns()
    stock_ids = {i for i in range(len(table)) if stock.search("".join(table.raw(i).split()))}
    families, family_of = build_families(table, matches, template_share, stock_ids)
    result = ReuseResult(table, matches, passages(table, matches), families, family_of)
    result.leaks = _leaks(result)
    return result


def _leaks(result: ReuseResult) -> list[Leak]:
    """Leaks in both sides of every cross-office passage, once per span.

    Both sides: the earlier report may itself have copied from an office outside the corpus
    (董家镇's "我街道"), so its slip is a leak too; ``source_doc`` is set only when the other
    side is the inferred source.
    """
    seen: set[tuple[int, int, int]] = set()
    out = []
    for p in result.passages:
        if result.passage_layer(p) != "cross_office":
            continue
        src, copy, src_span, copy_span = result.oriented(p)
        for doc_id, span, origin in ((copy, copy_span, src), (src, src_span, None)):
            doc = result.table.docs[doc_id]
            for start, end, text, kind in find_leaks(doc, *span):
                if (doc_id, start, end) not in seen:
                    seen.add((doc_id, start, end))
                    out.append(Leak(doc_id, start, end, text, kind,
                                    result.family_of[p.pairs[0].i], origin))
    return out


def report_measures(result: ReuseResult) -> pd.DataFrame:
    """Shares of each report's narrative characters by layer, per section and overall."""
    t = result.table
    layer_of: dict[int, set[str]] = defaultdict(set)
    sources: dict[int, Counter] = defaultdict(Counter)
    for p in result.passages:
        layer = result.passage_layer(p)
        src, copy, _, _ = result.oriented(p)
        for m in p.pairs:
            layer_of[m.i].add(layer)
            layer_of[m.j].add(layer)
        if layer == "cross_office":
            sources[copy][t.docs[src].office or t.docs[src].path] += len(p.pairs)
    chars: dict[tuple[int, str], Counter] = defaultdict(Counter)
    for i in range(len(t)):
        n = t.end[i] - t.start[i]
        for key in ((t.doc[i], t.section[i]), (t.doc[i], "all")):
            chars[key]["narrative"] += n
            for layer in layer_of.get(i, ()):
                chars[key][layer] += n
    rows = []
    for (d, section), c in sorted(chars.items()):
        doc = t.docs[d]
        total = c["narrative"] or 1
        rows.append({"path": doc.path, "office": doc.office, "level": doc.level,
                     "region": doc.region, "year": doc.year, "section": section,
                     "narrative_chars": c["narrative"],
                     "boilerplate_share": round(c["cross_office"] / total, 4),
                     "template_share": round(c["template"] / total, 4),
                     "self_copy_share": round(c["self_copy"] / total, 4),
                     "top_sources": "; ".join(f"{o} ({k})" for o, k in sources[d].most_common(3))
                     if section == "all" else ""})
    return pd.DataFrame(rows)
