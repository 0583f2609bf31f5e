"""A scanned report made on the spot: text lines drawn as page images and wrapped in a PDF
with no text layer (what a scanner gives), for the OCR tests and the ingest benchmark."""
from __future__ import annotations

import io
from pathlib import Path

DPI = 150
PAGE = (1240, 1754)  # A4 at 150 dpi
MARGIN, FONT_PX, LINE_PX, CELL_PX = 90, 26, 42, 260


def draw_pages(lines: list[str]):
    """Images of the lines as a scanner would see them: paragraphs wrapped at the margin, the
    tab-separated table cells drawn in columns."""
    import noto_cjk_sans_otc
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(noto_cjk_sans_otc.FONT_PATH, FONT_PX, index=2)  # index 2: SC
    width = PAGE[0] - 2 * MARGIN
    rows: list[list[str]] = []
    for line in lines:
        cells = [c.strip() for c in line.split("\t")] if "\t" in line else None
        if cells:
            rows.append(cells)
            continue
        cur = ""
        for ch in line:  # wrap at the margin, as a printed page does
            if font.getlength(cur + ch) > width:
                rows.append([cur])
                cur = ""
            cur += ch
        rows.append([cur])
    pages, y, img = [], None, None
    for row in rows:
        if img is None or y + LINE_PX > PAGE[1] - MARGIN:
            img = Image.new("L", PAGE, 255)
            pages.append(img)
            y = MARGIN
        draw = ImageDraw.Draw(img)
        for k, cell in enumerate(row):
            draw.text((MARGIN + k * CELL_PX, y), cell, font=font, fill=0)
        y += LINE_PX
    return pages



def write_scanned_pdf(lines: list[str], path: Path) -> int:
    """Draw ``lines`` into A4 page images and write them to ``path`` as an image-only PDF;
    returns the number of pages."""
    import img2pdf

    pngs = []
    for img in draw_pages(lines):
        buf = io.BytesIO()
        img.save(buf, format="PNG", dpi=(DPI, DPI))
        pngs.append(buf.getvalue())
    Path(path).write_bytes(img2pdf.convert(pngs))
    return len(pngs)
