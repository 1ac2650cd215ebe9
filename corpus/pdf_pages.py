"""PDF side of the corpus: convert with LibreOffice, then find truth pages in the PDF.

Pages in a PDF truth file are where the text really landed, found by searching
the text pypdfium2 extracts from each page (whitespace removed) for a snippet
that occurs exactly once in the whole PDF. Anything not found exactly once
stops the generator: a truth page is never a guess.
"""
from __future__ import annotations

import bisect
import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2

from .layout import layout
from .spec import DocSpec
from .truth import Locatable, SpecError

LO_PROFILE = "file:///tmp/lo_corpus_profile"
# whitespace, and the curly quotes: pypdfium2 returns the quotes of LibreOffice's
# compressed CJK punctuation out of reading order ("提出到“”2025年"), so they are no
# evidence of anything and are dropped on both sides of every comparison
_WS = re.compile(r"[\s“”‘’]+")


def convert(docx_paths: list[Path], outdir: Path) -> None:
    """One sequential LibreOffice run converting all the files."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SpecError("LibreOffice (soffice) is needed to make the PDF samples")
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [soffice, "--headless", f"-env:UserInstallation={LO_PROFILE}",
           "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docx_paths)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    for p in docx_paths:
        if not (outdir / (p.stem + ".pdf")).exists():
            raise SpecError(f"LibreOffice did not convert {p.name}: {proc.stdout} {proc.stderr}")


def squash(text: str) -> str:
    return _WS.sub("", text)


class PdfText:
    def __init__(self, path: Path):
        pdf = pypdfium2.PdfDocument(str(path))
        self.raw: list[str] = []
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                tp = page.get_textpage()
                self.raw.append(tp.get_text_range())
                tp.close()
                page.close()
        finally:
            pdf.close()
        self.pages = [squash(t) for t in self.raw]
        self.all = "".join(self.pages)
        self.starts = []
        pos = 0
        for t in self.pages:
            self.starts.append(pos)
            pos += len(t)
        # lines, for headings: (page, squashed line)
        self.lines = [(n + 1, squash(line)) for n, t in enumerate(self.raw)
                      for line in re.split(r"[\r\n]+", t) if squash(line)]

    def page_at(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def count(self, s: str) -> int:
        return self.all.count(s)

    def unique(self, snippet: str, context: str, what: str) -> int:
        """Page of `snippet`, widening it inside `context` until it occurs once in the PDF."""
        snip, ctx = squash(snippet), squash(context)
        start = ctx.find(snip)
        if start < 0:
            raise SpecError(f"{what}: snippet not in its context")
        a, b = start, start + len(snip)
        grow_right = True
        while True:
            window = ctx[a:b]
            n = self.all.count(window)
            if n == 1:
                at = self.all.index(window) + (start - a)
                return self.page_at(at)
            if n == 0:
                raise SpecError(f"{what}: «{window}» not found in the PDF text")
            if a == 0 and b == len(ctx):
                raise SpecError(f"{what}: «{window}» found {n} times, cannot widen further")
            if (grow_right and b < len(ctx)) or a == 0:
                b += 1
            else:
                a -= 1
            grow_right = not grow_right

    def after(self, snippet: str, offset: int, what: str) -> tuple[int, int]:
        """First occurrence of `snippet` at or after `offset`: (offset, page)."""
        at = self.all.find(squash(snippet), offset)
        if at < 0:
            raise SpecError(f"{what}: «{snippet}» not found after offset {offset}")
        return at, self.page_at(at)


def relocate(spec: DocSpec, truth: dict, places: dict, pdf_path: Path) -> dict:
    """A PDF truth: the DOCX truth with every page replaced by the page found in the PDF."""
    text = PdfText(pdf_path)
    out = dict(truth)
    out["format"] = "pdf"
    out["file"] = pdf_path.name

    # headings: in order, each a whole line (or two wrapped lines) of the PDF,
    # which is what keeps table-of-contents lines (dots, page number) out
    lay = layout(spec)
    cursor = 0
    pages: dict[str, int] = {}
    for h in lay.headings:
        target = squash(h.written)
        for k in range(cursor, len(text.lines)):
            one = text.lines[k][1]
            two = one + (text.lines[k + 1][1] if k + 1 < len(text.lines) else "")
            if one == target or two == target:
                pages.setdefault(h.text, text.lines[k][0])
                cursor = k + 1
                break
        else:
            raise SpecError(f"{spec.name}.pdf: heading «{h.written}» not found as a line")
    out["pages"] = pages

    def locate(place: Locatable, what: str) -> int:
        if place.kind == "para":
            return text.unique(place.snippet, place.context, what)
        # a table: its caption exactly once, then the row label (or, for the table
        # itself, its first header cell) at the first place after the caption
        text.unique(place.caption, place.caption, what + " caption")
        after_caption = text.all.index(squash(place.caption)) + len(squash(place.caption))
        return text.after(place.snippet, after_caption, what)[1]

    out["indicators"] = []
    for entry, place in zip(truth["indicators"], places["indicators"]):
        e = dict(entry)
        e["page"] = locate(place, f"{spec.name}.pdf indicator {entry['key']} «{entry['text']}»")
        out["indicators"].append(e)
    out["requirements"] = []
    for entry, place in zip(truth["requirements"], places["requirements"]):
        e = dict(entry)
        e["page"] = locate(place, f"{spec.name}.pdf requirement «{entry['text']}»")
        out["requirements"].append(e)
    if "table" in truth:
        t = dict(truth["table"])
        t["page"] = locate(places["table"][0], f"{spec.name}.pdf table")
        end = locate(places["table"][1], f"{spec.name}.pdf table end")
        t["pages"] = list(range(t["page"], end + 1))
        out["table"] = t
    if "toc" in truth:
        toc = dict(truth["toc"])
        title_lines = [page for page, line in text.lines if line == "目录"]
        if len(title_lines) != 1:
            raise SpecError(f"{spec.name}.pdf: {len(title_lines)} lines read 目录")
        toc["page"] = title_lines[0]
        out["toc"] = toc
    out["page_count"] = len(text.pages)
    out["page_note"] = "PDF pages: found by searching each page's extracted text"
    return out
