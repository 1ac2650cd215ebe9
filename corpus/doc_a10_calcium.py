"""a10: a ground-calcium-carbonate plant in 贺州 — work summary, Word numbering via paragraph numPr.

Headings are bold body paragraphs with an outline level and a paragraph-level numPr
(no heading styles); a typed TOC with …… leaders repeats the rendered numbers.
Headings worded away from 附件1 (企业概况, 宣传培训情况, 绩效评估 …); 4.3 only as a
sentence. Explicit rates for the programmes (no counting needed), 知晓率 for 认知率.
"""
from __future__ import annotations

from .spec import (FLAG, Cover, D, DocSpec, H, M, P, PageBreak, REQ, TableSpec, Toc)

ENTERPRISE = "广西贺州钟山白石粉体科技有限公司"

EQUIPMENT = TableSpec(
    caption="表2 主要生产设备",
    rows=[
        ["系统", "设备名称", "规格型号", "数量（台/套）"],
        ["破碎系统", "颚式破碎机", "PE-600×900", "2"],
        ["", "锤式破碎机", "PC-1000×800", "2"],
        ["粉磨分级系统", "立式磨粉机", "HLMX1100", "3"],
        ["", "超细分级机", "HTS-1000", "6"],
        ["", "湿法研磨机", "SM-3000", "4"],
        ["环保系统", "脉冲袋式除尘器", "LDMC-64", "12"],
    ],
    merges=[(1, 0, 2, 0), (3, 0, 5, 0)],
    truth_table=True,
    widths_cm=[3.4, 4.0, 4.0, 3.0],
)

BLOCKS = [
    Cover([
        ("", 12, False), ("", 12, False), ("", 12, False),
        (ENTERPRISE, 20, True),
        ("清洁生产工作总结", 24, True),
        ("", 12, False), ("", 12, False), ("", 12, False),
        ("2024年8月", 14, False),
    ]),
    PageBreak(),
    Toc(leader="dots", max_level=2),
    PageBreak(),

    H(1, "企业概况", "1"),
    P(f"{ENTERPRISE}位于贺州市钟山县石材碳酸钙产业园，成立于2015年，利用大理石开采和加工产生的"
      "边角料生产重质碳酸钙粉体，设计年产能40万吨，产品包括400目至3000目干法重钙和湿法超细重钙浆料，"
      "现有员工138人。2023年产品销量同比增长14.2%，主要设备负荷率为82%，产品白度达到95%以上。",
      D("2023年产品销量同比增长14.2%"), D("主要设备负荷率为82%"), D("产品白度达到95%以上")),
    P("公司主要生产设备见表2。"),
    EQUIPMENT,
    PageBreak(),

    H(1, "清洁生产管理现状", "2"),
    H(2, "清洁生产组织机构", "2.1"),
    P("公司成立了由董事长任组长的清洁生产领导小组，生产副总经理任办公室主任，"
      "各车间主任为成员，负责清洁生产的组织、协调和监督考核。"),
    H(2, "清洁生产制度建设", "2.2"),
    P("公司制定了《清洁生产管理制度》《粉尘防治管理规定》《设备维护保养制度》等11项制度，"
      "并通过ISO14001环境管理体系认证。",
      FLAG("iso14001", "通过ISO14001环境管理体系认证", 1)),
    H(2, "宣传培训情况", "2.3"),
    P("公司每季度开展一次清洁生产专题培训，员工清洁生产知晓率为96%。",
      M("staff_awareness_rate", "员工清洁生产知晓率为96%", 96, "=")),
    PageBreak(),

    H(1, "清洁生产考核指标体系", "3"),
    P("公司建立了以单位产品电耗、粉尘排放浓度、原料利用率为核心的考核指标体系，"
      "按月考核到班组。审核表要求能源计量率90％以上，公司已配齐三级计量器具。",
      REQ("审核表要求能源计量率90％以上", "energy_metering_rate", 90)),
    PageBreak(),

    H(1, "清洁生产成效", "4"),
    H(2, "清洁生产水平分析", "4.1"),
    H(3, "生产工艺"),
    P("干法工艺：原料—颚式破碎—锤式破碎—立磨粉磨—分级—包装；"
      "湿法工艺：干法细粉—调浆—湿法研磨—浆料储存。"),
    H(3, "装置设备"),
    P("粉磨采用立式磨粉机替代传统雷蒙磨，单位产品电耗下降约30%，分级采用涡轮式超细分级机。",
      D("单位产品电耗下降约30%")),
    H(3, "清洁生产水平"),
    P("2023年水计量率100%，能源计量器具配备率为96%，主体材料（大理石边角料）利用率达到98.5%，"
      "单位产品综合能耗为9.8 kgce/t。",
      M("water_metering_rate", "2023年水计量率100%", 100, "=", 2023),
      M("energy_metering_rate", "能源计量器具配备率为96%", 96, "=", 2023),
      M("main_material_utilization_rate", "主体材料（大理石边角料）利用率达到98.5%", 98.5, "=", 2023),
      M("unit_energy_consumption", "单位产品综合能耗为9.8 kgce/t", 9.8, "=", 2023, unit="kgce/t")),
    H(2, "污染物排放及治理", "4.2"),
    P("粉尘经脉冲袋式除尘器收集后，收尘粉全部作为产品回收，固废综合利用率100%，实现固废零排放；"
      "湿法研磨清洗废水经沉淀后全部回用，废水回用率100%，生产废水零排放。"
      "废气达标排放率100%，除尘设施运转率100%，厂界噪声达标率100%，"
      "废机油交有资质单位处置，处置率100%。",
      M("solid_waste_utilization_rate", "固废综合利用率100%", 100, "="),
      FLAG("solid_waste_zero_discharge", "实现固废零排放", 1),
      M("wastewater_reuse_rate", "废水回用率100%", 100, "="),
      FLAG("wastewater_zero_discharge", "生产废水零排放", 1),
      M("waste_gas_compliance_rate", "废气达标排放率100%", 100, "="),
      M("facility_operation_rate", "除尘设施运转率100%", 100, "="),
      M("noise_compliance_rate", "厂界噪声达标率100%", 100, "="),
      M("solid_waste_disposal_rate", "废机油交有资质单位处置，处置率100%", 100, "=")),
    H(2, "方案实施情况", "4.4"),
    P("共实施无低费方案11项（实施率100%），中高费方案实施率为75%。"
      "本轮审核确定的节电、降尘和原料利用三项审核目标均已完成。",
      M("low_cost_implementation_rate", "共实施无低费方案11项（实施率100%）", 100, "="),
      M("high_cost_implementation_rate", "中高费方案实施率为75%", 75, "="),
      evidence={"4.3": "本轮审核确定的节电、降尘和原料利用三项审核目标均已完成。"}),
    PageBreak(),

    H(1, "实施清洁生产情况", "5"),
    H(2, "推行情况", "5.1"),
    P("近三年清洁生产投入资金占技改投入比例为52%，2023年清洁生产技术开发投入占销售收入1.5%。",
      M("cp_investment_ratio", "近三年清洁生产投入资金占技改投入比例为52%", 52, "="),
      M("rd_investment_ratio", "2023年清洁生产技术开发投入占销售收入1.5%", 1.5, "=", 2023)),
    H(2, "持续清洁生产计划", "5.2"),
    P("2024—2025年计划建设光伏屋顶和全封闭智能原料库，并开展第二轮清洁生产审核。"),
    PageBreak(),

    H(1, "绩效评估", "6"),
    H(2, "经济效益", "6.1"),
    P("已实施方案年增效益约520万元，立磨替代项目投资回收期2.2年。",
      D("立磨替代项目投资回收期2.2年")),
    H(2, "环境效益", "6.2"),
    P("年利用大理石边角料约36万吨，节电约620万kWh，减少粉尘排放约45吨。"),
    H(2, "厂容厂貌", "6.3"),
    P("原料和成品全部入库，厂区道路硬化并设置雾炮，厂区整洁。"),

    H(1, "问题与计划", "7"),
    P("湿法研磨线能耗偏高，下一步将实施研磨机变频改造。"),
]

# Item truth, by hand from items.toml (see doc_a01_sugar.ITEMS for what is left out and why).
ITEMS = {
    "9": 3,    # 无低费实施率 100% → 1; 中高费实施率 75% ≥70 → 2
    "13": 2,   # 能源计量器具配备率 2023 96% ≥90 → 2; 单耗比对 provisional 0
    "14": 2,   # 水计量率 2023 100% → 2; 比对 0
    "16": 6,   # 清洁生产投入占技改 52% >30 → 4; 开发投入 2023 1.5% ≥1.5 → 2
    "17": 3,   # 生产废水零排放 flag 1 → 3
    "18": 3,   # 固废零排放 flag 1 → 3 (综合利用率 100% → 3 as well)
    "19": 0,   # no 废气资源化利用 statement → no_evidence 0
    "21": 5,   # 除尘设施运转率 100% → 5
    "23": 5,   # 废气达标排放率 100% → 5
    "24": 0,   # no 外排废水达标率 stated (zero discharge): value missing → no_evidence 0
    "25": 4,   # 废机油处置率 100% → 4
    "26": 3,   # 厂界噪声达标率 100% → 3
}

SPEC = DocSpec(
    name="a10_calcium_summary_autonum",
    doc_type="work_summary",
    enterprise=ENTERPRISE,
    numbering="word_auto_para",
    blocks=BLOCKS,
    items=ITEMS,
    title="清洁生产工作总结",
    description=(
        "Work summary numbered by Word automatic numbering through paragraph-level numPr on "
        "bold body paragraphs with outlineLvl (no heading styles); a typed TOC with …… leaders "
        "showing the rendered numbers; headings worded 企业概况 / 宣传培训情况 / 绩效评估 / 问题与计划; "
        "4.3 as a sentence; explicit programme rates; 知晓率; a full-width ％ requirement; "
        "产品白度 and 电耗下降约30% as traps; zero-discharge flags."),
)
