"""The corpus index: one DuckDB file holding a corpus and the results of ``govnlp reuse`` on it.

There is one detection pipeline, :func:`nlp.reuse.detect.detect` (exact hashes, LSH, the
same-office pass, embeddings); the index stores what it finds (passages, families, leaks,
shares) beside the reports, sections, sentences, table cells and classified statements, so a notebook queries one file
(:func:`nlp.open_index`) and ``reuse query`` answers from stored rows.

Detection is a property of the whole corpus (a template family is defined by how many reports
share it; who wrote first by every copy's year), so ``add`` re-runs detection over the stored
reports plus the new ones, from their stored sentences (no file is read or segmented again),
and replaces the results: the index always holds what ``govnlp reuse`` gives on the same
reports. A report is stored once per identity (``index_rows.identity``).

Writing is all-or-nothing. ``build`` writes a new file beside the target and moves it into
place. ``add`` first commits an ``incomplete`` state, then writes everything in one
transaction that also sets the state back to ``complete``: a run killed at any point leaves the
index as it was, at worst marked incomplete, and the next ``add`` re-runs detection (repairs).
A file that is not an index (corrupt, truncated, another program's) or that another process
holds open for writing raises :class:`IndexFileError`, a one-line message naming the file;
such a file is never written to.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable, Iterable

import duckdb
import pandas as pd

from nlp.dataset.schema import conform
from nlp.model import Report
from nlp.reuse.candidates import local_map
from nlp.reuse.index_rows import META_FIELDS, identity, mapped_rows, stored_reports

#: Bumped when the tables change; an index of another format is refused, not misread.
FORMAT = "govnlp-index-3"
#: The "DUCK" magic of a DuckDB file sits after an 8-byte checksum.
_MAGIC_AT, _MAGIC = 8, b"DUCK"

_META_DDL = ", ".join(f'"{f}" {"INTEGER" if f in ("year", "days_after_deadline") else "VARCHAR"}'
                      for f in META_FIELDS)
_SCHEMA = f"""
CREATE TABLE info (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE reports (seq INTEGER PRIMARY KEY, report_id VARCHAR, office_id VARCHAR,
    path VARCHAR, format VARCHAR, encoding VARCHAR, {_META_DDL}, chars INTEGER,
    sections INTEGER, warnings VARCHAR, source_meta VARCHAR, text VARCHAR);
CREATE TABLE sections (seq INTEGER, sec_index INTEGER, section VARCHAR, number VARCHAR,
    title VARCHAR, start INTEGER, "end" INTEGER, heading_end INTEGER, recovered BOOLEAN,
    parts INTEGER, items INTEGER, sentences INTEGER);
CREATE TABLE sentences (seq INTEGER, sec_index INTEGER, section VARCHAR, "index" INTEGER,
    kind VARCHAR, start INTEGER, "end" INTEGER);
CREATE TABLE cells (seq INTEGER, "table" VARCHAR, "row" VARCHAR, "column" VARCHAR,
    value DOUBLE, start INTEGER, "end" INTEGER);
"""
#: Detection's frames, replaced whole by every build and add.
RESULT_TABLES = ("passages", "families", "leaks", "shares")
_STORED_TABLES = ("reports", "sections", "sentences", "cells", "statements")


class IndexFileError(ValueError):
    """An index file that cannot be used as one; the message is one line naming the file."""


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection to an existing index, or IndexFileError (the file is not touched)."""
    if not path.is_file():
        raise IndexFileError(f"{path}: no index here (create one with `govnlp index build`)")
    with open(path, "rb") as f:
        head = f.read(_MAGIC_AT + len(_MAGIC))
    if head[_MAGIC_AT:] != _MAGIC:  # checked first: DuckDB would start a fresh database here
        raise IndexFileError(f"{path}: not a govnlp index (not a DuckDB file: corrupt, "
                             "truncated or another program's)")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as e:
        raise _file_error(path, e) from None
    try:
        fmt = dict(con.execute("SELECT key, value FROM info").fetchall()).get("format")
    except duckdb.CatalogException:  # a sound database without our tables
        fmt = None
    except duckdb.Error as e:
        con.close()
        raise _file_error(path, e) from None
    if fmt != FORMAT:
        con.close()
        raise IndexFileError(f"{path}: not a govnlp index of this version ({fmt or 'no govnlp tables'};"
                             f" expected {FORMAT}); rebuild it with `govnlp index build`")
    return con


def _file_error(path: Path, e: duckdb.Error) -> IndexFileError:
    msg = str(e)
    if "lock" in msg.lower():
        pid = re.search(r"PID (\d+)", msg)
        return IndexFileError(f"{path}: in use by another process{f' (PID {pid[1]})' if pid else ''};"
                              " try again when it has finished")
    first = msg.strip().splitlines()[0] if msg.strip() else type(e).__name__
    return IndexFileError(f"{path}: not a readable govnlp index (corrupt or truncated: {first})")


class ReuseIndex:
    """An open index. ``ReuseIndex.create(path)`` makes a new file; ``ReuseIndex(path)`` opens
    one (``read_only=True`` for queries, which other readers may share)."""

    def __init__(self, path: str | Path, read_only: bool = False, *, _con=None) -> None:
        self.path = Path(path)
        self.con = _con if _con is not None else _open(self.path, read_only)

    @classmethod
    def create(cls, path: str | Path) -> "ReuseIndex":
        con = duckdb.connect(str(path))
        con.execute(_SCHEMA)
        con.execute("INSERT INTO info VALUES ('format', ?), ('state', 'complete')", [FORMAT])
        return cls(path, _con=con)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "ReuseIndex":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _run(self, sql: str, params=None):
        """Execute, turning a DuckDB failure on a damaged file into IndexFileError."""
        try:
            return self.con.execute(sql, params or [])
        except duckdb.Error as e:
            raise _file_error(self.path, e) from None

    # -- state --------------------------------------------------------------------------------
    @property
    def complete(self) -> bool:
        """False after an add that did not finish (the stored rows are those of the add before)."""
        return self._run("SELECT value FROM info WHERE key = 'state'").fetchall()[0][0] == "complete"

    def counts(self) -> dict[str, int]:
        return {t: self._run(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                for t in (*_STORED_TABLES, *RESULT_TABLES) if self._has_table(t)}

    def _has_table(self, name: str) -> bool:
        return bool(self._run("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
                              [name]).fetchall()[0][0])

    def identities(self) -> dict[tuple, int]:
        rows = self._run("SELECT report_id, office_id, year, seq FROM reports").fetchall()
        return {(h, o, y): rid for h, o, y, rid in rows}

    # -- writing ------------------------------------------------------------------------------
    def add(self, reports: Iterable[Report], mapper: Callable | None = None,
            semantic: bool = True, progress: Callable[[str], None] = lambda line: None) -> int:
        """Store the reports not yet in the index and re-run detection over all; returns how many
        were new. Reports already stored (same identity) are left out, also within ``reports``.
        On an index marked incomplete, detection is re-run even when nothing is new."""
        known = self.identities()
        new, seen = [], set(known)
        for r in reports:
            key = identity(r)
            if key not in seen:
                seen.add(key)
                new.append(r)
        if not new and self.complete:
            return 0
        self._run("UPDATE info SET value = 'incomplete' WHERE key = 'state'")  # committed now
        first_seq = self._run("SELECT coalesce(max(seq), -1) + 1 FROM reports").fetchall()[0][0]
        stored = self._stored_for_detection()
        progress(f"detecting reuse in {len(stored) + len(new)} reports ({len(new)} new)")
        frames = _result_frames(self._detect(stored + new, mapper, semantic))
        rows = mapped_rows(new, first_seq, mapper or local_map) if new else {}
        self._run("BEGIN TRANSACTION")
        try:
            progress(f"writing {len(new)} reports and the results")
            for table, df in rows.items():
                if len(df) and not self._has_table(table):  # statements: the classifier's columns
                    self._replace(table, df)
                elif len(df):
                    self._insert(table, df)
            for table, df in frames.items():
                self._replace(table, df)
            self._run("UPDATE info SET value = 'complete' WHERE key = 'state'")
            self._run("COMMIT")
        except BaseException:
            try:
                self.con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # the transaction is gone with the connection; the file holds the last commit
            raise
        self._run("CHECKPOINT")  # fold the log into the file: one file to copy or measure
        return len(new)

    @staticmethod
    def _detect(reports: list[Report], mapper, semantic: bool):
        from nlp.reuse.detect import detect

        return detect(reports, mapper=mapper or local_map, semantic=semantic)

    def _stored_for_detection(self) -> list[Report]:
        """Every stored report rebuilt for detection, in the order they were added."""
        cols = ", ".join(f'"{f}"' for f in META_FIELDS)
        reports = self._run(f"SELECT seq, path, text, {cols} FROM reports ORDER BY seq").df()
        sentences = self._run("SELECT seq, sec_index, section, start, \"end\", kind "
                              "FROM sentences WHERE kind = 'text' "
                              "ORDER BY seq, sec_index, \"index\"").df()
        return stored_reports(reports, sentences)

    def _insert(self, table: str, df: pd.DataFrame) -> None:
        self.con.register("_rows", df)
        try:
            self._run(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
        finally:
            self.con.unregister("_rows")

    def _replace(self, table: str, df: pd.DataFrame) -> None:
        """Replace a result table by ``df`` (its columns are detection's frame's columns)."""
        df = df.astype({c: "string" for c in df.columns if df[c].dtype == object and not len(df)})
        self.con.register("_rows", df)
        try:
            self._run(f"DROP TABLE IF EXISTS {table}")
            self._run(f"CREATE TABLE {table} AS SELECT * FROM _rows")
        finally:
            self.con.unregister("_rows")

    # -- reading ------------------------------------------------------------------------------
    def find(self, report: Report) -> str | None:
        """The report_id of ``report`` if the index holds it (by identity), else None.

        An index built with a manifest may hold the report under another office or year than
        the file states; a content hash held by exactly one stored report identifies it too.
        """
        h, oid, year = identity(report)
        rows = self._run("SELECT office_id, year FROM reports WHERE report_id = ?", [h]).fetchall()
        return h if (oid, year) in rows or len(rows) == 1 else None

    def query(self, report: Report, mapper: Callable | None = None,
              semantic: bool = True) -> pd.DataFrame:
        """The passages of ``report``, seen from its side: one row per passage it shares.

        For an indexed report these are the stored rows (a lookup). For a report not in the
        index, detection is run over the stored reports plus this one, exactly as ``add``
        would, without storing anything (cost: one detection over the corpus).
        Columns: start, end, text (this report), similarity, kind, layer, family,
        other_report_id, other_path, other_office, other_year, other_start, other_end, other_text,
        other_wrote_first.
        """
        rid = self.find(report)
        if rid is not None:
            passages = self._run("SELECT * FROM passages WHERE a_report_id = ? OR b_report_id = ?",
                                 [rid, rid]).df()
        else:
            rid = identity(report)[0]
            result = self._detect(self._stored_for_detection() + [report], mapper, semantic)
            passages = result.passages_frame()
            passages = passages[(passages["a_report_id"] == rid) | (passages["b_report_id"] == rid)]
        return _from_side(passages, rid)


def _result_frames(result) -> dict[str, pd.DataFrame]:
    """Detection's frames as stored (the columns of ``nlp/dataset/schema.py``)."""
    return {"passages": result.passages_frame(), "families": result.families_frame(),
            "leaks": result.leaks_frame(), "shares": result.reports_frame()}


def _from_side(passages: pd.DataFrame, rid: int) -> pd.DataFrame:
    """Passage rows (source side ``a``) turned to face report ``rid``: its span first."""
    rows = []
    for p in passages.to_dict("records"):
        me, other = ("b", "a") if p["b_report_id"] == rid else ("a", "b")
        rows.append({"start": p[f"{me}_start"], "end": p[f"{me}_end"], "text": p[f"{me}_text"],
                     "similarity": p["similarity"], "kind": p["kind"], "layer": p["layer"],
                     "family": p["family"], "other_report_id": p[f"{other}_report_id"],
                     "other_path": p[f"{other}_path"], "other_office": p[f"{other}_office"],
                     "other_year": p[f"{other}_year"], "other_start": p[f"{other}_start"],
                     "other_end": p[f"{other}_end"], "other_text": p[f"{other}_text"],
                     "other_wrote_first": me == "b"})
    cols = ["start", "end", "text", "similarity", "kind", "layer", "family", "other_report_id",
            "other_path", "other_office", "other_year", "other_start", "other_end",
            "other_text", "other_wrote_first"]
    return pd.DataFrame(rows, columns=cols).sort_values(["start", "similarity"],
                                                        ascending=[True, False],
                                                        ignore_index=True)


def build_index(path: str | Path, reports: Iterable[Report], **add_options) -> dict[str, int]:
    """Create the index ``path`` from ``reports``; it appears only once complete (a killed
    build leaves no file, at most a hidden ``.NAME.tmp-…`` beside it). Returns the counts."""
    from nlp.atomic import atomic_file

    with atomic_file(path) as tmp:
        with ReuseIndex.create(tmp) as ix:
            ix.add(reports, **add_options)
            counts = ix.counts()
    return counts


_ORDER = {"sections": "r.seq, x.sec_index", "sentences": 'r.seq, x.sec_index, x."index"',
          "cells": "r.seq", "statements": "r.seq, x.start"}


def _frame_sql(name: str) -> str:
    """SQL giving exactly the columns of schema frame ``name`` (``nlp/dataset/schema.py``)."""
    from nlp.dataset.schema import KEY_NAMES, names

    if name in RESULT_TABLES:
        return f"SELECT * FROM {name}"
    if name == "reports":
        return f"SELECT {', '.join(f'r.{c}' for c in names(name))} FROM reports r ORDER BY seq"
    cols = []
    for c in names(name):
        if c in KEY_NAMES:
            cols.append(f'r."{c}"')
        elif c == "text":
            cols.append('substr(r.text, x.start + 1, x."end" - x.start) AS text')
        else:
            cols.append(f'x."{c}"')
    return (f"SELECT {', '.join(cols)} FROM {name} x JOIN reports r USING (seq) "
            f"ORDER BY {_ORDER[name]}")


_FRAMES = _STORED_TABLES + RESULT_TABLES


class IndexFrames:
    """The tables of an index as pandas frames, each read when first asked for.

    ``reports``, ``sections``, ``sentences`` (every kind), ``cells`` (one per table cell;
    null for a blank one) and ``statements`` (section 五's units, classified when stored); and
    detection's ``passages``, ``families``, ``leaks`` and ``shares``. Each has exactly the
    columns and dtypes of its frame in ``nlp/dataset/schema.py`` (``docs/schema.md``).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        with ReuseIndex(self.path, read_only=True) as ix:
            self.complete = ix.complete
        self._cache: dict[str, pd.DataFrame] = {}

    def frame(self, name: str) -> pd.DataFrame:
        if name not in self._cache:
            with ReuseIndex(self.path, read_only=True) as ix:
                df = ix._run(_frame_sql(name)).df() if ix._has_table(name) else pd.DataFrame()
            for col in ("warnings", "labels", "topics"):  # lists stored as JSON text
                if col in df.columns:
                    df[col] = [json.loads(v) if v else [] for v in df[col]]
            self._cache[name] = conform(df, name)
        return self._cache[name]

    def __repr__(self) -> str:
        return f"IndexFrames({str(self.path)!r})"


for _name in _FRAMES:
    setattr(IndexFrames, _name, property(lambda self, n=_name: self.frame(n)))


def open_index(path: str | Path) -> IndexFrames:
    """The frames of the index at ``path`` (``nlp.open_index``); IndexFileError if it is none."""
    return IndexFrames(path)
