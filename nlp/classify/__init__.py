"""Statement classifiers: problem / improvement labels and what a statement is about."""
from nlp.classify.units import Unit, statement_units

__all__ = ["Unit", "statement_units"]
