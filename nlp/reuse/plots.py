"""Plots of reuse: a heatmap of text shared between offices, and who copies from whom."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from nlp.plots import use_cjk_font

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from nlp.reuse.detect import ReuseResult


def _label(doc) -> str:
    name = doc.office_short or doc.office or doc.path.rsplit("/", 1)[-1]
    return f"{name} {doc.year}" if doc.year else name


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
                        layer: str = "cross_office") -> "Axes":
    """Heatmap of shared characters between every two reports (reports with none left out)."""
    import matplotlib.pyplot as plt

    use_cjk_font()
    labels, matrix = shared_chars(result, layer)
    keep = np.flatnonzero(matrix.sum(axis=1))
    if keep.size:
        labels, matrix = [labels[k] for k in keep], matrix[np.ix_(keep, keep)]
    if ax is None:
        size = max(4, 0.45 * len(labels) + 2)
        _, ax = plt.subplots(figsize=(size, size))
    im = ax.imshow(matrix, cmap="Oranges")
    ax.set_xticks(range(len(labels)), labels, rotation=90)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_title(f"共享文本字符数（{layer}）")
    ax.figure.colorbar(im, ax=ax, shrink=0.7)
    return ax


def copy_network(result: "ReuseResult", ax: "Axes | None" = None, seed: int = 0) -> "Axes":
    """Directed graph source → copy over cross-office passages, edge width by passages."""
    import matplotlib.pyplot as plt
    import networkx as nx

    use_cjk_font()
    graph = nx.DiGraph()
    for p in result.passages:
        if result.passage_layer(p) != "cross_office":
            continue
        src, copy, _, _ = result.oriented(p)
        a, b = _label(result.table.docs[src]), _label(result.table.docs[copy])
        weight = graph.get_edge_data(a, b, {"weight": 0})["weight"] + 1
        graph.add_edge(a, b, weight=weight)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6))
    pos = nx.spring_layout(graph, seed=seed)
    widths = [1 + graph[u][v]["weight"] for u, v in graph.edges]
    nx.draw_networkx(graph, pos, ax=ax, node_color="#fdd49e", width=widths, arrowsize=15,
                     font_family=use_cjk_font(), font_size=9)
    ax.set_title("谁抄谁（箭头：来源 → 复制）")
    ax.axis("off")
    return ax
