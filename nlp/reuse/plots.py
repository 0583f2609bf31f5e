"""Plots of reuse: a heatmap of text shared between offices, and who copies from whom.

Both work on offices (one office's reports of every year together) and keep the ``top_n``
offices that share the most text, so 500 or 10,000 reports still give a readable picture; what
was left out is said in the title (and :func:`office_links` gives every pair as a frame).
"""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nlp.plots import use_cjk_font

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from nlp.reuse.detect import ReuseResult

#: Offices drawn by default: 30 labels still read at 9 pt on a 12-inch square.
TOP_N = 30


def _label(doc) -> str:
    name = doc.office_short or doc.office or doc.path.rsplit("/", 1)[-1]
    return f"{name} {doc.year}" if doc.year else name


def office_label(doc) -> str:
    """An office's name as plotted: its short name (杜市镇), else its name, else the file."""
    return doc.office_short or doc.office or doc.path.rsplit("/", 1)[-1]


def office_links(result: "ReuseResult", layer: str = "cross_office") -> pd.DataFrame:
    """One row per (source office, copy office): passages and characters of ``layer`` they
    share (the copy side's characters), most first."""
    links: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    docs = result.table.docs
    for p in result.passages:
        if result.passage_layer(p) != layer:
            continue
        src, copy, _, (start, end) = result.oriented(p)
        row = links[(office_label(docs[src]), office_label(docs[copy]))]
        row[0] += 1
        row[1] += end - start
    frame = pd.DataFrame([(a, b, n, c) for (a, b), (n, c) in links.items()],
                         columns=["source_office", "copy_office", "passages", "chars"])
    return frame.sort_values(["chars", "source_office", "copy_office"],
                             ascending=[False, True, True], ignore_index=True)


def top_offices(links: pd.DataFrame, top_n: int) -> list[str]:
    """The ``top_n`` offices sharing the most characters, either side."""
    total = pd.concat([links.groupby("source_office")["chars"].sum(),
                       links.groupby("copy_office")["chars"].sum()]).groupby(level=0).sum()
    return sorted(total.index, key=lambda o: (-total[o], o))[:top_n]


def _left_out(links: pd.DataFrame, keep: list[str]) -> str:
    offices = set(links["source_office"]) | set(links["copy_office"])
    shown = links["source_office"].isin(keep) & links["copy_office"].isin(keep)
    if len(offices) <= len(keep):
        return ""
    return (f"\n{len(keep)} of {len(offices)} offices shown; "
            f"{int(links.loc[~shown, 'chars'].sum()):,} of {int(links['chars'].sum()):,} "
            f"shared characters left out")


def shared_chars(result: "ReuseResult", layer: str = "cross_office") -> tuple[list[str], np.ndarray]:
    """Labels and a symmetric matrix: characters of ``layer`` passages shared by two reports."""
    docs = result.table.docs
    matrix = np.zeros((len(docs), len(docs)))
    for p in result.passages:
        if result.passage_layer(p) == layer:
            n = ((p.a_end - p.a_start) + (p.b_end - p.b_start)) / 2
            matrix[p.a, p.b] += n
            matrix[p.b, p.a] += n
    return [_label(d) for d in docs], matrix


def shared_text_heatmap(result: "ReuseResult", ax: "Axes | None" = None,
                        layer: str = "cross_office", top_n: int = TOP_N) -> "Axes":
    """Heatmap of characters shared between the ``top_n`` offices sharing the most (rows: the
    office that wrote first, columns: the one that copied)."""
    use_cjk_font()
    links = office_links(result, layer)
    keep = top_offices(links, top_n) if len(links) else []
    pos = {o: k for k, o in enumerate(keep)}
    matrix = np.zeros((len(keep), len(keep)))
    for a, b, _, chars in links.itertuples(index=False):
        if a in pos and b in pos:
            matrix[pos[a], pos[b]] += chars
    if ax is None:
        ax = _axes(max(4.0, 0.32 * len(keep) + 2.5))
    im = ax.imshow(np.ma.masked_equal(matrix, 0), cmap="Oranges")
    ax.set_xticks(range(len(keep)), keep, rotation=90, fontsize=8)
    ax.set_yticks(range(len(keep)), keep, fontsize=8)
    ax.set_xlabel("复制方 (copy)")
    ax.set_ylabel("来源 (source)")
    ax.set_title(f"共享文本字符数（{layer}）" + _left_out(links, keep), fontsize=10)
    ax.figure.colorbar(im, ax=ax, shrink=0.7)
    return ax


def copy_network(result: "ReuseResult", ax: "Axes | None" = None, seed: int = 0,
                 top_n: int = TOP_N) -> "Axes":
    """Directed graph source office → copy office over cross-office passages among the
    ``top_n`` offices sharing the most; edge width by characters copied."""
    import networkx as nx

    use_cjk_font()
    links = office_links(result, "cross_office")
    keep = set(top_offices(links, top_n)) if len(links) else set()
    graph = nx.DiGraph()
    for a, b, n, chars in links.itertuples(index=False):
        if a in keep and b in keep:
            graph.add_edge(a, b, passages=n, chars=chars)
    if ax is None:
        ax = _axes(7.0, 6.0)
    if graph.number_of_nodes():
        pos = nx.spring_layout(graph, seed=seed, k=1.5 / max(1, graph.number_of_nodes()) ** 0.5)
        most = max(d["chars"] for _, _, d in graph.edges(data=True))
        widths = [0.5 + 4 * graph[u][v]["chars"] / most for u, v in graph.edges]
        nx.draw_networkx(graph, pos, ax=ax, node_color="#fdd49e", node_size=300, width=widths,
                         arrowsize=12, edge_color="#888", font_family=use_cjk_font(), font_size=8)
    ax.set_title("谁抄谁（箭头：来源 → 复制）" + _left_out(links, sorted(keep)), fontsize=10)
    ax.axis("off")
    return ax


def _axes(width: float, height: float | None = None) -> "Axes":
    """New axes: through pyplot (inline in a notebook) when it is loaded, else a bare Figure."""
    import sys

    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        return plt.subplots(figsize=(width, height or width))[1]
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height or width)).subplots()
