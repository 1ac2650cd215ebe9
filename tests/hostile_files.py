"""Hostile and broken input files, each made from scratch: shared by
tests/ingest/test_hostile.py and tests/cpscreen/test_hostile_cli.py.

Every builder returns (file name, bytes). Names are what a user might submit; the
format is sniffed from the bytes, so a wrong extension is part of some cases.
"""
from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

REPORT_LINES = ["一、企业简况", "广西某某糖业有限公司位于崇左市，主要产品为白砂糖。",
                "二、企业清洁生产管理现状", "2023年全厂水计量率达到100%，能源计量器具配备率为95.6%。"]
WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


# ---------------------------------------------------------------- good files to break

def docx_bytes(build=None) -> bytes:
    import docx

    d = docx.Document()
    if build is None:
        for line in REPORT_LINES:
            d.add_paragraph(line)
    else:
        build(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def pdf_bytes(lines=REPORT_LINES, encrypt: str | None = None) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WQY", WQY, subfontIndex=0))
    buf = io.BytesIO()
    kwargs = {}
    if encrypt:
        from reportlab.lib.pdfencrypt import StandardEncryption
        kwargs["encrypt"] = StandardEncryption(userPassword=encrypt, ownerPassword="owner-" + encrypt)
    c = canvas.Canvas(buf, **kwargs)
    c.setFont("WQY", 12)
    y = 760
    for line in lines:
        c.drawString(72, y, line)
        y -= 24
    c.showPage()
    c.save()
    return buf.getvalue()


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i.filename)) for i in zf.infolist()]


def _rezip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def _with_document_xml(change) -> bytes:
    return _rezip([(n, change(d) if n == "word/document.xml" else d) for n, d in _members(docx_bytes())])


def raw_zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A ZIP written by hand: (name, stored stream, method, crc, declared size) per member,
    so the declared sizes can be anything."""
    out = io.BytesIO()
    central = []
    for name, stream, method, crc, size in entries:
        offset = out.tell()
        fname = name.encode()
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0x21,
                              crc, len(stream), size, len(fname), 0))
        out.write(fname)
        out.write(stream)
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21,
                                   crc, len(stream), size, len(fname), 0, 0, 0, 0, 0, offset) + fname)
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(central), len(central),
                          out.tell() - start, start, 0))
    return out.getvalue()


def _deflate(data: bytes, extra_zeros: int = 0) -> bytes:
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [co.compress(data)]
    block = b"\0" * (1 << 20)
    for _ in range(extra_zeros // len(block)):
        parts.append(co.compress(block))
    parts.append(co.flush())
    return b"".join(parts)


# ---------------------------------------------------------------- the hostile cases

def zero_byte():
    return "empty.pdf", b""


def truncated_pdf():
    data = pdf_bytes()
    return "truncated.pdf", data[: len(data) // 2]


def broken_xref_recoverable():
    """Every xref offset wrong, the objects intact: readers rebuild the table, the text is there."""
    data = pdf_bytes()
    head, sep, tail = data.rpartition(b"\nxref\n")
    lines = tail.split(b"\n")
    fixed = [b"%010d 00000 n " % 7 if ln.endswith(b" n ") or ln.endswith(b" n") else ln for ln in lines]
    return "broken_xref.pdf", head + sep + b"\n".join(fixed)


def broken_xref_garbage():
    """Header and %%EOF kept, everything between replaced by noise."""
    rng = random.Random(7)
    noise = bytes(rng.randrange(256) for _ in range(20_000))
    return "garbled.pdf", b"%PDF-1.7\n" + noise + b"\nxref\n0 3\nzzzz\nstartxref\n99999\n%%EOF\n"


def encrypted_pdf(password: str = "mima123"):
    return "encrypted.pdf", pdf_bytes(encrypt=password)


def deeply_nested_pdf():
    body = b"1 0 obj\n" + b"[" * 200_000 + b"]" * 200_000 + b"\nendobj\n"
    return "nested.pdf", b"%PDF-1.4\n" + body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def zip_bomb_ratio():
    """document.xml with 300 MB of spaces: about 300 KB compressed (over 1000:1)."""
    pad = b" " * (300 << 20)
    return "bomb_ratio.docx", _with_document_xml(lambda d: d.replace(b"</w:body>", pad + b"</w:body>"))


def zip_bomb_total():
    """600 members of just under 1 MB each: no single ratio is checked, the total is 600 MB."""
    members = _members(docx_bytes())
    filler = b"\0" * ((1 << 20) - 1)
    members += [(f"word/media/filler{i}.bin", filler) for i in range(600)]
    return "bomb_total.docx", _rezip(members)


def zip_lying_sizes():
    """document.xml declared as its real small size, but its stream inflates to 800 MB more."""
    entries = []
    for name, data in _members(docx_bytes()):
        crc = zlib.crc32(data)
        if name == "word/document.xml":
            entries.append((name, _deflate(data, extra_zeros=800 << 20), 8, crc, len(data)))
        else:
            entries.append((name, _deflate(data), 8, crc, len(data)))
    return "lying_sizes.docx", raw_zip(entries)


def billion_laughs():
    levels = "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 10))
    dtd = f'<!DOCTYPE w:document [<!ENTITY l0 "哈哈哈哈哈哈哈哈哈哈">{levels}]>'

    def change(xml: bytes) -> bytes:
        xml = xml.replace(b"?>", b"?>" + dtd.encode(), 1)
        return xml.replace("一、企业简况".encode(), "一、企业简况&l9;".encode())
    return "laughs.docx", _with_document_xml(change)


def external_entity(secret_path: str):
    dtd = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret_path}">]>'

    def change(xml: bytes) -> bytes:
        xml = xml.replace(b"?>", b"?>" + dtd.encode(), 1)
        return xml.replace("一、企业简况".encode(), "一、企业简况&xxe;".encode())
    return "xxe.docx", _with_document_xml(change)


def many_tiny_tables(n: int = 5000):
    def build(d):
        d.add_paragraph("一、企业简况")
        for i in range(n):
            d.add_table(rows=1, cols=1).cell(0, 0).text = str(i)
    return "tables.docx", docx_bytes(build)


def binary_garbage():
    rng = random.Random(42)
    return "garbage.docx", bytes(rng.randrange(256) for _ in range(64 * 1024))


def all_nul():
    return "zeros.pdf", b"\0" * 100_000


def html_as_docx():
    html = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>报告</title></head><body>"
            + "".join(f"<p>{line}</p>" for line in REPORT_LINES) + "</body></html>")
    return "report.docx", html.encode("utf-8")


def mhtml_as_doc():
    text = ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart\"\r\n\r\n"
            "------=_NextPart\r\nContent-Type: text/html; charset=\"utf-8\"\r\n\r\n"
            "<html><body><p>一、企业简况</p></body></html>\r\n------=_NextPart--\r\n")
    return "report.doc", text.encode("utf-8")


def xlsx_as_docx():
    return "report.docx", _rezip([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>")])


def truncated_docx():
    data = docx_bytes()
    return "cut.docx", data[: len(data) * 2 // 3]


def pdf_named_docx():
    return "report.docx", pdf_bytes()


def docx_named_pdf():
    return "report.pdf", docx_bytes()


def utf16_text(encoding: str):
    text = "\n".join(REPORT_LINES) + "\n"
    data = text.encode(encoding)
    return f"report-{encoding}.txt", data


def ole2_garbage():
    rng = random.Random(3)
    return "damaged.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.randrange(256) for _ in range(30_000))


ODD_NAMES = ["报告 final (1).txt", "..报告..txt", "a%2F..%2Fb.txt", "-报告.txt", "$(touch x);.txt"]
