"""``StatementClassifier``: problem / improvement labels and topics for statement units.

Two backends behind one interface, both trained by ``nlp.classify.train.train_classifiers``
and shipped in ``models/classifier/`` (found by ``nlp.resources``: installed with the package, in a
checkout, or under ``$GOVNLP_MODELS``):

- ``sklearn`` — character n-gram TF-IDF plus cue and section features, one logistic
  regression per label (fast; a plain pickled ``Pipeline``);
- ``spacy`` — ``textcat_multilabel`` on ``spacy.blank("zh")`` with the jieba segmenter.

``section`` is optional context: the unit's section id (``problems``, ``overview`` …). Without
it a text is read as a bare statement, the way a reader would read a line of section 五.
``contexts`` (``nlp.classify.context``) say where a section-五 unit stands: the part heading it is
under, the lead-in it follows, its neighbours and position. ``classify_report`` and
``predict_units`` give them; without them a unit is read alone.
"""
from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional, Sequence

import numpy as np

from nlp.classify.weak import (LABELS, TOPICS, clean_text, content_text, cue_features,
                               keyword_topics)
from nlp.resources import models_dir, require

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from nlp.classify.units import Unit
    from nlp.model import Report

#: The shipped models as found at import; the loaders look again at each call (``classifier_dir``).
MODEL_DIR = models_dir() / "classifier"
RETRAIN = "govnlp train classifier"
BACKENDS = ("sklearn", "spacy")
NO_SECTION = "none"
#: Sections read as section 五: the section itself and bare texts.
FIVE = ("problems", NO_SECTION)
#: Cues whose meaning depends on where the unit stands: each is also crossed with the context's
#: state, so a linear model can say "a short heading under (二)改进措施 is a measure" (the
#: heading cue alone means neither: most short lines are part headings).
CROSSED_CUES = ("heading", "part_head", "measure_open", "enum", "leadin", "inner_leadin",
                "generic", "trigger", "shortfall", "names_problem", "plain")
#: Cue features are few and binary-ish; scaling them up lets the L2-regularised model use them
#: without drowning them in thousands of n-gram weights.
CUE_SCALE = 3.0
THRESHOLD = 0.5
#: Units per prediction call of ``classify_reports`` (~100 reports): the fixed cost of a call
#: (~8 ms) is then 0.1 ms a report, and the vectoriser's temporaries stay small (4,096 units a
#: call raised the study's peak memory by 30 MiB at 1,000 reports).
BATCH_UNITS = 1024
#: One tuple of context tokens per text, or None to read every text alone.
Contexts = Optional[Sequence[Optional[Sequence[str]]]]


# -- features shared by training and prediction (module level so the pickled Pipeline finds them)
Row = tuple[str, str, tuple[str, ...]]  # (section, cleaned text, context tokens)


def unit_rows(texts: Sequence[str], sections: Sequence[str | None] | None = None,
              contexts: Sequence[Sequence[str] | None] | None = None) -> list[Row]:
    """(section, cleaned text, context tokens) rows; a missing section becomes ``none``, a
    missing context ``()`` (read alone)."""
    secs = list(sections) if sections is not None else [None] * len(texts)
    ctxs = list(contexts) if contexts is not None else [None] * len(texts)
    if len(secs) != len(texts) or len(ctxs) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(secs)} sections and {len(ctxs)} contexts")
    return [(s or NO_SECTION, clean_text(t), tuple(c or ())) for t, s, c in zip(texts, secs, ctxs)]


def row_texts(rows: Sequence[Row]) -> list[str]:
    """The content of each text (``weak.content_text``), for the character n-gram vectoriser."""
    return [content_text(r[1]) for r in rows]


def _state(ctx: Sequence[str]) -> str | None:
    return next((c.split("=", 1)[1] for c in ctx if c.startswith("state=")), None)


def _role(ctx: Sequence[str]) -> str:
    return next((c.split("=", 1)[1] for c in ctx if c.startswith("role=")), "content")


def row_cues(rows: Sequence[Row]) -> list[dict[str, float]]:
    """Cue features (shared and per-side copies), topic keyword flags, the section one-hot, the
    context tokens and the context-sensitive cues crossed with the context's state."""
    out = []
    for s, t, ctx in rows:
        cues = {k: CUE_SCALE * v for k, v in cue_features(t).items()}
        side = "five" if s in FIVE else "elsewhere"
        row = {**cues, **{f"{k}@{side}": v for k, v in cues.items()}, f"section={s}": CUE_SCALE}
        # no cue word at all: such a unit ("有的字迹模糊。") takes its label from where it stands
        cues["plain"] = CUE_SCALE * float(cues["problem_cues"] == cues["improve_cues"] == 0)
        row.update({f"kw={k}": CUE_SCALE for k in keyword_topics(t)})
        state = _state(ctx)
        row["context=read-alone" if state is None else "context=known"] = CUE_SCALE
        row.update({f"ctx:{c}": CUE_SCALE for c in ctx})
        if state is not None:
            row.update({f"{k}&state={state}": CUE_SCALE for k in CROSSED_CUES if cues[k] > 0})
            row[f"role={_role(ctx)}&state={state}"] = CUE_SCALE  # content under (二)改进措施: a measure
        out.append(row)
    return out


def spacy_text(text: str, section: str | None, context: Sequence[str] | None = None) -> str:
    """The spaCy backend's input: section, context and cue tokens, then the cleaned text.

    Why tokens: a textcat model only sees the text, so the context (section, part, lead-in,
    neighbours) and the structural cues the sklearn model gets as features are spelled out as
    pseudo-words it can weigh.
    """
    side = "five" if (section or NO_SECTION) in FIVE else "elsewhere"
    t = clean_text(text)
    cues = " ".join(f"CUE{k}{side}" for k, v in cue_features(t).items() if v >= 0.5)
    kws = " ".join(f"KW{k}" for k in sorted(keyword_topics(t)))
    ctx = " ".join("CTX" + c.replace("=", "") for c in (context or ()))
    return " ".join(x for x in (f"SEC{section or NO_SECTION}", f"SIDE{side}", ctx, cues, kws,
                                content_text(t))
                    if x)


# -- backends -----------------------------------------------------------------------------
class _SklearnBackend:
    """One pickled feature extractor and two heads: ``labels`` and ``topics``."""

    def __init__(self, folder: Path) -> None:
        with require(folder / "sklearn.pkl", RETRAIN).open("rb") as fh:
            bundle = pickle.load(fh)
        self.features, self.labels_clf, self.topics_clf = (
            bundle["features"], bundle["labels"], bundle["topics"])

    def proba(self, rows: list[Row], topics: bool = True
              ) -> tuple[np.ndarray, np.ndarray | None]:
        if not rows:
            return np.zeros((0, len(LABELS))), np.zeros((0, len(TOPICS)))
        x = self.features.transform(rows)  # analysed once for both heads
        return (np.asarray(self.labels_clf.predict_proba(x)),
                np.asarray(self.topics_clf.predict_proba(x)) if topics else None)

    def save(self, folder: Path) -> None:
        """``sklearn.pkl`` in ``folder``, the file ``__init__`` reads."""
        bundle = {"features": self.features, "labels": self.labels_clf, "topics": self.topics_clf}
        with (folder / "sklearn.pkl").open("wb") as fh:
            pickle.dump(bundle, fh, protocol=pickle.HIGHEST_PROTOCOL)


class _SpacyBackend:
    """A spaCy pipeline with two ``textcat_multilabel`` components, ``labels`` and ``topics``."""

    def __init__(self, folder: Path) -> None:
        import spacy

        from nlp.spacy_doc import blank_zh

        blank_zh()  # quiets jieba's start-up logging before the pipeline builds its tokenizer
        self.nlp = spacy.load(require(folder / "spacy" / "meta.json", RETRAIN).parent)

    def proba(self, rows: list[Row], topics: bool = True
              ) -> tuple[np.ndarray, np.ndarray | None]:
        docs = self.nlp.pipe([spacy_text(t, s, c) for s, t, c in rows], batch_size=256,
                             disable=[] if topics else ["topics"])
        lab, top = [], []
        for doc in docs:
            lab.append([doc.cats.get(k, 0.0) for k in LABELS])
            top.append([doc.cats.get("topic_" + k, 0.0) for k in TOPICS])
        return (np.asarray(lab).reshape(-1, len(LABELS)),
                np.asarray(top).reshape(-1, len(TOPICS)) if topics else None)

    def save(self, folder: Path) -> None:
        """The pipeline in ``folder/spacy``, the folder ``__init__`` reads."""
        self.nlp.to_disk(folder / "spacy")


def classifier_dir() -> Path:
    """The folder of the shipped classifiers: ``classifier/`` of ``nlp.resources.models_dir()``."""
    return models_dir() / "classifier"


def default_backend(folder: Path | None = None) -> str:
    """The backend named in ``default.json`` (written by training: ``train.DEFAULT_BACKEND``)."""
    path = (folder if folder is not None else classifier_dir()) / "default.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))["default"]
    return "sklearn"


class StatementClassifier:
    """Labels (``problem``, ``improvement``) and topics for statement units or bare texts."""

    labels: tuple[str, ...] = LABELS
    topics: tuple[str, ...] = TOPICS

    def __init__(self, name: str, backend: _SklearnBackend | _SpacyBackend,
                 threshold: float = THRESHOLD) -> None:
        self.name = name
        self._backend = backend
        self.threshold = threshold

    @classmethod
    def load(cls, name: str | None = None, model_dir: str | Path | None = None) -> "StatementClassifier":
        """Load a shipped model: ``"sklearn"``, ``"spacy"`` or None for the recorded default."""
        folder = Path(model_dir) if model_dir is not None else classifier_dir()
        name = name or default_backend(folder)
        if name not in BACKENDS:
            raise ValueError(f"unknown classifier {name!r}; choose one of {', '.join(BACKENDS)}")
        backend = _SklearnBackend(folder) if name == "sklearn" else _SpacyBackend(folder)
        return cls(name, backend)

    def __repr__(self) -> str:
        return f"StatementClassifier(name={self.name!r})"

    def save(self, folder: str | Path) -> Path:
        """Write this model to ``folder`` so that ``load(model_dir=folder)`` gives it back: the
        backend's files and ``default.json`` naming the backend."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self._backend.save(folder)
        (folder / "default.json").write_text(json.dumps({"default": self.name}) + "\n",
                                             encoding="utf-8")
        return folder

    # -- probabilities ---------------------------------------------------------------------
    def _proba(self, texts: Sequence[str] | str, sections, topics: bool = True, contexts=None
               ) -> tuple[np.ndarray, np.ndarray]:
        """Label and (if asked) topic probabilities; one string or one section is broadcast."""
        if isinstance(texts, str):
            texts = [texts]
        if isinstance(sections, str):
            sections = [sections] * len(texts)
        return self._backend.proba(unit_rows(list(texts), sections, contexts), topics)

    def predict_proba(self, texts: Sequence[str], sections: Sequence[str | None] | None = None,
                      contexts: Contexts = None) -> list[dict[str, float]]:
        """One dict label → probability per text."""
        lab, _ = self._proba(texts, sections, topics=False, contexts=contexts)
        return [{k: float(p) for k, p in zip(LABELS, row)} for row in lab]

    def predict(self, texts: Sequence[str], sections: Sequence[str | None] | None = None,
                contexts: Contexts = None) -> list[set[str]]:
        """The labels whose probability reaches the threshold (possibly none, possibly both).

        ``contexts``: one tuple of context tokens per text (``nlp.classify.context.unit_contexts``);
        None reads every text alone.
        """
        lab, _ = self._proba(texts, sections, topics=False, contexts=contexts)
        return [{k for k, p in zip(LABELS, row) if p >= self.threshold} for row in lab]

    def predict_topic_proba(self, texts: Sequence[str], sections: Sequence[str | None] | None = None,
                            contexts: Contexts = None) -> list[dict[str, float]]:
        """One dict topic → probability per text (not gated by the labels)."""
        _, top = self._proba(texts, sections, contexts=contexts)
        return [{k: float(p) for k, p in zip(TOPICS, row)} for row in top]

    def predict_topics(self, texts: Sequence[str], sections: Sequence[str | None] | None = None,
                       gate: bool = True, contexts: Contexts = None) -> list[set[str]]:
        """Topics per text; with ``gate`` only texts labelled problem or improvement get topics.

        Why the gate: a topic says what a problem or measure is about, so a figure or a heading
        mentioning 网站 has no topic.
        """
        lab, top = self._proba(texts, sections, contexts=contexts)
        return [self._topics(lrow, trow, gate) for lrow, trow in zip(lab, top)]

    def predict_units(self, report: "Report", units: Sequence["Unit"]) -> list[set[str]]:
        """Labels of a report's units read in their context (what callers holding the report
        should use instead of ``predict(texts, sections)``)."""
        from nlp.classify.context import unit_contexts

        return self.predict([u.text for u in units], [u.section for u in units],
                            unit_contexts(report, units))

    def _topics(self, lrow: np.ndarray, trow: np.ndarray, gate: bool) -> set[str]:
        if gate and not (lrow >= self.threshold).any():
            return set()
        return {k for k, p in zip(TOPICS, trow) if p >= self.threshold}

    # -- reports ---------------------------------------------------------------------------
    def classify_report(self, report: "Report", sections: Iterable[str] | None = None) -> list[dict]:
        """One row per statement unit: where it is, its text, labels, topics and scores."""
        from nlp.classify.units import statement_units

        from nlp.classify.context import unit_contexts

        units = statement_units(report, tuple(sections) if sections is not None else None)
        lab, top = self._proba([u.text for u in units], [u.section for u in units],
                               contexts=unit_contexts(report, units))
        return self._report_rows(report, units, lab, top)

    def classify_reports(self, reports: Iterable["Report"], sections: Iterable[str] | None = None,
                         batch_units: int = BATCH_UNITS) -> Iterable[tuple["Report", list[dict]]]:
        """(report, ``classify_report`` rows) of each report, in order, with one prediction call per
        ``batch_units`` units instead of one per report (same rows: every unit is scored alone).

        Why: a call costs ~25 ms of fixed overhead (input checks, one logistic regression per
        label and topic) whatever its size; a report has ~10 section-五 units, so per-report
        calls spent most of ``history()``'s classifier time on overhead (benchmarks/history.md).
        """
        from nlp.classify.context import unit_contexts
        from nlp.classify.units import statement_units

        wanted = tuple(sections) if sections is not None else None
        pending: list[tuple["Report", list]] = []
        rows: list[Row] = []
        for report in reports:
            units = statement_units(report, wanted)
            pending.append((report, units))
            rows += unit_rows([u.text for u in units], [u.section for u in units],
                              unit_contexts(report, units))
            if len(rows) >= batch_units:
                yield from self._split(pending, rows)
                pending, rows = [], []
        if pending:
            yield from self._split(pending, rows)

    def _split(self, pending: list[tuple["Report", list]], rows: list[Row]
               ) -> Iterable[tuple["Report", list[dict]]]:
        """Score ``rows`` at once and hand each report its share, as ``classify_report`` rows."""
        lab, top = self._backend.proba(rows, True)
        at = 0
        for report, units in pending:
            n = len(units)
            yield report, self._report_rows(report, units, lab[at:at + n], top[at:at + n])
            at += n

    def _report_rows(self, report: "Report", units: Sequence["Unit"], lab: np.ndarray,
                     top: np.ndarray) -> list[dict]:
        """One row per unit: where it is, its text, labels, topics and scores."""
        m = report.meta
        rows = []
        for u, lrow, trow in zip(units, lab, top):
            topics = self._topics(lrow, trow, gate=True)
            rows.append({
                "path": report.path, "office": m.office, "year": m.year, "section": u.section,
                "start": u.start, "end": u.end, "text": u.text,
                "labels": [k for k, p in zip(LABELS, lrow) if p >= self.threshold],
                "topics": [k for k in TOPICS if k in topics],
                "scores": {**{k: round(float(p), 4) for k, p in zip(LABELS, lrow)},
                           **{k: round(float(p), 4) for k, p in zip(TOPICS, trow)}},
            })
        return rows


#: Columns of ``statements_frame`` (and of ``govnlp classify --format csv``).
STATEMENT_COLUMNS = ["report_id", "path", "office", "office_id", "level", "region", "year",
                     "section", "start", "end", "text", "labels", "topics",
                     *(f"p_{k}" for k in LABELS + TOPICS)]


def statement_rows(reports: Iterable["Report"], model: str | StatementClassifier | None = None,
                   sections: Iterable[str] | None = ("problems",)) -> Iterable[dict]:
    """Flat JSON-ready rows (``STATEMENT_COLUMNS``), one per statement unit of each report.

    ``sections`` defaults to section 五, where problems and measures are written; pass None for
    every narrative section. ``model``: a name or folder, a StatementClassifier, or anything with
    its ``classify_reports`` (rows already scored).
    """
    from nlp.frames import report_key

    clf = model if hasattr(model, "classify_reports") else StatementClassifier.load(model)
    for report, rows in clf.classify_reports(reports, sections):
        key = report_key(report)
        for r in rows:
            yield {**key, **{k: r[k] for k in ("section", "start", "end", "text", "labels",
                                              "topics")},
                   **{f"p_{k}": v for k, v in r["scores"].items()}}


def statements_frame(reports: Iterable["Report"], model: str | StatementClassifier | None = None,
                     sections: Iterable[str] | None = ("problems",)) -> "pd.DataFrame":
    """``statement_rows`` as a DataFrame; ``labels``/``topics`` are lists (``df.explode("topics")``)."""
    import pandas as pd

    from nlp.dataset.schema import conform

    return conform(pd.DataFrame(list(statement_rows(reports, model, sections)),
                                columns=STATEMENT_COLUMNS), "statements")
