"""The scikit-learn feature extractor of the statement classifier (pickled with the model).

Kept apart from ``model.py`` so that importing ``nlp.classify`` does not import scikit-learn;
unpickling the shipped model imports this module by name.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from nlp.classify.model import FIVE, row_texts


class SectionNgrams(TransformerMixin, BaseEstimator):
    """Character n-gram TF-IDF of each unit, plus copies of it gated by where the unit is.

    Output columns: [shared | section-五 only | elsewhere only]. Why: the same words mean
    different things by section ("加强培训" is an achievement in section 一, a measure in
    section 五), so each side can learn its own weights besides the shared ones (feature
    augmentation, Daumé 2007). One vectoriser serves all three, so the text is analysed once.
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 3), min_df: int = 2) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df

    def fit(self, rows: Sequence[tuple], y=None) -> "SectionNgrams":
        self.tfidf_ = TfidfVectorizer(analyzer="char", ngram_range=self.ngram_range,
                                      sublinear_tf=True, min_df=self.min_df, dtype=np.float32)
        self.tfidf_.fit(row_texts(rows))
        return self

    def transform(self, rows: Sequence[tuple]) -> sparse.csr_matrix:
        """Rows are ``model.unit_rows``: (section, text, context); the context is read elsewhere."""
        x = self.tfidf_.transform(row_texts(rows))
        five = np.array([r[0] in FIVE for r in rows], dtype=np.float32)
        return sparse.hstack([x, sparse.diags(five) @ x, sparse.diags(1.0 - five) @ x],
                             format="csr")
