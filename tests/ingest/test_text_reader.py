"""ingest.text_reader through ingest.load: encodings, paragraphs, E007."""
from __future__ import annotations

import pytest

from ingest import ScreenError, load, load_bytes
from ingest.errors import warning_text

TEXT = "一、企业简况\n本企业水计量率达到100%，\n工业用水重复利用率为95%。\n\n二、审核准备\n成立审核小组。\n"
EXPECTED = ["一、企业简况", "本企业水计量率达到100%，工业用水重复利用率为95%。", "二、审核准备", "成立审核小组。"]


@pytest.mark.parametrize("encoded", [
    TEXT.encode("gb18030"),
    TEXT.encode("utf-8"),
    b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
    b"\xff\xfe" + TEXT.encode("utf-16-le"),
    b"\xfe\xff" + TEXT.encode("utf-16-be"),
], ids=["gb18030", "utf8", "utf8-bom", "utf16le-bom", "utf16be-bom"])
def test_encodings(tmp_path, encoded):
    path = tmp_path / "report.txt"
    path.write_bytes(encoded)
    doc = load(path)
    assert doc.format == "text"
    assert [b.text for b in doc.blocks] == EXPECTED
    assert [b.locator for b in doc.blocks] == ["p1", "p2", "p3", "p4"]
    assert all(b.page == 1 for b in doc.blocks)
    assert doc.pages == 1 and doc.page_note == warning_text("W004")


def test_utf16_without_bom_ascii_heavy(tmp_path):
    text = "Cleaner production audit report\nWater metering rate 100%.\n水计量率达到100%。\n"
    for enc in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{enc}.txt"
        path.write_bytes(text.encode(enc))
        doc = load(path)
        assert doc.text() == "Cleaner production audit reportWater metering rate 100%.水计量率达到100%。", enc


def test_gb18030_text_is_not_mistaken_for_utf8(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("清洁生产审核报告：水重复利用率９５％".encode("gb18030"))
    assert load(path).text() == "清洁生产审核报告:水重复利用率95%"


def test_undecodable_bytes_give_e007(tmp_path):
    # Text-like enough for the sniffer (mostly ASCII), but a lone 0x80/0xFF byte
    # pattern that neither UTF-8, UTF-16 (odd length) nor GB18030 accepts.
    data = b"report line one\nreport line two\n" * 20 + b"\x81\x30\x81"
    path = tmp_path / "broken.txt"
    path.write_bytes(data)
    with pytest.raises(ScreenError) as err:
        load(path)
    assert err.value.code == "E007" and "broken.txt" in str(err.value)


def test_empty_text_file_is_e002():
    with pytest.raises(ScreenError) as err:
        load_bytes(b"", "empty.txt")
    assert err.value.code == "E002"
