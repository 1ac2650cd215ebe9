"""p03: a brewery in 百色 — the work summary of the 2024 round (data 2021—2023).

One half of the summary/report pair for the cross-check (the other: doc_p04_brewery_audit).
The two agree on every indicator and year they share but one, planted: the 2023 水计量率 is
98% here and 100% in the audit report. COMPARE (in doc_p04_brewery_audit) is the truth of
both `cpscreen compare p03… p04…` and the batch cross-check.
"""
from __future__ import annotations

from .doc_p04_brewery_audit import COMPARE, ENTERPRISE
from .spec import DERIVED, Cover, D, DocSpec, H, M, P, PageBreak, TableRowNote, TableSpec

TARGETS = TableSpec(
    caption="表4-1 清洁生产审核目标完成情况",
    rows=[
        ["指标", "审核前（2021年）", "目标值", "2023年", "完成情况"],
        ["单位产品新水用量（m³/t）", "5.8", "5.0", "4.9", "完成"],
        ["单位产品综合能耗（kgce/t）", "14.2", "13.0", "12.6", "完成"],
        ["废水回用率（%）", "35", "45", "48", "完成"],
        ["酒损率（%）", "2.1", "1.8", "1.7", "完成"],
    ],
    row_notes={
        1: TableRowNote("unit_fresh_water", unit="m³/t"),
        2: TableRowNote("unit_energy_consumption", unit="kgce/t"),
        3: TableRowNote("wastewater_reuse_rate"),
        4: TableRowNote(distractor=True),
    },
    year_cols={1: 2021, 3: 2023},
    target_cols={2: None},
    truth_table=True,
    widths_cm=[5.0, 2.8, 2.2, 2.2, 2.2],
)

BLOCKS = [
    Cover([
        ("", 12, False), ("", 12, False), ("", 12, False),
        (ENTERPRISE, 20, True),
        ("", 12, False),
        ("清洁生产工作总结", 26, True),
        ("", 12, False), ("", 12, False), ("", 12, False),
        ("2024年4月", 14, False),
    ]),
    PageBreak(),

    H(1, "企业基本情况", "1"),
    P(f"{ENTERPRISE}位于百色市右江区工业园区，成立于2005年，主要生产淡色拉格啤酒和精酿啤酒，"
      "设计年产啤酒15万千升，现有员工380人。2023年产量12.6万千升，产能利用率84%。",
      D("产能利用率84%")),

    H(1, "清洁生产管理现状", "2"),
    H(2, "企业清洁生产组织机构建设情况", "2.1"),
    P("公司成立了以总经理为组长的清洁生产领导小组，下设清洁生产办公室，设在质量安全部。"),
    H(2, "清洁生产制度的制定与实施", "2.2"),
    P("公司制定了《清洁生产管理制度》《节水管理办法》《能源计量管理制度》，每季度检查执行情况。"),
    H(2, "企业实施清洁生产的组织和培训情况", "2.3"),
    P("审核期间共组织清洁生产培训6次，参训560人次，2023年员工清洁生产认知率达97%。",
      M("staff_awareness_rate", "2023年员工清洁生产认知率达97%", 97, "=", 2023)),
    PageBreak(),

    H(1, "清洁生产过程中指标体系的建立及考核情况", "3"),
    P("公司将吨酒水耗、吨酒能耗、废水回用率等指标分解到糖化、发酵和包装车间，按月统计考核。"),
    PageBreak(),

    H(1, "清洁生产成果", "4"),
    H(2, "目前企业清洁生产水平", "4.1"),
    P("公司糖化、发酵、过滤和包装装备均为国内先进水平。2023年公司水计量率为98%，"
      "各车间均配备了二级水表。",
      M("water_metering_rate", "2023年公司水计量率为98%", 98, "=", 2023)),
    P("2023年能源计量率为95%。",
      M("energy_metering_rate", "2023年能源计量率为95%", 95, "=", 2023)),
    H(2, "企业产污、排污现状，所处水平及治理情况", "4.2"),
    P("废水经厌氧（IC）和好氧处理后部分回用于洗瓶和冲洗，其余排入园区污水处理厂，"
      "2023年外排废水年达标率100%；废酵母和酒糟全部外售作饲料，固体废物综合利用率为100%。",
      M("wastewater_compliance_rate", "2023年外排废水年达标率100%", 100, "=", 2023),
      M("solid_waste_utilization_rate", "固体废物综合利用率为100%", 100, "=")),
    H(2, "清洁生产审核目标完成情况", "4.3"),
    P("本轮审核设定的各项目标均已完成，详见表4-1。"),
    TARGETS,
    H(2, "清洁生产方案投资及实施情况", "4.4"),
    P("本轮审核提出无/低费方案20项，已全部实施；中/高费方案5项，已实施4项，累计投资1180万元。",
      DERIVED("low_cost_implementation_rate", "无/低费方案20项，已全部实施", 100),
      DERIVED("high_cost_implementation_rate", "中/高费方案5项，已实施4项", 80)),
    PageBreak(),

    H(1, "实施清洁生产情况", "5"),
    H(2, "近三年清洁生产推行情况", "5.1"),
    P("2021—2023年公司先后实施了洗瓶机逆流漂洗、麦汁冷却水回收和CIP清洗液回收项目，"
      "技术改造中清洁生产投入资金比例为32%。",
      M("cp_investment_ratio", "技术改造中清洁生产投入资金比例为32%", 32, "=")),
    H(2, "持续清洁生产方案及计划", "5.2"),
    P("公司计划2024—2026年实施膜法回用水和CO₂回收扩容项目。"),

    H(1, "绩效评价", "6"),
    H(2, "经济效益", "6.1"),
    P("已实施方案年经济效益约265万元。"),
    H(2, "环境效益", "6.2"),
    P("年节约新水约11万立方米，减少COD排放约40吨；环保设施运转率100%。",
      M("facility_operation_rate", "环保设施运转率100%", 100, "=")),
    H(2, "厂容厂貌", "6.3"),
    P("厂区道路硬化，原料和成品分区存放，现场整洁。"),

    H(1, "存在的问题及下一步计划", "7"),
    P("存在问题：包装车间用水定额偏高。下一步将实施膜法回用水项目，进一步降低吨酒新水用量。"),
]

# Item truth, by hand from items.toml (see doc_a01_sugar.ITEMS for what is left out and why).
ITEMS = {
    "9": 3,    # 无/低费 20 全部实施 100% → 1; 中/高费 4 of 5 = 80% ≥70 → 2
    "13": 2,   # 能源计量率 2023 95% ≥90 → 2; 单耗比对 provisional 0
    "14": 0,   # 水计量率 2023 98% <100 → 0 (the audit report says 100%); 比对 0
    "16": 4,   # 清洁生产投入资金比例 32% >30 → 4; no 开发投入 → 0
    "17": 0,   # no 零排放 flag; 废水回用率 2023 48% <65 → 0
    "18": 3,   # 固体废物综合利用率 100% → 3
    "21": 5,   # 环保设施运转率 100% → 5
    "24": 5,   # 外排废水年达标率 2023 100% → 5
}

SPEC = DocSpec(
    name="p03_brewery_summary",
    doc_type="work_summary",
    enterprise=ENTERPRISE,
    numbering="typed",
    blocks=BLOCKS,
    items=ITEMS,
    title="清洁生产工作总结",
    compare=COMPARE,
    description=(
        "Work summary of the brewery pair for the summary-vs-report cross-check: everything it "
        "shares with p04_brewery_audit agrees except the planted 2023 水计量率 (98% here, 100% "
        "in the audit report)."),
)
