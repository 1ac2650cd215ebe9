"""Classes of phrasing a second blind-written corpus showed the extractors missing or misreading.

Like test_phrasing_classes.py: each class is proved with phrasings of our own (none copied from
corpus/heldout or corpus/heldout2), at least two per class, and with near misses that must give
nothing (or must not give the wrong value).
"""
import pytest

from extractors.indicators import extract_indicators
from ingest.model import Cell, Document, Paragraph, Table
from rubric.indicators import load_indicator_specs


@pytest.fixture(scope="module")
def specs():
    return load_indicator_specs()


def doc_of(*blocks):
    doc = Document(name="t.txt", sha256="", format="text", pages=9)
    for i, b in enumerate(blocks):
        if isinstance(b, str):
            b = Paragraph(text=b, page=i + 1, locator=f"p{i + 1}")
        doc.blocks.append(b)
    return doc


def mentions(specs, *blocks):
    return extract_indicators(doc_of(*blocks), specs)


def flags_of(specs, text, key):
    return [m.value for m in mentions(specs, text) if m.key == key and m.unit == "flag"]


def rates(specs, *blocks, key=None):
    return [(m.key, m.value, m.comparator, m.year, m.role) for m in mentions(specs, *blocks)
            if m.unit != "flag" and (key is None or m.key == key)]


def table(rows, locator="t1", page=3):
    cells = [[Cell(text=t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return Table(rows=cells, page=page, locator=locator, header_rows=1, n_cols=len(rows[0]))


# -- 1. a flag's clause: negated or partial ---------------------------------------------------

@pytest.mark.parametrize("text,key,value", [
    # negators before the flag's head, in its clause
    ("本公司通过了安全标准化评审，但环境管理体系目前尚未通过认证", "iso14001", 0),
    ("企业现阶段暂无GB/T 24001环境管理体系认证证书", "iso14001", 0),
    ("目前仍未建立经过第三方认证的环境管理体系", "iso14001", 0),
    ("焙烧炉尾气经脱硫后高空排放，没有开展回收利用", "waste_gas_utilization", 0),
    ("各车间废气收集处理后直接外排，暂未进行综合利用", "waste_gas_utilization", 0),
    # partial markers
    ("干燥机烟气仅部分得到回收利用", "waste_gas_utilization", 0.5),
    ("锅炉烟气余热用于预热助燃空气，剩余烟气未加以利用", "waste_gas_utilization", 0.5),
    # noise: an exceedance counted, none at all, a problem still open
    ("噪声例行监测中，南厂界夜间测点出现2次超出2类限值", "noise_compliant", 0),
    ("厂界噪声：四个测点昼夜噪声值全部未超出《工业企业厂界环境噪声排放标准》2类限值", "noise_compliant", 1),
    ("北侧厂界噪声超标现象仍然存在", "noise_compliant", 0),
])
def test_flag_negated_or_partial(specs, text, key, value):
    assert flags_of(specs, text, key) == [value]


@pytest.mark.parametrize("text,key,bad", [
    ("公司未发生环境污染事故，2020年已通过ISO 14001认证", "iso14001", 0),   # a negator of an event
    ("窑尾烟气全部回收利用，未发生超标排放", "waste_gas_utilization", 0),
    ("厂界噪声超标问题已于2022年整改解决", "noise_compliant", 0),          # solved: not open
    ("全部废气的余热均已回收利用", "waste_gas_utilization", 0.5),          # 全部 is not 部分
])
def test_flag_negation_near_misses(specs, text, key, bad):
    assert bad not in flags_of(specs, text, key)


def test_full_use_stays_full(specs):
    assert flags_of(specs, "硫化氢尾气全部制成硫磺回收利用", "waste_gas_utilization") == [1]


# -- 2. roles: future targets, dated from-values, the actual in brackets ----------------------

@pytest.mark.parametrize("text,want", [
    ("下一步拟实施余热发电项目，2026年将水重复利用率提升至92%",
     [("wastewater_reuse_rate", 92, ">=", 2026, "target")]),
    ("公司计划完成三项中/高费方案，2025年固体废物综合利用率提高到90%",
     [("solid_waste_utilization_rate", 90, ">=", 2025, "target")]),
])
def test_future_targets(specs, text, want):
    assert rates(specs, text) == want


@pytest.mark.parametrize("text,want", [
    ("吨纸综合能耗从2020年的365 kgce/t下降到2022年的341 kgce/t",
     [("unit_energy_consumption", 365, "=", 2020, "actual"), ("unit_energy_consumption", 341, "=", 2022, "actual")]),
    ("员工清洁生产认知率由培训前的64%提升至91%",
     [("staff_awareness_rate", 64, "=", None, "actual"), ("staff_awareness_rate", 91, "=", None, "actual")]),
    # a from-value that does not say when it stood is still left out
    ("水重复利用率由82%提高到93%", [("wastewater_reuse_rate", 93, "=", None, "actual")]),
])
def test_dated_from_values_are_actual(specs, text, want):
    assert rates(specs, text) == want


def test_a_year_value_after_zhi_is_not_a_deadline(specs):
    # "降至2022年的341" is that year's value, not "by 2022" (a target)
    got = rates(specs, "单位产品综合能耗降至2022年的341 kgce/t，2022年吨产品取水量为3.2 m³/t")
    assert [r[4] for r in got] == ["actual", "actual"]


@pytest.mark.parametrize("text,want", [
    ("清洁生产目标：2022年固废综合利用率达到85%（实际87.2%，已完成）",
     [("solid_waste_utilization_rate", 85, ">=", 2022, "target"),
      ("solid_waste_utilization_rate", 87.2, "=", 2022, "actual")]),
    ("近期目标为单位产品新水用量降至3.0 m³/t以下（实际值2.8 m³/t）",
     [("unit_fresh_water", 3.0, "<=", None, "target"), ("unit_fresh_water", 2.8, "=", None, "actual")]),
])
def test_actual_in_brackets_after_a_target(specs, text, want):
    assert rates(specs, text) == want


def test_brackets_without_actual_are_no_second_value(specs):
    assert rates(specs, "2023年中水回用率达到45%（设计值50%）") == [
        ("wastewater_reuse_rate", 45, "=", 2023, "actual")]


# -- 3. years carried from one sentence to the next ------------------------------------------

def test_the_year_is_lent_only_by_the_sentence_just_before(specs):
    text = "2022年危险废物处置率为100%。外排废水达标率98%。全年脱硫设施运转率99%。"
    assert rates(specs, text, key="facility_operation_rate") == [("facility_operation_rate", 99, "=", None, "actual")]
    text = "2022年危险废物处置率为100%。全年脱硫设施运转率99%。"
    assert rates(specs, text, key="facility_operation_rate") == [("facility_operation_rate", 99, "=", 2022, "actual")]


def test_a_year_heading_a_list_goes_to_its_items(specs):
    text = "近期目标：2024年水重复利用率达到95%；单位产品综合能耗降至120 kgce/t。下一段固废综合利用率90%。"
    got = rates(specs, text)
    assert ("unit_energy_consumption", 120) in [(k, v) for k, v, _, y, _ in got if y == 2024]
    assert ("solid_waste_utilization_rate", 90, "=", None, "actual") in got   # after 。 the list is over


# -- 4. solid waste named by what it is ---------------------------------------------------------

@pytest.mark.parametrize("text,want", [
    ("2022年钢渣综合利用率为76.4%", [("solid_waste_utilization_rate", 76.4, "=", 2022, "actual")]),
    ("磷石膏综合利用率达到45%", [("solid_waste_utilization_rate", 45, "=", None, "actual")]),
    ("主要固体废物为赤泥，年产生约30万吨，综合利用率为18%",
     [("solid_waste_utilization_rate", 18, "=", None, "actual")]),
])
def test_solid_waste_named_by_material(specs, text, want):
    assert rates(specs, text) == want


@pytest.mark.parametrize("text", [
    "铅冶炼总回收率为96.1%",              # a metal's recovery into product
    "型砂系统旧砂再生回用率达到90%",       # a process figure, not filed
    "设备综合利用率为80%",                 # no waste named
])
def test_material_rates_that_are_not_solid_waste(specs, text):
    assert rates(specs, text) == []


# -- 5. compliance rates from counts with the object in between ------------------------------

@pytest.mark.parametrize("text,value", [
    ("2022年委托第三方监测废气排放口共30个次，结果无一超标", 100.0),
    ("各排气筒在线监测合计200次，超标2次", 99.0),
])
def test_counts_with_the_object_between(specs, text, value):
    ms = [m for m in mentions(specs, text) if m.unit != "flag"]
    assert [(m.key, m.value, m.derived) for m in ms] == [("waste_gas_compliance_rate", value, True)]


@pytest.mark.parametrize("text", ["排气筒高度为25米，共设置3个", "监测点位12个次，结果无一超标"])
def test_counts_without_a_subject_give_nothing(specs, text):
    assert [m for m in mentions(specs, text) if m.derived] == []


# -- 6. approximate shares -------------------------------------------------------------------

@pytest.mark.parametrize("text,want", [
    ("本轮技改投资3200万元，其中用于清洁生产项目的投资约1100万元，约占34%",
     [("cp_investment_ratio", 34, "~", None, "actual")]),
    ("技改总投入900万元，清洁生产相关投入占比超过三成", [("cp_investment_ratio", 30, ">", None, "actual")]),
    ("清洁生产技术开发投入大约为当年销售收入的千分之八", [("rd_investment_ratio", 0.8, "~", None, "actual")]),
    ("员工清洁生产认知率近九成", [("staff_awareness_rate", 90, "~", None, "actual")]),
])
def test_approximate_shares(specs, text, want):
    assert rates(specs, text) == want


@pytest.mark.parametrize("text", ["清洁生产投入为800万元，同比增加15%", "产品合格率超过九成",
                                  "清洁生产技术开发投入为销售收入增长的主要动力"])
def test_share_near_misses(specs, text):
    assert rates(specs, text) == []


# -- 9. all of the solid waste used, no number -------------------------------------------------

@pytest.mark.parametrize("text", ["2022年一般固体废物（炉渣、污泥）产生3800吨，全部实现综合利用",
                                  "厂内固废主要为边角料，全部进行资源化利用"])
def test_all_solid_waste_used(specs, text):
    assert flags_of(specs, text, "solid_waste_zero_discharge") == [1]


@pytest.mark.parametrize("text", ["固体废物中污泥委托有资质单位处置，炉渣全部实现综合利用",
                                  "一般固废综合利用率100%"])
def test_all_solid_waste_used_near_misses(specs, text):
    assert flags_of(specs, text, "solid_waste_zero_discharge") == []


# -- 7. per-area and per-product units -------------------------------------------------------

@pytest.mark.parametrize("text,key,value,unit", [
    ("单位产品综合能耗为52 kgce/万m²", "unit_energy_consumption", 52, "kgce/万m²"),
    ("2022年单位产品新水用量0.75 m³/百m²", "unit_fresh_water", 0.75, "m³/百m²"),
    ("每吨成品耗用新鲜水3.6立方米", "unit_fresh_water", 3.6, "m³/t"),
])
def test_per_area_and_per_product_units(specs, text, key, value, unit):
    ms = [m for m in mentions(specs, text) if m.unit != "flag"]
    assert [(m.key, m.value, m.unit) for m in ms] == [(key, value, unit)]


@pytest.mark.parametrize("text", ["每吨成品耗电410千瓦时",          # electricity alone is not 新水 nor 综合能耗
                                  "每吨成品耗新鲜水量较上年下降0.4立方米",  # a change
                                  "单位产品综合能耗为52 m³/万m²"])     # an energy indicator in a water unit
def test_unit_near_misses(specs, text):
    assert rates(specs, text) == []


def test_unit_table_per_area(specs):
    t = table([["指标", "2021年", "2022年"], ["单位产品综合能耗（kgce/万m²）", "880", "845"],
               ["单位产品新水用量（m³/万m²）", "6.1", "5.7"], ["印刷合格率（%）", "99.1", "99.3"]])
    got = sorted((m.key, m.value, m.unit, m.year) for m in mentions(specs, t))
    assert got == [("unit_energy_consumption", 845, "kgce/万m²", 2022), ("unit_energy_consumption", 880, "kgce/万m²", 2021),
                   ("unit_fresh_water", 5.7, "m³/万m²", 2022), ("unit_fresh_water", 6.1, "m³/万m²", 2021)]


# -- 8. a base-year column ---------------------------------------------------------------------

@pytest.mark.parametrize("header", ["2021年（基准年）", "2021年(审核基准年)", "基准年2021年"])
def test_base_year_column(specs, header):
    t = table([["指标", "单位", header, "2023年实际", "国内先进基准值"],
               ["废水回用率", "%", "61.2", "70.4", "75"]])
    got = sorted((m.key, m.value, m.year, m.role) for m in mentions(specs, t))
    assert got == [("wastewater_reuse_rate", 61.2, 2021, "actual"), ("wastewater_reuse_rate", 70.4, 2023, "actual")]


# -- 10. outline: one heading for two chapters' topics, evidence inside a sibling's text --------

from extractors.outline import match_outline  # noqa: E402
from rubric.outlines import load_outline_templates  # noqa: E402

_AUDIT = [
    ("一、企业简况", "公司成立于2009年，位于钦州市，主要产品为饲料添加剂。"),
    ("二、企业清洁生产管理现状", "公司重视清洁生产管理。"),
    ("（一）机构设置", "公司成立了清洁生产领导小组，总经理任组长。"),
    ("（二）管理制度", "公司制定了清洁生产管理办法和奖惩考核制度。"),
    ("（三）规划、计划", "公司编制了清洁生产推行规划。"),
    ("三、目前企业清洁生产水平", "现状如下。"),
    ("（一）生产工艺及装备", "公司采用连续发酵工艺，计量器具配备齐全。"),
    ("（二）原材料消耗、资源消耗情况", "近三年原辅材料消耗见下表。"),
    ("（三）主要能量转换设备的能效", "20t/h锅炉热效率为86%。"),
    ("（四）主要污染物排放情况", "废水经处理后达标排放。"),
    ("（五）主要技术经济指标与先进指标的比对", "主要指标达到国内先进水平。"),
    ("四、近年清洁生产推行情况", "近年来持续推行清洁生产。"),
    ("（一）宣传和培训", "每年组织全员培训。"),
    ("（二）清洁生产审核", "确定发酵车间为审核重点。"),
    ("（三）清洁生产工艺技术应用", "以生物质替代燃煤。"),
    ("（四）清洁生产提标改造及资金投入", "累计投入520万元。"),
    ("（五）建立和完善机制、制度与规程", "修订了岗位操作规程。"),
    ("五、绩效评价", "绩效如下。"),
    ("（一）经济效益", "年产生经济效益约210万元。"),
    ("（二）环境效益", "年减少COD排放约12吨。"),
    ("（三）厂容厂貌", "厂区道路全部硬化，未发现跑冒滴漏。"),
    ("六、持续清洁生产情况", "公司制定了持续清洁生产计划。"),
    ("七、行业清洁生产水平评价", "总体达到二级标准。"),
    ("八、存在问题", "中水回用率仍偏低。"),
    ("九、结论及建议", "建议加快余热利用项目建设。"),
]


def _outline(tmp_path, drop=(), rename=None, replace_body=None):
    import ingest
    rename, replace_body = rename or {}, replace_body or {}
    lines = ["广西某某生物科技有限公司", "清洁生产审核报告"]
    for heading, body in _AUDIT:
        if heading in drop:
            continue
        lines += [rename.get(heading, heading), replace_body.get(heading, body)]
    path = tmp_path / "r.txt"
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    result = match_outline(ingest.load(path), load_outline_templates()["audit_report"])
    return {s.id: s for s in result.sections}


def test_one_heading_names_3_5_and_7(tmp_path):
    got = _outline(tmp_path, drop=("七、行业清洁生产水平评价",), rename={
        "（五）主要技术经济指标与先进指标的比对": "（五）指标对标与行业清洁生产水平评价"})
    assert got["3.5"].status == got["7"].status == "heading"
    assert got["3.5"].heading == got["7"].heading


def test_a_plan_clause_inside_the_rules_section_is_body_for_2_3(tmp_path):
    got = _outline(tmp_path, drop=("（三）规划、计划",), replace_body={
        "（二）管理制度": "公司制定了《节能管理制度》《环保考核办法》等制度，并把清洁生产年度工作计划纳入公司年度计划统一编制。"})
    assert got["2.3"].status == "body"


def test_the_rules_section_alone_does_not_show_a_plan(tmp_path):
    got = _outline(tmp_path, drop=("（三）规划、计划",))
    assert got["2.3"].status == "missing"


def test_housekeeping_sentence_inside_environmental_benefits_is_body_for_5_3(tmp_path):
    got = _outline(tmp_path, drop=("（三）厂容厂貌",), replace_body={
        "（二）环境效益": "年减少COD排放约12吨。车间物料日产日清，厂区绿化到位、地面整洁。"})
    assert got["5.3"].status == "body"
    got = _outline(tmp_path, drop=("（三）厂容厂貌",))
    assert got["5.3"].status == "missing"


def test_the_overall_grade_is_body_for_7_but_single_indicators_are_not(tmp_path):
    got = _outline(tmp_path, drop=("七、行业清洁生产水平评价",), replace_body={
        "（五）主要技术经济指标与先进指标的比对": "公司综合评价指数为84分，企业清洁生产水平达到国内清洁生产先进水平。"})
    assert got["7"].status == "body"
    got = _outline(tmp_path, drop=("七、行业清洁生产水平评价",), replace_body={
        "（五）主要技术经济指标与先进指标的比对": "对照评价指标体系，单位产品能耗达到Ⅰ级基准值，新水用量达到Ⅱ级基准值。"})
    assert got["7"].status == "missing"
