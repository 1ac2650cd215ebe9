"""a06: a building-ceramics plant in 藤县 — audit report with letter-spaced chapter titles.

Chapter titles are letter-spaced and unnumbered ("企 业 简 况"), sections typed （一）.
Deliberately absent: 2.3 (规划、计划), 3.5 (先进指标比对), 7 (行业清洁生产水平评价);
4.1 (宣传和培训) only as a sentence inside 机构设置.
"""
from __future__ import annotations

from .spec import (DERIVED, FLAG, Cover, D, DocSpec, H, M, P, PageBreak, REQ, TableSpec)

ENTERPRISE = "广西藤县华瓷陶瓷有限公司"

EMISSIONS = TableSpec(
    caption="表3 2023年有组织废气监测结果",
    rows=[
        ["排放源", "污染物", "监测浓度（mg/m³）", "标准限值（mg/m³）"],
        ["喷雾干燥塔", "颗粒物", "21.4", "30"],
        ["", "二氧化硫", "36", "50"],
        ["", "氮氧化物", "112", "180"],
        ["辊道窑", "颗粒物", "16.8", "30"],
        ["", "二氧化硫", "28", "50"],
        ["", "氮氧化物", "126", "180"],
    ],
    merges=[(1, 0, 3, 0), (4, 0, 6, 0)],
    truth_table=True,
    widths_cm=[3.6, 3.0, 4.0, 4.0],
)

BLOCKS = [
    Cover([
        ("", 12, False), ("", 12, False), ("", 12, False),
        (ENTERPRISE, 22, True),
        ("清洁生产审核报告", 26, True),
        ("", 12, False), ("", 12, False), ("", 12, False),
        ("2023年12月", 14, False),
    ]),
    PageBreak(),

    H(1, "企业简况", "1", spaced=True),
    P(f"{ENTERPRISE}位于梧州市藤县中和陶瓷产业园，成立于2014年，占地面积约28万平方米，"
      "建有4条辊道窑抛釉砖和仿古砖生产线，设计年产建筑陶瓷砖1800万平方米，现有员工960人。"
      "2022年公司生产陶瓷砖1620万平方米，优等品率92.5%，天然气单耗同比下降5.8%。",
      D("优等品率92.5%"), D("天然气单耗同比下降5.8%")),
    PageBreak(),

    H(1, "管理现状", "2", spaced=True),
    H(2, "机构设置", "2.1"),
    P("公司成立了清洁生产领导小组和审核小组，审核小组组长由生产副总经理担任，"
      "成员来自原料、压制、烧成、抛光、设备和环保等部门，负责审核的组织与实施。"
      "公司每年组织两次全员清洁生产宣传培训，并选派管理人员参加外部清洁生产审核培训。",
      evidence={"4.1": "公司每年组织两次全员清洁生产宣传培训，并选派管理人员参加外部清洁生产审核培训。"}),
    H(2, "管理制度", "2.2"),
    P("公司制定了《清洁生产管理制度》《环保设施运行管理制度》《原料堆场管理规定》等制度，"
      "2021年通过ISO14001环境管理体系认证。",
      FLAG("iso14001", "2021年通过ISO14001环境管理体系认证", 1)),
    PageBreak(),

    H(1, "清洁生产水平", "3", spaced=True),
    H(2, "生产工艺及装备、计量器具配备", "3.1"),
    P("生产工艺为：原料配料—球磨—喷雾干燥制粉—压制成型—干燥—施釉—辊道窑烧成—抛光—分级包装。"
      "主要设备包括7800吨压机8台、长度300米以上的宽体辊道窑4条、连续球磨机6台，"
      "2022年辊道窑设备负荷率88%。公司水计量率100%，能源计量器具配备率为91.2%。",
      D("2022年辊道窑设备负荷率88%"),
      M("water_metering_rate", "公司水计量率100%", 100, "="),
      M("energy_metering_rate", "能源计量器具配备率为91.2%", 91.2, "=")),
    H(2, "原材料及资源消耗", "3.2"),
    P("主要原料为高岭土、钾钠长石、石英砂和坯用黑泥，年消耗约42万吨。"
      "原料经配料、球磨后损耗较小，废坯回收后重新球磨，主体材料利用率约96%。",
      M("main_material_utilization_rate", "主体材料利用率约96%", 96, "~")),
    H(2, "主要能量转换设备的能效", "3.3"),
    P("主要能量转换设备为辊道窑、喷雾干燥塔和水煤浆热风炉，2022年辊道窑单位产品综合能耗为"
      "4.6 kgce/m²，达到《建筑卫生陶瓷单位产品能源消耗限额》（GB 21252）准入值。",
      M("unit_energy_consumption", "2022年辊道窑单位产品综合能耗为4.6 kgce/m²", 4.6, "=", 2022,
        unit="kgce/m²")),
    H(2, "主要污染物排放", "3.4"),
    P("喷雾干燥塔和辊道窑烟气经脱硫除尘后排放，2023年有组织废气监测结果见表3，"
      "全年废气达标排放率为97.6%。窑炉烟气余热尚未回收，废气未实现资源化利用。",
      M("waste_gas_compliance_rate", "全年废气达标排放率为97.6%", 97.6, "=", 2023),
      FLAG("waste_gas_utilization", "窑炉烟气余热尚未回收，废气未实现资源化利用", 0)),
    EMISSIONS,
    P("抛光废水和冲洗水经沉淀池处理后全部回用，生产废水零排放，废水回用率100%；"
      "废坯、废砖和抛光渣回用于配料，固废综合利用率达到99%，"
      "废机油、废油漆桶交有资质单位处置，危险废物安全处置率100%。",
      FLAG("wastewater_zero_discharge", "生产废水零排放", 1),
      M("wastewater_reuse_rate", "废水回用率100%", 100, "="),
      M("solid_waste_utilization_rate", "固废综合利用率达到99%", 99, "="),
      M("solid_waste_disposal_rate", "危险废物安全处置率100%", 100, "=")),
    PageBreak(),

    H(1, "近年清洁生产推行情况", "4"),
    H(2, "清洁生产审核", "4.2"),
    P("本轮审核以烧成车间为审核重点，共提出无/低费方案21项，已实施21项；"
      "中/高费方案10项，已实施9项。",
      DERIVED("low_cost_implementation_rate", "无/低费方案21项，已实施21项", 100),
      DERIVED("high_cost_implementation_rate", "中/高费方案10项，已实施9项", 90)),
    H(2, "清洁生产技术应用及废弃物循环利用", "4.3"),
    P("公司应用了干法制粉试验线、宽体辊道窑、抛光废水回用和废坯回收等技术，"
      "以天然气替代水煤气作为窑炉燃料，实现了能源替代。"),
    H(2, "提标改造及资金投入", "4.4"),
    P("2021—2023年公司技术改造投资共计4580万元，其中清洁生产投入占比31.6%。",
      M("cp_investment_ratio", "其中清洁生产投入占比31.6%", 31.6, "=")),
    H(2, "机制、制度与规程", "4.5"),
    P("公司将清洁生产指标纳入车间月度考核，修订了压制、烧成和抛光工序操作规程。"),
    PageBreak(),

    H(1, "绩效评价", "5", spaced=True),
    H(2, "经济效益", "5.1"),
    P("已实施方案年经济效益约960万元，宽体窑改造项目内部收益率22.4%。",
      D("宽体窑改造项目内部收益率22.4%")),
    H(2, "环境效益", "5.2"),
    P("方案实施后年减少天然气消耗约180万立方米、颗粒物排放约26吨。"
      "审核表要求环保设施运转率100%，公司脱硫除尘设施运转率100%；"
      "员工对清洁生产的认知率达到95%以上。",
      REQ("审核表要求环保设施运转率100%", "facility_operation_rate", 100, "="),
      M("facility_operation_rate", "公司脱硫除尘设施运转率100%", 100, "="),
      M("staff_awareness_rate", "员工对清洁生产的认知率达到95%以上", 95, ">=")),
    H(2, "厂容厂貌", "5.3"),
    P("原料全部进入封闭大棚，厂区道路硬化并配备洒水车，成品堆场整齐，厂区绿化良好。"),
    PageBreak(),

    H(1, "持续清洁生产", "6", spaced=True),
    P("审核结束后，公司保留清洁生产审核小组，坚持每月召开一次清洁生产例会，"
      "持续征集员工合理化建议，2023年共收到建议46条，采纳31条。"),
    H(1, "存在问题", "8", spaced=True),
    P("窑炉烟气余热未回收；喷雾干燥塔颗粒物排放浓度接近限值；部分压机噪声较大。",
      FLAG("waste_gas_utilization", "窑炉烟气余热未回收", 0)),
    H(1, "结论及建议", "9", spaced=True),
    P("公司清洁生产审核工作基本符合要求，建议尽快实施窑炉余热回收，进一步提高废气达标率。"),
]

# Item truth, by hand from items.toml (see doc_a01_sugar.ITEMS for what is left out and why).
ITEMS = {
    "9": 3,    # 无/低费 21 of 21 = 100% → 1; 中/高费 9 of 10 = 90% ≥70 → 2
    "13": 2,   # 能源计量器具配备率 91.2% ≥90 → 2; 单耗比对 provisional 0
    "14": 2,   # 水计量率 100% → 2; 比对 0
    "16": 4,   # 清洁生产投入占比 31.6% >30 → 4; no 开发投入 → 0
    "17": 3,   # 生产废水零排放 flag 1 → 3
    "18": 2,   # no 零排放 flag; 固废综合利用率 99% ≥70 (<100) → 2
    "19": 0,   # 废气未实现资源化利用 flag 0 → 0
    "21": 5,   # 脱硫除尘设施运转率 100% → 5
    "23": 3,   # 废气达标排放率 2023 97.6% ≥97 <100 → 3
    "24": 0,   # no 外排废水达标率 stated (zero discharge): value missing → no_evidence 0
    "25": 4,   # 危险废物安全处置率 100% → 4
    "26": 0,   # no 厂界噪声 statement ("压机噪声较大" is no compliance figure) → no_evidence 0
}

SPEC = DocSpec(
    name="a06_ceramics_audit_spaced",
    doc_type="audit_report",
    enterprise=ENTERPRISE,
    numbering="spaced",
    blocks=BLOCKS,
    items=ITEMS,
    missing=["2.3", "3.5", "7"],
    pdf=True,
    center_chapters=True,
    title="清洁生产审核报告",
    description=(
        "Audit report whose chapter titles are letter-spaced and unnumbered (企 业 简 况) in "
        "Heading 1, sections typed （一）; 2.3, 3.5 and 7 missing; 4.1 only as a sentence in "
        "机构设置; 约96%, 95%以上; waste gas not utilised (flag 0); zero wastewater discharge; "
        "a table with row-spanning source cells."),
)
