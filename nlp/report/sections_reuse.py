"""The study page's later parts: template reuse, section 五, problems that come back, summaries.

Each function takes the :class:`~nlp.report.study.Study`, writes the CSVs behind its figures
and tables (``study.data``) and returns its HTML. Layer names are read from the frames, never
assumed, so a new layer shows up in every table by itself.
"""
from __future__ import annotations

import importlib.util
import math
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nlp.report import figures as F
from nlp.report.page import esc, figure, link, para, section, table

if TYPE_CHECKING:  # pragma: no cover
    from nlp.report.study import Study

#: Characters of context shown on each side of a leak.
LEAK_CONTEXT = 24
#: Statements tokenised per topic for its top words (a deterministic sample beyond that).
TOPIC_SAMPLE = 2000
#: Top words shown per topic, and keywords per section.
WORDS = 8


def _names(study: "Study") -> dict[str, str]:
    """report_id → ``office year`` for member lists."""
    r = study.frames["reports"]
    short = r["office_short"].fillna(r["office"]).fillna(r["path"])
    return {rid: f"{s} {'' if pd.isna(y) else int(y)}".strip()
            for rid, s, y in zip(r["report_id"], short, r["year"])}


def _layer_counts(result) -> pd.DataFrame:
    """Passages per layer and the reports that copy them (the ``b`` side of the passages
    frame), from the passages themselves: the frame with its texts was ≈ 1 GB at 100,000."""
    counts: dict[str, list] = {}
    for p in result.passages:
        row = counts.setdefault(result.passage_layer(p), [0, set()])
        row[0] += 1
        row[1].add(result.doc_key(result.oriented(p)[1])["report_id"])
    return pd.DataFrame([{"layer": k, "passages": n, "reports": len(ids)}
                         for k, (n, ids) in sorted(counts.items())],
                        columns=["layer", "passages", "reports"])


def reuse_section(study: "Study", anchor: str, title: str) -> str:
    """Layers, largest families, offices that copy most and from whom, shares by section and
    level, leaks with their evidence, and the viewer."""
    from nlp.reuse.plots import copy_network, office_links, shared_text_heatmap

    result, top = study.reuse, study.top_n
    layers = _layer_counts(result)
    rel = study.data("passages_by_layer", layers, "aligned passages per layer")
    parts = [para("Passages two reports share, by layer; open any two reports side by side in "
                  "the viewer:") + f"<p>{link('reuse/viewer.html', 'reuse/viewer.html')}</p>",
             table(layers, rel, 20)]
    parts.append(_families(study))
    links = office_links(result)
    rel = study.data("office_links", links, "cross-office copying: source office, copy office")
    parts.append(_copiers(links, rel, top))
    if len(links):
        parts.append('<div class="cols">' + figure(
            F.reuse_figure(shared_text_heatmap, result, top, (7.5, 7.5)),
            f"Characters copied between the {top} offices that share the most.", rel, "heatmap")
            + figure(F.reuse_figure(copy_network, result, top, (7.5, 6.5)),
                     "Who copies from whom (arrow: source → copy; width: characters).", rel,
                     "network") + "</div>")
    parts.append(_shares(study))
    parts.append(_leaks(study))
    return section(anchor, title, *parts)


def _families(study: "Study") -> str:
    fam = study.reuse.families_frame()
    if not len(fam):
        return para("No template families.")
    names = _names(study)
    fam = fam.sort_values(["size", "family"], ascending=[False, True])
    rows = []
    for r in fam.head(study.top_n).itertuples(index=False):
        members = [names.get(m, m) for m in r.members]
        more = f" … and {len(members) - 6} more" if len(members) > 6 else ""
        rows.append({"family": r.family, "layer": r.layer, "reports": r.size,
                     "source": f"{r.source_office or r.source_path} {r.source_year or ''}",
                     "text": r.canonical, "members": "、".join(members[:6]) + more})
    return ("<h3>Largest template families</h3>"
            + table(pd.DataFrame(rows), "reuse/families.jsonl", 10,
                    "Sentences copied from one another, grouped; the source wrote first."))


def _copiers(links: pd.DataFrame, rel: str, top: int) -> str:
    if not len(links):
        return para("No office copied text from another office.")
    rows = []
    for office, g in links.groupby("copy_office"):
        g = g.sort_values("chars", ascending=False)
        rows.append({"office": office, "characters copied": int(g["chars"].sum()),
                     "passages": int(g["passages"].sum()), "sources": len(g),
                     "main sources": "、".join(f"{s} ({c})" for s, c in
                                              zip(g["source_office"][:3], g["chars"][:3]))})
    frame = pd.DataFrame(rows).sort_values(["characters copied", "office"], ascending=[False, True])
    return ("<h3>Offices that copy most, and from whom</h3>"
            + table(frame, rel, 12, "Characters of cross-office passages on the copy side."))


def _weighted(shares: pd.DataFrame, column: str, by: list[str]) -> pd.Series:
    w = shares[column] * shares["narrative_chars"]
    return (w.groupby([shares[b] for b in by]).sum()
            / shares["narrative_chars"].groupby([shares[b] for b in by]).sum()).round(4)


def _shares(study: "Study") -> str:
    """Boilerplate and self-copy shares of narrative characters by section and level."""
    shares = study.shares
    shares = shares[(shares["section"] != "all") & (shares["narrative_chars"] > 0)].copy()
    if not len(shares):
        return ""
    shares["level"] = shares["level"].fillna("unknown")
    out = ["<h3>Boilerplate and self-copy by section and level</h3>"]
    for column, what in (("boilerplate_share", "boilerplate (template or copied from another office)"),
                         ("self_copy_share", "self-copy (the office's own earlier report)")):
        grid = _weighted(shares, column, ["section", "level"]).unstack("level")
        if not (grid.fillna(0) > 0).any().any():
            out.append(para(f"No {what} found."))
            continue
        rel = study.data(f"{column}_by_section_level", grid, f"{what}: share by section and level",
                         index=True)
        out.append(figure(F.value_heatmap(grid, f"Share of narrative characters: {column}"),
                          f"Share of each section's narrative that is {what}, by level "
                          "(weighted by characters).", rel, column))
    return "\n".join(out)


def _leaks(study: "Study") -> str:
    """Copies that still name their source, with the words around them."""
    from nlp.report.viewer import doc_keys

    result = study.reuse
    if not result.leaks:
        return "<h3>Leaks</h3>" + para("No copy names another office or level as its own.")
    keys, table = doc_keys(result), result.table
    rows, html_rows = [], []
    for leak in result.leaks:
        before = table.span(leak.doc, max(0, leak.start - LEAK_CONTEXT), leak.start)
        after = table.span(leak.doc, leak.end, leak.end + LEAK_CONTEXT)
        src = keys[leak.source_doc] if leak.source_doc is not None else ""
        rows.append({"report": keys[leak.doc], "type": leak.type, "leak": leak.text,
                     "evidence": before + leak.text + after, "source": src, "family": leak.family})
        if len(html_rows) < 12:
            href = f"reuse/viewer.html#pair={src},{keys[leak.doc]}" if src else None
            html_rows.append(
                f"<tr><td>{esc(keys[leak.doc])}</td><td>{esc(leak.type)}</td>"
                f"<td class=\"evidence\">…{esc(before)}<mark>{esc(leak.text)}</mark>{esc(after)}…</td>"
                f"<td>{link(href, src) if href else ''}</td></tr>")
    rel = study.data("leaks", pd.DataFrame(rows), "leaks with the words around them")
    return ("<h3>Leaks</h3>" + para(f"{len(rows):,} copies still name another office or level "
                                    "as their own (我街道 in a town's report …).")
            + "<table><tr><th>report</th><th>type</th><th>evidence</th><th>copied from</th></tr>"
            + "".join(html_rows) + "</table>"
            + f'<p class="note">{min(12, len(rows))} of {len(rows):,} shown. Data: {link(rel, rel)}.</p>')


def problems_section(study: "Study", anchor: str, title: str) -> str:
    """Problem and improvement statements per year, and their topics with top words."""
    st = study.frames["statements"]
    if not len(st):
        return section(anchor, title, para("No statements in section 五."))
    names = {y: "unknown" if pd.isna(y) else str(int(y)) for y in st["year"].unique()}
    st = st.assign(year_=st["year"].map(names))  # one string per year, not per row
    has = lambda label: st["labels"].map(lambda ls: label in (ls if isinstance(ls, (list, tuple)) else []))
    per = pd.DataFrame({"problems": has("problem").groupby(st["year_"]).sum(),
                        "improvements": has("improvement").groupby(st["year_"]).sum(),
                        "reports": st.groupby("year_")["path"].nunique()})
    per.index.name = "year"
    rel = study.data("statements_by_year", per, "problem and improvement statements per year",
                     index=True)
    parts = [figure(F.lines(per.div(per["reports"], axis=0).drop(columns="reports"),
                            "Statements per report in section 五", "statements per report"),
                    "Problem and improvement statements per report, by year.", rel, "statements"),
             table(per.reset_index(), rel, 12)]
    parts.append(_topics(study, st))
    return section(anchor, title, *parts)


def _topics(study: "Study", st: pd.DataFrame) -> str:
    from nlp.text.tokenize import ChineseTokenizer

    # by hand, not DataFrame.explode: that took ≈ 2.4 GB on 920,000 statements (100,000 reports)
    pairs = [(k, t) for k, ts in enumerate(st["topics"]) if isinstance(ts, (list, tuple))
             for t in ts if isinstance(t, str)]
    at = np.fromiter((k for k, _ in pairs), np.int64, len(pairs))
    # each unit's statement by its row: a column of the texts themselves took another 1.5 GB
    units = pd.DataFrame({"topics": [t for _, t in pairs], "year_": st["year_"].to_numpy()[at],
                          "row": at})
    if not len(units):
        return ""
    grid = pd.crosstab(units["topics"], units["year_"])
    rel = study.data("topics_by_year", grid, "statements per topic and year", index=True)
    tok = ChineseTokenizer()
    counts: dict[str, Counter] = {}
    overall: Counter = Counter()
    for topic, g in units.groupby("topics"):
        texts = st["text"].take(g["row"].sample(min(len(g), TOPIC_SAMPLE), random_state=0))
        counts[topic] = Counter(w for t in texts for w in set(tok(t)))
        overall.update(counts[topic])
    total = sum(overall.values()) or 1
    rows = []
    for topic, c in counts.items():
        n = sum(c.values()) or 1
        score = {w: k * math.log((k / n) / (overall[w] / total)) for w, k in c.items() if k >= 2}
        words = sorted(score, key=lambda w: (-score[w], w))[:WORDS]
        rows.append({"topic": topic, "statements": int(grid.loc[topic].sum()),
                     "top words": "、".join(words)})
    words = pd.DataFrame(rows).sort_values(["statements", "topic"], ascending=[False, True])
    rel_w = study.data("topic_words", words, "top words of each topic of section 五")
    return ("<h3>Topics</h3>"
            + figure(F.value_heatmap(grid, "Statements per topic and year", "{:.0f}"),
                     "Statements of section 五 per topic (shipped classifier) and year.", rel, "topics")
            + table(words, rel_w, 12, "Words that set each topic apart (count × lift)."))


def history_section(study: "Study", anchor: str, title: str) -> str:
    """Problems an office names again after naming them in its previous report.

    An optional hook: drawn only when ``nlp.history`` can be imported and offers
    ``history(reports, reuse=…)`` returning an object with ``repeated_problems_frame()``
    (columns office, year, previous_year, text, previous_text, similarity); else no panel.
    """
    frame = study.frames.get("repeated_problems")  # the streamed study: made batch by batch
    if frame is None:
        if importlib.util.find_spec("nlp.history") is None:
            return ""
        run = getattr(importlib.import_module("nlp.history"), "history", None)
        if run is None:
            return ""
        frame = run(study.corpus.reports, reuse=study.reuse).repeated_problems_frame()
    if not len(frame):
        return section(anchor, title, para("No office names a problem its previous report named."))
    per = frame.groupby("year").agg(repeated=("text", "size"), offices=("office", "nunique"))
    rel_y = study.data("repeated_problems_by_year", per, "repeated problems per year", index=True)
    cols = [c for c in ("office", "year", "previous_year", "text", "previous_text", "similarity")
            if c in frame.columns]
    top = frame.sort_values(["year", "office"], ascending=[False, True])[cols]
    rel = study.data("repeated_problems", top, "problems named again from the previous report")
    return section(anchor, title,
                   para(f"{len(frame):,} problem statements repeat one of the office's previous "
                        "report (nlp.history)."),
                   table(per.reset_index(), rel_y, 12),
                   table(top, rel, 10, "The latest repeated problems, beside the earlier wording."))


def summaries_section(study: "Study", anchor: str, title: str) -> str:
    """Per section: how many reports, their length, their keywords, one example summary."""
    from nlp.model import SECTION_IDS

    sm = study.frames["summaries"]
    if not len(sm):
        return section(anchor, title, para("No summaries."))
    rows = []
    for sec, g in sm.groupby("section"):
        kw = Counter(w for ks in g["keywords"] for w in (ks if isinstance(ks, (list, tuple)) else [])[:WORDS])
        good = g[g["summary"].fillna("").str.len() > 0]
        example = ""
        if len(good):
            lengths = good["summary"].str.len()
            r = good.loc[(lengths - lengths.median()).abs().idxmin()]
            example = f"{r['office']} {'' if pd.isna(r['year']) else int(r['year'])}: {r['summary']}"
        rows.append({"section": sec, "reports": g["path"].nunique(),
                     "median sentences": float(g["n_sentences"].median()),
                     "boilerplate share": round(float(g["boilerplate_share"].mean()), 4)
                     if g["boilerplate_share"].notna().any() else None,
                     "keywords": "、".join(w for w, _ in kw.most_common(WORDS)),
                     "example summary": example})
    order = {s: k for k, s in enumerate(SECTION_IDS)}
    frame = pd.DataFrame(rows).sort_values("section", key=lambda s: s.map(lambda x: order.get(x, 99)))
    rel = study.data("section_keywords", frame, "per section: keywords and an example summary")
    return section(anchor, title, table(frame, rel, 20,
                                        "Keywords most often among a section's top keywords; the "
                                        "example is the summary of median length (summaries.csv "
                                        "has every report's)."))
