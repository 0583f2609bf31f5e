"""Topic models: NMF, LDA and embedding clusters over statement units, with top words,
short labels, examples, NPMI and plots.

``method="embedding"`` (``nlp.topics.embedding``) clusters the shipped model's statement vectors
by Ward agglomerative clustering over the content-sorted distinct texts and describes clusters
by class-based TF-IDF (BERTopic's idea, reproducible and order-independent). Every method reads
text with office names masked and the template's words out (``nlp/text/template_words.txt``).

``fit_topics(reports, section="problems", label=None, drop_boilerplate=False, …)`` fits a
:class:`TopicModel` on the units of one section (optionally only those a classifier labels
``problem``, optionally without template and copied text) and returns a :class:`TopicResult`
with ``topics``, ``documents``, ``over_time()``, ``by_class()`` (level, region, statement) and
``counts()`` (n per year) frames (``nlp.topics.corpus``); ``fit_topics_batches`` is the same
over batches of reports, keeping only their units (what ``govnlp topics`` runs). Plots are in ``nlp.topics.plots``.
"""
from __future__ import annotations

from nlp.topics.coherence import npmi, npmi_matrix, topic_npmi
from nlp.topics.corpus import MIN_UNITS, TopicResult, fit_topics, fit_topics_batches, unit_frame
from nlp.topics.model import TopicModel


def __getattr__(name: str):
    if name == "EmbeddingTopicModel":  # lazy: the module imports model.py
        from nlp.topics.embedding import EmbeddingTopicModel

        return EmbeddingTopicModel
    raise AttributeError(name)


__all__ = ["EmbeddingTopicModel", "MIN_UNITS", "TopicModel", "TopicResult", "fit_topics",
           "fit_topics_batches", "npmi", "npmi_matrix", "topic_npmi", "unit_frame"]
