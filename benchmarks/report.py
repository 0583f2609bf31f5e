"""The study report and the reuse viewer at scale: time and size to write them, and the time
headless Chromium takes to open them, on synthetic corpora (``govnlp synth``).

Each size runs in a fresh process (``python -m benchmarks.report --one N``) so its peak memory
is its own; ``--sizes 1000,10000`` picks the sizes. Chromium times are wall-clock seconds of a
headless run that loads the page, runs its scripts and dumps the DOM, less the same run on an
empty page (browser start-up); the viewer also reports when its first pair was on screen
(``performance.now()`` in the page).

``--cli SYNTH OUT``: ``govnlp report`` as a whole under ``/usr/bin/time -v`` (it streams: a batch
of whole offices at a time, ``nlp/report/stream.py``); ``--phases SYNTH OUT [N]``: the same
study in this process, the time and memory of each phase (reuse, keywords, batches, page).
"""
from __future__ import annotations

import json
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).with_name("report.md")
SIZES = (1000, 2000)
#: Sizes at which only the viewer is measured: the study's per-report steps (classifier,
#: TextRank summaries, history) run ~0.1 s a report here, so 10,000 would take ~25 min.
VIEWER_SIZES = (10000,)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Chromium runs per page; the median is reported.
RUNS = 3


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def chromium_seconds(url: str) -> tuple[float, str]:
    """Median wall-clock seconds of a headless Chromium run that opens ``url`` and dumps its
    DOM, and the last DOM."""
    times, dom = [], ""
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as profile:
            start = time.perf_counter()
            done = subprocess.run(
                [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--virtual-time-budget=30000", "--dump-dom", url],
                capture_output=True, text=True, timeout=600)
            times.append(time.perf_counter() - start)
            dom = done.stdout
    return sorted(times)[len(times) // 2], dom


def run_one(n: int, workdir: Path, study: bool = True) -> dict:
    """Generate ``n`` reports; time the study (reuse detection apart) and the viewer; open both
    (``study`` False: the viewer only)."""
    import nlp
    from nlp.report.study import write_study
    from nlp.report.viewer import write_viewer
    from nlp.reuse.detect import detect
    from nlp.reuse.synth import synthesize

    synth = synthesize(n, workdir / "synth", seed=0)
    t0 = time.perf_counter()
    corpus = nlp.Corpus(synth.outdir / "reports", manifest=synth.manifest, progress=False)
    t1 = time.perf_counter()
    result = detect(corpus.reports)
    t2 = time.perf_counter()
    write_viewer(result, workdir / "viewer")
    t3 = time.perf_counter()
    if study:
        write_study(corpus, workdir / "study", reuse=result)
    t4 = time.perf_counter()
    row = {"n": n, "study": study, "load_s": t1 - t0, "detect_s": t2 - t1, "viewer_s": t3 - t2,
           "study_s": t4 - t3 if study else None,
           "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
           "index_bytes": (workdir / "study" / "index.html").stat().st_size if study else 0,
           "study_bytes": folder_bytes(workdir / "study") if study else 0,
           "page_bytes": (workdir / "viewer" / "viewer.html").stat().st_size,
           "viewer_index_bytes": (workdir / "viewer" / "viewer" / "index.js").stat().st_size,
           "font_bytes": (workdir / "viewer" / "viewer" / "font.css").stat().st_size,
           "viewer_bytes": folder_bytes(workdir / "viewer"),
           "viewer_files": sum(1 for _ in (workdir / "viewer" / "viewer" / "docs").iterdir())}
    if CHROMIUM:
        blank = workdir / "blank.html"
        blank.write_text("<!doctype html><title>x</title>", encoding="utf-8")
        base, _ = chromium_seconds(blank.as_uri())
        viewer_s, dom = chromium_seconds((workdir / "viewer" / "viewer.html").as_uri())
        ms = re.search(r'data-ms="(\d+)"', dom)
        row.update(chromium_base_s=base, viewer_open_s=viewer_s - base,
                   viewer_ready_ms=int(ms.group(1)) if ms else None,
                   viewer_ok=bool(re.search(r'data-ready="\d+,\d+"', dom)))
        if study:
            row["study_open_s"] = chromium_seconds((workdir / "study" / "index.html").as_uri())[0] - base
    return row


def _mb(b: int) -> str:
    return f"{b / 1e6:.1f} MB" if b >= 1e6 else f"{b / 1e3:.0f} KB"


#: The section of ``report.md`` written from whole-command runs (``--cli``), kept by ``main``.
CLI_SECTION = "## The command at scale"


def measure(n: int, study: bool = True) -> dict:
    """One size in a fresh process."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.report", "--one" if study else "--viewer", str(n)],
                          capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(sizes: tuple[int, ...] = SIZES, viewer_sizes: tuple[int, ...] = VIEWER_SIZES,
         rows: list[dict] | None = None) -> Path:
    """Run every size in its own process (the study at ``sizes``, the viewer alone at
    ``viewer_sizes``); write benchmarks/report.md and return its path. ``rows``: measurements
    already made (``--one``/``--viewer`` output), used instead of running."""
    rows = rows if rows is not None else ([measure(n) for n in sizes]
                                          + [measure(n, study=False) for n in viewer_sizes])
    studies = [r for r in rows if r.get("study", True)]
    lines = [
        "# Study report and reuse viewer at scale", "",
        f"Machine: {platform.machine()}, 2 cores shared, CPython {platform.python_version()}. "
        "Corpora from `govnlp synth N --seed 0`. *study s* is `write_study` given the reuse result "
        "(every frame, classifier, summaries, topics, history, figures, the font, the files and "
        "the reuse folder with its viewer); *viewer s* is `write_viewer` alone. Chromium: headless, "
        f"median of {RUNS} runs, browser start-up ({rows[0].get('chromium_base_s', 0):.2f} s) "
        "subtracted; *ready ms* is when the viewer's first pair was on screen, as the page "
        "measured it. The viewer it replaced held every text in one page: 9.7 MB opening in 2.8 s "
        "at 1,000 reports, 19.7 MB in 4.3 s at 2,000, 95 MB in 43.5 s at 10,000 (measured once, "
        "2026-12-04, before it was removed).", "",
        "| reports | load s | detect s | study s | study page | study folder | open study s |",
        "|---|---|---|---|---|---|---|",
        *(f"| {r['n']:,} | {r['load_s']:.1f} | {r['detect_s']:.1f} | **{r['study_s']:.1f}** | "
          f"{_mb(r['index_bytes'])} | {_mb(r['study_bytes'])} | {r.get('study_open_s', float('nan')):.2f} |"
          for r in studies), "",
        "| reports | viewer s | viewer.html | index.js | font.css | all files | report files | "
        "open viewer s | ready ms |",
        "|---|---|---|---|---|---|---|---|---|",
        *(f"| {r['n']:,} | {r['viewer_s']:.1f} | {_mb(r['page_bytes'])} | {_mb(r['viewer_index_bytes'])} | "
          f"{_mb(r['font_bytes'])} | {_mb(r['viewer_bytes'])} | {r['viewer_files']:,} | "
          f"**{r.get('viewer_open_s', float('nan')):.2f}** | {r.get('viewer_ready_ms')} |"
          for r in rows), "",
        "Peak memory (MiB): " + ", ".join(f"{r['n']:,}: {r['peak_mib']:.0f}" for r in rows) + ".",
        "",
        "The study is not run at "
        + ", ".join(f"{n:,}" for n in sorted({r['n'] for r in rows} - {r['n'] for r in studies}))
        + " reports (only the viewer is): it is linear, dominated by per-report steps (the "
        "statement classifier, TextRank summaries with jieba, `nlp.history`) at "
        f"{studies[-1]['study_s'] / studies[-1]['n']:.3f} s a report here "
        f"(≈{studies[-1]['study_s'] / studies[-1]['n'] * max(r['n'] for r in rows) / 60:.0f} min "
        f"at {max(r['n'] for r in rows):,}). The page is top-N tables and aggregated figures, so "
        "its size does not grow with the corpus; the study folder does (it holds every frame: "
        "sentences.csv, sections.csv with their text …)." if studies and len(studies) < len(rows) else "",
    ]
    text = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
    kept = text[text.index(CLI_SECTION):] if CLI_SECTION in text else ""  # whole-command runs
    OUT.write_text("\n".join(lines) + "\n" + ("\n" + kept if kept else ""), encoding="utf-8")
    return OUT


def _rss_mib() -> int:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) // 1024


def phase_run(folder: Path, out: Path, n: int | None = None, workers: int = 2) -> dict:
    """The streamed study (``nlp/report/stream.py``, what ``govnlp report`` runs) of
    ``folder/reports`` (its first ``n`` files) with ``folder/manifest.csv``, phase by phase:
    wall seconds, then RSS and peak RSS (MiB) of this process after each phase."""
    import nlp.report.stream as S
    from nlp.offices import OfficeBatches
    from nlp.reuse.stream import detect_stream

    phases: dict[str, list] = {}
    clock = [time.perf_counter()]

    def mark(name: str) -> None:
        now = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        phases[name] = [round(now - clock[0], 1), _rss_mib(), peak]
        clock[0] = now

    files = sorted((folder / "reports").glob("*.txt"))[:n] if n else folder / "reports"
    batches = OfficeBatches(files, folder / "manifest.csv", workers=workers, progress=False)
    mark("metadata")
    reuse = detect_stream([f.path for f in batches.files], manifest=batches.manifest)
    mark("reuse")
    fit, results = S._fit_keywords, S._batch_results

    def fitted(*a):
        ex = fit(*a)
        mark("keywords")
        return ex

    def batch_results(*a):
        yield from results(*a)
        mark("batches")

    S._fit_keywords, S._batch_results = fitted, batch_results
    try:
        S.stream_study(batches, out, workers=workers, progress=False, reuse=reuse)
    finally:
        S._fit_keywords, S._batch_results = fit, results
    mark("page and reuse files")
    return {"reports": len(batches), "phases [s, rss MiB, peak MiB]": phases,
            "workers peak MiB": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--cli":  # --cli SYNTH_FOLDER OUT: govnlp report
        from benchmarks.history import cli_run

        print(json.dumps(cli_run("report", Path(sys.argv[2]), Path(sys.argv[3]))))
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "--phases":  # --phases SYNTH OUT [N]
        n = int(sys.argv[4]) if len(sys.argv) == 5 else None
        print(json.dumps(phase_run(Path(sys.argv[2]), Path(sys.argv[3]), n)))
    elif len(sys.argv) == 3 and sys.argv[1] in ("--one", "--viewer"):
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(run_one(int(sys.argv[2]), Path(tmp), study=sys.argv[1] == "--one")))
    elif len(sys.argv) == 3 and sys.argv[1] == "--rows":  # JSON lines of --one/--viewer output
        print(main(rows=[json.loads(l) for l in Path(sys.argv[2]).read_text().splitlines() if l.strip()]))
    else:
        print(main())
