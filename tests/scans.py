"""Scanned PDFs for the OCR tests, made here (nothing is downloaded): Chinese text drawn into
an A4 image with a real CJK font, images put in PDF pages with no text layer, text pages and
scanned pages mixed in one file, or a text PDF rendered to images and saved back image-only.

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from scans import scan_image, image_pdf
"""
from __future__ import annotations

from pathlib import Path

WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPI = 200
A4_PX = (1654, 2339)          # A4 at 200 dpi
PT = DPI / 72                 # pixels per point


def have_font() -> bool:
    return Path(WQY).is_file()


def font(size_pt: float):
    from PIL import ImageFont
    return ImageFont.truetype(WQY, int(size_pt * PT))


def scan_image(lines: list[tuple[float, str, float]], table: list[list[str]] | None = None,
               table_top: float = 0):
    """An A4 page image: (size_pt, text, top_pt) lines, optionally a ruled table."""
    from PIL import Image, ImageDraw

    img = Image.new("L", A4_PX, 255)
    draw = ImageDraw.Draw(img)
    for size, text, top in lines:
        draw.text((72 * PT, top * PT), text, font=font(size), fill=0)
    if table:
        col_w, row_h, left = 110, 26, 72
        n_cols = len(table[0])
        for r in range(len(table) + 1):
            y = (table_top + r * row_h) * PT
            draw.line((left * PT, y, (left + n_cols * col_w) * PT, y), fill=0, width=3)
        for c in range(n_cols + 1):
            x = (left + c * col_w) * PT
            draw.line((x, table_top * PT, x, (table_top + len(table) * row_h) * PT), fill=0, width=3)
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                draw.text(((left + c * col_w + 8) * PT, (table_top + r * row_h + 6) * PT), text,
                          font=font(11), fill=0)
    return img


def image_pdf(path: Path, images) -> Path:
    """An image-only PDF, one page per image."""
    images[0].save(path, "PDF", resolution=DPI, save_all=True, append_images=images[1:])
    return path


def mixed_pdf(path: Path, pages: list) -> Path:
    """A PDF whose pages are, in order, text pages (a str: one line with a text layer) and
    scanned pages (a PIL image filling the page, no text layer)."""
    import tempfile

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WQY", WQY, subfontIndex=0))
    c = canvas.Canvas(str(path), pagesize=A4)
    with tempfile.TemporaryDirectory() as tmp:
        for i, page in enumerate(pages):
            if isinstance(page, str):
                c.setFont("WQY", 12)
                c.drawString(72, 760, page)
            else:
                png = Path(tmp) / f"p{i}.png"
                page.save(png)
                c.drawImage(str(png), 0, 0, width=A4[0], height=A4[1])
            c.showPage()
        c.save()
    return path


def scan_copy(text_pdf: Path, out: Path, dpi: int = 200, pages: list[int] | None = None) -> Path:
    """An image-only copy of a PDF: its pages (0-based `pages`, or all) rendered at `dpi`."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(text_pdf))
    images = []
    try:
        for i in pages if pages is not None else range(len(pdf)):
            images.append(pdf[i].render(scale=dpi / 72, grayscale=True).to_pil())
    finally:
        pdf.close()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out
