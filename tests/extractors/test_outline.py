"""Outline matching against 附件1 / 附件2, with the rubric's real outline data."""
from __future__ import annotations

import pytest

import ingest
from extractors.headings import find_headings
from extractors.outline import OutlineTemplate, SectionSpec, detect_doc_type, match_outline
from ingest.model import Document, Paragraph
from rubric.outlines import load_outline_templates


@pytest.fixture(scope="module")
def templates():
    return load_outline_templates()


def load_txt(tmp_path, text: str, name: str = "report.txt") -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ingest.load(path)


def statuses(result) -> dict[str, str]:
    return {s.id: s.status for s in result.sections}


# An audit report on 附件2's outline, each section with a line of content.
AUDIT = [
    ("一、企业简况", "公司成立于2006年，位于崇左市，主要产品为白砂糖。"),
    ("二、企业清洁生产管理现状", "公司重视清洁生产管理。"),
    ("（一）机构设置", "公司成立了清洁生产领导小组，总经理任组长。"),
    ("（二）管理制度", "公司制定了清洁生产管理办法和奖惩考核制度。"),
    ("（三）规划、计划", "公司编制了清洁生产推行规划和年度计划。"),
    ("三、目前企业清洁生产水平", "现状如下。"),
    ("（一）生产工艺及装备、计量器具配备及设备管理情况", "情况如下。"),
    ("1.生产工艺", "公司采用亚硫酸法澄清工艺。"),
    ("2.计量器具配备", "水计量率100%。"),
    ("（二）原材料消耗、资源消耗情况", "近三年原辅材料消耗见下表。"),
    ("（三）主要能量转换设备的能效", "75t/h锅炉热效率为84.1%。"),
    ("（四）主要污染物排放情况", "废水经处理后达标排放。"),
    ("（五）主要技术经济指标与先进指标的比对", "主要指标达到国内先进水平。"),
    ("四、近年清洁生产推行情况", "近年来持续推行清洁生产。"),
    ("（一）宣传和培训", "每年组织全员培训，员工清洁生产认知率达到96%。"),
    ("（二）清洁生产审核", "确定制炼车间为审核重点。"),
    ("（三）清洁生产工艺技术应用、原辅材料和能源替代、过程优化及废弃物循环利用",
     "以蔗渣替代燃煤。"),
    ("（四）清洁生产提标改造及资金投入", "累计投入829万元。"),
    ("（五）建立和完善机制、制度与规程", "修订了岗位操作规程。"),
    ("五、绩效评价", "绩效如下。"),
    ("（一）经济效益", "年产生经济效益约612万元。"),
    ("（二）环境效益", "年减少COD排放约36吨。"),
    ("（三）厂容厂貌", "厂区道路全部硬化，绿化面积约5.2万平方米，未发现跑冒滴漏。"),
    ("六、持续清洁生产情况", "公司制定了2024—2026年持续清洁生产计划。"),
    ("七、行业清洁生产水平评价", "总体达到二级标准。"),
    ("八、存在问题", "总收回率与一级指标仍有差距。"),
    ("九、结论及建议", "建议加快滤泥有机肥项目建设。"),
]


def audit_text(drop: tuple[str, ...] = (), rename: dict[str, str] | None = None,
               cover: str = "清洁生产审核报告") -> str:
    rename = rename or {}
    lines = ["广西崇左丰蔗糖业有限责任公司", cover] if cover else []
    for heading, body in AUDIT:
        if heading in drop:
            continue
        lines += [rename.get(heading, heading), body]
    return "\n\n".join(lines) + "\n"


def test_complete_audit_report_has_every_section_as_heading(tmp_path, templates):
    doc = load_txt(tmp_path, audit_text())
    result = match_outline(doc, templates["audit_report"])
    assert statuses(result) == {s.id: "heading" for s in templates["audit_report"].sections}
    by_id = {s.id: s for s in result.sections}
    assert by_id["3.1"].heading == "(一)生产工艺及装备、计量器具配备及设备管理情况"
    assert by_id["5.3"].heading == "(三)厂容厂貌" and by_id["5.3"].page == 1
    assert by_id["9"].score == 1.0
    assert result.template == "audit_report" and len(result.headings) == 27


def test_a_removed_section_is_missing_and_only_that_one(tmp_path, templates):
    doc = load_txt(tmp_path, audit_text(drop=("（三）厂容厂貌", "（三）主要能量转换设备的能效")))
    got = statuses(match_outline(doc, templates["audit_report"]))
    assert got["5.3"] == "missing"
    assert got["3.3"] == "missing"
    assert [k for k, v in got.items() if v != "heading"] == ["3.3", "5.3"]


def test_aliases_and_other_wordings_match(tmp_path, templates):
    doc = load_txt(tmp_path, audit_text(rename={
        "一、企业简况": "一、公司简介",
        "（一）宣传和培训": "（一）宣传培训",
        "九、结论及建议": "九、结论与建议",
        "二、企业清洁生产管理现状": "二、清洁生产管理现状",
        "（一）机构设置": "（一）组织机构",
        "（四）主要污染物排放情况": "（四）污染物产生及排放情况",
        "八、存在问题": "八、存在的主要问题",
        "（二）原材料消耗、资源消耗情况": "（二）资源消耗与原材料消耗",
    }))
    result = match_outline(doc, templates["audit_report"])
    assert set(statuses(result).values()) == {"heading"}
    by_id = {s.id: s for s in result.sections}
    assert by_id["1"].heading == "一、公司简介"
    assert by_id["4.1"].heading == "(一)宣传培训"
    assert by_id["2.1"].heading == "(一)组织机构"
    assert by_id["3.2"].heading == "(二)资源消耗与原材料消耗"


def test_body_status_with_evidence_and_page(templates):
    paras = [
        ("一、企业简况", 1), ("公司成立于2006年。", 1),
        ("五、绩效评价", 2), ("(一)经济效益", 2), ("年产生经济效益约612万元。", 2),
        ("(二)环境效益", 3), ("年减少COD排放约36吨。", 3),
        ("公司注重现场管理，厂区绿化率达到35%，现场无跑冒滴漏现象。", 3),
    ]
    doc = Document(name="t.pdf", sha256="0", format="pdf", pages=3, blocks=[
        Paragraph(t, page, f"p{page}.l{i}") for i, (t, page) in enumerate(paras, 1)])
    result = match_outline(doc, templates["audit_report"])
    m = {s.id: s for s in result.sections}["5.3"]
    assert m.status == "body"
    assert m.page == 3 and m.locator == "p3.l8"
    assert "绿化率" in m.evidence and m.heading is None


def test_a_passing_mention_is_not_body_evidence(templates):
    doc = Document(name="t.pdf", sha256="0", format="pdf", pages=1, blocks=[
        Paragraph("一、企业简况", 1, "p1"),
        Paragraph("公司位于工业园区，周边有绿化带。", 1, "p2"),
        Paragraph("二、存在问题", 1, "p3"),
        Paragraph("培训记录不完整。", 1, "p4"),
    ])
    got = statuses(match_outline(doc, templates["audit_report"]))
    assert got["5.3"] == "missing"
    assert got["4.1"] == "missing"
    assert got["1"] == "heading" and got["8"] == "heading"


def test_one_heading_may_cover_two_sibling_sections(tmp_path, templates):
    doc = load_txt(tmp_path, audit_text(drop=("（二）环境效益",), rename={
        "（一）经济效益": "（一）经济效益和环境效益"}))
    result = match_outline(doc, templates["audit_report"])
    by_id = {s.id: s for s in result.sections}
    assert by_id["5.1"].status == by_id["5.2"].status == "heading"
    assert by_id["5.1"].heading == by_id["5.2"].heading == "(一)经济效益和环境效益"
    # but a heading is not claimed twice when it names only one section
    assert by_id["2.2"].heading == "(二)管理制度" and by_id["4.5"].heading != by_id["2.2"].heading


def test_parent_without_heading_is_body_when_its_children_are_there(tmp_path, templates):
    doc = load_txt(tmp_path, audit_text(drop=("五、绩效评价",)))
    result = match_outline(doc, templates["audit_report"])
    by_id = {s.id: s for s in result.sections}
    assert by_id["5"].status == "body"
    assert by_id["5.1"].status == by_id["5.2"].status == by_id["5.3"].status == "heading"


SEVEN_STAGE = """广西某某水泥有限公司
清洁生产审核报告

第一章 筹划与组织

1.1 成立审核小组

公司成立了清洁生产审核小组，总经理任组长，成员由各车间主任组成。

1.2 宣传教育与培训

组织全员清洁生产培训3次，员工清洁生产认知率达到96%。

第二章 预审核

2.1 企业概况

公司成立于2008年，位于贵港市，年产水泥200万吨。

2.2 企业清洁生产管理现状

公司已建立清洁生产管理制度和奖惩考核制度，并编制了清洁生产中长期规划。

2.3 生产工艺及设备

公司采用新型干法水泥生产工艺，计量器具配备齐全。

2.4 原辅材料及能源消耗

近三年原辅材料和能源消耗见下表。

2.5 主要耗能设备能效

回转窑及余热锅炉热效率测试结果良好。

2.6 产排污状况

主要污染物为颗粒物、二氧化硫和氮氧化物，经处理后达标排放。

2.7 与国内外同行业先进水平比较

吨熟料综合能耗优于行业先进水平，主要技术经济指标与先进指标对标结果见下表。

2.8 确定审核重点

确定熟料烧成车间为审核重点。

第三章 审核

3.1 物料平衡

开展了物料平衡和水平衡测试。

第四章 方案的产生和筛选

共提出无/低费方案12项、中/高费方案3项。

第五章 方案的确定

对中/高费方案进行了可行性分析。

第六章 方案的实施

6.1 方案实施情况

已实施方案累计投资560万元，以天然气替代燃煤，实现了冷凝水循环使用。

6.2 已实施方案的效果

6.2.1 经济效益

年产生经济效益约380万元。

6.2.2 环境效益

年减少颗粒物排放12吨。

第七章 持续清洁生产

7.1 建立和完善清洁生产组织

公司将清洁生产办公室作为常设机构，并修订了岗位操作规程，建立长效机制。

7.2 持续清洁生产计划

制定了下一轮清洁生产审核计划。

第八章 结论

8.1 厂容厂貌

厂区绿化率达到30%，无跑冒滴漏。

8.2 清洁生产水平评价

对照水泥行业清洁生产评价指标体系，公司达到清洁生产先进企业水平。

8.3 存在问题

余热利用仍有潜力。

8.4 结论与建议

本轮审核达到预期目标。
"""


def test_seven_stage_report_has_no_missing_section(tmp_path, templates):
    doc = load_txt(tmp_path, SEVEN_STAGE)
    result = match_outline(doc, templates["audit_report"])
    got = statuses(result)
    assert [k for k, v in got.items() if v == "missing"] == []
    by_id = {s.id: s for s in result.sections}
    # sections with a heading of their own, wherever the seven stages put it
    assert by_id["2.1"].heading == "1.1 成立审核小组"
    assert by_id["4.1"].heading == "1.2 宣传教育与培训"
    assert by_id["1"].heading == "2.1 企业概况"
    assert by_id["4.2"].heading == "第三章审核"
    assert by_id["6"].heading == "第七章持续清洁生产"
    assert by_id["5"].heading == "6.2 已实施方案的效果"
    assert by_id["5.1"].heading == "6.2.1 经济效益"
    assert by_id["9"].status == "heading" and by_id["5.3"].heading == "8.1 厂容厂貌"
    # 预审核 is the report's 目前清洁生产水平; 方案的实施 holds 4.3 and 4.4 without naming them
    assert by_id["3"].heading == "第二章预审核"
    assert by_id["3.3"].heading == "2.5 主要耗能设备能效"
    assert by_id["4.3"].status == "body" and "循环使用" in by_id["4.3"].evidence
    assert by_id["4.4"].status == "body" and "560万元" in by_id["4.4"].evidence
    # 持续清洁生产 is taken by its chapter, so its plan is the report's 规划、计划
    assert by_id["2.3"].heading == "7.2 持续清洁生产计划"


def test_toc_entry_without_body_heading_gives_a_warning(tmp_path, templates):
    text = "\n\n".join([
        "清洁生产审核报告", "目  录",
        "一、企业简况……………………1", "二、存在问题……………………5", "三、厂容厂貌…………………12",
        "一、企业简况", "公司位于南宁市。", "二、存在问题", "培训记录不完整。"])
    result = match_outline(load_txt(tmp_path, text), templates["audit_report"])
    assert len(result.toc) == 3
    assert result.warnings == [
        "目录列出“厂容厂貌”（第12页），正文中未找到该标题 / The table of contents lists "
        "“厂容厂貌” (page 12) but the body has no such heading"]
    # the TOC line names 厂容厂貌 but is no evidence of it
    assert statuses(result)["5.3"] == "missing"


def test_doc_type_from_the_cover(tmp_path, templates):
    audit = load_txt(tmp_path, audit_text(), "a.txt")
    assert detect_doc_type(audit, templates) == "audit_report"
    summary = load_txt(tmp_path, audit_text(cover="清洁生产工作总结"), "b.txt")
    assert detect_doc_type(summary, templates) == "work_summary"


SUMMARY = """一、企业基本情况

公司位于柳州市。

二、清洁生产管理现状

（一）企业清洁生产组织机构建设情况

成立了领导小组。

（二）清洁生产制度的制定与实施

制定了制度。

（三）企业实施清洁生产的组织和培训情况

组织了培训。

三、清洁生产过程中指标体系的建立及考核情况

建立了指标体系。

四、清洁生产成果

（一）目前企业清洁生产水平

达到二级。

（二）企业产污、排污现状，所处水平及治理情况

达标排放。

（三）清洁生产审核目标完成情况

目标全部完成。

（四）清洁生产方案投资及实施情况

投资300万元。

五、实施清洁生产情况

（一）近三年清洁生产推行情况

持续推行。

（二）持续清洁生产方案及计划

继续开展。

六、绩效评价

（一）经济效益

效益显著。

（二）环境效益

减排明显。

（三）厂容厂貌

绿化良好。

七、存在的问题及下一步计划

继续改进。
"""


def test_doc_type_from_outline_fit_when_the_cover_says_nothing(tmp_path, templates):
    summary = load_txt(tmp_path, SUMMARY, "s.txt")
    assert detect_doc_type(summary, templates) == "work_summary"
    got = statuses(match_outline(summary, templates["work_summary"]))
    assert set(got.values()) == {"heading"}
    audit = load_txt(tmp_path, audit_text(cover=""), "a.txt")
    assert detect_doc_type(audit, templates) == "audit_report"


def test_given_headings_are_used_and_nothing_goes_to_stdout(tmp_path, templates, capsys):
    doc = load_txt(tmp_path, audit_text())
    heads = find_headings(doc)
    result = match_outline(doc, templates["audit_report"], headings=heads[:3])
    assert result.headings == heads[:3]
    assert statuses(result)["9"] != "heading"
    assert capsys.readouterr().out == ""


def test_specs_built_by_hand():
    template = OutlineTemplate(name="mini", label_zh="测试", title_markers=["测试报告"], sections=[
        SectionSpec("1", "概况", ["简介"], ["成立", "位于"], None),
        SectionSpec("1.1", "地理位置", [], ["经度", "纬度"], "1"),
    ])
    doc = Document(name="t.txt", sha256="0", format="txt", pages=1, blocks=[
        Paragraph("一、简介", 1, "p1"), Paragraph("厂址经度108度，纬度22度。", 1, "p2")])
    by_id = {s.id: s for s in match_outline(doc, template).sections}
    assert by_id["1"].status == "heading" and by_id["1.1"].status == "body"
    assert by_id["1.1"].evidence == "厂址经度108度，纬度22度。"
    assert detect_doc_type(doc, {"mini": template}) == "mini"


# -- headings worded otherwise (classes from a blind-written corpus; our own wordings) ------

@pytest.mark.parametrize("plan,results,problems", [
    ("（二）下一步清洁生产计划", "六、效益分析", "七、问题与今后打算"),
    ("（二）今后清洁生产工作计划", "六、效益评价", "七、存在问题及今后打算"),
])
def test_summary_titles_in_other_words(tmp_path, templates, plan, results, problems):
    text = (SUMMARY.replace("（二）持续清洁生产方案及计划", plan).replace("六、绩效评价", results)
            .replace("七、存在的问题及下一步计划", problems))
    result = match_outline(load_txt(tmp_path, text, "s.txt"), templates["work_summary"])
    by_id = {s.id: s for s in result.sections}
    assert by_id["5.2"].status == "heading" and by_id["5.2"].heading.endswith(plan[3:])
    assert by_id["6"].heading == results and by_id["7"].heading == problems


@pytest.mark.parametrize("title", ["（一）环境管理制度与长效机制", "（一）清洁生产管理制度和长效机制"])
def test_a_coordinated_heading_covers_each_part(tmp_path, templates, title):
    # a later chapter's "制度与长效机制" heading names 管理制度 and 长效机制 (4.5) apart
    doc = load_txt(tmp_path, audit_text(drop=("（二）管理制度", "（五）建立和完善机制、制度与规程"), rename={
        "六、持续清洁生产情况": "六、持续清洁生产情况\n\n" + title + "\n\n修订了管理办法，建立了长效机制。"}))
    by_id = {s.id: s for s in match_outline(doc, templates["audit_report"]).sections}
    assert by_id["4.5"].status == "heading" and by_id["4.5"].heading == title.replace("（", "(").replace("）", ")")


@pytest.mark.parametrize("heading,section", [("（一）清洁生产管理制度与长效机制", "2"),
                                             ("（一）清洁生产管理人员培训", "2")])
def test_a_name_running_on_into_a_longer_word_is_not_that_name(tmp_path, templates, heading, section):
    # "清洁生产管理" ends inside 管理制度 / 管理人员: the heading names something narrower than 2
    doc = load_txt(tmp_path, audit_text(drop=("二、企业清洁生产管理现状",), rename={
        "六、持续清洁生产情况": "六、持续清洁生产情况\n\n" + heading + "\n\n按月检查台账。"}))
    by_id = {s.id: s for s in match_outline(doc, templates["audit_report"]).sections}
    assert by_id[section].heading != heading.replace("（", "(").replace("）", ")")


@pytest.mark.parametrize("sentence", ["存在的主要问题是中水回用率偏低、蒸汽单耗偏高。",
                                      "审核发现存在的主要问题有：危废暂存间标识不全，部分水表未校验。"])
def test_problems_stated_in_the_conclusion_chapter(tmp_path, templates, sentence):
    doc = load_txt(tmp_path, audit_text(drop=("八、存在问题",), rename={
        "九、结论及建议": "九、结论与建议\n\n" + sentence}))
    by_id = {s.id: s for s in match_outline(doc, templates["audit_report"]).sections}
    assert by_id["8"].status == "body" and "主要问题" in by_id["8"].evidence


def test_contains_as_words_checks_where_the_name_ends():
    from extractors.text_match import contains_as_words
    assert contains_as_words("清洁生产计划", "持续清洁生产计划")       # a word before only narrows it
    assert contains_as_words("环境效益", "经济效益和环境效益")
    assert not contains_as_words("清洁生产管理", "清洁生产管理体系建设")  # 管理体系 is another word
