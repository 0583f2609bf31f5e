"""A synthetic corpus with known copies: the ground truth for measuring reuse detection.

``synthesize(n, outdir, seed)`` writes ``n`` reports on the national template (title, preamble,
sections 一 to 六 with (一)(二) parts and 一是/二是 items, the three tables, a signature) for
towns, counties and departments of invented cities, 2019-2024. Their narrative recombines clauses
of the five bundled seeds with a phrase grammar (``data/phrases.txt``) so that unrelated reports
share only the national template. Then it plants copies of 1-4 consecutive sentences of a report
A into a report B of the same or a later year: ``verbatim``, ``edited`` (1-3 character edits),
``names_swapped`` (A's names, years and numbers replaced by B's) and ``paraphrased`` (synonyms
swapped), some ``leak``-ing A's name or level word. ``DIR/truth.jsonl`` holds every copy with
exact offsets in both files, so a detector's recall and precision are counted, not estimated.
"""
from __future__ import annotations

import csv
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nlp.reuse.synth_draft import (FIRST_YEAR, KINDS, LEVEL_WORDS, SYNONYMS, _Draft, _draft,
                                   _Sent, _slots)
from nlp.reuse.synth_plant import _plant, _plant_model

__all__ = ["synthesize", "SynthResult", "read_truth", "read_model", "MODEL_FILE", "FIRST_YEAR",
           "KINDS", "LEVEL_WORDS", "SYNONYMS"]


@dataclass
class SynthResult:
    """Where the corpus went and what was planted in it."""

    outdir: Path
    manifest: Path
    truth: Path
    reports: int
    offices: int
    copies: int
    kinds: dict[str, int] = field(default_factory=dict)
    leaks: int = 0
    self_copies: int = 0

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {v}" for k, v in self.kinds.items())
        return (f"{self.reports} reports of {self.offices} offices in {self.outdir}: {self.copies} "
                f"planted copies ({kinds}; {self.self_copies} self-copies, {self.leaks} leaks) "
                f"in {self.truth.name}")


# -- writing ----------------------------------------------------------------------------------------
def _render(d: _Draft) -> str:
    """The report's text; every sentence learns its offsets on the way."""
    out, pos, ctx = [], 0, d.ctx
    for part in d.parts:
        if isinstance(part, str):
            out.append(part)
            pos += len(part)
            continue
        for s in part.sents:
            text = s.tmpl.format(*s.nums, **ctx)
            s.start, s.end = pos, pos + len(text)
            out.append(text)
            pos = s.end
    return "".join(out)


def synthesize(n: int, outdir: str | Path, seed: int = 0, copies_per_report: float = 0.8,
               leak_rate: float = 0.12, self_rate: float = 0.25, county_rate: float = 0.35,
               progress: bool = False, county_model: float | None = None) -> SynthResult:
    """Write ``n`` synthetic reports with planted copies to ``outdir``; same seed, same bytes.

    Writes ``reports/00001.txt`` …, ``manifest.csv`` (path,office,region,level,year) and
    ``truth.jsonl``, one planted copy a line: ``{"id", "kind", "a": {"path", "start", "end"},
    "b": {…}, "self_copy", "leak"}``, ``a`` the source (never later than ``b``), offsets into the
    decoded text, ``leak`` null or ``{"b_span": [start, end], "text", "type"}`` (``other_office``
    or ``wrong_level``). Of the copies, a share ``self_rate`` goes to the same office a year
    later, ``county_rate`` to another office of the same county, the rest across counties.

    ``county_model`` (a share, 0-1): a study of one county instead. Every office is of one county
    (丰河县 of 临江市: its government, which reports every year from ``FIRST_YEAR``, its towns and
    departments), the county government writes a model paragraph into section 五 and that share
    of the other offices copy it verbatim (but for names and years). ``model.jsonl`` lists it:
    ``{"region", "source", "members": [{"path", "start", "end"}…]}``, ``source`` the county's
    earliest report.
    """
    from nlp.atomic import atomic_folder, check_folder
    from nlp.progress import track

    rng, outdir = random.Random(seed), Path(outdir)
    check_folder(outdir)  # before composing: refuse a folder of someone else's files at once
    slots = _slots(rng, n, one_county=county_model is not None)
    drafts = [_draft(rng, *slot) for slot in (track(slots, "Composing reports") if progress else slots)]
    model = _plant_model(rng, drafts, county_model) if county_model is not None else []
    planted = _plant(rng, drafts, round(n * copies_per_report), leak_rate, self_rate, county_rate)
    paths = [f"reports/{i + 1:0{max(5, len(str(n)))}d}.txt" for i in range(n)]
    # Written whole: a killed run leaves the previous corpus, and a rerun replaces only the files
    # govnlp wrote (a smaller run leaves no stale reports behind; a user's own files are kept).
    with atomic_folder(outdir) as tmp:
        (tmp / "reports").mkdir()
        for i in track(range(n), "Writing reports") if progress else range(n):
            with open(tmp / paths[i], "w", encoding="utf-8", newline="") as f:
                f.write(_render(drafts[i]))
        with open(tmp / "manifest.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(("path", "office", "region", "level", "year"))
            w.writerows((p, d.office.name, d.office.region, d.office.level, d.year)
                        for p, d in zip(paths, drafts))
        lines = []
        for cid, (kind, a, src, b, new, self_copy, leak) in enumerate(planted):
            span = leak and [leak[0].start + leak[1], leak[0].start + leak[2]]
            lines.append(json.dumps({
                "id": cid, "kind": kind, "a": {"path": paths[a], "start": src[0].start, "end": src[-1].end},
                "b": {"path": paths[b], "start": new[0].start, "end": new[-1].end}, "self_copy": self_copy,
                "leak": leak and {"b_span": span, "text": leak[3], "type": leak[4]} or None}, ensure_ascii=False))
        (tmp / "truth.jsonl").write_text("\n".join(lines) + "\n" if lines else "", encoding="utf-8")
        if county_model is not None:
            (tmp / MODEL_FILE).write_text(_model_line(model, drafts, paths) + "\n", encoding="utf-8")
    return SynthResult(outdir, outdir / "manifest.csv", outdir / "truth.jsonl", n,
                       len({d.office for d in drafts}), len(planted),
                       dict(Counter(p[0] for p in planted).most_common()),
                       sum(1 for p in planted if p[6]), sum(1 for p in planted if p[5]))


#: The county model text of a one-county corpus (``county_model``) and where each report holds it.
MODEL_FILE = "model.jsonl"


def _model_line(model: list[tuple[int, list[_Sent]]], drafts: list[_Draft], paths: list[str]) -> str:
    county = [k for k, _ in model if drafts[k].office.level == "县"]
    first = min(county, key=lambda k: drafts[k].year) if county else None
    return json.dumps({"region": drafts[first].office.county if first is not None else None,
                       "source": paths[first] if first is not None else None,
                       "members": [{"path": paths[k], "start": ss[0].start, "end": ss[-1].end}
                                   for k, ss in model]}, ensure_ascii=False)


def read_model(outdir: str | Path) -> dict | None:
    """The county model text of a one-county corpus, or None for a corpus without one."""
    path = Path(outdir) / MODEL_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def read_truth(outdir: str | Path) -> list[dict]:
    """The planted copies of a synthetic corpus, as ``truth.jsonl`` lists them."""
    with open(Path(outdir) / "truth.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]
