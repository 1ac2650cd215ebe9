"""The indicator data: every contract key, no name for two indicators, bad data stops with E012."""
import shutil
from pathlib import Path

import pytest

from extractors.indicators import IndicatorSpec
from ingest.errors import ScreenError
from rubric.indicators import CONTRACT_FLAGS, CONTRACT_KEYS, CONTRACT_NUMERIC, DATA_DIR, load_indicator_specs


@pytest.fixture(scope="module")
def specs():
    return load_indicator_specs()


def test_every_contract_key(specs):
    keys = [s.key for s in specs]
    assert set(CONTRACT_KEYS) <= set(keys)
    assert len(keys) == len(set(keys))
    assert len(CONTRACT_NUMERIC) == 18 and len(CONTRACT_FLAGS) == 5


def test_kinds_and_units(specs):
    by = {s.key: s for s in specs}
    assert all(isinstance(s, IndicatorSpec) for s in specs)
    for k in CONTRACT_FLAGS:
        assert by[k].kind == "flag" and by[k].unit == "flag" and by[k].yes
    for k in ("unit_energy_consumption", "unit_fresh_water"):
        assert by[k].kind == "quantity"
    for k in set(CONTRACT_NUMERIC) - {"unit_energy_consumption", "unit_fresh_water"}:
        assert by[k].kind == "rate" and by[k].unit == "%"
    assert by["water_metering_rate"].item == "14"
    assert by["noise_compliance_rate"].item == "26"


def test_aliases_unique_across_keys(specs):
    owner = {}
    for s in specs:
        for a in s.aliases:
            assert owner.setdefault(a, s.key) == s.key, a


@pytest.mark.parametrize("key,aliases", [
    ("water_metering_rate", ["水计量率", "水计量器具配备率", "水表计量率", "用水计量率"]),
    ("wastewater_reuse_rate", ["废水回用率", "中水回用率", "水重复利用率", "工业用水重复利用率", "水循环利用率",
                               "循环水利用率"]),
    ("solid_waste_utilization_rate", ["固废综合利用率", "固体废物综合利用率", "一般固废综合利用率",
                                      "工业固体废物综合利用率"]),
    ("solid_waste_disposal_rate", ["固废处置率", "危险废物安全处置率", "危废处置率", "固废合规处置率"]),
    ("waste_gas_compliance_rate", ["废气达标排放率", "废气(年)达标率"]),
    ("wastewater_compliance_rate", ["外排废水(年)达标率", "废水达标排放率"]),
])
def test_named_variants(specs, key, aliases):
    by = {s.key: s for s in specs}
    assert set(aliases) <= set(by[key].aliases)


def test_joint_names_give_both_compliance_keys(specs):
    by = {s.key: s for s in specs}
    for name in ("废水废气达标率", "废水废气排放达标率", "废水废气外排污染物达标率"):
        assert name in by["wastewater_compliance_rate"].shared_aliases
        assert name in by["waste_gas_compliance_rate"].shared_aliases


def test_not_indicators_reach_every_spec(specs):
    assert all("产能利用率" in s.blockers for s in specs)


def copy_data(tmp_path: Path) -> Path:
    shutil.copy(DATA_DIR / "indicators.toml", tmp_path / "indicators.toml")
    return tmp_path


@pytest.mark.parametrize("edit,needle", [
    (lambda t: t.replace('key = "iso14001"', 'key = "iso_14001"'), "iso14001"),
    (lambda t: t.replace('aliases = ["员工清洁生产认知率"', 'aliases = ["水计量率", "员工清洁生产认知率"'), "水计量率"),
    (lambda t: t.replace('kind = "quantity"', 'kind = "amount"', 1), "kind"),
    (lambda t: t + '\n[[indicator]]\nkey = "x"\n', "missing"),
    (lambda t: t.replace('"(?:生产)?废水(?:实现|达到|做到)?零排放"', '"废水(零排放"'), "compile"),
    (lambda t: t + "\nthis is not toml", "TOML"),
    (lambda t: t.replace('terms = ["产能利用率"', 'terms = ["水计量率", "产能利用率"'), "not_indicators"),
    (lambda t: t.replace('keys = ["wastewater_compliance_rate", "waste_gas_compliance_rate"]',
                         'keys = ["wastewater_compliance_rate"]'), "joint"),
])
def test_bad_data_is_e012(tmp_path, edit, needle):
    folder = copy_data(tmp_path)
    path = folder / "indicators.toml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ScreenError) as err:
        load_indicator_specs(folder)
    assert err.value.code == "E012"
    assert needle in str(err.value)


def test_missing_file_is_e012(tmp_path):
    with pytest.raises(ScreenError) as err:
        load_indicator_specs(tmp_path)
    assert err.value.code == "E012"
