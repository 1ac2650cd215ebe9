"""The scoring engine on facts built here: IndicatorMention, Conflict, OutlineResult and
Evidence objects are the engine's real input, so these tests are on its real interface."""
from __future__ import annotations

import pytest

from extractors.evidence import Evidence
from extractors.facts import Conflict, IndicatorMention, OutlineResult, SectionMatch
from rubric.assessment import ItemScore
from rubric.items import load_rubric
from rubric.scoring import score, summary


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("guangxi")


def m(key, value, comparator="=", year=2023, role="actual", unit="%", page=7, low=None, high=None,
      text=None):
    return IndicatorMention(key=key, name=key, value=value, unit=unit, comparator=comparator, page=page,
                            source="text", text=text or f"{key} {value}", locator=f"p{page}", year=year,
                            low=low, high=high, role=role)


def flag(key, value, **kw):
    return m(key, value, unit="flag", **kw)


def run(rubric, mentions=(), conflicts=(), evidence=None, outline=None):
    return score(rubric, outline, list(mentions), list(conflicts), evidence or {})


def item(rubric, item_id, mentions=(), **kw):
    return run(rubric, mentions, **kw).item(item_id)


def ev(text, page=3, locator="p9"):
    return Evidence(page=page, text=text, locator=locator, source="text")


# ------------------------------------------------------------------ numeric boundaries

@pytest.mark.parametrize("item_id,key", [("23", "waste_gas_compliance_rate"),
                                          ("24", "wastewater_compliance_rate")])
@pytest.mark.parametrize("value,points", [(100, 5), (99.9, 3), (97.1, 3), (97, 3), (96.9, 0)])
def test_compliance_rates(rubric, item_id, key, value, points):
    it = item(rubric, item_id, [m(key, value)])
    assert (it.score, it.status) == (points, "auto")


@pytest.mark.parametrize("value,points", [(69.9, 0), (70, 2), (70.1, 2)])
def test_item9_high_cost_rate(rubric, value, points):
    it = item(rubric, "9", [m("low_cost_implementation_rate", 100), m("high_cost_implementation_rate", value)])
    assert (it.score, it.status) == (1 + points, "auto")


@pytest.mark.parametrize("value,points", [(99.9, 0), (100, 1)])
def test_item9_low_cost_rate_must_be_100(rubric, value, points):
    it = item(rubric, "9", [m("low_cost_implementation_rate", value), m("high_cost_implementation_rate", 75)])
    assert it.score == points + 2


def test_item9_short_with_continuing_plan_goes_to_review(rubric):
    mentions = [m("low_cost_implementation_rate", 100), m("high_cost_implementation_rate", 60)]
    plan = {"continuing_plan": [ev("未实施的中/高费方案已列入持续实施计划，2025年完成。", page=40)]}
    it = item(rubric, "9", mentions, evidence=plan)
    assert (it.score, it.status) == (1, "review")
    assert "第40页" in it.basis and "需复核" in it.basis
    without = item(rubric, "9", mentions)
    assert (without.score, without.status) == (1, "auto")


@pytest.mark.parametrize("value,points", [(64.9, 0), (65, 1), (79.9, 1), (80, 2), (100, 2)])
def test_item17_reuse_rate(rubric, value, points):
    it = item(rubric, "17", [m("wastewater_reuse_rate", value)])
    assert (it.score, it.status) == (points, "auto")


def test_item17_zero_discharge_is_the_better_alternative(rubric):
    it = item(rubric, "17", [flag("wastewater_zero_discharge", 1), m("wastewater_reuse_rate", 70)])
    assert (it.score, it.status) == (3, "auto")
    assert item(rubric, "17", [flag("wastewater_zero_discharge", 0)]).score == 0


@pytest.mark.parametrize("value,points", [(49.9, 0), (50, 1), (69.9, 1), (70, 2), (99.9, 2), (100, 3)])
def test_item18_utilization_rate(rubric, value, points):
    assert item(rubric, "18", [m("solid_waste_utilization_rate", value)]).score == points


def test_item18_zero_discharge(rubric):
    assert item(rubric, "18", [flag("solid_waste_zero_discharge", 1)]).score == 3


@pytest.mark.parametrize("cp,points", [(9.9, 0), (10, 2), (30, 2), (30.1, 4)])
def test_item16_cp_investment_more_than_30(rubric, cp, points):
    assert item(rubric, "16", [m("cp_investment_ratio", cp)]).score == points


@pytest.mark.parametrize("rd,points", [(0.49, 0), (0.5, 1), (1.49, 1), (1.5, 2), (3, 2)])
def test_item16_rd_investment_percent_of_sales(rubric, rd, points):
    assert item(rubric, "16", [m("rd_investment_ratio", rd)]).score == points


def test_item16_parts_add_up_to_six(rubric):
    it = item(rubric, "16", [m("cp_investment_ratio", 35), m("rd_investment_ratio", 1.5)])
    assert (it.score, it.max, it.status) == (6, 6, "auto")
    it = item(rubric, "16", [m("cp_investment_ratio", 12), m("rd_investment_ratio", 0.6)])
    assert it.score == 3


@pytest.mark.parametrize("value,points", [(94.9, 0), (95, 1), (100, 1)])
def test_item2_awareness(rubric, value, points):
    it = item(rubric, "2", [m("staff_awareness_rate", value)])
    assert (it.score, it.status) == (points, "auto")


def test_item2_awareness_and_training_evidence(rubric):
    it = item(rubric, "2", [m("staff_awareness_rate", 98)],
              evidence={"cp_training": [ev("公司每年组织全员清洁生产培训。", page=12)]})
    assert (it.score, it.status) == (1.5, "review")
    assert it.open_points == 0.5


@pytest.mark.parametrize("key,item_id,value,points", [
    ("material_metering_rate", "12", 99.9, 0), ("material_metering_rate", "12", 100, 1),
    ("main_material_utilization_rate", "12", 94.9, 0), ("main_material_utilization_rate", "12", 95, 1),
    ("energy_metering_rate", "13", 89.9, 0), ("energy_metering_rate", "13", 90, 2),
    ("water_metering_rate", "14", 99.9, 0), ("water_metering_rate", "14", 100, 2),
    ("facility_operation_rate", "21", 99.9, 0), ("facility_operation_rate", "21", 100, 5),
    ("solid_waste_disposal_rate", "25", 99.9, 0), ("solid_waste_disposal_rate", "25", 100, 4),
    ("noise_compliance_rate", "26", 99.9, 0), ("noise_compliance_rate", "26", 100, 3),
])
def test_single_threshold_items(rubric, key, item_id, value, points):
    it = item(rubric, item_id, [m(key, value)])
    assert (it.score, it.status) == (points, "auto")


def test_item14_comparison_with_industry_is_review(rubric):
    mentions = [m("water_metering_rate", 100), m("unit_fresh_water", 3.2, unit="m³/t", page=31)]
    it = item(rubric, "14", mentions)
    assert (it.score, it.status, it.max) == (2, "review", 4)
    assert it.open_points == 2
    assert "水计量率100%" in it.basis and "同行业先进水平" in it.basis
    assert {e.page for e in it.evidence} == {7, 31}


@pytest.mark.parametrize("value,points", [(1, 2), (0.5, 1), (0, 0)])
def test_item19_waste_gas_utilization_flag(rubric, value, points):
    it = item(rubric, "19", [flag("waste_gas_utilization", value)])
    assert (it.score, it.status) == (points, "auto")


def test_item26_noise_flag(rubric):
    assert item(rubric, "26", [flag("noise_compliant", 1)]).score == 3


def test_item20_iso14001_and_management_evidence(rubric):
    assert item(rubric, "20", [flag("iso14001", 1)]).score == 3
    it = item(rubric, "20", [flag("iso14001", 1)],
              evidence={"env_management": [ev("公司设安全环保部，专职负责环境管理工作。")]})
    assert (it.score, it.status) == (4, "review")


# ------------------------------------------------------------------------ comparators

@pytest.mark.parametrize("comparator,value,points", [
    (">=", 95, 1), ("=", 95, 1), (">", 95, 1), (">", 90, 0), (">=", 94.9, 0), ("<=", 100, 0), ("<", 100, 0)])
def test_comparator_against_minimum(rubric, comparator, value, points):
    it = item(rubric, "2", [m("staff_awareness_rate", value, comparator)])
    assert (it.score, it.status) == (points, "auto")


def test_at_least_30_does_not_meet_more_than_30(rubric):
    assert item(rubric, "16", [m("cp_investment_ratio", 30, ">=")]).score == 2
    assert item(rubric, "16", [m("cp_investment_ratio", 30, ">")]).score == 4


def test_approximate_value_goes_to_review(rubric):
    it = item(rubric, "2", [m("staff_awareness_rate", 95, "~")])
    assert (it.score, it.status) == (1, "review")
    assert "约95%" in it.basis


def test_range_uses_its_low_end_for_a_minimum(rubric):
    assert item(rubric, "23", [m("waste_gas_compliance_rate", 97, "range", low=97, high=100)]).score == 3
    assert item(rubric, "23", [m("waste_gas_compliance_rate", 96, "range", low=96, high=100)]).score == 0


def test_unit_mismatch_goes_to_review(rubric):
    it = item(rubric, "23", [m("waste_gas_compliance_rate", 100, unit="")])
    assert (it.score, it.status) == (0, "review")


# ----------------------------------------------------------- which value counts

def test_targets_and_requirements_are_ignored(rubric):
    it = item(rubric, "23", [m("waste_gas_compliance_rate", 100, role="target"),
                             m("waste_gas_compliance_rate", 100, role="requirement"),
                             m("waste_gas_compliance_rate", 96)])
    assert (it.score, it.status) == (0, "auto")
    only_target = item(rubric, "23", [m("waste_gas_compliance_rate", 100, role="target")])
    assert (only_target.score, only_target.status) == (0, "no_evidence")


def test_latest_year_is_chosen(rubric):
    mentions = [m("wastewater_compliance_rate", 100, year=2023), m("wastewater_compliance_rate", 95, year=2021)]
    assert item(rubric, "24", mentions).score == 5
    mentions = [m("wastewater_compliance_rate", 95, year=2023), m("wastewater_compliance_rate", 100, year=2022)]
    assert item(rubric, "24", mentions).score == 0


def test_undated_value_counts_only_when_no_year_is_given(rubric):
    assert item(rubric, "24", [m("wastewater_compliance_rate", 100, year=None)]).score == 5
    mentions = [m("wastewater_compliance_rate", 100, year=None), m("wastewater_compliance_rate", 96, year=2022)]
    assert item(rubric, "24", mentions).score == 0


# ---------------------------------------------------------------- conflicts, missing

def test_conflict_sends_item_to_review_with_lower_value(rubric):
    a = m("wastewater_compliance_rate", 100, page=12)
    b = m("wastewater_compliance_rate", 97.5, page=31)
    conflict = Conflict(key="wastewater_compliance_rate", year=2023, values=[100, 97.5], pages=[12, 31],
                        mentions=[a, b])
    result = run(rubric, [a, b], [conflict])
    it = result.item("24")
    assert (it.score, it.status) == (3, "review")
    assert "第12页为100%" in it.basis and "第31页为97.5%" in it.basis
    entry = next(e for e in result.missing if e.kind == "conflict")
    assert entry.ref == "wastewater_compliance_rate" and entry.item == "24"
    assert "不一致" in entry.message


def test_differing_values_without_a_conflict_object_still_review(rubric):
    it = item(rubric, "24", [m("wastewater_compliance_rate", 100), m("wastewater_compliance_rate", 90)])
    assert (it.score, it.status) == (0, "review")


def test_conflict_in_another_year_does_not_matter(rubric):
    old = Conflict(key="wastewater_compliance_rate", year=2021, values=[90, 95], pages=[3, 4])
    it = item(rubric, "24", [m("wastewater_compliance_rate", 100)], conflicts=[old])
    assert (it.score, it.status) == (5, "auto")


def test_missing_part_scores_zero_and_nothing_found_is_no_evidence(rubric):
    it = item(rubric, "16", [m("cp_investment_ratio", 35)])
    assert (it.score, it.status) == (4, "auto")
    assert "未找到清洁生产技术开发投入" in it.basis
    empty = item(rubric, "16")
    assert (empty.score, empty.status) == (0, "no_evidence")


# ---------------------------------------------------------------- qualitative items

@pytest.mark.parametrize("item_id,evidence_set,provisional", [
    ("3", "rules_records", 1), ("4", "site_appearance", 1), ("5", "process_analysis", 2),
    ("6", "cp_targets", 1), ("7", "balance_tests", 1.5), ("8", "option_feasibility", 1),
    ("10", "continuing_cp", 1), ("11", "industry_level", 4), ("15", "cp_technology", 3),
    ("22", "product_friendliness", 1.5)])
def test_qualitative_items_half_points_when_evidence_found(rubric, item_id, evidence_set, provisional):
    found = item(rubric, item_id, evidence={evidence_set: [ev("……相关内容。", page=20)]})
    assert (found.score, found.status) == (provisional, "review")
    assert found.evidence[0].page == 20 and "第20页" in found.basis
    nothing = item(rubric, item_id)
    assert (nothing.score, nothing.status) == (0, "no_evidence")


def outline(statuses: dict[str, str], template="audit_report"):
    titles = {"5.3": "厂容厂貌", "3.3": "主要能量转换设备的能效"}
    return OutlineResult(template=template, sections=[
        SectionMatch(id=sid, title=titles.get(sid, f"章节{sid}"), status=st,
                     heading=f"（三）{titles.get(sid, sid)}" if st == "heading" else None,
                     page=5 if st != "missing" else None)
        for sid, st in statuses.items()])


def test_matching_section_counts_as_evidence(rubric):
    it = item(rubric, "4", outline=outline({"5.3": "heading"}))
    assert (it.score, it.status) == (1, "review")
    assert "5.3节" in it.basis


@pytest.mark.parametrize("found,total,points", [(20, 20, 8), (18, 20, 6), (17, 20, 4), (15, 20, 4),
                                                 (14, 20, 2), (10, 20, 2), (9, 20, 0)])
def test_item1_outline_completeness(rubric, found, total, points):
    statuses = {str(i): ("heading" if i < found else "missing") for i in range(total)}
    it = item(rubric, "1", outline=outline(statuses))
    assert (it.score, it.status) == (points, "auto")


def test_item1_without_outline_is_no_evidence(rubric):
    assert item(rubric, "1").status == "no_evidence"


# ------------------------------------------------------------------- missing list

def test_missing_list_wording(rubric):
    result = run(rubric, [m("low_cost_implementation_rate", 100), m("high_cost_implementation_rate", 60)],
                 outline=outline({"5.3": "missing", "3.3": "body"}))
    messages = [e.message for e in result.missing]
    assert "缺少“厂容厂貌”相关内容（附件2 5.3）" in messages
    assert "中/高费方案实施率为60%，低于评分表第9项要求的70%" in messages
    assert "未找到“水计量率”的数值，评分表第14项需要" in messages
    assert "未找到“废水零排放”或“废水回用率”的数值，评分表第17项需要" in messages
    assert not any("3.3" in msg for msg in messages)
    kinds = {e.kind for e in result.missing}
    assert kinds == {"section", "indicator", "threshold"}
    assert next(e for e in result.missing if e.kind == "section").ref == "5.3"


def test_more_than_30_shortfall_wording(rubric):
    result = run(rubric, [m("cp_investment_ratio", 30)])
    assert "技术改造中清洁生产投入资金比例为30%，未达到评分表第16项要求的＞30%" in [
        e.message for e in result.missing]


def test_no_shortfall_when_alternative_gives_full_points(rubric):
    result = run(rubric, [flag("wastewater_zero_discharge", 1), m("wastewater_reuse_rate", 70)])
    assert not [e for e in result.missing if e.item == "17"]


def test_no_shortfall_when_top_level_met(rubric):
    result = run(rubric, [m("waste_gas_compliance_rate", 100)])
    assert not [e for e in result.missing if e.item == "23"]


# --------------------------------------------------------------------- summary

def _items(*rows):
    return [ItemScore(id=str(i), title="", max=mx, score=sc, status=st, basis="")
            for i, (mx, sc, st) in enumerate(rows)]


def test_sentence_can_still_pass(rubric):
    s = summary(rubric, _items((60, 52, "auto"), (40, 5, "review")))
    assert (s.auto, s.review_max) == (57, 35)
    assert s.sentence == "自动得分 57 分，待人工复核 35 分，最高可能 92 分，仍可能达到 80 分合格线"


def test_sentence_cannot_pass(rubric):
    s = summary(rubric, _items((60, 40, "auto"), (20, 10, "review"), (20, 0, "no_evidence")))
    assert (s.auto, s.review_max, s.best) == (50, 10, 60)
    assert s.sentence == "自动得分 50 分，待人工复核 10 分，最高可能 60 分，即使复核全部给分也达不到 80 分合格线"
    assert not s.can_pass


def test_sentence_exactly_80_can_pass(rubric):
    s = summary(rubric, _items((70, 70, "auto"), (10, 0, "review")))
    assert s.sentence.endswith("仍可能达到 80 分合格线")


def test_sentence_half_points(rubric):
    s = summary(rubric, _items((3, 1.5, "review")))
    assert s.sentence.startswith("自动得分 1.5 分，待人工复核 1.5 分，最高可能 3 分")


def test_full_report_scores_every_item(rubric):
    mentions = [m(k, v) for k, v in {
        "staff_awareness_rate": 98, "material_metering_rate": 100, "main_material_utilization_rate": 96,
        "energy_metering_rate": 95, "water_metering_rate": 100, "cp_investment_ratio": 35,
        "rd_investment_ratio": 2, "wastewater_reuse_rate": 85, "solid_waste_utilization_rate": 90,
        "facility_operation_rate": 100, "waste_gas_compliance_rate": 100, "wastewater_compliance_rate": 100,
        "solid_waste_disposal_rate": 100, "noise_compliance_rate": 100, "low_cost_implementation_rate": 100,
        "high_cost_implementation_rate": 80}.items()]
    mentions += [flag("waste_gas_utilization", 1), flag("iso14001", 1)]
    evidence = {name: [ev(f"{name}。")] for name in rubric.keyword_sets}
    statuses = {str(i): "heading" for i in range(25)}
    result = run(rubric, mentions, evidence=evidence, outline=outline(statuses))
    assert len(result.items) == 26
    assert all(it.status != "no_evidence" for it in result.items)
    assert result.score.auto == sum(it.score for it in result.items)
    assert result.score.review_max == sum(it.max - it.score for it in result.items if it.status == "review")
    # items 17 (85% reuse, no zero discharge) and 18 (90% utilization) give 2 of 3 each
    assert result.score.auto + result.score.review_max == 98
    # 85% is the top of the reuse ladder (only zero discharge gives more); 90% is short of 100%
    assert [e.message for e in result.missing if e.kind == "threshold"] == [
        "固废综合利用率为90%，低于评分表第18项要求的100%"]
    assert not [e for e in result.missing if e.kind == "section"]


def test_flag_stated_both_ways_goes_to_review(rubric):
    it = item(rubric, "20", [flag("iso14001", 1, page=5), flag("iso14001", 0, page=40)])
    assert (it.score, it.status) == (0, "review")
    assert "第5页为是" in it.basis and "第40页为否" in it.basis


@pytest.mark.parametrize("comparator,value,low,high,expected", [
    ("=", 1.2, None, None, True), ("<=", 1.2, None, None, True), ("<", 1.2, None, None, True), ("<", 1.3, None, None, False),
    ("=", 1.3, None, None, False), (">=", 1.0, None, None, False), ("~", 1.0, None, None, None),
    ("range", 1.1, 1.1, 1.2, True), ("range", 1.1, 1.1, 1.3, False)])
def test_upper_bound_levels_for_other_provinces(comparator, value, low, high, expected):
    from rubric.items import Level
    from rubric.scoring import meets
    mention = m("unit_energy_consumption", value, comparator, unit="tce/t", low=low, high=high)
    assert meets(mention, Level("<=", 1.2, 2)) is expected


def test_conflict_with_a_target_only_is_no_conflict(rubric):
    actual = m("waste_gas_compliance_rate", 100, page=12)
    target = m("waste_gas_compliance_rate", 98, page=3, role="target")
    conflict = Conflict(key="waste_gas_compliance_rate", year=2023, values=[100, 98], pages=[12, 3],
                        mentions=[actual, target])
    it = item(rubric, "23", [actual, target], conflicts=[conflict])
    assert (it.score, it.status) == (5, "auto")


def test_conflict_without_mentions_uses_its_values(rubric):
    conflict = Conflict(key="waste_gas_compliance_rate", year=2023, values=[100, 96], pages=[12, 31])
    it = item(rubric, "23", [m("waste_gas_compliance_rate", 100, page=12)], conflicts=[conflict])
    assert (it.score, it.status) == (0, "review")
