"""Do the detected layers agree with what was planted? (tests and ``benchmarks/reuse.py``)

A synthetic corpus says which layer each copy should land in: a planted copy between two years
of one office is ``self_copy``, between two offices ``cross_office``; the county model text of a
one-county corpus (``synthesize(county_model=…)``) is ``regional_model`` with the county as its
region and the county's report as its source; and the template layer should hold only text of
the national template.
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import pandas as pd

from nlp.reuse.national import is_national

if TYPE_CHECKING:  # pragma: no cover
    from nlp.reuse.detect import ReuseResult


def _doc_ids(result: "ReuseResult") -> dict[str, int]:
    """Document id by path relative to its corpus folder (``reports/00001.txt``)."""
    return {"/".join(d.path.replace("\\", "/").split("/")[-2:]): d.id for d in result.table.docs}


def _sentences_in(result: "ReuseResult", doc: int, start: int, end: int) -> list[int]:
    t = result.table
    return [i for i in range(len(t)) if t.doc[i] == doc and t.start[i] >= start and t.end[i] <= end]


def model_layers(result: "ReuseResult", model: dict) -> dict:
    """How the county model text was filed: share of its member sentences (in reports holding it,
    as detection indexed them) in a ``regional_model`` family of the model's county whose source
    is the model's source; the layers and regions of the families holding them."""
    ids, t = _doc_ids(result), result.table
    sentences = [i for m in model["members"] if m["path"] in ids
                 for i in _sentences_in(result, ids[m["path"]], m["start"], m["end"])]
    fams = [result.families[result.family_of[i]] if i in result.family_of else None for i in sentences]
    source = ids.get(model["source"])
    right = sum(f is not None and f.layer == "regional_model" and f.region == model["region"]
                and f.source == source for f in fams)
    return {"sentences": len(sentences), "regional_model": right,
            "agreement": round(right / len(sentences), 4) if sentences else None,
            "layers": dict(Counter(f.layer if f else "unmatched" for f in fams)),
            "regions": dict(Counter(f.region for f in fams if f is not None)),
            "sources": sorted({t.docs[f.source].path for f in fams if f is not None})}


def template_purity(result: "ReuseResult") -> dict:
    """Template families, and those holding no sentence of the national template (learned)."""
    t = result.table
    template = [f for f in result.families if f.layer == "template"]
    foreign = [f.id for f in template if not any(is_national(t.raw(i)) for i in f.sentences)]
    return {"template_families": len(template), "not_national": len(foreign),
            "learned": sum(f.learned for f in template)}


def planted_layers(result: "ReuseResult", truth: list[dict]) -> pd.DataFrame:
    """Per planted kind and relation (self / other office): copies found, and the share of found
    copies whose detected sentence pairs are mostly in the expected layer (self_copy /
    cross_office). Sentence pairs, not passages: a copy planted right after the preamble is one
    passage with the preamble's stock sentences, which are template."""
    ids, t = _doc_ids(result), result.table
    spans: dict[tuple[int, int], list[tuple[int, int, int, int, str]]] = {}
    for p in result.passages:
        for m in p.pairs:
            i, j, layer = m.i, m.j, result.match_layer(p, m)
            spans.setdefault((p.a, p.b), []).append((t.start[i], t.end[i], t.start[j], t.end[j], layer))
            spans.setdefault((p.b, p.a), []).append((t.start[j], t.end[j], t.start[i], t.end[i], layer))
    rows = []
    for c in truth:
        a, b = ids.get(c["a"]["path"]), ids.get(c["b"]["path"])
        want = "self_copy" if c["self_copy"] else "cross_office"
        hits = Counter(layer for sa, ea, sb, eb, layer in spans.get((a, b), [])
                       if sa < c["a"]["end"] and c["a"]["start"] < ea
                       and sb < c["b"]["end"] and c["b"]["start"] < eb)
        got = hits.most_common(1)[0][0] if hits else None
        rows.append({"kind": c["kind"], "expected": want, "found": got is not None,
                     "agree": got == want})
    df = pd.DataFrame(rows, columns=["kind", "expected", "found", "agree"])
    out = df.groupby(["kind", "expected"]).agg(planted=("found", "size"), found=("found", "sum"),
                                               agree=("agree", "sum")).reset_index()
    out["layer_agreement"] = (out["agree"] / out["found"].where(out["found"] > 0)).round(4)
    return out
