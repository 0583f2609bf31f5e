"""Chinese tokenisation for analysis: jieba with the genre's dictionary and stop list.

Domain terms (政府信息公开, 依申请公开, 行政规范性文件 …) are kept whole by a shipped dictionary
with high frequencies; office pronouns (我镇), time words, numbers and filler verbs (进一步,
加强) are dropped, so topics and keywords show what a report is about. ``ChineseTokenizer`` is a
picklable callable that scikit-learn vectorizers accept as ``tokenizer=``.

Words jieba's HMM invents from unknown character runs (按程 from 按程序, 守规 from 守规矩) and
time-unit cuts right after a number (日止 from "31日止", 月底) are no words and never come out.
``template_words()`` is the reviewed list of the report template's own vocabulary (存在, 有待,
不够 …; ``nlp/text/template_words.txt``, learned by ``python -m nlp.text.learn_template``):
topics drop it (``drop_template=True``), keywords keep it.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from importlib import resources

import jieba

_KEEP = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,}$")  # words of two or more letters; no numbers
_NUMBER_END = re.compile(r"[0-9０-９〇零一二三四五六七八九十百千万两]$")
#: A word starting with a unit right after a number is a cut through "31日止", "6月底", "3项".
_UNIT_START = frozenset("年月日号时个项件次条人家篇期场余多天周")


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


@lru_cache(maxsize=1)
def template_words() -> frozenset[str]:
    """The template's reviewed vocabulary (``template_words.txt``): words in most reports'
    section 五 whatever the office says (存在, 有待, 进一步 …)."""
    raw = resources.files("nlp.text").joinpath("template_words.txt").read_text(encoding="utf-8")
    return frozenset(l.split("#")[0].strip() for l in raw.splitlines()
                     if l.split("#")[0].strip())


#: Runs segmented once per process and kept (least recently used out): jieba cuts each run of
#: letters between punctuation on its own, and the genre repeats its clauses (the template's,
#: copied boilerplate). Counting the sections of 500 generated reports: 70 % of runs repeat,
#: 3.4 → 3.1 s (jieba's dictionary walk is only part of tokenising); ≈ 30 MB when full.
RUN_CACHE = 1 << 16


@lru_cache(maxsize=RUN_CACHE)
def _run_words(run: str) -> tuple[str, ...]:
    return tuple(domain_tokenizer().lcut(run, HMM=False))


def words(text: str) -> list[str]:
    """All jieba words of ``text`` (domain terms whole), punctuation and spaces included.

    Dictionary words only (no HMM): an unknown run of characters comes out as single
    characters, which :func:`tokenize` drops, instead of invented fragments (按程, 守规).
    ``lcut(text)`` run by run, as jieba itself splits it (``jieba.re_han_default``), each run's
    words remembered (``RUN_CACHE``): the same words, the common clauses segmented once.
    """
    return [w for run in jieba.re_han_default.split(text) if run for w in _run_words(run)]


def _number_cut(prev: str, word: str) -> bool:
    return bool(prev) and word[0] in _UNIT_START and bool(_NUMBER_END.search(prev))


def tokenize(text: str, drop_stopwords: bool = True, drop_template: bool = False) -> list[str]:
    """Content words: two or more letters, no numbers or years, no cut right after a number,
    the genre's stop list (and with ``drop_template`` the template's words) removed."""
    stop = stopwords() if drop_stopwords else frozenset()
    if drop_template:
        stop = stop | template_words()
    out, prev = [], ""
    for w in words(text):
        if _KEEP.match(w) and w not in stop and not _number_cut(prev, w):
            out.append(w)
        prev = w
    return out


class ChineseTokenizer:
    """``TfidfVectorizer(tokenizer=ChineseTokenizer(), token_pattern=None, lowercase=False)``."""

    def __init__(self, drop_stopwords: bool = True, extra_stopwords: tuple[str, ...] = (),
                 drop_template: bool = False) -> None:
        self.drop_stopwords = drop_stopwords
        self.extra_stopwords = tuple(extra_stopwords)
        self.drop_template = drop_template

    def __call__(self, text: str) -> list[str]:
        extra = set(self.extra_stopwords)
        return [w for w in tokenize(text, self.drop_stopwords, self.drop_template)
                if w not in extra]

    def __repr__(self) -> str:
        return (f"ChineseTokenizer(drop_stopwords={self.drop_stopwords}, "
                f"drop_template={self.drop_template})")
