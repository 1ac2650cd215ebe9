"""Ruled PDF tables -> Cells with rowspan/colspan, from the table's geometry.

pdfplumber's `extract()` gives None for the grid positions a merged cell
covers, which is ambiguous (an empty cell and a covered one look alike after
a page break). Its `Table.cells` are the real cell rectangles, so we place each
on the grid of all column and row boundaries instead: a cell's colspan is the
number of column boundaries it crosses, its rowspan likewise. Every merged
cell thus appears once, at its top-left grid position.

The cell rectangles of a page pdfium reads come from `ruled_tables`: pdfplumber's
TableFinder ("lines" strategy) redone on tuples and sets, the same cells in the
same order, at a fraction of the cost.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import compress, groupby
from math import isfinite, isnan
from operator import itemgetter
from types import SimpleNamespace

from pdfplumber.table import TableFinder, TableSettings
from pdfplumber.utils.clustering import make_cluster_dict

from .model import Cell
from .pdf_chars import group_lines, join_texts

SNAP = 2.0  # points: boundaries closer than this are the same ruling line
_TOP, _BOTTOM = itemgetter("top"), itemgetter("bottom")


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


class CharBands:
    """The vertical centres of a page's characters, sorted once for all its tables, so that
    a table looks only at the characters level with it (on a page with a table, most are
    not)."""

    def __init__(self, chars: list[dict]) -> None:
        self.chars = chars
        self.ys = [(top + bottom) / 2 for top, bottom in zip(map(_TOP, chars), map(_BOTTOM, chars))]
        if isnan(sum(self.ys)):
            # a NaN centre (or inf and -inf): no order to search; band() looks at every one
            self._by_y = None
        else:
            self._by_y = sorted(range(len(chars)), key=self.ys.__getitem__)
            self._sorted_ys = [self.ys[i] for i in self._by_y]

    def band(self, low: float, high: float) -> list[int]:
        """The indices, in page order, of the characters whose centre is neither above `low`
        nor below `high` (a NaN centre is neither)."""
        ys = self.ys
        if self._by_y is None:
            return [i for i, y in enumerate(ys) if not (y < low or y > high)]
        start = bisect_left(self._sorted_ys, low)
        return sorted(self._by_y[start:bisect_right(self._sorted_ys, high, start)])


def build_table(cell_boxes: list[tuple], chars: list[dict], fake_bold: set[int],
                page: int, bands: CharBands | None = None) -> TableDraft | None:
    """Cells from pdfplumber cell rectangles and the page's characters.

    `chars` are the page's (deduplicated, upright, non-cid) characters; those
    whose centre falls inside a cell make its text. Returns None for what is not
    worth calling a table: a single box (a frame round a paragraph or the page)
    or a grid with no text at all. `bands`: CharBands(chars), when the page's
    other tables share it.
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

    bands = bands if bands is not None else CharBands(chars)
    members = _cell_members(xs, ys, covering, len(placed), bands)
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


def _cell_members(xs: list[float], ys: list[float], covering: dict[tuple[int, int], int],
                  n_cells: int, bands: CharBands) -> list[list[dict]]:
    """Each cell's characters, in page order: a character belongs to the grid interval
    holding its centre (inlined: this loop sees every character level with the table)."""
    members: list[list[dict]] = [[] for _ in range(n_cells)]
    chars, char_ys = bands.chars, bands.ys
    x_lo, x_hi = xs[0], xs[-1]
    last_col, last_row = len(xs) - 2, len(ys) - 2
    for i in bands.band(ys[0], ys[-1]):
        ch = chars[i]
        cx = (ch["x0"] + ch["x1"]) / 2
        if cx < x_lo or cx > x_hi:
            continue
        c = bisect_left(xs, cx) - 1
        c = 0 if c < 0 else (last_col if c > last_col else c)
        r = bisect_left(ys, char_ys[i]) - 1
        r = 0 if r < 0 else (last_row if r > last_row else r)
        k = covering.get((r, c))
        if k is not None:
            members[k].append(ch)
    return members


def chars_outside(chars: list[dict], tables: list[TableDraft],
                  bands: CharBands | None = None) -> list[dict]:
    """The characters whose centre lies in no table (the text for paragraphs)."""
    if not tables:
        return chars
    bands = bands if bands is not None else CharBands(chars)
    char_ys = bands.ys
    keep = [True] * len(chars)
    for x0, t0, x1, b1 in (t.bbox for t in tables):
        left, upper, right, lower = x0 - 1, t0 - 1, x1 + 1, b1 + 1
        for i in bands.band(upper, lower):
            ch = chars[i]
            # the y test again for a NaN centre, which band() does not leave out
            if left <= (ch["x0"] + ch["x1"]) / 2 <= right and upper <= char_ys[i] <= lower:
                keep[i] = False
    return list(compress(chars, keep))


# ------------------------------------------------------------- ruling -> cell rectangles

def ruled_tables(edges: list[dict], settings: TableSettings) -> list[list[tuple]]:
    """The cell rectangles of each table pdfplumber's TableFinder finds on these edges with
    the "lines" strategy on both axes (no explicit lines), the same floats in the same order.

    These are pdfplumber's steps (`filter_edges`, `merge_edges`, `edges_to_intersections`,
    `intersections_to_cells`, `cells_to_tables`) on tuples, sets and indices instead of
    dicts and rescans of every point and cell; tests/ingest/test_pdf_tables.py compares each
    step with pdfplumber's on every page of the corpus."""
    if not _all_finite(edges):
        # inf and NaN break the equalities and orderings the steps below rely on: pdfplumber's
        # own finder, whatever it makes of them
        return _plumber_tables(edges, settings)
    merged = merge_ruling(edges, settings)
    crossings = edge_crossings(merged, settings.intersection_x_tolerance,
                               settings.intersection_y_tolerance)
    return cells_to_tables(crossings_to_cells(crossings))


def _all_finite(edges: list[dict]) -> bool:
    # a sum is finite only if every term is (an overflow errs on the safe side)
    return isfinite(sum([e["x0"] + e["x1"] + e["top"] + e["bottom"] for e in edges]))


def _plumber_tables(edges: list[dict], settings: TableSettings) -> list[list[tuple]]:
    page = SimpleNamespace(edges=edges, bbox=None)   # all the "lines" strategy reads
    return [t.cells for t in TableFinder(page, settings).tables]


# A ruling edge while it is merged: (orientation, x0, top, x1, bottom, length), the length
# being pdfplumber's "height" of a vertical edge and "width" of a horizontal one, which are
# not worked out again when an edge is moved, only when it is extended.
_Edge = tuple


def merge_ruling(edges: list[dict], settings: TableSettings) -> list[_Edge]:
    """pdfplumber's TableFinder.get_edges for "lines": edges at least
    `edge_min_length_prefilter` long, snapped and joined (`merge_edges`), then those at
    least `edge_min_length` long; in pdfplumber's order and with its floats."""
    prefilter = settings.edge_min_length_prefilter
    verticals = [("v", e["x0"], e["top"], e["x1"], e["bottom"], e["height"]) for e in edges
                 if e["orientation"] == "v" and e["height"] >= prefilter]
    horizontals = [("h", e["x0"], e["top"], e["x1"], e["bottom"], e["width"]) for e in edges
                   if e["orientation"] == "h" and e["width"] >= prefilter]
    if settings.snap_x_tolerance > 0 or settings.snap_y_tolerance > 0:
        ruling = (_snap(verticals, 1, settings.snap_x_tolerance)
                  + _snap(horizontals, 2, settings.snap_y_tolerance))
    else:
        ruling = verticals + horizontals
    merged: list[_Edge] = []
    for (orientation, _), group in groupby(sorted(ruling, key=_line_of), key=_line_of):
        if orientation == "h":
            merged += _join(group, 1, 3, settings.join_x_tolerance)
        else:
            merged += _join(group, 2, 4, settings.join_y_tolerance)
    min_length = settings.edge_min_length
    return [e for e in merged if e[5] >= min_length]


def _line_of(edge: _Edge) -> tuple[str, float]:
    return (edge[0], edge[2]) if edge[0] == "h" else (edge[0], edge[1])


def _snap(edges: list[_Edge], at: int, tolerance: float) -> list[_Edge]:
    """pdfplumber's `snap_objects` on x0 (at=1) or top (at=2): edges whose positions chain
    within `tolerance` move to their mean, each by mean - its position (as pdfplumber adds
    it, to both ends); clusters in order of position, edges in their order within one."""
    cluster_of = make_cluster_dict([e[at] for e in edges], tolerance)
    clusters: dict[int, list[_Edge]] = {}
    for e in edges:
        clusters.setdefault(cluster_of.get(e[at]), []).append(e)
    out = []
    for key in sorted(clusters):
        cluster = clusters[key]
        mean = sum([e[at] for e in cluster]) / len(cluster)
        for e in cluster:
            shift = mean - e[at]
            if at == 1:
                out.append((e[0], e[1] + shift, e[2], e[3] + shift, e[4], e[5]))
            else:
                out.append((e[0], e[1], e[2] + shift, e[3], e[4] + shift, e[5]))
    return out


def _join(group, start: int, end: int, tolerance: float) -> list[_Edge]:
    """pdfplumber's `join_edge_group`: edges on one line, ordered by where they start, each
    extending the last kept one it reaches within `tolerance`."""
    joined: list[_Edge] = []
    for e in sorted(group, key=itemgetter(start)):
        if not joined:
            joined.append(e)
            continue
        last = joined[-1]
        if e[start] <= last[end] + tolerance:
            if e[end] > last[end]:
                joined[-1] = _extend(last, end, e[end])
        else:
            joined.append(e)
    return joined


def _extend(edge: _Edge, end: int, value: float) -> _Edge:
    """pdfplumber's `resize_object` of x1 (width = x1 - x0) or bottom (height + the change)."""
    if end == 3:
        return (edge[0], edge[1], edge[2], value, edge[4], value - edge[1])
    return (edge[0], edge[1], edge[2], edge[3], value, edge[5] + (value - edge[4]))


def edge_crossings(edges: list[_Edge], x_tolerance: float,
                   y_tolerance: float) -> dict[tuple, tuple[set, set]]:
    """pdfplumber's `edges_to_intersections`, each point's edges given as the sets of their
    boxes (vertical, horizontal), which is all `intersections_to_cells` compares."""
    verticals = sorted(((x0, top, bottom, (x0, top, x1, bottom))
                        for o, x0, top, x1, bottom, _ in edges if o == "v"), key=_FIRST_TWO)
    horizontals = sorted(((top, x0, x1, (x0, top, x1, bottom))
                          for o, x0, top, x1, bottom, _ in edges if o == "h"), key=_FIRST_TWO)
    crossings: dict[tuple, tuple[set, set]] = {}
    for x, v_top, v_bottom, v_box in verticals:
        for y, h_x0, h_x1, h_box in horizontals:
            if v_top <= y + y_tolerance and v_bottom >= y - y_tolerance \
                    and x >= h_x0 - x_tolerance and x <= h_x1 + x_tolerance:
                boxes = crossings.get((x, y))
                if boxes is None:
                    boxes = crossings[(x, y)] = (set(), set())
                boxes[0].add(v_box)
                boxes[1].add(h_box)
    return crossings


_FIRST_TWO = itemgetter(0, 1)


def crossings_to_cells(crossings: dict[tuple, tuple[set, set]]) -> list[tuple]:
    """pdfplumber's `intersections_to_cells`: the same cells in the same order.

    For each point (in sorted order) pdfplumber takes the first point below it (nearest
    first) joined to it by a vertical edge, and within that the first point to its right
    joined by a horizontal edge, whose corner below right is joined to both; "joined" means
    the two points share an edge box. Here each column and row is listed once instead of
    scanning all later points for every point."""
    columns: dict[float, list[tuple]] = {}      # x -> (point, v boxes, h boxes) by y
    rows: dict[float, list[tuple]] = {}         # y -> the same by x
    for pt in sorted(crossings):
        v_boxes, h_boxes = crossings[pt]
        entry = (pt, v_boxes, h_boxes)
        columns.setdefault(pt[0], []).append(entry)
        rows.setdefault(pt[1], []).append(entry)
    # the columns in order of x, each from the top, visit the points in sorted order; a
    # point's place in its row is then how many of the row's points came before it
    passed_in_row = dict.fromkeys(rows, 0)
    cells = []
    for column in columns.values():
        for i, (pt, pt_v, pt_h) in enumerate(column, 1):
            row = rows[pt[1]]
            after = passed_in_row[pt[1]] = passed_in_row[pt[1]] + 1
            if i == len(column) or after == len(row):
                continue        # nothing below it or nothing to its right
            right = [r for r in row[after:] if not pt_h.isdisjoint(r[2])]
            if right:
                corner = _cell_corner(pt_v, column[i:], right, crossings)
                if corner is not None:
                    cells.append((pt[0], pt[1], corner[0], corner[1]))
    return cells


def _cell_corner(pt_v: set, below: list[tuple], right: list[tuple],
                 crossings: dict[tuple, tuple[set, set]]) -> tuple | None:
    """The bottom-right corner of a point's smallest cell, given the points below it and
    those to its right joined to it."""
    for below_pt, below_v, below_h in below:
        if pt_v.isdisjoint(below_v):
            continue
        y = below_pt[1]
        for right_pt, right_v, _ in right:
            corner = (right_pt[0], y)
            corner_boxes = crossings.get(corner)
            if (corner_boxes is not None and not corner_boxes[0].isdisjoint(right_v)
                    and not corner_boxes[1].isdisjoint(below_h)):
                return corner
    return None


def cells_to_tables(cells: list[tuple]) -> list[list[tuple]]:
    """pdfplumber's `cells_to_tables`: the same tables, cells in the same order. It passes
    over the cells not yet taken again and again, adding to the current table every cell
    that shares a corner with it, and starts a new table when a pass adds none."""
    remaining = list(cells)
    corners: set[tuple] = set()
    group: list[tuple] = []
    tables = []
    while remaining:
        before = len(group)
        left = []
        for cell in remaining:
            x0, top, x1, bottom = cell
            cell_corners = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not group or not corners.isdisjoint(cell_corners):
                corners.update(cell_corners)
                group.append(cell)
            else:
                left.append(cell)
        remaining = left
        if len(group) == before:
            tables.append(group)
            corners, group = set(), []
    if group:
        tables.append(group)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]
