"""Topic models: NMF and LDA over statement units, with top words, examples, NPMI and plots.

``fit_topics(reports, section="problems", label=None, drop_boilerplate=False, …)`` fits a
:class:`TopicModel` on the units of one section (optionally only those a classifier labels
``problem``, optionally without template and copied text) and returns a :class:`TopicResult`
with ``topics``, ``documents``, ``over_time()`` and ``by_class()`` frames. Plots are in
``nlp.topics.plots``.
"""
from __future__ import annotations

from nlp.topics.coherence import npmi, npmi_matrix, topic_npmi
from nlp.topics.model import TopicModel, TopicResult, fit_topics, unit_frame

__all__ = ["TopicModel", "TopicResult", "fit_topics", "npmi", "npmi_matrix", "topic_npmi",
           "unit_frame"]
