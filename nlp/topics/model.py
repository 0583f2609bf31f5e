"""Topic models over statement units: NMF or LDA, reproducible, with words, examples and NPMI.

``TopicModel`` is a scikit-learn estimator (``fit`` / ``transform``, plain parameters, works with
``clone``). It tokenises with the genre's :class:`~nlp.text.tokenize.ChineseTokenizer`, so
topics are made of content words: domain terms stay whole (政府信息公开, 依申请公开) and office
pronouns, years and filler verbs (我镇, 2021年, 进一步) never show up. NMF runs on sublinear
TF-IDF from an NNDSVDa start (whose randomized SVD takes the seed, so another seed moves NMF
topics only slightly); LDA runs on counts with batch variational Bayes, where the seed picks
the start. Both are seeded, so the same data and seed give the same topics. Topics are
renumbered by size (topic 0 carries the most document weight), which makes runs easy to compare.

``fit_topics(reports, ...)``, the corpus-level entry point, and its ``TopicResult`` are in
``nlp.topics.corpus`` (still importable from here).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from nlp.text.tokenize import ChineseTokenizer
from nlp.topics.coherence import doc_word_matrix, mean_pair_npmi
from nlp.topics.names import corpus_names, mask_names, name_words  # noqa: F401 (re-exported)

METHODS = ("nmf", "lda", "embedding")
#: Discourse words and fragments (下一步 → 下 + 一步; "自1月1日起至…止") that the genre's stop
#: list keeps (it serves keywords too) but that no topic needs.
TOPIC_STOPWORDS = ("我们", "以下", "虽然", "但是", "仍然", "还是", "一定", "这些", "任何", "如对本",
                   "日至", "日起", "日止", "月底", "年底", "一步")


class TopicModel(BaseEstimator, TransformerMixin):
    """NMF or LDA topics over short Chinese documents (statement units).

    Parameters are plain values: ``method`` ("nmf" or "lda"), ``n_topics``, ``random_state``
    (the seed), ``max_features`` / ``min_df`` / ``max_df`` for the vocabulary, ``max_iter``
    for the solver (None: 400 for NMF, 50 for LDA), ``extra_stopwords`` on top of the genre's
    list and :data:`TOPIC_STOPWORDS`, or a whole ``tokenizer`` (default: ``ChineseTokenizer``),
    and ``drop_template`` (True, as in ``fit_topics``: the template's words are out).
    """

    def __init__(self, method: str = "nmf", n_topics: int = 8, random_state: int = 0,
                 max_features: int | None = 5000, min_df: int | float = 2,
                 max_df: int | float = 0.95, max_iter: int | None = None,
                 extra_stopwords: tuple[str, ...] = (), tokenizer: Any = None,
                 drop_template: bool = True) -> None:
        self.drop_template = drop_template
        self.method = method
        self.n_topics = n_topics
        self.random_state = random_state
        self.max_features = max_features
        self.min_df = min_df
        self.max_df = max_df
        self.max_iter = max_iter
        self.extra_stopwords = extra_stopwords
        self.tokenizer = tokenizer

    # -- fitting ---------------------------------------------------------------------------
    def _tokenizer(self) -> Any:
        return self.tokenizer or ChineseTokenizer(
            extra_stopwords=TOPIC_STOPWORDS + tuple(self.extra_stopwords),
            drop_template=self.drop_template)

    def _vectorizer(self):
        from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

        kw = dict(tokenizer=self._tokenizer(), token_pattern=None,
                  lowercase=False, min_df=self.min_df, max_df=self.max_df,
                  max_features=self.max_features)
        if self.method == "nmf":
            return TfidfVectorizer(sublinear_tf=True, **kw)
        return CountVectorizer(**kw)

    def _estimator(self):
        from sklearn.decomposition import NMF, LatentDirichletAllocation

        if self.method == "nmf":
            return NMF(n_components=self.n_topics, init="nndsvda", random_state=self.random_state,
                       max_iter=self.max_iter or 400)
        return LatentDirichletAllocation(n_components=self.n_topics, learning_method="batch",
                                         random_state=self.random_state,
                                         max_iter=self.max_iter or 50)

    def fit(self, documents: Sequence[str], y: Any = None,
            metadata: pd.DataFrame | None = None) -> "TopicModel":
        """Learn the vocabulary and ``n_topics`` topics from ``documents``.

        ``metadata`` (one row per document: path, office, year …) is kept so that
        :meth:`representative` can say where each example comes from.
        """
        if self.method not in METHODS[:2]:
            raise ValueError(f"method must be one of {METHODS}, not {self.method!r}")
        documents = list(documents)
        if metadata is not None and len(metadata) != len(documents):
            raise ValueError(f"metadata has {len(metadata)} rows for {len(documents)} documents")
        self.vectorizer_ = self._vectorizer()
        try:
            x = self.vectorizer_.fit_transform(documents)
        except ValueError as e:  # every document empty, or min_df/max_df left no word
            raise ValueError(f"no vocabulary from {len(documents)} documents: {e}") from e
        if min(x.shape) < self.n_topics:
            raise ValueError(f"n_topics={self.n_topics} needs at least as many documents and "
                             f"words; have {x.shape[0]} documents and {x.shape[1]} words")
        self.estimator_ = self._estimator()
        raw = self.estimator_.fit_transform(x)
        # topic 0 = the most document weight; the stable sort keeps ties in solver order
        self.order_ = np.argsort(-raw.sum(axis=0), kind="stable")
        comp = self.estimator_.components_[self.order_]
        self.components_ = comp / np.maximum(comp.sum(axis=1, keepdims=True), 1e-12)
        self.vocabulary_ = self.vectorizer_.get_feature_names_out()
        self.doc_term_ = x.tocsc()
        self.raw_doc_topic_ = raw[:, self.order_]
        self.doc_topic_ = _normalise(self.raw_doc_topic_)
        self.documents_ = documents
        self.metadata_ = (metadata.reset_index(drop=True) if metadata is not None
                          else pd.DataFrame(index=range(len(documents))))
        return self

    def transform(self, documents: Sequence[str]) -> np.ndarray:
        """Topic shares of each document (rows sum to 1; all zeros when it has no known word)."""
        raw = self.estimator_.transform(self.vectorizer_.transform(list(documents)))
        return _normalise(raw[:, self.order_])

    def fit_transform(self, documents: Sequence[str], y: Any = None, **fit_params) -> np.ndarray:
        return self.fit(documents, y, **fit_params).doc_topic_

    # -- reading the topics ----------------------------------------------------------------
    def topic_words(self, n: int = 10) -> list[list[str]]:
        """The ``n`` highest-weight words of each topic (ties broken by vocabulary order)."""
        order = np.argsort(-self.components_, axis=1, kind="stable")[:, :n]
        return [[str(self.vocabulary_[j]) for j in row] for row in order]

    def top_words(self, n: int = 10) -> pd.DataFrame:
        """One row per (topic, rank): the word and its share of the topic's word weight."""
        order = np.argsort(-self.components_, axis=1, kind="stable")[:, :n]
        rows = [{"topic": k, "rank": r, "word": str(self.vocabulary_[j]),
                 "weight": float(self.components_[k, j])}
                for k, row in enumerate(order) for r, j in enumerate(row)]
        return pd.DataFrame(rows, columns=["topic", "rank", "word", "weight"])

    def representative(self, n: int = 3) -> pd.DataFrame:
        """The ``n`` documents with the highest share of each topic, with their metadata.

        Ties in share (short units that are wholly one topic) go to the larger raw weight;
        a text repeated verbatim across reports is shown once, at its best rank.
        """
        rows = []
        for k in range(self.components_.shape[0]):
            share, raw = self.doc_topic_[:, k], self.raw_doc_topic_[:, k]
            seen: set[str] = set()
            for d in np.lexsort((-raw, -share)):
                key = "".join(self.documents_[d].split())
                if share[d] <= 0 or len(seen) >= n:
                    break
                if key in seen:
                    continue
                seen.add(key)
                rows.append({"topic": k, "rank": len(seen) - 1, "weight": float(share[d]),
                             **self.metadata_.iloc[d].to_dict(), "text": self.documents_[d]})
        return pd.DataFrame(rows)

    def coherence(self, reference_docs: Sequence[str] | None = None, n: int = 10) -> np.ndarray:
        """Per-topic NPMI of the top-``n`` word pairs, by document co-occurrence.

        The reference corpus is the fitted documents unless ``reference_docs`` is given
        (e.g. every unit of a larger corpus); those are tokenised like the training text.
        """
        words = self.topic_words(n)
        unique = sorted({w for t in words for w in t})
        if reference_docs is None:  # the stored matrix: no second tokenisation
            index = {w: j for j, w in enumerate(self.vocabulary_)}
            doc_word = self.doc_term_[:, [index[w] for w in unique]].toarray() > 0
        else:
            tokenize = self.vectorizer_.tokenizer
            doc_word = doc_word_matrix((tokenize(d) for d in reference_docs), unique)
        column = {w: c for c, w in enumerate(unique)}
        return mean_pair_npmi(doc_word, [[column[w] for w in t] for t in words])


def _normalise(weights: np.ndarray) -> np.ndarray:
    total = weights.sum(axis=1, keepdims=True)
    return np.divide(weights, total, out=np.zeros_like(weights, dtype=float), where=total > 0)


#: Names that moved to ``nlp.topics.corpus``; imported lazily (that module imports this one).
_CORPUS_NAMES = ("BOILERPLATE_OVERLAP", "DOC_COLUMNS", "MIN_UNITS", "TopicResult", "UNKNOWN",
                 "fit_topics", "is_boilerplate", "unit_frame")


def __getattr__(name: str) -> Any:
    if name in _CORPUS_NAMES:
        from nlp.topics import corpus

        return getattr(corpus, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

