"""A long audit report for the benchmark: `python -m corpus.longreport [--pages 200] [--workdir DIR]`.

Real submissions run to a hundred pages and more; the corpus samples are 5 to 13. This
builds a report of about `pages` pages on 附件2's outline (typed 第一章 / 1.1 / 1.1.1
headings) by repeating the chapters of the corpus's audit reports: chapter N of the long
report holds chapter N of each source report in turn, again and again, so it reads like a
group's report covering plant after plant (realistic paragraphs, indicator sentences,
year tables with merged header cells). Every block keeps its annotations, so the truth
(`corpus.truth.build`) knows each indicator mention the text and tables hold and the
benchmark can measure recall. Values that differ between sources for the same key and year
are declared as conflicts (the truth builder insists).

Outputs (never committed; the benchmark keeps them in ~/.cache/cpscreen-bench):
`longreport-<pages>.docx`, `.pdf` (LibreOffice, converted once and cached under the DOCX's
hash), `.truth.json`. About 40% of the PDF's pages carry a ruled table (tables are kept in
every other pass over the sources); the benchmark prints the share it finds.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from .doc_a01_sugar import SPEC as A01
from .doc_a03_paper import SPEC as A03
from .doc_a04_zinc import SPEC as A04
from .doc_p01_dairy_previous import SPEC as P01
from .doc_p02_dairy_current import SPEC as P02
from .doc_p04_brewery_audit import SPEC as P04
from .docx_writer import build_docx
from .spec import Cover, DocSpec, Heading, PageBreak, Para, TableSpec, Toc
from .truth import AUDIT_SECTIONS, build

# Sources whose chapters follow 附件2's order 1..9; a01 first, its headings carry the sections.
SOURCES = [A01, A03, A04, P01, P02, P04]
LO_PROFILE = "file:///tmp/lo_bench_profile"
DEFAULT_CACHE = Path.home() / ".cache" / "cpscreen-bench"

# Page estimate (A4, 2.8 cm margins, 12 pt at 1.5 lines, as corpus.docx_writer sets it),
# calibrated on LibreOffice's output (--pages 200 gives 197 pages); it only decides how much
# text to repeat.
_CHARS_PER_LINE = 36
_LINES_PER_PAGE = 34.4
_TABLE_ROW_LINES = 1.05
# Tables are kept in every other pass over the sources: about 40% of the pages then carry one
# (with every table, the corpus reports' tables crowd over 60% of the pages).
TABLES_EVERY = 2


@dataclass
class _Chunk:
    """One chapter of one source report."""

    source: DocSpec
    chapter: str                 # section id of the chapter ("1".."9")
    title: str
    blocks: list                 # content under the chapter heading


def _chapters(spec: DocSpec) -> list[_Chunk]:
    out: list[_Chunk] = []
    for block in spec.blocks:
        if isinstance(block, Heading) and block.level == 1:
            out.append(_Chunk(spec, block.sections[0] if block.sections else "", block.title, []))
        elif out and not isinstance(block, (Cover, Toc, PageBreak)):
            out[-1].blocks.append(block)
    return [c for c in out if c.chapter]


def _estimate_lines(block) -> float:
    if isinstance(block, Para):
        return -(-(len(block.text) + 2) // _CHARS_PER_LINE)
    if isinstance(block, Heading):
        return 2.0
    if isinstance(block, TableSpec):
        rows = 0.0
        for row in block.rows:
            widest = max((len(c) for c in row), default=1)
            rows += _TABLE_ROW_LINES * max(1, -(-widest // 9))
        return rows + (1.5 if block.caption else 0) + 1
    return 0.0


def _stripped(block, keep_annotations: bool):
    """A copy of a block for a repeated chapter: sections, evidence and the truth table only
    the first time."""
    if isinstance(block, Heading):
        return Heading(block.level, block.title, list(block.sections) if keep_annotations else [])
    if isinstance(block, Para):
        b = copy.copy(block)
        b.evidence = dict(block.evidence) if keep_annotations else {}
        return b
    if isinstance(block, TableSpec) and block.truth_table and not keep_annotations:
        return replace(block, truth_table=False)
    return block


def build_spec(pages: int = 200) -> DocSpec:
    """The long report's DocSpec, about `pages` pages long."""
    budget = pages * _LINES_PER_PAGE
    per_chapter: dict[str, list] = {sid: [] for sid in "123456789"}
    titles: dict[str, str] = {}
    used = 6.0 * _LINES_PER_PAGE / 30            # cover
    first = True
    done = False
    passes = 0
    while not done:
        for source in SOURCES:
            for chunk in _chapters(source):
                keep = first and source is SOURCES[0]
                blocks = [_stripped(b, keep) for b in chunk.blocks
                          if passes % TABLES_EVERY == 0 or not isinstance(b, TableSpec)]
                cost = sum(_estimate_lines(b) for b in blocks)
                if chunk.chapter not in titles:
                    titles[chunk.chapter] = chunk.title
                    cost += 2 + _LINES_PER_PAGE / 3    # heading, and the chapter's page break
                per_chapter[chunk.chapter].append((chunk, blocks))
                used += cost
                if used >= budget:
                    done = True
                    break
            first = False
            if done:
                break
        passes += 1

    first_spec = SOURCES[0]
    cover = next(b for b in first_spec.blocks if isinstance(b, Cover))
    blocks: list = [cover, PageBreak()]
    covered: set[str] = set()
    for sid in "123456789":
        if sid not in titles:
            continue
        if len(blocks) > 2:
            blocks.append(PageBreak())
        blocks.append(Heading(1, titles[sid], [sid]))
        covered.add(sid)
        for _chunk, chunk_blocks in per_chapter[sid]:
            for b in chunk_blocks:
                if isinstance(b, Heading):
                    covered.update(b.sections)
            blocks.extend(chunk_blocks)
    spec = DocSpec(
        name=f"longreport-{pages}", doc_type="audit_report", enterprise=first_spec.enterprise,
        numbering="chapter_decimal", blocks=blocks,
        missing=[sid for sid in AUDIT_SECTIONS if sid not in covered],
        pdf=True, title="清洁生产审核报告",
        description=f"about {pages} pages: the corpus audit reports' chapters repeated (benchmark)",
    )
    spec.conflicts = _conflicts(spec)
    return spec


def _conflicts(spec: DocSpec) -> list[dict]:
    """The (key, year) pairs stated exactly with different values across the repeated sources,
    each with every actual value stated for it (what corpus.truth.build checks)."""
    entries = [e for e in _raw_entries(spec) if e["role"] == "actual" and e["year"] is not None]
    exact: dict[tuple, set] = {}
    for e in entries:
        if e["comparator"] == "=":
            exact.setdefault((e["key"], e["year"]), set()).add(e["value"])
    out = []
    for (key, year), values in sorted(exact.items()):
        if len(values) > 1:
            every = {e["value"] for e in entries if e["key"] == key and e["year"] == year}
            out.append({"key": key, "year": year, "values": sorted(every)})
    return out


def _raw_entries(spec: DocSpec) -> list[dict]:
    out = []
    for block in spec.blocks:
        if isinstance(block, Para):
            for m in block.mentions:
                out.append({"key": m.key, "value": m.value, "comparator": m.comparator,
                            "year": m.year, "role": m.role})
        elif isinstance(block, TableSpec):
            for r, row in enumerate(block.rows):
                note = block.row_notes.get(r)
                if r < block.header_rows or note is None or note.distractor:
                    continue
                for c, year in block.year_cols.items():
                    text = row[c].strip()
                    if text and text not in {"—", "-", "/", "——"}:
                        out.append({"key": note.key, "value": float(text), "comparator": "=",
                                    "year": year, "role": "actual"})
    return out


# -- files --------------------------------------------------------------------------------

@dataclass
class LongReport:
    docx: Path
    pdf: Path | None
    truth: Path
    pages_asked: int


def make(pages: int = 200, workdir: Path | None = None, pdf: bool = True) -> LongReport:
    """Write (or find in the cache) the DOCX, its truth and, with `pdf`, the PDF."""
    workdir = Path(workdir) if workdir else DEFAULT_CACHE
    workdir.mkdir(parents=True, exist_ok=True)
    spec = build_spec(pages)
    data = build_docx(spec)
    stem = spec.name
    docx_path = workdir / f"{stem}.docx"
    if not docx_path.is_file() or docx_path.read_bytes() != data:
        docx_path.write_bytes(data)
    truth, _ = build(spec, docx_path.name, "docx")
    truth_path = workdir / f"{stem}.truth.json"
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    pdf_path = None
    if pdf:
        pdf_path = workdir / f"{stem}.pdf"
        stamp = workdir / f"{stem}.pdf.sha256"
        digest = hashlib.sha256(data).hexdigest()
        if not (pdf_path.is_file() and stamp.is_file() and stamp.read_text().strip() == digest):
            convert(docx_path, workdir)
            stamp.write_text(digest + "\n")
    return LongReport(docx_path, pdf_path, truth_path, pages)


def convert(docx_path: Path, outdir: Path) -> Path:
    """DOCX -> PDF with LibreOffice (one sequential run, the benchmark's own profile)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) is needed to make the benchmark PDF")
    cmd = [soffice, "--headless", f"-env:UserInstallation={LO_PROFILE}",
           "--convert-to", "pdf", "--outdir", str(outdir), str(docx_path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    out = outdir / (docx_path.stem + ".pdf")
    if not out.is_file():
        raise RuntimeError(f"LibreOffice did not convert {docx_path.name}: {proc.stdout} {proc.stderr}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m corpus.longreport", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--workdir", type=Path, default=None, help=f"default {DEFAULT_CACHE}")
    ap.add_argument("--no-pdf", action="store_true")
    args = ap.parse_args(argv)
    rep = make(args.pages, args.workdir, pdf=not args.no_pdf)
    truth = json.loads(rep.truth.read_text(encoding="utf-8"))
    print(f"{rep.docx}\n{rep.pdf or '(no pdf)'}\n{rep.truth}: {len(truth['indicators'])} indicator mentions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
