"""The study page's pieces: a section, a table, a figure with the file behind it, the whole page.

Every string that comes from a report goes through :func:`esc`; figures are inline PNGs (the
page is one file a researcher can mail), each linked to the CSV it was drawn from.
"""
from __future__ import annotations

import base64
import html
import io
from typing import TYPE_CHECKING, Iterable

from nlp.report.fonts import FONT_STACK, font_face_css

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

#: Resolution of the inline figures: sharp on a laptop screen, ~40 KB a plot.
DPI = 96

CSS = """body{font-family:__FONTS__;max-width:68em;margin:1.5em auto;padding:0 1em;color:#222;
line-height:1.5}h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;margin-top:2em}
h3{margin:1.4em 0 .4em}.lead{font-size:1.05em;color:#444}nav a{margin-right:1em}
table{border-collapse:collapse;margin:.5em 0;font-size:13px}td,th{border-bottom:1px solid #e4e4e4;
padding:3px 8px;text-align:left;vertical-align:top}th{background:#f6f6f6}td.n{text-align:right}
figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption,.note{color:#555;font-size:13px}.evidence mark{background:#fd6}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(26em,1fr));gap:1em}
ul.files{columns:2;font-size:13px}"""


def esc(value) -> str:
    """Text for HTML: escaped, and ``None``/NaN shown as an empty cell."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value))


def link(href: str, text: str) -> str:
    return f'<a href="{esc(href)}">{esc(text)}</a>'


def section(anchor: str, title: str, *parts: str) -> str:
    """One numbered part of the study (``<section id=anchor>``)."""
    body = "\n".join(p for p in parts if p)
    return f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>\n{body}\n</section>'


def para(text: str, cls: str = "") -> str:
    return f'<p class="{cls}">{esc(text)}</p>' if cls else f"<p>{esc(text)}</p>"


def _cell(v) -> str:
    if isinstance(v, float) and v == v and not v.is_integer():
        return f'<td class="n">{v:,.3f}</td>'
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v:
        return f'<td class="n">{int(v):,}</td>'
    if isinstance(v, (list, tuple)):
        v = "; ".join(str(x) for x in v)
    return f"<td>{esc(v)}</td>"


def table(frame: "pd.DataFrame", data: str | None = None, limit: int = 20,
          caption: str = "") -> str:
    """``frame``'s first ``limit`` rows as a table, with a line saying how many rows the file
    ``data`` holds when they are more."""
    rows = frame.head(limit)
    head = "".join(f"<th>{esc(c)}</th>" for c in rows.columns)
    body = "".join("<tr>" + "".join(_cell(v) for v in r) + "</tr>"
                   for r in rows.itertuples(index=False))
    more = f"{limit} of {len(frame):,} rows shown. " if len(frame) > limit else ""
    source = f"Data: {link(data, data)}." if data else ""
    note = f'<p class="note">{esc(caption)} {more}{source}</p>' if (caption or more or source) else ""
    return f"<table><tr>{head}</tr>{body}</table>{note}"


def figure(fig: "Figure", caption: str, data: str | None = None, name: str = "") -> str:
    """A matplotlib figure as an inline PNG with its caption and the file behind it."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    src = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    source = f" Data: {link(data, data)}." if data else ""
    return (f'<figure id="fig-{esc(name)}"><img alt="{esc(caption)}" src="{src}">'
            f"<figcaption>{esc(caption)}{source}</figcaption></figure>")


def bullets(items: Iterable[str]) -> str:
    """A list of already-escaped HTML items."""
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def page(title: str, lead: str, toc: list[tuple[str, str]], body: str) -> str:
    """The whole study page, carrying its font cut to the characters on it."""
    nav = "<nav>" + "".join(link(f"#{a}", t) for a, t in toc) + "</nav>"
    main = f"<h1>{esc(title)}</h1><p class=\"lead\">{lead}</p>{nav}\n{body}"
    font = font_face_css(html.unescape(main))
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<style>{font}\n{CSS.replace('__FONTS__', FONT_STACK)}</style></head>"
            f"<body>{main}</body></html>")
