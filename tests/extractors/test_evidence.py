"""Keyword evidence on a real Document: a UTF-8 text file read by ingest.load."""
from __future__ import annotations

import ingest
from extractors.evidence import find_evidence, split_sentences
from ingest.model import Cell, Document, Table
from rubric.items import load_rubric

REPORT = """\
目录
（三）厂容厂貌……………………23

一、企业简况
公司位于南宁市，主要生产白砂糖。

二、企业清洁生产管理现状
公司成立了清洁生产领导小组，总经理任组长；各车间设清洁生产工作小组。
2023年组织清洁生产培训4次，共培训320人次；另有安全培训2次。

（三）厂容厂貌
厂区绿化率达35%，道路硬化；现场无跑冒滴漏现象
车间地面清洁整齐。

（二）清洁生产审核
审核期间开展了水平衡测试和物料平衡测算；能量平衡因条件所限未开展。
"""


def load(tmp_path, text=REPORT):
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return ingest.load(path)


def test_sentences_with_page_locator_and_keyword(tmp_path):
    doc = load(tmp_path)
    found = find_evidence(doc, {"site": ["厂容厂貌", "绿化", "跑冒滴漏", "清洁整齐"]})
    texts = [e.text for e in found["site"]]
    # ingest folds ；（） to ;() and the text reader joins a paragraph's lines; sentences end
    # at ; as well as 。; the heading itself names the topic
    assert texts == ["(三)厂容厂貌", "厂区绿化率达35%，道路硬化;", "现场无跑冒滴漏现象车间地面清洁整齐。"]
    first = found["site"][1]
    assert first.page == 1 and first.source == "text" and first.keyword == "绿化"
    para = next(b for b in doc.blocks if "绿化" in b.text)
    assert first.locator == para.locator


def test_table_of_contents_line_is_not_evidence(tmp_path):
    found = find_evidence(load(tmp_path), {"site": ["厂容厂貌"]})
    assert all("……" not in e.text for e in found["site"])
    assert len(found["site"]) == 1


def test_conjunction_keeps_only_sentences_with_both_words(tmp_path):
    found = find_evidence(load(tmp_path), {"training": ["清洁生产&培训"]})
    assert [e.text for e in found["training"]] == ["2023年组织清洁生产培训4次，共培训320人次;"]


def test_one_sentence_once_per_set_and_every_set_present(tmp_path):
    found = find_evidence(load(tmp_path), {"balance": ["水平衡", "物料平衡", "能量平衡"], "none": ["十环"]})
    assert [e.text for e in found["balance"]] == [
        "审核期间开展了水平衡测试和物料平衡测算;", "能量平衡因条件所限未开展。"]
    assert found["none"] == []


def test_rubric_keyword_sets_on_a_report(tmp_path):
    rubric = load_rubric("guangxi")
    found = find_evidence(load(tmp_path), rubric.keyword_sets)
    assert set(found) == set(rubric.keyword_sets)
    assert found["cp_organisation"][0].text.startswith("公司成立了清洁生产领导小组")
    assert found["balance_tests"] and found["site_appearance"]
    assert found["product_friendliness"] == []


def test_table_cells_with_row_context():
    table = Table(rows=[[Cell("项目", 0, 0), Cell("情况", 0, 1)],
                        [Cell("厂区绿化", 1, 0), Cell("绿化面积12000平方米；绿化率35%", 1, 1)],
                        [Cell("环境管理体系", 2, 0), Cell("已通过ISO14001认证", 2, 1)]],
                  page=4, locator="t2", n_cols=2)
    doc = Document(name="x.docx", sha256="", format="docx", pages=5, blocks=[table])
    found = find_evidence(doc, {"site": ["绿化率"], "iso": ["ISO14001"]})
    assert [(e.page, e.locator, e.source, e.text) for e in found["site"]] == [
        (4, "t2.r2.c2", "table", "厂区绿化：绿化率35%")]
    assert found["iso"][0].text == "环境管理体系：已通过ISO14001认证"


def test_split_sentences():
    assert split_sentences("一。二；三;四\n五") == ["一。", "二；", "三;", "四", "五"]
    assert split_sentences("  \n") == []
