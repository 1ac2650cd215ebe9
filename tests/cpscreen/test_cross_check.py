"""Consistency: a value stated differently inside one report (a04's 2023 废水回用率), and a work
summary against its audit report (the brewery pair p03/p04, one planted disagreement: 2023 水计量率
98% in the summary, 100% in the report) — through `cpscreen check`, `batch` and `compare`."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cpscreen.cross_check import normalise_enterprise, pair_results

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "corpus" / "samples"
TRUTH = ROOT / "corpus" / "truth"
SUMMARY = "p03_brewery_summary.docx"
REPORT = "p04_brewery_audit.docx"
ZINC = "a04_zinc_audit_decimal.docx"


def cpscreen(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cpscreen", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)


def truth(name: str) -> dict:
    return json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))


def page_of(name: str, key: str, year: int | None, value: float) -> int:
    pages = {e["page"] for e in truth(name)["indicators"]
             if e["key"] == key and e["year"] == year and e["role"] == "actual" and e["value"] == value}
    assert len(pages) == 1, (name, key, year, value, pages)
    return pages.pop()


@pytest.fixture(scope="module")
def planted() -> dict:
    t = truth(REPORT)["compare"]
    assert t == truth(SUMMARY)["compare"]
    assert t["kind"] == "consistency" and len(t["cross_conflicts"]) == 1
    c = t["cross_conflicts"][0]
    c["report_page"] = page_of(REPORT, c["key"], c["year"], c["report_value"])
    c["summary_page"] = page_of(SUMMARY, c["key"], c["year"], c["summary_value"])
    assert c["report_page"] != c["summary_page"], "the pair puts the values on different pages"
    return c


# ------------------------------------------------------------------------------ batch

@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    box = tmp_path_factory.mktemp("收件")
    for name in (SUMMARY, REPORT, ZINC):
        shutil.copy(SAMPLES / name, box / name)
    out = box / "结果"
    proc = cpscreen("batch", str(box), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def outputs(outdir: Path, name: str, kind: str) -> Path:
    stem = Path(name).stem
    found = [p for p in outdir.glob(f"{stem}-*.{kind}")]
    assert len(found) == 1, found
    return found[0]


def load_result(outdir: Path, name: str) -> dict:
    return json.loads(outputs(outdir, name, "json").read_text(encoding="utf-8"))


def test_batch_finds_the_disagreement_in_both_results(batch, planted):
    report, summary = load_result(batch, REPORT), load_result(batch, SUMMARY)
    for this, other, this_side, other_side in ((report, summary, "report", "summary"),
                                               (summary, report, "summary", "report")):
        assert len(this["cross_conflicts"]) == 1, this["cross_conflicts"]
        c = this["cross_conflicts"][0]
        assert (c["key"], c["year"]) == (planted["key"], planted["year"])
        assert c["this_value"] == planted[f"{this_side}_value"]
        assert c["other_value"] == planted[f"{other_side}_value"]
        assert c["this_page"] == planted[f"{this_side}_page"]
        assert c["other_page"] == planted[f"{other_side}_page"]
        assert c["other_file"] == other["file"]
        assert this["cross_checked"] == [{"file": other["file"], "doc_type": other["doc_type"]}]
    zinc = load_result(batch, ZINC)
    assert zinc["cross_conflicts"] == [] and zinc["cross_checked"] == []


def test_batch_html_and_xlsx_of_both_show_it(batch, planted):
    for name, this_side, other_side, other in ((REPORT, "report", "summary", SUMMARY),
                                               (SUMMARY, "summary", "report", REPORT)):
        html = outputs(batch, name, "html").read_text(encoding="utf-8")
        section = html[html.index('id="cross-conflicts"'):]
        section = section[:section.index("</table>")]
        row = re.search(r'<tr class="conflict-row">(.*?)</tr>', section, re.S).group(1)
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        assert cells[0] == "水计量率" and cells[1] == str(planted["year"])
        assert cells[2] == f"{planted[f'{this_side}_value']:g}%" and cells[3] == str(planted[f"{this_side}_page"])
        assert other in cells[5]
        assert cells[6] == f"{planted[f'{other_side}_value']:g}%" and cells[7] == str(planted[f"{other_side}_page"])

        wb = openpyxl.load_workbook(outputs(batch, name, "xlsx"))
        ws = wb["数值不一致"]
        header = [c.value for c in ws[1]]
        rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
        assert len(rows) == 1
        r = rows[0]
        assert r["类别"] == "与其他材料不一致" and r["指标"] == "水计量率" and r["年份"] == planted["year"]
        assert (r["数值一"], r["页码一"]) == (f"{planted[f'{this_side}_value']:g}%", planted[f"{this_side}_page"])
        assert (r["数值二"], r["页码二"]) == (f"{planted[f'{other_side}_value']:g}%", planted[f"{other_side}_page"])
        assert other in r["另一份材料"]


def test_summary_workbook_has_the_cross_document_column(batch, planted):
    df = pd.read_excel(batch / "summary.xlsx", dtype=str).fillna("")
    assert "与另一份材料不一致" in df.columns
    cells = dict(zip(df["文件"], df["与另一份材料不一致"]))
    report, summary = cells[REPORT], cells[SUMMARY]
    assert report.startswith("1 处：水计量率（2023年）")
    assert f"本文件第{planted['report_page']}页为100%" in report
    assert f"“{SUMMARY}”第{planted['summary_page']}页为98%" in report
    assert f"本文件第{planted['summary_page']}页为98%" in summary and REPORT in summary
    assert cells[ZINC] == ""
    # the report and the summary of one enterprise sit side by side
    order = list(df["文件"])
    assert abs(order.index(REPORT) - order.index(SUMMARY)) == 1


def test_resumed_batch_does_not_rewrite_and_keeps_the_finding(batch):
    before = {p.name: p.stat().st_mtime_ns for p in batch.iterdir() if p.suffix in (".json", ".html", ".xlsx")
              and p.name != "summary.xlsx"}
    box = batch.parent
    proc = cpscreen("batch", str(box), "-o", str(batch))
    assert proc.returncode == 0, proc.stderr
    after = {p.name: p.stat().st_mtime_ns for p in batch.iterdir() if p.name in before}
    assert {k: v for k, v in after.items() if k != "index.json"} == {k: v for k, v in before.items()
                                                                     if k != "index.json"}
    assert len(load_result(batch, REPORT)["cross_conflicts"]) == 1


# ------------------------------------------------------------------------------ compare

def test_compare_checks_a_summary_against_its_report(planted):
    proc = cpscreen("compare", str(SAMPLES / SUMMARY), str(SAMPLES / REPORT), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    cmp = json.loads(proc.stdout)
    assert cmp["kind"] == "consistency" and cmp["sections"] is None
    assert any("一致性核对" in w and "consistency" in w for w in cmp["warnings"])
    assert len(cmp["cross_conflicts"]) == 1
    c = cmp["cross_conflicts"][0]
    assert (c["key"], c["year"], c["this_value"], c["other_value"]) == (
        planted["key"], planted["year"], planted["summary_value"], planted["report_value"])
    assert (c["this_page"], c["other_page"]) == (planted["summary_page"], planted["report_page"])
    rows = {(r["key"], r["year"]): r for r in cmp["indicators"]}
    assert rows[(planted["key"], planted["year"])]["direction"] == "disagree"
    for a in truth(REPORT)["compare"]["agree"]:
        row = rows[(a["key"], a["year"])]
        assert row["direction"] == "agree", a
        assert row["previous"]["value"] == row["current"]["value"] == pytest.approx(a["value"])
    assert [r for r in cmp["indicators"] if r["direction"] == "disagree"] == [rows[(planted["key"], planted["year"])]]

    table = cpscreen("compare", str(SAMPLES / SUMMARY), str(SAMPLES / REPORT)).stdout
    assert "同一轮材料一致性核对" in table
    assert (f"水计量率（2023年）：工作总结第{planted['summary_page']}页 98% ↔ "
            f"审核报告第{planted['report_page']}页 100%") in table


# ------------------------------------------------------------------------------ inside one report

@pytest.fixture(scope="module")
def zinc_conflict() -> dict:
    t = truth(ZINC)
    assert len(t["conflicts"]) == 1
    c = dict(t["conflicts"][0])
    c["stated"] = sorted((e["page"], e["value"]) for e in t["indicators"]
                         if e["key"] == c["key"] and e["year"] == c["year"] and e["role"] == "actual")
    assert len(c["stated"]) == 2 and c["stated"][0][0] != c["stated"][1][0]
    return c


def test_conflict_inside_a_report_in_the_table(zinc_conflict):
    proc = cpscreen("check", str(SAMPLES / ZINC))
    assert proc.returncode == 0, proc.stderr
    (p1, v1), (p2, v2) = zinc_conflict["stated"]
    line = next(ln for ln in proc.stdout.splitlines() if ln.strip().startswith("废水回用率（2023年）："))
    assert f"第{p1}页 {v1:g}%" in line and f"第{p2}页 {v2:g}%" in line and "↔" in line
    item17 = next(ln for ln in proc.stdout.splitlines() if re.match(r"\s+17\s", ln))
    assert "待复核" in item17 and "数值不一致" in item17


def test_conflict_inside_a_report_in_json_html_and_xlsx(zinc_conflict, tmp_path):
    proc = cpscreen("check", str(SAMPLES / ZINC), "--format", "json")
    result = json.loads(proc.stdout)
    (p1, v1), (p2, v2) = zinc_conflict["stated"]
    assert result["conflicts"] == [{"key": "wastewater_reuse_rate", "year": 2023,
                                    "values": [v1, v2], "pages": [p1, p2]}]
    item = next(i for i in result["items"] if i["id"] == "17")
    assert item["status"] == "review"
    assert f"第{p1}页为{v1:g}%" in item["basis"] and f"第{p2}页为{v2:g}%" in item["basis"]

    html_out = tmp_path / "a04.html"
    assert cpscreen("check", str(SAMPLES / ZINC), "--format", "html", "-o", str(html_out)).returncode == 0
    html = html_out.read_text(encoding="utf-8")
    block = html[html.index('id="conflicts"'):]
    block = block[:block.index("</table>")]
    row = re.search(r'<tr class="conflict-row">(.*?)</tr>', block, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[0].startswith("废水回用率") and cells[1] == "2023"
    assert (cells[2], cells[3]) == (f"{v1:g}%", str(p1)) and (cells[5], cells[6]) == (f"{v2:g}%", str(p2))
    assert cells[-1] == "第17项"
    assert re.search(r'<tr class="st-review" id="item-17">.*?数值不一致', html, re.S)

    xlsx_out = tmp_path / "a04.xlsx"
    assert cpscreen("check", str(SAMPLES / ZINC), "--format", "xlsx", "-o", str(xlsx_out)).returncode == 0
    wb = openpyxl.load_workbook(xlsx_out)
    ws = wb["数值不一致"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == 1
    r = rows[0]
    assert r["类别"] == "本报告前后不一致" and r["指标"] == "废水回用率" and r["年份"] == 2023
    assert (r["数值一"], r["页码一"], r["数值二"], r["页码二"]) == (f"{v1:g}%", p1, f"{v2:g}%", p2)
    sheet = wb["审核表"]
    row17 = next(row for row in sheet.iter_rows(min_row=3) if row[2].value == 17)
    assert row17[7].value == "待人工复核" and "数值不一致" in str(row17[8].value)
    facts = {row[0].value: row[2].value for row in sheet.iter_rows(min_row=30) if row[0].value}
    assert f"第{p1}页 {v1:g}% ↔ 第{p2}页 {v2:g}%" in facts["数值不一致"]


# ------------------------------------------------------------------------------ pieces

def test_enterprise_names_are_normalised():
    a = normalise_enterprise("广西百色右江啤酒有限公司")
    assert normalise_enterprise("广西百色右江啤酒有限责任公司") == a
    assert normalise_enterprise(" 广西百色右江啤酒 有限公司") == a
    assert normalise_enterprise("广西北海（银滩）乳业有限公司") == normalise_enterprise("广西北海(银滩)乳业有限公司")
    assert normalise_enterprise("广西百色左江啤酒有限公司") != a
    assert normalise_enterprise(None) == normalise_enterprise("") == ""


def test_a_summary_pairs_with_the_report_of_its_own_round():
    def result(doc_type: str, year: int, enterprise: str = "广西某某啤酒有限公司") -> dict:
        return {"doc_type": doc_type, "enterprise": enterprise, "error": None,
                "indicators": [{"key": "water_metering_rate", "value": 100.0, "unit": "%", "comparator": "=",
                                "year": year, "role": "actual"}]}
    results = {"summary": result("work_summary", 2023), "report": result("audit_report", 2023),
               "old_report": result("audit_report", 2020), "other": result("audit_report", 2023, "广西另一家有限公司"),
               "broken": {"doc_type": None, "error": "x", "enterprise": "广西某某啤酒有限公司"}}
    partners = pair_results(results)
    assert partners["summary"] == ["report"] and partners["report"] == ["summary"]
    assert partners["old_report"] == [] and partners["other"] == [] and partners["broken"] == []
