"""The DOCX reader on real .docx files built with python-docx plus lxml edits."""
from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from io import BytesIO

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from lxml import etree

import ingest
from ingest import Paragraph, ScreenError, Table, clean_line, load
from ingest import docx_reader

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = (f'xmlns:w="{W_NS}" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')


# -- building test files -------------------------------------------------------------

def xml(fragment: str):
    """Parse one element written with the w/mc/wp/a/wps/v prefixes."""
    wrapper = etree.fromstring(f"<root {NSDECL}>{fragment}</root>")
    return wrapper[0]


def lvl(ilvl, fmt, text, start=1, extra=""):
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>')


def abstract(aid, *levels):
    return f'<w:abstractNum w:abstractNumId="{aid}">{"".join(levels)}</w:abstractNum>'


def num(nid, aid, overrides=""):
    return f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'


def set_numbering(d, body: str) -> None:
    """Replace the numbering definitions of python-docx's template with `body`."""
    root = d.part.numbering_part.element
    for child in list(root):
        root.remove(child)
    for child in etree.fromstring(f'<w:numbering xmlns:w="{W_NS}">{body}</w:numbering>'):
        root.append(child)


def set_numpr(element_with_ppr, num_id=None, ilvl=None) -> None:
    numpr = element_with_ppr.get_or_add_pPr().get_or_add_numPr()
    if num_id is not None:
        numpr.get_or_add_numId().val = num_id
    if ilvl is not None:
        numpr.get_or_add_ilvl().val = ilvl


def numbered(d, text, num_id=None, ilvl=None, style=None):
    p = d.add_paragraph(text, style=style)
    if num_id is not None or ilvl is not None:
        set_numpr(p._p, num_id, ilvl)
    return p


def save(d, tmp_path, name="t.docx"):
    path = tmp_path / name
    d.save(path)
    return path


def body_texts(doc):
    return [b.text for b in doc.paragraphs() if b.source == "body"]


# -- numbering ------------------------------------------------------------------------

CHINESE_OUTLINE = abstract(
    1,
    lvl(0, "chineseCounting", "%1、"),
    lvl(1, "chineseCounting", "（%2）"),
    lvl(2, "decimal", "%3."),
) + num(1, 1)


def chinese_outline_doc():
    d = docx.Document()
    set_numbering(d, CHINESE_OUTLINE)
    d.add_paragraph("清洁生产审核报告")
    numbered(d, "企业简况", 1, 0)
    numbered(d, "企业基本信息", 1, 1)
    numbered(d, "生产状况", 1, 1)
    numbered(d, "原辅材料", 1, 2)
    numbered(d, "预审核", 1, 0)
    numbered(d, "现状调研", 1, 1)
    for i in range(3, 12):
        numbered(d, f"第{i}部分", 1, 0)
    return d


def test_chinese_counting_headings(tmp_path):
    doc = load(save(chinese_outline_doc(), tmp_path))
    texts = body_texts(doc)
    assert texts[:7] == [
        "清洁生产审核报告",
        "一、企业简况",
        clean_line("（一）企业基本信息"),
        clean_line("（二）生产状况"),
        "1.原辅材料",
        "二、预审核",
        clean_line("（一）现状调研"),
    ]
    assert texts[7] == "三、第3部分"
    assert texts[-2] == "十、第10部分"
    assert texts[-1] == "十一、第11部分"
    by_text = {p.text: p for p in doc.paragraphs()}
    assert by_text["一、企业简况"].label == "一、"
    assert by_text[clean_line("（二）生产状况")].label == clean_line("（二）")
    assert by_text["清洁生产审核报告"].label == ""


def test_decimal_multilevel_start_and_restart(tmp_path):
    d = docx.Document()
    set_numbering(d, abstract(
        2,
        lvl(0, "decimal", "%1.", start=3),
        lvl(1, "decimal", "%1.%2"),
        # level 3 restarts only when level 1 is used, not level 2
        lvl(2, "decimal", "%1.%2.%3", extra='<w:lvlRestart w:val="1"/>'),
    ) + num(4, 2))
    numbered(d, "筹划和组织", 4, 0)
    numbered(d, "审核小组", 4, 1)
    numbered(d, "审核计划", 4, 1)
    numbered(d, "进度", 4, 2)
    numbered(d, "宣传", 4, 1)
    numbered(d, "培训", 4, 2)
    numbered(d, "预审核", 4, 0)
    numbered(d, "生产工艺", 4, 1)
    numbered(d, "工艺流程", 4, 2)
    doc = load(save(d, tmp_path))
    assert body_texts(doc) == [
        "3.筹划和组织", "3.1 审核小组", "3.2 审核计划", "3.2.1 进度", "3.3 宣传",
        "3.3.2 培训", "4.预审核", "4.1 生产工艺", "4.1.1 工艺流程",
    ]
    assert [p.label for p in doc.paragraphs()][:2] == ["3.", "3.1"]


def test_numbering_inherited_from_style_chain(tmp_path):
    d = docx.Document()
    set_numbering(d, CHINESE_OUTLINE)
    level1 = d.styles.add_style("CP一级标题", WD_STYLE_TYPE.PARAGRAPH)
    set_numpr(level1.element, 1, 0)
    level2 = d.styles.add_style("CP二级标题", WD_STYLE_TYPE.PARAGRAPH)
    level2.base_style = level1
    set_numpr(level2.element, ilvl=1)          # numId comes from the base style
    copy = d.styles.add_style("CP一级副本", WD_STYLE_TYPE.PARAGRAPH)
    copy.base_style = level1                    # no numPr of its own at all
    d.add_paragraph("企业简况", style="CP一级标题")
    d.add_paragraph("企业基本信息", style="CP二级标题")
    d.add_paragraph("预审核", style="CP一级副本")
    off = d.add_paragraph("不编号的段落", style="CP一级标题")
    set_numpr(off._p, num_id=0)                 # numId 0 switches numbering off
    d.add_paragraph("审核", style="CP一级标题")
    doc = load(save(d, tmp_path))
    assert body_texts(doc) == ["一、企业简况", clean_line("（一）企业基本信息"), "二、预审核",
                               "不编号的段落", "三、审核"]
    assert doc.paragraphs()[0].style == "CP一级标题"


def test_nums_sharing_an_abstract_continue_and_start_override_restarts(tmp_path):
    d = docx.Document()
    set_numbering(d, abstract(5, lvl(0, "decimalEnclosedCircle", "%1"))
                  + num(20, 5) + num(21, 5)
                  + num(22, 5, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'))
    numbered(d, "甲", 20, 0)
    numbered(d, "乙", 20, 0)
    numbered(d, "丙", 21, 0)
    numbered(d, "丁", 22, 0)
    numbered(d, "戊", 22, 0)
    doc = load(save(d, tmp_path))
    assert body_texts(doc) == ["①甲", "②乙", "③丙", "①丁", "②戊"]


def test_formats_is_lgl_and_suffixes(tmp_path):
    d = docx.Document()
    set_numbering(d, "".join([
        abstract(1, lvl(0, "ideographTraditional", "%1、")),
        abstract(2, lvl(0, "upperLetter", "%1.", extra='<w:suff w:val="space"/>')),
        abstract(3, lvl(0, "lowerRoman", "(%1)", extra='<w:suff w:val="nothing"/>')),
        abstract(4, lvl(0, "decimalFullWidth", "%1．")),
        abstract(5, lvl(0, "chineseCountingThousand", "第%1章"),
                 lvl(1, "decimal", "%1.%2", extra="<w:isLgl/>")),
        abstract(6, lvl(0, "chineseCounting", "（%1）")),
        num(1, 1), num(2, 2), num(3, 3), num(4, 4), num(5, 5), num(6, 6),
    ]))
    numbered(d, "甲项", 1, 0)
    numbered(d, "乙项", 1, 0)
    numbered(d, "Scope", 2, 0)
    numbered(d, "Goals", 2, 0)
    numbered(d, "one", 3, 0)
    numbered(d, "two", 3, 0)
    numbered(d, "全角编号", 4, 0)
    numbered(d, "审核准备", 5, 0)
    numbered(d, "审核准备", 5, 0)
    numbered(d, "审核小组", 5, 1)
    numbered(d, "主要问题", 6, 0)
    numbered(d, "改进措施", 6, 0)
    doc = load(save(d, tmp_path))
    assert body_texts(doc) == ["甲、甲项", "乙、乙项", "A. Scope", "B. Goals", "(i)one", "(ii)two",
                               "1.全角编号", "第一章审核准备", "第二章审核准备", "2.1 审核小组",
                               "(一)主要问题", "(二)改进措施"]
    assert doc.paragraphs()[-1].label == "(二)"


def test_numbered_empty_paragraph_is_dropped_but_counted(tmp_path):
    d = docx.Document()
    set_numbering(d, CHINESE_OUTLINE)
    numbered(d, "企业简况", 1, 0)
    numbered(d, "", 1, 0)
    numbered(d, "审核", 1, 0)
    doc = load(save(d, tmp_path))
    assert body_texts(doc) == ["一、企业简况", "三、审核"]
    assert [p.locator for p in doc.paragraphs()] == ["p1", "p2"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_numbering_survives_libreoffice_rewrite(tmp_path):
    d = chinese_outline_doc()
    src = save(d, tmp_path, "original.docx")
    out_dir = tmp_path / "lo"
    out_dir.mkdir()
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "docx", "--outdir", str(out_dir), str(src)],
                   check=True, capture_output=True, timeout=240)
    converted = out_dir / "original.docx"
    assert converted.exists()
    with zipfile.ZipFile(converted) as zf:
        assert zf.read("word/numbering.xml") != zipfile.ZipFile(src).read("word/numbering.xml")
    before = body_texts(load(src))
    after = body_texts(load(converted))
    assert after == before
    assert "一、企业简况" in after and "十一、第11部分" in after


# -- tables ---------------------------------------------------------------------------

def test_merged_cells_once_with_spans_and_grid(tmp_path):
    d = docx.Document()
    d.add_paragraph("表前段落")
    t = d.add_table(rows=4, cols=4)
    for r in range(4):
        for c in range(4):
            t.cell(r, c).text = f"{r}{c}"
    a = t.cell(0, 0).merge(t.cell(0, 1))
    a.text = "项目"
    b = t.cell(1, 0).merge(t.cell(3, 0))
    b.text = "用水"
    c = t.cell(1, 2).merge(t.cell(2, 3))
    c.text = "合并块"
    d.add_paragraph("表后段落")
    doc = load(save(d, tmp_path))
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table", "Paragraph"]
    table = doc.tables()[0]
    assert table.locator == "t1" and table.n_cols == 4 and table.header_rows == 1
    cells = table.cells()
    assert len(cells) == 10
    spans = {(c.row, c.col): (c.rowspan, c.colspan) for c in cells}
    assert spans[(0, 0)] == (1, 2)
    assert spans[(1, 0)] == (3, 1)
    assert spans[(1, 2)] == (2, 2)
    assert [c.text for c in cells].count("用水") == 1
    assert table.grid() == [
        ["项目", "项目", "02", "03"],
        ["用水", "11", "合并块", "合并块"],
        ["用水", "21", "合并块", "合并块"],
        ["用水", "31", "32", "33"],
    ]


def test_cell_paragraph_joining_nested_table_and_header_rows(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=3, cols=2)
    for row in t.rows[:2]:
        trpr = row._tr.get_or_add_trPr()
        trpr.append(xml("<w:tblHeader/>"))
    t.cell(0, 0).text = "指标"
    t.cell(0, 1).text = "数值"
    t.cell(1, 0).text = "单位"
    t.cell(1, 1).text = "%"
    cell = t.cell(2, 0)
    cell.text = "水计量率"
    cell.add_paragraph("达到")
    cell.add_paragraph("100%")
    cell.add_paragraph("2023年")
    inner_cell = t.cell(2, 1)
    inner_cell.text = "见下表"
    inner = inner_cell.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "回用率"
    inner.cell(0, 1).text = "85%"
    doc = load(save(d, tmp_path))
    table = doc.tables()[0]
    assert table.header_rows == 2
    grid = table.grid()
    assert grid[2][0] == "水计量率达到 100% 2023年"
    assert "回用率" in grid[2][1] and "85%" in grid[2][1] and grid[2][1].startswith("见下表")
    assert len(doc.tables()) == 1  # the nested table is part of its cell, not a block


# -- hidden text: content controls, text boxes, headers ----------------------------------

TEXTBOX_RUN = """
<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>
<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:txbx><w:txbxContent>
  <w:p><w:r><w:t>文本框第一段</w:t></w:r></w:p>
  <w:p><w:r><w:t>文本框第二段</w:t></w:r></w:p>
</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>
</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
  <w:p><w:r><w:t>文本框第一段</w:t></w:r></w:p>
  <w:p><w:r><w:t>文本框第二段</w:t></w:r></w:p>
</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>
"""


def test_content_controls_block_and_run_level(tmp_path):
    d = docx.Document()
    p = d.add_paragraph("企业名称：")
    p._p.append(xml('<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>广西某某糖业有限公司</w:t></w:r>'
                    '</w:sdtContent></w:sdt>'))
    p._p.addnext(xml('<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>控件里的段落</w:t></w:r></w:p>'
                     '</w:sdtContent></w:sdt>'))
    d.add_paragraph("结尾")
    doc = load(save(d, tmp_path))
    assert body_texts(doc) == [clean_line("企业名称：广西某某糖业有限公司"), "控件里的段落", "结尾"]
    assert [p.locator for p in doc.paragraphs()] == ["p1", "p2", "p3"]


def test_text_box_read_once_after_its_anchor(tmp_path):
    d = docx.Document()
    d.add_paragraph("第一段")
    anchor = d.add_paragraph("锚定段落")
    anchor._p.append(xml(TEXTBOX_RUN))
    d.add_paragraph("第三段")
    empty_anchor = d.add_paragraph()
    empty_anchor._p.append(xml(TEXTBOX_RUN))
    doc = load(save(d, tmp_path))
    texts = [(b.text, b.source, b.locator) for b in doc.paragraphs()]
    assert texts == [
        ("第一段", "body", "p1"),
        ("锚定段落", "body", "p2"),
        ("文本框第一段", "textbox", "tb1"),
        ("文本框第二段", "textbox", "tb2"),
        ("第三段", "body", "p3"),
        ("文本框第一段", "textbox", "tb3"),
        ("文本框第二段", "textbox", "tb4"),
    ]
    assert doc.text().count("文本框第一段") == 2  # once per text box, no VML duplicate


def test_headers_and_footers_kept_apart(tmp_path):
    d = docx.Document()
    d.add_paragraph("正文内容")
    d.sections[0].header.paragraphs[0].text = "广西某某公司清洁生产审核报告"
    d.sections[0].footer.paragraphs[0].text = "第1页"
    new = d.add_section(WD_SECTION.NEW_PAGE)
    new.header.is_linked_to_previous = False
    new.header.paragraphs[0].text = "第二节页眉"
    d.add_paragraph("第二节正文")
    doc = load(save(d, tmp_path))
    assert "页眉" not in doc.text() and "审核报告" not in doc.text() and "第1页" not in doc.text()
    headers = [(h.text, h.source) for h in doc.headers]
    assert ("广西某某公司清洁生产审核报告", "header") in headers
    assert ("第1页", "footer") in headers
    assert ("第二节页眉", "header") in headers
    assert len(headers) == 3
    assert {h.text: h.page for h in doc.headers}["第二节页眉"] == 2


# -- pages ----------------------------------------------------------------------------

def test_pages_from_explicit_breaks(tmp_path):
    d = docx.Document()
    d.add_paragraph("第一页")
    d.add_page_break()                                   # w:br w:type="page"
    d.add_paragraph("第二页")
    p = d.add_paragraph("第三页")
    p.paragraph_format.page_break_before = True          # w:pageBreakBefore
    d.add_section(WD_SECTION.CONTINUOUS)                  # no new page
    d.add_paragraph("仍是第三页")
    d.add_section(WD_SECTION.NEW_PAGE)
    d.add_paragraph("第四页")
    t = d.add_table(rows=1, cols=1)
    t.cell(0, 0).text = "第四页的表"
    doc = load(save(d, tmp_path))
    pages = {b.text: b.page for b in doc.blocks}
    assert pages == {"第一页": 1, "第二页": 2, "第三页": 3, "仍是第三页": 3, "第四页": 4,
                     "第四页的表": 4}
    assert doc.pages == 4
    assert doc.page_note == ingest.warning_text("W003")


def test_rendered_page_breaks_preferred(tmp_path):
    d = docx.Document()
    d.add_paragraph("第一页")
    d.add_page_break()
    # Word marks the page it laid out after the explicit break: counted once, not twice
    p = d.add_paragraph()
    p._p.append(xml("<w:r><w:lastRenderedPageBreak/><w:t>第二页</w:t></w:r>"))
    # text that flowed onto a new page: only the rendered break tells
    p = d.add_paragraph()
    p._p.append(xml("<w:r><w:lastRenderedPageBreak/><w:t>第三页</w:t></w:r>"))
    d.add_page_break()                                   # explicit, no rendered mark
    d.add_paragraph("第四页")
    doc = load(save(d, tmp_path))
    assert {b.text: b.page for b in doc.blocks} == {"第一页": 1, "第二页": 2, "第三页": 3, "第四页": 4}
    assert doc.pages == 4


# -- reading order, normalisation, hints --------------------------------------------------

def test_reading_order_and_normalisation(tmp_path):
    d = docx.Document()
    d.add_paragraph("⼀、企业简况")                   # Kangxi radical U+2F00
    d.add_paragraph("水计量率达到９５％，\t用水总量１２３ｍ³")
    d.add_paragraph("   ")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "指 标"
    t.cell(0, 1).text = "９０％"
    d.add_paragraph("二、预审核")
    t2 = d.add_table(rows=1, cols=1)
    t2.cell(0, 0).text = "表二"
    doc = load(save(d, tmp_path))
    kinds = [(b.kind, b.locator) for b in doc.blocks]
    assert kinds == [("paragraph", "p1"), ("paragraph", "p2"), ("table", "t1"),
                     ("paragraph", "p3"), ("table", "t2")]
    assert doc.blocks[0].text == "一、企业简况"
    # the tab became a space, then the one normalisation every reader applies
    assert doc.blocks[1].text == clean_line("水计量率达到９５％， 用水总量１２３ｍ³")
    assert "95%" in doc.blocks[1].text and "123m³" in doc.blocks[1].text
    assert doc.blocks[2].grid() == [["指标", "90%"]]


def test_heading_hints(tmp_path):
    d = docx.Document()
    d.add_heading("企业简况", level=1)
    title = d.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("清洁生产审核报告")
    run.bold = True
    run.font.size = Pt(22)
    for _ in range(3):
        d.add_paragraph("这是一段较长的正文，用来决定正文字号。" * 3)
    mixed = d.add_paragraph()
    mixed.add_run("部分加粗").bold = True
    mixed.add_run("部分不加粗")
    cn = d.styles.add_style("标题 2", WD_STYLE_TYPE.PARAGRAPH)
    cn.font.size = Pt(16)
    cn.font.bold = True
    d.add_paragraph("中文样式名", style="标题 2")
    outlined = d.add_paragraph("直接大纲级别")
    outlined._p.get_or_add_pPr().append(xml('<w:outlineLvl w:val="2"/>'))
    doc = load(save(d, tmp_path))
    by_text = {p.text: p for p in doc.paragraphs()}
    h = by_text["企业简况"]
    assert (h.style, h.outline_level, h.bold, h.centered) == ("Heading 1", 0, True, False)
    assert h.font_size == 14.0 and h.size_ratio == pytest.approx(14 / 11, abs=0.01)
    t = by_text["清洁生产审核报告"]
    assert (t.bold, t.centered, t.font_size, t.outline_level) == (True, True, 22.0, None)
    assert t.size_ratio == pytest.approx(2.0)
    body = by_text[clean_line("这是一段较长的正文，用来决定正文字号。" * 3)]
    assert (body.style, body.bold, body.size_ratio, body.outline_level) == ("Normal", False, 1.0, None)
    assert by_text["部分加粗部分不加粗"].bold is False
    cn_para = by_text["中文样式名"]
    assert (cn_para.style, cn_para.outline_level, cn_para.bold, cn_para.font_size) == ("标题 2", 1, True, 16.0)
    assert by_text["直接大纲级别"].outline_level == 2


# -- bad files -------------------------------------------------------------------------

def _valid_docx_bytes() -> bytes:
    d = docx.Document()
    d.add_paragraph("正文")
    buf = BytesIO()
    d.save(buf)
    return buf.getvalue()


def _rezip(data: bytes, replace: dict[str, bytes | None], add: dict[str, bytes] | None = None) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    dst.writestr(info.filename, replace[info.filename])
            else:
                dst.writestr(info.filename, src.read(info.filename))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def test_broken_xml_gives_e006(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(_rezip(_valid_docx_bytes(), {"word/document.xml": b"<w:document><w:body><w:p>"}))
    with pytest.raises(ScreenError) as err:
        load(path)
    assert err.value.code == "E006"
    assert "broken.docx" in str(err.value)


def test_zip_that_is_not_a_word_document_gives_e006(tmp_path):
    path = tmp_path / "notword.docx"
    path.write_bytes(_rezip(_valid_docx_bytes(), {"[Content_Types].xml": None}))
    with pytest.raises(ScreenError) as err:
        load(path)
    assert err.value.code == "E006"


def test_truncated_zip_gives_e006():
    data = _valid_docx_bytes()
    doc = ingest.Document(name="cut.docx", sha256="", format="docx", pages=0)
    with pytest.raises(ScreenError) as err:
        docx_reader.read_docx(data[: len(data) // 2], doc)
    assert err.value.code == "E006"


def test_zip_bomb_refused(tmp_path, monkeypatch):
    path = tmp_path / "bomb.docx"
    path.write_bytes(_rezip(_valid_docx_bytes(), {}, add={"word/media/zeros.bin": b"\0" * (4 << 20)}))
    with pytest.raises(ScreenError) as err:
        load(path)
    assert err.value.code == "E009"
    # the total-size limit, scaled down so the test needs no 500 MB
    monkeypatch.setattr(docx_reader, "MAX_UNCOMPRESSED_BYTES", 1000)
    plain = tmp_path / "plain.docx"
    plain.write_bytes(_valid_docx_bytes())
    with pytest.raises(ScreenError) as err:
        load(plain)
    assert err.value.code == "E009"


def test_all_blocks_are_model_types(tmp_path):
    doc = load(save(chinese_outline_doc(), tmp_path))
    assert doc.format == "docx"
    assert all(isinstance(b, (Paragraph, Table)) for b in doc.blocks)
    assert all(isinstance(b, Paragraph) for b in doc.headers)
    assert os.path.basename(doc.name) == "t.docx"


def test_level_taken_from_style_linked_in_numbering(tmp_path):
    # Word's multilevel list linked to heading styles: the style names only the numId,
    # the level says which style it belongs to (w:lvl/w:pStyle)
    d = docx.Document()
    h1 = d.styles.add_style("CPH1", WD_STYLE_TYPE.PARAGRAPH)
    h2 = d.styles.add_style("CPH2", WD_STYLE_TYPE.PARAGRAPH)
    set_numbering(d, abstract(
        7,
        lvl(0, "chineseCounting", "第%1章", extra=f'<w:pStyle w:val="{h1.style_id}"/>'),
        lvl(1, "decimal", "%1.%2", extra=f'<w:pStyle w:val="{h2.style_id}"/><w:isLgl/>'),
    ) + num(9, 7))
    set_numpr(h1.element, 9)
    set_numpr(h2.element, 9)
    d.add_paragraph("筹划和组织", style="CPH1")
    d.add_paragraph("审核小组", style="CPH2")
    d.add_paragraph("预审核", style="CPH1")
    d.add_paragraph("现状调研", style="CPH2")
    doc = load(save(d, tmp_path))
    assert body_texts(doc) == ["第一章筹划和组织", "1.1 审核小组", "第二章预审核", "2.1 现状调研"]


def test_hidden_and_deleted_text_left_out(tmp_path):
    d = docx.Document()
    p = d.add_paragraph("可见")
    p._p.append(xml('<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>'))
    p._p.append(xml('<w:del><w:r><w:delText>删除</w:delText></w:r></w:del>'))
    p._p.append(xml('<w:ins><w:r><w:t>插入</w:t></w:r></w:ins>'))
    p._p.append(xml('<w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink>'))
    doc = load(save(d, tmp_path))
    assert body_texts(doc) == ["可见插入链接"]


def test_table_across_rendered_pages(tmp_path):
    d = docx.Document()
    d.add_paragraph("表前")
    t = d.add_table(rows=3, cols=2)
    for r in range(3):
        for c in range(2):
            t.cell(r, c).text = f"格{r}{c}"
    # Word marks the break in every cell of the row that moved to the next page
    for c in range(2):
        run = t.cell(2, c).paragraphs[0].runs[0]._r
        run.insert(0, xml("<w:lastRenderedPageBreak/>"))
    d.add_paragraph("表后")
    doc = load(save(d, tmp_path))
    table = doc.tables()[0]
    assert (table.page, table.pages) == (1, [1, 2])
    assert {b.text: b.page for b in doc.paragraphs()} == {"表前": 1, "表后": 2}
    assert doc.pages == 2


def test_text_box_in_table_cell_joins_cell_text(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=1, cols=1)
    t.cell(0, 0).text = "单元格"
    t.cell(0, 0).paragraphs[0]._p.append(xml(TEXTBOX_RUN))
    doc = load(save(d, tmp_path))
    assert doc.tables()[0].grid() == [["单元格文本框第一段文本框第二段"]]
    assert not [p for p in doc.paragraphs() if p.source == "textbox"]
