"""The DOCX reader's shortcuts give what the straightforward reading gave.

The reader reads a paragraph's, run's and cell's properties in one pass over their
children instead of one `find` per property, remembers what a style gives per style
id and what a numbering reference resolves to per (numId, ilvl, style), and counts
visible characters with `str.split`. The corpus files are regular (properties first,
each once, few styles); these files are not, and every expected value below is what
the reader gave before those shortcuts.
"""
from __future__ import annotations

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt
from lxml import etree

from ingest import load

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def xml(fragment: str):
    return etree.fromstring(f'<root xmlns:w="{W_NS}" xmlns:m="{M_NS}">{fragment}</root>')[0]


def raw_paragraph(d, inner: str):
    """Append a w:p written by hand (python-docx would put its parts in schema order)."""
    p = d.add_paragraph()
    for child in xml(f"<w:p>{inner}</w:p>"):
        p._p.append(child)
    return p


def read(d, tmp_path, name="t.docx"):
    path = tmp_path / name
    d.save(path)
    return load(path)


def by_text(doc):
    return {p.text: p for p in doc.paragraphs()}


def test_properties_out_of_schema_order_are_still_found(tmp_path):
    d = docx.Document()
    d.add_paragraph("正文" * 20)
    # w:rPr after the text it formats: the run is still hidden
    raw_paragraph(d, '<w:r><w:t>可见</w:t></w:r>'
                     '<w:r><w:t>隐藏</w:t><w:rPr><w:vanish/></w:rPr></w:r>')
    # w:pPr after the runs: the style still applies
    raw_paragraph(d, '<w:r><w:t>样式在后</w:t></w:r><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>')
    # a cell whose w:tcPr comes after its paragraph still spans two columns
    t = d.add_table(rows=1, cols=3)
    tc = t.rows[0].cells[0]._tc
    tr = tc.getparent()
    tr.remove(tr.findall(f"{{{W_NS}}}tc")[1])
    tc.remove(tc.find(f"{{{W_NS}}}tcPr"))
    tc.append(xml('<w:tcPr><w:gridSpan w:val="2"/></w:tcPr>'))
    tc.find(f"{{{W_NS}}}p").append(xml("<w:r><w:t>跨两列</w:t></w:r>"))
    doc = read(d, tmp_path)
    paras = by_text(doc)
    assert "可见" in paras and "隐藏" not in doc.text()
    assert (paras["样式在后"].style, paras["样式在后"].outline_level) == ("Heading 1", 0)
    cells = doc.tables()[0].cells()
    assert [(c.text, c.col, c.colspan) for c in cells] == [("跨两列", 0, 2), ("", 2, 1)]


def test_the_first_of_a_repeated_property_wins(tmp_path):
    d = docx.Document()
    d.add_paragraph("正文" * 20)
    raw_paragraph(d, '<w:pPr><w:jc w:val="center"/><w:jc w:val="left"/>'
                     '<w:outlineLvl w:val="1"/><w:outlineLvl w:val="3"/></w:pPr>'
                     '<w:r><w:rPr><!-- a comment --><w:b w:val="0"/><w:b/>'
                     '<w:sz w:val="48"/><w:sz w:val="20"/></w:rPr><w:t>重复属性</w:t></w:r>')
    raw_paragraph(d, '<w:r><w:rPr><w:vanish w:val="0"/><w:vanish/></w:rPr><w:t>未隐藏</w:t></w:r>')
    paras = by_text(read(d, tmp_path))
    p = paras["重复属性"]
    assert (p.centered, p.outline_level, p.bold, p.font_size) == (True, 1, False, 24.0)
    assert "未隐藏" in paras


def test_character_and_paragraph_styles_resolved_per_run(tmp_path):
    d = docx.Document()
    strong = d.styles.add_style("CPStrong", WD_STYLE_TYPE.CHARACTER)
    strong.font.bold = True
    strong.font.size = Pt(15)
    big = d.styles.add_style("CPBig", WD_STYLE_TYPE.PARAGRAPH)
    big.font.size = Pt(18)
    hidden = d.styles.add_style("CPHidden", WD_STYLE_TYPE.PARAGRAPH)
    hidden.font.hidden = True
    for _ in range(3):
        d.add_paragraph("这是一段正文，决定正文字号。" * 3)
    sid, big_id = strong.style_id, big.style_id
    for _ in range(2):  # the second time every answer comes from what was remembered
        raw_paragraph(d, f'<w:r><w:rPr><w:rStyle w:val="{sid}"/></w:rPr><w:t>字符样式加粗</w:t></w:r>')
        raw_paragraph(d, f'<w:r><w:rPr><w:rStyle w:val="{sid}"/><w:b w:val="0"/></w:rPr>'
                         '<w:t>直接取消加粗</w:t></w:r>')
        raw_paragraph(d, f'<w:pPr><w:pStyle w:val="{big_id}"/></w:pPr>'
                         '<w:r><w:rPr><w:rStyle w:val="NoSuchStyle"/></w:rPr><w:t>未知字符样式</w:t></w:r>')
        raw_paragraph(d, f'<w:pPr><w:pStyle w:val="{big_id}"/></w:pPr>'
                         '<w:r><w:rPr><w:rStyle w:val=""/><w:sz w:val="abc"/></w:rPr><w:t>坏字号</w:t></w:r>')
        raw_paragraph(d, '<w:r><w:rPr><w:sz/></w:rPr><w:t>无值字号</w:t></w:r>')
        d.add_paragraph("样式隐藏", style="CPHidden")
        raw_paragraph(d, '<w:pPr><w:pStyle w:val="CPHidden"/></w:pPr>'
                         '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>直接显示</w:t></w:r>')
    doc = read(d, tmp_path)
    paras = doc.paragraphs()
    looks = {p.text: (p.bold, p.font_size, p.size_ratio, p.style) for p in paras}
    assert looks["字符样式加粗"] == (True, 15.0, round(15 / 11, 3), "Normal")
    assert looks["直接取消加粗"] == (False, 15.0, round(15 / 11, 3), "Normal")
    assert looks["未知字符样式"] == (False, 18.0, round(18 / 11, 3), "CPBig")
    assert looks["坏字号"] == (False, 10.0, round(10 / 11, 3), "CPBig")
    assert looks["无值字号"] == (False, 10.0, round(10 / 11, 3), "Normal")
    assert looks["直接显示"] == (False, 11.0, 1.0, "CPHidden")
    assert "样式隐藏" not in looks
    assert [p.text for p in paras].count("直接显示") == 2


def test_white_space_is_not_counted_for_bold_or_size(tmp_path):
    d = docx.Document()
    d.add_paragraph("正文" * 30)
    p = d.add_paragraph()
    p.add_run("加粗标题").bold = True
    # ideographic, no-break, em and thin spaces and a tab: no visible character
    spaces = p.add_run("\u3000\u00a0\u2003\u2009 \t\u3000" * 5)
    spaces.font.size = Pt(40)
    doc = read(d, tmp_path)
    title = doc.paragraphs()[1]
    assert title.text.startswith("加粗标题")
    assert (title.bold, title.font_size) == (True, 11.0)


def test_page_break_before_from_style_and_direct_override(tmp_path):
    d = docx.Document()
    chapter = d.styles.add_style("CPChapter", WD_STYLE_TYPE.PARAGRAPH)
    chapter.paragraph_format.page_break_before = True
    d.add_paragraph("第一页")
    d.add_paragraph("第一章", style="CPChapter")
    d.add_paragraph("第一章正文")
    d.add_paragraph("第二章", style="CPChapter")
    off = d.add_paragraph("不换页的章", style="CPChapter")
    off.paragraph_format.page_break_before = False
    d.add_paragraph("第三章", style="CPChapter")
    doc = read(d, tmp_path)
    assert {p.text: p.page for p in doc.paragraphs()} == {
        "第一页": 1, "第一章": 2, "第一章正文": 2, "第二章": 3, "不换页的章": 3, "第三章": 4}


def test_numbering_remembered_per_reference_counts_every_paragraph(tmp_path):
    d = docx.Document()
    root = d.part.numbering_part.element
    for child in list(root):
        root.remove(child)
    for child in etree.fromstring(
            f'<w:numbering xmlns:w="{W_NS}">'
            '<w:abstractNum w:abstractNumId="1">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
            '</w:abstractNum><w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>'
            '</w:numbering>'):
        root.append(child)
    listed = d.styles.add_style("CPListed", WD_STYLE_TYPE.PARAGRAPH)
    listed.element.get_or_add_pPr().append(xml('<w:numPr><w:numId w:val="5"/></w:numPr>'))
    for i in range(3):
        d.add_paragraph(f"样式编号{i}", style="CPListed")                 # numId from the style
        raw_paragraph(d, f'<w:pPr><w:pStyle w:val="{listed.style_id}"/>'
                         f'<w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr><w:r><w:t>下级{i}</w:t></w:r>')
    raw_paragraph(d, '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr></w:pPr>'
                     '<w:r><w:t>取消编号</w:t></w:r>')
    d.sections[0].header.paragraphs[0].text = "页眉"
    header_p = d.sections[0].header.paragraphs[0]._p
    header_p.get_or_add_pPr().append(xml('<w:numPr><w:ilvl w:val="0"/><w:numId w:val="5"/></w:numPr>'))
    doc = read(d, tmp_path)
    assert [p.text for p in doc.paragraphs()] == [
        "1.样式编号0", "1.1 下级0", "2.样式编号1", "2.1 下级1", "3.样式编号2", "3.1 下级2", "取消编号"]
    assert [p.label for p in doc.paragraphs()][:2] == ["1.", "1.1"]
    # headers count on their own: the list starts again at 1
    assert [h.text for h in doc.headers] == ["1.页眉"]


def test_maths_takes_the_paragraph_style_look(tmp_path):
    d = docx.Document()
    formula = d.styles.add_style("CPFormula", WD_STYLE_TYPE.PARAGRAPH)
    formula.font.bold = True
    formula.font.size = Pt(13)
    d.add_paragraph("正文" * 20)
    raw_paragraph(d, f'<w:pPr><w:pStyle w:val="{formula.style_id}"/></w:pPr>'
                     '<m:oMath><m:r><m:t>E=mc</m:t></m:r></m:oMath>')
    p = by_text(read(d, tmp_path))["E=mc"]
    assert (p.bold, p.font_size, p.style) == (True, 13.0, "CPFormula")


def test_nothing_remembered_from_one_document_to_the_next(tmp_path):
    # the same style id means different things in two files read one after the other
    looks = []
    for bold, size in ((True, 20), (False, 12)):
        d = docx.Document()
        style = d.styles.add_style("CPSame", WD_STYLE_TYPE.PARAGRAPH)
        style.font.bold = bold
        style.font.size = Pt(size)
        style.paragraph_format.alignment = 1 if bold else 0
        d.add_paragraph("同一样式", style="CPSame")
        p = read(d, tmp_path, f"{size}.docx").paragraphs()[0]
        looks.append((p.bold, p.font_size, p.centered))
    assert looks == [(True, 20.0, True), (False, 12.0, False)]
