"""The PDF reader's second pass (ingest/pdf_reader.py: running heads, measures, paragraphs)
and its per-page character counts were rewritten for speed: each page's body lines are
picked once, plain dicts count instead of Counters (read as Counter.most_common reads them),
a one-line paragraph skips the joining and counting, and a pdfium page's visible characters
are counted on its joined text. The first versions are kept here as the reference: on the
pages of every corpus PDF (and the benchmark report when it has been generated), and on
synthetic pages made to hit the ties and fallbacks, both must give the same blocks and
running heads, field by field."""
from __future__ import annotations

import copy
import dataclasses
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from ingest import pdf_reader
from ingest.model import Document, Paragraph, Table
from ingest.pdf_chars import Line, join_texts
from ingest.pdf_reader import (_PAGE_NUMBER, _band, _centered, _edge, _Entry, _join_across_pages,
                               _Layout, _line_bold, _PageScan, _repeat_key, _starts_paragraph,
                               _table_entry)
from ingest.pdf_tables import TableDraft

ROOT = Path(__file__).resolve().parents[2]
PDFS = sorted(ROOT.glob("corpus/samples/*.pdf")) + sorted(ROOT.glob("corpus/heldout*/samples/*.pdf"))
BENCH = [p for p in (Path("/tmp/bench/longreport-200.pdf"),
                     Path.home() / ".cache" / "cpscreen-bench" / "longreport-200.pdf") if p.is_file()]


# ------------------------------------------------------------ the first versions

def _ref_lay_out(scans, doc, prefix):
    headers = _ref_find_running_lines(scans)
    layout = _ref_measure(scans, headers)
    per_page = []
    for scan in scans:
        entries = _ref_page_blocks(scan, layout, headers, doc, prefix)
        per_page.append((scan.number, entries))
    return _join_across_pages(per_page, layout)


def _ref_find_running_lines(scans):
    seen = defaultdict(set)
    candidates = []
    for scan in scans:
        for line in scan.lines:
            band = _band(line, scan.height)
            if band:
                key = _repeat_key(line.text)
                seen[(band, key)].add(scan.number)
                candidates.append((scan.number, line, band, key))
    needed = 2 if len(scans) <= 4 else 3
    out = {}
    for number, line, band, key in candidates:
        if _PAGE_NUMBER.match(line.text) or len(seen[(band, key)]) >= needed:
            out[(number, id(line))] = band
    return out


def _ref_measure(scans, headers):
    sizes, fonts = Counter(), Counter()
    for scan in scans:
        for line in scan.lines:
            if (scan.number, id(line)) not in headers:
                sizes[line.size] += line.n_chars
                fonts[line.fontname] += line.n_chars
    body_size = sizes.most_common(1)[0][0] if sizes else 12.0
    body_font = fonts.most_common(1)[0][0] if fonts else ""
    gaps = []
    lefts, rights = defaultdict(Counter), defaultdict(Counter)
    for scan in scans:
        body = [ln for ln in scan.lines if (scan.number, id(ln)) not in headers]
        for a, b in zip(body, body[1:]):
            if a.size == b.size == body_size:
                gap = b.top - a.bottom
                if 0 <= gap < 2 * body_size:
                    gaps.append(gap)
        for ln in body:
            if abs(ln.size - body_size) <= 0.5:
                lefts[round(scan.width)][round(ln.x0)] += ln.n_chars
                rights[round(scan.width)][round(ln.x1)] += ln.n_chars
    margins = {}
    for width, left_counts in lefts.items():
        margins[width] = (_edge(left_counts, min), _edge(rights[width], max))
    for scan in scans:
        body = [ln for ln in scan.lines if (scan.number, id(ln)) not in headers]
        if body and round(scan.width) not in margins:
            margins[round(scan.width)] = (min(ln.x0 for ln in body), max(ln.x1 for ln in body))
    line_gap = statistics.median(gaps) if gaps else 0.5 * body_size
    return _Layout(body_size=body_size, body_font=body_font, line_gap=line_gap, margins=margins)


def _ref_page_blocks(scan, layout, headers, doc, prefix="l"):
    left, right = layout.column(scan)
    counters = {"header": 0, "footer": 0}
    body = []
    for line in scan.lines:
        band = headers.get((scan.number, id(line)))
        if band:
            counters[band] += 1
            doc.headers.append(Paragraph(
                text=line.text, page=scan.number, source=band,
                locator=f"p{scan.number}.{band[0]}{counters[band]}", font_size=line.size))
        else:
            body.append(line)
    info = {id(ln): (_line_bold(ln, layout), _centered(ln, left, right, scan.width)) for ln in body}
    items = [(ln.top, 0, ln) for ln in body]
    items += [(t.top, 1, t) for t in scan.tables]
    items.sort(key=lambda it: (it[0], it[1]))
    entries, run = [], []
    n_par = n_tab = 0

    def flush():
        nonlocal n_par
        if not run:
            return
        n_par += 1
        entry = _ref_paragraph_entry(run[:], scan.number, f"p{scan.number}.{prefix}{n_par}", info, layout)
        entry.column = (left, right)
        entries.append(entry)
        run.clear()

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


def _ref_paragraph_entry(lines, page, locator, info, layout):
    sizes = Counter()
    for ln in lines:
        sizes[ln.size] += ln.n_chars
    size = sizes.most_common(1)[0][0]
    par = Paragraph(
        text=join_texts([ln.text for ln in lines]), page=page, locator=locator,
        bold=all(info[id(ln)][0] for ln in lines),
        font_size=size,
        size_ratio=round(size / layout.body_size, 3) if layout.body_size else None,
        centered=all(info[id(ln)][1] for ln in lines),
    )
    return _Entry(block=par, first=lines[0], last=lines[-1])


# ------------------------------------------------------------------- comparison

def _both(scans: list[_PageScan]) -> tuple:
    """(blocks, headers) from the reference and from the reader, each on its own copy (the
    joins across pages extend the tables they continue)."""
    out = []
    for lay_out in (_ref_lay_out, pdf_reader._lay_out):
        doc = Document(name="t.pdf", sha256="", format="pdf", pages=len(scans))
        blocks = lay_out(copy.deepcopy(scans), doc, "l")
        # repr: bools stay bools, -0.0 stays -0.0
        out.append((repr([dataclasses.asdict(b) for b in blocks]),
                    repr([dataclasses.asdict(h) for h in doc.headers])))
    return tuple(out)


def _scans(path: Path) -> list[_PageScan]:
    doc = Document(name=path.name, sha256="", format="pdf", pages=0)
    scans, _ = pdf_reader._scan_or_repair(path.read_bytes(), doc, None, 1)
    return [s for s in scans if s.status == "text"]


@pytest.mark.parametrize("path", PDFS + BENCH, ids=lambda p: p.name)
def test_second_pass_equals_its_first_version(path):
    scans = _scans(path)
    want, got = _both(scans)
    assert got == want
    assert "paragraph" in got[0]


def _line(text, x0, top, size=12.0, font="SimSun", n=None, width=None, bold=False) -> Line:
    x1 = x0 + (width if width is not None else size * max(len(text), 1))
    return Line(text=text, x0=x0, x1=x1, top=top, bottom=top + size, size=size, fontname=font,
                fake_bold=bold, n_chars=len(text) if n is None else n)


def _table(top: float, text: str) -> TableDraft:
    from ingest.model import Cell

    rows = [[Cell(text=text, row=0, col=0), Cell(text="2", row=0, col=1)]]
    return TableDraft(rows=rows, n_cols=2, header_rows=1, top=top, bottom=top + 20.0,
                      bbox=(90.0, top, 500.0, top + 20.0), col_edges=[90.0, 300.0, 500.0])


def _synthetic_scans() -> list[_PageScan]:
    """Pages that hit the ties and fallbacks: running heads and page numbers, one-line
    paragraphs (one of them empty), two sizes with equal counts, lines without characters,
    a line and a table at the same height, lines at the same height, a line half a point off
    the body size, a second page size with no body-size text and a third with no body at all,
    a centred bold heading, a Hei body font, a sentence cut by a page."""
    scans = []
    for number in range(1, 8):
        lines = [_line("广西某某公司清洁生产审核报告", 150.0, 20.0, size=9.0),
                 _line(f"- {number} -", 280.0, 800.0, size=9.0)]
        if number == 1:
            lines += [_line("第一章 企业概况", 220.0, 100.0, size=16.0, font="SimHei", bold=True),
                      _line("", 90.0, 140.0, n=0),
                      _line("本企业始建于一九九八年，主要从事机制糖的生产与销售，年处理甘", 90.0, 160.0),
                      _line("蔗能力为一百二十万吨。", 90.0, 176.0),
                      _line("同一高度", 90.0, 300.0), _line("并列", 300.0, 300.0)]
        elif number == 2:
            lines += [_line("大字", 90.0, 100.0, size=14.0, n=4), _line("小字", 90.0, 130.0, size=10.0, n=4),
                      _line("表前", 90.0, 200.0), _line("末行一直写到右边的页边而句子没有完", 90.0, 780.0 - 40.0,
                                                     width=420.0)]
        elif number == 3:
            lines += [_line("完结的句子接着写完。", 90.0, 60.0), _line("1.1 编号段落", 90.0, 80.0, font="SimHei"),
                      _line("缩进的首行", 130.0, 100.0), _line("", 90.0, 120.0, n=0)]
        else:
            lines += [_line(f"第{number}页正文，水计量率达到100%。", 90.0, 100.0 + number),
                      _line("ISO 14001", 90.0, 120.0, font="Times-Roman"),
                      _line("半磅之差", 60.0, 140.0, size=12.5)]
        width = {6: 420.0, 7: 300.0}.get(number, 595.0)
        scan = _PageScan(number=number, width=width, height=842.0, lines=lines)
        if number == 2:
            scan.tables = [_table(200.0, "表内")]
        if number == 3:
            scan.tables = [_table(30.0, "续表")]
        if number == 6:
            scan.lines = [ln for ln in lines if ln.size != 12.0] + [_line("窄页", 40.0, 300.0, size=20.0)]
        if number == 7:
            scan.lines = lines[:2]          # nothing but the running heads
        scans.append(scan)
    return scans


def test_second_pass_equals_its_first_version_on_synthetic_pages():
    scans = _synthetic_scans()
    want, got = _both(scans)
    assert got == want
    assert "'source': 'header'" in got[1] and "'source': 'footer'" in got[1]
    # the same with a Hei face as the body font, and with too few pages for running heads
    for scan in scans:
        scan.lines = [dataclasses.replace(ln, fontname="SimHei") if ln.size == 12.0 else ln
                      for ln in scan.lines]
    assert _both(scans)[1] == _both(scans)[0]
    assert _both(scans[:2])[1] == _both(scans[:2])[0]
    assert _both(scans[4:])[1] == _both(scans[4:])[0]


def test_top_key_reads_counts_as_counter_most_common():
    for counts in ({12.0: 3, 10.5: 3}, {10.5: 0}, {"b": 1, "a": 2, "c": 2}, {-0.0: 1, 0.0: 2}):
        assert pdf_reader._top_key(dict(counts)) == Counter(counts).most_common(1)[0][0]


# --------------------------------------------------- visible characters of a pdfium page

def test_visible_count_equals_the_strip_test_for_every_character():
    # _count_visible relies on str.split and str.strip agreeing on every one-character text
    everything = [chr(c) for c in range(sys.maxunicode + 1)]
    chars = [{"text": t} for t in everything]
    assert pdf_reader._count_visible(chars) == sum(map(bool, map(str.strip, everything)))
    spaces = [t for t in everything if not t.strip()]
    assert len(spaces) > 20 and pdf_reader._count_visible([{"text": t} for t in spaces]) == 0
    assert all(pdf_reader._count_visible([{"text": t}]) == 1 for t in everything[:0x3100:7]
               if t.strip())


def test_pdfium_pages_take_the_plain_character_path(monkeypatch):
    # the reader counts and keeps a pdfium page's characters without the per-character tests;
    # the Document must be what the tests would give (the guard compares every corpus file)
    path = ROOT / "corpus" / "samples" / "a01_sugar_audit.pdf"
    from ingest import load
    from ingest.pdf_pdfium import PdfiumPage

    fast = load(path, ocr=False)
    monkeypatch.setattr(PdfiumPage, "plain_chars", False)
    tested = load(path, ocr=False)
    assert repr(fast.blocks) == repr(tested.blocks) and repr(fast.headers) == repr(tested.headers)
    assert any(isinstance(b, Table) for b in fast.blocks)
