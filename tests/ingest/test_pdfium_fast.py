"""The C loops of the pdfium reader (ingest/_pdfium_fast.c) against its Python loops.

PdfiumReader walks a page's objects and reads its characters in C when the extension is
built, and in Python (ctypes) otherwise; the Python path is the reference. Both must give the
same pages: None on the same pages, and otherwise the same characters (every key, in the same
order, with exactly the same floats), edges, images and curves, and the same running doctop.
"""
from __future__ import annotations

import ctypes
import dataclasses
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest

from ingest import pdf_pdfium
from ingest.pdf_pdfium import PdfiumReader

ROOT = Path(__file__).resolve().parents[2]
PDFS = sorted((ROOT / "corpus" / "samples").glob("*.pdf")) + \
    sorted(ROOT.glob("corpus/heldout*/samples/*.pdf"))
# the benchmark's 197-page report (python -m cpscreen.bench), where it was generated
BENCH = [p for p in (Path("/tmp/bench/longreport-200.pdf"),
                     Path.home() / ".cache" / "cpscreen-bench" / "longreport-200.pdf") if p.is_file()]
WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


@pytest.fixture
def fast():
    module = pdf_pdfium._load_fast()
    if module is None:
        pytest.skip("ingest._pdfium_fast is not built (or CPSCREEN_NO_CEXT is set)")
    return module


def _read(data: bytes, page_objs: list, n_pages: int, path_module, monkeypatch) -> tuple[list, float]:
    monkeypatch.setattr(pdf_pdfium, "_fast", path_module)
    reader = PdfiumReader(data, None, page_objs)
    try:
        return [reader.read_page(i) for i in range(n_pages)], reader.doctop
    finally:
        reader.close()


def _compared(page) -> tuple | None:
    if page is None:
        return None
    # the items as lists: the same keys in the same order, floats compared exactly
    return dataclasses.asdict(page), [list(c.items()) for c in page.chars]


def _assert_same_pages(data: bytes, fast, monkeypatch, n_pages: int | None = None) -> list:
    with pdfplumber.open(BytesIO(data)) as pdf:
        page_objs = [p.page_obj for p in pdf.pages]
        n = len(page_objs) if n_pages is None else min(n_pages, len(page_objs))
        in_c, doctop_c = _read(data, page_objs, n, fast, monkeypatch)
        in_python, doctop_python = _read(data, page_objs, n, None, monkeypatch)
    for i, (c, python) in enumerate(zip(in_c, in_python)):
        assert _compared(c) == _compared(python), f"page {i + 1}"
    assert doctop_c == doctop_python
    return in_c


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_c_and_python_read_every_corpus_page_alike(path, fast, monkeypatch):
    pages = _assert_same_pages(path.read_bytes(), fast, monkeypatch)
    assert any(p is not None and p.chars for p in pages)


@pytest.mark.skipif(not BENCH, reason="the benchmark report has not been generated")
def test_c_and_python_read_the_benchmark_report_alike(fast, monkeypatch):
    pages = _assert_same_pages(BENCH[0].read_bytes(), fast, monkeypatch, n_pages=30)
    assert sum(p is not None for p in pages) >= 25


def _unusual_pages_pdf() -> bytes:
    """One page per way the reader gives a page up, between ordinary ones."""
    pytest.importorskip("reportlab")
    if not Path(WQY).is_file():
        pytest.skip("fonts-wqy-zenhei is not installed")
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WQY", WQY, subfontIndex=0))
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=(595.27, 841.89))

    def text(x, y, s, font="Helvetica", size=12.0):
        c.setFont(font, size)
        c.drawString(x, y, s)

    # ordinary: two fonts, a ruled box, a line, a circle, an image, text scaled by the page
    # matrix (its size, font size * the float matrix scale, is no float: its double must stay)
    text(72, 700, "Cleaner production audit 2023")
    text(72, 680, "清洁生产审核报告", "WQY", 14)
    c.saveState()
    c.scale(1.1, 1.1)
    text(72, 500, "Scaled by the page", size=9)
    c.restoreState()
    c.rect(72, 600, 200, 60)
    c.line(72, 590, 300, 590)
    c.circle(400, 400, 30)
    c.drawImage(ImageReader(Image.new("RGB", (4, 4), "red")), 300, 100, 40, 40)
    c.showPage()
    c.saveState()                                   # rotated text
    c.translate(300, 400)
    c.rotate(90)
    text(0, 0, "Rotated")
    c.restoreState()
    c.showPage()
    c.saveState()                                   # mirrored text
    c.translate(300, 400)
    c.scale(-1, 1)
    text(0, 0, "Mirrored")
    c.restoreState()
    c.showPage()
    c.beginForm("form")                             # a form XObject
    text(72, 700, "In a form")
    c.endForm()
    c.doForm("form")
    c.showPage()
    c.rect(72, 600, 200, 60)                        # no text
    c.showPage()
    text(72, 700, "第一章 企业概况", "WQY", 14)       # fake bold: drawn twice, shifted
    text(72.3, 700, "第一章 企业概况", "WQY", 14)
    c.showPage()
    t = c.beginText(72, 700)                        # ordinary: squeezed text, a tiny size
    t.setFont("Helvetica", 9)
    t.setHorizScale(60)
    t.textLine("Scaled 60%")
    c.drawText(t)
    text(72, 650, "x", size=4)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_c_and_python_give_up_on_the_same_unusual_pages(fast, monkeypatch):
    pages = _assert_same_pages(_unusual_pages_pdf(), fast, monkeypatch)
    assert [p is not None for p in pages] == [True, False, False, False, False, False, True]
    ordinary = pages[0]
    assert ordinary.images == [None] and ordinary.edges
    assert any(c["size"] != float(ctypes.c_float(c["size"]).value) for c in ordinary.chars)
    assert {c["fontname"].split("+")[-1] for c in ordinary.chars} == {"Helvetica", "WenQuanYiZenHei-0"}


def test_odd_arguments_are_errors_not_crashes(fast):
    path = ROOT / "corpus" / "samples" / "a01_sugar_audit.pdf"
    with pdfplumber.open(path) as pdf:
        reader = PdfiumReader(path.read_bytes(), None, [p.page_obj for p in pdf.pages])
        page = reader.pdf[0]
        textpage = page.get_textpage()
        try:
            tp = ctypes.cast(textpage.raw, ctypes.c_void_p).value
            page_addr = ctypes.cast(page.raw, ctypes.c_void_p).value
            objects, _, _ = fast.walk_objects(page_addr)

            def fails(key, texts):
                raise KeyError(key)

            with pytest.raises(ValueError):
                fast.walk_objects(0)
            with pytest.raises(ValueError):
                fast.page_chars(0, objects, 842.0, 0.0, lambda k, t: None)
            with pytest.raises(ValueError):                  # not a whole number of addresses
                fast.page_chars(tp, objects + b"\0", 842.0, 0.0, lambda k, t: None)
            with pytest.raises(KeyError):                    # the resolver's error comes through
                fast.page_chars(tp, objects, 842.0, 0.0, fails)
            with pytest.raises(TypeError):                   # and a wrong answer is one
                fast.page_chars(tp, objects, 842.0, 0.0, lambda k, t: "SimSun")
            with pytest.raises(ValueError):                  # bind() checks before it binds
                fast.bind([1, 2, 3])
            assert fast.page_chars(tp, objects, 842.0, 0.0, lambda k, t: None) is None
            chars = fast.page_chars(tp, objects, 842.0, 0.0, lambda k, t: ("F", -0.25))
            assert chars and all(c["fontname"] == "F" for c in chars)
        finally:
            textpage.close()
            page.close()
            reader.close()
