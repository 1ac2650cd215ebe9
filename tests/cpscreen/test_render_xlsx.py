"""`--format xlsx`: the 审核表 of 附件3 in its official layout, opened again with openpyxl."""
from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from cpscreen.render_xlsx import render_xlsx
from cpscreen.scoresheet import rubric_meta

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpus" / "samples" / "a01_sugar_audit.docx"

HEADERS = ["系列序号", "项目", "序号", "主要内容", "要求", "项目分值", "实际得分", "状态", "依据/证据"]


@pytest.fixture()
def result() -> dict:
    return json.loads((DATA / "result_a01_sugar_audit.json").read_text(encoding="utf-8"))


def open_book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_sheets_title_and_headers(result):
    wb = open_book(render_xlsx(result))
    assert wb.sheetnames == ["审核表", "指标", "缺失项", "章节"]
    ws = wb["审核表"]
    assert ws["A1"].value == "广西壮族自治区清洁生产企业审核表"
    assert "A1:I1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == HEADERS


def test_series_cells_merged_down_their_items(result):
    ws = open_book(render_xlsx(result))["审核表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    # 系列1: items 1–10 on rows 3–12; 系列2: 11–19 on 13–21; 系列3: 20–26 on 22–28
    for col in "AB":
        assert {f"{col}3:{col}12", f"{col}13:{col}21", f"{col}22:{col}28"} <= merged
    assert [ws["A3"].value, ws["A13"].value, ws["A22"].value] == [1, 2, 3]
    assert [ws["B3"].value, ws["B13"].value, ws["B22"].value] == [
        "基本条件（30分）", "资源、能源、工艺技术与综合利用（40分）", "环境管理与外排环境保护指标（30分）"]


def test_items_scores_and_rubric_text(result):
    ws = open_book(render_xlsx(result))["审核表"]
    meta = rubric_meta()
    for k, item in enumerate(result["items"]):
        row = 3 + k
        number = ws.cell(row, 3).value
        assert number == (int(item["id"]) if int(item["id"]) <= 22 else f"（{item['id']}）")
        assert ws.cell(row, 4).value == meta.items[item["id"]].title
        assert ws.cell(row, 5).value == meta.items[item["id"]].requirement
        assert ws.cell(row, 6).value == item["max"]
        assert ws.cell(row, 7).value == item["score"]           # 实际得分
        assert ws.cell(row, 8).value == {"auto": "自动评分", "review": "待人工复核",
                                         "no_evidence": "未找到依据"}[item["status"]]
        assert item["basis"] in ws.cell(row, 9).value
        for e in item["evidence"]:
            assert f"第{e['page']}页：“{e['text']}”" in ws.cell(row, 9).value
        assert ws.cell(row, 9).alignment.wrap_text
        assert ws.cell(row, 5).border.left.style == "thin"
    assert ws["E4"].value.startswith("有机构、有培训")


def test_total_row_note_and_page_setup(result):
    ws = open_book(render_xlsx(result))["审核表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["A29"].value == "累计分值" and "A29:E29" in merged
    assert ws["F29"].value == 100
    assert ws["G29"].value == "=SUM(G3:G28)"
    assert sum(ws.cell(r, 7).value for r in range(3, 29)) == result["score"]["auto"]
    assert ws["A30"].value == "说明：验收评分80分以上为合格。"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$2:$2"
    assert ws.column_dimensions["I"].width > ws.column_dimensions["A"].width
    values = [ws.cell(r, 3).value for r in range(31, 40)]
    assert result["enterprise"] in values and result["score"]["sentence"] in values


def test_other_sheets(result):
    wb = open_book(render_xlsx(result))
    ind = wb["指标"]
    header = [c.value for c in ind[1]]
    assert header[:13] == ["序号", "指标", "报告中的名称", "年份", "数值", "比较", "单位", "性质", "页码", "来源",
                           "推算", "数值不一致", "原文"]
    assert ind.max_row == 1 + len(result["indicators"])
    for r, m in enumerate(result["indicators"], 2):
        assert ind.cell(r, 3).value == m["name"] and ind.cell(r, 13).value == m["text"]
        assert ind.cell(r, 9).value == m["page"] and ind.cell(r, 4).value == m["year"]
        if m["comparator"] != "range":
            assert ind.cell(r, 5).value == m["value"]
    roles = [ind.cell(r, 8).value for r in range(2, ind.max_row + 1)]
    assert roles.count("目标值") == sum(1 for m in result["indicators"] if m["role"] == "target") == 2

    miss = wb["缺失项"]
    assert [c.value for c in miss[1]] == ["序号", "类别", "对应", "说明"]
    assert [miss.cell(r, 4).value for r in range(2, miss.max_row + 1)] == [m["message"] for m in result["missing"]]

    sec = wb["章节"]
    assert [c.value for c in sec[1]] == ["编号", "要求的章节", "情况", "报告中的标题或内容", "页码"]
    assert [sec.cell(r, 1).value for r in range(2, sec.max_row + 1)] == [s["id"] for s in result["outline"]["sections"]]
    assert sec["C2"].value == "有标题" and sec["D2"].value == result["outline"]["sections"][0]["heading"]


def test_document_text_never_becomes_a_formula(result):
    r = copy.deepcopy(result)
    r["indicators"][0]["text"] = '=HYPERLINK("http://evil.example","点击")'
    r["missing"][0]["message"] = "=1+1\x07"          # a control character Excel refuses, too
    r["enterprise"] = "=cmd|' /C calc'!A0"
    wb = open_book(render_xlsx(r))
    cell = wb["指标"].cell(2, 13)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert wb["缺失项"].cell(2, 4).value == "=1+1" and wb["缺失项"].cell(2, 4).data_type == "s"
    enterprise = [c for row in wb["审核表"].iter_rows() for c in row if c.value == r["enterprise"]]
    assert enterprise and all(c.data_type == "s" for c in enterprise)


def test_error_result_still_gives_the_table():
    r = {"schema": "cpscreen/1", "file": "坏.pdf", "sha256": None, "doc_type": None, "pages": 0, "ocr_pages": 0,
         "error": "PDF 文件已损坏 / The PDF is damaged", "warnings": [], "outline": {"template": None, "sections": []},
         "indicators": [], "conflicts": [], "items": [], "score": {"auto": 0, "review_max": 0, "max": 100,
                                                                    "pass_line": 80}, "missing": []}
    ws = open_book(render_xlsx(r))["审核表"]
    assert ws["A29"].value == "累计分值"
    assert all(ws.cell(row, 7).value is None for row in range(3, 29))     # nothing scored
    assert "PDF 文件已损坏 / The PDF is damaged" in [ws.cell(row, 3).value for row in range(31, 40)]


def test_cli_xlsx_needs_an_output_file(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "cpscreen", "check", str(SAMPLE), "--format", "xlsx"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert "用法错误" in proc.stderr and "-o" in proc.stderr and "Traceback" not in proc.stderr
    out = tmp_path / "审核表.xlsx"
    proc = subprocess.run([sys.executable, "-m", "cpscreen", "check", str(SAMPLE), "--format", "xlsx", "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    ws = openpyxl.load_workbook(out)["审核表"]
    assert ws["A1"].value == "广西壮族自治区清洁生产企业审核表" and ws["A29"].value == "累计分值"
