"""The national template as data: the text every report carries because the format requires it.

Three sources, each entry with its provenance (which format, which clause):

* the stock sentences of the official format and its common national variants
  (``data/national_template.tsv``: 本报告根据《条例》…编制, 统计期限…, 电子版可在…下载, 如对本报告
  有疑问…);
* the six section headings, read from the segmenter's rules (``nlp/segment/rules.tsv``, strong and
  weak wordings), so a heading run into the text ("五、存在的主要问题及改进情况。") is template;
* the table labels of each format (``nlp/tables/templates.json``: 2019-2020 and 2021 on; the
  pre-2019 statistics table's labels are in the tsv): a sentence made mostly of them is a table
  flattened into text.

Nothing else is template by rule: text a county's towns share is a regional model, not the
national template (``families.py``). Sentences are matched with whitespace removed, names and
numbers left in (the patterns leave them free), as ``mask.py`` leaves matching to the detector.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

#: A sentence is a flattened table when table labels cover at least this share of its characters
#: once digits, punctuation and enumerators are removed. 平潭's flattened 2014-2018 tables are
#: 0.7-0.9 labels; a narrative statistics sentence ("共受理申请12件，其中予以公开8件") stays under 0.4.
TABLE_LABEL_COVER = 0.6
#: … and holds at least this many distinct labels (one label is a word, not a table).
TABLE_LABEL_MIN = 3
#: Labels shorter than this are words in any sentence (规章, 维持): they count only with others.
LABEL_MIN_CHARS = 2
_SECTIONS = ("overview", "proactive", "requests", "fees", "review_litigation", "problems", "other")
_NUMERAL = r"(?:[一二三四五六七八九十]{1,2}[、.．]|[（(][一二三四五六七八九十]{1,2}[)）]|\d{1,2}[、.．])?"
_NOISE = re.compile(r"[\d\s,，。.、;；:：()（）\-—%％]+")


@dataclass(frozen=True)
class Entry:
    pattern: str
    format: str
    provenance: str


def _tsv_entries() -> list[Entry]:
    raw = resources.files("nlp.reuse").joinpath("data/national_template.tsv").read_text("utf-8")
    rows = [l for l in raw.splitlines() if l.strip() and not l.startswith("#")]
    return [Entry(*r[:3]) for r in csv.reader(rows, delimiter="\t", quoting=csv.QUOTE_NONE)]


def _heading_entries() -> list[Entry]:
    """The six headings as the segmenter knows them, anchored: the sentence is the heading."""
    path = Path(resources.files("nlp.segment").joinpath("rules.tsv"))
    out = []
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("#") or len(parts) != 4 or parts[0] not in _SECTIONS:
            continue
        out.append(Entry(f"^{_NUMERAL}(?:{parts[3]})[。.:：]?$", "all",
                         f"heading {parts[0]} ({parts[1]}, nlp/segment/rules.tsv)"))
    return out


@lru_cache(maxsize=1)
def table_labels() -> dict[str, str]:
    """Every table label and alias of every format → its provenance (table, format)."""
    path = Path(resources.files("nlp.tables").joinpath("templates.json"))
    out: dict[str, str] = {}
    for table_id, table in json.loads(path.read_text("utf-8"))["tables"].items():
        for var in table["variants"]:
            where = f"table {table_id}, format {var['id']} (nlp/tables/templates.json)"
            cols, rows = var.get("columns"), var.get("rows")  # a variant may name a sibling's
            items = (list(cols.values()) if isinstance(cols, dict) else []) + \
                (rows if isinstance(rows, list) else [])
            for item in items:
                for label in [item.get("label", ""), *item.get("aliases", [])]:
                    label = _NOISE.sub("", label).lstrip("一二三四五六七八九十")
                    if len(label) >= LABEL_MIN_CHARS:
                        out.setdefault(label, where)
    return out


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    """Every pattern of the national template with its provenance."""
    return tuple(_tsv_entries() + _heading_entries())


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern, Entry]]:
    return [(re.compile(e.pattern), e) for e in entries()]


@lru_cache(maxsize=1)
def _labels_re() -> re.Pattern:
    return re.compile("|".join(map(re.escape, sorted(table_labels(), key=len, reverse=True))))


def provenance(sentence: str) -> str | None:
    """Which clause of the national template ``sentence`` is, or None when it is none."""
    s = "".join(sentence.split())
    for pattern, entry in _compiled():
        if pattern.search(s):
            return f"{entry.provenance} [{entry.format}]"
    core = _NOISE.sub("", s)
    hits = list(_labels_re().finditer(core))
    if core and len({m[0] for m in hits}) >= TABLE_LABEL_MIN and \
            sum(len(m[0]) for m in hits) >= TABLE_LABEL_COVER * len(core):
        return table_labels()[hits[0][0]]
    return None


def is_national(sentence: str) -> bool:
    """Whether ``sentence`` is text of the national template (a stock sentence, a heading, a
    flattened table)."""
    return provenance(sentence) is not None
