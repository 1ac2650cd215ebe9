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
from dataclasses import dataclass
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
# Tags compared once per element in the walk, spelled out once here.
_P, _TBL, _SDT, _SDT_CONTENT, _CUSTOM_XML = (W + t for t in ("p", "tbl", "sdt", "sdtContent", "customXml"))
_ALTERNATE = MC + "AlternateContent"
_PPR, _PSTYLE, _NUMPR, _SECTPR = (W + t for t in ("pPr", "pStyle", "numPr", "sectPr"))
_PAGE_BREAK_BEFORE, _OUTLINE_LVL, _JC = (W + t for t in ("pageBreakBefore", "outlineLvl", "jc"))
_R, _RPR, _RSTYLE, _VANISH, _B, _SZ = (W + t for t in ("r", "rPr", "rStyle", "vanish", "b", "sz"))
_T, _BR, _RENDERED_BREAK, _NO_BREAK_HYPHEN, _SYM = (
    W + t for t in ("t", "br", "lastRenderedPageBreak", "noBreakHyphen", "sym"))
_BR_TYPE = W + "type"
_SPACES = {W + t for t in ("tab", "ptab", "cr")}
_SHAPES = {W + t for t in ("drawing", "pict", "object")}
_MATHS = {M + "oMath", M + "oMathPara"}
_M_T = M + "t"
_TR, _TRPR, _TBL_HEADER, _GRID_BEFORE = (W + t for t in ("tr", "trPr", "tblHeader", "gridBefore"))
_TC, _TCPR, _GRID_SPAN, _VMERGE, _HMERGE = (W + t for t in ("tc", "tcPr", "gridSpan", "vMerge", "hMerge"))
_NO_PROPS: dict = {}


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

class _Runs:
    """Text and character formatting collected from one paragraph's runs."""

    __slots__ = ("pieces", "sizes", "bold_chars", "chars", "first_page", "textboxes")

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.sizes: dict[float, int] = {}   # points -> visible characters
        self.bold_chars = 0
        self.chars = 0
        self.first_page: int | None = None
        self.textboxes: list = []           # w:txbxContent elements


class _ParaOut:
    __slots__ = ("text", "label", "page", "runs", "props", "style_id")

    def __init__(self, text: str, label: str, page: int, runs: _Runs, props: dict,
                 style_id: str | None) -> None:
        self.text = text
        self.label = label
        self.page = page
        self.runs = runs
        self.props = props          # the w:pPr children by tag (see _first_children)
        self.style_id = style_id


@dataclass(frozen=True)
class _ParaStyle:
    """What a paragraph style gives a paragraph without direct formatting."""

    name: str | None
    outline_level: int | None
    centered: bool
    page_break_before: bool


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
        self.para_sizes: list[tuple[Paragraph, dict[float, int]]] = []
        # Answers that depend only on the styles part, asked for every paragraph or
        # run: worked out once per style (this document's styles only).
        self._para_styles: dict[str | None, _ParaStyle] = {}
        self._run_formats: dict[tuple, tuple[bool, bool, float]] = {}

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
            if tag == _P:
                self._body_paragraph(child, source)
            elif tag == _TBL:
                self._emit_table(child, source)
            elif tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    self._blocks(content, source)
            elif tag == _CUSTOM_XML:
                self._blocks(child, source)
            elif tag == _ALTERNATE:
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
        self._after_paragraph(out.props)

    def _append_paragraph(self, out: _ParaOut, source: str, locator: str) -> None:
        runs, props = out.runs, out.props
        style = self._para_style(out.style_id)
        outline = props.get(_OUTLINE_LVL)
        jc = props.get(_JC)
        para = Paragraph(
            text=out.text,
            page=out.page,
            locator=locator,
            label=out.label,
            style=style.name,
            outline_level=style.outline_level if outline is None else outline_value(outline),
            bold=(runs.bold_chars == runs.chars) if runs.chars else None,
            font_size=_dominant(runs.sizes),
            centered=style.centered if jc is None else w_val(jc) == "center",
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

    def _after_paragraph(self, props: dict) -> None:
        if not self.count_pages or props.get(_SECTPR) is None:
            return
        # this paragraph ends a section; the next section's w:type says how it starts
        self.section_index += 1
        if self.section_index < len(self.sections):
            kind = w_val(self.sections[self.section_index].find(W + "type"), "nextPage")
            if kind in _NEW_PAGE_SECTIONS:
                self.pages.explicit_break()
        self.section_start_pages.append(self.pages.page)

    # -- styles, once per style ----------------------------------------------------
    def _para_style(self, style_id: str | None) -> _ParaStyle:
        style = self._para_styles.get(style_id)
        if style is None:
            styles = self.styles
            style = self._para_styles[style_id] = _ParaStyle(
                name=styles.name(style_id),
                outline_level=styles.outline_level(style_id),
                centered=w_val(styles.para_prop(style_id, "jc")) == "center",
                page_break_before=bool(on_off(styles.para_prop(style_id, "pageBreakBefore"))))
        return style

    def _style_run_format(self, char_style: str | None, style_id: str | None) -> tuple[bool, bool, float]:
        """(hidden, bold, size in points) of a run with no direct formatting."""
        key = (char_style, style_id)
        fmt = self._run_formats.get(key)
        if fmt is None:
            styles = self.styles
            fmt = self._run_formats[key] = (
                bool(on_off(styles.run_prop(char_style, style_id, "vanish"))),
                bool(on_off(styles.run_prop(char_style, style_id, "b"))),
                _size_points(styles.run_prop(char_style, style_id, "sz")))
        return fmt

    def _run_format(self, rpr, style_id: str | None) -> tuple[bool, bool, float]:
        """(hidden, bold, size): the run's own w:rPr first, then the styles."""
        if rpr is None:
            return self._style_run_format(None, style_id)
        props = _first_children(rpr)
        hidden, bold, size = self._style_run_format(w_val(props.get(_RSTYLE)), style_id)
        el = props.get(_VANISH)
        if el is not None:
            hidden = bool(on_off(el))
        el = props.get(_B)
        if el is not None:
            bold = bool(on_off(el))
        el = props.get(_SZ)
        if el is not None:
            size = _size_points(el)
        return hidden, bold, size

    # -- paragraph level ---------------------------------------------------------
    def _paragraph(self, p, in_table: bool) -> _ParaOut:
        children = p[:]
        ppr = _child(children, _PPR)
        props = _first_children(ppr) if ppr is not None else _NO_PROPS
        style_id = self.styles.known_para_style(w_val(props.get(_PSTYLE)))
        if self.count_pages and not in_table and self._page_break_before(props, style_id):
            self.pages.explicit_break()
        numbered = self.numbering.label_numpr(props.get(_NUMPR), style_id)
        runs = _Runs()
        self._inline(children, runs, style_id)
        raw = "".join(runs.pieces)
        page = runs.first_page if runs.first_page is not None else self.pages.page
        text = clean_line(raw)
        if not text:
            return _ParaOut("", "", page, runs, props, style_id)
        label = ""
        if numbered:
            label, sep = numbered
            text = clean_line(label + sep + raw)
        return _ParaOut(text, label, page, runs, props, style_id)

    def _page_break_before(self, props: dict, style_id) -> bool:
        el = props.get(_PAGE_BREAK_BEFORE)
        if el is None:
            return self._para_style(style_id).page_break_before
        return bool(on_off(el))

    def _inline(self, children, runs: _Runs, style_id) -> None:
        """Read the runs among `children` (an element or a list of elements)."""
        for child in children:
            tag = child.tag
            if tag == _R:
                self._run(child, runs, style_id)
            elif tag in _RUN_CONTAINERS:
                self._inline(child, runs, style_id)
            elif tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    self._inline(content, runs, style_id)
            elif tag == _ALTERNATE:
                branch = _alternate_branch(child)
                if branch is not None:
                    self._inline(branch, runs, style_id)
            elif tag in _MATHS:
                text = "".join(t.text or "" for t in child.iter(_M_T))
                _, bold, size = self._style_run_format(None, style_id)
                self._add_text(runs, text, bold, size)

    def _run(self, r, runs: _Runs, style_id) -> None:
        children = r[:]
        hidden, bold, size = self._run_format(_child(children, _RPR), style_id)
        if hidden:
            return
        for child in children:
            tag = child.tag
            if tag == _T:
                self._add_text(runs, child.text or "", bold, size)
            elif tag in _SPACES:
                runs.pieces.append(" ")
            elif tag == _BR:
                if child.get(_BR_TYPE) == "page":
                    if self.count_pages:
                        self.pages.explicit_break()
                runs.pieces.append(" ")
            elif tag == _RENDERED_BREAK:
                if self.count_pages:
                    self.pages.rendered_break()
            elif tag == _NO_BREAK_HYPHEN:
                self._add_text(runs, "-", bold, size)
            elif tag == _SYM:
                ch = _symbol(child)
                if ch:
                    self._add_text(runs, ch, bold, size)
            elif tag in _SHAPES:
                _find_textboxes(child, runs.textboxes)
            elif tag == _ALTERNATE:
                branch = _alternate_branch(child)
                if branch is not None:
                    _find_textboxes(branch, runs.textboxes)

    def _add_text(self, runs: _Runs, text: str, bold: bool, size: float) -> None:
        if not text:
            return
        runs.pieces.append(text)
        # str.split() splits at exactly the characters str.isspace() calls space
        visible = sum(map(len, text.split()))
        if not visible:
            return
        if self.count_pages:
            self.pages.text_seen()
        if runs.first_page is None:
            runs.first_page = self.pages.page
        runs.chars += visible
        if bold:
            runs.bold_chars += visible
        sizes = runs.sizes
        sizes[size] = sizes.get(size, 0) + visible

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
        row_elements = list(_children(tbl, _TR))
        if not row_elements:
            return None
        owner_at: dict[tuple[int, int], Cell] = {}
        rows: list[list[Cell]] = []
        header_rows = 0
        counting_header = True
        first_page = None
        pages_seen: list[int] = []
        for r, tr in enumerate(row_elements):
            trpr = _child(tr, _TRPR)
            is_header = bool(on_off(_child(trpr, _TBL_HEADER))) if trpr is not None else False
            if counting_header and is_header:
                header_rows += 1
            else:
                counting_header = False
            col = _int(w_val(_child(trpr, _GRID_BEFORE)) if trpr is not None else None, 0)
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
        for tc in _children(tr, _TC):
            tcpr = _child(tc, _TCPR)
            props = _first_children(tcpr) if tcpr is not None else _NO_PROPS
            span = max(1, _int(w_val(props.get(_GRID_SPAN)), 1))
            vmerge = props.get(_VMERGE)
            hmerge = props.get(_HMERGE)
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
        texts: list[tuple[str, int | None]] = []
        self._cell_texts(tc, texts)
        if not texts:
            return "", None
        first_page = next((page for _, page in texts if page is not None), None)
        return clean_line(_join_texts([text for text, _ in texts])), first_page

    def _cell_texts(self, container, out: list[tuple[str, int | None]]) -> None:
        """(text, page) of a cell in order: its paragraphs, its text boxes, nested tables flattened."""
        for child in container:
            tag = child.tag
            if tag == _P:
                para = self._paragraph(child, in_table=True)
                if para.text:
                    out.append((para.text, para.page))
                for box in para.runs.textboxes:
                    saved, self.count_pages = self.count_pages, False
                    try:
                        self._cell_texts(box, out)
                    finally:
                        self.count_pages = saved
            elif tag == _TBL:
                nested = self._table(child)
                if nested is not None:
                    for row in nested[0]:
                        for cell in row:
                            if cell.text:
                                out.append((cell.text, nested[2]))
            elif tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    self._cell_texts(content, out)
            elif tag == _CUSTOM_XML:
                self._cell_texts(child, out)
            elif tag == _ALTERNATE:
                branch = _alternate_branch(child)
                if branch is not None:
                    self._cell_texts(branch, out)

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


def _child(children, tag: str):
    """The first of `children` (an element or a list of its children) with `tag`:
    `el.find(tag)`, without the cost of lxml's path machinery."""
    for child in children:
        if child.tag == tag:
            return child
    return None


def _first_children(el) -> dict:
    """Each child tag's first child, which is what `el.find(tag)` returns: one pass
    over a property element instead of one search per property."""
    first: dict = {}
    for child in el:
        first.setdefault(child.tag, child)
    return first


def _size_points(sz) -> float:
    """A w:sz element (half-points) in points; Word's default when absent or junk."""
    try:
        return int(w_val(sz)) / 2 if sz is not None else _DEFAULT_SIZE_PT
    except (TypeError, ValueError):
        return _DEFAULT_SIZE_PT


def _dominant(sizes: dict[float, int]) -> float | None:
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
        child_tag = child.tag
        if child_tag == tag:
            yield child
        elif child_tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child_tag == _CUSTOM_XML:
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
