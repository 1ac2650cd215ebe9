"""a09: a gum-rosin plant in 梧州 — work summary, decimal headings, chapters out of order.

Order: 基本情况, 管理现状, 成果, 绩效评价, 指标体系, 实施情况, 问题 (附件1 puts 指标体系
third and 绩效评价 sixth). 2.3 (组织和培训) and 6.3 (厂容厂貌) are absent; 5.2 (持续方案
及计划) is one sentence inside 近三年推行情况. Weak numbers: 废水回用率 58%, 中/高费 2 of 4.
"""
from __future__ import annotations

from .spec import (DERIVED, FLAG, Cover, D, DocSpec, H, M, P, PageBreak, REQ, TableRowNote,
                   TableSpec)

ENTERPRISE = "广西梧州松源林产化工有限公司"

TARGETS = TableSpec(
    caption="表3-1 审核目标完成情况",
    rows=[
        ["指标", "审核前（2021年）", "目标值", "2023年", "完成情况"],
        ["吨松香综合能耗（kgce/t）", "104", "95", "92", "完成"],
        ["废水回用率（%）", "41", "65", "58", "未完成"],
        ["松节油得率（%）", "17.2", "18.0", "18.3", "完成"],
        ["环保设施同步运行率（%）", "96", "100", "100", "完成"],
    ],
    row_notes={
        1: TableRowNote("unit_energy_consumption", unit="kgce/t"),
        2: TableRowNote("wastewater_reuse_rate"),
        3: TableRowNote(distractor=True),
        4: TableRowNote("facility_operation_rate"),
    },
    year_cols={1: 2021, 3: 2023},
    target_cols={2: None},
    truth_table=True,
    widths_cm=[5.0, 2.8, 2.2, 2.2, 2.4],
)

BLOCKS = [
    Cover([
        ("", 12, False), ("", 12, False), ("", 12, False),
        (ENTERPRISE, 20, True),
        ("清洁生产工作总结", 24, True),
        ("", 12, False), ("", 12, False), ("", 12, False),
        ("2024年3月", 14, False),
    ]),
    PageBreak(),

    H(1, "企业基本情况", "1"),
    P(f"{ENTERPRISE}位于梧州市长洲区林产化工园区，成立于2007年，以松脂为原料，"
      "采用蒸汽法连续蒸馏工艺生产脂松香和松节油，设计年加工松脂6万吨，现有员工152人。"
      "2023年加工松脂4.1万吨，产能利用率68%，松香产量同比下降9.5%，特级松香品率97%。",
      D("产能利用率68%"), D("松香产量同比下降9.5%"), D("特级松香品率97%")),

    H(1, "清洁生产管理现状", "2"),
    H(2, "清洁生产组织机构", "2.1"),
    P("公司成立了清洁生产领导小组，总经理任组长，下设清洁生产办公室，由生产技术部负责日常工作。"),
    H(2, "清洁生产制度建设与执行", "2.2"),
    P("公司制定了《清洁生产管理办法》《VOCs无组织排放控制规程》《危险废物管理制度》，"
      "按月检查执行情况并记录在案。"),
    PageBreak(),

    H(1, "清洁生产成果", "4"),
    H(2, "企业清洁生产水平", "4.1"),
    P("松脂经溶解、过滤、水洗、澄清后进入连续蒸馏塔，塔顶馏出松节油，塔底放出松香。"
      "公司水计量器具配备率为100%，能源计量率为88%，吨松香综合能耗为92 kgce/t。",
      M("water_metering_rate", "公司水计量器具配备率为100%", 100, "="),
      M("energy_metering_rate", "能源计量率为88%", 88, "="),
      M("unit_energy_consumption", "吨松香综合能耗为92 kgce/t", 92, "=", unit="kgce/t")),
    H(2, "污染物产生、排放及治理", "4.2"),
    P("废水主要为松脂水洗和澄清产生的含油废水，经隔油、气浮、厌氧和好氧处理后部分回用于水洗工段，"
      "废水回用率为58%，其余排入园区污水厂，外排废水年达标率100%。"
      "审核表要求废水回用率达到80%。",
      M("wastewater_reuse_rate", "废水回用率为58%", 58, "="),
      M("wastewater_compliance_rate", "外排废水年达标率100%", 100, "="),
      REQ("审核表要求废水回用率达到80%", "wastewater_reuse_rate", 80)),
    P("蒸馏不凝气经冷凝回收松节油后经活性炭吸附排放，实现了废气部分资源化利用，"
      "废气（VOCs）年达标率为96.8%；松脂渣、污泥等固体废物综合利用率为85%，"
      "废活性炭交有资质单位处置，危险废物处置率100%；厂界噪声全部达标。",
      FLAG("waste_gas_utilization", "实现了废气部分资源化利用", 0.5),
      M("waste_gas_compliance_rate", "废气（VOCs）年达标率为96.8%", 96.8, "="),
      M("solid_waste_utilization_rate", "固体废物综合利用率为85%", 85, "="),
      M("solid_waste_disposal_rate", "危险废物处置率100%", 100, "="),
      FLAG("noise_compliant", "厂界噪声全部达标", 1)),
    H(2, "审核目标完成情况", "4.3"),
    P("本轮审核设定的4项目标中3项已完成，废水回用率目标未完成，详见表3-1。"),
    TARGETS,
    H(2, "方案投资及实施", "4.4"),
    P("本轮审核提出无/低费方案16项，已实施14项；中/高费方案4项，已实施2项，"
      "已实施方案累计投资365万元。",
      DERIVED("low_cost_implementation_rate", "无/低费方案16项，已实施14项", 87.5),
      DERIVED("high_cost_implementation_rate", "中/高费方案4项，已实施2项", 50)),
    PageBreak(),

    H(1, "绩效评价", "6"),
    H(2, "经济效益", "6.1"),
    P("已实施方案年经济效益约142万元，其中不凝气冷凝回收方案内部收益率为26%，投资回收期2.4年。",
      D("内部收益率为26%"), D("投资回收期2.4年")),
    H(2, "环境效益", "6.2"),
    P("年减少VOCs排放约18吨，减少COD排放约31吨，节约蒸汽约2400吨。"),

    H(1, "清洁生产指标体系及考核", "3"),
    P("公司将吨松香汽耗、吨松香水耗、松节油得率、废水回用率等指标分解到车间，"
      "每月统计，每季度考核，考核结果与班组奖金挂钩。"),

    H(1, "实施清洁生产情况", "5"),
    H(2, "近三年清洁生产推行情况", "5.1"),
    P("2021—2023年公司技术改造投入2030万元，清洁生产投入占技术改造资金的比例为18%，"
      "先后实施了连续蒸馏塔改造、废水隔油气浮改造和不凝气冷凝回收项目。"
      "公司已制定2024—2026年持续清洁生产方案，计划实施废水深度处理回用和储罐呼吸气回收项目。",
      M("cp_investment_ratio", "清洁生产投入占技术改造资金的比例为18%", 18, "="),
      evidence={"5.2": "公司已制定2024—2026年持续清洁生产方案，计划实施废水深度处理回用和储罐呼吸气回收项目。"}),

    H(1, "存在的问题及下一步计划", "7"),
    P("存在问题：废水回用率未达到审核目标，能源计量器具配备不足，中/高费方案实施进度滞后。"
      "下一步将加快废水深度处理回用项目建设，补齐能源计量器具。"),
]

# Item truth, by hand from items.toml (see doc_a01_sugar.ITEMS for what is left out and why).
ITEMS = {
    "9": 0,    # 无/低费 14 of 16 = 87.5% <100 → 0; 中/高费 2 of 4 = 50% <70 → 0
    "13": 0,   # 能源计量率 88% <90 → 0; 单耗比对 provisional 0
    "14": 2,   # 水计量器具配备率 100% → 2; 比对 0
    "16": 2,   # 清洁生产投入占技改 18% ≥10 → 2; no 开发投入 → 0
    "17": 0,   # no 零排放 flag; 废水回用率 2023 58% (2021 41; 目标值 65 is a target) <65 → 0
    "18": 2,   # no 零排放 flag; 固体废物综合利用率 85% ≥70 → 2
    "19": 1,   # 废气部分资源化利用 flag 0.5 → 1
    "21": 5,   # 环保设施同步运行率 2023 100% (2021 96 older; 目标值 is a target) → 5
    "23": 0,   # 废气（VOCs）年达标率 96.8% <97 → 0
    "24": 5,   # 外排废水年达标率 100% → 5
    "25": 4,   # 危险废物处置率 100% → 4
    "26": 3,   # 厂界噪声全部达标 flag 1 → 3
}

SPEC = DocSpec(
    name="a09_rosin_summary_decimal",
    doc_type="work_summary",
    enterprise=ENTERPRISE,
    numbering="decimal",
    blocks=BLOCKS,
    items=ITEMS,
    missing=["2.3", "6.3"],
    pdf=True,
    title="清洁生产工作总结",
    description=(
        "Work summary with decimal headings and 附件1's chapters out of order (绩效评价 and "
        "指标体系 moved); 2.3 and 6.3 missing, 5.2 as a sentence; weak numbers (废水回用率 58%, "
        "中/高费方案 2 of 4 = 50%, 能源计量率 88%, 废气 96.8%); partial waste-gas utilisation; a "
        "target column without a year; a 松节油得率 distractor row."),
)
