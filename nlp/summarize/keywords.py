"""Keywords of a section: TF-IDF with an IDF fitted on our own corpus, or TextRank on networkx.

Both methods read text through the genre's tokenizer (``nlp.text.tokenize``): domain terms stay
whole (依申请公开, 政务新媒体) and the stop list drops office pronouns, time words and filler verbs,
so what is left is what a section talks about.

* ``tfidf``: term frequency in the text times an IDF learned by :meth:`KeywordExtractor.fit`
  over the *section texts* of a corpus. Sections, not whole reports, are the documents because
  the template makes every report mention every topic somewhere; across sections a word like
  培训 is rare and telling, 政府信息公开 is common and weak.
* ``textrank``: an undirected co-occurrence graph of content words within a sliding window
  (5 by default, never across a sentence end), ranked by ``networkx.pagerank``. It needs no
  fitting. (textrank4zh is not used: it breaks on current networkx.)

Results are deterministic: ties are broken by first occurrence in the text.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Callable, Container, Iterable, Iterator, Sequence

import networkx as nx
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError

from nlp.model import Report
from nlp.text.tokenize import ChineseTokenizer

#: Sentence ends for the TextRank window: co-occurrence never crosses them.
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")

METHODS = ("tfidf", "textrank")

#: Function words the genre's stop list keeps but a keyword list should not show (adverbs,
#: conjunctions and hedges: "有所欠缺", "虽然…仍然", "哪些应主动公开").
KEYWORD_STOPWORDS = ("有所", "存在", "虽然", "仍然", "但是", "对于", "便于", "哪些", "更加", "一定",
                     "较好", "良好", "努力", "形成", "取得", "两个", "三个", "四个", "下步")


def section_texts(report: Report, kinds: tuple[str, ...] = ("text",)) -> dict[str, str]:
    """The narrative text of each section id of ``report`` (sentences of ``kinds`` joined by a
    newline, so tables are left out); sections sharing an id are joined in report order."""
    out: dict[str, list[str]] = {}
    for sec in report.sections:
        parts = out.setdefault(sec.id, [])
        parts.extend(report.text[s.start:s.end] for s in sec.sentences if s.kind in kinds)
    return {k: "\n".join(v) for k, v in out.items()}


def corpus_documents(items: Iterable[Report | str]) -> list[str]:
    """The documents IDF is learned on: every section text of every Report, or the strings."""
    return list(iter_documents(items))


def iter_documents(items: Iterable[Report | str]) -> Iterator[str]:
    """``corpus_documents`` one at a time (fitting never holds a second copy of the corpus)."""
    for item in items:
        if isinstance(item, Report):
            yield from (t for t in section_texts(item).values() if t.strip())
        else:
            yield str(item)


def textrank_scores(sentences: Sequence[Sequence[str]], window: int = 5, damping: float = 0.85
                    ) -> dict[str, float]:
    """PageRank of the word co-occurrence graph of tokenised ``sentences``.

    Two words are linked when they occur within ``window`` tokens of each other in one
    sentence; the edge weight counts how often. A word that never co-occurs with another still
    gets the teleport share, so a one-word text has that word as its keyword.
    """
    graph = nx.Graph()
    for toks in sentences:
        for i, w in enumerate(toks):
            graph.add_node(w)
            for v in toks[i + 1:i + window]:
                if v == w:
                    continue
                if graph.has_edge(w, v):
                    graph[w][v]["weight"] += 1.0
                else:
                    graph.add_edge(w, v, weight=1.0)
    if graph.number_of_nodes() == 0:
        return {}
    return nx.pagerank(graph, alpha=damping, weight="weight", tol=1e-10, max_iter=500)


def mention_counts(tokens: Sequence[str], vocabulary: Container[str] | None = None) -> Counter:
    """Token counts where a compound also mentions its heads: the words of ``vocabulary`` (by
    default the tokens themselves) that it ends with. 业务培训 counts for 培训, 政府信息公开
    for 信息公开 and 公开.

    Why: the domain dictionary keeps compounds whole (业务培训, 政府信息公开), which is right for
    reading but splits one topic over several tokens. Chinese compounds are head-final, so only
    endings are credited (业务培训 is a kind of 培训, not of 业务). Used for IDF too, so a head
    said in most sections (公开, 信息) gets a low IDF for being credited so often.
    """
    counts = Counter(tokens)
    vocab = vocabulary if vocabulary is not None else counts
    credited = Counter(counts)
    for w, c in counts.items():
        for i in range(1, len(w) - 1):
            if w[i:] in vocab:
                credited[w[i:]] += c
    return credited


def _rank(scores: dict[str, float], first_seen: dict[str, int], k: int) -> list[tuple[str, float]]:
    """Top ``k`` by score, ties broken by first occurrence (scores rounded against float noise)."""
    order = sorted(scores, key=lambda w: (-round(scores[w], 12), first_seen.get(w, 1 << 30), w))
    return [(w, float(scores[w])) for w in order[:k]]


class KeywordExtractor(BaseEstimator):
    """Keywords of a text by TF-IDF (IDF fitted on a corpus) or by TextRank.

    Parameters are plain values (scikit-learn style, so ``get_params``/``clone`` work):

    * ``method``: ``"tfidf"`` (needs :meth:`fit`) or ``"textrank"`` (fitting optional).
    * ``window``: TextRank co-occurrence window in tokens.
    * ``damping``: PageRank damping factor for TextRank.
    * ``extra_stopwords``: words to drop besides the genre's stop list (default
      ``KEYWORD_STOPWORDS``).
    * ``drop_stopwords``: False keeps the stop list's words (for inspection only).

    Fitted attributes: ``idf_`` (word → ``ln((1 + n) / (1 + df))``, smoothed but without
    scikit-learn's ``+ 1``, as in jieba: a word in every section, such as 政府信息公开, scores
    near 0 however often it is repeated), ``n_documents_`` and ``unseen_idf_`` (the IDF of a
    word no document contains, df = 0).
    """

    def __init__(self, method: str = "tfidf", window: int = 5, damping: float = 0.85,
                 extra_stopwords: tuple[str, ...] = KEYWORD_STOPWORDS,
                 drop_stopwords: bool = True) -> None:
        self.method = method
        self.window = window
        self.damping = damping
        self.extra_stopwords = extra_stopwords
        self.drop_stopwords = drop_stopwords

    # -- fitting ----------------------------------------------------------------------------
    def _tokenizer(self) -> Callable[[str], list[str]]:
        return ChineseTokenizer(self.drop_stopwords, tuple(self.extra_stopwords))

    def fit(self, items: Iterable[Report | str], y=None) -> "KeywordExtractor":
        """Learn IDF over the section texts of ``items`` (Reports, a Corpus, or plain strings,
        each string one document)."""
        return self._fit_documents(iter_documents(items))

    def fit_batches(self, batches: Iterable[Iterable[Report | str]]) -> "KeywordExtractor":
        """:meth:`fit` over ``batches`` (lists of Reports, e.g. :class:`nlp.offices.OfficeBatches`),
        one batch in memory at a time: the same IDF as ``fit`` of all their items together."""
        return self._fit_documents(doc for batch in batches for doc in iter_documents(batch))

    def _fit_documents(self, documents: Iterable[str]) -> "KeywordExtractor":
        """IDF from document frequencies counted one document at a time (``count_documents``
        of all of them as one share)."""
        return self.fit_counts([self.count_documents(documents)])

    def count_documents(self, documents: Iterable[str]) -> tuple[int, set[str], Counter]:
        """Document frequencies of a share of the corpus: (documents, their words, documents
        holding each word or ending). Shares add up (``fit_counts``), so workers can count
        theirs: tokenising is the fit's whole cost.

        A document's credited words (:func:`mention_counts` against the corpus vocabulary) are
        its words plus their endings that are words of the corpus. The vocabulary is known only
        at the end, so every ending is counted and the vocabulary picks among them: the same
        counts as crediting against the full vocabulary, without keeping the documents."""
        self._check_method()
        tok = self._tokenizer()
        vocab: set[str] = set()
        candidates: Counter = Counter()  # word or ending -> documents holding it
        n = 0
        for doc in documents:
            words = set(tok(doc))
            vocab |= words
            # endings as mention_counts credits them: w[i:] for 1 <= i <= len(w) - 2
            candidates.update(words | {w[i:] for w in words for i in range(1, len(w) - 1)})
            n += 1
        return n, vocab, candidates

    def fit_counts(self, shares: Iterable[tuple[int, set[str], Counter]]) -> "KeywordExtractor":
        """IDF from the ``count_documents`` of every share of the corpus."""
        self._check_method()
        n, vocab, candidates = 0, set(), Counter()
        for k, words, counts in shares:
            n += k
            vocab |= words
            candidates.update(counts)  # adds the counts
        self.n_documents_ = n
        self.idf_ = {w: math.log((1 + n) / (1 + candidates[w])) for w in vocab}
        self.unseen_idf_ = math.log(1 + n)
        return self

    def _check_method(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r}; choose one of {', '.join(METHODS)}")

    def is_fitted(self) -> bool:
        return hasattr(self, "idf_")

    def idf(self, word: str) -> float:
        """The fitted IDF of ``word`` (``unseen_idf_`` for a word the corpus never had)."""
        if not self.is_fitted():
            raise NotFittedError("KeywordExtractor is not fitted; call fit(reports) first")
        return self.idf_.get(word, self.unseen_idf_)

    # -- keywords ---------------------------------------------------------------------------
    def tokens(self, text: str) -> list[str]:
        """The content words of ``text`` as this extractor sees them."""
        return self._tokenizer()(text)

    def keywords(self, text: str, k: int = 10, exclude: Iterable[str] = ()
                 ) -> list[tuple[str, float]]:
        """The ``k`` best keywords of ``text`` with their scores, best first.

        ``exclude`` drops words, and any word that is part of an excluded string (pass the
        office's short name so that 杜市镇's "市镇" token does not lead its own report).
        """
        excluded = [e for e in exclude if e]

        def keep(w: str) -> bool:
            return not any(w == e or w in e for e in excluded)

        if self.method == "tfidf":
            toks = [w for w in self.tokens(text) if keep(w)]
            counts = mention_counts(toks, self.idf_ if self.is_fitted() else None)
            first = {w: i for i, w in reversed(list(enumerate(toks)))}
            total = len(toks) or 1
            scores = {w: c / total * self.idf(w) for w, c in counts.items()}
            return _rank(scores, first, k)
        if self.method == "textrank":
            sentences = [[w for w in self.tokens(s) if keep(w)] for s in _SENTENCE_END.split(text)]
            sentences = [s for s in sentences if s]
            first: dict[str, int] = {}
            for w in (w for s in sentences for w in s):
                first.setdefault(w, len(first))
            return _rank(textrank_scores(sentences, self.window, self.damping), first, k)
        raise ValueError(f"unknown method {self.method!r}; choose one of {', '.join(METHODS)}")

    def section_keywords(self, report: Report, section_id: str, k: int = 10,
                         exclude_office: bool = True) -> list[tuple[str, float]]:
        """Keywords of one section's narrative; the office's own name is excluded by default."""
        text = section_texts(report).get(section_id, "")
        return self.keywords(text, k, exclude=office_names(report) if exclude_office else ())


def office_names(report: Report) -> list[str]:
    """The office's own names (short name, else the office without 人民政府; and the region):
    words inside them say whose report it is, not what it is about."""
    m = report.meta
    short = m.office_short or (re.sub(r"人民政府$", "", m.office) if m.office else None)
    return [n for n in (short, m.region) if n]
