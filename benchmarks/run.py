"""`make bench`: run every benchmark and write its table under benchmarks/."""
from __future__ import annotations

from benchmarks import classify, segment, tables


def main() -> None:
    for bench in (segment, tables, classify):
        path = bench.main()
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
