"""Regenerate the sample corpus: `python -m corpus.generate [--only STEM ...] [--no-pdf] [--truth-only]`.

Writes corpus/samples/<stem>.docx (and .pdf where the spec asks for one) and
corpus/truth/<stem>.<ext>.json. Deterministic: no randomness, fixed document
dates, fixed zip timestamps; the truth files come out byte-identical each run
(PDF bytes carry LibreOffice's own timestamps). No network.

`--truth-only` rewrites the truth files alone: no DOCX is written and LibreOffice
does not run; the PDF truth is found in the PDF samples already on disk, so a
change to the annotations (e.g. the item truth) leaves every sample byte as it is.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from . import documents
from .docx_writer import build_docx
from .pdf_pages import convert, relocate
from .truth import SpecError, build

HERE = Path(__file__).resolve().parent
SAMPLES = HERE / "samples"
TRUTH = HERE / "truth"


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m corpus.generate", description=__doc__)
    ap.add_argument("--only", nargs="*", help="stems to regenerate (default: all)")
    ap.add_argument("--no-pdf", action="store_true", help="skip LibreOffice and the PDF samples")
    ap.add_argument("--truth-only", action="store_true",
                    help="rewrite the truth files only; PDF pages come from the PDF samples on disk")
    ap.add_argument("--heldout", action="store_true",
                    help="build the held-out corpus (corpus/heldout) instead of the main one")
    ap.add_argument("--heldout2", action="store_true",
                    help="build the second held-out corpus (corpus/heldout2) instead")
    ap.add_argument("--heldout3", action="store_true",
                    help="build the third held-out corpus (corpus/heldout3) instead")
    args = ap.parse_args(argv)
    for held_out_set in ("heldout", "heldout2", "heldout3"):
        if getattr(args, held_out_set):
            from .heldout.generate import run_set
            return run_set(held_out_set, args.only, args.no_pdf)

    specs = documents.ALL
    if args.only:
        specs = [s for s in specs if s.name in set(args.only)]
        unknown = set(args.only) - {s.name for s in specs}
        if unknown:
            print(f"unknown stems: {sorted(unknown)}", file=sys.stderr)
            return 2
    SAMPLES.mkdir(exist_ok=True)
    TRUTH.mkdir(exist_ok=True)
    try:
        built = []
        for spec in specs:
            docx_name = f"{spec.name}.docx"
            truth, places = build(spec, docx_name, "docx")
            if args.truth_only:
                # the truth must describe the sample as it is: a spec whose text changed
                # needs the samples made again
                sample = SAMPLES / docx_name
                if not sample.is_file() or sample.read_bytes() != build_docx(spec):
                    print(f"--truth-only: {docx_name} is missing or not what its spec gives; "
                          "run without --truth-only", file=sys.stderr)
                    return 1
            else:
                (SAMPLES / docx_name).write_bytes(build_docx(spec))
            write_json(TRUTH / f"{docx_name}.json", truth)
            built.append((spec, truth, places))
            print(f"wrote {docx_name}: {len(truth['headings'])} headings, "
                  f"{len(truth['indicators'])} indicators")
        pdf_specs = [b for b in built if b[0].pdf]
        if pdf_specs and args.truth_only and not args.no_pdf:
            for spec, truth, places in pdf_specs:
                src = SAMPLES / f"{spec.name}.pdf"
                if not src.is_file():
                    print(f"--truth-only: {src.name} is not in the samples; run without it",
                          file=sys.stderr)
                    return 1
                pdf_truth = relocate(spec, truth, places, src)
                write_json(TRUTH / f"{spec.name}.pdf.json", pdf_truth)
                print(f"wrote {spec.name}.pdf truth: {pdf_truth['page_count']} pages")
        elif pdf_specs and not args.no_pdf:
            with tempfile.TemporaryDirectory(prefix="corpus_pdf_") as tmp:
                tmpdir = Path(tmp)
                convert([SAMPLES / f"{s.name}.docx" for s, _, _ in pdf_specs], tmpdir)
                for spec, truth, places in pdf_specs:
                    src = tmpdir / f"{spec.name}.pdf"
                    pdf_truth = relocate(spec, truth, places, src)
                    shutil.copyfile(src, SAMPLES / f"{spec.name}.pdf")
                    write_json(TRUTH / f"{spec.name}.pdf.json", pdf_truth)
                    print(f"wrote {spec.name}.pdf: {pdf_truth['page_count']} pages")
    except SpecError as e:
        print(f"corpus spec error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
