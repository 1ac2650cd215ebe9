"""Ruled PDF tables -> Cells with rowspan/colspan, from the table's geometry.

pdfplumber's `extract()` gives None for the grid positions a merged cell
covers, which is ambiguous (an empty cell and a covered one look alike after
a page break). Its `Table.cells` are the real cell rectangles, so we place each
on the grid of all column and row boundaries instead: a cell's colspan is the
number of column boundaries it crosses, its rowspan likewise. Every merged
cell thus appears once, at its top-left grid position.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from operator import itemgetter

from .model import Cell
from .pdf_chars import group_lines, join_texts

SNAP = 2.0  # points: boundaries closer than this are the same ruling line
_BOX = itemgetter("x0", "x1", "top", "bottom")


@dataclass
class TableDraft:
    """A table found on one page, before tables continued across pages are joined."""

    rows: list[list[Cell]]
    n_cols: int
    header_rows: int
    top: float
    bottom: float
    bbox: tuple[float, float, float, float]
    col_edges: list[float]
    pages: list[int] = field(default_factory=list)


def _boundaries(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= SNAP:
            continue
        out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    """Index of the boundary nearest v."""
    i = bisect_left(edges, v)
    if i == len(edges):
        return i - 1
    if i > 0 and v - edges[i - 1] < edges[i] - v:
        return i - 1
    return i


def build_table(cell_boxes: list[tuple], chars: list[dict], fake_bold: set[int],
                page: int) -> TableDraft | None:
    """Cells from pdfplumber cell rectangles and the page's characters.

    `chars` are the page's (deduplicated, upright, non-cid) characters; those
    whose centre falls inside a cell make its text. Returns None for what is not
    worth calling a table: a single box (a frame round a paragraph or the page)
    or a grid with no text at all.
    """
    if len(cell_boxes) < 2:
        return None
    xs = _boundaries([b[0] for b in cell_boxes] + [b[2] for b in cell_boxes])
    ys = _boundaries([b[1] for b in cell_boxes] + [b[3] for b in cell_boxes])
    n_cols, n_rows = len(xs) - 1, len(ys) - 1
    if n_cols < 1 or n_rows < 1 or n_cols * n_rows < 2:
        return None

    placed: list[tuple[int, int, int, int]] = []  # row, col, rowspan, colspan
    covering: dict[tuple[int, int], int] = {}
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

    members: list[list[dict]] = [[] for _ in placed]
    # a character belongs to the grid interval holding its centre; inlined, since this loop
    # sees every character of the page once per table
    x_lo, x_hi, y_lo, y_hi = xs[0], xs[-1], ys[0], ys[-1]
    last_col, last_row = len(xs) - 2, len(ys) - 2
    for ch, (x0, x1, top, bottom) in zip(chars, map(_BOX, chars)):
        cy = (top + bottom) / 2
        if cy < y_lo or cy > y_hi:
            continue
        cx = (x0 + x1) / 2
        if cx < x_lo or cx > x_hi:
            continue
        c = bisect_left(xs, cx) - 1
        c = 0 if c < 0 else (last_col if c > last_col else c)
        r = bisect_left(ys, cy) - 1
        r = 0 if r < 0 else (last_row if r > last_row else r)
        k = covering.get((r, c))
        if k is not None:
            members[k].append(ch)
    if not any(members):
        return None

    rows: list[list[Cell]] = [[] for _ in range(n_rows)]
    for (r, c, rs, cs), cell_chars in zip(placed, members):
        text = join_texts([ln.text for ln in group_lines(cell_chars, fake_bold)])
        rows[r].append(Cell(text=text, row=r, col=c, rowspan=rs, colspan=cs))
    for row in rows:
        row.sort(key=lambda cell: cell.col)
    header_rows = max((cell.rowspan for cell in rows[0]), default=1)
    return TableDraft(
        rows=rows, n_cols=n_cols, header_rows=min(header_rows, max(n_rows - 1, 1)),
        top=ys[0], bottom=ys[-1], bbox=(xs[0], ys[0], xs[-1], ys[-1]), col_edges=xs,
        pages=[page],
    )


def chars_outside(chars: list[dict], tables: list[TableDraft]) -> list[dict]:
    """The characters whose centre lies in no table (the text for paragraphs)."""
    if not tables:
        return chars
    boxes = [(x0 - 1, t0 - 1, x1 + 1, b1 + 1) for x0, t0, x1, b1 in (t.bbox for t in tables)]
    out = []
    for ch, (x0, x1, top, bottom) in zip(chars, map(_BOX, chars)):
        cx = (x0 + x1) / 2
        cy = (top + bottom) / 2
        for left, upper, right, lower in boxes:
            if left <= cx <= right and upper <= cy <= lower:
                break
        else:
            out.append(ch)
    return out
