"""The one data model every stage reads: a report, its sections, parts, items and sentences.

All offsets are character offsets into ``Report.text`` exactly as decoded (no newline
translation, no normalisation), so ``report.text[span.start:span.end]`` is always the span's
text. Sections partition the text: every character belongs to exactly one section.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import spacy.tokens

#: Canonical section ids in template order. ``fees`` and ``extra`` only occur in older layouts.
#: ``page_chrome`` is a crawled page's site chrome (breadcrumbs, 发布时间/来源 lines, 分享到, 备案号…)
#: at the head or tail of the text: kept in the text, outside every numbered section and analysis.
SECTION_IDS = (
    "page_chrome",
    "preamble",
    "overview",
    "proactive",
    "requests",
    "fees",
    "review_litigation",
    "problems",
    "other",
    "extra",
    "closing",
)


@dataclass(frozen=True)
class Sentence:
    """A sentence, heading line or table run; ``kind`` is ``heading``, ``text``, ``table`` or
    ``chrome`` (a line of site chrome, never read by an analysis)."""

    start: int
    end: int
    kind: str = "text"


@dataclass(frozen=True)
class Item:
    """One enumerated item (一是…, 1.…, (1)…) inside a section; ``marker`` as written."""

    start: int
    end: int
    marker: str
    index: int


@dataclass(frozen=True)
class Part:
    """A numbered part of a section ((一)…, 1、…), from its marker to the next part."""

    start: int
    end: int
    marker: str
    title: str


@dataclass
class Section:
    """A top-level section: ``start`` is its heading's numeral, ``end`` the next section's start.

    ``recovered`` marks a section whose heading was lost (e.g. in PDF conversion) and was found
    from the wording of its parts instead.
    """

    id: str
    start: int
    end: int
    number: str | None = None
    title: str | None = None
    heading_end: int | None = None
    recovered: bool = False
    parts: list[Part] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def body_start(self) -> int:
        return self.heading_end if self.heading_end is not None else self.start


@dataclass(frozen=True)
class Cell:
    """One cell of a statistical table; ``value`` is None for a blank published cell.

    ``start``/``end`` locate the number in ``report.text`` when it was read from there.
    """

    table: str
    row: str
    column: str
    value: float | int | None
    start: int | None = None
    end: int | None = None


@dataclass
class Table:
    """A parsed statistical table (``proactive``, ``requests`` or ``review_litigation``)."""

    id: str
    cells: list[Cell] = field(default_factory=list)
    layout: str | None = None
    warnings: list[str] = field(default_factory=list)

    def value(self, row: str, column: str) -> float | int | None:
        return next((c.value for c in self.cells if c.row == row and c.column == column), None)


@dataclass
class Check:
    """One consistency check: status PASS / FAIL / NOT_ASSESSABLE with its evidence."""

    id: str
    status: str
    message: str = ""
    evidence: dict = field(default_factory=dict)


#: The one vocabulary of ``ReportMeta.level``: governments by their division's kind, and 部门
#: for a department (XX县发展和改革局), which carries its government's division code.
LEVELS = ("省", "市", "区", "县", "镇", "乡", "街道", "部门")


@dataclass
class ReportMeta:
    """What the report (and the page it came from) says about itself; ``None`` when unstated.

    ``division_code`` and the ``province``…``township`` names come from the official list of
    administrative divisions (12-digit codes truncated to 6 digits above township level, 9 at
    it); a department gets its government's code. ``date`` is the 落款's date;
    ``publication_date`` is the page's 发布时间/成文日期, else the 落款's date;
    ``days_after_deadline`` counts from 31 January of the year after ``year`` (negative: early).
    """

    office: str | None = None
    office_short: str | None = None
    level: str | None = None
    region: str | None = None
    year: int | None = None
    date: str | None = None
    phone: str | None = None
    email: str | None = None
    postcode: str | None = None
    division_code: str | None = None
    province: str | None = None
    prefecture: str | None = None
    county: str | None = None
    township: str | None = None
    publication_date: str | None = None
    days_after_deadline: int | None = None


@dataclass
class Report:
    """One annual report: its decoded text, where it came from, metadata and sections."""

    text: str
    path: str | None = None
    format: str = "txt"
    encoding: str | None = None
    meta: ReportMeta = field(default_factory=ReportMeta)
    sections: list[Section] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: What the source says about the report outside its text (a web page's title, 发布时间,
    #: 来源/发布机构, 索引号, 成文日期; a PDF's title): keys as in ``nlp.ingest.SOURCE_META_KEYS``.
    source_meta: dict[str, str] = field(default_factory=dict)
    _tables: list[Table] | None = field(default=None, repr=False, compare=False)

    @property
    def tables(self) -> list[Table]:
        """The statistical tables of sections 二, 三 and 四, parsed on first use."""
        if self._tables is None:
            from nlp.tables import parse_tables

            self._tables = parse_tables(self)
        return self._tables

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)

    # -- navigation -------------------------------------------------------------------------
    def section(self, section_id: str) -> Section | None:
        """The first section with this id, or None."""
        return next((s for s in self.sections if s.id == section_id), None)

    def span_text(self, span: Section | Part | Item | Sentence) -> str:
        return self.text[span.start : span.end]

    def iter_sentences(self, kinds: tuple[str, ...] = ("text",)) -> Iterator[tuple[Section, Sentence]]:
        for sec in self.sections:
            for sent in sec.sentences:
                if sent.kind in kinds:
                    yield sec, sent

    @property
    def name(self) -> str:
        return Path(self.path).name if self.path else (self.meta.office or "<text>")

    # -- views --------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """The JSON shape of ``govnlp segment``: metadata plus one entry per section."""
        m = self.meta
        return {
            "path": self.path,
            "office": m.office,
            "level": m.level,
            "region": m.region,
            "year": m.year,
            "date": m.date,
            "sections": [
                {"id": s.id, "number": s.number, "title": s.title, "start": s.start, "end": s.end}
                for s in self.sections
            ],
            "warnings": list(self.warnings),
        }

    def meta_dict(self) -> dict:
        return {"path": self.path, **asdict(self.meta)}

    def sections_frame(self) -> "pd.DataFrame":
        from nlp.frames import sections_frame

        return sections_frame([self])

    def sentences_frame(self) -> "pd.DataFrame":
        from nlp.frames import sentences_frame

        return sentences_frame([self])

    def to_doc(self, nlp=None) -> "spacy.tokens.Doc":
        """This report as a spaCy Doc (jieba tokens, sections in ``doc.spans['sections']``)."""
        from nlp.spacy_doc import report_to_doc

        return report_to_doc(self, nlp=nlp)
