"""ingest: file bytes -> Document (blocks in reading order, each with page and locator).

    from ingest import load
    doc = load("report.pdf")

The format is sniffed from the bytes; the file name is used only for messages.
"""
from __future__ import annotations

import hashlib
import os

from .errors import Errors, ScreenError, warning_text
from .model import Block, Cell, Document, Paragraph, Table
from .normalize import clean_line, normalize_text
from .sniff import sniff_format

__all__ = ["load", "load_bytes", "Document", "Paragraph", "Table", "Cell", "Block",
           "ScreenError", "Errors", "warning_text", "normalize_text", "clean_line", "sniff_format"]

MAX_FILE_BYTES = 200 * 1024 * 1024


def load(path: str | os.PathLike, password: str | None = None) -> Document:
    """Read a file into a Document. Raises ScreenError for anything a user must fix."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ScreenError("E001", path=path)
    size = os.path.getsize(path)
    if size > MAX_FILE_BYTES:
        raise ScreenError("E009", path=path, detail=f"{size} bytes")
    with open(path, "rb") as fh:
        data = fh.read()
    return load_bytes(data, os.path.basename(path), password=password)


def load_bytes(data: bytes, name: str, password: str | None = None) -> Document:
    if not data:
        raise ScreenError("E002", path=name)
    fmt = sniff_format(data[:8192], data, name)
    doc = Document(name=name, sha256=hashlib.sha256(data).hexdigest(), format=fmt, pages=0)
    try:
        if fmt == "pdf":
            from .pdf_reader import read_pdf
            read_pdf(data, doc, password=password)
        elif fmt == "docx":
            from .docx_reader import read_docx
            read_docx(data, doc)
        elif fmt == "text":
            from .text_reader import read_text
            read_text(data, doc)
        elif fmt in ("doc", "wps"):
            raise ScreenError("E008", path=name, fmt=fmt.upper())
        else:
            raise ScreenError("E003", path=name)
    except ScreenError:
        raise
    except MemoryError:
        raise ScreenError("E009", path=name, detail="out of memory") from None
    except Exception as exc:  # a reader's unexpected failure is still the user's bad file
        raise ScreenError("E010", path=name, detail=f"{type(exc).__name__}: {exc}"[:300]) from None
    if not any(b.text.strip() for b in doc.blocks) and not doc.unread_pages:
        raise ScreenError("E011", path=name)
    return doc
