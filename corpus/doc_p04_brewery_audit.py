"""p04: the same brewery in 百色 — the audit report of the 2024 round (data 2021—2023).

The other half of the summary/report pair (doc_p03_brewery_summary is the work summary). The
planted disagreement: 2023 水计量率 100% here, 98% in the summary; every other indicator and
year the two share agrees. COMPARE is the truth of the cross-check.
"""
from __future__ import annotations

from .spec import DERIVED, Cover, D, DocSpec, H, M, P, PageBreak, TableRowNote, TableSpec

ENTERPRISE = "广西百色右江啤酒有限公司"

PERFORMANCE = TableSpec(
    caption="表3-1 2021—2023年主要清洁生产指标",
    rows=[
        ["指标名称", "2021年", "2022年", "2023年"],
        ["单位产品新水用量（m³/t）", "5.8", "5.3", "4.9"],
        ["单位产品综合能耗（kgce/t）", "14.2", "13.4", "12.6"],
        ["废水回用率（%）", "35", "42", "48"],
        ["外排废水年达标率（%）", "100", "100", "100"],
        ["酒损率（%）", "2.1", "1.9", "1.7"],
    ],
    row_notes={
        1: TableRowNote("unit_fresh_water", unit="m³/t"),
        2: TableRowNote("unit_energy_consumption", unit="kgce/t"),
        3: TableRowNote("wastewater_reuse_rate"),
        4: TableRowNote("wastewater_compliance_rate"),
        5: TableRowNote(distractor=True),
    },
    year_cols={1: 2021, 2: 2022, 3: 2023},
    truth_table=True,
    widths_cm=[5.6, 2.6, 2.6, 2.6],
)

BLOCKS = [
    Cover([
        ("", 12, False), ("", 12, False), ("", 12, False),
        (ENTERPRISE, 22, True),
        ("", 12, False),
        ("清洁生产审核报告", 26, True),
        ("", 12, False), ("", 12, False), ("", 12, False),
        ("2024年4月", 14, False),
    ]),
    PageBreak(),

    H(1, "企业简况", "1"),
    P(f"{ENTERPRISE}位于百色市右江区工业园区，成立于2005年，主要生产淡色拉格啤酒和精酿啤酒，"
      "设计年产啤酒15万千升，现有员工380人。2023年产量12.6万千升，产能利用率84%。",
      D("产能利用率84%")),

    H(1, "企业清洁生产管理现状", "2"),
    H(2, "机构设置", "2.1"),
    P("公司成立了以总经理为组长的清洁生产领导小组，下设清洁生产办公室，设在质量安全部。"),
    H(2, "管理制度", "2.2"),
    P("公司制定了《清洁生产管理制度》《节水管理办法》《能源计量管理制度》，每季度检查执行情况。"),
    H(2, "规划、计划", "2.3"),
    P("公司编制了《2024—2026年清洁生产规划》，将节水和节能列为重点。"),
    PageBreak(),

    H(1, "目前企业清洁生产水平", "3"),
    H(2, "生产工艺及装备、计量器具配备", "3.1"),
    P("公司糖化、发酵、过滤和包装装备均为国内先进水平。2023年公司水计量率为100%，"
      "各车间均配备了二级水表。",
      M("water_metering_rate", "2023年公司水计量率为100%", 100, "=", 2023)),
    P("2023年能源计量率为95%。",
      M("energy_metering_rate", "2023年能源计量率为95%", 95, "=", 2023)),
    H(2, "原材料及资源能源消耗", "3.2"),
    P("2021—2023年主要清洁生产指标见表3-1，单位产品新水用量和综合能耗逐年下降。"),
    PERFORMANCE,
    H(2, "主要能量转换设备的能效", "3.3"),
    P("公司现有20t/h燃气锅炉两台，锅炉热效率为93%，制冷压缩机为一级能效产品。",
      D("锅炉热效率为93%")),
    H(2, "主要污染物产生与排放", "3.4"),
    P("废水经厌氧（IC）和好氧处理后部分回用于洗瓶和冲洗，其余排入园区污水处理厂；"
      "废酵母和酒糟全部外售作饲料，固体废物综合利用率为100%。",
      M("solid_waste_utilization_rate", "固体废物综合利用率为100%", 100, "=")),
    H(2, "主要技术经济指标与先进指标比对", "3.5"),
    P("对照《啤酒制造业清洁生产评价指标体系》，公司单位产品新水用量和综合能耗均达到Ⅱ级基准值。"),
    PageBreak(),

    H(1, "近年清洁生产推行情况", "4"),
    H(2, "宣传和培训", "4.1"),
    P("审核期间共组织清洁生产培训6次，参训560人次，2023年员工清洁生产认知率达97%。",
      M("staff_awareness_rate", "2023年员工清洁生产认知率达97%", 97, "=", 2023)),
    H(2, "清洁生产审核", "4.2"),
    P("本轮审核提出无/低费方案20项，已全部实施；中/高费方案5项，已实施4项。",
      DERIVED("low_cost_implementation_rate", "无/低费方案20项，已全部实施", 100),
      DERIVED("high_cost_implementation_rate", "中/高费方案5项，已实施4项", 80)),
    H(2, "清洁生产技术应用及废物回收利用", "4.3"),
    P("公司实施了洗瓶机逆流漂洗、麦汁冷却水回收和CIP清洗液回收项目。"),
    H(2, "提标改造及资金投入", "4.4"),
    P("2021—2023年技术改造中清洁生产投入资金比例为32%。",
      M("cp_investment_ratio", "技术改造中清洁生产投入资金比例为32%", 32, "=")),
    H(2, "机制、制度与规程", "4.5"),
    P("审核后修订了洗瓶、糖化和污水站岗位操作规程。"),
    PageBreak(),

    H(1, "绩效评价", "5"),
    H(2, "经济效益", "5.1"),
    P("已实施方案年经济效益约265万元。"),
    H(2, "环境效益", "5.2"),
    P("年节约新水约11万立方米，减少COD排放约40吨；环保设施运转率100%。",
      M("facility_operation_rate", "环保设施运转率100%", 100, "=")),
    H(2, "厂容厂貌", "5.3"),
    P("厂区道路硬化，原料和成品分区存放，现场整洁。"),
    PageBreak(),

    H(1, "持续清洁生产情况", "6"),
    P("公司计划2024—2026年实施膜法回用水和CO₂回收扩容项目。"),
    H(1, "行业清洁生产水平评价", "7"),
    P("依据《啤酒制造业清洁生产评价指标体系》计算，公司达到Ⅱ级（国内清洁生产先进水平）要求。"),
    H(1, "存在问题", "8"),
    P("包装车间用水定额偏高，废水回用率有待提高。"),
    H(1, "结论及建议", "9"),
    P("公司本轮审核工作规范，建议尽快实施膜法回用水项目。"),
]

# Item truth, by hand from items.toml (see doc_a01_sugar.ITEMS for what is left out and why).
ITEMS = {
    "9": 3,    # 无/低费 20 全部实施 100% → 1; 中/高费 4 of 5 = 80% ≥70 → 2
    "13": 2,   # 能源计量率 2023 95% ≥90 → 2; 单耗比对 provisional 0
    "14": 2,   # 水计量率 2023 100% → 2 (the work summary says 98%); 比对 0
    "16": 4,   # 清洁生产投入资金比例 32% >30 → 4; no 开发投入 → 0
    "17": 0,   # no 零排放 flag; 废水回用率 2023 48% <65 → 0
    "18": 3,   # 固体废物综合利用率 100% → 3
    "21": 5,   # 环保设施运转率 100% → 5
    "24": 5,   # 外排废水年达标率 2023 100% → 5
}

# What checking the work summary against the audit report must find (`cpscreen compare
# p03_brewery_summary.docx p04_brewery_audit.docx`, and `cpscreen batch` on the two).
COMPARE = {
    "kind": "consistency",
    "summary": "p03_brewery_summary.docx",
    "report": "p04_brewery_audit.docx",
    "cross_conflicts": [
        {"key": "water_metering_rate", "year": 2023, "report_value": 100.0, "summary_value": 98.0},
    ],
    # shared (key, year) pairs that agree, a sample the check must not flag
    "agree": [
        {"key": "energy_metering_rate", "year": 2023, "value": 95.0},
        {"key": "unit_fresh_water", "year": 2023, "value": 4.9},
        {"key": "unit_fresh_water", "year": 2021, "value": 5.8},
        {"key": "wastewater_reuse_rate", "year": 2023, "value": 48.0},
        {"key": "staff_awareness_rate", "year": 2023, "value": 97.0},
    ],
}

SPEC = DocSpec(
    name="p04_brewery_audit",
    doc_type="audit_report",
    enterprise=ENTERPRISE,
    numbering="typed",
    blocks=BLOCKS,
    items=ITEMS,
    title="清洁生产审核报告",
    compare=COMPARE,
    description=(
        "Audit report of the brewery pair for the summary-vs-report cross-check: the 2023 "
        "水计量率 is 100% here and 98% in p03_brewery_summary; everything else they share agrees."),
)
