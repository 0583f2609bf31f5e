"""Reuse detection: precision/recall on planted copies, time and memory at 1k/4k/16k reports,
and the speed ratio against all-pairs sentence comparison with rapidfuzz.

Each size runs in a fresh process (``python -m benchmarks.reuse --one N``) so its peak memory is
its own. Sections measured elsewhere (the real-report gold, the embedding model) are appended
when their tables exist.
"""
from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).with_name("reuse.md")
SIZES = (1000, 4000, 10000, 16000)
PAIR_SIZES = (125, 250, 500, 1000)
WORKERS = os.cpu_count() or 1
ALL_PAIRS_BUDGET_S = 150.0
#: The size also run without the embedding neighbours, to show what they add.
LEXICAL_SIZE = 10000


def run_one(n: int, workdir: Path, semantic: bool = True) -> dict:
    """Generate ``n`` reports, then time loading + detection + writing the outputs."""
    from nlp.corpus import apply_manifest, read_manifest
    from nlp.load import load_reports
    from nlp.reuse.detect import detect
    from nlp.reuse.distributed import pool_mapper
    from nlp.reuse.evaluate import load_truth, score, score_leaks
    from nlp.reuse.synth import synthesize

    synth = synthesize(n, workdir / f"synth{n}", seed=0)
    start = time.perf_counter()
    reports, skipped = load_reports(synth.outdir / "reports", workers=WORKERS)
    apply_manifest(reports, read_manifest(synth.manifest))
    loaded = time.perf_counter()
    with pool_mapper(WORKERS) as mapper:
        result = detect(reports, mapper=mapper, semantic=semantic)
    detected = time.perf_counter()
    result.write(workdir / f"out{n}")
    written = time.perf_counter()
    quality = score(result, load_truth(synth.truth))
    leaks = score_leaks(result, load_truth(synth.truth))
    return {"n": n, "skipped": len(skipped), "sentences": len(result.table),
            "load_s": loaded - start, "detect_s": detected - loaded, "write_s": written - detected,
            "total_s": written - start, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "quality": quality.to_dict("records"), "detected": quality.attrs["detected"],
            "correct": quality.attrs["correct"], "semantic": semantic,
            "by_kind": quality.attrs["by_detected_kind"], "leaks": leaks}


def all_pairs(n: int, workdir: Path, budget: float) -> dict | None:
    """Every sentence against every other with rapidfuzz (the obvious alternative), if it fits,
    and our detection step on the same corpus for the ratio."""
    import numpy as np
    from rapidfuzz import fuzz, process

    from nlp.corpus import apply_manifest, read_manifest
    from nlp.load import load_reports
    from nlp.reuse.candidates import build_table
    from nlp.reuse.detect import detect
    from nlp.reuse.distributed import pool_mapper
    from nlp.reuse.synth import synthesize

    synth = synthesize(n, workdir / f"pairs{n}", seed=0)
    reports, _ = load_reports(synth.outdir / "reports", workers=WORKERS)
    apply_manifest(reports, read_manifest(synth.manifest))
    start = time.perf_counter()
    with pool_mapper(WORKERS) as mapper:
        detect(reports, mapper=mapper)
    ours = time.perf_counter() - start
    texts = build_table(reports).masked
    start = time.perf_counter()
    for k in range(0, len(texts), 2000):
        process.cdist(texts[k:k + 2000], texts, scorer=fuzz.ratio, score_cutoff=80,
                      dtype=np.uint8, workers=WORKERS)
        if time.perf_counter() - start > budget:
            return None
    return {"n": n, "sentences": len(texts), "seconds": time.perf_counter() - start, "ours": ours}


def _row(r: dict) -> str:
    recall = {q["kind"]: q["recall"] for q in r["quality"]}
    precision = r["correct"] / r["detected"] if r["detected"] else float("nan")
    label = f"{r['n']:,}" + ("" if r.get("semantic", True) else " (no embeddings)")
    return (f"| {label} | {r['sentences']:,} | {r['load_s']:.1f} | {r['detect_s']:.1f} | "
            f"{r['write_s']:.1f} | **{r['total_s']:.1f}** | {r['peak_mib']:,.0f} | "
            f"{recall.get('verbatim', 0):.3f} | {recall.get('edited', 0):.3f} | "
            f"{recall.get('names_swapped', 0):.3f} | {recall.get('paraphrased', 0):.3f} | {precision:.3f} | "
            f"{r['leaks']['recall']:.3f} | {r['leaks']['precision']:.3f} |")


def _semantic_lines(results: list[dict]) -> list[str]:
    """The same corpus with and without the embedding neighbours, and the precision per kind."""
    with_, without = (next((r for r in results if r["n"] == LEXICAL_SIZE and r["semantic"] == flag),
                           None) for flag in (True, False))
    if not with_ or not without:
        return []
    rec = {key: {q["kind"]: q["recall"] for q in r["quality"]} for key, r in
           (("with", with_), ("without", without))}
    kinds = ", ".join(f"{kind} {rec['without'][kind]:.3f} → {rec['with'][kind]:.3f}"
                      for kind in ("paraphrased", "edited", "verbatim", "names_swapped"))
    per_kind = "; ".join(f"{kind} {c}/{d}" for kind, (d, c) in sorted(with_["by_kind"].items()))
    return [
        f"At {LEXICAL_SIZE:,} reports, the embedding neighbours (`nlp/reuse/semantic.py`: the "
        "shipped zh-static-use model, a faiss index, then the same rapidfuzz verification) move "
        f"recall per planted kind: {kinds}. They cost {with_['detect_s'] - without['detect_s']:.1f} s "
        "of detection. Correct detected passages by the kind the detector gave them: "
        f"{per_kind} (`semantic`: found only through the embeddings).",
        "",
        "Measured once while choosing the design (not re-run by this script): letting the "
        "embedding decide instead of only propose was rejected, because accepting "
        "pairs rapidfuzz rejects at cosine ≥ 0.985 and ratio ≥ 60 added 22 passages at 10,000 "
        "reports and none was a planted copy (unrelated sentences on one stock frame). On the real "
        "gold below the paraphrases are rewritten clauses, not swapped words: their median cosine "
        "is 0.963, where the nearest unrelated sentence of a synthetic report already sits at 0.952, "
        "and a soft word-match score (BERTScore-style over the model's word vectors) does not "
        "separate them either (median 0.76 against 0.70), so real paraphrase recall stays low.",
    ]


def main() -> Path:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, flag in [*((n, "") for n in SIZES), (LEXICAL_SIZE, "--lexical")]:
            done = subprocess.run([sys.executable, "-m", "benchmarks.reuse", "--one", str(n), tmp,
                                   *([flag] if flag else [])], capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(done.stderr[-3000:])
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        baseline = None
        for n in PAIR_SIZES:
            got = all_pairs(n, Path(tmp), ALL_PAIRS_BUDGET_S)
            if got is None:
                break
            baseline = got
    ratio = baseline["seconds"] / baseline["ours"] if baseline else None
    lines = [
        "# Template reuse benchmark",
        "",
        f"Machine: {platform.machine()}, {WORKERS} cores, CPython {platform.python_version()}. "
        "Corpora from `govnlp synth N --seed 0` (planted copies with exact truth). *Total* is reuse "
        "detection end to end: read and segment every report, find, verify and align copies, "
        f"build families, measures and leaks ({WORKERS} processes), and write the output files. "
        "Peak memory is the process's maximum RSS. Recall is per kind of planted copy; precision "
        "is over the detected cross-office and self-copy passages (template passages excluded). "
        "Leaks: a planted leak (the source's name or level word left in the copy) is found, and a "
        "flagged one correct, when their spans overlap; county and department names are not "
        "looked for yet, which is most of what recall misses.",
        "",
        "| reports | sentences | load s | detect s | write s | total s | peak MiB | recall verbatim | "
        "recall edited | recall names swapped | recall paraphrased | precision | leak recall | "
        "leak precision |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        *(_row(r) for r in results),
        "",
        "Targets: recall and precision ≥ 0.95 on verbatim and edited copies; 10,000 reports end to "
        "end in under 2 minutes on this 2-core machine.",
        "",
        "## What the sentence embeddings add",
        "",
        *_semantic_lines(results),
        "",
        "## Against all-pairs sentence comparison",
        "",
    ]
    if baseline:
        lines.append(
            f"All-pairs `rapidfuzz.process.cdist` (fuzz.ratio ≥ 80, {WORKERS} workers) on the largest "
            f"size it finished within {ALL_PAIRS_BUDGET_S:.0f} s: {baseline['n']:,} reports "
            f"({baseline['sentences']:,} sentences) took {baseline['seconds']:.1f} s against "
            f"{baseline['ours']:.1f} s for our detection step on the same corpus: "
            f"**{ratio:.1f}× faster**. All-pairs cost grows with the square of the corpus; ours "
            "grows with its size (see the table).")
    else:
        lines.append("All-pairs comparison did not finish the smallest size within the budget.")
    for extra in ("reuse_gold.md", "reuse_embeddings.md"):
        path = OUT.with_name(extra)
        if path.is_file():
            lines += ["", path.read_text(encoding="utf-8").replace("\n# ", "\n## ", 1)
                      .replace("# ", "## ", 1)]
    lines += ["", "Regenerate with `make bench` (or `python -m benchmarks.reuse`).", ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    return OUT


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(run_one(int(sys.argv[2]), Path(sys.argv[3]), "--lexical" not in sys.argv)))
    else:
        print(main())
