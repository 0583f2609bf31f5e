"""The same reuse pipeline on a dask.distributed cluster, for corpora beyond one machine.

Workers read and segment the reports and run the heavy steps (MinHash signatures, rapidfuzz
verification) chunk by chunk; the LSH index, families and measures stay on the client, where
they are cheap. Results are identical to :func:`nlp.reuse.detect.detect` run locally.

At national scale, :func:`detect_on_cluster` runs the streaming pipeline
(:mod:`nlp.reuse.stream`): each worker reads a shard of files and writes its parquet and
MinHash files into ``workdir``; the client bands the signatures from those files and hands
verification, the same-office pass and the embeddings back to the workers. The input files and
``workdir`` must be at one path on every worker and the client (a shared filesystem).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from nlp.ingest.readers import IngestError, expand_paths
from nlp.load import load_safely
from nlp.model import Report


def client_mapper(client) -> Callable:
    """A mapper that runs ``func`` on each chunk on the cluster's workers, in order."""
    def mapper(func: Callable, chunks: list) -> list:
        return client.gather(client.map(func, list(chunks), pure=False))

    return mapper


class pool_mapper:
    """``with pool_mapper(2) as mapper: detect(reports, mapper=mapper)``: the cores of this machine."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = None

    def __enter__(self) -> Callable:
        if self.workers <= 1:
            from nlp.reuse.candidates import local_map

            return local_map
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(self.workers)
        return lambda func, chunks: list(self.pool.map(func, chunks))

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown()


def load_on_cluster(client, inputs: Iterable[str | Path]) -> tuple[list[Report], list[IngestError]]:
    """Read and segment every report on the workers; bad files and every path not read (other
    formats, broken links…) come back as errors."""
    found = expand_paths(inputs)
    results = client.gather(client.map(load_safely, [str(p) for p in found], pure=False))
    reports = [r for r in results if isinstance(r, Report)]
    return reports, [*found.skipped, *(r for r in results if not isinstance(r, Report))]


def detect_on_cluster(client, inputs: Iterable, workdir: str | Path, manifest=None, **options):
    """``stream.detect_stream`` with the workers of ``client`` doing the heavy steps; the same
    ``ReuseResult`` as a local run (``options``: template_share, threshold, semantic)."""
    from nlp.reuse.stream import detect_stream

    return detect_stream(inputs, workdir, mapper=client_mapper(client), manifest=manifest,
                         **options)
