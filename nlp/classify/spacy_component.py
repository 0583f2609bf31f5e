"""The statement classifier as a spaCy pipeline component, ``govnlp_statements``.

Added to any Chinese pipeline, it finds the report's statement units (from ``doc._.report``
when the Doc came from ``nlp.spacy_doc.report_to_doc(report)``, else by segmenting
``doc.text``; a text that is not a report is one unit read alone), classifies each section-五
unit in its context (``nlp.classify.context``) and stores them in ``doc.spans["statements"]``
with ``span._.labels``, ``span._.topics`` and ``span._.scores``; ``span.label_`` is the
section id::

    nlp = statements_nlp()                      # blank zh (jieba) + govnlp_statements
    doc = nlp(report.text)
    [(s.text, s._.labels) for s in doc.spans["statements"] if s._.labels]
"""
from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

import nlp.spacy_doc  # noqa: F401  (registers doc._.report, which report_to_doc fills)
from nlp.classify.context import unit_contexts
from nlp.classify.model import StatementClassifier
from nlp.classify.units import Unit, statement_units

for _name in ("labels", "topics", "scores"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)

FACTORY = "govnlp_statements"
#: The component's own settings file inside its folder of a saved pipeline.
COMPONENT_CFG = "component.json"


class StatementsComponent:
    """Classifies a Doc's statement units with a ``StatementClassifier`` (any backend)."""

    def __init__(self, nlp: Language, name: str = FACTORY, model: str | None = "spacy",
                 model_dir: str | None = None, spans_key: str = "statements") -> None:
        self.name = name
        self.spans_key = spans_key
        self.model, self.model_dir = model, model_dir
        self._clf: StatementClassifier | None = None

    @property
    def classifier(self) -> StatementClassifier:
        """Loaded on first use, so building a pipeline stays cheap."""
        if self._clf is None:
            self._clf = StatementClassifier.load(self.model, self.model_dir)
        return self._clf

    def _units(self, doc: Doc) -> tuple[list[Unit], list[tuple[str, ...]] | None]:
        """The units to label and their contexts: the report's, else a segmentation of the text,
        else the whole Doc read alone (no context)."""
        report = doc._.report
        if report is None:
            from nlp.ingest.readers import IngestError
            from nlp.load import parse_report

            try:
                report = parse_report(doc.text)
            except IngestError:  # a sentence or paragraph, not a whole report
                text = doc.text.strip()
                start = doc.text.find(text) if text else 0
                return ([Unit("none", start, start + len(text), text, "sentence")] if text else [],
                        None)
        if report.text != doc.text:
            raise ValueError("doc._.report does not hold this Doc's text")
        units = statement_units(report)
        return units, unit_contexts(report, units)

    def __call__(self, doc: Doc) -> Doc:
        units, contexts = self._units(doc)
        clf = self.classifier
        texts, secs = [u.text for u in units], [None if u.section == "none" else u.section for u in units]
        probs = clf.predict_proba(texts, secs, contexts)
        topic_probs = clf.predict_topic_proba(texts, secs, contexts)
        spans = []
        for u, p, tp in zip(units, probs, topic_probs):
            span = doc.char_span(u.start, u.end, label=u.section, alignment_mode="expand")
            if span is None:
                continue
            labels = [k for k, v in p.items() if v >= clf.threshold]  # in LABELS order
            span._.labels = labels
            span._.topics = [k for k, v in tp.items() if v >= clf.threshold] if labels else []
            span._.scores = {**p, **tp}
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc

    # -- serialisation: a saved pipeline carries its classifier, not a pointer to one ------------
    def to_disk(self, path: str | Path, *, exclude=()) -> None:
        """The classifier's files (``StatementClassifier.save``) and its threshold in ``path``,
        so ``spacy.load`` of a saved pipeline needs no ``models/classifier`` of its own."""
        clf = self.classifier
        path = clf.save(path)
        (path / COMPONENT_CFG).write_text(json.dumps({"model": clf.name, "threshold": clf.threshold}),
                                          encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude=()) -> "StatementsComponent":
        """The classifier written by ``to_disk``; a folder without one (a pipeline saved before
        components carried their data) keeps the configured ``model``/``model_dir``."""
        path = Path(path)
        if (path / COMPONENT_CFG).is_file():
            cfg = json.loads((path / COMPONENT_CFG).read_text(encoding="utf-8"))
            self._clf = StatementClassifier.load(cfg["model"], path)
            self._clf.threshold = cfg["threshold"]
            self.model = cfg["model"]
        return self

    def to_bytes(self, *, exclude=()) -> bytes:
        """``to_disk``'s files as one uncompressed zip archive."""
        buf = io.BytesIO()
        with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buf, "w") as zf:
            self.to_disk(tmp)
            for p in sorted(Path(tmp).rglob("*")):
                if p.is_file():
                    zf.write(p, p.relative_to(tmp).as_posix())
        return buf.getvalue()

    def from_bytes(self, data: bytes, *, exclude=()) -> "StatementsComponent":
        """The inverse of ``to_bytes``; the classifier is read into memory, nothing stays on disk."""
        with tempfile.TemporaryDirectory() as tmp:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                zf.extractall(tmp)  # our own archive: names are the relative paths to_disk wrote
            return self.from_disk(tmp)


@Language.factory(FACTORY, default_config={"model": "spacy", "model_dir": None,
                                           "spans_key": "statements"})
def make_statements(nlp: Language, name: str, model: str | None, model_dir: str | None,
                    spans_key: str) -> StatementsComponent:
    """Factory of ``govnlp_statements``; ``model`` is "spacy", "sklearn" or None (the default)."""
    return StatementsComponent(nlp, name, model, model_dir, spans_key)


def statements_nlp(model: str | None = "spacy", model_dir: str | None = None) -> Language:
    """A fresh ``spacy.blank("zh")`` (jieba) pipeline ending in ``govnlp_statements``."""
    from nlp.spacy_doc import blank_zh

    blank_zh()  # quiets jieba's start-up logging
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe(FACTORY, config={"model": model, "model_dir": model_dir})
    return nlp
