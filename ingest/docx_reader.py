"""DOCX: python-docx for the package, our own walk of the body XML for the content.

python-docx's `document.paragraphs` misses content controls and text boxes,
`paragraph.text` misses Word's automatic numbering and `row.cells` repeats merged
cells, so the body is walked element by element in reading order:

- `w:p` and `w:tbl` as they come; block- and run-level content controls
  (`w:sdt`), `w:customXml`, hyperlinks, simple fields and tracked insertions are
  entered; tracked deletions are skipped; runs hidden with `w:vanish` are not text;
- a text box (`w:txbxContent`) is read once: of an `mc:AlternateContent` we read the
  `mc:Choice` (DrawingML) and skip the `mc:Fallback` (its VML duplicate). Each text
  box paragraph becomes its own Paragraph (source "textbox", locator tb{n}) right
  after the paragraph that anchors it; inside a table cell it joins the cell text;
- numbering is rendered by `docx_numbering.Numbering`, styles resolved by
  `docx_styles.StyleSheet`;
- tables are read from their `w:tc` elements: gridSpan gives colspan, vMerge
  restart/continue gives rowspan, so every merged cell is listed once; a nested
  table is flattened into the text of the cell that holds it;
- headers and footers of every section go to `Document.headers`, never to blocks.

Page numbers. A DOCX has no pages; Word lays them out when it opens the file.
We count page starts in reading order from
  1. explicit breaks: `w:br w:type="page"`, `w:pageBreakBefore` (paragraph or its
     style chain; ignored inside tables, as Word does), and section breaks whose
     next section starts on a new page (`w:type` nextPage, oddPage, evenPage; a
     missing type means nextPage);
  2. Word's rendered page breaks, `w:lastRenderedPageBreak`, which Word writes
     where its own layout started a page when it last saved the file.
When the file has any rendered breaks they are preferred (they include the pages
that text flowing over the page end starts) and an explicit break counts only
when no rendered break follows it before the next visible text (Word writes one
right after each explicit break it laid out). Without rendered breaks (files made
by python-docx, WPS or converters) only explicit breaks are counted, so a page
that text simply flows onto is missed. Either way the numbers are estimates and
`Document.page_note` says so (W003). A paragraph's page is the page of its first
visible character; a table's `pages` runs from its first to its last page.
"""
from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO

from .docx_numbering import MC, Numbering
from .docx_styles import W, StyleSheet, on_off, outline_value, w_val
from .errors import ScreenError, warning_text
from .model import Cell, Document, Paragraph, Table
from .normalize import clean_line
from .zipguard import check_members

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"

MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# A member smaller than this cannot hurt whatever its ratio (very repetitive XML
# legitimately compresses better than 200:1); the total limit still applies.
RATIO_CHECK_FLOOR = 1024 * 1024

_NEW_PAGE_SECTIONS = {"nextPage", "oddPage", "evenPage"}
_DEFAULT_SIZE_PT = 10.0  # w:sz absent everywhere: Word's built-in 10 pt
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
                  r"，。、；：？！“”‘’（）《》【】]")
# Containers whose children are read as if they stood in the parent.
_RUN_CONTAINERS = {W + t for t in ("hyperlink", "smartTag", "customXml", "ins", "fldSimple",
                                   "dir", "bdo", "moveTo")}
_SKIPPED = {W + t for t in ("del", "moveFrom", "pPr", "rPr")}


# -- the package ------------------------------------------------------------------

def _guard_zip(data: bytes, name: str) -> None:
    """Refuse zip bombs before python-docx inflates anything."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ScreenError("E006", path=name, detail=f"zip: {exc}"[:200]) from None
    total = 0
    for info in infos:
        total += info.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ScreenError("E009", path=name,
                              detail=f"uncompressed size over {MAX_UNCOMPRESSED_BYTES // 2**20} MB")
        if (info.file_size > RATIO_CHECK_FLOOR
                and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
            ratio = info.file_size // max(info.compress_size, 1)
            raise ScreenError("E009", path=name,
                              detail=f"{info.filename} compression ratio {ratio}:1")
    # the declared sizes can lie: inflate each member within its declared size once
    check_members(data, infos, name)


def _open_package(data: bytes, name: str):
    import docx  # imported here so the other readers do not pay for it

    try:
        return docx.Document(BytesIO(data))
    except ScreenError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # BadZipFile, KeyError (missing part), XMLSyntaxError, ValueError
        raise ScreenError("E006", path=name, detail=f"{type(exc).__name__}: {exc}"[:200]) from None


def _related_element(part, reltype: str):
    try:
        return part.part_related_by(reltype).element
    except (KeyError, AttributeError):
        return None


# -- page counting ----------------------------------------------------------------

class _Pages:
    """The running page number (see the module docstring for the method)."""

    def __init__(self, rendered: bool) -> None:
        self.page = 1
        self.rendered = rendered
        self._unconfirmed = False  # an explicit break not yet matched by a rendered one
        # Word marks a rendered break in every cell of a row that moves or splits onto
        # the next page: inside one table row only the first one counts.
        self.row_break_seen: bool | None = None  # None = not inside a table row

    def explicit_break(self) -> None:
        self.page += 1
        self._unconfirmed = self.rendered

    def rendered_break(self) -> None:
        if not self.rendered:
            return
        if self.row_break_seen:
            return
        if self.row_break_seen is False:
            self.row_break_seen = True
        if self._unconfirmed:
            self._unconfirmed = False  # Word's own mark for the break we already counted
        else:
            self.page += 1

    def text_seen(self) -> None:
        self._unconfirmed = False


# -- one paragraph's content -----------------------------------------------------

@dataclass
class _Runs:
    """Text and character formatting collected from one paragraph's runs."""

    pieces: list[str] = field(default_factory=list)
    sizes: Counter = field(default_factory=Counter)   # points -> visible characters
    bold_chars: int = 0
    chars: int = 0
    first_page: int | None = None
    textboxes: list = field(default_factory=list)      # w:txbxContent elements


@dataclass
class _ParaOut:
    text: str
    label: str
    page: int
    runs: _Runs
    ppr: object
    style_id: str | None


class _Reader:
    def __init__(self, document, doc: Document) -> None:
        self.doc = doc
        self.document = document
        part = document.part
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        self.styles = StyleSheet(_related_element(part, RT.STYLES))
        self.numbering = Numbering(_related_element(part, RT.NUMBERING), self.styles)
        self.body = document.element.body
        self.pages = _Pages(rendered=next(self.body.iter(W + "lastRenderedPageBreak"), None) is not None)
        self.count_pages = True
        self.sections = _section_properties(self.body)
        self.section_index = 0
        self.section_start_pages = [1]
        self.n_paragraphs = self.n_tables = self.n_textbox = 0
        self.para_sizes: list[tuple[Paragraph, Counter]] = []

    # -- block level -----------------------------------------------------------
    def read_body(self) -> None:
        self._blocks(self.body, source="body")
        self.doc.pages = self.pages.page
        self._size_ratios()
        self._headers_and_footers()
        self.doc.page_note = warning_text("W003")

    def _blocks(self, container, source: str) -> None:
        for child in container:
            tag = child.tag
            if tag == W + "p":
                self._body_paragraph(child, source)
            elif tag == W + "tbl":
                self._emit_table(child, source)
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self._blocks(content, source)
            elif tag == W + "customXml":
                self._blocks(child, source)
            elif tag == MC + "AlternateContent":
                branch = _alternate_branch(child)
                if branch is not None:
                    self._blocks(branch, source)

    def _body_paragraph(self, p, source: str) -> None:
        out = self._paragraph(p, in_table=False)
        if out.text:
            if source == "textbox":
                self.n_textbox += 1
                locator = f"tb{self.n_textbox}"
            else:
                self.n_paragraphs += 1
                locator = f"p{self.n_paragraphs}"
            self._append_paragraph(out, source, locator)
        for box in out.runs.textboxes:
            self._textbox(box)
        self._after_paragraph(out.ppr)

    def _append_paragraph(self, out: _ParaOut, source: str, locator: str) -> None:
        runs = out.runs
        font_size = _dominant(runs.sizes)
        para = Paragraph(
            text=out.text,
            page=out.page,
            locator=locator,
            label=out.label,
            style=self.styles.name(out.style_id),
            outline_level=self._outline_level(out.ppr, out.style_id),
            bold=(runs.bold_chars == runs.chars) if runs.chars else None,
            font_size=font_size,
            centered=self._centered(out.ppr, out.style_id),
            source=source,  # type: ignore[arg-type]
        )
        self.doc.blocks.append(para)
        self.para_sizes.append((para, runs.sizes))

    def _textbox(self, box) -> None:
        saved, self.count_pages = self.count_pages, False  # a shape does not break the page
        try:
            self._blocks(box, source="textbox")
        finally:
            self.count_pages = saved

    def _after_paragraph(self, ppr) -> None:
        if ppr is None or not self.count_pages or ppr.find(W + "sectPr") is None:
            return
        # this paragraph ends a section; the next section's w:type says how it starts
        self.section_index += 1
        if self.section_index < len(self.sections):
            kind = w_val(self.sections[self.section_index].find(W + "type"), "nextPage")
            if kind in _NEW_PAGE_SECTIONS:
                self.pages.explicit_break()
        self.section_start_pages.append(self.pages.page)

    # -- paragraph level ---------------------------------------------------------
    def _paragraph(self, p, in_table: bool) -> _ParaOut:
        ppr = p.find(W + "pPr")
        style_id = self.styles.para_style_id(ppr)
        if self.count_pages and not in_table and self._page_break_before(ppr, style_id):
            self.pages.explicit_break()
        numbered = self.numbering.label(ppr, style_id)
        runs = _Runs()
        self._inline(p, runs, style_id)
        raw = "".join(runs.pieces)
        page = runs.first_page if runs.first_page is not None else self.pages.page
        if not clean_line(raw):
            return _ParaOut("", "", page, runs, ppr, style_id)
        label = ""
        if numbered:
            label, sep = numbered
            raw = label + sep + raw
        return _ParaOut(clean_line(raw), label, page, runs, ppr, style_id)

    def _page_break_before(self, ppr, style_id) -> bool:
        el = ppr.find(W + "pageBreakBefore") if ppr is not None else None
        if el is None:
            el = self.styles.para_prop(style_id, "pageBreakBefore")
        return bool(on_off(el))

    def _inline(self, el, runs: _Runs, style_id) -> None:
        for child in el:
            tag = child.tag
            if tag == W + "r":
                self._run(child, runs, style_id)
            elif tag in _RUN_CONTAINERS:
                self._inline(child, runs, style_id)
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self._inline(content, runs, style_id)
            elif tag == MC + "AlternateContent":
                branch = _alternate_branch(child)
                if branch is not None:
                    self._inline(branch, runs, style_id)
            elif tag in (M + "oMath", M + "oMathPara"):
                text = "".join(t.text or "" for t in child.iter(M + "t"))
                self._add_text(runs, text, None, style_id)

    def _run(self, r, runs: _Runs, style_id) -> None:
        rpr = r.find(W + "rPr")
        char_style = w_val(rpr.find(W + "rStyle")) if rpr is not None else None
        if self._run_flag(rpr, char_style, style_id, "vanish"):
            return
        for child in r:
            tag = child.tag
            if tag == W + "t":
                self._add_text(runs, child.text or "", r, style_id)
            elif tag in (W + "tab", W + "ptab", W + "cr"):
                runs.pieces.append(" ")
            elif tag == W + "br":
                if child.get(W + "type") == "page":
                    if self.count_pages:
                        self.pages.explicit_break()
                runs.pieces.append(" ")
            elif tag == W + "lastRenderedPageBreak":
                if self.count_pages:
                    self.pages.rendered_break()
            elif tag == W + "noBreakHyphen":
                self._add_text(runs, "-", r, style_id)
            elif tag == W + "sym":
                ch = _symbol(child)
                if ch:
                    self._add_text(runs, ch, r, style_id)
            elif tag in (W + "drawing", W + "pict", W + "object"):
                _find_textboxes(child, runs.textboxes)
            elif tag == MC + "AlternateContent":
                branch = _alternate_branch(child)
                if branch is not None:
                    _find_textboxes(branch, runs.textboxes)

    def _add_text(self, runs: _Runs, text: str, r, style_id) -> None:
        if not text:
            return
        runs.pieces.append(text)
        visible = sum(1 for ch in text if not ch.isspace())
        if not visible:
            return
        if self.count_pages:
            self.pages.text_seen()
        if runs.first_page is None:
            runs.first_page = self.pages.page
        rpr = r.find(W + "rPr") if r is not None else None
        char_style = w_val(rpr.find(W + "rStyle")) if rpr is not None else None
        runs.chars += visible
        if self._run_flag(rpr, char_style, style_id, "b"):
            runs.bold_chars += visible
        runs.sizes[self._run_size(rpr, char_style, style_id)] += visible

    def _run_flag(self, rpr, char_style, style_id, tag: str) -> bool:
        el = rpr.find(W + tag) if rpr is not None else None
        if el is None:
            el = self.styles.run_prop(char_style, style_id, tag)
        return bool(on_off(el))

    def _run_size(self, rpr, char_style, style_id) -> float:
        el = rpr.find(W + "sz") if rpr is not None else None
        if el is None:
            el = self.styles.run_prop(char_style, style_id, "sz")
        try:
            return int(w_val(el)) / 2 if el is not None else _DEFAULT_SIZE_PT
        except (TypeError, ValueError):
            return _DEFAULT_SIZE_PT

    def _outline_level(self, ppr, style_id) -> int | None:
        el = ppr.find(W + "outlineLvl") if ppr is not None else None
        if el is not None:
            return outline_value(el)
        return self.styles.outline_level(style_id)

    def _centered(self, ppr, style_id) -> bool:
        el = ppr.find(W + "jc") if ppr is not None else None
        if el is None:
            el = self.styles.para_prop(style_id, "jc")
        return w_val(el) == "center"

    # -- tables -------------------------------------------------------------------
    def _emit_table(self, tbl, source: str) -> None:
        start_page = self.pages.page
        table = self._table(tbl)
        if table is None:
            return
        rows, header_rows, first_page = table
        first = first_page if first_page is not None else start_page
        if source == "textbox":
            # a table in a text box: one text box paragraph per row
            for row in rows:
                text = clean_line(" ".join(c.text for c in row))
                if text:
                    self.n_textbox += 1
                    self.doc.blocks.append(Paragraph(text=text, page=first,
                                                     locator=f"tb{self.n_textbox}", source="textbox"))
            return
        self.n_tables += 1
        n_cols = max((c.col + c.colspan for row in rows for c in row), default=0)
        last = max(self.pages.page, first)
        self.doc.blocks.append(Table(
            rows=rows, page=first, locator=f"t{self.n_tables}",
            header_rows=min(header_rows, len(rows)), n_cols=n_cols,
            pages=list(range(first, last + 1)), source="body"))

    def _table(self, tbl):
        """(rows of Cells, header row count, page of the first text) or None for no rows."""
        row_elements = list(_children(tbl, W + "tr"))
        if not row_elements:
            return None
        owner_at: dict[tuple[int, int], Cell] = {}
        rows: list[list[Cell]] = []
        header_rows = 0
        counting_header = True
        first_page = None
        pages_seen: list[int] = []
        for r, tr in enumerate(row_elements):
            trpr = tr.find(W + "trPr")
            is_header = bool(on_off(trpr.find(W + "tblHeader"))) if trpr is not None else False
            if counting_header and is_header:
                header_rows += 1
            else:
                counting_header = False
            col = _int(w_val(trpr.find(W + "gridBefore")) if trpr is not None else None, 0)
            row_cells: list[Cell] = []
            nested = self.pages.row_break_seen is not None  # a table inside a cell
            if not nested:
                self.pages.row_break_seen = False
            try:
                self._row(tr, r, col, row_cells, owner_at, pages_seen)
            finally:
                if not nested:
                    self.pages.row_break_seen = None
            if first_page is None and pages_seen:
                first_page = pages_seen[0]
            rows.append(row_cells)
        if not any(rows):
            return None
        return rows, (header_rows or 1), first_page

    def _row(self, tr, r: int, col: int, row_cells: list[Cell],
             owner_at: dict[tuple[int, int], Cell], pages_seen: list[int]) -> None:
        for tc in _children(tr, W + "tc"):
            tcpr = tc.find(W + "tcPr")
            span = max(1, _int(w_val(tcpr.find(W + "gridSpan")) if tcpr is not None else None, 1))
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            hmerge = tcpr.find(W + "hMerge") if tcpr is not None else None
            text, page = self._cell_text(tc)
            if page is not None:
                pages_seen.append(page)
            above = owner_at.get((r - 1, col))
            if (vmerge is not None and w_val(vmerge, "continue") == "continue"
                    and above is not None and above.col == col):
                above.rowspan = r - above.row + 1
                above.text = _join_texts([above.text, text]) if text else above.text
                cell = above
            elif (hmerge is not None and w_val(hmerge, "continue") == "continue"
                  and row_cells and row_cells[-1].col + row_cells[-1].colspan == col):
                cell = row_cells[-1]
                cell.colspan += span
                cell.text = _join_texts([cell.text, text]) if text else cell.text
            else:
                cell = Cell(text=text, row=r, col=col, rowspan=1, colspan=span)
                row_cells.append(cell)
            for k in range(col, col + span):
                owner_at[(r, k)] = cell
            col += span

    def _cell_text(self, tc) -> tuple[str, int | None]:
        pieces: list[str] = []
        first_page = None
        for kind, value, page in self._cell_items(tc):
            if kind == "text":
                pieces.append(value)
                if first_page is None:
                    first_page = page
        return clean_line(_join_texts(pieces)), first_page

    def _cell_items(self, container):
        """Texts of a cell in order: its paragraphs, its text boxes, nested tables flattened."""
        for child in container:
            tag = child.tag
            if tag == W + "p":
                out = self._paragraph(child, in_table=True)
                if out.text:
                    yield "text", out.text, out.page
                for box in out.runs.textboxes:
                    saved, self.count_pages = self.count_pages, False
                    try:
                        yield from self._cell_items(box)
                    finally:
                        self.count_pages = saved
            elif tag == W + "tbl":
                nested = self._table(child)
                if nested is not None:
                    for row in nested[0]:
                        for cell in row:
                            if cell.text:
                                yield "text", cell.text, nested[2]
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    yield from self._cell_items(content)
            elif tag == W + "customXml":
                yield from self._cell_items(child)
            elif tag == MC + "AlternateContent":
                branch = _alternate_branch(child)
                if branch is not None:
                    yield from self._cell_items(branch)

    # -- after the body --------------------------------------------------------------
    def _size_ratios(self) -> None:
        total: Counter = Counter()
        for _, sizes in self.para_sizes:
            total.update(sizes)
        if not total:
            return
        # the most characters; on a tie the smaller size (headings are the larger ones)
        body_size = min(total, key=lambda s: (-total[s], s))
        for para, _ in self.para_sizes:
            if para.font_size:
                para.size_ratio = round(para.font_size / body_size, 3)

    def _headers_and_footers(self) -> None:
        numbering, self.numbering = self.numbering, self.numbering.fresh()
        self.count_pages = False
        seen: set[str] = set()
        counts = {"header": 0, "footer": 0}
        try:
            for index, sect in enumerate(self.sections):
                page = self.section_start_pages[min(index, len(self.section_start_pages) - 1)]
                for ref in sect:
                    if ref.tag == W + "headerReference":
                        source = "header"
                    elif ref.tag == W + "footerReference":
                        source = "footer"
                    else:
                        continue
                    rid = ref.get(R + "id")
                    part = self.document.part.related_parts.get(rid) if rid else None
                    element = getattr(part, "element", None)
                    if element is None or str(part.partname) in seen:
                        continue
                    seen.add(str(part.partname))
                    for text in self._story_texts(element):
                        counts[source] += 1
                        prefix = "hdr" if source == "header" else "ftr"
                        self.doc.headers.append(Paragraph(
                            text=text, page=page, locator=f"{prefix}{counts[source]}",
                            source=source))  # type: ignore[arg-type]
        finally:
            self.numbering = numbering

    def _story_texts(self, container):
        """Paragraph texts of a header or footer: paragraphs, text boxes, one line per table row."""
        for child in container:
            tag = child.tag
            if tag == W + "p":
                out = self._paragraph(child, in_table=True)
                if out.text:
                    yield out.text
                for box in out.runs.textboxes:
                    yield from self._story_texts(box)
            elif tag == W + "tbl":
                table = self._table(child)
                if table is not None:
                    for row in table[0]:
                        text = clean_line(" ".join(c.text for c in row if c.text))
                        if text:
                            yield text
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    yield from self._story_texts(content)
            elif tag == W + "customXml":
                yield from self._story_texts(child)


# -- helpers ------------------------------------------------------------------------

def _int(value, default):
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _dominant(sizes: Counter) -> float | None:
    if not sizes:
        return None
    return max(sizes, key=lambda s: (sizes[s], s))


def _join_texts(pieces: list[str]) -> str:
    """Join cell paragraphs: nothing between two CJK characters, else one space."""
    out = ""
    for piece in pieces:
        if not piece:
            continue
        if out and not (_CJK.match(out[-1]) and _CJK.match(piece[0])):
            out += " "
        out += piece
    return out


def _children(el, tag: str):
    """Children with `tag`, looking through content controls and customXml wrappers
    (a row or cell may sit inside a row- or cell-level w:sdt)."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == W + "customXml":
            yield from _children(child, tag)


def _alternate_branch(alt):
    """The branch of mc:AlternateContent to read: the first mc:Choice, unless only
    the mc:Fallback holds a text box."""
    choices = alt.findall(MC + "Choice")
    fallback = alt.find(MC + "Fallback")
    for choice in choices:
        if next(choice.iter(W + "txbxContent"), None) is not None:
            return choice
    if fallback is not None and next(fallback.iter(W + "txbxContent"), None) is not None:
        return fallback
    return choices[0] if choices else fallback


def _find_textboxes(el, out: list) -> None:
    """The outermost w:txbxContent elements under `el`, reading one branch of each
    mc:AlternateContent so a VML fallback is not read a second time."""
    for child in el:
        if child.tag == W + "txbxContent":
            out.append(child)
        elif child.tag == MC + "AlternateContent":
            branch = _alternate_branch(child)
            if branch is not None:
                _find_textboxes(branch, out)
        else:
            _find_textboxes(child, out)


def _symbol(sym) -> str:
    code = sym.get(W + "char") or ""
    try:
        cp = int(code, 16)
    except ValueError:
        return ""
    if 0xF000 <= cp <= 0xF0FF:  # a Symbol/Wingdings glyph, not a character
        return ""
    return chr(cp)


def _section_properties(body) -> list:
    """Every section's w:sectPr in order: those ending paragraphs, then the body's last."""
    out = []
    for sect in body.iter(W + "sectPr"):
        parent = sect.getparent()
        if parent is body:
            out.append(sect)
        elif parent is not None and parent.tag == W + "pPr":
            grand = parent.getparent()
            if grand is not None and grand.tag == W + "p":
                out.append(sect)
    return out


def read_docx(data: bytes, doc: Document) -> None:
    """Fill `doc` with the blocks, headers, pages and page note of a DOCX file."""
    _guard_zip(data, doc.name)
    document = _open_package(data, doc.name)
    _Reader(document, doc).read_body()
