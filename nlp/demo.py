"""The main job on a corpus (what ``make demo`` runs): every result as files in one folder."""
from __future__ import annotations

import html
import json
from pathlib import Path

from nlp.corpus import Corpus


def run_demo(corpus: Corpus, outdir: str | Path) -> list[Path]:
    """Segment the corpus and write sections, parts, items and sentences as JSONL/CSV files."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(name: str, content: str) -> None:
        p = outdir / name
        p.write_text(content, encoding="utf-8")
        written.append(p)

    save("sections.jsonl", "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n"
                                   for r in corpus.reports))
    for name, frame in (("reports.csv", corpus.reports_frame()),
                        ("sections.csv", corpus.sections_frame().drop(columns=["text"])),
                        ("parts.csv", corpus.parts_frame()),
                        ("items.csv", corpus.items_frame()),
                        ("sentences.csv", corpus.sentences_frame())):
        save(name, frame.to_csv(index=False))
    links = "\n".join(f'<li><a href="{html.escape(p.name)}">{html.escape(p.name)}</a></li>'
                      for p in written)
    skipped = "".join(f"<li>{html.escape(str(e))}</li>" for e in corpus.skipped)
    save("index.html", f"<!doctype html><meta charset='utf-8'><title>govnlp demo</title>"
                       f"<h1>govnlp demo: {len(corpus)} reports</h1><ul>{links}</ul>"
                       + (f"<h2>Skipped</h2><ul>{skipped}</ul>" if skipped else ""))
    return written
