"""Template families, their layer and their likely source.

Matched sentences form a graph; its connected components are template families. A family
found in a large share of all reports is the mandated national template (layer ``template``);
otherwise a link between two offices is ``cross_office`` reuse and a link between an office and
itself (another year) is ``self_copy``. The source is the earliest report, then the higher
administrative level (passim's ``src``).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from nlp.reuse.align import SentenceMatch
from nlp.reuse.candidates import ReuseDoc, SentenceTable

#: Higher levels write first when years tie (a city's text flows down to its towns).
LEVEL_RANK = {"省": 5, "市": 4, "区": 3, "县": 3, "部门": 2, "街道": 1, "镇": 1, "乡": 1}


@dataclass
class Family:
    id: int
    sentences: list[int]
    docs: list[int]
    layer: str  # "template" or "reuse"
    source: int  # doc id
    canonical: int  # sentence id of the source's member
    links_in_region: float | None = None
    members: list[tuple[int, int]] = field(default_factory=list)  # (doc, sentence)


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


def same_office(a: ReuseDoc, b: ReuseDoc) -> bool:
    return bool(a.office_short) and a.office_short == b.office_short


def source_doc(docs: list[ReuseDoc]) -> ReuseDoc:
    """The earliest report; among equals the higher level; then the first path."""
    return min(docs, key=lambda d: (d.year if d.year is not None else 9999,
                                    -LEVEL_RANK.get(d.level or "", 0), d.path))


def template_threshold(n_docs: int, share: float) -> int:
    """How many reports a family must reach to count as the national template."""
    return max(3, int(share * n_docs + 0.999))


def build_families(table: SentenceTable, matches: list[SentenceMatch], template_share: float = 0.3,
                   stock: set[int] | None = None) -> tuple[list[Family], dict[int, int]]:
    """Connected components of matched sentences; returns families and sentence → family id.

    ``stock`` holds sentences matching the shipped list of national template sentences.
    """
    uf = _UnionFind()
    for m in matches:
        uf.union(m.i, m.j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in list(uf.parent):
        groups[uf.find(i)].append(i)
    threshold = template_threshold(len(table.docs), template_share)
    stock = stock or set()
    families: list[Family] = []
    of: dict[int, int] = {}
    for k, members in enumerate(sorted(groups.values(), key=min)):
        members.sort()
        docs = sorted({table.doc[i] for i in members})
        src = source_doc([table.docs[d] for d in docs])
        canonical = next(i for i in members if table.doc[i] == src.id)
        layer = "template" if len(docs) >= threshold or any(i in stock for i in members) else "reuse"
        fam = Family(k, members, docs, layer, src.id, canonical,
                     members=[(table.doc[i], i) for i in members])
        families.append(fam)
        for i in members:
            of[i] = k
    _region_shares(table, matches, families, of)
    return families, of


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
    """template / self_copy / cross_office for a passage between reports ``da`` and ``db``."""
    if family.layer == "template":
        return "template"
    return "self_copy" if same_office(table.docs[da], table.docs[db]) else "cross_office"
