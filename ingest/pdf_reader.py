"""PDF -> Document: paragraphs and ruled tables in reading order, page by page.

Two passes. The first walks the pages once with pdfplumber (closing each page
so its layout is freed) and keeps only small things: the page's text lines and
its tables. The second needs the whole document: which top/bottom lines repeat
(running headers and footers), the body font size and margins, and tables or
sentences that continue from one page to the next.

Limits, on purpose: one text column is assumed (two-column pages come out in
line order across both columns); rotated and diagonal text (watermarks) is
left out; a table row split across a page break stays two rows.
"""
from __future__ import annotations

import heapq
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from io import BytesIO
from operator import itemgetter
from typing import Callable

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from .errors import ScreenError, warning_text
from .model import Cell, Document, Paragraph, Table
from .limits import DEFAULT_OCR_MAX_PAGES as DEFAULT_MAX_PAGES
from .pdf_chars import (Line, bold_by_name, dedupe_chars, group_lines, is_cid, is_hei_only,
                        join_texts)
from .pdf_parallel import plan_workers, read_in_ranges
from .pdf_tables import CharBands, TableDraft, build_table, chars_outside

# ocr_progress(done, total): pages OCR'd so far, of those it will read
OcrProgress = Callable[[int, int], None]
# A page is unread (left for OCR) below this many characters when it has images.
MIN_CHARS_WITH_IMAGES = 10
# ... or when more than this share of its characters are unmapped "(cid:NNN)" glyphs.
MAX_CID_SHARE = 0.30
_TEXT = itemgetter("text")
# Running headers/footers are looked for in these top and bottom shares of the page.
HEADER_BAND = 0.075
FOOTER_BAND = 0.925

_TERMINAL = tuple("。！？；：.!?;:")
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–_~·•\s]*\d{1,4}[-—–_~·•\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?"
    r"|[ivx]{1,5})$", re.IGNORECASE)
# Heading-like numbering at the start of a line: 第三章, 一、, （一）, 1.1, 1、, (1), ①, 表3-1, 附件.
_NUMBERED = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇两\d]+[章节篇部分条]"
    r"|[一二三四五六七八九十]{1,3}[、．.]"
    r"|[(（][一二三四五六七八九十\d]{1,3}[)）]"
    r"|\d{1,2}(?:\.\d{1,2}){1,3}\.?(?![\d%])"
    r"|\d{1,2}[、．]|\d{1,2}\.(?!\d)"
    r"|[①-⑳]|附\s*[件录表图]|[表图]\s*\d)")


@dataclass
class _PageScan:
    number: int
    width: float
    height: float
    status: str = "text"     # "text" | "blank" | "no_text" (W001) | "cid" (W002) | "ocr"
    lines: list[Line] = field(default_factory=list)
    tables: list[TableDraft] = field(default_factory=list)


@dataclass
class _Layout:
    """Document-wide measures the paragraph rules compare against."""

    body_size: float
    body_font: str
    line_gap: float                       # usual white space between lines of a paragraph
    margins: dict[int, tuple[float, float]]  # page width -> (left, right) of the text column

    def column(self, scan: _PageScan) -> tuple[float, float]:
        return self.margins.get(round(scan.width), (0.0, scan.width))


def read_pdf(data: bytes, doc: Document, password: str | None = None, ocr: bool = False,
             page_workers: int | None = None, ocr_max_pages: int | None = DEFAULT_MAX_PAGES,
             ocr_progress: OcrProgress | None = None) -> None:
    """Fill `doc` from a PDF. With `ocr`, pages without a usable text layer are read
    by OCR (ingest/ocr.py) when the `ocr` extra is installed; otherwise, or when OCR
    finds nothing, they stay in `doc.unread_pages` with a warning. `ocr_max_pages`: OCR
    reads at most the first this many of those pages, in page order, and lists the rest
    (W011); None or 0: all. `ocr_progress(done, total)`: called with (0, total) before the
    first page is OCR'd and after each one. `page_workers`: how many
    processes read the pages (ingest/pdf_parallel.py; None: decided by the file and machine,
    1: this process only); the Document is the same either way."""
    scans, data = _scan_or_repair(data, doc, password, page_workers)
    doc.pages = len(scans)
    unread = [s for s in scans if s.status in ("no_text", "cid")]
    ocr_note, over_cap = None, []
    if unread and ocr:
        ocr_note, over_cap = _ocr_scans(data, unread, password, doc, ocr_max_pages, ocr_progress)

    doc.blocks.extend(_lay_out([s for s in scans if s.status == "text"], doc, "l"))
    ocr_scans = [s for s in scans if s.status == "ocr"]
    if ocr_scans:
        ocr_blocks = _lay_out(ocr_scans, doc, "o")
        for block in ocr_blocks:
            block.source = "ocr"
        # both lists are in page order and cover different pages
        doc.blocks[:] = list(heapq.merge(doc.blocks, ocr_blocks, key=lambda b: b.page))
        doc.ocr_pages = len(ocr_scans)
        doc.warnings.append(warning_text("W006", pages=_page_list([s.number for s in ocr_scans])))
    if over_cap:
        # said once, by W011, not again by W001/W002 (which would call them unreadable)
        doc.warnings.append(warning_text(
            "W011", total=len(unread), limit=len(unread) - len(over_cap),
            pages=_page_list(over_cap)))

    skipped = set(over_cap)
    no_text = [s.number for s in scans if s.status == "no_text"]
    cid = [s.number for s in scans if s.status == "cid"]
    doc.unread_pages = sorted(no_text + cid)
    no_text = [n for n in no_text if n not in skipped]
    cid = [n for n in cid if n not in skipped]
    if no_text:
        doc.warnings.append(warning_text("W001", pages=_page_list(no_text)))
    if cid:
        doc.warnings.append(warning_text("W002", pages=_page_list(cid)))
    if ocr_note and doc.unread_pages:
        doc.warnings.append(ocr_note)


def _scan_or_repair(data: bytes, doc: Document, password: str | None,
                    page_workers: int | None = None) -> tuple[list[_PageScan], bytes]:
    """The first pass; a file whose cross-reference table pdfminer cannot use (it then
    finds no pages, or fails) is rebuilt by pdfium once and read again (W010). A file
    cut short (no %%EOF) is not repaired: half a report must not pass for a whole one."""
    try:
        scans = _scan_pages(data, doc, password, page_workers)
        failure = None if scans else ScreenError("E004", path=doc.name, detail="no pages found")
    except ScreenError as err:
        if err.code != "E004" or not _has_eof(data):
            raise
        scans, failure = [], err
    if failure is None:
        return scans, data
    repaired = _pdfium_rebuild(data, password)
    if repaired is None:
        raise failure
    try:
        scans = _scan_pages(repaired, doc, password, page_workers)
    except ScreenError:
        raise failure from None
    if not scans:
        raise failure
    doc.warnings.append(warning_text("W010"))
    return scans, repaired


def _has_eof(data: bytes) -> bool:
    return b"%%EOF" in data.rstrip(b"\x00 \t\r\n")[-1024:]


def _pdfium_rebuild(data: bytes, password: str | None) -> bytes | None:
    """pdfium reads many damaged files (it rebuilds a broken xref); save them afresh."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return None
    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except Exception:  # pdfium.PdfiumError and anything else: not repairable
        return None
    try:
        if len(pdf) == 0:
            return None
        out = BytesIO()
        pdf.save(out)
        return out.getvalue()
    except Exception:
        return None
    finally:
        pdf.close()


def _lay_out(scans: list[_PageScan], doc: Document, prefix: str) -> list:
    """The second pass over a set of pages read the same way (text layer, or OCR)."""
    running = _find_running_lines(scans)
    bodies = [[ln for ln in scan.lines if id(ln) not in page_running] if page_running else scan.lines
              for scan, page_running in zip(scans, running)]
    layout = _measure(scans, bodies)
    per_page: list[tuple[int, list[_Entry]]] = []
    for scan, body, page_running in zip(scans, bodies, running):
        entries = _page_blocks(scan, body, page_running, layout, doc, prefix)
        per_page.append((scan.number, entries))
    return _join_across_pages(per_page, layout)


def _ocr_scans(data: bytes, unread: list[_PageScan], password: str | None, doc: Document,
               max_pages: int | None = None, progress: OcrProgress | None = None
               ) -> tuple[str | None, list[int]]:
    """OCR the unread pages in place (status "ocr" when text was found), at most the first
    `max_pages` of them. Returns a warning to add when pages are left unread because OCR
    is missing or failed, and the pages left out by `max_pages`."""
    from . import ocr

    if not ocr.available():
        return warning_text("W007"), []
    chosen = unread[:max_pages] if max_pages else unread
    over_cap = [s.number for s in unread[len(chosen):]]
    by_number = {s.number: s for s in chosen}
    read, failed = [], []
    _tell(progress, 0, len(chosen))
    try:
        for done, result in enumerate(ocr.read_pages(data, list(by_number), password), 1):
            if isinstance(result, ocr.OcrFailure):
                failed.append(result)
            elif result.n_chars >= MIN_CHARS_WITH_IMAGES:
                read.append(result)
            # every page counts, also one where OCR found nothing (neither read nor failed)
            _tell(progress, done, len(chosen))
    except ocr.OcrUnavailable as exc:
        # OCR never started: every scanned page is unread for the same reason, none by the cap
        return warning_text("W008", pages=_page_list([s.number for s in unread]),
                            detail=str(exc)[:200]), []
    except Exception as exc:  # pdfium cannot open what pdfminer could: keep the text pages
        done = {r.number for r in read} | {f.number for f in failed}
        failed += [ocr.OcrFailure(n, f"{type(exc).__name__}: {exc}"[:200])
                   for n in by_number if n not in done]
    ocr.snap_sizes(read)
    for page in read:
        scan = by_number[page.number]
        scan.status, scan.lines, scan.tables = "ocr", page.lines, page.tables
        scan.width, scan.height = page.width, page.height
    if failed:
        return warning_text("W008", pages=_page_list([f.number for f in failed]),
                            detail=failed[0].detail), over_cap
    return None, over_cap


def _tell(progress: OcrProgress | None, done: int, total: int) -> None:
    if progress is None:
        return
    try:
        progress(done, total)
    except Exception:  # noqa: BLE001 - progress is advisory: a failing display loses no page
        pass


# ---------------------------------------------------------------- first pass

def _scan_pages(data: bytes, doc: Document, password: str | None,
                page_workers: int | None = None) -> list[_PageScan]:
    if not _has_eof(data):
        # pdfminer would quietly rebuild what it can of a cut-off file; a reviewer
        # must not screen half a report believing it whole.
        raise ScreenError("E004", path=doc.name, detail="no %%EOF: the file is truncated")
    try:
        pdf = pdfplumber.open(BytesIO(data), password=password or "")
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise ScreenError("E005", path=doc.name) from None
        raise ScreenError("E004", path=doc.name, detail=_detail(cause)) from None
    except (PSException, MalformedPDFException) as exc:
        raise ScreenError("E004", path=doc.name, detail=_detail(exc)) from None
    fast = None
    try:
        try:
            pages = pdf.pages
        except (PdfminerException, PSException) as exc:
            raise ScreenError("E004", path=doc.name, detail=_detail(exc)) from None
        fast = _pdfium_reader(data, password, pages)
        return _scan_all(pages, fast, data, password, doc.name, page_workers)
    finally:
        if fast is not None:
            fast.close()
        pdf.close()


def _scan_all(pages: list, fast, data: bytes, password: str | None, name: str,
              page_workers: int | None) -> list[_PageScan]:
    """Every page, in this process or, for a long file, in several (ingest/pdf_parallel.py)."""
    workers = plan_workers(len(pages), page_workers)
    doctops = _pdfium_doctops(data, password, len(pages)) if workers > 1 and fast is not None else None
    if workers == 1 or (fast is not None and doctops is None):
        return _scan_range(pages, fast, name, range(len(pages)))

    def scan_range(indices: range) -> list[_PageScan]:
        if fast is not None:
            # where the one-process reader's running doctop stands at this page
            fast.doctop = doctops[indices.start]
        return _scan_range(pages, fast, name, indices)

    return read_in_ranges(scan_range, len(pages), workers)


def _scan_range(pages: list, fast, name: str, indices: range) -> list[_PageScan]:
    """The pages `indices`, in order; `fast` (pdfium) must stand at the first of them."""
    scans = []
    for i in indices:
        page = pages[i]
        try:
            # pdfium reads an ordinary page the way pdfminer would, many times faster;
            # a page it cannot vouch for (None) is read by pdfplumber as before
            quick = fast.read_page(i) if fast is not None else None
            scans.append(_scan_page(quick if quick is not None else page))
        except (PdfminerException, PSException, MalformedPDFException) as exc:
            raise ScreenError("E004", path=name,
                              detail=f"page {page.page_number}: {_detail(exc)}") from None
        finally:
            page.close()
    return scans


def _pdfium_doctops(data: bytes, password: str | None, n_pages: int) -> list[float] | None:
    """The doctop the pdfium reader holds before each page when it reads them all in order:
    the earlier pages' heights added one by one, in the same order, so the same floats.
    pdfium gives a page's size without loading the page."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except Exception:  # noqa: BLE001 - it opened a moment ago; if not, read in one process
        return None
    try:
        doctops, doctop = [], 0.0
        for i in range(n_pages):
            doctops.append(doctop)
            doctop += pdf.get_page_size(i)[1]
        return doctops
    except Exception:  # noqa: BLE001 - as above
        return None
    finally:
        pdf.close()


def _pdfium_reader(data: bytes, password: str | None, pages: list):
    """ingest.pdf_pdfium's reader when pdfium opens the file and sees the same pages."""
    try:
        from .pdf_pdfium import PdfiumReader
        reader = PdfiumReader(data, password, [p.page_obj for p in pages])
    except Exception:  # noqa: BLE001 - no pdfium, or it refuses the file: pdfplumber alone
        return None
    if len(reader) != len(pages):
        reader.close()
        return None
    return reader


def _detail(exc: BaseException) -> str:
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    return f"{type(exc).__name__}: {exc}"[:200]


def _scan_page(page) -> _PageScan:
    scan = _PageScan(number=page.page_number, width=float(page.width), height=float(page.height))
    chars, fake_bold = dedupe_chars(page.chars)
    plain = getattr(page, "plain_chars", False)     # pdfium's pages: see PdfiumPage
    if plain:
        n_visible = _count_visible(chars)
    else:
        n_visible = sum(1 for c in chars if c["text"].strip())
    n_images = len(page.images)
    if not n_visible:
        # Text drawn as outlines or a scan: unread; nothing drawn at all: a blank page.
        scan.status = "no_text" if n_images or len(page.curves) > 50 else "blank"
        return scan
    if n_visible < MIN_CHARS_WITH_IMAGES and n_images:
        scan.status = "no_text"
        return scan
    if plain:
        usable = chars          # all upright, none a "(cid:N)"
    else:
        n_cid = sum(1 for c in chars if is_cid(c))
        if n_cid > MAX_CID_SHARE * n_visible:
            scan.status = "cid"
            return scan
        usable = [c for c in chars if c["upright"] and not is_cid(c)]
    try:
        found = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
    except (ValueError, TypeError, ZeroDivisionError, IndexError):
        found = []  # odd ruling geometry: read the page as text rather than fail
    bands = CharBands(usable) if found else None    # shared by the tables of the page
    for t in found:
        draft = build_table([tuple(c) for c in t.cells], usable, fake_bold, scan.number, bands)
        if draft is not None:
            scan.tables.append(draft)
    scan.tables.sort(key=lambda d: d.top)
    scan.lines = group_lines(chars_outside(usable, scan.tables, bands), fake_bold)
    return scan


def _count_visible(chars: list[dict]) -> int:
    """How many characters are not white space, when each text is one character: those a
    split on white space keeps (str.strip and str.split agree on what white space is)."""
    return sum(map(len, "".join(map(_TEXT, chars)).split()))


# ------------------------------------------------------- headers and footers

def _band(line: Line, height: float) -> str | None:
    centre = (line.top + line.bottom) / 2
    if centre < HEADER_BAND * height:
        return "header"
    if centre > FOOTER_BAND * height:
        return "footer"
    return None


def _repeat_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def _find_running_lines(scans: list[_PageScan]) -> list[dict[int, str]]:
    """Per scan, id(line) -> "header"/"footer" for its lines that are running heads or page
    numbers."""
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    candidates = []
    running: list[dict[int, str]] = [{} for _ in scans]
    for scan, page_running in zip(scans, running):
        for line in scan.lines:
            band = _band(line, scan.height)
            if band:
                key = _repeat_key(line.text)
                seen[(band, key)].add(scan.number)
                candidates.append((page_running, line, band, key))
    needed = 2 if len(scans) <= 4 else 3
    for page_running, line, band, key in candidates:
        if _PAGE_NUMBER.match(line.text) or len(seen[(band, key)]) >= needed:
            page_running[id(line)] = band
    return running


# ---------------------------------------------------------------- measures

def _measure(scans: list[_PageScan], bodies: list[list[Line]]) -> _Layout:
    """`bodies`: each scan's lines that are not running heads."""
    # plain dicts, counted as a Counter counts and read as Counter.most_common(1) reads them
    # (the first key with the top count): a Counter's += is a Python call per line
    sizes: dict[float, int] = {}
    fonts: dict[str, int] = {}
    for body in bodies:
        for line in body:
            n = line.n_chars
            sizes[line.size] = sizes.get(line.size, 0) + n
            fonts[line.fontname] = fonts.get(line.fontname, 0) + n
    body_size = _top_key(sizes) if sizes else 12.0
    body_font = _top_key(fonts) if fonts else ""

    gaps = []
    lefts: dict[int, dict[int, int]] = {}
    rights: dict[int, dict[int, int]] = {}
    for scan, body in zip(scans, bodies):
        for a, b in zip(body, body[1:]):
            if a.size == b.size == body_size:
                gap = b.top - a.bottom
                if 0 <= gap < 2 * body_size:
                    gaps.append(gap)
        width = round(scan.width)
        for ln in body:
            if abs(ln.size - body_size) <= 0.5:
                page_lefts = lefts.setdefault(width, {})
                page_rights = rights.setdefault(width, {})
                x0, x1 = round(ln.x0), round(ln.x1)
                page_lefts[x0] = page_lefts.get(x0, 0) + ln.n_chars
                page_rights[x1] = page_rights.get(x1, 0) + ln.n_chars
    margins = {}
    for width, left_counts in lefts.items():
        margins[width] = (_edge(left_counts, min), _edge(rights[width], max))
    for scan, body in zip(scans, bodies):
        # a page size with no body-size text: its own lines' extent is the column
        if body and round(scan.width) not in margins:
            margins[round(scan.width)] = (min(ln.x0 for ln in body), max(ln.x1 for ln in body))
    line_gap = statistics.median(gaps) if gaps else 0.5 * body_size
    return _Layout(body_size=body_size, body_font=body_font, line_gap=line_gap, margins=margins)


def _top_key(counts: dict):
    """Counter.most_common(1)[0][0]: the first key (in insertion order) with the top count."""
    return max(counts, key=counts.__getitem__)


def _edge(counts: dict[int, int], pick) -> float:
    """The outermost position that many lines share (not one stray line)."""
    top = max(counts.values())
    return float(pick(x for x, n in counts.items() if n >= 0.2 * top))


# --------------------------------------------------------------- paragraphs

@dataclass
class _Entry:
    block: Paragraph | Table
    first: Line | None = None      # paragraphs: first and last line, for joins across pages
    last: Line | None = None
    draft: TableDraft | None = None
    column: tuple[float, float] = (0.0, 0.0)   # the page's text column (left, right)


def _line_bold(line: Line, layout: _Layout) -> bool:
    if line.fake_bold:
        return True
    if not bold_by_name(line.fontname):
        return False
    # A Hei (黑体) face reads as bold next to a Song/Ming body, not when it is the body font.
    return not (is_hei_only(line.fontname) and line.fontname == layout.body_font)


def _centered(line: Line, left: float, right: float, page_width: float) -> bool:
    width = right - left
    if width <= 0 or line.x1 - line.x0 > 0.8 * width:
        return False
    centre = (line.x0 + line.x1) / 2
    tol = max(line.size, 0.03 * width)
    return abs(centre - (left + right) / 2) <= tol or abs(centre - page_width / 2) <= tol


def _complete(line: Line, right: float) -> bool:
    """The line ends a sentence or stops clearly short of the right margin."""
    return line.text.endswith(_TERMINAL) or line.x1 < right - 1.5 * line.size


def _starts_paragraph(prev: Line, cur: Line, info: dict, layout: _Layout,
                      left: float, right: float) -> bool:
    if abs(cur.size - prev.size) >= 1.0:
        return True
    # (bold, centered) changed. Not when the previous line runs to the margin
    # mid-sentence: a CJK fallback font (e.g. a Hei face) can switch to a Latin
    # font for "100%。" on the next line without any change of paragraph.
    if info[id(prev)] != info[id(cur)] and _complete(prev, right):
        return True
    size = max(cur.size, prev.size)
    if cur.top - prev.bottom > layout.line_gap + 0.4 * size:
        return True
    if _NUMBERED.match(cur.text) and _complete(prev, right):
        return True
    if cur.x0 - left >= 1.5 * cur.size and cur.x0 > prev.x0 + cur.size:
        return True                               # indented first line
    if prev.text.endswith(_TERMINAL) and prev.x1 < right - 1.5 * prev.size:
        return True
    return prev.x1 < right - 0.25 * (right - left)


def _page_blocks(scan: _PageScan, body: list[Line], running: dict[int, str], layout: _Layout,
                 doc: Document, prefix: str = "l") -> list[_Entry]:
    """`body`: the page's lines without `running`, its running heads (id(line) -> band)."""
    left, right = layout.column(scan)
    if running:
        counters = {"header": 0, "footer": 0}
        for line in scan.lines:
            band = running.get(id(line))
            if band:
                counters[band] += 1
                doc.headers.append(Paragraph(
                    text=line.text, page=scan.number, source=band,
                    locator=f"p{scan.number}.{band[0]}{counters[band]}", font_size=line.size))
    info = {id(ln): (_line_bold(ln, layout), _centered(ln, left, right, scan.width)) for ln in body}

    items: list[tuple[float, int, object]] = [(ln.top, 0, ln) for ln in body]
    items += [(t.top, 1, t) for t in scan.tables]
    items.sort(key=_TOP_THEN_KIND)

    entries: list[_Entry] = []
    run: list[Line] = []
    n_par = n_tab = 0
    column = (left, right)

    def flush() -> None:
        nonlocal n_par, run
        if not run:
            return
        n_par += 1
        entries.append(_paragraph_entry(run, scan.number, f"p{scan.number}.{prefix}{n_par}", info,
                                        layout, column))
        run = []

    for _, kind, obj in items:
        if kind == 1:
            flush()
            n_tab += 1
            entries.append(_table_entry(obj, scan.number, f"p{scan.number}.t{n_tab}"))
            continue
        if run and _starts_paragraph(run[-1], obj, info, layout, left, right):
            flush()
        run.append(obj)
    flush()
    return entries


_TOP_THEN_KIND = itemgetter(0, 1)


def _paragraph_entry(lines: list[Line], page: int, locator: str, info: dict,
                     layout: _Layout, column: tuple[float, float]) -> _Entry:
    if len(lines) == 1:
        # join_texts of one text is that text; a single count is the top one
        line = lines[0]
        text, size = line.text, line.size
        bold, centered = info[id(line)]
    else:
        sizes: dict[float, int] = {}
        for ln in lines:
            sizes[ln.size] = sizes.get(ln.size, 0) + ln.n_chars
        size = _top_key(sizes)
        text = join_texts([ln.text for ln in lines])
        bold = all(info[id(ln)][0] for ln in lines)
        centered = all(info[id(ln)][1] for ln in lines)
    par = Paragraph(
        text=text, page=page, locator=locator, bold=bold, font_size=size,
        size_ratio=round(size / layout.body_size, 3) if layout.body_size else None,
        centered=centered,
    )
    return _Entry(block=par, first=lines[0], last=lines[-1], column=column)


def _table_entry(draft: TableDraft, page: int, locator: str) -> _Entry:
    table = Table(rows=draft.rows, page=page, locator=locator, header_rows=draft.header_rows,
                  n_cols=draft.n_cols, pages=[page])
    return _Entry(block=table, draft=draft)


# ------------------------------------------------------- across page breaks

def _join_across_pages(per_page: list[tuple[int, list[_Entry]]], layout: _Layout) -> list:
    blocks = []
    prev_page, prev_last = None, None
    for number, entries in per_page:
        joinable = prev_last is not None and prev_page == number - 1 and entries
        if joinable and (_continue_table(prev_last, entries[0], number)
                         or _continue_paragraph(prev_last, entries[0], layout)):
            entries = entries[1:]
            # a page holding only the continuation passes the joined block on
            prev_last = entries[-1] if entries else prev_last
        else:
            prev_last = entries[-1] if entries else None
        blocks.extend(e.block for e in entries)
        prev_page = number
    return blocks


def _row_signature(row: list[Cell]) -> list[tuple[int, int, str]]:
    return [(c.col, c.colspan, c.text) for c in row]


def _continue_table(prev: _Entry, cur: _Entry, page: int) -> bool:
    """Append `cur` (the first table on a page) to `prev` (the last table on the page before)."""
    if prev.draft is None or cur.draft is None:
        return False
    table, part = prev.block, cur.block
    if table.n_cols != part.n_cols:
        return False
    h = table.header_rows
    repeated = (len(part.rows) > h and
                [_row_signature(r) for r in part.rows[:h]] == [_row_signature(r) for r in table.rows[:h]])
    same_columns = all(abs(a - b) <= 3.0 for a, b in zip(prev.draft.col_edges, cur.draft.col_edges))
    if not repeated and not same_columns:
        return False
    drop = h if repeated else 0
    offset = len(table.rows) - drop
    # A vertically merged cell that runs to the foot of the page goes on as an empty
    # cell at the top of the next: extend the merged cell instead of adding a blank.
    running = _cells_reaching_bottom(table)
    for row in part.rows[drop:]:
        new_row = []
        for c in row:
            above = running.get((c.col, c.colspan)) if c.row - drop == 0 else None
            if above is not None and not c.text and above.rowspan > 1:
                above.rowspan += c.rowspan
                continue
            new_row.append(Cell(text=c.text, row=c.row + offset, col=c.col,
                                rowspan=c.rowspan, colspan=c.colspan))
        table.rows.append(new_row)
    table.pages.append(page)
    prev.draft = cur.draft          # the next page compares with this page's ruling
    return True


def _cells_reaching_bottom(table: Table) -> dict[tuple[int, int], Cell]:
    n = len(table.rows)
    return {(c.col, c.colspan): c for row in table.rows for c in row if c.row + c.rowspan == n}


def _continue_paragraph(prev: _Entry, cur: _Entry, layout: _Layout) -> bool:
    """A sentence cut by the page break: the last line runs to the margin without ending."""
    if prev.last is None or cur.first is None:
        return False
    a, b = prev.last, cur.first
    par, nxt = prev.block, cur.block
    if a.text.endswith(_TERMINAL) or abs(a.size - b.size) >= 1.0 or par.bold != nxt.bold:
        return False
    if par.centered or nxt.centered or _NUMBERED.match(b.text):
        return False
    if a.x1 < prev.column[1] - 1.5 * a.size or b.x0 - cur.column[0] >= 1.5 * b.size:
        return False
    par.text = join_texts([par.text, nxt.text])
    prev.last = cur.last
    return True


def _page_list(pages: list[int]) -> str:
    """3, 5-7, 9"""
    out, start, prev = [], None, None
    for p in sorted(pages):
        if start is None:
            start = prev = p
        elif p == prev + 1:
            prev = p
        else:
            out.append(f"{start}-{prev}" if prev != start else str(start))
            start = prev = p
    if start is not None:
        out.append(f"{start}-{prev}" if prev != start else str(start))
    return ", ".join(out)
