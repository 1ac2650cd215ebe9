"""`--format table`: a summary a person reads in the terminal, in Chinese."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .textwidth import fit

if TYPE_CHECKING:
    from .pipeline import ScreenResult

DOC_TYPE_ZH = {"audit_report": "清洁生产审核报告", "work_summary": "清洁生产工作总结"}
SECTION_STATUS_ZH = {"heading": "有标题", "body": "正文有", "missing": "缺失"}
ITEM_STATUS_ZH = {"auto": "自动", "review": "待复核", "no_evidence": "无依据"}
COMPARATOR_ZH = {"=": "", ">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "约", "range": ""}
ROLE_ZH = {"actual": "", "target": "（目标）", "requirement": "（引用要求）"}


def render_table(r: "ScreenResult") -> str:
    lines: list[str] = []
    add = lines.append
    add(f"文件：{r.file}")
    if r.error is not None:
        add(f"错误：{r.error.zh}")
        add(f"Error: {r.error.en}")
        return "\n".join(lines) + "\n"
    doc = r.document
    kind = DOC_TYPE_ZH.get(r.doc_type or "", r.doc_type or "")
    how = "自动识别" if r.doc_type_detected else "按 --type 指定"
    add(f"类型：{kind}（{how}）　页数：{doc.pages}　格式：{doc.format.upper()}")
    if r.enterprise:
        add(f"企业：{r.enterprise}")
    a = r.assessment
    if a is not None:
        add("")
        add(getattr(a.score, "sentence", "") or f"自动得分 {a.score.auto} 分")
    for w in r.warnings:
        add(f"注意：{w}")

    if r.outline is not None:
        add("")
        add("一、章节完整性（对照编写要求）")
        for s in r.outline.sections:
            where = ""
            if s.status == "heading":
                where = f"“{s.heading}” 第{s.page}页"
            elif s.status == "body":
                where = f"第{s.page}页：{s.evidence or ''}"
            indent = "  " if "." in s.id else ""
            add(f"  {fit(indent + s.id + ' ' + s.title, 44)} {fit(SECTION_STATUS_ZH[s.status], 8)} {fit(where, 60).rstrip()}")

    add("")
    add("二、指标（报告中的每一处表述）")
    if not r.mentions:
        add("  未找到评分表所需指标的数值")
    for m in r.mentions:
        add("  " + mention_line(m))
    if r.conflicts:
        add("")
        add(f"  ！数值前后不一致（{len(r.conflicts)} 处，相关评分项按较不利的数值暂计并转人工复核）")
    for c in r.conflicts:
        add("  " + conflict_line(c))

    if a is not None:
        add("")
        add("三、评分（附件3 审核表）")
        add(f"  {fit('序号', 5)}{fit('项目', 30)}{fit('分值', 5)}{fit('得分', 6)}{fit('状态', 8)}依据")
        for it in a.items:
            add(f"  {fit(str(it.id), 5)}{fit(it.title, 30)}{fit(_pts(it.max), 5)}{fit(_pts(it.score), 6)}"
                f"{fit(ITEM_STATUS_ZH.get(it.status, it.status), 8)}{fit(it.basis, 70).rstrip()}")
        add(f"  合计：自动得分 {_pts(a.score.auto)} / {_pts(a.score.max)}，待人工复核 {_pts(a.score.review_max)}，合格线 {_pts(a.score.pass_line)}")
        if a.missing:
            add("")
            add("四、缺少或未达标的内容")
            for i, m in enumerate(a.missing, 1):
                add(f"  {i}. {m.message}")
    return "\n".join(lines) + "\n"


def conflict_line(c) -> str:
    """废水回用率（2023年）：第4页 92.6%（正文）↔ 第6页 90.8%（表格）"""
    name = c.mentions[0].name if c.mentions else c.key
    try:
        from .scoresheet import rubric_meta
        name = rubric_meta().indicator_names.get(c.key, name)
    except Exception:  # noqa: BLE001 - the name is a nicety; the key is shown instead
        pass
    year = f"（{c.year}年）" if c.year else ""
    if c.mentions:
        shown = " ↔ ".join(f"第{m.page}页 {_value(m)}（{'表格' if m.source == 'table' else '正文'}）"
                           for m in c.mentions)
    else:
        shown = "、".join(f"{v:g}" for v in c.values) + "（第 " + "、".join(str(p) for p in c.pages) + " 页）"
    return f"{name}{year}：{shown}"


def _value(m) -> str:
    if m.unit == "flag":
        return {1.0: "是", 0.5: "部分", 0.0: "否"}.get(float(m.value), f"{m.value:g}")
    if m.comparator == "range":
        return f"{m.low:g}~{m.high:g}{m.unit}"
    return f"{COMPARATOR_ZH.get(m.comparator, m.comparator)}{m.value:g}{m.unit}"


def mention_line(m) -> str:
    if m.unit == "flag":
        value = {1.0: "是", 0.5: "部分", 0.0: "否"}.get(float(m.value), f"{m.value:g}")
    elif m.comparator == "range":
        value = f"{m.low:g}~{m.high:g}{m.unit}"
    else:
        value = f"{COMPARATOR_ZH.get(m.comparator, m.comparator)}{m.value:g}{'' if m.unit == 'flag' else m.unit}"
    year = f"{m.year}年 " if m.year else ""
    derived = "（推算）" if m.derived else ""
    return (f"{fit(m.name, 22)} {fit(year + value + derived + ROLE_ZH.get(m.role, ''), 26)}"
            f" 第{m.page}页 {'表格' if m.source == 'table' else '正文'}：{fit(m.text, 60).rstrip()}")


def _pts(v) -> str:
    return f"{v:g}" if isinstance(v, (int, float)) else str(v)
