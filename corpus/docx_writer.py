"""Render a DocSpec to DOCX bytes with python-docx (and lxml where python-docx stops).

Deterministic: core properties carry fixed dates, and the zip is rewritten with
fixed member timestamps, so the same spec gives the same bytes.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from .numbering import AUTO_STYLES, label, letter_space
from .spec import Cover, DocSpec, Heading, PageBreak, Para, TableSpec, Toc
from .layout import layout

FIXED_TIME = dt.datetime(2024, 3, 18, 9, 30, 0)
ZIP_TIME = (2024, 3, 18, 9, 30, 0)

BODY_EAST, BODY_LATIN = "宋体", "Times New Roman"
HEAD_EAST = "黑体"
HEADING_SIZES = {1: 16, 2: 14, 3: 12}
ABSTRACT_ID, NUM_ID = 90, 90


def _set_fonts(rpr_owner, east: str, latin: str = BODY_LATIN) -> None:
    """Set eastAsia/ascii fonts on a run or style, dropping theme fonts that would win."""
    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        if attr.endswith("Theme"):
            del rfonts.attrib[attr]
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east)


def _style_setup(doc, spec: DocSpec) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    _set_fonts(normal.element, BODY_EAST)
    pf = normal.paragraph_format
    pf.line_spacing = 1.5
    pf.space_after = Pt(0)
    for level, size in HEADING_SIZES.items():
        st = doc.styles[f"Heading {level}"]
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(st.element, HEAD_EAST if level < 3 else BODY_EAST)
        st.paragraph_format.space_before = Pt(12 if level == 1 else 6)
        st.paragraph_format.space_after = Pt(6)
        st.paragraph_format.keep_with_next = True
    for sec in doc.sections:
        sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
        sec.left_margin = sec.right_margin = Cm(2.8)
        sec.top_margin, sec.bottom_margin = Cm(2.5), Cm(2.5)


def _add_auto_numbering(doc, through_styles: bool) -> None:
    """An abstractNum: 一、 / （一） / 1. (chineseCounting, chineseCounting, decimal)."""
    numbering = doc.part.numbering_part.element
    lvls = []
    fmts = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    for ilvl, (fmt, text) in enumerate(fmts):
        pstyle = f'<w:pStyle w:val="Heading{ilvl + 1}"/>' if through_styles else ""
        lvls.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>')
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{ABSTRACT_ID}">'
        f'<w:multiLevelType w:val="multilevel"/>{"".join(lvls)}</w:abstractNum>')
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{NUM_ID}">'
                    f'<w:abstractNumId w:val="{ABSTRACT_ID}"/></w:num>')
    # abstractNum elements must all precede the num elements
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    if through_styles:
        for level in (1, 2, 3):
            ppr = doc.styles[f"Heading {level}"].element.get_or_add_pPr()
            ppr.insert(0, parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level - 1}"/>'
                f'<w:numId w:val="{NUM_ID}"/></w:numPr>'))


def _para_numpr(paragraph, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level - 1}"/>'
                            f'<w:numId w:val="{NUM_ID}"/></w:numPr>'))


def _first_line_indent(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = ppr.makeelement(qn("w:ind"), {})
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), "200")
    ind.set(qn("w:firstLine"), "480")


def _run(paragraph, text: str, size: float | None = None, bold: bool = False,
         east: str | None = None):
    run = paragraph.add_run(text)
    if size:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if east:
        _set_fonts(run._r, east)
    return run


def _write_heading(doc, spec: DocSpec, h: Heading, counters: list[int]):
    lab = h.number if h.number is not None else label(spec.numbering, counters, h.level)
    title = letter_space(h.title) if h.spaced else h.title
    if spec.numbering == "word_auto":
        # numbering comes from the heading style's numPr; the text carries no number
        p = doc.add_paragraph(style=f"Heading {h.level}")
        _run(p, title)
    elif spec.numbering == "word_auto_para":
        # a plain body style with outline level and paragraph-level numPr
        p = doc.add_paragraph()
        _para_numpr(p, h.level)
        ppr = p._p.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{h.level - 1}"/>'))
        _run(p, title, size=HEADING_SIZES[h.level], bold=True, east=HEAD_EAST)
    elif spec.heading_styles:
        p = doc.add_paragraph(style=f"Heading {h.level}")
        _run(p, lab + title)
    else:
        # typed headings in Normal style, made to look like headings by hand
        p = doc.add_paragraph()
        _run(p, lab + title, size=HEADING_SIZES[h.level] if h.level < 3 else None,
             bold=True, east=HEAD_EAST if h.level < 3 else None)
    if h.spaced or (h.level == 1 and spec.center_chapters):
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def _write_para(doc, para: Para) -> None:
    p = doc.add_paragraph()
    if para.align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif para.align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif para.indent:
        _first_line_indent(p)
    _run(p, para.text, bold=para.bold)


def _write_table(doc, t: TableSpec) -> None:
    if t.caption:
        cap = doc.add_paragraph()
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap.paragraph_format.keep_with_next = True   # a caption never ends a page alone
        _run(cap, t.caption, size=10.5, bold=True)
    n_rows, n_cols = len(t.rows), len(t.rows[0])
    table = doc.add_table(rows=n_rows, cols=n_cols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    covered = set()
    for r0, c0, r1, c1 in t.merges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    for r0, c0, r1, c1 in t.merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    for r, row in enumerate(t.rows):
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            cell = table.cell(r, c)
            para = cell.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.paragraph_format.first_line_indent = None
            _run(para, text, size=10.5, bold=r < t.header_rows)
            # merging leaves the absorbed cells' empty paragraphs behind: drop them
            for extra in cell.paragraphs[1:]:
                if not extra.text:
                    extra._p.getparent().remove(extra._p)
    if t.widths_cm:
        for row in table.rows:
            for c, w in enumerate(t.widths_cm):
                row.cells[c].width = Cm(w)
    # a little air after the table
    doc.add_paragraph()


def _write_cover(doc, cover: Cover) -> None:
    for text, size, bold in cover.lines:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if text:
            _run(p, text, size=size, bold=bold, east=HEAD_EAST if bold else None)


def _write_toc(doc, spec: DocSpec, toc: Toc, entries) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, toc.title, size=16, bold=True, east=HEAD_EAST)
    for level, text, page in entries:
        if level > toc.max_level:
            continue
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(0.85 * (level - 1))
        if toc.leader == "tab":
            p.paragraph_format.tab_stops.add_tab_stop(Cm(15.4), WD_TAB_ALIGNMENT.RIGHT,
                                                      WD_TAB_LEADER.DOTS)
            _run(p, f"{text}\t{page}", bold=level == 1)
        else:
            width = sum(2 if ord(ch) > 0x2000 else 1 for ch in text) + 2 * 2 * (level - 1)
            dots = "…" * max(3, (62 - width) // 2)
            _run(p, f"{text}{dots}{page}", bold=level == 1)


def _add_page_number_footer(doc) -> None:
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    for xml in (f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>',
                f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>',
                f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'):
        run._r.append(parse_xml(xml))


def build_docx(spec: DocSpec) -> bytes:
    doc = Document()
    _style_setup(doc, spec)
    if spec.numbering in AUTO_STYLES:
        _add_auto_numbering(doc, through_styles=spec.numbering == "word_auto")
    if spec.footer_page_numbers:
        _add_page_number_footer(doc)
    lay = layout(spec)
    counters = [0, 0, 0]
    for block in spec.blocks:
        if isinstance(block, Heading):
            if block.number is None:
                counters[block.level - 1] += 1
                for deeper in range(block.level, 3):
                    counters[deeper] = 0
            _write_heading(doc, spec, block, counters)
        elif isinstance(block, Para):
            _write_para(doc, block)
        elif isinstance(block, TableSpec):
            _write_table(doc, block)
        elif isinstance(block, PageBreak):
            doc.add_page_break()
        elif isinstance(block, Cover):
            _write_cover(doc, block)
        elif isinstance(block, Toc):
            _write_toc(doc, spec, block, lay.toc_entries)
    # the default template starts with no paragraphs; nothing to strip
    cp = doc.core_properties
    cp.author = spec.enterprise
    cp.last_modified_by = spec.enterprise
    cp.title = spec.title or spec.name
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME
    cp.last_printed = FIXED_TIME
    cp.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps so equal specs give equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()
