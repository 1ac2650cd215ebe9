"""The outputs of `cpscreen compare`: table (terminal), HTML and XLSX, from the compare JSON.

Built on the check renderers' pieces — value formatting from `scoresheet`, the Jinja
environment and CSS of the HTML report, the sheet helpers of the workbook — so a comparison
looks and behaves like a single result (text from documents is escaped in HTML and never a
formula in Excel).
"""
from __future__ import annotations

import io
from typing import Any

from . import scoresheet as ss
from .compare import DIRECTION_ZH, KIND_CONSISTENCY, KIND_ZH
from .textwidth import fit

SECTION_STATUS_SHORT = {"heading": "有标题", "body": "正文有", "missing": "缺失", None: "—"}
SECTION_CHANGE_ZH = {"added": "新增", "dropped": "删去", "": ""}
BETTER_ZH = {"higher": "越高越好", "lower": "越低越好", None: ""}


# ------------------------------------------------------------------------------ shared views

def labels(cmp: dict) -> tuple[str, str]:
    """What the two columns are called: 上一轮 / 本轮, or the two documents' types."""
    if cmp.get("kind") == KIND_CONSISTENCY:
        a = ss.DOC_TYPE_SHORT.get((cmp.get("previous") or {}).get("doc_type") or "", "第一个文件")
        b = ss.DOC_TYPE_SHORT.get((cmp.get("current") or {}).get("doc_type") or "", "第二个文件")
        return a, b
    return "上一轮", "本轮"


def side_text(side: dict | None, with_page: bool = True) -> str:
    if not side:
        return "—"
    text = ss.value_text(side)
    if side.get("conflict"):
        text += "（报告内数值不一致：" + "、".join(ss.fmt_number(v) for v in side.get("values", [])) + "）"
    if with_page and side.get("page"):
        text += f"（第{side['page']}页）"
    return text


def year_text(side: dict | None) -> str:
    return f"{side['year']}年" if side and side.get("year") else ("未注明年份" if side else "")


def _year(side: dict | None) -> str:
    return f"{side['year']}年 " if side and side.get("year") else ""


def change_text(row: dict) -> str:
    change = row.get("change")
    if change is None:
        return ""
    unit = row.get("unit") or ""
    if unit == "flag":
        unit = ""
    elif unit == "%":
        unit = " 个百分点"
    sign = "+" if change > 0 else ""
    return f"{sign}{ss.fmt_number(change)}{unit}" if change else "0"


def direction_zh(row: dict, cmp: dict) -> str:
    d = row.get("direction") or ""
    if cmp.get("kind") == KIND_CONSISTENCY and d in ("only_previous", "only_current"):
        a, b = labels(cmp)
        return f"仅{a}有" if d == "only_previous" else f"仅{b}有"
    return DIRECTION_ZH.get(d, d)


def points_change(v) -> str:
    if v is None:
        return ""
    return f"+{ss.fmt_number(v)}" if v > 0 else ss.fmt_number(v)


def cross_line(c: dict, cmp: dict) -> str:
    a, b = labels(cmp)
    unit = "" if c.get("unit") == "flag" else c.get("unit") or ""
    name = ss.rubric_meta().indicator_names.get(c.get("key"), c.get("name") or c.get("key"))
    year = f"（{c['year']}年）" if c.get("year") else ""
    return (f"{name}{year}：{a}第{c.get('this_page') or '?'}页 {ss.fmt_number(c.get('this_value'))}{unit}"
            f" ↔ {b}第{c.get('other_page') or '?'}页 {ss.fmt_number(c.get('other_value'))}{unit}")


def _doc_line(label: str, d: dict) -> str:
    kind = ss.DOC_TYPE_ZH.get(d.get("doc_type") or "", d.get("doc_type") or "未识别")
    s = d.get("score") or {}
    parts = [f"{label}：{d.get('file') or ''}（{kind}", f"{d.get('enterprise') or '企业未识别'}）"]
    line = "，".join(parts)
    if not d.get("error") and s.get("auto") is not None:
        line += f"　自动得分 {ss.fmt_number(s.get('auto'))}，待复核 {ss.fmt_number(s.get('review_max'))}"
    return line


# ------------------------------------------------------------------------------ table

def render_compare_table(cmp: dict) -> str:
    lines: list[str] = []
    add = lines.append
    a, b = labels(cmp)
    add(f"对比：{KIND_ZH.get(cmp.get('kind'), '对比')}" if cmp.get("kind") else "对比")
    add(_doc_line(a if cmp.get("kind") != KIND_CONSISTENCY else "第一个文件", cmp.get("previous") or {}))
    add(_doc_line(b if cmp.get("kind") != KIND_CONSISTENCY else "第二个文件", cmp.get("current") or {}))
    if cmp.get("error"):
        zh, _, en = cmp["error"].partition(" / ")
        add(f"错误：{zh}")
        if en:
            add(f"Error: {en}")
        return "\n".join(lines) + "\n"
    for w in cmp.get("warnings") or []:
        add(f"注意：{w}")

    if cmp.get("kind") == KIND_CONSISTENCY:
        conflicts = cmp.get("cross_conflicts") or []
        add("")
        add(f"一、数值不一致（{len(conflicts)} 处）" if conflicts else "一、数值不一致：未发现")
        for c in conflicts:
            add("  ！" + cross_line(c, cmp))
        add("")
        add("二、逐项核对（同一指标、同一年份）")
        add(f"  {fit('指标', 24)} {fit('年份', 8)}{fit(a, 22)}{fit(b, 22)}结果")
        for row in cmp.get("indicators") or []:
            year = f"{row['year']}年" if row.get("year") else "未注明"
            add(f"  {fit(row.get('name') or row.get('key'), 24)} {fit(year, 8)}{fit(side_text(row.get('previous')), 22)}"
                f"{fit(side_text(row.get('current')), 22)}{direction_zh(row, cmp)}")
        n = "三"
    else:
        counts = cmp.get("counts") or {}
        add("")
        add("一、指标（每轮最新年份的实际值）　" + "，".join(
            f"{DIRECTION_ZH[k]} {counts[k]} 项" for k in ("improved", "worse", "same", "changed", "only_current",
                                                        "only_previous", "not_comparable") if counts.get(k)))
        add(f"  {fit('指标', 24)} {fit(a, 30)}{fit(b, 30)}{fit('变化', 14)}判断")
        for row in cmp.get("indicators") or []:
            prev, cur = row.get("previous"), row.get("current")
            pa = f"{_year(prev)}{side_text(prev)}" if prev else "—"
            cb = f"{_year(cur)}{side_text(cur)}" if cur else "—"
            mark = "！" if row.get("direction") == "worse" else "  "
            add(f"{mark}{fit(row.get('name') or row.get('key'), 24)} {fit(pa, 30)}{fit(cb, 30)}"
                f"{fit(change_text(row), 14)}{direction_zh(row, cmp)}")
            restated = [y for y in row.get("years") or [] if y.get("restated")]
            for y in restated:
                add(f"      {y['year']}年 两轮数值不同：{a} {side_text(y.get('previous'))}，{b} {side_text(y.get('current'))}")
        sections = cmp.get("sections") or {}
        add("")
        add("二、章节变化（对照编写要求）")
        if not sections.get("added") and not sections.get("dropped"):
            add("  两轮报告覆盖的章节相同")
        for s in sections.get("added") or []:
            add(f"  新增：{s['id']} {s.get('title') or ''}（本轮“{s.get('heading') or ''}”，第{s.get('page') or '?'}页）")
        for s in sections.get("dropped") or []:
            add(f"  删去：{s['id']} {s.get('title') or ''}（上一轮“{s.get('heading') or ''}”，第{s.get('page') or '?'}页；本轮缺失）")
        n = "三"

    add("")
    add(f"{n}、评分（附件3 审核表）")
    add(f"  {fit('序号', 5)}{fit('项目', 30)}{fit('分值', 5)}{fit(a, 8)}{fit(b, 8)}变化")
    for it in cmp.get("items") or []:
        add(f"  {fit(str(it['id']), 5)}{fit(it.get('title') or '', 30)}{fit(ss.fmt_number(it.get('max')), 5)}"
            f"{fit(ss.fmt_number(it.get('previous')), 8)}{fit(ss.fmt_number(it.get('current')), 8)}"
            f"{points_change(it.get('change')) if it.get('change') else ''}".rstrip())
    score = cmp.get("score") or {}
    p, c = score.get("previous") or {}, score.get("current") or {}
    add(f"  合计：自动得分 {a} {ss.fmt_number(p.get('auto'))} → {b} {ss.fmt_number(c.get('auto'))}"
        f"（{points_change(score.get('auto_change')) or '0'}）；待人工复核 {ss.fmt_number(p.get('review_max'))} → "
        f"{ss.fmt_number(c.get('review_max'))}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------ HTML

def render_compare_html(cmp: dict) -> str:
    from .render_html import _environment as environment

    a, b = labels(cmp)
    rows = []
    for row in cmp.get("indicators") or []:
        rows.append({"row": row, "name": row.get("name") or row.get("key"),
                     "previous": side_text(row.get("previous"), with_page=False),
                     "current": side_text(row.get("current"), with_page=False),
                     "previous_year": year_text(row.get("previous")), "current_year": year_text(row.get("current")),
                     "previous_page": (row.get("previous") or {}).get("page"),
                     "current_page": (row.get("current") or {}).get("page"),
                     "previous_text": (row.get("previous") or {}).get("text") or "",
                     "current_text": (row.get("current") or {}).get("text") or "",
                     "change": change_text(row), "direction": row.get("direction") or "",
                     "direction_zh": direction_zh(row, cmp), "better_zh": BETTER_ZH.get(row.get("better"), ""),
                     "year": row.get("year"),
                     "years": [{"year": y["year"], "previous": side_text(y.get("previous")),
                                "current": side_text(y.get("current")), "restated": y.get("restated")}
                               for y in row.get("years") or []]})
    sections = cmp.get("sections") or {}
    context = {
        "c": cmp, "a": a, "b": b, "kind_zh": KIND_ZH.get(cmp.get("kind"), "对比"),
        "consistency": cmp.get("kind") == KIND_CONSISTENCY,
        "docs": [(a if cmp.get("kind") != KIND_CONSISTENCY else "第一个文件", cmp.get("previous") or {}),
                 (b if cmp.get("kind") != KIND_CONSISTENCY else "第二个文件", cmp.get("current") or {})],
        "doc_type_zh": ss.DOC_TYPE_ZH, "rows": rows,
        "cross": [{"line": cross_line(x, cmp), **x} for x in cmp.get("cross_conflicts") or []],
        "sections": [dict(s, previous_zh=SECTION_STATUS_SHORT.get(s.get("previous"), s.get("previous")),
                          current_zh=SECTION_STATUS_SHORT.get(s.get("current"), s.get("current")),
                          change_zh=SECTION_CHANGE_ZH.get(s.get("change"), "")) for s in sections.get("rows") or []],
        "added": sections.get("added") or [], "dropped": sections.get("dropped") or [],
        "items": cmp.get("items") or [], "score": cmp.get("score") or {},
        "counts": [(k, direction_zh({"direction": k}, cmp), (cmp.get("counts") or {}).get(k)) for k in DIRECTION_ZH
                   if (cmp.get("counts") or {}).get(k)],
        "fmt": ss.fmt_number, "points_change": points_change,
    }
    return environment().get_template("compare.html.j2").render(**context)


# ------------------------------------------------------------------------------ XLSX

SHEET_INDICATORS, SHEET_YEARS, SHEET_SECTIONS, SHEET_ITEMS = "指标对比", "逐年数值", "章节变化", "评分对比"
SHEET_CROSS = "数值不一致"


def render_compare_xlsx(cmp: dict) -> bytes:
    from openpyxl import Workbook

    from .render_xlsx import _list_sheet, _put, _Styles

    a, b = labels(cmp)
    wb = Workbook()
    ws = wb.active
    ws.title = "概况"
    st = _Styles()
    facts = [("对比类型", KIND_ZH.get(cmp.get("kind"), "")),
             *[(label, f"{d.get('file') or ''}（{ss.DOC_TYPE_ZH.get(d.get('doc_type') or '', '未识别')}，"
                       f"{d.get('enterprise') or '企业未识别'}）")
               for label, d in (("第一个文件" if cmp.get("kind") == KIND_CONSISTENCY else a, cmp.get("previous") or {}),
                                ("第二个文件" if cmp.get("kind") == KIND_CONSISTENCY else b, cmp.get("current") or {}))]]
    if cmp.get("error"):
        facts.append(("错误", cmp["error"]))
    else:
        score = cmp.get("score") or {}
        p, c = score.get("previous") or {}, score.get("current") or {}
        facts.append(("自动得分", f"{a} {ss.fmt_number(p.get('auto'))} → {b} {ss.fmt_number(c.get('auto'))}"
                                 f"（{points_change(score.get('auto_change')) or '0'}）"))
        facts.append(("待人工复核", f"{a} {ss.fmt_number(p.get('review_max'))} → {b} {ss.fmt_number(c.get('review_max'))}"))
        if cmp.get("kind") == KIND_CONSISTENCY:
            facts.append(("数值不一致", "\n".join(cross_line(x, cmp) for x in cmp.get("cross_conflicts") or [])
                          or "未发现"))
        else:
            counts = cmp.get("counts") or {}
            facts.append(("指标变化", "，".join(f"{DIRECTION_ZH[k]} {v} 项" for k, v in counts.items())))
            sections = cmp.get("sections") or {}
            facts.append(("新增章节", "、".join(f"{s['id']} {s.get('title')}" for s in sections.get("added") or []) or "无"))
            facts.append(("删去章节", "、".join(f"{s['id']} {s.get('title')}" for s in sections.get("dropped") or []) or "无"))
    for w in cmp.get("warnings") or []:
        facts.append(("注意", w))
    for r, (label, value) in enumerate(facts, 1):
        st.apply(_put(ws, r, 1, label), (("font", "head"),))
        cell = _put(ws, r, 2, value)
        st.apply(cell, (("font", "body"), ("alignment", "wrap")))
        ws.row_dimensions[r].height = 15 * max(1, str(value).count("\n") + 1 + len(str(value)) // 60) + 4
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 110

    if cmp.get("error"):
        return _save(wb)

    rows, fills = [], []
    for i, row in enumerate(cmp.get("indicators") or [], 1):
        prev, cur = row.get("previous") or {}, row.get("current") or {}
        rows.append([i, row.get("name") or row.get("key"), row.get("year") if cmp.get("kind") == KIND_CONSISTENCY else None,
                     year_text(row.get("previous")), side_text(row.get("previous"), False), prev.get("page"),
                     year_text(row.get("current")), side_text(row.get("current"), False), cur.get("page"),
                     row.get("change"), direction_zh(row, cmp), BETTER_ZH.get(row.get("better"), ""),
                     prev.get("text"), cur.get("text"), row.get("key")])
        fills.append({"worse": "FFEBE9", "disagree": "FFEBE9", "improved": "DAFBE1"}.get(row.get("direction")))
    headers = ["序号", "指标", "年份", f"{a}年份", f"{a}数值", f"{a}页码", f"{b}年份", f"{b}数值", f"{b}页码",
               "变化", "判断", "方向", f"{a}原文", f"{b}原文", "指标代码"]
    widths = [6, 20, 7, 10, 14, 7, 10, 14, 7, 9, 10, 10, 50, 50, 26]
    _list_sheet(wb.create_sheet(SHEET_INDICATORS), st, headers, widths, rows, wrap_cols={2, 13, 14}, fills=fills)

    if cmp.get("kind") == KIND_CONSISTENCY:
        cross = cmp.get("cross_conflicts") or []
        rows = [[i, ss.rubric_meta().indicator_names.get(x.get("key"), x.get("name")), x.get("year"),
                 x.get("this_value"), x.get("this_page"), x.get("this_text"),
                 x.get("other_value"), x.get("other_page"), x.get("other_text"), x.get("key")]
                for i, x in enumerate(cross, 1)]
        _list_sheet(wb.create_sheet(SHEET_CROSS), st,
                    ["序号", "指标", "年份", f"{a}数值", f"{a}页码", f"{a}原文", f"{b}数值", f"{b}页码", f"{b}原文",
                     "指标代码"], [6, 20, 7, 10, 7, 50, 10, 7, 50, 26], rows, wrap_cols={2, 6, 9},
                    fills=["FFEBE9"] * len(rows))
    else:
        rows, fills = [], []
        for row in cmp.get("indicators") or []:
            for y in row.get("years") or []:
                rows.append([row.get("name") or row.get("key"), y["year"], side_text(y.get("previous"), False),
                             (y.get("previous") or {}).get("page"), side_text(y.get("current"), False),
                             (y.get("current") or {}).get("page"), "两轮数值不同" if y.get("restated") else ""])
                fills.append("FFF8C5" if y.get("restated") else None)
        _list_sheet(wb.create_sheet(SHEET_YEARS), st, ["指标", "年份", f"{a}数值", f"{a}页码", f"{b}数值", f"{b}页码", "说明"],
                    [20, 7, 14, 7, 14, 7, 16], rows, wrap_cols={1}, fills=fills)
        rows, fills = [], []
        for s in (cmp.get("sections") or {}).get("rows") or []:
            rows.append([s["id"], s.get("title"), SECTION_STATUS_SHORT.get(s.get("previous"), s.get("previous")),
                         s.get("previous_page"), SECTION_STATUS_SHORT.get(s.get("current"), s.get("current")),
                         s.get("current_page"), SECTION_CHANGE_ZH.get(s.get("change"), "")])
            fills.append({"added": "DDF4FF", "dropped": "FFEBE9"}.get(s.get("change")))
        _list_sheet(wb.create_sheet(SHEET_SECTIONS), st, ["编号", "要求的章节", a, f"{a}页码", b, f"{b}页码", "变化"],
                    [7, 46, 10, 8, 10, 8, 8], rows, wrap_cols={2}, fills=fills)

    rows = [[it["id"], it.get("title"), it.get("max"), it.get("previous"), it.get("current"), it.get("change"),
             ss.ITEM_STATUS_ZH.get(it.get("previous_status"), it.get("previous_status") or ""),
             ss.ITEM_STATUS_ZH.get(it.get("current_status"), it.get("current_status") or "")]
            for it in cmp.get("items") or []]
    score = cmp.get("score") or {}
    p, c = score.get("previous") or {}, score.get("current") or {}
    rows.append(["合计", "自动得分", 100, p.get("auto"), c.get("auto"), score.get("auto_change"), "", ""])
    rows.append(["", "待人工复核", None, p.get("review_max"), c.get("review_max"), None, "", ""])
    fills = [("DAFBE1" if (it.get("change") or 0) > 0 else "FFEBE9" if (it.get("change") or 0) < 0 else None)
             for it in cmp.get("items") or []] + [None, None]
    _list_sheet(wb.create_sheet(SHEET_ITEMS), st, ["序号", "项目", "分值", a, b, "变化", f"{a}状态", f"{b}状态"],
                [6, 30, 6, 9, 9, 8, 12, 12], rows, wrap_cols={2}, fills=fills)
    return _save(wb)


def _save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render_compare(cmp: dict, fmt: str) -> Any:
    """The output of `cpscreen compare --format FMT`: str, or bytes for xlsx."""
    if fmt == "json":
        from .result import dumps
        return dumps(cmp) + "\n"
    if fmt == "html":
        return render_compare_html(cmp)
    if fmt == "xlsx":
        return render_compare_xlsx(cmp)
    return render_compare_table(cmp)
