"""Tell a file's format from its bytes, never from its name."""
from __future__ import annotations

import zipfile
from io import BytesIO

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_format(head: bytes, data: bytes | None = None, name: str = "") -> str:
    """Return "pdf", "docx", "doc", "wps", "zip", "html", "text" or "unknown".

    `head` is the start of the file (a few KiB is enough for all but zip, where
    the central directory is read from `data`).
    """
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(OLE2_MAGIC):
        # .doc and .wps are both OLE2 compound files; WPS's own format names its
        # main stream "WpsContent"/"WordDocument" too, so the name decides the label
        # and the converter (LibreOffice) handles both alike.
        return "wps" if name.lower().endswith(".wps") else "doc"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(BytesIO(data if data is not None else head)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        return "zip"
    probe = head[:2048].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml")):
        return "html"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    if _looks_like_text(head):
        return "text"
    return "unknown"


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    sample = head[:8192]
    # UTF-16 without BOM: every other byte zero in ASCII-heavy text; with CJK it
    # is not, so rely on the decoders below to decide.
    for enc in ("utf-8", "gb18030", "utf-16"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            # a multi-byte character cut at the end of the sample is not an error
            try:
                text = sample[:-4].decode(enc)
            except UnicodeDecodeError:
                continue
        bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\r\n\t\f") or 0xE000 <= ord(ch) <= 0xF8FF)
        if bad <= max(2, len(text) // 200):
            return True
    return False
