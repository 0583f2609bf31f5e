"""The reuse viewer's page (HTML, CSS and script); its data comes from ``viewer/`` (viewer.py).

A Python string rather than a data file so the wheel needs no package-data entry for it.
Every piece of report text reaches the DOM through ``textContent`` or text nodes, never
``innerHTML``.
"""
from nlp.report.fonts import FONT_STACK

PAGE = r"""<!doctype html><html lang="zh"><head><meta charset="utf-8">
<title>govnlp reuse viewer</title>
<link rel="stylesheet" href="viewer/font.css">
<style>
body{font-family:__FONTS__;margin:1em;color:#222}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.1em;margin:1em 0 .3em}
#filters{display:flex;flex-wrap:wrap;gap:.4em 1em;align-items:center;margin:.5em 0}
#filters label{font-size:13px}#filters select,#filters input{font:inherit;font-size:13px}
#pairs{max-height:14em;overflow:auto;border:1px solid #ccc}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:2px 6px;
font-size:13px;text-align:left;vertical-align:top}tr.on{background:#fff3c4}
.cols{display:flex;gap:1em}.cols>div{flex:1;min-width:0}
.pane{font-family:inherit;position:relative;white-space:pre-wrap;font-size:14px;line-height:1.6;border:1px solid #ccc;
padding:.5em;height:60vh;overflow:auto;margin:0}
.head{font-size:13px;margin:.2em 0}.head input{font:inherit;width:14em}
mark{background:#fd6}mark.template{background:#ddd}mark.self_copy{background:#9cf}
mark.regional_model{background:#cdf5c4}.note{color:#666;font-size:13px}
</style></head><body>
<h1>Template reuse</h1>
<p class="note" id="status">Loading the index…</p>
<div id="filters">
<label>office <input id="f-office" size="10" placeholder="name"></label>
<label>region <select id="f-region"></select></label>
<label>level <select id="f-level"></select></label>
<label>year <select id="f-year"></select></label>
<label>section <select id="f-section"></select></label>
<label>layer <select id="f-layer"></select></label>
<label>family <input id="f-family" size="6" inputmode="numeric"></label>
</div>
<p class="note" id="count"></p>
<div id="pairs"><table><thead><tr><th>source</th><th>copy</th><th>layers</th><th>sections</th>
<th>characters</th><th>families</th></tr></thead><tbody id="pair-rows"></tbody></table></div>
<p class="note">Marked: <mark>cross-office</mark> <mark class="self_copy">self-copy</mark>
<mark class="regional_model">regional model</mark> <mark class="template">template</mark>.
Left: the source (written first); right: the copy.</p>
<div class="cols">
<div><p class="head"><input id="left" list="names"> <span id="left-meta"></span></p>
<pre class="pane" id="lt"></pre></div>
<div><p class="head"><input id="right" list="names"> <span id="right-meta"></span></p>
<pre class="pane" id="rt"></pre></div></div>
<datalist id="names"></datalist>
<h2>Largest template families</h2>
<table><thead><tr><th>family</th><th>layer</th><th>region</th><th>reports</th><th>source</th>
<th>canonical sentence</th></tr></thead><tbody id="family-rows"></tbody></table>
<script>
"use strict";
const DIR = "viewer", SHOWN = 200, FAMILIES = 50;
const FILTERS = ["office", "region", "level", "year", "section", "layer", "family"];
const V = {idx: null, cache: {}, waiting: {}, byKey: new Map(), shown: ""};
const $ = id => document.getElementById(id);
window.GOVNLP_VIEWER = {
  index(d) { V.idx = d; start(); },
  doc(i, d) { V.cache[i] = d; (V.waiting[i] || []).forEach(f => f(d)); delete V.waiting[i]; }
};
function el(tag, text, cls) { const e = document.createElement(tag);
  if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; }
function getDoc(i) {
  return new Promise(res => {
    if (V.cache[i]) return res(V.cache[i]);
    if (!V.idx.text.has(i)) return res({text: "(this report shares no text)", spans: []});
    (V.waiting[i] = V.waiting[i] || []).push(res);
    if (V.waiting[i].length === 1) { const s = document.createElement("script");
      s.src = `${DIR}/docs/${i}.js`; s.onerror = () => status(`cannot load ${s.src}`);
      document.head.appendChild(s); }
  });
}
function status(s) { $("status").textContent = s; }
function hashParams() { const out = {};
  for (const part of location.hash.replace(/^#/, "").split("&")) {
    const k = part.indexOf("="); if (k > 0) out[part.slice(0, k)] = decodeURIComponent(part.slice(k + 1)); }
  return out; }
function filterHash() { return FILTERS.filter(f => $("f-" + f).value !== "")
  .map(f => `${f}=${encodeURIComponent($("f-" + f).value)}`).join("&"); }
function pairHref(a, b) { const f = filterHash(); const docs = V.idx.docs;
  return `#pair=${encodeURIComponent(docs[a][0])},${encodeURIComponent(docs[b][0])}` + (f ? "&" + f : ""); }
function fill(id, values) { const sel = $("f-" + id); sel.add(new Option("all", ""));
  for (const v of values) sel.add(new Option(v, v)); }
function start() {
  const d = V.idx; d.text = new Set(d.has_text);
  d.docs.forEach((r, i) => V.byKey.set(r[0], i));
  const uniq = k => [...new Set(d.docs.map(r => r[k]).filter(v => v !== "" && v !== null))].sort();
  fill("region", uniq(2)); fill("level", uniq(3)); fill("year", uniq(4));
  fill("section", d.sections); fill("layer", d.layers);
  const names = $("names");
  for (const i of d.has_text) names.appendChild(new Option(d.docs[i][0]));
  for (const f of FILTERS) $("f-" + f).onchange = () => { location.hash = filterHash() +
    (V.pair ? `&pair=${V.pair}` : ""); };
  $("f-office").oninput = $("f-family").oninput = () => list();
  for (const side of ["left", "right"]) $(side).onchange = () => {
    const a = V.byKey.get($("left").value), b = V.byKey.get($("right").value);
    if (a !== undefined && b !== undefined) location.hash = pairHref(a, b); };
  status(`${d.docs.length} reports, ${d.pairs.length} pairs of reports that share text, ` +
         `${d.families.length} families.`);
  window.onhashchange = route; route();
}
function matches(p, f) {
  const d = V.idx, A = d.docs[p[0]], B = d.docs[p[1]];
  const either = (k, v) => String(A[k]) === v || String(B[k]) === v;
  if (f.office && !(A[0] + A[1] + "\n" + B[0] + B[1]).includes(f.office)) return false;
  if (f.region && !either(2, f.region)) return false;
  if (f.level && !either(3, f.level)) return false;
  if (f.year && !either(4, f.year)) return false;
  if (f.section && !(p[4] & (1 << d.sections.indexOf(f.section)))) return false;
  if (f.layer && !(p[3] & (1 << d.layers.indexOf(f.layer)))) return false;
  if (f.family && !p[5].includes(+f.family)) return false;
  return true;
}
function bits(mask, names) { return names.filter((_, k) => mask & (1 << k)).join(" "); }
function current() { const f = {}; for (const k of FILTERS) f[k] = $("f-" + k).value.trim(); return f; }
function list() {
  const d = V.idx, f = current(), rows = $("pair-rows"); rows.textContent = "";
  let n = 0;
  for (const p of d.pairs) { if (!matches(p, f)) continue; n++;
    if (n > SHOWN) continue;
    const tr = document.createElement("tr"); tr.dataset.pair = `${p[0]},${p[1]}`;
    for (const i of [p[0], p[1]]) { const td = el("td"), a = el("a", d.docs[i][0]);
      a.href = pairHref(p[0], p[1]); a.title = d.docs[i][1]; td.appendChild(a); tr.appendChild(td); }
    tr.append(el("td", bits(p[3], d.layers)), el("td", bits(p[4], d.sections)), el("td", p[2]),
              el("td", p[5].join(" ")));
    rows.appendChild(tr); }
  $("count").textContent = `${n} pairs match` + (n > SHOWN ? ` (the ${SHOWN} sharing most text shown)` : "") +
    (f.office || f.region || f.level || f.year ? "; a pair matches when either report does" : "");
  document.body.dataset.matching = n;
  families(f);
  return n;
}
function families(f) {
  const d = V.idx, rows = $("family-rows"); rows.textContent = ""; let n = 0;
  for (const [id, layer, size, src, text, pair, region] of d.families) {
    if (f.family && id !== +f.family) continue;
    if (n++ >= FAMILIES) break;
    const tr = document.createElement("tr"), td = el("td");
    if (pair >= 0) { const a = el("a", id, "family"); const p = d.pairs[pair];
      a.href = pairHref(p[0], p[1]); td.appendChild(a); } else td.textContent = id;
    tr.append(td, el("td", layer), el("td", region), el("td", size), el("td", d.docs[src][0]),
              el("td", text));
    rows.appendChild(tr); }
}
function route() {
  const h = hashParams();
  for (const f of FILTERS) $("f-" + f).value = h[f] || "";
  const n = list(), d = V.idx;
  let a, b;
  if (h.pair) { const [x, y] = h.pair.split(",");
    a = V.byKey.has(x) ? V.byKey.get(x) : (/^\d+$/.test(x) ? +x : undefined);
    b = V.byKey.has(y) ? V.byKey.get(y) : (/^\d+$/.test(y) ? +y : undefined);
    if (a === undefined || b === undefined || !d.docs[a] || !d.docs[b]) {
      status(`no report named ${x} or ${y}`); return; } }
  else { const f = current(), c = d.layers.indexOf("cross_office");
    const p = d.pairs.find(p => matches(p, f) && (c < 0 || p[3] & (1 << c))) ||
              d.pairs.find(p => matches(p, f));
    if (!p) { document.body.dataset.ready = "empty"; return; }
    [a, b] = p; }
  show(a, b);
}
async function show(a, b) {
  const d = V.idx, key = `${a},${b}`; V.shown = key;
  V.pair = `${encodeURIComponent(d.docs[a][0])},${encodeURIComponent(d.docs[b][0])}`;
  $("left").value = d.docs[a][0]; $("right").value = d.docs[b][0];
  for (const tr of document.querySelectorAll("#pair-rows tr")) tr.classList.toggle("on", tr.dataset.pair === key);
  const [da, db] = await Promise.all([getDoc(a), getDoc(b)]);
  if (V.shown !== key) return;
  render($("lt"), $("left-meta"), a, da, b); render($("rt"), $("right-meta"), b, db, a);
  document.body.dataset.ready = key; document.body.dataset.ms = Math.round(performance.now());
}
function render(pane, meta, i, doc, other) {
  const d = V.idx, r = d.docs[i];
  meta.textContent = [r[1], r[2], r[3], r[4]].filter(v => v !== "" && v !== null).join(" · ");
  const spans = doc.spans.filter(s => s[2] === other).sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  const frag = document.createDocumentFragment(); let pos = 0;
  for (const [s, e, , layer, fam] of spans) { if (s < pos) continue;
    frag.append(doc.text.slice(pos, s));
    const m = el("mark", doc.text.slice(s, e), d.layers[layer]);
    m.dataset.family = fam; m.title = `family ${fam} (${d.layers[layer]})`;
    frag.appendChild(m); pos = e; }
  frag.append(doc.text.slice(pos));
  pane.textContent = ""; pane.appendChild(frag);
  // the filtered layer's first passage, else the first that is not template text, else any
  const layer = $("f-layer").value;
  const first = (layer && pane.querySelector(`mark.${CSS.escape(layer)}`)) ||
                pane.querySelector("mark:not(.template)") || pane.querySelector("mark");
  pane.scrollTop = first ? Math.max(0, first.offsetTop - 24) : 0;
  pane.dataset.top = pane.scrollTop;
}
</script>
<script src="viewer/index.js"></script>
</body></html>
"""


def page() -> str:
    """The viewer's HTML with the font stack filled in."""
    return PAGE.replace("__FONTS__", FONT_STACK)
