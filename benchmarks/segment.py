"""Ingest + segment speed for .txt reports on one core, and peak memory.

Reads the bundled seeds and, when present, ../shared/corpora/reports: every file is read from
disk, decoded and segmented (sections, parts, items, sentences, metadata), as
``nlp.load_report`` does. Target: over 500 reports/s on one core.

Large files: the real reports concatenated into one .txt of 1, 4, 16 and 50 MB, as lines and
flattened into one line (a crawl), loaded once each. Segmentation is linear in the text, so a
50 MB file takes well under a minute; before, the heading programme compared every pair of
candidates and item/sentence lookups rescanned their section, and 1 M characters of repeated
reports took 6-19 s, growing quadratically (a 50 MB file ran for hours).
"""
from __future__ import annotations

import platform
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from nlp.load import load_report

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("segment.md")
TARGET = 500
LARGE_MB = (1, 4, 16, 50)


def _files() -> list[tuple[str, list[Path]]]:
    sets = [("seeds (bundled)", sorted((ROOT / "corpora" / "seeds").glob("*.txt")))]
    shared = ROOT.parent / "shared" / "corpora" / "reports"
    if shared.is_dir():
        sets.append(("shared corpus", sorted(shared.glob("*.txt"))))
        sets.append(("all real reports", sets[0][1] + sorted(shared.glob("*.txt"))))
    return sets


def _rate(paths: list[Path], min_seconds: float = 3.0) -> tuple[float, int, int]:
    for p in paths:  # warm up: regex compilation, imports
        load_report(p)
    n = 0
    chars = 0
    start = time.perf_counter()
    while time.perf_counter() - start < min_seconds:
        for p in paths:
            chars += len(load_report(p).text)
            n += 1
    elapsed = time.perf_counter() - start
    return n / elapsed, n, int(chars / elapsed)


def _peak_memory(paths: list[Path]) -> float:
    tracemalloc.start()
    reports = [load_report(p) for p in paths]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del reports
    return peak / 2**20


def _large(paths: list[Path], sizes=LARGE_MB) -> list[str]:
    """Rows of the large-file table: seconds to load (read, decode, segment) one big file."""
    texts = [p.read_text(encoding="utf-8") for p in paths]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for shape in ("lines", "one line"):
            for mb in sizes:
                parts, size, k = [], 0, 0
                while size < mb * 2**20:
                    t = texts[k % len(texts)]
                    parts.append(t if shape == "lines" else t.replace("\n", " "))
                    size += len(t.encode("utf-8")) + 1
                    k += 1
                path = Path(tmp) / f"{shape}_{mb}.txt"
                path.write_text(("\n" if shape == "lines" else " ").join(parts), encoding="utf-8")
                start = time.perf_counter()
                report = load_report(path)
                elapsed = time.perf_counter() - start
                rows.append(f"| {shape} | {path.stat().st_size / 2**20:.1f} | {len(report.text):,} | "
                            f"{len(report.sections)} | {elapsed:.1f} | "
                            f"{path.stat().st_size / 2**20 / elapsed:.2f} |")
                path.unlink()
    return rows


def main() -> Path:
    rows = []
    for name, paths in _files():
        rate, n, cps = _rate(paths)
        peak = _peak_memory(paths)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append(f"| {name} | {len(paths)} | {n} | {rate:,.0f} | {cps / 1e6:.2f} | {peak:.1f} | "
                    f"{rss:.0f} | {'yes' if rate >= TARGET else 'NO'} |")
    large = _large(_files()[-1][1])
    table = "\n".join([
        "# Ingest + segment benchmark",
        "",
        f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        "one process (one core). Each report is read from disk, decoded, segmented into sections, "
        "parts, items and sentences, and its metadata extracted (`nlp.load_report`). "
        "Peak memory is the traced Python allocation while holding all reports of the set; "
        "process RSS is the whole interpreter's peak so far (imports included).",
        "",
        f"| set | reports | loads timed | reports/s | M chars/s | peak MiB | process RSS MiB | ≥ {TARGET}/s |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "## Large files",
        "",
        "The real reports concatenated into one file (`lines`), or with every line break made a "
        "space (`one line`, a flattened crawl), loaded once with `nlp.load_report`.",
        "",
        "| shape | MB | chars | sections | seconds | MB/s |",
        "|---|---|---|---|---|---|",
        *large,
        "",
        "Regenerate with `make bench`.",
        "",
    ])
    OUT.write_text(table, encoding="utf-8")
    return OUT


if __name__ == "__main__":
    print(main())
