"""Reuse detection end to end: sentences → candidates → aligned passages → families → measures.

``detect(corpus)`` returns a :class:`ReuseResult` whose frames (passages, families, reports,
leaks) are what researchers read, and whose ``write(outdir)`` writes the files of
``govnlp reuse``.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Sequence

import pandas as pd

from nlp.dataset.schema import conform, office_id, report_id
from nlp.frames import report_key
from nlp.model import Report
from nlp.reuse.align import Passage, SentenceMatch, passages, verify
from nlp.reuse.candidates import SentenceTable, build_table, candidate_pairs, local_map
from nlp.reuse.families import Family, area_chain, build_families, pair_layer, source_doc
from nlp.reuse.leaks import Leak, find_leaks
from nlp.reuse.national import is_national
from nlp.reuse.semantic import semantic_pairs

#: Passages a block of the passages file is written from: ≈ 60 MiB of rows with their texts
#: (the whole frame was ≈ 1 GB at 100,000 generated reports, 600,000 passages).
PASSAGE_BLOCK = 50_000

#: Layers of passages and families, from text nobody owns to the office's own.
LAYERS = ("template", "regional_model", "cross_office", "self_copy")


@dataclass
class ReuseResult:
    table: SentenceTable
    matches: list[SentenceMatch]
    passages: list[Passage]
    families: list[Family]
    family_of: dict[int, int]
    leaks: list[Leak] = field(default_factory=list)
    #: Each document's key columns (``nlp.frames.report_key``), in table order.
    keys: list[dict] = field(default_factory=list)

    # -- per passage -------------------------------------------------------------------------
    def passage_layer(self, p: Passage) -> str:
        """The layer most of the passage's text is in (characters of its sentence pairs, the
        first pair's layer on a tie): a year's report copied whole from the last is one passage
        that opens on the national template's stock sentences, and is a self-copy."""
        if len(p.pairs) == 1:
            return self.match_layer(p, p.pairs[0])
        weight: Counter = Counter()
        for m in p.pairs:
            weight[self.match_layer(p, m)] += self.table.end[m.i] - self.table.start[m.i]
        first = self.match_layer(p, p.pairs[0])
        return max(weight, key=lambda layer: (weight[layer], layer == first))

    def match_layer(self, p: Passage, m: SentenceMatch) -> str:
        """The layer of one sentence pair of passage ``p`` (its own family's)."""
        return pair_layer(self.table, self.families[self.family_of[m.i]], p.a, p.b)

    def learned_templates(self) -> list[Family]:
        """Families called template by their spread in this corpus, not by the national list."""
        return [f for f in self.families if f.learned]

    def oriented(self, p: Passage) -> tuple[int, int, tuple[int, int], tuple[int, int]]:
        """(source doc, copy doc, source span, copy span): who wrote it first comes first."""
        docs = self.table.docs
        if source_doc([docs[p.a], docs[p.b]]).id == p.a:
            return p.a, p.b, (p.a_start, p.a_end), (p.b_start, p.b_end)
        return p.b, p.a, (p.b_start, p.b_end), (p.a_start, p.a_end)

    # -- identity (nlp.dataset.schema) -------------------------------------------------------
    def doc_key(self, d: int) -> dict:
        """report_id, path, office, office_id, level, region, year of document ``d``: from its
        Report when detection had it (``keys``), else from what the table holds."""
        if d < len(self.keys):
            return self.keys[d]
        doc = self.table.docs[d]
        return {"report_id": report_id(self.table.text(d)), "path": doc.path, "office": doc.office,
                "office_id": office_id(doc.office, doc.level, None), "level": doc.level,
                "region": doc.region, "year": doc.year}

    def passages_frame(self, passages: Sequence[Passage] | None = None) -> pd.DataFrame:
        """One row per aligned passage of every layer (or of ``passages``), source side as
        ``a`` (schema ``passages``). Built column by column: a dict per row doubled its memory
        (~1 GB at 100,000 reports)."""
        cols: dict[str, list] = defaultdict(list)
        for p in self.passages if passages is None else passages:
            a, b, sa, sb = self.oriented(p)
            # the side's first sentence: pairs run a-side i, b-side j in detection's order
            first = {p.a: p.pairs[0].i, p.b: p.pairs[0].j}
            for side, d, (start, end) in (("a", a, sa), ("b", b, sb)):
                k = self.doc_key(d)
                for c in ("report_id", "path", "office", "office_id", "level", "year"):
                    cols[f"{side}_{c}"].append(k[c])
                cols[f"{side}_section"].append(self.table.section[first[d]])
                cols[f"{side}_start"].append(start)
                cols[f"{side}_end"].append(end)
                cols[f"{side}_text"].append(self.table.span(d, start, end))
            cols["similarity"].append(p.similarity)
            cols["kind"].append(p.kind)
            cols["layer"].append(self.passage_layer(p))
            cols["family"].append(self.family_of[p.pairs[0].i])
        return conform(pd.DataFrame(dict(cols)), "passages")

    def passage_blocks(self, size: int | None = None) -> Iterator[pd.DataFrame]:
        """``passages_frame`` ``size`` (``PASSAGE_BLOCK``) passages at a time, at least one
        frame, maybe empty: what the files are written from, so the whole frame is never made."""
        size = size or PASSAGE_BLOCK
        for k in range(0, max(len(self.passages), 1), size):
            yield self.passages_frame(self.passages[k:k + size])

    def families_frame(self) -> pd.DataFrame:
        """One row per template family: canonical text, size, spread, source, layer (and the
        county or city of a regional model), member reports."""
        rows = []
        for f in self.families:
            src = self.doc_key(f.source)
            rows.append({"family": f.id, "layer": f.layer, "size": len(f.docs),
                         "sentences": len(f.sentences), "offices": f.offices, "areas": f.areas,
                         "region": f.region, "learned": f.learned,
                         **{f"source_{c}": src[c] for c in ("report_id", "path", "office",
                                                            "office_id", "level", "year")},
                         "links_in_region": f.links_in_region,
                         "canonical": self.table.raw(f.canonical),
                         "members": [self.doc_key(d)["report_id"] for d in f.docs]})
        return conform(pd.DataFrame(rows), "families")

    def family_members(self, f: Family) -> list[dict]:
        t = self.table
        return [{"path": t.docs[d].path, "office": t.docs[d].office, "year": t.docs[d].year,
                 "start": t.start[i], "end": t.end[i]} for d, i in f.members]

    def reports_frame(self) -> pd.DataFrame:
        """Per report and section (and ``all``): template, regional-model, cross-office,
        boilerplate and self-copy shares and top sources (schema ``shares``)."""
        from nlp.reuse.measures import report_measures

        return report_measures(self)

    def leaks_frame(self) -> pd.DataFrame:
        """One row per leak, with the inferred source's identity (schema ``leaks``)."""
        rows = []
        for l in self.leaks:
            src = self.doc_key(l.source_doc) if l.source_doc is not None else {}
            rows.append({**self.doc_key(l.doc), "start": l.start, "end": l.end, "text": l.text,
                         "type": l.type, "family": l.family,
                         "source_report_id": src.get("report_id"),
                         "source_office": src.get("office"),
                         "source_office_id": src.get("office_id")})
        return conform(pd.DataFrame(rows), "leaks")

    def write(self, outdir, format: str = "jsonl") -> list:
        """Write the frames (csv, jsonl, parquet or xlsx) and the viewer into ``outdir``."""
        from nlp.reuse.output import write_outputs

        return write_outputs(self, outdir, format)


def detect(reports: Iterable[Report], template_share: float = 0.3, threshold: float = 0.5,
           mapper: Callable = local_map, semantic: bool = True) -> ReuseResult:
    """Find copied passages across ``reports`` (a Corpus or any iterable of Reports).

    Layers follow spread (``families.py``): the national template by its list, one office's text
    as self-copy, a county's or city's shared text as regional model. ``template_share``: text in
    this share of the reports *and* spread over ``LEARNED_MIN_AREAS`` areas is learned template.

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
    chains = [area_chain(d, r.meta.county, r.meta.prefecture, r.meta.province)
              for d, r in zip(table.docs, reports)]
    return finish_detection(table, matches, [report_key(r) for r in reports], chains, template_share)


def finish_detection(table: SentenceTable, matches: list[SentenceMatch], keys: list[dict],
                     chains: list[tuple[str, ...]], template_share: float = 0.3) -> ReuseResult:
    """From verified matches to a ReuseResult: families with their layers by spread (``chains``:
    each document's :func:`~nlp.reuse.families.area_chain`), passages and leaks. The seam for
    any other way of finding the matches (sharded or streamed detection)."""
    matched = {m.i for m in matches} | {m.j for m in matches}
    stock_ids = {i for i in matched if is_national(table.raw(i))}
    families, family_of = build_families(table, matches, template_share, stock_ids, chains)
    result = ReuseResult(table, matches, passages(table, matches), families, family_of, keys=keys)
    result.leaks = _leaks(result)
    return result


#: Passages whose text came from another office, where that office's name may show through.
LEAK_LAYERS = ("cross_office", "regional_model")


def _leaks(result: ReuseResult) -> list[Leak]:
    """Leaks in both sides of every cross-office or regional-model passage, once per span (a
    town's copy of its county's model that still says 我县 betrays it too).

    Both sides: the earlier report may itself have copied from an office outside the corpus
    (董家镇's "我街道"), so its slip is a leak too; ``source_doc`` is set only when the other
    side is the inferred source.
    """
    seen: set[tuple[int, int, int]] = set()
    out = []
    for p in result.passages:
        if result.passage_layer(p) not in LEAK_LAYERS:
            continue
        src, copy, src_span, copy_span = result.oriented(p)
        for doc_id, span, origin in ((copy, copy_span, src), (src, src_span, None)):
            doc = result.table.docs[doc_id]
            for start, end, text, kind in find_leaks(doc, *span, result.table.span(doc_id, *span)):
                if (doc_id, start, end) not in seen:
                    seen.add((doc_id, start, end))
                    out.append(Leak(doc_id, start, end, text, kind,
                                    result.family_of[p.pairs[0].i], origin))
    return out
