"""The corpus index: build time against `govnlp reuse` on the same corpus, size on disk, and
`reuse query` latency in the library and from the command line.

    python -m benchmarks.index [N] [--corpus DIR]

N synthetic reports (``govnlp synth N --seed 0``; default 10,000); ``--corpus`` reuses a folder
``govnlp synth`` already wrote. `govnlp reuse` and `govnlp index build` each run as a command in
a fresh process, one after the other, with the same workers; their peak memory is their own.
"""
from __future__ import annotations

import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).with_name("index.md")
ROOT = Path(__file__).resolve().parents[1]
N = 10000
WORKERS = os.cpu_count() or 1
#: Indexed reports asked for (a random sample, seed 0); latency is per query.
QUERIES = 50
CLI_QUERIES = 5
#: New reports (``synth --seed 1``) added to the built index: what an update costs.
ADDED = 100


def _command(args: list[str]) -> tuple[float, float, dict[str, float]]:
    """Wall seconds and peak RSS (MiB) of one `govnlp` command in its own process, and when
    (seconds from the start) it printed its ``detecting …`` and ``writing …`` progress lines."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"})
    marks, tail = {}, []
    for line in proc.stderr:
        tail = (tail + [line])[-20:]
        for mark in ("detecting", "writing"):
            if line.startswith(mark):
                marks[mark] = time.perf_counter() - start
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status:
        raise SystemExit(f"govnlp {' '.join(args[:2])} failed: {''.join(tail)}")
    return wall, usage.ru_maxrss / 1024, marks


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(n: int, corpus: Path | None, workdir: Path) -> dict:
    from nlp.load import load_report
    from nlp.reuse.store import ReuseIndex, open_index
    from nlp.reuse.synth import synthesize

    if corpus is None:
        corpus = synthesize(n, workdir / "synth", seed=0).outdir
    reports, manifest = corpus / "reports", corpus / "manifest.csv"
    n = sum(1 for _ in reports.glob("*.txt"))
    common = ["--manifest", str(manifest), "-j", str(WORKERS)]
    reuse_s, reuse_mib, _ = _command(["reuse", str(reports), "-o", str(workdir / "reuse"), *common])
    db = workdir / "corpus.duckdb"
    build_s, build_mib, build_marks = _command(["index", "build", str(reports), "-o", str(db), *common])
    index_mib = db.stat().st_size / 2**20
    frames = open_index(db)
    counts = {k: len(getattr(frames, k)) for k in ("reports", "sections", "sentences", "cells",
                                                   "passages", "families")}
    paths = random.Random(0).sample(sorted(frames.reports["path"]), QUERIES)
    asked = [load_report(p) for p in paths]
    with ReuseIndex(db, read_only=True) as ix:  # one open index, many questions
        ix.query(asked[0])
        warm = []
        for r in asked:
            t = time.perf_counter()
            found = ix.query(r)
            warm.append(time.perf_counter() - t)
            assert ix.find(r) is not None
    cold = []
    for r in asked:  # open, ask, close: a notebook's one-off question
        t = time.perf_counter()
        with ReuseIndex(db, read_only=True) as ix:
            ix.query(r)
        cold.append(time.perf_counter() - t)
    cli = [_command(["reuse", "query", p, "--index", str(db)])[0] for p in paths[:CLI_QUERIES]]
    more = synthesize(ADDED, workdir / "more", seed=1).outdir  # other reports, not in the index
    add_s, add_mib, add_marks = _command(["index", "add", str(more / "reports"), "--index", str(db),
                                          "--manifest", str(more / "manifest.csv"),
                                          "-j", str(WORKERS)])
    return {"n": n, "reuse_s": reuse_s, "reuse_mib": reuse_mib, "build_s": build_s,
            "build_mib": build_mib, "build_marks": build_marks, "add_s": add_s,
            "add_mib": add_mib, "add_marks": add_marks, "index_mib": index_mib,
            "corpus_mib": _dir_size(reports) / 2**20,
            "reuse_out_mib": _dir_size(workdir / "reuse") / 2**20, "counts": counts,
            "index_after_mib": db.stat().st_size / 2**20,
            "warm_ms": [x * 1000 for x in warm], "cold_ms": [x * 1000 for x in cold],
            "cli_s": cli, "last_found": len(found)}


def _span(marks: dict, start, end) -> str:
    """Seconds between two progress marks (None: the process start; a number: that time)."""
    a = 0.0 if start is None else marks.get(start)
    b = end if isinstance(end, float) else marks.get(end)
    return "?" if a is None or b is None else f"{b - a:.1f} s"


def _ms(xs: list[float]) -> str:
    xs = sorted(xs)
    return f"median {statistics.median(xs):.1f} ms, p95 {xs[int(0.95 * (len(xs) - 1))]:.1f} ms, max {xs[-1]:.1f} ms"


def write(r: dict) -> Path:
    c = r["counts"]
    lines = [
        "# Corpus index benchmark", "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared with other jobs while "
        f"measured), CPython {platform.python_version()}. Corpus: `govnlp synth {r['n']} --seed 0` "
        f"({r['corpus_mib']:.0f} MiB of text) with its manifest; both commands with "
        f"`-j {WORKERS}`, each in a fresh process. Reproduce: `python -m benchmarks.index {r['n']}`.",
        "",
        "## Build against `govnlp reuse`", "",
        "`govnlp index build` runs the same detection as `govnlp reuse` (`nlp.reuse.detect.detect`) "
        "and stores its results with the reports, sections, sentences, table cells and statements "
        "(section 五, classified); the extra time is parsing every table, classifying the "
        "statements (both spread over the workers) and writing the rows into DuckDB.", "",
        "| command | wall s | peak MiB | output on disk MiB |", "|---|---|---|---|",
        f"| `govnlp reuse CORPUS -o DIR` | {r['reuse_s']:.1f} | {r['reuse_mib']:,.0f} | {r['reuse_out_mib']:.1f} |",
        f"| `govnlp index build CORPUS -o F` | {r['build_s']:.1f} | {r['build_mib']:,.0f} | {r['index_mib']:.1f} |",
        f"| `govnlp index add NEW --index F` ({ADDED} new reports) | {r['add_s']:.1f} | {r['add_mib']:,.0f} | {r['index_after_mib']:.1f} |",
        "",
        f"Where the build's time goes: reading and segmenting {_span(r['build_marks'], None, 'detecting')}; "
        f"detection, then parsing tables and classifying statements, {_span(r['build_marks'], 'detecting', 'writing')}; "
        f"writing into DuckDB {_span(r['build_marks'], 'writing', r['build_s'])}. "
        f"The add reads its {ADDED} files, rebuilds the stored reports from their stored sentences "
        f"({_span(r['add_marks'], None, 'detecting')} for both) and re-runs detection over all "
        f"{r['n'] + ADDED:,} reports ({_span(r['add_marks'], 'detecting', 'writing')}): detection "
        "is a property of the whole corpus (a family's size, who wrote first), so an add costs "
        "about one detection, not one per new report.",
        "",
        f"The index holds {c['reports']:,} reports, {c['sections']:,} sections, "
        f"{c['sentences']:,} sentences, {c['cells']:,} table cells, {c['passages']:,} passages "
        f"and {c['families']:,} families in one file of {r['index_mib']:.1f} MiB "
        f"({r['index_mib'] / r['corpus_mib']:.2f}× the corpus text).", "",
        "## `reuse query` latency", "",
        f"{QUERIES} indexed reports drawn at random (seed 0), each already loaded as a Report "
        "(latency of the index, not of reading the file):", "",
        f"* library, one open `ReuseIndex`: {_ms(r['warm_ms'])};",
        f"* library, open + query + close each time: {_ms(r['cold_ms'])};",
        f"* command line `govnlp reuse query FILE --index F` ({CLI_QUERIES} files; the process "
        f"starts, imports, reads and segments the file): median {statistics.median(r['cli_s']):.2f} s.",
        "",
        "Target: well under 1 s in the library. A report *not* in the index is answered by one "
        "detection over the indexed reports plus it (what `index add` would store), so it costs "
        "about the build's detection time; `govnlp index add` it once to make it a lookup.", "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    return OUT


def main(argv: list[str] | None = None) -> Path:
    argv = list(sys.argv[1:] if argv is None else argv)
    corpus = None
    if "--corpus" in argv:
        k = argv.index("--corpus")
        corpus = Path(argv[k + 1])
        del argv[k:k + 2]
    n = int(argv[0]) if argv else N
    with tempfile.TemporaryDirectory() as tmp:
        return write(measure(n, corpus, Path(tmp)))


if __name__ == "__main__":
    print(f"wrote {main()}")
