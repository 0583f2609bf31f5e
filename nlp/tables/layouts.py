"""Read a table region of a report into raw rows: a label and the number tokens after it.

Every layout seen in the corpus comes down to the same stream of cells (label text, numbers,
blanks); the layouts differ only in how cells are delimited and where a row ends:

- ``cell_per_line``: one cell per line (tab-indented docx exports); an empty line ends a row,
  header cells may wrap over several lines.
- ``tab_rows``: one row per line, cells separated by tabs; a line of numbers with no label takes
  the label lines before it (a row broken across a page).
- ``pipe_rows`` / ``markdown``: ``|``-separated rows from web pages or PDF-to-markdown; a row's
  label is only what its own line says, because converters move stray labels away from their
  numbers (the rows left without a label are placed later, by template order).
- ``pdftotext_layout`` / ``plain_lines``: cells separated by runs of spaces; label fragments
  wrapped above or below the numbers are carried to the next line of numbers.
- ``flattened``: a web crawl that ran every cell together ("数量713000074二、…"); each digit run
  becomes splittable groups that the arithmetic later cuts into cells (see ``runs.py``).

All offsets are offsets into ``report.text``; matching runs on a folded copy of the same length.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.tables.templates import norm_label
from nlp.text.normalize import fold_width


@dataclass
class Tok:
    """A number (``kind='num'``) or an empty cell (``kind='blank'``) of a row."""

    kind: str
    text: str
    start: int
    end: int
    split: bool = False  # a flattened digit group that may hold several cells
    edge: bool = False  # a blank after the last number: maybe a real blank, maybe padding


@dataclass
class RawRow:
    """One row as printed: its label (folded, no whitespace) and its tokens, in order."""

    label: str
    start: int
    toks: list[Tok] = field(default_factory=list)

    @property
    def core(self) -> list[Tok]:
        return [t for t in self.toks if not t.edge]

    @property
    def edges(self) -> list[Tok]:
        return [t for t in self.toks if t.edge]


_NUM_CELL = re.compile(
    r"(?P<num>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?:万元|元|件|个|项|条|次|%)?"
)
_BLANK_MARKS = {"-", "—", "——", "–", "/", "\\", "－", "／", "―"}
_PAGE_LINE = re.compile(r"^[ \t\f]*(?:[-—–－―]+[ \t]*\d+[ \t]*[-—–－―]+|第[ \t]*\d+[ \t]*页.*)[ \t]*$", re.M)
# Numbers inside a parenthesised note ("（其中修订 16 件）"), dates and bracketed item numbers
# are not cells.
_NOTE = re.compile(r"[（(][^（）()\n]{0,40}[）)]")
_DATE = re.compile(r"\d+[ \t]*(?=[年月日号])")
_RUN = re.compile(r"-?\d+(?:\.\d+)?(?:[ \t]*-?\d+(?:\.\d+)?)*")
_GROUP = re.compile(r"-?[\d.]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LABEL_RUN = re.compile(r"[\u4e00-\u9fff)）”][ \t]*\d")
_GLUED = re.compile(r"(?<=[\u4e00-\u9fff)）”])\d+(?:\.\d+)?|\d+(?:\.\d+)?(?=[\u4e00-\u9fff(（])")


def _mask(text: str) -> str:
    """Fold widths and hide digits that are not table cells; the length is unchanged."""
    work = fold_width(text).replace("\u2212", "-").replace("\f", "\n")

    def hide(m: re.Match) -> str:
        return re.sub(r"\d", "#", m.group(0))

    def hide_note(m: re.Match) -> str:
        inner = m.group(0)[1:-1].strip()
        return hide(m) if _CJK.search(inner) or inner.isdigit() else m.group(0)

    work = _PAGE_LINE.sub(hide, work)
    work = _NOTE.sub(hide_note, work)
    return _DATE.sub(hide, work)


def classify(cell: str) -> str:
    """``num``, ``blank`` or ``text`` for one cell (already folded)."""
    s = cell.strip()
    if not s or s in _BLANK_MARKS:
        return "blank"
    squeezed = re.sub(r"\s+", "", s)
    return "num" if _NUM_CELL.fullmatch(squeezed) else "text"


def detect_layout(work: str) -> str:
    """Name the layout of a (masked) table region from its line shapes."""
    lines = work.split("\n")
    digit_lines = [ln for ln in lines if re.search(r"\d", ln)]
    if not digit_lines:
        return "none"
    if sum(1 for ln in lines if ln.count("|") >= 2) >= 2:
        return "markdown" if re.search(r"^\s*\|?\s*:?-{3,}", work, re.M) else "pipe_rows"
    # a crawl that ran cells together glues digit runs to the label text around them
    glued = sum(len(m.group(0)) for m in _GLUED.finditer(work))
    total = sum(ch.isdigit() for ch in work)
    widest = max(digit_lines, key=lambda ln: sum(ch.isdigit() for ch in ln))
    run_on = sum(ch.isdigit() for ch in widest) >= 0.6 * total and len(_LABEL_RUN.findall(widest)) >= 5
    if glued >= 0.5 * total or run_on:
        return "flattened"
    single = sum(1 for ln in digit_lines if len(ln.split()) == 1 and classify(ln) == "num")
    if single >= 0.6 * len(digit_lines):
        return "cell_per_line"
    if sum(1 for ln in digit_lines if ln.count("\t") >= 2) >= 0.5 * len(digit_lines):
        return "tab_rows"
    return "pdftotext_layout" if re.search(r"\S {2,}[-\d]", work) else "plain_lines"


class _Builder:
    """Turns a stream of cells into rows: text after numbers starts a new row."""

    def __init__(self, carry_label: bool) -> None:
        self.carry_label = carry_label
        self.rows: list[RawRow] = []
        self.label: list[str] = []
        self.label_start: int | None = None
        self.toks: list[Tok] = []

    def close(self) -> None:
        if self.toks:
            for t in reversed(self.toks):  # blanks after the last number may be padding
                if t.kind != "blank":
                    break
                t.edge = True
            start = self.label_start if self.label_start is not None else self.toks[0].start
            self.rows.append(RawRow(norm_label("".join(self.label)), start, self.toks))
            self.label, self.label_start, self.toks = [], None, []

    def end_line(self, ends_row: bool) -> None:
        if self.toks and ends_row:
            self.close()
        elif not self.toks and not self.carry_label:
            self.label, self.label_start = [], None

    def cell(self, raw: str, folded: str, start: int) -> None:
        kind = classify(folded)
        if kind == "num":
            m = re.search(r"[-+]?\d", folded)
            last = max(i for i, ch in enumerate(folded) if ch.isdigit())
            text = re.sub(r"[\s,]", "", _NUM_CELL.search(re.sub(r"\s+", "", folded)).group("num"))
            self.toks.append(Tok("num", text, start + m.start(), start + last + 1))
        elif kind == "blank":
            if self.toks:  # blanks before the first number are label padding
                self.toks.append(Tok("blank", "", start, start + len(raw)))
        else:
            self.close()
            if self.label_start is None:
                self.label_start = start + (len(raw) - len(raw.lstrip()))
            self.label.append(raw)


def _line_cells(line: str, offset: int, sep: str | None) -> list[tuple[str, int]]:
    """Cells of one line with their offsets: split on ``sep``, or on runs of whitespace."""
    if sep is None:
        return [(m.group(0), offset + m.start()) for m in re.finditer(r"\S+", line)]
    cells, pos = [], 0
    for part in line.split(sep):
        cells.append((part, offset + pos))
        pos += len(part) + len(sep)
    return cells


def _read_lines(text: str, work: str, base: int, layout: str) -> list[RawRow]:
    pipes = layout in ("markdown", "pipe_rows")
    b = _Builder(carry_label=not pipes)
    pos = 0
    for line in work.split("\n"):
        start, pos = pos, pos + len(line) + 1
        line = line.rstrip("\r")
        off = base + start
        if pipes and line.count("|") >= 2:
            if re.fullmatch(r"[\s|:\-]*", line):
                continue  # a |---|---| separator
            body = line.rstrip()
            lo = len(line) - len(line.lstrip())
            lo += 1 if line[lo : lo + 1] == "|" else 0
            hi = len(body) - 1 if body.endswith("|") and len(body) - 1 >= lo else len(body)
            cells = _line_cells(line[lo:hi], off + lo, "|")
        elif layout == "cell_per_line":
            if line == "":
                b.close()  # an empty line ends a row; a tab-only line is an empty cell
                continue
            cells = [(c, o) for c, o in _line_cells(line, off, "\t") if c.strip()] or [(line, off)]
        elif layout == "tab_rows" and "\t" in line:
            cells = _line_cells(line, off, "\t")
            while cells and not cells[0][0].strip():  # leading tabs only indent the row
                cells.pop(0)
        else:
            cells = _line_cells(line, off, None)
        for raw, o in cells:
            b.cell(text[o - base : o - base + len(raw)], work[o - base : o - base + len(raw)], o)
        if layout != "cell_per_line":
            b.end_line(ends_row=True)
    b.close()
    return b.rows


def _read_flattened(work: str, base: int) -> list[RawRow]:
    """Rows of a crawl that ran label and digits together: each digit run follows its label.

    A run directly before "2." of the next label loses that marker digit ("00000002.其他…").
    Spaces and minus signs inside a run are kept as group boundaries: no cell spans them.
    """
    rows: list[RawRow] = []
    prev = 0
    for m in _RUN.finditer(work):
        run_start, run_end = m.start(), m.end()
        nxt = work[run_end : run_end + 2]
        if nxt[:1] in (".", "、") and not nxt[1:2].isdigit():
            run_end -= 1  # the last digit numbers the next label
        toks = [
            Tok("num", g.group(0), base + run_start + g.start(), base + run_start + g.end(), split=True)
            for g in _GROUP.finditer(work[run_start:run_end])
            if any(ch.isdigit() for ch in g.group(0))
        ]
        if toks:  # a run that was only a marker digit leaves the label running on
            rows.append(RawRow(norm_label(work[prev:run_start]), base + prev, toks))
            prev = run_end
    return rows


def read_rows(text: str, start: int, end: int) -> tuple[str, list[RawRow]]:
    """The layout name and the raw rows of ``text[start:end]`` (offsets into ``text``)."""
    region = text[start:end]
    work = _mask(region)
    layout = detect_layout(work)
    if layout == "none":
        return layout, []
    if layout == "flattened":
        return layout, _read_flattened(work, start)
    return layout, _read_lines(region, work, start, layout)
