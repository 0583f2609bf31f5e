"""Section segmenter: numbered sections, their parts, enumerated items and sentences."""
from __future__ import annotations

from nlp.model import Section
from nlp.segment.sections import find_sections, load_rules
from nlp.segment.split import split_section, wrap_width
from nlp.text.hant import simplified_view
from nlp.text.normalize import line_view

__all__ = ["segment", "find_sections", "split_section", "load_rules"]


def segment(text: str) -> tuple[list[Section], list[str]]:
    """Sections (partitioning ``text``) with parts, items and sentences filled in, and warnings.

    Rules read the line view of ``text`` (CR made LF, same length), so a file with lone-CR,
    CRLF or LF line ends gives the same structure; offsets are offsets into ``text``. A mirror
    copy in traditional characters is read through a same-length simplified view."""
    view = simplified_view(line_view(text))
    sections, warnings = find_sections(text, view)
    width = wrap_width(view)
    for sec in sections:
        split_section(text, sec, width, view)
    return sections, warnings
