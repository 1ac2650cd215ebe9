"""The three held-out corpora (corpus/heldout, heldout2, heldout3): truth files well formed,
current, and honest about pages; each set exercises what its README claims.

A held-out set measures cpscreen on documents its authors have not tuned against (the second
and third sets were written blind, after the earlier sets had been used to improve the tool);
these tests check the corpora, never the tool. One module serves the three sets: what differs
between them is data (`CLAIMS`).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
import sys
from pathlib import Path

import pytest

from corpus.docx_writer import build_docx
from corpus.heldout.generate import HELD_OUT_SETS, build_set_truth, set_documents

ROOT = Path(__file__).resolve().parents[2]

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from contract_ids import (  # noqa: E402,F401
    AUDIT_SECTIONS, COMPARATORS, FLAG_KEYS, ITEM_IDS, NUMERIC_KEYS, SUMMARY_SECTIONS, TEMPLATES)
# the top-level fields a truth file may carry: docs/interfaces.md, corpus/README.md and the
# held-out extras (ambiguous, held_out)
TRUTH_FIELDS = {"file", "format", "doc_type", "enterprise", "numbering", "headings", "pages",
                "sections", "section_headings", "section_evidence", "toc", "table", "indicators",
                "distractors", "requirements", "ambiguous", "conflicts", "items", "page_count",
                "page_note", "held_out"}
INDICATOR_FIELDS = {"key", "value", "comparator", "year", "role", "page", "source", "text",
                    "unit", "derived", "low", "high"}
# the enterprises of the main corpus's eleven documents: the first held-out set's must not be in
# these places (the later sets are checked by name, in test_enterprises_are_new)
MAIN_CORPUS_PLACES = ["崇左", "贵港", "南宁", "河池", "武鸣", "藤县", "玉林", "宜州", "梧州", "贺州", "北海"]
PLACES_AVOIDED = {"heldout": MAIN_CORPUS_PLACES, "heldout2": [], "heldout3": []}


@dataclass(frozen=True)
class Claims:
    """What a set's README says it exercises, checked over its DOCX truth files."""
    phrases: list[str]
    min_ambiguous: int
    min_requirements: int = 0
    # flag key -> the exact set of values its mentions take across the set
    flag_values: dict[str, set[float]] = field(default_factory=dict)
    # the set's table layouts: two-row merged headers, years as rows (column tables)
    min_two_row_headers: int = 0
    min_year_row_tables: int = 0


CLAIMS = {
    "heldout": Claims(
        phrases=["水计量器具配备率已达100%", "回用水量占废水产生量的78%", "千分之八", "九成以上",
                 "外排水达标率为98.5%（2023年）", "各类固废均得到综合利用", "全部满足2类标准",
                 "四分之一", "分别为92%和100%", "依次为96%"],
        min_ambiguous=3),
    "heldout2": Claims(
        phrases=["结果无一超标", "超标1次", "次次合格", "超过四成", "千分之六",
                 "每吨冻品耗新鲜水14.2立方米", "98%～99%之间", "外排废水年达标率为100%（2023年）",
                 "未开展资源化利用", "全部实现综合利用", "尚未通过第三方认证", "均为100%"],
        min_ambiguous=3, min_requirements=4,
        flag_values={"waste_gas_utilization": {0.0, 0.5, 1.0}}),
    "heldout3": Claims(
        phrases=["达标36次", "4次监测结果均符合", "尚无回收利用途径", "有效日均值共362个，全部符合",
                 "作为辅助燃料回收热能", "投运率均为100%", "GB/T 24001", "约占两成",
                 "有1次总磷超过接管标准", "环境管理体系认证正在筹备中", "未再续证", "占了一半",
                 "复用水率", "知晓率", "不到当年销售收入的0.2%", "各月在90.5%至92.3%之间",
                 "每吨铝箔耗新水1.9 m³", "实际100%"],
        min_ambiguous=1, min_requirements=6,
        flag_values={"waste_gas_utilization": {0.0, 0.5, 1.0},
                     "wastewater_zero_discharge": {0.0, 1.0}, "iso14001": {0.0, 1.0},
                     "noise_compliant": {0.0, 1.0}},
        min_two_row_headers=1, min_year_row_tables=1),
}


def samples_dir(name: str) -> Path:
    return ROOT / "corpus" / name / "samples"


def truth_dir(name: str) -> Path:
    return ROOT / "corpus" / name / "truth"


def truth_files(name: str) -> list[Path]:
    return sorted(truth_dir(name).glob("*.json"))


def pdf_truth(name: str) -> list[Path]:
    return [p for p in truth_files(name) if p.name.endswith(".pdf.json")]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def docx_truths(name: str) -> list[dict]:
    return [load(p) for p in truth_files(name) if p.name.endswith(".docx.json")]


def squash(text: str) -> str:
    return re.sub(r"[\s“”‘’]+", "", text)


ALL_TRUTH = [(name, p) for name in HELD_OUT_SETS for p in truth_files(name)]
ALL_PDF_TRUTH = [(name, p) for name in HELD_OUT_SETS for p in pdf_truth(name)]
ALL_SPECS = [(name, spec) for name in HELD_OUT_SETS for spec in set_documents(name).ALL]


def _case_id(case) -> str:
    name, item = case
    return f"{name}/{item.name}"


def test_per_set_data_covers_every_set():
    assert set(CLAIMS) == set(PLACES_AVOIDED) == set(HELD_OUT_SETS)


@pytest.mark.parametrize("name", HELD_OUT_SETS)
def test_corpus_is_there(name):
    samples = sorted(p.name for p in samples_dir(name).iterdir() if p.suffix in {".docx", ".pdf"})
    assert sorted(p.name[: -len(".json")] for p in truth_files(name)) == samples
    docx = docx_truths(name)
    assert len(docx) >= 6
    assert sum(t["doc_type"] == "audit_report" for t in docx) >= 4
    assert sum(t["doc_type"] == "work_summary" for t in docx) >= 2
    assert len(pdf_truth(name)) >= 3
    assert sum("missing" in t["sections"].values() for t in docx) >= 2
    assert any("toc" in t for t in docx)
    assert len({t["numbering"] for t in docx}) >= 5


@pytest.mark.parametrize("name", HELD_OUT_SETS)
def test_enterprises_are_new(name):
    """No enterprise of the main corpus or of an earlier held-out set comes back."""
    earlier_sets = HELD_OUT_SETS[: HELD_OUT_SETS.index(name)]
    earlier = set()
    for folder in (ROOT / "corpus" / "truth", *map(truth_dir, earlier_sets)):
        earlier |= {load(p)["enterprise"] for p in folder.glob("*.json")}
    ours = {load(p)["enterprise"] for p in truth_files(name)}
    assert ours and not ours & earlier


@pytest.mark.parametrize("case", ALL_TRUTH, ids=_case_id)
def test_truth_file_is_well_formed(case):
    name, path = case
    t = load(path)
    assert set(t) <= TRUTH_FIELDS, set(t) - TRUTH_FIELDS
    assert path.name == t["file"] + ".json"
    assert (samples_dir(name) / t["file"]).is_file(), "the truth names a sample that exists"
    assert t["format"] == Path(t["file"]).suffix[1:]
    assert t["enterprise"].startswith("广西")
    assert not any(place in t["enterprise"] for place in PLACES_AVOIDED[name])
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
        # an ambiguous phrasing is neither an indicator nor a distractor
        assert a["text"] not in t["distractors"] and a["why"]
        assert not any(e["source"] == "text" and e["text"] == a["text"] for e in t["indicators"])
    assert t["items"] and set(t["items"]) <= ITEM_IDS
    assert all(isinstance(v, (int, float)) and v >= 0 for v in t["items"].values())
    table = t["table"]
    assert len({len(row) for row in table["cells"]}) == 1
    assert 1 <= table["page"] <= n_pages and table["pages"][0] == table["page"]
    assert "held out" in t["held_out"]
    if name != "heldout":
        # the later sets' notes name their folder
        assert name in t["held_out"]


@pytest.mark.parametrize("case", ALL_SPECS, ids=_case_id)
def test_docx_truth_and_sample_are_current(case):
    name, spec = case
    truth, _ = build_set_truth(name, spec, f"{spec.name}.docx", "docx")
    assert json.loads(json.dumps(truth, ensure_ascii=False)) == \
        load(truth_dir(name) / f"{spec.name}.docx.json"), \
        f"run `python -m corpus.generate --{name}`"
    assert (samples_dir(name) / f"{spec.name}.docx").read_bytes() == build_docx(spec)


@pytest.mark.parametrize("case", ALL_PDF_TRUTH, ids=_case_id)
def test_pdf_truth_pages_are_where_the_text_is(case):
    import pypdfium2

    name, path = case
    t = load(path)
    docx_truth = load(truth_dir(name) / (Path(t["file"]).stem + ".docx.json"))
    pdf = pypdfium2.PdfDocument(str(samples_dir(name) / t["file"]))
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
    assert len(t["indicators"]) == len(docx_truth["indicators"])
    assert t["items"] == docx_truth["items"]
    for heading, page in t["pages"].items():
        assert squash(heading) in pages[page - 1], (heading, page)
    for e in t["indicators"]:
        if e["source"] == "text":
            assert squash(e["text"]) in pages[e["page"] - 1], e
    for r in t["requirements"]:
        assert squash(r["text"]) in pages[r["page"] - 1], r
    assert squash(t["table"]["caption"]) in pages[t["table"]["page"] - 1]


@pytest.mark.parametrize("name", HELD_OUT_SETS)
def test_set_exercises_what_its_readme_claims(name):
    claims = CLAIMS[name]
    docx = docx_truths(name)
    mentions = [e for t in docx for e in t["indicators"]]
    texts = " ".join(e["text"] for e in mentions)
    for phrase in claims.phrases:
        assert phrase in texts, phrase
    assert {e["key"] for e in mentions} == NUMERIC_KEYS | FLAG_KEYS
    assert {e["comparator"] for e in mentions} >= {"=", ">=", ">", "<", "<=", "~", "range"}
    assert any(e["derived"] for e in mentions) and any(e["role"] == "target" for e in mentions)
    for key, values in claims.flag_values.items():
        assert {e["value"] for e in mentions if e["key"] == key} == values, key
    assert sum(len(t["ambiguous"]) for t in docx) >= claims.min_ambiguous
    assert sum(len(t["requirements"]) for t in docx) >= claims.min_requirements
    tables = [t["table"] for t in docx]
    assert sum(tab["header_rows"] == 2 for tab in tables) >= claims.min_two_row_headers
    assert sum(tab["cells"][1][0].endswith("年") for tab in tables) >= claims.min_year_row_tables
