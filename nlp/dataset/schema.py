"""The one schema of every frame govnlp returns and every file it writes.

Each frame is a list of :class:`Column` (name, type, unit, meaning). The frames conform to it
(:func:`conform` orders the columns and fixes their dtypes), the writers encode its types the same
way in every format (``write.py``), ``docs/schema.md`` is generated from it
(:func:`schema_markdown`), and a test checks all three against the frames' real columns.

Types, and how each format holds them:

* ``string``: pandas ``string``; missing is null (empty cell in CSV/Excel).
* ``int``: pandas nullable ``Int64``, so a year is 2023 and never 2023.0; missing is null.
* ``float``: ``float64``; missing is NaN in pandas and null in every file (strict JSON); a
  whole number is written as one in CSV and JSON lines (68, not 68.0).
* ``bool``: pandas nullable ``boolean``.
* ``list``: a list of strings; a JSON array in JSON lines, a native list in Parquet, the items
  joined by ``;`` in CSV and Excel (:data:`LIST_SEP`). An empty list is ``[]`` / an empty cell.

Identity, shared by every frame (see :func:`report_id` and :func:`office_id`):

* ``report_id``: the first 16 hex digits of the SHA-256 of the report's decoded text (UTF-8), so
  the same report read from another path, or copied to another folder, keeps its id.
* ``office_id``: the office's 6- or 9-digit division code for a government; a department, which
  shares its government's code, gets ``CODE:NAME``; without a code, the normalised office name
  (NFKC, whitespace removed).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from nlp.model import LEVELS

TYPES = ("string", "int", "float", "bool", "list")
#: How a list cell is joined in CSV and Excel (no report text we list holds a ``;``: office ids,
#: keywords, labels, topics, warnings are cleaned of it by :func:`list_cell`).
LIST_SEP = ";"
#: Hex digits of the SHA-256 kept as ``report_id``: 64 bits, no collision expected below ~10^9
#: reports (birthday bound), still short enough to read.
REPORT_ID_HEX = 16


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    unit: str
    meaning: str


def _c(name: str, type_: str, unit: str, meaning: str) -> Column:
    assert type_ in TYPES, type_
    return Column(name, type_, unit, meaning)


# -- identity --------------------------------------------------------------------------------------
def report_id(text: str) -> str:
    """The report's id: SHA-256 of its decoded text, first :data:`REPORT_ID_HEX` hex digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:REPORT_ID_HEX]


def _norm(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


#: A government is its place: "平潭综合实验区管委会" and "平潭综合实验区" (the same office writing
#: its name two ways in two years) get one id when the list has no code for it.
_GOVERNMENT_SUFFIX = re.compile(r"(?<=街道)办事处$|(?:人民政府|政府|管委会|管理委员会|行政公署|办事处)$")


def office_id(office: str | None, level: str | None, division_code: str | None) -> str | None:
    """Division code of a government; ``CODE:NAME`` for a department; else the normalised name
    (a government's without 人民政府/管委会/…)."""
    if division_code:
        return f"{division_code}:{_norm(office)}" if level == "部门" and office else division_code
    if not office:
        return None
    name = _norm(office)
    return name if level == "部门" else (_GOVERNMENT_SUFFIX.sub("", name) or name)


def level_value(level: str | None) -> str | None:
    """``level`` in the one vocabulary :data:`nlp.model.LEVELS` (a manifest's ``department`` → 部门);
    anything else is an error, never written."""
    from nlp.corpus import LEVEL_ALIASES

    if level is None or level == "":
        return None
    level = LEVEL_ALIASES.get(level, level)
    if level not in LEVELS:
        raise ValueError(f"level {level!r} is not one of {' '.join(LEVELS)}")
    return level


# -- the frames --------------------------------------------------------------------------------------
def _key(prefix: str = "", who: str = "the report") -> list[Column]:
    return [_c(f"{prefix}report_id", "string", "",
               f"id of {who}: SHA-256 of its text, 16 hex digits"),
            _c(f"{prefix}path", "string", "", f"file {who} was read from"),
            _c(f"{prefix}office", "string", "",
               f"office that wrote {who} (人民政府 / department name)"),
            _c(f"{prefix}office_id", "string", "",
               "division code; CODE:NAME for a department; else the normalised name (a government's without 人民政府/管委会)"),
            _c(f"{prefix}level", "string", "", "省 市 区 县 镇 乡 街道 or 部门"),
            _c(f"{prefix}year", "int", "year", "the year reported on (not the year of writing)")]


_REGION = _c("region", "string", "",
             "the place above the office (a town's county, a department's government)")
#: The columns every per-report row starts with.
KEY = _key()[:5] + [_REGION] + _key()[5:]
KEY_NAMES = [c.name for c in KEY]


def _span(what: str) -> list[Column]:
    return [_c("start", "int", "characters",
               f"offset of the {what}'s first character in the report text"),
            _c("end", "int", "characters", f"offset just after the {what}'s last character")]


_SECTION = _c("section", "string", "",
              "section id (nlp.model.SECTION_IDS: overview, active, requests, …)")


def _statement_probabilities() -> list[Column]:
    from nlp.classify.weak import LABELS, TOPICS

    return [_c(f"p_{k}", "float", "probability",
               f"classifier probability of {'label' if k in LABELS else 'topic'} {k}")
            for k in LABELS + TOPICS]


def _frames() -> dict[str, tuple[str, list[Column]]]:
    shares = "share of the report's (section's) narrative characters"
    return {
        "reports": ("one row per report (`reports_frame`)", [
            _c("report_id", "string", "", "SHA-256 of the report's text, 16 hex digits"),
            _c("path", "string", "", "file the report was read from"),
            _c("office", "string", "", "office that wrote the report"),
            _c("office_short", "string", "", "the office's short name (杜市镇)"),
            _c("office_id", "string", "",
               "division code; CODE:NAME for a department; else the normalised name (a government's without 人民政府/管委会)"),
            _c("level", "string", "", "省 市 区 县 镇 乡 街道 or 部门"),
            _c("region", "string", "", "the place above the office"),
            _c("year", "int", "year", "the year reported on"),
            _c("date", "string", "ISO date", "date under the signature (落款)"),
            _c("publication_date", "string", "ISO date", "page's publication date, else the 落款's"),
            _c("days_after_deadline", "int", "days",
               "publication date minus 31 January of year+1 (negative: early)"),
            _c("division_code", "string", "",
               "official division code (6 digits, 9 at township level)"),
            _c("province", "string", "", "province of the division"),
            _c("prefecture", "string", "", "prefecture-level division"),
            _c("county", "string", "", "county-level division"),
            _c("township", "string", "", "township-level division"),
            _c("phone", "string", "", "contact phone in the report"),
            _c("email", "string", "", "contact e-mail in the report"),
            _c("postcode", "string", "", "postcode in the report"),
            _c("format", "string", "", "file format read (txt, html, pdf, docx …)"),
            _c("encoding", "string", "", "text encoding of the file, when it had one"),
            _c("chars", "int", "characters", "length of the decoded text"),
            _c("sections", "int", "count", "sections found"),
            _c("warnings", "list", "", "what reading and segmenting noticed"),
        ]),
        "sections": ("one row per section (`sections_frame`, `govnlp segment`)", KEY + [
            _SECTION,
            _c("number", "string", "", "the heading's numeral (一 … 六)"),
            _c("title", "string", "", "the heading's text"),
            *_span("section"),
            _c("recovered", "bool", "",
               "true when the heading was missing and the section inferred"),
            _c("parts", "int", "count", "parts ((一)…) in the section"),
            _c("items", "int", "count", "enumerated items (一是…) in the section"),
            _c("sentences", "int", "count", "narrative sentences in the section"),
            _c("text", "string", "", "the section's text"),
        ]),
        "parts": ("one row per part (一)… (`parts_frame`)", KEY + [
            _SECTION,
            _c("marker", "string", "", "the part's marker ((一))"),
            _c("title", "string", "", "the part's heading"),
            *_span("part"),
            _c("items", "int", "count", "enumerated items in the part"),
        ]),
        "items": ("one row per enumerated item 一是… (`items_frame`)", KEY + [
            _SECTION,
            _c("part", "string", "", "title of the part holding the item"),
            _c("marker", "string", "", "the item's marker (一是, 1.)"),
            _c("index", "int", "ordinal", "the item's number in its list"),
            *_span("item"),
            _c("text", "string", "", "the item's text"),
        ]),
        "sentences": ("one row per sentence (`sentences_frame`)", KEY + [
            _SECTION,
            _c("index", "int", "ordinal", "position of the sentence in its section, from 0"),
            _c("kind", "string", "", "text, heading, table or chrome"),
            *_span("sentence"),
            _c("text", "string", "", "the sentence"),
        ]),
        "cells": ("one row per table cell (`tables_frame`, `govnlp tables`)", KEY + [
            _c("table", "string", "", "table id (proactive, requests, review_litigation)"),
            _c("row", "string", "", "row id of the national template"),
            _c("column", "string", "", "column id of the national template"),
            _c("value", "float", "as published (items, cases; 万元 for fees)",
               "the cell's number (fees may have decimals); null for a blank cell"),
        ]),
        "checks": ("one row per consistency check (`checks_frame`, `govnlp check`)", KEY + [
            _c("check", "string", "", "check id"),
            _c("status", "string", "", "PASS, FAIL or NOT_ASSESSABLE"),
            _c("message", "string", "", "what was found"),
            _c("evidence", "string", "JSON",
               "the numbers behind the status, a JSON object as text"),
        ]),
        "statements": ("one row per statement unit of section 五 (`statements_frame`, `govnlp classify`)", KEY + [
            _SECTION, *_span("unit"),
            _c("text", "string", "", "the statement unit"),
            _c("labels", "list", "", "problem and/or improvement"),
            _c("topics", "list", "", "topics of the unit"),
            *_statement_probabilities(),
        ]),
        "summary": ("one row per report and section (`summary_frame`, `govnlp summarize`)", KEY + [
            _SECTION,
            _c("summary", "string", "", "extractive summary (TextRank), in report order"),
            _c("keywords", "list", "", "keywords, best first"),
            _c("n_sentences", "int", "count", "narrative sentences in the section"),
            _c("problem_count", "int", "count",
               "units labelled problem (null without a classifier)"),
            _c("improvement_count", "int", "count",
               "units labelled improvement (null without a classifier)"),
            _c("boilerplate_share", "float", "share 0–1",
               f"{shares} in template, regional_model or cross_office passages (null without reuse)"),
            _c("key_figures", "list", "", "numbers with units from the narrative, as '主动公开 68条'"),
        ]),
        "passages": ("one row per aligned passage (`passages_frame`, `govnlp reuse`); a = the source", [
            *(c for side, who in (("a", "the source"), ("b", "the copy")) for c in [
                *_key(f"{side}_", f"{who}'s report")[:4],
                _c(f"{side}_level", "string", "", f"level of {who}'s office"),
                _c(f"{side}_year", "int", "year", f"year of {who}'s report"),
                _c(f"{side}_section", "string", "", f"section id of {who}'s first sentence"),
                _c(f"{side}_start", "int", "characters",
                   f"offset of the passage in {who}'s report"),
                _c(f"{side}_end", "int", "characters",
                   f"end offset of the passage in {who}'s report"),
                _c(f"{side}_text", "string", "", f"the passage in {who}'s report")]),
            _c("similarity", "float", "0–1",
               "rapidfuzz similarity of the masked sentences, mean over the passage"),
            _c("kind", "string", "", "exact, near or semantic"),
            _c("layer", "string", "", "of most of its text: template (the national "
               "template), regional_model (a county's or city's model text), cross_office or self_copy"),
            _c("family", "int", "id", "template family of the passage's first sentence"),
        ]),
        "families": ("one row per template family (`families_frame`)", [
            _c("family", "int", "id", "family id"),
            _c("layer", "string", "", "by spread: template (national template text, or learned), "
               "self_copy (one office), regional_model (many offices of one county or city), "
               "cross_office"),
            _c("size", "int", "reports", "reports holding a member sentence"),
            _c("sentences", "int", "count", "member sentences"),
            _c("offices", "int", "count", "offices among the member reports"),
            _c("areas", "int", "count", "provinces (else prefectures or cities) the offices span"),
            _c("region", "string", "", "county or city of a regional_model family (else null)"),
            _c("learned", "bool", "", "template by its spread in this corpus, not by the national "
               "template's list (listed in template_learned.txt)"),
            _c("source_report_id", "string", "",
               "report id of the likely source (earliest, then higher level; of a regional "
               "model the highest level, then earliest)"),
            _c("source_path", "string", "", "file of the source"),
            _c("source_office", "string", "", "office of the source"),
            _c("source_office_id", "string", "", "office id of the source"),
            _c("source_level", "string", "", "level of the source"),
            _c("source_year", "int", "year", "year of the source"),
            _c("links_in_region", "float", "share 0–1",
               "share of cross-office links inside one region"),
            _c("canonical", "string", "", "the source's member sentence"),
            _c("members", "list", "", "report ids of the member reports"),
        ]),
        "leaks": ("one row per leak: copied text naming another office (`leaks_frame`)", KEY + [
            *_span("leak"),
            _c("text", "string", "", "the leaking words (我街道, 南乡镇)"),
            _c("type", "string", "", "wrong_level or other_office"),
            _c("family", "int", "id", "family of the passage holding it"),
            _c("source_report_id", "string", "",
               "report id of the inferred source (null: this is the source side)"),
            _c("source_office", "string", "", "office of the inferred source"),
            _c("source_office_id", "string", "", "office id of the inferred source"),
        ]),
        "shares": ("one row per report and section, plus section `all` (`ReuseResult.reports_frame`)", KEY + [
            _c("section", "string", "", "section id, or all for the whole report"),
            _c("narrative_chars", "int", "characters",
               "narrative characters (sentences of 12+ masked characters)"),
            _c("template_share", "float", "share 0–1",
               f"{shares} in template-layer passages (the national template)"),
            _c("regional_model_share", "float", "share 0–1",
               f"{shares} in regional_model passages, in reports other than the model's source"),
            _c("cross_office_share", "float", "share 0–1",
               f"{shares} this report copied from another office (copy side of cross_office passages)"),
            _c("boilerplate_share", "float", "share 0–1",
               f"{shares} in template, regional_model or cross_office passages, either side: "
               "text not the office's own"),
            _c("self_copy_share", "float", "share 0–1",
               f"{shares} found in the same office's earlier reports"),
            _c("top_sources", "list", "",
               "office ids this report copied most characters from, most first, at most 3 (section all only)"),
        ]),
        **_history_frames(),
        **_topic_frames(),
    }


def _topic_frames() -> dict[str, tuple[str, list[Column]]]:
    """The frames of ``nlp.topics`` (``TopicResult``, ``govnlp topics``)."""
    unit = [_c("path", "string", "", "file the report was read from"),
            _c("office", "string", "", "office name as the report gives it"),
            _c("level", "string", "", "镇 乡 街道 县 区 市 部门 (null: not known)"),
            _REGION, _c("year", "int", "year", "report year"), _SECTION,
            _c("start", "int", "characters", "offset of the unit in the report text"),
            _c("end", "int", "characters", "end offset of the unit"),
            _c("kind", "string", "", "item or sentence"), _c("text", "string", "", "the unit's text")]
    return {
        "topics": ("one row per topic (`TopicResult.topics`, `topics.csv`)", [
            _c("topic", "int", "", "topic number, 0 = the most units"),
            _c("label", "string", "", "short automatic name: the first three top words joined by ·"),
            _c("words", "string", "", "the ten top words, space-separated"),
            _c("coherence", "float", "NPMI −1…1", "mean NPMI of the top-word pairs in the fitted units"),
            _c("documents", "int", "count", "units whose dominant topic it is"),
            _c("share", "float", "share 0–1", "share of all units' topic weight")]),
        "topic_documents": ("one row per statement unit (`TopicResult.documents`, `documents.csv`)", unit + [
            _c("statement", "string", "", "problem, improvement or other (null: not classified)"),
            _c("topic", "int", "", "dominant topic (−1: no vocabulary word)"),
            _c("weight", "float", "share 0–1", "share of the dominant topic")]),
        "topic_year_counts": ("one row per year (`TopicResult.counts`, `year_counts.csv`): the n behind the shares", [
            _c("year", "int", "year", "report year"),
            _c("reports", "int", "count", "reports of that year"),
            _c("units", "int", "count", "statement units of that year"),
            _c("assigned", "int", "count", "units with a topic"),
            _c("enough", "bool", "", "assigned ≥ MIN_UNITS (10): a share worth reading; plots grey the rest")]),
    }


def _history_frames() -> dict[str, tuple[str, list[Column]]]:
    """The frames of ``nlp.history`` (``govnlp history``): each report against the same office's
    latest earlier report."""
    ids = [c for c in _key() if c.name != "level"] + [
        _c("previous_report_id", "string", "",
           "id of the same office's latest earlier report (null: none in the corpus)"),
        _c("previous_year", "int", "year", "year of that report")]

    def spans(prefix: str, who: str) -> list[Column]:
        return [_c(f"{prefix}section", "string", "", f"section id of {who}"),
                _c(f"{prefix}start", "int", "characters", f"offset of {who}"),
                _c(f"{prefix}end", "int", "characters", f"end offset of {who}"),
                _c(f"{prefix}text", "string", "", f"{who}")]

    return {
        "history": ("one row per report and section, plus section `all` (`history_frame`, `govnlp history`)", ids + [
            _c("section", "string", "", "section id, or all for the whole report"),
            _c("narrative_chars", "int", "characters",
               "narrative characters (sentences of 12+ masked characters); null without a previous report"),
            _c("carried_over_share", "float", "share 0–1",
               "share of the narrative characters aligned by reuse detection with the previous report (verbatim, edited, names swapped, paraphrased)"),
            _c("near_identical", "bool", "",
               "carried_over_share ≥ 0.75 (section all only; null on section rows)"),
            _c("changed_numbers", "int", "count",
               "figures at the same place in both years with another value: numbers of aligned sentences after the same words, and table cells"),
            _c("changed_figures", "list", "", "each changed figure as 'WHAT: PREVIOUS → CURRENT' (WHAT: table.row.column, or the words before the number)"),
            _c("repeated_problems", "int", "count",
               "problem statements the previous report already named (null without a classifier)"),
            _c("promised_improvements", "int", "count",
               "improvements the previous report promised (section all only)"),
            _c("promised_improvements_reported", "int", "count",
               "of them, reported done by a sentence of this report (counted in the evidence's section)"),
        ]),
        "repeated_problems": ("one row per problem statement the previous report already named (`repeated_problems.jsonl`)", ids + [
            *spans("", "the problem statement"), *spans("previous_", "the previous report's problem statement"),
            _c("similarity", "float", "0–1",
               "reuse match similarity (aligned) or centred embedding cosine (embedding)"),
            _c("match", "string", "", "exact, near, semantic (reuse alignment) or embedding"),
        ]),
        "improvements": ("one row per improvement the previous report promised (`improvements.jsonl`)", ids + [
            *spans("promise_", "the promise in the previous report"),
            _c("reported", "bool", "", "true when a sentence of this report says it was done"),
            _c("similarity", "float", "cosine",
               "centred embedding cosine of the best candidate sentence, reported or not"),
            *spans("evidence_", "the evidence sentence in this report (null: not reported)"),
        ]),
    }


_CACHE: dict = {}


def frames() -> dict[str, tuple[str, list[Column]]]:
    """Every frame: name → (what one row is, columns)."""
    if not _CACHE:
        _CACHE.update(_frames())
    return _CACHE


def columns(frame: str) -> list[Column]:
    return frames()[frame][1]


def names(frame: str) -> list[str]:
    return [c.name for c in columns(frame)]


_DTYPE = {"string": "string", "int": "Int64", "float": "float64", "bool": "boolean"}


def list_cell(value) -> list[str]:
    """A list cell as a list of strings: None/NaN → [], a ``;``-joined string split, items as text."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        return [v for v in value.split(LIST_SEP) if v] if value else []
    return [str(v).replace(LIST_SEP, ",") for v in value]


def conform(frame, name: str):
    """``frame`` with exactly the columns of schema ``name``, in order, with their dtypes.

    Missing columns or extra ones are an error (the frame and its schema must agree); ``level``
    must be in ``LEVELS``.
    """
    import pandas as pd

    cols = columns(name)
    want = [c.name for c in cols]
    if list(frame.columns) != want:
        if len(frame) == 0 and len(frame.columns) == 0:
            frame = pd.DataFrame(columns=want)
        elif set(frame.columns) != set(want):
            raise ValueError(f"frame {name}: columns {sorted(set(frame.columns) ^ set(want))} "
                             "differ from nlp/dataset/schema.py")
        frame = frame[want]
    out = {}
    for c in cols:
        s = frame[c.name]
        if c.type == "list":
            out[c.name] = pd.Series([list_cell(v) for v in s], index=frame.index, dtype=object)
            continue
        if c.name.endswith("level"):
            s = s.map(level_value, na_action="ignore")
        if c.type == "int" and s.dtype == object:
            s = pd.to_numeric(s)
        out[c.name] = s.astype(_DTYPE[c.type])
    return pd.DataFrame(out, index=frame.index, columns=want).reset_index(drop=True)


def schema_markdown() -> str:
    """``docs/schema.md``: every column of every frame, generated from this module."""
    lines = ["# The columns of every frame and file", "",
             "Generated from `nlp/dataset/schema.py` (`python -m nlp.dataset > docs/schema.md`);",
             "a test checks it against that module and the frames' real columns.", "",
             "Every file a command writes has exactly the columns of its frame, in every format",
             "(`--format csv|jsonl|parquet|xlsx`). Types:", "",
             "- `string`: text; missing is `null` in JSON lines, an empty cell in CSV and Excel (where",
             "  an empty text reads back as missing).",
             "- `int`: an integer (pandas `Int64`); a year is `2023`, never `2023.0`; missing is `null`.",
             "- `float`: a number; missing is `null` in every file (strict JSON, never `NaN`); a whole",
             "  number is written as one in CSV and JSON lines (a table cell is `68`, not `68.0`).",
             "- `bool`: `true`/`false`.",
             "- `list`: a list of strings: a JSON array in JSON lines, a native list in Parquet,",
             f"  the items joined by `{LIST_SEP}` in CSV and Excel.", "",
             "Identity:", "",
             f"- `report_id`: the first {REPORT_ID_HEX} hex digits of the SHA-256 of the report's decoded",
             "  text (UTF-8): the same report under another path keeps its id.",
             "- `office_id`: the government's division code (6 digits, 9 at township level); a department,",
             "  which carries its government's code, is `CODE:NAME`; without a code, the office name",
             "  (NFKC, whitespace removed).",
             f"- `level`: one of {' '.join(LEVELS)}.", "",
             "Shares (reuse detection) are shares of a report's narrative characters: its `text`",
             "sentences of at least 12 characters once masked. A copy is directed: the source of a",
             "passage is the earlier report, then the higher level, then the first path.", ""]
    for name, (what, cols) in frames().items():
        lines += [f"## {name}", "", what[0].upper() + what[1:] + ".", "",
                  "| column | type | unit | meaning |", "|---|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {c.unit} | {c.meaning.replace('|', '/')} |" for c in cols]
        lines.append("")
    from nlp.panel import panel_schema  # the panel's columns follow the table templates

    lines += ["## panel", "", "One row per report (`govnlp panel`, `Corpus.panel()`): identity, every "
              "table cell as a column (`table.row.column`), check results, section lengths, reuse "
              "shares and statement counts.", "",
              "| column | type | unit | meaning |", "|---|---|---|---|"]
    lines += [f"| `{c.name}` | {c.type} | {c.unit} | {c.meaning.replace('|', '/')} |"
              for c in panel_schema()]
    lines.append("")
    return "\n".join(lines)


