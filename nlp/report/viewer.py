"""The reuse viewer at any scale: a small page that loads the reports it shows, one by one.

``write_viewer(result, outdir)`` writes ``viewer.html`` and a ``viewer/`` folder beside it:

- ``viewer/index.js``: every report's name (office and year), every pair of reports that share
  text (with its layers, sections, families and shared characters) and the families, packed
  as arrays; about 300 bytes a report, so 10,000 reports open in a couple of seconds;
- ``viewer/docs/N.js``: one report's text and its marked spans, loaded when a pair shows it;
- ``viewer/font.css``: the Noto CJK face cut to the corpus's characters (``nlp.report.fonts``).

Data files are scripts that call ``GOVNLP_VIEWER.index(…)`` / ``.doc(N, …)``, not JSON to
``fetch``: browsers refuse ``fetch`` on ``file://`` pages, and a researcher opens the page from
disk. Every ``<`` in the data is written ``\\u003c``, and the page inserts report text as text
nodes, so no report (``<!--<script>``, ``</script>``, ``<img onerror>``) can run or hide markup.
Links name reports by office and year: ``viewer.html#pair=杜市镇-2021,董家镇-2020``.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from nlp.report.fonts import font_face_css
from nlp.report.viewer_page import page

if TYPE_CHECKING:  # pragma: no cover
    from nlp.reuse.detect import ReuseResult

VIEWER = "viewer.html"
DATA_DIR = "viewer"
#: Families listed in a pair's row of the index (a template pair can share dozens).
PAIR_FAMILIES = 8
#: Characters of a family's canonical sentence kept in the index (the full text is in families.*).
CANONICAL_CHARS = 80


def js_call(function: str, *args) -> str:
    """``function(args…);`` with the args as JSON that no ``<`` can break out of."""
    body = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in args)
    body = body.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"{function}({body});\n"


def doc_keys(result: "ReuseResult") -> list[str]:
    """A readable, unique name per report: short office name and year (``杜市镇-2021``); a
    second report with the same name gets ``~2``."""
    seen: dict[str, int] = defaultdict(int)
    out = []
    for d, doc in enumerate(result.table.docs):
        name = doc.office_short or doc.office or Path(doc.path).stem
        base = f"{name}-{doc.year}" if doc.year else name
        base = base.replace(",", "，").replace("&", "＆").replace("#", "＃")
        seen[base] += 1
        out.append(base if seen[base] == 1 else f"{base}~{seen[base]}")
    return out


def viewer_data(result: "ReuseResult") -> tuple[dict, Iterator[tuple[int, dict]]]:
    """The packed index and, per report that shares text, its text and marked spans (made as
    they are iterated: every text at once would be a copy of the corpus).

    A span is ``[start, end, other report, layer index, family]``; a pair row is
    ``[a, b, characters, layer bits, section bits, [families…]]`` with ``a`` the source side,
    sorted by characters shared, most first.
    """
    t = result.table
    layers: list[str] = []
    sections: list[str] = []

    def index_of(values: list[str], v: str) -> int:
        if v not in values:
            values.append(v)
        return values.index(v)

    spans: dict[int, list[list]] = defaultdict(list)
    pairs: dict[tuple[int, int], list] = {}
    for p in result.passages:
        layer = index_of(layers, result.passage_layer(p))
        family = result.family_of[p.pairs[0].i]
        src, copy, sspan, cspan = result.oriented(p)
        first = {p.a: p.pairs[0].i, p.b: p.pairs[0].j}
        spans[src].append([*sspan, copy, layer, family])
        spans[copy].append([*cspan, src, layer, family])
        key = (src, copy) if (copy, src) not in pairs else (copy, src)
        row = pairs.setdefault(key, [key[0], key[1], 0, 0, 0, []])
        row[2] += cspan[1] - cspan[0]
        row[3] |= 1 << layer
        for d in (src, copy):
            row[4] |= 1 << index_of(sections, t.section[first[d]])
        if family not in row[5] and len(row[5]) < PAIR_FAMILIES:
            row[5].append(family)
    rows = sorted(pairs.values(), key=lambda r: (-r[2], r[0], r[1]))
    first_pair: dict[int, int] = {}
    for k, row in enumerate(rows):
        for f in row[5]:
            first_pair.setdefault(f, k)
    families = [[f.id, f.layer, len(f.docs), f.source, t.raw(f.canonical)[:CANONICAL_CHARS],
                 first_pair.get(f.id, -1), getattr(f, "region", None) or ""]
                for f in sorted(result.families, key=lambda f: (-len(f.docs), f.id))]
    keys = doc_keys(result)
    docs = [[keys[d], doc.office or doc.path, doc.region or "", doc.level or "", doc.year]
            for d, doc in enumerate(t.docs)]
    index = {"docs": docs, "layers": layers, "sections": sections, "pairs": rows,
             "families": families, "has_text": sorted(spans)}
    texts = ((d, {"text": t.text(d), "spans": sorted(s)}) for d, s in spans.items())
    return index, texts


def write_viewer(result: "ReuseResult", outdir) -> list[Path]:
    """Write ``viewer.html`` and its ``viewer/`` folder into ``outdir``; returns the page, the
    index and the font (not the per-report files)."""
    outdir = Path(outdir)
    data = outdir / DATA_DIR
    (data / "docs").mkdir(parents=True, exist_ok=True)
    index, texts = viewer_data(result)
    chars: set[str] = set()  # of every text shown: the font is cut to them
    for d, doc in texts:  # one report's text in memory at a time
        chars.update(doc["text"])
        (data / "docs" / f"{d}.js").write_text(js_call("GOVNLP_VIEWER.doc", d, doc), encoding="utf-8")
    (data / "index.js").write_text(js_call("GOVNLP_VIEWER.index", index), encoding="utf-8")
    ui = "".join(str(v) for row in index["docs"] for v in row) + page()
    families = [row[4] for row in index["families"]]
    (data / "font.css").write_text(font_face_css(ui, "".join(chars), *families), encoding="utf-8")
    (outdir / VIEWER).write_text(page(), encoding="utf-8")
    return [outdir / VIEWER, data / "index.js", data / "font.css"]


