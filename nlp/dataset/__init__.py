"""The dataset layer: one schema for every frame and file (``schema.py``), one writer (``write.py``).

See ``docs/schema.md`` for every column; :func:`write_frame` writes any frame as CSV, JSON lines,
Parquet or Excel.
"""
from nlp.dataset.schema import (KEY_NAMES, LIST_SEP, Column, columns, conform, frames, names,
                                office_id, report_id, schema_markdown)
from nlp.dataset.write import FORMATS, FormatError, format_of, read_frame, records, write_frame

__all__ = ["Column", "FORMATS", "FormatError", "KEY_NAMES", "LIST_SEP", "columns", "conform",
           "format_of", "frames", "names", "office_id", "read_frame", "records", "report_id",
           "schema_markdown", "write_frame"]
