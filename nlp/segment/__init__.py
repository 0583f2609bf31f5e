"""Section segmenter: numbered sections, their parts, enumerated items and sentences."""
from __future__ import annotations

from nlp.model import Section
from nlp.segment.sections import find_sections, load_rules
from nlp.segment.split import split_section, wrap_width

__all__ = ["segment", "find_sections", "split_section", "load_rules"]


def segment(text: str) -> tuple[list[Section], list[str]]:
    """Sections (partitioning ``text``) with parts, items and sentences filled in, and warnings."""
    sections, warnings = find_sections(text)
    width = wrap_width(text)
    for sec in sections:
        split_section(text, sec, width)
    return sections, warnings
