"""`python -m cpscreen.bench`: how fast cpscreen reads a long report, against the plain way.

On a generated ~200-page audit report (corpus/longreport.py: DOCX made with python-docx, PDF
by LibreOffice, both cached in ~/.cache/cpscreen-bench or --workdir, with the generator's
own indicator truth) it times, --repeat times each, median reported:

  (a) the naive baseline: pdfplumber `extract_text()` + `extract_tables()` on every page, and
      a regular expression for the rates (an indicator name, then a number and %) over the
      text and over the table rows;
  (b) pypdfium2 text extraction of every page, nothing else (the floor);
  (c) cpscreen end to end: `pipeline.screen` in process, and `cpscreen check` as a whole
      process once; `pipeline.screen` also with the PDF's pages read in one process (by
      default a long PDF's pages are read in several, ingest/pdf_parallel.py).

Every variant runs in its own child process, whose peak RSS (ru_maxrss, from wait4) is
reported. The machine is shared and noisy, so the figures that mean something are the ratios
against the baseline measured in the same run. Also: the 200-page DOCX against the PDF, the
cold start of `cpscreen check` on a 2-page DOCX (whole process, against a bare interpreter),
and `cpscreen batch` on the corpus samples with 1 worker against N.

Recall is measured on the report's truth: a found (key, value) pair matches a truth mention
with the same key and value, each truth mention at most once; for (c) also with year and role.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------ the variants (children)

def _rate_names() -> dict[str, str]:
    """Indicator name -> key for every percentage indicator of the rubric data."""
    from rubric.province import load_province

    names: dict[str, str] = {}
    for spec in load_province("guangxi").indicators:
        if spec.kind == "rate":
            for name in [spec.name, *spec.aliases]:
                names.setdefault(name, spec.key)
    return names


def naive_regex(names: dict[str, str]) -> re.Pattern:
    """A fair regular-expression reader: a name, up to 12 characters that are no digit and end
    no clause, then a number and %."""
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"({alt})[^0-9%％。；;]{{0,12}}?([0-9]+(?:\.[0-9]+)?)\s*[%％]")


def _naive(path: str) -> list[tuple]:
    """(a): the plain pdfplumber way, every page's text and tables, and the regex."""
    import pdfplumber

    names = _rate_names()
    rx = naive_regex(names)
    name_rx = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    number = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")
    found: list[tuple] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            text = page.extract_text() or ""
            tables = page.extract_tables()
            flat = re.sub(r"\s+", "", text)
            found += [(names[m.group(1)], float(m.group(2)), None, None) for m in rx.finditer(flat)]
            for table in tables:
                for row in table:
                    label = re.sub(r"\s+", "", row[0] or "") if row else ""
                    hit = name_rx.search(label)
                    if not hit:
                        continue
                    for cell in row[1:]:
                        cell = (cell or "").strip()
                        if number.match(cell):
                            found.append((names[hit.group(0)], float(cell), None, None))
            page.close()
    return found


def _pdfium(path: str) -> list[tuple]:
    """(b): pypdfium2's text of every page, nothing else."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return []


def _pipeline(path: str, page_workers: int | None = None) -> list[tuple]:
    """(c): cpscreen's whole pipeline in process; a PDF's pages read in as many processes as
    `page_workers` (None: as cpscreen decides on this machine, ingest/pdf_parallel.py)."""
    from .pipeline import screen

    result = screen(path, page_workers=page_workers)
    if result.error is not None:
        raise SystemExit(f"screen failed: {result.error}")
    return [(m.key, m.value, m.year, m.role) for m in result.mentions]


def _pipeline_one_process(path: str) -> list[tuple]:
    """(c) with every page read in the one process."""
    return _pipeline(path, page_workers=1)


def _screened(path: str) -> dict:
    """The contract's JSON of the report (screened once, untimed: for `_outputs`)."""
    from .pipeline import screen
    from .result import result_json

    return result_json(screen(path))


def _outputs(result: dict) -> list[tuple]:
    """What `batch` writes for each file besides screening it: the JSON, the HTML report and
    the filled 审核表 workbook."""
    from .render_html import render_html
    from .render_xlsx import render_xlsx
    from .result import dumps

    dumps(result)
    render_html(result)
    render_xlsx(result)
    return []


VARIANTS = {"naive": _naive, "pdfium": _pdfium, "pipeline": _pipeline,
            "pipeline_1": _pipeline_one_process, "outputs": _outputs}
# variants whose timed part starts from something made first, untimed
PREPARE = {"outputs": _screened}


def run_child(variant: str, path: str, repeat: int) -> dict:
    fn = VARIANTS[variant]
    subject = PREPARE[variant](path) if variant in PREPARE else path
    times, found = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        found = fn(subject)
        times.append(time.perf_counter() - t0)
    return {"times": times, "found": found}


# ------------------------------------------------------------------ measuring (parent)

def run_measured(cmd: list[str], timeout: float = 1800) -> tuple[float, int, str]:
    """Run a command; (wall seconds, peak RSS in bytes of that process, stdout)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        deadline = t0 + timeout
        while True:
            # wait4 gives this child's own rusage (RUSAGE_CHILDREN would be the maximum of all)
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:6])}… exited {proc.returncode}: {stderr[-2000:]}")
    return wall, usage.ru_maxrss * 1024, stdout


def child(variant: str, path: Path, repeat: int) -> dict:
    cmd = [sys.executable, "-m", "cpscreen.bench", "--child", variant, str(path), "--repeat", str(repeat)]
    _, rss, stdout = run_measured(cmd)
    data = json.loads(stdout.strip().splitlines()[-1])
    data["rss"] = rss
    data["median"] = statistics.median(data["times"])
    return data


def whole_process(cmd: list[str], repeat: int) -> dict:
    walls, rss = [], 0
    for _ in range(repeat):
        wall, peak, _ = run_measured(cmd)
        walls.append(wall)
        rss = max(rss, peak)
    return {"times": walls, "median": statistics.median(walls), "rss": rss}


def recall(found: list, truth: list[dict], strict: bool = False) -> tuple[float, float]:
    """(recall, precision) of found mentions against the truth, each truth mention used once."""
    def key(key_, value, year=None, role=None):
        k = (key_, round(float(value), 4))
        return k + (year, role or "actual") if strict else k

    want = Counter(key(e["key"], e["value"], e.get("year"), e.get("role")) for e in truth)
    got = Counter(key(*f) if strict else key(f[0], f[1]) for f in found)
    hit = sum((want & got).values())
    total_want, total_got = sum(want.values()), sum(got.values())
    return (hit / total_want if total_want else 0.0), (hit / total_got if total_got else 0.0)


def table_pages(pdf: Path) -> int:
    """Pages on which pdfplumber finds a ruled table (the lines strategy)."""
    import pdfplumber

    n = 0
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            if page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"}):
                n += 1
            page.close()
    return n


def page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


def batch_inputs() -> list[Path]:
    return sorted((ROOT / "corpus" / "samples").glob("*.docx")) + \
        sorted((ROOT / "corpus" / "samples").glob("*.pdf"))


def _page_workers(n_pages: int) -> int:
    """How many processes `pipeline.screen` reads this many pages in, here (the children run
    in the same conditions as this process: no threads, no pool)."""
    from ingest.pdf_parallel import plan_workers

    return plan_workers(n_pages)


def _cpus() -> int:
    from ingest.pdf_parallel import usable_cpus

    return usable_cpus()


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f}"


def run_bench(pages: int, repeat: int, workdir: Path | None, workers: int, batch: bool,
              out=sys.stdout) -> dict:
    from corpus.longreport import make

    def say(line: str = "") -> None:
        print(line, file=out, flush=True)

    rep = make(pages, workdir)
    small = make(2, workdir, pdf=False)
    truth = json.loads(rep.truth.read_text(encoding="utf-8"))["indicators"]
    n_pages = page_count(rep.pdf)
    n_table_pages = table_pages(rep.pdf)
    py = sys.executable
    say(f"cpscreen bench: {rep.pdf.name}, {n_pages} pages ({n_table_pages} with ruled tables, "
        f"{n_table_pages / n_pages:.0%}), {len(truth)} indicator mentions in its truth; "
        f"median of {repeat}, peak RSS of the child process")

    a = child("naive", rep.pdf, repeat)
    b = child("pdfium", rep.pdf, repeat)
    c = child("pipeline", rep.pdf, repeat)
    c1 = child("pipeline_1", rep.pdf, repeat)
    c_proc = whole_process([py, "-m", "cpscreen", "check", str(rep.pdf), "--format", "json",
                            "-o", os.devnull], 1)
    # the baseline as a whole process too, so that the whole-process ratio compares like with
    # like (imports and first-use costs on both sides)
    a_proc = whole_process([py, "-c", "import sys; from cpscreen.bench import _naive; "
                            "_naive(sys.argv[1])", str(rep.pdf)], 1)
    d = child("pipeline", rep.docx, repeat)

    rows = [("(a) naive: pdfplumber text+tables, regex", a),
            ("(b) pypdfium2 text only (floor)", b),
            ("(c) cpscreen pipeline.screen, in process", c),
            ("(c) the same, pages read in one process", c1),
            ("(a) naive, whole process (once)", a_proc),
            ("(c) cpscreen check, whole process (once)", c_proc),
            ("    the same report as DOCX, in process", d)]
    say(f"{'variant':44}{'time s':>9}{'pages/s':>10}{'peak MB':>9}")
    for label, r in rows:
        say(f"{label:44}{r['median']:9.2f}{n_pages / r['median']:10.1f}{_mb(r['rss']):>9}")
    if len(c["times"]) > 1:
        say(f"    (c) first run in its process (loads jieba): {c['times'][0]:.2f} s")
    page_workers = _page_workers(n_pages)
    say(f"    (c) reads the PDF's pages in {page_workers} process(es) here ({_cpus()} usable CPUs; "
        f"peak MB is the largest one process's)")
    figures = {
        "pages": n_pages, "table_pages": n_table_pages, "repeat": repeat,
        "a": a["median"], "b": b["median"], "c": c["median"], "c_first": c["times"][0],
        "c_process": c_proc["median"], "a_process": a_proc["median"], "docx": d["median"], "rss_a": a["rss"], "rss_b": b["rss"],
        "rss_c": c["rss"], "rss_c_process": c_proc["rss"], "rss_docx": d["rss"],
        "c_1": c1["median"], "c_1_first": c1["times"][0], "rss_c_1": c1["rss"],
        "page_workers": page_workers,
    }
    say(f"ratio a/c: {a['median'] / c['median']:.1f}x (cpscreen against the naive baseline; "
        f"whole processes a/c: {a_proc['median'] / c_proc['median']:.1f}x)")
    say(f"ratio a/c, pages read in one process: {a['median'] / c1['median']:.1f}x "
        f"(c in one process / c: {c1['median'] / c['median']:.2f}x)")
    say(f"ratio b/c: {b['median'] / c['median']:.2f} (the text-extraction floor's share of cpscreen's time)")
    say(f"ratio docx/pdf: {d['median'] / c['median']:.2f} (the same report read from DOCX, against the PDF)")
    ra, pa = recall(a["found"], truth)
    rc, pc = recall(c["found"], truth)
    rcs, pcs = recall(c["found"], truth, strict=True)
    rd, _ = recall(d["found"], truth, strict=True)
    say(f"recall (key, value): a {ra:.3f} (precision {pa:.3f}), c {rc:.3f} (precision {pc:.3f})")
    say(f"recall (key, value, year, role): c {rcs:.3f} (precision {pcs:.3f}); DOCX {rd:.3f}")
    figures.update(recall_a=ra, precision_a=pa, recall_c=rc, precision_c=pc, recall_c_strict=rcs,
                   recall_docx_strict=rd)

    bare = whole_process([py, "-c", "pass"], repeat)
    cold = whole_process([py, "-m", "cpscreen", "check", str(small.docx), "--format", "json",
                          "-o", os.devnull], repeat)
    say(f"cold start: cpscreen check on a 2-page DOCX, whole process {cold['median']:.2f} s, "
        f"peak {_mb(cold['rss'])} MB; ratio to a bare interpreter start ({bare['median']:.3f} s): "
        f"{cold['median'] / bare['median']:.0f}x")
    figures.update(cold=cold["median"], bare=bare["median"], rss_cold=cold["rss"])

    out_pdf = child("outputs", rep.pdf, repeat)
    out_docx = child("outputs", rep.docx, repeat)
    say(f"outputs batch writes per file (JSON, HTML, XLSX) of this report: from the PDF "
        f"{out_pdf['median']:.2f} s, from the DOCX {out_docx['median']:.2f} s "
        f"({out_pdf['median'] / c['median']:.2f} and {out_docx['median'] / d['median']:.2f} of screening it)")
    figures.update(outputs_pdf=out_pdf["median"], outputs_docx=out_docx["median"])

    if batch:
        files = [str(p) for p in batch_inputs()]
        times = {}
        for n in (1, workers):
            walls = []
            for _ in range(repeat):
                with tempfile.TemporaryDirectory(prefix="cpscreen_bench_batch_") as tmp:
                    cmd = [py, "-m", "cpscreen", "batch", *files, "-o", tmp, "--workers", str(n)]
                    walls.append(run_measured(cmd)[0])
            times[n] = statistics.median(walls)
        say(f"batch: {len(files)} corpus files, 1 worker {times[1]:.2f} s, {workers} workers "
            f"{times[workers]:.2f} s; ratio 1/{workers}: {times[1] / times[workers]:.2f}x "
            f"(cores: {os.cpu_count()})")
        figures.update(batch_files=len(files), batch_1=times[1], batch_n=times[workers],
                       batch_workers=workers)
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m cpscreen.bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=200, help="length of the generated report (default 200)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each variant, median reported (default 3)")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where the generated report is cached (default ~/.cache/cpscreen-bench)")
    ap.add_argument("--workers", type=int, default=max(2, min(4, os.cpu_count() or 2)),
                    help="workers of the parallel batch run (default: the cores, 2 to 4)")
    ap.add_argument("--no-batch", action="store_true", help="leave out the batch comparison")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--child", nargs=2, metavar=("VARIANT", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.repeat < 1 or args.pages < 2:
        ap.error("--repeat must be at least 1 and --pages at least 2")
    if args.child:
        print(json.dumps(run_child(args.child[0], args.child[1], args.repeat), ensure_ascii=False))
        return 0
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        print("LibreOffice (soffice) is needed to make the benchmark PDF", file=sys.stderr)
        return 2
    figures = run_bench(args.pages, args.repeat, args.workdir, args.workers, not args.no_batch)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
