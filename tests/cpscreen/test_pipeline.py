"""`pipeline.screen` on a scanned PDF: the OCR page cap and the progress a long scan reports."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scans import have_font, mixed_pdf, scan_image  # noqa: E402

from cpscreen.pipeline import STAGE_OCR, STAGE_OUTLINE, STAGE_READ, STAGES, screen  # noqa: E402

pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed")
pytest.importorskip("reportlab")
if not have_font():
    pytest.skip("fonts-wqy-zenhei is not installed", allow_module_level=True)


def test_ocr_progress_comes_within_reading_and_counts_the_capped_pages(tmp_path):
    path = mixed_pdf(tmp_path / "scan.pdf", [
        "第一页是文字页，内容正常。",
        scan_image([(12, "第二页是扫描件，水计量率为100%。", 100)]),
        scan_image([(12, "第三页是扫描件，废水回用率为92.3%。", 100)])])
    calls = []
    result = screen(path, progress=lambda *a: calls.append(a), ocr_max_pages=1)
    assert result.error is None
    assert result.document.ocr_pages == 1 and result.document.unread_pages == [3]
    # 读取文件 starts, OCR counts 0..1 of the 1 page it will read, then the file is read (3 pages)
    assert calls[:4] == [(STAGE_READ, 0, 0), (STAGE_OCR, 0, 1), (STAGE_OCR, 1, 1), (STAGE_READ, 3, 3)]
    assert calls[4] == (STAGE_OUTLINE, 0, 0)
    assert STAGE_OCR == "文字识别" and STAGE_OCR not in STAGES   # the web page lists STAGES as steps
    assert sum(c[0] == STAGE_OCR for c in calls) == 2
