"""附件3 as data: the bundled Guangxi rubric is complete and valid, and broken data is
refused with a clear E012 error (tested on tmp copies of the real data files)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.errors import ScreenError
from rubric.items import DATA_DIR, load_rubric, validate

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "guangxi-requirements.txt"

# From ../shared/spec/CONTRACT.md: the indicator keys (numbers and flags) and the section ids.
CONTRACT_KEYS = {
    "staff_awareness_rate", "material_metering_rate", "main_material_utilization_rate",
    "energy_metering_rate", "water_metering_rate", "unit_energy_consumption", "unit_fresh_water",
    "cp_investment_ratio", "rd_investment_ratio", "wastewater_reuse_rate", "solid_waste_utilization_rate",
    "facility_operation_rate", "waste_gas_compliance_rate", "wastewater_compliance_rate",
    "solid_waste_disposal_rate", "noise_compliance_rate", "low_cost_implementation_rate",
    "high_cost_implementation_rate",
    "wastewater_zero_discharge", "solid_waste_zero_discharge", "waste_gas_utilization", "iso14001",
    "noise_compliant",
}
CONTRACT_SECTIONS = {
    "audit_report": {"1", "2", "2.1", "2.2", "2.3", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "4", "4.1", "4.2",
                     "4.3", "4.4", "4.5", "5", "5.1", "5.2", "5.3", "6", "7", "8", "9"},
    "work_summary": {"1", "2", "2.1", "2.2", "2.3", "3", "4", "4.1", "4.2", "4.3", "4.4", "5", "5.1", "5.2",
                     "6", "6.1", "6.2", "6.3", "7"},
}
# 附件3: item -> (series, points); 23–26 are the unnumbered rows of 系列3 (CONTRACT.md).
EXPECTED_POINTS = {
    "1": ("1", 8), "2": ("1", 2), "3": ("1", 2), "4": ("1", 2), "5": ("1", 4), "6": ("1", 2), "7": ("1", 3),
    "8": ("1", 2), "9": ("1", 3), "10": ("1", 2), "11": ("2", 8), "12": ("2", 4), "13": ("2", 4),
    "14": ("2", 4), "15": ("2", 6), "16": ("2", 6), "17": ("2", 3), "18": ("2", 3), "19": ("2", 2),
    "20": ("3", 5), "21": ("3", 5), "22": ("3", 3), "23": ("3", 5), "24": ("3", 5), "25": ("3", 4),
    "26": ("3", 3),
}


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("guangxi")


def test_the_26_items_of_annex_3(rubric):
    assert [it.id for it in rubric.items] == [str(i) for i in range(1, 27)]
    assert {it.id: (it.series, it.points) for it in rubric.items} == EXPECTED_POINTS
    assert [(s.id, s.title, s.points) for s in rubric.series] == [
        ("1", "基本条件", 30), ("2", "资源、能源、工艺技术与综合利用", 40), ("3", "环境管理与外排环境保护指标", 30)]
    assert (rubric.max_points, rubric.pass_line) == (100, 80)
    assert [rubric.item(i).title for i in ("23", "24", "25", "26")] == ["废气", "外排废水", "固废处理", "噪声"]


def test_every_item_has_a_rule_and_parts_reaching_its_max(rubric):
    for it in rubric.items:
        assert it.rule and it.parts, it.id
        assert it.parts_max == it.points, it.id


@pytest.mark.skipif(not SPEC.exists(), reason="shared spec not present")
def test_requirements_are_word_for_word_from_the_spec(rubric):
    spec = SPEC.read_text(encoding="utf-8")
    annex3 = spec[spec.index("附件3"):]
    for it in rubric.items:
        assert it.requirement in annex3, it.id


def test_valid_against_the_contract_lists(rubric):
    validate(rubric, CONTRACT_KEYS, CONTRACT_SECTIONS)
    assert rubric.indicator_keys <= CONTRACT_KEYS
    load_rubric("guangxi", CONTRACT_KEYS, CONTRACT_SECTIONS)


def test_key_thresholds_are_data(rubric):
    levels = lambda item_id, i: [(lv.op, lv.value, lv.points) for lv in rubric.item(item_id).parts[i].levels]
    assert levels("16", 0) == [(">", 30, 4), (">=", 10, 2)]
    assert levels("16", 1) == [(">=", 1.5, 2), (">=", 0.5, 1)]
    assert levels("17", 1) == [(">=", 80, 2), (">=", 65, 1)]
    assert levels("23", 0) == [(">=", 100, 5), (">=", 97, 3)]
    assert levels("9", 1) == [(">=", 70, 2)]


def test_unknown_indicator_key_is_refused(rubric):
    with pytest.raises(ScreenError) as err:
        validate(rubric, CONTRACT_KEYS - {"water_metering_rate"}, CONTRACT_SECTIONS)
    assert err.value.code == "E012"
    assert "water_metering_rate" in err.value.zh and "第14项" in err.value.zh
    assert "unknown indicator key 'water_metering_rate'" in err.value.en


def test_unknown_section_is_refused(rubric):
    sections = {**CONTRACT_SECTIONS, "audit_report": CONTRACT_SECTIONS["audit_report"] - {"5.3"}}
    with pytest.raises(ScreenError) as err:
        validate(rubric, CONTRACT_KEYS, sections)
    assert "5.3" in err.value.zh and "第4项" in err.value.zh


# ----------------------------------------------------------- broken copies of the data

@pytest.fixture
def data_copy(tmp_path):
    folder = tmp_path / "guangxi"
    shutil.copytree(DATA_DIR / "guangxi", folder)
    return folder


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def refused(folder: Path) -> ScreenError:
    with pytest.raises(ScreenError) as err:
        load_rubric(folder)
    assert err.value.code == "E012"
    return err.value


def test_copy_loads(data_copy):
    assert len(load_rubric(data_copy).items) == 26


def test_points_not_adding_up_to_100(data_copy):
    edit(data_copy, "items.toml", 'title = "噪声"\nrequirement = "厂界噪声全部符合国家标准。"\npoints = 3',
         'title = "噪声"\nrequirement = "厂界噪声全部符合国家标准。"\npoints = 4')
    err = refused(data_copy)
    assert "各评分项分值合计 101，应为 100" in err.zh
    assert "系列3" in err.zh and "合计 31，应为 30" in err.zh
    assert "item points add up to 101, not 100" in err.en


def test_series_points_not_adding_up(data_copy):
    edit(data_copy, "rubric.toml", 'title = "基本条件"\npoints = 30', 'title = "基本条件"\npoints = 35')
    err = refused(data_copy)
    assert "各系列分值合计 105" in err.zh


def test_parts_above_the_item_max(data_copy):
    edit(data_copy, "items.toml", '{op = ">", value = 30, points = 4}', '{op = ">", value = 30, points = 5}')
    err = refused(data_copy)
    assert "第16项" in err.zh and "各分项最高合计 7，超过本项分值 6" in err.zh


def test_levels_out_of_order(data_copy):
    edit(data_copy, "items.toml",
         '''levels = [{op = ">=", value = 80, points = 2},
            {op = ">=", value = 65, points = 1}]''',
         '''levels = [{op = ">=", value = 65, points = 2},
            {op = ">=", value = 80, points = 1}]''')
    err = refused(data_copy)
    assert "第17项" in err.zh and "分档顺序错误" in err.zh
    assert "levels out of order" in err.en


def test_unknown_keyword_set(data_copy):
    edit(data_copy, "items.toml", 'evidence = ["balance_tests"]', 'evidence = ["balance_test"]')
    err = refused(data_copy)
    assert "第7项" in err.zh and "'balance_test'" in err.zh


def test_misspelt_field(data_copy):
    edit(data_copy, "items.toml", 'short_review = ["continuing_plan"]', 'short_reveiw = ["continuing_plan"]')
    err = refused(data_copy)
    assert "short_reveiw" in err.zh and "第9项" in err.zh


def test_bad_toml(data_copy):
    (data_copy / "items.toml").write_text("[[item]\nid = 1", encoding="utf-8")
    err = refused(data_copy)
    assert "items.toml 格式错误" in err.zh


def test_missing_message(data_copy):
    edit(data_copy, "rubric.toml", 'or = "”或“"\n', "")
    err = refused(data_copy)
    assert "[messages]" in err.zh and "'or'" in err.zh


def test_unknown_province():
    with pytest.raises(ScreenError) as err:
        load_rubric("atlantis")
    assert err.value.code == "E012" and "atlantis" in err.value.zh
