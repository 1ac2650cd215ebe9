"""p02: the same dairy in 北海 — this round's audit report (2024, data 2021—2023).

The other half of the round pair (doc_p01_dairy_previous is the previous round). Against the
previous round: most indicators improved, 单位产品新水用量 got worse, ISO14001 is new, section
5.3 (厂容厂貌) was added and 3.3 (能量转换设备的能效) dropped. The performance table repeats
the previous round's 2020 figures as its 审核前 column, unchanged. COMPARE is the truth of
`cpscreen compare p01_dairy_audit_previous.docx p02_dairy_audit_current.docx`.
"""
from __future__ import annotations

from .spec import DERIVED, FLAG, Cover, D, DocSpec, H, M, P, PageBreak, TableRowNote, TableSpec

ENTERPRISE = "广西北海银滩乳业有限公司"

CONSUMPTION = TableSpec(
    caption="表3-1 2021—2023年主要资源能源消耗指标",
    rows=[
        ["指标名称", "2021年", "2022年", "2023年"],
        ["单位产品综合能耗（kgce/t）", "50.8", "48.5", "46.0"],
        ["单位产品新水用量（m³/t）", "4.3", "4.4", "4.6"],
        ["原料乳用量（万吨）", "7.9", "8.3", "8.8"],
    ],
    row_notes={
        1: TableRowNote("unit_energy_consumption", unit="kgce/t"),
        2: TableRowNote("unit_fresh_water", unit="m³/t"),
    },
    year_cols={1: 2021, 2: 2022, 3: 2023},
    widths_cm=[5.6, 2.6, 2.6, 2.6],
)

PERFORMANCE = TableSpec(
    caption="表5-1 审核前后清洁生产绩效指标",
    rows=[
        ["指标名称", "审核前（2020年）", "2021年", "2022年", "2023年"],
        ["废水回用率（%）", "60", "64", "68", "72"],
        ["固体废物综合利用率（%）", "85", "88", "92", "95"],
        ["外排废水年达标率（%）", "100", "100", "100", "100"],
        ["产品抽检合格率（%）", "99.8", "99.8", "99.9", "99.9"],
    ],
    row_notes={
        1: TableRowNote("wastewater_reuse_rate"),
        2: TableRowNote("solid_waste_utilization_rate"),
        3: TableRowNote("wastewater_compliance_rate"),
        4: TableRowNote(distractor=True),
    },
    year_cols={1: 2020, 2: 2021, 3: 2022, 4: 2023},
    truth_table=True,
    widths_cm=[5.0, 2.8, 2.2, 2.2, 2.2],
)

BLOCKS = [
    Cover([
        ("", 12, False), ("", 12, False), ("", 12, False),
        (ENTERPRISE, 22, True),
        ("", 12, False),
        ("清洁生产审核报告", 26, True),
        ("（第二轮）", 16, False),
        ("", 12, False), ("", 12, False),
        ("2024年5月", 14, False),
    ]),
    PageBreak(),

    H(1, "企业简况", "1"),
    P(f"{ENTERPRISE}位于北海市铁山港区食品工业园，成立于2011年，以生鲜乳为原料生产巴氏杀菌乳、"
      "灭菌乳和发酵乳，设计年处理生鲜乳10万吨，现有员工455人。"),
    P("2023年公司处理生鲜乳8.8万吨，产能利用率88%，销售收入同比增长6.5%。",
      D("产能利用率88%"), D("销售收入同比增长6.5%")),

    H(1, "企业清洁生产管理现状", "2"),
    H(2, "机构设置", "2.1"),
    P("公司成立了清洁生产审核领导小组，总经理任组长，下设审核工作小组，办公室设在安全环保部。"),
    H(2, "管理制度", "2.2"),
    P("公司修订了《清洁生产管理办法》《能源管理制度》《用水管理制度》，"
      "并于2022年通过ISO14001环境管理体系认证。",
      FLAG("iso14001", "于2022年通过ISO14001环境管理体系认证", 1)),
    H(2, "规划、计划", "2.3"),
    P("公司编制了《2024—2026年清洁生产工作计划》，明确了节水和固体废物利用的年度任务。"),
    PageBreak(),

    H(1, "目前企业清洁生产水平", "3"),
    H(2, "生产工艺及装备、计量器具配备", "3.1"),
    P("生鲜乳经验收、净乳、标准化、均质、杀菌后灌装，发酵乳经接种发酵后灌装冷藏；"
      "2022年新增一条无菌砖灌装线。公司水计量率为100%，能源计量率为96%，原料乳进厂全部计量。",
      M("water_metering_rate", "公司水计量率为100%", 100, "="),
      M("energy_metering_rate", "能源计量率为96%", 96, "=")),
    H(2, "原材料及资源能源消耗", "3.2"),
    P("2021—2023年主要资源能源消耗指标见表3-1。因新增灌装线清洗频次增加，单位产品新水用量有所上升。"),
    CONSUMPTION,
    H(2, "主要污染物产生与排放", "3.4"),
    P("废水主要为设备清洗水和杀菌冷却水，经调节、厌氧、好氧和膜处理后部分回用，"
      "其余排入园区污水处理厂；废气排放口年达标率为100%。",
      M("waste_gas_compliance_rate", "废气排放口年达标率为100%", 100, "=")),
    P("固体废物主要为污泥和废包装材料，废包装材料外售回收，污泥堆肥利用；"
      "废机油等危险废物交有资质单位处置，危险废物安全处置率100%。",
      M("solid_waste_disposal_rate", "危险废物安全处置率100%", 100, "=")),
    H(2, "主要技术经济指标与先进指标比对", "3.5"),
    P("对照《乳制品制造业清洁生产评价指标体系》，公司单位产品综合能耗达到Ⅰ级基准值，"
      "单位产品新水用量仍为Ⅲ级基准值。"),
    PageBreak(),

    H(1, "近年清洁生产推行情况", "4"),
    H(2, "宣传和培训", "4.1"),
    P("公司每年组织清洁生产专题培训，2023年员工清洁生产认知率达96%。",
      M("staff_awareness_rate", "2023年员工清洁生产认知率达96%", 96, "=", 2023)),
    H(2, "清洁生产审核", "4.2"),
    P("本轮审核以无菌灌装车间为审核重点，无/低费方案15项已全部实施，中/高费方案4项已全部实施。",
      DERIVED("low_cost_implementation_rate", "无/低费方案15项已全部实施", 100),
      DERIVED("high_cost_implementation_rate", "中/高费方案4项已全部实施", 100)),
    H(2, "清洁生产技术应用及废物回收利用", "4.3"),
    P("公司实施了污水膜处理回用、CIP清洗水分级回收和包装废料分类回收等项目。"),
    H(2, "提标改造及资金投入", "4.4"),
    P("2021—2023年公司技术改造投入2640万元，其中清洁生产投入资金比例为35%。",
      M("cp_investment_ratio", "清洁生产投入资金比例为35%", 35, "=")),
    H(2, "机制、制度与规程", "4.5"),
    P("审核后修订了无菌灌装和膜处理岗位操作规程，建立了用水定额考核制度。"),
    PageBreak(),

    H(1, "绩效评价", "5"),
    H(2, "经济效益", "5.1"),
    P("已实施方案年节约费用约312万元，其中污水膜处理回用项目投资回收期2.8年。",
      D("投资回收期2.8年")),
    H(2, "环境效益", "5.2"),
    P("审核前后清洁生产绩效指标见表5-1；环保设施运转率100%，厂界噪声达标率为100%。",
      M("facility_operation_rate", "环保设施运转率100%", 100, "="),
      M("noise_compliance_rate", "厂界噪声达标率为100%", 100, "=")),
    PERFORMANCE,
    H(2, "厂容厂貌", "5.3"),
    P("厂区道路全部硬化，原料和成品分区存放，厂区绿化率30%，现场整洁。",
      D("厂区绿化率30%")),
    PageBreak(),

    H(1, "持续清洁生产情况", "6"),
    P("公司计划三年内完成冷库制冷系统改造和清洗水深度回用项目，持续开展员工培训。"),
    H(1, "行业清洁生产水平评价", "7"),
    P("依据《乳制品制造业清洁生产评价指标体系》计算，公司达到Ⅰ级（国际清洁生产领先水平）要求。"),
    H(1, "存在问题", "8"),
    P("单位产品新水用量较上一轮有所上升，清洗水回用仍有空间。"),
    H(1, "结论及建议", "9"),
    P("公司本轮审核工作规范，主要指标较上一轮明显改善，建议尽快降低单位产品新水用量。"),
]

# Item truth, by hand from items.toml (see doc_a01_sugar.ITEMS for what is left out and why).
ITEMS = {
    "9": 3,    # 无/低费 15 全部实施 100% → 1; 中/高费 4 全部实施 100% ≥70 → 2
    "13": 2,   # 能源计量率 96% ≥90 → 2; 单耗比对 provisional 0
    "14": 2,   # 水计量率 100% → 2; 比对 0
    "16": 4,   # 清洁生产投入资金比例 35% >30 → 4; no 开发投入 → 0
    "17": 1,   # no 零排放 flag; 废水回用率 2023 72% ≥65 (<80) → 1
    "18": 2,   # no 零排放 flag; 固体废物综合利用率 2023 95% ≥70 → 2
    "21": 5,   # 环保设施运转率 100% → 5
    "23": 5,   # 废气排放口年达标率 100% → 5
    "24": 5,   # 外排废水年达标率 2023 100% → 5
    "25": 4,   # 危险废物安全处置率 100% → 4
    "26": 3,   # 厂界噪声达标率 100% → 3
}

# What `cpscreen compare PREVIOUS CURRENT` must find, PREVIOUS being p01_dairy_audit_previous.
# Indicators: the latest actual value of each round (its year, or null when the round states none).
COMPARE = {
    "kind": "rounds",
    "previous": "p01_dairy_audit_previous.docx",
    "current": "p02_dairy_audit_current.docx",
    "indicators": [
        {"key": "water_metering_rate", "previous": 95.0, "previous_year": None,
         "current": 100.0, "current_year": None, "change": "improved"},
        {"key": "energy_metering_rate", "previous": 90.0, "previous_year": None,
         "current": 96.0, "current_year": None, "change": "improved"},
        {"key": "unit_energy_consumption", "previous": 52.0, "previous_year": 2020,
         "current": 46.0, "current_year": 2023, "change": "improved"},
        {"key": "unit_fresh_water", "previous": 4.2, "previous_year": 2020,
         "current": 4.6, "current_year": 2023, "change": "worse"},
        {"key": "wastewater_reuse_rate", "previous": 60.0, "previous_year": 2020,
         "current": 72.0, "current_year": 2023, "change": "improved"},
        {"key": "solid_waste_utilization_rate", "previous": 85.0, "previous_year": 2020,
         "current": 95.0, "current_year": 2023, "change": "improved"},
        {"key": "staff_awareness_rate", "previous": 90.0, "previous_year": None,
         "current": 96.0, "current_year": 2023, "change": "improved"},
        {"key": "cp_investment_ratio", "previous": 25.0, "previous_year": None,
         "current": 35.0, "current_year": None, "change": "improved"},
        {"key": "high_cost_implementation_rate", "previous": 80.0, "previous_year": None,
         "current": 100.0, "current_year": None, "change": "improved"},
        {"key": "low_cost_implementation_rate", "previous": 100.0, "previous_year": None,
         "current": 100.0, "current_year": None, "change": "same"},
        {"key": "wastewater_compliance_rate", "previous": 100.0, "previous_year": 2020,
         "current": 100.0, "current_year": 2023, "change": "same"},
        {"key": "waste_gas_compliance_rate", "previous": 100.0, "previous_year": None,
         "current": 100.0, "current_year": None, "change": "same"},
        {"key": "solid_waste_disposal_rate", "previous": 100.0, "previous_year": None,
         "current": 100.0, "current_year": None, "change": "same"},
        {"key": "facility_operation_rate", "previous": 100.0, "previous_year": None,
         "current": 100.0, "current_year": None, "change": "same"},
        {"key": "noise_compliance_rate", "previous": 100.0, "previous_year": None,
         "current": 100.0, "current_year": None, "change": "same"},
        {"key": "iso14001", "previous": None, "previous_year": None,
         "current": 1.0, "current_year": None, "change": "only_current"},
    ],
    # the years both rounds state: the current round's 审核前 column repeats 2020 unchanged
    "restated": [],
    "sections_added": ["5.3"],
    "sections_dropped": ["3.3"],
    # the items the numbers decide (ITEMS of both specs) whose points change
    "items_changed": {"14": [0, 2], "16": [2, 4], "17": [0, 1]},
}

SPEC = DocSpec(
    name="p02_dairy_audit_current",
    doc_type="audit_report",
    enterprise=ENTERPRISE,
    numbering="decimal",
    blocks=BLOCKS,
    items=ITEMS,
    missing=["3.3"],
    title="清洁生产审核报告",
    compare=COMPARE,
    description=(
        "This round's audit report (2024, data 2021—2023) of the dairy pair for `cpscreen "
        "compare`: against p01 most indicators improved, 单位产品新水用量 worse, ISO14001 new, "
        "5.3 added, 3.3 dropped; an 审核前（2020年） column repeating the previous round's 2020."),
)
