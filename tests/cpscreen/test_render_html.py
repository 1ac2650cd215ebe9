"""`--format html`: the page a reviewer reads, checked as text and in a real browser (Chromium)."""
from __future__ import annotations

import copy
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import escape

from cpscreen.render_html import render_html
from cpscreen.scoresheet import rubric_meta

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpus" / "samples" / "a01_sugar_audit.docx"

SCRIPT = "<script>document.documentElement.setAttribute('data-xss','script')</script>"
IMG = "<img src=x onerror=\"document.documentElement.setAttribute('data-xss','img')\">"


@pytest.fixture()
def result() -> dict:
    """A real result of a01_sugar_audit.docx (cpscreen check --format json), frozen."""
    return json.loads((DATA / "result_a01_sugar_audit.json").read_text(encoding="utf-8"))


def text_of(page: str) -> str:
    """The page's visible text, tags dropped and entities decoded."""
    page = re.sub(r"<style.*?</style>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_score_sentence_and_pass_line(result):
    page = render_html(result)
    text = text_of(page)
    assert result["score"]["sentence"] in text
    assert "合格线 / 满分" in text and "80 / 100" in text
    assert "说明：验收评分80分以上为合格。" in text
    # the score box says which way it goes: 57.5 + 20.5 < 80
    assert 'class="score fail"' in page


def test_table_has_every_item_with_score_status_and_requirement(result):
    page = render_html(result)
    meta = rubric_meta()
    rows = re.findall(r'<tr class="st-(\w+)" id="item-(\w+)">(.*?)</tr>', page, flags=re.S)
    assert [r[1] for r in rows] == [str(i) for i in range(1, 27)]
    for status, item_id, cells in rows:
        item = next(i for i in result["items"] if i["id"] == item_id)
        assert status == item["status"]
        score_cell = re.search(r'<td class="num score">(.*?)</td>', cells).group(1)
        assert float(score_cell) == item["score"]
        assert str(escape(meta.items[item_id].requirement)) in cells
    # the series cells span their items, labelled as in 附件3
    spans = re.findall(r'<th class="series" rowspan="(\d+)"[^>]*>(.*?)</th>', page)
    assert spans == [("10", "基本条件（30分）"), ("9", "资源、能源、工艺技术与综合利用（40分）"),
                     ("7", "环境管理与外排环境保护指标（30分）")]
    foot = re.search(r"<tfoot>(.*?)</tfoot>", page, flags=re.S).group(1)
    assert "累计分值" in foot and ">100<" in foot and ">57.5<" in foot


def test_evidence_quotes_the_sentence_with_the_value_marked(result):
    page = render_html(result)
    item2 = re.search(r'id="item-2">(.*?)</tr>', page, flags=re.S).group(1)
    assert "第5页" in item2
    assert "员工清洁生产认知率达到<mark>96%</mark>" in item2
    # a sentence stating several indicators marks only the one the item reads (水计量率 for 14)
    item14 = re.search(r'id="item-14">(.*?)</tr>', page, flags=re.S).group(1)
    first = re.search(r"<q>(.*?)</q>", item14, flags=re.S).group(1)
    assert "全厂水计量率达到<mark>100%</mark>" in first
    assert first.count("<mark>") == 1


def test_outline_checklist(result):
    page = render_html(result)
    section = re.search(r'<section id="outline">(.*?)</section>', page, flags=re.S).group(1)
    rows = re.findall(r'<tr class="sec-(\w+)', section)
    assert rows == [s["status"] for s in result["outline"]["sections"]]
    assert "一、企业简况" in section


def test_every_mention_with_roles_and_conflicts(result):
    r = copy.deepcopy(result)
    water = next(m for m in r["indicators"] if m["key"] == "water_metering_rate" and m["role"] == "actual")
    clash = dict(water, value=95.0, page=9, text="2023年水计量率为95%", locator="p99")
    r["indicators"].append(clash)
    r["conflicts"] = [{"key": "water_metering_rate", "year": water["year"], "values": [100.0, 95.0],
                       "pages": [water["page"], 9]}]
    page = render_html(r)
    section = re.search(r'<section id="indicators">(.*?)</section>', page, flags=re.S).group(1)
    rows = re.findall(r'<tr class="role-(\w+)( conflict)?">', section)
    assert len(rows) == len(r["indicators"])
    assert sum(1 for role, _ in rows if role == "target") == 2
    conflicted = [m for m in r["indicators"] if m["key"] == "water_metering_rate" and m["year"] == water["year"]
                  and m["value"] in (100.0, 95.0)]
    assert sum(1 for _, c in rows if c) == len(conflicted) >= 2
    assert "数值前后不一致" in section and "100、95" in section
    assert "2023年水计量率为<mark>95%</mark>" in section
    assert "目标值" in section


def test_missing_list(result):
    page = render_html(result)
    section = re.search(r'<section id="missing">(.*?)</section>', page, flags=re.S).group(1)
    items = re.findall(r"<li class=\"kind-(\w+)\">.*?</span> (.*?)</li>", section, flags=re.S)
    assert [(k, html.unescape(m)) for k, m in items] == [(m["kind"], m["message"]) for m in result["missing"]]


def test_self_contained_no_scripts_no_external_assets(result):
    page = render_html(result)
    lowered = page.lower()
    for banned in ("<script", "<link", "src=", "@import", "url(", "http://", "https://"):
        assert banned not in lowered, banned
    assert "<style>" in page and "@media print" in page
    assert "Content-Security-Policy" in page


def test_error_result_shows_the_message():
    r = {"schema": "cpscreen/1", "file": "坏.pdf", "sha256": None, "doc_type": None, "pages": 0, "ocr_pages": 0,
         "error": "PDF 文件已损坏或不完整，无法读取 / The PDF is damaged", "error_code": "E004", "warnings": [],
         "outline": {"template": None, "sections": []}, "indicators": [], "conflicts": [], "items": [],
         "score": {"auto": 0, "review_max": 0, "max": 100, "pass_line": 80}, "missing": []}
    text = text_of(render_html(r))
    assert "无法读取该文件" in text and "PDF 文件已损坏或不完整" in text and "E004" in text


def hostile(result: dict) -> dict:
    r = copy.deepcopy(result)
    r["file"] = f"报告{IMG}.docx"
    r["enterprise"] = f"广西{SCRIPT}有限公司"
    r["outline"]["sections"][0]["heading"] = f"一、企业简况{SCRIPT}"
    m = r["indicators"][1]
    m["text"] = f"{IMG}水计量率达到100%{SCRIPT}"
    m["name"] = f"水计量率{IMG}"
    item = next(i for i in r["items"] if i["id"] == "14")
    item["evidence"][0]["text"] = m["text"]
    r["missing"][0]["message"] = f"缺少{IMG}"
    r["warnings"].append(SCRIPT)
    return r


def test_document_text_is_escaped(result):
    page = render_html(hostile(result))
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "onerror=" not in page.replace("onerror=&#34;", "")   # only as escaped text
    assert str(escape(SCRIPT)) in page
    assert "&lt;img src=x onerror=&#34;document" in page
    # the value is still marked inside the escaped sentence
    assert "水计量率达到<mark>100%</mark>&lt;script&gt;" in page


# ------------------------------------------------------------------------------ in a real browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/setup.sh)")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                           "--no-first-run", "--disable-background-networking", "--disable-component-update",
                           "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=180)


@needs_chromium
def test_page_in_chromium_from_the_command_line(tmp_path):
    out = tmp_path / "a01.html"
    proc = subprocess.run([sys.executable, "-m", "cpscreen", "check", str(SAMPLE), "--format", "html", "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    png = tmp_path / "a01.png"
    shot = chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,2000", out.as_uri())
    assert png.exists(), shot.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 50_000          # a blank page of this size is a few kB

    dom = chromium(tmp_path, "--dump-dom", out.as_uri())
    assert dom.returncode == 0, dom.stderr
    shown = text_of(dom.stdout)
    json_proc = subprocess.run([sys.executable, "-m", "cpscreen", "check", str(SAMPLE), "--format", "json"],
                               capture_output=True, text=True, timeout=300)
    result = json.loads(json_proc.stdout)
    assert result["score"]["sentence"] in shown
    assert result["missing"], "the sample is expected to miss something"
    assert result["missing"][0]["message"] in shown


@needs_chromium
def test_hostile_text_does_not_run_in_chromium(tmp_path, result):
    page = tmp_path / "hostile.html"
    page.write_text(render_html(hostile(result)), encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr
    assert "data-xss=" not in dom.stdout          # neither payload ran
    assert "<img" not in dom.stdout.lower() and "<script" not in dom.stdout.lower()
    assert "document.documentElement.setAttribute('data-xss','script')" in html.unescape(dom.stdout)
