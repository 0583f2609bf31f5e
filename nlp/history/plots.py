"""A timeline per office: the share of each section carried over from the previous report."""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from nlp.plots import use_cjk_font

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

#: Sections drawn, in template order, then ``all`` in black (others are rarely narrative).
SECTIONS = ("overview", "proactive", "requests", "review_litigation", "problems", "other", "all")
_UNSAFE = re.compile(r"[^\w.-]+")


def timeline(history: pd.DataFrame, office_id: str, ax: "Axes | None" = None) -> "Axes":
    """Carried-over share by section over the years for one office (a ``history`` frame)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    use_cjk_font()
    rows = history[(history["office_id"] == office_id) & history["carried_over_share"].notna()]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    for section in SECTIONS:
        part = rows[rows["section"] == section].sort_values("year")
        if len(part):
            ax.plot(part["year"].astype(int), part["carried_over_share"], marker="o",
                    label=section, color="black" if section == "all" else None,
                    linewidth=2.5 if section == "all" else 1.2)
    office = history.loc[history["office_id"] == office_id, "office"].dropna()
    ax.set_title(f"{office.iloc[-1] if len(office) else office_id}: 与上一份报告相同的文字比例")
    ax.set_xlabel("year")
    ax.set_ylabel("carried-over share")
    ax.set_ylim(0, 1.05)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


def top_offices(compared_offices: pd.Series, limit: int) -> list:
    """The office ids with the most compared reports, most first, at most ``limit``
    (``compared_offices``: the ``office_id`` of each ``all`` row with a previous report)."""
    return list(compared_offices.value_counts().index)[:limit]


def plot_offices(history: pd.DataFrame, folder: Path, limit: int,
                 offices: list | None = None) -> list[Path]:
    """One PNG per office with a compared report (most compared reports first, at most
    ``limit``; or the ``offices`` given: the streamed history keeps only their rows), named
    after its office id."""
    import matplotlib.pyplot as plt

    if offices is None:
        compared = history[(history["section"] == "all") & history["previous_report_id"].notna()]
        offices = top_offices(compared["office_id"], limit)
    out = []
    for office_id in offices:
        folder.mkdir(parents=True, exist_ok=True)
        ax = timeline(history, office_id)
        path = folder / f"{_UNSAFE.sub('_', str(office_id))}.png"
        ax.figure.savefig(path, dpi=100, bbox_inches="tight")
        plt.close(ax.figure)
        out.append(path)
    return out
