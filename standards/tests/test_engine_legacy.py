"""The legacy family at every boundary of TT42/2012 Điều 31 khoản 1, worked out by hand.

28 criteria: Cấp độ 1 needs ≥ 60% (17 of 28: 16/28 = 57.1%, 17/28 = 60.7%); Cấp độ 2 needs
70% to under 85% (20/28 = 71.4% .. 23/28 = 82.1%; 19/28 = 67.9%) and the 15 criteria of điểm b;
Cấp độ 3 needs ≥ 85% (24/28 = 85.7%) and a list the catalog does not have.
"""

import copy

import pytest

from standards import engine
from standards.engine import types as t

from .engine_helpers import (
    TT42_LEVEL2_REQUIRED,
    TT42_PRIMARY_CRITERIA,
    TT42_PRIMARY_RULES,
    evaluate,
    legacy_met,
    rules_legacy,
)

OTHERS = [n for n in TT42_PRIMARY_CRITERIA if n not in TT42_LEVEL2_REQUIRED]


def met_with_required(count: int) -> set[str]:
    """``count`` criteria met, the 15 required ones first."""
    return set((TT42_LEVEL2_REQUIRED + OTHERS)[:count])


def met_without(required_missing: str, count: int) -> set[str]:
    pool = [n for n in TT42_LEVEL2_REQUIRED + OTHERS if n != required_missing]
    return set(pool[:count])


def with_level3_list(required: list[str]) -> dict:
    rules = copy.deepcopy(TT42_PRIMARY_RULES)
    rules["accreditation_levels"]["3"]["structured"]["required_criteria"] = required
    return rules


def test_criterion_is_met_only_when_a_b_and_c_are_all_met():
    rules = rules_legacy()
    indicators = legacy_met(set(TT42_PRIMARY_CRITERIA))
    indicators["1.1"][1]["c"] = False
    result = evaluate(rules, indicators)
    assert result.criteria["1.1"].level == 0
    assert [(b.code, b.indicator_key) for b in result.criteria["1.1"].blockers] == [(t.INDICATOR_NOT_MET, "c")]
    assert result.as_dict()["criteria"]["1.1"] is False
    assert result.as_dict()["criteria"]["1.2"] is True


@pytest.mark.parametrize(
    ("met", "expected"),
    [
        (16, 0),  # 57.1% < 60%
        (17, 1),  # 60.7% ≥ 60%
        (19, 1),  # 67.9% < 70%, though every required criterion is met
        (20, 2),  # 71.4%, the 15 required met
        (23, 2),  # 82.1%
    ],
)
def test_accreditation_level_by_share_with_the_required_criteria_met(met, expected):
    result = evaluate(rules_legacy(), legacy_met(met_with_required(met)))
    assert (result.criteria_met, result.criteria_total) == (met, 28)
    assert result.accreditation_level == expected


def test_below_60_percent_the_blocker_says_how_many_criteria_are_missing():
    result = evaluate(rules_legacy(), legacy_met(met_with_required(16)))
    share = [b for b in result.blockers if b.code == t.SHARE_TOO_LOW]
    assert [(b.level, b.detail["missing"]) for b in share] == [(1, 1)]


def test_70_percent_without_a_required_criterion_is_level_1_and_names_it():
    result = evaluate(rules_legacy(), legacy_met(met_without("3.6", 22)))
    assert result.accreditation_level == 1
    required = [b.criterion for b in result.blockers if b.code == t.REQUIRED_CRITERION_NOT_MET]
    assert required == ["3.6"]
    assert all(b.level == 2 for b in result.blockers)


def test_at_85_percent_the_unknown_level3_list_makes_the_level_undecided_but_at_least_2():
    result = evaluate(rules_legacy(), legacy_met(met_with_required(24)))
    assert result.accreditation_level is None
    assert [(b.code, b.level, b.detail.get("part"), b.detail.get("at_least")) for b in result.blockers] == [
        (t.RULE_MISSING, 3, "required_criteria", 2)
    ]


def test_all_criteria_met_is_still_undecided_without_the_level3_list():
    result = evaluate(rules_legacy(), legacy_met(set(TT42_PRIMARY_CRITERIA)))
    assert result.accreditation_level is None


def test_with_a_level3_list_85_percent_and_the_list_met_is_level_3():
    rules = rules_legacy(rules=with_level3_list(TT42_LEVEL2_REQUIRED))
    assert evaluate(rules, legacy_met(met_with_required(24))).accreditation_level == 3


def test_with_a_level3_list_23_of_28_is_level_2_because_85_percent_is_not_reached():
    rules = rules_legacy(rules=with_level3_list(TT42_LEVEL2_REQUIRED))
    result = evaluate(rules, legacy_met(met_with_required(23)))
    assert result.accreditation_level == 2
    assert [(b.code, b.detail["missing"]) for b in result.blockers if b.code == t.SHARE_TOO_LOW] == [(t.SHARE_TOO_LOW, 1)]


def test_above_85_percent_missing_a_level3_criterion_falls_back_to_level_2():
    rules = rules_legacy(rules=with_level3_list(TT42_LEVEL2_REQUIRED + ["3.1"]))
    result = evaluate(rules, legacy_met(met_with_required(26) - {"3.1"} | {"4.3"}))
    assert result.accreditation_level == 2
    assert [b.criterion for b in result.blockers if b.code == t.REQUIRED_CRITERION_NOT_MET] == ["3.1"]


def test_level_thresholds_agree_with_the_counts_the_catalog_states():
    structured = {k: v["structured"] for k, v in TT42_PRIMARY_RULES["accreditation_levels"].items() if k.isdigit()}
    rules = rules_legacy(rules=with_level3_list(TT42_LEVEL2_REQUIRED))
    levels = {n: evaluate(rules, legacy_met(met_with_required(n))).accreditation_level for n in range(29)}
    assert min(n for n, level in levels.items() if level >= 1) == structured["1"]["min_criteria_met_of_28"]
    assert min(n for n, level in levels.items() if level >= 2) == structured["2"]["min_criteria_met_of_28"]
    assert max(n for n, level in levels.items() if level == 2) == structured["2"]["max_criteria_met_of_28"]
    assert min(n for n, level in levels.items() if level >= 3) == structured["3"]["min_criteria_met_of_28"]


def test_criteria_can_be_given_as_true_or_false():
    values = {n: n in met_with_required(20) for n in TT42_PRIMARY_CRITERIA}
    result = evaluate(rules_legacy(), criteria=values)
    assert result.accreditation_level == 2
    assert result.school_level is None and result.national_standard is None


def test_legacy_criterion_values_must_be_booleans():
    values = dict.fromkeys(TT42_PRIMARY_CRITERIA, True)
    values["1.1"] = 1
    with pytest.raises(engine.EngineError) as raised:
        evaluate(rules_legacy(), criteria=values)
    assert (raised.value.field, raised.value.code) == ("criteria.1.1", "not_boolean")


def test_a_catalog_without_level_rules_says_so():
    rules = rules_legacy(rules={"accreditation_levels": {"1": {"structured": None}, "2": {"structured": None}}})
    result = evaluate(rules, legacy_met(set(TT42_PRIMARY_CRITERIA)))
    assert result.accreditation_level is None
    assert [(b.code, b.level, b.detail.get("at_least")) for b in result.blockers] == [(t.RULE_MISSING, 2, 0)]


def test_a_catalog_without_any_rule_section_says_so():
    result = evaluate(rules_legacy(rules={}), legacy_met(set(TT42_PRIMARY_CRITERIA)))
    assert result.accreditation_level is None
    assert [b.code for b in result.blockers] == [t.RULE_MISSING]


def test_an_incomplete_catalog_cannot_compute_a_share():
    rules = rules_legacy(criteria=["1.2"], complete=False)
    result = evaluate(rules, legacy_met({"1.2"}, ["1.2"]))
    assert result.accreditation_level is None
    assert [(b.code, b.detail["criteria"], b.detail["expected"]) for b in result.blockers] == [
        (t.CATALOG_INCOMPLETE, 1, 28)
    ]


def test_criteria_not_met_are_listed_for_the_next_level():
    result = evaluate(rules_legacy(), legacy_met(met_with_required(17)))
    not_met = {b.criterion for b in result.blockers if b.code == t.CRITERION_NOT_MET}
    assert not_met == set(TT42_PRIMARY_CRITERIA) - met_with_required(17)
