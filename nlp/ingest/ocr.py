"""OCR of page images (scanned PDFs), offline: RapidOCR's PP-OCR Chinese models inside its wheel.

An extra (``pip install 'govnlp[ocr]'``): without it a scanned PDF is refused with that advice.
One engine per process, made on first use (loading the three ONNX models takes about a second).

RapidOCR returns text boxes, not lines; :func:`boxes_to_lines` rebuilds reading order: boxes whose
vertical extents overlap by half the smaller height are one line, sorted left to right; a gap
wider than :data:`CELL_GAP` line heights separates table cells and becomes a tab, so a scanned
table row comes out like a table row of every other format (cells tab-joined).
"""
from __future__ import annotations

import importlib.util
import re
from statistics import median
from typing import Sequence

__all__ = ["ocr_available", "image_lines", "boxes_to_lines", "INSTALL_HINT", "CELL_GAP"]

#: What to do when a PDF has no text layer and the extra is missing.
INSTALL_HINT = "install the OCR extra: pip install 'govnlp[ocr]'"
#: Horizontal gap between two boxes of one line, in line heights, above which they are two table
#: cells (a tab), not two runs of one sentence. RapidOCR already joins text with ordinary
#: spacing into one box, so any real gap between its boxes is a column gap; 1.0 keeps a
#: space-separated date ("2021年 1月") in one cell.
CELL_GAP = 1.0
#: Share of the smaller box height two boxes must overlap vertically to be on one line.
LINE_OVERLAP = 0.5
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")

_engine = None


def ocr_available() -> bool:
    """Is the OCR extra installed?"""
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


def _get_engine():
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR

        _engine = RapidOCR()
    return _engine


def boxes_to_lines(result: Sequence) -> list[str]:
    """RapidOCR's ``[[box, text, score], …]`` (box: four (x, y) corners) to lines of text."""
    boxes = []
    for box, text, _score in result:
        if not text or not text.strip():
            continue
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        boxes.append((min(ys), max(ys), min(xs), max(xs), text.strip()))
    boxes.sort(key=lambda b: (b[0] + b[1]) / 2)
    rows: list[list] = []  # [top, bottom, boxes]
    for b in boxes:
        if rows:
            top, bottom, items = rows[-1]
            overlap = min(bottom, b[1]) - max(top, b[0])
            if overlap >= LINE_OVERLAP * min(b[1] - b[0], bottom - top):
                items.append(b)
                rows[-1][0], rows[-1][1] = min(top, b[0]), max(bottom, b[1])
                continue
        rows.append([b[0], b[1], [b]])
    lines = []
    for _top, _bottom, items in rows:
        items.sort(key=lambda b: b[2])
        height = median(b[1] - b[0] for b in items)
        parts = [items[0][4]]
        for prev, cur in zip(items, items[1:]):
            if cur[2] - prev[3] > CELL_GAP * height:
                parts.append("\t")
            elif _ASCII_WORD.match(cur[4][0]) and _ASCII_WORD.match(prev[4][-1]):
                parts.append(" ")
            parts.append(cur[4])
        lines.append("".join(parts))
    return lines


def image_lines(image) -> list[str]:
    """Lines of text in a PIL image (empty for a blank one)."""
    import numpy as np

    # No angle classifier: report pages are upright, and on a rendered seed page it turned one
    # full-width line upside down, whose text then came back empty and was lost.
    result, _elapsed = _get_engine()(np.asarray(image.convert("RGB")), use_cls=False)
    return boxes_to_lines(result or [])
