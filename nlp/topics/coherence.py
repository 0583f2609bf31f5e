"""Topic coherence as NPMI of top-word pairs, counted by document co-occurrence (numpy only).

For two words w_i, w_j and a reference corpus of N documents (here: statement units),
P(w) is the share of documents that contain w and P(w_i, w_j) the share that contain both.
NPMI = log(P(w_i, w_j) / (P(w_i) P(w_j))) / −log P(w_i, w_j) lies in [−1, 1]: 1 when the two
words only ever occur together, 0 when they are independent, −1 when they never co-occur.
A topic's coherence is the mean NPMI over all pairs of its top words (Bouma 2009; Röder et al.
2015's C_NPMI with boolean-document windows). Counting whole documents, not sliding windows,
suits this genre: a statement unit is one sentence or one 一是… item.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def doc_word_matrix(documents: Iterable[Iterable[str]], words: Sequence[str]) -> np.ndarray:
    """Boolean matrix (documents × words): does document d contain word w?

    ``documents`` are token sequences (or sets); only ``words`` are looked up, so the matrix
    stays small however large the vocabulary is.
    """
    index = {w: k for k, w in enumerate(words)}
    rows = []
    for tokens in documents:
        row = np.zeros(len(words), dtype=bool)
        hits = [index[t] for t in set(tokens) if t in index]
        row[hits] = True
        rows.append(row)
    return np.vstack(rows) if rows else np.zeros((0, len(words)), dtype=bool)


def npmi(p_i: np.ndarray | float, p_j: np.ndarray | float,
         p_ij: np.ndarray | float) -> np.ndarray:
    """NPMI from marginal and joint probabilities, elementwise, with the limits made explicit.

    Words that never co-occur (``p_ij == 0``, including a word absent from the corpus) get −1;
    two words present in every document (``p_ij == 1``, so PMI is 0/0) get 1, the limit of
    perfect co-occurrence. Everything else is the formula, clipped to [−1, 1] against rounding.
    """
    p_i, p_j, p_ij = (np.asarray(x, dtype=float) for x in (p_i, p_j, p_ij))
    p_i, p_j, p_ij = np.broadcast_arrays(p_i, p_j, p_ij)
    out = np.full(p_ij.shape, -1.0)
    ok = (p_ij > 0) & (p_ij < 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(p_ij[ok]) - np.log(p_i[ok]) - np.log(p_j[ok])
        out[ok] = pmi / -np.log(p_ij[ok])
    out[p_ij >= 1] = 1.0
    return np.clip(out, -1.0, 1.0)


def npmi_matrix(doc_word: np.ndarray) -> np.ndarray:
    """NPMI of every pair of columns of a boolean documents × words matrix (diagonal: 1)."""
    x = np.asarray(doc_word, dtype=float)
    n_docs = x.shape[0]
    if n_docs == 0:
        return np.full((x.shape[1], x.shape[1]), -1.0)
    joint = (x.T @ x) / n_docs
    marginal = np.diag(joint)
    out = npmi(marginal[:, None], marginal[None, :], joint)
    np.fill_diagonal(out, 1.0)
    return out


def topic_npmi(topics: Sequence[Sequence[str]], documents: Sequence[Iterable[str]]) -> np.ndarray:
    """Mean pairwise NPMI of each topic's words over ``documents`` (token sequences).

    Returns one value per topic, in [−1, 1]; a topic with fewer than two words gets NaN.
    """
    words = sorted({w for topic in topics for w in topic})
    index = {w: k for k, w in enumerate(words)}
    return mean_pair_npmi(doc_word_matrix(documents, words),
                          [[index[w] for w in topic] for topic in topics])


def mean_pair_npmi(doc_word: np.ndarray, topics: Sequence[Sequence[int]]) -> np.ndarray:
    """Mean NPMI over the column pairs of each topic (columns of a documents × words matrix).

    This is the step shared by :func:`topic_npmi` and a fitted model, which already holds its
    documents × vocabulary matrix and so needs no second tokenisation.
    """
    matrix = npmi_matrix(doc_word)
    scores = []
    for ids in topics:
        if len(ids) < 2:
            scores.append(np.nan)
            continue
        upper = np.triu_indices(len(ids), k=1)
        scores.append(float(matrix[np.ix_(ids, ids)][upper].mean()))
    return np.array(scores)
