"""ingest/pdf_tables.py's per-character loops were inlined for speed (the cell lookup and the
outside-every-table filter see each character of a page once per table), and then made to look
only at the characters level with a table (CharBands). The first versions are kept here as the
reference: on every ruled table of the corpus PDFs, and on synthetic characters placed on and
around the grid lines (and NaN ones), the rewrite must give the same cells, the same texts and
the same characters outside the tables.

Its table finder for pdfium's ruling (`ruled_tables`) redoes pdfplumber's TableFinder ("lines"
strategy) on tuples and sets; pdfplumber's own functions are the reference, step by step and
whole, on every page with ruling in the corpus (pdfplumber's edges and pdfium's), the
benchmark report when it has been generated, and random rulings made to snap, join, cross and
touch."""
from __future__ import annotations

import math
import random
from bisect import bisect_left
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pytest
from pdfplumber import table as plumber_table
from pdfplumber.table import TableFinder, TableSettings

from ingest.model import Cell
from ingest.pdf_chars import dedupe_chars, group_lines, join_texts
from ingest.pdf_pdfium import PdfiumReader
from ingest.pdf_tables import (CharBands, TableDraft, _boundaries, _index, build_table, cells_to_tables,
                               chars_outside, crossings_to_cells, edge_crossings, merge_ruling,
                               ruled_tables)

ROOT = Path(__file__).resolve().parents[2]
PDFS = sorted(ROOT.glob("corpus/samples/*.pdf")) + sorted(ROOT.glob("corpus/heldout*/samples/*.pdf"))
# the benchmark's 197-page report (python -m cpscreen.bench), where it was generated
BENCH = [p for p in (Path("/tmp/bench/longreport-200.pdf"),
                     Path.home() / ".cache" / "cpscreen-bench" / "longreport-200.pdf") if p.is_file()]
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


def _nan_page():
    """The grid page with characters whose centre is NaN (and inf) on one axis or both: the
    reference keeps a NaN centre in a table's band and out of every table's box."""
    boxes, chars = _grid_page()
    nan, inf = float("nan"), float("inf")
    chars += [_char("缺", nan, 120.0), _char("缺", 150.0, nan), _char("缺", nan, nan),
              {**_char("大", 150.0, 120.0), "top": -inf}, {**_char("大", 150.0, 120.0), "x1": inf}]
    return boxes, chars


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


def _page_tables(path: Path):
    """Per page with ruled tables: each table's cells and the page's characters."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tables = page.find_tables(LINES)
            if tables:
                chars, _ = dedupe_chars(page.chars)
                yield [[tuple(c) for c in t.cells] for t in tables], chars
            page.close()


def test_tables_sharing_the_page_bands_equal_the_first_version():
    # as the reader calls it: one CharBands for all the tables of a page
    pages = [([boxes], chars) for boxes, chars in (_grid_page(), _nan_page())]
    pages += [page for path in PDFS for page in _page_tables(path)]
    n_tables = 0
    for tables, chars in pages:
        bands = CharBands(chars)
        drafts, want = [], []
        for boxes in tables:
            got = build_table(boxes, chars, set(), 1, bands)
            assert got == _ref_build_table(boxes, chars, set(), 1)
            if got is not None:
                drafts.append(got)
        n_tables += len(drafts)
        assert chars_outside(chars, drafts, bands) == _ref_chars_outside(chars, drafts)
    assert n_tables >= 10


def test_nan_centres_are_placed_as_the_first_version_places_them():
    boxes, chars = _nan_page()
    bands = CharBands(chars)
    assert bands._by_y is None          # the path that looks at every character
    got = build_table(boxes, chars, set(), 1, bands)
    assert got == _ref_build_table(boxes, chars, set(), 1) and got is not None
    assert chars_outside(chars, [got], bands) == _ref_chars_outside(chars, [got])
    assert any(math.isnan(c["x0"]) for c in chars_outside(chars, [got], bands))


def test_bands_hold_the_characters_level_with_a_table_in_page_order():
    chars = [_char(str(i), 10.0 * i, top) for i, top in enumerate([50.0, 10.0, 30.0, 30.0, 20.0, -0.0])]
    bands = CharBands(chars)       # centres 55, 15, 35, 35, 25, 5
    assert bands.band(15.0, 35.0) == [1, 2, 3, 4]
    assert bands.band(15.5, 34.5) == [4]
    assert bands.band(60.0, 70.0) == [] and bands.band(0.0, 100.0) == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("boxes", [[], [(0.0, 0.0, 10.0, 10.0)]])
def test_no_table_from_fewer_than_two_cells(boxes):
    assert build_table(boxes, [_char("字", 1.0, 1.0)], set(), 1) is None


# ------------------------------------------------------------------ ruling -> cell rectangles

SETTINGS = TableSettings.resolve(LINES)


def _plumber_cells(edges: list[dict], settings=SETTINGS) -> list[list[tuple]]:
    page = SimpleNamespace(edges=edges, bbox=(0.0, 0.0, 600.0, 800.0))
    return [t.cells for t in TableFinder(page, settings).tables]


def _as_edge_tuples(edges: list[dict]) -> list[tuple]:
    return [(e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"],
             e["height"] if e["orientation"] == "v" else e["width"]) for e in edges]


def _as_crossings(intersections: dict) -> dict:
    return {pt: ({plumber_table.utils.obj_to_bbox(e) for e in edges["v"]},
                 {plumber_table.utils.obj_to_bbox(e) for e in edges["h"]})
            for pt, edges in intersections.items()}


def _assert_each_step_equal(edges: list[dict], settings=SETTINGS) -> list[list[tuple]]:
    """Each step of ruled_tables against pdfplumber's, and the whole; the cells as floats
    and in order (repr: -0.0 is not 0.0)."""
    finder = TableFinder(SimpleNamespace(edges=edges, bbox=None), settings)
    merged = merge_ruling(edges, settings)
    assert merged == _as_edge_tuples(finder.edges)
    crossings = edge_crossings(merged, settings.intersection_x_tolerance,
                               settings.intersection_y_tolerance)
    assert crossings == _as_crossings(finder.intersections)
    cells = crossings_to_cells(crossings)
    assert repr(cells) == repr(finder.cells)
    tables = cells_to_tables(cells)
    assert repr(tables) == repr(plumber_table.cells_to_tables(finder.cells))
    got = ruled_tables(edges, settings)
    assert repr(got) == repr([t.cells for t in finder.tables])
    return got


def _pages_with_ruling(path: Path):
    """Every page's edges with ruling: pdfplumber's own, and pdfium's for the pages it reads."""
    data = path.read_bytes()
    with pdfplumber.open(path) as pdf:
        reader = PdfiumReader(data, None, [p.page_obj for p in pdf.pages])
        try:
            for i, page in enumerate(pdf.pages):
                quick = reader.read_page(i)
                for source in (page, quick):
                    if source is not None and source.edges:
                        yield source.edges
                page.close()
        finally:
            reader.close()


@pytest.mark.parametrize("path", PDFS + BENCH, ids=lambda p: p.name)
def test_ruled_tables_equal_pdfplumbers_table_finder(path):
    n_tables = 0
    for edges in _pages_with_ruling(path):
        n_tables += len(_assert_each_step_equal(edges))
    if path in BENCH:
        assert n_tables >= 90


def _edge(x0: float, top: float, x1: float, bottom: float, kind: str = "curve_edge") -> dict:
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": abs(x1 - x0), "height": abs(bottom - top),
            "orientation": "v" if x0 == x1 else "h"}


def _random_ruling(rng: random.Random) -> list[dict]:
    """Grids and stray rules on a coarse lattice, nudged by less and more than the snap and
    join tolerances, some drawn twice, some as -0.0, some too short to count."""
    edges = []
    for _ in range(rng.randint(1, 3)):
        x0, y0 = rng.choice([0.0, -0.0, 40.0, 72.37]), rng.choice([0.0, 100.0, 101.3])
        xs = sorted({x0 + 50.0 * rng.randint(0, 6) for _ in range(rng.randint(2, 5))} | {x0})
        ys = sorted({y0 + 20.0 * rng.randint(0, 8) for _ in range(rng.randint(2, 6))} | {y0})
        for y in ys:
            for a, b in zip(xs, xs[1:]):
                if rng.random() < 0.85:      # a missing stretch leaves a merged cell
                    nudge = rng.choice([0.0, 0.0, 0.4, -1.2, 2.9, 3.5])
                    start = a + rng.choice([0.0, 1.0, -2.5, rng.uniform(-0.1, 0.1)])
                    edges.append(_edge(start, y + nudge, b + rng.choice([0.0, 0.3]), y + nudge))
        for x in xs:
            for a, b in zip(ys, ys[1:]):
                if rng.random() < 0.85:
                    nudge = rng.choice([0.0, 0.0, 0.3, -2.0, 3.1])
                    # ends off the lattice: sums that round, as pdfium's coordinates do
                    end = b + rng.choice([0.0, 0.5, -4.0, rng.uniform(-0.1, 0.1)])
                    edges.append(_edge(x + nudge, a + rng.choice([0.0, 0.1, 0.7]), x + nudge, end))
    for _ in range(rng.randint(0, 6)):
        x, y = rng.uniform(0, 400), rng.uniform(0, 300)
        length = rng.choice([0.5, 2.0, 3.0, 80.0])
        edges.append(_edge(x, y, x + length, y) if rng.random() < 0.5 else _edge(x, y, x, y + length))
    edges += [dict(e) for e in rng.sample(edges, min(len(edges), rng.randint(0, 3)))]   # twice
    rng.shuffle(edges)
    return edges


def test_ruled_tables_equal_pdfplumbers_on_random_rulings():
    rng = random.Random(20241121)
    settings = [SETTINGS,
                TableSettings.resolve({**LINES, "snap_tolerance": 0, "join_tolerance": 0}),
                TableSettings.resolve({**LINES, "snap_x_tolerance": 1, "join_y_tolerance": 5,
                                       "intersection_x_tolerance": 0.5, "edge_min_length": 10})]
    n_tables = 0
    for i in range(600):
        n_tables += len(_assert_each_step_equal(_random_ruling(rng), settings[i % 3]))
    assert n_tables >= 500


def test_ruling_that_is_not_a_finite_number_goes_to_pdfplumber():
    nan, inf = float("nan"), float("inf")
    grid = [_edge(0.0, y, 100.0, y) for y in (0.0, 50.0, 100.0)]
    grid += [_edge(x, 0.0, x, 100.0) for x in (0.0, 50.0, 100.0)]
    for odd in ([_edge(nan, 0.0, nan, 100.0)], [_edge(0.0, nan, 100.0, nan)],
                [_edge(inf, 0.0, inf, 100.0)], [_edge(-inf, 30.0, inf, 30.0)]):
        assert repr(ruled_tables(grid + odd, SETTINGS)) == repr(_plumber_cells(grid + odd))
    assert len(ruled_tables(grid, SETTINGS)[0]) == 4


def test_tables_touching_at_a_corner_are_one_and_apart_are_two():
    def box(x0, y0, x1, y1):
        return [_edge(x0, y0, x1, y0), _edge(x0, y1, x1, y1), _edge(x0, y0, x0, y1), _edge(x1, y0, x1, y1)]

    apart = box(0.0, 0.0, 50.0, 20.0) + box(50.0, 20.0, 100.0, 40.0) + box(200.0, 0.0, 250.0, 20.0)
    apart += box(250.0, 0.0, 300.0, 20.0)
    tables = _assert_each_step_equal(apart)
    assert [len(t) for t in tables] == [2, 2]
