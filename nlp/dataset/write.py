"""One writer for every frame: CSV, JSON lines, Parquet or Excel, the types encoded the same way.

* JSON lines: strict JSON (``allow_nan=False``): a missing value is ``null``, never ``NaN``;
  integers are integers; lists are arrays.
* CSV: lists joined by ``;``; missing is an empty cell; UTF-8 without BOM.
* Parquet (pyarrow): native types (``int64``, ``list<string>``); the pandas dtypes come back.
* Excel (openpyxl): one sheet named after the frame; lists joined by ``;``.

Files are written whole through :func:`nlp.atomic.atomic_file`. :func:`read_frame` reads any of
them back with the schema's dtypes.
"""
from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Iterator

import pandas as pd

from nlp.dataset.schema import LIST_SEP, columns, conform, list_cell

FORMATS = ("csv", "jsonl", "parquet", "xlsx")
_SUFFIX = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
           ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx"}
#: Excel refuses a cell longer than this (its documented limit).
EXCEL_CELL_MAX = 32767


class FormatError(ValueError):
    """A format that cannot be written where asked (parquet to a terminal); one line for the CLI."""


def format_of(path: str | Path | None, format: str | None = None) -> str:
    """The format to write: ``format`` if given, else from ``path``'s suffix, else jsonl."""
    if format is None:
        format = _SUFFIX.get(Path(path).suffix.lower(), "jsonl") if path is not None else "jsonl"
    if format not in FORMATS:
        raise FormatError(f"format {format!r} is not one of {' '.join(FORMATS)}")
    if path is None and format in ("parquet", "xlsx"):
        raise FormatError(f"{format} is a binary file: give one with -o FILE")
    return format


def _plain(value):
    """A JSON-ready scalar: NA/NaN → None, numpy numbers → Python numbers."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)  # 68, not 68.0 (JSON numbers carry no type)
    return value


def iter_records(frame: pd.DataFrame) -> Iterator[dict]:
    """Rows as plain dicts (lists stay lists, missing is None): what JSON lines hold."""
    cols = list(frame.columns)
    for row in frame.itertuples(index=False, name=None):
        yield {c: (list(v) if isinstance(v, (list, tuple)) else _plain(v))
               for c, v in zip(cols, row)}


def records(frame: pd.DataFrame) -> list[dict]:
    """:func:`iter_records` as a list."""
    return list(iter_records(frame))


def jsonl_lines(frame: pd.DataFrame) -> Iterator[str]:
    """The lines of a JSON-lines file of ``frame``, one at a time."""
    return (json.dumps(r, ensure_ascii=False, allow_nan=False) + "\n" for r in iter_records(frame))


def jsonl_text(frame: pd.DataFrame) -> str:
    return "".join(jsonl_lines(frame))


def _joined(frame: pd.DataFrame) -> pd.DataFrame:
    """List columns joined by ``;`` (CSV, Excel)."""
    frame = frame.copy()
    for c in frame.columns:
        if frame[c].dtype == object and any(isinstance(v, (list, tuple)) for v in frame[c]):
            frame[c] = [LIST_SEP.join(list_cell(v)) if isinstance(v, (list, tuple)) else v
                        for v in frame[c]]
    return frame


def _shortest(x: float) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 2 ** 53 else repr(x)


def csv_text(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    # a whole float is written 68 (not 68.0); others in Python's shortest exact form
    _joined(frame).to_csv(buf, index=False, lineterminator="\n", float_format=_shortest)
    return buf.getvalue()


def _excel(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    frame = _joined(frame)
    for c in frame.columns:
        if frame[c].dtype in (object, "string"):
            if any(isinstance(v, str) and len(v) > EXCEL_CELL_MAX for v in frame[c]):
                raise FormatError(f"column {c} holds a cell longer than Excel's {EXCEL_CELL_MAX} "
                                  "characters; write csv, jsonl or parquet instead")
            # control characters (a PDF's form feeds) are illegal in an xlsx cell: shown as a space
            frame[c] = frame[c].map(lambda v: ILLEGAL_CHARACTERS_RE.sub(" ", v)
                                    if isinstance(v, str) else v, na_action="ignore")
    frame.to_excel(path, index=False, sheet_name=sheet[:31], engine="openpyxl")


def frame_text(frame: pd.DataFrame, format: str) -> str:
    """The text of a csv or jsonl file of ``frame``."""
    return csv_text(frame) if format == "csv" else jsonl_text(frame)


def write_frame(frame: pd.DataFrame, path: str | Path | None, format: str | None = None,
                name: str | None = None):
    """Write ``frame`` (conformed to schema ``name`` when given) to ``path`` in ``format``.

    Without ``path`` the csv/jsonl text is returned (for stdout); with it the file is written
    whole and its path returned.
    """
    from nlp.atomic import atomic_file

    format = format_of(path, format)
    if name is not None:
        frame = conform(frame, name)
    if path is None:
        return frame_text(frame, format)
    path = Path(path)
    with atomic_file(path) as tmp:
        write_file(frame, tmp, format, name or path.stem)
    return path


def write_file(frame: pd.DataFrame, path: Path, format: str, sheet: str = "rows") -> None:
    """Write ``frame`` straight to ``path`` (inside an atomic folder; else use :func:`write_frame`)."""
    # written as made: the whole text of a 600,000-passage file, and a dict per row before it,
    # took 1.3 GB at 100,000 reports
    if format == "jsonl":
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.writelines(jsonl_lines(frame))
    elif format == "csv":
        _joined(frame).to_csv(path, index=False, lineterminator="\n", float_format=_shortest,
                              encoding="utf-8")
    elif format == "parquet":
        frame.to_parquet(path, index=False, engine="pyarrow")
    else:
        _excel(frame, path, sheet)


def part_text(frame: pd.DataFrame, format: str) -> str:
    """``frame``'s rows as a :class:`FrameAppender` of ``format`` appends them: CSV without its
    header, JSON lines for every other format (its part file)."""
    if not len(frame):
        return ""
    if format != "csv":
        return jsonl_text(frame)
    return csv_text(frame).split("\n", 1)[1]  # the header: column names, one line


def write_part(frame: pd.DataFrame, path: str | Path, format: str) -> tuple[Path, int]:
    """Write ``part_text(frame, format)`` to ``path`` (a worker's share of a file, for
    :meth:`FrameAppender.append_part`); returns the path and the number of rows."""
    Path(path).write_text(part_text(frame, format), encoding="utf-8")
    return Path(path), len(frame)


class FrameAppender:
    """One frame's file written a batch of rows at a time (the streamed commands: history, the
    study, summaries): csv and jsonl appended in place, the CSV header (from schema ``schema``)
    written once, even for no rows; parquet and xlsx through a JSON-lines part file in ``parts``
    (lossless: strict JSON, floats in their shortest exact form), converted by :meth:`close`."""

    def __init__(self, path: str | Path, format: str, schema: str,
                 parts: str | Path | None = None) -> None:
        self.path, self.format, self.schema = Path(path), format, schema
        if format in ("csv", "jsonl"):
            self.target = self.path
        elif parts is None:
            raise ValueError(f"{format} is written at the end: give a folder for its part file")
        else:
            self.target = Path(parts) / f"{self.path.name}.part.jsonl"
        header = csv_text(conform(pd.DataFrame(), schema)) if format == "csv" else ""
        self.target.write_text(header, encoding="utf-8")
        self.rows = 0

    def append(self, frame: pd.DataFrame) -> None:
        if not len(frame):
            return
        with self.target.open("a", encoding="utf-8") as f:
            f.write(part_text(frame, self.format))
        self.rows += len(frame)

    def append_part(self, part: str | Path, rows: int) -> None:
        """Append the bytes of a :func:`write_part` file (``rows`` rows; written by another
        process, so the rows are never unpickled here), then remove it."""
        import shutil

        with open(part, "rb") as src, self.target.open("ab") as dst:
            shutil.copyfileobj(src, dst)
        Path(part).unlink()
        self.rows += rows

    def close(self) -> Path:
        """The file, whole (parquet and xlsx made from the part here: the frame, once)."""
        if self.target != self.path:
            write_file(read_frame(self.target, self.schema, "jsonl"), self.path, self.format,
                       self.schema)
        return self.path


def read_frame(path: str | Path, name: str, format: str | None = None) -> pd.DataFrame:
    """A file written by :func:`write_frame` read back with schema ``name``'s dtypes."""
    format = format_of(path, format)
    cols = columns(name)
    if format == "parquet":
        frame = pd.read_parquet(path, engine="pyarrow")
    elif format == "jsonl":
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        frame = pd.DataFrame([json.loads(l) for l in lines if l], columns=[c.name for c in cols])
    else:
        text_cols = {c.name: str for c in cols if c.type in ("string", "list")}
        if format == "csv":
            frame = pd.read_csv(path, dtype=text_cols, keep_default_na=False, na_values=[""])
        else:
            frame = pd.read_excel(path, dtype=text_cols, engine="openpyxl")
    return conform(frame, name)
