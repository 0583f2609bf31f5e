"""A corpus read a batch of whole offices at a time: bounded memory for analyses across years.

Checks and history compare an office's report with its earlier years, and nothing else: a
batch that holds every report of its offices needs no other. ``OfficeBatches(source)`` reads
every file once to learn its office and year (the metadata; the report itself is dropped), then
yields lists of :class:`~nlp.model.Report` of whole offices, about ``size`` reports each, read
again from their files. Peak memory is one batch, not the corpus; the price is reading each file
twice (reading is linear and about a tenth of ``govnlp history``'s time, benchmarks/history.md).

Which office: :func:`nlp.tables.checks.office_identity`, the one rule for pairing years, after
the manifest's values. A report without an office is a batch member of its own.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from nlp.ingest.readers import IngestError
from nlp.load import load_chunk, load_safely
from nlp.model import Report, ReportMeta

#: Reports per batch: whole offices are packed up to this many (an office is never split). Big
#: enough that per-batch fixed costs (a reuse detector's LSH set-up, a classifier call) are
#: spread (history measured one detector run per office spending a quarter of its time in set-up);
#: small enough that a batch's Reports (≈ 135 KB each with parsed tables) stay far below 1 GB.
BATCH_REPORTS = 200

#: Files a worker process reads per task: small enough to keep the progress bar moving.
_CHUNK = 64


@dataclass(frozen=True)
class ReportFile:
    """One readable report file of the corpus: where it is, and whose and which year it is."""

    path: str
    office: str | None
    year: int | None


def pack_offices(groups: Iterable[list], size: int = BATCH_REPORTS) -> list[list]:
    """Office groups packed, in order, into lists of about ``size`` members (an office is never
    split: one larger than ``size`` is a list of its own)."""
    out: list[list] = []
    for g in groups:
        if out and len(out[-1]) + len(g) <= size:
            out[-1].extend(g)
        else:
            out.append(list(g))
    return out


def _meta_chunk(paths: list) -> list:
    """Each file's metadata (the report dropped: only this crosses back from a worker)."""
    out = []
    for p in paths:
        r = load_safely(p)
        out.append(r.meta if isinstance(r, Report) else r)
    return out


def _year_key(f: ReportFile) -> tuple:
    """An office's files: by year (no year last), then path."""
    return (f.year is None, f.year or 0, f.path)


def _mapped(fn, paths: list, workers: int, progress: str | None) -> list:
    """``fn`` over chunks of ``paths`` (in ``workers`` processes when more than one), in order."""
    from nlp.progress import track

    chunks = [paths[k:k + _CHUNK] for k in range(0, len(paths), _CHUNK)]
    if workers > 1 and len(paths) > _CHUNK:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            futures = [pool.submit(fn, c) for c in chunks]
            waited = track(futures, progress) if progress else futures
            return [r for f in waited for r in f.result()]
    waited = track(chunks, progress) if progress else chunks
    return [r for c in waited for r in fn(c)]


class OfficeBatches:
    """The reports of files, folders or globs, a batch of whole offices at a time.

    ``files``: every readable report (path, office, year) in reading order; ``skipped``: every
    path not read, with its reason (as :class:`nlp.corpus.Corpus`); ``manifest_warnings``: the
    manifest's rows that matched no file. Iterating yields lists of Reports, the manifest applied.
    """

    def __init__(self, source: str | Path | Iterable[str | Path],
                 manifest: str | Path | None = None, size: int = BATCH_REPORTS,
                 workers: int = 1, progress: bool = True) -> None:
        from nlp.corpus import _missing_rows, read_manifest, without_manifest
        from nlp.ingest.readers import expand_paths

        self.size, self.workers, self.progress = size, workers, progress
        self.manifest = read_manifest(manifest) if manifest is not None else None  # bad: fail first
        paths = expand_paths([source] if isinstance(source, (str, Path)) else source)
        self.skipped: list[IngestError] = without_manifest(list(paths.skipped), manifest)
        self.files: list[ReportFile] = []
        used: set[int] = set()
        metas = _mapped(_meta_chunk, list(paths), workers, "Reading reports" if progress else None)
        for path, meta in zip(paths, metas):
            if isinstance(meta, IngestError):
                self.skipped.append(meta)
                continue
            meta, row = self._with_manifest(str(path), meta)
            if row is not None:
                used.add(id(row))
            self.files.append(ReportFile(str(path), _identity(meta), meta.year))
        self.manifest_warnings = (_missing_rows(self.manifest, used)
                                  if self.manifest is not None else [])
        for line in self.manifest_warnings:
            from nlp.corpus import ManifestWarning

            warnings.warn(line, ManifestWarning, stacklevel=2)

    def _with_manifest(self, path: str, meta: ReportMeta) -> tuple[ReportMeta, dict | None]:
        from nlp.corpus import with_row

        row = self.manifest.row_for(path) if self.manifest is not None else None
        return with_row(meta, row), row

    def __len__(self) -> int:
        return len(self.files)

    def batches(self) -> list[list[ReportFile]]:
        """The files of whole offices packed into batches of about ``size``, offices in
        :meth:`office_order`; an office's files in year order (then path)."""
        groups: dict[str, list[ReportFile]] = {}
        for k, f in enumerate(self.files):
            groups.setdefault(f.office if f.office else f"\0{k}", []).append(f)
        return pack_offices(self.office_order([sorted(g, key=_year_key) for g in groups.values()]),
                            self.size)

    def office_order(self, offices: list[list[ReportFile]]) -> list[list[ReportFile]]:
        """The order offices are batched in: of their first file (a subclass may sort them)."""
        return offices

    def __iter__(self) -> Iterator[list[Report]]:
        """Batches in order; with ``workers`` > 1 the next batch is read in worker processes
        while the caller works on this one."""
        from nlp.progress import track

        batches = self.batches()
        shown = track(batches, "Analysing offices") if self.progress else batches
        if self.workers <= 1:
            for batch in shown:
                yield self.read(batch)
            return
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(self.workers) as pool:
            def submit(batch):
                paths = [f.path for f in batch]
                return [pool.submit(load_chunk, paths[k:k + _CHUNK // 4])
                        for k in range(0, len(paths), _CHUNK // 4)]
            pending = submit(batches[0]) if batches else []
            for k, batch in enumerate(shown):
                loaded = [r for fut in pending for r in fut.result()]
                pending = submit(batches[k + 1]) if k + 1 < len(batches) else []
                yield self._kept(batch, loaded)

    def read(self, batch: list[ReportFile]) -> list[Report]:
        """The Reports of ``batch`` read here, the manifest applied."""
        return self._kept(batch, load_chunk([f.path for f in batch]))

    def _kept(self, batch: list[ReportFile], loaded: list) -> list[Report]:
        """Reports of ``batch`` with the manifest applied; a file that can no longer be read
        (changed since it was indexed) joins ``skipped``."""
        out = []
        for f, r in zip(batch, loaded):
            if isinstance(r, IngestError):
                self.skipped.append(r)
                continue
            r.meta = self._with_manifest(f.path, r.meta)[0]
            out.append(r)
        return out


def _identity(meta: ReportMeta) -> str | None:
    """:func:`nlp.tables.checks.office_identity` of a report with this metadata."""
    from nlp.tables.checks import meta_identity

    return meta_identity(meta)
