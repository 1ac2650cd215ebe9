"""Plain text: encoding from the bytes (BOM, then UTF-8, then UTF-16, then GB18030)."""
from __future__ import annotations

import re

from .errors import ScreenError, warning_text
from .model import Document, Paragraph
from .normalize import clean_line
from .sniff import guess_utf16


def decode_text(data: bytes, path: str = "") -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = guess_utf16(data) if len(data) % 2 == 0 else None
    if utf16 is None and _utf16_without_bom(data):
        # ASCII in UTF-16-LE has its zero bytes at odd offsets, in -BE at even ones.
        sample = data[:4096]
        utf16 = "utf-16-be" if sample[0::2].count(0) > sample[1::2].count(0) else "utf-16-le"
    if utf16:
        # either decoder accepts almost any bytes; guess_utf16 checked the text is plausible
        # (Chinese without a BOM has no zero bytes, which the old test alone relied on)
        for enc in (utf16, "utf-16-be" if utf16 == "utf-16-le" else "utf-16-le"):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                continue
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ScreenError("E007", path=path) from None


def _utf16_without_bom(data: bytes) -> bool:
    # ASCII-heavy UTF-16 has a zero in every other byte; CJK-only UTF-16 rarely
    # decodes as valid UTF-8, and GB18030 accepts almost anything, so try UTF-16
    # only on this evidence.
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return False
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    return max(zeros_even, zeros_odd) > len(sample) // 8


def read_text(data: bytes, doc: Document) -> None:
    text = decode_text(data, doc.name)
    # A paragraph is a run of non-blank lines; a line that looks like a heading
    # (short, no sentence-ending punctuation) stands alone so the outline stage sees it.
    n = 0
    buffer: list[str] = []

    def flush() -> None:
        nonlocal n
        if buffer:
            n += 1
            doc.blocks.append(Paragraph(text="".join(buffer), page=1, locator=f"p{n}"))
            buffer.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = clean_line(raw)
        if not line:
            flush()
            continue
        if _headingish(line):
            flush()
            buffer.append(line)
            flush()
        else:
            buffer.append(line)
    flush()
    doc.pages = 1
    doc.page_note = warning_text("W004")


_HEADINGISH = re.compile(r"^(第[一二三四五六七八九十百零〇\d]+[章节部分篇]|[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+(\.\d+)*[、.\s])")


def _headingish(line: str) -> bool:
    return len(line) <= 40 and not line.endswith(("。", "；", ";", "，")) and bool(_HEADINGISH.match(line))
