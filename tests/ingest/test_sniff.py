"""ingest.sniff: the format comes from the bytes, never from the name."""
from __future__ import annotations

import io
import zipfile

import pytest

from ingest import ScreenError, load_bytes
from ingest.sniff import OLE2_MAGIC, sniff_format


def _zip(names: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in names.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _sniff(data: bytes, name: str = "") -> str:
    return sniff_format(data[:8192], data, name)


def test_pdf():
    assert _sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n") == "pdf"
    # some generators put junk before the header; readers accept it within 1 KiB
    assert _sniff(b"\x00" * 100 + b"%PDF-1.4\n") == "pdf"


def test_docx_and_other_zip():
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert _sniff(docx) == "docx"
    assert _sniff(_zip({"xl/workbook.xml": b"<workbook/>"})) == "zip"
    assert _sniff(b"PK\x03\x04" + b"not really a zip" * 10) == "zip"


def test_ole2_doc_and_wps():
    data = OLE2_MAGIC + b"\x00" * 504
    assert _sniff(data, "report.doc") == "doc"
    assert _sniff(data, "report.WPS") == "wps"
    assert _sniff(data, "report.pdf") == "doc"


@pytest.mark.parametrize("data", [
    b"<!DOCTYPE html><html><body>x</body></html>",
    b"\xef\xbb\xbf  <html lang='zh'>",
    b"<?xml version='1.0'?><root/>",
])
def test_html(data):
    assert _sniff(data) == "html"


@pytest.mark.parametrize("data", [
    "一、企业简况\n水计量率达到100%。\n".encode("utf-8"),
    "一、企业简况\n水计量率达到100%。\n".encode("gb18030"),
    b"\xff\xfe" + "企业简况".encode("utf-16-le"),
    b"plain ascii report\r\n",
])
def test_text(data):
    assert _sniff(data) == "text"


def test_garbage():
    data = bytes(range(256)) * 8
    assert _sniff(data) == "unknown"
    assert _sniff(b"") == "unknown"
    with pytest.raises(ScreenError) as err:
        load_bytes(data, "blob.bin")
    assert err.value.code == "E003"


def test_name_does_not_decide():
    # A PDF renamed .docx is a PDF: load_bytes goes to the PDF reader, which
    # (for this damaged stub) reports a PDF error, not a Word error.
    pdf = b"%PDF-1.4\ngarbage\n%%EOF\n"
    assert _sniff(pdf, "report.docx") == "pdf"
    with pytest.raises(ScreenError) as err:
        load_bytes(pdf, "report.docx")
    assert err.value.code == "E004"


def test_real_pdf_named_docx_is_read_as_pdf(tmp_path):
    reportlab = pytest.importorskip("reportlab")  # noqa: F841
    from reportlab.pdfgen import canvas

    from ingest import load

    path = tmp_path / "report.docx"
    c = canvas.Canvas(str(path))
    c.drawString(72, 700, "Cleaner production audit report")
    c.showPage()
    c.save()
    doc = load(path)
    assert doc.format == "pdf"
    assert doc.text() == "Cleaner production audit report"
    assert doc.blocks[0].locator == "p1.l1"
