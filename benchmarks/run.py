"""`make bench`: run every benchmark and write its table under benchmarks/."""
from __future__ import annotations

from benchmarks import (classify, embeddings, history, index, ingest, notebooks, report, reuse,
                        segment, tables, topics)


def main() -> None:
    for bench in (segment, ingest, tables, classify, topics, embeddings, reuse, index, history,
                  report, notebooks):
        path = bench.main()
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
