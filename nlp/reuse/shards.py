"""Reports streamed to columnar shards on disk: what reuse detection needs, never all Reports.

Each shard is one chunk of input files, read, segmented, masked and signed by one worker
(``mapper``: here, a process pool or a dask cluster), then forgotten. It writes three files:

- ``docs-NNNNN.parquet``: one row per report read (identity, metadata, area chain, text);
- ``sents-NNNNN.parquet``: one row per narrative sentence of ``MIN_CHARS`` or more once masked
  (doc index within the shard, section, offsets, masked text, a 64-bit hash of the masked text);
- ``minhash-NNNNN.npy``: the datasketch MinHash values of those sentences, ``uint32`` rows of
  ``NUM_PERM`` (the values ``candidates.signatures`` gives, by datasketch's formula on whole
  blocks of sentences: ``candidates.signature_rows``).

A Report with its sections, parts, items and sentence objects costs ~9 KB a sentence in
memory; a shard row costs a few hundred bytes on disk and nothing once written. Workers on a
cluster write to ``workdir``, which must then be a folder every worker and the client share.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from nlp.ingest.readers import IngestError, expand_paths
from nlp.model import Report
from nlp.reuse.candidates import MIN_CHARS, _hash32, _short, local_map, signature_rows
from nlp.reuse.mask import mask, own_names

#: Reports per shard: one unit of work (~40 sentences a report: about 20,000 sentences, a few
#: MB of parquet, ~1 s of signatures); small enough that a worker holds one comfortably.
SHARD_REPORTS = 500

#: Shards per mapper call when a progress display follows them: 2 workers idle at most one
#: shard's time (~2 s) per batch, ~3 % of the step.
STEP_SHARDS = 16

DOC_COLUMNS = ("path", "office", "office_short", "level", "region", "year", "text", "county",
               "prefecture", "province", "report_id", "office_id", "key_path", "content_key")


@dataclass
class ShardSet:
    """The shards of one corpus in ``workdir``, in input order, and the files not read."""

    workdir: Path
    names: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)  # reports per shard
    skipped: list[IngestError] = field(default_factory=list)

    def path(self, kind: str, k: int) -> Path:
        ext = "npy" if kind == "minhash" else "parquet"
        return self.workdir / f"{kind}-{self.names[k]}.{ext}"

    @property
    def offsets(self) -> list[int]:
        """The global id of each shard's first report."""
        return list(np.cumsum([0, *self.counts])[:-1].tolist())


def text_hash(texts: list[str]) -> np.ndarray:
    """A 64-bit hash of each masked text (``uint64``): identical texts share one, in any process."""
    return np.array([int.from_bytes(hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest(),
                                    "little") for t in texts], dtype=np.uint64)


def _doc_row(r: Report, fallback: str) -> dict:
    from nlp.frames import report_key

    m = r.meta
    key = report_key(r)
    return {"path": r.path or fallback, "office": m.office, "office_short": _short(r),
            "level": m.level, "region": m.region, "year": m.year, "text": r.text,
            "county": getattr(m, "county", None), "prefecture": getattr(m, "prefecture", None),
            "province": getattr(m, "province", None), "report_id": key["report_id"],
            "office_id": key["office_id"], "key_path": key["path"],
            "content_key": _hash32(r.text.encode("utf-8"))}


def _sentence_rows(d: int, r: Report, rows: dict) -> None:
    """Append report ``r``'s narrative sentences (as ``build_table`` keeps them) to ``rows``."""
    names = own_names(r.meta.office, r.meta.office_short)
    for sec, s in r.iter_sentences(("text",)):
        text = mask(r.text[s.start:s.end], names)
        if len(text) < MIN_CHARS:
            continue
        rows["doc"].append(d)
        rows["section"].append(sec.id)
        rows["start"].append(s.start)
        rows["end"].append(s.end)
        rows["masked"].append(text)


def write_shard(name: str, items: list, workdir: str, rows: list | None = None, first: int = 0
                ) -> tuple[int, list]:
    """Read (paths) or take (Reports) one chunk, write its three files; returns the number of
    reports written and the errors of the paths that could not be read. ``rows``: each item's
    manifest row (or None); ``first``: the chunk's place in the input, naming a Report without
    a path ``<report N>`` as ``build_table`` does."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from nlp.load import load_safely

    docs, errors = [], []
    manifest_rows = rows or [None] * len(items)
    rows: dict[str, list] = {"doc": [], "section": [], "start": [], "end": [], "masked": []}
    for item, row in zip(items, manifest_rows):
        r = item if isinstance(item, Report) else load_safely(item)
        if not isinstance(r, Report):
            errors.append(r)
            continue
        if row:
            _apply_row(r, row)
        _sentence_rows(len(docs), r, rows)
        docs.append(_doc_row(r, f"<report {first + len(docs)}>"))
    out = Path(workdir)
    doc_table = pa.table({c: [row[c] for row in docs] for c in DOC_COLUMNS},
                         schema=_doc_schema(pa))
    pq.write_table(doc_table, out / f"docs-{name}.parquet")
    distinct, inverse = np.unique(np.array(rows["masked"], dtype=object), return_inverse=True) \
        if rows["masked"] else (np.array([], dtype=object), np.array([], dtype=np.int64))
    sigs = signature_rows(list(distinct)).astype(np.uint32)
    np.save(out / f"minhash-{name}.npy", sigs[inverse.reshape(-1)])
    sent_table = pa.table({"doc": pa.array(rows["doc"], pa.int32()),
                           "section": pa.array(rows["section"], pa.string()).dictionary_encode(),
                           "start": pa.array(rows["start"], pa.int32()),
                           "end": pa.array(rows["end"], pa.int32()),
                           "masked": pa.array(rows["masked"], pa.string()),
                           "hash": pa.array(text_hash(rows["masked"]), pa.uint64())})
    pq.write_table(sent_table, out / f"sents-{name}.parquet")
    return len(docs), errors


def _apply_row(report: Report, row: dict) -> None:
    """``nlp.corpus.apply_manifest`` for one report and its row (the client looks rows up: a
    worker gets its chunk's rows, not the whole manifest, which per chunk would make the
    corpus quadratic; apply_manifest's check of unused rows walks the whole manifest too)."""
    from nlp.corpus import with_row

    report.meta = with_row(report.meta, row)


def _doc_schema(pa):
    s, i = pa.string(), pa.int64()
    return pa.schema([(c, i if c in ("year", "content_key") else s) for c in DOC_COLUMNS])


def write_shards(inputs: Iterable, workdir: str | Path, mapper: Callable = local_map,
                 manifest=None, shard_reports: int = SHARD_REPORTS,
                 step: Callable[[int, int], None] | None = None) -> ShardSet:
    """Stream ``inputs`` (files, folders, globs, or Report objects) into shards in ``workdir``.

    Paths are expanded as ``load_reports`` does (same order, same skipped list); ``manifest``
    (a ``nlp.corpus.Manifest``) overrides inferred metadata per report, as ``apply_manifest``.
    With ``step``, shards go to the mapper ``STEP_SHARDS`` at a time and ``step(done, total)``
    follows each batch (a progress display); without, all at once.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    items = list(inputs) if not isinstance(inputs, (str, Path)) else [inputs]
    skipped: list[IngestError] = []
    if not items or not isinstance(items[0], Report):
        found = expand_paths(items)
        skipped = list(found.skipped)
        items = [str(p) for p in found]
    chunks = [items[k:k + shard_reports] for k in range(0, len(items), shard_reports)]
    names = [f"{k:05d}" for k in range(len(chunks))]

    def rows_of(chunk: list) -> list | None:
        if manifest is None:
            return None
        return [manifest.row_for((x.path or "") if isinstance(x, Report) else x) for x in chunk]

    work = partial(_write_named, workdir=str(workdir))
    jobs = [(name, k * shard_reports, chunk) for k, (name, chunk) in enumerate(zip(names, chunks))]
    batch = STEP_SHARDS if step is not None else max(1, len(jobs))
    done: list[tuple[int, list]] = []
    for b in range(0, len(jobs), batch):
        done += mapper(work, [(*job, rows_of(job[2])) for job in jobs[b:b + batch]])
        if step is not None:
            step(len(done), len(jobs))
    shards = ShardSet(workdir, names, [n for n, _ in done], skipped)
    for _, errors in done:
        shards.skipped.extend(errors)
    (workdir / "shards.json").write_text(json.dumps({"names": names, "counts": shards.counts}))
    return shards


def _write_named(job: tuple[str, int, list, list | None], workdir: str) -> tuple[int, list]:
    name, first, items, rows = job
    return write_shard(name, items, workdir, rows, first)
