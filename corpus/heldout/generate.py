"""Regenerate a held-out corpus: `python -m corpus.generate --heldout|--heldout2|--heldout3 [--only STEM ...] [--no-pdf]`.

One runner for the three held-out sets. Same machinery as the main corpus
(corpus.docx_writer, corpus.truth via truth_ext, corpus.pdf_pages); each set
keeps its own folders (corpus/<set>/samples, /truth), its own documents
(corpus.<set>.documents, whose `HELD_OUT_NOTE`, if any, marks its truth files)
and its own LibreOffice profile, /tmp/lo_<set>_profile. One sequential
LibreOffice run.
"""
from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from ..docx_writer import build_docx
from ..generate import write_json
from ..pdf_pages import relocate
from ..truth import SpecError
from .truth_ext import build_heldout

CORPUS = Path(__file__).resolve().parent.parent
HELD_OUT_SETS = ("heldout", "heldout2", "heldout3")


def set_documents(name: str) -> ModuleType:
    """corpus.<name>.documents: the set's specs (`ALL`) and, for the later sets, its note."""
    if name not in HELD_OUT_SETS:
        raise ValueError(f"not a held-out set: {name!r} (one of {', '.join(HELD_OUT_SETS)})")
    return importlib.import_module(f"corpus.{name}.documents")


def build_set_truth(name: str, spec, file_name: str, fmt: str):
    """`build_heldout` with the set's own `held_out` note (the first set's is the default)."""
    note = getattr(set_documents(name), "HELD_OUT_NOTE", None)
    return build_heldout(spec, file_name, fmt, note)


def _label(name: str) -> str:
    # the messages the sets have always printed: held-out, held-out-2, held-out-3
    suffix = name[len("heldout"):]
    return f"held-out-{suffix}" if suffix else "held-out"


def convert(docx_paths: list[Path], outdir: Path, lo_profile: str) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SpecError("LibreOffice (soffice) is needed to make the PDF samples")
    cmd = [soffice, "--headless", f"-env:UserInstallation={lo_profile}",
           "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docx_paths)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    for p in docx_paths:
        if not (outdir / (p.stem + ".pdf")).exists():
            raise SpecError(f"LibreOffice did not convert {p.name}: {proc.stdout} {proc.stderr}")


def run_set(name: str, only: list[str] | None = None, no_pdf: bool = False) -> int:
    specs = set_documents(name).ALL
    samples = CORPUS / name / "samples"
    truth_dir = CORPUS / name / "truth"
    if only:
        specs = [s for s in specs if s.name in set(only)]
        unknown = set(only) - {s.name for s in specs}
        if unknown:
            print(f"unknown {_label(name)} stems: {sorted(unknown)}", file=sys.stderr)
            return 2
    samples.mkdir(exist_ok=True)
    truth_dir.mkdir(exist_ok=True)
    try:
        built = []
        for spec in specs:
            docx_name = f"{spec.name}.docx"
            truth, places = build_set_truth(name, spec, docx_name, "docx")
            (samples / docx_name).write_bytes(build_docx(spec))
            write_json(truth_dir / f"{docx_name}.json", truth)
            built.append((spec, truth, places))
            print(f"wrote {name}/{docx_name}: {len(truth['headings'])} headings, "
                  f"{len(truth['indicators'])} indicators")
        pdf_specs = [b for b in built if b[0].pdf]
        if pdf_specs and not no_pdf:
            with tempfile.TemporaryDirectory(prefix=f"{name}_pdf_") as tmp:
                tmpdir = Path(tmp)
                convert([samples / f"{s.name}.docx" for s, _, _ in pdf_specs], tmpdir,
                        f"file:///tmp/lo_{name}_profile")
                for spec, truth, places in pdf_specs:
                    src = tmpdir / f"{spec.name}.pdf"
                    pdf_truth = relocate(spec, truth, places, src)
                    shutil.copyfile(src, samples / f"{spec.name}.pdf")
                    write_json(truth_dir / f"{spec.name}.pdf.json", pdf_truth)
                    print(f"wrote {name}/{spec.name}.pdf: {pdf_truth['page_count']} pages")
    except SpecError as e:
        print(f"{_label(name)} spec error: {e}", file=sys.stderr)
        return 1
    return 0
