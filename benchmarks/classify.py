"""Statement classifiers: dev-set scores of both shipped models, and prediction speed.

Scores the shipped models in ``models/classifier`` on the hand-labelled dev set
(``tests/data/statements_dev.jsonl``): precision, recall, F1 and confusion counts per label,
macro F1 over {problem, improvement}, and per-topic scores. Also scores the weak labeller
itself on the dev units, and times predicting 10,000 units (target: a few seconds).
"""
from __future__ import annotations

import json
import platform
import time
from pathlib import Path

from nlp.classify.model import MODEL_DIR, StatementClassifier, default_backend
from nlp.classify.train import _prf, evaluate, read_jsonl, training_paths
from nlp.classify.weak import LABELS, weak_labels

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("classify.md")
DEV_PATH = ROOT / "tests" / "data" / "statements_dev.jsonl"
SHARED_DIR = ROOT.parent / "shared" / "corpora" / "reports"
#: The reports the shipped models were trained on (the shared ones when present).
SOURCES = [ROOT / "corpora" / "seeds"] + ([SHARED_DIR] if SHARED_DIR.is_dir() else [])
N_UNITS = 10_000
TARGET_SECONDS = 5.0


def _units(n: int = N_UNITS) -> tuple[list[str], list[str]]:
    """n real statement units (every unit of the seeds and shared reports, cycled)."""
    import nlp
    from nlp.classify.units import statement_units

    pool = [u for p in training_paths(SOURCES) for u in statement_units(nlp.load_report(p))]
    texts = [pool[i % len(pool)].text for i in range(n)]
    return texts, [pool[i % len(pool)].section for i in range(n)]


def _speed(name: str, texts: list[str], sections: list[str]) -> tuple[float, float, float]:
    """Seconds to load the model, to label all texts, and to label + topic-tag them (one pass)."""
    t0 = time.perf_counter()
    clf = StatementClassifier.load(name)
    load = time.perf_counter() - t0
    clf.predict(texts[:50], sections[:50])  # warm-up
    t0 = time.perf_counter()
    clf.predict(texts, sections)
    labels = time.perf_counter() - t0
    t0 = time.perf_counter()
    clf.predict_topics(texts, sections)
    return load, labels, time.perf_counter() - t0


def _weak_scores(dev: list[dict]) -> dict:
    """How well the structural weak labels alone match the hand labels of the dev units."""
    import numpy as np

    import nlp

    gold, pred = [], []
    by_file: dict[str, dict] = {}
    for d in dev:
        by_file.setdefault(d["file"], {})[(d["start"], d["end"])] = d
    for name, rows in by_file.items():
        weak = {(w.unit.start, w.unit.end): w.labels
                for w in weak_labels(nlp.load_report(SHARED_DIR / name))}
        for key, d in rows.items():
            if key in weak:  # a dev unit the current segmenter no longer yields is skipped
                gold.append(set(d["labels"]))
                pred.append(set(weak[key]))
    g = np.array([[k in s for k in LABELS] for s in gold])
    p = np.array([[k in s for k in LABELS] for s in pred])
    out = {k: _prf(g[:, i], p[:, i]) for i, k in enumerate(LABELS)}
    out["macro_f1"] = round(float(np.mean([out[k]["f1"] for k in LABELS])), 4)
    out["matched"] = len(gold)
    return out


def _label_table(ev: dict) -> list[str]:
    rows = ["| label | precision | recall | F1 | TP | FP | FN | TN | support |",
            "|---|---|---|---|---|---|---|---|---|"]
    for k in LABELS:
        x = ev[k] if k in ev else ev["labels"][k]
        rows.append(f"| {k} | {x['precision']:.3f} | {x['recall']:.3f} | {x['f1']:.3f} | {x['tp']} | "
                    f"{x['fp']} | {x['fn']} | {x['tn']} | {x['support']} |")
    return rows


def _errors(clf: StatementClassifier, dev: list[dict]) -> list[str]:
    pred = clf.predict([d["text"] for d in dev], [d["section"] for d in dev])
    rows = ["| file | offsets | section | gold | predicted | text |", "|---|---|---|---|---|---|"]
    for d, p in zip(dev, pred):
        if set(d["labels"]) != p:
            text = "".join(d["text"].split())[:60].replace("|", "｜")
            rows.append(f"| {d['file']} | [{d['start']},{d['end']}) | {d['section']} | "
                        f"{', '.join(d['labels']) or '—'} | {', '.join(sorted(p)) or '—'} | {text}… |")
    return rows


def main() -> Path:
    dev = read_jsonl(DEV_PATH) if DEV_PATH.is_file() else []
    shipped = json.loads((MODEL_DIR / "scores.json").read_text(encoding="utf-8"))
    default = default_backend()
    texts, sections = _units()
    lines = ["# Statement classifier benchmark", "",
             f"Machine: {platform.machine()}, {platform.python_implementation()} "
             f"{platform.python_version()}. Models: `models/classifier` (default: **{default}**). "
             f"Dev set: `tests/data/statements_dev.jsonl`, {len(dev)} hand-labelled units from the 15 "
             "shared reports (all 100 units of their section 五 plus 240 sampled from other sections); "
             "none of them, and no near-copy of one, is in the training set.", ""]
    ts = shipped["training"]
    lines += ["## Training set", "",
              f"{ts['examples']} examples: weak labels of {ts['units']} units from {ts['reports']} reports "
              f"(5 seeds + 15 shared), minus {ts['dropped_dev_offsets']} dev units and "
              f"{ts['dropped_dev_text']} near-copies of dev units; plus {ts['extra']} hand-written units "
              f"(`models/classifier/train_extra.jsonl`), {ts['joined_copies']} joined pairs of them and "
              f"{ts['bare_copies']} section-less copies. Positives: {ts['label_counts']}; "
              f"neither: {ts['neither']}.", ""]
    timing = {}
    for name in ("sklearn", "spacy"):
        clf = StatementClassifier.load(name)
        ev = evaluate(clf, dev) if dev else None
        timing[name] = _speed(name, texts, sections)
        lines += [f"## {name}{' (default)' if name == default else ''}", ""]
        if ev is not None:
            lines += [f"Dev macro F1 over {{problem, improvement}}: **{ev['macro_f1']:.3f}** "
                      f"(exact label-set match {ev['exact_match']:.3f}; at training time "
                      f"{shipped['models'][name]['macro_f1']:.3f}).", "", *_label_table(ev), "",
                      f"Topics (gated: only units the model labels get topics), macro F1 "
                      f"{ev['topic_macro_f1']:.3f}:", "",
                      "| topic | precision | recall | F1 | TP | FP | FN | support |",
                      "|---|---|---|---|---|---|---|---|"]
            for k, x in ev["topics"].items():
                lines.append(f"| {k} | {x['precision']:.3f} | {x['recall']:.3f} | {x['f1']:.3f} | "
                             f"{x['tp']} | {x['fp']} | {x['fn']} | {x['support']} |")
            lines += ["", "Dev units it gets wrong:", "", *_errors(clf, dev), ""]
    if dev:
        weak = _weak_scores(dev)
        lines += ["## The weak labeller alone on the dev units", "",
                  "The structural rules (`nlp.classify.weak`) applied to the dev units' own reports, "
                  f"on the {weak['matched']} dev units whose offsets the current segmenter still "
                  f"yields ({len(dev) - weak['matched']} no longer match since the splitter changed); "
                  f"macro F1 {weak['macro_f1']:.3f}. (Never trained on: dev units are dropped.)", "",
                  *_label_table(weak), ""]
    lines += [f"## Speed: {N_UNITS:,} units", "",
              "Real statement units (all units of the 20 real reports, cycled), with their sections, "
              f"one process; `predict` gives the labels, `predict_topics` labels and topics in one "
              f"pass. Target: labels for {N_UNITS:,} units in under {TARGET_SECONDS:.0f} s.", "",
              "| model | load s | predict s | units/s | predict_topics s | under target |",
              "|---|---|---|---|---|---|"]
    for name, (load, secs, both) in timing.items():
        lines.append(f"| {name} | {load:.2f} | {secs:.2f} | {N_UNITS / secs:,.0f} | {both:.2f} | "
                     f"{'yes' if secs < TARGET_SECONDS else 'NO'} |")
    lines += ["", "Regenerate with `make bench`; retrain with `govnlp train classifier`.", ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    return OUT


if __name__ == "__main__":
    print(main())
