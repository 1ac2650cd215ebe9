"""Classes of phrasing a third blind-written corpus showed the extractors misreading.

Like test_phrasing_classes*.py: each class is proved with phrasings of our own (none copied
from corpus/heldout3), at least two per class, and with near misses that must give nothing (or
must not give the wrong value).
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


def rates(specs, *blocks, key=None):
    return [(m.key, m.value, m.comparator, m.year, m.role) for m in extract_indicators(doc_of(*blocks), specs)
            if m.unit != "flag" and (key is None or m.key == key)]


def table(rows, locator="t1", page=3, header_rows=1):
    cells = [[Cell(text=t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return Table(rows=cells, page=page, locator=locator, header_rows=header_rows, n_cols=len(rows[0]))


# -- 1. a scoring rule quoted in the clause is no actual value ----------------------------------

@pytest.mark.parametrize("text", [
    "依照审核表，水重复利用率不低于85%即可得3分",
    "工业用水重复利用率达到90%的，可得3分",
    "对照评分标准，一般固体废物综合利用率95%以上者得4分",
    "评分时，固体废物综合利用率按95%计",
])
def test_scoring_rules_are_not_actual(specs, text):
    assert [r for r in rates(specs, text) if r[4] == "actual"] == []


@pytest.mark.parametrize("text,want", [
    # near misses: a score elsewhere in the sentence, or a value with no scoring words
    ("2023年水重复利用率92%，清洁生产审核得分86分", ("wastewater_reuse_rate", 92.0, "=", 2023, "actual")),
    ("2023年工业用水重复利用率为92%，较上年提高了2个百分点", ("wastewater_reuse_rate", 92.0, "=", 2023, "actual")),
])
def test_scores_elsewhere_keep_the_value(specs, text, want):
    assert want in rates(specs, text)


# -- 2. a list its heading calls targets; "，实际…" after a target -------------------------------

def test_items_of_a_target_list_are_targets_and_actual_follows(specs):
    text = ("2024年预期指标：吨纸综合能耗不高于320 kgce/t，实际为315 kgce/t；工业用水重复利用率90%以上，"
            "实际达到92.5%；中/高费方案实施率80%。")
    got = rates(specs, text)
    assert ("unit_energy_consumption", 320.0, "<=", 2024, "target") in got
    assert ("unit_energy_consumption", 315.0, "=", 2024, "actual") in got
    assert ("wastewater_reuse_rate", 90.0, ">=", 2024, "target") in got
    assert ("wastewater_reuse_rate", 92.5, "=", 2024, "actual") in got
    assert ("high_cost_implementation_rate", 80.0, ">=", 2024, "target") in got
    assert not [r for r in got if r[4] == "actual" and r[1] in (320.0, 90.0, 80.0)]


def test_actual_after_a_target_in_one_sentence(specs):
    got = rates(specs, "目标是水重复利用率达到95%，而实际为96.1%")
    assert ("wastewater_reuse_rate", 96.1, "=", None, "actual") in got
    assert ("wastewater_reuse_rate", 95.0, ">=", None, "target") in got


@pytest.mark.parametrize("text,want", [
    # near misses: a list whose heading names no target keeps its values actual
    ("审核前后对比：2022年水重复利用率85%；2023年水重复利用率92%。",
     [("wastewater_reuse_rate", 85.0, "=", 2022, "actual"), ("wastewater_reuse_rate", 92.0, "=", 2023, "actual")]),
    ("主要指标完成情况：水重复利用率92%；固体废物综合利用率98%。",
     [("wastewater_reuse_rate", 92.0, "=", None, "actual"),
      ("solid_waste_utilization_rate", 98.0, "=", None, "actual")]),
])
def test_lists_without_a_target_heading_stay_actual(specs, text, want):
    got = rates(specs, text)
    for w in want:
        assert w in got
    assert not [r for r in got if r[4] == "target"]


# -- 3. a two-row header: a merged cell over year columns ------------------------------------

def test_merged_header_gives_each_cell_its_year(specs):
    # the grid repeats a merged cell's text over its span: 项目 down, 现状/规划 across
    t = table([["项目", "计量单位", "现状", "现状", "规划"],
               ["项目", "计量单位", "2022年度", "2023年度", "2026年度"],
               ["吨产品综合能耗", "kgce/t", "55.1", "53.4", "50"],
               ["工业用水重复利用率", "%", "88.0", "90.2", "93"]])
    got = rates(specs, t)
    assert ("unit_energy_consumption", 53.4, "=", 2023, "actual") in got
    assert ("unit_energy_consumption", 50.0, "<=", 2026, "target") in got
    assert ("wastewater_reuse_rate", 88.0, "=", 2022, "actual") in got
    assert ("wastewater_reuse_rate", 93.0, ">=", 2026, "target") in got
    assert not [r for r in got if r[3] is None]


def test_merged_header_with_roles_below_years(specs):
    t = table([["指标", "2022年", "2023年"], ["指标", "实际", "实际"], ["水重复利用率(%)", "88", "90"]])
    assert sorted(rates(specs, t)) == [("wastewater_reuse_rate", 88.0, "=", 2022, "actual"),
                                       ("wastewater_reuse_rate", 90.0, "=", 2023, "actual")]


def test_a_data_row_repeating_the_label_is_no_header(specs):
    # near miss: the second row holds values, so it is data, not a header
    t = table([["水重复利用率(%)", "2022年", "2023年"], ["水重复利用率(%)", "88", "90"]])
    got = rates(specs, t)
    assert ("wastewater_reuse_rate", 90.0, "=", 2023, "actual") in got
    assert not [r for r in got if r[1] in (2022.0, 2023.0)]


# -- 4. years: a year opening an account of several clauses dates its ；-parts; a topic year
#    does not date the next 。-sentence ------------------------------------------------------

@pytest.mark.parametrize("text,key", [
    ("2022年共加工原木3.1万m³，产出板材2.4万m²;工业用水重复利用率为93.5%，生产废水不外排。",
     "wastewater_reuse_rate"),
    ("2024年全厂产生炉渣1.2万t，外售建材厂;废活性炭等危险废物交有资质单位处置，安全处置率100%。",
     "solid_waste_disposal_rate"),
])
def test_a_year_opening_an_account_dates_its_parts(specs, text, key):
    year = 2022 if text.startswith("2022") else 2024
    assert [r[3] for r in rates(specs, text, key=key)] == [year]


@pytest.mark.parametrize("text,key", [
    # near misses: the year belongs to one statement only, or to the sentence before
    ("2022年工业用水重复利用率为93.5%;危险废物交有资质单位处置，安全处置率100%。", "solid_waste_disposal_rate"),
    ("2024年，炉渣全部外售建材厂，固体废物综合利用率100%。废活性炭等危险废物交有资质单位处置，安全处置率100%。",
     "solid_waste_disposal_rate"),
])
def test_a_year_in_one_statement_stays_there(specs, text, key):
    assert [r[3] for r in rates(specs, text, key=key)] == [None]


# -- 5. other names: 复用水率 is a reuse rate; 同步运转率 of a pollution-control unit -------------

@pytest.mark.parametrize("text,want", [
    ("2022年循环冷却系统复用水率为97.3%", ("wastewater_reuse_rate", 97.3, "=", 2022, "actual")),
    ("2022年全公司水复用率达96%", ("wastewater_reuse_rate", 96.0, "=", 2022, "actual")),
    ("布袋除尘器与破碎机同步运转率达到99.5%", ("facility_operation_rate", 99.5, "=", None, "actual")),
    ("2023年，脱硫塔与锅炉同步运行率为100%", ("facility_operation_rate", 100.0, "=", 2023, "actual")),
])
def test_other_names(specs, text, want):
    assert want in rates(specs, text)


@pytest.mark.parametrize("text", ["2021年生产线同步运转率为95%", "球磨机与输送带同步运转率98%"])
def test_synchronous_running_of_production_is_not_a_facility_rate(specs, text):
    assert rates(specs, text, key="facility_operation_rate") == []


# -- 6. shares in words: 两成, 一半, 不到 ---------------------------------------------------------

@pytest.mark.parametrize("text,want", [
    ("清洁生产项目投资约占技改总投资的两成", ("cp_investment_ratio", 20.0, "~")),
    ("技改投资3000万元，其中清洁生产项目1500万元，占了一半", ("cp_investment_ratio", 50.0, "=")),
    ("清洁生产投入800万元，占了技改投入的一半", ("cp_investment_ratio", 50.0, "=")),
    ("清洁生产技术研发经费120万元，不到当年销售收入的0.5%", ("rd_investment_ratio", 0.5, "<")),
])
def test_shares_in_words(specs, text, want):
    assert want in [r[:3] for r in rates(specs, text)]


@pytest.mark.parametrize("text", [
    "清洁生产项目1500万元，占全厂固定资产投资的一半",   # a share of something else
    "清洁生产项目共10项，占一半",                         # a count, not money
    "员工一半以上参加了培训",
    "技改投资中一半用于扩产",
])
def test_share_in_words_near_misses(specs, text):
    assert [r for r in rates(specs, text) if r[0] in ("cp_investment_ratio", "rd_investment_ratio")] == []


# -- 7. a metering table: rows 能源 / 水 / 物料 under one 配备率 column ----------------------------

def _metering_table():
    return table([["类别", "应配台数", "实配台数", "配备率(%)"], ["能源", "120", "116", "96.7"],
                  ["水", "40", "40", "100"], ["物料", "18", "18", "100"]])


def test_metering_table_rows_under_one_rate_column(specs):
    got = rates(specs, Paragraph(text="表2-4 2022年计量器具配置统计", page=3, locator="p1"), _metering_table())
    assert sorted(got) == [("energy_metering_rate", 96.7, "=", 2022, "actual"),
                           ("material_metering_rate", 100.0, "=", 2022, "actual"),
                           ("water_metering_rate", 100.0, "=", 2022, "actual")]


def test_metering_header_names_the_table(specs):
    t = table([["计量对象", "在用计量器具数", "配备率(%)"], ["能源", "60", "98.3"], ["水", "40", "100"]])
    assert ("energy_metering_rate", 98.3, "=", None, "actual") in rates(specs, t)


def test_rate_column_of_a_table_not_about_metering_gives_nothing(specs):
    # near miss: the same rows under 配备率 in a table of equipment
    got = rates(specs, Paragraph(text="表2-4 2022年主要设备统计", page=3, locator="p1"), _metering_table())
    assert got == []


# -- 8. monitoring counts: "N点次，达标N点次", "有k次…超过" -------------------------------------

@pytest.mark.parametrize("text,want", [
    ("2022年厂界噪声监测24点次，达标24点次", ("noise_compliance_rate", 100.0, "=", 2022, "actual")),
    ("2022年废气排放口共监测20个次，合格20个次", ("waste_gas_compliance_rate", 100.0, "=", 2022, "actual")),
    ("2022年外排废水监测12次，有2次氨氮超过排放限值", ("wastewater_compliance_rate", 83.33, "=", 2022, "actual")),
])
def test_more_monitoring_counts(specs, text, want):
    assert want in rates(specs, text)


@pytest.mark.parametrize("text", ["2022年外排废水监测12次，有2次为雨季采样", "2022年废气监测8次，达标8次以上",
                                  "2022年外排废水监测12次，达标排放"])
def test_monitoring_count_near_misses(specs, text):
    assert rates(specs, text) == []


# -- 9. per air-dry tonne and per kWh; a table of 审核前 / 目标 / 实际 rows with units in the header --

@pytest.mark.parametrize("text,want", [
    ("2022年全厂供电标准煤耗为301.5 gce/kWh", ("unit_energy_consumption", 301.5, "gce/kWh")),
    ("2022年发电标准煤耗285克标准煤/千瓦时", ("unit_energy_consumption", 285.0, "gce/kWh")),
    ("2022年吨浆综合能耗为410 kgce/ADt", ("unit_energy_consumption", 410.0, "kgce/ADt")),
])
def test_units_per_air_dry_tonne_and_per_kwh(specs, text, want):
    got = [(m.key, m.value, m.unit) for m in extract_indicators(doc_of(text), specs)]
    assert want in got


def test_power_rate_is_not_energy_per_product(specs):
    # near miss: 厂用电率 is a share of the output used in the plant, not a per-product quantity
    assert rates(specs, "2022年厂用电率为5.8%，供电量增加3%") == []


def test_rows_of_roles_with_units_in_the_header(specs):
    t = table([["时段", "吨浆综合能耗（kgce/ADt）", "吨浆新鲜水耗（m³/ADt）", "白度（%ISO）"],
               ["审核前（2020年）", "402", "31.0", "88"], ["审核目标（2022年）", "390", "29", "88"],
               ["2022年实际", "385", "28.4", "89"]])
    got = rates(specs, t)
    assert ("unit_energy_consumption", 402.0, "=", 2020, "actual") in got
    assert ("unit_energy_consumption", 390.0, "<=", 2022, "target") in got
    assert ("unit_fresh_water", 28.4, "=", 2022, "actual") in got
    assert len(got) == 6


def test_columns_of_roles_with_a_unit_column(specs):
    t = table([["指标", "单位", "基准年（2020年）", "2022年实际", "远期目标（2026年）"],
               ["供电标准煤耗", "gce/kWh", "310.4", "306.0", "300"], ["厂用电率", "%", "6.1", "5.8", "5.5"]])
    assert sorted(rates(specs, t)) == [("unit_energy_consumption", 300.0, "<=", 2026, "target"),
                                       ("unit_energy_consumption", 306.0, "=", 2022, "actual"),
                                       ("unit_energy_consumption", 310.4, "=", 2020, "actual")]


# -- 10. ISO 14001 not held: standard named before the verb, still in preparation, lapsed -------

def iso(specs, text):
    return [m.value for m in extract_indicators(doc_of(text), specs) if m.key == "iso14001"]


@pytest.mark.parametrize("text", [
    "企业目前尚未依据GB/T 24001申请第三方认证",
    "ISO14001环境管理体系认证工作目前处于准备阶段",
    "我公司GB/T 24001证书于2021年过期后未再续期",
])
def test_iso_not_held(specs, text):
    assert iso(specs, text) == [0.0]


@pytest.mark.parametrize("text,want", [
    ("公司ISO14001证书已于2021年到期，并顺利完成再认证", []),   # renewed: not denied
    ("公司ISO14001证书有效期至2026年", []),
    ("公司计划2025年开展ISO14001认证", []),
    ("公司于2019年通过ISO14001环境管理体系认证", [1.0]),
])
def test_iso_near_misses(specs, text, want):
    assert iso(specs, text) == want


# -- 11. shares: the base's year between the verb and the value; a bracket in the subject -------

@pytest.mark.parametrize("text,want", [
    ("清洁生产技术研发投入占2022年销售收入的1.2%", ("rd_investment_ratio", 1.2, "=", 2022, "actual")),
    ("用于清洁生产（含节能改造）的投入占同期技改投资的比例超过35%", ("cp_investment_ratio", 35.0, ">", None, "actual")),
    ("用于清洁生产(含污水站提标)的资金约占技术改造投入的四成", ("cp_investment_ratio", 40.0, "~", None, "actual")),
])
def test_shares_with_a_year_or_a_bracket(specs, text, want):
    assert want in rates(specs, text)


def test_share_with_an_amount_in_the_base_gives_nothing(specs):
    # near miss: another number (the base's amount) stands between the verb and the value
    assert rates(specs, "清洁生产技术研发投入占2022年销售收入3.5亿元的1.2%") == []
