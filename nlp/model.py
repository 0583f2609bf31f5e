"""The one data model every stage reads: a report, its sections, parts, items and sentences.

The model is passive data and imports no stage: views of a report are functions that take one
(``nlp.frames.sections_frame([r])``, ``nlp.spacy_doc.report_to_doc(r)``,
``nlp.tables.tables_of(r)``), so data flows one way and the model never pulls an analysis in.

All offsets are character offsets into ``Report.text`` exactly as decoded (no newline
translation, no normalisation), so ``report.text[span.start:span.end]`` is always the span's
text. Sections partition the text: every character belongs to exactly one section.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

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
#: The numbered sections (一 … 六, and 四 收费 of the pre-2019 layouts) in template order.
NUMBERED_SECTIONS = SECTION_IDS[SECTION_IDS.index("overview"):SECTION_IDS.index("other") + 1]
#: The six sections of the 2019 national template, in order.
TEMPLATE_2019_SECTIONS = tuple(s for s in NUMBERED_SECTIONS if s != "fees")
#: The sections that hold the statistical tables 二, 三 and 四.
TABLE_SECTIONS = ("proactive", "requests", "review_litigation")
#: The sections written as prose, where a line full of digits (a phone number, a count) is text.
NARRATIVE_SECTIONS = ("preamble", "overview", "problems", "other")


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
    #: The statistical tables once ``nlp.tables.tables_of`` has parsed them (None until then):
    #: a cache held as plain data, so the model itself parses nothing.
    parsed_tables: list[Table] | None = field(default=None, repr=False, compare=False)

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

    # -- plain data
    def meta_dict(self) -> dict:
        return {"path": self.path, **asdict(self.meta)}
