"""`cpscreen compare PREVIOUS CURRENT`: the dairy's two audit rounds from the corpus, whose truth
(`compare` in corpus/truth/p0[12]_*.json) lists every change, through the real command."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "corpus" / "samples"
TRUTH = ROOT / "corpus" / "truth"
PREVIOUS = SAMPLES / "p01_dairy_audit_previous.docx"
CURRENT = SAMPLES / "p02_dairy_audit_current.docx"
OTHER_ENTERPRISE = SAMPLES / "a04_zinc_audit_decimal.docx"

COMPARE_KEYS = {"schema", "kind", "error", "previous", "current", "same_enterprise", "warnings",
                "indicators", "sections", "items", "score", "cross_conflicts", "counts"}


def cpscreen(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cpscreen", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def truth(name: str) -> dict:
    return json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))


def truth_pages(t: dict, key: str, year: int | None) -> set[int]:
    """The pages the truth gives for an actual value of key in year (the latest statements)."""
    return {e["page"] for e in t["indicators"]
            if e["key"] == key and e["year"] == year and e["role"] == "actual"}


@pytest.fixture(scope="module")
def cmp() -> dict:
    proc = cpscreen("compare", str(PREVIOUS), str(CURRENT), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def checks() -> tuple[dict, dict]:
    """Each round screened on its own, as `check` gives it."""
    out = []
    for path in (PREVIOUS, CURRENT):
        proc = cpscreen("check", str(path), "--format", "json")
        assert proc.returncode == 0, proc.stderr
        out.append(json.loads(proc.stdout))
    return out[0], out[1]


@pytest.fixture(scope="module")
def expected() -> dict:
    t = truth("p02_dairy_audit_current.docx")["compare"]
    assert t == truth("p01_dairy_audit_previous.docx")["compare"], "both halves carry the same truth"
    return t


def test_shape_and_kind(cmp):
    assert set(cmp) >= COMPARE_KEYS
    assert cmp["schema"] == "cpscreen-compare/1"
    assert cmp["kind"] == "rounds" and cmp["error"] is None
    assert cmp["previous"]["file"] == PREVIOUS.name and cmp["current"]["file"] == CURRENT.name
    assert cmp["same_enterprise"] is True
    assert cmp["warnings"] == []


def test_every_known_change_with_direction_values_and_pages(cmp, expected):
    prev_truth, cur_truth = truth("p01_dairy_audit_previous.docx"), truth("p02_dairy_audit_current.docx")
    rows = {r["key"]: r for r in cmp["indicators"]}
    for want in expected["indicators"]:
        row = rows.get(want["key"])
        assert row is not None, f"{want['key']} not compared"
        assert row["direction"] == want["change"], (want["key"], row["direction"])
        for side, t in (("previous", prev_truth), ("current", cur_truth)):
            if want[side] is None:
                assert row[side] is None, (want["key"], side)
                continue
            got = row[side]
            assert got["value"] == pytest.approx(want[side]), (want["key"], side)
            assert got["year"] == want[f"{side}_year"], (want["key"], side)
            pages = truth_pages(t, want["key"], want[f"{side}_year"])
            assert pages and got["page"] in pages, (want["key"], side, got["page"], pages)
        if want["change"] in ("improved", "worse", "same"):
            assert row["change"] == pytest.approx(want["current"] - want["previous"])
    assert {r["key"] for r in cmp["indicators"]} == {w["key"] for w in expected["indicators"]}


def test_direction_comes_from_the_rubric_data(cmp):
    rows = {r["key"]: r for r in cmp["indicators"]}
    # lower is better: 46 < 52 kgce/t improved, 4.6 > 4.2 m³/t worse; higher is better for rates
    assert rows["unit_energy_consumption"]["better"] == "lower"
    assert rows["unit_energy_consumption"]["change"] < 0 and rows["unit_energy_consumption"]["direction"] == "improved"
    assert rows["unit_fresh_water"]["change"] > 0 and rows["unit_fresh_water"]["direction"] == "worse"
    assert rows["water_metering_rate"]["better"] == "higher"
    counts = cmp["counts"]
    assert counts["worse"] == 1 and counts["improved"] >= 5


def test_year_by_year_values_and_no_restated_year(cmp, expected):
    rows = {r["key"]: r for r in cmp["indicators"]}
    reuse = {y["year"]: y for y in rows["wastewater_reuse_rate"]["years"]}
    assert sorted(reuse) == [2018, 2019, 2020, 2021, 2022, 2023]
    # the current round repeats 2020 as its 审核前 column, unchanged
    assert reuse[2020]["previous"]["value"] == reuse[2020]["current"]["value"] == 60
    assert reuse[2018]["current"] is None and reuse[2023]["previous"] is None
    restated = [(r["key"], y["year"]) for r in cmp["indicators"] for y in r["years"] if y["restated"]]
    assert restated == expected["restated"] == []


def test_sections_added_and_dropped(cmp, expected):
    s = cmp["sections"]
    assert [x["id"] for x in s["added"]] == expected["sections_added"]
    assert [x["id"] for x in s["dropped"]] == expected["sections_dropped"]
    added, dropped = s["added"][0], s["dropped"][0]
    cur_truth, prev_truth = truth("p02_dairy_audit_current.docx"), truth("p01_dairy_audit_previous.docx")
    assert added["heading"] == cur_truth["section_headings"]["5.3"]
    assert added["page"] == cur_truth["pages"][added["heading"]]
    assert dropped["heading"] == prev_truth["section_headings"]["3.3"]
    assert dropped["page"] == prev_truth["pages"][dropped["heading"]]
    changes = {r["id"]: r["change"] for r in s["rows"]}
    assert {k for k, v in changes.items() if v} == {"5.3", "3.3"}


def test_item_scores_and_totals_before_and_after(cmp, checks, expected):
    prev, cur = checks
    items = {i["id"]: i for i in cmp["items"]}
    assert len(items) == 26
    for side, result in (("previous", prev), ("current", cur)):
        for it in result["items"]:
            assert items[it["id"]][side] == it["score"], (side, it["id"])
        assert cmp["score"][side]["auto"] == result["score"]["auto"]
        assert cmp["score"][side]["review_max"] == result["score"]["review_max"]
    for iid, (before, after) in expected["items_changed"].items():
        assert (items[iid]["previous"], items[iid]["current"]) == (before, after), iid
        assert items[iid]["change"] == after - before
    assert cmp["score"]["auto_change"] == pytest.approx(cur["score"]["auto"] - prev["score"]["auto"])
    assert cmp["score"]["auto_change"] > 0


def test_table_output():
    proc = cpscreen("compare", str(PREVIOUS), str(CURRENT))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "两轮审核对比" in out
    line = next(ln for ln in out.splitlines() if "单位产品新水用量" in ln)
    assert "4.2" in line and "4.6" in line and "变差" in line and "第3页" in line
    assert re.search(r"废水回用率.*60%.*72%.*改善", out)
    assert "新增：5.3 厂容厂貌" in out and "删去：3.3" in out
    assert re.search(r"合计：自动得分 上一轮 [\d.]+ → 本轮 [\d.]+", out)


def test_html_output(tmp_path):
    out = tmp_path / "对比.html"
    proc = cpscreen("compare", str(PREVIOUS), str(CURRENT), "--format", "html", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    table = html[html.index('<table class="compare">'):]
    table = table[:table.index("</table>")]
    worse = re.search(r'<tr class="dir-worse">(.*?)</tr>', table, re.S).group(1)
    assert "单位产品新水用量" in worse and "4.2m³/t" in worse and "4.6m³/t" in worse and "变差" in worse
    assert len(re.findall(r'<tr class="dir-improved">', table)) == 8
    sections = html[html.index('id="sections"'):]
    assert re.search(r'<tr class="sec-added">\s*<td class="no">5.3</td>', sections)
    assert re.search(r'<tr class="sec-dropped">\s*<td class="no">3.3</td>', sections)
    assert 'id="items"' in html


def test_xlsx_output(tmp_path, cmp):
    out = tmp_path / "对比.xlsx"
    proc = cpscreen("compare", str(PREVIOUS), str(CURRENT), "--format", "xlsx", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["概况", "指标对比", "逐年数值", "章节变化", "评分对比"]
    ws = wb["指标对比"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    water = next(r for r in rows if r["指标"] == "单位产品新水用量")
    assert water["判断"] == "变差" and water["上一轮数值"] == "4.2m³/t" and water["本轮数值"] == "4.6m³/t"
    assert water["上一轮页码"] == 3 and water["本轮页码"] == 3
    assert sum(r["判断"] == "改善" for r in rows) == 8
    sections = [r for r in wb["章节变化"].iter_rows(min_row=2, values_only=True) if r[-1]]
    assert sorted((r[0], r[-1]) for r in sections) == [("3.3", "删去"), ("5.3", "新增")]
    items = {str(r[0]): r for r in wb["评分对比"].iter_rows(min_row=2, values_only=True)}
    assert items["合计"][3] == cmp["score"]["previous"]["auto"] and items["合计"][4] == cmp["score"]["current"]["auto"]


def test_different_enterprises_warn():
    proc = cpscreen("compare", str(PREVIOUS), str(OTHER_ENTERPRISE), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    cmp = json.loads(proc.stdout)
    assert cmp["same_enterprise"] is False
    warning = next(w for w in cmp["warnings"] if "企业名称不同" in w)
    assert "广西北海银滩乳业有限公司" in warning and "广西河池环江锌业有限公司" in warning
    assert "different enterprises" in warning
    table = cpscreen("compare", str(PREVIOUS), str(OTHER_ENTERPRISE))
    assert "注意：两份材料的企业名称不同" in table.stdout


def test_unreadable_file_exits_3_with_a_bilingual_error(tmp_path):
    broken = tmp_path / "损坏.docx"
    broken.write_bytes(b"PK\x03\x04 this is no word file")
    proc = cpscreen("compare", str(broken), str(CURRENT), "--format", "json")
    assert proc.returncode == 3
    cmp = json.loads(proc.stdout)
    assert set(cmp) >= COMPARE_KEYS and cmp["indicators"] == [] and cmp["items"] == []
    assert "无法读取" in cmp["error"] and "cannot be read" in cmp["error"] and cmp["error_code"]
    assert cmp["previous"]["error"] and cmp["current"]["error"] is None
    assert re.search(r"[\u4e00-\u9fff]", proc.stderr) and "cannot be read" in proc.stderr
    assert "Traceback" not in proc.stderr

    missing = cpscreen("compare", str(PREVIOUS), str(tmp_path / "没有这个文件.docx"))
    assert missing.returncode == 3
    assert "文件不存在" in missing.stdout and "File not found" in missing.stdout


def test_usage_errors_exit_2(tmp_path):
    one = cpscreen("compare", str(PREVIOUS))
    assert one.returncode == 2 and "用法错误" in one.stderr
    xlsx = cpscreen("compare", str(PREVIOUS), str(CURRENT), "--format", "xlsx")
    assert xlsx.returncode == 2 and "-o" in xlsx.stderr
    fmt = cpscreen("compare", str(PREVIOUS), str(CURRENT), "--format", "pdf")
    assert fmt.returncode == 2


def test_directions_data_is_complete():
    from cpscreen.compare import load_directions
    from rubric.indicators import load_indicator_specs

    directions, _ = load_directions()
    assert set(directions) == {s.key for s in load_indicator_specs()}
    assert {k for k, v in directions.items() if v == "lower"} == {"unit_energy_consumption", "unit_fresh_water"}
