"""The real PDFs' tables parse to the same cells as their pdftotext versions.

``../shared/corpora/files/洪泽区_2023.pdf`` and ``_2024.pdf`` are the 淮安市洪泽区 reports as the
government published them; ``reports/002.txt`` and ``003.txt`` are their ``pdftotext -layout``
texts. Their known traps: the vertical cell 三、本年度办理结果 (one character per line), a row
label wrapped inside its cell (1.本机关不掌握相关政府信息 above its numbers), and wrapped header
cells. Plain line reading put the numbers of 本机关不掌握 and 没有现成信息 on the wrong rows of the
2023 report (9 cells wrong); the ruled-table reading gets every cell.
"""
from __future__ import annotations

from collections import Counter

import pytest

import nlp
from conftest import SHARED_REPORTS
from nlp.tables import table_of, tables_of

FILES = SHARED_REPORTS.parent / "files"
PAIRS = [("洪泽区_2023.pdf", "002.txt"), ("洪泽区_2024.pdf", "003.txt")]


def _cells(report) -> dict:
    return {(t.id, c.row, c.column): c.value for t in tables_of(report) for c in t.cells}


@pytest.fixture(scope="module", params=PAIRS, ids=[p for p, _ in PAIRS])
def pair(request):
    pdf, txt = request.param
    if not (FILES / pdf).is_file():
        pytest.fail(f"the shared corpus is missing {FILES / pdf}")
    return nlp.load_report(FILES / pdf), nlp.load_report(SHARED_REPORTS / txt)


def test_pdf_tables_parse_to_the_cells_of_the_text_version(pair):
    from_pdf, from_text = pair
    want = _cells(from_text)
    assert len(want) == 186  # every cell of tables 二, 三 and 四
    assert _cells(from_pdf) == want


def test_the_wrapped_row_keeps_its_own_numbers(pair):
    from_pdf, _ = pair
    requests = table_of(from_pdf, "requests")
    # 2023: 10 requests about information the office does not hold, 3 needing new documents
    expected = {"洪泽区_2023.pdf": (10, 3), "洪泽区_2024.pdf": None}[from_pdf.name]
    if expected:
        assert (requests.value("unavailable_not_held", "total"),
                requests.value("unavailable_needs_creation", "total")) == expected
    assert table_of(from_pdf, "requests").layout == "tab_rows"


def test_no_character_of_the_pdf_is_lost(pair):
    """Every non-space character pdfplumber's plain reading finds is in the text we keep."""
    import pdfplumber

    from_pdf, _ = pair
    with pdfplumber.open(from_pdf.path) as pdf:
        plain = "".join(page.extract_text() or "" for page in pdf.pages)
    ours, theirs = Counter("".join(from_pdf.text.split())), Counter("".join(plain.split()))
    assert theirs - ours == Counter()
