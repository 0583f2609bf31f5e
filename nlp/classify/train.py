"""Build the weak training set, train both statement classifiers, score them on the dev set.

``train_classifiers()`` is what ``govnlp train classifier`` runs. The training set is the weak
labels (``nlp.classify.weak``) of the given report folders (by default the bundled seeds; the
shipped models were trained on the seeds and the 15 development reports, which ``govnlp train
classifier`` adds when run from a checkout that has them), minus every unit that overlaps a
dev-set unit or repeats its text (reports copy whole paragraphs from year to year), plus the
hand-written units in ``models/classifier/train_extra.jsonl``. Everything is seeded, so a
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

from nlp.classify.model import (MODEL_DIR, NO_SECTION, StatementClassifier, classifier_dir,
                                row_cues, spacy_text, unit_rows)
from nlp.classify.weak import LABELS, TOPICS, clean_text, cue_features, weak_labels
from nlp.resources import corpora_dir

#: The hand-written units, shipped beside the models they train.
EXTRA_PATH = MODEL_DIR / "train_extra.jsonl"
SPACY_EPOCHS = 8
NGRAMS = (1, 3)
SPACY_ARCH = "reduce"
SPACY_DROPOUT = 0.3


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
                       extra_path: str | Path | None = EXTRA_PATH, seed: int = 0) -> TrainingSet:
    """Weak-labelled units minus anything the dev set holds, plus the hand-written extras.

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
        for w in weak_labels(report):
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
                                    u.start, u.end, w.rule))
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
    examples += _joined_copies(examples, seed)
    stats["joined_copies"] = sum(e.source == "joined" for e in examples)
    examples += _bare_copies(examples)
    stats["bare_copies"] = sum(e.source.endswith("bare") for e in examples)
    stats["examples"] = len(examples)
    stats["label_counts"] = {k: sum(k in e.labels for e in examples) for k in LABELS}
    stats["neither"] = sum(not e.labels for e in examples)
    return TrainingSet(examples, stats)


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
def _matrix(sets: list[frozenset[str]], names: tuple[str, ...]) -> np.ndarray:
    return np.array([[int(k in s) for k in names] for s in sets], dtype=int)


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

    rows = unit_rows([e.text for e in examples], [e.section for e in examples])
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


def spacy_architecture(kind: str) -> dict:
    """The textcat model config: ``bow`` (linear over jieba words and bigrams) or ``ensemble``.

    Why the ensemble: its CNN embeds each jieba word with its first and last characters
    (PREFIX/SUFFIX), which gives the character-level evidence ("不足", "有待") that a pure
    bag of words misses on unseen words.
    """
    bow = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False,
           "ngram_size": 2, "no_output_layer": False, "length": 262144}
    if kind == "bow":
        return bow
    width = 64
    tok2vec = {"@architectures": "spacy.Tok2Vec.v2",
               "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": width,
                         "rows": [2500, 1000, 1000, 250],
                         "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                         "include_static_vectors": False},
               "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": width,
                          "window_size": 1, "maxout_pieces": 3, "depth": 2}}
    if kind == "reduce":
        return {"@architectures": "spacy.TextCatReduce.v1", "exclusive_classes": False,
                "use_reduce_first": False, "use_reduce_last": False, "use_reduce_max": True,
                "use_reduce_mean": True, "tok2vec": tok2vec}
    return {"@architectures": "spacy.TextCatEnsemble.v2", "linear_model": bow, "tok2vec": tok2vec}


def train_spacy(examples: list[Example], seed: int = 0, epochs: int = SPACY_EPOCHS):
    """A blank zh (jieba) pipeline with ``labels`` and ``topics`` textcat_multilabel components."""
    import spacy
    from spacy.training import Example as SpacyExample
    from spacy.util import fix_random_seed, minibatch

    from nlp.spacy_doc import blank_zh

    blank_zh()
    fix_random_seed(seed)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    model = spacy_architecture(SPACY_ARCH)
    nlp.add_pipe("textcat_multilabel", name="labels", config={"model": model, "threshold": 0.5})
    nlp.add_pipe("textcat_multilabel", name="topics", config={"model": model, "threshold": 0.5})

    def make(e: Example) -> SpacyExample:
        cats = {k: float(k in e.labels) for k in LABELS}
        cats.update({"topic_" + k: float(k in e.topics) for k in TOPICS})
        return SpacyExample.from_dict(nlp.make_doc(spacy_text(e.text, e.section)), {"cats": cats})

    all_ex = [make(e) for e in examples]
    lab_ex = [x for x, e in zip(all_ex, examples) if e.labels]
    nlp.get_pipe("labels").initialize(lambda: all_ex, nlp=nlp, labels=list(LABELS))
    nlp.get_pipe("topics").initialize(lambda: lab_ex, nlp=nlp,
                                      labels=["topic_" + k for k in TOPICS])
    optimizer = nlp.resume_training()
    rng = random.Random(seed)
    for _ in range(epochs):
        for pool, skip in ((all_ex, ["topics"]), (lab_ex, ["labels"])):
            pool = pool[:]
            rng.shuffle(pool)
            for batch in minibatch(pool, size=16):
                nlp.update(batch, sgd=optimizer, drop=SPACY_DROPOUT, exclude=skip, losses={})
    return nlp


# -- evaluation -------------------------------------------------------------------------------
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


def evaluate(clf: StatementClassifier, dev: list[dict]) -> dict:
    """Per-label and per-topic P/R/F1 with confusion counts, macro F1 over the two labels.

    Topics are scored as the classifier gives them (gated: only units it labels get topics),
    against the dev topics, which are only given on labelled units.
    """
    texts, secs = [d["text"] for d in dev], [d["section"] for d in dev]
    pred = clf.predict(texts, secs)
    ptop = clf.predict_topics(texts, secs)
    g = _matrix([frozenset(d["labels"]) for d in dev], LABELS).astype(bool)
    p = _matrix([frozenset(x) for x in pred], LABELS).astype(bool)
    gt = _matrix([frozenset(d["topics"]) for d in dev], TOPICS).astype(bool)
    pt = _matrix([frozenset(x) for x in ptop], TOPICS).astype(bool)
    labels = {k: _prf(g[:, i], p[:, i]) for i, k in enumerate(LABELS)}
    topics = {k: _prf(gt[:, i], pt[:, i]) for i, k in enumerate(TOPICS)}
    exact = sum(set(d["labels"]) == x for d, x in zip(dev, pred))
    return {"model": clf.name, "units": len(dev), "labels": labels,
            "macro_f1": round(float(np.mean([v["f1"] for v in labels.values()])), 4),
            "exact_match": round(exact / len(dev), 4) if dev else 0.0,
            "topics": topics,
            "topic_macro_f1": round(float(np.mean([v["f1"] for v in topics.values()])), 4)}


def train_classifiers(out_dir: str | Path | None = None, seed: int = 0,
                      dev_path: str | Path | None = None, spacy_epochs: int = SPACY_EPOCHS,
                      backends: tuple[str, ...] = ("sklearn", "spacy"),
                      extra_path: str | Path | None = EXTRA_PATH,
                      reports: Iterable[str | Path] | None = None) -> dict:
    """Train both models into ``out_dir`` and return their dev scores (what the CLI runs).

    ``reports`` are folders (or files) of reports for the weak labels (``training_paths``;
    default: the bundled seeds); ``dev_path`` is the hand-labelled dev set (JSON lines), and
    ``out_dir`` defaults to the shipped models' folder. Writes ``sklearn.pkl``, ``spacy/``,
    ``scores.json`` and ``default.json`` (the backend with the better dev macro F1). Without a
    dev set the models are still trained; scores are empty.
    """
    out = Path(out_dir) if out_dir is not None else classifier_dir()
    paths = training_paths(reports)
    if dev_path is not None and not Path(dev_path).is_file():
        raise FileNotFoundError(f"dev set not found: {dev_path}")
    out.mkdir(parents=True, exist_ok=True)
    dev = read_jsonl(dev_path) if dev_path is not None else []
    ts = build_training_set(dev, paths=paths, extra_path=extra_path, seed=seed)
    if "sklearn" in backends:
        with (out / "sklearn.pkl").open("wb") as fh:
            pickle.dump(train_sklearn(ts.examples, seed), fh, protocol=pickle.HIGHEST_PROTOCOL)
    if "spacy" in backends:
        train_spacy(ts.examples, seed, spacy_epochs).to_disk(out / "spacy")
    import sklearn
    import spacy

    scores: dict = {"training": ts.stats, "seed": seed, "dev_units": len(dev),
                    "versions": {"scikit-learn": sklearn.__version__, "spacy": spacy.__version__},
                    "models": {}}
    if dev:
        for name in backends:
            scores["models"][name] = evaluate(StatementClassifier.load(name, out), dev)
        best = max(scores["models"], key=lambda k: scores["models"][k]["macro_f1"])
        (out / "default.json").write_text(json.dumps({"default": best}) + "\n", encoding="utf-8")
        scores["default"] = best
    (out / "scores.json").write_text(json.dumps(scores, ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")
    return scores

