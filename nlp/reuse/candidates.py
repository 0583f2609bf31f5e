"""Candidate pairs of sentences that may be copies, at corpus scale (never all pairs).

Every narrative sentence is masked (``mask.py``) and then indexed twice: by an exact hash of its
masked text, and by a MinHash signature of its character n-gram shingles in a datasketch LSH
index. A pair of sentences from two different reports that share a bucket is a candidate; cost
grows with the number of sentences, not with its square.
"""
from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial as partial_fn
from itertools import islice
from typing import Callable, Iterable, Iterator

import numpy as np
from datasketch import MinHash, MinHashLSH

from nlp.model import Report
from nlp.reuse.mask import mask_many, own_names
from nlp.reuse.texts import ReportTexts

#: Sentences shorter than this once masked are too generic to call copied ("无。").
MIN_CHARS = 12
SHINGLE = 4
NUM_PERM = 64
#: Buckets larger than this are linked as a star, not as all pairs (cost stays linear).
STAR = 40
#: Sentences per unit of work handed to a mapper (a dask worker gets one chunk at a time).
CHUNK = 5000
#: Chunks handed to the mapper at a time where each chunk carries its texts: a process pool
#: pickles all it is given before the first returns (the same-office pass would hold the
#: sentences of every pair of an office's reports, pickled, at once).
MAP_GROUP = 16


@dataclass
class ReuseDoc:
    """A report as reuse detection sees it: metadata plus its narrative sentences. ``text`` is
    None where the table keeps its texts on disk (``SentenceTable.texts``): read it through the
    table (``text``, ``span``)."""

    id: int
    path: str
    office: str | None
    office_short: str | None
    level: str | None
    region: str | None
    year: int | None
    text: str | None
    content_key: int | None = None


@dataclass
class SentenceTable:
    """All narrative sentences of a corpus, in parallel arrays (one row per sentence)."""

    docs: list[ReuseDoc] = field(default_factory=list)
    doc: list[int] = field(default_factory=list)
    section: list[str] = field(default_factory=list)
    start: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    masked: list[str] = field(default_factory=list)
    #: The reports' texts on disk (streamed detection), else None: each ReuseDoc holds its own.
    texts: ReportTexts | None = None

    def __len__(self) -> int:
        return len(self.doc)

    def text(self, d: int) -> str:
        """The whole text of document ``d``."""
        return self.docs[d].text if self.texts is None else self.texts.text(d)

    def span(self, d: int, start: int, end: int) -> str:
        """``text(d)[start:end]``, reading only that much where the texts are on disk."""
        return self.docs[d].text[start:end] if self.texts is None else \
            self.texts.span(d, start, end)

    def raw(self, i: int) -> str:
        """Sentence ``i`` as the report wrote it (unmasked)."""
        return self.span(self.doc[i], self.start[i], self.end[i])

    def stable_key(self, i: int) -> tuple[tuple[int, str], int]:
        """An order that does not depend on the order reports were read in (content hash, then
        offset): star centres are chosen by it, so ``govnlp reuse`` and an index built by
        several ``add`` runs link the same pairs."""
        return self.doc_key(self.doc[i]), self.start[i]

    def doc_key(self, d: int) -> tuple[int, str]:
        """Document ``d``'s place in that order: its content hash, then its path."""
        doc = self.docs[d]
        if doc.content_key is None:
            doc.content_key = _hash32(self.text(d).encode("utf-8"))
        return doc.content_key, doc.path

    def by_doc(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i, d in enumerate(self.doc):
            out[d].append(i)
        return out


def _short(report: Report) -> str | None:
    return report.meta.office_short or report.meta.office


def build_table(reports: Iterable[Report], mapper: Callable | None = None) -> SentenceTable:
    """Mask every narrative sentence of every report (each report's own names masked)."""
    reports = list(reports)
    table = SentenceTable()
    work = []
    for d, r in enumerate(reports):
        m = r.meta
        table.docs.append(ReuseDoc(d, r.path or f"<report {d}>", m.office, _short(r), m.level,
                                   m.region, m.year, r.text))
        spans = [(sec.id, s.start, s.end) for sec, s in r.iter_sentences(("text",))]
        work.append((d, spans, (own_names(m.office, m.office_short),
                                [r.text[a:b] for _, a, b in spans])))
    per_report = max(1, CHUNK // 40)  # about CHUNK sentences a chunk
    masked = [x for part in (mapper or local_map)(
        mask_many, chunked([w[2] for w in work], per_report)) for x in part]
    for (d, spans, _), texts in zip(work, masked):
        for (section, start, end), text in zip(spans, texts):
            if len(text) < MIN_CHARS:
                continue
            table.doc.append(d)
            table.section.append(section)
            table.start.append(start)
            table.end.append(end)
            table.masked.append(text)
    return table


def _hash32(data: bytes) -> int:
    return zlib.crc32(data)  # fast, and the same in every process (unlike hash())


def signatures(masked: list[str], num_perm: int = NUM_PERM, seed: int = 1) -> list[MinHash]:
    """A datasketch MinHash of the character ``SHINGLE``-grams of each masked sentence."""
    grams = ([t[k:k + SHINGLE].encode("utf-8") for k in range(max(1, len(t) - SHINGLE + 1))]
             for t in masked)
    return MinHash.bulk(grams, num_perm=num_perm, seed=seed, hashfunc=_hash32)


def signature_rows(masked: list[str], num_perm: int = NUM_PERM, seed: int = 1,
                   block: int = 2000) -> np.ndarray:
    """The hash values of ``signatures(masked)`` as one ``(len(masked), num_perm)`` array.

    datasketch's own formula (its permutations, ``_fmix`` and ``a·h + b``) applied to the
    shingles of ``block`` sentences at once with a min per sentence, instead of one MinHash
    object and numpy call per sentence: 8.8 s of a 500-report shard's 31 s (cProfile) were
    ``MinHash.bulk``. ``tests/test_stream.py`` checks the values equal datasketch's; a scheme
    this does not mirror falls back to ``signatures``.
    """
    from datasketch import minhash as dm

    proto = MinHash(num_perm=num_perm, seed=seed, hashfunc=_hash32)
    widths = getattr(dm, "_SCHEME_WIDTHS", {})
    if getattr(proto, "scheme", None) not in widths or not len(masked):
        return np.vstack([m.hashvalues for m in signatures(masked, num_perm, seed)]) \
            if len(masked) else np.zeros((0, num_perm), dtype=np.uint32)
    a, b = proto.permutations
    out = np.empty((len(masked), num_perm), dtype=proto.hashvalues.dtype)
    for k in range(0, len(masked), block):
        part = masked[k:k + block]
        counts = [max(1, len(t) - SHINGLE + 1) for t in part]
        starts = np.cumsum([0, *counts[:-1]])
        crc = zlib.crc32  # _hash32 without a Python call per shingle
        hv = proto._hash_input_array([crc(t[g:g + SHINGLE].encode("utf-8")) for t, n in
                                      zip(part, counts) for g in range(n)]).reshape(1, -1)
        # (num_perm × grams), each permutation's row contiguous: reduceat along rows is ~20×
        # faster than down the columns of (grams × num_perm)
        phv = np.multiply(dm._fmix(hv, widths[proto.scheme]), a.reshape(-1, 1))
        np.add(phv, b.reshape(-1, 1), out=phv)
        out[k:k + len(part)] = np.minimum(proto.hashvalues,
                                           np.minimum.reduceat(phv, starts, axis=1).T)
    return out


def exact_pairs(table: SentenceTable) -> Iterator[tuple[int, int]]:
    """Pairs of sentences of different reports whose masked texts are identical."""
    buckets: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(table.masked):
        buckets[text].append(i)
    for ids in buckets.values():
        if len(ids) > STAR:  # a stock sentence in hundreds of reports: link it as a star
            ids = sorted(ids, key=table.stable_key)
            yield from (_ordered(ids[0], j) for j in ids[1:] if table.doc[j] != table.doc[ids[0]])
        elif len(ids) > 1:
            yield from _cross_doc(table, ids)


def local_map(func: Callable, chunks: list) -> list:
    """The default mapper: apply ``func`` to every chunk here (a dask client maps on workers)."""
    return [func(c) for c in chunks]


def encoded(texts: Iterable[str]) -> tuple[bytes, np.ndarray]:
    """Texts packed for a mapper to pickle: one UTF-8 string and each text's length in
    characters (``decoded`` on the worker's side).

    Pickling a ``str`` leaves its UTF-8 form cached on the string for as long as it lives
    (CPython), so every masked sentence a mapper sent to a worker kept a second copy: 183 MiB
    at 32,000 generated reports after the same-office pass alone (tracemalloc). One string per
    chunk also encodes and decodes once, not once a text (a third of verification's time).
    """
    texts = texts if isinstance(texts, list) else list(texts)
    return "".join(texts).encode("utf-8"), np.fromiter(map(len, texts), np.int64, len(texts))


def decoded(data: tuple[bytes, np.ndarray]) -> list[str]:
    blob, lengths = data
    text = blob.decode("utf-8")
    ends = np.cumsum(lengths).tolist()
    return [text[a:b] for a, b in zip([0] + ends[:-1], ends)]


def chunked(items: list, size: int = CHUNK) -> list[list]:
    return [items[k:k + size] for k in range(0, len(items), size)] or [[]]


def text_groups(table: SentenceTable, min_chars: int = 0) -> dict[int, list[int]]:
    """Sentences with one masked text, keyed by the first (its representative): each distinct
    text is signed or embedded once."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(table.masked):
        if len(text) >= min_chars:
            groups[text].append(i)
    out = {}
    for ids in groups.values():
        ids.sort(key=table.stable_key)
        out[ids[0]] = ids
    return out


def _signed(texts: list[bytes]) -> list[MinHash]:
    return signatures(decoded(texts))


def lsh_pairs(table: SentenceTable, threshold: float = 0.5, num_perm: int = NUM_PERM,
              mapper: Callable = local_map) -> Iterator[tuple[int, int]]:
    """Pairs whose MinHash signatures share an LSH band: near copies with edits.

    Pairs are read bucket by bucket from the datasketch index rather than by one query per
    sentence: a stock phrase shared by thousands of sentences then costs its bucket's size,
    not its square (a bucket larger than ``STAR`` is linked as a star).
    """
    members = text_groups(table)  # identical masked texts: one signature, paired by exact_pairs
    reps = list(members)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    chunks = [encoded(c) for c in chunked([table.masked[i] for i in reps])]
    sigs = [sig for part in mapper(_signed, chunks) for sig in part]
    with lsh.insertion_session() as session:
        for i, sig in zip(reps, sigs):
            session.insert(i, sig, check_duplication=False)
    for storage in lsh.hashtables:
        for key in storage.keys():
            bucket = storage.get(key)
            if len(bucket) < 2:
                continue
            bucket = sorted(bucket, key=table.stable_key)
            if len(bucket) > STAR:
                yield from _expand(table, members, [(bucket[0], j) for j in bucket[1:]])
            else:
                yield from _expand(table, members,
                                   [(a, b) for k, a in enumerate(bucket) for b in bucket[k + 1:]])


def _expand(table: SentenceTable, members: dict[int, list[int]], rep_pairs
            ) -> Iterator[tuple[int, int]]:
    """Pairs of representatives back to their sentences (every member of both groups)."""
    for u, v in rep_pairs:
        gu, gv = members[u], members[v]
        if len(gu) * len(gv) > STAR * STAR:  # two stock phrases: a star keeps it linear
            gu, gv = gu[:1], gv
        for i in gu:
            for j in gv:
                if table.doc[i] != table.doc[j]:
                    yield _ordered(i, j)


def _ordered(i: int, j: int) -> tuple[int, int]:
    return (i, j) if i < j else (j, i)


def _cross_doc(table: SentenceTable, ids: list[int]) -> Iterator[tuple[int, int]]:
    ids = sorted(ids)
    for a in range(len(ids)):
        for b in range(a + 1, len(ids)):
            if table.doc[ids[a]] != table.doc[ids[b]]:
                yield ids[a], ids[b]


def self_copy_pairs(table: SentenceTable, years: int = 3, ratio: float = 72.0,
                    mapper: Callable = local_map) -> Iterator[tuple[int, int]]:
    """Candidates between an office's own reports a few years apart, compared all against all.

    An office reworking last year's text edits more and moves clauses into longer sentences,
    which MinHash cannot see; its few reports are cheap to compare exhaustively: rapidfuzz
    ratio for edits, and character probes for a sentence held inside a longer one.
    """
    by_doc = table.by_doc()
    offices: dict[str, list[int]] = defaultdict(list)
    for doc in table.docs:
        if doc.office_short and doc.id in by_doc:
            offices[doc.office_short].append(doc.id)

    def work() -> Iterator[tuple]:
        for docs in offices.values():
            for k, da in enumerate(docs):
                for db in docs[k + 1:]:
                    ya, yb = table.docs[da].year, table.docs[db].year
                    if ya is None or yb is None or abs(ya - yb) <= years:
                        a, b = by_doc[da], by_doc[db]
                        yield (a, b, encoded(table.masked[i] for i in a),
                               encoded(table.masked[j] for j in b))
    check = partial_fn(_report_pairs, ratio=ratio)
    # made as mapped, MAP_GROUP chunks at a time (a pool pickles every chunk it is given at
    # once): the whole list held every report pair's sentence lists (~0.5 GB at 100,000 reports)
    items = work()
    while True:
        group = [c for c in (list(islice(items, 200)) for _ in range(MAP_GROUP)) if c]
        if not group:
            return
        for part in mapper(check, group):
            yield from part


def _report_pairs(work: list, ratio: float) -> list[tuple[int, int]]:
    """Sentence pairs of two reports of one office: close by ratio, or one inside the other."""
    import numpy as np
    from rapidfuzz import fuzz, process

    out = []
    for a, b, ta, tb in work:
        ta, tb = decoded(ta), decoded(tb)
        if not ta or not tb:
            continue
        hits = process.cdist(ta, tb, scorer=fuzz.ratio, score_cutoff=ratio, dtype=np.uint8)
        found = {(a[x], b[y]) for x, y in zip(*np.nonzero(hits))}
        found |= {(a[x], b[y]) for x, y in _contained(ta, tb)}
        found |= {(a[x], b[y]) for y, x in _contained(tb, ta)}
        out.extend((i, j) if i < j else (j, i) for i, j in found)
    return out


def _contained(ta: list[str], tb: list[str]) -> list[tuple[int, int]]:
    """(x, y) where sentence x of ``ta`` may stand inside the longer sentence y of ``tb``: two of
    three 6-character probes (start, middle, end) of x occur in y (verification decides)."""
    out = []
    lengths = [len(u) for u in tb]  # once per report pair, not per probe (33 s of 63 s)
    for x, t in enumerate(ta):
        if len(t) < 12:
            continue
        mid, need = len(t) // 2, 1.3 * len(t)
        p0, p1, p2 = t[:6], t[mid - 3:mid + 3], t[-6:]
        for y, u in enumerate(tb):
            if lengths[y] >= need and ((p1 in u or p2 in u) if p0 in u else
                                       (p1 in u and p2 in u)):
                out.append((x, y))
    return out


def candidate_pairs(table: SentenceTable, threshold: float = 0.5, mapper: Callable = local_map
                    ) -> set[tuple[int, int]]:
    """Exact-hash, LSH and same-office candidates together, as (i, j) with i < j."""
    pairs = set(exact_pairs(table))
    pairs.update(lsh_pairs(table, threshold, mapper=mapper))
    pairs.update(self_copy_pairs(table, mapper=mapper))
    return pairs
