"""The outline data (rubric/data/guangxi/outlines.toml) and its loader's checks."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.errors import ScreenError
from rubric.outlines import CONTRACT_SECTION_IDS, DATA_DIR, load_outline_templates

CONTRACT = Path(__file__).resolve().parents[3] / "shared" / "spec" / "CONTRACT.md"


def contract_titles() -> dict[str, dict[str, str]]:
    """The id -> title tables of CONTRACT.md, read from the file itself."""
    text = CONTRACT.read_text(encoding="utf-8")
    out: dict[str, dict[str, str]] = {}
    for name in ("audit_report", "work_summary"):
        start = text.index(f"{name} (附件")
        rows = re.findall(r"^\| ([\d.]+) \| (.+?) \|$", text[start:], re.M)
        table: dict[str, str] = {}
        for sid, title in rows:
            if sid in table:
                break
            table[sid] = title.strip()
        out[name] = {k: v for k, v in table.items() if k in CONTRACT_SECTION_IDS[name]}
    return out


def test_the_shipped_outlines_load_with_the_contract_ids_and_titles():
    templates = load_outline_templates()
    assert set(templates) == {"audit_report", "work_summary"}
    if CONTRACT.exists():
        for name, titles in contract_titles().items():
            got = {s.id: s.title for s in templates[name].sections}
            assert got == titles
    audit = {s.id: s for s in templates["audit_report"].sections}
    assert [s.id for s in templates["audit_report"].sections] == list(
        CONTRACT_SECTION_IDS["audit_report"])
    assert audit["2.1"].parent == "2" and audit["1"].parent is None
    assert "企业概况" in audit["1"].aliases and "结论与建议" in audit["9"].aliases
    assert "厂容厂貌" in audit["5.3"].strong_keywords and "绿化" in audit["5.3"].keywords
    # the seven-stage table is merged into the sections it covers: as a heading, or as
    # a chapter that holds the content
    assert "方案实施" in audit["4.3"].stage_aliases and "方案实施" in audit["4.4"].stage_aliases
    assert "预审核" in audit["3"].aliases and "预审核" not in audit["3"].stage_aliases
    assert templates["work_summary"].title_markers[0] == "清洁生产工作总结"


GOOD = """
[audit_report]
label_zh = "审核报告"
title_markers = ["审核报告"]
{audit_sections}

[work_summary]
label_zh = "工作总结"
{summary_sections}
"""


def sections_toml(name: str, ids, extra: str = "") -> str:
    out = []
    for sid in ids:
        out.append(f'[[{name}.sections]]\nid = "{sid}"\ntitle = "标题{sid}"\n')
    return "\n".join(out) + extra


def write(tmp_path, audit_ids=None, summary_ids=None, audit_extra="", text=None) -> Path:
    if text is None:
        text = GOOD.format(
            audit_sections=sections_toml("audit_report",
                                         audit_ids or CONTRACT_SECTION_IDS["audit_report"],
                                         audit_extra),
            summary_sections=sections_toml("work_summary",
                                           summary_ids or CONTRACT_SECTION_IDS["work_summary"]))
    (tmp_path / "outlines.toml").write_text(text, encoding="utf-8")
    return tmp_path


def error_of(folder) -> ScreenError:
    with pytest.raises(ScreenError) as info:
        load_outline_templates(folder)
    assert info.value.code == "E012"
    return info.value


def test_a_minimal_valid_file_loads(tmp_path):
    templates = load_outline_templates(write(tmp_path))
    assert len(templates["work_summary"].sections) == 19
    assert templates["audit_report"].sections[0].aliases == []


def test_duplicate_id(tmp_path):
    ids = [*CONTRACT_SECTION_IDS["audit_report"], "5.3"]
    err = error_of(write(tmp_path, audit_ids=ids))
    assert "5.3" in err.en and "twice" in err.en and "评分规则数据有误" in err.zh


def test_parent_must_exist(tmp_path):
    err = error_of(write(tmp_path, audit_extra='[[audit_report.sections]]\nid = "10.1"\n'
                                               'title = "额外"\n'))
    assert "parent 10 does not exist" in err.en


def test_every_contract_id_present(tmp_path):
    ids = [i for i in CONTRACT_SECTION_IDS["work_summary"] if i != "6.3"]
    err = error_of(write(tmp_path, summary_ids=ids))
    assert "work_summary" in err.en and "6.3" in err.en


def test_stage_must_cover_known_sections(tmp_path):
    extra = '\n[[audit_report.stages]]\nheading = "方案实施"\ncovers = ["4.3", "4.9"]\n'
    err = error_of(write(tmp_path, audit_extra=extra))
    assert "4.9" in err.en


def test_stage_as_heading_must_be_a_boolean(tmp_path):
    extra = '\n[[audit_report.stages]]\nheading = "预审核"\ncovers = ["3"]\nas_heading = "yes"\n'
    assert "as_heading" in error_of(write(tmp_path, audit_extra=extra)).en


def test_bad_toml_missing_file_missing_template_and_wrong_types(tmp_path):
    assert "not valid TOML" in error_of(write(tmp_path, text="[audit_report\n")).en
    assert "file not found" in error_of(tmp_path / "nowhere").en
    only_audit = "[audit_report]\n" + sections_toml("audit_report", CONTRACT_SECTION_IDS["audit_report"])
    assert "work_summary outline is missing" in error_of(write(tmp_path, text=only_audit)).en
    bad_aliases = GOOD.format(
        audit_sections=sections_toml("audit_report", CONTRACT_SECTION_IDS["audit_report"]).replace(
            'title = "标题1"\n', 'title = "标题1"\naliases = "企业概况"\n', 1),
        summary_sections=sections_toml("work_summary", CONTRACT_SECTION_IDS["work_summary"]))
    assert "aliases must be a list of strings" in error_of(write(tmp_path, text=bad_aliases)).en


def test_data_dir_is_the_guangxi_folder():
    assert (DATA_DIR / "outlines.toml").is_file()
