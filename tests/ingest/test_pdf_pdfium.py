"""The pdfium page reader (ingest/pdf_pdfium.py) against pdfplumber, on the corpus PDFs.

The PDF reader takes an ordinary page from pdfium and anything unusual from pdfplumber; what
it takes from pdfium must be what pdfplumber would have given: the same characters in the
same places with the same font names and sizes, and the same table cells. And a whole
Document read with the fast path must equal one read with pdfplumber alone.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pdfplumber
import pytest

from ingest import load
from ingest import pdf_pdfium, pdf_reader
from ingest.pdf_pdfium import PdfiumReader

ROOT = Path(__file__).resolve().parents[2]
PDFS = sorted((ROOT / "corpus" / "samples").glob("*.pdf")) + \
    sorted((ROOT / "corpus" / "heldout" / "samples").glob("*.pdf"))
ALL_PDFS = sorted(ROOT.glob("corpus/samples/*.pdf")) + sorted(ROOT.glob("corpus/heldout*/samples/*.pdf"))
# the benchmark's 197-page report (python -m cpscreen.bench), where it was generated
BENCH = [p for p in (Path("/tmp/bench/longreport-200.pdf"),
                     Path.home() / ".cache" / "cpscreen-bench" / "longreport-200.pdf") if p.is_file()]
LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def _cells(tables) -> list[list[tuple]]:
    return [sorted(tuple(round(v, 2) for v in cell) for cell in t.cells) for t in tables]


def _visible(chars) -> list[dict]:
    # pdfium folds some drawn spaces into its own; the line builder adds spaces by gap anyway
    return sorted((c for c in chars if not c["text"].isspace()),
                  key=lambda c: (round(c["top"], 1), round(c["x0"], 1), c["text"]))


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_pdfium_pages_match_pdfplumber(path):
    data = path.read_bytes()
    fast_pages = 0
    with pdfplumber.open(path) as pdf:
        reader = PdfiumReader(data, None, [p.page_obj for p in pdf.pages])
        try:
            for i, page in enumerate(pdf.pages):
                quick = reader.read_page(i)
                if quick is None:           # left to pdfplumber: nothing to compare
                    continue
                fast_pages += 1
                # every page where pdfplumber finds a ruled table: the same cells from pdfium
                assert _cells(quick.find_tables(LINES)) == _cells(page.find_tables(LINES)), i + 1
                want, got = _visible(page.chars), _visible(quick.chars)
                assert [c["text"] for c in got] == [c["text"] for c in want], i + 1
                for a, b in zip(want, got):
                    assert b["fontname"] == a["fontname"]
                    assert b["size"] == pytest.approx(a["size"], abs=0.01)
                    for k in ("x0", "top", "bottom", "doctop"):
                        assert b[k] == pytest.approx(a[k], abs=0.01), (i + 1, a["text"], k)
                    assert b["x1"] == pytest.approx(a["x1"], abs=0.5)
                page.close()
        finally:
            reader.close()
    assert fast_pages >= len(pdf.pages) - 1     # the fast path really is taken


@pytest.mark.parametrize("name", ["a01_sugar_audit.pdf", "a04_zinc_audit_decimal.pdf",
                                  "a07_pharma_audit_sevenstage.pdf"])
def test_document_is_the_same_with_and_without_pdfium(name, monkeypatch):
    path = ROOT / "corpus" / "samples" / name
    fast = load(path)
    monkeypatch.setattr(pdf_reader, "_pdfium_reader", lambda *a, **k: None)
    slow = load(path)
    assert [dataclasses.asdict(b) for b in fast.blocks] == [dataclasses.asdict(b) for b in slow.blocks]
    assert [dataclasses.asdict(b) for b in fast.headers] == [dataclasses.asdict(b) for b in slow.headers]
    assert fast.warnings == slow.warnings and fast.pages == slow.pages


def test_fake_bold_page_is_left_to_pdfplumber(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    wqy = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
    if not Path(wqy).is_file():
        pytest.skip("fonts-wqy-zenhei is not installed")
    pdfmetrics.registerFont(TTFont("WQY", wqy, subfontIndex=0))
    path = tmp_path / "bold.pdf"
    c = canvas.Canvas(str(path), pagesize=(595.27, 841.89))
    c.setFont("WQY", 14)
    c.drawString(72, 700, "第一章 企业概况")
    c.drawString(72.3, 700, "第一章 企业概况")     # drawn twice, shifted: fake bold
    c.showPage()
    c.drawString(72, 700, "清洁生产审核报告")
    c.showPage()
    c.save()
    with pdfplumber.open(path) as pdf:
        reader = PdfiumReader(path.read_bytes(), None, [p.page_obj for p in pdf.pages])
        # pdfium's text page drops the second drawing, which is the bold signal
        assert reader.read_page(0) is None
        assert reader.read_page(1) is not None
        reader.close()


# ------------------------------------------------ the line builder against its first version
# ingest/pdf_chars.py's dedupe_chars and group_lines were rewritten for speed (indices instead
# of (index, char) pairs, comparisons instead of min()/max() calls, the heading-number test
# only while the line is short enough to be one). These are the earlier versions, kept here
# as the reference: the rewrite must give the same characters, the same lines, the same floats.

def _ref_dedupe(chars, tolerance=1.0):
    def clusters(items, value):
        out, last = [], None
        for item in sorted(items, key=value):
            v = value(item)
            if last is None or v - last > tolerance:
                out.append([item])
            else:
                out[-1].append(item)
            last = v
        return out

    groups = {}
    for i, ch in enumerate(chars):
        groups.setdefault((ch["upright"], ch["text"], ch["fontname"], ch["size"]), []).append((i, ch))
    kept, fake_bold = [], set()
    for members in groups.values():
        if len(members) == 1:
            kept.extend(members)
            continue
        for yc in clusters(members, lambda m: m[1]["doctop"]):
            for xc in clusters(yc, lambda m: m[1]["x0"]):
                first = min(xc, key=lambda m: (m[1]["doctop"], m[1]["x0"]))
                kept.append(first)
                if len(xc) > 1:
                    fc = first[1]
                    if any(abs(m[1]["x0"] - fc["x0"]) + abs(m[1]["doctop"] - fc["doctop"]) > 0.05
                           for m in xc):
                        fake_bold.add(id(fc))
    kept.sort(key=lambda m: m[0])
    return [m[1] for m in kept], fake_bold


def _ref_group_lines(chars, fake_bold):
    from collections import Counter

    from ingest.normalize import clean_line
    from ingest.pdf_chars import _LABEL, Line, font_family, is_wide

    def make_line(row):
        row.sort(key=lambda c: c["x0"])
        parts, prev, sizes, fonts, n_bold = [], None, Counter(), Counter(), 0
        for ch in row:
            text = ch["text"]
            if prev is not None and text != " " and parts and parts[-1] != " ":
                gap = ch["x0"] - prev["x1"]
                size = max(min(ch["size"], prev["size"]), 1.0)
                a, b = prev["text"][-1:], text[:1]
                if a and b:
                    wide = is_wide(a) or is_wide(b)
                    if gap > (1.0 if wide else 0.2) * size and not _LABEL.match("".join(parts)):
                        parts.append(" ")
            parts.append(text)
            if text.strip():
                sizes[round(ch["size"] * 2) / 2] += 1
                fonts[ch["fontname"]] += 1
                if id(ch) in fake_bold:
                    n_bold += 1
            prev = ch
        n = sum(sizes.values())
        text = clean_line("".join(parts)) if n else ""
        if not text:
            return None
        visible = [c for c in row if c["text"].strip()]
        return Line(text=text, x0=min(c["x0"] for c in visible), x1=max(c["x1"] for c in visible),
                    top=min(c["top"] for c in visible), bottom=max(c["bottom"] for c in visible),
                    size=sizes.most_common(1)[0][0],
                    fontname=font_family(fonts.most_common(1)[0][0]),
                    fake_bold=n_bold >= 0.6 * n, n_chars=n)

    rows, band_top, band_bottom = [], 0.0, 0.0
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        h = max(ch["bottom"] - ch["top"], 0.1)
        if rows:
            overlap = min(band_bottom, ch["bottom"]) - max(band_top, ch["top"])
            if overlap >= 0.5 * min(h, band_bottom - band_top):
                rows[-1].append(ch)
                band_top, band_bottom = min(band_top, ch["top"]), max(band_bottom, ch["bottom"])
                continue
        rows.append([ch])
        band_top, band_bottom = ch["top"], ch["bottom"]
    return [ln for ln in (make_line(r) for r in rows) if ln is not None]


def _synthetic_chars() -> list[dict]:
    """Fake bold (a shifted twin), an exact twin, a chain of near twins, a heading number
    before a tab, Latin words, a superscript, a zero-height glyph."""
    out = []

    def put(text, x0, top, size=12.0, font="BAAAAA+SimSun", w=None):
        w = size if w is None else w
        out.append({"text": text, "x0": x0, "x1": x0 + w, "top": top, "bottom": top + size,
                    "doctop": top, "size": size, "fontname": font, "upright": True})

    for i, t in enumerate("第一章企业概况"):
        put(t, 72 + 12 * i, 100, font="CAAAAA+SimHei")
        put(t, 72.3 + 12 * i, 100, font="CAAAAA+SimHei")          # fake bold
    for i, t in enumerate("清洁生产"):
        put(t, 72 + 12 * i, 130)
        put(t, 72 + 12 * i, 130)                                    # drawn twice in place
    for k in range(4):
        put("率", 300 + 0.6 * k, 130 + 0.6 * k)                     # a chain of near twins
    put("1.1", 72, 160, w=14)
    put("生", 120, 160)
    put("产", 132, 160)
    for i, word in enumerate(["ISO", "14001", "m", "3"]):
        put(word, 200 + 30 * i, 160, size=12.0 if word != "3" else 7.0, font="DAAAAA+Arial",
            w=6 * len(word))
    put("·", 320, 160, size=0.0, w=0.0)
    for i, t in enumerate("（一）企业简况，产值为12.5亿元。"):
        put(t, 90 + 11.5 * i, 190, size=11.5)
    return out


def test_line_builder_equals_its_first_version():
    import copy

    from ingest.pdf_chars import dedupe_chars, group_lines

    pages = [_synthetic_chars()]
    for path in PDFS:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                pages.append([dict(c) for c in page.chars])
                page.close()
    n_lines = n_bold = 0
    for chars in pages:
        ref_chars = copy.deepcopy(chars)
        kept, bold = dedupe_chars(chars)
        ref_kept, ref_bold = _ref_dedupe(ref_chars)
        assert kept == ref_kept
        assert [kept.index(c) for c in kept if id(c) in bold] == \
            [ref_kept.index(c) for c in ref_kept if id(c) in ref_bold]
        usable = [c for c in kept if c["upright"]]
        ref_usable = [c for c in ref_kept if c["upright"]]
        lines = group_lines(usable, bold)
        assert lines == _ref_group_lines(ref_usable, ref_bold)
        n_lines += len(lines)
        n_bold += sum(ln.fake_bold for ln in lines)
    assert n_lines > 500 and n_bold >= 1


# ------------------------------------------- the ruling edges against their first version
# PdfiumReader._path_edges calls pdfium through prototypes that take plain addresses; this is
# the first version, through pypdfium2's own bindings: the same edges and curves, exactly.

def _ref_path_edges(self, obj, height, out):
    import ctypes

    import pypdfium2.raw as raw

    obj = ctypes.cast(obj, raw.FPDF_PAGEOBJECT)
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return
    a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
    n = raw.FPDFPath_CountSegments(obj)
    x, y = ctypes.c_float(), ctypes.c_float()
    points = []
    any_edge = False

    def flush(close):
        nonlocal any_edge
        pts = points + [points[0]] if close and len(points) > 2 else points
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            if x0 == x1 or y0 == y1:
                any_edge = True
                out.edges.append({
                    "object_type": "curve_edge",
                    "x0": min(x0, x1), "x1": max(x0, x1),
                    "top": min(y0, y1), "bottom": max(y0, y1),
                    "doctop": min(y0, y1),
                    "width": abs(x1 - x0), "height": abs(y1 - y0),
                    "orientation": "v" if x0 == x1 else "h",
                })

    for i in range(n):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        px = a * x.value + c * y.value + e
        py = height - (b * x.value + d * y.value + f)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if points:
                flush(False)
            points = [(px, py)]
        else:
            points.append((px, py))
        if raw.FPDFPathSegment_GetClose(seg):
            flush(True)
            points = []
    if points:
        flush(False)
    if not any_edge:
        out.curves.append(None)


def _ruling(path, monkeypatch, path_edges, fast) -> list:
    monkeypatch.setattr(PdfiumReader, "_path_edges", path_edges)
    monkeypatch.setattr(pdf_pdfium, "_fast", fast)
    with pdfplumber.open(path) as pdf:
        reader = PdfiumReader(path.read_bytes(), None, [p.page_obj for p in pdf.pages])
        try:
            pages = [reader.read_page(i) for i in range(len(pdf.pages))]
        finally:
            reader.close()
    # repr: the floats exactly, the keys in order
    return [None if p is None else (repr(p.edges), len(p.curves), len(p.images)) for p in pages]


def _drawn_ruling_pdf(path: Path) -> Path:
    """Ruling the way other producers draw it: closed rectangles, a grid under a scaled and
    moved coordinate system, a rotated frame, a curve, an open polyline, a rule drawn twice."""
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595.27, 841.89))
    c.setFont("Helvetica", 10)
    c.drawString(72, 800, "Ruling test")
    for i in range(4):
        c.rect(72 + 100 * i, 700, 100, 30)                  # closed subpaths
    c.saveState()
    c.translate(72.3, 400.7)
    c.scale(1.25, 0.8)
    c.grid([0, 80, 160, 240], [0, 40, 80, 120, 160])
    c.restoreState()
    c.saveState()
    c.rotate(3)
    c.rect(100, 200, 200, 60)
    c.restoreState()
    c.bezier(72, 150, 120, 180, 200, 120, 260, 150)
    path_obj = c.beginPath()
    path_obj.moveTo(300, 100)
    path_obj.lineTo(400, 100)
    path_obj.lineTo(400, 160)
    path_obj.close()
    path_obj.moveTo(420, 100)
    path_obj.lineTo(420, 100.0001)
    path_obj.moveTo(450, 100)
    path_obj.lineTo(450, 150)
    path_obj.close()
    c.drawPath(path_obj)
    c.line(72, 60, 500, 60)
    c.line(72, 60, 500, 60)
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def drawn_ruling(tmp_path_factory) -> Path:
    return _drawn_ruling_pdf(tmp_path_factory.mktemp("ruling") / "ruling.pdf")


def test_drawn_ruling_edges_equal_their_first_version(drawn_ruling, monkeypatch):
    for fast in {pdf_pdfium._fast, None}:
        got = _ruling(drawn_ruling, monkeypatch, PdfiumReader._path_edges, fast)
        assert got == _ruling(drawn_ruling, monkeypatch, _ref_path_edges, fast)
        assert got[0] is not None and got[0][0].count("curve_edge") > 30 and got[0][1] >= 1


def test_drawn_ruling_gives_pdfplumbers_table_finder_cells(drawn_ruling):
    from types import SimpleNamespace

    from pdfplumber.table import TableFinder

    with pdfplumber.open(drawn_ruling) as pdf:
        reader = PdfiumReader(drawn_ruling.read_bytes(), None, [p.page_obj for p in pdf.pages])
        page = reader.read_page(0)
        reader.close()
    finder = TableFinder(SimpleNamespace(edges=page.edges, bbox=page.bbox), LINES)
    got = [t.cells for t in page.find_tables(LINES)]
    assert repr(got) == repr([t.cells for t in finder.tables])
    assert len(got) >= 2 and max(map(len, got)) >= 12


@pytest.mark.parametrize("path", ALL_PDFS + BENCH, ids=lambda p: p.name)
def test_ruling_edges_equal_their_first_version(path, monkeypatch):
    new_path_edges = PdfiumReader._path_edges
    for fast in {pdf_pdfium._fast, None}:          # the C page walk and the Python one
        got = _ruling(path, monkeypatch, new_path_edges, fast)
        assert got == _ruling(path, monkeypatch, _ref_path_edges, fast)
        assert any(p is not None for p in got)


def test_the_corpus_has_ruling_for_the_comparison(monkeypatch):
    ruled = [p for path in ALL_PDFS for p in _ruling(path, monkeypatch, _ref_path_edges, None)
             if p is not None and p[0] != "[]"]
    assert len(ruled) >= 20


@pytest.mark.parametrize("path", ALL_PDFS + BENCH, ids=lambda p: p.name)
def test_pdfium_characters_are_plain(path, monkeypatch):
    # PdfiumPage.plain_chars: the reader skips its tests for upright, cid and multi-character
    # texts on these pages, with the C character loop and the Python one
    for fast in {pdf_pdfium._fast, None}:
        monkeypatch.setattr(pdf_pdfium, "_fast", fast)
        with pdfplumber.open(path) as pdf:
            reader = PdfiumReader(path.read_bytes(), None, [p.page_obj for p in pdf.pages])
            try:
                for i in range(len(pdf.pages)):
                    page = reader.read_page(i)
                    if page is not None:
                        assert page.plain_chars
                        assert all(len(c["text"]) == 1 and c["upright"] is True for c in page.chars)
            finally:
                reader.close()
