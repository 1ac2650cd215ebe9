"""Scanned PDF pages read by OCR (ingest/ocr.py, the `ocr` extra: rapidocr-onnxruntime).

Every scan is made here: Chinese text drawn into an image with a real CJK font and
the image put in a PDF page with no text layer, or a corpus PDF rendered to images
and saved back as an image-only PDF (the scanned-copy test).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import load
from ingest.errors import warning_text
from ingest.model import Paragraph, Table

pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed")
pytest.importorskip("reportlab")

REPO = Path(__file__).resolve().parents[2]
WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPI = 200
A4_PX = (1654, 2339)          # A4 at 200 dpi
PT = DPI / 72                 # pixels per point

if not Path(WQY).is_file():
    pytest.skip("fonts-wqy-zenhei is not installed", allow_module_level=True)


def _font(size_pt: float):
    from PIL import ImageFont
    return ImageFont.truetype(WQY, int(size_pt * PT))


def scan_image(lines: list[tuple[float, str, float]], table: list[list[str]] | None = None,
               table_top: float = 0):
    """An A4 page image: (size_pt, text, top_pt) lines, optionally a ruled table."""
    from PIL import Image, ImageDraw

    img = Image.new("L", A4_PX, 255)
    draw = ImageDraw.Draw(img)
    for size, text, top in lines:
        draw.text((72 * PT, top * PT), text, font=_font(size), fill=0)
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
                          font=_font(11), fill=0)
    return img


def image_pdf(path: Path, images) -> Path:
    images[0].save(path, "PDF", resolution=DPI, save_all=True, append_images=images[1:])
    return path


BODY = [(16, "一、企业简况", 100),
        (12, "广西某某糖业有限公司位于崇左市，主要产品为白砂糖。", 140),
        (12, "2023年全厂水计量率达到100%，能源计量器具配备率为95.6%。", 165)]


@pytest.fixture(scope="module")
def one_scan(tmp_path_factory) -> Path:
    return image_pdf(tmp_path_factory.mktemp("ocr") / "scan.pdf", [scan_image(BODY)])


def test_scanned_page_is_read_by_ocr(one_scan):
    doc = load(one_scan)
    assert doc.pages == 1 and doc.ocr_pages == 1 and doc.unread_pages == []
    assert doc.warnings == [warning_text("W006", pages="1")]
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "一、企业简况"
    assert "广西某某糖业有限公司位于崇左市，主要产品为白砂糖。" in texts
    assert any("水计量率达到100%" in t and "95.6%" in t for t in texts)
    assert all(b.source == "ocr" and b.page == 1 for b in doc.blocks)
    assert [b.locator for b in doc.blocks] == [f"p1.o{i}" for i in range(1, len(doc.blocks) + 1)]
    heading = doc.blocks[0]
    assert isinstance(heading, Paragraph) and heading.size_ratio and heading.size_ratio > 1.2


def test_no_ocr_lists_the_pages_instead(one_scan):
    doc = load(one_scan, ocr=False)
    assert doc.blocks == [] and doc.ocr_pages == 0
    assert doc.unread_pages == [1]
    assert doc.warnings == [warning_text("W001", pages="1")]


def test_without_the_ocr_extra_the_pages_are_listed_not_zero(one_scan):
    # The package made unimportable in a fresh interpreter, as on a machine without the extra.
    code = (
        "import sys, json; sys.modules['rapidocr_onnxruntime'] = None\n"
        "from ingest import load\n"
        f"d = load({str(one_scan)!r})\n"
        "print(json.dumps({'unread': d.unread_pages, 'warnings': d.warnings, 'blocks': len(d.blocks)}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out == {"unread": [1], "blocks": 0,
                   "warnings": [warning_text("W001", pages="1"), warning_text("W007")]}


def test_scanned_pages_go_between_text_pages_in_order(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WQY", WQY, subfontIndex=0))
    png = tmp_path / "p2.png"
    scan_image([(12, "第二页是扫描件，废水回用率为92.3%。", 100)]).save(png)
    path = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in (1, 2, 3):
        if page == 2:
            c.drawImage(str(png), 0, 0, width=A4[0], height=A4[1])
        else:
            c.setFont("WQY", 12)
            c.drawString(72, 760, f"第{page}页是文字页，内容正常。")
        c.showPage()
    c.save()
    doc = load(path)
    assert [(b.page, b.source) for b in doc.blocks] == [(1, "body"), (2, "ocr"), (3, "body")]
    assert doc.blocks[1].text == "第二页是扫描件，废水回用率为92.3%。"
    assert doc.blocks[1].locator == "p2.o1"
    assert doc.ocr_pages == 1 and doc.unread_pages == []


def test_ruled_table_on_a_scan_becomes_a_table(tmp_path):
    grid = [["项目", "2021年", "2022年", "2023年"],
            ["水计量率(%)", "95.0", "100", "100"],
            ["废水回用率(%)", "88.2", "90.5", "92.3"]]
    img = scan_image([(12, "主要清洁生产指标见下表。", 100)], table=grid, table_top=140)
    doc = load(image_pdf(tmp_path / "table.pdf", [img]))
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    assert tables[0].grid() == grid
    assert tables[0].source == "ocr" and tables[0].page == 1
    assert doc.blocks[0].text == "主要清洁生产指标见下表。"


def test_unmapped_glyph_page_is_read_by_ocr(tmp_path):
    # A text layer whose glyphs have no Unicode map gives "(cid:N)": OCR reads the page instead.
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WQY", WQY, subfontIndex=0))
    path = tmp_path / "cid.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("WQY", 14)
    c.drawString(72, 700, "2023年全厂水计量率达到100%。")
    c.showPage()
    c.save()
    path.write_bytes(path.read_bytes().replace(b"/ToUnicode", b"/ToUnicodX"))
    assert load(path, ocr=False).unread_pages == [1]
    doc = load(path)
    assert doc.unread_pages == [] and doc.ocr_pages == 1
    assert [b.text for b in doc.blocks] == ["2023年全厂水计量率达到100%。"]


def test_a_page_image_with_no_text_stays_unread(tmp_path):
    from PIL import Image, ImageDraw

    img = Image.new("L", A4_PX, 255)
    ImageDraw.Draw(img).ellipse((300, 300, 1300, 1300), outline=0, width=8)   # a drawing, no words
    doc = load(image_pdf(tmp_path / "drawing.pdf", [img]))
    assert doc.unread_pages == [1] and doc.blocks == []
    assert doc.warnings == [warning_text("W001", pages="1")]
