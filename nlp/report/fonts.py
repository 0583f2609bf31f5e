"""Chinese that renders on any reader's machine: the shipped Noto CJK font, embedded in the page.

A page that asks only for ``sans-serif`` shows every character as an empty box (tofu) where no
Chinese system font is installed. The pages govnlp writes carry their own font instead: the SC
face of the pip-shipped Noto Sans CJK (the one the plots use, ``nlp.plots.fonts``), cut with
fontTools down to the characters the page can show and stored as a base64 WOFF ``@font-face``.
"""
from __future__ import annotations

import base64
import io
from functools import lru_cache

#: The ``font-family`` name of the embedded face.
FAMILY = "Govnlp CJK"
#: What the pages ask for: the embedded face first, so every reader sees the same glyphs.
FONT_STACK = (f'"{FAMILY}", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", '
              '"Microsoft YaHei", sans-serif')
#: Always in the subset, whatever the page says: digits, Latin and the punctuation of the UI.
BASE_CHARS = ("".join(chr(c) for c in range(0x20, 0x7F))
              + "，。、；：？！“”‘’（）《》【】—…·％－～０１２３４５６７８９")


def page_chars(*texts: str) -> str:
    """The distinct characters of ``texts`` plus :data:`BASE_CHARS`, sorted (a stable cache key)."""
    chars = set(BASE_CHARS)
    for t in texts:
        chars.update(t)
    return "".join(sorted(c for c in chars if c >= " "))


@lru_cache(maxsize=8)
def subset_woff(chars: str) -> bytes:
    """The shipped font's SC face cut to ``chars``, as WOFF (zlib; no brotli needed).

    About 0.3 KB a character: 150 KB for a 450-character page, 1 MB for a corpus's 3,000.
    """
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    from nlp.plots.fonts import shipped_font

    path, index = shipped_font()
    collection = TTCollection(str(path), lazy=True)  # loaded fresh: subsetting edits it
    try:
        font = collection.fonts[index]
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = ["*"]  # vertical forms and punctuation widths (halt, vert)
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=chars)
        subsetter.subset(font)
        out = io.BytesIO()
        font.flavor = "woff"
        font.recalcBBoxes = False  # the subset keeps the face's bounds; recomputing doubles the time
        font.save(out)
        return out.getvalue()
    finally:
        collection.close()


def font_face_css(*texts: str) -> str:
    """An ``@font-face`` rule embedding the font cut to the characters of ``texts``."""
    data = base64.b64encode(subset_woff(page_chars(*texts))).decode("ascii")
    return (f'@font-face{{font-family:"{FAMILY}";font-display:block;'
            f'src:url(data:font/woff;base64,{data}) format("woff")}}')
