"""Who a statement names: office and region names, kept out of what a topic model reads.

Topics should say what offices write, not who writes most: the corpus's office, short office
and region names (from the identity resolver, on ``Report.meta``) are masked in the text and
their jieba words are stop words.
"""
from __future__ import annotations

from collections.abc import Sequence

from nlp.model import Report


def name_words(reports: Sequence[Report]) -> tuple[str, ...]:
    """The tokens of every office, short office and region name in ``reports``, sorted."""
    from nlp.text.tokenize import tokenize

    names = {n for r in reports for n in (r.meta.office, r.meta.office_short, r.meta.region) if n}
    return tuple(sorted({w for n in names for w in tokenize(n)}))


def corpus_names(reports: Sequence[Report]) -> tuple[str, ...]:
    """Every office, short office and region name of ``reports`` (the identity resolver's
    names on ``Report.meta``), longest first, so a long name is masked before its parts."""
    from nlp.reuse.mask import own_names

    names = {n for r in reports for n in own_names(r.meta.office, r.meta.office_short)}
    # "上海市科委" is written "科委" too: the name without its region or level prefix
    for r in reports:
        for n in own_names(r.meta.office, r.meta.office_short):
            if r.meta.region and n.startswith(r.meta.region) and len(n) - len(r.meta.region) >= 2:
                names.add(n[len(r.meta.region):])
            if n[0] in "省市区县镇乡" and len(n) >= 3:
                names.add(n[1:])
    names |= {r.meta.region for r in reports if r.meta.region and len(r.meta.region) >= 2}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def mask_names(text: str, names: Sequence[str]) -> str:
    """``text`` with each name replaced by the mask character (no word spans it then)."""
    from nlp.reuse.mask import MASK

    for name in names:
        text = text.replace(name, MASK)
    return text
