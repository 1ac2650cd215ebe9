"""Scanned PDF pages read by OCR (ingest/ocr.py, the `ocr` extra: rapidocr-onnxruntime).

Every scan is made by tests/scans.py: Chinese text drawn into an image with a real CJK
font and the image put in a PDF page with no text layer (alone, or between text pages).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scans import A4_PX, have_font, image_pdf, mixed_pdf, scan_image  # noqa: E402

from ingest import load  # noqa: E402
from ingest import ocr as ocr_module  # noqa: E402
from ingest.errors import warning_text  # noqa: E402
from ingest.model import Paragraph, Table  # noqa: E402

pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed")
pytest.importorskip("reportlab")

REPO = Path(__file__).resolve().parents[2]

if not have_font():
    pytest.skip("fonts-wqy-zenhei is not installed", allow_module_level=True)


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
    path = mixed_pdf(tmp_path / "mixed.pdf", [
        "第1页是文字页，内容正常。",
        scan_image([(12, "第二页是扫描件，废水回用率为92.3%。", 100)]),
        "第3页是文字页，内容正常。"])
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
    from scans import WQY

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


# ------------------------------------------------------------ the page cap, progress, threads

SCANNED = ["第二页是扫描件，水计量率为100%。", "第三页是扫描件，废水回用率为92.3%。",
           "第四页是扫描件，固废利用率为88.5%。"]


@pytest.fixture(scope="module")
def text_then_three_scans(tmp_path_factory) -> Path:
    """Page 1 has a text layer; pages 2-4 are scans of one short line each."""
    return mixed_pdf(tmp_path_factory.mktemp("cap") / "cap.pdf",
                     ["第一页是文字页，内容正常。"] + [scan_image([(12, t, 100)]) for t in SCANNED])


def test_page_cap_reads_the_first_scanned_pages_and_lists_the_rest(text_then_three_scans):
    calls = []
    doc = load(text_then_three_scans, ocr_max_pages=2, ocr_progress=lambda *a: calls.append(a))
    # the cap counts scanned pages (not the text page), the first ones in page order
    assert doc.ocr_pages == 2 and doc.unread_pages == [4]
    assert [b.text for b in doc.blocks] == ["第一页是文字页，内容正常。"] + SCANNED[:2]
    assert [b.page for b in doc.blocks] == [1, 2, 3]
    # said once, by W011 (not also W001, which would call page 4 unreadable)
    assert doc.warnings == [warning_text("W006", pages="2-3"),
                            warning_text("W011", total=3, limit=2, pages="4")]
    assert "第 4 页未读取" in doc.warnings[1] and "--ocr-pages 0" in doc.warnings[1]
    # progress: (0, total) before the first page, then after each; total is after the cap
    assert calls == [(0, 2), (1, 2), (2, 2)]


def test_no_cap_reads_every_scanned_page(text_then_three_scans):
    calls = []
    doc = load(text_then_three_scans, ocr_max_pages=0, ocr_progress=lambda *a: calls.append(a))
    assert doc.ocr_pages == 3 and doc.unread_pages == []
    assert [b.text for b in doc.blocks][1:] == SCANNED
    assert doc.warnings == [warning_text("W006", pages="2-4")]
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert ocr_module.DEFAULT_MAX_PAGES == 100


def test_a_cap_above_the_scanned_pages_changes_nothing(one_scan):
    calls = []
    doc = load(one_scan, ocr_max_pages=1, ocr_progress=lambda *a: calls.append(a))
    assert doc.ocr_pages == 1 and doc.unread_pages == []
    assert doc.warnings == [warning_text("W006", pages="1")]
    assert calls == [(0, 1), (1, 1)]
    # no OCR, no progress; a failing progress display loses no page
    calls.clear()
    assert load(one_scan, ocr=False, ocr_progress=lambda *a: calls.append(a)).unread_pages == [1]
    assert calls == []

    def broken(done, total):
        raise RuntimeError("display gone")
    assert load(one_scan, ocr_progress=broken).ocr_pages == 1


@pytest.mark.parametrize("bad", [-1, 1.5, "2"])
def test_a_bad_cap_is_the_callers_mistake(one_scan, bad):
    with pytest.raises(ValueError):
        load(one_scan, ocr_max_pages=bad)


def _session_threads(engine) -> list[tuple[int, int]]:
    """(intra_op, inter_op) threads of the detector's, classifier's and recogniser's
    onnxruntime sessions, as onnxruntime holds them (0: its default)."""
    sessions = [engine.text_det.infer.session, engine.text_cls.infer.session,
                engine.text_rec.session.session]
    return [(o.intra_op_num_threads, o.inter_op_num_threads)
            for o in (s.get_session_options() for s in sessions)]


def test_set_threads_rebuilds_the_engine(monkeypatch):
    monkeypatch.delenv(ocr_module.THREADS_ENV, raising=False)
    try:
        ocr_module.set_threads(1)
        one = ocr_module._engine()
        assert _session_threads(one) == [(1, 1)] * 3
        assert ocr_module._engine() is one                # kept while the setting stands
        ocr_module.set_threads(None)                      # onnxruntime's default again
        default = ocr_module._engine()
        assert default is not one and _session_threads(default) == [(0, 0)] * 3
        monkeypatch.setenv(ocr_module.THREADS_ENV, "1")   # the environment, when not set
        from_env = ocr_module._engine()
        assert from_env is not default and _session_threads(from_env) == [(1, 1)] * 3
        monkeypatch.setenv(ocr_module.THREADS_ENV, "many")  # not a number: the default
        assert ocr_module.threads() is None
        for bad in (0, -2, 1.5, "2", True):
            with pytest.raises(ValueError):
                ocr_module.set_threads(bad)
    finally:
        ocr_module.set_threads(None)


def test_progress_counts_a_page_where_ocr_found_nothing(tmp_path):
    """A page OCR read but found no words on is neither read nor failed; the count still
    reaches the total, so a progress bar does not stop short."""
    from PIL import Image, ImageDraw

    drawing = Image.new("L", A4_PX, 255)
    ImageDraw.Draw(drawing).ellipse((300, 300, 1300, 1300), outline=0, width=8)
    calls = []
    doc = load(image_pdf(tmp_path / "drawing_then_text.pdf", [drawing, scan_image(BODY)]),
               ocr_progress=lambda done, total: calls.append((done, total)))
    assert doc.unread_pages == [1] and doc.ocr_pages == 1
    assert calls == [(0, 2), (1, 2), (2, 2)]
