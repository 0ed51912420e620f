"""Property-based tests: raising one verdict (or a school fact) never lowers any level."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from standards import engine

from .engine_helpers import TT18_RULES, TT19_RULES, TT42_LEVEL2_REQUIRED, TT42_PRIMARY_CRITERIA, TT42_PRIMARY_RULES

KEYS = "abc"


@st.composite
def catalogs_2018(draw):
    criteria = []
    for index in range(draw(st.integers(1, 5))):
        indicators = []
        for level in (1, 2, 3):
            for key in KEYS[: draw(st.integers(0, 3))]:
                # About one indicator in five repealed.
                indicators.append((level, key, draw(st.integers(0, 4)) == 0))
        criteria.append((f"1.{index + 1}", indicators))
    return engine.build_catalog_rules(
        regulation="T", family="2018", level_count=3, criteria=criteria,
        rules=draw(st.sampled_from([TT18_RULES, TT19_RULES])),
        level4=[str(n) for n in range(1, draw(st.integers(0, 3)) + 1)],
    )


@st.composite
def assessments_2018(draw):
    rules = draw(catalogs_2018())
    indicators = {
        spec.number: {
            level: {key: draw(st.booleans()) for key in spec.indicators.get(level, ()) + spec.repealed.get(level, ())}
            for level in (1, 2, 3)
        }
        for spec in rules.criteria
    }
    level4 = {n: draw(st.booleans()) for n in rules.level4}
    facts = engine.SchoolFacts(
        completed_cohorts=draw(st.one_of(st.none(), st.integers(0, 3))),
        years_operating=draw(st.one_of(st.none(), st.integers(0, 8))),
    )
    return rules, indicators, level4, facts


def levels_of(result: engine.SchoolResult) -> list:
    return [
        *(r.level if r.level is not None else -1 for r in result.criteria.values()),
        result.school_level, result.accreditation_level, result.national_standard,
    ]


def never_lower(before: engine.SchoolResult, after: engine.SchoolResult) -> bool:
    return all(b <= a for b, a in zip(levels_of(before), levels_of(after), strict=True))


def run(rules, indicators, level4, facts):
    return engine.evaluate(rules, engine.Verdicts(indicators=indicators, level4=level4), facts)


@settings(max_examples=300, database=None)
@given(assessments_2018(), st.data())
def test_2018_raising_one_indicator_verdict_never_lowers_a_level(assessment, data):
    rules, indicators, level4, facts = assessment
    unmet = [(n, lv, k) for n, levels in indicators.items() for lv, keys in levels.items() for k, m in keys.items() if not m]
    if not unmet:
        return
    number, level, key = data.draw(st.sampled_from(unmet))
    before = run(rules, indicators, level4, facts)
    indicators[number][level][key] = True
    assert never_lower(before, run(rules, indicators, level4, facts))


@settings(max_examples=200, database=None)
@given(assessments_2018(), st.data())
def test_2018_meeting_one_more_level4_requirement_never_lowers_a_level(assessment, data):
    rules, indicators, level4, facts = assessment
    unmet = [n for n, met in level4.items() if not met]
    if not unmet:
        return
    before = run(rules, indicators, level4, facts)
    level4[data.draw(st.sampled_from(unmet))] = True
    assert never_lower(before, run(rules, indicators, level4, facts))


@settings(max_examples=200, database=None)
@given(assessments_2018(), st.integers(1, 3), st.integers(1, 6))
def test_2018_more_cohorts_or_years_never_lower_a_level(assessment, more_cohorts, more_years):
    rules, indicators, level4, facts = assessment
    before = run(rules, indicators, level4, facts)
    older = engine.SchoolFacts(
        completed_cohorts=(facts.completed_cohorts or 0) + more_cohorts,
        years_operating=(facts.years_operating or 0) + more_years,
    )
    assert never_lower(before, run(rules, indicators, level4, older))


def legacy_rules(level3_list):
    rules = copy.deepcopy(TT42_PRIMARY_RULES)
    rules["accreditation_levels"]["3"]["structured"]["required_criteria"] = level3_list
    return engine.build_catalog_rules(
        regulation="TT42/2012-TH", family="legacy", level_count=1,
        criteria=[(n, [(1, k, False) for k in KEYS]) for n in TT42_PRIMARY_CRITERIA], rules=rules,
    )


def bounds(result: engine.SchoolResult) -> tuple[int, int]:
    """(at least, at most): an undecided level is bounded below by the blocker's ``at_least``."""
    if result.accreditation_level is not None:
        return result.accreditation_level, result.accreditation_level
    return min(b.detail.get("at_least", 0) for b in result.blockers), 3


@settings(max_examples=300, database=None)
@given(
    st.one_of(st.none(), st.lists(st.sampled_from(TT42_PRIMARY_CRITERIA), unique=True, max_size=22)
              .map(lambda extra: sorted(set(TT42_LEVEL2_REQUIRED) | set(extra)))),
    st.dictionaries(st.sampled_from(TT42_PRIMARY_CRITERIA), st.tuples(st.booleans(), st.booleans(), st.booleans())),
    st.data(),
)
def test_legacy_raising_one_indicator_verdict_never_lowers_the_level(level3_list, chosen, data):
    rules = legacy_rules(level3_list)
    indicators = {n: {1: dict(zip(KEYS, chosen.get(n, (False, False, False)), strict=True))} for n in TT42_PRIMARY_CRITERIA}
    unmet = [(n, k) for n in TT42_PRIMARY_CRITERIA for k in KEYS if not indicators[n][1][k]]
    if not unmet:
        return
    before = engine.evaluate(rules, engine.Verdicts(indicators=indicators))
    number, key = data.draw(st.sampled_from(unmet))
    indicators[number][1][key] = True
    after = engine.evaluate(rules, engine.Verdicts(indicators=indicators))
    assert bounds(after)[0] >= bounds(before)[0]
    assert all(
        a.level >= b.level for a, b in zip(after.criteria.values(), before.criteria.values(), strict=True)
    )
