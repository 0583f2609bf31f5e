"""The same reuse pipeline on a dask.distributed cluster, for corpora beyond one machine.

Workers read and segment the reports and run the heavy steps (MinHash signatures, rapidfuzz
verification) chunk by chunk; the LSH index, families and measures stay on the client, where
they are cheap. Results are identical to :func:`nlp.reuse.detect.detect` run locally.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from nlp.ingest.readers import IngestError, expand_paths
from nlp.load import load_report
from nlp.model import Report


def client_mapper(client) -> Callable:
    """A mapper that runs ``func`` on each chunk on the cluster's workers, in order."""
    def mapper(func: Callable, chunks: list) -> list:
        return client.gather(client.map(func, chunks, pure=False))

    return mapper


def _load_safely(path: str) -> Report | IngestError:
    try:
        return load_report(path)
    except IngestError as err:
        return err
    except Exception as err:  # a reader library failing on a worker: skip the file, say why
        return IngestError(path, f"{type(err).__name__}: {err}")


def load_on_cluster(client, inputs: Iterable[str | Path]) -> tuple[list[Report], list[IngestError]]:
    """Read and segment every report on the workers; bad files come back as errors."""
    paths = [str(p) for p in expand_paths(inputs)]
    results = client.gather(client.map(_load_safely, paths, pure=False))
    reports = [r for r in results if isinstance(r, Report)]
    return reports, [r for r in results if not isinstance(r, Report)]
