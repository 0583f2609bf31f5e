"""Ordered work in forked processes that inherit what the parent holds.

The streamed commands (report, summarize) run one task per batch of files in worker processes,
and each task reads large objects the parent built first (a corpus-wide reuse result, a fitted
keyword extractor): pickling those to every task would cost more than the task. A forked worker
inherits them instead. Results come back in task order, with at most ``workers`` + 1 tasks in
flight, so the parent holds a few results at a time.
"""
from __future__ import annotations

import multiprocessing as mp
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

T = TypeVar("T")

def can_fork() -> bool:
    """Whether this platform forks (Linux, macOS with the fork method; not Windows)."""
    return "fork" in mp.get_all_start_methods()


def forked_map(func: Callable[..., T], tasks: Sequence[tuple], workers: int,
               shown: Callable[[Sequence], Iterable] | None = None) -> Iterator[T]:
    """``func(*task)`` of every task, in order: in ``workers`` forked processes, or here when
    ``workers`` ≤ 1, there is one task, or the platform cannot fork (the same results).
    ``shown`` wraps the tasks for a progress bar (one step per result). ``func`` must be a
    module-level function; what it reads besides its task, the parent puts in a module-level
    dict before calling (the worker's copy-on-write copy, never pickled)."""
    steps = shown(tasks) if shown is not None else tasks
    if workers <= 1 or len(tasks) < 2 or not can_fork():
        for task in steps:
            yield func(*task)
        return
    import gc
    from concurrent.futures import ProcessPoolExecutor

    gc.freeze()  # the collector would write to every inherited object, copying its pages
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            pending = [pool.submit(func, *t) for t in tasks[:workers + 1]]
            for k, _ in enumerate(steps):
                result = pending[k].result()
                pending[k] = None
                if k + workers + 1 < len(tasks):
                    pending.append(pool.submit(func, *tasks[k + workers + 1]))
                yield result
    finally:
        gc.unfreeze()
