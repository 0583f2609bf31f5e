"""A rich progress bar for loops over many files, and nothing for a handful."""
from __future__ import annotations

from typing import Iterable, Sequence, TypeVar

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
