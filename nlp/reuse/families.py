"""Template families, their layer by spread, and their likely source.

Matched sentences form a graph; its connected components are template families. A family's
layer says who shares it, not how many reports of this corpus hold it (a study of one county
would otherwise call the county's model text "template" and find nothing):

* ``template``: it holds text of the national template (``national.py``: stock sentences,
  headings, table labels), or it is *learned*: in many reports spread over many provinces or
  prefectures (listed in ``template_learned.txt`` for review);
* ``self_copy``: its members are one office's reports;
* ``regional_model``: it is shared by many offices of one county or city (a model text handed
  down or passed around; ``region`` names the county or city);
* ``cross_office`` otherwise (a passage between two reports of one office in such a family is
  still ``self_copy``: :func:`pair_layer`).

The source is the earliest report, then the higher administrative level (passim's ``src``); of
a regional model, the highest-level member, then the earliest.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from nlp.reuse.align import SentenceMatch
from nlp.reuse.candidates import ReuseDoc, SentenceTable

#: Higher levels write first when years tie (a city's text flows down to its towns).
LEVEL_RANK = {"省": 5, "市": 4, "区": 3, "县": 3, "部门": 2, "街道": 1, "镇": 1, "乡": 1}


@dataclass
class Family:
    id: int
    sentences: list[int]
    docs: list[int]
    layer: str  # "template", "regional_model", "cross_office" or "self_copy"
    source: int  # doc id
    canonical: int  # sentence id of the source's member
    links_in_region: float | None = None
    members: list[tuple[int, int]] = field(default_factory=list)  # (doc, sentence)
    #: The county or city a regional model is shared in; None for other layers.
    region: str | None = None
    #: Template by spread in this corpus, not by the national template's list (for review).
    learned: bool = False
    #: Offices among the members, and the areas (prefectures or provinces) they span.
    offices: int = 0
    areas: int = 0


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


#: "Many offices" of one county or city: a model text reaches at least this many offices. A
#: planted copy links two (source and copy), and on 2,000 synthetic reports of 84 counties
#: (``benchmarks/reuse.md``) no family of unrelated copies reaches three offices of one county.
REGIONAL_MIN_OFFICES = 3
#: … and that county or city holds at least this share of the family's offices (a model text
#: that also leaked to one town next door is still the county's).
REGIONAL_MIN_SHARE = 0.75
#: A learned template (not on the national list) must span at least this many areas
#: (provinces, else prefectures) as well as ``template_share`` of the reports: text one
#: province's offices share is that province's, not the nation's.
LEARNED_MIN_AREAS = 3
#: Province-level units: never a regional model's "county or city".
_PROVINCES = ("省", "自治区", "特别行政区")
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_UNIT = re.compile(r"[^省市县区州盟旗]+?(?:自治区|特别行政区|自治州|地区|省|市|州|盟|县|区|旗)")


def same_office(a: ReuseDoc, b: ReuseDoc) -> bool:
    return bool(a.office_short) and a.office_short == b.office_short


def office_key(doc: ReuseDoc) -> str:
    """One office's name across its years (the path when the report names no office)."""
    return doc.office_short or doc.office or doc.path


def source_doc(docs: list[ReuseDoc]) -> ReuseDoc:
    """The earliest report; among equals the higher level; then the first path."""
    return min(docs, key=lambda d: (d.year if d.year is not None else 9999,
                                    -LEVEL_RANK.get(d.level or "", 0), d.path))


def model_source(docs: list[ReuseDoc]) -> ReuseDoc:
    """A regional model's source: the highest-level member (the county hands its text down),
    then the earliest, then the first path."""
    return min(docs, key=lambda d: (-LEVEL_RANK.get(d.level or "", 0),
                                    d.year if d.year is not None else 9999, d.path))


def is_province(unit: str) -> bool:
    return unit.endswith(_PROVINCES) or unit in _MUNICIPALITIES


def area_chain(doc: ReuseDoc, county: str | None = None, prefecture: str | None = None,
               province: str | None = None) -> tuple[str, ...]:
    """The administrative units ``doc``'s office belongs to, most local first.

    From the identity resolver's division names when given (``ReportMeta.county`` …), else from
    the manifest's region (a town's county, a county's city: "江苏省淮安市" → 淮安市, 江苏省) and,
    for a county- or city-level government, its own name (a county's report is in its county).
    """
    if county or prefecture or province:
        chain = [u for u in (county, prefecture, province) if u]
    else:
        chain = _UNIT.findall(doc.region or "")[::-1]
        own = doc.office_short or ""
        if doc.level in ("县", "区", "市") and own.endswith(("县", "区", "市", "旗")):
            chain.insert(0, own)
    return tuple(dict.fromkeys(chain))


def template_threshold(n_docs: int, share: float) -> int:
    """How many reports a family must reach to be learned as template (with ``LEARNED_MIN_AREAS``)."""
    return max(3, int(share * n_docs + 0.999))


def regional_unit(chains: dict[str, tuple[str, ...]]) -> str | None:
    """The county or city holding ``REGIONAL_MIN_OFFICES`` and ``REGIONAL_MIN_SHARE`` of these
    offices (office → area chain); the most local when several do (a county before its city)."""
    count: Counter = Counter()
    depth: dict[str, int] = {}
    for chain in chains.values():
        for k, unit in enumerate(chain):
            if not is_province(unit):
                count[unit] += 1
                depth[unit] = max(depth.get(unit, 0), k)
    fits = [u for u, c in count.items()
            if c >= REGIONAL_MIN_OFFICES and c >= REGIONAL_MIN_SHARE * len(chains)]
    return min(fits, key=lambda u: (-count[u], depth[u], u)) if fits else None


def spread(chains: Sequence[tuple[str, ...]]) -> int:
    """How many areas these offices span: provinces when every chain names one, else the
    broadest non-province unit each names (prefectures of the resolver, cities of a manifest)."""
    if chains and all(c and is_province(c[-1]) for c in chains):
        return len({c[-1] for c in chains})
    return len({next((u for u in reversed(c) if not is_province(u)), c[-1] if c else "")
                for c in chains})


def build_families(table: SentenceTable, matches: list[SentenceMatch], template_share: float = 0.3,
                   stock: set[int] | None = None, chains: Sequence[tuple[str, ...]] | None = None
                   ) -> tuple[list[Family], dict[int, int]]:
    """Connected components of matched sentences; returns families and sentence → family id.

    ``stock`` holds sentences of the national template (``national.py``); ``chains`` each
    document's area chain (:func:`area_chain`; from the table's region when not given).
    """
    uf = _UnionFind()
    for m in matches:
        uf.union(m.i, m.j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in list(uf.parent):
        groups[uf.find(i)].append(i)
    threshold = template_threshold(len(table.docs), template_share)
    stock = stock or set()
    chains = chains or [area_chain(d) for d in table.docs]
    families: list[Family] = []
    of: dict[int, int] = {}
    for k, members in enumerate(sorted(groups.values(), key=min)):
        members.sort()
        docs = sorted({table.doc[i] for i in members})
        fam = _family(k, members, docs, table, chains, threshold, any(i in stock for i in members))
        families.append(fam)
        for i in members:
            of[i] = k
    _region_shares(table, matches, families, of)
    return families, of


def _family(k: int, members: list[int], docs: list[int], table: SentenceTable,
            chains: Sequence[tuple[str, ...]], threshold: int, national: bool) -> Family:
    """One family with its layer decided by spread (module docstring) and its source."""
    rdocs = [table.docs[d] for d in docs]
    by_office = {office_key(d): chains[d.id] for d in rdocs}
    region, learned = None, False
    if national:
        layer = "template"
    elif len(by_office) == 1:
        layer = "self_copy"
    elif (region := regional_unit(by_office)) is not None:
        layer = "regional_model"
    elif len(docs) >= threshold and spread(list(by_office.values())) >= LEARNED_MIN_AREAS:
        layer, learned = "template", True
    else:
        layer = "cross_office"
    src = model_source(rdocs) if layer == "regional_model" else source_doc(rdocs)
    canonical = next(i for i in members if table.doc[i] == src.id)
    return Family(k, members, docs, layer, src.id, canonical,
                  members=[(table.doc[i], i) for i in members], region=region, learned=learned,
                  offices=len(by_office), areas=spread(list(by_office.values())))


def _region_shares(table: SentenceTable, matches: list[SentenceMatch], families: list[Family],
                   of: dict[int, int]) -> None:
    """Share of each family's cross-office links that stay inside one parent region."""
    inside: Counter = Counter()
    total: Counter = Counter()
    for m in matches:
        a, b = table.docs[table.doc[m.i]], table.docs[table.doc[m.j]]
        if same_office(a, b) or not (a.region and b.region):
            continue
        f = of[m.i]
        total[f] += 1
        inside[f] += a.region == b.region
    for fam in families:
        if total[fam.id]:
            fam.links_in_region = round(inside[fam.id] / total[fam.id], 3)


def pair_layer(table: SentenceTable, family: Family, da: int, db: int) -> str:
    """The layer of a passage between reports ``da`` and ``db`` in ``family``: the family's
    template or regional model, else self_copy between one office's reports, else cross_office."""
    if family.layer in ("template", "regional_model"):
        return family.layer
    return "self_copy" if same_office(table.docs[da], table.docs[db]) else "cross_office"
