"""The sample corpus and its truth files: well formed, current, and honest about pages."""
from __future__ import annotations

import json
import re
import tomllib
import zipfile
import sys
from pathlib import Path

import pytest

from corpus import documents
from corpus.docx_writer import build_docx
from corpus.spec import D, DocSpec, H, M, P
from corpus.truth import SpecError, build

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SAMPLES = CORPUS / "samples"
TRUTH = CORPUS / "truth"

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from contract_ids import (  # noqa: E402,F401
    AUDIT_SECTIONS, COMPARATORS, FLAG_KEYS, ITEM_IDS, NUMERIC_KEYS, SUMMARY_SECTIONS, TEMPLATES)

TRUTH_FILES = sorted(TRUTH.glob("*.json"))
PDF_TRUTH = [p for p in TRUTH_FILES if p.name.endswith(".pdf.json")]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def squash(text: str) -> str:
    return re.sub(r"[\s“”‘’]+", "", text)


def test_corpus_is_there():
    samples = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in {".docx", ".pdf"})
    assert len(samples) >= 14
    assert sorted(p.name[: -len(".json")] for p in TRUTH_FILES) == samples
    assert len(PDF_TRUTH) >= 4


@pytest.mark.parametrize("path", TRUTH_FILES, ids=lambda p: p.name)
def test_truth_file_is_well_formed(path):
    t = load(path)
    assert path.name == t["file"] + ".json"
    assert (SAMPLES / t["file"]).is_file()
    assert t["format"] == Path(t["file"]).suffix[1:]
    assert t["enterprise"].startswith("广西")
    template = TEMPLATES[t["doc_type"]]
    assert list(t["sections"]) == template, "every template section, in template order"
    assert set(t["sections"].values()) <= {"heading", "body", "missing"}
    body = {sid for sid, status in t["sections"].items() if status == "body"}
    assert set(t["section_evidence"]) == body, "every body section has its sentence"
    heading = {sid for sid, status in t["sections"].items() if status == "heading"}
    assert set(t["section_headings"]) == heading
    assert set(t["section_headings"].values()) <= set(t["headings"])

    n_pages = t["page_count"]
    assert t["headings"] and set(t["pages"]) == set(t["headings"])
    assert all(1 <= p <= n_pages for p in t["pages"].values())
    for h in t["headings"]:
        assert not re.search(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", h), f"space inside CJK: {h}"

    for e in t["indicators"]:
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
        assert r["text"] in t["distractors"], "a quoted requirement is a distractor too"
    assert t["distractors"] and all(isinstance(d, str) and d for d in t["distractors"])
    for c in t["conflicts"]:
        values = {e["value"] for e in t["indicators"]
                  if e["key"] == c["key"] and e["year"] == c["year"] and e["role"] == "actual"}
        assert values == set(c["values"]) and len(values) > 1

    table = t["table"]
    widths = {len(row) for row in table["cells"]}
    assert len(widths) == 1 and len(table["cells"]) > table["header_rows"]
    assert 1 <= table["page"] <= n_pages and table["pages"][0] == table["page"]


@pytest.mark.parametrize("path", PDF_TRUTH, ids=lambda p: p.name)
def test_pdf_truth_pages_are_where_the_text_is(path):
    """Read the PDF again and check each page a truth entry names holds that entry's text."""
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
    assert len(t["indicators"]) == len(docx_truth["indicators"])
    for heading, page in t["pages"].items():
        assert squash(heading) in pages[page - 1], (heading, page)
    for e in t["indicators"]:
        if e["source"] == "text":
            assert squash(e["text"]) in pages[e["page"] - 1], e
        else:
            label = e["text"].split(" ")[0]
            assert squash(label) in pages[e["page"] - 1], e
    for r in t["requirements"]:
        assert squash(r["text"]) in pages[r["page"] - 1], r
    assert squash(t["table"]["caption"]) in pages[t["table"]["page"] - 1]


@pytest.mark.parametrize("spec", documents.ALL, ids=lambda s: s.name)
def test_docx_truth_is_current(spec):
    """The stored DOCX truth is what the specs give today (regenerate when this fails)."""
    truth, _ = build(spec, f"{spec.name}.docx", "docx")
    stored = load(TRUTH / f"{spec.name}.docx.json")
    assert json.loads(json.dumps(truth, ensure_ascii=False)) == stored, \
        "run `python -m corpus.generate`"


def test_docx_bytes_are_deterministic():
    spec = documents.ALL[0]
    assert build_docx(spec) == build_docx(spec)


def test_word_numbering_is_not_in_the_text():
    """a01 numbers its headings through numbering.xml; the paragraph text has no numbers."""
    import docx

    path = SAMPLES / "a01_sugar_audit.docx"
    document = docx.Document(str(path))
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert len(headings) == len(load(TRUTH / "a01_sugar_audit.docx.json")["headings"])
    assert not any(re.match(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.", p.text)
                   for p in headings)
    numbering = zipfile.ZipFile(path).read("word/numbering.xml").decode("utf-8")
    assert 'w:val="chineseCounting"' in numbering and 'w:val="%1、"' in numbering
    assert 'w:val="（%2）"' in numbering and 'w:val="%3."' in numbering
    styles = zipfile.ZipFile(path).read("word/styles.xml").decode("utf-8")
    assert styles.count("<w:numPr>") >= 3
    body = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert body.count('w:type="page"') >= 6
    assert "w:gridSpan" in body and 'w:vMerge w:val="restart"' in body


def test_corpus_covers_what_the_screen_must_handle():
    truths = [load(p) for p in TRUTH_FILES]
    docx = [t for t in truths if t["format"] == "docx"]
    assert sum(t["doc_type"] == "work_summary" for t in docx) >= 2
    assert sum("missing" in t["sections"].values() for t in docx) >= 3
    assert sum("toc" in t for t in docx) >= 2
    assert any(t["conflicts"] for t in docx)
    mentions = [e for t in docx for e in t["indicators"]]
    assert {e["comparator"] for e in mentions} >= {"=", ">=", ">", "<", "<=", "~", "range"}
    assert any(e["derived"] for e in mentions)
    assert any(e["role"] == "target" for e in mentions)
    assert {e["value"] for e in mentions if e["key"] == "waste_gas_utilization"} == {0.0, 0.5, 1.0}
    assert any("９５％" in e["text"] for e in mentions)
    assert any(t["requirements"] for t in docx)
    assert {e["key"] for e in mentions} == NUMERIC_KEYS | FLAG_KEYS
    numberings = {t["numbering"] for t in docx}
    assert len(numberings) >= 6


def test_generator_refuses_an_unclaimed_percentage():
    spec = DocSpec(name="x", doc_type="work_summary", enterprise="广西某公司", numbering="typed",
                   blocks=[H(1, "企业基本情况", "1"), P("水计量率为100%，产品合格率99%。",
                                                      M("water_metering_rate", "水计量率为100%", 100))],
                   missing=[s for s in SUMMARY_SECTIONS if s != "1"])
    with pytest.raises(SpecError, match="99%"):
        build(spec, "x.docx", "docx")
    spec.blocks[1].distractors.append(D("产品合格率99%"))
    truth, _ = build(spec, "x.docx", "docx")
    assert truth["distractors"] == ["产品合格率99%"]


def test_generator_refuses_an_unaccounted_section():
    spec = DocSpec(name="x", doc_type="work_summary", enterprise="广西某公司", numbering="typed",
                   blocks=[H(1, "企业基本情况", "1")])
    with pytest.raises(SpecError, match="neither covered nor declared missing"):
        build(spec, "x.docx", "docx")


def _item_max() -> dict[str, float]:
    with open(ROOT / "rubric" / "data" / "guangxi" / "items.toml", "rb") as f:
        return {item["id"]: item["points"] for item in tomllib.load(f)["item"]}


def test_rubric_data_has_the_contract_items():
    assert set(_item_max()) == ITEM_IDS


@pytest.mark.parametrize("path", TRUTH_FILES, ids=lambda p: p.name)
def test_item_truth_is_within_the_rubric(path):
    t = load(path)
    item_max = _item_max()
    assert t.get("items"), "every document has its item truth"
    for iid, points in t["items"].items():
        assert iid in ITEM_IDS, iid
        assert isinstance(points, (int, float)) and not isinstance(points, bool), (iid, points)
        assert 0 <= points <= item_max[iid], (iid, points, item_max[iid])
        assert float(points * 2).is_integer(), (iid, points)
    if t["format"] == "pdf":
        docx_truth = load(TRUTH / (Path(t["file"]).stem + ".docx.json"))
        assert t["items"] == docx_truth["items"]


def test_generator_refuses_an_unknown_item_id():
    spec = DocSpec(name="x", doc_type="work_summary", enterprise="广西某公司", numbering="typed",
                   blocks=[H(1, "企业基本情况", "1")],
                   missing=[s for s in SUMMARY_SECTIONS if s != "1"], items={"27": 1})
    with pytest.raises(SpecError, match="27"):
        build(spec, "x.docx", "docx")
    spec.items = {"17": 2}
    truth, _ = build(spec, "x.docx", "docx")
    assert truth["items"] == {"17": 2}


def test_truth_only_rewrites_truth_and_no_sample(tmp_path, monkeypatch):
    """`--truth-only` gives the stored truth (PDF pages from the PDFs on disk) and writes no sample."""
    from corpus import generate

    before = {p.name: p.read_bytes() for p in SAMPLES.iterdir() if p.is_file()}
    monkeypatch.setattr(generate, "TRUTH", tmp_path)
    assert generate.main(["--truth-only"]) == 0
    after = {p.name: p.read_bytes() for p in SAMPLES.iterdir() if p.is_file()}
    assert after == before
    written = sorted(p.name for p in tmp_path.glob("*.json"))
    assert written == [p.name for p in TRUTH_FILES]
    for name in written:
        assert load(tmp_path / name) == load(TRUTH / name), name
