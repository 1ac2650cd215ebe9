"""`--format xlsx`: the 审核表 of 附件3 in its official layout, filled in, plus the facts behind it.

Sheets: 审核表 (the table as 附件3 prints it — 系列序号, 项目, 序号, 主要内容, 要求, 项目分值,
实际得分 — with 状态 and 依据/证据 beside it, the series cells merged down their items, the 累计分值
row and the 说明), 指标 (every indicator mention), 缺失项 (what is missing) and 章节 (the outline
checklist).

Document text goes into cells as text only: a sentence starting with "=" stays a string
(never a formula), control characters Excel refuses are dropped, and overlong text is cut at
Excel's cell limit. The 累计分值 of 实际得分 is a SUM formula, so a reviewer who changes a
provisional score sees the total follow.
"""
from __future__ import annotations

import functools
import io
import math
from copy import copy
from typing import Any

from . import scoresheet as ss
from .textwidth import width as text_width

SHEET_TABLE, SHEET_MENTIONS, SHEET_MISSING, SHEET_OUTLINE = "审核表", "指标", "缺失项", "章节"
SHEET_CONFLICTS = "数值不一致"     # only when the report (or a batch cross-check) found some
CONFLICT_HEADERS = ["序号", "类别", "指标", "年份", "数值一", "页码一", "原文一", "数值二", "页码二", "原文二",
                    "另一份材料", "影响评分项", "指标代码"]
CONFLICT_WIDTHS = [6, 16, 18, 7, 10, 7, 50, 10, 7, 50, 26, 12, 26]
TABLE_HEADERS = ["系列序号", "项目", "序号", "主要内容", "要求", "项目分值", "实际得分", "状态", "依据/证据"]
TABLE_WIDTHS = [6, 12, 6, 20, 36, 6, 7, 10, 70]
MENTION_HEADERS = ["序号", "指标", "报告中的名称", "年份", "数值", "比较", "单位", "性质", "页码", "来源",
                   "推算", "数值不一致", "原文", "指标代码", "位置"]
MENTION_WIDTHS = [6, 20, 20, 7, 9, 6, 9, 9, 6, 6, 6, 10, 80, 28, 10]
MISSING_HEADERS = ["序号", "类别", "对应", "说明"]
MISSING_WIDTHS = [6, 11, 30, 90]
OUTLINE_HEADERS = ["编号", "要求的章节", "情况", "报告中的标题或内容", "页码"]
OUTLINE_WIDTHS = [7, 46, 16, 70, 6]

EXCEL_CELL_LIMIT = 32767
LINE_HEIGHT = 15.0          # points per wrapped line at 10.5 pt
MAX_ROW_HEIGHT = 409.0      # Excel's limit

STATUS_FILL = {"auto": "DAFBE1", "review": "FFF8C5", "no_evidence": "FFEBE9"}
SECTION_FILL = {"heading": "DAFBE1", "body": "FFF8C5", "missing": "FFEBE9"}


def render_xlsx(result: dict[str, Any], province: str = "guangxi") -> bytes:
    """The workbook for one result (the contract's JSON dict), as the bytes of an .xlsx file."""
    from openpyxl import Workbook

    meta = ss.rubric_meta(province)
    wb = Workbook()
    st = _Styles()
    _table_sheet(wb.active, st, result, meta)
    _mentions_sheet(wb.create_sheet(SHEET_MENTIONS), st, result, meta)
    _missing_sheet(wb.create_sheet(SHEET_MISSING), st, result)
    _outline_sheet(wb.create_sheet(SHEET_OUTLINE), st, result)
    if (result.get("conflicts") or result.get("cross_conflicts")) and not result.get("error"):
        _conflicts_sheet(wb.create_sheet(SHEET_CONFLICTS), st, result, meta)
    wb.calculation.fullCalcOnLoad = True     # the SUM has no cached value: compute it on opening
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------ cells

def _clean(text: Any) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", "" if text is None else str(text))
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[:EXCEL_CELL_LIMIT - 1] + "…"
    return text


def _put(ws, row: int, col: int, value: Any):
    """Write a value; strings always as text, never as a formula."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        return cell
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = int(value) if float(value).is_integer() else float(value)
        return cell
    cell.value = _clean(value)
    cell.data_type = "s"
    return cell


class _Styles:
    """The style objects of one workbook, and the style arrays they gave its cells.

    Every assignment of a style to a cell makes openpyxl hash the style object to find it in
    the workbook's style tables, which was most of the cost of a workbook. A cell that starts
    from the same style array and is given the same objects ends with the same array, so each
    combination goes through openpyxl once, at the point the old cell-by-cell code first asked
    for it (the tables list the objects in the same order), and its array is copied after that.
    Merged ranges get the same treatment for the borders openpyxl draws on their edges.
    """

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        from openpyxl.styles.cell_style import StyleArray

        thin = Side(style="thin", color="000000")
        self._objects: dict[str, Any] = {
            "border": Border(left=thin, right=thin, top=thin, bottom=thin),
            "wrap": Alignment(wrap_text=True, vertical="top"),
            "center": Alignment(wrap_text=True, horizontal="center", vertical="center"),
            "head": Font(name="宋体", bold=True, size=11),
            "body": Font(name="宋体", size=10.5),
            "title": Font(name="宋体", bold=True, size=16),
            "head_fill": PatternFill("solid", fgColor="E8ECF0"),
        }
        self._fill_type, self._border_type = PatternFill, Border
        self._empty_array = StyleArray
        self._arrays: dict[tuple, Any] = {}
        self._edge_borders: dict[tuple, int | None] = {}
        self._protections: dict[int, int] = {}

    def _object(self, name: str):
        if name not in self._objects:                      # "fill:RRGGBB", made on first use
            self._objects[name] = self._fill_type("solid", fgColor=name.removeprefix("fill:"))
        return self._objects[name]

    def _array(self, cell):
        if cell._style is None:             # what openpyxl does before its first style on a cell
            cell._style = self._empty_array()
        return cell._style

    def apply(self, cell, styles: tuple[tuple[str, str], ...]) -> None:
        """Give `cell` the named objects, as (attribute, name) pairs in the order openpyxl is to
        register them."""
        key = (tuple(self._array(cell)), styles)
        done = self._arrays.get(key)
        if done is None:
            for attribute, name in styles:
                setattr(cell, attribute, self._object(name))
            self._arrays[key] = copy(cell._style)
        else:
            cell._style = copy(done)

    def merge(self, ws, start_row: int, start_column: int, end_row: int, end_column: int) -> None:
        """`ws.merge_cells`: the same cells, borders and protections (openpyxl 3.1's
        `_clean_merge_range` and `MergedCellRange.format`), each distinct border sum computed once.
        tests/cpscreen/test_render_xlsx_identical.py holds it to `merge_cells` of the installed openpyxl."""
        from openpyxl.cell.cell import MergedCell
        from openpyxl.worksheet.merge import MergedCellRange

        mcr = MergedCellRange(ws, f"{_col(start_column)}{start_row}:{_col(end_column)}{end_row}")
        ws.merged_cells.add(mcr)
        for row, col in list(mcr.cells)[1:]:
            ws._cells[row, col] = MergedCell(ws, row, col)
        start = mcr.start_cell
        for side in ("top", "left", "right", "bottom"):
            # the start cell is on the top and left edges: read its border anew for every side
            for row, col in getattr(mcr, side):
                self._add_edge_border(ws._cells[row, col], start, side)
        start_protection = self._array(start).protectionId
        if start_protection not in self._protections:
            start.protection = copy(start.protection)
            self._protections[start_protection] = start._style.protectionId
        for coord in mcr.cells:            # every cell of the range gets the start cell's protection
            self._array(ws._cells[coord]).protectionId = self._protections[start_protection]

    def _add_edge_border(self, cell, start, side: str) -> None:
        """`cell.border += Border(side=start.border.side)`, unless the start cell's side has no style."""
        key = (side, self._array(start).borderId, self._array(cell).borderId)
        if key not in self._edge_borders:
            start_side = getattr(start.border, side)
            if start_side and start_side.style is None:
                self._edge_borders[key] = None
            else:
                cell.border += self._border_type(**{side: start_side})
                self._edge_borders[key] = cell._style.borderId
        if self._edge_borders[key] is not None:
            cell._style.borderId = self._edge_borders[key]


HEAD = (("font", "head"), ("alignment", "center"), ("border", "border"), ("fill", "head_fill"))
BODY_WRAP = (("font", "body"), ("border", "border"), ("alignment", "wrap"))
BODY_CENTER = (("font", "body"), ("border", "border"), ("alignment", "center"))
TOTAL_WRAP = (("font", "head"), ("border", "border"), ("alignment", "wrap"))
TOTAL_CENTER = (("font", "head"), ("border", "border"), ("alignment", "center"))


def _fill(rgb: str) -> tuple[tuple[str, str], ...]:
    return (("fill", f"fill:{rgb}"),)


@functools.lru_cache(maxsize=4096)      # short values (years, units, pages) come back row after row
def _lines(text: str, col_width: float) -> int:
    """Wrapped lines of `text` in a column `col_width` characters wide (CJK counts 2)."""
    usable = max(col_width - 1, 1)
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in (text or "").split("\n"))


def _fit_height(ws, row: int, widths: list[float], texts: list[str], min_lines: int = 1) -> None:
    # openpyxl cannot measure text; an estimate keeps wrapped rows readable on screen and paper
    lines = max([min_lines] + [_lines(t, w) for t, w in zip(texts, widths) if t])
    ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + 4)


def _set_widths(ws, widths: list[float]) -> None:
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _page_setup(ws, landscape: bool = True, title_rows: str | None = None) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0          # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    if title_rows:
        ws.print_title_rows = title_rows


def _list_sheet(ws, st: _Styles, headers: list[str], widths: list[float], rows: list[list[Any]],
                wrap_cols: set[int], fills: list[str | None] | None = None) -> None:
    for c, h in enumerate(headers, 1):
        st.apply(_put(ws, 1, c, h), HEAD)
    for r, values in enumerate(rows, 2):
        fill = _fill(fills[r - 2]) if fills and fills[r - 2] else ()
        column_styles = [(BODY_WRAP if c in wrap_cols else BODY_CENTER) + fill for c in range(1, len(values) + 1)]
        for c, v in enumerate(values, 1):
            st.apply(_put(ws, r, c, v), column_styles[c - 1])
        _fit_height(ws, r, widths, ["" if v is None else str(v) for v in values])
    _set_widths(ws, widths)
    ws.freeze_panes = "A2"
    if rows:
        from openpyxl.utils import get_column_letter
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    _page_setup(ws, title_rows="1:1")


# ------------------------------------------------------------------------------ 审核表

def _evidence_rich(row: ss.ItemRow):
    """The 依据/证据 cell: the basis, then each evidence sentence with its page, values in bold red."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    plain_parts: list[str] = [row.basis]
    blocks: list[Any] = [_clean(row.basis)]
    bold = InlineFont(b=True, color="C00000", rFont="宋体", sz=10.5)
    for e in row.evidence:
        page = f"第{e.page}页" if e.page else "页码不详"
        blocks.append(_clean(f"\n{page}：“"))
        plain_parts.append(f"{page}：“{e.text}”")
        for seg in e.segments:
            text = _clean(seg.text)
            if text:
                blocks.append(TextBlock(bold, text) if seg.mark else text)
        blocks.append("”")
    plain = "\n".join(plain_parts)
    if len(plain) >= EXCEL_CELL_LIMIT - 100:     # rich text cannot be cut safely: plain text then
        return _clean(plain), plain
    # merge neighbouring plain strings: fewer runs, the same text
    merged: list[Any] = []
    for b in blocks:
        if isinstance(b, str) and merged and isinstance(merged[-1], str):
            merged[-1] += b
        elif not (isinstance(b, str) and b == ""):
            merged.append(b)
    return CellRichText(*merged), plain


def _table_sheet(ws, st: _Styles, result: dict, meta: ss.RubricMeta) -> None:
    ws.title = SHEET_TABLE
    ncol = len(TABLE_HEADERS)
    error = result.get("error")
    rows = ss.item_rows(result, meta)

    _put(ws, 1, 1, ss.TABLE_TITLE)
    st.merge(ws, 1, 1, 1, ncol)
    st.apply(ws.cell(1, 1), (("font", "title"), ("alignment", "center")))
    ws.row_dimensions[1].height = 30

    for c, h in enumerate(TABLE_HEADERS, 1):
        st.apply(_put(ws, 2, c, h), HEAD)
    ws.row_dimensions[2].height = 30

    first = 3
    for i, row in enumerate(rows):
        r = first + i
        evidence_value, evidence_plain = _evidence_rich(row) if not error else ("", "")
        status_zh = "" if error else row.status_zh
        values = [_int_or_text(row.series), row.series_label, _int_or_text(row.number), row.title, row.requirement, row.max,
                  None if error else row.score, status_zh]
        for c, v in enumerate(values, 1):
            st.apply(_put(ws, r, c, v), BODY_CENTER if c in (1, 2, 3, 6, 7, 8) else BODY_WRAP)
        ev_cell = ws.cell(r, ncol)
        ev_cell.value = evidence_value
        if isinstance(evidence_value, str):
            ev_cell.data_type = "s"
        st.apply(ev_cell, BODY_WRAP)
        if not error and row.status in STATUS_FILL:
            st.apply(ws.cell(r, 8), _fill(STATUS_FILL[row.status]))
        _fit_height(ws, r, TABLE_WIDTHS, ["", "", "", row.title, row.requirement, "", "", status_zh,
                                          evidence_plain])
    # the series cells merged down their items, as in 附件3
    for i, row in enumerate(rows):
        if row.series_first and row.series_span > 1:
            for col in (1, 2):
                st.merge(ws, first + i, col, first + i + row.series_span - 1, col)

    last = first + len(rows) - 1
    total = first + len(rows)
    _put(ws, total, 1, "累计分值")
    st.merge(ws, total, 1, total, 5)
    _put(ws, total, 6, sum(float(r.max or 0) for r in rows))
    if rows and not error:
        ws.cell(total, 7).value = f"=SUM(G{first}:G{last})"
        score = ss.score_numbers(result)
        _put(ws, total, 8, "待复核")
        _put(ws, total, 9, f"自动得分 {score['auto']} 分，待人工复核 {score['review']} 分，"
                           f"最高可能 {score['best']} 分（实际得分一栏可由复核人员修改，累计自动更新）")
    for c in range(1, ncol + 1):
        st.apply(ws.cell(total, c), TOTAL_CENTER if c != ncol else TOTAL_WRAP)
    ws.row_dimensions[total].height = 24

    note = total + 1
    _put(ws, note, 1, ss.PASS_NOTE)
    st.merge(ws, note, 1, note, ncol)
    st.apply(ws.cell(note, 1), (("font", "body"), ("alignment", "wrap")))

    # what was screened, below the table so the table itself keeps the official layout
    info = note + 2
    doc_type = result.get("doc_type") or ""
    facts = [("文件", result.get("file") or ""),
             ("企业", result.get("enterprise") or "（未识别）"),
             ("类型", ss.DOC_TYPE_ZH.get(doc_type, doc_type or "（未识别）")),
             ("预审结论", ss.score_numbers(result)["sentence"] if not error else ""),
             ("说明", "本表由 cpscreen 自动预评分，“待人工复核”的项目为暂计分值，以审核人员复核结果为准。")]
    if error:
        facts.insert(0, ("错误", error))
    else:
        lines = [f"{c.key_name}{f'（{c.year}年）' if c.year else ''}：{c.side_by_side}"
                 for c in ss.conflict_views(result, meta) + ss.cross_conflict_views(result, meta)]
        if lines:
            facts.insert(4, ("数值不一致", "\n".join(lines) + f"\n（详见“{SHEET_CONFLICTS}”表）"))
    for k, (label, value) in enumerate(facts):
        r = info + k
        _put(ws, r, 1, label)
        st.merge(ws, r, 1, r, 2)
        _put(ws, r, 3, value)
        st.merge(ws, r, 3, r, ncol)
        st.apply(ws.cell(r, 1), (("font", "head"),))
        st.apply(ws.cell(r, 3), (("font", "body"), ("alignment", "wrap")))
        _fit_height(ws, r, [sum(TABLE_WIDTHS[2:])], [str(value)])

    _set_widths(ws, TABLE_WIDTHS)
    ws.freeze_panes = "A3"
    _page_setup(ws, title_rows="2:2")
    ws.print_area = f"A1:{_col(ncol)}{info + len(facts) - 1}"
    name = result.get("enterprise") or result.get("file") or ""
    ws.oddHeader.right.text = _clean(name).replace("&", "&&")[:200]


def _int_or_text(value: str):
    return int(value) if value.isdigit() else value


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(n)


# ------------------------------------------------------------------------------ other sheets

def _mentions_sheet(ws, st: _Styles, result: dict, meta: ss.RubricMeta) -> None:
    conflicts = result.get("conflicts") or []
    rows, fills = [], []
    for i, m in enumerate(result.get("indicators") or [], 1):
        role = m.get("role") or "actual"
        conflict = ss.is_conflict(m, conflicts)
        value = m.get("value")
        if m.get("comparator") == "range":
            value = ss.value_text(m)
        rows.append([i, meta.indicator_names.get(m.get("key"), m.get("key")), m.get("name"), m.get("year"),
                     value, m.get("comparator"), m.get("unit"), ss.ROLE_ZH.get(role, role), m.get("page"),
                     ss.SOURCE_ZH.get(m.get("source"), m.get("source")), "是" if m.get("derived") else "",
                     "是" if conflict else "", m.get("text"), m.get("key"), m.get("locator")])
        fills.append("FFEBE9" if conflict else ("F3F5F7" if role != "actual" else None))
    _list_sheet(ws, st, MENTION_HEADERS, MENTION_WIDTHS, rows, wrap_cols={2, 3, 13}, fills=fills)


def _missing_sheet(ws, st: _Styles, result: dict) -> None:
    rows = [[i, m["kind_zh"], m["ref"], m["message"]] for i, m in enumerate(ss.missing_rows(result), 1)]
    _list_sheet(ws, st, MISSING_HEADERS, MISSING_WIDTHS, rows, wrap_cols={3, 4})


def _outline_sheet(ws, st: _Styles, result: dict) -> None:
    sections = ss.section_rows(result)
    rows = [[s["id"], ("　" if s["sub"] else "") + s["title"], s["status_zh"], s["found"], s["page"]]
            for s in sections]
    fills = [None] * len(rows)
    _list_sheet(ws, st, OUTLINE_HEADERS, OUTLINE_WIDTHS, rows, wrap_cols={2, 4}, fills=fills)
    for i, s in enumerate(sections):
        if s["status"] in SECTION_FILL:
            st.apply(ws.cell(i + 2, 3), _fill(SECTION_FILL[s["status"]]))


def _conflicts_sheet(ws, st: _Styles, result: dict, meta: ss.RubricMeta) -> None:
    """Every value stated differently, the statements side by side with their pages: inside the
    report (类别 本报告前后不一致) and against another document of the enterprise (batch)."""
    rows, fills = [], []
    views = [("本报告前后不一致", c) for c in ss.conflict_views(result, meta)] + \
            [("与其他材料不一致", c) for c in ss.cross_conflict_views(result, meta)]
    for i, (kind, c) in enumerate(views, 1):
        first, rest = c.statements[:1], c.statements[1:]

        def cols(sts):
            return ["\n".join(st.value for st in sts),
                    "\n".join(str(st.page or "") for st in sts) if len(sts) > 1 else (sts[0].page if sts else None),
                    "\n".join(f"{st.text}（{st.source_zh}）" if st.source_zh and st.text else st.text for st in sts)]

        other = f"{ss.DOC_TYPE_SHORT.get(c.other_doc_type, '')} {c.other_file}".strip() if c.other_file else ""
        rows.append([i, kind, c.key_name, c.year, *cols(first), *cols(rest), other, c.items, c.key])
        fills.append("FFEBE9")
    _list_sheet(ws, st, CONFLICT_HEADERS, CONFLICT_WIDTHS, rows, wrap_cols={3, 7, 10, 11}, fills=fills)
