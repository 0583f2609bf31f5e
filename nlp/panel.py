"""The panel: one row per report, every measure of it as a column, for Stata, R or pandas.

``panel_frame(reports)`` (and ``Corpus.panel()``, ``govnlp panel``) joins what the other analyses
say about each report into one wide row:

* who and when: ``report_id``, ``path``, ``office_id``, ``office``, ``level``, the division
  names and code, ``year``, ``publication_date``, ``days_after_deadline``;
* every cell of the statistical tables 二, 三 and 四 as ``table.row.column`` (e.g.
  ``requests.new_received.natural_person``), the ids of :mod:`nlp.tables` (``templates.json``);
* ``check.<id>``: PASS / FAIL / NOT_ASSESSABLE of each consistency check (``nlp.tables.checks``);
* ``chars.<section>``: narrative characters of each numbered section;
* ``template_share``, ``regional_model_share``, ``boilerplate_share``, ``self_copy_share`` from
  reuse detection;
* ``problem_count``, ``improvement_count``: statement units of section 五 so labelled.

The columns are fixed (:func:`panel_columns`), whatever the reports hold, so panels of two
batches stack: a table cell of the other template variant, a section the report lacks, a
measure not asked for is null. Counts are nullable integers (``Int64``), shares and amounts
floats, text objects (:func:`panel_schema` says which is which, with units); write it
with ``nlp.dataset.write_frame`` (csv, jsonl, parquet, xlsx), which writes a missing value as
null (strict JSON) or an empty cell.
"""
from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from nlp.model import NUMBERED_SECTIONS, Report
from nlp.progress import track


class PanelWarning(UserWarning):
    """A table cell the panel cannot hold (outside the templates, a fraction in a count)."""


#: Who and when: the first columns of every panel row.
META_COLUMNS = ["report_id", "path", "office_id", "office", "level", "province", "prefecture",
                "county", "township", "division_code", "year", "publication_date",
                "days_after_deadline"]
SHARE_COLUMNS = ["template_share", "regional_model_share", "boilerplate_share", "self_copy_share"]
COUNT_COLUMNS = ["problem_count", "improvement_count"]
#: The section whose statement units are counted: 五 存在的主要问题及改进情况.
COUNTED_SECTION = "problems"
#: Table columns holding money (万元), not counts: the only non-integer cells of the template.
AMOUNT_COLUMNS = ("amount",)


# -- the fixed column set -------------------------------------------------------------------------
@lru_cache(maxsize=1)
def table_columns() -> tuple[str, ...]:
    """``table.row.column`` for every cell of every template variant, in template order.

    The variants are merged row by row: a row or column only one variant has (the 2019
    template's ``other_total`` row, its ``new_made`` column) sits after the one that precedes it
    in that variant, so related cells stay together.
    """
    from nlp.tables.templates import load_templates

    out: list[str] = []
    for model in load_templates().values():
        rows = _merged([[r.key for r in v.rows] for v in model.variants])
        for row in rows:
            specs = [v.row(row) for v in model.variants]
            for col in _merged([list(spec.columns) for spec in specs if spec is not None]):
                out.append(f"{model.id}.{row}.{col}")
    return tuple(out)


def _merged(sequences: list[list[str]]) -> list[str]:
    """The ordered union of ``sequences``: each new item right after its predecessor in its own
    sequence (at the front when it has none)."""
    merged: list[str] = []
    for seq in sequences:
        for k, item in enumerate(seq):
            if item not in merged:
                merged.insert(merged.index(seq[k - 1]) + 1 if k else 0, item)
    return merged


def check_columns() -> list[str]:
    from nlp.tables.checks import CHECK_IDS

    return [f"check.{c}" for c in CHECK_IDS]


def chars_columns() -> list[str]:
    return [f"chars.{s}" for s in NUMBERED_SECTIONS]


def panel_columns() -> list[str]:
    """Every column of the panel, in order: the same for every corpus."""
    return (META_COLUMNS + list(table_columns()) + check_columns() + chars_columns()
            + SHARE_COLUMNS + COUNT_COLUMNS)


def panel_schema() -> list:
    """Every panel column as a :class:`nlp.dataset.schema.Column` (name, type, unit, meaning),
    for ``docs/schema.md``; the frame's dtypes follow it (int → Int64, float → float64)."""
    from nlp.dataset.schema import Column, columns
    from nlp.tables.templates import load_templates

    # Identity, shares and counts mean what they mean in the other frames: one definition.
    known = {c.name: c for frame in ("summary", "shares", "reports") for c in columns(frame)}

    cells: dict[str, tuple[str, str]] = {}  # name -> (meaning, unit)
    for model in load_templates().values():
        for v in model.variants:
            for r in v.rows:
                for c in r.columns:
                    spec = v.columns.get(c, {})
                    cells.setdefault(f"{model.id}.{r.key}.{c}", (
                        f"{model.title}: {r.label} / {spec.get('label', c)}; null when not "
                        "printed", spec.get("unit", "as printed")))
    out = []
    for name in panel_columns():
        if name in known:
            out.append(known[name])
        elif name in cells:
            meaning, unit = cells[name]
            money = name.rsplit(".", 1)[1] in AMOUNT_COLUMNS
            out.append(Column(name, "float" if money else "int", unit if money else "count",
                              meaning))
        elif name.startswith("check."):
            out.append(Column(name, "string", "", f"PASS, FAIL or NOT_ASSESSABLE: check "
                              f"{name[6:]} of nlp.tables.checks"))
        else:
            out.append(Column(name, "int", "characters", f"non-space characters of the narrative "
                              f"sentences of section {name[6:]}; null without the section"))
    return out


#: pandas dtypes of the schema's types. Text stays ``object`` with None for missing: pandas 3
#: would otherwise infer its NaN-holding ``str``, and ``string`` columns that are all null (no
#: township in a county-level corpus) trip the Excel writer's length check.
_DTYPE = {"string": object, "int": "Int64", "float": "float64"}


# -- identity -----------------------------------------------------------------------------------
def report_id(report: Report) -> str:
    """The report's id, as in every frame (``nlp.dataset.schema.report_id``): its content hash,
    so the same file under another path keeps its id."""
    from nlp.dataset.schema import report_id as text_id

    return text_id(report.text)


def office_id(report: Report) -> str | None:
    """The office across years, as in every frame (``nlp.dataset.schema.office_id``): division
    code; ``CODE:NAME`` for a department; else the normalised office name."""
    from nlp.dataset.schema import office_id as schema_office_id

    m = report.meta
    return schema_office_id(m.office, m.level, m.division_code)


def _meta_row(report: Report) -> dict:
    m = report.meta
    return {"report_id": report_id(report), "path": report.path, "office_id": office_id(report),
            "office": m.office, "level": m.level, "province": m.province,
            "prefecture": m.prefecture, "county": m.county, "township": m.township,
            "division_code": m.division_code, "year": m.year,
            "publication_date": m.publication_date, "days_after_deadline": m.days_after_deadline}


# -- per report measures ------------------------------------------------------------------------
def _table_cells(report: Report, known: frozenset[str], left_out: list[str]) -> dict:
    """The parsed cells as ``table.row.column`` → value (None for a blank published cell).

    A cell outside the templates, or a fraction in a count cell (a misprint such as "3.5"
    件), cannot be a panel value: it is left out and named in ``left_out``, never dropped unseen.
    """
    from nlp.tables import tables_of

    out = {}
    for table in tables_of(report):
        for cell in table.cells:
            key, value = f"{table.id}.{cell.row}.{cell.column}", cell.value
            if key not in known:
                left_out.append(f"{report.path}: {key} (not in the templates)")
                continue
            if isinstance(value, float) and cell.column not in AMOUNT_COLUMNS:
                if not value.is_integer():
                    left_out.append(f"{report.path}: {key} = {value} (a fraction in a count)")
                    continue
                value = int(value)
            out[key] = value
    return out


def _checks(report: Report, previous: Report | None) -> dict:
    from nlp.tables.checks import check_report

    return {f"check.{c.id}": c.status for c in check_report(report, previous)}


def section_chars(report: Report) -> dict:
    """``chars.<section>``: non-space characters of the section's narrative sentences (no
    headings, tables or page chrome); null when the report lacks the section. Spaces are left
    out because a PDF's layout text pads lines with them."""
    out: dict[str, int] = {}
    for sec in report.sections:
        if sec.id in NUMBERED_SECTIONS:
            n = sum(len("".join(report.text[s.start:s.end].split()))
                    for s in sec.sentences if s.kind == "text")
            out[f"chars.{sec.id}"] = out.get(f"chars.{sec.id}", 0) + n
    return out


# -- reuse shares ---------------------------------------------------------------------------------
def _resolve_reuse(reports: list[Report], reuse: Any):
    """A ReuseResult over the reports, or None when reuse was declined (``False``)."""
    if reuse is False:
        return None
    if reuse is None or reuse is True:
        if len(reports) < 2:
            return None  # nothing to compare with: the shares stay null
        from nlp.reuse.detect import detect

        return detect(reports)
    return reuse


def reuse_shares(result: Any, reports: list[Report]) -> list[dict]:
    """``template_share``, ``regional_model_share``, ``boilerplate_share`` and ``self_copy_share``
    of each report, in the
    order of ``reports``, from a :class:`~nlp.reuse.detect.ReuseResult` over (a superset of) them:
    the ``all`` row of ``govnlp reuse``'s shares (one rule: ``nlp.reuse.measures.flag_bits``).
    A report that reuse detection did not see, or with no narrative, has nulls.
    """
    from nlp.reuse.measures import flag_shares, flagged_chars

    docs = result.table.docs
    chars = flagged_chars(result, sections=False).set_index("doc")
    chars = chars[chars["narrative"] > 0]  # no narrative: no share
    shares = flag_shares(chars, [k[:-len("_share")] for k in SHARE_COLUMNS]).to_dict("index")
    doc_of = _doc_ids(docs)
    rows = []
    for pos, r in enumerate(reports):
        d = _doc_of(pos, r, docs, doc_of)
        found = shares.get(d) if d is not None else None  # None: not seen by detection
        rows.append(dict(found) if found is not None else {k: None for k in SHARE_COLUMNS})
    return rows


def _doc_of(k: int, report: Report, docs, doc_of: dict[str, int]) -> int | None:
    """The reuse doc of the ``k``-th report: the same position when detection ran on these very
    reports (a report without a path is ``<report k>`` there), else found by path."""
    if k < len(docs) and docs[k].path == (report.path or f"<report {k}>"):
        return k
    if not report.path:
        return None
    found = doc_of.get(report.path)
    return found if found is not None else doc_of.get(str(Path(report.path).resolve()))


def _doc_ids(docs) -> dict[str, int]:
    """Reuse doc id by path as detection saw it and by resolved path (first one wins)."""
    out: dict[str, int] = {}
    for doc in docs:
        out.setdefault(doc.path, doc.id)
        if not doc.path.startswith("<"):
            out.setdefault(str(Path(doc.path).resolve()), doc.id)
    return out


# -- statement counts -----------------------------------------------------------------------------
def _resolve_classifier(classifier: Any):
    if classifier is False:
        return None
    if classifier is None or classifier is True:
        from nlp.classify.model import StatementClassifier

        return StatementClassifier.load()
    return classifier


def statement_counts(reports: list[Report], classifier: Any, progress: bool = True
                     ) -> list[dict]:
    """``problem_count`` and ``improvement_count`` of each report: statement units of section 五
    that the classifier labels so, read in context (a unit may be both). Null without section 五."""
    from nlp.classify.units import statement_units

    rows = []
    pairs = list(zip(reports, [statement_units(r, (COUNTED_SECTION,))
                               if r.section(COUNTED_SECTION) else None for r in reports]))
    for r, us in (track(pairs, "Classifying statements", threshold=2) if progress else pairs):
        if us is None:
            rows.append({k: None for k in COUNT_COLUMNS})
            continue
        mine = _labels(classifier, r, us) if us else []
        rows.append({"problem_count": sum("problem" in s for s in mine),
                     "improvement_count": sum("improvement" in s for s in mine)})
    return rows


def _labels(classifier: Any, report: Report, units: list) -> list[set[str]]:
    """Labels of a report's units, read in their context when the classifier can
    (``StatementClassifier.predict_units``), else one by one with their section."""
    if hasattr(classifier, "predict_units"):
        return classifier.predict_units(report, units)
    return classifier.predict([u.text for u in units], sections=[u.section for u in units])


# -- the frame ------------------------------------------------------------------------------------
def panel_frame(reports: Iterable[Report], reuse: Any = None, classifier: Any = None,
                progress: bool = True) -> pd.DataFrame:
    """One row per report, the columns of :func:`panel_columns`.

    * ``reuse``: a :class:`~nlp.reuse.detect.ReuseResult` over (a superset of) these reports;
      None or True detects reuse among them here; False leaves the shares null.
    * ``classifier``: an object with ``predict(texts, sections=...) -> list[set[str]]`` (e.g.
      :class:`nlp.classify.StatementClassifier`); None or True loads the shipped one; False
      leaves the counts null.
    * ``progress``: a rich progress bar on stderr for the slow parts (many reports).

    Same-office reports are paired across years for the checks against last year's table.
    """
    from nlp.tables.checks import previous_reports

    reports = list(reports)
    columns = panel_columns()
    known, left_out = frozenset(table_columns()), []
    previous = previous_reports(reports)
    rows = []
    for r, prev in zip(reports, track(previous, "Tables and checks") if progress else previous):
        rows.append({**_meta_row(r), **_table_cells(r, known, left_out), **_checks(r, prev),
                     **section_chars(r)})
    for line in left_out:
        warnings.warn(f"panel: table cell left out: {line}", PanelWarning, stacklevel=2)
    result = _resolve_reuse(reports, reuse)
    if result is not None:
        for row, shares in zip(rows, reuse_shares(result, reports)):
            row.update(shares)
    clf = _resolve_classifier(classifier)
    if clf is not None and reports:
        for row, counts in zip(rows, statement_counts(reports, clf, progress)):
            row.update(counts)
    return typed(pd.DataFrame(rows, columns=columns))


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The panel's dtypes (:func:`panel_schema`): ``Int64`` counts, ``float64`` shares and money,
    text as objects; every writer of ``nlp.dataset.write`` turns a missing value into null."""
    dtypes = {c.name: _DTYPE[c.type] for c in panel_schema()}
    columns = {}
    for col in frame.columns:
        values = [None if v is None or v != v else v for v in frame[col].tolist()]  # NaN: None
        columns[col] = pd.Series(values, index=frame.index, dtype=dtypes.get(col, object))
    return pd.DataFrame(columns, index=frame.index)
