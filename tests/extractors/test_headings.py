"""Heading detection: every numbering style, Word styles and PDF hints, false positives, TOC."""
from __future__ import annotations

import ingest
from extractors.headings import find_headings, find_toc, split_numbering
from ingest.model import Document, Paragraph, Table, Cell


def load_txt(tmp_path, text: str, name: str = "report.txt") -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ingest.load(path)


def make_doc(*paras: Paragraph | Table) -> Document:
    doc = Document(name="t.docx", sha256="0", format="docx", pages=max(
        [p.page for p in paras] or [1]))
    doc.blocks.extend(paras)
    return doc


def para(text: str, page: int = 1, n: list[int] = [0], **hints) -> Paragraph:
    n[0] += 1
    return Paragraph(text=ingest.clean_line(text), page=page, locator=f"p{n[0]}", **hints)


def outline(headings):
    return [(h.level, h.style, h.title) for h in headings]


def test_chinese_official_styles_nest_in_order(tmp_path):
    doc = load_txt(tmp_path, "\n\n".join([
        "一、企业简况", "本公司位于南宁市。",
        "（一）企业基本信息", "公司成立于2001年。",
        "1.生产工艺", "采用亚硫酸法。",
        "（1）压榨工段", "压榨机五座。",
        "①渗透系统", "复式渗透。",
        "二、企业清洁生产管理现状", "现状良好。",
        "(一)机构设置", "成立了领导小组。",
    ]))
    got = outline(find_headings(doc))
    assert got == [
        (1, "cn", "企业简况"), (2, "cn_paren", "企业基本信息"), (3, "decimal", "生产工艺"),
        (4, "arabic_paren", "压榨工段"), (5, "circled", "渗透系统"),
        (1, "cn", "企业清洁生产管理现状"), (2, "cn_paren", "机构设置"),
    ]


def test_full_width_and_ascii_parentheses_are_one_style():
    # ingest folds （一） to (一); a Document built elsewhere may still hold either form
    doc = make_doc(Paragraph("一、企业概况", 1, "p1"), Paragraph("（一）基本信息", 1, "p2"),
                   Paragraph("正文内容。", 1, "p3"), Paragraph("(二)主要产品", 1, "p4"),
                   Paragraph("（1）白砂糖", 1, "p5"), Paragraph("(2)赤砂糖", 1, "p6"))
    got = outline(find_headings(doc))
    assert got == [(1, "cn", "企业概况"), (2, "cn_paren", "基本信息"), (2, "cn_paren", "主要产品"),
                   (3, "arabic_paren", "白砂糖"), (3, "arabic_paren", "赤砂糖")]


def test_chapters_sections_and_decimal_numbering(tmp_path):
    doc = load_txt(tmp_path, "\n\n".join([
        "第一章 筹划与组织", "1.1 成立审核小组", "小组成员见下表。",
        "1.1.1 小组职责", "负责审核。", "第二节 宣传教育", "开展培训。",
        "第二章 预审核", "1.2 企业概况", "位于崇左。",
    ]))
    got = outline(find_headings(doc))
    assert got[0] == (1, "chapter", "筹划与组织")
    assert got[1] == (2, "decimal_multi", "成立审核小组")
    assert got[2] == (3, "decimal_multi", "小组职责")
    assert got[3][1:] == ("chapter", "宣传教育")
    assert got[4] == (1, "chapter", "预审核")
    assert got[5] == (2, "decimal_multi", "企业概况")


def test_decimal_only_report_and_number_space_title(tmp_path):
    doc = load_txt(tmp_path, "\n\n".join([
        "1 企业简况", "公司位于南宁。", "1.1 基本信息", "见表。", "1.1.1 地理位置", "在南宁。",
        "2 管理现状", "良好。", "2.1 机构设置", "有机构。",
    ]))
    got = outline(find_headings(doc))
    assert got == [(1, "decimal", "企业简况"), (2, "decimal_multi", "基本信息"),
                   (3, "decimal_multi", "地理位置"), (1, "decimal", "管理现状"),
                   (2, "decimal_multi", "机构设置")]
    heads = find_headings(doc)
    assert heads[0].numbering == "1" and heads[1].numbering == "1.1"


def test_sentence_list_items_are_not_headings(tmp_path):
    doc = load_txt(tmp_path, "\n\n".join([
        "（一）宣传和培训",
        "公司采取了以下措施：",
        "1.加强培训，提高员工意识。",
        "2.完善制度",
        "3.开展知识竞赛，营造氛围",
        "（二）清洁生产审核",
        "本轮审核于2023年启动。",
    ]))
    titles = [h.title for h in find_headings(doc)]
    assert titles == ["宣传和培训", "清洁生产审核"]


def test_numbered_headings_with_body_between_are_kept(tmp_path):
    doc = load_txt(tmp_path, "\n\n".join([
        "1.生产工艺", "公司采用亚硫酸法澄清工艺。", "2.主要生产设备", "压榨机组五座。",
    ]))
    assert [h.title for h in find_headings(doc)] == ["生产工艺", "主要生产设备"]


def test_captions_numbers_sentences_and_tables_are_not_headings():
    doc = make_doc(
        Paragraph("一、企业简况", 1, "p1"),
        Paragraph("表1-1 企业基本情况", 1, "p2", bold=True, centered=True),
        Table(rows=[[Cell("一、项目", 0, 0), Cell("内容", 0, 1)]], page=1, locator="t1"),
        Paragraph("图2 生产工艺流程图", 1, "p3", bold=True),
        Paragraph("12", 1, "p4", bold=True),
        Paragraph("- 3 -", 1, "p5"),
        Paragraph("1.5万吨蔗渣全部送锅炉燃烧", 1, "p6"),
        Paragraph("2.本公司成立于2006年，是一家以甘蔗为原料生产白砂糖的制糖企业，现有日榨甘蔗"
                  "10000吨生产线一条，配套锅炉两台", 1, "p7"),
        Paragraph("3.公司于2020年通过了ISO14001认证。", 1, "p8"),
        Paragraph("续表1-1", 1, "p9", bold=True),
    )
    assert [h.text for h in find_headings(doc)] == ["一、企业简况"]


def test_word_heading_styles_and_outline_levels():
    doc = make_doc(
        Paragraph("企业简况", 1, "p1", style="Heading 1"),
        Paragraph("基本信息", 1, "p2", style="标题 2"),
        Paragraph("公司位于崇左市。", 1, "p3", style="Normal"),
        Paragraph("管理现状", 2, "p4", outline_level=0),
        Paragraph("机构设置", 2, "p5", style="heading 2"),
        Paragraph("清洁生产审核报告", 1, "p6", style="Title"),
    )
    heads = find_headings(doc)
    assert outline(heads) == [(1, "word_style", "企业简况"), (2, "word_style", "基本信息"),
                              (1, "word_style", "管理现状"), (2, "word_style", "机构设置")]
    assert heads[2].page == 2 and heads[2].locator == "p4" and heads[2].block_index == 3


def test_bold_and_large_lines_from_a_pdf():
    doc = make_doc(
        Paragraph("广西崇左丰蔗糖业有限责任公司", 1, "p1.l1", bold=True, size_ratio=1.8, centered=True),
        Paragraph("清洁生产审核报告", 1, "p1.l2", bold=True, size_ratio=2.2, centered=True),
        Paragraph("2024年3月", 1, "p1.l3", bold=True, centered=True),
        Paragraph("企业简况", 2, "p2.l1", size_ratio=1.5, centered=True),
        Paragraph("公司位于崇左市江州区，交通便利。", 2, "p2.l2", size_ratio=1.0),
        Paragraph("主要产品", 2, "p2.l3", bold=True, size_ratio=1.0),
        Paragraph("公司主要产品为白砂糖，兼产赤砂糖，本段整段加粗强调但它是一个完整的句子。",
                  2, "p2.l4", bold=True),
        Paragraph("编制单位：广西某咨询公司", 1, "p1.l4", bold=True),
    )
    heads = find_headings(doc)
    assert [(h.title, h.style) for h in heads] == [("企业简况", "bold_line"), ("主要产品", "bold_line")]


def test_unnumbered_chapters_set_larger_hold_the_numbered_headings():
    doc = make_doc(
        Paragraph("前言", 1, "p1", bold=True, size_ratio=1.17),
        Paragraph("企业基本情况", 1, "p2", bold=True, size_ratio=1.33, centered=True),
        Paragraph("(一)组织机构", 1, "p3", bold=True, size_ratio=1.17),
        Paragraph("公司成立了领导小组。", 1, "p4", size_ratio=1.0),
        Paragraph("1.生产工艺", 1, "p5", bold=True, size_ratio=1.0),
        Paragraph("采用新型干法。", 1, "p6", size_ratio=1.0),
        Paragraph("清洁生产管理现状", 2, "p7", bold=True, size_ratio=1.33, centered=True),
        Paragraph("(一)管理制度", 2, "p8", bold=True, size_ratio=1.17),
    )
    assert [(h.level, h.title) for h in find_headings(doc)] == [
        (1, "前言"), (1, "企业基本情况"), (2, "组织机构"), (3, "生产工艺"),
        (1, "清洁生产管理现状"), (2, "管理制度")]
    # an unnumbered line set like the numbered headings is their peer, not their parent
    peer = make_doc(Paragraph("前言", 1, "p1", bold=True), Paragraph("说明。", 1, "p2"),
                    Paragraph("一、企业简况", 1, "p3", bold=True), Paragraph("正文。", 1, "p4"),
                    Paragraph("(一)基本信息", 1, "p5", bold=True))
    assert [h.level for h in find_headings(peer)] == [1, 1, 2]


def test_letter_spaced_headings(tmp_path):
    doc = make_doc(Paragraph("企 业 简 况", 1, "p1", style="Heading 1"),
                   Paragraph("(一) 基 本 信 息", 1, "p2"), Paragraph("正文。", 1, "p3"))
    heads = find_headings(doc)
    assert [h.title for h in heads] == ["企业简况", "基本信息"]
    txt = load_txt(tmp_path, "一、企 业 简 况\n\n本公司位于南宁。\n")
    assert [h.text for h in find_headings(txt)] == ["一、企业简况"]


def test_split_numbering():
    assert split_numbering("（一）企业基本信息")[:3] == ("(一)", "企业基本信息", "cn_paren")
    assert split_numbering("第三章　审核")[:3] == ("第三章", "审核", "chapter")
    assert split_numbering("2.1.3 物料平衡")[:3] == ("2.1.3", "物料平衡", "decimal_multi")
    assert split_numbering("12.5%的蔗渣")[0] == ""
    assert split_numbering("企业简况")[:3] == ("", "企业简况", "none")


TOC_BODY = [
    "广西某某糖业有限公司",
    "清洁生产审核报告",
    "目  录",
    "一、企业简况……………………………1",
    "二、企业清洁生产管理现状………………2",
    "（一）机构设置 ........................ 2",
    "（二）管理制度……………………………3",
    "三、厂容厂貌…………………………12",
    "一、企业简况",
    "本公司位于南宁市。",
    "二、企业清洁生产管理现状",
    "（一）机构设置",
    "成立领导小组。",
    "（二）管理制度",
    "制定了制度。",
]


def test_toc_lines_are_not_headings(tmp_path):
    doc = load_txt(tmp_path, "\n\n".join(TOC_BODY))
    toc = find_toc(doc)
    assert [(e.title, e.page_ref) for e in toc] == [
        ("企业简况", 1), ("企业清洁生产管理现状", 2), ("机构设置", 2), ("管理制度", 3),
        ("厂容厂貌", 12)]
    heads = find_headings(doc)
    assert [h.text for h in heads] == ["一、企业简况", "二、企业清洁生产管理现状", "(一)机构设置",
                                       "(二)管理制度"]
    toc_locators = {e.locator for e in toc}
    assert not toc_locators & {h.locator for h in heads}


def test_word_toc_with_tabs_and_a_toc_joined_into_one_paragraph():
    doc = make_doc(
        Paragraph("目录", 1, "p1", bold=True),
        Paragraph("一、企业简况\t3", 1, "p2", style="TOC 1"),
        Paragraph("（一）企业基本信息\t3", 1, "p3", style="toc 2"),
        Paragraph("二、管理现状\t4", 1, "p4", style="TOC 1"),
        Paragraph("一、企业简况", 2, "p5", style="Heading 1"),
        Paragraph("正文。", 2, "p6"),
    )
    assert [(e.text, e.page_ref) for e in find_toc(doc)] == [
        ("一、企业简况", 3), ("(一)企业基本信息", 3), ("二、管理现状", 4)]
    assert [h.text for h in find_headings(doc)] == ["一、企业简况"]

    # a PDF reader may join the TOC lines into one paragraph, with no 目录 title
    joined = make_doc(
        Paragraph("一、企业简况……1 二、管理现状……2 三、绩效评价……5 四、存在问题……6", 1, "p1.l1"),
        Paragraph("一、企业简况", 2, "p2.l1"), Paragraph("正文。", 2, "p2.l2"))
    assert [e.title for e in find_toc(joined)] == ["企业简况", "管理现状", "绩效评价", "存在问题"]
    assert [h.title for h in find_headings(joined)] == ["企业简况"]


def test_toc_without_title_and_plain_page_numbers_inside_a_toc(tmp_path):
    doc = make_doc(
        Paragraph("一、企业简况……1", 1, "p1"),
        Paragraph("二、管理现状……2", 1, "p2"),
        Paragraph("三、清洁生产水平……4", 1, "p3"),
        Paragraph("一、企业简况", 2, "p4"),
        Paragraph("正文。", 2, "p5"),
    )
    assert len(find_toc(doc)) == 3
    assert [h.title for h in find_headings(doc)] == ["企业简况"]
    plain = make_doc(Paragraph("目 录", 1, "p1"), Paragraph("一、企业简况 1", 1, "p2"),
                     Paragraph("二、管理现状 3", 1, "p3"), Paragraph("一、企业简况", 2, "p4"),
                     Paragraph("公司位于南宁。", 2, "p5"), Paragraph("二、管理现状", 3, "p6"))
    assert [(e.title, e.page_ref) for e in find_toc(plain)] == [("企业简况", 1), ("管理现状", 3)]
    assert [h.page for h in find_headings(plain)] == [2, 3]


def test_numbered_lines_with_page_numbers_before_the_body_are_a_toc(tmp_path):
    lines = ["清洁生产审核报告", "一、企业简况 1", "二、管理现状 3", "(一)机构设置 3", "三、绩效评价 7",
             "一、企业简况",
             "广西某某糖业有限公司位于崇左市江州区，成立于2006年，是一家以甘蔗为原料生产白砂糖的"
             "制糖企业，现有日榨甘蔗10000吨生产线一条。",
             "二、管理现状", "公司成立了领导小组。"]
    doc = load_txt(tmp_path, "\n\n".join(lines))
    assert [(e.title, e.page_ref) for e in find_toc(doc)] == [
        ("企业简况", 1), ("管理现状", 3), ("机构设置", 3), ("绩效评价", 7)]
    assert [h.text for h in find_headings(doc)] == ["一、企业简况", "二、管理现状"]
    # the same lines in the body, after the text has started, are no TOC
    body = load_txt(tmp_path, "\n\n".join(lines[6:7] + lines[1:5]), "b.txt")
    assert find_toc(body) == []


def test_no_toc_in_an_ordinary_report(tmp_path):
    doc = load_txt(tmp_path, "\n\n".join(TOC_BODY[8:]))
    assert find_toc(doc) == []


def test_cover_lines_before_the_first_heading_are_not_headings():
    # a project line, a round and a date set large on a cover page of their own
    doc = make_doc(
        Paragraph("广西某某化工有限公司", 1, "p1", bold=True, size_ratio=1.8, centered=True),
        Paragraph("年产20万吨烧碱技改工程", 1, "p2", bold=True, size_ratio=1.6, centered=True),
        Paragraph("第三轮", 1, "p3", bold=True, size_ratio=1.4, centered=True),
        Paragraph("一、企业简况", 2, "p4", bold=True, size_ratio=1.3),
        Paragraph("公司位于某工业园区，主要生产烧碱和液氯，现有员工三百余人。", 2, "p5"),
    )
    assert [h.title for h in find_headings(doc)] == ["企业简况"]
    # the same with a table of contents between the cover and the body
    doc = make_doc(
        Paragraph("某某食品有限公司", 1, "p1", bold=True, size_ratio=1.8, centered=True),
        Paragraph("日处理3000吨甘薯淀粉生产线", 1, "p2", bold=True, size_ratio=1.5, centered=True),
        Paragraph("目录", 2, "p3", bold=True),
        Paragraph("第一章企业概况\t3", 2, "p4"),
        Paragraph("第二章清洁生产管理现状\t4", 2, "p5"),
        Paragraph("第一章企业概况", 3, "p6", style="Heading 1"),
        Paragraph("公司位于某县工业集中区，以鲜薯为原料生产食用淀粉，年产淀粉五万吨。", 3, "p7"),
        Paragraph("第二章清洁生产管理现状", 4, "p8", style="Heading 1"),
    )
    assert [h.title for h in find_headings(doc)] == ["企业概况", "清洁生产管理现状"]


def test_an_unnumbered_line_on_the_page_where_the_body_starts_is_kept():
    doc = make_doc(
        Paragraph("项目概述", 2, "p1", bold=True, size_ratio=1.4),
        Paragraph("一、企业简况", 2, "p2", bold=True, size_ratio=1.3),
        Paragraph("公司成立于2010年，主要生产精制茶油，年加工油茶籽两万吨。", 2, "p3"),
    )
    assert [h.title for h in find_headings(doc)] == ["项目概述", "企业简况"]
