"""Scanned PDF pages -> text lines and ruled tables, by OCR (the optional `ocr` extra).

    from ingest import ocr
    if ocr.available():
        for page in ocr.read_pages(pdf_bytes, [3, 4], password=None): ...

The PDF reader calls this for the pages it could not read (no text layer, or
unmappable `(cid:…)` glyphs) and lays the result out with the same rules as a
text page: running heads and page numbers apart, lines joined into paragraphs,
tables continued across pages. What this module adds:

- each page is rendered by pdfium (pypdfium2) at 150 dpi, one page at a time,
  and the image freed before the next, so memory stays flat however long the file;
- rapidocr-onnxruntime finds and reads the text lines (its wheel carries the
  models: nothing is downloaded);
- ruled tables are found in the image (OpenCV, which rapidocr brings): the ruling
  lines are picked out by morphology, the cells are the closed regions between
  them, and each OCR text box goes to the cell holding its centre, so a table
  comes out as rows and cells like a text PDF's table (three-line tables without
  vertical rules stay text lines);
- every OCR box becomes a pseudo character in the PDF coordinate system (points),
  so `pdf_chars.group_lines` and `pdf_tables.build_table` are reused as they are.
  Text goes through `normalize.clean_line` there, exactly once.

OCR is slow (about 2 s a dense A4 page on two cores), so the PDF reader reads at most
DEFAULT_MAX_PAGES scanned pages unless told otherwise (the rest are listed, W011), and
`set_threads` (or $CPSCREEN_OCR_THREADS) bounds the threads onnxruntime uses, for
processes that run side by side (batch and web workers).
"""
from __future__ import annotations

import importlib.util
import os
import re
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from .limits import DEFAULT_OCR_MAX_PAGES
from .pdf_chars import Line, group_lines, is_wide

if TYPE_CHECKING:  # pdf_tables brings pdfplumber: `import ingest` and the CLI stay light
    from .pdf_tables import TableDraft

OCR_PACKAGE = "rapidocr_onnxruntime"
# Rendering: the long side of the page image in pixels: A4 at 150 dpi, where 10.5 pt
# table text is 22 px high. At 120 dpi the recogniser misreads small figures ("90.5");
# at 170 dpi a run with the whole pipeline peaks over 1 GB. Measured on the corpus scan:
# 150 dpi reads every indicator but one unit, peak about 770 MB with the whole pipeline.
LONG_SIDE_PX = 1754
MAX_SCALE = 4.0                    # tiny pages are not blown up beyond 288 dpi
MAX_PIXELS = 12_000_000            # a hostile page size cannot make a huge bitmap
MIN_CONFIDENCE = 0.5
# Type sizes measured from OCR boxes (see _type_size) wobble by a few per cent between
# lines set alike; lines within this share of the body size are given the body size.
SIZE_SNAP = 0.08
FONT_NAME = "OCR"
# At most this many scanned pages are read by OCR per file (ingest/limits.py)
DEFAULT_MAX_PAGES = DEFAULT_OCR_MAX_PAGES
THREADS_ENV = "CPSCREEN_OCR_THREADS"


class OcrUnavailable(RuntimeError):
    """rapidocr-onnxruntime (the `ocr` extra) is not installed or cannot start."""


@dataclass
class OcrPage:
    """What OCR read on one page, in PDF points (origin top left)."""

    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)      # outside tables, top to bottom
    tables: list[TableDraft] = field(default_factory=list)
    n_chars: int = 0                                       # visible characters read


@dataclass
class OcrFailure:
    number: int
    detail: str


def available() -> bool:
    try:
        return importlib.util.find_spec(OCR_PACKAGE) is not None
    except (ImportError, ValueError):  # a module set to None in sys.modules
        return False


# set_threads(); None: $CPSCREEN_OCR_THREADS, or else onnxruntime's own choice (all cores)
_threads: int | None = None
# (threads, engine): one recogniser per process, rebuilt when the thread setting changes
_cached: tuple[int | None, object] | None = None


def set_threads(n: int | None) -> None:
    """The threads onnxruntime may use within one model run (intra_op_num_threads) in this
    process; None: $CPSCREEN_OCR_THREADS when set, else onnxruntime's default (all cores).
    Processes that OCR side by side should share the cores out, or they slow each other
    down. A loaded engine with another setting is rebuilt on its next use."""
    global _threads
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise ValueError(f"OCR threads must be a positive integer or None, not {n!r}")
    _threads = n


def threads() -> int | None:
    """The thread count the engine is (or will be) built with; None: onnxruntime's default."""
    n = _threads if _threads is not None else _env_threads()
    if n is None:
        return None
    # rapidocr ignores a count above os.cpu_count() (and takes the default): say so here
    return min(n, os.cpu_count() or 1)


def threads_per_worker(workers: int) -> int | None:
    """The threads each of `workers` processes that OCR side by side (batch and web workers)
    should give onnxruntime: the usable cores shared out, at least one each. None (keep the
    default) when $CPSCREEN_OCR_THREADS is set: the user's choice wins."""
    if os.environ.get(THREADS_ENV, "").strip():
        return None
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, cores // max(1, workers))


def _env_threads() -> int | None:
    try:
        n = int(os.environ.get(THREADS_ENV, "").strip())
    except ValueError:          # unset, empty or not a number: the default
        return None
    return n if n >= 1 else None


def _engine():
    """The recogniser for the current thread setting: loading the three models takes
    about a second, so it is kept for the process."""
    global _cached
    want = threads()
    if _cached is not None and _cached[0] == want:
        return _cached[1]
    _cached = None                  # the old models go before the new ones load
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise OcrUnavailable(str(exc)) from None
    try:
        if want is None:
            engine = RapidOCR(print_verbose=False)
        else:
            engine = RapidOCR(print_verbose=False, intra_op_num_threads=want, inter_op_num_threads=1)
    except Exception as exc:  # a broken model file or onnxruntime install
        raise OcrUnavailable(f"{type(exc).__name__}: {exc}") from None
    _cached = (want, engine)
    return engine


def read_pages(data: bytes, numbers: list[int], password: str | None = None
               ) -> Iterator[OcrPage | OcrFailure]:
    """OCR the given 1-based pages of a PDF, one at a time, in order.

    Raises OcrUnavailable when the OCR package is missing; a page that fails
    (pdfium or the recogniser) is reported as an OcrFailure and the rest go on.
    """
    engine = _engine()
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data, password=password)
    try:
        for number in numbers:
            try:
                yield _read_page(pdf, number, engine)
            except MemoryError:
                yield OcrFailure(number, "out of memory")
            except Exception as exc:  # one bad page does not stop the others
                yield OcrFailure(number, f"{type(exc).__name__}: {exc}"[:200])
    finally:
        pdf.close()


def _read_page(pdf, number: int, engine) -> OcrPage:
    import numpy as np

    from .pdf_tables import build_table, chars_outside

    page = pdf[number - 1]
    try:
        width, height = page.get_size()
        if page.get_rotation() in (90, 270):
            width, height = height, width
        scale = _scale(width, height)
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            image = bitmap.to_pil()
            gray = np.array(image.convert("L"))   # a copy: the bitmap can go now
            image.close()
        finally:
            bitmap.close()
    finally:
        page.close()
    result, _ = engine(np.stack([gray] * 3, axis=-1))
    chars = _box_chars(result or [], scale)
    table_cells = _ruled_tables(gray, scale, chars) if chars else []
    del gray
    out = OcrPage(number=number, width=width, height=height)
    for cells in table_cells:
        draft = build_table(cells, chars, set(), number)
        if draft is not None:
            out.tables.append(draft)
    out.tables.sort(key=lambda d: d.top)
    outside = chars_outside(chars, out.tables)
    out.lines = group_lines(outside, set())
    _line_sizes(out.lines, outside)
    out.n_chars = sum(len(c["text"].replace(" ", "")) for c in chars)
    return out


def _scale(width: float, height: float) -> float:
    longest = max(width, height, 1.0)
    scale = min(MAX_SCALE, LONG_SIDE_PX / longest)
    if width * height * scale * scale > MAX_PIXELS:
        scale = (MAX_PIXELS / max(width * height, 1.0)) ** 0.5
    return scale


def _box_chars(result: list, scale: float) -> list[dict]:
    """rapidocr's (box, text, confidence) -> pdfplumber-like char dicts, one per box."""
    chars = []
    for box, text, confidence in result:
        if not text or not text.strip() or float(confidence) < MIN_CONFIDENCE:
            continue
        xs = [float(p[0]) / scale for p in box]
        ys = [float(p[1]) / scale for p in box]
        top, bottom = min(ys), max(ys)
        x0, x1 = min(xs), max(xs)
        text = _DIGIT_DASH.sub(r"\1—\2", text)
        chars.append({"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                      "doctop": top, "size": _type_size(text, x1 - x0, bottom - top),
                      "fontname": FONT_NAME, "upright": True})
    return chars


# The recogniser reads the dash of "2021—2023" and "HJ/T 186—2006" as 一 (one).
_DIGIT_DASH = re.compile(r"(\d)一(\d)")


def _type_size(text: str, width: float, height: float) -> float:
    """The type size a box was set in, in points.

    Box heights wobble by 15 % between lines of one size (descenders, the detector's
    padding); the width per character of Chinese text is steady (CJK glyphs are one
    em wide, Latin letters and digits about half), so long boxes are measured by it.
    """
    wide = sum(1 for ch in text if is_wide(ch))
    narrow = sum(1 for ch in text if not ch.isspace()) - wide
    if wide >= 4:
        return round(width / (wide + 0.55 * narrow), 1)
    return round(0.85 * height, 1)


def _line_sizes(lines: list[Line], chars: list[dict]) -> None:
    """A line's size is that of its longest box (a short "(一)" box beside a title is noisy)."""
    for line in lines:
        best = None
        for ch in chars:
            cy = (ch["top"] + ch["bottom"]) / 2
            if line.top <= cy <= line.bottom and line.x0 - 1 <= ch["x0"] and ch["x1"] <= line.x1 + 1:
                if best is None or len(ch["text"]) > len(best["text"]):
                    best = ch
        if best is not None:
            line.size = round(best["size"] * 2) / 2


def _ruled_tables(gray, scale: float, chars: list[dict]) -> list[list[tuple]]:
    """Cell rectangles (points) of each ruled table on the page image."""
    import cv2
    import numpy as np

    h, w = gray.shape
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    # A ruling line is far longer than any stroke of a character: horizontal ones
    # span a twenty-fifth of the page, vertical ones at least a text line's height.
    text_px = statistics.median(c["bottom"] - c["top"] for c in chars) * scale
    h_len = max(20, w // 25)
    v_len = max(12, int(0.9 * text_px))
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    grid = cv2.dilate(horiz | vert, np.ones((3, 3), np.uint8))
    del ink, horiz, vert
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grid, connectivity=8)
    tables = []
    min_cell = max(6, int(0.5 * text_px))
    pad = 2  # half the dilated line: cell edges meet on the ruling line
    for i in range(1, n):
        x, y, bw, bh, _area = (int(v) for v in stats[i])
        if bw < 0.15 * w or bh < 1.5 * text_px:
            continue
        inside = (labels[y:y + bh, x:x + bw] != i).astype(np.uint8)
        m, _cl, cstats, _ = cv2.connectedComponentsWithStats(inside, connectivity=4)
        cells = []
        for j in range(1, m):
            cx, cy, cw, ch, _ = (int(v) for v in cstats[j])
            if cx == 0 or cy == 0 or cx + cw >= bw or cy + ch >= bh:
                continue  # open to the outside: not enclosed by ruling
            if cw < min_cell or ch < min_cell:
                continue
            cells.append(((x + cx - pad) / scale, (y + cy - pad) / scale,
                          (x + cx + cw + pad) / scale, (y + cy + ch + pad) / scale))
        if len(cells) >= 2:
            tables.append(cells)
    return tables


def snap_sizes(pages: list[OcrPage]) -> None:
    """Give lines within SIZE_SNAP of the body height the body height (see SIZE_SNAP)."""
    weights: dict[float, int] = {}
    for page in pages:
        for line in page.lines:
            weights[line.size] = weights.get(line.size, 0) + line.n_chars
    if not weights:
        return
    ordered = sorted(weights)
    total, run, body = sum(weights.values()), 0, ordered[0]
    for size in ordered:                      # the character-weighted median
        run += weights[size]
        if run >= total / 2:
            body = size
            break
    for page in pages:
        for line in page.lines:
            if abs(line.size - body) <= SIZE_SNAP * body:
                line.size = body
