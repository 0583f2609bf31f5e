"""Reuse detection against the hand-checked gold of copied sentences in the real reports.

The gold (``tests/data/reuse_gold.jsonl``, built as ``tests/data/REUSE_GOLD.md`` describes) lists
every copied sentence pair among the 5 bundled seeds and the 15 reports of
``../shared/corpora/reports``, with its kind (verbatim / names_swapped / edited / paraphrased)
and layer (template / cross_office / self_copy).

* recall: a gold pair is *found* when one detected passage covers both of its spans, at least
  half of each gold span (in the right two reports, either orientation);
* precision: a detected sentence pair (a ``SentenceMatch`` of ``result.matches``) is *correct*
  when its two sentences cover at least half of each span of some gold pair. A correct pair takes
  the kind and layer of its gold pair; a wrong one takes the detector's layer and the kind its
  texts have by the gold's rule (see :func:`text_kind`), so each row says how many detected pairs
  fall in its scope.

``python -m benchmarks.reuse_gold`` writes ``benchmarks/reuse_gold.md``; the reuse benchmark embeds
the same section through :func:`main`.
"""
from __future__ import annotations

import csv
import difflib
import json
import re
import tempfile
from collections import defaultdict
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "reuse_gold.jsonl"
OUT = Path(__file__).with_name("reuse_gold.md")
SEEDS = ROOT / "corpora" / "seeds"
SHARED = ROOT.parent / "shared" / "corpora"

KINDS = ("verbatim", "names_swapped", "edited", "paraphrased")
LAYERS = ("template", "cross_office", "self_copy")
#: The scope the detector is held to: real copies that are not the national template.
TARGET_KINDS = ("verbatim", "names_swapped", "edited")
TARGET_LAYERS = ("cross_office", "self_copy")
OVERLAP = 0.5
#: Shared-corpus levels for the manifest (the jsonl gives office, region and year only).
SHARED_LEVELS = {"淮安市人民政府": "市", "淮安市洪泽区人民政府": "区", "平潭综合实验区管委会": "区"}


# -- gold -----------------------------------------------------------------------------------------
def load_gold(path: str | Path = GOLD) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def gold_file(path: str | Path) -> str:
    """The gold's name for a report path: ``seeds/<name>`` or ``shared/<name>``."""
    p = Path(path)
    return f"{'seeds' if p.parent.name == 'seeds' else 'shared'}/{p.name}"


def resolve(file: str, seeds: Path = SEEDS, shared: Path = SHARED) -> Path:
    """The report file a gold ``file`` names."""
    folder, name = file.split("/", 1)
    return (seeds if folder == "seeds" else shared / "reports") / name


# -- the kind rule (used for detected pairs that match no gold pair) -----------------------------
_NUM = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?%?|[〇零一二三四五六七八九十百千万两]+(?=[年月日条件项个次人家篇期场件是])")
_LEVEL = re.compile(r"(?<=[我本该全])(?:街道|镇|乡|县|区|市|办)|(?:区|市)(?=政府)")
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:街道办事处|街道|镇|乡|县|区|市)(?:人民政府|政府|管委会)?")


def _mask(text: str) -> str:
    s = re.sub(r"\s+", "", text)
    s = _LEVEL.sub("", s)
    s = _PLACE.sub("", s)
    return _NUM.sub("0", s)


def text_kind(a: str, b: str) -> str:
    """verbatim / names_swapped / edited / paraphrased, as REUSE_GOLD.md defines them."""
    if re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b):
        return "verbatim"
    ma, mb = _mask(a), _mask(b)
    if ma == mb:
        return "names_swapped"
    sm = difflib.SequenceMatcher(None, ma, mb, autojunk=False)
    shared = sum(m.size for m in sm.get_matching_blocks() if m.size >= 2)
    return "edited" if shared / max(1, min(len(ma), len(mb))) >= 0.7 else "paraphrased"


# -- matching -------------------------------------------------------------------------------------
def _covers(span: tuple[int, int], gold: tuple[int, int]) -> bool:
    inter = min(span[1], gold[1]) - max(span[0], gold[0])
    return inter >= OVERLAP * (gold[1] - gold[0])


def _index(gold: list[dict]) -> dict[tuple[str, str], list[int]]:
    by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, g in enumerate(gold):
        by_pair[(g["a"]["file"], g["b"]["file"])].append(k)
    return by_pair


def _hits(by_pair, gold, fa: str, sa: tuple[int, int], fb: str, sb: tuple[int, int]) -> list[int]:
    """Gold pairs whose two spans are covered by span ``sa`` of ``fa`` and ``sb`` of ``fb``."""
    out = []
    for (x, y, s, t) in ((fa, fb, sa, sb), (fb, fa, sb, sa)):
        for k in by_pair.get((x, y), ()):
            g = gold[k]
            if _covers(s, (g["a"]["start"], g["a"]["end"])) and _covers(t, (g["b"]["start"], g["b"]["end"])):
                out.append(k)
    return out


def match(result, gold: list[dict]) -> tuple[list[dict], list[dict]]:
    """(gold pairs with ``found``/``detected_layer``, detected pairs with ``correct``/kind/layer)."""
    from nlp.reuse.families import pair_layer

    t = result.table
    files = [gold_file(d.path) for d in t.docs]
    loaded = set(files)
    gold = [g for g in gold if g["a"]["file"] in loaded and g["b"]["file"] in loaded]
    by_pair = _index(gold)
    found: dict[int, str] = {}
    for p in result.passages:
        # a gold pair takes the layer of the detected sentence pair on it (a passage may open on
        # the national template's stock sentences and go on with the office's own text)
        for m in p.pairs:
            for k in _hits(by_pair, gold, files[p.a], (t.start[m.i], t.end[m.i]),
                           files[p.b], (t.start[m.j], t.end[m.j])):
                found.setdefault(k, result.match_layer(p, m))
        layer = result.passage_layer(p)
        for k in _hits(by_pair, gold, files[p.a], (p.a_start, p.a_end), files[p.b], (p.b_start, p.b_end)):
            found.setdefault(k, layer)
    gold_rows = [dict(g, found=k in found, detected_layer=found.get(k)) for k, g in enumerate(gold)]
    detected = []
    for m in result.matches:
        di, dj = t.doc[m.i], t.doc[m.j]
        hits = _hits(by_pair, gold, files[di], (t.start[m.i], t.end[m.i]), files[dj], (t.start[m.j], t.end[m.j]))
        layer = pair_layer(t, result.families[result.family_of[m.i]], di, dj)
        row = {"file_i": files[di], "start_i": t.start[m.i], "end_i": t.end[m.i], "text_i": t.raw(m.i),
               "file_j": files[dj], "start_j": t.start[m.j], "end_j": t.end[m.j], "text_j": t.raw(m.j),
               "similarity": m.similarity, "detector_kind": m.kind, "detector_layer": layer,
               "correct": bool(hits)}
        if hits:
            g = gold[hits[0]]
            row.update(kind=g["kind"], layer=g["layer"])
        else:
            row.update(kind=text_kind(row["text_i"], row["text_j"]), layer=layer)
        detected.append(row)
    return gold_rows, detected


def _row(group: str, gold_rows: list[dict], detected: list[dict]) -> dict:
    found = sum(g["found"] for g in gold_rows)
    correct = sum(d["correct"] for d in detected)
    agree = sum(g["found"] and g["detected_layer"] == g["layer"] for g in gold_rows)
    return {"group": group, "gold_pairs": len(gold_rows), "found": found,
            "recall": round(found / len(gold_rows), 3) if gold_rows else None,
            "detected": len(detected), "correct": correct,
            "precision": round(correct / len(detected), 3) if detected else None,
            "layer_agreement": round(agree / found, 3) if found else None}


def evaluate(result, gold_path: str | Path = GOLD) -> pd.DataFrame:
    """Recall and precision per kind, per layer, for the target scope and overall.

    Only gold pairs between reports present in ``result`` count. ``layer_agreement`` is the share
    of found gold pairs whose detected sentence pair (else passage) has the gold's layer.
    """
    gold_rows, detected = match(result, load_gold(gold_path))
    rows = []
    for kind in KINDS:
        rows.append(_row(f"kind={kind}", [g for g in gold_rows if g["kind"] == kind],
                         [d for d in detected if d["kind"] == kind]))
    for layer in LAYERS:
        rows.append(_row(f"layer={layer}", [g for g in gold_rows if g["layer"] == layer],
                         [d for d in detected if d["layer"] == layer]))
    for layer in TARGET_LAYERS:
        for kind in KINDS:
            rows.append(_row(f"{layer} / {kind}",
                             [g for g in gold_rows if g["layer"] == layer and g["kind"] == kind],
                             [d for d in detected if d["layer"] == layer and d["kind"] == kind]))

    def target(x):
        return x["kind"] in TARGET_KINDS and x["layer"] in TARGET_LAYERS

    rows.append(_row("target: verbatim+names_swapped+edited, cross_office+self_copy",
                     [g for g in gold_rows if target(g)], [d for d in detected if target(d)]))
    rows.append(_row("all", gold_rows, detected))
    return pd.DataFrame(rows)


def errors(result, gold_path: str | Path = GOLD) -> tuple[list[dict], list[dict]]:
    """(missed gold pairs, wrong detected pairs): the rows to read when a number drops."""
    gold_rows, detected = match(result, load_gold(gold_path))
    return [g for g in gold_rows if not g["found"]], [d for d in detected if not d["correct"]]


def markdown(df: pd.DataFrame) -> str:
    def cell(v):
        return "–" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)

    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)


# -- the corpus -----------------------------------------------------------------------------------
def shared_manifest(folder: Path, out: Path) -> Path:
    """A manifest CSV for the shared reports from their ``manifest.jsonl``."""
    with open(folder / "manifest.jsonl", encoding="utf-8") as fh, \
            open(out, "w", newline="", encoding="utf-8") as dst:
        w = csv.writer(dst)
        w.writerow(["path", "office", "region", "level", "year"])
        for line in fh:
            if line.strip():
                d = json.loads(line)
                w.writerow([d["file"], d["office"], d.get("parent_region", ""),
                            SHARED_LEVELS.get(d["office"], "部门"), d["year"]])
    return out


def load_corpus(seeds: Path = SEEDS, shared: Path = SHARED) -> tuple[list, str | None]:
    """The 5 seeds and, when present, the 15 shared reports, with their metadata; and a note."""
    from nlp.corpus import apply_manifest, read_manifest
    from nlp.load import load_report

    reports = [load_report(p) for p in sorted(seeds.glob("*.txt"))]
    apply_manifest(reports, read_manifest(seeds / "manifest.csv"))
    if not (shared / "reports").is_dir():
        return reports, f"{shared} is absent: only the seeds' gold pairs are evaluated."
    shared_reports = [load_report(p) for p in sorted((shared / "reports").glob("*.txt"))]
    with tempfile.TemporaryDirectory() as tmp:
        apply_manifest(shared_reports, read_manifest(shared_manifest(shared, Path(tmp) / "manifest.csv")))
    return reports + shared_reports, None


def causes(result, missed: list[dict]) -> list[str]:
    """Why the detector missed each gold pair: no candidate, rejected by verify, or too short."""
    from rapidfuzz import fuzz

    from nlp.reuse.align import PARTIAL, PARTIAL_MIN_CHARS, RATIO
    from nlp.reuse.candidates import candidate_pairs

    t = result.table
    files = [gold_file(d.path) for d in t.docs]
    row = {(files[t.doc[i]], t.start[i]): i for i in range(len(t))}
    cands = candidate_pairs(t)
    out = []
    for g in missed:
        i, j = row.get((g["a"]["file"], g["a"]["start"])), row.get((g["b"]["file"], g["b"]["start"]))
        if i is None or j is None:
            out.append("sentence not indexed (under the minimum length once masked)")
            continue
        mi, mj = t.masked[i], t.masked[j]
        r, p = fuzz.ratio(mi, mj), fuzz.partial_ratio(mi, mj)
        ok = r >= RATIO or (min(len(mi), len(mj)) >= PARTIAL_MIN_CHARS and p >= PARTIAL)
        cand = (min(i, j), max(i, j)) in cands
        why = ("never a candidate, though verify would accept it" if ok and not cand else
               "candidate, rejected by verify" if cand else "never a candidate, and under verify's thresholds")
        out.append(f"{why} (ratio {r:.0f}, partial {p:.0f})")
    return out


def main() -> str:
    """Load the 20 real reports, run ``detect``, evaluate against the gold; the markdown section."""
    from collections import Counter

    from nlp.reuse.detect import detect

    reports, note = load_corpus()
    result = detect(reports)
    df = evaluate(result)
    missed, wrong = errors(result)
    why = causes(result, missed)
    gold = load_gold()
    lines = ["## Reuse detection against the hand-checked gold (real reports)", "",
             f"{len(reports)} reports ({len(gold)} gold sentence pairs in "
             f"{len({g['passage'] for g in gold})} passages; how the gold was built: "
             "`tests/data/REUSE_GOLD.md`). A gold pair is found when a detected passage covers at "
             "least half of each of its spans; a detected sentence pair is correct when it covers "
             "at least half of each span of a gold pair. `layer_agreement`: share of found pairs "
             "whose detected sentence pair (else passage) has the gold's layer.", ""]
    if note:
        lines += [f"*Note: {note}*", ""]
    lines += [markdown(df), ""]
    target = [(g, w) for g, w in zip(missed, why)
              if g["kind"] in TARGET_KINDS and g["layer"] in TARGET_LAYERS]
    if target:
        lines += [f"Missed gold pairs in the target scope ({len(target)}):", ""]
        lines += [f"- {g['layer']}/{g['kind']} {g['a']['file']}:{g['a']['start']} ~ "
                  f"{g['b']['file']}:{g['b']['start']}: {_short(g['text_a'])} ‖ {_short(g['text_b'])} "
                  f"— {w}" for g, w in target]
        lines.append("")
    rest = Counter((g["layer"], g["kind"], w.split(" (")[0]) for g, w in zip(missed, why)
                   if not (g["kind"] in TARGET_KINDS and g["layer"] in TARGET_LAYERS))
    if rest:
        lines += ["Other missed gold pairs, by cause:", "",
                  "| layer | kind | cause | pairs |", "|---|---|---|---|"]
        lines += [f"| {l} | {k} | {c} | {n} |" for (l, k, c), n in sorted(rest.items())]
        lines.append("")
    if wrong:
        lines += [f"Detected pairs not in the gold ({len(wrong)}; how those read so far were judged: "
                  "REUSE_GOLD.md):", ""]
        lines += [f"- {d['detector_layer']} {d['file_i']}:{d['start_i']} ~ {d['file_j']}:{d['start_j']} "
                  f"(sim {d['similarity']}): {_short(d['text_i'])} ‖ {_short(d['text_j'])}" for d in wrong]
        lines.append("")
    return "\n".join(lines)


def _short(text: str, n: int = 40) -> str:
    s = re.sub(r"\s+", "", text)
    return s if len(s) <= n else s[:n] + "…"


if __name__ == "__main__":
    section = main()
    OUT.write_text(section + "\n", encoding="utf-8")
    print(section)
