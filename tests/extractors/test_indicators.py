"""Indicator mentions from text and tables, with value, comparator, year, role and evidence."""
import pytest

from extractors import nlp
from extractors.facts import IndicatorMention
from extractors.indicators import extract_indicators, find_conflicts, find_terms, split_sentences
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


def found(specs, *texts, numeric_only=False):
    ms = extract_indicators(doc_of(*texts), specs)
    if numeric_only:
        ms = [m for m in ms if m.unit != "flag"]
    return ms


def triples(ms):
    return [(m.key, m.value, m.comparator, m.year) for m in ms]


TEXT_CASES = [
    ("2023年水计量率为100%", [("water_metering_rate", 100, "=", 2023)]),
    ("水计量率达到100%以上", [("water_metering_rate", 100, ">=", None)]),
    ("能源计量器具配备率为91.2%", [("energy_metering_rate", 91.2, "=", None)]),
    ("水表计量率达到100%", [("water_metering_rate", 100, "=", None)]),
    ("用水计量率100%", [("water_metering_rate", 100, "=", None)]),
    ("中水回用率为85%", [("wastewater_reuse_rate", 85, "=", None)]),
    ("工业用水重复利用率达到95.5%", [("wastewater_reuse_rate", 95.5, "=", None)]),
    ("循环水利用率约97%", [("wastewater_reuse_rate", 97, "~", None)]),
    ("一般工业固体废物综合利用率为98.6%", [("solid_waste_utilization_rate", 98.6, "=", None)]),
    ("危险废物安全处置率100%", [("solid_waste_disposal_rate", 100, "=", None)]),
    ("危废处置率达到百分之百", [("solid_waste_disposal_rate", 100, "=", None)]),
    ("固废合规处置率100%", [("solid_waste_disposal_rate", 100, "=", None)]),
    ("废气(年)达标率为100%", [("waste_gas_compliance_rate", 100, "=", None)]),
    ("外排废水(年)达标率96.5%", [("wastewater_compliance_rate", 96.5, "=", None)]),
    ("厂界噪声达标率为87.5%", [("noise_compliance_rate", 87.5, "=", None)]),
    ("员工对清洁生产的认知率达到95%以上", [("staff_awareness_rate", 95, ">=", None)]),
    ("主体材料利用率约96%", [("main_material_utilization_rate", 96, "~", None)]),
    ("原辅材料计量率达到100%", [("material_metering_rate", 100, "=", None)]),
    ("环保设施运转率为98.6%", [("facility_operation_rate", 98.6, "=", None)]),
    ("公司脱硫除尘设施运转率100%", [("facility_operation_rate", 100, "=", None)]),
    ("无/低费方案实施率100%", [("low_cost_implementation_rate", 100, "=", None)]),
    ("中/高费方案实施率未达到70%", [("high_cost_implementation_rate", 70, "<", None)]),
    ("固体废物综合利用率超过90%", [("solid_waste_utilization_rate", 90, ">", None)]),
    ("深度处理后的中水回用率不低于80%", [("wastewater_reuse_rate", 80, ">=", None)]),
    ("能源计量器具配备率在92%～95%之间", [("energy_metering_rate", 92, "range", None)]),
    ("危险废物安全处置率100", [("solid_waste_disposal_rate", 100, "=", None)]),
    ("回用率最高达到75", []),  # a bare head with no subject says nothing
    ("废水经处理后回用，回用率最高达到75", [("wastewater_reuse_rate", 75, "<=", None)]),
    ("废水经处理后达标排放，达标率100%", [("wastewater_compliance_rate", 100, "=", None)]),
    ("废机油交有资质单位处置，处置率100%", [("solid_waste_disposal_rate", 100, "=", None)]),
    ("有害废弃物100%合规处置", [("solid_waste_disposal_rate", 100, "=", None)]),
    ("废水经处理达标后80%回用", [("wastewater_reuse_rate", 80, "=", None)]),
    ("出水水质实现了100%的达标率", [("wastewater_compliance_rate", 100, "=", None)]),
    ("主体材料利用率(淀粉提取率)为94.2%", [("main_material_utilization_rate", 94.2, "=", None)]),
    ("水循环利用率66.6764.20", [("wastewater_reuse_rate", 66.67, "=", None), ("wastewater_reuse_rate", 64.2, "=", None)]),
    ("废水回用率由85%提高到95%", [("wastewater_reuse_rate", 95, "=", None)]),
    ("公司废水回用率较高，达到95%", [("wastewater_reuse_rate", 95, "=", None)]),
    ("共实施无低费方案11项(实施率100%)", [("low_cost_implementation_rate", 100, "=", None)]),
]


@pytest.mark.parametrize("text,want", TEXT_CASES)
def test_text(specs, text, want):
    assert triples(found(specs, text, numeric_only=True)) == want


COORDINATION = [
    ("废水、废气达标率均为100%", {("wastewater_compliance_rate", 100), ("waste_gas_compliance_rate", 100)}),
    ("废水废气排放达标率100%", {("wastewater_compliance_rate", 100), ("waste_gas_compliance_rate", 100)}),
    ("废水废气外排污染物达标率100%", {("wastewater_compliance_rate", 100), ("waste_gas_compliance_rate", 100)}),
    ("水计量率和能源计量率分别达到98%和100%", {("water_metering_rate", 98), ("energy_metering_rate", 100)}),
    ("物料、能源、水计量率均达到100%", {("material_metering_rate", 100), ("energy_metering_rate", 100),
                                     ("water_metering_rate", 100)}),
    ("产品合格率和水计量率分别为99%和100%", {("water_metering_rate", 100)}),
    ("一般固体废物合规处置率和危险废物合规处置率均达100%", {("solid_waste_disposal_rate", 100)}),
    ("废水回用率为62%，外排废水年达标率为96.5%", {("wastewater_reuse_rate", 62), ("wastewater_compliance_rate", 96.5)}),
]


@pytest.mark.parametrize("text,want", COORDINATION)
def test_coordination(specs, text, want):
    assert {(m.key, m.value) for m in found(specs, text, numeric_only=True)} == want


def test_years_listed(specs):
    ms = found(specs, "2021—2023年废水回用率分别为95%、96%、98%")
    assert triples(ms) == [("wastewater_reuse_rate", 95, "=", 2021), ("wastewater_reuse_rate", 96, "=", 2022),
                           ("wastewater_reuse_rate", 98, "=", 2023)]


def test_years_step_by_step(specs):
    ms = found(specs, "水计量率2021年为95%，2022年为96%，2023年为100%")
    assert [(m.value, m.year) for m in ms] == [(95, 2021), (96, 2022), (100, 2023)]


def test_recent_years_have_no_year(specs):
    ms = found(specs, "近三年厂界噪声达标率均达到100%")
    assert triples(ms) == [("noise_compliance_rate", 100, "=", None)]


def test_cumulative_over_a_range_has_no_year(specs):
    ms = found(specs, "2021—2023年技术改造累计投入2368万元，清洁生产投入资金占技术改造投入的比例为35%")
    assert triples(ms) == [("cp_investment_ratio", 35, "=", None)]


def test_topic_year_carries_on(specs):
    ms = found(specs, "2023年，除尘设施与生产设施同步运行，环保设施运转率100%;经季度监测，厂界噪声达标率100%。")
    assert [(m.key, m.year) for m in ms if m.unit != "flag"] == [("facility_operation_rate", 2023),
                                                                ("noise_compliance_rate", 2023)]


def test_inline_year_stays_in_its_sentence(specs):
    ms = found(specs, "2023年固体废物综合利用率为98.6%;废矿物油委托有资质单位处置，危险废物安全处置率100%。")
    assert [(m.key, m.year) for m in ms] == [("solid_waste_utilization_rate", 2023), ("solid_waste_disposal_rate", None)]


DERIVED = [
    ("共提出无/低费方案12项，已全部实施", "low_cost_implementation_rate", 100),
    ("中/高费方案4项，已实施3项", "high_cost_implementation_rate", 75),
    ("无低费方案15项，实施15项", "low_cost_implementation_rate", 100),
    ("中高费方案5项，已完成3项，2项正在实施", "high_cost_implementation_rate", 60),
    ("中/高费方案7项中已实施5项", "high_cost_implementation_rate", 71.43),
]


@pytest.mark.parametrize("text,key,value", DERIVED)
def test_derived(specs, text, key, value):
    ms = found(specs, text)
    assert [(m.key, m.value, m.derived) for m in ms] == [(key, value, True)]


def test_derived_total_from_an_earlier_sentence(specs):
    ms = found(specs, "本轮共提出无/低费方案25项。截至2023年底，无/低费方案已实施25项。")
    assert [(m.key, m.value, m.year, m.derived) for m in ms] == [("low_cost_implementation_rate", 100, 2023, True)]


def test_derived_not_from_a_plan_or_requirement(specs):
    assert found(specs, "按照审核表，无、低费方案应100%实施") == []


FLAGS = [
    ("生产废水零排放", "wastewater_zero_discharge", 1),
    ("废水不外排", "wastewater_zero_discharge", 1),
    ("生产废水全部回用不外排", "wastewater_zero_discharge", 1),
    ("其余排入园区污水管网，废水尚未实现零排放", "wastewater_zero_discharge", 0),
    ("实现固废零排放", "solid_waste_zero_discharge", 1),
    ("固体废物全部综合利用", "solid_waste_zero_discharge", 1),
    ("冶炼烟气实现全部资源化利用", "waste_gas_utilization", 1),
    ("实现了废气的部分资源化利用", "waste_gas_utilization", 0.5),
    ("窑炉烟气余热未回收", "waste_gas_utilization", 0),
    ("公司已通过ISO14001环境管理体系认证", "iso14001", 1),
    ("按ISO14001标准建立环境管理体系，于2017年通过认证", "iso14001", 1),
    ("尚未通过ISO14001认证", "iso14001", 0),
    ("但尚未取得ISO14001环境管理体系认证，计划2025年申请认证", "iso14001", 0),
    ("厂界噪声全部达标", "noise_compliant", 1),
    ("厂界噪声监测结果均符合《工业企业厂界环境噪声排放标准》(GB12348-2008)3类标准", "noise_compliant", 1),
    ("厂界噪声未能全部达标", "noise_compliant", 0),
]


@pytest.mark.parametrize("text,key,value", FLAGS)
def test_flags(specs, text, key, value):
    ms = [m for m in found(specs, text) if m.unit == "flag"]
    assert [(m.key, m.value) for m in ms] == [(key, value)]


@pytest.mark.parametrize("text", ["计划2025年申请ISO14001认证", "力争实现废水零排放", "煮茧机余热回收项目"])
def test_no_flag(specs, text):
    assert [m for m in found(specs, text) if m.unit == "flag"] == []


def test_certificate_has_no_year(specs):
    (m,) = found(specs, "2020年通过ISO14001环境管理体系认证")
    assert m.year is None


NOT_INDICATORS = [
    "产能利用率为85%", "产品合格率99.5%", "优等品率98%", "项目内部收益率为28.6%，投资回收期2.1年",
    "员工培训覆盖率为100%", "清洁能源占比35%", "客户满意度98%", "COD去除率95%", "除尘器处理效率99.5%",
    "包装材料可回收利用率90%", "废水排放量同比下降5.6%", "二氧化硫减排10%", "废水回用率较上年提高了5%",
    "水重复利用率提高5个百分点", "2023年电解槽设备负荷率为94.1%", "验收通过率100", "关键设备完好率保持在98%以上",
    "提高了水的重复利用率，电导率控制在100us/cm", "生活垃圾无害化处理率100%", "全厂综合能耗为5000tce",
    "万元产值综合能耗0.35tce/万元", "《审核表》要求员工对清洁生产认知率95％以上", "审核表要求水计量率100%",
    "按要求应达到水计量率100%", "按照审核表“中高费方案实施率70%以上”的要求", "水计量率100％，2分",
    "回用率达到80%，2分；65%，1分", "废水回用率见表2", "详见附件3", "各项污染物达标率100%",
    "单位产品能耗下降了5%", "公司废水回用率逐年提高，节约用水10万吨",
]


@pytest.mark.parametrize("text", NOT_INDICATORS)
def test_not_indicators(specs, text):
    assert found(specs, text, numeric_only=True) == []


ROLES = [
    ("审核目标：水计量率达到100%", "target", ">="),
    ("设定的审核目标为:至2024年底废水回用率提高到95%以上", "target", ">="),
    ("力争2024年水重复利用率达到75%", "target", ">="),
    ("预计2025年固废综合利用率达到95%", "target", ">="),
    ("2022年公司完成废气综合达标率99.5%的目标任务", "actual", ">="),
    ("2023年水计量率为100%", "actual", "="),
]


@pytest.mark.parametrize("text,role,comparator", ROLES)
def test_roles(specs, text, role, comparator):
    (m,) = found(specs, text)
    assert (m.role, m.comparator) == (role, comparator)


def test_target_quantity_is_an_upper_bound(specs):
    (m,) = found(specs, "到2025年吨纸取水量降至6.5立方米以下")
    assert (m.key, m.value, m.unit, m.comparator, m.year, m.role) == (
        "unit_fresh_water", 6.5, "m³/t", "<=", 2025, "target")


QUANTITIES = [
    ("单位产品综合能耗为0.35tce/t", "unit_energy_consumption", 0.35, "tce/t"),
    ("2023年吨蔗取水量为0.82 m³/t", "unit_fresh_water", 0.82, "m³/t"),
    ("吨糖综合能耗为398 kgce/t", "unit_energy_consumption", 398, "kgce/t"),
    ("单位产品能耗35.6千克标准煤/吨", "unit_energy_consumption", 35.6, "kgce/t"),
    ("吨锌新水用量低于6 m³/t", "unit_fresh_water", 6, "m³/t"),
    ("单位产品取水量2.5立方米/吨", "unit_fresh_water", 2.5, "m³/t"),
]


@pytest.mark.parametrize("text,key,value,unit", QUANTITIES)
def test_quantities(specs, text, key, value, unit):
    (m,) = found(specs, text)
    assert (m.key, m.value, m.unit) == (key, value, unit)


SHARES = [
    ("清洁生产投入占技术改造总投入的28.4%", "cp_investment_ratio", 28.4),
    ("技术改造投入2368万元，其中清洁生产投入829万元，占35%", "cp_investment_ratio", 35),
    ("清洁生产投入占技改投入的12%", "cp_investment_ratio", 12),
    ("技改投入中，清洁生产投入占比31.6%", "cp_investment_ratio", 31.6),
    ("2023年清洁生产技术开发投入占当年销售收入的1.2%", "rd_investment_ratio", 1.2),
    ("研发经费中用于清洁生产技术开发的投入占当年销售收入的0.4%", "rd_investment_ratio", 0.4),
]


@pytest.mark.parametrize("text,key,value", SHARES)
def test_shares(specs, text, key, value):
    assert [(m.key, m.value) for m in found(specs, text)] == [(key, value)]


def test_share_needs_its_base(specs):
    assert found(specs, "研发投入占营业收入的5%") == []
    assert found(specs, "其中清洁生产投入829万元，占35%") == []


def table(rows, locator="t1", page=4):
    cells = [[Cell(text=t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return Table(rows=cells, page=page, locator=locator, n_cols=len(rows[0]))


def test_table_years_across(specs):
    t = table([["指标", "单位", "2021年", "2022年", "2023年"],
               ["吨纸取水量", "m³/t", "7.4", "7.1", "6.8"],
               ["水重复利用率", "%", "91.8", "92.6", "93.4"],
               ["成品率", "%", "91.8", "92.9", "93.6"],
               ["废纸消耗", "万吨", "31.2", "32.6", "33.1"]])
    ms = extract_indicators(doc_of(t), specs)
    assert [(m.key, m.value, m.unit, m.year, m.source) for m in ms] == [
        ("unit_fresh_water", 7.4, "m³/t", 2021, "table"), ("unit_fresh_water", 7.1, "m³/t", 2022, "table"),
        ("unit_fresh_water", 6.8, "m³/t", 2023, "table"), ("wastewater_reuse_rate", 91.8, "%", 2021, "table"),
        ("wastewater_reuse_rate", 92.6, "%", 2022, "table"), ("wastewater_reuse_rate", 93.4, "%", 2023, "table")]
    assert ms[3].text == "水重复利用率 / 2021年: 91.8"
    assert ms[3].locator == "t1.r3.c3"
    assert ms[0].page == 4


def test_table_targets_and_actuals(specs):
    t = table([["序号", "指标", "审核前(2021年)", "审核目标(2023年)", "2023年实际", "完成情况"],
               ["1", "熟料综合能耗(kgce/t)", "108.9", "106", "105.6", "完成"],
               ["2", "水重复利用率(%)", "95.2", "97", "97.5", "完成"],
               ["3", "行业二级标准", "90", "90", "90", "-"]])
    ms = extract_indicators(doc_of(t), specs)
    assert [(m.key, m.value, m.comparator, m.year, m.role) for m in ms] == [
        ("unit_energy_consumption", 108.9, "=", 2021, "actual"),
        ("unit_energy_consumption", 106, "<=", 2023, "target"),
        ("unit_energy_consumption", 105.6, "=", 2023, "actual"),
        ("wastewater_reuse_rate", 95.2, "=", 2021, "actual"),
        ("wastewater_reuse_rate", 97, ">=", 2023, "target"),
        ("wastewater_reuse_rate", 97.5, "=", 2023, "actual")]
    assert ms[0].unit == "kgce/t"


def test_table_transposed(specs):
    t = table([["年份", "水计量率(%)", "能源计量率(%)", "产能利用率(%)"],
               ["2022", "98", "90", "85"], ["2023", "100", "92", "88"]])
    ms = extract_indicators(doc_of(t), specs)
    assert sorted((m.key, m.year, m.value) for m in ms) == [
        ("energy_metering_rate", 2022, 90), ("energy_metering_rate", 2023, 92),
        ("water_metering_rate", 2022, 98), ("water_metering_rate", 2023, 100)]


def test_table_standard_columns_are_not_read(specs):
    t = table([["指标", "一级", "二级", "三级", "本企业"], ["水重复利用率(%)", "95", "90", "85", "93"]])
    ms = extract_indicators(doc_of(t), specs)
    assert [(m.key, m.value) for m in ms] == [("wastewater_reuse_rate", 93)]


def test_table_cell_sentence_is_read_like_text(specs):
    t = table([["项目", "内容"], ["环境绩效", "2023年废水回用率为62%，外排废水年达标率为96.5%"]])
    ms = extract_indicators(doc_of(t), specs)
    assert [(m.key, m.value, m.year, m.locator, m.source) for m in ms] == [
        ("wastewater_reuse_rate", 62, 2023, "t1.r2.c2", "table"),
        ("wastewater_compliance_rate", 96.5, 2023, "t1.r2.c2", "table")]


def test_evidence_is_one_sentence(specs):
    text = "公司重视环保。2023年，废水回用率为62%;外排废水年达标率为96.5%。厂容整洁。"
    ms = found(specs, text)
    assert [m.text for m in ms] == ["2023年，废水回用率为62%", "外排废水年达标率为96.5%"]
    assert all(m.locator == "p1" and m.page == 1 and m.source == "text" for m in ms)
    assert ms[0].name == "废水回用率"


def test_reading_order(specs):
    ms = found(specs, "水计量率100%", "能源计量率95%", "废水回用率90%")
    assert [m.key for m in ms] == ["water_metering_rate", "energy_metering_rate", "wastewater_reuse_rate"]
    assert [m.page for m in ms] == [1, 2, 3]


def test_split_sentences():
    text = "一。二；三;四\n五"
    assert [text[a:b] for a, b in split_sentences(text)] == ["一", "二", "三", "四", "五"]


def test_terms_come_from_the_phrase_matcher(specs):
    # jieba knows the terms, so the spaCy PhraseMatcher finds them as whole tokens
    find_terms("废水回用率达到95%", specs)
    assert "回用率" in "".join(nlp.tokens("废水回用率达到95%"))
    assert "废水回用率" in nlp.tokens("废水回用率达到95%")
    terms = ("废水回用率", "水计量率", "危险废物安全处置率")
    got = {t for _, _, t in nlp.match_terms("2023年水计量率为100%，废水回用率达到95%，危险废物安全处置率100%", terms)}
    assert got == set(terms)


def test_odd_blocks_never_crash(specs):
    junk = [Paragraph(text=t, page=1, locator="p1") for t in
            ("", "%%%", "率" * 500, "水计量率" * 50 + "9" * 300, "百分之" * 100, "废水回用率为", "1e5%回用率")]
    bad_table = Table(rows=[[Cell(text="水计量率", row=0, col=0, colspan=5)], []], page=1, locator="t1")
    doc = doc_of(*junk, bad_table)
    assert isinstance(extract_indicators(doc, specs), list)
    assert extract_indicators(doc, []) == []


def m(value, comparator="=", year=2023, role="actual", page=1, key="water_metering_rate"):
    return IndicatorMention(key=key, name="水计量率", value=value, unit="%", comparator=comparator, page=page,
                            source="text", text="", locator="p1", year=year, role=role)


def test_conflict_same_year_different_values():
    (c,) = find_conflicts([m(100, page=3), m(95, page=7)])
    assert (c.key, c.year, c.values, c.pages) == ("water_metering_rate", 2023, [100, 95], [3, 7])


@pytest.mark.parametrize("a,b", [
    (m(95, ">="), m(95)), (m(95, "~"), m(95.3)), (m(95, ">="), m(98)), (m(100), m(100)),
    (m(95), m(90, year=2022)), (m(95), m(90, role="target")), (m(95), m(90, key="energy_metering_rate")),
])
def test_no_conflict(a, b):
    assert find_conflicts([a, b]) == []


@pytest.mark.parametrize("a,b", [(m(95, ">"), m(95)), (m(95, "<"), m(96)), (m(95, "~"), m(97)), (m(90, ">="), m(85))])
def test_conflicting_bounds(a, b):
    assert len(find_conflicts([a, b])) == 1
