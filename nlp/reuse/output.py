"""The files of ``govnlp reuse``: passages, families, per-report measures, leaks and a viewer."""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from nlp.reuse.detect import ReuseResult


#: The frames of a reuse output folder, each written as ``NAME.FORMAT`` with the columns of its
#: schema (``docs/schema.md``), then the viewer.
FRAMES = ("passages", "families", "shares", "leaks")
VIEWER = "viewer.html"


def output_files(format: str = "jsonl") -> tuple[str, ...]:
    """The files of a reuse output folder in ``format``, in the order they are written."""
    return tuple(f"{name}.{format}" for name in FRAMES) + (VIEWER,)


#: The files with the default format (JSON lines).
OUTPUT_FILES = output_files()


def frames_of(result: "ReuseResult") -> dict:
    """Each file's frame: passages, families, shares (``reports_frame``) and leaks."""
    return {"passages": result.passages_frame(), "families": result.families_frame(),
            "shares": result.reports_frame(), "leaks": result.leaks_frame()}


def write_outputs(result: "ReuseResult", outdir, format: str = "jsonl") -> list[Path]:
    """Write passages, families, shares and leaks in ``format`` (csv, jsonl, parquet, xlsx) and
    viewer.html.

    The folder is written whole (:func:`nlp.atomic.atomic_folder`): an interrupted run leaves the
    previous outputs, not a ``passages.jsonl`` that stops halfway yet looks complete.
    """
    from nlp.atomic import atomic_folder
    from nlp.dataset.write import format_of, write_file

    format = format_of(Path(outdir) / f"x.{format}", format)
    outdir = Path(outdir)
    with atomic_folder(outdir) as tmp:
        for name, frame in frames_of(result).items():
            write_file(frame, tmp / f"{name}.{format}", format, name)
        (tmp / VIEWER).write_text(viewer_html(result), encoding="utf-8")
    return [outdir / name for name in output_files(format)]


_PAGE = r"""<!doctype html><html lang="zh"><meta charset="utf-8"><title>govnlp reuse viewer</title>
<style>body{font-family:sans-serif;margin:1em}pre{white-space:pre-wrap;font-size:13px;
border:1px solid #ccc;padding:.5em;height:70vh;overflow:auto}.cols{display:flex;gap:1em}
.cols>div{flex:1}mark{background:#fd6}mark.template{background:#ddd}mark.self_copy{background:#9cf}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}</style>
<h1>Template reuse</h1>
<p>Pick two reports to see the text they share (<mark>cross-office</mark>,
<mark class="self_copy">self-copy</mark>, <mark class="template">template</mark>).</p>
<div class="cols"><div><select id="left"></select><pre id="lt"></pre></div>
<div><select id="right"></select><pre id="rt"></pre></div></div>
<h2>Template families</h2><table id="families"><tr><th>family</th><th>layer</th><th>size</th>
<th>source</th><th>canonical text</th></tr>__ROWS__</table>
<script>
const DATA = __DATA__;
function esc(s){return s.replace(/[&<>]/g,c=>({"&":"&amp;","<":"&lt;",">":"&gt;"}[c]));}
function render(pre, doc, other){
  const spans = [];
  for (const p of DATA.passages){
    if (p.a === doc && p.b === other) spans.push([p.as, p.ae, p.layer, p.family]);
    if (p.b === doc && p.a === other) spans.push([p.bs, p.be, p.layer, p.family]);
  }
  spans.sort((x,y)=>x[0]-y[0]);
  const t = DATA.docs[doc].text; let out = "", pos = 0;
  for (const [s,e,layer,f] of spans){ if (s < pos) continue;
    out += esc(t.slice(pos,s)) + `<mark class="${layer}" id="d${doc}f${f}" title="family ${f}">` + esc(t.slice(s,e)) + "</mark>"; pos = e; }
  pre.innerHTML = out + esc(t.slice(pos));
}
function show(a, b){ left.value = a; right.value = b;
  render(lt, +a, +b); render(rt, +b, +a); }
for (const sel of [left, right]) DATA.docs.forEach((d,i)=>sel.add(new Option(d.label, i)));
left.onchange = right.onchange = () => show(left.value, right.value);
// links are "#pair=A,B" so a view can be bookmarked and opened from outside
function fromHash(){ const m = /pair=(\d+),(\d+)/.exec(location.hash);
  if (m) { show(m[1], m[2]); return true; } return false; }
window.onhashchange = fromHash;
const first = DATA.passages.find(p => p.layer === "cross_office") || DATA.passages[0];
if (!fromHash()) show(first ? first.a : 0, first ? first.b : Math.min(1, DATA.docs.length - 1));
</script></html>"""


def viewer_html(result: "ReuseResult") -> str:
    """A self-contained page: family list and any two reports side by side, copies marked.

    Only reports that share non-template text are embedded, so the page stays small on a
    corpus of thousands of reports.
    """
    t = result.table
    layers = [result.passage_layer(p) for p in result.passages]
    shown = sorted({d for p, layer in zip(result.passages, layers) if layer != "template"
                    for d in (p.a, p.b)}) or list(range(min(len(t.docs), 50)))
    pos = {d: k for k, d in enumerate(shown)}
    docs = [{"label": f"{t.docs[d].office or t.docs[d].path} {t.docs[d].year or ''}",
             "text": t.docs[d].text} for d in shown]
    ps = []
    for p, layer in zip(result.passages, layers):
        if p.a in pos and p.b in pos:
            ps.append({"a": pos[p.a], "b": pos[p.b], "as": p.a_start, "ae": p.a_end,
                       "bs": p.b_start, "be": p.b_end, "layer": layer,
                       "family": result.family_of[p.pairs[0].i]})
    first_pair = {}
    for q in ps:
        first_pair.setdefault(q["family"], q)
    rows = []
    for f in result.families:
        pair = first_pair.get(f.id)
        link = (f'<a class="pair" href="#pair={pair["a"]},{pair["b"]}">{f.id}</a>'
                if pair else str(f.id))
        src = t.docs[f.source]
        rows.append(f"<tr><td>{link}</td><td>{f.layer}</td><td>{len(f.docs)}</td>"
                    f"<td>{html.escape(str(src.office or src.path))} {src.year or ''}</td>"
                    f"<td>{html.escape(t.raw(f.canonical)[:80])}</td></tr>")
    data = json.dumps({"docs": docs, "passages": ps}, ensure_ascii=False).replace("</", "<\\/")
    return _PAGE.replace("__ROWS__", "".join(rows)).replace("__DATA__", data)
