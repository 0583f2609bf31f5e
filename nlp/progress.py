"""A rich progress bar for loops over many files, and nothing for a handful."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

T = TypeVar("T")

#: Below this many items a run takes a moment at most, and a bar would only flicker.
THRESHOLD = 20


def track(items: Sequence[T], description: str = "Working", threshold: int = THRESHOLD
          ) -> Iterable[T]:
    """Iterate ``items``, showing a rich progress bar on stderr when there are many."""
    if len(items) < threshold:
        return items
    from rich.console import Console
    from rich.progress import track as rich_track

    return rich_track(items, description=description, console=Console(stderr=True),
                      transient=True)


class Progress:
    """The steps of one run as rich progress bars on stderr, or nothing (``enabled`` False).

    ``task(name)`` returns ``step(done, total)``, which shows the step on its first call and
    moves its bar; a step's bar stays (transient display) until the run ends."""

    def __init__(self, enabled: bool) -> None:
        self._bars = None
        if enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, TextColumn,
                                       TimeElapsedColumn)
            from rich.progress import Progress as RichProgress

            self._bars = RichProgress(TextColumn("{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TimeElapsedColumn(),
                                      console=Console(stderr=True), transient=True)

    def __enter__(self) -> "Progress":
        if self._bars is not None:
            self._bars.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._bars is not None:
            self._bars.stop()

    def task(self, name: str) -> Callable[[int, int], None] | None:
        """A ``step(done, total)`` callback for ``name``, or None when disabled."""
        if self._bars is None:
            return None
        bars, ids = self._bars, []

        def step(done: int, total: int) -> None:
            if not ids:
                ids.append(bars.add_task(name, total=total))
            bars.update(ids[0], completed=done, total=total)

        return step


@contextmanager
def status(message: str, enabled: bool = True) -> Iterator[None]:
    """A spinner with ``message`` on stderr while a step with nothing to count runs (the study's
    files and page after its last batch: minutes at 100,000 reports), or nothing."""
    if not enabled:
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield
