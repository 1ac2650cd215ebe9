"""The pdfium page reader (ingest/pdf_pdfium.py) against pdfplumber, on the corpus PDFs.

The PDF reader takes an ordinary page from pdfium and anything unusual from pdfplumber; what
it takes from pdfium must be what pdfplumber would have given: the same characters in the
same places with the same font names and sizes, and the same table cells. And a whole
Document read with the fast path must equal one read with pdfplumber alone.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pdfplumber
import pytest

from ingest import load
from ingest import pdf_reader
from ingest.pdf_pdfium import PdfiumReader

ROOT = Path(__file__).resolve().parents[2]
PDFS = sorted((ROOT / "corpus" / "samples").glob("*.pdf")) + \
    sorted((ROOT / "corpus" / "heldout" / "samples").glob("*.pdf"))
LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def _cells(tables) -> list[list[tuple]]:
    return [sorted(tuple(round(v, 2) for v in cell) for cell in t.cells) for t in tables]


def _visible(chars) -> list[dict]:
    # pdfium folds some drawn spaces into its own; the line builder adds spaces by gap anyway
    return sorted((c for c in chars if not c["text"].isspace()),
                  key=lambda c: (round(c["top"], 1), round(c["x0"], 1), c["text"]))


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_pdfium_pages_match_pdfplumber(path):
    data = path.read_bytes()
    fast_pages = 0
    with pdfplumber.open(path) as pdf:
        reader = PdfiumReader(data, None, [p.page_obj for p in pdf.pages])
        try:
            for i, page in enumerate(pdf.pages):
                quick = reader.read_page(i)
                if quick is None:           # left to pdfplumber: nothing to compare
                    continue
                fast_pages += 1
                # every page where pdfplumber finds a ruled table: the same cells from pdfium
                assert _cells(quick.find_tables(LINES)) == _cells(page.find_tables(LINES)), i + 1
                want, got = _visible(page.chars), _visible(quick.chars)
                assert [c["text"] for c in got] == [c["text"] for c in want], i + 1
                for a, b in zip(want, got):
                    assert b["fontname"] == a["fontname"]
                    assert b["size"] == pytest.approx(a["size"], abs=0.01)
                    for k in ("x0", "top", "bottom", "doctop"):
                        assert b[k] == pytest.approx(a[k], abs=0.01), (i + 1, a["text"], k)
                    assert b["x1"] == pytest.approx(a["x1"], abs=0.5)
                page.close()
        finally:
            reader.close()
    assert fast_pages >= len(pdf.pages) - 1     # the fast path really is taken


@pytest.mark.parametrize("name", ["a01_sugar_audit.pdf", "a04_zinc_audit_decimal.pdf",
                                  "a07_pharma_audit_sevenstage.pdf"])
def test_document_is_the_same_with_and_without_pdfium(name, monkeypatch):
    path = ROOT / "corpus" / "samples" / name
    fast = load(path)
    monkeypatch.setattr(pdf_reader, "_pdfium_reader", lambda *a, **k: None)
    slow = load(path)
    assert [dataclasses.asdict(b) for b in fast.blocks] == [dataclasses.asdict(b) for b in slow.blocks]
    assert [dataclasses.asdict(b) for b in fast.headers] == [dataclasses.asdict(b) for b in slow.headers]
    assert fast.warnings == slow.warnings and fast.pages == slow.pages


def test_fake_bold_page_is_left_to_pdfplumber(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    wqy = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
    if not Path(wqy).is_file():
        pytest.skip("fonts-wqy-zenhei is not installed")
    pdfmetrics.registerFont(TTFont("WQY", wqy, subfontIndex=0))
    path = tmp_path / "bold.pdf"
    c = canvas.Canvas(str(path), pagesize=(595.27, 841.89))
    c.setFont("WQY", 14)
    c.drawString(72, 700, "第一章 企业概况")
    c.drawString(72.3, 700, "第一章 企业概况")     # drawn twice, shifted: fake bold
    c.showPage()
    c.drawString(72, 700, "清洁生产审核报告")
    c.showPage()
    c.save()
    with pdfplumber.open(path) as pdf:
        reader = PdfiumReader(path.read_bytes(), None, [p.page_obj for p in pdf.pages])
        # pdfium's text page drops the second drawing, which is the bold signal
        assert reader.read_page(0) is None
        assert reader.read_page(1) is not None
        reader.close()
