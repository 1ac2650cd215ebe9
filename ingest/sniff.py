"""Tell a file's format from its bytes, never from its name."""
from __future__ import annotations

import re
import zipfile
from io import BytesIO

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_format(head: bytes, data: bytes | None = None, name: str = "") -> str:
    """Return "pdf", "docx", "doc", "wps", "rtf", "zip", "html", "text" or "unknown".

    `head` is the start of the file (a few KiB is enough for all but zip, where
    the central directory is read from `data`).
    """
    # Formats with a magic number at offset 0 first: a Word file may carry an
    # embedded PDF, and "%PDF-" is looked for anywhere in the first KiB.
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
    if b"%PDF-" in head[:1024]:
        return "pdf"
    probe = head[:2048].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if probe.startswith(b"{\\rtf"):
        # Word and WPS "save as RTF", often still named .doc: LibreOffice converts it.
        return "rtf"
    if _looks_like_markup(head[:2048]):
        return "html"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    if guess_utf16(head):
        return "text"
    if _looks_like_text(head):
        return "text"
    return "unknown"


_MARKUP_START = (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<meta", b"<!--",
                 b"<div", b"<table", b"<p>", b"<p ", b"<title", b"<style", b"<xml")
# Word's "single file web page" (.mht), often renamed .doc: MIME headers, then HTML.
_MHTML = re.compile(rb"^(?:[a-z-]+:[^\n]*\r?\n){0,12}?(?:mime-version|content-type):\s*"
                    rb"(?:1\.0|multipart/related|text/html)")


def _looks_like_markup(head: bytes) -> bool:
    """HTML or XML, also when saved as UTF-16."""
    enc = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else guess_utf16(head)
    if enc:
        text = head[: len(head) // 2 * 2].decode(enc, errors="ignore")
    else:
        text = head.decode("latin-1")
    probe = text.lstrip("\ufeff\xef\xbb\xbf").lstrip().lower().encode("utf-8", errors="ignore")
    if probe.startswith(_MARKUP_START):
        return True
    return bool(_MHTML.match(probe))


def guess_utf16(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when BOM-less bytes read as UTF-16 text, else None.

    Either decoder accepts almost any even-length bytes, so the decoded text must
    look like a report: nearly all of it ASCII, CJK or CJK punctuation. Random
    bytes and GB18030 read as UTF-16 scatter over the whole plane and fail.
    """
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return None
    best, best_share = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        text = sample.decode(enc, errors="replace")
        if not text:
            continue
        good = sum(1 for ch in text if _plausible(ch))
        share = good / len(text)
        if share > best_share:
            best, best_share = enc, share
    return best if best_share >= 0.95 else None


def _plausible(ch: str) -> bool:
    o = ord(ch)
    return ((32 <= o < 127) or ch in "\r\n\t\f" or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F
            or 0xFF01 <= o <= 0xFF5E or 0x2000 <= o <= 0x206F or o in (0xB3, 0xB2, 0xB0, 0xB7))


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    sample = head[:8192]
    # UTF-16 is not tried here: almost any even-length bytes decode as UTF-16, so
    # BOM-less UTF-16 is recognised only by guess_utf16's plausibility test.
    for enc in ("utf-8", "gb18030"):
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
