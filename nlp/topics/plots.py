"""Plots of topics: top words per topic, topics over the years, topics by class (heatmap).

Every function calls :func:`~nlp.plots.use_cjk_font` first, so the Chinese words render on any
machine (no "Glyph … missing from font" boxes), and returns its matplotlib Figure or Axes for
the caller to adjust or save.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from nlp.plots import use_cjk_font

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from nlp.topics.corpus import TopicResult


def topic_labels(source: Any, n: int = 3) -> list[str]:
    """Short labels "主题0：词 词 词" from a TopicResult or TopicModel's top ``n`` words."""
    model = getattr(source, "model", source)
    return [f"主题{k}：{'·'.join(words)}" for k, words in enumerate(model.topic_words(n))]


def plot_top_words(source: Any, n: int = 10, ncols: int = 4) -> "Figure":
    """One horizontal bar chart per topic: its ``n`` top words and their weights.

    ``source`` is a TopicResult (titles then show each topic's NPMI coherence) or a fitted
    TopicModel.
    """
    import matplotlib.pyplot as plt

    use_cjk_font()
    words = source.top_words(n)
    topics = sorted(words["topic"].unique())
    coherence = (dict(zip(source.topics["topic"], source.topics["coherence"]))
                 if hasattr(source, "topics") else {})
    ncols = max(1, min(ncols, len(topics)))
    nrows = -(-len(topics) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 0.28 * n * nrows + 1.2 * nrows),
                             squeeze=False)
    for ax, k in zip(axes.flat, topics):
        rows = words[words["topic"] == k].sort_values("rank")
        ax.barh(range(len(rows)), rows["weight"], color=plt.cm.tab10(k % 10))
        ax.set_yticks(range(len(rows)), rows["word"])
        ax.invert_yaxis()
        title = f"主题{k}"
        if k in coherence and np.isfinite(coherence[k]):
            title += f"（NPMI {coherence[k]:.2f}）"
        ax.set_title(title, fontsize=10)
        ax.tick_params(axis="x", labelsize=7)
    for ax in list(axes.flat)[len(topics):]:
        ax.set_visible(False)
    fig.suptitle("各主题高权重词")
    fig.tight_layout()
    return fig


def plot_over_time(result: "TopicResult", measure: str = "weight", kind: str = "bar",
                   ax: "Axes | None" = None, min_units: int | None = None) -> "Axes":
    """Topic shares by report year: stacked bars (``kind="bar"``), a stacked area (``"area"``)
    or lines (``"line"``), each year labelled with its n (units, reports).

    A year with fewer than ``min_units`` assigned units (default ``MIN_UNITS``) is greyed out:
    its share describes one or two offices, not the year. With a single year an area has no
    width, so it is drawn as bars.
    """
    import matplotlib.pyplot as plt

    from nlp.topics.corpus import MIN_UNITS

    use_cjk_font()
    frame = result.over_time(measure)
    min_units = MIN_UNITS if min_units is None else min_units
    counts = result.counts("year", min_units)
    counts = counts.set_index("year").reindex(frame.index)
    labels = topic_labels(result)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(9, 0.8 * len(frame) + 4), 4.5))
    years = np.asarray(frame.index, dtype=float)
    colors = [plt.cm.tab10(k % 10) for k in frame.columns]
    enough = counts["enough"].fillna(False).to_numpy(dtype=bool)
    if kind == "line":
        for k, color in zip(frame.columns, colors):
            ax.plot(years, frame[k], marker="o", color=color, label=labels[k])
    elif kind == "area" and len(frame) > 1:
        ax.stackplot(years, frame.T.to_numpy(), colors=colors,
                     labels=[labels[k] for k in frame.columns], alpha=0.85)
    else:
        bottom = np.zeros(len(frame))
        for k, color in zip(frame.columns, colors):
            bars = ax.bar(years, frame[k], bottom=bottom, color=color, label=labels[k], width=0.7)
            for bar, ok in zip(bars, enough):
                if not ok:
                    bar.set_alpha(0.25)
            bottom += frame[k].to_numpy()
    for y, ok in zip(years, enough):
        if not ok:  # too few units: grey the year whatever the kind
            ax.axvspan(y - 0.5, y + 0.5, color="0.85", alpha=0.5, zorder=0, lw=0)
    if len(frame):
        ticks = [f"{int(y)}\nn={int(u)}·{int(r)}份" for y, u, r in
                 zip(years, counts["assigned"].fillna(0), counts["reports"].fillna(0))]
        ax.set_xticks(years, ticks, fontsize=8)
        for tick, ok in zip(ax.get_xticklabels(), enough):
            tick.set_color("black" if ok else "0.6")
    ax.set_xlabel(f"年度（n = 语句单元·报告份数；灰色：少于{min_units}个单元）")
    ax.set_ylabel("平均主题权重" if measure == "weight" else "主导主题占比")
    ax.set_title("主题随年度变化")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    return ax


def plot_by_class(result: "TopicResult", column: str = "level", measure: str = "weight",
                  ax: "Axes | None" = None) -> "Axes":
    """Heatmap of topic shares per class (``column`` = level, region …), cells annotated."""
    import matplotlib.pyplot as plt

    use_cjk_font()
    frame = result.by_class(column, measure)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.1 * max(len(frame.columns), 4) + 2.5,
                                      0.45 * max(len(frame), 3) + 1.5))
    values = frame.to_numpy(dtype=float)
    im = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(len(frame.columns)), [f"主题{k}" for k in frame.columns])
    ax.set_yticks(range(len(frame)), [str(v) for v in frame.index])
    high = np.nanmax(values) if values.size else 0
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7,
                color="white" if v > 0.6 * high else "black")
    names = {"level": "层级", "region": "地区", "office": "机关", "statement": "语句类型"}
    ax.set_title(f"各{names.get(column, column)}的主题分布")
    ax.figure.colorbar(im, ax=ax, shrink=0.8)
    return ax
