"""The third held-out corpus (corpus/heldout3): truth files well formed, current, honest about pages.

corpus/heldout3 measures cpscreen on documents written blind, after the first two held-out sets
had been used to improve the tool; these tests check the corpus, never the tool.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from corpus.docx_writer import build_docx
from corpus.heldout3 import documents
from corpus.heldout3.truth3 import build_heldout3

ROOT = Path(__file__).resolve().parents[2]
HELDOUT3 = ROOT / "corpus" / "heldout3"
SAMPLES = HELDOUT3 / "samples"
TRUTH = HELDOUT3 / "truth"

# --- copied from ../shared/spec/CONTRACT.md ----------------------------------------------
AUDIT_SECTIONS = ["1", "2", "2.1", "2.2", "2.3", "3", "3.1", "3.2", "3.3", "3.4", "3.5",
                  "4", "4.1", "4.2", "4.3", "4.4", "4.5", "5", "5.1", "5.2", "5.3",
                  "6", "7", "8", "9"]
SUMMARY_SECTIONS = ["1", "2", "2.1", "2.2", "2.3", "3", "4", "4.1", "4.2", "4.3", "4.4",
                    "5", "5.1", "5.2", "6", "6.1", "6.2", "6.3", "7"]
TEMPLATES = {"audit_report": AUDIT_SECTIONS, "work_summary": SUMMARY_SECTIONS}
NUMERIC_KEYS = {"staff_awareness_rate", "material_metering_rate", "main_material_utilization_rate",
                "energy_metering_rate", "water_metering_rate", "unit_energy_consumption",
                "unit_fresh_water", "cp_investment_ratio", "rd_investment_ratio",
                "wastewater_reuse_rate", "solid_waste_utilization_rate", "facility_operation_rate",
                "waste_gas_compliance_rate", "wastewater_compliance_rate",
                "solid_waste_disposal_rate", "noise_compliance_rate",
                "low_cost_implementation_rate", "high_cost_implementation_rate"}
FLAG_KEYS = {"wastewater_zero_discharge", "solid_waste_zero_discharge", "waste_gas_utilization",
             "iso14001", "noise_compliant"}
COMPARATORS = {"=", ">=", ">", "<=", "<", "~", "range"}
ITEM_IDS = {str(i) for i in range(1, 27)}
# the top-level fields a truth file may carry: docs/interfaces.md, corpus/README.md and the
# held-out extras (ambiguous, held_out)
TRUTH_FIELDS = {"file", "format", "doc_type", "enterprise", "numbering", "headings", "pages",
                "sections", "section_headings", "section_evidence", "toc", "table", "indicators",
                "distractors", "requirements", "ambiguous", "conflicts", "items", "page_count",
                "page_note", "held_out"}
INDICATOR_FIELDS = {"key", "value", "comparator", "year", "role", "page", "source", "text",
                    "unit", "derived", "low", "high"}

TRUTH_FILES = sorted(TRUTH.glob("*.json"))
PDF_TRUTH = [p for p in TRUTH_FILES if p.name.endswith(".pdf.json")]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def squash(text: str) -> str:
    return re.sub(r"[\s“”‘’]+", "", text)


def test_heldout3_corpus_is_there():
    samples = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in {".docx", ".pdf"})
    assert sorted(p.name[: -len(".json")] for p in TRUTH_FILES) == samples
    docx = [load(p) for p in TRUTH_FILES if p.name.endswith(".docx.json")]
    assert len(docx) >= 6
    assert sum(t["doc_type"] == "audit_report" for t in docx) >= 4
    assert sum(t["doc_type"] == "work_summary" for t in docx) >= 2
    assert len(PDF_TRUTH) >= 3
    assert sum("missing" in t["sections"].values() for t in docx) >= 2
    assert any("toc" in t for t in docx)
    assert len({t["numbering"] for t in docx}) >= 5


def test_heldout3_enterprises_are_new():
    """No enterprise of the main corpus or of the first two held-out sets comes back."""
    earlier = set()
    for folder in (ROOT / "corpus" / "truth", ROOT / "corpus" / "heldout" / "truth",
                   ROOT / "corpus" / "heldout2" / "truth"):
        earlier |= {load(p)["enterprise"] for p in folder.glob("*.json")}
    ours = {load(p)["enterprise"] for p in TRUTH_FILES}
    assert ours and not ours & earlier


@pytest.mark.parametrize("path", TRUTH_FILES, ids=lambda p: p.name)
def test_truth_file_is_well_formed(path):
    t = load(path)
    assert set(t) <= TRUTH_FIELDS, set(t) - TRUTH_FIELDS
    assert path.name == t["file"] + ".json"
    assert (SAMPLES / t["file"]).is_file(), "the truth names a sample that exists"
    assert t["format"] == Path(t["file"]).suffix[1:]
    assert t["enterprise"].startswith("广西")
    template = TEMPLATES[t["doc_type"]]
    assert list(t["sections"]) == template, "every template section, in template order"
    assert set(t["sections"].values()) <= {"heading", "body", "missing"}
    body = {sid for sid, status in t["sections"].items() if status == "body"}
    assert set(t["section_evidence"]) == body
    heading = {sid for sid, status in t["sections"].items() if status == "heading"}
    assert set(t["section_headings"]) == heading
    assert set(t["section_headings"].values()) <= set(t["headings"])

    n_pages = t["page_count"]
    assert t["headings"] and set(t["pages"]) == set(t["headings"])
    assert all(1 <= p <= n_pages for p in t["pages"].values())
    for e in t["indicators"]:
        assert set(e) <= INDICATOR_FIELDS, e
        assert e["key"] in NUMERIC_KEYS | FLAG_KEYS, e
        assert e["comparator"] in COMPARATORS, e
        assert e["role"] in {"actual", "target"}, e
        assert e["source"] in {"text", "table"}, e
        assert isinstance(e["value"], float) and e["text"], e
        assert e["year"] is None or 2015 <= e["year"] <= 2030, e
        assert 1 <= e["page"] <= n_pages, e
        assert (e["unit"] == "flag") == (e["key"] in FLAG_KEYS), e
        if e["unit"] == "flag":
            assert e["value"] in {0.0, 0.5, 1.0}, e
        if e["comparator"] == "range":
            assert e["low"] <= e["high"] and e["value"] == e["low"], e
    for r in t["requirements"]:
        assert r["key"] in NUMERIC_KEYS and r["role"] == "requirement"
        assert r["text"] in t["distractors"]
    for c in t["conflicts"]:
        assert c["key"] in NUMERIC_KEYS | FLAG_KEYS
    assert t["distractors"] and all(isinstance(d, str) and d for d in t["distractors"])
    for a in t["ambiguous"]:
        assert a["text"] not in t["distractors"] and a["why"]
        assert not any(e["source"] == "text" and e["text"] == a["text"] for e in t["indicators"])
    assert t["items"] and set(t["items"]) <= ITEM_IDS
    assert all(isinstance(v, (int, float)) and v >= 0 for v in t["items"].values())
    table = t["table"]
    assert len({len(row) for row in table["cells"]}) == 1
    assert 1 <= table["page"] <= n_pages and table["pages"][0] == table["page"]
    assert "held out" in t["held_out"] and "heldout3" in t["held_out"]


@pytest.mark.parametrize("spec", documents.ALL, ids=lambda s: s.name)
def test_docx_truth_and_sample_are_current(spec):
    truth, _ = build_heldout3(spec, f"{spec.name}.docx", "docx")
    assert json.loads(json.dumps(truth, ensure_ascii=False)) == load(TRUTH / f"{spec.name}.docx.json"), \
        "run `python -m corpus.generate --heldout3`"
    assert (SAMPLES / f"{spec.name}.docx").read_bytes() == build_docx(spec)


@pytest.mark.parametrize("path", PDF_TRUTH, ids=lambda p: p.name)
def test_pdf_truth_pages_are_where_the_text_is(path):
    import pypdfium2

    t = load(path)
    docx_truth = load(TRUTH / (Path(t["file"]).stem + ".docx.json"))
    pdf = pypdfium2.PdfDocument(str(SAMPLES / t["file"]))
    try:
        pages = []
        for i in range(len(pdf)):
            tp = pdf[i].get_textpage()
            pages.append(squash(tp.get_text_range()))
            tp.close()
    finally:
        pdf.close()
    assert t["page_count"] == len(pages)
    assert t["headings"] == docx_truth["headings"]
    assert t["sections"] == docx_truth["sections"]
    assert t["items"] == docx_truth["items"]
    assert len(t["indicators"]) == len(docx_truth["indicators"])
    for heading, page in t["pages"].items():
        assert squash(heading) in pages[page - 1], (heading, page)
    for e in t["indicators"]:
        if e["source"] == "text":
            assert squash(e["text"]) in pages[e["page"] - 1], e
    for r in t["requirements"]:
        assert squash(r["text"]) in pages[r["page"] - 1], r
    assert squash(t["table"]["caption"]) in pages[t["table"]["page"] - 1]


def test_heldout3_exercises_what_its_readme_claims():
    docx = [load(p) for p in TRUTH_FILES if p.name.endswith(".docx.json")]
    mentions = [e for t in docx for e in t["indicators"]]
    texts = " ".join(e["text"] for e in mentions)
    for phrase in ["达标36次", "4次监测结果均符合", "尚无回收利用途径", "有效日均值共362个，全部符合",
                   "作为辅助燃料回收热能", "投运率均为100%", "GB/T 24001", "约占两成",
                   "有1次总磷超过接管标准", "环境管理体系认证正在筹备中", "未再续证", "占了一半",
                   "复用水率", "知晓率", "不到当年销售收入的0.2%", "各月在90.5%至92.3%之间",
                   "每吨铝箔耗新水1.9 m³", "实际100%"]:
        assert phrase in texts, phrase
    assert {e["key"] for e in mentions} == NUMERIC_KEYS | FLAG_KEYS
    assert {e["comparator"] for e in mentions} >= {"=", ">=", ">", "<", "<=", "~", "range"}
    assert any(e["derived"] for e in mentions) and any(e["role"] == "target" for e in mentions)
    assert {e["value"] for e in mentions if e["key"] == "waste_gas_utilization"} == {0.0, 0.5, 1.0}
    for key in ("wastewater_zero_discharge", "iso14001", "noise_compliant"):
        assert {e["value"] for e in mentions if e["key"] == key} == {0.0, 1.0}, key
    assert sum(len(t["ambiguous"]) for t in docx) >= 1
    assert sum(len(t["requirements"]) for t in docx) >= 6
    # the table layouts: years as columns, years as rows (column tables), target/actual, a
    # two-row merged header
    tables = [t["table"] for t in docx]
    assert any(tab["header_rows"] == 2 for tab in tables)
    assert sum(tab["cells"][1][0].endswith("年") for tab in tables) >= 1
