"""The table models of ``templates.json``, compiled once into plain objects.

The national template is data (row/column keys, Chinese labels, aliases, identities); this
module only expands it: a variant may borrow another variant's rows and columns, per-column and
per-row identities are expanded into concrete cell sums, and each printed line is laid out as the
ordered list of cells it holds.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from nlp.model import Table

_PATH = Path(__file__).with_name("templates.json")

CellKey = tuple[str, str]  # (row, column)


def norm_label(text: str) -> str:
    """A label folded for alias matching: NFKC (full-width → half-width), no whitespace, no ``|``."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and ch != "|")


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str
    aliases: tuple[str, ...]
    columns: tuple[str, ...]
    group: str | None = None


@dataclass(frozen=True)
class Line:
    """One printed line of a table: the cells it holds, in print order, and its label aliases."""

    key: str
    index: int
    cells: tuple[CellKey, ...]
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Identity:
    """``sum(lhs) == sum(rhs)`` over concrete cells, e.g. ``results_sum[natural_person]``."""

    id: str
    label: str
    lhs: tuple[CellKey, ...]
    rhs: tuple[CellKey, ...]

    @property
    def cells(self) -> tuple[CellKey, ...]:
        return self.lhs + self.rhs


@dataclass(frozen=True)
class Plausible:
    """A soft ``row.a <= row.b`` used only to break ties between readings of a digit run."""

    row: str
    small: str
    large: str


@dataclass
class Variant:
    table: str
    id: str
    source: str
    detect: tuple[str, ...]
    columns: dict[str, dict]
    rows: list[RowSpec]
    lines: list[Line]
    identities: list[Identity]
    plausible: list[Plausible] = field(default_factory=list)
    digits: dict[str, tuple[int, int]] = field(default_factory=dict)
    tie_break: tuple[str, ...] = ()

    @property
    def cells(self) -> list[CellKey]:
        return [(r.key, c) for r in self.rows for c in r.columns]

    def row(self, key: str) -> RowSpec | None:
        return next((r for r in self.rows if r.key == key), None)


@dataclass
class TableModel:
    id: str
    title: str
    start_markers: tuple[str, ...]
    require: tuple[str, ...]
    variants: list[Variant]


def _rows(raw: list[dict], default_columns: list[str] | None) -> list[RowSpec]:
    return [
        RowSpec(
            key=r["key"],
            label=r["label"],
            aliases=tuple(norm_label(a) for a in r["aliases"]),
            columns=tuple(r.get("columns") or default_columns or ()),
            group=r.get("group"),
        )
        for r in raw
    ]


def _expand(raw: dict, columns: list[str], rows: list[RowSpec]) -> list[Identity]:
    """Per-column or per-row identity templates → concrete cell identities."""
    out: list[Identity] = []
    if raw["over"] == "columns":
        for col in raw.get("columns", columns):
            lhs = tuple((r, col) for r in raw["lhs"])
            rhs = tuple((r, col) for r in raw["rhs"])
            out.append(Identity(f"{raw['id']}[{col}]", raw["label"], lhs, rhs))
    else:
        wanted = raw.get("rows")
        for row in rows:
            if wanted and row.key not in wanted:
                continue
            if not set(raw["lhs"]) | set(raw["rhs"]) <= set(row.columns):
                continue
            lhs = tuple((row.key, c) for c in raw["lhs"])
            rhs = tuple((row.key, c) for c in raw["rhs"])
            out.append(Identity(f"{raw['id']}[{row.key}]", raw["label"], lhs, rhs))
    return out


def _variant(table_id: str, raw: dict, siblings: dict[str, dict]) -> Variant:
    base = siblings.get(raw.get("rows_from", ""), {})
    columns = raw["columns"] if isinstance(raw["columns"], dict) else siblings[raw["columns"]]["columns"]
    row_columns = raw.get("row_columns")
    if isinstance(row_columns, str):
        row_columns = siblings[row_columns]["row_columns"]
    raw_rows = list(raw.get("rows") or base.get("rows") or [])
    drop = set(raw.get("drop_rows", ()))
    added = raw.get("add_rows_after", {})
    merged: list[dict] = []
    for r in raw_rows:
        if r["key"] not in drop:
            merged.append(r)
        merged.extend(added.get(r["key"], ()))
    rows = _rows(merged, row_columns)
    by_key = {r.key: r for r in rows}
    lines: list[Line] = []
    if raw.get("lines"):
        for i, ln in enumerate(raw["lines"]):
            cells = tuple((rk, c) for rk in ln["rows"] for c in by_key[rk].columns)
            lines.append(Line(ln["key"], i, cells, tuple(norm_label(a) for a in ln["aliases"])))
    else:
        for i, r in enumerate(rows):
            lines.append(Line(r.key, i, tuple((r.key, c) for c in r.columns), r.aliases))
    identities = [i for raw_id in raw.get("identities", ()) for i in _expand(raw_id, list(row_columns or columns), rows)]
    plausible = [
        Plausible(row, p["le"][0], p["le"][1]) for p in raw.get("plausible", ()) for row in p["rows"]
    ]
    return Variant(
        table=table_id,
        id=raw["id"],
        source=raw.get("source", ""),
        detect=tuple(norm_label(d) for d in raw.get("detect", ())),
        columns=columns,
        rows=rows,
        lines=lines,
        identities=identities,
        plausible=plausible,
        digits={k: (v[0], v[1]) for k, v in raw.get("digits", {}).items()},
        tie_break=tuple(raw.get("tie_break", ())),
    )


@lru_cache(maxsize=1)
def load_templates() -> dict[str, TableModel]:
    """The three table models (``proactive``, ``requests``, ``review_litigation``), keyed by id."""
    data = json.loads(_PATH.read_text(encoding="utf-8"))
    models: dict[str, TableModel] = {}
    for table_id, raw in data["tables"].items():
        siblings = {v["id"]: v for v in raw["variants"]}
        models[table_id] = TableModel(
            id=table_id,
            title=raw["title"],
            start_markers=tuple(norm_label(m) for m in raw.get("start_markers", ())),
            require=tuple(norm_label(m) for m in raw.get("require", ())),
            variants=[_variant(table_id, v, siblings) for v in raw["variants"]],
        )
    return models


def variant_of(table: Table) -> Variant | None:
    """The template variant a parsed table follows, told from the row keys it holds.

    E.g. a ``requests`` table with an ``other_total`` row follows the 2019 template, whose
    identities differ from the 2021 one. None for an unknown table id.
    """
    model = load_templates().get(table.id)
    if model is None:
        return None
    keys = {(c.row, c.column) for c in table.cells}
    for variant in model.variants:
        if keys and keys <= set(variant.cells):
            return variant
    return model.variants[0]


def identities(table: Table) -> list[Identity]:
    """The concrete identities (勾稽关系) that hold for this table's template variant."""
    variant = variant_of(table)
    return list(variant.identities) if variant else []


def evaluate(table: Table, identity: Identity) -> tuple[float | None, float | None, bool | None]:
    """``(lhs, rhs, holds)`` for one identity on a parsed table.

    A blank published cell (None) counts as 0; a cell the parser could not recover (absent from
    ``table.cells``) makes the identity unassessable: ``(None, None, None)``.
    """
    values = {(c.row, c.column): c.value for c in table.cells}
    if any(k not in values for k in identity.cells):
        return None, None, None
    lhs = sum(values[k] or 0 for k in identity.lhs)
    rhs = sum(values[k] or 0 for k in identity.rhs)
    return lhs, rhs, abs(lhs - rhs) < 1e-6
