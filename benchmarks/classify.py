"""Statement classifiers: dev-set scores of both shipped models, per layout, and prediction speed.

Scores the shipped models in ``models/classifier`` on the hand-labelled dev set
(``tests/data/statements_dev.jsonl``), each unit read in its context (``nlp.classify.context``:
the part heading it is under, the lead-in it follows, its neighbours and position) and read
alone: precision, recall, F1 and confusion counts per label, macro F1 over {problem,
improvement}, per-topic scores, and a breakdown by report layout (current template 2021+,
2019-2020, pre-2019; flattened one-line crawls vs line-broken PDF/markdown texts). Also scores
the weak labeller itself on the dev units, and times predicting 10,000 units.
"""
from __future__ import annotations

import json
import platform
import time
from pathlib import Path

import numpy as np

from nlp.classify.evaluate import _matrix, _prf, dev_contexts, evaluate
from nlp.classify.model import MODEL_DIR, StatementClassifier, default_backend
from nlp.classify.train import read_jsonl, training_paths
from nlp.classify.weak import LABELS, weak_labels

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("classify.md")
DEV_PATH = ROOT / "tests" / "data" / "statements_dev.jsonl"
SHARED_DIR = ROOT.parent / "shared" / "corpora" / "reports"
#: The reports the shipped models were trained on (the shared ones when present).
SOURCES = [ROOT / "corpora" / "seeds"] + ([SHARED_DIR] if SHARED_DIR.is_dir() else [])
N_UNITS = 10_000
TARGET_SECONDS = 5.0
CONTEXT_TESTS = ROOT / "tests" / "test_classify_context.py"
#: A crawl that flattened the report has (almost) no line breaks: the 平潭 reports have 1 or 2.
FLAT_MAX_LINES = 5


def _units(n: int = N_UNITS) -> tuple[list[str], list[str], list[tuple[str, ...]]]:
    """n real statement units (every unit of the seeds and shared reports, cycled), with contexts."""
    import nlp
    from nlp.classify.context import unit_contexts
    from nlp.classify.units import statement_units

    pool = []
    for p in training_paths(SOURCES):
        report = nlp.load_report(p)
        units = statement_units(report)
        pool += list(zip(units, unit_contexts(report, units)))
    rows = [pool[i % len(pool)] for i in range(n)]
    return [u.text for u, _ in rows], [u.section for u, _ in rows], [c for _, c in rows]


def _speed(name: str, texts: list[str], sections: list[str], contexts: list) -> tuple[float, ...]:
    """Seconds to load the model, to label all texts in context, and to label + topic-tag them."""
    t0 = time.perf_counter()
    clf = StatementClassifier.load(name)
    load = time.perf_counter() - t0
    clf.predict(texts[:50], sections[:50], contexts[:50])  # warm-up
    t0 = time.perf_counter()
    clf.predict(texts, sections, contexts)
    labels = time.perf_counter() - t0
    t0 = time.perf_counter()
    clf.predict_topics(texts, sections, contexts=contexts)
    return load, labels, time.perf_counter() - t0


def _weak_scores(dev: list[dict]) -> dict:
    """How well the structural weak labels alone match the hand labels of the dev units."""
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


def _layouts(dev: list[dict]) -> dict[str, str]:
    """Each dev file's template (by report year) and whether the crawl flattened it."""
    import nlp

    out = {}
    for name in sorted({d["file"] for d in dev}):
        report = nlp.load_report(SHARED_DIR / name)
        year = report.meta.year or 0
        template = "2021+" if year >= 2021 else "2019-2020" if year >= 2019 else "pre-2019"
        flat = report.text.count("\n") <= FLAT_MAX_LINES
        out[name] = f"{template}|{'flat' if flat else 'lines'}"
    return out


LAYOUT_ROWS = [("current template 2021+", lambda lay: lay.startswith("2021+")),
               ("2019-2020", lambda lay: lay.startswith("2019-2020")),
               ("pre-2019", lambda lay: lay.startswith("pre-2019")),
               ("flattened crawls (平潭 004-021)", lambda lay: lay.endswith("flat")),
               ("line-broken (PDF / markdown text)", lambda lay: lay.endswith("lines"))]


def _layout_table(clf: StatementClassifier, dev: list[dict], contexts: list,
                  layouts: dict[str, str]) -> list[str]:
    """Per-layout label F1 in context and macro F1 read alone, on the dev units of those files."""
    texts, secs = [d["text"] for d in dev], [d["section"] for d in dev]
    in_ctx = _matrix([frozenset(x) for x in clf.predict(texts, secs, contexts)], LABELS).astype(bool)
    alone = _matrix([frozenset(x) for x in clf.predict(texts, secs)], LABELS).astype(bool)
    gold = _matrix([frozenset(d["labels"]) for d in dev], LABELS).astype(bool)
    rows = ["| layout | files | units (五) | problem F1 | improvement F1 | macro F1 | "
            "macro F1 read alone | errors |", "|---|---|---|---|---|---|---|---|"]
    for title, match in LAYOUT_ROWS:
        idx = [i for i, d in enumerate(dev) if match(layouts[d["file"]])]
        if not idx:
            continue
        files = sorted({dev[i]["file"][:3] for i in idx})
        f1 = [_prf(gold[idx, k], in_ctx[idx, k])["f1"] for k in range(len(LABELS))]
        f1_alone = [_prf(gold[idx, k], alone[idx, k])["f1"] for k in range(len(LABELS))]
        errors = int((gold[idx] != in_ctx[idx]).any(axis=1).sum())
        five = sum(dev[i]["section"] == "problems" for i in idx)
        rows.append(f"| {title} | {len(files)} ({', '.join(files)}) | {len(idx)} ({five}) | "
                    f"{f1[0]:.3f} | {f1[1]:.3f} | {np.mean(f1):.3f} | {np.mean(f1_alone):.3f} | "
                    f"{errors} |")
    return rows


def _shapes_section() -> list[str]:
    """Both models on the hand-written report texts of tests/test_classify_context.py (the shapes
    the issue reports: short measure headings, problem-list headings, sentences after a lead-in),
    each unit read in context and read alone. Never trained on (that test checks it)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("ctx_cases", CONTEXT_TESTS)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    lines = ["## The issue's shapes: units right in context vs read alone", "",
             "The six hand-written section-五 texts of `tests/test_classify_context.py` (three "
             "layouts, each with its line breaks and flattened to one line; none of their units is "
             "in the training data), labelled by hand unit by unit.", "",
             "| text | units | sklearn in context | sklearn read alone | spacy in context | "
             "spacy read alone |", "|---|---|---|---|---|---|"]
    clfs = {n: StatementClassifier.load(n) for n in ("sklearn", "spacy")}
    totals = [0] * 5
    for case, (text, expected) in mod.CASES.items():
        report = mod.parse_report(text, f"<{case}>")
        units = [u for u in mod.statement_units(report, ("problems",))]
        gold = [set(labels) for _, labels in expected]
        row = [len(units)]
        for clf in clfs.values():
            row.append(sum(p == g for p, g in zip(clf.predict_units(report, units), gold)))
            row.append(sum(p == g for p, g in zip(
                clf.predict([u.text for u in units], "problems"), gold)))
        totals = [a + b for a, b in zip(totals, row)]
        lines.append(f"| {case} | " + " | ".join(map(str, row)) + " |")
    lines += ["| **all** | " + " | ".join(f"**{x}**" for x in totals) + " |", ""]
    return lines


def _label_table(ev: dict) -> list[str]:
    rows = ["| label | precision | recall | F1 | TP | FP | FN | TN | support |",
            "|---|---|---|---|---|---|---|---|---|"]
    for k in LABELS:
        x = ev[k] if k in ev else ev["labels"][k]
        rows.append(f"| {k} | {x['precision']:.3f} | {x['recall']:.3f} | {x['f1']:.3f} | {x['tp']} | "
                    f"{x['fp']} | {x['fn']} | {x['tn']} | {x['support']} |")
    return rows


def _errors(clf: StatementClassifier, dev: list[dict], contexts: list) -> list[str]:
    texts, secs = [d["text"] for d in dev], [d["section"] for d in dev]
    pred = clf.predict(texts, secs, contexts)
    alone = clf.predict(texts, secs)
    rows = ["| file | offsets | section | gold | in context | read alone | text |",
            "|---|---|---|---|---|---|---|"]
    for d, p, a in zip(dev, pred, alone):
        if set(d["labels"]) != p or set(d["labels"]) != a:
            text = "".join(d["text"].split())[:50].replace("|", "｜")
            rows.append(f"| {d['file']} | [{d['start']},{d['end']}) | {d['section']} | "
                        f"{', '.join(d['labels']) or '—'} | {', '.join(sorted(p)) or '—'} | "
                        f"{', '.join(sorted(a)) or '—'} | {text}… |")
    return rows


def _model_section(name: str, default: str, dev: list[dict], contexts: list,
                   layouts: dict[str, str], shipped: dict) -> list[str]:
    clf = StatementClassifier.load(name)
    ev, alone = evaluate(clf, dev, contexts), evaluate(clf, dev)
    lines = [f"## {name}{' (default)' if name == default else ''}", "",
             f"Dev macro F1 over {{problem, improvement}}, units read in context: "
             f"**{ev['macro_f1']:.3f}** (exact label-set match {ev['exact_match']:.3f}; at training "
             f"time {shipped['models'][name]['macro_f1']:.3f}). Read alone (what "
             f"`predict(texts, sections)` without contexts gives): {alone['macro_f1']:.3f}.", "",
             *_label_table(ev), "", "By layout (all dev units of those reports; a report is in one "
             "template row and in one of the last two rows):", "",
             *_layout_table(clf, dev, contexts, layouts), "",
             f"Topics (gated: only units the model labels get topics), macro F1 "
             f"{ev['topic_macro_f1']:.3f}:", "",
             "| topic | precision | recall | F1 | TP | FP | FN | support |",
             "|---|---|---|---|---|---|---|---|"]
    for k, x in ev["topics"].items():
        lines.append(f"| {k} | {x['precision']:.3f} | {x['recall']:.3f} | {x['f1']:.3f} | "
                     f"{x['tp']} | {x['fp']} | {x['fn']} | {x['support']} |")
    return lines + ["", "Dev units it gets wrong in context or read alone:", "",
                    *_errors(clf, dev, contexts), ""]


def main() -> Path:
    dev = read_jsonl(DEV_PATH) if DEV_PATH.is_file() and SHARED_DIR.is_dir() else []
    shipped = json.loads((MODEL_DIR / "scores.json").read_text(encoding="utf-8"))
    default = default_backend()
    texts, sections, contexts = _units()
    lines = ["# Statement classifier benchmark", "",
             f"Machine: {platform.machine()}, {platform.python_implementation()} "
             f"{platform.python_version()}. Models: `models/classifier` (default: **{default}**). "
             f"Dev set: `tests/data/statements_dev.jsonl`, {len(dev)} hand-labelled units from the 15 "
             "shared reports (all 100 units of their section 五 plus 240 sampled from other sections); "
             "none of them, and no near-copy of one, is in the training set. Each dev unit is read "
             "in the context of the section-五 unit of its report it overlaps most.", ""]
    ts = shipped["training"]
    lines += ["## Training set", "",
              f"{ts['examples']} examples: weak labels of {ts['units']} units from {ts['reports']} reports "
              f"(5 seeds + 15 shared), minus {ts['dropped_dev_offsets']} dev units and "
              f"{ts['dropped_dev_text']} near-copies of dev units; plus {ts['extra']} hand-written units "
              f"(`models/classifier/train_extra.jsonl`, read alone), {ts['section_units']} units of "
              f"the hand-written sections 五 (`train_sections.jsonl`, in context, with and without "
              f"line breaks), {ts['joined_copies']} joined pairs, {ts['alone_copies']} context-free "
              f"copies and {ts['bare_copies']} section-less copies. Positives: "
              f"{ts['label_counts']}; neither: {ts['neither']}.", ""]
    timing = {}
    layouts = _layouts(dev) if dev else {}
    dev_ctx = dev_contexts(dev, [SHARED_DIR]) if dev else []
    for name in ("sklearn", "spacy"):
        if dev:
            lines += _model_section(name, default, dev, dev_ctx, layouts, shipped)
        timing[name] = _speed(name, texts, sections, contexts)
    lines += _shapes_section()
    if dev:
        weak = _weak_scores(dev)
        lines += ["## The weak labeller alone on the dev units", "",
                  "The structural rules (`nlp.classify.weak`) applied to the dev units' own reports, "
                  f"on the {weak['matched']} dev units whose offsets the current segmenter still "
                  f"yields ({len(dev) - weak['matched']} no longer match since the splitter changed); "
                  f"macro F1 {weak['macro_f1']:.3f}. (Never trained on: dev units are dropped.)", "",
                  *_label_table(weak), ""]
    lines += [f"## Speed: {N_UNITS:,} units", "",
              "Real statement units (all units of the 20 real reports, cycled), with their sections "
              f"and contexts, one process; `predict` gives the labels, `predict_topics` labels and "
              f"topics in one pass. Target: labels for {N_UNITS:,} units in under "
              f"{TARGET_SECONDS:.0f} s.", "",
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
