"""Score reuse detection against planted copies (``truth.jsonl`` of ``govnlp synth``).

A planted copy is *found* when one detected passage covers at least half of its span in both
reports. A detected non-template passage is *correct* when it covers half of a planted copy the
same way; precision is over those passages, recall per kind of copy.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pandas as pd

from nlp.reuse.detect import ReuseResult


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _covers(span: tuple[int, int], other: tuple[int, int]) -> bool:
    return _overlap(span, other) >= 0.5 * (span[1] - span[0])


def load_truth(path: str | Path) -> list[dict]:
    path = Path(path)
    root = path.parent
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        for side in ("a", "b"):
            row[side]["path"] = str((root / row[side]["path"]).resolve())
        rows.append(row)
    return rows


def score(result: ReuseResult, truth: list[dict]) -> pd.DataFrame:
    """Recall per kind of planted copy, and precision of the detected reuse passages."""
    by_pair: dict[tuple[str, str], list[tuple[tuple[int, int], tuple[int, int]]]] = defaultdict(list)
    detected = []
    for p in result.passages:
        if result.passage_layer(p) == "template":
            continue
        pa = str(Path(result.table.docs[p.a].path).resolve())
        pb = str(Path(result.table.docs[p.b].path).resolve())
        spans = ((p.a_start, p.a_end), (p.b_start, p.b_end))
        by_pair[(pa, pb)].append(spans)
        by_pair[(pb, pa)].append(spans[::-1])
        detected.append((pa, pb, spans, p.kind))

    def found(t: dict) -> bool:
        a, b = (t["a"]["start"], t["a"]["end"]), (t["b"]["start"], t["b"]["end"])
        return any(_covers(a, sa) and _covers(b, sb)
                   for sa, sb in by_pair.get((t["a"]["path"], t["b"]["path"]), ()))

    rows = []
    kinds = sorted({t["kind"] for t in truth})
    for kind in kinds + ["all"]:
        subset = [t for t in truth if kind == "all" or t["kind"] == kind]
        hits = sum(found(t) for t in subset)
        rows.append({"kind": kind, "planted": len(subset), "found": hits,
                     "recall": round(hits / len(subset), 4) if subset else None})
    truth_by_pair: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for t in truth:
        truth_by_pair[(t["a"]["path"], t["b"]["path"])].append(t)
        truth_by_pair[(t["b"]["path"], t["a"]["path"])].append(
            {"a": t["b"], "b": t["a"], "kind": t["kind"]})
    correct = 0
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # detected kind: [passages, correct]
    for pa, pb, (sa, sb), kind in detected:
        by_kind[kind][0] += 1
        if any(_covers((t["a"]["start"], t["a"]["end"]), sa) or _covers(sa, (t["a"]["start"], t["a"]["end"]))
               for t in truth_by_pair.get((pa, pb), ())
               if _overlap(sb, (t["b"]["start"], t["b"]["end"])) > 0):
            correct += 1
            by_kind[kind][1] += 1
    frame = pd.DataFrame(rows)
    frame["precision"] = None
    frame.loc[frame["kind"] == "all", "precision"] = round(correct / len(detected), 4) if detected else None
    frame.attrs["detected"] = len(detected)
    frame.attrs["correct"] = correct
    frame.attrs["by_detected_kind"] = dict(by_kind)
    return frame


def score_leaks(result: ReuseResult, truth: list[dict]) -> dict:
    """Recall and precision of the flagged leaks against the planted ones (``truth["leak"]``).

    A planted leak is found, and a flagged one correct, when the two spans overlap in one file.
    """
    planted: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for t in truth:
        if t.get("leak"):
            planted[t["b"]["path"]].append(tuple(t["leak"]["b_span"]))
    flagged: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for leak in result.leaks:
        flagged[str(Path(result.table.docs[leak.doc].path).resolve())].append((leak.start, leak.end))
    n_planted = sum(map(len, planted.values()))
    n_flagged = sum(map(len, flagged.values()))
    found = sum(any(_overlap(p, f) for f in flagged.get(path, ())) for path, ps in planted.items()
                for p in ps)
    correct = sum(any(_overlap(f, p) for p in planted.get(path, ())) for path, fs in flagged.items()
                  for f in fs)
    return {"planted": n_planted, "found": found, "flagged": n_flagged, "correct": correct,
            "recall": round(found / n_planted, 4) if n_planted else None,
            "precision": round(correct / n_flagged, 4) if n_flagged else None}
