"""A PDF page's lines with its ruled tables read as rows (one line per row, cells tab-joined).

pdfplumber's plain ``extract_text`` orders a table's lines by baseline, so a row whose label
wraps over two lines comes out as "label start / numbers / label end", and a vertical cell
(三、本年度办理结果 written one character per line) interleaves with the rows beside it. The
table finder reads the ruling lines instead and gives each cell whole. Text outside the tables
keeps pdfplumber's line reading; blocks are put back in page order by their top edge.

A "table" of one column is a page frame around running text (WPS exports draw one), not a
table: it is read as text. Characters inside a table but in none of the cells the finder
saw (a header cell whose top ruling fell on the previous page) are read as text lines in
place, so no character is lost.
"""
from __future__ import annotations

#: pdfplumber's vertical tolerance for grouping characters into a line (its own default is 3).
_LINE_TOLERANCE = 3


def _is_data_table(rows: list[list[str | None]]) -> bool:
    """At least two rows with two or more filled cells: a page frame has one column."""
    return sum(1 for r in rows if sum(1 for c in r if c and c.strip()) >= 2) >= 2


def _cell(text: str | None) -> str:
    # A cell's own line breaks are wrapping: CJK joins without a space.
    return "".join((text or "").split("\n")).strip()


def _row_line(row: list[str | None]) -> str:
    """Cells tab-joined; leading empty cells (the rest of a merged label above) dropped, inner
    ones kept, since an empty cell among numbers is a blank the report published."""
    cells = [_cell(c) for c in row]
    while cells and not cells[0]:
        cells.pop(0)
    while cells and not cells[-1]:
        cells.pop()
    return "\t".join(cells)


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def page_lines(page) -> list[str]:
    """The page's text lines in reading order, each ruled data table as one line per row."""
    tables = [(t, t.extract()) for t in page.find_tables()]
    tables = [(t, rows) for t, rows in tables if _is_data_table(rows)]
    if not tables:
        return (page.extract_text() or "").splitlines()
    boxes = [cell for t, _ in tables for cell in t.cells]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    blocks: list[tuple[float, list[str]]] = [
        (line["top"], [line["text"]]) for line in outside.extract_text_lines(y_tolerance=_LINE_TOLERANCE)
    ]
    for t, rows in tables:  # row by row, so a stray line inside a table stays beside its row
        blocks.extend((row.bbox[1], [line]) for row, r in zip(t.rows, rows) if (line := _row_line(r)))
    blocks.sort(key=lambda b: b[0])
    return [line for _, lines in blocks for line in lines]
