"""The 2018 family at every boundary, expected values worked out by hand from Điều 6, 22, 34, 37."""

import pytest

from standards import engine
from standards.engine import types as t

from .engine_helpers import TT19_RULES, all_met, evaluate, rules_2018, with_verdict

ALL_LEVEL4 = {"1": True, "2": True}


def codes(blockers):
    return [(b.code, b.target, b.level, b.criterion, b.indicator_key) for b in blockers]


# --- Criterion level (Điều 6 khoản 2: Mức k when every indicator of Mức 1..k is met) -------------


def test_criterion_with_every_indicator_met_reaches_level_3():
    rules = rules_2018()
    result = evaluate(rules, all_met(rules))
    assert {n: r.level for n, r in result.criteria.items()} == {"1.1": 3, "1.2": 3, "2.1": 3}
    assert all(not r.blockers for r in result.criteria.values())


@pytest.mark.parametrize(
    ("level", "key", "expected"),
    [(1, "a", 0), (1, "c", 0), (2, "a", 1), (3, "a", 2)],
)
def test_criterion_stops_below_the_first_level_with_an_unmet_indicator(level, key, expected):
    rules = rules_2018()
    result = evaluate(rules, with_verdict(all_met(rules), "1.1", level, key, False))
    criterion = result.criteria["1.1"]
    assert criterion.level == expected
    assert codes(criterion.blockers) == [(t.INDICATOR_NOT_MET, "criterion", level, "1.1", key)]


def test_a_met_higher_level_does_not_count_while_a_lower_one_fails():
    rules = rules_2018()
    indicators = with_verdict(all_met(rules), "1.1", 1, "b", False)  # Mức 2 and 3 met, Mức 1 b not
    assert evaluate(rules, indicators).criteria["1.1"].level == 0


def test_blockers_list_every_unmet_indicator_of_the_next_level_only():
    rules = rules_2018()
    indicators = with_verdict(all_met(rules), "1.1", 1, "a", False)
    indicators = with_verdict(indicators, "1.1", 1, "c", False)
    indicators = with_verdict(indicators, "1.1", 3, "a", False)
    blockers = evaluate(rules, indicators).criteria["1.1"].blockers
    assert [(b.indicator_level, b.indicator_key) for b in blockers] == [(1, "a"), (1, "c")]


def test_missing_indicator_verdict_counts_as_not_met():
    rules = rules_2018()
    indicators = all_met(rules)
    del indicators["1.1"][2]["a"]
    result = evaluate(rules, indicators)
    assert result.criteria["1.1"].level == 1
    assert codes(result.criteria["1.1"].blockers) == [(t.INDICATOR_NOT_MET, "criterion", 2, "1.1", "a")]


def test_criterion_without_level_3_indicators_reaches_level_3_on_levels_1_and_2():
    rules = rules_2018()
    assert evaluate(rules, all_met(rules)).criteria["1.2"].level == 3


def test_criterion_without_level_3_indicators_stops_at_1_when_level_2_fails():
    rules = rules_2018()
    assert evaluate(rules, with_verdict(all_met(rules), "1.2", 2, "b", False)).criteria["1.2"].level == 1


def test_repealed_indicator_does_not_count_even_when_not_met():
    rules = rules_2018()
    result = evaluate(rules, with_verdict(all_met(rules), "2.1", 2, "a", False))
    assert result.criteria["2.1"].level == 3


def test_criterion_whose_indicators_are_all_repealed_drops_out_of_the_school_level():
    criteria = [("1.1", [(1, "a", False)]), ("5.3", [(1, "a", True), (1, "b", True)])]
    rules = rules_2018(criteria, level4=())
    result = evaluate(rules, {"1.1": {1: {"a": True}}})
    assert result.criteria["5.3"].level is None
    assert result.school_level == 3
    assert result.as_dict()["criteria"] == {"1.1": 3, "5.3": None}


# --- School level (every criterion at Mức k; Mức 4 = Mức 3 + every Điều 22 requirement) ----------


@pytest.mark.parametrize(("weakest", "expected"), [((1, "a"), 0), ((2, "a"), 1), ((3, "a"), 2)])
def test_school_level_is_the_lowest_criterion_level(weakest, expected):
    rules = rules_2018()
    result = evaluate(rules, with_verdict(all_met(rules), "1.1", *weakest, False), level4=ALL_LEVEL4)
    assert result.school_level == expected


def test_school_blockers_name_the_criteria_holding_it_down():
    rules = rules_2018()
    indicators = with_verdict(all_met(rules), "1.1", 2, "a", False)
    indicators = with_verdict(indicators, "2.1", 2, "b", False)
    result = evaluate(rules, indicators, level4=ALL_LEVEL4)
    assert result.school_level == 1
    school = [b for b in result.blockers if b.target == "school_level"]
    assert codes(school) == [
        (t.CRITERION_BELOW, "school_level", 2, "1.1", ""), (t.CRITERION_BELOW, "school_level", 2, "2.1", "")
    ]


def test_school_reaches_level_4_with_level_3_and_every_level4_requirement():
    rules = rules_2018()
    result = evaluate(rules, all_met(rules), level4=ALL_LEVEL4)
    assert (result.school_level, result.blockers) == (4, ())


@pytest.mark.parametrize(
    ("level4", "unmet"), [({"1": True, "2": False}, ["2"]), ({"1": True}, ["2"]), ({}, ["1", "2"])]
)
def test_an_unmet_or_missing_level4_requirement_keeps_the_school_at_level_3(level4, unmet):
    rules = rules_2018()
    result = evaluate(rules, all_met(rules), level4=level4)
    assert result.school_level == 3
    assert [(b.code, b.level, b.detail["requirement"]) for b in result.blockers] == [
        (t.LEVEL4_NOT_MET, 4, n) for n in unmet
    ]


def test_level4_requirements_do_not_lift_a_school_below_level_3():
    rules = rules_2018()
    result = evaluate(rules, with_verdict(all_met(rules), "1.1", 3, "a", False), level4=ALL_LEVEL4)
    assert result.school_level == 2


def test_catalog_without_level4_requirements_tops_out_at_level_3():
    rules = rules_2018(level4=())
    assert evaluate(rules, all_met(rules)).school_level == 3


# --- Accreditation Cấp độ (Điều 34) and national standard Mức độ (Điều 37) ------------------------


@pytest.mark.parametrize(
    ("school_level_weakness", "level4", "accreditation", "national"),
    [
        ((1, "a"), {}, 0, 0),
        ((2, "a"), {}, 1, 0),
        ((3, "a"), {}, 2, 1),
        (None, {}, 3, 2),
        (None, ALL_LEVEL4, 4, 2),
    ],
)
def test_accreditation_and_national_standard_follow_the_school_level(
    school_level_weakness, level4, accreditation, national
):
    rules = rules_2018()
    indicators = all_met(rules)
    if school_level_weakness:
        indicators = with_verdict(indicators, "1.1", *school_level_weakness, False)
    result = evaluate(rules, indicators, level4=level4, cohorts=1)
    assert (result.accreditation_level, result.national_standard) == (accreditation, national)


def test_tt18_without_a_completed_cohort_gets_no_accreditation_nor_national_standard():
    rules = rules_2018()
    result = evaluate(rules, all_met(rules), level4=ALL_LEVEL4, cohorts=0)
    assert result.school_level == 4
    assert (result.accreditation_level, result.national_standard) == (0, 0)
    pre = [(b.code, b.target, b.level, b.detail["fact"], b.detail["actual"]) for b in result.blockers]
    assert pre == [
        (t.PRECONDITION_NOT_MET, "accreditation", 4, "completed_cohorts", 0),
        (t.PRECONDITION_NOT_MET, "national_standard", 2, "completed_cohorts", 0),
    ]


def test_tt18_with_exactly_one_completed_cohort_meets_the_precondition():
    rules = rules_2018()
    result = evaluate(rules, all_met(rules), cohorts=1, years=0)
    assert (result.accreditation_level, result.national_standard) == (3, 2)


def test_unknown_cohort_count_is_reported_not_assumed():
    rules = rules_2018()
    result = evaluate(rules, all_met(rules), level4=ALL_LEVEL4, cohorts=None)
    assert result.accreditation_level == 0
    assert {b.code for b in result.blockers} == {t.PRECONDITION_UNKNOWN}


@pytest.mark.parametrize(("years", "accreditation", "national"), [(4, 0, 0), (5, 3, 2), (None, 0, 0)])
def test_tt19_needs_five_years_of_operation(years, accreditation, national):
    rules = rules_2018(rules=TT19_RULES)
    result = evaluate(rules, all_met(rules), cohorts=0, years=years)
    assert (result.accreditation_level, result.national_standard) == (accreditation, national)


def test_national_standard_level_1_is_the_school_at_level_2_exactly():
    rules = rules_2018()
    result = evaluate(rules, with_verdict(all_met(rules), "2.1", 3, "a", False))
    assert (result.school_level, result.national_standard) == (2, 1)


def test_a_rung_the_catalog_does_not_state_makes_the_answer_undecided():
    rules_data = {"accreditation_levels": {"1": {"structured": None}}}
    rules = rules_2018(rules=rules_data)
    result = evaluate(rules, all_met(rules), level4=ALL_LEVEL4)
    assert result.accreditation_level is None
    assert result.national_standard is None
    assert [(b.code, b.target) for b in result.blockers] == [
        (t.RULE_MISSING, "accreditation"), (t.RULE_MISSING, "national_standard")
    ]


def test_incomplete_catalog_gives_no_school_level():
    rules = rules_2018(complete=False, expected_criteria=28)
    result = evaluate(rules, all_met(rules))
    assert (result.school_level, result.accreditation_level) == (None, None)
    assert [b.code for b in result.blockers] == [t.CATALOG_INCOMPLETE]


# --- Criterion levels given directly ----------------------------------------------------------


def test_criterion_levels_can_be_given_instead_of_indicators():
    rules = rules_2018()
    result = evaluate(rules, criteria={"1.1": 2, "1.2": 3, "2.1": 3}, level4=ALL_LEVEL4)
    assert (result.school_level, result.accreditation_level, result.national_standard) == (2, 2, 1)
    assert result.as_dict()["criteria"] == {"1.1": 2, "1.2": 3, "2.1": 3}


# --- Bad input names the field ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"indicators": {"9.9": {}}}, "indicators.9.9", "unknown_criterion"),
        ({"indicators": {"1.1": {}}}, "indicators.1.2", "missing_criterion"),
        ({"indicators": {"1.1": {4: {"a": True}}, "1.2": {}, "2.1": {}}}, "indicators.1.1.4", "level_out_of_range"),
        ({"indicators": {"1.1": {1: {"z": True}}, "1.2": {}, "2.1": {}}}, "indicators.1.1.1.z", "unknown_indicator"),
        ({"indicators": {"1.1": {1: {"a": "yes"}}, "1.2": {}, "2.1": {}}}, "indicators.1.1.1.a", "not_boolean"),
        ({"criteria": {"1.1": 4, "1.2": 3, "2.1": 3}}, "criteria.1.1", "level_out_of_range"),
        ({"criteria": {"1.1": -1, "1.2": 3, "2.1": 3}}, "criteria.1.1", "level_out_of_range"),
        ({"criteria": {"1.1": True, "1.2": 3, "2.1": 3}}, "criteria.1.1", "level_out_of_range"),
        ({"criteria": {"1.1": 3, "1.2": 3, "2.1": 3}, "level4": {"7": True}}, "level4.7", "unknown_level4"),
        ({"criteria": {"1.1": 3, "1.2": 3, "2.1": 3}, "level4": {"1": 1}}, "level4.1", "not_boolean"),
        ({}, "indicators", "both_or_neither"),
        ({"indicators": {}, "criteria": {}}, "indicators", "both_or_neither"),
    ],
)
def test_bad_input_raises_an_error_naming_the_field(kwargs, field, code):
    with pytest.raises(engine.EngineError) as raised:
        engine.evaluate(rules_2018(), engine.Verdicts(**kwargs))
    assert (raised.value.field, raised.value.code) == (field, code)


def test_a_verdict_for_a_repealed_indicator_is_accepted_and_ignored():
    rules = rules_2018()
    indicators = with_verdict(all_met(rules), "2.1", 2, "a", True)
    assert evaluate(rules, indicators).criteria["2.1"].level == 3


def test_unknown_family_is_an_error():
    rules = engine.build_catalog_rules(regulation="X", family="nope", level_count=1, criteria=[], rules={})
    with pytest.raises(engine.EngineError) as raised:
        engine.evaluate(rules, engine.Verdicts(criteria={}))
    assert raised.value.code == "unknown_family"
