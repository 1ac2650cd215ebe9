"""The PDF reader's first pass in forked processes (ingest/pdf_parallel.py) against the
one-process loop: the same page scans and Documents on every corpus PDF and on a generated long
report, the same error for a bad page in a child's range, the right Document when a child is
killed, no child process left behind, and no forking where it is unsafe or does not pay."""
from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pdfplumber
import pytest

from ingest import ScreenError, load, load_bytes
from ingest import pdf_parallel, pdf_reader
from ingest.model import Document
from ingest.pdf_pdfium import PdfiumReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from processes import children  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CORPUS_PDFS = sorted((ROOT / "corpus" / "samples").glob("*.pdf")) + \
    sorted(ROOT.glob("corpus/heldout*/samples/*.pdf"))
WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
LONG_PAGES = 3 * pdf_parallel.MIN_PAGES_PER_WORKER + 5


# ------------------------------------------------------------------ files

def _long_report(path: Path) -> Path:
    """A report long enough for automatic page workers: running header and footer, headings,
    body text, a sentence cut by a page break, ruled tables, pages of two sizes (fractional
    heights, so the running doctop is a real sum) and a rotated page (read by pdfplumber)."""
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if not Path(WQY).is_file():
        pytest.skip("fonts-wqy-zenhei is not installed")
    pdfmetrics.registerFont(TTFont("WQY", WQY, subfontIndex=0))
    c = canvas.Canvas(str(path))
    for n in range(1, LONG_PAGES + 1):
        size = (841.89, 595.27) if n % 9 == 0 else (595.27, 841.89)
        c.setPageSize(size)
        c.setPageRotation(90 if n == 17 else 0)
        w, h = size
        c.setFont("WQY", 9)
        c.drawCentredString(w / 2, h - 30, "广西某某糖业有限公司清洁生产审核报告")
        c.drawCentredString(w / 2, 30, f"- {n} -")
        c.setFont("WQY", 16)
        c.drawString(72, h - 90, f"第{n}章 审核第{n}部分")
        c.setFont("WQY", 12)
        y = h - 130
        for k in range(8):
            c.drawString(96 if k % 4 == 0 else 72, y,
                         f"2023年全厂水计量率达到{90 + k}%，第{n}页第{k + 1}行，工业用水重复利用率为9{k}.5%。")
            y -= 20
        if n % 3 == 0:
            _ruled_table(c, 72, y - 20, rows=5, cols=3, label=n)
        else:
            c.drawString(72, 60, "本页最后一句话没有写完，在下一页继续说明企业的清洁生产审核工作情况和")
        c.showPage()
    c.save()
    return path


def _ruled_table(c, x: float, top: float, rows: int, cols: int, label: int) -> None:
    cell_w, cell_h = 120, 22
    for r in range(rows + 1):
        c.line(x, top - r * cell_h, x + cols * cell_w, top - r * cell_h)
    for k in range(cols + 1):
        c.line(x + k * cell_w, top, x + k * cell_w, top - rows * cell_h)
    for r in range(rows):
        for k in range(cols):
            c.drawString(x + k * cell_w + 4, top - (r + 1) * cell_h + 7,
                         "指标" if r == 0 and k == 0 else f"{label}.{r}.{k}")


def _hand_pdf(n_pages: int, bad_pages: tuple[int, ...] = ()) -> bytes:
    """Helvetica pages written by hand; a bad page (1-based) draws a form XObject whose
    /Matrix has three numbers, which pdfminer cannot use (pdfium leaves form pages to it)."""
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    form = b"0 0 m 10 10 l S"
    objs[4] = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Matrix [1 0 0] /Length %d >>\n"
               b"stream\n" % len(form) + form + b"\nendstream")
    kids = []
    for i in range(1, n_pages + 1):
        page_id, content_id = 3 + 2 * i, 4 + 2 * i
        text = b"BT /F1 12 Tf 72 700 Td (Page %d of the report) Tj ET" % i
        if i in bad_pages:
            text += b" q /X1 Do Q"
        objs[content_id] = b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream"
        objs[page_id] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.3 841.9] /Resources "
                         b"<< /Font << /F1 3 0 R >> /XObject << /X1 4 0 R >> >> /Contents %d 0 R >>"
                         % content_id)
        kids.append(b"%d 0 R" % page_id)
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), n_pages)
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    xref, size = len(out), max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[num] for num in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


# Earlier tests in the same pytest process (OCR's onnxruntime pool, the web app, tqdm's monitor)
# leave threads behind, and with another thread the reader rightly never forks. These tests need
# a process that may fork: when this one may not, each test is skipped here and the last test
# runs the whole module again in a fresh process.
_FRESH = "CPSCREEN_PARALLEL_TESTS_FRESH"
_skipped_for_threads: list[str] = []


@pytest.fixture(autouse=True)
def _a_process_that_may_fork(request):
    if request.node.name.startswith("test_module_in_a_fresh_process"):
        return
    if not pdf_parallel.fork_is_safe():
        if os.environ.get(_FRESH) == "1":
            pytest.fail("the fresh process has other threads: " + repr(threading.enumerate()))
        _skipped_for_threads.append(request.node.name)
        pytest.skip("threads left by earlier tests: run by test_module_in_a_fresh_process")


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory) -> Path:
    return _long_report(tmp_path_factory.mktemp("parallel") / "long.pdf")


# ------------------------------------------------------------------ helpers

@pytest.fixture
def no_children_left():
    before = children()
    yield
    assert children() == before


@pytest.fixture
def pages_read_here(monkeypatch) -> list[int]:
    """The page numbers this (the parent) process scans; the children's scans do not show."""
    read: list[int] = []
    scan_page = pdf_reader._scan_page

    def counting(page):
        read.append(page.page_number)
        return scan_page(page)

    monkeypatch.setattr(pdf_reader, "_scan_page", counting)
    return read


def _as_data(doc: Document) -> dict:
    return dataclasses.asdict(doc)


def _scans(data: bytes, workers: int) -> list:
    doc = Document(name="x.pdf", sha256="", format="pdf", pages=0)
    return pdf_reader._scan_pages(data, doc, None, workers)


def _first_range(n_pages: int, workers: int) -> list[int]:
    return [i + 1 for i in pdf_parallel.split_pages(n_pages, workers)[0]]


# ------------------------------------------------------------------ the same output

@pytest.mark.parametrize("path", CORPUS_PDFS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_corpus_pdf_reads_the_same_in_two_and_three_processes(path, no_children_left, pages_read_here):
    one = load(path, page_workers=1)
    assert pages_read_here == list(range(1, one.pages + 1))
    for workers in (2, 3):
        pages_read_here.clear()
        many = load(path, page_workers=workers)
        assert _as_data(many) == _as_data(one), workers
        # the other ranges really were read elsewhere
        assert pages_read_here == _first_range(one.pages, min(workers, one.pages))


def test_long_report_scans_are_the_same_float_for_float(long_pdf, no_children_left, pages_read_here):
    data = long_pdf.read_bytes()
    one = _scans(data, 1)
    assert len(one) == LONG_PAGES and sum(1 for s in one if s.tables) >= LONG_PAGES // 3 - 1
    for workers in (2, 3, 5):
        pages_read_here.clear()
        # dataclass equality: every line's text, box, size, font; every table cell
        assert _scans(data, workers) == one, workers
        assert pages_read_here == _first_range(LONG_PAGES, workers)


def test_every_character_has_the_doctop_of_the_one_process_reader(long_pdf, monkeypatch):
    """Each range's pdfium reader starts where the one-process reader's running doctop stands
    (the character de-duplication compares doctops, so they must be the same floats)."""
    scan_page = pdf_reader._scan_page
    monkeypatch.setattr(pdf_reader, "_scan_page",
                        lambda page: (page.page_number, [c["doctop"] for c in page.chars],
                                      scan_page(page)))
    data = long_pdf.read_bytes()
    one = _scans(data, 1)
    assert one[-1][1][0] > 20 * 841                    # a real running sum, not per page
    for workers in (2, 3):
        assert _scans(data, workers) == one, workers


def test_long_report_document_is_the_same_with_automatic_workers(long_pdf, no_children_left):
    one = load(long_pdf, page_workers=1)
    assert _as_data(load(long_pdf)) == _as_data(one)
    assert len(one.tables()) >= 5 and one.headers
    if pdf_parallel.fork_is_safe() and pdf_parallel.usable_cpus() > 1:
        assert pdf_parallel.plan_workers(LONG_PAGES) > 1


@pytest.mark.parametrize("path", [*CORPUS_PDFS[:3], None], ids=lambda p: p.name if p else "long")
def test_each_range_starts_at_the_doctop_of_the_one_process_reader(path, long_pdf):
    path = path or long_pdf
    data = path.read_bytes()
    with pdfplumber.open(path) as pdf:
        reader = PdfiumReader(data, None, [p.page_obj for p in pdf.pages])
        try:
            running = []
            for i in range(len(reader)):
                running.append(reader.doctop)
                reader.read_page(i)
        finally:
            reader.close()
    assert pdf_reader._pdfium_doctops(data, None, len(running)) == running    # exact floats


# ------------------------------------------------------------------ errors and dead children

@pytest.mark.parametrize("bad_pages", [(20,), (8, 20), (5,)])
def test_bad_page_gives_the_same_error_as_one_process(bad_pages, no_children_left):
    data = _hand_pdf(24, bad_pages)
    with pytest.raises(ScreenError) as one:
        load_bytes(data, "bad.pdf", page_workers=1)
    assert one.value.code == "E004" and f"page {bad_pages[0]}:" in one.value.fields["detail"]
    for workers in (2, 3):
        with pytest.raises(ScreenError) as many:
            load_bytes(data, "bad.pdf", page_workers=workers)
        assert (many.value.code, many.value.fields) == (one.value.code, one.value.fields)
        assert str(many.value) == str(one.value)


def test_other_exception_in_a_child_surfaces_as_in_one_process(monkeypatch, no_children_left):
    data = _hand_pdf(24)
    scan_page = pdf_reader._scan_page

    def failing(page):
        if page.page_number == 19:
            raise RuntimeError("the page reader broke on page 19")
        return scan_page(page)

    monkeypatch.setattr(pdf_reader, "_scan_page", failing)
    with pytest.raises(ScreenError) as one:
        load_bytes(data, "x.pdf", page_workers=1)
    assert one.value.code == "E010" and "RuntimeError" in one.value.fields["detail"]
    with pytest.raises(ScreenError) as many:
        load_bytes(data, "x.pdf", page_workers=2)
    assert (many.value.code, many.value.fields) == (one.value.code, one.value.fields)


@pytest.mark.parametrize("how", ["killed", "exits"])
def test_child_that_dies_midway_still_gives_the_right_document(how, long_pdf, monkeypatch,
                                                                no_children_left):
    reference = load(long_pdf, page_workers=1)
    parent = os.getpid()
    scan_page = pdf_reader._scan_page
    read_here: list[int] = []
    doomed_page = pdf_parallel.split_pages(LONG_PAGES, 3)[2].start + 3   # mid-way, last range

    def dying(page):
        if os.getpid() != parent and page.page_number == doomed_page:
            if how == "killed":
                os.kill(os.getpid(), signal.SIGKILL)
            os._exit(70)
        if os.getpid() == parent:
            read_here.append(page.page_number)
        return scan_page(page)

    monkeypatch.setattr(pdf_reader, "_scan_page", dying)
    doc = load(long_pdf, page_workers=3)
    assert _as_data(doc) == _as_data(reference)
    # the parent read its own range and the dead child's, not the live child's
    ranges = pdf_parallel.split_pages(LONG_PAGES, 3)
    assert read_here == [i + 1 for i in (*ranges[0], *ranges[2])]


def test_children_reaped_by_the_system_still_count(long_pdf, monkeypatch, pages_read_here,
                                                   no_children_left):
    """With SIGCHLD ignored (some servers do) the kernel reaps the children itself, so their
    exit status is lost; their pipes still say what they read."""
    reference = load(long_pdf, page_workers=1)
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        pages_read_here.clear()
        doc = load(long_pdf, page_workers=2)
    finally:
        signal.signal(signal.SIGCHLD, previous)
    assert _as_data(doc) == _as_data(reference)
    assert pages_read_here == _first_range(LONG_PAGES, 2)


def test_parent_error_ends_the_children(monkeypatch, no_children_left):
    data = _hand_pdf(30, (2,))
    with pytest.raises(ScreenError) as err:
        load_bytes(data, "bad.pdf", page_workers=3)
    assert "page 2:" in err.value.fields["detail"]


# ------------------------------------------------------------------ when not to fork

def test_short_file_or_one_cpu_or_asked_for_one_is_read_in_one_process(monkeypatch):
    monkeypatch.delenv(pdf_parallel.ENV_WORKERS, raising=False)
    assert pdf_parallel.plan_workers(2 * pdf_parallel.MIN_PAGES_PER_WORKER - 1) == 1
    assert pdf_parallel.plan_workers(500, 1) == 1
    assert pdf_parallel.plan_workers(1, 4) == 1
    monkeypatch.setenv(pdf_parallel.ENV_WORKERS, "1")
    assert pdf_parallel.plan_workers(500) == 1
    monkeypatch.setenv(pdf_parallel.ENV_WORKERS, "3")
    assert pdf_parallel.plan_workers(500) == 3
    assert pdf_parallel.plan_workers(500, 2) == 2             # the parameter before the variable
    monkeypatch.setenv(pdf_parallel.ENV_WORKERS, "auto")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert pdf_parallel.plan_workers(500) == 1
    assert pdf_parallel.plan_workers(500, 2) == 2             # forced: even on one CPU
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert pdf_parallel.plan_workers(500) == 4


def test_no_forking_while_another_thread_runs(long_pdf, pages_read_here):
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert pdf_parallel.plan_workers(500, 3) == 1
        load(long_pdf, page_workers=3)
        assert pages_read_here == list(range(1, LONG_PAGES + 1))
    finally:
        stop.set()
        thread.join()


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_no_forking_in_pool_workers(method):
    """cpscreen batch (fork) and the web app (spawn) screen in ProcessPoolExecutor workers,
    which are not daemonic since Python 3.9: they already give each core a file."""
    with cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(method)) as pool:
        assert pool.submit(pdf_parallel.plan_workers, 500, 3).result(timeout=120) == 1


def test_module_in_a_fresh_process():
    if not _skipped_for_threads:
        pytest.skip("every test of this module ran in this process")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__],
                          cwd=ROOT, env={**os.environ, _FRESH: "1"}, capture_output=True, text=True,
                          timeout=1200)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    passed = re.search(r"(\d+) passed", proc.stdout)
    assert passed and int(passed.group(1)) >= 30, proc.stdout[-2000:]
