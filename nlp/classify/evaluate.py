"""Scoring the statement classifiers on the hand-labelled dev set, read in context.

Dev units (``tests/data/statements_dev.jsonl``) carry their file and offsets, so each is scored
where it stands: its context is that of the section-五 unit of its report it overlaps most
(``context.span_contexts``). ``evaluate(…, contexts=None)`` reads every unit alone, what a caller
without the report gets.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from nlp.classify.context import NO_CONTEXT, span_contexts
from nlp.classify.model import StatementClassifier
from nlp.classify.weak import LABELS, TOPICS


def _matrix(sets: list[frozenset[str]], names: tuple[str, ...]) -> np.ndarray:
    return np.array([[int(k in s) for k in names] for s in sets], dtype=int).reshape(-1, len(names))


def _prf(gold: np.ndarray, pred: np.ndarray) -> dict:
    tp = int((gold & pred).sum())
    fp = int((~gold & pred).sum())
    fn = int((gold & ~pred).sum())
    tn = int((~gold & ~pred).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn, "support": tp + fn}


def dev_contexts(dev: Sequence[dict], reports: Iterable[str | Path]) -> list[tuple[str, ...]]:
    """The context of each dev unit in its report, found by file name among ``reports`` (files
    or folders of ``*.txt``). A unit whose report is not among them is an error: scoring it alone
    would silently measure something else."""
    import nlp

    by_name: dict[str, Path] = {}
    for src in reports:
        src = Path(src)
        for p in (sorted(src.glob("*.txt")) if src.is_dir() else [src]):
            by_name.setdefault(p.name, p)
    spans: dict[str, list[int]] = {}
    for i, d in enumerate(dev):
        if d["section"] == "problems":
            spans.setdefault(d["file"], []).append(i)
    out = [NO_CONTEXT] * len(dev)
    for name, idx in spans.items():
        if name not in by_name:
            raise FileNotFoundError(f"report of dev units not found: {name}")
        report = nlp.load_report(by_name[name])
        for i, ctx in zip(idx, span_contexts(report, [(dev[i]["start"], dev[i]["end"]) for i in idx])):
            out[i] = ctx
    return out


def evaluate(clf: StatementClassifier, dev: list[dict],
             contexts: Sequence[Sequence[str]] | None = None) -> dict:
    """Per-label and per-topic P/R/F1 with confusion counts, macro F1 over the two labels.

    ``contexts``: one per dev unit (``dev_contexts``); None scores every unit read alone.
    Topics are scored as the classifier gives them (gated: only units it labels get topics),
    against the dev topics, which are only given on labelled units.
    """
    texts, secs = [d["text"] for d in dev], [d["section"] for d in dev]
    pred = clf.predict(texts, secs, contexts)
    ptop = clf.predict_topics(texts, secs, contexts=contexts)
    g = _matrix([frozenset(d["labels"]) for d in dev], LABELS).astype(bool)
    p = _matrix([frozenset(x) for x in pred], LABELS).astype(bool)
    gt = _matrix([frozenset(d["topics"]) for d in dev], TOPICS).astype(bool)
    pt = _matrix([frozenset(x) for x in ptop], TOPICS).astype(bool)
    labels = {k: _prf(g[:, i], p[:, i]) for i, k in enumerate(LABELS)}
    topics = {k: _prf(gt[:, i], pt[:, i]) for i, k in enumerate(TOPICS)}
    exact = sum(set(d["labels"]) == x for d, x in zip(dev, pred))
    return {"model": clf.name, "units": len(dev), "in_context": contexts is not None,
            "labels": labels,
            "macro_f1": round(float(np.mean([v["f1"] for v in labels.values()])), 4),
            "exact_match": round(exact / len(dev), 4) if dev else 0.0,
            "topics": topics,
            "topic_macro_f1": round(float(np.mean([v["f1"] for v in topics.values()])), 4)}
