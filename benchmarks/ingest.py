"""Ingest benchmark: metadata accuracy per field, ingest+segment speed, big files, OCR per page.

- Accuracy on the labelled crawl set (``tests/data/crawl/labels.jsonl``: our own fixtures in the
  shapes real crawls take) and on every real report we hold (the bundled seeds and
  ``../shared/corpora/reports``, truth below, read by hand). Targets: office, level, division
  code and year right on ≥ 98% of the labelled set.
- Speed of ``nlp.load_report`` on the real text reports (target ≥ 500 reports/s on one core).
- Time for one 1, 4, 16 and 50 MB text (linear: a 50 MB file in well under a minute), each in
  its own process with a time limit, so a regression reads as "> limit" instead of a hang.
- OCR seconds per page of a scanned PDF rendered from a seed report.
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nlp
from benchmarks.segment import _rate

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("ingest.md")
CRAWL = ROOT / "tests" / "data" / "crawl"
SHARED = ROOT.parent / "shared" / "corpora" / "reports"
SIZES_MB = (1, 4, 16, 50)
BIG_FILE_LIMIT_S = 300
FIELDS = ("office", "level", "division_code", "year", "publication_date")

# Real reports, read by hand: (file, level, division_code, year). The 平潭综合实验区 is not an
# administrative division (平潭县 is), so its 管委会's reports have no code; the Shanghai
# commissions are departments of 上海市 (310000). Seed 002 names no county, but 宜春日报 and
# 丰城报 place its 董家镇 in 丰城市 (the other 董家镇 is in 重庆市丰都县).
_PT = ("区", None)
REAL_TRUTH = {
    "000_71d75f3e6a21b3c1.txt": ("镇", "360981120", 2021),
    "001_c3db75ac4ce109b2.txt": ("镇", "621025104", 2021),
    "002_b23d82bc5c217586.txt": ("镇", "360981119", 2020),
    "003_7cb9d6fb7ae06721.txt": ("镇", "411224101", 2023),
    "004_9b91acb748aabddc.txt": ("镇", "230521102", 2021),
    "001.txt": ("市", "320800", 2024),
    "002.txt": ("区", "320813", 2023),
    "003.txt": ("区", "320813", 2024),
    "004.txt": (*_PT, 2019), "005.txt": (*_PT, 2020), "007.txt": (*_PT, 2022),
    "009.txt": (*_PT, 2024), "010.txt": (*_PT, 2018), "011.txt": (*_PT, 2025),
    "012.txt": (*_PT, 2017), "013.txt": (*_PT, 2016), "020.txt": (*_PT, 2015),
    "021.txt": (*_PT, 2014),
    "017.txt": ("部门", "310000", 2024),
    "018.txt": ("部门", "310000", 2025),
}


def _real_paths() -> list[Path]:
    paths = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))
    return paths + (sorted(SHARED.glob("*.txt")) if SHARED.is_dir() else [])


def _accuracy_rows(pairs: list[tuple[dict, dict]]) -> list[str]:
    """One row per field: right / labelled, and the files that are wrong."""
    rows = []
    for f in FIELDS:
        labelled = [(name, want, got) for name, (want, got) in pairs if f in want]
        right = [x for x in labelled if x[1][f] == x[2].get(f)]
        wrong = [f"{n} ({g.get(f)!r} ≠ {w[f]!r})" for n, w, g in labelled if w[f] != g.get(f)]
        if labelled:
            share = len(right) / len(labelled)
            rows.append(f"| {f} | {len(right)}/{len(labelled)} | {share:.3f} | "
                        f"{'; '.join(wrong[:6]) + (' …' if len(wrong) > 6 else '')} |")
    return rows


def _load(path: Path) -> dict:
    try:
        return vars(nlp.load_report(path).meta)
    except Exception as e:  # a fixture that does not even load counts as wrong on every field
        return {"error": str(e)}


def crawl_accuracy() -> tuple[list[str], int]:
    labels = [json.loads(l) for l in (CRAWL / "labels.jsonl").read_text(encoding="utf-8").splitlines()
              if l.strip()] if (CRAWL / "labels.jsonl").is_file() else []
    pairs = []
    for lab in labels:
        want = {f: lab[f] for f in FIELDS if f in lab and f != "office"}
        pairs.append((lab["file"], (want, _load(CRAWL / lab["file"]))))
    return _accuracy_rows(pairs), len(labels)


def real_accuracy() -> tuple[list[str], int]:
    pairs = []
    for p in _real_paths():
        level, code, year = REAL_TRUTH[p.name]
        pairs.append((p.name, ({"level": level, "division_code": code, "year": year}, _load(p))))
    return _accuracy_rows(pairs), len(pairs)


_BIG = """
import sys, time
from nlp.load import load_report
t = time.perf_counter(); r = load_report(sys.argv[1]); dt = time.perf_counter() - t
print(dt, len(r.text), len(r.sections), sum(len(s.sentences) for s in r.sections))
"""


def _big_text(mb: int) -> str:
    """A report whose 总体情况 runs on for ``mb`` megabytes (real paragraphs of a seed, repeated)."""
    text = (ROOT / "corpora" / "seeds" / "000_71d75f3e6a21b3c1.txt").read_text(encoding="utf-8")
    head, cut, rest = text.partition("二、")
    body = head[head.index("一、"):].split("\n", 1)[1]
    size, unit = len(text.encode("utf-8")), len(body.encode("utf-8"))
    return head + body * max(1, (mb * 2**20 - size) // unit) + cut + rest


def big_files() -> list[str]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in SIZES_MB:
            path = Path(tmp) / f"big_{mb}.txt"
            path.write_text(_big_text(mb), encoding="utf-8")
            size = path.stat().st_size / 2**20
            try:
                out = subprocess.run([sys.executable, "-c", _BIG, str(path)], capture_output=True, text=True,
                                     timeout=BIG_FILE_LIMIT_S, cwd=ROOT, check=True).stdout.split()
                dt, chars, secs, sents = float(out[0]), int(out[1]), int(out[2]), int(out[3])
                rows.append(f"| {size:.1f} | {chars:,} | {dt:.2f} | {chars / dt / 1e6:.2f} | {secs} | {sents:,} |")
            except subprocess.TimeoutExpired:
                rows.append(f"| {size:.1f} | – | > {BIG_FILE_LIMIT_S} | – | – | – |")
            except subprocess.CalledProcessError as e:
                rows.append(f"| {size:.1f} | – | failed: {e.stderr.strip().splitlines()[-1][:80]} | – | – | – |")
    return rows


def ocr_per_page() -> str:
    try:
        import rapidocr_onnxruntime  # noqa: F401

        from tests.scans import DPI, write_scanned_pdf
    except ImportError as e:  # the OCR extra or the dev extra is missing
        return f"not measured: {e}"
    text = (ROOT / "corpora" / "seeds" / "000_71d75f3e6a21b3c1.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "scan.pdf"
        pages = write_scanned_pdf(lines, pdf)
        nlp.load_report(pdf)  # warm up: the OCR engine loads its models once per process
        t = time.perf_counter()
        report = nlp.load_report(pdf)
        dt = time.perf_counter() - t
    return (f"**{dt / pages:.1f} s per page** (seed 000 drawn into {pages} A4 pages at {DPI} dpi, "
            f"one process, after warm-up; format {report.format!r}, {len(report.sections)} sections)")


def main() -> Path:
    crawl_rows, n_crawl = crawl_accuracy()
    real_rows, n_real = real_accuracy()
    rate, n, cps = _rate(_real_paths())
    head = "| field | right | share | wrong (got ≠ label) |\n|---|---|---|---|"
    load = os.getloadavg()[0]  # speed figures mean little on a busy machine: say how busy
    table = "\n".join([
        "# Ingest benchmark",
        "",
        f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"one process; load average {load:.1f} on {os.cpu_count()} cores when it ran. "
        "Regenerate with `make bench` (or `python -m benchmarks.ingest`).",
        "",
        f"## Metadata on the labelled crawl set ({n_crawl} fixtures, `tests/data/crawl/`)",
        "",
        "Target: office (division code), level and year right on ≥ 98%.",
        "",
        head, *crawl_rows,
        "",
        f"## Metadata on the real reports ({n_real}: seeds and `../shared/corpora/reports`)",
        "",
        "Truth read by hand (`REAL_TRUTH` in benchmarks/ingest.py); the 平潭综合实验区 is not a "
        "division, so its reports' right code is none.",
        "",
        head, *real_rows,
        "",
        "## Speed",
        "",
        f"Ingest + segment + metadata of the real text reports: **{rate:,.0f} reports/s** on one core "
        f"({n} loads, {cps / 1e6:.2f} M chars/s; target ≥ 500).",
        "",
        "One big text file (a seed whose 总体情况 is repeated), read, decoded, segmented, in its own "
        f"process (limit {BIG_FILE_LIMIT_S} s):",
        "",
        "| MB | chars | seconds | M chars/s | sections | sentences |",
        "|---|---|---|---|---|---|",
        *big_files(),
        "",
        f"OCR of a scanned PDF (a seed report drawn into page images): {ocr_per_page()}.",
        "",
    ])
    OUT.write_text(table, encoding="utf-8")
    return OUT


if __name__ == "__main__":
    print(main())
