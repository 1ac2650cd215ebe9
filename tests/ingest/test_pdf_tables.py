"""ingest/pdf_tables.py's per-character loops were inlined for speed (the cell lookup and the
outside-every-table filter see each character of a page once per table). The first versions
are kept here as the reference: on every ruled table of the corpus PDFs, and on synthetic
characters placed on and around the grid lines, the rewrite must give the same cells, the
same texts and the same characters outside the tables."""
from __future__ import annotations

from bisect import bisect_left
from pathlib import Path

import pdfplumber
import pytest

from ingest.model import Cell
from ingest.pdf_chars import dedupe_chars, group_lines, join_texts
from ingest.pdf_tables import TableDraft, _boundaries, _index, build_table, chars_outside

ROOT = Path(__file__).resolve().parents[2]
PDFS = sorted(ROOT.glob("corpus/samples/*.pdf")) + sorted(ROOT.glob("corpus/heldout*/samples/*.pdf"))
LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def _ref_slot(edges, v):
    if v < edges[0] or v > edges[-1]:
        return -1
    return min(max(bisect_left(edges, v) - 1, 0), len(edges) - 2)


def _ref_build_table(cell_boxes, chars, fake_bold, page):
    if len(cell_boxes) < 2:
        return None
    xs = _boundaries([b[0] for b in cell_boxes] + [b[2] for b in cell_boxes])
    ys = _boundaries([b[1] for b in cell_boxes] + [b[3] for b in cell_boxes])
    n_cols, n_rows = len(xs) - 1, len(ys) - 1
    if n_cols < 1 or n_rows < 1 or n_cols * n_rows < 2:
        return None
    placed, covering = [], {}
    for box in cell_boxes:
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        if c1 <= c0 or r1 <= r0:
            continue
        k = len(placed)
        placed.append((r0, c0, r1 - r0, c1 - c0))
        for r in range(r0, r1):
            for c in range(c0, c1):
                covering.setdefault((r, c), k)
    if len(placed) < 2:
        return None
    members = [[] for _ in placed]
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        c, r = _ref_slot(xs, cx), _ref_slot(ys, cy)
        if c < 0 or r < 0:
            continue
        k = covering.get((r, c))
        if k is not None:
            members[k].append(ch)
    if not any(members):
        return None
    rows = [[] for _ in range(n_rows)]
    for (r, c, rs, cs), cell_chars in zip(placed, members):
        text = join_texts([ln.text for ln in group_lines(cell_chars, fake_bold)])
        rows[r].append(Cell(text=text, row=r, col=c, rowspan=rs, colspan=cs))
    for row in rows:
        row.sort(key=lambda cell: cell.col)
    header_rows = max((cell.rowspan for cell in rows[0]), default=1)
    return TableDraft(rows=rows, n_cols=n_cols, header_rows=min(header_rows, max(n_rows - 1, 1)),
                      top=ys[0], bottom=ys[-1], bbox=(xs[0], ys[0], xs[-1], ys[-1]), col_edges=xs,
                      pages=[page])


def _ref_chars_outside(chars, tables):
    if not tables:
        return chars
    boxes = [t.bbox for t in tables]
    out = []
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        if not any(x0 - 1 <= cx <= x1 + 1 and t0 - 1 <= cy <= b1 + 1 for x0, t0, x1, b1 in boxes):
            out.append(ch)
    return out


def _char(text, x0, top, size=10.0):
    return {"text": text, "x0": x0, "x1": x0 + size, "top": top, "bottom": top + size,
            "doctop": top, "size": size, "fontname": "F", "upright": True}


def _grid_page():
    """A 3x3 grid (a merged cell in the first row) with characters centred exactly on grid
    lines, just inside and just outside the frame, and inside the 1-point margin of
    chars_outside."""
    xs, ys = [100.0, 200.0, 300.0, 400.0], [100.0, 150.0, 200.0, 250.0]
    boxes = [(100.0, 100.0, 300.0, 150.0), (300.0, 100.0, 400.0, 150.0)]
    boxes += [(xs[c], ys[r], xs[c + 1], ys[r + 1]) for r in (1, 2) for c in range(3)]
    chars = []
    for cx in (95.0, 99.5, 100.0, 100.5, 150.0, 200.0, 250.0, 399.5, 400.0, 400.5, 401.0, 401.5):
        for cy in (95.0, 99.0, 100.0, 125.0, 150.0, 175.0, 250.0, 251.0, 252.0):
            chars.append(_char("字", cx - 5.0, cy - 5.0))
    return boxes, chars


def _pages():
    yield "synthetic", [_grid_page()]
    for path in PDFS:
        found = []
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                tables = page.find_tables(LINES)
                if tables:
                    chars, _ = dedupe_chars(page.chars)
                    found.append(([tuple(c) for t in tables for c in t.cells], chars))
                page.close()
        yield path.name, found


def test_table_builder_equals_its_first_version():
    n_tables = 0
    for name, pages in _pages():
        for boxes, chars in pages:
            usable = [c for c in chars if c["upright"]]
            got = build_table(boxes, usable, set(), 1)
            want = _ref_build_table(boxes, usable, set(), 1)
            assert got == want, name
            tables = [got] if got is not None else []
            assert chars_outside(usable, tables) == _ref_chars_outside(usable, tables), name
            n_tables += got is not None
    assert n_tables >= 10     # the comparison saw real tables, not only empty pages


@pytest.mark.parametrize("boxes", [[], [(0.0, 0.0, 10.0, 10.0)]])
def test_no_table_from_fewer_than_two_cells(boxes):
    assert build_table(boxes, [_char("字", 1.0, 1.0)], set(), 1) is None
