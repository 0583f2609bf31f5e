"""Who a statement names: office and region names, kept out of what a topic model reads.

Topics should say what offices write, not who writes most: the corpus's office, short office
and region names (from the identity resolver, on ``Report.meta``) are masked in the text and
their jieba words are stop words.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

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


def name_masker(names: Sequence[str]) -> Callable[[str], str]:
    """``mask_names`` for many texts: the same result, without trying every name on every text.

    A corpus of 2,000 offices has ~5,000 names; replacing each in each of 16,000 units is 80M
    ``str.replace`` calls. The masker finds the names a text contains through an index on their
    first two characters, then replaces only those, in ``names``' order (longest first), which
    gives what the plain loop gives: a name absent from the text cannot appear by masking,
    because no name contains the mask character.
    """
    order = {n: i for i, n in enumerate(names)}
    by_head: dict[str, list[str]] = defaultdict(list)
    short = [n for n in names if len(n) < 2]
    for n in names:
        if len(n) >= 2:
            by_head[n[:2]].append(n)

    def mask(text: str) -> str:
        found = {n for n in short if n in text}
        for i in range(len(text) - 1):
            for n in by_head.get(text[i:i + 2], ()):
                if text.startswith(n, i):
                    found.add(n)
        return mask_names(text, sorted(found, key=order.__getitem__)) if found else text

    return mask
