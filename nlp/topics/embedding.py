"""Embedding topics for short formulaic statements: BERTopic's idea, reproducible.

Statement vectors come from the shipped sentence-embedding model (``nlp.reuse.embeddings``,
offline). The distinct texts are sorted by content and clustered by Ward agglomerative
clustering (no UMAP, no HDBSCAN, no random start), so the same set of units gives the same
topics whatever their order and on every run. Each cluster is described by class-based TF-IDF
over the topic vocabulary (template words and office names already out): a word weighs by its
share of the cluster's words times log(1 + mean words per cluster / the word's frequency in all
clusters). ``reduce_topics(k)`` merges the smallest topic into its most similar one (cosine of
c-TF-IDF rows) until k are left; ``fit`` clusters into ``n_clusters`` (default 8k) and reduces.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from nlp.topics.model import TopicModel

#: Clusters before merging, per final topic: Ward splits the big formulaic groups first, and
#: merging by words then joins clusters that say the same in other phrasing. Mean NPMI /
#: diversity of k=6 on the 131 real section-五 units by this factor: 1: −0.35/0.77,
#: 2: −0.26/0.85, 4: −0.15/0.95, 6: −0.08/0.98, 8: −0.08/0.97, 10: −0.09/0.90, 15: −0.19/0.93.
OVERCLUSTER = 8
#: Ward holds all pairwise distances (n² / 2 floats: 1.6 GB at 20,000 texts). Above this many
#: distinct texts it clusters every ⌈n / MAX_WARD⌉-th text of the content-sorted list (still
#: order-independent) and gives the others the cluster of the nearest centroid.
MAX_WARD = 20_000


def ctfidf(counts: np.ndarray) -> np.ndarray:
    """Class-based TF-IDF of a (classes × words) count matrix, rows normalised to sum 1."""
    counts = np.asarray(counts, dtype=float)
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1e-12)
    mean_words = counts.sum() / max(counts.shape[0], 1)
    idf = np.log1p(mean_words / np.maximum(counts.sum(axis=0), 1e-12))
    w = tf * idf
    return w / np.maximum(w.sum(axis=1, keepdims=True), 1e-12)


class EmbeddingTopicModel(TopicModel):
    """Topics as clusters of statement vectors, described by c-TF-IDF (``method="embedding"``).

    Same reading API as :class:`TopicModel` (``topic_words``, ``top_words``,
    ``representative``, ``coherence``); ``doc_topic_`` is one-hot (every unit is assigned).
    ``n_clusters`` (None: ``OVERCLUSTER * n_topics``) clusters are merged down to ``n_topics``.
    """

    def __init__(self, method: str = "embedding", n_topics: int = 8, random_state: int = 0,
                 max_features: int | None = 5000, min_df: int | float = 2,
                 max_df: int | float = 1.0, max_iter: int | None = None,
                 extra_stopwords: tuple[str, ...] = (), tokenizer: Any = None,
                 drop_template: bool = True, n_clusters: int | None = None,
                 embed_path: str | None = None) -> None:
        super().__init__(method, n_topics, random_state, max_features, min_df, max_df, max_iter,
                         extra_stopwords, tokenizer, drop_template)
        self.n_clusters = n_clusters
        self.embed_path = embed_path

    def _vectorizer(self):
        from sklearn.feature_extraction.text import CountVectorizer

        return CountVectorizer(tokenizer=self._tokenizer(), token_pattern=None, lowercase=False,
                               min_df=self.min_df, max_df=self.max_df,
                               max_features=self.max_features)

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        from nlp.reuse.embeddings import embed

        return embed(list(texts), self.embed_path)

    def fit(self, documents: Sequence[str], y: Any = None,
            metadata: pd.DataFrame | None = None) -> "EmbeddingTopicModel":
        """Cluster the distinct texts (sorted by content) and describe clusters by c-TF-IDF."""
        documents = list(documents)
        if metadata is not None and len(metadata) != len(documents):
            raise ValueError(f"metadata has {len(metadata)} rows for {len(documents)} documents")
        unique = sorted(set(documents))  # order-independent: clustering sees a sorted set
        if len(unique) < self.n_topics:
            raise ValueError(f"n_topics={self.n_topics} needs at least as many distinct "
                             f"documents; have {len(unique)}")
        self.vectorizer_ = self._vectorizer()
        try:
            x_unique = self.vectorizer_.fit_transform(unique)
        except ValueError as e:
            raise ValueError(f"no vocabulary from {len(documents)} documents: {e}") from e
        # embed the content words (template and names out), not the formula around them
        tok = self.vectorizer_.build_analyzer()
        vectors = self._embed([" ".join(tok(t)) or t for t in unique]).astype(np.float64)
        n_clusters = min(len(unique), self.n_clusters or OVERCLUSTER * self.n_topics)
        labels = _ward(vectors, n_clusters)
        index = {t: i for i, t in enumerate(unique)}
        rows = np.array([index[d] for d in documents])
        self.vocabulary_ = self.vectorizer_.get_feature_names_out()
        self.doc_term_ = x_unique[rows].tocsc()
        self.unit_vectors_ = vectors[rows]
        self.documents_ = documents
        self.metadata_ = (metadata.reset_index(drop=True) if metadata is not None
                          else pd.DataFrame(index=range(len(documents))))
        self._set_labels(labels[rows])
        return self.reduce_topics(self.n_topics)

    def _set_labels(self, labels: np.ndarray) -> None:
        """Renumber clusters by size (ties: the cluster whose first sorted text comes first),
        then compute c-TF-IDF, centroids and the document × topic matrices."""
        ids = sorted(set(labels.tolist()),
                     key=lambda c: (-(labels == c).sum(),
                                    min(d for d, l in zip(self.documents_, labels) if l == c)))
        self.labels_ = np.array([ids.index(l) for l in labels])
        k = len(ids)
        onehot = np.eye(k)[self.labels_]
        counts = (self.doc_term_.T @ onehot).T  # classes × words
        self.components_ = ctfidf(np.asarray(counts))
        centroids = onehot.T @ self.unit_vectors_
        self.centroids_ = centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True),
                                                 1e-12)
        self.doc_topic_ = onehot
        sim = self.unit_vectors_ @ self.centroids_.T
        self.raw_doc_topic_ = onehot * np.clip(sim, 1e-6, None)

    def reduce_topics(self, k: int) -> "EmbeddingTopicModel":
        """Merge topics down to ``k``: the smallest into its nearest by c-TF-IDF cosine."""
        labels = self.labels_.copy()
        while len(set(labels.tolist())) > k:
            ids = sorted(set(labels.tolist()))
            sizes = np.array([(labels == c).sum() for c in ids])
            rows = self.components_ if len(ids) == self.components_.shape[0] else None
            if rows is None:
                self._set_labels(labels)
                labels, rows = self.labels_.copy(), self.components_
                ids = sorted(set(labels.tolist()))
                sizes = np.array([(labels == c).sum() for c in ids])
            norm = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
            sim = norm @ norm.T
            small = int(np.argmin(sizes[::-1]))  # the last (highest-numbered) of the smallest
            small = len(ids) - 1 - small
            sim[small, small] = -np.inf
            target = int(np.argmax(sim[small]))
            labels[labels == ids[small]] = ids[target]
            self._set_labels(labels)
            labels = self.labels_.copy()
        return self

    def transform(self, documents: Sequence[str]) -> np.ndarray:
        """One-hot of the nearest topic centroid for each document."""
        tok = self.vectorizer_.build_analyzer()
        vectors = self._embed([" ".join(tok(t)) or t for t in documents]).astype(np.float64)
        sim = vectors @ self.centroids_.T
        return np.eye(self.centroids_.shape[0])[sim.argmax(axis=1)]


def _ward(vectors: np.ndarray, n_clusters: int, max_ward: int | None = None) -> np.ndarray:
    """Ward cluster labels of ``vectors`` (rows in content order); above ``max_ward`` rows
    (default ``MAX_WARD``) Ward runs on an even sample and the rest join the nearest centroid."""
    from sklearn.cluster import AgglomerativeClustering

    limit = max_ward or MAX_WARD
    step = -(-len(vectors) // limit)
    sample = vectors[::step]
    labels = AgglomerativeClustering(n_clusters=n_clusters, linkage="ward").fit_predict(sample)
    if step == 1:
        return labels
    centroids = np.stack([sample[labels == c].mean(axis=0) for c in range(n_clusters)])
    dist = (vectors ** 2).sum(axis=1)[:, None] - 2 * vectors @ centroids.T + (centroids ** 2).sum(axis=1)
    out = dist.argmin(axis=1)
    out[::step] = labels  # a sampled text keeps its Ward cluster
    return out


def topic_label(words: Sequence[str], n: int = 3) -> str:
    """A short name from the top words: the first ``n`` joined by '·'."""
    return "·".join(words[:n])
