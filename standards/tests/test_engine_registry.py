"""A newer regulation (4 standards, 15 criteria, 2 levels, mandatory criteria) is data plus one small function."""

import pytest

from standards import engine
from standards.engine.common import assessed, criterion_results, grant, validate_verdicts
from standards.engine.types import CRITERION_BELOW, Blocker, SchoolResult

CRITERIA = [f"{s}.{n}" for s, size in ((1, 4), (2, 4), (3, 4), (4, 3)) for n in range(1, size + 1)]
MANDATORY = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2"]
RULES = {
    # The rule data a district would load with the catalog; the shape below is illustrative.
    "mandatory_criteria": MANDATORY,
    "accreditation_levels": {
        "1": {"structured": {"school_assessment_level_required": 1, "min_years_operating": 5}},
        "2": {"structured": {"school_assessment_level_required": 2, "min_years_operating": 5}},
    },
}


def mandatory_family(rules, verdicts, facts):
    """School at Mức k when every mandatory criterion is at k and every other one at least at k - 1."""
    validate_verdicts(rules, verdicts)
    results = criterion_results(rules, verdicts)
    mandatory = set(rules.data["mandatory_criteria"])
    level = 0
    for k in range(1, rules.level_count + 1):
        if all(r.level >= (k if r.number in mandatory else k - 1) for r in assessed(results)):
            level = k
    blockers = [
        Blocker(CRITERION_BELOW, "school_level", level + 1, r.number, detail={"criterion_level": r.level})
        for r in assessed(results)
        if level < rules.level_count and r.level < (level + 1 if r.number in mandatory else level)
    ]
    accreditation, more = grant(rules.accreditation, level, facts, "accreditation")
    return SchoolResult(rules.regulation, rules.family, results, level, accreditation, None, tuple(blockers + more))


@pytest.fixture
def family():
    engine.register_family("demo_mandatory", mandatory_family)
    yield
    engine.unregister_family("demo_mandatory")


def rules():
    return engine.build_catalog_rules(
        regulation="TT57/2026", family="demo_mandatory", level_count=2,
        criteria=[(n, [(1, "a", False), (1, "b", False), (2, "a", False)]) for n in CRITERIA], rules=RULES,
    )


def test_a_new_family_is_one_registered_function(family):
    levels = {n: 2 if n in MANDATORY else 1 for n in CRITERIA}
    result = engine.evaluate(rules(), engine.Verdicts(criteria=levels), engine.SchoolFacts(years_operating=6))
    assert (result.school_level, result.accreditation_level) == (2, 2)


def test_the_new_family_names_the_mandatory_criterion_that_holds_the_school_down(family):
    levels = {n: 2 if n in MANDATORY else 1 for n in CRITERIA}
    levels["2.2"] = 1
    result = engine.evaluate(rules(), engine.Verdicts(criteria=levels), engine.SchoolFacts(years_operating=6))
    assert result.school_level == 1
    assert [b.criterion for b in result.blockers] == ["2.2"]


def test_registering_the_same_name_with_another_function_is_refused(family):
    with pytest.raises(ValueError):
        engine.register_family("demo_mandatory", lambda *args: None)


def test_the_bundled_families_are_2018_and_legacy():
    assert {"2018", "legacy"} <= set(engine.family_names())
    assert engine.get_family("legacy").binary and not engine.get_family("2018").binary
