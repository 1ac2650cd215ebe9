"""ingest: file bytes -> Document (blocks in reading order, each with page and locator).

    from ingest import load
    doc = load("report.pdf")

The format is sniffed from the bytes; the file name is used only for messages.
"""
from __future__ import annotations

import hashlib
import os
from typing import Callable

from .errors import Errors, ScreenError, warning_text
from .model import Block, Cell, Document, Paragraph, Table
from .normalize import clean_line, normalize_text
from .limits import DEFAULT_OCR_MAX_PAGES as DEFAULT_MAX_PAGES
from .limits import check_ocr_max_pages
from .sniff import sniff_format

__all__ = ["load", "load_bytes", "Document", "Paragraph", "Table", "Cell", "Block",
           "ScreenError", "Errors", "warning_text", "normalize_text", "clean_line", "sniff_format"]

MAX_FILE_BYTES = 200 * 1024 * 1024


def load(path: str | os.PathLike, password: str | None = None, ocr: bool = True,
         page_workers: int | None = None, ocr_max_pages: int | None = DEFAULT_MAX_PAGES,
         ocr_progress: Callable[[int, int], None] | None = None) -> Document:
    """Read a file into a Document. Raises ScreenError for anything a user must fix.

    `ocr=False` leaves scanned PDF pages unread (listed in `unread_pages`, with a
    warning) instead of running OCR on them. `ocr_max_pages`: OCR reads at most the
    first this many scanned pages, in page order; the rest are listed as unread (W011).
    None or 0: all of them. `ocr_progress(done, total)`: called with (0, total) before the
    first page is OCR'd and after each one (total: the pages OCR will read). `page_workers`:
    how many processes read a PDF's pages (None: decided by the file and the machine, or
    $CPSCREEN_PAGE_WORKERS; 1: this process only); the Document is the same either way.
    """
    check_ocr_max_pages(ocr_max_pages)
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ScreenError("E001", path=path)
    size = os.path.getsize(path)
    if size > MAX_FILE_BYTES:
        raise ScreenError("E009", path=path, detail=f"{size} bytes")
    with open(path, "rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # grew while we looked
        raise ScreenError("E009", path=path, detail=f"over {MAX_FILE_BYTES} bytes")
    return load_bytes(data, os.path.basename(path), password=password, ocr=ocr,
                      page_workers=page_workers, ocr_max_pages=ocr_max_pages,
                      ocr_progress=ocr_progress)


def load_bytes(data: bytes, name: str, password: str | None = None, ocr: bool = True,
               page_workers: int | None = None, ocr_max_pages: int | None = DEFAULT_MAX_PAGES,
               ocr_progress: Callable[[int, int], None] | None = None) -> Document:
    """`load` for bytes already in memory; `name` is used only for messages."""
    check_ocr_max_pages(ocr_max_pages)
    if not data:
        raise ScreenError("E002", path=name)
    fmt = sniff_format(data[:8192], data, name)
    doc = Document(name=name, sha256=hashlib.sha256(data).hexdigest(), format=fmt, pages=0)
    try:
        if fmt == "pdf":
            from .pdf_reader import read_pdf
            read_pdf(data, doc, password=password, ocr=ocr, page_workers=page_workers,
                     ocr_max_pages=ocr_max_pages, ocr_progress=ocr_progress)
        elif fmt == "docx":
            from .docx_reader import read_docx
            read_docx(data, doc)
        elif fmt == "text":
            from .text_reader import read_text
            read_text(data, doc)
        elif fmt in ("doc", "wps", "rtf"):
            _read_converted(data, doc, fmt)
        elif fmt == "html":
            raise ScreenError("E017", path=name)
        elif fmt == "zip":
            kind = _zip_kind(data)
            if kind is None:  # a cut-off or damaged DOCX looks like this too
                raise ScreenError("E006", path=name, detail="damaged or incomplete ZIP")
            raise ScreenError("E018", path=name, kind=kind[0], kind_en=kind[1])
        else:
            raise ScreenError("E003", path=name)
    except ScreenError:
        raise
    except MemoryError:
        raise ScreenError("E009", path=name, detail="out of memory") from None
    except RecursionError:
        raise ScreenError("E010", path=name, detail="nested too deeply") from None
    except Exception as exc:  # a reader's unexpected failure is still the user's bad file
        raise ScreenError("E010", path=name, detail=f"{type(exc).__name__}: {exc}"[:300]) from None
    if not any(b.text.strip() for b in doc.blocks) and not doc.unread_pages:
        raise ScreenError("E011", path=name)
    return doc


def _read_converted(data: bytes, doc: Document, fmt: str) -> None:
    """.doc/.wps/.rtf: LibreOffice makes a DOCX, the DOCX reader reads it."""
    from .convert import convert_to_docx
    from .docx_reader import read_docx

    converted = convert_to_docx(data, fmt=fmt, name=doc.name)
    try:
        read_docx(converted, doc)
    except ScreenError as err:
        if err.code != "E006":
            raise
        raise ScreenError("E016", path=doc.name, fmt=fmt.upper(), detail=err.fields.get("detail", "")) from None
    doc.format = fmt
    doc.warnings.append(warning_text("W009", fmt=fmt.upper()))


_ZIP_KINDS = (("xl/", "Excel 工作簿", "an Excel workbook"),
              ("ppt/", "PowerPoint 演示文稿", "a PowerPoint presentation"),
              ("content.xml", "OpenDocument 文档", "an OpenDocument file"))


def _zip_kind(data: bytes) -> tuple[str, str] | None:
    """What an intact ZIP that is not a DOCX holds; None when it cannot be opened."""
    import zipfile
    from io import BytesIO

    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    for prefix, zh, en in _ZIP_KINDS:
        if any(n.startswith(prefix) for n in names):
            return zh, en
    return "普通压缩包", "a plain archive"
