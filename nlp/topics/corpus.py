"""Topics of a corpus: statement units of a section, a fitted model and its frames.

``fit_topics(reports, ...)`` takes the units of one section (``unit_frame``), optionally only
those a classifier labels ``problem`` and without boilerplate, masks the office names, fits a
:class:`~nlp.topics.model.TopicModel` (or the embedding model) on the units sorted by content,
so the input order never changes the topics, and returns a :class:`TopicResult`: topics,
documents, per-year counts with n, over time, by class, representative statements, files.
``fit_topics_batches(batches, ...)`` is the same over batches of reports (``govnlp topics``):
only the units and each report's metadata are kept, so memory is one batch plus the units.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nlp.model import SECTION_IDS, Report
from nlp.reuse.boilerplate import boilerplate_spans, covered_share
from nlp.topics.model import TopicModel
from nlp.topics.names import corpus_names, name_masker, name_words

#: A year (or class) with fewer units than this is greyed out in plots and flagged ``enough``
#: False: on the real reports one office's section 五 is 3–12 units, so below 10 a share
#: describes one report, not a year.
MIN_UNITS = 10
#: A unit counts as boilerplate when reused sentences cover at least this share of it.
BOILERPLATE_OVERLAP = 0.5
UNKNOWN = "未知"  # class value for a report whose level or region is not known
DOC_COLUMNS = ["path", "office", "level", "region", "year", "section", "start", "end", "kind",
               "text"]


@dataclass
class TopicResult:
    """A fitted topic model over a corpus's statement units, with its frames.

    ``documents``: one row per unit (path, office, level, region, year, section, start, end,
    kind, text, topic, weight); ``topic`` is the dominant topic and ``weight`` its share, or
    −1 and 0 for a unit with no vocabulary word. ``topics``: topic, words, coherence (mean
    NPMI of the top-10 pairs), documents (units whose dominant topic it is), share (of all
    topic weight). ``doc_topic`` is the full units × topics share matrix.
    """

    model: TopicModel
    documents: pd.DataFrame
    topics: pd.DataFrame
    doc_topic: np.ndarray
    params: dict = field(default_factory=dict)

    def top_words(self, n: int = 10) -> pd.DataFrame:
        return self.model.top_words(n)

    def labels(self, n: int = 3) -> list[str]:
        """Short automatic names: each topic's first ``n`` top words joined by '·'."""
        return ["·".join(w[:n]) for w in self.model.topic_words(n)]

    def counts(self, column: str = "year", min_units: int = MIN_UNITS) -> pd.DataFrame:
        """Per value of ``column``: reports, units, assigned units and ``enough`` (at least
        ``min_units`` assigned units), so a share is never read without its n."""
        docs = self.documents.assign(assigned=self.documents["topic"] >= 0)
        key = docs[column].astype("Int64") if column == "year" else docs[column].fillna(UNKNOWN)
        g = docs.groupby(key.rename(column))
        out = pd.DataFrame({"reports": g["path"].nunique(), "units": g.size(),
                            "assigned": g["assigned"].sum().astype(int)})
        return out.assign(enough=out["assigned"] >= min_units).reset_index()

    def representative(self, n: int = 3) -> pd.DataFrame:
        return self.model.representative(n)

    def select(self, mask: Any) -> "TopicResult":
        """The same topics over a subset of the units (``mask``: one bool per document row),
        e.g. only the problem statements, with ``topics``' documents and share recounted."""
        keep = np.asarray(mask, dtype=bool)
        if keep.shape != (len(self.documents),):
            raise ValueError(f"mask has shape {keep.shape}, need ({len(self.documents)},)")
        documents = self.documents[keep].reset_index(drop=True)
        doc_topic = self.doc_topic[keep]
        has = documents["topic"] >= 0
        k = doc_topic.shape[1]
        topics = self.topics.assign(
            documents=np.bincount(documents["topic"][has], minlength=k),
            share=(doc_topic.sum(axis=0) / max(int(has.sum()), 1)).round(4))
        return TopicResult(self.model, documents, topics, doc_topic,
                           {**self.params, "documents": int(has.sum()), "selected": int(keep.sum())})

    def _by(self, key: pd.Series, measure: str) -> pd.DataFrame:
        """Rows: values of ``key``; columns: topics; cells: mean share or dominant-topic share."""
        if measure not in ("weight", "share"):
            raise ValueError("measure must be 'weight' or 'share'")
        has = (self.documents["topic"] >= 0).to_numpy() & key.notna().to_numpy()
        k = self.doc_topic.shape[1]
        values = (self.doc_topic if measure == "weight"
                  else np.eye(k)[self.documents["topic"].clip(lower=0)])
        frame = pd.DataFrame(values[has], columns=pd.RangeIndex(k, name="topic"))
        return frame.groupby(key[has].to_numpy()).mean().rename_axis(key.name)

    def over_time(self, measure: str = "weight") -> pd.DataFrame:
        """Year × topic: mean topic share of the year's units (``measure="weight"``), or the
        share of its units whose dominant topic it is (``"share"``). Rows sum to 1."""
        return self._by(self.documents["year"].astype("Int64"), measure)

    def by_class(self, column: str = "level", measure: str = "weight") -> pd.DataFrame:
        """Class × topic (``column`` = level, region, office …), like :meth:`over_time`;
        a missing class value is counted as 未知."""
        return self._by(self.documents[column].fillna(UNKNOWN).rename(column), measure)

    def write(self, outdir: str | Path, n_words: int = 10, format: str = "csv") -> list[Path]:
        """Write the frames (csv, jsonl, parquet or xlsx, by ``nlp.dataset.write``) and plots
        (PNG) of ``govnlp topics`` into ``outdir``."""
        import matplotlib.pyplot as plt

        from nlp.dataset.write import write_file
        from nlp.topics import plots

        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        frames = {"topics": self.topics, "top_words": self.top_words(n_words),
                  "representative": self.representative(), "documents": self.documents,
                  "over_time": self.over_time(), "by_level": self.by_class("level"),
                  "by_region": self.by_class("region"), "year_counts": self.counts("year")}
        written = []
        for name, frame in frames.items():
            path = out / f"{name}.{format}"
            if name in ("over_time", "by_level", "by_region"):  # class × topic: the class a column
                frame = frame.reset_index()
            frame.columns = [str(c) for c in frame.columns]  # topic 0 → "0" (parquet wants text)
            write_file(frame, path, format, name)
            written.append(path)
        figures = {"top_words": plots.plot_top_words(self, n_words),
                   "over_time": plots.plot_over_time(self).figure,
                   "by_level": plots.plot_by_class(self, "level").figure,
                   "by_region": plots.plot_by_class(self, "region").figure}
        for name, fig in figures.items():
            path = out / f"{name}.png"
            fig.savefig(path, dpi=120, bbox_inches="tight")
            plt.close(fig)
            written.append(path)
        return written


def unit_frame(reports: Sequence[Report], section: str | Sequence[str] | None = "problems",
               kinds: Sequence[str] = ("item", "sentence")) -> pd.DataFrame:
    """Statement units of the chosen section(s) of every report, one row each with metadata."""
    return pd.DataFrame(_unit_rows(reports, section, kinds), columns=DOC_COLUMNS)


def _unit_rows(reports: Sequence[Report], section: str | Sequence[str] | None,
               kinds: Sequence[str] = ("item", "sentence"), first: int = 0) -> list[dict]:
    """The rows of :func:`unit_frame` (``first``: the index of the first report, for the
    "<report d>" path of a report without one)."""
    from nlp.classify.units import statement_units

    sections = (section,) if isinstance(section, str) else (tuple(section) if section else None)
    rows = []
    for d, r in enumerate(reports, first):
        m = r.meta
        for u in statement_units(r, sections):
            if u.kind in kinds:
                rows.append({"path": r.path or f"<report {d}>", "office": m.office,
                             "level": m.level, "region": m.region, "year": m.year,
                             "section": u.section, "start": u.start, "end": u.end,
                             "kind": u.kind, "text": u.text})
    return rows


def is_boilerplate(units: pd.DataFrame, spans: dict[str, set[tuple[int, int]]],
                   min_overlap: float = BOILERPLATE_OVERLAP) -> np.ndarray:
    """True for each unit whose characters are at least ``min_overlap`` covered by ``spans``
    (path → spans, from :func:`nlp.reuse.boilerplate.boilerplate_spans`)."""
    return np.array([covered_share(start, end, spans.get(path, ())) >= min_overlap
                     for path, start, end in zip(units["path"], units["start"], units["end"])],
                    dtype=bool)


def fit_topics(reports: Sequence[Report], section: str | Sequence[str] | None = "problems",
               label: str | None = None, classifier: Any = None, drop_boilerplate: bool = False,
               reuse: Any = None, method: str = "nmf", n_topics: int = 8, seed: int = 0,
               drop_names: bool = True, drop_template: bool = True, statements: bool = False,
               **model_params: Any) -> TopicResult:
    """Topics of the statement units of ``section`` (None: every section) across ``reports``.

    - ``label`` ("problem", "improvement"): keep only units that ``classifier`` (any object
      with ``.predict(texts, sections) -> list[set[str]]``; default the shipped
      ``StatementClassifier``) gives that label.
    - ``drop_boilerplate``: drop units lying in template or cross-office passages of ``reuse``
      (a ReuseResult; ``detect(reports)`` is run when it is None), so topics show what offices
      wrote themselves rather than the text they all copy.
    - ``drop_names``: the words of the corpus's office and region names (平潭, 实验区, 洪泽) are
      stop words, so a topic is about what is said, not about who says it most often.
      The names are also masked in the text the model reads (``nlp.reuse.mask.own_names``).
    - ``statements``: fill the documents' ``statement`` column (problem / improvement / other,
      by ``classifier``'s public ``predict``) so ``by_class("statement")`` compares them.
    - ``drop_template``: the template's words (``nlp.text.tokenize.template_words``) are out.
    - ``method`` ("nmf", "lda", "embedding"), ``n_topics``, ``seed`` and ``model_params`` go to
      :class:`TopicModel` (or ``EmbeddingTopicModel``).
    """
    reports = list(reports)
    if drop_boilerplate and reuse is None:
        from nlp.reuse.detect import detect

        reuse = detect(reports)
    return _fit_units(unit_frame(reports, section), reports, section, label, classifier,
                      drop_boilerplate, reuse, method, n_topics, seed, drop_names, drop_template,
                      statements, **model_params)


def fit_topics_batches(batches: Iterable[Sequence[Report]],
                       section: str | Sequence[str] | None = "problems", label: str | None = None,
                       classifier: Any = None, drop_boilerplate: bool = False, reuse: Any = None,
                       method: str = "nmf", n_topics: int = 8, seed: int = 0,
                       drop_names: bool = True, drop_template: bool = True,
                       statements: bool = False, **model_params: Any) -> TopicResult:
    """:func:`fit_topics` over ``batches`` of reports (e.g. chunks of files read in turn), one
    batch in memory at a time: the units (small) and metadata are kept, the reports dropped.
    The same topics as ``fit_topics`` on all the reports (units are fitted in content order).
    ``drop_boilerplate`` needs ``reuse`` over all of them (``nlp.reuse.stream.detect_stream``)."""
    if drop_boilerplate and reuse is None:
        raise ValueError("drop_boilerplate over batches needs reuse (detect_stream of the files)")
    rows: list[dict] = []
    metas: list[_MetaOnly] = []
    for batch in batches:  # rows, not frames: one frame infers dtypes as unit_frame does
        rows.extend(_unit_rows(batch, section, first=len(metas)))
        metas.extend(_MetaOnly(r.meta) for r in batch)
    units = pd.DataFrame(rows, columns=DOC_COLUMNS)
    return _fit_units(units, metas, section, label, classifier, drop_boilerplate, reuse, method,
                      n_topics, seed, drop_names, drop_template, statements, **model_params)


@dataclass(frozen=True)
class _MetaOnly:
    """What the name rules read of a report (``meta``), the report itself dropped."""

    meta: Any


def _fit_units(units: pd.DataFrame, reports: Sequence[Any], section, label, classifier,
               drop_boilerplate, reuse, method, n_topics, seed, drop_names, drop_template,
               statements, **model_params: Any) -> TopicResult:
    """The model fitted on ``units`` of ``reports`` (anything with ``meta``): see fit_topics."""
    if units.empty:
        raise ValueError(f"no statement units in section {section!r} of {len(reports)} report(s); "
                         f"section ids: {', '.join(SECTION_IDS)}, or None for all")
    counts = {"units": len(units)}
    units["statement"] = None
    if label is not None or statements:
        if classifier is None:
            from nlp.classify import StatementClassifier

            classifier = StatementClassifier.load()
        labels = classifier.predict(units["text"].tolist(), units["section"].tolist())
        if statements:
            units["statement"] = [next((x for x in ("problem", "improvement") if x in s), "other")
                                  for s in labels]
        units = units[[label is None or label in s for s in labels]].reset_index(drop=True)
        counts["labelled"] = len(units)
    if drop_boilerplate:
        drop = is_boilerplate(units, boilerplate_spans(reuse))
        counts["boilerplate_dropped"] = int(drop.sum())
        units = units[~drop].reset_index(drop=True)
    if drop_names:
        model_params["extra_stopwords"] = (*name_words(reports),
                                           *model_params.get("extra_stopwords", ()))
    if method == "embedding":
        from nlp.topics.embedding import EmbeddingTopicModel as cls
    else:
        cls = TopicModel
    model = cls(method=method, n_topics=n_topics, random_state=seed, drop_template=drop_template,
                **model_params)
    names = corpus_names(reports) if drop_names else ()
    # one canonical order whatever the order of ``reports``: units by place, fitted by content
    units = units.sort_values(["path", "start"], kind="stable").reset_index(drop=True)
    texts = units["text"].tolist()
    perm = np.array(sorted(range(len(texts)), key=lambda i: (texts[i], units["path"][i],
                                                               int(units["start"][i]))), dtype=int)
    mask = name_masker(names)
    read = [mask(texts[i]) for i in perm]
    fitted = model.fit_transform(read, metadata=units.drop(columns="text").iloc[perm])
    model.documents_ = [texts[i] for i in perm]  # examples show the report's own text
    doc_topic = np.empty_like(fitted)
    doc_topic[perm] = fitted
    has = doc_topic.sum(axis=1) > 0
    documents = units.assign(topic=np.where(has, doc_topic.argmax(axis=1), -1),
                             weight=doc_topic.max(axis=1).round(4))
    counts["documents"] = int(has.sum())
    words = model.topic_words(10)
    coherence = model.coherence()
    topics = pd.DataFrame({"topic": range(n_topics), "label": ["·".join(w[:3]) for w in words],
                           "words": [" ".join(w) for w in words],
                           "coherence": coherence.round(4),
                           "documents": np.bincount(documents["topic"][has], minlength=n_topics),
                           "share": (doc_topic.sum(axis=0) / max(has.sum(), 1)).round(4)})
    params = {"section": section, "label": label, "drop_boilerplate": drop_boilerplate,
              "method": method, "n_topics": n_topics, "seed": seed, **counts}
    return TopicResult(model, documents, topics, doc_topic, params)
