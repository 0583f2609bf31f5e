"""Chinese tokenisation for analysis: jieba with the genre's dictionary and stop list.

Domain terms (政府信息公开, 依申请公开, 行政规范性文件 …) are kept whole by a shipped dictionary
with high frequencies; office pronouns (我镇), time words, numbers and filler verbs (进一步,
加强) are dropped, so topics and keywords show what a report is about. ``ChineseTokenizer`` is a
picklable callable that scikit-learn vectorizers accept as ``tokenizer=``.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from importlib import resources

import jieba

_KEEP = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,}$")  # words of two or more letters; no numbers


@lru_cache(maxsize=1)
def domain_tokenizer() -> jieba.Tokenizer:
    """A jieba Tokenizer of its own (the global one is left alone) with the domain dictionary."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    with resources.as_file(resources.files("nlp.text").joinpath("domain_dict.txt")) as path:
        tk.load_userdict(str(path))
    return tk


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    raw = resources.files("nlp.text").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(l.strip() for l in raw.splitlines() if l.strip() and not l.startswith("#"))


def words(text: str) -> list[str]:
    """All jieba words of ``text`` (domain terms whole), punctuation and spaces included."""
    return domain_tokenizer().lcut(text)


def tokenize(text: str, drop_stopwords: bool = True) -> list[str]:
    """Content words: two or more letters, no numbers or years, the genre's stop list removed."""
    stop = stopwords() if drop_stopwords else frozenset()
    return [w for w in words(text) if _KEEP.match(w) and w not in stop]


class ChineseTokenizer:
    """``TfidfVectorizer(tokenizer=ChineseTokenizer(), token_pattern=None, lowercase=False)``."""

    def __init__(self, drop_stopwords: bool = True, extra_stopwords: tuple[str, ...] = ()) -> None:
        self.drop_stopwords = drop_stopwords
        self.extra_stopwords = tuple(extra_stopwords)

    def __call__(self, text: str) -> list[str]:
        extra = set(self.extra_stopwords)
        return [w for w in tokenize(text, self.drop_stopwords) if w not in extra]

    def __repr__(self) -> str:
        return f"ChineseTokenizer(drop_stopwords={self.drop_stopwords})"
