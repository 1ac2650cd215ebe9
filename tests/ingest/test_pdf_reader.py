"""The PDF reader on real PDF files made here: by LibreOffice from a DOCX, and by reportlab.

The DOCX has explicit page breaks, so what is on which page is known:
  1  title, 第一章 企业概况, 一、企业简况, two body paragraphs
  2  第二章 预审核, a ruled table with a vertically and a horizontally merged cell
  3  第三章 审核, a 60-row table with a repeating header row, continued on page 4
  4  (table), 设备清单结束。
  5  第四章 方案, a 60-row table without a repeating header, continued on page 6
  6  (table), 方案清单结束。
Every page has the running header 广西某某糖业有限公司清洁生产审核报告 and a footer "- N -".
"""
from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from ingest import ScreenError, load, load_bytes
from ingest.errors import warning_text
from ingest.model import Paragraph

HEADER_TEXT = "广西某某糖业有限公司清洁生产审核报告"
BODY = ("本企业始建于一九九八年，主要从事机制糖的生产与销售，年处理甘蔗能力为一百二十万吨。"
        "公司高度重视清洁生产工作，成立了清洁生产审核领导小组和工作小组，"
        "由总经理担任组长，全面负责审核工作的组织与协调，各部门负责人为成员。") * 2
ISO_PARA = "公司已通过 ISO 14001 环境管理体系认证，水计量率达到100%，工业用水重复利用率为95%。"
WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


# ------------------------------------------------------------------ builders

def _build_docx(path: Path) -> None:
    docx = pytest.importorskip("docx")
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    normal.font.name = "Noto Serif CJK SC"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")

    header = sec.header.paragraphs[0]
    header.text = HEADER_TEXT
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = sec.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("- ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    footer.add_run(" -")

    def body(text: str) -> None:
        doc.add_paragraph(text).paragraph_format.first_line_indent = Pt(24)

    def page_break() -> None:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def long_table(first: str, second: str, repeat_header: bool) -> None:
        table = doc.add_table(rows=61, cols=3)
        table.style = doc.styles["Table Grid"]
        for j, v in enumerate(["序号", first, second]):
            table.cell(0, j).text = v
        if repeat_header:
            table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for i in range(1, 61):
            table.cell(i, 0).text = str(i)
            table.cell(i, 1).text = f"压榨机{i}号" if repeat_header else f"方案{i}"
            table.cell(i, 2).text = str(i * 2)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = title.add_run("清洁生产审核报告")
    r.bold = True
    r.font.size = Pt(22)
    doc.add_heading("第一章 企业概况", level=1)
    doc.add_heading("一、企业简况", level=2)
    body(BODY)
    body(ISO_PARA)
    page_break()

    doc.add_heading("第二章 预审核", level=1)
    body("主要能源消耗情况见下表。")
    table = doc.add_table(rows=4, cols=4)
    table.style = doc.styles["Table Grid"]
    data = [["项目", "单位", "2022年", "2023年"], ["电", "万千瓦时", "120", "118"],
            ["水", "万吨", "35", "33"], ["蒸汽", "万吨", "8.5", "8.1"]]
    for i, row in enumerate(data):
        for j, v in enumerate(row):
            table.cell(i, j).text = v
    table.cell(1, 0).merge(table.cell(2, 0)).text = "能源"
    table.cell(3, 2).merge(table.cell(3, 3)).text = "8.3"
    body("表中数据来源于企业能源统计台账。")
    page_break()

    doc.add_heading("第三章 审核", level=1)
    long_table("设备名称", "数量", repeat_header=True)
    body("设备清单结束。")
    page_break()

    doc.add_heading("第四章 方案", level=1)
    long_table("方案名称", "投资", repeat_header=False)
    body("方案清单结束。")
    doc.save(str(path))


def _soffice_pdf(docx_path: Path, outdir: Path) -> Path:
    profile = f"file:///tmp/lo_profile_pdf_reader_{uuid.uuid4().hex}"
    try:
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(outdir), str(docx_path)],
            check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    pdf = outdir / (docx_path.stem + ".pdf")
    assert pdf.is_file(), "LibreOffice made no PDF"
    return pdf


@pytest.fixture(scope="module")
def lo_pdf(tmp_path_factory) -> Path:
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    d = tmp_path_factory.mktemp("lo_pdf")
    docx_path = d / "report.docx"
    _build_docx(docx_path)
    return _soffice_pdf(docx_path, d)


@pytest.fixture(scope="module")
def lo_doc(lo_pdf):
    return load(lo_pdf)


@pytest.fixture(scope="module")
def rl_canvas():
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if not Path(WQY).is_file():
        pytest.skip("fonts-wqy-zenhei is not installed")
    pdfmetrics.registerFont(TTFont("WQY", WQY, subfontIndex=0))
    return canvas


A4 = (595.27, 841.89)


def _fake_bold_pdf(canvas, path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    h = A4[1]

    def draw(text, x, y, size=12, fake_bold=False):
        c.setFont("WQY", size)
        c.drawString(x, y, text)
        if fake_bold:       # what some report generators do for bold: draw again, shifted
            c.drawString(x + 0.3, y, text)

    draw("第一章 企业概况", 72, h - 100, 16, fake_bold=True)
    draw("本企业水计量率达到100%，通过ISO 14001认证。", 96, h - 130)
    draw("清洁生产审核工作小组", 72, h - 160, fake_bold=True)
    c.showPage()
    c.save()
    return path


# ----------------------------------------------------------- LibreOffice PDF

def _para(doc, text: str) -> Paragraph:
    hits = [b for b in doc.paragraphs() if b.text == text]
    assert len(hits) == 1, (text, [b.text for b in doc.paragraphs()])
    return hits[0]


def test_pages_and_locators(lo_doc):
    assert lo_doc.format == "pdf"
    assert lo_doc.pages == 6
    expected = {"清洁生产审核报告": 1, "第一章企业概况": 1, "一、企业简况": 1, BODY: 1,
                "第二章预审核": 2, "表中数据来源于企业能源统计台账。": 2,
                "第三章审核": 3, "设备清单结束。": 4, "第四章方案": 5, "方案清单结束。": 6}
    for text, page in expected.items():
        assert _para(lo_doc, text).page == page, text
    assert _para(lo_doc, "第二章预审核").locator == "p2.l1"
    assert _para(lo_doc, "表中数据来源于企业能源统计台账。").locator == "p2.l3"
    locators = [b.locator for b in lo_doc.blocks]
    assert len(locators) == len(set(locators))
    assert lo_doc.unread_pages == [] and lo_doc.warnings == []


def test_chinese_lines_have_no_inserted_spaces_and_join_into_paragraphs(lo_doc):
    # BODY wraps over several PDF lines; it must come back as exactly one paragraph.
    _para(lo_doc, BODY)
    # LibreOffice sets a quarter-em gap between Chinese and Latin ("达到 100%"): not a space;
    # the spaces typed round "ISO 14001" are kept.
    iso = _para(lo_doc, ISO_PARA)
    assert iso.page == 1
    for block in lo_doc.paragraphs():
        assert "(cid:" not in block.text
        assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", block.text), block.text


def test_heading_hints(lo_doc):
    title = _para(lo_doc, "清洁生产审核报告")
    assert title.centered is True and title.bold is True
    assert title.font_size == 22 and title.size_ratio == pytest.approx(22 / 12, abs=0.01)
    chapter = _para(lo_doc, "第一章企业概况")
    assert chapter.size_ratio > 1.05 and chapter.centered is False
    body = _para(lo_doc, BODY)
    assert body.size_ratio == 1.0 and body.bold is False and body.centered is False


def test_headers_and_footers_are_kept_apart(lo_doc):
    for block in lo_doc.blocks:
        assert HEADER_TEXT not in block.text
        assert not (isinstance(block, Paragraph) and block.text.startswith("- "))
    headers = [h for h in lo_doc.headers if h.source == "header"]
    footers = [h for h in lo_doc.headers if h.source == "footer"]
    assert [h.page for h in headers] == [1, 2, 3, 4, 5, 6]
    assert {h.text for h in headers} == {HEADER_TEXT}
    assert [(h.page, h.text) for h in footers] == [(n, f"- {n} -") for n in range(1, 7)]


def test_ruled_table_with_merged_cells(lo_doc):
    table = [t for t in lo_doc.tables() if t.page == 2]
    assert len(table) == 1
    table = table[0]
    assert table.locator == "p2.t1" and table.pages == [2] and table.n_cols == 4
    assert table.grid() == [["项目", "单位", "2022年", "2023年"],
                            ["能源", "万千瓦时", "120", "118"],
                            ["能源", "万吨", "35", "33"],
                            ["蒸汽", "万吨", "8.3", "8.3"]]
    cells = table.cells()
    energy = [c for c in cells if c.text == "能源"]
    assert len(energy) == 1 and (energy[0].row, energy[0].col, energy[0].rowspan) == (1, 0, 2)
    merged = [c for c in cells if c.text == "8.3"]
    assert len(merged) == 1 and (merged[0].row, merged[0].col, merged[0].colspan) == (3, 2, 2)
    assert len(cells) == 14
    # the table's text is not read a second time as paragraphs
    assert not any("万千瓦时" in p.text or "蒸汽" in p.text for p in lo_doc.paragraphs())
    # reading order: heading, sentence, table, sentence
    page2 = [b for b in lo_doc.blocks if b.page == 2]
    assert [b.kind for b in page2] == ["paragraph", "paragraph", "table", "paragraph"]


def test_table_continued_with_repeated_header_is_one_table(lo_doc):
    tables = [t for t in lo_doc.tables() if t.grid()[0][1] == "设备名称"]
    assert len(tables) == 1
    table = tables[0]
    assert table.page == 3 and table.pages == [3, 4] and table.locator == "p3.t1"
    grid = table.grid()
    assert len(grid) == 61                      # the header repeated on page 4 is dropped
    assert [row[0] for row in grid[1:]] == [str(i) for i in range(1, 61)]
    assert grid[60] == ["60", "压榨机60号", "120"]
    assert [c.row for c in table.cells()] == sorted(c.row for c in table.cells())


def test_table_continued_without_header_is_one_table(lo_doc):
    tables = [t for t in lo_doc.tables() if t.grid()[0][1] == "方案名称"]
    assert len(tables) == 1
    table = tables[0]
    assert table.pages == [5, 6]
    grid = table.grid()
    assert len(grid) == 61
    assert [row[1] for row in grid[1:]] == [f"方案{i}" for i in range(1, 61)]
    assert len(lo_doc.tables()) == 3


def test_text_reading_order_follows_pages(lo_doc):
    pages = [b.page for b in lo_doc.blocks]
    assert pages == sorted(pages)


def test_unmapped_glyphs_make_pages_unread_not_cid_text(lo_pdf):
    # Without ToUnicode maps every glyph comes out as (cid:N): W002, and no "(cid:" text.
    data = lo_pdf.read_bytes().replace(b"/ToUnicode", b"/ToUnicodX")
    doc = load_bytes(data, "nocmap.pdf", ocr=False)   # with OCR these pages are read: test_ocr.py
    assert doc.unread_pages == [1, 2, 3, 4, 5, 6]
    assert doc.warnings == [warning_text("W002", pages="1-6")]
    assert all("(cid:" not in b.text for b in doc.blocks + doc.headers)


def test_truncated_pdf_is_a_screen_error(lo_pdf):
    data = lo_pdf.read_bytes()
    with pytest.raises(ScreenError) as err:
        load_bytes(data[: len(data) // 2], "cut.pdf")
    assert err.value.code == "E004" and "cut.pdf" in str(err.value)


def test_garbage_after_pdf_magic_is_a_screen_error():
    with pytest.raises(ScreenError) as err:
        load_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage (((\n%%EOF\n", "junk.pdf")
    assert err.value.code == "E004"


# -------------------------------------------------------------- reportlab PDFs

def test_fake_bold_has_no_doubled_characters(rl_canvas, tmp_path):
    path = _fake_bold_pdf(rl_canvas, tmp_path / "fakebold.pdf")
    doc = load(path)
    texts = [b.text for b in doc.blocks]
    assert texts == ["第一章企业概况", "本企业水计量率达到100%，通过ISO 14001认证。", "清洁生产审核工作小组"]
    bold = [b.bold for b in doc.blocks]
    assert bold == [True, False, True]
    assert doc.blocks[0].font_size == 16 and doc.blocks[1].size_ratio == 1.0


def test_our_dedupe_matches_pdfplumbers(rl_canvas, tmp_path):
    import pdfplumber

    from ingest.pdf_chars import dedupe_chars

    path = _fake_bold_pdf(rl_canvas, tmp_path / "fakebold.pdf")
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        ours, fake_bold = dedupe_chars(page.chars)
        theirs = page.dedupe_chars().chars
        assert [(c["text"], c["x0"], c["top"]) for c in ours] == \
               [(c["text"], c["x0"], c["top"]) for c in theirs]
        assert len(ours) < len(page.chars)
        assert {c["text"] for c in ours if id(c) in fake_bold} >= set("清洁生产审核工作小组")


def test_encrypted_pdf_needs_the_password(rl_canvas, tmp_path):
    path = tmp_path / "locked.pdf"
    c = rl_canvas.Canvas(str(path), pagesize=A4, encrypt="mima123")
    c.setFont("WQY", 12)
    c.drawString(72, 700, "加密文件中的清洁生产审核内容。")
    c.showPage()
    c.save()
    with pytest.raises(ScreenError) as err:
        load(path)
    assert err.value.code == "E005"
    with pytest.raises(ScreenError) as err:
        load(path, password="wrong")
    assert err.value.code == "E005"
    doc = load(path, password="mima123")
    assert [b.text for b in doc.blocks] == ["加密文件中的清洁生产审核内容。"]


def _image(path: Path) -> str:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(img)
    for y in range(50, 750, 20):
        draw.line((50, y, 550, y), fill="black", width=3)
    img.save(path)
    return str(path)


def test_image_only_pages_are_unread_with_w001(rl_canvas, tmp_path):
    png = _image(tmp_path / "scan.png")
    path = tmp_path / "scanned.pdf"
    c = rl_canvas.Canvas(str(path), pagesize=A4)
    c.setFont("WQY", 12)
    c.drawString(72, 700, "第一页是文字页，水计量率达到100%。")
    c.showPage()
    c.drawImage(png, 0, 0, width=A4[0], height=A4[1])      # page 2: a scan, no text at all
    c.showPage()
    c.drawImage(png, 0, 0, width=A4[0], height=A4[1])      # page 3: a scan with a typed page number
    c.setFont("WQY", 10)
    c.drawString(290, 30, "3")
    c.showPage()
    c.save()
    doc = load(path)
    assert doc.pages == 3
    assert doc.unread_pages == [2, 3]
    assert doc.warnings == [warning_text("W001", pages="2-3")]
    assert [(b.page, b.text) for b in doc.blocks] == [(1, "第一页是文字页，水计量率达到100%。")]


def test_only_scanned_pages_is_not_an_empty_document_error(rl_canvas, tmp_path):
    png = _image(tmp_path / "scan.png")
    path = tmp_path / "allscan.pdf"
    c = rl_canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(png, 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    doc = load(path)
    assert doc.unread_pages == [1] and doc.blocks == []


def test_sentence_cut_by_a_page_break_is_one_paragraph(rl_canvas, tmp_path):
    path = tmp_path / "cut_sentence.pdf"
    c = rl_canvas.Canvas(str(path), pagesize=A4)
    h = A4[1]
    full = "企业在审核期间完成了全部无费低费方案的实施工作并对实施效果进行了跟踪"   # 35 chars, runs to the margin
    for page, lines in enumerate([[(96, full[:-2]), (72, full)], [(72, "评估，水计量率达到100%。"),
                                                                    (96, "下一段落从这里开始。")]]):
        c.setFont("WQY", 12)
        y = h - 100
        for x, text in lines:
            c.drawString(x, y, text)
            y -= 20
        c.showPage()
    c.save()
    doc = load(path)
    texts = [(b.page, b.locator, b.text) for b in doc.blocks]
    assert texts == [(1, "p1.l1", full[:-2] + full + "评估，水计量率达到100%。"),
                     (2, "p2.l2", "下一段落从这里开始。")]


def test_paragraph_rules_numbering_gap_and_short_lines(rl_canvas, tmp_path):
    path = tmp_path / "rules.pdf"
    c = rl_canvas.Canvas(str(path), pagesize=A4)
    h = A4[1]
    c.setFont("WQY", 12)
    full = "清洁生产审核工作按照筹划和组织预评估评估方案产生和筛选可行性分析方案实施持续进行"[:35]
    rows = [
        (72, 0, "（一）审核准备"),                 # numbered
        (96, 20, full[:33]),                        # indented first line, runs to the margin
        (72, 20, full[:20] + "。"),                 # short line ending with 。 -> paragraph ends
        (72, 20, full),                             # next paragraph (not indented, after a short line)
        (72, 20, full[:10]),
        (72, 40, "间距明显更大的新段落。"),         # a clear vertical gap
        (72, 20, "1.1 审核范围"),
    ]
    y = h - 100
    for x, dy, text in rows:
        y -= dy
        c.drawString(x, y, text)
    c.showPage()
    c.save()
    doc = load(path)
    assert [b.text for b in doc.blocks] == [
        "（一）审核准备".replace("（", "(").replace("）", ")"),
        full[:33] + full[:20] + "。",
        full + full[:10],
        "间距明显更大的新段落。",
        "1.1 审核范围",
    ]
    assert [b.locator for b in doc.blocks] == [f"p1.l{n}" for n in range(1, 6)]


def test_blank_page_is_neither_read_nor_unread(rl_canvas, tmp_path):
    path = tmp_path / "blank.pdf"
    c = rl_canvas.Canvas(str(path), pagesize=A4)
    c.setFont("WQY", 12)
    c.drawString(72, 700, "正文第一页。")
    c.showPage()
    c.showPage()                     # an intentionally blank page (back of a cover)
    c.setFont("WQY", 12)
    c.drawString(72, 700, "正文第三页。")
    c.showPage()
    c.save()
    doc = load(path)
    assert doc.pages == 3 and doc.unread_pages == [] and doc.warnings == []
    assert [(b.page, b.locator, b.text) for b in doc.blocks] == [(1, "p1.l1", "正文第一页。"),
                                                                 (3, "p3.l1", "正文第三页。")]
