"""The main job on a corpus (what ``make demo`` runs): every result as files in one folder.

Segment, classify, tables and checks, reuse detection and summaries, each written as CSV/JSONL
(plus the reuse viewer and two plots), and an ``index.html`` that links them all.
"""
from __future__ import annotations

import html
from pathlib import Path

from nlp.corpus import Corpus


def run_demo(corpus: Corpus, outdir: str | Path) -> list[Path]:
    """Run every analysis on ``corpus`` and write its results under ``outdir``.

    The folder is written whole (:func:`nlp.atomic.atomic_folder`): a failed or killed run leaves
    the previous results, and files govnlp did not write are never removed.
    """
    from nlp.atomic import atomic_folder

    outdir = Path(outdir)
    with atomic_folder(outdir) as tmp:
        written = _write_all(corpus, tmp)
    return [outdir / p.relative_to(tmp) for _, p in written]


def _write_all(corpus: Corpus, outdir: Path) -> list[tuple[str, Path]]:
    written: list[tuple[str, Path]] = []

    def save(name: str, content: str, what: str) -> None:
        p = outdir / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content, encoding="utf-8")
        written.append((what, p))

    from nlp.dataset.write import csv_text, jsonl_text

    sections = corpus.sections_frame()
    save("sections.jsonl", jsonl_text(sections), "sections of every report (govnlp segment)")
    # every file in its frame's columns (docs/schema.md), lists ;-joined like every CSV
    for name, frame, what in (
            ("reports.csv", corpus.reports_frame(), "one row per report: metadata and warnings"),
            ("sections.csv", sections, "one row per section"),
            ("items.csv", corpus.items_frame(), "enumerated items (一是…)"),
            ("sentences.csv", corpus.sentences_frame(), "narrative sentences"),
            ("statements.csv", corpus.statements_frame(), "section 五 statements: problem / improvement, topics"),
            ("tables.csv", corpus.tables_frame(), "statistical tables, one row per cell"),
            ("checks.csv", corpus.checks_frame(), "table consistency checks")):
        save(name, csv_text(frame), what)

    from nlp.reuse.detect import detect

    reuse = detect(corpus.reports)
    for p in reuse.write(outdir / "reuse"):
        written.append((f"template reuse: {p.name}", p))
    written += _plots(reuse, outdir)
    save("summaries.csv", csv_text(corpus.summary_frame(reuse=reuse)),
         "per-section summaries, keywords and boilerplate share")
    save("index.html", _index(corpus, written), "this page")
    return written


def _plots(reuse, outdir: Path) -> list[tuple[str, Path]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nlp.reuse.plots import copy_network, shared_text_heatmap

    out = []
    for name, plot, what in (("reuse_heatmap.png", shared_text_heatmap, "text shared between offices"),
                             ("reuse_network.png", copy_network, "who copies from whom")):
        ax = plot(reuse)
        path = outdir / name
        ax.figure.savefig(path, bbox_inches="tight", dpi=110)
        plt.close(ax.figure)
        out.append((what, path))
    return out


def _index(corpus: Corpus, written: list[tuple[str, Path]]) -> str:
    root = written[0][1].parent if written else Path(".")
    links = "\n".join(f'<li><a href="{html.escape(str(p.relative_to(root)))}">'
                      f'{html.escape(str(p.relative_to(root)))}</a> — {html.escape(what)}</li>'
                      for what, p in written)
    skipped = "".join(f"<li>{html.escape(str(e))}</li>" for e in corpus.skipped)
    return ("<!doctype html><meta charset='utf-8'><title>govnlp demo</title>"
            f"<h1>govnlp demo: {len(corpus)} reports</h1><ul>{links}\n"
            '<li><a href="index.html">index.html</a> — this page</li></ul>'
            + (f"<h2>Skipped</h2><ul>{skipped}</ul>" if skipped else ""))
