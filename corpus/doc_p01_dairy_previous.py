"""p01: a dairy in 北海 — the previous round's audit report (2021, data 2018—2020).

One half of the round pair for `cpscreen compare` (the other: doc_p02_dairy_current). Section
5.3 (厂容厂貌) is absent here and present in the current round; 3.3 is here and dropped later.
The changes the comparison must find are listed once, in doc_p02_dairy_current.COMPARE (both
truth files carry it).
"""
from __future__ import annotations

from .doc_p02_dairy_current import COMPARE
from .spec import DERIVED, Cover, D, DocSpec, H, M, P, PageBreak, TableRowNote, TableSpec

ENTERPRISE = "广西北海银滩乳业有限公司"

CONSUMPTION = TableSpec(
    caption="表3-1 2018—2020年主要资源能源消耗指标",
    rows=[
        ["指标名称", "2018年", "2019年", "2020年"],
        ["单位产品综合能耗（kgce/t）", "55.0", "53.6", "52.0"],
        ["单位产品新水用量（m³/t）", "4.6", "4.4", "4.2"],
        ["原料乳用量（万吨）", "6.8", "7.1", "7.4"],
    ],
    row_notes={
        1: TableRowNote("unit_energy_consumption", unit="kgce/t"),
        2: TableRowNote("unit_fresh_water", unit="m³/t"),
    },
    year_cols={1: 2018, 2: 2019, 3: 2020},
    widths_cm=[5.6, 2.6, 2.6, 2.6],
)

PERFORMANCE = TableSpec(
    caption="表5-1 2018—2020年清洁生产绩效指标",
    rows=[
        ["指标名称", "2018年", "2019年", "2020年"],
        ["废水回用率（%）", "52", "56", "60"],
        ["固体废物综合利用率（%）", "80", "83", "85"],
        ["外排废水年达标率（%）", "100", "100", "100"],
        ["产品抽检合格率（%）", "99.6", "99.7", "99.8"],
    ],
    row_notes={
        1: TableRowNote("wastewater_reuse_rate"),
        2: TableRowNote("solid_waste_utilization_rate"),
        3: TableRowNote("wastewater_compliance_rate"),
        4: TableRowNote(distractor=True),
    },
    year_cols={1: 2018, 2: 2019, 3: 2020},
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
        ("2021年6月", 14, False),
    ]),
    PageBreak(),

    H(1, "企业简况", "1"),
    P(f"{ENTERPRISE}位于北海市铁山港区食品工业园，成立于2011年，以生鲜乳为原料生产巴氏杀菌乳、"
      "灭菌乳和发酵乳，设计年处理生鲜乳10万吨，现有员工420人。"),
    P("2020年公司处理生鲜乳7.4万吨，产能利用率74%，销售收入同比增长8.2%。",
      D("产能利用率74%"), D("销售收入同比增长8.2%")),

    H(1, "企业清洁生产管理现状", "2"),
    H(2, "机构设置", "2.1"),
    P("公司成立了清洁生产审核领导小组，总经理任组长，下设审核工作小组，办公室设在生产技术部。"),
    H(2, "管理制度", "2.2"),
    P("公司制定了《清洁生产管理办法》《能源管理制度》《用水管理制度》和《环保设施运行管理规定》，"
      "由生产技术部每月检查执行情况。"),
    H(2, "规划、计划", "2.3"),
    P("公司编制了《2021—2023年清洁生产工作计划》，明确了节水、节能和固体废物利用的年度任务。"),
    PageBreak(),

    H(1, "目前企业清洁生产水平", "3"),
    H(2, "生产工艺及装备、计量器具配备", "3.1"),
    P("生鲜乳经验收、净乳、标准化、均质、杀菌后灌装，发酵乳经接种发酵后灌装冷藏；"
      "主要设备为板式换热器、均质机、UHT灭菌机和无菌灌装机。"
      "公司水计量率为95%，能源计量率为90%，原料乳进厂全部计量。",
      M("water_metering_rate", "公司水计量率为95%", 95, "="),
      M("energy_metering_rate", "能源计量率为90%", 90, "=")),
    H(2, "原材料及资源能源消耗", "3.2"),
    P("2018—2020年主要资源能源消耗指标见表3-1，单位产品综合能耗和新水用量逐年下降。"),
    CONSUMPTION,
    H(2, "主要能量转换设备的能效", "3.3"),
    P("公司现有10t/h燃气蒸汽锅炉两台，锅炉热效率为92%；制冷系统采用螺杆式冷水机组，"
      "空压机为一级能效产品。",
      D("锅炉热效率为92%")),
    H(2, "主要污染物产生与排放", "3.4"),
    P("废水主要为设备清洗水和杀菌冷却水，经调节、厌氧、好氧处理后部分回用于车辆和地面冲洗，"
      "其余排入园区污水处理厂；锅炉废气年达标率为100%。",
      M("waste_gas_compliance_rate", "锅炉废气年达标率为100%", 100, "=")),
    P("固体废物主要为污泥和废包装材料，废包装材料外售回收，污泥堆肥利用；"
      "废机油等危险废物交有资质单位处置，危险废物安全处置率100%。",
      M("solid_waste_disposal_rate", "危险废物安全处置率100%", 100, "=")),
    H(2, "主要技术经济指标与先进指标比对", "3.5"),
    P("对照《乳制品制造业清洁生产评价指标体系》，公司单位产品综合能耗达到Ⅱ级基准值，"
      "单位产品新水用量达到Ⅲ级基准值，与行业先进水平尚有差距。"),
    PageBreak(),

    H(1, "近年清洁生产推行情况", "4"),
    H(2, "宣传和培训", "4.1"),
    P("公司通过班前会、宣传栏和专题培训宣传清洁生产，员工清洁生产认知率达90%。",
      M("staff_awareness_rate", "员工清洁生产认知率达90%", 90, "=")),
    H(2, "清洁生产审核", "4.2"),
    P("本轮审核以灭菌乳车间为审核重点，无/低费方案12项已全部实施，中/高费方案5项，已实施4项。",
      DERIVED("low_cost_implementation_rate", "无/低费方案12项已全部实施", 100),
      DERIVED("high_cost_implementation_rate", "中/高费方案5项，已实施4项", 80)),
    H(2, "清洁生产技术应用及废物回收利用", "4.3"),
    P("公司实施了CIP清洗水回收、杀菌冷却水循环利用和蒸汽冷凝水回收等项目。"),
    H(2, "提标改造及资金投入", "4.4"),
    P("2018—2020年公司技术改造投入1860万元，其中清洁生产投入资金比例为25%。",
      M("cp_investment_ratio", "清洁生产投入资金比例为25%", 25, "=")),
    H(2, "机制、制度与规程", "4.5"),
    P("审核后修订了CIP清洗、杀菌和灌装岗位操作规程，建立了清洁生产方案实施台账。"),
    PageBreak(),

    H(1, "绩效评价", "5"),
    H(2, "经济效益", "5.1"),
    P("已实施方案年节约费用约186万元，其中冷凝水回收项目投资回收期1.6年。",
      D("投资回收期1.6年")),
    H(2, "环境效益", "5.2"),
    P("2018—2020年清洁生产绩效指标见表5-1；环保设施运转率100%，厂界噪声达标率为100%。",
      M("facility_operation_rate", "环保设施运转率100%", 100, "="),
      M("noise_compliance_rate", "厂界噪声达标率为100%", 100, "=")),
    PERFORMANCE,
    PageBreak(),

    H(1, "持续清洁生产情况", "6"),
    P("公司计划在下一轮审核前完成污水深度处理回用和冷库制冷系统改造，持续开展员工培训。"),
    H(1, "行业清洁生产水平评价", "7"),
    P("依据《乳制品制造业清洁生产评价指标体系》计算，公司达到Ⅱ级（国内清洁生产先进水平）要求。"),
    H(1, "存在问题", "8"),
    P("水计量器具配备不全，废水回用率偏低，单位产品新水用量与先进水平有差距。"),
    H(1, "结论及建议", "9"),
    P("公司清洁生产审核工作基本规范，建议补齐水计量器具，提高废水回用水平。"),
]

# Item truth, by hand from items.toml (see doc_a01_sugar.ITEMS for what is left out and why).
ITEMS = {
    "9": 3,    # 无/低费 12 全部实施 100% → 1; 中/高费 4 of 5 = 80% ≥70 → 2
    "13": 2,   # 能源计量率 90% ≥90 → 2; 单耗比对 provisional 0
    "14": 0,   # 水计量率 95% <100 → 0; 比对 0
    "16": 2,   # 清洁生产投入资金比例 25% ≥10 → 2; no 开发投入 → 0
    "17": 0,   # no 零排放 flag; 废水回用率 2020 60% <65 → 0
    "18": 2,   # no 零排放 flag; 固体废物综合利用率 2020 85% ≥70 → 2
    "21": 5,   # 环保设施运转率 100% → 5
    "23": 5,   # 锅炉废气年达标率 100% → 5
    "24": 5,   # 外排废水年达标率 2020 100% → 5
    "25": 4,   # 危险废物安全处置率 100% → 4
    "26": 3,   # 厂界噪声达标率 100% → 3
}

SPEC = DocSpec(
    name="p01_dairy_audit_previous",
    doc_type="audit_report",
    enterprise=ENTERPRISE,
    numbering="decimal",
    blocks=BLOCKS,
    items=ITEMS,
    missing=["5.3"],
    title="清洁生产审核报告",
    compare=COMPARE,
    description=(
        "The previous audit round (2021, data 2018—2020) of the dairy pair for `cpscreen compare`: "
        "5.3 absent, 3.3 present; weaker numbers than the current round (水计量率 95%, "
        "废水回用率 60%) and a lower 单位产品新水用量 (4.2 m³/t) than the current round's."),
)
