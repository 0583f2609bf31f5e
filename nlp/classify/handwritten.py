"""Hand-written section-五 texts: training units that come with their context.

``train_extra.jsonl`` holds single units, read alone. These records are whole sections 五, written
by hand after the layouts of real reports (parts with short measure headings and explanation
lines, lead-ins followed by unnumbered problem sentences, 1./（一）/一是 lists, 下一步 switches),
one labelled piece at a time. Each is set in a small report frame of its layout, segmented like
any report, and every unit takes the labels of the pieces it overlaps, so the models learn from
units in the context the segmenter and the walk really give them. Each record is used twice: with
its line breaks and flattened to one line, the way a web crawl delivers it.

A record: ``{"id", "layout": "2021+"|"2019-2020"|"pre-2019", "year", "office", "pieces"}``; a
piece is ``[code, text]`` with code P (problem), I (improvement), B (both) or N (neither),
prefixed with ``+`` when it continues the line of the piece before it; ``provenance`` says who
wrote it and from what.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from nlp.classify.weak import keyword_topics

CODES = {"P": ("problem",), "I": ("improvement",), "B": ("problem", "improvement"), "N": ()}
#: Characters a unit must share with a piece to take its labels (a glued marker or a stray
#: full stop does not make a heading a problem).
MIN_OVERLAP = 2

_FRAME_2019 = [
    ("一、总体情况", "{year}年，{office}认真贯彻落实《中华人民共和国政府信息公开条例》，"
                  "全年主动公开政府信息{n}条。"),
    ("二、主动公开政府信息情况", "本年制发规范性文件{k}件，现行有效规范性文件{m}件。"),
    ("三、收到和处理政府信息公开申请情况", "本年新收政府信息公开申请{k}件，均在法定期限内答复。"),
    ("四、政府信息公开行政复议、行政诉讼情况", "本年度未发生政府信息公开行政复议、行政诉讼案件。"),
    ("五、存在的主要问题及改进情况", None),
    ("六、其他需要报告的事项", "本年度无其他需要报告的事项。"),
]
_FRAME_PRE2019 = [
    ("一、概述", "{year}年，{office}按照《中华人民共和国政府信息公开条例》要求，扎实做好政府信息公开工作。"),
    ("二、主动公开政府信息情况", "全年主动公开政府信息{n}条，其中通过门户网站公开{m}条。"),
    ("三、政府信息依申请公开工作情况", "全年受理依申请公开{k}件，已全部办结。"),
    ("四、政府信息公开的收费及减免情况", "本年度未收取任何费用。"),
    ("五、因政府信息公开申请行政复议、提起行政诉讼的情况", "本年度无相关行政复议和行政诉讼。"),
    ("六、存在的主要问题和改进措施", None),
    ("七、其他需要报告的事项", "无。"),
]


@dataclass(frozen=True)
class Piece:
    labels: tuple[str, ...]
    text: str
    same_line: bool


def pieces_of(record: dict) -> list[Piece]:
    """The record's labelled pieces in order."""
    out = []
    for code, text in record["pieces"]:
        same = code.startswith("+")
        out.append(Piece(CODES[code.lstrip("+")], text, same))
    return out


def section_report_text(record: dict, flat: bool = False) -> tuple[str, list[tuple[int, int, Piece]]]:
    """The record set in its layout's report frame, and each piece's [start, end) in that text.

    ``flat`` joins everything without line breaks, like the one-line web crawls.
    """
    frame = _FRAME_PRE2019 if record["layout"] == "pre-2019" else _FRAME_2019
    nl = "" if flat else "\n"
    year, office = record["year"], record["office"]
    fill = {"year": year, "office": office, "n": 40 + 7 * len(record["id"]), "k": 3, "m": 12}
    text = f"{office}{year}年政府信息公开工作年度报告{nl}"
    spans: list[tuple[int, int, Piece]] = []
    for heading, body in frame:
        text += heading + nl
        if body is not None:
            text += body.format(**fill) + nl
            continue
        for i, piece in enumerate(pieces_of(record)):
            if i and not piece.same_line:
                text += nl
            spans.append((len(text), len(text) + len(piece.text), piece))
            text += piece.text
        text += nl
    return text, spans


def labelled_units(record: dict, flat: bool = False) -> list[tuple["Unit", tuple[str, ...], tuple[str, ...]]]:
    """(unit, labels, context tokens) for each section-五 unit the segmenter finds in the record.

    A unit takes the union of the labels of the pieces it overlaps (a lead-in glued to the first
    problem is a problem, as ``tests/data/LABELLING.md`` rules for mixed units).
    """
    from nlp.classify.context import unit_contexts
    from nlp.classify.units import statement_units
    from nlp.load import parse_report

    text, spans = section_report_text(record, flat)
    report = parse_report(text, f"<handwritten {record['id']}{' flat' if flat else ''}>")
    units = statement_units(report, ("problems",))
    out = []
    for u, ctx in zip(units, unit_contexts(report, units)):
        labels = {k for a, b, p in spans if min(b, u.end) - max(a, u.start) >= MIN_OVERLAP
                  for k in p.labels}
        out.append((u, tuple(k for k in ("problem", "improvement") if k in labels), ctx))
    return out


def read_sections(path: str | Path) -> list[dict]:
    """The records of a hand-written sections file (JSON lines)."""
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def unit_topics(text: str, labels: tuple[str, ...]) -> frozenset[str]:
    """Topics of a hand-written unit: the keyword seeds, as for the weak labels (labelled only)."""
    return keyword_topics(text) if labels else frozenset()
