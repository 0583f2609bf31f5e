"""Lone CR (old Mac), CRLF (Windows) and LF files give the same sections, parts, items and
sentences; report.text keeps its line ends, so offsets shift by one per CRLF and no more."""
from bisect import bisect_left

import pytest

from conftest import SHARED_REPORTS, seed_path, shared_path
from nlp.load import parse_report
from nlp.segment import segment

SEEDS = ["000", "001", "002", "003", "004"]
SHARED = ["001", "002", "003", "004", "005", "007", "009", "010", "011", "012", "013", "017", "018",
          "020", "021"]


def _lf(s: str | None) -> str | None:
    return None if s is None else s.replace("\r\n", "\n").replace("\r", "\n")


def structure(text: str, to_lf=lambda i: i) -> list[tuple]:
    """Every section, sentence, part and item with offsets mapped back to the LF text."""
    out = []
    for sec in segment(text)[0]:
        out.append(("section", sec.id, to_lf(sec.start), to_lf(sec.end), sec.number, _lf(sec.title),
                    None if sec.heading_end is None else to_lf(sec.heading_end)))
        out += [("sentence", to_lf(x.start), to_lf(x.end), x.kind, _lf(text[x.start:x.end]))
                for x in sec.sentences]
        out += [("part", to_lf(p.start), to_lf(p.end), p.marker, p.title) for p in sec.parts]
        out += [("item", to_lf(i.start), to_lf(i.end), _lf(i.marker), i.index) for i in sec.items]
    return out


def check_line_ends(text: str) -> None:
    assert "\r" not in text
    expected = structure(text)
    assert structure(text.replace("\n", "\r")) == expected  # same length: same offsets
    crlf = text.replace("\n", "\r\n")
    crs = [i for i, c in enumerate(crlf) if c == "\r"]
    assert structure(crlf, lambda i: i - bisect_left(crs, i)) == expected


@pytest.mark.parametrize("prefix", SEEDS)
def test_seed_structure_does_not_depend_on_line_ends(prefix):
    check_line_ends(seed_path(prefix).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SHARED)
def test_shared_structure_does_not_depend_on_line_ends(name):
    check_line_ends(shared_path(name).read_text(encoding="utf-8"))


def test_lone_cr_file_splits_sentences_and_keeps_its_text():
    text = seed_path("000").read_text(encoding="utf-8").replace("\n", "\r")
    report = parse_report(text)
    assert report.text == text  # nothing translated
    other = report.section("other")
    sents = [text[x.start:x.end] for x in other.sentences]
    assert sents == ["六、其他需要报告的事项", "2021年度杜市镇无其他需要报告的事项。"]
    assert text[report.section("closing").start:].startswith("杜市镇人民政府\r2022年1月13日")


def test_item_marker_broken_by_crlf_is_kept():
    if not (SHARED_REPORTS / "002.txt").is_file():
        pytest.skip("../shared/corpora is not present")
    text = shared_path("002").read_text(encoding="utf-8").replace("\n", "\r\n")
    problems = next(s for s in segment(text)[0] if s.id == "problems")
    first = problems.items[0]
    assert first.marker == "一\r\n是" and text[first.start:first.start + 7] == "一\r\n是扎实推"
