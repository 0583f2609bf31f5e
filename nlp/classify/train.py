"""Build the weak training set, train both statement classifiers, score them on the dev set.

``train_classifiers()`` is what ``govnlp train classifier`` runs. The training set is the weak
labels (``nlp.classify.weak``) of the given report folders (by default the bundled seeds; the
shipped models were trained on the seeds and the 15 development reports, which ``govnlp train
classifier`` adds when run from a checkout that has them), minus every unit that overlaps a
dev-set unit or repeats its text (reports copy whole paragraphs from year to year), plus the
hand-written units in ``models/classifier/train_extra.jsonl`` (read alone) and the hand-written
sections 五 in ``models/classifier/train_sections.jsonl`` (read in context, ``handwritten``).
Section-五 units carry their context (``nlp.classify.context``). Everything is seeded, so a
retrain on the same inputs reproduces the shipped scores.
"""
from __future__ import annotations

import json
import pickle
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np

from nlp.classify.context import NO_CONTEXT, unit_contexts
from nlp.classify.evaluate import _matrix, _prf, dev_contexts, evaluate  # noqa: F401 (re-exported)
from nlp.classify.handwritten import labelled_units, read_sections, unit_topics
from nlp.classify.model import (MODEL_DIR, NO_SECTION, StatementClassifier, classifier_dir,
                                row_cues, unit_rows)
from nlp.classify.train_spacy import SPACY_EPOCHS, spacy_architecture, train_spacy  # noqa: F401
from nlp.classify.weak import LABELS, TOPICS, clean_text, cue_features, weak_labels
from nlp.resources import corpora_dir

#: The hand-written units and sections, shipped beside the models they train.
EXTRA_PATH = MODEL_DIR / "train_extra.jsonl"
SECTIONS_PATH = MODEL_DIR / "train_sections.jsonl"
#: The backend ``StatementClassifier.load()`` uses when it was trained. Why fixed, not the best dev
#: score: spaCy's dev score swings with training noise (0.947-0.987 macro F1 with contexts over
#: retrains here, sklearn 0.986), sklearn retrains to the same model on any machine (spaCy's does
#: not, see tests/test_classify.py SPACY_RETRAIN_FLOOR) and labels 10,000 units about 5x faster.
DEFAULT_BACKEND = "sklearn"
NGRAMS = (1, 3)


@dataclass
class Example:
    """One training unit: text, optional section, labels, topics and where it came from."""

    text: str
    section: str | None
    labels: frozenset[str]
    topics: frozenset[str]
    source: str  # "weak", "extra", "joined", or one of them + "-bare" (section dropped)
    file: str | None = None
    start: int | None = None
    end: int | None = None
    rule: str = ""
    context: tuple[str, ...] = NO_CONTEXT


@dataclass
class TrainingSet:
    examples: list[Example]
    stats: dict = field(default_factory=dict)


def read_jsonl(path: str | Path) -> list[dict]:
    """Rows of a JSON-lines file (blank lines skipped)."""
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def training_paths(sources: Iterable[str | Path] | None = None) -> list[Path]:
    """The report files weak labels are read from: each source folder's ``*.txt`` (sorted), or a file.

    Without sources, the bundled seeds. A source that does not exist is an error, not an empty
    folder: a retrain on silently fewer reports would not reproduce the shipped scores.
    """
    out: list[Path] = []
    for src in ([corpora_dir() / "seeds"] if sources is None else sources):
        src = Path(src)
        if src.is_dir():
            out += sorted(src.glob("*.txt"))
        elif src.is_file():
            out.append(src)
        else:
            raise FileNotFoundError(f"training reports not found: {src}")
    return out


def _shingles(text: str, n: int = 4) -> set[str]:
    t = clean_text(text)
    return {t[i:i + n] for i in range(max(1, len(t) - n + 1))}


def _near_duplicate(a: set[str], b: set[str]) -> bool:
    """Half or more of both texts' 4-grams are shared (a copied or lightly edited unit).

    Why not containment: a short heading like (一)存在的主要问题 lies inside many longer units
    without being a copy of them.
    """
    big = max(len(a), len(b))
    return big > 0 and len(a & b) / big >= 0.5


def build_training_set(dev: list[dict] | None = None, paths: list[Path] | None = None,
                       extra_path: str | Path | None = EXTRA_PATH, seed: int = 0,
                       sections_path: str | Path | None = SECTIONS_PATH) -> TrainingSet:
    """Weak-labelled units minus anything the dev set holds, plus the hand-written extras and
    the units of the hand-written sections 五 (with their line breaks and flattened).

    Why the text check on top of offsets: 004/013 and 012/020 repeat items word for word, so an
    offset-only split would still train on the dev set's sentences.
    """
    import nlp

    dev = dev or []
    by_file: dict[str, list[tuple[int, int]]] = {}
    for d in dev:
        by_file.setdefault(Path(d["file"]).name, []).append((d["start"], d["end"]))
    dev_shingles = [_shingles(d["text"]) for d in dev]
    stats = {"reports": 0, "units": 0, "dropped_dev_offsets": 0, "dropped_dev_text": 0}
    examples: list[Example] = []
    for path in paths if paths is not None else training_paths():
        report = nlp.load_report(path)
        stats["reports"] += 1
        weak = weak_labels(report)
        for w, ctx in zip(weak, unit_contexts(report, [w.unit for w in weak])):
            u = w.unit
            stats["units"] += 1
            if any(u.start < e and s < u.end for s, e in by_file.get(path.name, ())):
                stats["dropped_dev_offsets"] += 1
                continue
            sh = _shingles(u.text)
            if any(_near_duplicate(sh, d) for d in dev_shingles):
                stats["dropped_dev_text"] += 1
                continue
            examples.append(Example(u.text, u.section, w.labels, w.topics, "weak", path.name,
                                    u.start, u.end, w.rule, ctx))
    extras = read_jsonl(extra_path) if extra_path is not None and Path(extra_path).is_file() else []
    kept_extra = 0
    for row in extras:
        if any(_near_duplicate(_shingles(row["text"]), d) for d in dev_shingles):
            stats["dropped_dev_text"] += 1
            continue
        kept_extra += 1
        examples.append(Example(row["text"], row.get("section"), frozenset(row["labels"]),
                                frozenset(row.get("topics", ())), "extra",
                                row.get("provenance")))
    stats["extra"] = kept_extra
    handwritten = _section_examples(sections_path, dev_shingles) if sections_path is not None \
        and Path(sections_path).is_file() else []
    stats["section_units"] = len(handwritten)
    examples += handwritten
    examples += _joined_copies(examples, seed)
    stats["joined_copies"] = sum(e.source == "joined" for e in examples)
    examples += _alone_copies(examples)
    stats["alone_copies"] = sum(e.source.endswith("alone") for e in examples)
    examples += _bare_copies(examples)
    stats["bare_copies"] = sum(e.source.endswith("bare") for e in examples)
    stats["examples"] = len(examples)
    stats["label_counts"] = {k: sum(k in e.labels for e in examples) for k in LABELS}
    stats["neither"] = sum(not e.labels for e in examples)
    return TrainingSet(examples, stats)


def _section_examples(path: str | Path, dev_shingles: list[set[str]]) -> list[Example]:
    """The units of each hand-written section 五, as segmented with and without line breaks.

    A unit that comes out the same both ways (same text, context and labels) is kept once.
    """
    out, seen = [], set()
    for record in read_sections(path):
        for flat in (False, True):
            for u, labels, ctx in labelled_units(record, flat):
                key = (clean_text(u.text), ctx, labels)
                sh = _shingles(u.text)
                if key in seen or any(_near_duplicate(sh, d) for d in dev_shingles):
                    continue
                seen.add(key)
                out.append(Example(u.text, u.section, frozenset(labels), unit_topics(u.text, labels),
                                   "section", record["id"] + (" flat" if flat else ""),
                                   u.start, u.end, "hand", ctx))
    return out


def _alone_copies(examples: list[Example]) -> list[Example]:
    """Context-free copies of the units that have a context, section kept.

    Why: callers that hold only texts and sections (``predict(texts, sections)``) read a unit
    alone; the model must still label section 五 well without the context tokens.
    """
    return [Example(e.text, e.section, e.labels, e.topics, e.source + "-alone", e.file, e.start,
                    e.end, e.rule) for e in examples if e.context]


_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])")


def _joined_copies(examples: list[Example], seed: int = 0) -> list[Example]:
    """Each single-label hand-written unit joined with another of the same label.

    Why: real items run to several sentences ("一是…。实行…制度，…"), the hand-written ones are
    one clause; without longer positives a model learns that long section-五 text is neither.
    """
    rng = random.Random(seed)
    out = []
    for label in LABELS:
        pool = [e for e in examples if e.source == "extra" and e.labels == {label}]
        partners = pool[:]
        rng.shuffle(partners)
        for a, b in zip(pool, partners):
            if a is b:
                continue
            text = a.text.rstrip("；;。") + "。" + _MARKER.sub("", b.text)
            out.append(Example(text, a.section, a.labels, a.topics | b.topics, "joined",
                               a.file, rule="joined"))
    return out


def _bare_copies(examples: list[Example]) -> list[Example]:
    """Section-less copies, so bare texts read like section 五 statements.

    Section-五 units keep their labels; units from elsewhere are copied only when they hold no
    cue word at all (figures, dates), because "加强培训" in section 一 is an achievement but on
    its own a reader takes it as a measure.
    """
    out = []
    for e in examples:
        if e.section in (None, NO_SECTION):
            continue
        cues = cue_features(e.text)
        if e.section == "problems" or (cues["problem_cues"] == 0 and cues["improve_cues"] == 0):
            out.append(Example(e.text, None, e.labels, e.topics, e.source + "-bare", e.file,
                               e.start, e.end, e.rule))
    return out


# -- training ---------------------------------------------------------------------------------
def train_sklearn(examples: list[Example], seed: int = 0, c: float = 4.0) -> dict:
    """Fit the features on every example, the label head on all, the topic head on labelled ones.

    Logistic regression per label (one-vs-rest, liblinear: deterministic), classes balanced
    because most units are neither.
    """
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    from nlp.classify.features import SectionNgrams

    def head() -> OneVsRestClassifier:
        return OneVsRestClassifier(LogisticRegression(C=c, class_weight="balanced",
                                                      solver="liblinear", random_state=seed))

    rows = unit_rows([e.text for e in examples], [e.section for e in examples],
                     [e.context for e in examples])
    features = FeatureUnion([
        ("chars", SectionNgrams(NGRAMS)),
        ("cues", Pipeline([("dicts", FunctionTransformer(row_cues)),
                           ("vec", DictVectorizer(dtype=np.float32))])),
    ]).fit(rows)
    x = features.transform(rows)
    labels = _compact(head().fit(x, _matrix([e.labels for e in examples], LABELS)))
    lab = [i for i, e in enumerate(examples) if e.labels]
    topics = _compact(head().fit(x[lab], _matrix([examples[i].topics for i in lab], TOPICS)))
    return {"features": features, "labels": labels, "topics": topics}


def _compact(head):
    """float32 weights, stored sparse where mostly zero (the topic head never sees section 一).

    Why: keeps the shipped pickle at a few MB; predictions change in the 7th decimal only.
    """
    for est in head.estimators_:
        if hasattr(est, "coef_"):
            est.coef_ = est.coef_.astype(np.float32)
            est.intercept_ = est.intercept_.astype(np.float32)
            if (est.coef_ == 0).mean() > 0.5:
                est.sparsify()
    return head


def train_classifiers(out_dir: str | Path | None = None, seed: int = 0,
                      dev_path: str | Path | None = None, spacy_epochs: int = SPACY_EPOCHS,
                      backends: tuple[str, ...] = ("sklearn", "spacy"),
                      extra_path: str | Path | None = EXTRA_PATH,
                      reports: Iterable[str | Path] | None = None) -> dict:
    """Train both models into ``out_dir`` and return their dev scores (what the CLI runs).

    ``reports`` are folders (or files) of reports for the weak labels (``training_paths``;
    default: the bundled seeds); ``dev_path`` is the hand-labelled dev set (JSON lines), and
    ``out_dir`` defaults to the shipped models' folder. Writes ``sklearn.pkl``, ``spacy/``,
    ``scores.json`` and ``default.json`` (``DEFAULT_BACKEND`` when trained). Without a
    dev set the models are still trained; scores are empty. Dev units are scored in their
    context when their reports are among ``reports`` (else read alone, and ``scores.json`` says
    so), and read alone as well (``read_alone``).
    """
    out = Path(out_dir) if out_dir is not None else classifier_dir()
    paths = training_paths(reports)
    if dev_path is not None and not Path(dev_path).is_file():
        raise FileNotFoundError(f"dev set not found: {dev_path}")
    out.mkdir(parents=True, exist_ok=True)
    dev = read_jsonl(dev_path) if dev_path is not None else []
    ts = build_training_set(dev, paths=paths, extra_path=extra_path, seed=seed)
    try:
        contexts, dev_context = (dev_contexts(dev, paths), "in context") if dev else (None, None)
    except FileNotFoundError as e:
        contexts, dev_context = None, f"read alone ({e})"
    if "sklearn" in backends:
        with (out / "sklearn.pkl").open("wb") as fh:
            pickle.dump(train_sklearn(ts.examples, seed), fh, protocol=pickle.HIGHEST_PROTOCOL)
    if "spacy" in backends:
        train_spacy(ts.examples, seed, spacy_epochs).to_disk(out / "spacy")
    import sklearn
    import spacy

    scores: dict = {"training": ts.stats, "seed": seed, "dev_units": len(dev),
                    "dev_context": dev_context,
                    "versions": {"scikit-learn": sklearn.__version__, "spacy": spacy.__version__},
                    "models": {}}
    if dev:
        for name in backends:
            clf = StatementClassifier.load(name, out)
            scores["models"][name] = evaluate(clf, dev, contexts)
            alone = evaluate(clf, dev)
            scores["models"][name]["read_alone"] = {
                "macro_f1": alone["macro_f1"], "f1": {k: alone["labels"][k]["f1"] for k in LABELS}}
        best = DEFAULT_BACKEND if DEFAULT_BACKEND in scores["models"] else \
            max(scores["models"], key=lambda k: scores["models"][k]["macro_f1"])
        (out / "default.json").write_text(json.dumps({"default": best}) + "\n", encoding="utf-8")
        scores["default"] = best
    (out / "scores.json").write_text(json.dumps(scores, ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")
    return scores

