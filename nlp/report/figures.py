"""The study's figures: small aggregated plots that read the same at 5 or 10,000 reports.

Each takes the frame the page also writes as CSV and returns a matplotlib ``Figure`` (built
without pyplot, so no backend is chosen for the caller). Labels are Chinese where the data is,
drawn with the CJK font of ``nlp.plots.fonts``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nlp.plots import use_cjk_font

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

#: Counts spanning more than this (requests in the thousands, suits in ones) get a log scale.
LOG_FROM = 1000
#: Width of a single-panel figure in inches (the page column is ~10 in at 96 dpi).
WIDTH = 7.5


def new_figure(height: float = 3.2, width: float = WIDTH) -> tuple["Figure", object]:
    from matplotlib.figure import Figure

    use_cjk_font()
    fig = Figure(figsize=(width, height))
    return fig, fig.subplots()


def stacked_bars(frame: pd.DataFrame, title: str, ylabel: str) -> "Figure":
    """Bars of ``frame`` (index on x, one stacked colour per column)."""
    fig, ax = new_figure()
    bottom = np.zeros(len(frame))
    x = [str(i) for i in frame.index]
    for col in frame.columns:
        values = frame[col].fillna(0).to_numpy(dtype=float)
        ax.bar(x, values, bottom=bottom, label=str(col))
        bottom += values
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel)
    if len(frame.columns) > 1:
        ax.legend(fontsize=8, ncols=min(4, len(frame.columns)), frameon=False)
    ax.tick_params(axis="x", labelsize=8, rotation=0 if len(x) < 12 else 90)
    return fig


def hbars(labels: list[str], values: list[float], title: str, xlabel: str,
          as_share: bool = False) -> "Figure":
    """Horizontal bars, first label on top, the value written at the end of each bar."""
    fig, ax = new_figure(max(1.6, 0.28 * len(labels) + 0.8))
    y = np.arange(len(labels))[::-1]
    ax.barh(y, values, color="#4c8bc0")
    ax.set_yticks(y, labels, fontsize=8)
    for yy, v in zip(y, values):
        ax.text(v, yy, f" {v:.0%}" if as_share else f" {v:,.0f}", va="center", fontsize=7)
    if as_share:
        ax.set_xlim(0, 1.1)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    return fig


def lines(frame: pd.DataFrame, title: str, ylabel: str, log: bool = False) -> "Figure":
    """One line per column of ``frame`` over its index (years), the legend beside the plot;
    ``log``: a log scale once the largest value passes :data:`LOG_FROM`."""
    fig, ax = new_figure()
    for col in frame.columns:
        ax.plot([str(i) for i in frame.index], frame[col].to_numpy(dtype=float), marker="o",
                label=str(col))
    if log and np.nanmax(frame.to_numpy(dtype=float), initial=0) >= LOG_FROM:
        ax.set_yscale("symlog", linthresh=10)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    return fig


def value_heatmap(frame: pd.DataFrame, title: str, fmt: str = "{:.0%}") -> "Figure":
    """A small annotated heatmap of ``frame`` (rows × columns), empty cells left blank."""
    fig, ax = new_figure(max(2.0, 0.35 * len(frame) + 1.2),
                         max(4.0, min(WIDTH, 0.9 * len(frame.columns) + 2.5)))
    values = frame.to_numpy(dtype=float)
    top = np.nanmax(values, initial=0)
    im = ax.imshow(np.ma.masked_invalid(values), cmap="YlOrRd", aspect="auto", vmin=0,
                   vmax=top if top > 0 else 1)
    ax.set_xticks(range(len(frame.columns)), [str(c) for c in frame.columns], fontsize=8,
                  rotation=30, ha="right")
    ax.set_yticks(range(len(frame.index)), [str(i) for i in frame.index], fontsize=8)
    for (r, c), v in np.ndenumerate(values):
        if v == v:
            ax.text(c, r, fmt.format(v), ha="center", va="center", fontsize=7)
    ax.set_title(title, fontsize=10)
    fig.colorbar(im, ax=ax, shrink=0.8)
    return fig


def reuse_figure(plot, result, top_n: int, size: tuple[float, float]) -> "Figure":
    """A plot of ``nlp.reuse.plots`` on a fresh figure."""
    fig, ax = new_figure(size[1], size[0])
    plot(result, ax=ax, top_n=top_n)
    return fig
