"""Regenerate the third held-out corpus: `python -m corpus.generate --heldout3 [--only STEM ...] [--no-pdf]`.

Same machinery as the first held-out set (corpus.docx_writer, corpus.heldout.truth_ext via
truth3, corpus.pdf_pages), its own folders (corpus/heldout3/samples, /truth) and its own
LibreOffice profile, /tmp/lo_heldout3_profile. One sequential LibreOffice run.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..docx_writer import build_docx
from ..generate import write_json
from ..pdf_pages import relocate
from ..truth import SpecError
from . import documents
from .truth3 import build_heldout3

HERE = Path(__file__).resolve().parent
SAMPLES = HERE / "samples"
TRUTH = HERE / "truth"
LO_PROFILE = "file:///tmp/lo_heldout3_profile"


def convert(docx_paths: list[Path], outdir: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SpecError("LibreOffice (soffice) is needed to make the PDF samples")
    cmd = [soffice, "--headless", f"-env:UserInstallation={LO_PROFILE}",
           "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docx_paths)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    for p in docx_paths:
        if not (outdir / (p.stem + ".pdf")).exists():
            raise SpecError(f"LibreOffice did not convert {p.name}: {proc.stdout} {proc.stderr}")


def run(only: list[str] | None = None, no_pdf: bool = False) -> int:
    specs = documents.ALL
    if only:
        specs = [s for s in specs if s.name in set(only)]
        unknown = set(only) - {s.name for s in specs}
        if unknown:
            print(f"unknown held-out-3 stems: {sorted(unknown)}", file=sys.stderr)
            return 2
    SAMPLES.mkdir(exist_ok=True)
    TRUTH.mkdir(exist_ok=True)
    try:
        built = []
        for spec in specs:
            docx_name = f"{spec.name}.docx"
            truth, places = build_heldout3(spec, docx_name, "docx")
            (SAMPLES / docx_name).write_bytes(build_docx(spec))
            write_json(TRUTH / f"{docx_name}.json", truth)
            built.append((spec, truth, places))
            print(f"wrote heldout3/{docx_name}: {len(truth['headings'])} headings, "
                  f"{len(truth['indicators'])} indicators")
        pdf_specs = [b for b in built if b[0].pdf]
        if pdf_specs and not no_pdf:
            with tempfile.TemporaryDirectory(prefix="heldout3_pdf_") as tmp:
                tmpdir = Path(tmp)
                convert([SAMPLES / f"{s.name}.docx" for s, _, _ in pdf_specs], tmpdir)
                for spec, truth, places in pdf_specs:
                    src = tmpdir / f"{spec.name}.pdf"
                    pdf_truth = relocate(spec, truth, places, src)
                    shutil.copyfile(src, SAMPLES / f"{spec.name}.pdf")
                    write_json(TRUTH / f"{spec.name}.pdf.json", pdf_truth)
                    print(f"wrote heldout3/{spec.name}.pdf: {pdf_truth['page_count']} pages")
    except SpecError as e:
        print(f"held-out-3 spec error: {e}", file=sys.stderr)
        return 1
    return 0
