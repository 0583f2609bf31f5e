"""Statement classifiers: problem / improvement labels and what a statement is about."""
from __future__ import annotations

from nlp.classify.context import unit_contexts
from nlp.classify.model import StatementClassifier, statements_frame
from nlp.classify.units import Unit, statement_units
from nlp.classify.weak import LABELS, TOPICS

__all__ = ["LABELS", "TOPICS", "StatementClassifier", "Unit", "statement_units",
           "statements_frame", "statements_nlp", "train_classifiers", "unit_contexts"]


def __getattr__(name: str):
    """Training and the spaCy component load lazily (they pull in spaCy and scikit-learn)."""
    if name == "statements_nlp":
        from nlp.classify.spacy_component import statements_nlp

        return statements_nlp
    if name == "train_classifiers":
        from nlp.classify.train import train_classifiers

        return train_classifiers
    raise AttributeError(f"module 'nlp.classify' has no attribute {name!r}")
