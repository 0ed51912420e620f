"""The 2026 family (TT57/2026): criterion levels, khoản 3 Điều 5 at every boundary, Điều 16, properties.

Expected results are worked out by hand from the rule as the catalog states it (rules.school_level):
Mức 1 = all 8 mandatory criteria at Mức 1 or above and at least 5 of the 7 others at Mức 1 or above;
Mức 2 = all mandatory at Mức 2, at least 5 of the 7 others at Mức 2, the rest at least Mức 1.
"""

from __future__ import annotations

import copy
import datetime
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from standards import engine
from standards.engine import family2026
from standards.engine import types as t

from .engine_helpers import DATA

FILE = json.loads((DATA / "tt57_2026.json").read_text(encoding="utf-8"))
RULES = FILE["rules"]
PT = FILE["catalogs"][1]
NUMBERS = [c["number"] for s in PT["standards"] for c in s["criteria"]]
MANDATORY = [c["number"] for s in PT["standards"] for c in s["criteria"] if c["mandatory"]]
OTHERS = [n for n in NUMBERS if n not in MANDATORY]


def test_the_catalog_has_8_mandatory_and_7_other_criteria_as_the_rule_lists():
    assert MANDATORY == ["1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2"]
    assert MANDATORY == RULES["mandatory_criteria"]["list"]
    assert OTHERS == ["1.1", "1.2", "2.3", "3.3", "3.4", "3.5", "4.3"]


def rules_2026(numbers=NUMBERS, mandatory=MANDATORY, rules=RULES) -> engine.CatalogRules:
    return engine.build_catalog_rules(
        regulation="TT57/2026-PT", family="2026", level_count=2,
        criteria=[(n, [(1, "a", False), (2, "a", False)]) for n in numbers],
        rules=rules, mandatory=mandatory,
    )


def levels(default: int, **overrides) -> dict[str, int]:
    """Criterion levels: every criterion at ``default`` except ``{"c1_3": 1}`` style overrides."""
    result = dict.fromkeys(NUMBERS, default)
    for key, value in overrides.items():
        result[key.removeprefix("c").replace("_", ".")] = value
    return result


def with_levels(base: dict[str, int], numbers, level: int) -> dict[str, int]:
    result = dict(base)
    for number in numbers:
        result[number] = level
    return result


def run(criteria: dict[str, int], *, cohorts=1, years=3, rules=None) -> engine.SchoolResult:
    facts = engine.SchoolFacts(completed_cohorts=cohorts, years_of_data=years)
    return engine.evaluate(rules or rules_2026(), engine.Verdicts(criteria=criteria), facts)


def as_indicators(criteria: dict[str, int]) -> dict:
    """The same assessment as Đạt / Không đạt per level (what a Biểu 1 report records)."""
    return {n: {1: {"a": level >= 1}, 2: {"a": level >= 2}} for n, level in criteria.items()}


def codes(result: engine.SchoolResult, target="school_level") -> list[tuple[str, str, int]]:
    return [(b.code, b.criterion, b.level) for b in result.blockers if b.target == target]


# --- Criterion level -------------------------------------------------------------------------------


@pytest.mark.parametrize(("m1", "m2", "expected"), [
    (False, False, 0), (True, False, 1), (True, True, 2),
    # Mức 2 is only considered once Mức 1 is met.
    (False, True, 0),
])
def test_criterion_level_from_the_two_requirements(m1, m2, expected):
    indicators = as_indicators(levels(2))
    indicators["1.1"] = {1: {"a": m1}, 2: {"a": m2}}
    result = engine.evaluate(rules_2026(), engine.Verdicts(indicators=indicators), engine.SchoolFacts())
    assert result.criteria["1.1"].level == expected
    if expected < 2:
        blocker = result.criteria["1.1"].blockers[0]
        assert (blocker.code, blocker.indicator_level) == (t.INDICATOR_NOT_MET, expected + 1)


def test_an_unmet_requirement_is_named_without_a_letter():
    """Each TT57 level is one unlettered requirement: "Yêu cầu Mức 2 ...", never "Chỉ báo a Mức 2 ..."."""
    from standards.explain import blocker_message

    indicators = as_indicators(levels(2))
    indicators["1.3"] = {1: {"a": True}, 2: {"a": False}}
    indicators["1.1"] = {1: {"a": False}, 2: {"a": False}}
    result = engine.evaluate(rules_2026(), engine.Verdicts(indicators=indicators), engine.SchoolFacts())
    assert [blocker_message(b) for b in result.criteria["1.3"].blockers] == ["Yêu cầu Mức 2 của tiêu chí 1.3 chưa đạt."]
    assert [blocker_message(b) for b in result.criteria["1.1"].blockers] == ["Yêu cầu Mức 1 của tiêu chí 1.1 chưa đạt."]
    # The flag survives the round trip through a report's stored blockers.
    stored = result.criteria["1.3"].blockers[0].as_dict()
    assert stored["unlettered"] is True and stored["indicator"] == "a"


def test_every_criterion_at_mức_2_gives_the_school_mức_2_and_no_cấp_độ():
    result = run(levels(2))
    assert (result.school_level, result.national_standard, result.accreditation_level) == (2, 2, None)
    assert result.blockers == ()


def test_every_criterion_không_đạt_gives_the_school_không_đạt_naming_each_mandatory_criterion():
    result = run(levels(0))
    assert result.school_level == 0 and result.national_standard == 0
    assert [c for code, c, _lv in codes(result) if code == t.MANDATORY_BELOW] == MANDATORY
    too_few = [b for b in result.blockers if b.code == t.OTHERS_TOO_FEW]
    assert [dict(b.detail) for b in too_few] == [{"reached": 0, "required": 5, "total": 7, "required_level": 1}]


# --- Each mandatory criterion alone, at each level ---------------------------------------------------


@pytest.mark.parametrize("number", MANDATORY)
def test_one_mandatory_criterion_at_mức_1_holds_the_school_at_mức_1(number):
    result = run(with_levels(levels(2), [number], 1))
    assert result.school_level == 1
    assert codes(result) == [(t.MANDATORY_BELOW, number, 2)]
    assert dict(result.blockers[0].detail) == {"criterion_level": 1, "required_level": 2}
    assert result.national_standard == 1


@pytest.mark.parametrize("number", MANDATORY)
def test_one_mandatory_criterion_không_đạt_makes_the_school_không_đạt(number):
    result = run(with_levels(levels(2), [number], 0))
    assert result.school_level == 0
    assert codes(result) == [(t.MANDATORY_BELOW, number, 1)]
    assert result.national_standard == 0


@pytest.mark.parametrize("number", OTHERS)
def test_one_other_criterion_at_mức_1_still_leaves_the_school_at_mức_2(number):
    # 6 of the 7 others at Mức 2 (≥ 5), the one left at Mức 1 (≥ the floor).
    assert run(with_levels(levels(2), [number], 1)).school_level == 2


# --- 4/7 vs 5/7 others, at each level --------------------------------------------------------------


def test_mức_1_with_exactly_5_of_7_others_at_mức_1():
    # Mandatory at Mức 1, others 1.1..3.4 at Mức 1 (5), 3.5 and 4.3 không đạt.
    criteria = with_levels(with_levels(levels(0), MANDATORY, 1), OTHERS[:5], 1)
    result = run(criteria)
    assert result.school_level == 1
    # Mức 2 is out of reach: every mandatory criterion is only at Mức 1.
    assert [c for code, c, lv in codes(result) if code == t.MANDATORY_BELOW and lv == 2] == MANDATORY


def test_mức_1_fails_with_4_of_7_others_and_says_4_of_7_needs_5():
    criteria = with_levels(with_levels(levels(0), MANDATORY, 2), OTHERS[:4], 2)
    result = run(criteria)
    assert result.school_level == 0
    assert codes(result) == [(t.OTHERS_TOO_FEW, "", 1)]
    assert dict(result.blockers[0].detail) == {"reached": 4, "required": 5, "total": 7, "required_level": 1}


def test_mức_2_with_exactly_5_of_7_others_at_mức_2_and_the_rest_at_mức_1():
    criteria = with_levels(with_levels(levels(1), MANDATORY, 2), OTHERS[:5], 2)
    assert run(criteria).school_level == 2


def test_mức_2_fails_with_4_of_7_others_at_mức_2():
    criteria = with_levels(with_levels(levels(1), MANDATORY, 2), OTHERS[:4], 2)
    result = run(criteria)
    assert result.school_level == 1
    assert codes(result) == [(t.OTHERS_TOO_FEW, "", 2)]
    assert dict(result.blockers[0].detail) == {"reached": 4, "required": 5, "total": 7, "required_level": 2}


# --- "The rest at least Mức 1" -----------------------------------------------------------------------


def test_mức_2_needs_the_rest_at_least_at_mức_1_even_with_6_of_7_at_mức_2():
    criteria = with_levels(levels(2), ["4.3"], 0)
    result = run(criteria)
    assert result.school_level == 1
    assert codes(result) == [(t.OTHER_BELOW_MINIMUM, "4.3", 2)]
    assert dict(result.blockers[0].detail) == {"criterion_level": 0, "required_level": 1}


def test_5_of_7_at_mức_2_and_2_không_đạt_is_mức_1_naming_both():
    criteria = with_levels(levels(2), ["3.5", "4.3"], 0)
    result = run(criteria)
    assert result.school_level == 1
    assert codes(result) == [(t.OTHER_BELOW_MINIMUM, "3.5", 2), (t.OTHER_BELOW_MINIMUM, "4.3", 2)]


def test_3_others_không_đạt_fails_mức_1_too():
    # 4 others at Mức 2 count for Mức 1 as well: 4/7 < 5.
    criteria = with_levels(levels(2), ["3.4", "3.5", "4.3"], 0)
    result = run(criteria)
    assert result.school_level == 0
    assert codes(result) == [(t.OTHERS_TOO_FEW, "", 1)]


def test_indicator_verdicts_give_the_same_result_as_criterion_levels():
    for criteria in (
        levels(2), with_levels(levels(2), ["2.2"], 1), with_levels(levels(2), ["3.5", "4.3"], 0),
        with_levels(with_levels(levels(0), MANDATORY, 2), OTHERS[:4], 2),
    ):
        direct = run(criteria)
        facts = engine.SchoolFacts(completed_cohorts=1, years_of_data=3)
        from_indicators = engine.evaluate(rules_2026(), engine.Verdicts(indicators=as_indicators(criteria)), facts)
        assert from_indicators.school_level == direct.school_level
        assert from_indicators.blockers == direct.blockers


# --- The rule comes from the catalog ------------------------------------------------------------------


def test_the_mandatory_list_comes_from_the_catalog_flags():
    # The same assessment, with 2.2 no longer flagged mandatory (and 1.1 flagged instead).
    criteria = with_levels(levels(2), ["2.2"], 1)
    assert run(criteria).school_level == 1
    changed = [n for n in MANDATORY if n != "2.2"] + ["1.1"]
    assert run(criteria, rules=rules_2026(mandatory=changed)).school_level == 2


def test_the_counts_come_from_the_catalog_rules():
    rules = copy.deepcopy(RULES)
    rules["school_level"]["structured"]["2"]["others_min_count"] = 6
    criteria = with_levels(with_levels(levels(1), MANDATORY, 2), OTHERS[:5], 2)
    assert run(criteria).school_level == 2
    result = run(criteria, rules=rules_2026(rules=rules))
    assert result.school_level == 1
    assert dict(result.blockers[0].detail)["required"] == 6


def test_a_catalog_without_the_structured_rule_is_refused_not_guessed():
    rules = copy.deepcopy(RULES)
    del rules["school_level"]["structured"]
    with pytest.raises(engine.EngineError) as caught:
        run(levels(2), rules=rules_2026(rules=rules))
    assert caught.value.field == "rules.school_level.structured"


def test_criterion_values_above_mức_2_are_refused():
    with pytest.raises(engine.EngineError) as caught:
        run(with_levels(levels(2), ["1.1"], 3))
    assert (caught.value.field, caught.value.code) == ("criteria.1.1", "level_out_of_range")


# --- National standard (Điều 16) -----------------------------------------------------------------


@pytest.mark.parametrize(("school", "cohorts", "years", "expected", "blocker"), [
    (2, 1, 3, 2, None),
    (1, 1, 3, 1, None),
    (0, 1, 3, 0, None),
    # Three consecutive school years of data are needed, whatever the level.
    (2, 1, 2, 0, ("precondition_not_met", "years_of_data", 2)),
    (1, 5, 1, 0, ("precondition_not_met", "years_of_data", 1)),
    # A completed cohort is needed.
    (2, 0, 3, 0, ("precondition_not_met", "completed_cohorts", 2)),
    # Unknown facts: not granted, and the reason says what is missing.
    (2, 1, None, 0, ("precondition_unknown", "years_of_data", 2)),
])
def test_national_standard_follows_the_school_level_under_điều_16(school, cohorts, years, expected, blocker):
    criteria = {0: with_levels(levels(2), ["1.3"], 0), 1: with_levels(levels(2), ["1.3"], 1), 2: levels(2)}[school]
    result = run(criteria, cohorts=cohorts, years=years)
    assert (result.school_level, result.national_standard) == (school, expected)
    found = [b for b in result.blockers if b.target == "national_standard"]
    if blocker is None:
        assert found == []
    else:
        code, fact, level = blocker
        assert [(b.code, b.detail["fact"], b.level) for b in found] == [(code, fact, level)]


# --- Transition rule (khoản 4 Điều 27) ---------------------------------------------------------------


@pytest.mark.parametrize(("day", "in_effect"), [
    (datetime.date(2026, 7, 6), False), (datetime.date(2026, 7, 7), True),
    (datetime.date(2028, 12, 31), True), (datetime.date(2029, 1, 1), False),
])
def test_quantitative_transition_is_in_effect_from_07_7_2026_to_31_12_2028(day, in_effect):
    rule = family2026.quantitative_transition(RULES, day)
    assert rule["in_effect"] is in_effect
    assert rule["legal_ref"] == "khoản 4 Điều 27" and "không được sử dụng làm căn cứ duy nhất" in rule["text"]


# --- Labels ---------------------------------------------------------------------------------------------


def test_each_family_supplies_its_level_names_and_summary_columns():
    assert engine.get_family("2026").labels.summary_columns == ("Không đạt", "Mức 1", "Mức 2")
    assert engine.get_family("2026").labels.levels_phrase == "Mức 1 và 2"
    assert not engine.get_family("2026").labels.has_accreditation
    assert engine.get_family("2018").labels.summary_columns == ("Không đạt", "Mức 1", "Mức 2", "Mức 3")
    assert engine.get_family("2018").labels.levels_phrase == "Mức 1, 2 và 3"
    assert engine.get_family("2018").labels.school_level_name(4) == "Mức 4"
    assert engine.get_family("legacy").labels.summary_columns == ("Không đạt", "Đạt")


# --- Properties ---------------------------------------------------------------------------------------

criterion_levels = st.fixed_dictionaries({n: st.integers(0, 2) for n in NUMBERS})
facts = st.builds(
    engine.SchoolFacts,
    completed_cohorts=st.one_of(st.none(), st.integers(0, 2)),
    years_of_data=st.one_of(st.none(), st.integers(0, 4)),
)
RULES_2026 = rules_2026()


@settings(max_examples=400, database=None, deadline=None)
@given(criterion_levels, facts, st.data())
def test_raising_one_criterion_never_lowers_the_school_level(criteria, school_facts, data):
    below_top = [n for n, level in criteria.items() if level < 2]
    if not below_top:
        return
    number = data.draw(st.sampled_from(below_top))
    before = engine.evaluate(RULES_2026, engine.Verdicts(criteria=criteria), school_facts)
    raised = dict(criteria, **{number: criteria[number] + 1})
    after = engine.evaluate(RULES_2026, engine.Verdicts(criteria=raised), school_facts)
    assert after.school_level >= before.school_level
    assert after.national_standard >= before.national_standard


@settings(max_examples=200, database=None, deadline=None)
@given(criterion_levels, facts, st.randoms(use_true_random=False))
def test_the_result_never_depends_on_the_order_of_criteria(criteria, school_facts, rnd: random.Random):
    numbers = list(NUMBERS)
    rnd.shuffle(numbers)
    mandatory = list(MANDATORY)
    rnd.shuffle(mandatory)
    shuffled_rules = rules_2026(numbers=numbers, mandatory=mandatory)
    shuffled_criteria = {n: criteria[n] for n in reversed(numbers)}
    before = engine.evaluate(RULES_2026, engine.Verdicts(criteria=criteria), school_facts)
    after = engine.evaluate(shuffled_rules, engine.Verdicts(criteria=shuffled_criteria), school_facts)
    assert (after.school_level, after.national_standard) == (before.school_level, before.national_standard)
    assert {n: r.level for n, r in after.criteria.items()} == {n: r.level for n, r in before.criteria.items()}
    assert sorted(b.as_dict().items().__repr__() for b in after.blockers) == sorted(
        b.as_dict().items().__repr__() for b in before.blockers
    )


@settings(max_examples=300, database=None, deadline=None)
@given(criterion_levels)
def test_the_school_level_agrees_with_the_rule_read_literally(criteria):
    """An independent restatement of khoản 3 Điều 5 (counts only), against the engine."""
    mandatory = [criteria[n] for n in MANDATORY]
    others = [criteria[n] for n in OTHERS]
    if min(mandatory) >= 2 and sum(lv >= 2 for lv in others) >= 5 and min(others) >= 1:
        expected = 2
    elif min(mandatory) >= 1 and sum(lv >= 1 for lv in others) >= 5:
        expected = 1
    else:
        expected = 0
    assert run(criteria).school_level == expected
