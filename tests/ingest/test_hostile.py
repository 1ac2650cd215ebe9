"""Hard and hostile inputs at the ingest level: every one a clear ScreenError or a Document.

The files are made by tests/hostile_files.py; the same cases run through the real
command line, with time and memory measured, in tests/cpscreen/test_hostile_cli.py.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import hostile_files as H  # noqa: E402

from ingest import ScreenError, load, load_bytes  # noqa: E402
from ingest.errors import warning_text  # noqa: E402

pytest.importorskip("reportlab")
if not Path(H.WQY).is_file():
    pytest.skip("fonts-wqy-zenhei is not installed", allow_module_level=True)


def _error(name: str, data: bytes) -> ScreenError:
    with pytest.raises(ScreenError) as err:
        load_bytes(data, name)
    # every message comes in Chinese and in English
    assert err.value.zh and err.value.en and err.value.zh != err.value.en
    assert str(err.value) == f"{err.value.zh} / {err.value.en}"
    return err.value


@pytest.mark.parametrize("build, code, words", [
    (H.zero_byte, "E002", "empty"),
    (H.truncated_pdf, "E004", "truncated"),
    (H.broken_xref_garbage, "E004", "damaged"),
    (H.deeply_nested_pdf, "E004", "damaged"),
    (H.encrypted_pdf, "E005", "encrypted"),
    (H.binary_garbage, "E003", "Unrecognised"),
    (H.all_nul, "E003", "Unrecognised"),
    (H.html_as_docx, "E017", "web page"),
    (H.mhtml_as_doc, "E017", "web page"),
    (H.xlsx_as_docx, "E018", "Excel"),
    (H.truncated_docx, "E006", "damaged"),
    (H.zip_bomb_ratio, "E009", "compression ratio"),
    (H.zip_bomb_total, "E009", "uncompressed size"),
    (H.zip_lying_sizes, "E009", "inflates beyond"),
], ids=lambda v: getattr(v, "__name__", None))
def test_bad_file_is_a_clear_error(build, code, words):
    name, data = build()
    started = time.monotonic()
    err = _error(name, data)
    assert err.code == code, str(err)
    assert words in err.en
    assert name in err.zh and name in err.en
    assert time.monotonic() - started < 20


def test_encrypted_pdf_opens_with_its_password():
    name, data = H.encrypted_pdf("mima123")
    assert "加密" in _error(name, data).zh
    assert _error(name, data).code == "E005"
    with pytest.raises(ScreenError) as err:
        load_bytes(data, name, password="wrong")
    assert err.value.code == "E005"
    doc = load_bytes(data, name, password="mima123")
    assert doc.text().splitlines() == H.REPORT_LINES


def test_broken_xref_is_rebuilt_and_said():
    name, data = H.broken_xref_recoverable()
    doc = load_bytes(data, name)
    assert doc.text().splitlines() == H.REPORT_LINES
    assert warning_text("W010") in doc.warnings


def test_billion_laughs_is_not_expanded():
    # python-docx parses with resolve_entities=False; libxml2 2.11+ also refuses the
    # amplification outright (E006). Either way: quick, and no expanded text.
    name, data = H.billion_laughs()
    started = time.monotonic()
    try:
        doc = load_bytes(data, name)
    except ScreenError as err:
        assert err.code == "E006" and "entity" in err.en
    else:
        assert "哈哈" not in doc.text()
        assert doc.blocks[0].text.startswith("一、企业简况")
    assert time.monotonic() - started < 5


def test_entities_are_never_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    name, data = H.external_entity(str(secret))
    doc = load_bytes(data, name)
    assert "TOP-SECRET" not in doc.text()
    assert doc.blocks[0].text.startswith("一、企业简况")


def test_thousands_of_tiny_tables_are_quick():
    name, data = H.many_tiny_tables(5000)
    started = time.monotonic()
    doc = load_bytes(data, name)
    assert time.monotonic() - started < 20
    assert len(doc.tables()) == 5000
    assert doc.tables()[4999].grid() == [["4999"]]


@pytest.mark.parametrize("build, fmt", [(H.pdf_named_docx, "pdf"), (H.docx_named_pdf, "docx")])
def test_the_bytes_decide_not_the_name(build, fmt):
    name, data = build()
    doc = load_bytes(data, name)
    assert doc.format == fmt
    assert doc.text().splitlines() == H.REPORT_LINES


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "bom-utf-16-be"])
def test_utf16_text_with_and_without_bom(encoding):
    text = "\n".join(H.REPORT_LINES) + "\n"
    if encoding == "bom-utf-16-be":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)           # "utf-16" writes a BOM, -le/-be do not
    doc = load_bytes(data, "report.txt")
    assert doc.format == "text"
    assert [b.text for b in doc.blocks] == H.REPORT_LINES


@pytest.mark.parametrize("name", H.ODD_NAMES)
def test_odd_file_names(tmp_path, name):
    path = tmp_path / name
    path.write_text("\n".join(H.REPORT_LINES), encoding="utf-8")
    doc = load(path)
    assert doc.name == name
    assert [b.text for b in doc.blocks] == H.REPORT_LINES


def test_path_with_dotdot_is_just_a_path(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "report.txt").write_text(H.REPORT_LINES[0], encoding="utf-8")
    doc = load(tmp_path / "sub" / ".." / "report.txt")
    assert doc.name == "report.txt" and doc.text() == H.REPORT_LINES[0]


def test_missing_file_and_folder():
    with pytest.raises(ScreenError) as err:
        load("/nonexistent/报告.pdf")
    assert err.value.code == "E001"
    with pytest.raises(ScreenError) as err:
        load(Path(__file__).parent)          # a folder is not a file
    assert err.value.code == "E001"
