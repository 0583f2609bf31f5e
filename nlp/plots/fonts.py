"""A CJK font for matplotlib on any machine: a system one if installed, else the pip-shipped Noto.

Without it every Chinese label renders as empty boxes (and matplotlib warns "Glyph … missing").
The same shipped font is what the HTML pages embed (``nlp.report.fonts``), so plots and pages
look alike whatever the reader's machine has installed.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PREFERRED = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei",
              "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC")
#: The face of the shipped collection drawn for simplified Chinese (its glyph forms).
SHIPPED_FACE = "Noto Sans CJK SC"


def shipped_font() -> tuple[Path, int]:
    """The pip-shipped Noto Sans CJK collection and the index of its SC face in it."""
    import noto_cjk_sans_otc
    from fontTools.ttLib import TTCollection

    path = Path(noto_cjk_sans_otc.FONT_PATH)
    collection = TTCollection(str(path), lazy=True)
    try:
        names = [f["name"].getDebugName(1) for f in collection.fonts]
    finally:
        collection.close()
    return path, names.index(SHIPPED_FACE) if SHIPPED_FACE in names else 0


@lru_cache(maxsize=1)
def use_cjk_font() -> str:
    """Register a CJK font and put it first in matplotlib's sans-serif list; returns its name."""
    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    name = next((n for n in _PREFERRED if n in installed), None)
    if name is None:
        import noto_cjk_sans_otc

        font_manager.fontManager.addfont(str(noto_cjk_sans_otc.FONT_PATH))
        name = font_manager.FontProperties(fname=str(noto_cjk_sans_otc.FONT_PATH)).get_name()
    matplotlib.rcParams["font.sans-serif"] = [name, *matplotlib.rcParams["font.sans-serif"]]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK font lacks U+2212
    return name
