"""A report as a spaCy ``Doc``: jieba tokens, sections/parts/items/sentences as span groups.

The Doc's text is the report text unchanged, so span character offsets equal the report's.
Section spans carry the section id as their label and ``span._.number`` / ``span._.title``.

Tokens come from jieba with the genre's domain dictionary (``nlp/text/domain_dict.txt``), the
same words as ``nlp.text.tokenize``: 政府信息公开 and 依申请公开 are one token each. The
dictionary lives in a jieba ``Tokenizer`` of its own, never in jieba's global one, because the
shipped spaCy classifier (``models/classifier/spacy``) was trained on plain jieba tokens and
reads its input through the global tokenizer.
"""
from __future__ import annotations

import logging
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.model import Report
from nlp.text.tokenize import domain_tokenizer

if not Doc.has_extension("report"):
    Doc.set_extension("report", default=None)
    Doc.set_extension("meta", default=None)
    Span.set_extension("number", default=None)
    Span.set_extension("title", default=None)


@lru_cache(maxsize=1)
def blank_zh() -> Language:
    """``spacy.blank("zh")`` with the jieba segmenter (no model download needed)."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


@lru_cache(maxsize=1)
def domain_zh() -> Language:
    """A blank ``zh`` pipeline whose jieba segmenter knows the domain dictionary.

    spaCy's Chinese tokenizer cuts with whatever object it holds as ``jieba_seg`` (the ``jieba``
    module by default); giving it ``domain_tokenizer()`` (a ``jieba.Tokenizer`` with the same
    ``cut``) adds the domain words for this pipeline only.
    """
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer.jieba_seg = domain_tokenizer()
    return nlp


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    return doc.char_span(start, end, label=label, alignment_mode="expand")


def report_to_doc(report: Report, nlp: Language | None = None) -> Doc:
    """Tokenise the report and attach its structure as ``doc.spans[...]`` groups.

    ``nlp`` is any pipeline to run instead of :func:`domain_zh` (its own tokenizer then).
    """
    doc = (nlp or domain_zh())(report.text)
    doc._.report = report
    doc._.meta = report.meta
    sections, parts, items, sentences = [], [], [], []
    for sec in report.sections:
        span = _span(doc, sec.start, sec.end, sec.id)
        if span is not None:
            span._.number, span._.title = sec.number, sec.title
            sections.append(span)
        parts += [s for p in sec.parts if (s := _span(doc, p.start, p.end, sec.id)) is not None]
        items += [s for i in sec.items if (s := _span(doc, i.start, i.end, sec.id)) is not None]
        sentences += [s for x in sec.sentences if (s := _span(doc, x.start, x.end, x.kind)) is not None]
    doc.spans["sections"] = sections
    doc.spans["parts"] = parts
    doc.spans["items"] = items
    doc.spans["sentences"] = sentences
    return doc
